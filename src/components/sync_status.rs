//! The sync status, always on screen while someone is signed in: online or not, what waits to
//! be sent and for how long, when the last sync was, and links to conflicts and rejected
//! changes.

use leptos::prelude::*;
use leptos_router::components::A;
use web_sys::js_sys::Date;

use crate::i18n::{self, t};
use crate::sync::{self, SyncContext, SyncStatus};

/// Less than this long ago (ms) is "just now", and a wait this short goes unsaid: the bar
/// stays one short sentence while work is sent as it is done.
const JUST_NOW: f64 = 60_000.0;

/// "3 minutes", "2 hours": how long ago `since` (ms since the epoch) was, roughly.
pub fn ago(since: f64, now: f64) -> String {
    let minutes = ((now - since) / 60_000.0).max(0.0).floor() as u64;
    match minutes as usize {
        0 => t::sync_less_than_a_minute().to_owned(),
        m if m < 60 => t::sync_minutes(m),
        m if m < 48 * 60 => t::sync_hours(m / 60),
        m => t::sync_days(m / (24 * 60)),
    }
}

/// The main line of the status, as a sentence.
pub fn headline(status: &SyncStatus, now: f64) -> String {
    if status.replaced {
        return sync::replaced();
    }
    if status.upgrade_blocked {
        return t::sync_updating();
    }
    if status.other_tab {
        return t::sync_other_tab();
    }
    let connection = if status.signed_out {
        t::sync_signed_out().to_owned()
    } else if status.syncing {
        t::sync_syncing().to_owned()
    } else if !status.online {
        t::sync_offline().to_owned()
    } else {
        match status.last_synced {
            Some(at) if now - at < JUST_NOW => t::sync_synced_just_now().to_owned(),
            Some(at) => t::sync_synced_ago(&ago(at, now)),
            None => t::sync_never().to_owned(),
        }
    };
    let waiting = match (i18n::waiting(status.waiting), status.pending_since) {
        (None, _) => t::sync_all_sent().to_owned(),
        (Some((what, n)), Some(since)) if now - since >= JUST_NOW => {
            t::sync_waiting_since(&what, n, &ago(since, now))
        }
        (Some((what, n)), _) => t::sync_waiting(&what, n),
    };
    format!("{connection} {waiting}")
}

fn reload() {
    if let Some(window) = web_sys::window() {
        let _ = window.location().reload();
    }
}

/// The bar under the app bar.
#[component]
pub fn SyncBar() -> impl IntoView {
    let SyncContext { status, .. } = expect_context();
    // Re-render the relative times every half minute.
    let now = RwSignal::new(Date::now());
    set_interval(
        move || now.set(Date::now()),
        std::time::Duration::from_secs(30),
    );
    let offline = move || {
        status.with(|s| !s.online || s.signed_out || s.other_tab || s.upgrade_blocked || s.replaced)
    };
    let held_up = move || status.with(|s| s.signed_out || s.other_tab || s.replaced);
    view! {
        <section class="sync-bar" class:sync-bar--offline=offline aria-label=t::sync_status()>
            <p class="sync-bar__line" role="status" aria-live="polite">
                {move || headline(&status.get(), now.get())}
            </p>
            <div class="sync-bar__actions">
                <Show when=move || status.with(|s| s.signed_out)>
                    <A href="/sign-in" attr:class="sync-bar__link">{t::sync_sign_in_again()}</A>
                </Show>
                <Show when=move || status.with(|s| s.conflicts > 0)>
                    <A href="/conflicts" attr:class="sync-bar__link">
                        {move || status.with(|s| t::sync_conflicts(s.conflicts))}
                    </A>
                </Show>
                <Show when=move || status.with(|s| s.rejected > 0)>
                    <A href="/rejected" attr:class="sync-bar__link">
                        {move || status.with(|s| t::sync_rejected(s.rejected))}
                    </A>
                </Show>
                <Show when=move || status.with(|s| s.replaced)>
                    <button type="button" class="sync-bar__button" on:click=|_| reload()>
                        {t::sync_reload()}
                    </button>
                </Show>
                <Show when=move || !held_up() && status.with(|s| !s.syncing)>
                    <button type="button" class="sync-bar__button" on:click=|_| sync::request_sync()>
                        {t::sync_now()}
                    </button>
                </Show>
            </div>
            <Show when=move || status.with(|s| s.dropped > 0)>
                <p class="sync-bar__problem" role="status">
                    {move || status.with(|s| t::sync_dropped(s.dropped))}" "
                    <button type="button" class="sync-bar__button"
                        on:click=move |_| status.update(|s| s.dropped = 0)>{t::sync_dropped_seen()}</button>
                </p>
            </Show>
            <Show when=move || status.with(|s| s.problem.is_some())>
                <p class="sync-bar__problem" role="alert">{move || status.with(|s| s.problem.clone())}</p>
            </Show>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use organise_core::canvass::Waiting;

    #[wasm_bindgen_test::wasm_bindgen_test]
    fn the_headline_says_what_waits_and_for_how_long() {
        let now = 10.0 * 3_600_000.0;
        let status = SyncStatus {
            online: false,
            pending: 5,
            waiting: Waiting {
                doors: 2,
                conversations: 1,
                other: 1,
            },
            pending_since: Some(now - 2.0 * 3_600_000.0),
            ..SyncStatus::default()
        };
        assert_eq!(
            headline(&status, now),
            "Offline. 2 doors, 1 conversation and 1 other change are waiting to be sent, for 2 hours."
        );
        let one = SyncStatus {
            waiting: Waiting {
                other: 1,
                ..Waiting::default()
            },
            ..status.clone()
        };
        assert_eq!(
            headline(&one, now),
            "Offline. 1 change is waiting to be sent, for 2 hours."
        );
        let synced = SyncStatus {
            online: true,
            last_synced: Some(now - 60_000.0),
            ..SyncStatus::default()
        };
        assert_eq!(
            headline(&synced, now),
            "Synced 1 minute ago. All changes sent."
        );
        // Work sent as it is done is not timed, and a sync a moment ago is "just now".
        let moment = SyncStatus {
            last_synced: Some(now - 20_000.0),
            waiting: Waiting {
                doors: 1,
                ..Waiting::default()
            },
            pending_since: Some(now - 5_000.0),
            ..synced.clone()
        };
        assert_eq!(
            headline(&moment, now),
            "Synced just now. 1 door is waiting to be sent."
        );
        let replaced = SyncStatus {
            replaced: true,
            ..synced.clone()
        };
        assert_eq!(headline(&replaced, now), sync::replaced());
        let waiting = SyncStatus {
            upgrade_blocked: true,
            ..synced
        };
        assert!(headline(&waiting, now).starts_with("Organise is updating."));
    }
}
