//! The app shell: routes, the shared session, and the frame every screen sits in.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::pages::{home::Home, not_found::NotFound, sign_in::SignIn};
use organise_core::session::SessionInfo;

/// The session shared by every screen: `None` until someone signs in.
#[derive(Clone, Copy)]
pub struct CurrentSession(pub RwSignal<Option<SessionInfo>>);

/// The root component.
#[component]
pub fn App() -> impl IntoView {
    let session = RwSignal::new(None);
    provide_context(CurrentSession(session));
    view! {
        <Router>
            <header class="app-bar">
                <a class="app-bar__title" href="/">"Organise"</a>
            </header>
            <main class="screen">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Home />
                    <Route path=path!("/sign-in") view=SignIn />
                </Routes>
            </main>
        </Router>
    }
}
