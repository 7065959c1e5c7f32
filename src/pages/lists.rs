//! Walk lists: the lists a volunteer was given (an organiser sees every list in their areas),
//! building a new one from the people in a ward or a street, and one list's doors in walking
//! order with its progress and a bulk "not home".

use organise_core::order;
use std::collections::BTreeSet;
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use organise_core::canvass::{self, NewListDraft, Walk};
use organise_core::change;
use organise_core::id::{ListId, RecordId, Timestamp, UserId};
use organise_core::model::{List, ListKind, Outcome, Person};
use organise_core::record::{Collection, Entity};
use organise_core::validate::{FieldProblem, Problem};
use organise_core::walk::{Door, Reach};
use web_sys::js_sys::Date;

use crate::change::Step;
use crate::components::area_picker::{AreaPicker, chosen_area, organised_areas};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::components::later::screen_loaded_later;
use crate::i18n::t;
use crate::pages::door::toggle;
use crate::pages::list_setup::ListSetup;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

screen_loaded_later!(ListSetupLater, list_setup_tools, ListSetup, list: ListId);

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
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    // Read once per change of data, for both the list and the empty-state message.
    let lists = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| {
            let mut lists: Vec<ListRow> = replica
                .all::<List>()
                .into_iter()
                .filter(|l| l.kind == ListKind::Walk)
                .filter_map(|list| {
                    let walk = sync::walk(replica, list.id)?;
                    let done = walk.progress(replica).done(&walk);
                    Some(ListRow {
                        id: list.id,
                        name: list.name,
                        done,
                        total: walk.doors.len(),
                    })
                })
                .collect();
            order::sort_by(&mut lists, |a, b| a.name.cmp(&b.name));
            lists
        })
        .unwrap_or_default()
    });
    let lists = move || lists.get();
    view! {
        <h1>{t::lists()}</h1>
        <Show when=move || session.is_organiser()>
            <A href="/lists/new" attr:class="button">{t::lists_new()}</A>
        </Show>
        <Show when=move || lists().is_empty()>
            <p class="muted">{t::lists_none()}</p>
        </Show>
        <ul class="list" aria-label=t::lists()>
            <For each=lists key=|l| l.clone() let(ListRow { id, name, done, total })>
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

/// One walk list on the lists screen.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct ListRow {
    id: ListId,
    name: String,
    /// Its doors done.
    done: usize,
    /// Its doors.
    total: usize,
}

/// A volunteer a new list can be given to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct VolunteerChoice {
    id: UserId,
    name: String,
}

/// The fields of the new list's form that can show a problem beside them (`members` beside
/// what narrows whom it holds).
const NEW_LIST_FIELDS: [&str; 4] = ["name", "area", "members", "assignees"];

fn on_new_list_form(field: &str) -> bool {
    NEW_LIST_FIELDS.contains(&field)
}

/// Whom the "Who to knock" option with `value` knocks.
fn reach_of(value: &str) -> Reach {
    match value {
        "not-talked-to" => Reach::NotTalkedTo,
        "not-home" => Reach::NotHomeLastTime,
        _ => Reach::Everyone,
    }
}

/// Shows `found` beside each field (no area and nobody to knock in this screen's words,
/// anything else as the catalogue words a refused value), and says what the form says by
/// its *Save* button.
fn show(problems: FieldProblems, error: RwSignal<Option<String>>, found: &[FieldProblem]) {
    let rest = problems.show(found, on_new_list_form);
    for problem in found {
        let sentence = match (problem.field.as_str(), &problem.problem) {
            ("area", Problem::Missing) => t::new_list_choose_area(),
            ("members", Problem::Empty) => t::new_list_nobody(),
            _ => continue,
        };
        problems.say(problem.field.as_str(), sentence);
    }
    error.set(Some(check_fields(rest)));
}

/// What a new list would hold, in the words its page will use once it is made: doors, then
/// the people behind them, then those left out.
fn holds(matching: &canvass::Matching) -> String {
    let holds = t::new_list_holds(
        &t::count_doors(matching.doors),
        &t::count_people(matching.chosen.len()),
    );
    match matching.left_out {
        0 => holds,
        n => format!("{holds} {}", t::new_list_left_out(&t::count_people(n))),
    }
}

/// Building a walk list from the people in an area, narrowed to a street, to those not yet
/// talked to or not home last time, or to a tag, and giving it to volunteers. Whom it holds,
/// and what makes it refused, is core's [`NewListDraft`].
#[component]
pub fn NewList() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let areas = organised_areas(session);
    let name = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let street = RwSignal::new(String::new());
    let reach = RwSignal::new(String::new());
    let tag = RwSignal::new(String::new());
    let chosen = RwSignal::new(BTreeSet::<UserId>::new());
    let error = RwSignal::new(None::<String>);
    // Problems the last save found, by field, shown beside each field.
    let problems = FieldProblems::new();
    // The picker shows the user's own area until another is chosen.
    let area_id = move || {
        let wanted = area.get();
        areas.with(|areas| chosen_area(areas, &wanted))
    };
    // What narrows the list; its name and volunteers change nothing it matches.
    let narrowed = move || NewListDraft {
        area: area_id(),
        street: street.get(),
        reach: reach_of(&reach.get()),
        tag: tag.get(),
        ..NewListDraft::default()
    };
    let matching = Memo::new(move |_| {
        revision.track();
        let draft = narrowed();
        sync::read(|replica| draft.matching(replica)).unwrap_or_default()
    });
    let volunteers = move || {
        revision.track();
        area_id()
            .and_then(|area| sync::read(|replica| canvass::working_near(replica, area)))
            .unwrap_or_default()
            .into_iter()
            .map(|(id, name)| VolunteerChoice { id, name })
            .collect::<Vec<_>>()
    };
    let navigate = use_navigate();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(user) = session.user_id_untracked() else {
            return;
        };
        problems.clear();
        error.set(None);
        let draft = NewListDraft {
            name: name.get_untracked(),
            assignees: chosen.get_untracked(),
            ..untrack(narrowed)
        };
        let list = match draft.list(&matching.get_untracked(), ListId(sync::mint_id()), user) {
            Ok(list) => list,
            Err(found) => return show(problems, error, &found),
        };
        let record = list.to_record();
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync::write(|replica| replica.create(&record)).await {
                Ok(_) => navigate(&format!("/lists/{}", record.id), Default::default()),
                Err(e) => error.set(problems.show_unsaved(&e, on_new_list_form)),
            }
        });
    };
    // Whom it holds is narrowed by these controls together: a problem with it is beside them.
    let members_invalid = problems.invalid("members");
    view! {
        <h1>{t::new_list()}</h1>
        <form class="form" on:submit=save novalidate>
            <label for="list-name">{t::new_list_name()}</label>
            <input id="list-name" name="name" required bind:value=name placeholder=t::new_list_name_example()
                aria-describedby="list-name-problem" aria-invalid=problems.invalid("name") />
            <p id="list-name-problem" class="form__error">{problems.message("name")}</p>
            <label for="list-area">{t::new_list_area()}</label>
            <AreaPicker id="list-area" areas=areas chosen=area described_by="list-area-problem"
                invalid=problems.is_wrong("area") />
            <p id="list-area-problem" class="form__error">{problems.message("area")}</p>
            <label for="list-street">{t::new_list_street()}</label>
            <select id="list-street" bind:value=street
                aria-describedby="list-holds list-members-problem" aria-invalid=members_invalid.clone()>
                <option value="">{t::new_list_every_street()}</option>
                <For each=move || matching.with(|m| m.streets.clone()) key=|s| s.clone() let(name)>
                    <option value=name.clone()>{name.clone()}</option>
                </For>
            </select>
            <label for="list-reach">{t::new_list_who()}</label>
            <select id="list-reach" bind:value=reach
                aria-describedby="list-holds list-members-problem" aria-invalid=members_invalid.clone()>
                <option value="">{t::new_list_everyone()}</option>
                <option value="not-talked-to">{t::new_list_not_talked_to()}</option>
                <option value="not-home">{t::new_list_not_home()}</option>
            </select>
            <Show when=move || matching.with(|m| !m.tags.is_empty())>
                <label for="list-tag">{t::new_list_tag()}</label>
                <select id="list-tag" bind:value=tag
                    aria-describedby="list-holds list-members-problem" aria-invalid=members_invalid.clone()>
                    <option value="">{t::new_list_any_tag()}</option>
                    <For each=move || matching.with(|m| m.tags.clone()) key=|t| t.clone() let(name)>
                        <option value=name.clone()>{name.clone()}</option>
                    </For>
                </select>
            </Show>
            <p id="list-holds" role="status">{move || matching.with(holds)}</p>
            <p id="list-members-problem" class="form__error">{problems.message("members")}</p>
            <fieldset class="choices" aria-describedby="list-assignees-problem"
                aria-invalid=problems.invalid("assignees")>
                <legend>{t::new_list_give_to()}</legend>
                <For each=volunteers key=|v| v.id let(VolunteerChoice { id, name })>
                    <label class="choice">
                        <input type="checkbox"
                            prop:checked=move || chosen.with(|c| c.contains(&id))
                            on:change=move |_| toggle(chosen, id) />
                        {name}
                    </label>
                </For>
            </fieldset>
            <p id="list-assignees-problem" class="form__error">{problems.message("assignees")}</p>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button">{t::new_list_save()}</button>
        </form>
    }
}

/// One list: progress, its doors in walking order, and marking several doors not home.
#[component]
pub fn ListPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
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
                // Doors, not records: a door of three marked not home is one door.
                waiting: walk
                    .doors
                    .iter()
                    .filter(|door| {
                        progress
                            .conversations
                            .iter()
                            .any(|c| unsent.contains(&c.id.0) && door.people.contains(&c.person))
                    })
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
        let Some(user) = session.user_id_untracked() else {
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
                n => t::list_waiting(&t::count_doors(n), n),
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
            // Only organisers set lists up: a volunteer's phone never loads this code.
            {move || {
                list_id()
                    .filter(|_| session.is_organiser())
                    .map(|list| view! { <ListSetupLater list=list /> })
            }}
            <p role="status">{move || message.get()}</p>
            <ol class="list doors" aria-label=t::list_doors()>
                <For each=move || rows.get() key=|r| r.clone() let(DoorRow { n, address, who, done })>
                    {
                    let address_label = address.clone();
                    view! {
                    <li class="list__item door-row" class:door-row--done=done>
                        <Show when=move || selecting.get() && !done>
                            // The label around the box makes the target thumb-sized.
                            <label class="door-row__pick">
                                <input type="checkbox"
                                    aria-label=t::list_select(&address)
                                    prop:checked=move || selected.with(|s| s.contains(&n))
                                    on:change=move |_| toggle(selected, n) />
                            </label>
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
    /// Its doors knocked on this phone only, not yet sent.
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
