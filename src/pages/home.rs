//! The start screen: who is signed in, where to go, and signing out (which wipes this phone
//! and ends the session on the server, at once or at the next chance: see [`sign_out`]).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;
use organise_core::model::Role;

use crate::components::later::screen_loaded_later;
use crate::i18n::{self, t};
use crate::pages::dashboard::Dashboard;
use crate::session::require_session;
use crate::sign_out;
use crate::sync::SyncContext;

/// Greets the signed-in user and offers the way out.
#[component]
pub fn Home() -> impl IntoView {
    let session = require_session();
    let SyncContext { status, .. } = expect_context();
    let confirming = RwSignal::new(false);
    let navigate = use_navigate();
    let on_sign_out = move |_| {
        let pending = status.with_untracked(|s| s.pending);
        if pending > 0 && !confirming.get_untracked() {
            confirming.set(true);
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signing out forgets everything here even if the server cannot be reached; the
            // server is told at the next chance.
            if let Err(error) = sign_out::sign_out(session).await {
                status.update(|s| s.problem = Some(error.to_string()));
            }
            navigate("/sign-in", Default::default());
        });
    };
    // Worded as the sync bar words what waits, so the two agree.
    let warning = move || {
        let (waiting, pending) = status.with(|s| (s.waiting, s.pending));
        let (what, count) =
            i18n::waiting(waiting).unwrap_or_else(|| (t::count_changes(pending), pending));
        t::home_sign_out_warning(&what, count)
    };
    view! {
        <Show when=move || session.is_signed_in() fallback=|| view! { <p class="muted">{t::app_loading()}</p> }>
            <h1>{move || session.display_name().map(|name| t::home_hello(&name))}</h1>
            <Show when=move || session.is_organiser()>
                <DashboardLater />
            </Show>
            <nav class="tiles" aria-label=t::home_start()>
                <Show when=move || session.is_organiser()>
                    <A href="/week" attr:class="tile">{t::home_week()}</A>
                    <A href="/ladder" attr:class="tile">{t::home_ladder()}</A>
                    <A href="/map" attr:class="tile">{t::home_map()}</A>
                    <A href="/volunteers" attr:class="tile">{t::home_volunteers()}</A>
                    <A href="/training" attr:class="tile">{t::home_training()}</A>
                </Show>
                <A href="/lists" attr:class="tile">{t::home_walk_lists()}</A>
                <A href="/people" attr:class="tile">{t::home_people()}</A>
                <A href="/results" attr:class="tile">{t::home_results()}</A>
                <A href="/meetings" attr:class="tile">{t::home_meetings()}</A>
                <A href="/campaigns" attr:class="tile">{t::home_campaigns()}</A>
                <Show when=move || session.is_organiser()>
                    <A href="/team" attr:class="tile">{t::home_invite()}</A>
                </Show>
                <Show when=move || session.holds(Role::Admin)>
                    <A href="/audit" attr:class="tile">{t::home_audit()}</A>
                    <A href="/retention" attr:class="tile">{t::home_retention()}</A>
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
                <div class="button-row">
                    <button type="button" class="button button--secondary" on:click=on_sign_out.clone()>
                        {move || if confirming.get() { t::home_sign_out_and_delete() } else { t::home_sign_out() }}
                    </button>
                    <Show when=move || confirming.get()>
                        <button type="button" class="button" on:click=move |_| confirming.set(false)>
                            {t::home_sign_out_cancel()}
                        </button>
                    </Show>
                </div>
            </section>
        </Show>
    }
}

// The dashboard is loaded when an organiser first opens home: a volunteer never fetches it.
screen_loaded_later!(DashboardLater, dashboard_screen, Dashboard);
