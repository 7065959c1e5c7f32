//! The device's data and its sync with the server, in the browser.
//!
//! - `data`: one `Device` per page holds the IndexedDB store and, once someone is signed
//!   in, their replica. Every change goes through [`write`]: the replica records it, and its
//!   [`Changes`](organise_core::sync::Changes) (the record and its outbox entry) are saved in
//!   one transaction before the screen shows it as saved. Screens read through [`read`] after
//!   tracking [`SyncContext::revision`], which moves only when what the replica shows may
//!   have changed (see [`Replica::generation`](organise_core::sync::Replica::generation)).
//! - `driver`: when to sync. It runs core's
//!   [`sync_once`](organise_core::sync::engine::sync_once) over the JSON API and the device's
//!   store at start, when the connection comes back, when the app becomes visible, on a timer
//!   and shortly after each change, backing off after failures as core's
//!   [`retry_wait_ms`](organise_core::sync::engine::retry_wait_ms) says. Only one tab works
//!   on the data at a time: the first holds a Web Lock for as long as it is open; a second
//!   waits for it, saying so, rather than both assigning the same sequence numbers.

mod data;
mod driver;

use leptos::prelude::*;
use organise_core::canvass::Waiting;

pub use data::{
    SAVE_MEASURE, WriteError, forget_kept, keep, kept, mark_signed_out, mint_id, open, read,
    refresh_session, replaced, start, walk, wipe, write,
};
pub use driver::{SYNC_MEASURE, request_sync};

/// What the sync status shows. Every field is about this device.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    /// Whether the last attempt reached the server (and the browser says it is online).
    pub online: bool,
    /// Whether a sync is under way.
    pub syncing: bool,
    /// Changes made here that the server has not yet acknowledged.
    pub pending: usize,
    /// The same, in the terms of the work (doors, conversations, other changes), as every
    /// screen that says what waits words it (`i18n::waiting`).
    pub waiting: Waiting,
    /// Since when the oldest of them has waited (ms since the epoch).
    pub pending_since: Option<f64>,
    /// When a sync last completed (ms since the epoch).
    pub last_synced: Option<f64>,
    /// Open conflicts this user can resolve.
    pub conflicts: usize,
    /// Changes the server rejected, until discarded.
    pub rejected: usize,
    /// Changes made here and dropped unsent (or rejected) because the person they named was
    /// erased, until the person holding the phone has seen the sentence saying so.
    pub dropped: usize,
    /// What went wrong last, as a sentence (storage, a refusal), until it goes right.
    pub problem: Option<String>,
    /// The server no longer knows the session: sign in again (nothing here is lost).
    pub signed_out: bool,
    /// Another tab or window is working on the data; this one waits.
    pub other_tab: bool,
    /// This tab must upgrade the device's store, and an older tab still has it open.
    pub upgrade_blocked: bool,
    /// A newer version of the app in another tab took over the device's store: this tab
    /// saves nothing more until it is reloaded.
    pub replaced: bool,
    /// Whether the data is loaded and ready to read.
    pub ready: bool,
}

/// The reactive side of the device's data, provided as context by the app shell.
#[derive(Clone, Copy)]
pub struct SyncContext {
    /// The sync status.
    pub status: RwSignal<SyncStatus>,
    /// Moves when what the replica shows may have changed; track it before [`read`].
    pub revision: RwSignal<u64>,
}

impl SyncContext {
    /// New signals.
    pub fn new() -> SyncContext {
        SyncContext {
            status: RwSignal::new(SyncStatus {
                online: window().navigator().on_line(),
                ..SyncStatus::default()
            }),
            revision: RwSignal::new(0),
        }
    }
}

impl Default for SyncContext {
    fn default() -> Self {
        SyncContext::new()
    }
}

/// Marks the start of something `cargo xtask bench` times, for [`measure`].
pub(crate) fn mark(start: &str) {
    if let Some(timing) = window().performance() {
        let _ = timing.mark(start);
    }
}

/// Records a User Timing measure `name` from the mark `start` to now.
pub(crate) fn measure(name: &str, start: &str) {
    if let Some(timing) = window().performance() {
        let _ = timing.measure_with_start_mark(name, start);
    }
}
