//! The sign-in screen.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use organise_core::validate::{FieldProblem, Problem};

use crate::api::{self, ApiError};
use crate::components::field_problems::FieldProblems;
use crate::i18n::t;
use crate::session::use_session;
use crate::sign_out;
use crate::sync;

/// The sign-in form's fields, by the names the server gives their problems.
fn on_sign_in_form(field: &str) -> bool {
    matches!(field, "email" | "password")
}

/// Email and password, each problem beside its field, and a clear sentence when sign-in
/// fails.
#[component]
pub fn SignIn() -> impl IntoView {
    let session = use_session();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let problems = FieldProblems::new();
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        error.set(None);
        problems.clear();
        let (email, password) = (email.get_untracked(), password.get_untracked());
        let missing: Vec<FieldProblem> = [("email", &email), ("password", &password)]
            .into_iter()
            .filter(|(_, typed)| typed.trim().is_empty())
            .map(|(field, _)| FieldProblem::new(field, Problem::Missing))
            .collect();
        if !missing.is_empty() {
            problems.show(&missing, on_sign_in_form);
            return;
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            // The session of someone who signed out here offline ends before a new one
            // replaces its cookie.
            sign_out::settle().await;
            match api::sign_in(&email, &password).await {
                Ok(info) => {
                    session.set(Some(info.clone()));
                    // Another person's data on this phone is wiped before this person's loads.
                    if let Err(e) = sync::start(&info).await {
                        error.set(Some(e.to_string()));
                    }
                    navigate("/", Default::default());
                }
                Err(ApiError::Refused { fields, .. }) if !fields.is_empty() => {
                    error.set(problems.show(&fields, on_sign_in_form));
                }
                Err(e) => error.set(Some(refusal(&e))),
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{t::sign_in()}</h1>
        <form class="form" on:submit=submit novalidate>
            <label for="email">{t::sign_in_email()}</label>
            <input id="email" name="email" type="email" autocomplete="username" required
                bind:value=email aria-describedby="email-problem" aria-invalid=problems.invalid("email") />
            <p id="email-problem" class="form__error">{problems.message("email")}</p>
            <label for="password">{t::sign_in_password()}</label>
            <input id="password" name="password" type="password" autocomplete="current-password" required
                bind:value=password aria-describedby="password-problem"
                aria-invalid=problems.invalid("password") />
            <p id="password-problem" class="form__error">{problems.message("password")}</p>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button" disabled=move || busy.get()>{t::sign_in()}</button>
        </form>
    }
}

/// Why signing in failed, in the screen's language: the server's own sentences are English,
/// so the answers a person meets often are worded here by their status.
fn refusal(error: &ApiError) -> String {
    match error {
        ApiError::Refused { status: 401, .. } => t::sign_in_no_match().to_owned(),
        ApiError::Refused {
            status: 429 | 503, ..
        } => t::sign_in_wait().to_owned(),
        other => other.to_string(),
    }
}
