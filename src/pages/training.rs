//! Training as organisers record and read it: who in an area is trained in a module (the
//! *Training* screen), a training recorded by hand on a person's page, and everyone who came
//! to a training meeting recorded as trained from the meeting's page. The rules are core's
//! (`training`); trainings are saved on the phone and sent later like everything else.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use organise_core::area::{Area, AreaTree};
use organise_core::calendar::{Day, london_day};
use organise_core::id::{MeetingId, PersonId, TrainingId};
use organise_core::model::{Meeting, MeetingKind, Person, Training};
use organise_core::record::Entity;
use organise_core::sync::Replica;
use organise_core::training::{self, Trained};
use std::collections::BTreeMap;

use crate::change::{Step, make_all};
use crate::components::area_picker::{AreaPicker, chosen_area, organised_areas};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::t;
use crate::pages::meetings::attendances;
use crate::pages::now;
use crate::pages::people::{FilterOption, FilterSelect};
use crate::pages::week::day_words;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// Today in London, the day a training is recorded against.
fn today() -> Day {
    london_day(now())
}

/// Every training on this device: few beside people, so read whole.
fn all_trainings(replica: &Replica) -> Vec<Training> {
    replica.all::<Training>()
}

/// The modules anyone here was trained in, for a picker or a field's suggestions.
fn known_modules() -> Memo<Vec<String>> {
    let SyncContext { revision, .. } = expect_context();
    Memo::new(move |_| {
        revision.track();
        sync::read(|replica| training::modules(&all_trainings(replica))).unwrap_or_default()
    })
}

/// A module's field, `id`, its problem beside it, suggesting the modules already recorded so
/// that one module is not kept under two spellings.
#[component]
fn ModuleField(
    id: &'static str,
    module: RwSignal<String>,
    problems: FieldProblems,
) -> impl IntoView {
    let modules = known_modules();
    let (suggestions, problem) = (format!("{id}-suggestions"), format!("{id}-problem"));
    view! {
        <label for=id>{t::training_module()}</label>
        <input id=id list=suggestions.clone() autocomplete="off" bind:value=module
            aria-describedby=problem.clone() aria-invalid=problems.invalid("module") />
        <datalist id=suggestions>
            <For each=move || modules.get() key=|m| m.clone() let(module)>
                <option value=module></option>
            </For>
        </datalist>
        <p id=problem class="form__error">{problems.message("module")}</p>
    }
}

/// *Training*: who in an area is trained in a module, each with the day of their latest
/// training and the meeting it was at.
#[component]
pub fn TrainingPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let areas = organised_areas(session);
    let area = RwSignal::new(String::new());
    let module = RwSignal::new(String::new());
    let modules = known_modules();
    let options = Signal::derive(move || {
        modules
            .get()
            .into_iter()
            .map(|m| FilterOption {
                label: m.clone(),
                value: m,
            })
            .collect::<Vec<_>>()
    });
    let found = Memo::new(move |_| {
        revision.track();
        let within = areas.with(|areas| chosen_area(areas, &area.get()))?;
        let module = module.get();
        if module.is_empty() {
            return None;
        }
        sync::read(|replica| {
            let trainings = all_trainings(replica);
            // Only the people trained are read, not everyone on the device.
            let people: Vec<Person> = trainings
                .iter()
                .filter(|t| t.module == module)
                .filter_map(|t| replica.one::<Person>(t.person.0))
                .collect();
            let tree = AreaTree::new(&replica.all::<Area>());
            training::trained_in(&module, within, &tree, &trainings, &people)
                .into_iter()
                .map(|trained| {
                    let meeting = trained
                        .meeting
                        .and_then(|m| replica.one::<Meeting>(m.0))
                        .map(|m| (m.id, m.title));
                    (trained, meeting)
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <h1>{t::training_title()}</h1>
        <Show when=move || session.is_organiser() fallback=|| view! {
            <p>{t::training_for_organisers()}</p>
        }>
            <p class="muted">{t::training_intro()}</p>
            <div class="form">
                <label for="training-area">{t::training_area()}</label>
                <AreaPicker id="training-area" areas=areas chosen=area described_by="training-area-note"
                    invalid=Signal::derive(|| false) />
                <p id="training-area-note" class="muted">{t::training_area_note()}</p>
                <FilterSelect id="training-module" label=t::training_module().to_owned()
                    any=t::training_choose_module().to_owned() options=options
                    chosen=Signal::derive(move || module.get()) chose=move |m| module.set(m) />
            </div>
            {move || match found.get() {
                None if modules.with(Vec::is_empty) => {
                    view! { <p class="muted" role="status">{t::training_none_yet()}</p> }.into_any()
                }
                None => view! { <p class="muted" role="status">{t::training_choose()}</p> }.into_any(),
                Some(found) => view! { <TrainedList found=found module=module.get_untracked() /> }.into_any(),
            }}
        </Show>
    }
}

/// Those trained in `module`, each with their latest training.
#[component]
fn TrainedList(
    found: Vec<(Trained, Option<(MeetingId, String)>)>,
    module: String,
) -> impl IntoView {
    let count = found.len();
    let rows = found
        .into_iter()
        .map(|(trained, meeting)| {
            let when = t::training_on(&day_words(trained.on));
            view! {
                <li class="list__item">
                    <A href=format!("/people/{}", trained.person) attr:class="list__link">
                        <span class="list__title">{trained.name}</span>
                        <span class="list__detail">{when}</span>
                    </A>
                    {meeting.map(|(id, title)| view! {
                        <A href=format!("/meetings/{id}") attr:class="list__link">
                            <span class="list__detail">{t::training_at(&title)}</span>
                        </A>
                    })}
                </li>
            }
        })
        .collect_view();
    view! {
        <p role="status">{t::training_found(count, &module)}</p>
        <ul class="list" aria-label=t::training_list()>{rows}</ul>
    }
}

/// The fields of a training recorded by hand, by the names core gives their problems.
fn on_by_hand_form(field: &str) -> bool {
    ["module", "on"].contains(&field)
}

/// *Record a training* on a person's page: a module and the day, by hand.
#[component]
pub fn RecordTraining(person: PersonId) -> impl IntoView {
    let session = require_session();
    let module = RwSignal::new(String::new());
    let on = RwSignal::new(today().to_string());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(by), Some(who)) = (
            session.user_id_untracked(),
            sync::read(|replica| replica.one::<Person>(person.0)).flatten(),
        ) else {
            return;
        };
        problems.clear();
        error.set(None);
        said.set(None);
        let Some(day) = Day::parse(on.get_untracked().trim()) else {
            problems.say("on", t::training_enter_day());
            return;
        };
        let recorded = training::by_hand(
            &who,
            &module.get_untracked(),
            day,
            today(),
            by,
            TrainingId(sync::mint_id()),
        );
        let recorded = match recorded {
            Ok(recorded) => recorded,
            Err(found) => {
                let rest = problems.show(&found, on_by_hand_form);
                error.set(Some(check_fields(rest)));
                return;
            }
        };
        let record = recorded.to_record();
        spawn_local(async move {
            match sync::write(|replica| replica.create(&record)).await {
                Ok(_) => {
                    module.set(String::new());
                    said.set(Some(t::training_recorded(
                        &recorded.module,
                        &day_words(recorded.on),
                    )));
                }
                Err(e) => error.set(problems.show_unsaved(&e, on_by_hand_form)),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="record-training-heading">
            <h2 id="record-training-heading">{t::training_record()}</h2>
            <form class="form" on:submit=save novalidate>
                <ModuleField id="record-training-module" module problems />
                <label for="record-training-on">{t::training_day()}</label>
                <input id="record-training-on" type="date" bind:value=on max=move || today().to_string()
                    aria-describedby="record-training-on-problem" aria-invalid=problems.invalid("on") />
                <p id="record-training-on-problem" class="form__error">{problems.message("on")}</p>
                <p class="form__error" role="alert">{move || error.get()}</p>
                <p role="status">{move || said.get()}</p>
                <button type="submit" class="button">{t::training_save()}</button>
            </form>
        </section>
    }
}

/// What a training meeting has given so far: each module with how many were recorded in it.
fn given_at(replica: &Replica, meeting: MeetingId) -> Vec<(String, usize)> {
    let mut given: BTreeMap<String, usize> = BTreeMap::new();
    for training in all_trainings(replica) {
        if training.meeting == Some(meeting) {
            *given.entry(training.module).or_default() += 1;
        }
    }
    given.into_iter().collect()
}

/// On a training meeting's page: everyone who came recorded as trained in a module, once
/// however often it is pressed, and what the meeting has given so far.
#[component]
pub fn RecordFromMeeting(meeting: MeetingId) -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let given = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| given_at(replica, meeting)).unwrap_or_default()
    });
    let module = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        problems.clear();
        error.set(None);
        said.set(None);
        let typed = module.get_untracked();
        let made = sync::read(|replica| {
            let held = replica.one::<Meeting>(meeting.0)?;
            let came = attendances(replica, meeting);
            let people: Vec<Person> = came
                .iter()
                .filter_map(|a| replica.one::<Person>(a.person?.0))
                .collect();
            Some(training::from_meeting(
                &held,
                &came,
                &people,
                &all_trainings(replica),
                &typed,
                by,
                sync::mint_id,
            ))
        })
        .flatten();
        let trainings = match made {
            None => return,
            Some(Ok(trainings)) => trainings,
            Some(Err(found)) => {
                let rest = problems.show(&found, |f| f == "module");
                error.set(Some(check_fields(rest)));
                return;
            }
        };
        if trainings.is_empty() {
            said.set(Some(t::training_no_one_new().to_owned()));
            return;
        }
        let steps: Vec<Step> = trainings
            .iter()
            .map(|t| Step::Created(t.to_record()))
            .collect();
        spawn_local(async move {
            match make_all(&steps).await {
                Ok(()) => said.set(Some(t::training_recorded_everyone(steps.len()))),
                Err(e) => error.set(problems.show_unsaved(&e, |f| f == "module")),
            }
        });
    };
    view! {
        <section class="panel" aria-labelledby="meeting-training-heading">
            <h2 id="meeting-training-heading">{t::training_from_meeting()}</h2>
            <ul class="list">
                <For each=move || given.get() key=|g| g.clone() let((module, count))>
                    <li class="list__item">{t::training_given(count, &module)}</li>
                </For>
            </ul>
            <form class="form" on:submit=save novalidate>
                <ModuleField id="meeting-training-module" module problems />
                <p class="form__error" role="alert">{move || error.get()}</p>
                <p role="status">{move || said.get()}</p>
                <button type="submit" class="button">{t::training_record_everyone()}</button>
            </form>
        </section>
    }
}

/// Whether a meeting's page offers to record its trainings: a training that has begun, to
/// an organiser of its area.
pub fn records_trainings(meeting: &Meeting, may_approve: bool) -> bool {
    may_approve && meeting.kind == MeetingKind::Training && meeting.starts <= now()
}
