//! Whether the browser keeps the app's data, and how much room it uses.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::t;
use crate::pwa::{self, StorageReport};

/// "Storage: kept by the browser" or "may be cleared", with the usage and the quota.
#[component]
pub fn StorageStatus() -> impl IntoView {
    // `None` while asking; `Some(None)` when the browser has no storage manager.
    let report = RwSignal::new(None::<Option<StorageReport>>);
    spawn_local(async move { report.set(Some(pwa::storage_report().await)) });
    move || match report.get() {
        None => view! { <p class="muted">{t::storage_checking()}</p> }.into_any(),
        Some(None) => view! { <p>{t::storage_unknown()}</p> }.into_any(),
        Some(Some(report)) => view! {
            <p class="storage-status">
                {if report.persisted { t::storage_kept() } else { t::storage_may_be_cleared() }}
            </p>
            <p class="storage-status">{usage_sentence(&report)}</p>
        }
        .into_any(),
    }
}

fn usage_sentence(report: &StorageReport) -> String {
    match (report.usage, report.quota) {
        (Some(usage), Some(quota)) => t::storage_using_of(&bytes(usage), &bytes(quota)),
        (Some(usage), None) => t::storage_using(&bytes(usage)),
        _ => t::storage_usage_unknown().to_owned(),
    }
}

/// Bytes in the decimal units phones show: "640 kB", "12.5 MB", "3.1 GB".
pub fn bytes(n: f64) -> String {
    const UNITS: [(&str, f64); 3] = [("GB", 1e9), ("MB", 1e6), ("kB", 1e3)];
    for (unit, size) in UNITS {
        if n >= size {
            let value = n / size;
            return if value >= 100.0 {
                format!("{value:.0} {unit}")
            } else {
                format!("{value:.1} {unit}")
            };
        }
    }
    format!("{n:.0} bytes")
}
