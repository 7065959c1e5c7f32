//! The ladder of engagement: an area's ladder as a chart with who moved lately (`/ladder`),
//! the organisation's rungs for its admins to set, and a person's rung with its history and
//! the one action that moves them (on their page, and beside a meeting's attendee). Core's
//! `ladder` decides every rung and count; nothing is worked out here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use organise_core::area::{Area, AreaTree};
use organise_core::id::{LadderMoveId, MeetingId, OneToOneId, PersonId, RungId, UserId};
use organise_core::ladder::{self, Chart, Entry};
use organise_core::model::{LadderMove, MAX_RUNG_POSITION, Person, Role, Rung, User};
use organise_core::record::{Collection, Entity, Value};
use organise_core::sync::wire::RecordKey;

use crate::components::area_picker::{AreaPicker, chosen_area, organised_areas};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::{self, t};
use crate::pages::now;
use crate::session::{Session, require_session};
use crate::sync::{self, SyncContext, WriteError};

/// The rungs on this device, in ladder order.
pub(crate) fn rungs_in_order() -> Vec<Rung> {
    let rungs = sync::read(|replica| replica.all::<Rung>()).unwrap_or_default();
    ladder::in_order(&rungs).into_iter().cloned().collect()
}

/// A rung's name, or words for one this device does not hold.
fn rung_name(rungs: &[Rung], rung: RungId) -> String {
    rungs
        .iter()
        .find(|r| r.id == rung)
        .map(|r| r.name.clone())
        .unwrap_or_else(|| t::ladder_unknown_rung().to_owned())
}

/// A user's name, or words for someone this device does not know.
fn user_name(user: UserId) -> String {
    sync::read(|replica| replica.one::<User>(user.0))
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| t::ladder_someone().to_owned())
}

/// A person's name, or words for someone not on this device.
fn person_name(person: PersonId) -> String {
    sync::read(|replica| replica.one::<Person>(person.0))
        .flatten()
        .map(|p| p.name)
        .unwrap_or_else(|| t::ladder_someone().to_owned())
}

/// Whether the signed-in user administers the whole organisation (the root area), who alone
/// sets the ladder's rungs.
fn sets_the_ladder(session: Session) -> bool {
    let admin_of = session.areas_where(Role::Admin);
    sync::read(|replica| {
        let areas = replica.all::<Area>();
        let tree = AreaTree::new(&areas);
        admin_of.iter().any(|&a| tree.is_root(a))
    })
    .unwrap_or(false)
}

/// Moves `person` to `rung`, saved on this device at once: a new move in the person's area,
/// with why and what it came from.
pub async fn move_person(
    person: PersonId,
    rung: RungId,
    why: Option<String>,
    one_to_one: Option<OneToOneId>,
    meeting: Option<MeetingId>,
    by: UserId,
) -> Result<(), WriteError> {
    sync::write(|replica| {
        let area = replica
            .one::<Person>(person.0)
            .map(|p| p.area)
            .ok_or_else(|| {
                organise_core::sync::LocalRefusal::Invalid(vec![organise_core::FieldProblem::new(
                    "person",
                    organise_core::Problem::Missing,
                )])
            })?;
        let step = LadderMove {
            id: LadderMoveId(sync::mint_id()),
            area,
            created_by: by,
            person,
            rung,
            at: now(),
            why,
            one_to_one,
            meeting,
        };
        replica.create(&step.to_record()).map(|_| ())
    })
    .await
}

/// The ladder of an area: people per rung, highest first, and who moved in the last thirty
/// days; the rungs themselves for whoever sets them.
#[component]
pub fn LadderPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let areas = organised_areas(session);
    let area = RwSignal::new(String::new());
    let chart = Memo::new(move |_| {
        revision.track();
        let chosen = area.get();
        let within = areas.with(|areas| chosen_area(areas, &chosen))?;
        sync::read(|replica| {
            let tree = AreaTree::new(&replica.all::<Area>());
            let mut people = Vec::new();
            replica.each_placed(Collection::Person, |id, area| {
                if tree.is_within(area, within) {
                    people.push(PersonId(id));
                }
            });
            let rungs = replica.all::<Rung>();
            let moves = replica.all::<LadderMove>();
            ladder::chart(&rungs, &moves, people, now())
        })
    });
    let rungs = Memo::new(move |_| {
        revision.track();
        rungs_in_order()
    });
    let sets = Memo::new(move |_| {
        revision.track();
        sets_the_ladder(session)
    });
    view! {
        <h1>{t::ladder_title()}</h1>
        <Show when=move || session.is_organiser() fallback=|| view! {
            <p>{t::ladder_for_organisers()}</p>
        }>
            <div class="form">
                <label for="ladder-area">{t::ladder_area()}</label>
                <AreaPicker id="ladder-area" areas=areas chosen=area described_by="ladder-area-note"
                    invalid=Signal::derive(|| false) />
                <p id="ladder-area-note" class="muted">{t::ladder_area_note()}</p>
            </div>
            {move || chart.get().map(|chart| view! {
                <LadderChart chart=chart.clone() />
                <RecentMoves chart=chart rungs=rungs.get() />
            })}
        </Show>
        <Show when=move || sets.get()>
            <Rungs rungs=rungs />
        </Show>
    }
}

/// People on each rung, highest first, as bars with their counts in words beside them.
#[component]
fn LadderChart(chart: Chart) -> impl IntoView {
    let most = chart
        .steps
        .iter()
        .map(|s| s.people)
        .max()
        .unwrap_or(0)
        .max(1);
    let on = chart.on_ladder();
    let off = chart.not_on_ladder;
    let steps = chart
        .steps
        .into_iter()
        .rev()
        .map(|step| {
            let width = 100.0 * step.people as f64 / most as f64;
            let name = if step.retired {
                t::ladder_retired_rung(&step.name)
            } else {
                step.name.clone()
            };
            view! {
                <li class="ladder__rung">
                    <span class="ladder__name">{name}</span>
                    <span class="ladder__count" data-rung=step.name.clone() data-count=step.people>
                        {t::ladder_people(step.people)}
                    </span>
                    <svg class="ladder__bar" viewBox="0 0 100 10" preserveAspectRatio="none"
                        aria-hidden="true">
                        <rect width=width height="10" />
                    </svg>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="ladder-chart-heading">
            <h2 id="ladder-chart-heading">{t::ladder_chart()}</h2>
            <p data-on-ladder=on>{t::ladder_on(on)}</p>
            <ol class="ladder" aria-label=t::ladder_chart()>{steps}</ol>
            <p class="muted" data-not-on-ladder=off>{t::ladder_not_on(off)}</p>
        </section>
    }
}

/// The moves of the last thirty days, newest first.
#[component]
fn RecentMoves(chart: Chart, rungs: Vec<Rung>) -> impl IntoView {
    let empty = chart.recent.is_empty();
    let moves = chart
        .recent
        .into_iter()
        .map(|m| {
            let to = rung_name(&rungs, m.to);
            let what = match (m.from, m.up) {
                (None, _) => t::ladder_onto(&to),
                (Some(from), true) => t::ladder_up(&rung_name(&rungs, from), &to),
                (Some(from), false) => t::ladder_down(&rung_name(&rungs, from), &to),
            };
            view! {
                <li class="list__item">
                    <A href=format!("/people/{}", m.person.0) attr:class="list__link">
                        <span class="list__title">{person_name(m.person)}</span>
                        <span class="list__detail">{what}</span>
                        <span class="list__detail">
                            {t::ladder_when_by(&i18n::date(m.at), &user_name(m.by))}
                        </span>
                    </A>
                </li>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="ladder-recent-heading">
            <h2 id="ladder-recent-heading">{t::ladder_recent()}</h2>
            <Show when=move || empty>
                <p class="muted">{t::ladder_no_recent()}</p>
            </Show>
            <ul class="list">{moves}</ul>
        </section>
    }
}

/// The organisation's rungs, for its admins: renamed, reordered, retired or restored, and
/// new ones added at the top. None is ever deleted: moves name them.
#[component]
fn Rungs(rungs: Memo<Vec<Rung>>) -> impl IntoView {
    let session = require_session();
    let said = RwSignal::new(None::<String>);
    let new_name = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let set = move |rung: RungId, field: &'static str, value: Value| {
        spawn_local(async move {
            let key = RecordKey {
                collection: Collection::Rung,
                id: rung.0,
            };
            let result = sync::write(|replica| replica.set_field(key, field, value)).await;
            said.set(Some(match result {
                Ok(_) => t::ladder_rungs_saved().to_owned(),
                Err(e) => e.to_string(),
            }));
        });
    };
    // Moving a rung one place renumbers the ladder 1, 2, 3… as it is then drawn, so that
    // rungs sharing a place (set on two devices at once) come apart.
    let shift = move |rung: RungId, up: bool| {
        let mut order = rungs.get_untracked();
        let Some(at) = order.iter().position(|r| r.id == rung) else {
            return;
        };
        let to = if up { at + 1 } else { at.wrapping_sub(1) };
        if to >= order.len() {
            return;
        }
        order.swap(at, to);
        spawn_local(async move {
            let result = sync::write(|replica| {
                for (place, rung) in (1..).zip(&order) {
                    if rung.position != place {
                        let key = RecordKey {
                            collection: Collection::Rung,
                            id: rung.id.0,
                        };
                        replica.set_field(key, "position", Value::Int(place))?;
                    }
                }
                Ok(())
            })
            .await;
            said.set(Some(match result {
                Ok(()) => t::ladder_rungs_saved().to_owned(),
                Err(e) => e.to_string(),
            }));
        });
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problems.clear();
        error.set(None);
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        let top = rungs.with_untracked(|r| r.iter().map(|r| r.position).max().unwrap_or(0));
        spawn_local(async move {
            let result = sync::write(|replica| {
                let areas = replica.all::<Area>();
                let tree = AreaTree::new(&areas);
                let root = areas
                    .iter()
                    .find(|a| tree.is_root(a.id))
                    .map(|a| a.id)
                    .ok_or_else(|| {
                        organise_core::sync::LocalRefusal::Invalid(vec![
                            organise_core::FieldProblem::new(
                                "area",
                                organise_core::Problem::Missing,
                            ),
                        ])
                    })?;
                let rung = Rung {
                    id: RungId(sync::mint_id()),
                    area: root,
                    created_by: by,
                    name: new_name.get_untracked(),
                    position: (top + 1).min(MAX_RUNG_POSITION),
                    retired: false,
                };
                replica.create(&rung.to_record())
            })
            .await;
            match result {
                Ok(_) => {
                    new_name.set(String::new());
                    said.set(Some(t::ladder_rung_added().to_owned()));
                }
                Err(e) => error.set(problems.show_unsaved(&e, |f| f == "name")),
            }
        });
    };
    view! {
        <section aria-labelledby="rungs-heading">
            <h2 id="rungs-heading">{t::ladder_rungs()}</h2>
            <p class="muted">{t::ladder_rungs_note()}</p>
            <p role="status">{move || said.get()}</p>
            <ol class="list rungs">
                <For each=move || rungs.get() key=|r| (r.id, r.name.clone(), r.position, r.retired)
                    let(rung)>
                    <RungRow rung=rung set=set shift=shift />
                </For>
            </ol>
            <form class="form" on:submit=add novalidate>
                <label for="rung-new">{t::ladder_rung_new()}</label>
                <input id="rung-new" bind:value=new_name autocomplete="off"
                    aria-describedby="rung-new-problem" aria-invalid=problems.invalid("name") />
                <p id="rung-new-problem" class="form__error">{problems.message("name")}</p>
                <p class="form__error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button">{t::ladder_rung_add()}</button>
            </form>
        </section>
    }
}

/// One rung in the admins' list: its name to edit, a place up or down, retire or restore.
#[component]
fn RungRow(
    rung: Rung,
    set: impl Fn(RungId, &'static str, Value) + Copy + Send + Sync + 'static,
    shift: impl Fn(RungId, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let id = rung.id;
    let name = RwSignal::new(rung.name.clone());
    let field = format!("rung-{}", id.0);
    let problem_id = format!("{field}-problem");
    let problem = RwSignal::new(None::<String>);
    let retired = rung.retired;
    let label = rung.name.clone();
    let shown = rung.name.clone();
    let rename = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let typed = name.get_untracked();
        let checked = Rung {
            name: typed,
            ..rung.clone()
        }
        .normalised();
        match checked {
            Ok(valid) => {
                problem.set(None);
                set(id, "name", Value::Text(valid.name));
            }
            Err(found) => problem.set(Some(check_fields(
                organise_core::validate::sentences(&found).into(),
            ))),
        }
    };
    view! {
        <li class="list__item rung" data-rung=shown data-retired=if retired { "true" } else { "false" }>
            <form class="rung__name" on:submit=rename novalidate>
                <label for=field.clone() class="visually-hidden">{t::ladder_rung_name(&label)}</label>
                <input id=field.clone() bind:value=name autocomplete="off"
                    aria-describedby=problem_id.clone()
                    aria-invalid=move || problem.with(|p| p.is_some().then_some("true")) />
                <button type="submit" class="button button--secondary">{t::ladder_rung_rename()}</button>
                <p id=problem_id class="form__error">{move || problem.get()}</p>
            </form>
            <div class="rung__actions">
                <button type="button" class="button button--secondary"
                    aria-label=t::ladder_rung_higher(&label) on:click=move |_| shift(id, true)>
                    {t::ladder_higher()}
                </button>
                <button type="button" class="button button--secondary"
                    aria-label=t::ladder_rung_lower(&label) on:click=move |_| shift(id, false)>
                    {t::ladder_lower()}
                </button>
                <button type="button" class="button button--secondary"
                    on:click=move |_| set(id, "retired", Value::Bool(!retired))>
                    {if retired { t::ladder_restore(&label) } else { t::ladder_retire(&label) }}
                </button>
            </div>
        </li>
    }
}

/// A person's place on the ladder, on their page: their rung, *Move up* to the next one,
/// a move to any rung with why, and their history. Organisers' only, as moves are.
#[component]
pub fn PersonLadder(person: PersonId) -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let rungs = Memo::new(move |_| {
        revision.track();
        rungs_in_order()
    });
    let moves = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| moves_of(replica, person)).unwrap_or_default()
    });
    let current = move || moves.with(|m| ladder::current(m).get(&person).map(|m| m.rung));
    let next = move || {
        rungs.with(|rungs| {
            let ordered: Vec<&Rung> = rungs.iter().collect();
            ladder::next_up(&ordered, current()).cloned()
        })
    };
    let said = RwSignal::new(None::<String>);
    let chosen = RwSignal::new(String::new());
    let why = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let save = move |rung: RungId, reason: Option<String>| {
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        problems.clear();
        error.set(None);
        said.set(None);
        spawn_local(async move {
            match move_person(person, rung, reason, None, None, by).await {
                Ok(()) => {
                    why.set(String::new());
                    let name = rungs.with_untracked(|r| rung_name(r, rung));
                    said.set(Some(t::ladder_moved(&name)));
                }
                Err(e) => error.set(problems.show_unsaved(&e, |f| f == "why")),
            }
        });
    };
    let move_to = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let picked = chosen.get_untracked();
        let rung = rungs.with_untracked(|r| {
            r.iter()
                .find(|r| r.id.0.to_string() == picked)
                .map(|r| r.id)
        });
        let Some(rung) = rung else {
            problems.say("rung", t::ladder_choose_rung());
            return;
        };
        let typed = why.get_untracked();
        save(rung, (!typed.trim().is_empty()).then_some(typed));
    };
    let open_rungs = move || {
        rungs
            .get()
            .into_iter()
            .filter(|r| !r.retired)
            .collect::<Vec<_>>()
    };
    let history = move || {
        moves.with(|m| {
            rungs.with(|rungs| {
                ladder::history(person, m)
                    .into_iter()
                    .map(|entry| history_words(rungs, &entry))
                    .collect::<Vec<_>>()
            })
        })
    };
    view! {
        <section class="panel person-ladder" aria-labelledby="person-ladder-heading">
            <h2 id="person-ladder-heading">{t::ladder_person()}</h2>
            <p class="person-ladder__rung" data-rung=move || current().map(|r| rungs.with(|rungs| rung_name(rungs, r)))>
                {move || match current() {
                    Some(rung) => t::ladder_on_rung(&rungs.with(|r| rung_name(r, rung))),
                    None => t::ladder_not_yet().to_owned(),
                }}
            </p>
            <p role="status">{move || said.get()}</p>
            {move || next().map(|next| {
                let label = t::ladder_move_up(&next.name);
                view! {
                    <button type="button" class="button" on:click=move |_| save(next.id, None)>
                        {label}
                    </button>
                }
            })}
            <details class="person-ladder__other">
                <summary>{t::ladder_move_other()}</summary>
                <form class="form" on:submit=move_to novalidate>
                    <label for="ladder-rung">{t::ladder_rung()}</label>
                    <select id="ladder-rung" on:change=move |e| chosen.set(event_target_value(&e))
                        aria-describedby="ladder-rung-problem" aria-invalid=problems.invalid("rung")>
                        <option value="">{t::ladder_choose()}</option>
                        <For each=open_rungs key=|r| (r.id, r.name.clone()) let(rung)>
                            <option value=rung.id.0.to_string()>{rung.name}</option>
                        </For>
                    </select>
                    <p id="ladder-rung-problem" class="form__error">{problems.message("rung")}</p>
                    <label for="ladder-why">{t::ladder_why()}</label>
                    <textarea id="ladder-why" bind:value=why rows="2"
                        aria-describedby="ladder-why-problem" aria-invalid=problems.invalid("why")></textarea>
                    <p id="ladder-why-problem" class="form__error">{problems.message("why")}</p>
                    <p class="form__error" role="alert">{move || error.get()}</p>
                    <button type="submit" class="button">{t::ladder_move()}</button>
                </form>
            </details>
            <h3>{t::ladder_history()}</h3>
            <Show when=move || moves.with(|m| m.is_empty())>
                <p class="muted">{t::ladder_no_history()}</p>
            </Show>
            <ol class="ladder-history">
                {move || history().into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}
            </ol>
        </section>
    }
}

/// One move of a person's history in words: where to and from, when and by whom, why, and
/// what it came from.
fn history_words(rungs: &[Rung], entry: &Entry<'_>) -> String {
    let step = entry.step;
    let to = rung_name(rungs, step.rung);
    let mut words = match entry.from {
        None => t::ladder_onto(&to),
        Some(from) => t::ladder_from_to(&rung_name(rungs, from), &to),
    };
    words.push_str(" · ");
    words.push_str(&t::ladder_when_by(
        &i18n::date(step.at),
        &user_name(step.created_by),
    ));
    if let Some(why) = &step.why {
        words.push_str(" · ");
        words.push_str(why);
    }
    if step.one_to_one.is_some() {
        words.push_str(" · ");
        words.push_str(t::ladder_after_one_to_one());
    }
    if step.meeting.is_some() {
        words.push_str(" · ");
        words.push_str(t::ladder_after_meeting());
    }
    words
}

/// `person`'s moves on this device.
fn moves_of(replica: &organise_core::sync::Replica, person: PersonId) -> Vec<LadderMove> {
    organise_core::canvass::typed(replica.holding(Collection::LadderMove, "person", person.0))
}

/// *Move up* beside an attendee of a meeting: one tap to the next rung, noting the meeting.
#[component]
pub fn MoveUpFromMeeting(person: PersonId, meeting: MeetingId, name: String) -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let next = Memo::new(move |_| {
        revision.track();
        let rungs = rungs_in_order();
        let current = sync::read(|replica| {
            ladder::current(&moves_of(replica, person))
                .get(&person)
                .map(|m| m.rung)
        })
        .flatten();
        let ordered: Vec<&Rung> = rungs.iter().collect();
        ladder::next_up(&ordered, current).map(|r| (r.id, r.name.clone()))
    });
    let said = RwSignal::new(None::<String>);
    let up = move |rung: RungId| {
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        spawn_local(async move {
            let result = move_person(person, rung, None, None, Some(meeting), by).await;
            said.set(Some(match result {
                Ok(()) => t::ladder_moved(&rung_name(&rungs_in_order(), rung)),
                Err(e) => e.to_string(),
            }));
        });
    };
    view! {
        {move || next.get().map(|(rung, rung_label)| view! {
            <button type="button" class="button button--secondary"
                aria-label=t::ladder_move_up_named(&rung_label, &name)
                on:click=move |_| up(rung)>
                {t::ladder_move_up(&rung_label)}
            </button>
        })}
        <span role="status" class="muted">{move || said.get()}</span>
    }
}
