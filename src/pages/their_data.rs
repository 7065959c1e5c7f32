//! A person's data, on their page, for an admin of their area: everything held about them
//! downloaded as a file (a subject access request), or the person erased for good, saying
//! why (an erasure request). Both need a connection: the server holds what the phone does not.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use organise_core::erasure::{ErasureReason, records_about};
use organise_core::id::PersonId;
use organise_core::record::Collection;
use organise_core::withdrawal::ConsentLink;

use crate::api;
use crate::components::download::save_file;
use crate::components::share::LinkToShare;
use crate::i18n::{self, t};
use crate::session::use_session;
use crate::sync;

/// The *Their data* section of `person`'s page, named `name`.
#[component]
pub fn TheirData(person: PersonId, #[prop(into)] name: Signal<String>) -> impl IntoView {
    let session = use_session();
    let downloading = RwSignal::new(false);
    let downloaded = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let reason = RwSignal::new(None::<ErasureReason>);
    let reason_problem = RwSignal::new(None::<String>);
    let erasing = RwSignal::new(false);
    let erase_problem = RwSignal::new(None::<String>);
    let navigate = use_navigate();

    let download = move |_| {
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        downloading.set(true);
        downloaded.set(None);
        spawn_local(async move {
            let said = match api::export_person(&csrf, person).await {
                Ok(json) => {
                    match save_file(&json, "application/json", &format!("person-{person}.json")) {
                        Ok(()) => t::their_data_downloaded().to_owned(),
                        Err(_) => t::their_data_not_saved().to_owned(),
                    }
                }
                Err(error) => error.to_string(),
            };
            downloaded.set(Some(said));
            downloading.set(false);
        });
    };

    let erase = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        erase_problem.set(None);
        let Some(why) = reason.get_untracked() else {
            reason_problem.set(Some(t::their_data_reason_needed().to_owned()));
            return;
        };
        reason_problem.set(None);
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        erasing.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::erase_person(&csrf, person, why).await {
                Ok(()) => {
                    // The erasure comes back in the next pull, which purges them here.
                    sync::request_sync();
                    navigate("/people?erased=1", Default::default());
                }
                Err(error) => erase_problem.set(Some(error.to_string())),
            }
            erasing.set(false);
        });
    };

    let going = move || {
        sync::read(|replica| records_about(replica, person))
            .unwrap_or_default()
            .into_iter()
            .map(|(collection, n)| view! { <li>{counted(collection, n)}</li> })
            .collect_view()
    };
    let reasons = move || {
        ErasureReason::ALL
            .into_iter()
            .map(|choice| {
                view! {
                    <label class="choice">
                        <input type="radio" name="erase-reason"
                            aria-describedby="erase-reason-problem"
                            prop:checked=move || reason.get() == Some(choice)
                            on:change=move |_| reason.set(Some(choice)) />
                        {reason_label(choice)}
                    </label>
                }
            })
            .collect_view()
    };

    view! {
        <section class="panel their-data" aria-labelledby="their-data-heading">
            <h2 id="their-data-heading">{t::their_data_heading()}</h2>
            <p>{t::their_data_intro()}</p>
            <div class="button-row">
                <button type="button" class="button button--secondary" on:click=download
                    disabled=move || downloading.get()>{t::their_data_download()}</button>
                <button type="button" class="button button--danger"
                    aria-expanded=move || confirming.get().to_string()
                    on:click=move |_| confirming.update(|c| *c = !*c)>
                    {move || t::their_data_erase(&name.get())}
                </button>
            </div>
            <p role="status">{move || downloaded.get()}</p>
            <ul class="their-data__links">
                <li><A href=format!("/people/{person}/data")>{t::their_data_read()}</A></li>
                <li><A href=format!("/audit?subject={person}")>{t::their_data_audit()}</A></li>
            </ul>
            <Show when=move || confirming.get()>
                <form class="form their-data__erase" on:submit=erase.clone() novalidate>
                    <p>{move || t::their_data_what_goes(&name.get())}</p>
                    <ul>
                        <li>{t::their_data_their_record()}</li>
                        {going}
                    </ul>
                    <p>{t::their_data_results_keep()}</p>
                    <fieldset class="choices" aria-invalid=move || reason_problem.with(Option::is_some).to_string()>
                        <legend>{t::their_data_why()}</legend>
                        {reasons}
                    </fieldset>
                    <p id="erase-reason-problem" class="form__error">{move || reason_problem.get()}</p>
                    <p class="form__error" role="alert">{move || erase_problem.get()}</p>
                    <div class="button-row">
                        <button type="submit" class="button button--danger" disabled=move || erasing.get()>
                            {move || t::their_data_erase_for_good(&name.get())}
                        </button>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| confirming.set(false)>{t::their_data_cancel()}</button>
                    </div>
                </form>
            </Show>
        </section>
    }
}

/// A link for the person to withdraw their consent themselves, without an account, made on
/// request (it needs a connection) and then shared or copied.
#[component]
pub fn ConsentLinkMaker(person: PersonId, name: Signal<String>) -> impl IntoView {
    let session = use_session();
    let link = RwSignal::new(None::<ConsentLink>);
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let make = move |_| {
        let Some(csrf) = session.csrf_token_untracked() else {
            return;
        };
        busy.set(true);
        problem.set(None);
        spawn_local(async move {
            match api::consent_link(&csrf, person).await {
                Ok(made) => link.set(Some(made)),
                Err(error) => problem.set(Some(error.to_string())),
            }
            busy.set(false);
        });
    };
    let origin = window().location().origin().unwrap_or_default();
    view! {
        <Show when=move || link.with(Option::is_none)
            fallback=move || link.get().map(|made| view! {
                <LinkToShare id="consent-link"
                    label=t::their_data_consent_link_label(&name.get_untracked())
                    url=format!("{origin}{}", made.path)
                    text=t::their_data_consent_share_text().to_owned()>
                    <p class="muted">{t::their_data_consent_link_note(&i18n::date(made.expires_at))}</p>
                </LinkToShare>
            })>
            <button type="button" class="button button--secondary" on:click=make
                disabled=move || busy.get()>{t::their_data_consent_link()}</button>
            <p class="form__error" role="alert">{move || problem.get()}</p>
        </Show>
    }
}

/// The words for one reason.
fn reason_label(reason: ErasureReason) -> &'static str {
    match reason {
        ErasureReason::Request => t::their_data_reason_request(),
        ErasureReason::Retention => t::their_data_reason_retention(),
        ErasureReason::Mistake => t::their_data_reason_mistake(),
    }
}

/// `n` records of `collection`, in words.
fn counted(collection: Collection, n: usize) -> String {
    match collection {
        Collection::Conversation => t::their_data_conversations(n),
        Collection::Attendance => t::their_data_attendances(n),
        Collection::Story => t::their_data_stories(n),
        Collection::SurveyResponse => t::their_data_survey_answers(n),
        Collection::OneToOne => t::their_data_one_to_ones(n),
        Collection::Link => t::their_data_links(n),
        _ => t::their_data_other_records(n),
    }
}
