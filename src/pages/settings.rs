//! The settings screen: for now, what the browser does with the app's data.

use leptos::prelude::*;

use crate::components::storage_status::StorageStatus;

/// Settings, starting with storage on this device.
#[component]
pub fn Settings() -> impl IntoView {
    view! {
        <h1>"Settings"</h1>
        <section aria-labelledby="settings-storage">
            <h2 id="settings-storage">"This device"</h2>
            <StorageStatus />
        </section>
    }
}
