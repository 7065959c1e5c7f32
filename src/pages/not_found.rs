//! The screen for a path the app does not know.

use leptos::prelude::*;

use crate::i18n::t;

/// "Page not found", with a way home.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>{t::app_not_found()}</h1>
        <p><a class="button" href="/">{t::app_go_to_start()}</a></p>
    }
}
