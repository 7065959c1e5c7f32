//! Walk lists: the lists a volunteer was given (an organiser sees every list in their areas),
//! building a new one from the people in a ward or a street, and one list's doors in walking
//! order with its progress and a bulk "not home".

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use organise_core::area::{Area, AreaTree};
use organise_core::canvass::{self, Walk};
use organise_core::change;
use organise_core::id::{ListId, PersonId, RecordId, Timestamp, UserId};
use organise_core::model::{Conversation, List, ListKind, Outcome, Person};
use organise_core::record::{Collection, Entity};
use organise_core::validate::{self, FieldProblem};
use organise_core::walk::{self, Door, Reach};
use web_sys::js_sys::Date;

use crate::app::{CurrentSession, require_session};
use crate::change::Step;
use crate::i18n::{self, t};
use crate::pages::door::toggle;
use crate::pages::list_setup::ListSetup;
use crate::pages::people::areas_for;
use crate::sync::{self, SyncContext};

/// Records `outcome` for everyone at each door, from `list`, as core's
/// [`canvass::outcome_steps`] says: one change (one transaction with its outbox entries) per
/// door. Returns the steps made, for an undo.
pub async fn record_outcome(
    doors: &[Door],
    list: &List,
    by: UserId,
    outcome: Outcome,
) -> Result<Vec<Step>, sync::WriteError> {
    let mut saved = Vec::new();
    let at = Timestamp(Date::now() as i64);
    for door in doors {
        let steps = sync::write(|replica| {
            let steps = canvass::outcome_steps(replica, list, door, by, at, outcome, sync::mint_id);
            change::make(&steps, replica)?;
            Ok(steps)
        })
        .await?;
        saved.extend(steps);
    }
    Ok(saved)
}

/// The lists this user works from, with their progress.
#[component]
pub fn Lists() -> impl IntoView {
    require_session();
    let SyncContext { revision, .. } = expect_context();
    let CurrentSession(session) = expect_context();
    let organiser = move || {
        session.with(|s| {
            s.as_ref()
                .is_some_and(|s| !s.user.organised_areas().is_empty())
        })
    };
    // Read once per change of data, for both the list and the empty-state message.
    let lists = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| {
            let mut lists: Vec<(ListId, String, usize, usize)> = replica
                .all::<List>()
                .into_iter()
                .filter(|l| l.kind == ListKind::Walk)
                .filter_map(|list| {
                    let walk = sync::walk(replica, list.id)?;
                    let done = walk.progress(replica).done(&walk);
                    Some((list.id, list.name, done, walk.doors.len()))
                })
                .collect();
            lists.sort_by(|a, b| a.1.cmp(&b.1));
            lists
        })
        .unwrap_or_default()
    });
    let lists = move || lists.get();
    view! {
        <h1>{t::lists()}</h1>
        <Show when=organiser>
            <A href="/lists/new" attr:class="button">{t::lists_new()}</A>
        </Show>
        <Show when=move || lists().is_empty()>
            <p class="muted">{t::lists_none()}</p>
        </Show>
        <ul class="list" aria-label=t::lists()>
            <For each=lists key=|l| l.clone() let((id, name, done, total))>
                <li class="list__item">
                    <A href=format!("/lists/{id}") attr:class="list__link">
                        <span class="list__title">{name}</span>
                        <span class="list__detail">{t::lists_done(done, total)}</span>
                    </A>
                </li>
            </For>
        </ul>
    }
}

/// Who a new list would hold, and what it can be narrowed by.
#[derive(Clone, Debug, Default, PartialEq)]
struct Matching {
    /// The people chosen.
    chosen: Vec<PersonId>,
    /// How many were left out for asking not to be knocked again, or moving away.
    left_out: usize,
    /// The streets in the area.
    streets: Vec<String>,
    /// The tags people in the area carry.
    tags: Vec<String>,
}

/// Building a walk list from the people in an area, narrowed to a street, to those not yet
/// talked to or not home last time, or to a tag, and giving it to volunteers.
#[component]
pub fn NewList() -> impl IntoView {
    require_session();
    let SyncContext { revision, .. } = expect_context();
    let CurrentSession(session) = expect_context();
    let roles = move || {
        session.with(|s| {
            s.as_ref()
                .map(|s| s.user.organised_areas())
                .unwrap_or_default()
        })
    };
    let areas = move || {
        revision.track();
        areas_for(&roles())
    };
    let name = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let street = RwSignal::new(String::new());
    let reach = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<UserId>::new());
    let error = RwSignal::new(None::<String>);
    // Problems the last save found, by field, shown beside each field.
    let problems = RwSignal::new(BTreeMap::<String, String>::new());
    let problem = move |field: &'static str| move || problems.with(|p| p.get(field).cloned());
    let area_id = move || {
        let wanted = area.get();
        areas()
            .into_iter()
            .find(|(id, _)| id.to_string() == wanted)
            .or_else(|| areas().into_iter().next())
            .map(|(id, _)| id)
    };
    // The people in the chosen area (and street), and the streets there.
    let matching = Memo::new(move |_| {
        revision.track();
        let area = area_id()?;
        let street = street.get();
        let tag = tag.get();
        let reach = match reach.get().as_str() {
            "not-talked-to" => Reach::NotTalkedTo,
            "not-home" => Reach::NotHomeLastTime,
            _ => Reach::Everyone,
        };
        sync::read(|replica| {
            let areas: Vec<Area> = replica.all();
            let tree = AreaTree::new(&areas);
            let mut knocks = walk::Knocks::default();
            replica.each::<Conversation>(|conversation| knocks.note(&conversation));
            // One person at a time: keep only what the form shows of them.
            let tag = (!tag.is_empty()).then_some(tag.as_str());
            let mut streets = BTreeSet::new();
            let mut tags = BTreeSet::new();
            let mut chosen = Vec::new();
            let mut left_out = 0;
            replica.each::<Person>(|person| {
                if !tree.is_within(person.area, area) {
                    return;
                }
                let their_street = person
                    .address
                    .as_deref()
                    .map(|a| walk::parse_address(a).street)
                    .filter(|s| !s.is_empty());
                let on_street =
                    street.is_empty() || their_street.as_deref() == Some(street.as_str());
                if on_street {
                    match knocks.choice(&person, reach, tag) {
                        walk::Choice::Knock => chosen.push(person.id),
                        walk::Choice::LeftOut => left_out += 1,
                        walk::Choice::NotWanted => {}
                    }
                }
                tags.extend(person.tags);
                streets.extend(their_street);
            });
            Matching {
                chosen,
                left_out,
                streets: streets.into_iter().collect(),
                tags: tags.into_iter().collect(),
            }
        })
    });
    let matching = move || matching.get().unwrap_or_default();
    let volunteers = move || {
        revision.track();
        area_id()
            .and_then(|area| sync::read(|replica| canvass::working_near(replica, area)))
            .unwrap_or_default()
    };
    let navigate = use_navigate();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(user) = session.with_untracked(|s| s.as_ref().map(|s| s.user.id)) else {
            return;
        };
        problems.set(BTreeMap::new());
        error.set(None);
        let Some(area) = area_id() else {
            problems.set(BTreeMap::from([(
                "area".to_owned(),
                t::new_list_choose_area().to_owned(),
            )]));
            return;
        };
        let members = matching().chosen;
        if members.is_empty() {
            error.set(Some(t::new_list_nobody().to_owned()));
            return;
        }
        let list = List {
            id: ListId(sync::mint_id()),
            area,
            created_by: user,
            name: name.get_untracked(),
            kind: ListKind::Walk,
            members: members.into_iter().collect(),
            assignees: chosen.get_untracked(),
            campaign: None,
            script: None,
            survey: None,
        };
        let list = match list.normalised() {
            Ok(list) => list,
            Err(found) => {
                // Beside the fields the form has; anything else in words below it.
                let (beside, elsewhere): (Vec<FieldProblem>, Vec<FieldProblem>) = found
                    .into_iter()
                    .partition(|p| matches!(p.field.as_str(), "name" | "area"));
                problems.set(i18n::problems_by_field(&beside));
                if !elsewhere.is_empty() {
                    error.set(Some(validate::sentences(&elsewhere)));
                }
                return;
            }
        };
        let record = list.to_record();
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync::write(|replica| replica.create(&record)).await {
                Ok(_) => navigate(&format!("/lists/{}", record.id), Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <h1>{t::new_list()}</h1>
        <form class="form" on:submit=save novalidate>
            <label for="list-name">{t::new_list_name()}</label>
            <input id="list-name" name="name" required bind:value=name placeholder=t::new_list_name_example()
                aria-describedby="list-name-problem" />
            <p id="list-name-problem" class="form__error">{problem("name")}</p>
            <label for="list-area">{t::new_list_area()}</label>
            <select id="list-area" bind:value=area aria-describedby="list-area-problem">
                <For each=areas key=|a| a.0 let((id, area_name))>
                    <option value=id.to_string()>{area_name}</option>
                </For>
            </select>
            <p id="list-area-problem" class="form__error">{problem("area")}</p>
            <label for="list-street">{t::new_list_street()}</label>
            <select id="list-street" bind:value=street>
                <option value="">{t::new_list_every_street()}</option>
                <For each=move || matching().streets key=|s| s.clone() let(name)>
                    <option value=name.clone()>{name.clone()}</option>
                </For>
            </select>
            <label for="list-reach">{t::new_list_who()}</label>
            <select id="list-reach" bind:value=reach>
                <option value="">{t::new_list_everyone()}</option>
                <option value="not-talked-to">{t::new_list_not_talked_to()}</option>
                <option value="not-home">{t::new_list_not_home()}</option>
            </select>
            <Show when=move || !matching().tags.is_empty()>
                <label for="list-tag">{t::new_list_tag()}</label>
                <select id="list-tag" bind:value=tag>
                    <option value="">{t::new_list_any_tag()}</option>
                    <For each=move || matching().tags key=|t| t.clone() let(name)>
                        <option value=name.clone()>{name.clone()}</option>
                    </For>
                </select>
            </Show>
            <p role="status">{move || {
                let Matching { chosen, left_out, .. } = matching();
                let people = t::new_list_people(chosen.len());
                match left_out {
                    0 => people,
                    n => format!("{people} {}", t::new_list_left_out(n)),
                }
            }}</p>
            <fieldset class="choices">
                <legend>{t::new_list_give_to()}</legend>
                <For each=volunteers key=|v| v.0 let((id, volunteer))>
                    <label class="choice">
                        <input type="checkbox"
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |_| toggle(chosen, id) />
                        {volunteer}
                    </label>
                </For>
            </fieldset>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button">{t::new_list_save()}</button>
        </form>
    }
}

/// One list: progress, its doors in walking order, and marking several doors not home.
#[component]
pub fn ListPage() -> impl IntoView {
    require_session();
    let SyncContext { revision, .. } = expect_context();
    let CurrentSession(session) = expect_context();
    let params = use_params_map();
    let list_id = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<RecordId>().ok())
            .map(ListId)
    };
    // Read once per change of data or page, however many parts of the page show it.
    let memo = Memo::new(move |_| {
        revision.track();
        let id = list_id()?;
        sync::read(|replica| {
            let walk = sync::walk(replica, id)?;
            let progress = walk.progress(replica);
            // This list's records still on the phone only: the outbox holds their creation.
            let unsent: BTreeSet<RecordId> = replica
                .outbox()
                .filter(|m| m.collection == Collection::Conversation)
                .map(|m| m.record_id)
                .collect();
            Some(ListView {
                done: walk.doors.iter().map(|d| progress.is_done(d)).collect(),
                held: progress
                    .conversations
                    .iter()
                    .filter(|c| c.outcome == Outcome::Held)
                    .count(),
                waiting: progress
                    .conversations
                    .iter()
                    .filter(|c| unsent.contains(&c.id.0))
                    .count(),
                walk,
            })
        })
        .flatten()
    });
    let state = move || memo.get();
    // The doors shown, a page at a time: a ward's list has a thousand.
    let shown = RwSignal::new(PAGE);
    Effect::new(move |_| {
        list_id();
        shown.set(PAGE);
    });
    let rows = Memo::new(move |_| {
        let shown = shown.get();
        memo.with(|view| {
            let Some(view) = view else {
                return Vec::new();
            };
            sync::read(|replica| {
                view.walk
                    .doors
                    .iter()
                    .zip(&view.done)
                    .take(shown)
                    .enumerate()
                    .map(|(n, (door, &done))| DoorRow {
                        n,
                        address: door.address.clone(),
                        who: door
                            .people
                            .iter()
                            .filter_map(|p| replica.one::<Person>(p.0))
                            .map(|p| p.name)
                            .collect::<Vec<_>>()
                            .join(", "),
                        done,
                    })
                    .collect()
            })
            .unwrap_or_default()
        })
    });
    let left = move || {
        memo.with(|v| v.as_ref().map_or(0, |v| v.walk.doors.len()))
            .saturating_sub(shown.get())
    };
    let selecting = RwSignal::new(false);
    let selected = RwSignal::new(BTreeSet::<usize>::new());
    let message = RwSignal::new(None::<String>);
    let mark_not_home = move |_| {
        let Some(view) = state() else {
            return;
        };
        let Some(user) = session.with_untracked(|s| s.as_ref().map(|s| s.user.id)) else {
            return;
        };
        let picked: Vec<Door> = selected
            .get_untracked()
            .into_iter()
            .filter_map(|n| view.walk.doors.get(n).cloned())
            .collect();
        spawn_local(async move {
            match record_outcome(&picked, &view.walk.list, user, Outcome::NotHome).await {
                Ok(_) => {
                    message.set(Some(t::list_marked_not_home(picked.len())));
                    selected.set(BTreeSet::new());
                    selecting.set(false);
                }
                Err(e) => message.set(Some(e.to_string())),
            }
        });
    };
    let next_door = move || {
        memo.with(|v| {
            v.as_ref()
                .and_then(|v| v.done.iter().position(|done| !done))
        })
    };
    view! {
        <Show when=move || memo.with(Option::is_some) fallback=|| view! {
            <h1>{t::list_not_found()}</h1>
            <p>{t::list_not_on_phone()}</p>
            <A href="/lists">{t::list_back()}</A>
        }>
            <h1>{move || state().map(|v| v.walk.list.name.clone())}</h1>
            <p class="progress" role="status">{move || state().map(|v| {
                let (count, done) = (v.walk.doors.len(), v.done.iter().filter(|d| **d).count());
                t::list_progress(done, count, count - done, v.held)
            })}</p>
            <p class="muted">{move || state().map(|v| match v.waiting {
                0 => t::list_all_sent().to_owned(),
                n => t::list_waiting(n),
            })}</p>
            {move || next_door().map(|n| {
                let id = list_id().map(|l| l.to_string()).unwrap_or_default();
                view! { <A href=format!("/lists/{id}/doors/{n}") attr:class="button">{t::list_next_door()}</A> }
            })}
            <div class="button-row">
                <button type="button" class="button button--secondary"
                    on:click=move |_| { selecting.update(|s| *s = !*s); selected.set(BTreeSet::new()); }>
                    {move || if selecting.get() { t::list_cancel() } else { t::list_mark_several() }}
                </button>
                <Show when=move || selecting.get()>
                    <button type="button" class="button" on:click=mark_not_home
                        disabled=move || selected.with(BTreeSet::is_empty)>
                        {move || t::list_mark_not_home(selected.with(BTreeSet::len))}
                    </button>
                </Show>
            </div>
            {move || list_id().map(|list| view! { <ListSetup list=list /> })}
            <p role="status">{move || message.get()}</p>
            <ol class="list doors" aria-label=t::list_doors()>
                <For each=move || rows.get() key=|r| r.clone() let(DoorRow { n, address, who, done })>
                    {
                    let address_label = address.clone();
                    view! {
                    <li class="list__item door-row" class:door-row--done=done>
                        <Show when=move || selecting.get() && !done>
                            <input type="checkbox" class="door-row__pick"
                                aria-label=t::list_select(&address)
                                prop:checked=move || selected.with(|s| s.contains(&n))
                                on:change=move |_| toggle(selected, n) />
                        </Show>
                        <A href=move || format!("/lists/{}/doors/{n}", list_id().map(|l| l.to_string()).unwrap_or_default())
                            attr:class="list__link">
                            <span class="list__title">{address_label.clone()}</span>
                            <span class="list__detail">{who.clone()} {if done { t::list_door_done() } else { "" }}</span>
                        </A>
                    </li>
                    }
                    }
                </For>
            </ol>
            <Show when=move || { left() > 0 }>
                <button type="button" class="button button--secondary"
                    on:click=move |_| shown.update(|n| *n += PAGE)>
                    {move || t::show_more_doors(left().min(PAGE))}
                </button>
            </Show>
        </Show>
    }
}

/// How many doors a list's page shows at first, and how many more each *Show more* adds.
const PAGE: usize = 50;

/// What a list's page shows of it.
#[derive(Clone, Debug, PartialEq)]
struct ListView {
    walk: Arc<Walk>,
    /// Whether each door is done, in walking order.
    done: Vec<bool>,
    /// Its conversations with someone who talked.
    held: usize,
    /// Its knocks on this phone only, not yet sent.
    waiting: usize,
}

/// One door in a list's page.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct DoorRow {
    /// Its place in walking order.
    n: usize,
    address: String,
    /// Who lives there, by name.
    who: String,
    done: bool,
}
