//! Whether the browser keeps the app's data, and how much room it uses.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::pwa::{self, StorageReport};

/// "Storage: kept by the browser" or "may be cleared", with the usage and the quota.
#[component]
pub fn StorageStatus() -> impl IntoView {
    // `None` while asking; `Some(None)` when the browser has no storage manager.
    let report = RwSignal::new(None::<Option<StorageReport>>);
    spawn_local(async move { report.set(Some(pwa::storage_report().await)) });
    move || match report.get() {
        None => view! { <p class="muted">"Checking storage…"</p> }.into_any(),
        Some(None) => {
            view! { <p>"This browser does not say how it keeps the app's data."</p> }.into_any()
        }
        Some(Some(report)) => view! {
            <p class="storage-status">
                {if report.persisted {
                    "Storage: kept by the browser."
                } else {
                    "Storage: may be cleared by the browser if the device runs short of space."
                }}
            </p>
            <p class="storage-status">{usage_sentence(&report)}</p>
        }
        .into_any(),
    }
}

fn usage_sentence(report: &StorageReport) -> String {
    match (report.usage, report.quota) {
        (Some(usage), Some(quota)) => {
            format!("Using {} of {} available.", bytes(usage), bytes(quota))
        }
        (Some(usage), None) => format!("Using {}.", bytes(usage)),
        _ => "The browser does not say how much room the app uses.".to_owned(),
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
