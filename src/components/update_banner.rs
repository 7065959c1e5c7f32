//! The offer to switch to a new version of the app, shown while one waits.

use leptos::prelude::*;

use crate::i18n::t;
use crate::pwa::{self, UpdateAvailable};

/// A banner at the foot of the screen: "A new version of Organise is available", with
/// {t::app_update_now()}. It never blocks the screen, and nothing reloads until the button is pressed.
#[component]
pub fn UpdateBanner() -> impl IntoView {
    let UpdateAvailable(available) = expect_context();
    let busy = RwSignal::new(false);
    let update = move |_| {
        busy.set(true);
        pwa::apply_update();
    };
    // The live region stays in the page so that screen readers announce what appears in it.
    view! {
        <div class="update-banner" class:update-banner--shown=move || available.get() role="status">
            <Show when=move || available.get()>
                <p class="update-banner__text">{t::app_update_available()}</p>
                <button type="button" class="button" disabled=move || busy.get() on:click=update>
                    {t::app_update_now()}
                </button>
            </Show>
        </div>
    }
}
