//! A meeting's public pages, for people without an account: replying to an invitation
//! (`/rsvp/<token>`, the link a host shares) and signing in on one's own phone on the night
//! (`/sign-in-at/<token>`, the kiosk's QR code). They show the meeting and nothing about who
//! else is coming, ask only what is needed, check it by core's rules before sending (each
//! problem beside its field, nothing typed lost), and say in words when a link does not work.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use organise_core::id::IssueId;
use organise_core::rsvp::{
    PublicMeeting, PublicSignIn, RsvpAnswer, RsvpForm, RsvpStatus, SelfSignIn, SignedInAnswer,
};
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

/// A public form's state: its values, its problems beside the fields, what is said by its
/// button, what it said once done, and whether it is being sent.
#[derive(Clone, Copy)]
struct PublicForm {
    values: SignInValues,
    problems: FieldProblems,
    error: RwSignal<Option<String>>,
    done: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl PublicForm {
    fn new() -> PublicForm {
        PublicForm {
            values: SignInValues::new(),
            problems: FieldProblems::new(),
            error: RwSignal::new(None),
            done: RwSignal::new(None),
            busy: RwSignal::new(false),
        }
    }

    /// Shows what the server or the phone's copy of the rules refused beside the fields, in
    /// the form's words, and what is left by the button.
    fn refused(&self, found: &[FieldProblem]) {
        let rest = self.problems.show(found, on_public_form);
        self.values.say_what_is_needed(self.problems);
        self.error.set(Some(check_fields(rest)));
    }

    /// Sends what `checked` passed with `call` (nothing, and the problems shown, when it did
    /// not), and says what the answer means in `words`; a refusal of the values goes beside
    /// the fields, and nothing typed is lost.
    fn send<A, F>(
        self,
        checked: Result<(), Vec<FieldProblem>>,
        call: impl FnOnce() -> F + 'static,
        words: impl FnOnce(A) -> &'static str + 'static,
    ) where
        F: Future<Output = Result<A, ApiError>> + 'static,
        A: 'static,
    {
        if self.busy.get_untracked() {
            return;
        }
        self.problems.clear();
        self.error.set(None);
        if let Err(found) = checked {
            return self.refused(&found);
        }
        self.busy.set(true);
        spawn_local(async move {
            match call().await {
                Ok(answer) => self.done.set(Some(words(answer).to_owned())),
                Err(ApiError::Refused {
                    status: 422,
                    fields,
                    ..
                }) if !fields.is_empty() => self.refused(&fields),
                Err(other) => self.error.set(Some(broken(&other))),
            }
            self.busy.set(false);
        });
    }
}

/// A public page: what its link (the `token` in the path) opens, loaded by `load`, shown by
/// `show`, or in words why the link does not work under `heading`.
fn public_page<T, F>(
    heading: &'static str,
    load: impl Fn(String) -> F + Copy + 'static,
    show: impl Fn(T, String) -> AnyView + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    F: Future<Output = Result<T, ApiError>> + 'static,
    T: Clone + 'static,
{
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let offer = LocalResource::new(move || {
        let loading = load(token());
        async move { loading.await.map_err(|e| broken(&e)) }
    });
    view! {
        <Suspense fallback=|| view! { <p class="muted">{t::rsvp_checking()}</p> }>
            {move || Suspend::new(async move {
                match offer.await {
                    Ok(offer) => show(offer, token()),
                    Err(why) => view! { <h1>{heading}</h1> <p role="alert">{why}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Replying to a meeting through its link.
#[component]
pub fn Rsvp() -> impl IntoView {
    public_page(
        t::rsvp(),
        |token| async move { api::rsvp_offer(&token).await },
        |meeting, token| view! { <Reply meeting token /> }.into_any(),
    )
}

#[component]
fn Reply(meeting: PublicMeeting, token: String) -> impl IntoView {
    let form = PublicForm::new();
    let PublicForm {
        values,
        problems,
        error,
        done,
        ..
    } = form;
    let full = meeting.full;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let draft = values.draft();
        let reply = RsvpForm {
            name: draft.name,
            phone: draft.phone,
            email: draft.email,
            postcode: draft.postcode,
            consents: draft.consents.into_iter().collect(),
        };
        let token = token.clone();
        form.send(
            reply.checked().map(|_| ()),
            move || async move { api::rsvp(&token, &reply).await },
            |answer: RsvpAnswer| match answer.status {
                RsvpStatus::Rsvp => t::rsvp_done(),
                RsvpStatus::Waiting => t::rsvp_waiting(),
            },
        );
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
    public_page(
        t::kiosk_sign_in(),
        |token| async move { api::sign_in_offer(&token).await },
        |offer, token| view! { <SignInHere offer token /> }.into_any(),
    )
}

#[component]
fn SignInHere(offer: PublicSignIn, token: String) -> impl IntoView {
    let form = PublicForm::new();
    let PublicForm {
        values,
        problems,
        error,
        done,
        ..
    } = form;
    let choices: Vec<(IssueId, String)> = offer
        .issues
        .iter()
        .map(|i| (i.id, i.name.clone()))
        .collect();
    let issues = Signal::derive(move || choices.clone());
    let offered = offer.issues.clone();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let sign_in = SelfSignIn::from(values.draft());
        let token = token.clone();
        form.send(
            sign_in.checked(&offered).map(|_| ()),
            move || async move { api::self_sign_in(&token, &sign_in).await },
            |answer: SignedInAnswer| {
                if answer.counted_only {
                    t::rsvp_signed_in_counted()
                } else {
                    t::rsvp_signed_in()
                }
            },
        );
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
