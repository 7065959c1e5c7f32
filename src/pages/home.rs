//! The start screen: who is signed in, where to go, and signing out (which wipes this phone).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::i18n::t;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// Greets the signed-in user and offers the way out.
#[component]
pub fn Home() -> impl IntoView {
    let session = require_session();
    let SyncContext { status, .. } = expect_context();
    let confirming = RwSignal::new(false);
    let navigate = use_navigate();
    let sign_out = move |_| {
        let pending = status.with_untracked(|s| s.pending);
        if pending > 0 && !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let csrf = session.csrf_token_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signing out forgets everything here even if the server cannot be reached.
            if let Some(csrf) = csrf {
                let _ = api::sign_out(&csrf).await;
            }
            if let Err(error) = sync::wipe().await {
                status.update(|s| s.problem = Some(error.to_string()));
            }
            session.set(None);
            navigate("/sign-in", Default::default());
        });
    };
    let warning = move || t::home_sign_out_warning(status.with(|s| s.pending));
    view! {
        <Show when=move || session.is_signed_in() fallback=|| view! { <p class="muted">{t::app_loading()}</p> }>
            <h1>{move || session.display_name().map(|name| t::home_hello(&name))}</h1>
            <nav class="tiles" aria-label=t::home_start()>
                <A href="/lists" attr:class="tile">{t::home_walk_lists()}</A>
                <A href="/people" attr:class="tile">{t::home_people()}</A>
                <A href="/results" attr:class="tile">{t::home_results()}</A>
                <Show when=move || session.is_organiser()>
                    <A href="/team" attr:class="tile">{t::home_invite()}</A>
                </Show>
                <A href="/conflicts" attr:class="tile">{t::home_conflicts()}</A>
                <A href="/rejected" attr:class="tile">{t::home_rejected()}</A>
                <A href="/settings" attr:class="tile">{t::home_settings()}</A>
            </nav>
            <section class="sign-out" aria-labelledby="sign-out-heading">
                <h2 id="sign-out-heading">{t::home_signing_out()}</h2>
                <p class="muted">{t::home_sign_out_wipes()}</p>
                <Show when=move || confirming.get()>
                    <p class="form__error" role="alert">{warning}</p>
                </Show>
                <button type="button" class="button button--secondary" on:click=sign_out.clone()>
                    {move || if confirming.get() { t::home_sign_out_and_delete() } else { t::home_sign_out() }}
                </button>
            </section>
        </Show>
    }
}
