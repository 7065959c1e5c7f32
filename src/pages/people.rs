//! People: the list of everyone this user may see, adding someone, and changing their name or
//! phone. Everything here works without signal: it is saved on the phone at once and sent when
//! the connection allows.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use organise_core::area::Outlined;
use organise_core::canvass;
use organise_core::id::RungId;
use organise_core::id::{AreaId, PersonId, RecordId};
use organise_core::model::{Person, Source};
use organise_core::record::{Collection, Entity, Record, Value};
use organise_core::search::people::Filter;
use organise_core::search::{PEOPLE, Query};
use organise_core::sync::wire::RecordKey;

use crate::components::area_picker::{AreaPicker, chosen_area, indented};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::t;
use crate::pages::ladder::{PersonLadder, rungs_in_order};
use crate::pages::person::PersonFileView;
use crate::pages::their_data::{ConsentLinkMaker, TheirData};
use crate::pages::training::RecordTraining;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// One row of the People list.
#[derive(Clone, Debug, PartialEq, Eq)]
struct PersonRow {
    id: RecordId,
    name: String,
    phone: String,
}

/// The first `limit` people on the phone whose name, phone or email matches `typed`, by name,
/// as id and name (none for a blank search): what a form's *find them* field offers.
pub fn found_people(typed: &str, limit: usize) -> Vec<(PersonId, String)> {
    if typed.trim().is_empty() {
        return Vec::new();
    }
    let query = Query::new(typed);
    sync::read(|replica| {
        replica
            .directory(&PEOPLE, &query, 0..limit)
            .records
            .iter()
            .map(|r| (PersonId(r.id), text(r, "name")))
            .collect()
    })
    .unwrap_or_default()
}

/// A field's text, or "" when it holds none.
pub fn text(record: &Record, field: &str) -> String {
    match record.get(field) {
        Value::Text(text) => text.clone(),
        _ => String::new(),
    }
}

/// The areas this user may put people in: those their roles cover, and every area within
/// them, as the tree is drawn (core's rule, as for a new walk list).
fn areas_for(roles: &[AreaId]) -> Vec<Outlined> {
    sync::read(|replica| canvass::areas_on_offer(replica, roles)).unwrap_or_default()
}

/// The fields of the person forms, by the names core's rules give their problems.
const PERSON_FIELDS: [&str; 3] = ["name", "phone", "area"];

fn on_person_form(field: &str) -> bool {
    PERSON_FIELDS.contains(&field)
}

thread_local! {
    /// What the People search last held, so that coming back to the list finds it as left.
    /// On the device only, for this visit: never written anywhere.
    static LAST_SEARCH: std::cell::RefCell<(String, Filter)> = Default::default();
}

/// Forgets what the People search last held (at sign-out: the words may be a name).
pub fn forget_search() {
    LAST_SEARCH.take();
}

/// How many people the list shows at first, and how many more each "Show more" adds.
const PAGE: usize = 50;

/// The list of people, a page at a time and searchable, and a form to add one.
#[component]
pub fn People() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    // Back from a person's page, the list is as it was left: the same words and filters.
    let (typed, filtered_by) = LAST_SEARCH.with_borrow(Clone::clone);
    let search = RwSignal::new(typed);
    let filter = RwSignal::new(filtered_by);
    Effect::new(move |_| {
        let kept = (search.get(), filter.get());
        LAST_SEARCH.set(kept);
    });
    let shown = RwSignal::new(PAGE);
    // Who the filters let through, worked out once per change of filter (or of the data), so
    // a keystroke only swaps the words.
    let filtered = Memo::new(move |_| {
        revision.track();
        filter.with(|filter| sync::read(|replica| filter.query(replica)).unwrap_or_default())
    });
    let listed = Memo::new(move |_| {
        revision.track();
        let query = search.with(|typed| filtered.get().typed(typed));
        let page = sync::read(|replica| replica.directory(&PEOPLE, &query, 0..shown.get()))
            .unwrap_or_default();
        let rows: Vec<PersonRow> = page
            .records
            .iter()
            .map(|r| PersonRow {
                id: r.id,
                name: text(r, "name"),
                phone: text(r, "phone"),
            })
            .collect();
        (page.total, rows)
    });
    let total = move || listed.with(|(total, _)| *total);
    let rows = Memo::new(move |_| listed.with(|(_, rows)| rows.len()));
    // What the row at `place` shows of whoever is found there.
    let at = move |place: usize, part: fn(&PersonRow) -> String| {
        listed.with(|(_, rows)| rows.get(place).map(part).unwrap_or_default())
    };
    let searching =
        move || search.with(|typed| !typed.trim().is_empty()) || filter.with(|f| !f.is_empty());
    let summary = move || {
        let total = total();
        if searching() {
            t::people_found(total)
        } else {
            t::people_on_this_phone(total)
        }
    };
    let left = move || total().saturating_sub(rows.get());
    let roles = move || session.role_areas();
    let areas = Memo::new(move |_| {
        revision.track();
        areas_for(&roles())
    });
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let area = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    // Sent here by an erasure (the person's name stays out of the address).
    let erased = use_query_map().with_untracked(|q| q.get("erased").is_some());
    let saved = RwSignal::new(erased.then(|| t::people_erased().to_owned()));
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some(user) = session.user_id_untracked() else {
            return;
        };
        problems.clear();
        error.set(None);
        saved.set(None);
        let chosen = area.get_untracked();
        let area_id = areas.with_untracked(|areas| chosen_area(areas, &chosen));
        let phone_text = phone.get_untracked();
        let person = Person {
            phone: (!phone_text.trim().is_empty()).then_some(phone_text),
            ..Person::new(
                PersonId(sync::mint_id()),
                area_id.unwrap_or(AreaId(RecordId::from_u128(0))),
                user,
                name.get_untracked(),
                Source::Doorstep,
            )
        };
        // Every problem at once: a missing area says so beside its field, and the name and
        // phone are checked all the same.
        let person = match (person.normalised(), area_id) {
            (Ok(person), Some(_)) => person,
            (checked, _) => {
                let found = checked.err().unwrap_or_default();
                let rest = problems.show(&found, on_person_form);
                if area_id.is_none() {
                    problems.say("area", t::people_no_area());
                }
                if !found.is_empty() {
                    error.set(Some(check_fields(rest)));
                }
                return;
            }
        };
        let record = person.to_record();
        spawn_local(async move {
            match sync::write(|replica| replica.create(&record)).await {
                Ok(_) => {
                    saved.set(Some(t::people_saved(&person.name)));
                    name.set(String::new());
                    phone.set(String::new());
                }
                Err(e) => error.set(problems.show_unsaved(&e, on_person_form)),
            }
        });
    };
    view! {
        <h1>{t::people()}</h1>
        <Show when=move || session.is_organiser()>
            <p><A href="/people/duplicates" attr:class="back">{t::duplicates_link()}</A></p>
        </Show>
        <form class="form search" role="search" on:submit=|event| event.prevent_default()>
            <label for="people-search">{t::people_search()}</label>
            <input id="people-search" type="search" autocomplete="off" enterkeyhint="search"
                prop:value=move || search.get()
                on:input=move |event| {
                    search.set(event_target_value(&event));
                    shown.set(PAGE);
                } />
        </form>
        <PeopleFilters filter=filter areas=areas shown=shown organiser=session.is_organiser() />
        <p class="muted" role="status">{summary}</p>
        <ul class="list" aria-label=t::people_list()>
            // The rows stay as a keystroke changes who is found: each place shows whoever is
            // found there now, so typing changes a few texts and links instead of drawing fifty
            // rows again. A plain link, which the router follows as it follows `A` (whose
            // reading of the current address costs more than the row).
            <For each=move || 0..rows.get() key=|place| *place let(place)>
                <li class="list__item">
                    <a href=move || at(place, |row| format!("/people/{}", row.id)) class="list__link">
                        <span class="list__title">{move || at(place, |row| row.name.clone())}</span>
                        <span class="list__detail">{move || at(place, |row| row.phone.clone())}</span>
                    </a>
                </li>
            </For>
        </ul>
        <Show when=move || { left() > 0 }>
            <button type="button" class="button button--secondary"
                on:click=move |_| shown.update(|n| *n += PAGE)>
                {move || t::show_more_people(left().min(PAGE))}
            </button>
        </Show>
        <Show when=move || { total() == 0 && !searching() }>
            <p class="muted">{t::people_none_yet()}</p>
        </Show>
        <h2 id="add-person">{t::people_add()}</h2>
        <form class="form" aria-labelledby="add-person" on:submit=add novalidate>
            <label for="person-name">{t::people_name()}</label>
            <input id="person-name" name="name" autocomplete="off" required bind:value=name
                aria-describedby="person-name-problem" aria-invalid=problems.invalid("name") />
            <p id="person-name-problem" class="form__error">{problems.message("name")}</p>
            <label for="person-phone">{t::people_phone()}</label>
            <input id="person-phone" name="phone" type="tel" autocomplete="off" bind:value=phone
                aria-describedby="person-phone-problem" aria-invalid=problems.invalid("phone") />
            <p id="person-phone-problem" class="form__error">{problems.message("phone")}</p>
            <label for="person-area">{t::people_area()}</label>
            <AreaPicker id="person-area" areas=areas chosen=area described_by="person-area-problem"
                invalid=problems.is_wrong("area") />
            <p id="person-area-problem" class="form__error">{problems.message("area")}</p>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button">{t::people_save()}</button>
            <p class="form__saved" role="status">{move || saved.get()}</p>
        </form>
    }
}

/// One option of a filter: its value and its words.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct FilterOption {
    pub value: String,
    pub label: String,
}

/// A filter's `<select>`: "any" first, then `options`; choosing one calls `chose` with its
/// value ("" for any).
#[component]
pub fn FilterSelect(
    id: &'static str,
    label: String,
    any: String,
    #[prop(into)] options: Signal<Vec<FilterOption>>,
    #[prop(into)] chosen: Signal<String>,
    chose: impl Fn(String) + 'static,
) -> impl IntoView {
    view! {
        <label for=id>{label}</label>
        <select id=id on:change=move |event| chose(event_target_value(&event))>
            <option value="" prop:selected=move || chosen.with(String::is_empty)>{any}</option>
            <For each=move || options.get() key=|o| o.clone() let(FilterOption { value, label })>
                <option value=value.clone()
                    prop:selected=move || chosen.with(|c| *c == value)>
                    {label}
                </option>
            </For>
        </select>
    }
}

/// The filters beside the People search: a skill, a tag, a rung (for organisers, who read
/// the ladder) and an area, each "any" until chosen, combined with each other and with what
/// is typed.
#[component]
fn PeopleFilters(
    filter: RwSignal<Filter>,
    areas: Memo<Vec<Outlined>>,
    shown: RwSignal<usize>,
    organiser: bool,
) -> impl IntoView {
    let SyncContext { revision, .. } = expect_context();
    let labels = move |field: &'static str| {
        Memo::new(move |_| {
            revision.track();
            sync::read(|replica| replica.label_values(&PEOPLE, field))
                .unwrap_or_default()
                .into_iter()
                .map(|value| FilterOption {
                    value: value.clone(),
                    label: value,
                })
                .collect::<Vec<_>>()
        })
    };
    let skills = labels("skills");
    let tags = labels("tags");
    let rungs = Memo::new(move |_| {
        revision.track();
        rungs_in_order()
            .into_iter()
            .map(|rung| FilterOption {
                value: rung.id.to_string(),
                label: if rung.retired {
                    t::people_filter_retired_rung(&rung.name)
                } else {
                    rung.name
                },
            })
            .collect::<Vec<_>>()
    });
    let area_options = Memo::new(move |_| {
        areas.with(|areas| {
            areas
                .iter()
                .map(|a| FilterOption {
                    value: a.area.id.to_string(),
                    label: indented(a.depth, &a.area.name),
                })
                .collect::<Vec<_>>()
        })
    });
    let set = move |change: fn(&mut Filter, Option<String>), value: String| {
        filter.update(|f| change(f, (!value.is_empty()).then_some(value)));
        shown.set(PAGE);
    };
    let how_many = move || {
        filter.with(|f| {
            [
                f.skill.is_some(),
                f.tag.is_some(),
                f.rung.is_some(),
                f.area.is_some(),
            ]
            .into_iter()
            .filter(|on| *on)
            .count()
        })
    };
    view! {
        <details class="filters" open=filter.with_untracked(|f| !f.is_empty())>
            <summary>{move || match how_many() {
                0 => t::people_filters().to_owned(),
                n => t::people_filters_on(n),
            }}</summary>
            <div class="form">
                <FilterSelect id="filter-skill" label=t::people_filter_skill().to_owned()
                    any=t::people_filter_any_skill().to_owned() options=skills
                    chosen=Signal::derive(move || filter.with(|f| f.skill.clone().unwrap_or_default()))
                    chose=move |v| set(|f, v| f.skill = v, v) />
                <FilterSelect id="filter-tag" label=t::people_filter_tag().to_owned()
                    any=t::people_filter_any_tag().to_owned() options=tags
                    chosen=Signal::derive(move || filter.with(|f| f.tag.clone().unwrap_or_default()))
                    chose=move |v| set(|f, v| f.tag = v, v) />
                <Show when=move || organiser>
                    <FilterSelect id="filter-rung" label=t::people_filter_rung().to_owned()
                        any=t::people_filter_any_rung().to_owned() options=rungs
                        chosen=Signal::derive(move || filter.with(|f| f.rung.map(|r| r.to_string()).unwrap_or_default()))
                        chose=move |v| set(|f, v| f.rung = v.and_then(|v| v.parse().ok()).map(RungId), v) />
                </Show>
                <FilterSelect id="filter-area" label=t::people_filter_area().to_owned()
                    any=t::people_filter_anywhere().to_owned() options=area_options
                    chosen=Signal::derive(move || filter.with(|f| f.area.map(|a| a.to_string()).unwrap_or_default()))
                    chose=move |v| set(|f, v| f.area = v.and_then(|v| v.parse().ok()).map(AreaId), v) />
                <Show when=move || { how_many() > 0 }>
                    <button type="button" class="button button--secondary"
                        on:click=move |_| {
                            filter.set(Filter::default());
                            shown.set(PAGE);
                        }>
                        {t::people_filters_clear()}
                    </button>
                </Show>
            </div>
        </details>
    }
}

/// One person: their details, and changing their name or phone.
#[component]
pub fn PersonPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let params = use_params_map();
    let key = move || {
        params
            .with(|p| p.get("id"))
            .and_then(|id| id.parse::<RecordId>().ok())
            .map(|id| RecordKey {
                collection: Collection::Person,
                id,
            })
    };
    let record = move || {
        revision.track();
        key().and_then(|key| sync::read(|replica| replica.get(key)).flatten())
    };
    let record_name = move || record().map(|r| text(&r, "name"));
    let may_erase = Memo::new(move |_| record().is_some_and(|r| session.may_erase(&r)));
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    // Fill the form from the record when it first appears.
    Effect::new(move |filled: Option<bool>| {
        if filled == Some(true) {
            return true;
        }
        match record() {
            Some(record) => {
                name.set(text(&record, "name"));
                phone.set(text(&record, "phone"));
                true
            }
            None => false,
        }
    });
    let problems = FieldProblems::new();
    let message = RwSignal::new(None::<String>);
    let navigate = use_navigate();
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(key), Some(current)) = (key(), record()) else {
            return;
        };
        let Ok(person) = Person::read(&current) else {
            message.set(Some(t::people_cannot_edit().into()));
            return;
        };
        let phone_text = phone.get_untracked();
        let edited = Person {
            name: name.get_untracked(),
            phone: (!phone_text.trim().is_empty()).then_some(phone_text),
            ..person
        };
        problems.clear();
        message.set(None);
        let edited = match edited.normalised() {
            Ok(edited) => edited,
            Err(found) => {
                let rest = problems.show(&found, on_person_form);
                message.set(Some(check_fields(rest)));
                return;
            }
        };
        let new = edited.to_record();
        let changed: Vec<(&'static str, Value)> = ["name", "phone"]
            .into_iter()
            .filter(|f| new.get(f) != current.get(f))
            .map(|f| (f, new.get(f).clone()))
            .collect();
        let navigate = navigate.clone();
        spawn_local(async move {
            for (field, value) in changed {
                if let Err(e) = sync::write(|replica| replica.set_field(key, field, value)).await {
                    message.set(problems.show_unsaved(&e, on_person_form));
                    return;
                }
            }
            navigate("/people", Default::default());
        });
    };
    view! {
        <Show when=move || record().is_some() fallback=|| view! {
            <h1>{t::people_not_found()}</h1>
            <p>{t::people_not_on_this_phone()}</p>
            <A href="/people" attr:class="back">{t::people_back()}</A>
        }>
            <h1>{move || record().map(|r| text(&r, "name"))}</h1>
            <Show when=move || session.is_organiser()>
                {move || key().map(|key| view! {
                    <p><A href=format!("/one-to-ones/new?person={}", key.id) attr:class="button button--secondary">
                        {t::people_log_one_to_one()}
                    </A></p>
                    <PersonLadder person=PersonId(key.id) />
                })}
            </Show>
            <form class="form" on:submit=save.clone() novalidate>
                <label for="edit-name">{t::people_name()}</label>
                <input id="edit-name" name="name" required bind:value=name
                    aria-describedby="edit-name-problem" aria-invalid=problems.invalid("name") />
                <p id="edit-name-problem" class="form__error">{problems.message("name")}</p>
                <label for="edit-phone">{t::people_phone()}</label>
                <input id="edit-phone" name="phone" type="tel" bind:value=phone
                    aria-describedby="edit-phone-problem" aria-invalid=problems.invalid("phone") />
                <p id="edit-phone-problem" class="form__error">{problems.message("phone")}</p>
                <p class="form__error" role="alert">{move || message.get()}</p>
                <button type="submit" class="button">{t::people_save_changes()}</button>
            </form>
            {move || key().map(|key| view! { <PersonFileView person=PersonId(key.id) /> })}
            <Show when=move || session.is_organiser()>
                {move || key().map(|key| view! { <RecordTraining person=PersonId(key.id) /> })}
            </Show>
            // Anyone who may read them may give them a way to withdraw their consent.
            {move || key().map(|key| view! {
                <section class="panel" aria-labelledby="consent-link-heading">
                    <h2 id="consent-link-heading">{t::people_their_consent()}</h2>
                    <ConsentLinkMaker person=PersonId(key.id) name=Signal::derive(move || record_name().unwrap_or_default()) />
                </section>
            })}
            // Drawn once while it may be: a sync landing keeps an erasure being asked about.
            <Show when=move || may_erase.get()>
                {move || key().map(|key| view! {
                    <TheirData person=PersonId(key.id) name=Signal::derive(move || record_name().unwrap_or_default()) />
                })}
            </Show>
            <A href="/people" attr:class="back">{t::people_back()}</A>
        </Show>
    }
}
