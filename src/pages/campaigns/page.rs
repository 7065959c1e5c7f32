//! A campaign's page (`/campaigns/:id`): where it stands (its status changed in place by
//! whoever organises its ward), what winning looks like, who decides, its deadline and how
//! winnable it is; the people, organisations, meetings and lists in it, each removable, and
//! more added (people found by search, the rest chosen from what this phone holds near its
//! ward); and its log of actions (`actions.rs`). Core's `campaigns::Summary` decides what is
//! shown.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use organise_core::area::{Area, AreaTree};
use organise_core::campaigns::{self, Summary};
use organise_core::id::{CampaignId, RecordId};
use organise_core::model::{
    Campaign, CampaignAction, CampaignStatus, List, Meeting, Organisation, Person,
};
use organise_core::record::{Choice, Collection, Element, Value};
use organise_core::sync::Replica;
use organise_core::sync::wire::RecordKey;

use super::actions::Actions;
use super::fields::{CampaignFields, Typed, show_problems};
use super::{deadline_words, organises, status_words, today, ward_name, winnable_words};
use crate::change::make_all;
use crate::components::field_problems::FieldProblems;
use crate::i18n::{self, t};
use crate::pages::people::found_people;
use crate::session::require_session;
use crate::sync::{self, SyncContext, WriteError};

/// Something a campaign names, with the name this phone knows it by.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Named {
    id: RecordId,
    name: String,
}

/// What a campaign gathers: one of its sets of references.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Gathered {
    People,
    Organisations,
    Meetings,
    Lists,
}

impl Gathered {
    /// The campaign's field that holds them.
    fn field(self) -> &'static str {
        match self {
            Gathered::People => "people",
            Gathered::Organisations => "organisations",
            Gathered::Meetings => "meetings",
            Gathered::Lists => "lists",
        }
    }

    fn heading(self) -> &'static str {
        match self {
            Gathered::People => t::campaigns_people(),
            Gathered::Organisations => t::campaigns_organisations(),
            Gathered::Meetings => t::campaigns_meetings(),
            Gathered::Lists => t::campaigns_lists(),
        }
    }

    fn add_label(self) -> &'static str {
        match self {
            Gathered::People => t::campaigns_find_person(),
            Gathered::Organisations => t::campaigns_add_organisation(),
            Gathered::Meetings => t::campaigns_add_meeting(),
            Gathered::Lists => t::campaigns_add_list(),
        }
    }
}

/// Everything the page shows, read once per change of data.
#[derive(Clone, Debug, PartialEq)]
struct Shown {
    campaign: Campaign,
    ward: String,
    summary: Summary,
    log: Vec<CampaignAction>,
    people: Vec<Named>,
    organisations: Vec<Named>,
    meetings: Vec<Named>,
    lists: Vec<Named>,
    /// What could be added: the organisations, meetings and lists near its ward not in it.
    more_organisations: Vec<Named>,
    more_meetings: Vec<Named>,
    more_lists: Vec<Named>,
    may_edit: bool,
}

impl Shown {
    fn linked(&self, gathered: Gathered) -> &[Named] {
        match gathered {
            Gathered::People => &self.people,
            Gathered::Organisations => &self.organisations,
            Gathered::Meetings => &self.meetings,
            Gathered::Lists => &self.lists,
        }
    }

    fn more(&self, gathered: Gathered) -> &[Named] {
        match gathered {
            Gathered::People => &[],
            Gathered::Organisations => &self.more_organisations,
            Gathered::Meetings => &self.more_meetings,
            Gathered::Lists => &self.more_lists,
        }
    }
}

/// `ids` named as this phone knows them, by `name_of`, in name order.
fn named(
    ids: impl IntoIterator<Item = RecordId>,
    name_of: impl Fn(RecordId) -> Option<String>,
) -> Vec<Named> {
    sorted(
        ids.into_iter()
            .map(|id| Named {
                id,
                name: name_of(id).unwrap_or_else(|| t::campaigns_not_on_phone().to_owned()),
            })
            .collect(),
    )
}

/// `named` in name order.
fn sorted(mut named: Vec<Named>) -> Vec<Named> {
    named.sort_by(|a, b| (&a.name, a.id).cmp(&(&b.name, b.id)));
    named
}

/// A meeting as a choice: its title and day.
fn meeting_words(meeting: &Meeting) -> String {
    t::campaigns_meeting_option(&meeting.title, &i18n::date(meeting.starts))
}

fn shown(replica: &Replica, id: CampaignId, may_edit: impl Fn(&Campaign) -> bool) -> Option<Shown> {
    let campaign = replica.one::<Campaign>(id.0)?;
    let actions: Vec<CampaignAction> = organise_core::canvass::typed(replica.holding(
        Collection::CampaignAction,
        "campaign",
        id.0,
    ));
    let summary = Summary::of(&campaign, &actions, today());
    let log = campaigns::log(id, &actions).into_iter().cloned().collect();
    let tree = AreaTree::new(&replica.all::<Area>());
    let near = |area| tree.is_near(area, campaign.area);
    let people = named(campaign.people.iter().map(|p| p.0), |p| {
        replica.one::<Person>(p).map(|p| p.name)
    });
    let organisations = named(campaign.organisations.iter().map(|o| o.0), |o| {
        replica.one::<Organisation>(o).map(|o| o.name)
    });
    let meetings = named(campaign.meetings.iter().map(|m| m.0), |m| {
        replica.one::<Meeting>(m).map(|m| meeting_words(&m))
    });
    let lists = named(campaign.lists.iter().map(|l| l.0), |l| {
        replica.one::<List>(l).map(|l| l.name)
    });
    let may_edit = may_edit(&campaign);
    let (more_organisations, more_meetings, more_lists) = if may_edit {
        let more = |all: Vec<Named>| sorted(all);
        (
            more(
                replica
                    .all::<Organisation>()
                    .into_iter()
                    .filter(|o| near(o.area) && !campaign.organisations.contains(&o.id))
                    .map(|o| Named {
                        id: o.id.0,
                        name: o.name,
                    })
                    .collect(),
            ),
            more(
                replica
                    .all::<Meeting>()
                    .into_iter()
                    .filter(|m| near(m.area) && !campaign.meetings.contains(&m.id))
                    .map(|m| Named {
                        id: m.id.0,
                        name: meeting_words(&m),
                    })
                    .collect(),
            ),
            more(
                replica
                    .all::<List>()
                    .into_iter()
                    .filter(|l| near(l.area) && !campaign.lists.contains(&l.id))
                    .map(|l| Named {
                        id: l.id.0,
                        name: l.name,
                    })
                    .collect(),
            ),
        )
    } else {
        Default::default()
    };
    Some(Shown {
        ward: ward_name(replica, campaign.area),
        summary,
        log,
        people,
        organisations,
        meetings,
        lists,
        more_organisations,
        more_meetings,
        more_lists,
        may_edit,
        campaign,
    })
}

/// Sets one of the campaign's fields, saved on this phone at once.
async fn set_field(
    campaign: CampaignId,
    field: &'static str,
    value: Value,
) -> Result<(), WriteError> {
    let key = RecordKey {
        collection: Collection::Campaign,
        id: campaign.0,
    };
    sync::write(|replica| replica.set_field(key, field, value).map(|_| ())).await
}

/// Adds `id` to, or removes it from, one of the campaign's sets.
async fn gather(
    campaign: CampaignId,
    field: &'static str,
    id: RecordId,
    add: bool,
) -> Result<(), WriteError> {
    let key = RecordKey {
        collection: Collection::Campaign,
        id: campaign.0,
    };
    sync::write(|replica| {
        let element = Element::Id(id);
        if add {
            replica.add_to_set(key, field, element).map(|_| ())
        } else {
            replica.remove_from_set(key, field, element).map(|_| ())
        }
    })
    .await
}

/// A campaign's page.
#[component]
pub fn CampaignPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let params = use_params_map();
    let id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<RecordId>().ok())
            .map(CampaignId)
    };
    let page = Memo::new(move |_| {
        revision.track();
        let id = id()?;
        sync::read(|replica| shown(replica, id, |c| organises(session, c.area))).flatten()
    });
    // The page is drawn again only when the campaign appears or goes, not at every change
    // of data: what is typed in its forms stays.
    let found = Memo::new(move |_| page.with(|p| p.as_ref().map(|p| p.campaign.id)));
    view! {
        {move || match found.get() {
            None => view! {
                <h1>{t::campaigns_title()}</h1>
                <p>{t::campaigns_not_here()}</p>
                <A href="/campaigns" attr:class="back">{t::campaigns_all()}</A>
            }
            .into_any(),
            Some(id) => view! { <CampaignView id page /> }.into_any(),
        }}
    }
}

/// The campaign, once found on this phone.
#[component]
fn CampaignView(id: CampaignId, page: Memo<Option<Shown>>) -> impl IntoView {
    let may_edit = Memo::new(move |_| page.with(|p| p.as_ref().is_some_and(|p| p.may_edit)));
    let name = Memo::new(move |_| page.with(|p| p.as_ref().map(|p| p.campaign.name.clone())));
    let campaign = Memo::new(move |_| page.with(|p| p.as_ref().map(|p| p.campaign.clone())));
    let log =
        Memo::new(move |_| page.with(|p| p.as_ref().map(|p| p.log.clone()).unwrap_or_default()));
    view! {
        <article class="campaign">
            <h1 class="campaign__name">{move || name.get()}</h1>
            <CampaignSummary id page may_edit />
            <Show when=move || may_edit.get()>
                {move || campaign.get_untracked().map(|opened| view! { <EditCampaign opened page /> })}
            </Show>
            {[Gathered::People, Gathered::Organisations, Gathered::Meetings, Gathered::Lists]
                .into_iter()
                .map(|gathered| view! { <GatheredSection id page gathered may_edit /> })
                .collect_view()}
            <Actions campaign log may_edit />
            <A href="/campaigns" attr:class="back">{t::campaigns_all()}</A>
        </article>
    }
}

/// The fields of the edit form, by the names core's rules give their problems.
fn on_edit_form(field: &str) -> bool {
    campaigns::EDITABLE.contains(&field)
}

/// *Change what it is for*: the campaign's name, goal, decider, deadline and judgement,
/// changed in place. Only what the organiser changes is saved, so a change another device
/// made meanwhile to a field left alone here stands.
#[component]
fn EditCampaign(opened: Campaign, page: Memo<Option<Shown>>) -> impl IntoView {
    let typed = Typed::of(&opened);
    let opened = StoredValue::new(opened);
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problems.clear();
        error.set(None);
        said.set(None);
        let Some(now) = page.with_untracked(|p| p.as_ref().map(|p| p.campaign.clone())) else {
            return;
        };
        let (typed_campaign, bad_day) = typed.put_on(now.clone());
        let steps = match opened.with_value(|o| campaigns::edited(o, &now, typed_campaign)) {
            Ok(steps) if !bad_day => steps,
            checked => {
                let found = checked.err().unwrap_or_default();
                show_problems(problems, error, &found, bad_day, on_edit_form);
                return;
            }
        };
        if steps.is_empty() {
            said.set(Some(t::campaigns_nothing_changed().to_owned()));
            return;
        }
        spawn_local(async move {
            match make_all(&steps).await {
                Ok(()) => {
                    // What is saved is what the next change is measured from.
                    if let Some(saved) =
                        page.with_untracked(|p| p.as_ref().map(|p| p.campaign.clone()))
                    {
                        opened.set_value(saved);
                    }
                    said.set(Some(t::campaigns_saved().to_owned()));
                }
                Err(e) => error.set(problems.show_unsaved(&e, on_edit_form)),
            }
        });
    };
    view! {
        <details class="panel campaign__edit">
            <summary>{t::campaigns_edit()}</summary>
            <form class="form campaign-form" on:submit=save novalidate>
                <CampaignFields typed problems default_name=Signal::derive(String::new) />
                <p class="form__error" role="alert">{move || error.get()}</p>
                <p role="status">{move || said.get()}</p>
                <button type="submit" class="button">{t::campaigns_save_changes()}</button>
            </form>
        </details>
    }
}

/// Where the campaign stands and what it is for.
#[component]
fn CampaignSummary(
    id: CampaignId,
    page: Memo<Option<Shown>>,
    may_edit: Memo<bool>,
) -> impl IntoView {
    let said = RwSignal::new(None::<String>);
    let top = Memo::new(move |_| {
        page.with(|p| {
            p.as_ref().map(|p| {
                (
                    p.campaign.clone(),
                    p.ward.clone(),
                    p.summary.deadline_passed,
                    (
                        p.summary.people,
                        p.summary.organisations,
                        p.summary.meetings,
                        p.summary.lists,
                    ),
                    (p.summary.done, p.summary.to_do, p.summary.overdue.len()),
                )
            })
        })
    });
    let change_status = move |event: leptos::ev::Event| {
        let Some(status) = CampaignStatus::parse(&event_target_value(&event)) else {
            return;
        };
        spawn_local(async move {
            let result = set_field(id, "status", Value::Text(status.as_str().to_owned())).await;
            said.set(Some(match result {
                Ok(()) => t::campaigns_saved().to_owned(),
                Err(e) => e.to_string(),
            }));
        });
    };
    move || {
        top.get().map(|(campaign, ward, passed, gathers, actions)| {
            let status = campaign.status;
            let (people, organisations, meetings, lists) = gathers;
            let (done, to_do, overdue) = actions;
            let gathers = t::campaigns_gathers(
                &t::count_people(people),
                &t::campaigns_count_organisations(organisations),
                &t::campaigns_count_meetings(meetings),
                &t::campaigns_count_lists(lists),
            );
            view! {
                <section class="panel campaign__summary" data-status=status.as_str()
                    data-people=people data-organisations=organisations data-meetings=meetings
                    data-lists=lists data-done=done data-to-do=to_do data-overdue=overdue>
                    <p class="campaign__ward">{t::campaigns_in_ward(&ward)}</p>
                    {if may_edit.get() {
                        view! {
                            <div class="campaign__status">
                                <label for="campaign-status">{t::campaigns_status()}</label>
                                <select id="campaign-status" on:change=change_status>
                                    {CampaignStatus::ALL.iter().map(|&s| view! {
                                        <option value=s.as_str() selected=s == status>{status_words(s)}</option>
                                    }).collect_view()}
                                </select>
                                <span role="status" class="muted">{move || said.get()}</span>
                            </div>
                        }
                        .into_any()
                    } else {
                        view! {
                            <p class="campaign__status-words">
                                {t::campaigns_status()} ": " {status_words(status)}
                            </p>
                            <p class="muted">{t::campaigns_read_only()}</p>
                        }
                        .into_any()
                    }}
                    <h2 class="campaign__label">{t::campaigns_goal_heading()}</h2>
                    <p>{campaign.goal.clone().unwrap_or_else(|| t::campaigns_not_said().to_owned())}</p>
                    <h2 class="campaign__label">{t::campaigns_decider_heading()}</h2>
                    <p>{campaign.decider.clone().unwrap_or_else(|| t::campaigns_not_said().to_owned())}</p>
                    <p class="campaign__deadline" data-passed=if passed { "true" } else { "false" }>
                        {deadline_words(campaign.deadline, passed)}
                    </p>
                    <p>{winnable_words(campaign.winnable)}</p>
                    <p class="campaign__gathers">{gathers}</p>
                    <p class="campaign__counts">{t::campaigns_count_actions(done, to_do, overdue)}</p>
                </section>
            }
        })
    }
}

/// The people, organisations, meetings or lists in the campaign, each removable, and more
/// added, for whoever organises its ward.
#[component]
fn GatheredSection(
    id: CampaignId,
    page: Memo<Option<Shown>>,
    gathered: Gathered,
    may_edit: Memo<bool>,
) -> impl IntoView {
    let SyncContext { revision, .. } = expect_context();
    let field = gathered.field();
    let linked = Memo::new(move |_| {
        page.with(|p| {
            p.as_ref()
                .map(|p| p.linked(gathered).to_vec())
                .unwrap_or_default()
        })
    });
    let more = Memo::new(move |_| {
        page.with(|p| {
            p.as_ref()
                .map(|p| p.more(gathered).to_vec())
                .unwrap_or_default()
        })
    });
    let said = RwSignal::new(None::<String>);
    let problems = FieldProblems::new();
    let chosen = RwSignal::new(String::new());
    let search = RwSignal::new(String::new());
    let found = Memo::new(move |_| {
        revision.track();
        let typed = search.get();
        let found = found_people(&typed, 6);
        linked.with(|linked| {
            found
                .into_iter()
                .filter(|(id, _)| !linked.iter().any(|l| l.id == id.0))
                .collect::<Vec<_>>()
        })
    });
    let change = move |item: RecordId, name: String, add: bool| {
        problems.clear();
        spawn_local(async move {
            let result = gather(id, field, item, add).await;
            said.set(Some(match result {
                Ok(()) if add => {
                    search.set(String::new());
                    chosen.set(String::new());
                    t::campaigns_added(&name)
                }
                Ok(()) => t::campaigns_removed(&name),
                Err(e) => e.to_string(),
            }));
        });
    };
    let add_chosen = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problems.clear();
        let picked = chosen.get_untracked();
        let item =
            more.with_untracked(|more| more.iter().find(|m| m.id.to_string() == picked).cloned());
        match item {
            Some(item) => change(item.id, item.name, true),
            None => problems.say(field, t::campaigns_choose_one()),
        }
    };
    let heading_id = format!("campaign-{field}-heading");
    let labelled_by = heading_id.clone();
    let input_id = format!("campaign-add-{field}");
    let problem_id = format!("{input_id}-problem");
    view! {
        <section class="campaign__gathered" aria-labelledby=labelled_by data-gathered=field>
            <h2 id=heading_id>{gathered.heading()}</h2>
            <Show when=move || linked.with(Vec::is_empty)>
                <p class="muted">{t::campaigns_none_linked()}</p>
            </Show>
            <ul class="list">
                <For each=move || linked.get() key=|n| (n.id, n.name.clone()) let(item)>
                    <LinkedRow item may_edit remove=move |id, name| change(id, name, false) />
                </For>
            </ul>
            <Show when=move || may_edit.get()>
                {
                    let (input_id, problem_id) = (input_id.clone(), problem_id.clone());
                    if gathered == Gathered::People {
                        view! {
                            <div class="form campaign__add">
                                <label for=input_id.clone()>{gathered.add_label()}</label>
                                <input id=input_id.clone() type="search" bind:value=search autocomplete="off" />
                                <ul class="list">
                                    <For each=move || found.get() key=|(id, name)| (*id, name.clone()) let((person, name))>
                                        <li>
                                            <button type="button" class="button button--secondary campaign__found"
                                                on:click={
                                                    let name = name.clone();
                                                    move |_| change(person.0, name.clone(), true)
                                                }>
                                                {t::campaigns_add_named(&name)}
                                            </button>
                                        </li>
                                    </For>
                                </ul>
                            </div>
                        }
                        .into_any()
                    } else {
                        view! {
                            <form class="form campaign__add" on:submit=add_chosen novalidate>
                                <label for=input_id.clone()>{gathered.add_label()}</label>
                                <Show when=move || more.with(|m| !m.is_empty())
                                    fallback=|| view! { <p class="muted">{t::campaigns_nothing_to_add()}</p> }>
                                    <select id=input_id.clone() bind:value=chosen
                                        aria-describedby=problem_id.clone() aria-invalid=problems.invalid(field)>
                                        <option value="">{t::campaigns_choose()}</option>
                                        <For each=move || more.get() key=|n| (n.id, n.name.clone()) let(n)>
                                            <option value=n.id.to_string()>{n.name}</option>
                                        </For>
                                    </select>
                                    <p id=problem_id.clone() class="form__error">{problems.message(field)}</p>
                                    <button type="submit" class="button button--secondary">{t::campaigns_add()}</button>
                                </Show>
                            </form>
                        }
                        .into_any()
                    }
                }
            </Show>
            <p role="status" class="form__saved">{move || said.get()}</p>
        </section>
    }
}

/// One of the people, organisations, meetings or lists in a campaign, with *Remove* for
/// whoever organises its ward.
#[component]
fn LinkedRow(
    item: Named,
    may_edit: Memo<bool>,
    remove: impl Fn(RecordId, String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let Named { id, name } = item;
    let label = t::campaigns_remove_named(&name);
    let shown = name.clone();
    let data_name = name.clone();
    let on_remove = move |_| remove(id, name.clone());
    view! {
        <li class="list__item campaign__linked" data-name=data_name>
            <span class="campaign__linked-name">{shown}</span>
            <Show when=move || may_edit.get()>
                <button type="button" class="button button--secondary" aria-label=label.clone()
                    on:click=on_remove.clone()>
                    {t::campaigns_remove()}
                </button>
            </Show>
        </li>
    }
}
