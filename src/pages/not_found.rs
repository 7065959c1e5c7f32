//! The screen for a path the app does not know.

use leptos::prelude::*;

/// "Page not found", with a way home.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p><a class="button" href="/">"Go to the start"</a></p>
    }
}
