//! The app shell: routes, the shared session, and the frame every screen sits in.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::update_banner::UpdateBanner;
use crate::pages::{home::Home, not_found::NotFound, settings::Settings, sign_in::SignIn};
use crate::pwa::{self, UpdateAvailable};
use organise_core::session::SessionInfo;

/// The session shared by every screen: `None` until someone signs in.
#[derive(Clone, Copy)]
pub struct CurrentSession(pub RwSignal<Option<SessionInfo>>);

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(None);
    provide_context(CurrentSession(session));
    let update = RwSignal::new(false);
    provide_context(UpdateAvailable(update));
    pwa::start(update);
    // Once someone is signed in, ask the browser to keep their data (once per page load).
    Effect::new(move |asked: Option<bool>| {
        if asked == Some(true) || session.with(Option::is_none) {
            return asked.unwrap_or(false);
        }
        leptos::task::spawn_local(async {
            pwa::request_persistence().await;
        });
        true
    });
    view! {
        <Router>
            <header class="app-bar">
                <a class="app-bar__title" href="/">"Organise"</a>
            </header>
            <main class="screen">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/sign-in") view=SignIn />
                    <Route path=path!("/settings") view=Settings />
                </Routes>
            </main>
            <UpdateBanner />
        </Router>
    }
}
