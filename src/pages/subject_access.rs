//! A person's data as a page to read, print or save: everything the server holds about them
//! (a subject access request), for an admin of their area. It asks the server when opened,
//! so it needs a connection; names come from what the phone holds.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use organise_core::erasure::Export;
use organise_core::id::{PersonId, RecordId};
use organise_core::record::{Collection, Record};
use organise_core::sync::wire::RecordKey;

use crate::api;
use crate::components::download::save_file;
use crate::i18n::{self, t};
use crate::pages::audit::{action_words, area_name};
use crate::pages::conflicts::shown;
use crate::pages::people::text;
use crate::pages::team::role_name;
use crate::session::require_session;
use crate::sync;

/// What the page holds once the server answered.
#[derive(Clone)]
struct Loaded {
    export: Export,
    json: Vec<u8>,
}

/// The page of `/people/:id/data`.
#[component]
pub fn SubjectAccess() -> impl IntoView {
    let session = require_session();
    let person = use_params_map().with_untracked(|p| {
        p.get("id")
            .and_then(|id| id.parse::<RecordId>().ok())
            .map(PersonId)
    });
    let loaded = RwSignal::new(None::<Loaded>);
    let problem = RwSignal::new(None::<String>);
    let said = RwSignal::new(None::<String>);
    Effect::new(move |done: Option<bool>| {
        if done == Some(true) {
            return true;
        }
        let (Some(person), Some(csrf)) = (person, session.csrf_token()) else {
            return false;
        };
        spawn_local(async move {
            let answer = api::export_person(&csrf, person).await.and_then(|json| {
                serde_json::from_slice::<Export>(&json)
                    .map(|export| Loaded { export, json })
                    .map_err(|_| api::ApiError::Unexpected)
            });
            match answer {
                Ok(done) => loaded.set(Some(done)),
                Err(error) => problem.set(Some(error.to_string())),
            }
        });
        true
    });
    let print = move |_| {
        let _ = window().print();
    };
    let download = move |_| {
        let (Some(person), Some(done)) = (person, loaded.get_untracked()) else {
            return;
        };
        let name = format!("person-{person}.json");
        said.set(Some(
            match save_file(&done.json, "application/json", &name) {
                Ok(()) => t::their_data_downloaded().to_owned(),
                Err(_) => t::their_data_not_saved().to_owned(),
            },
        ));
    };
    let back = person
        .map(|p| format!("/people/{p}"))
        .unwrap_or_else(|| "/people".to_owned());

    view! {
        <h1>{t::subject_access()}</h1>
        <p class="form__error" role="alert">{move || problem.get()}</p>
        <Show when=move || loaded.with(Option::is_none) && problem.with(Option::is_none)>
            <p class="muted" role="status">{t::subject_access_asking()}</p>
        </Show>
        {move || loaded.get().map(|Loaded { export, .. }| view! {
            <p class="muted">{t::subject_access_made(&i18n::date_time(export.exported_at))}</p>
            <div class="button-row no-print">
                <button type="button" class="button" on:click=print>{t::subject_access_print()}</button>
                <button type="button" class="button button--secondary" on:click=download>
                    {t::their_data_download()}
                </button>
            </div>
            <p role="status" class="no-print">{move || said.get()}</p>
            {export.withdraw_consent.as_ref().map(|link| {
                let origin = window().location().origin().unwrap_or_default();
                view! {
                    <p class="subject-access__withdraw">
                        {t::subject_access_withdraw(&i18n::date(link.expires_at))}" "
                        <span class="subject-access__link">{format!("{origin}{}", link.path)}</span>
                    </p>
                }
            })}
            <section aria-labelledby="sa-record">
                <h2 id="sa-record">{t::subject_access_record()}</h2>
                {match &export.person {
                    Some(record) => fields(record).into_any(),
                    None => view! { <p>{t::subject_access_record_gone()}</p> }.into_any(),
                }}
            </section>
            <section aria-labelledby="sa-about">
                <h2 id="sa-about">{t::subject_access_about(export.records_about.len())}</h2>
                {export.records_about.iter().map(|record| view! {
                    <h3>{collection_words(record.collection)}</h3>
                    {fields(record)}
                }).collect_view()}
            </section>
            <section aria-labelledby="sa-mentioned">
                <h2 id="sa-mentioned">{t::subject_access_mentioned(export.mentioned_in.len())}</h2>
                <ul>
                    {export.mentioned_in.iter().map(|mention| view! {
                        <li>{mentioned(mention.key)}</li>
                    }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="sa-readers">
                <h2 id="sa-readers">{t::subject_access_readers(export.readers.len())}</h2>
                <ul>
                    {export.readers.iter().map(|reader| {
                        let roles = reader
                            .roles
                            .iter()
                            .map(|r| t::subject_access_role(
                                role_name(r.role),
                                &sync::read(|replica| area_name(replica, r.area)).unwrap_or_default(),
                            ))
                            .collect::<Vec<_>>()
                            .join("; ");
                        view! { <li>{t::subject_access_reader(&reader.name, &roles)}</li> }
                    }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="sa-audit">
                <h2 id="sa-audit">{t::subject_access_audit(export.audit.len())}</h2>
                <ul>
                    {export.audit.iter().map(|entry| view! {
                        <li>{format!("{}: {}", i18n::date_time(entry.at), action_words(&entry.action))}</li>
                    }).collect_view()}
                </ul>
            </section>
            <section aria-labelledby="sa-left">
                <h2 id="sa-left">{t::subject_access_left(export.deleted.len() + export.conflicts.len())}</h2>
                <p>{t::subject_access_left_detail(&i18n::number(export.deleted.len()), &i18n::number(export.conflicts.len()))}</p>
            </section>
        })}
        <A href=back attr:class="no-print">{t::subject_access_back()}</A>
    }
}

/// A record's fields, each in words, as a description list.
fn fields(record: &Record) -> impl IntoView + use<> {
    let rows = record
        .fields
        .iter()
        .map(|(field, value)| {
            view! {
                <dt>{i18n::field_heading(field.as_str())}</dt>
                <dd>{shown(value)}</dd>
            }
        })
        .collect_view();
    view! { <dl class="subject-access__fields">{rows}</dl> }
}

/// A collection in words, as the heading of one of its records.
fn collection_words(collection: Collection) -> String {
    i18n::field_heading(&collection.to_string())
}

/// A record that mentions the person: its kind, and its name if the phone holds it.
fn mentioned(key: RecordKey) -> String {
    let name = sync::read(|replica| replica.get(key).map(|r| text(&r, "name")))
        .flatten()
        .filter(|name| !name.is_empty());
    match name {
        Some(name) => format!("{}: {name}", collection_words(key.collection)),
        None => collection_words(key.collection),
    }
}
