//! Joining through an invitation link (`/join/<token>`): the page says who invited the person
//! as what and where, they choose their email and password, and they land signed in on their
//! first screen with their data loading. A link that no longer works says why, in words.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use organise_core::invite::{Acceptance, InviteStatus, InviteSummary};
use organise_core::model::Role;
use organise_core::validate::FieldProblem;

use crate::api::{self, ApiError};
use crate::components::field_problems::FieldProblems;
use crate::i18n::{self, t};
use crate::pages::team::role_name;
use crate::session::use_session;
use crate::sync;

/// What the link said when it was opened.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Link {
    Working(InviteSummary),
    Broken(&'static str),
}

/// The sentence for a link that does not work, from the server's answer.
fn broken(error: &ApiError) -> &'static str {
    match error {
        ApiError::Refused {
            invite: Some(status),
            ..
        } => match status {
            InviteStatus::Accepted => t::join_used(),
            InviteStatus::Withdrawn => t::join_withdrawn(),
            InviteStatus::Expired | InviteStatus::Pending => t::join_expired(),
        },
        ApiError::Offline | ApiError::TimedOut => t::join_offline(),
        _ => t::join_not_a_link(),
    }
}

/// The fields a refusal names as at fault (none for other errors).
fn fields_of(error: &ApiError) -> &[FieldProblem] {
    match error {
        ApiError::Refused { fields, .. } => fields,
        _ => &[],
    }
}

/// The join form's fields, by the names the server gives their problems.
fn on_join_form(field: &str) -> bool {
    matches!(field, "name" | "email" | "password")
}

/// Where a new account lands: a volunteer on their walk lists, anyone else at the start.
fn first_screen(role: Role) -> &'static str {
    match role {
        Role::Volunteer => "/lists",
        _ => "/",
    }
}

/// The join page.
#[component]
pub fn Join() -> impl IntoView {
    let session = use_session();
    let params = use_params_map();
    let token = move || params.with(|p| p.get("token")).unwrap_or_default();
    let link = LocalResource::new(move || {
        let token = token();
        async move {
            match api::join_link(&token).await {
                Ok(summary) => Link::Working(summary),
                Err(error) => Link::Broken(broken(&error)),
            }
        }
    });
    view! {
        <h1>{t::join()}</h1>
        <Show when=move || !session.is_signed_in()
            fallback=move || view! {
                <p role="alert">{move || t::join_signed_in(&session.display_name().unwrap_or_default())}</p>
            }>
            <Suspense fallback=|| view! { <p class="muted">{t::join_loading()}</p> }>
                {move || Suspend::new(async move {
                    match link.await {
                        Link::Working(summary) => view! {
                            <JoinForm summary token=token() />
                        }.into_any(),
                        Link::Broken(why) => view! {
                            <p role="alert">{why}</p>
                            <A href="/sign-in" attr:class="button button--secondary">{t::join_go_sign_in()}</A>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </Show>
    }
}

/// Name, email and password, with each problem beside its field and nothing typed lost.
#[component]
fn JoinForm(summary: InviteSummary, token: String) -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let name = RwSignal::new(summary.name.clone());
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let role = summary.role;
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let acceptance = Acceptance {
            name: name.get_untracked(),
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        let (token, navigate) = (token.clone(), navigate.clone());
        busy.set(true);
        problems.clear();
        error.set(None);
        spawn_local(async move {
            match api::join(&token, &acceptance).await {
                Ok(info) => {
                    session.set(Some(info.clone()));
                    if let Err(e) = sync::start(&info).await {
                        error.set(Some(e.to_string()));
                    }
                    navigate(first_screen(role), Default::default());
                }
                Err(refused) if !fields_of(&refused).is_empty() => {
                    let fields = fields_of(&refused);
                    let rest = problems.show(fields, on_join_form);
                    // A weak password alone: the server's advice says how to choose better.
                    let advice = matches!(fields, [only] if only.field.as_str() == "password");
                    error.set(Some(match rest {
                        _ if advice => refused.to_string(),
                        Some(rest) => format!("{} {rest}", t::join_some_wrong()),
                        None => t::join_some_wrong().to_owned(),
                    }));
                }
                Err(
                    other @ ApiError::Refused {
                        invite: Some(_), ..
                    },
                ) => {
                    error.set(Some(broken(&other).to_owned()));
                }
                Err(ApiError::Offline) => error.set(Some(t::join_offline().to_owned())),
                Err(other) => error.set(Some(other.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <p>{t::join_invited(role_name(summary.role), &summary.area_name)}</p>
        <p class="muted">{t::join_choose(&i18n::date(summary.expires_at))}</p>
        <form class="form" on:submit=submit novalidate>
            <label for="join-name">{t::join_name()}</label>
            <input id="join-name" name="name" autocomplete="name" required bind:value=name
                aria-describedby="join-name-problem" aria-invalid=problems.invalid("name") />
            <p id="join-name-problem" class="form__error">{problems.message("name")}</p>
            <label for="join-email">{t::join_email()}</label>
            <input id="join-email" name="email" type="email" autocomplete="username" required
                bind:value=email aria-describedby="join-email-problem" aria-invalid=problems.invalid("email") />
            <p id="join-email-problem" class="form__error">{problems.message("email")}</p>
            <label for="join-password">{t::join_password()}</label>
            <input id="join-password" name="password" type="password" autocomplete="new-password"
                required bind:value=password
                aria-describedby="join-password-hint join-password-problem"
                aria-invalid=problems.invalid("password") />
            <p id="join-password-hint" class="muted">{t::join_password_hint()}</p>
            <p id="join-password-problem" class="form__error">{problems.message("password")}</p>
            <p class="form__error" role="alert">{move || error.get()}</p>
            <button type="submit" class="button" disabled=move || busy.get()>{t::join_submit()}</button>
        </form>
    }
}
