//! The start screen: who is signed in, and the way to sign out.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;

use crate::api;
use crate::app::CurrentSession;

/// Shows the signed-in user, or sends a signed-out visitor to sign in.
#[component]
pub fn Home() -> impl IntoView {
    let CurrentSession(session) = expect_context();
    let checked = RwSignal::new(session.get_untracked().is_some());
    let navigate = use_navigate();
    if !checked.get_untracked() {
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::current_session().await {
                Ok(info) => session.set(Some(info)),
                Err(_) => navigate("/sign-in", Default::default()),
            }
            checked.set(true);
        });
    }
    let sign_out = move |_| {
        let Some(info) = session.get_untracked() else {
            return;
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            // Signing out forgets the session here even if the server cannot be reached.
            let _ = api::sign_out(&info.csrf_token).await;
            session.set(None);
            navigate("/sign-in", Default::default());
        });
    };
    view! {
        <Show when=move || session.with(Option::is_some) fallback=|| view! { <p class="muted">"Loading…"</p> }>
            <h1>{move || session.with(|s| s.as_ref().map(|s| format!("Hello, {}", s.user.display_name)))}</h1>
            <p>"You are signed in to Organise."</p>
            <button type="button" class="button button--secondary" on:click=sign_out.clone()>"Sign out"</button>
        </Show>
    }
}
