//! Volunteers from listening: an organiser picks an issue and an area (or a skill), sees who
//! raised it and offered to help (core's `volunteers::find`), and saves them as a walk list to
//! visit them. Offline like everything else: the list is saved on the phone and sent later.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use organise_core::area::{Area, AreaTree};
use organise_core::id::{IssueId, ListId, RecordId};
use organise_core::model::{Attendance, Conversation, Interest, Issue, ListKind, OneToOne, Person};
use organise_core::record::Entity;
use organise_core::search::PEOPLE;
use organise_core::volunteers::{self, Ask, Found, Held};

use crate::components::area_picker::{AreaPicker, chosen_area, organised_areas};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::t;
use crate::pages::people::{FilterOption, FilterSelect};
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// How many of those found the screen lists; all of them go on a saved list.
const SHOWN: usize = 100;

/// The fields of the save form, by the names core's rules give their problems.
fn on_save_form(field: &str) -> bool {
    ["name", "members"].contains(&field)
}

/// Finding volunteers from what people said, and saving them as a list.
#[component]
pub fn VolunteersPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let areas = organised_areas(session);
    let area = RwSignal::new(String::new());
    let issue = RwSignal::new(String::new());
    let skill = RwSignal::new(String::new());
    let issues = Memo::new(move |_| {
        revision.track();
        let mut issues = sync::read(|replica| replica.all::<Issue>()).unwrap_or_default();
        issues.sort_by_key(|i| i.name.to_lowercase());
        issues
            .into_iter()
            .map(|i| FilterOption {
                value: i.id.to_string(),
                label: i.name,
            })
            .collect::<Vec<_>>()
    });
    let skills = Memo::new(move |_| {
        revision.track();
        sync::read(|replica| replica.label_values(&PEOPLE, "skills"))
            .unwrap_or_default()
            .into_iter()
            .map(|value| FilterOption {
                label: value.clone(),
                value,
            })
            .collect::<Vec<_>>()
    });
    let found = Memo::new(move |_| {
        revision.track();
        let chosen = area.get();
        let within = areas.with(|areas| chosen_area(areas, &chosen))?;
        let ask_issue = issue.with(|i| i.parse::<RecordId>().ok().map(IssueId));
        let ask_skill = skill.with(|s| (!s.is_empty()).then(|| s.clone()));
        if ask_issue.is_none() && ask_skill.is_none() {
            return None;
        }
        sync::read(|replica| {
            let tree = AreaTree::new(&replica.all::<Area>());
            let ask = Ask {
                issue: ask_issue,
                skill: ask_skill,
                areas: Some(tree.within(within).into_iter().collect()),
            };
            let (people, conversations, one_to_ones, attendances, issues) = (
                replica.all::<Person>(),
                replica.all::<Conversation>(),
                replica.all::<OneToOne>(),
                replica.all::<Attendance>(),
                replica.all::<Issue>(),
            );
            volunteers::find(
                &ask,
                &Held {
                    people: &people,
                    conversations: &conversations,
                    one_to_ones: &one_to_ones,
                    attendances: &attendances,
                    issues: &issues,
                },
            )
        })
    });
    view! {
        <h1>{t::volunteers_title()}</h1>
        <Show when=move || session.is_organiser() fallback=|| view! {
            <p>{t::volunteers_for_organisers()}</p>
        }>
            <p class="muted">{t::volunteers_intro()}</p>
            <div class="form">
                <label for="volunteers-area">{t::volunteers_area()}</label>
                <AreaPicker id="volunteers-area" areas=areas chosen=area described_by="volunteers-area-note"
                    invalid=Signal::derive(|| false) />
                <p id="volunteers-area-note" class="muted">{t::volunteers_area_note()}</p>
                <FilterSelect id="volunteers-issue" label=t::volunteers_issue().to_owned()
                    any=t::volunteers_any_issue().to_owned() options=issues
                    chosen=Signal::derive(move || issue.get()) chose=move |v| issue.set(v) />
                <FilterSelect id="volunteers-skill" label=t::volunteers_skill().to_owned()
                    any=t::volunteers_any_skill().to_owned() options=skills
                    chosen=Signal::derive(move || skill.get()) chose=move |v| skill.set(v) />
            </div>
            {move || match found.get() {
                None => view! { <p class="muted" role="status">{t::volunteers_choose()}</p> }.into_any(),
                Some(found) => view! { <Results found=found /> }.into_any(),
            }}
        </Show>
    }
}

/// Those found, and the form that saves them as a list.
#[component]
fn Results(found: Vec<Found>) -> impl IntoView {
    let session = require_session();
    let total = found.len();
    let more = total.saturating_sub(SHOWN);
    let rows = found
        .iter()
        .take(SHOWN)
        .map(|f| {
            let (href, name, why) = (
                format!("/people/{}", f.person),
                f.name.clone(),
                why_words(f),
            );
            view! {
                <li class="list__item">
                    <A href=href attr:class="list__link">
                        <span class="list__title">{name}</span>
                        <span class="list__detail">{why}</span>
                    </A>
                </li>
            }
        })
        .collect_view();
    let name = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(user), Some(area)) = (
            session.user_id_untracked(),
            session.organised_areas().first().copied(),
        ) else {
            return;
        };
        problems.clear();
        error.set(None);
        // The list is filed in the area of those found when they share one, else the
        // organiser's own.
        let area = common_area(&found).unwrap_or(area);
        let list = match volunteers::to_list(
            &found,
            &name.get_untracked(),
            // A walk list: the doors of those found, worked like any other. Calling them
            // from a list comes with phone banking.
            ListKind::Walk,
            area,
            ListId(sync::mint_id()),
            user,
        ) {
            Ok(list) => list,
            Err(found) => {
                let rest = problems.show(&found, on_save_form);
                error.set(Some(check_fields(rest)));
                return;
            }
        };
        let record = list.to_record();
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync::write(|replica| replica.create(&record)).await {
                Ok(_) => navigate(&format!("/lists/{}", list.id), Default::default()),
                Err(e) => error.set(problems.show_unsaved(&e, on_save_form)),
            }
        });
    };
    view! {
        <p class="muted" role="status">{t::volunteers_found(total)}</p>
        <ul class="list" aria-label=t::volunteers_list()>{rows}</ul>
        {(more > 0).then(|| view! { <p class="muted">{t::volunteers_more(more)}</p> })}
        <h2 id="volunteers-save">{t::volunteers_save_heading()}</h2>
        <form class="form" aria-labelledby="volunteers-save" on:submit=save novalidate>
            <label for="volunteers-name">{t::volunteers_name()}</label>
            <input id="volunteers-name" name="name" autocomplete="off" required bind:value=name
                aria-describedby="volunteers-name-problem" aria-invalid=problems.invalid("name") />
            <p id="volunteers-name-problem" class="form__error">{problems.message("name")}</p>
            <p class="muted">{t::volunteers_walk_note()}</p>
            <p class="form__error" id="volunteers-members-problem">{problems.message("members")}</p>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button">{t::volunteers_save()}</button>
        </form>
    }
}

/// Why someone was found, in words: raised the issue, offered to volunteer or host.
fn why_words(found: &Found) -> String {
    let mut parts: Vec<&str> = Vec::new();
    if found.raised {
        parts.push(t::volunteers_raised());
    }
    if found.offered.contains(&Interest::Volunteer) {
        parts.push(t::volunteers_offered_volunteer());
    }
    if found.offered.contains(&Interest::HostHouseMeeting) {
        parts.push(t::volunteers_offered_host());
    }
    parts.join(", ")
}

/// The one area every person found is filed in, if they share one.
fn common_area(found: &[Found]) -> Option<organise_core::id::AreaId> {
    sync::read(|replica| {
        let mut areas = found
            .iter()
            .filter_map(|f| replica.one::<Person>(f.person.0).map(|p| p.area));
        let first = areas.next()?;
        areas.all(|a| a == first).then_some(first)
    })
    .flatten()
}
