//! Listening results: which issues people raise in held conversations, in a period and an
//! area, ranked overall and per ward; how the doors knocked ended; the conversations per list
//! and per volunteer; and the stories behind an issue. The counting, and which area is on
//! offer and shown, is `organise_core::results`; this screen only chooses the period and area
//! (drawn as the tree, opening on the user's own) and draws the answer from the records on
//! this phone.

use std::collections::BTreeMap;

use leptos::prelude::*;
use organise_core::id::{AreaId, IssueId, ListId, Timestamp, UserId};
use organise_core::model::{Outcome, StoryConsent};
use organise_core::record::{Choice, Collection, Record};
use organise_core::results::{
    AreaChoice, IssueCount, Listening, OutcomeCount, Period, Scope, StoryView, Tally, WardIssues,
    choose_area,
};
use organise_core::sync::Replica;
use organise_core::sync::wire::RecordKey;
use web_sys::js_sys::Date;

use crate::components::area_picker::indented;
use crate::i18n::t;
use crate::pages::campaigns;
use crate::session::{require_session, use_session};
use crate::sync::{self, SyncContext};

/// The periods to choose from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Span {
    Week,
    Month,
    AllTime,
}

impl Span {
    const ALL: [Span; 3] = [Span::Week, Span::Month, Span::AllTime];

    fn label(self) -> &'static str {
        match self {
            Span::Week => t::results_last_7_days(),
            Span::Month => t::results_last_30_days(),
            Span::AllTime => t::results_all_time(),
        }
    }

    fn period(self) -> Period {
        let now = Timestamp(Date::now() as i64);
        match self {
            Span::Week => Period::last_days(now, 7),
            Span::Month => Period::last_days(now, 30),
            Span::AllTime => Period::ALL,
        }
    }
}

/// Everything the screen shows, computed together from one read of the replica.
#[derive(Clone, Debug, Default, PartialEq)]
struct Summary {
    loaded: bool,
    choices: Vec<AreaChoice>,
    area: Option<AreaId>,
    /// The area the user had chosen is no longer on offer: `area` is the first choice instead.
    fell_back: bool,
    ranking: Vec<IssueCount>,
    outcomes: Vec<OutcomeCount>,
    wards: Vec<WardIssues>,
    lists: Vec<Tally<Option<ListId>>>,
    volunteers: Vec<Tally<UserId>>,
    stories: Vec<StoryView>,
    recorders: BTreeMap<UserId, String>,
}

/// How an area is named: its name and kind.
fn area_label(choice: &AreaChoice) -> String {
    let name = choice.name.as_deref().unwrap_or(t::results_your_area());
    match choice.kind {
        Some(kind) => t::results_area_choice(name, kind.as_str()),
        None => name.to_owned(),
    }
}

/// How an outcome is named among the outcomes.
fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Held => t::results_outcome_held(),
        Outcome::NotHome => t::results_outcome_not_home(),
        Outcome::Refused => t::results_outcome_refused(),
        Outcome::Moved => t::results_outcome_moved(),
        Outcome::DoNotKnock => t::results_outcome_do_not_knock(),
        Outcome::WrongNumber => t::results_outcome_wrong_number(),
    }
}

/// The issues most raised in the last seven days in the top of the user's own area, as the
/// Results screen first shows them (the organiser's dashboard names the first few).
pub fn recent_ranking(roles: &[AreaId]) -> Vec<IssueCount> {
    summarise(roles, None, Span::Week, None, None).ranking
}

/// The records the results are counted from, as this phone holds them: only the collections
/// `Listening::COLLECTIONS` names, and of people the tellers and the people talked to.
pub(crate) fn listening(replica: &Replica) -> Listening {
    let mut records: Vec<Record> = Listening::COLLECTIONS
        .into_iter()
        .flat_map(|collection| replica.visible_of(collection).into_values())
        .collect();
    let people = Listening::people(&records);
    records.extend(people.into_iter().filter_map(|person| {
        replica.get(RecordKey {
            collection: Collection::Person,
            id: person.0,
        })
    }));
    Listening::from_records(&records)
}

/// Reads the results for `span` in the chosen area (or, before one is chosen or once it is
/// gone, the top of the user's own), with the stories behind `issue` as `reader` may see them.
fn summarise(
    roles: &[AreaId],
    reader: Option<UserId>,
    span: Span,
    area: Option<AreaId>,
    issue: Option<IssueId>,
) -> Summary {
    sync::read(|replica| {
        let listening = listening(replica);
        let choices = listening.area_choices(roles);
        let chosen = choose_area(&choices, area);
        let Some(area) = chosen.area else {
            return Summary {
                loaded: true,
                ..Summary::default()
            };
        };
        let scope = Scope {
            period: span.period(),
            area,
        };
        let stories = match (issue, reader) {
            (Some(issue), Some(reader)) => listening.stories_for(issue, scope, reader),
            _ => Vec::new(),
        };
        let recorders = stories
            .iter()
            .filter_map(|s| {
                let name = listening.user_name(s.recorded_by)?;
                Some((s.recorded_by, name.to_owned()))
            })
            .collect();
        Summary {
            loaded: true,
            ranking: listening.issue_ranking(scope),
            outcomes: listening.outcomes(scope),
            wards: listening.issues_by_ward(scope),
            lists: listening.conversations_by_list(scope),
            volunteers: listening.conversations_by_volunteer(scope),
            stories,
            recorders,
            choices,
            area: Some(area),
            fell_back: chosen.fell_back,
        }
    })
    .unwrap_or_default()
}

/// One issue's row: its name, its count as text, and a decorative bar.
fn bar(count: &IssueCount, most: usize, within: Option<String>) -> impl IntoView + use<> {
    bar_row(
        count.name.clone(),
        t::count_conversations(count.conversations),
        count.conversations,
        most,
        within,
    )
}

/// A row of a bar chart: a name, its count as text, what it is part of, and a decorative bar
/// as long as `count` is against the largest, `most`.
pub fn bar_row(
    name: String,
    detail: String,
    count: usize,
    most: usize,
    within: Option<String>,
) -> impl IntoView + use<> {
    // Never an empty bar for something counted: a sliver still shows it is there.
    let width = if count == 0 {
        "0%".to_owned()
    } else {
        format!("{}%", (count * 100 / most.max(1)).max(2))
    };
    view! {
        <div class="bars__label">
            <span class="bars__name">{name}</span>
            <span class="bars__count">{detail}</span>
        </div>
        {within.map(|parent| view! { <p class="bars__within">{t::results_part_of(&parent)}</p> })}
        <svg class="bars__bar" aria-hidden="true" focusable="false" width="100%" height="14">
            <rect class="bars__fill" width=width height="14" rx="4" />
        </svg>
    }
}

/// A story as read here: its text (or why it is withheld), and whose it is.
fn story_item(story: &StoryView, recorder: Option<String>) -> impl IntoView + use<> {
    let teller = match (story.consent, &story.teller) {
        (StoryConsent::Named, Some(name)) => name.clone(),
        (StoryConsent::Named, None) => t::results_teller_not_on_this_phone().to_owned(),
        (StoryConsent::Anonymised, _) => t::results_teller_anonymised().to_owned(),
        (StoryConsent::Private, _) => t::results_teller_private().to_owned(),
    };
    let text = story
        .text
        .clone()
        .unwrap_or_else(|| t::results_story_private().to_owned());
    let recorded = match recorder {
        Some(name) => t::results_recorded_by(&name),
        None => t::results_recorded_by_unknown().to_owned(),
    };
    view! {
        <li class="stories__item">
            <p class="stories__text" class:muted=story.text.is_none()>{text}</p>
            <p class="stories__who">{teller} " · " {recorded}</p>
        </li>
    }
}

/// The organiser's listening results.
#[component]
pub fn Results() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let span = RwSignal::new(Span::Week);
    let area = RwSignal::new(None::<AreaId>);
    let chosen = RwSignal::new(None::<IssueId>);
    let summary = Memo::new(move |_| {
        revision.track();
        let (roles, reader) = (session.role_areas(), session.user_id());
        summarise(&roles, reader, span.get(), area.get(), chosen.get())
    });
    let choose_area = move |event: leptos::ev::Event| {
        area.set(event_target_value(&event).parse().ok().map(AreaId));
        chosen.set(None);
    };
    let period_buttons = Span::ALL
        .into_iter()
        .map(|s| {
            view! {
                <button type="button" class="results__period"
                    aria-pressed=move || if span.get() == s { "true" } else { "false" }
                    on:click=move |_| {
                        span.set(s);
                        chosen.set(None);
                    }>{s.label()}</button>
            }
        })
        .collect_view();
    let total = move || {
        summary.with(|s| {
            let held: usize = s.lists.iter().map(|tally| tally.held).sum();
            let knocked: usize = s.lists.iter().map(|tally| tally.knocked).sum();
            t::results_total(held, knocked)
        })
    };
    let has_conversations = move || summary.with(|s| !s.lists.is_empty());
    // Said when the area the user had chosen left the phone, so the change of area is seen.
    let fell_back = move || {
        summary.with(|s| {
            let shown = s.choices.iter().find(|c| Some(c.id) == s.area)?;
            s.fell_back
                .then(|| t::results_area_gone(&area_label(shown)))
        })
    };
    view! {
        <h1>{t::results()}</h1>
        <p class="muted">{t::results_intro()}</p>
        <div class="results__controls">
            <div class="results__periods" role="group" aria-label=t::results_period()>{period_buttons}</div>
            <label for="results-area" class="results__label">{t::results_area()}</label>
            <select id="results-area" class="results__area" on:change=choose_area>
                <For each=move || summary.with(|s| s.choices.clone()) key=|c| c.clone() let(choice)>
                    <option value=choice.id.0.to_string()
                        prop:selected=move || summary.with(|s| s.area == Some(choice.id))>
                        {indented(choice.depth, &area_label(&choice))}
                    </option>
                </For>
            </select>
        </div>
        <p class="results__note" role="status">{fell_back}</p>
        <Show when=move || summary.with(|s| s.loaded)
            fallback=|| view! { <p class="muted">{t::results_loading()}</p> }>
            <Show when=move || summary.with(|s| s.area.is_some())
                fallback=|| view! {
                    <p>{t::results_no_area()}</p>
                }>
                <Show when=has_conversations
                    fallback=|| view! {
                        <p class="results__empty">{t::results_no_conversations()}</p>
                    }>
                    <p class="results__total">{total}</p>
                    <IssueRanking summary chosen />
                    <WardBreakdown summary />
                    <Outcomes summary />
                    <Counts summary />
                </Show>
            </Show>
        </Show>
    }
}

/// The ranked issues, each with a button that shows the stories behind it.
#[component]
fn IssueRanking(summary: Memo<Summary>, chosen: RwSignal<Option<IssueId>>) -> impl IntoView {
    // Each row carries the scale and its broader issue's name, so that a row is redrawn when
    // either changes, and only then: a redrawn row would lose the focus of its button.
    let rows = move || {
        summary.with(|s| {
            let most = s.ranking.first().map_or(1, |i| i.conversations);
            let names: BTreeMap<IssueId, &str> = s
                .ranking
                .iter()
                .map(|i| (i.issue, i.name.as_str()))
                .collect();
            s.ranking
                .iter()
                .map(|i| {
                    let within = i.parent.and_then(|p| names.get(&p)).map(|n| n.to_string());
                    (i.clone(), most, within)
                })
                .collect::<Vec<_>>()
        })
    };
    let empty = move || summary.with(|s| s.ranking.is_empty());
    view! {
        <section aria-labelledby="results-issues">
            <h2 id="results-issues">{t::results_issues()}</h2>
            <Show when=move || !empty()
                fallback=|| view! {
                    <p class="results__empty">{t::results_no_issues()}</p>
                }>
                <p class="muted">{t::results_issues_intro()}</p>
                <ol class="bars">
                    <For each=rows key=|(c, most, within)| (c.issue, c.conversations, c.name.clone(), *most, within.clone())
                        let((count, most, within))>
                        {
                            let id = count.issue;
                            let name = count.name.clone();
                            let region = format!("stories-{id}");
                            let open = move || chosen.get() == Some(id);
                            view! {
                                <li class="bars__item">
                                    {bar(&count, most, within)}
                                    <button type="button" class="button button--secondary bars__stories"
                                        aria-expanded=move || if open() { "true" } else { "false" }
                                        aria-controls=region.clone()
                                        on:click=move |_| chosen.set((!open()).then_some(id))>
                                        <span aria-hidden="true">{t::results_stories()}</span>
                                        <span class="visually-hidden">{t::results_stories_about(&name)}</span>
                                    </button>
                                    <Show when=open>
                                        <Stories summary id=region.clone() name=name.clone() />
                                    </Show>
                                </li>
                            }
                        }
                    </For>
                </ol>
            </Show>
        </section>
    }
}

/// The stories behind the chosen issue.
#[component]
fn Stories(summary: Memo<Summary>, id: String, name: String) -> impl IntoView {
    let stories = move || {
        summary.with(|s| {
            s.stories
                .iter()
                .map(|story| story_item(story, s.recorders.get(&story.recorded_by).cloned()))
                .collect_view()
        })
    };
    let empty = move || summary.with(|s| s.stories.is_empty());
    let heading = t::results_stories_about(&name);
    let none = t::results_no_stories(&name);
    view! {
        <div class="stories" id=id>
            <h3 class="stories__heading">{heading}</h3>
            <Show when=empty fallback=move || view! { <ul class="stories__list">{stories}</ul> }>
                <p class="muted">{none.clone()}</p>
            </Show>
        </div>
    }
}

/// Each ward's issues.
#[component]
fn WardBreakdown(summary: Memo<Summary>) -> impl IntoView {
    let session = use_session();
    let wards = move || {
        summary.with(|s| {
            s.wards
                .iter()
                .map(|ward| {
                    let title = ward.name.clone().unwrap_or_else(|| match ward.ward {
                        Some(_) => t::results_ward_not_on_this_phone().to_owned(),
                        None => t::results_not_in_a_ward().to_owned(),
                    });
                    let most = ward.issues.first().map_or(1, |i| i.conversations);
                    let held = t::results_ward_held(ward.held);
                    // Organisers of the ward start a campaign from any of its issues.
                    let start = ward.ward.filter(|&w| campaigns::organises(session, w));
                    let ward_name = title.clone();
                    view! {
                        <div class="results__ward">
                            <h3 class="results__ward-name">{title}</h3>
                            <p class="muted">{held}</p>
                            {if ward.issues.is_empty() {
                                view! { <p class="muted">{t::results_ward_no_issues()}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="bars bars--small">
                                        {ward.issues.iter().map(|count| view! {
                                            <li class="bars__item">
                                                {bar(count, most, None)}
                                                {start.map(|w| campaigns::start_link(w, count, &ward_name))}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                        </div>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <section aria-labelledby="results-wards">
            <h2 id="results-wards">{t::results_wards()}</h2>
            <Show when=move || summary.with(|s| s.wards.is_empty())>
                <p class="results__empty">{t::results_no_wards()}</p>
            </Show>
            {wards}
        </section>
    }
}

/// How the doors knocked ended, each door once, so that they add up to the doors knocked.
#[component]
fn Outcomes(summary: Memo<Summary>) -> impl IntoView {
    let rows = move || {
        summary.with(|s| {
            let most = s.outcomes.iter().map(|o| o.doors).max().unwrap_or(1);
            s.outcomes
                .iter()
                .map(|o| {
                    view! {
                        <li class="bars__item">
                            {bar_row(
                                outcome_name(o.outcome).to_owned(),
                                t::count_doors(o.doors),
                                o.doors,
                                most,
                                None,
                            )}
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let knocked = move || summary.with(|s| s.outcomes.iter().map(|o| o.doors).sum::<usize>());
    view! {
        <section aria-labelledby="results-outcomes">
            <h2 id="results-outcomes">{t::results_outcomes()}</h2>
            <p class="muted">{move || t::results_outcomes_intro(knocked())}</p>
            <ul class="bars bars--small">{rows}</ul>
        </section>
    }
}

/// One table of conversations held and doors knocked.
fn tally_table(
    caption: &'static str,
    first: &'static str,
    rows: Vec<(String, usize, usize)>,
) -> impl IntoView + use<> {
    view! {
        <table class="results__table">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{first}</th>
                    <th scope="col" class="results__number">{t::results_held()}</th>
                    <th scope="col" class="results__number">{t::results_doors_knocked()}</th>
                </tr>
            </thead>
            <tbody>
                {rows.into_iter().map(|(name, held, knocked)| view! {
                    <tr>
                        <th scope="row">{name}</th>
                        <td class="results__number">{held}</td>
                        <td class="results__number">{knocked}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
    }
}

/// Conversations per list and per volunteer.
#[component]
fn Counts(summary: Memo<Summary>) -> impl IntoView {
    let lists = move || {
        let rows = summary.with(|s| {
            s.lists
                .iter()
                .map(|tally| {
                    let name = match (&tally.name, tally.key) {
                        (Some(name), _) => name.clone(),
                        (None, Some(_)) => t::results_list_not_on_this_phone().to_owned(),
                        (None, None) => t::results_not_from_a_list().to_owned(),
                    };
                    (name, tally.held, tally.knocked)
                })
                .collect()
        });
        tally_table(t::results_per_list(), t::results_list(), rows)
    };
    let volunteers = move || {
        let rows = summary.with(|s| {
            s.volunteers
                .iter()
                .map(|tally| {
                    let name = tally
                        .name
                        .clone()
                        .unwrap_or_else(|| t::results_volunteer_not_on_this_phone().to_owned());
                    (name, tally.held, tally.knocked)
                })
                .collect()
        });
        tally_table(t::results_per_volunteer(), t::results_volunteer(), rows)
    };
    view! {
        <section aria-labelledby="results-counts">
            <h2 id="results-counts">{t::results_counts()}</h2>
            {lists}
            {volunteers}
        </section>
    }
}
