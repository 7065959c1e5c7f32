//! A meeting's public pages, for people without an account: replying to an invitation
//! (`/rsvp/<token>`, the link a host shares) and signing in on one's own phone on the night
//! (`/sign-in-at/<token>`, the kiosk's QR code). They show the meeting and nothing about who
//! else is coming, ask only what is needed, check it by core's rules before sending (each
//! problem beside its field, nothing typed lost), and say in words when a link does not work.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use organise_core::id::IssueId;
use organise_core::rsvp::{PublicMeeting, PublicSignIn, RsvpForm, RsvpStatus, SelfSignIn};
use organise_core::validate::FieldProblem;

use crate::api::{self, ApiError};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::{self, t};
use crate::pages::kiosk::{SignInFields, SignInValues};
use crate::pages::meetings::kind_words;

/// The fields of the public forms, by the names core's rules give their problems.
const PUBLIC_FIELDS: [&str; 4] = ["name", "phone", "email", "postcode"];

fn on_public_form(field: &str) -> bool {
    PUBLIC_FIELDS.contains(&field)
}

/// The sentence for a link that does not work, from the server's answer.
fn broken(error: &ApiError) -> String {
    match error {
        ApiError::Refused { status: 410, .. } => t::rsvp_link_over().to_owned(),
        ApiError::Refused { status: 429, .. } => t::rsvp_too_many().to_owned(),
        ApiError::Refused { status: 404, .. } => t::rsvp_not_a_link().to_owned(),
        ApiError::Offline | ApiError::TimedOut => t::rsvp_offline().to_owned(),
        other => other.to_string(),
    }
}

/// The meeting as its public pages show it: what, when and where.
#[component]
fn MeetingHeading(meeting: PublicMeeting) -> impl IntoView {
    let when = match meeting.ends {
        Some(ends) => t::rsvp_when(&i18n::date_time(meeting.starts), &i18n::date_time(ends)),
        None => i18n::date_time(meeting.starts),
    };
    view! {
        <h1>{meeting.title}</h1>
        <p class="muted">{kind_words(meeting.kind)}</p>
        <p>{when}</p>
        <p>{meeting.place}</p>
    }
}

/// Shows what the server or the phone's copy of the rules refused beside the fields, in the
/// form's words; returns what to say by the button.
fn show_refused(values: SignInValues, problems: FieldProblems, found: &[FieldProblem]) -> String {
    let rest = problems.show(found, on_public_form);
    values.say_what_is_needed(problems);
    check_fields(rest)
}

/// Replying to a meeting through its link.
#[component]
pub fn Rsvp() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let offer = LocalResource::new(move || {
        let token = token();
        async move { api::rsvp_offer(&token).await.map_err(|e| broken(&e)) }
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t::rsvp_checking()}</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(meeting) => view! { <Reply meeting token=token() /> }.into_any(),
                    Err(why) => view! { <h1>{t::rsvp()}</h1> <p role="alert">{why}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn Reply(meeting: PublicMeeting, token: String) -> impl IntoView {
    let values = SignInValues::new();
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let full = meeting.full;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        problems.clear();
        error.set(None);
        let draft = values.draft();
        let form = RsvpForm {
            name: draft.name,
            phone: draft.phone,
            email: draft.email,
            postcode: draft.postcode,
            consents: draft.consents.into_iter().collect(),
        };
        if let Err(found) = form.checked() {
            error.set(Some(show_refused(values, problems, &found)));
            return;
        }
        busy.set(true);
        let token = token.clone();
        spawn_local(async move {
            match api::rsvp(&token, &form).await {
                Ok(answer) => done.set(Some(
                    match answer.status {
                        RsvpStatus::Rsvp => t::rsvp_done(),
                        RsvpStatus::Waiting => t::rsvp_waiting(),
                    }
                    .to_owned(),
                )),
                Err(ApiError::Refused {
                    status: 422,
                    fields,
                    ..
                }) if !fields.is_empty() => {
                    error.set(Some(show_refused(values, problems, &fields)));
                }
                Err(other) => error.set(Some(broken(&other))),
            }
            busy.set(false);
        });
    };
    view! {
        <MeetingHeading meeting />
        <Show when=move || done.with(Option::is_none)
            fallback=move || view! { <p class="notice" role="status">{move || done.get()}</p> }>
            <h2>{t::rsvp_will_you_come()}</h2>
            <Show when=move || full>
                <p class="notice">{t::rsvp_full()}</p>
            </Show>
            <form class="form" on:submit=submit.clone() novalidate>
                <SignInFields values problems issues=Signal::derive(Vec::new) reply_only=true />
                <p class="muted">{t::rsvp_nothing_shown()}</p>
                <p class="form__error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button">{t::rsvp_send()}</button>
            </form>
        </Show>
    }
}

/// Signing in at a meeting on one's own phone, through the kiosk's code.
#[component]
pub fn SelfSignInPage() -> impl IntoView {
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let offer = LocalResource::new(move || {
        let token = token();
        async move { api::sign_in_offer(&token).await.map_err(|e| broken(&e)) }
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t::rsvp_checking()}</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(offer) => view! { <SignInHere offer token=token() /> }.into_any(),
                    Err(why) => view! { <h1>{t::kiosk_sign_in()}</h1> <p role="alert">{why}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SignInHere(offer: PublicSignIn, token: String) -> impl IntoView {
    let values = SignInValues::new();
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let choices: Vec<(IssueId, String)> = offer
        .issues
        .iter()
        .map(|i| (i.id, i.name.clone()))
        .collect();
    let issues = Signal::derive(move || choices.clone());
    let offered = offer.issues.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        problems.clear();
        error.set(None);
        let draft = values.draft();
        let form = SelfSignIn {
            name: draft.name,
            phone: draft.phone,
            email: draft.email,
            postcode: draft.postcode,
            consents: draft.consents.into_iter().collect(),
            would_host: draft.would_host,
            issues: draft.issues.into_iter().collect(),
            under_16: draft.under_16,
        };
        if let Err(found) = form.checked(&offered) {
            error.set(Some(show_refused(values, problems, &found)));
            return;
        }
        busy.set(true);
        let token = token.clone();
        spawn_local(async move {
            match api::self_sign_in(&token, &form).await {
                Ok(answer) => done.set(Some(
                    if answer.counted_only {
                        t::rsvp_signed_in_counted()
                    } else {
                        t::rsvp_signed_in()
                    }
                    .to_owned(),
                )),
                Err(ApiError::Refused {
                    status: 422,
                    fields,
                    ..
                }) if !fields.is_empty() => {
                    error.set(Some(show_refused(values, problems, &fields)));
                }
                Err(other) => error.set(Some(broken(&other))),
            }
            busy.set(false);
        });
    };
    view! {
        <MeetingHeading meeting=offer.meeting />
        <Show when=move || done.with(Option::is_none)
            fallback=move || view! { <p class="notice" role="status">{move || done.get()}</p> }>
            <form class="form" on:submit=submit.clone() novalidate>
                <SignInFields values problems issues />
                <p class="form__error" role="alert">{move || error.get()}</p>
                <button type="submit" class="button">{t::kiosk_sign_in()}</button>
            </form>
        </Show>
    }
}
