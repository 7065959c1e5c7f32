//! Organise's client: a Leptos single-page app that keeps its data in IndexedDB and syncs with
//! the server's JSON API.
//!
//! Screens live in [`pages`], talking to the server in [`api`], local storage in [`storage`],
//! the service worker and persistent storage in [`pwa`], shared pieces in [`components`].

pub mod api;
pub mod app;
pub mod components;
pub mod pages;
pub mod pwa;
pub mod storage;

/// Mounts the app on the page. Called once, from `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
