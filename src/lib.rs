//! Organise's client: a Leptos single-page app that keeps its data in IndexedDB and syncs with
//! the server's JSON API.
//!
//! Screens live in [`pages`] (the signed-in session they share in [`session`], signing out
//! in [`sign_out`]), talking to
//! the server in [`api`], local storage in [`storage`],
//! the service worker and persistent storage in [`pwa`], shared pieces in [`components`],
//! every sentence in the message catalogue of [`i18n`].

pub mod api;
pub mod app;
pub mod change;
pub mod components;
pub mod i18n;
pub mod pages;
pub mod pwa;
pub mod session;
pub mod sign_out;
pub mod storage;
pub mod sync;

#[cfg(test)]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

/// The User Timing mark set once the app has rendered its first screen; `cargo xtask bench`
/// reads it to measure start-up.
pub const MOUNTED_MARK: &str = "organise-mounted";

/// Mounts the app on the page. Called once, from `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    i18n::start();
    leptos::mount::mount_to_body(app::App);
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(MOUNTED_MARK);
    }
}
