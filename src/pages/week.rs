//! The organiser's week: *My week* (one-to-ones against the weekly target, the twelve weeks
//! before, the next steps due; a lead organiser's team beside it) and the form that logs a
//! one-to-one. Both draw what core's `organising` works out; nothing is counted here.

use std::collections::BTreeSet;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_query_map};
use organise_core::calendar::{Day, Week, london_day};
use organise_core::canvass;
use organise_core::change;
use organise_core::id::{IssueId, OrganisationId, PersonId, RecordId, RungId, Timestamp};
use organise_core::model::{
    OneToOne, OneToOneKind, Organisation, Person, RoleAssignment, Rung, StoryConsent, User,
    WeeklyTarget,
};
use organise_core::organising::draft::{Logging, OneToOneDraft, Whom};
use organise_core::organising::{self, Due, MyWeek, OrganiserWeek, TREND_WEEKS};
use organise_core::record::{Choice, Collection, Entity};
use organise_core::sync::wire::RecordKey;
use organise_core::validate::FieldProblem;

use crate::components::area_picker::{AreaPicker, chosen_area};
use crate::components::field_problems::{FieldProblems, check_fields, focus_first_invalid};
use crate::i18n::{self, t};
use crate::pages::now;
use crate::pages::people::{found_people, text};
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// Today in London, the organisation's calendar.
fn today() -> Day {
    london_day(now())
}

/// A day as the app writes dates.
pub fn day_words(day: Day) -> String {
    i18n::date(noon_in_london(day))
}

/// Noon of `day` in London: a moment that falls on that day in any nearby time zone, for the
/// app's date formatter (which writes the device's day).
fn noon_in_london(day: Day) -> Timestamp {
    Timestamp(organise_core::calendar::london_midnight(day).0 + 12 * 3_600_000)
}

/// A person's name, from the device's copy.
fn name_of(person: PersonId) -> String {
    sync::read(|replica| {
        replica
            .get(RecordKey {
                collection: Collection::Person,
                id: person.0,
            })
            .map(|r| text(&r, "name"))
    })
    .flatten()
    .unwrap_or_else(|| t::week_someone().to_owned())
}

/// *My week*: the count against the target, the trend, the next steps, and the team.
#[component]
pub fn MyWeekPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let week = Memo::new(move |_| {
        revision.track();
        let user = session.user_id()?;
        sync::read(|replica| {
            organising::my_week(
                user,
                today(),
                &replica.all::<OneToOne>(),
                &replica.all::<WeeklyTarget>(),
            )
        })
    });
    let team = Memo::new(move |_| {
        revision.track();
        let user = session.user_id()?;
        let rows = sync::read(|replica| {
            organising::team_week(
                Week::of(today()),
                &replica.all::<User>(),
                &replica.all::<RoleAssignment>(),
                &replica.all::<OneToOne>(),
                &replica.all::<WeeklyTarget>(),
            )
        })?;
        // Only a lead organiser has a team: someone besides themselves to support.
        rows.iter().any(|r| r.organiser != user).then_some(rows)
    });
    view! {
        <h1>{t::week_title()}</h1>
        <Show when=move || session.is_organiser() fallback=|| view! {
            <p>{t::week_for_organisers()}</p>
        }>
        <p><A href="/one-to-ones/new" attr:class="button">{t::week_log()}</A></p>
        {move || week.get().map(|week| view! { <WeekCard week=week.clone() /> <Trend week=week /> })}
        <NextSteps week=week />
        {move || team.get().map(|rows| view! { <Team rows=rows /> })}
        </Show>
    }
}

/// This week's count against its target.
#[component]
fn WeekCard(week: MyWeek) -> impl IntoView {
    let count = week.count;
    let target = usize::try_from(week.target).unwrap_or_default();
    let to_go = target.saturating_sub(count);
    let late = week.late;
    view! {
        <section class="week-card" aria-labelledby="week-card-heading">
            <h2 id="week-card-heading">{t::week_this_week(&day_words(week.week.monday()))}</h2>
            <p class="week-card__count" data-count=count data-target=target>
                {t::week_count(count, target)}
            </p>
            <meter class="week-card__meter" min="0" max=target value=count
                aria-label=t::week_count(count, target)></meter>
            <p>{if to_go > 0 { t::week_to_go(to_go) } else { t::week_reached().to_owned() }}</p>
            <Show when=move || { late > 0 }>
                <p class="muted" data-late=late>{t::week_late(late)}</p>
            </Show>
        </section>
    }
}

/// The twelve weeks ending with this one: bars against the target, and the same as a table
/// for a screen reader.
#[component]
fn Trend(week: MyWeek) -> impl IntoView {
    const BAR: f64 = 20.0;
    const GAP: f64 = 6.0;
    const HEIGHT: f64 = 80.0;
    let top = week
        .trend
        .iter()
        .map(|w| (w.count as i64).max(w.target))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let width = TREND_WEEKS as f64 * (BAR + GAP);
    let scale = move |n: i64| HEIGHT * n as f64 / top;
    let bars = week
        .trend
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let x = i as f64 * (BAR + GAP);
            let h = scale(w.count as i64);
            let target_y = HEIGHT - scale(w.target);
            let reached = w.count as i64 >= w.target;
            view! {
                <rect x=x y=HEIGHT - h width=BAR height=h
                    class=if reached { "trend__bar trend__bar--reached" } else { "trend__bar" } />
                <line x1=x - GAP / 2.0 x2=x + BAR + GAP / 2.0 y1=target_y y2=target_y class="trend__target" />
            }
        })
        .collect_view();
    let rows = week
        .trend
        .iter()
        .map(|w| {
            view! {
                <tr>
                    <th scope="row">{day_words(w.week.monday())}</th>
                    <td>{w.count}</td>
                    <td>{w.target}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="trend-heading">
            <h2 id="trend-heading">{t::week_trend()}</h2>
            <svg class="trend" viewBox=format!("0 0 {width} {HEIGHT}") aria-hidden="true"
                preserveAspectRatio="none">
                {bars}
            </svg>
            <p class="muted">{t::week_trend_key()}</p>
            // Hidden by a box around it: a table grows to fit its cells whatever width it is
            // given, and clips none of them, so hidden itself it would widen a narrow screen.
            <div class="visually-hidden">
                <table>
                    <caption>{t::week_trend()}</caption>
                    <thead>
                        <tr>
                            <th scope="col">{t::week_trend_week()}</th>
                            <th scope="col">{t::week_trend_held()}</th>
                            <th scope="col">{t::week_trend_target()}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// The next steps agreed in one-to-ones, due or overdue first, each with *Done*.
#[component]
fn NextSteps(week: Memo<Option<MyWeek>>) -> impl IntoView {
    let said = RwSignal::new(None::<String>);
    let done = move |one_to_one: RecordId| {
        let key = RecordKey {
            collection: Collection::OneToOne,
            id: one_to_one,
        };
        spawn_local(async move {
            let result = sync::write(|replica| {
                replica.set_field(key, "next_step_done", organise_core::Value::Time(now()))
            })
            .await;
            said.set(Some(match result {
                Ok(_) => t::week_step_done().to_owned(),
                Err(e) => e.to_string(),
            }));
        });
    };
    let steps = move || week.get().map(|w| w.next_steps).unwrap_or_default();
    view! {
        <section aria-labelledby="steps-heading">
            <h2 id="steps-heading">{t::week_next_steps()}</h2>
            <p role="status">{move || said.get()}</p>
            <Show when=move || steps().is_empty()>
                <p class="muted">{t::week_no_steps()}</p>
            </Show>
            <ul class="list">
                <For each=steps key=|s| s.one_to_one let(step)>
                    <li class="list__item next-step">
                        <div class="next-step__text">
                            <strong class="next-step__person">{name_of(step.person)}</strong>
                            <span>{step.step.clone()}</span>
                            <span class=match step.when {
                                Due::Overdue => "next-step__due next-step__due--overdue",
                                _ => "next-step__due",
                            }>
                                {match step.when {
                                    Due::Overdue => t::week_overdue(&day_words(step.due)),
                                    Due::ThisWeek | Due::Later => t::week_due(&day_words(step.due)),
                                }}
                            </span>
                        </div>
                        <button type="button" class="button button--secondary"
                            aria-label=t::week_step_done_for(&step.step, &name_of(step.person))
                            on:click=move |_| done(step.one_to_one.0)>
                            {t::week_done()}
                        </button>
                    </li>
                </For>
            </ul>
        </section>
    }
}

/// A lead organiser's team: each organiser's count and target this week, by name, and a
/// new target for anyone but themselves (from next week).
#[component]
fn Team(rows: Vec<OrganiserWeek>) -> impl IntoView {
    let session = require_session();
    let said = RwSignal::new(None::<String>);
    let rows = rows
        .into_iter()
        .map(|row| {
            let mine = session.user_id_untracked() == Some(row.organiser);
            let typed = RwSignal::new(row.target.to_string());
            let problem = RwSignal::new(None::<String>);
            let field = format!("target-{}", row.organiser.0);
            let problem_id = format!("{field}-problem");
            let name = row.name.clone();
            let set = move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                problem.set(None);
                let Some(by) = session.user_id_untracked() else {
                    return;
                };
                let Ok(per_week) = typed.get_untracked().trim().parse::<i64>() else {
                    problem.set(Some(t::week_target_number().to_owned()));
                    return;
                };
                let name = name.clone();
                spawn_local(async move {
                    let result = sync::write(|replica| {
                        let area = replica
                            .one::<User>(row.organiser.0)
                            .map(|u| u.area)
                            .ok_or(organise_core::sync::LocalRefusal::Invalid(vec![
                                FieldProblem::new("organiser", organise_core::Problem::Missing),
                            ]))?;
                        let target = WeeklyTarget {
                            id: sync::mint_id().into(),
                            area,
                            created_by: by,
                            organiser: row.organiser,
                            per_week,
                            from: WeeklyTarget::applies_from(today()),
                        };
                        replica.create(&target.to_record())
                    })
                    .await;
                    match result {
                        Ok(_) => said.set(Some(t::week_target_set(
                            &name,
                            usize::try_from(per_week).unwrap_or_default(),
                            &day_words(WeeklyTarget::applies_from(today())),
                        ))),
                        // The store refused the number by core's rule: say what it takes.
                        Err(crate::sync::WriteError::Refused(
                            organise_core::sync::LocalRefusal::Invalid(_),
                        )) => problem.set(Some(t::week_target_number().to_owned())),
                        Err(e) => problem.set(Some(e.to_string())),
                    }
                });
            };
            view! {
                <tr>
                    <th scope="row" class="team-week__name">{row.name.clone()}</th>
                    <td>{t::week_count(row.count, usize::try_from(row.target).unwrap_or_default())}</td>
                    <td>
                        <Show when=move || !mine fallback=|| ()>
                            <form class="team-week__target" on:submit=set.clone() novalidate>
                                <label for=field.clone() class="visually-hidden">
                                    {t::week_target_for(&row.name)}
                                </label>
                                <input id=field.clone() inputmode="numeric" size="3" bind:value=typed
                                    aria-describedby=problem_id.clone()
                                    aria-invalid=move || problem.with(|p| p.is_some().then_some("true")) />
                                <button type="submit" class="button button--secondary">{t::week_target_save()}</button>
                                <p id=problem_id.clone() class="form__error">{move || problem.get()}</p>
                            </form>
                        </Show>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="team-heading">
            <h2 id="team-heading">{t::week_team()}</h2>
            <p class="muted">{t::week_team_note()}</p>
            <p role="status">{move || said.get()}</p>
            <div class="table-scroll">
                <table class="team-week">
                    <thead>
                        <tr>
                            <th scope="col">{t::week_team_organiser()}</th>
                            <th scope="col">{t::week_team_held()}</th>
                            <th scope="col">{t::week_team_target()}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// The fields of the one-to-one form, by the names core gives their problems.
const FORM_FIELDS: [&str; 11] = [
    "person",
    "name",
    "phone",
    "area",
    "held_on",
    "story",
    "story_consent",
    "interest",
    "leadership",
    "next_step",
    "next_step_due",
];

/// Logging a one-to-one, offline: whom (found, or new), when, what for, what they raised and
/// told, how they rate, and the next step.
#[component]
pub fn LogOneToOne() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let query = use_query_map();
    let chosen = RwSignal::new(None::<(PersonId, String, RecordId)>);
    // Arriving from a person's page, the form starts with them.
    let arriving = query.with_untracked(|q| q.get("person"));
    if let Some(person) = arriving
        .and_then(|p| p.parse().ok())
        .and_then(|id| sync::read(|replica| replica.one::<Person>(id)).flatten())
    {
        chosen.set(Some((person.id, person.name.clone(), person.area.0)));
    }
    let search = RwSignal::new(String::new());
    let found = Memo::new(move |_| {
        revision.track();
        search.with(|typed| found_people(typed, 8))
    });
    let new_person = RwSignal::new(false);
    let new_name = RwSignal::new(String::new());
    let new_phone = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let areas = Memo::new(move |_| {
        revision.track();
        let roles = session.organised_areas();
        sync::read(|replica| canvass::areas_on_offer(replica, &roles)).unwrap_or_default()
    });
    let held_on = RwSignal::new(today().to_string());
    let kind = RwSignal::new(OneToOneKind::Introduction.as_str().to_owned());
    let issues = RwSignal::new(BTreeSet::<IssueId>::new());
    // The issues of the area the person belongs to (or, for someone new, the chosen area).
    let issue_list = Memo::new(move |_| {
        revision.track();
        let where_ = match chosen.get() {
            Some((_, _, area)) => Some(organise_core::id::AreaId(area)),
            None => areas.with(|areas| chosen_area(areas, &area.get())),
        };
        where_
            .and_then(|a| sync::read(|replica| canvass::issues_near(replica, a)))
            .unwrap_or_default()
            .into_iter()
            .map(|i| (i.id, i.name))
            .collect::<Vec<_>>()
    });
    let organisations = Memo::new(move |_| {
        revision.track();
        let mut all = sync::read(|replica| replica.all::<Organisation>()).unwrap_or_default();
        organise_core::order::sort_by(&mut all, |a, b| a.name.cmp(&b.name));
        all.into_iter().map(|o| (o.id, o.name)).collect::<Vec<_>>()
    });
    let story = RwSignal::new(String::new());
    let story_consent = RwSignal::new(String::new());
    let interest = RwSignal::new(None::<i64>);
    let leadership = RwSignal::new(None::<i64>);
    let organisation = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let next_step_due = RwSignal::new(String::new());
    // The rungs a one-to-one may move someone to: the ladder's, less the retired ones.
    let move_to = RwSignal::new(String::new());
    let open_rungs = Memo::new(move |_| {
        revision.track();
        let rungs = sync::read(|replica| replica.all::<Rung>()).unwrap_or_default();
        organise_core::ladder::in_order(&rungs)
            .into_iter()
            .filter(|r| !r.retired)
            .map(|r| (r.id, r.name.clone()))
            .collect::<Vec<_>>()
    });
    let late = move || {
        Day::parse(held_on.get().trim())
            .is_some_and(|d| today().days_since(d) > organise_core::model::LATE_AFTER_DAYS)
    };
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        problems.clear();
        error.set(None);
        let with = match chosen.get_untracked() {
            Some((id, _, _)) => sync::read(|replica| replica.one::<Person>(id.0))
                .flatten()
                .map_or(Whom::Nobody, Whom::Known),
            None if new_person.get_untracked() => Whom::New {
                name: new_name.get_untracked(),
                phone: new_phone.get_untracked(),
                area: areas.with_untracked(|areas| chosen_area(areas, &area.get_untracked())),
            },
            None => Whom::Nobody,
        };
        let draft = OneToOneDraft {
            with,
            held_on: held_on.get_untracked(),
            kind: OneToOneKind::parse(&kind.get_untracked()).unwrap_or(OneToOneKind::Introduction),
            issues: issues.get_untracked(),
            story: story.get_untracked(),
            story_consent: StoryConsent::parse(&story_consent.get_untracked()),
            interest: interest.get_untracked(),
            leadership: leadership.get_untracked(),
            organisation: organisation
                .get_untracked()
                .parse::<RecordId>()
                .ok()
                .map(OrganisationId),
            next_step: next_step.get_untracked(),
            next_step_due: next_step_due.get_untracked(),
            move_to: move_to.get_untracked().parse::<RecordId>().ok().map(RungId),
        };
        let mint = sync::mint_id;
        let steps = match draft.steps(Logging {
            by,
            now: now(),
            mint: &mint,
        }) {
            Ok(steps) => steps,
            Err(found) => {
                let rest = problems.show(&found, |f| FORM_FIELDS.contains(&f));
                if found.iter().any(|p| {
                    p.field.as_str() == "next_step_due"
                        && matches!(p.problem, organise_core::Problem::NotAfter { .. })
                }) {
                    problems.say("next_step_due", t::week_due_after_held());
                }
                error.set(Some(check_fields(rest)));
                focus_first_invalid();
                return;
            }
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync::write(|replica| change::make(&steps, replica)).await {
                Ok(()) => navigate("/week", Default::default()),
                Err(e) => error.set(problems.show_unsaved(&e, |f| FORM_FIELDS.contains(&f))),
            }
        });
    };
    let rating = move |field: &'static str, legend: &'static str, value: RwSignal<Option<i64>>| {
        let id = format!("one-to-one-{field}");
        view! {
            <fieldset class="choices rating" aria-describedby=format!("{id}-problem")>
                <legend>{legend}</legend>
                <div class="rating__choices">
                    {(1..=5_i64)
                        .map(|n| {
                            let input = format!("{id}-{n}");
                            view! {
                                <input type="radio" id=input.clone() name=id.clone() value=n
                                    prop:checked=move || value.get() == Some(n)
                                    on:change=move |_| value.set(Some(n)) />
                                <label for=input class="rating__choice">{n}</label>
                            }
                        })
                        .collect_view()}
                </div>
                <p id=format!("{id}-problem") class="form__error">{problems.message(field)}</p>
            </fieldset>
        }
    };
    view! {
        <h1>{t::week_log_title()}</h1>
        <form class="form" on:submit=save novalidate>
            <fieldset class="choices week__who">
                <legend>{t::week_with()}</legend>
                {move || match chosen.get() {
                    Some((_, name, _)) => view! {
                        <p class="chosen-person">
                            <strong>{name}</strong>
                            " "
                            <button type="button" class="button button--secondary"
                                on:click=move |_| chosen.set(None)>{t::week_change_person()}</button>
                        </p>
                    }
                    .into_any(),
                    None => view! {
                        <Show when=move || !new_person.get()>
                            <label for="one-to-one-search">{t::week_find_person()}</label>
                            <input id="one-to-one-search" type="search" bind:value=search autocomplete="off"
                                aria-describedby="one-to-one-person-problem"
                                aria-invalid=problems.invalid("person") />
                            <ul class="list">
                                <For each=move || found.get() key=|(id, _)| *id let((id, name))>
                                    <li class="list__item">
                                        <button type="button" class="button button--secondary week__found"
                                            on:click={
                                                let name = name.clone();
                                                move |_| {
                                                    let area = sync::read(|r| r.one::<Person>(id.0))
                                                        .flatten()
                                                        .map_or(id.0, |p| p.area.0);
                                                    chosen.set(Some((id, name.clone(), area)));
                                                }
                                            }>
                                            {name.clone()}
                                        </button>
                                    </li>
                                </For>
                            </ul>
                            <p id="one-to-one-person-problem" class="form__error">{problems.message("person")}</p>
                        </Show>
                        <label class="choice">
                            <input type="checkbox" bind:checked=new_person />
                            {t::week_someone_new()}
                        </label>
                        <Show when=move || new_person.get()>
                            <label for="one-to-one-name">{t::week_name()}</label>
                            <input id="one-to-one-name" bind:value=new_name autocomplete="off"
                                aria-describedby="one-to-one-name-problem" aria-invalid=problems.invalid("name") />
                            <p id="one-to-one-name-problem" class="form__error">{problems.message("name")}</p>
                            <label for="one-to-one-phone">{t::week_phone()}</label>
                            <input id="one-to-one-phone" type="tel" bind:value=new_phone autocomplete="off"
                                aria-describedby="one-to-one-phone-problem" aria-invalid=problems.invalid("phone") />
                            <p id="one-to-one-phone-problem" class="form__error">{problems.message("phone")}</p>
                            <label for="one-to-one-area">{t::week_area()}</label>
                            <AreaPicker id="one-to-one-area" areas=areas chosen=area
                                described_by="one-to-one-area-problem" invalid=problems.is_wrong("area") />
                            <p id="one-to-one-area-problem" class="form__error">{problems.message("area")}</p>
                        </Show>
                    }
                    .into_any(),
                }}
            </fieldset>
            <label for="one-to-one-held-on">{t::week_held_on()}</label>
            <input id="one-to-one-held-on" type="date" bind:value=held_on max=today().to_string()
                aria-describedby="one-to-one-held-on-problem one-to-one-held-on-late"
                aria-invalid=problems.invalid("held_on") />
            <p id="one-to-one-held-on-late" class="muted week__late" role="status">
                {move || late().then(t::week_late_warning)}
            </p>
            <p id="one-to-one-held-on-problem" class="form__error">{problems.message("held_on")}</p>
            <label for="one-to-one-kind">{t::week_kind()}</label>
            <select id="one-to-one-kind" bind:value=kind>
                <option value="introduction">{t::week_kind_introduction()}</option>
                <option value="maintenance">{t::week_kind_maintenance()}</option>
                <option value="escalation">{t::week_kind_escalation()}</option>
            </select>
            <Show when=move || issue_list.with(|l| !l.is_empty())>
                <fieldset class="choices">
                    <legend>{t::week_issues()}</legend>
                    <For each=move || issue_list.get() key=|(id, _)| *id let((id, name))>
                        <label class="choice">
                            <input type="checkbox"
                                prop:checked=move || issues.with(|s| s.contains(&id))
                                on:change=move |_| issues.update(|s| {
                                    if !s.remove(&id) {
                                        s.insert(id);
                                    }
                                }) />
                            {name}
                        </label>
                    </For>
                </fieldset>
            </Show>
            <label for="one-to-one-story">{t::week_story()}</label>
            <textarea id="one-to-one-story" rows="3" bind:value=story
                aria-describedby="one-to-one-story-problem" aria-invalid=problems.invalid("story")></textarea>
            <p id="one-to-one-story-problem" class="form__error">{problems.message("story")}</p>
            <label for="one-to-one-story-consent">{t::week_story_consent()}</label>
            <select id="one-to-one-story-consent" bind:value=story_consent
                aria-describedby="one-to-one-story-consent-problem"
                aria-invalid=problems.invalid("story_consent")>
                <option value="">{t::week_story_consent_choose()}</option>
                <option value="private">{t::week_story_private()}</option>
                <option value="anonymised">{t::week_story_anonymised()}</option>
                <option value="named">{t::week_story_named()}</option>
            </select>
            <p id="one-to-one-story-consent-problem" class="form__error">{problems.message("story_consent")}</p>
            {rating("interest", t::week_interest(), interest)}
            {rating("leadership", t::week_leadership(), leadership)}
            <Show when=move || organisations.with(|o| !o.is_empty())>
                <label for="one-to-one-organisation">{t::week_organisation()}</label>
                <select id="one-to-one-organisation" bind:value=organisation>
                    <option value="">{t::week_organisation_none()}</option>
                    <For each=move || organisations.get() key=|(id, _)| *id let((id, name))>
                        <option value=id.0.to_string()>{name}</option>
                    </For>
                </select>
            </Show>
            <label for="one-to-one-next-step">{t::week_next_step()}</label>
            <input id="one-to-one-next-step" bind:value=next_step
                aria-describedby="one-to-one-next-step-problem" aria-invalid=problems.invalid("next_step") />
            <p id="one-to-one-next-step-problem" class="form__error">{problems.message("next_step")}</p>
            <label for="one-to-one-next-step-due">{t::week_next_step_due()}</label>
            <input id="one-to-one-next-step-due" type="date" bind:value=next_step_due
                aria-describedby="one-to-one-next-step-due-problem"
                aria-invalid=problems.invalid("next_step_due") />
            <p id="one-to-one-next-step-due-problem" class="form__error">{problems.message("next_step_due")}</p>
            <Show when=move || open_rungs.with(|r| !r.is_empty())>
                <label for="one-to-one-move-to">{t::week_move_to()}</label>
                <select id="one-to-one-move-to" bind:value=move_to>
                    <option value="">{t::week_move_to_none()}</option>
                    <For each=move || open_rungs.get() key=|(id, name)| (*id, name.clone()) let((id, name))>
                        <option value=id.0.to_string()>{name}</option>
                    </For>
                </select>
            </Show>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button">{t::week_save()}</button>
        </form>
    }
}
