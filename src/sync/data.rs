//! The device's data: the IndexedDB store and the signed-in user's replica, read and written
//! by the screens, saved change by change, and wiped at sign-out.
//!
//! One [`Device`] per page holds the [`Store`] and, once someone is signed in, their
//! [`Replica`]. Every change goes through [`write`]: the replica records it, and its
//! [`Changes`](organise_core::sync::Changes) (the record and its outbox entry) are saved in one
//! transaction before the screen shows it as saved. The sync driver reaches the same replica
//! and saves through [`save`], so a pulled page lands the same way a change does.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use leptos::prelude::*;
use organise_core::canvass::{Waiting, Walk, Walks};
use organise_core::id::{ListId, RecordId, Timestamp, UserId};
use organise_core::session::SessionInfo;
use organise_core::sync::replica::{LocalRefusal, Replica};
use organise_core::sync::wire::ClientId;
use organise_core::sync::{LocalStore, ReplicaParts};
use serde::{Deserialize, Serialize};
use web_sys::js_sys::Date;

use super::driver::{self, DriverState};
use super::{SyncContext, SyncStatus, mark, measure};
use crate::i18n::{self, t};
use crate::storage::{DATABASE_NAME, StorageError, Store};

/// The meta key of the signed-in session, kept so the app opens offline.
const SESSION_KEY: &str = "session";
/// The meta key of [`SyncMeta`].
const SYNC_KEY: &str = "sync";
/// The User Timing measure of each change's save (record and outbox entry, one
/// transaction).
pub const SAVE_MEASURE: &str = "organise-save";
const SAVE_START: &str = "organise-save-start";

/// Timestamps kept beside the replica for the status line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
struct SyncMeta {
    last_synced: Option<f64>,
    pending_since: Option<f64>,
}

/// The page's hold on the device's data.
pub(super) struct Device {
    pub(super) store: Store,
    pub(super) replica: RefCell<Option<Replica>>,
    pub(super) csrf: RefCell<String>,
    pub(super) context: SyncContext,
    meta: Cell<SyncMeta>,
    /// When the driver syncs next, and whether a pass is under way.
    pub(super) driver: DriverState,
    /// The replica's generation when the revision last moved; `None` once another replica
    /// (or none) has taken its place.
    shown: Cell<Option<u64>>,
}

thread_local! {
    static DEVICE: RefCell<Option<Rc<Device>>> = const { RefCell::new(None) };
}

pub(super) fn device() -> Option<Rc<Device>> {
    DEVICE.with_borrow(Clone::clone)
}

/// A new record id: the time and ten random bytes from the browser's cryptographic source.
pub fn mint_id() -> RecordId {
    let mut random = [0u8; 10];
    let filled = window()
        .crypto()
        .and_then(|crypto| crypto.get_random_values_with_u8_array(&mut random));
    if filled.is_err() {
        // No Web Crypto (very old browsers): ids must still differ.
        for byte in &mut random {
            *byte = (web_sys::js_sys::Math::random() * 256.0) as u8;
        }
    }
    RecordId::new_v7(Timestamp(Date::now() as i64), random)
}

/// Opens the device's store and returns the session saved on it, if someone signed in here.
pub async fn open(context: SyncContext) -> Result<Option<SessionInfo>, StorageError> {
    if let Some(device) = device() {
        return device.store.get_meta(SESSION_KEY).await;
    }
    let store = Store::open_watched(
        DATABASE_NAME,
        move || context.status.update(|s| s.upgrade_blocked = true),
        move || context.status.update(|s| s.replaced = true),
    )
    .await?;
    context.status.update(|s| s.upgrade_blocked = false);
    let session = store.get_meta::<SessionInfo>(SESSION_KEY).await?;
    let meta = store
        .get_meta::<SyncMeta>(SYNC_KEY)
        .await?
        .unwrap_or_default();
    DEVICE.set(Some(Rc::new(Device {
        store,
        replica: RefCell::new(None),
        csrf: RefCell::new(String::new()),
        context,
        meta: Cell::new(meta),
        driver: DriverState::default(),
        shown: Cell::new(None),
    })));
    driver::listen();
    Ok(session)
}

/// Starts work on `session`'s data: saves the session for offline starts, loads the replica
/// (wiping another user's data first), and syncs. Waits for another tab to let go first.
pub async fn start(session: &SessionInfo) -> Result<(), StorageError> {
    let Some(device) = device() else {
        return Err(StorageError::Unavailable);
    };
    device.store.put_meta(SESSION_KEY, session).await?;
    *device.csrf.borrow_mut() = session.csrf_token.clone();
    device.context.status.update(|s| s.signed_out = false);
    if device
        .replica
        .borrow()
        .as_ref()
        .is_some_and(|r| r.user() == session.user.id)
    {
        driver::request_sync();
        return Ok(());
    }
    driver::take_lock(&device).await;
    let replica = load_or_create(&device, session.user.id).await?;
    *device.replica.borrow_mut() = Some(replica);
    device.shown.set(None);
    save(&device).await?;
    device.context.status.update(|s| s.ready = true);
    refresh(&device);
    driver::request_sync();
    Ok(())
}

async fn load_or_create(device: &Device, user: UserId) -> Result<Replica, StorageError> {
    match device.store.load().await? {
        Some(parts) if parts.meta.user == user => Ok(Replica::from_parts(parts)),
        Some(ReplicaParts { .. }) => {
            // Another person's data on a shared phone: it goes before this person's comes.
            let session = device.store.get_meta::<SessionInfo>(SESSION_KEY).await?;
            device.store.wipe().await?;
            if let Some(session) = session {
                device.store.put_meta(SESSION_KEY, &session).await?;
            }
            device.meta.set(SyncMeta::default());
            Ok(Replica::new(ClientId(mint_id()), user))
        }
        None => Ok(Replica::new(ClientId(mint_id()), user)),
    }
}

/// The session went stale on the server: keep everything, and ask to sign in again.
pub fn mark_signed_out() {
    if let Some(device) = device() {
        device.context.status.update(|s| s.signed_out = true);
    }
}

/// Replaces the CSRF token after the server confirmed the session.
pub async fn refresh_session(session: &SessionInfo) -> Result<(), StorageError> {
    let Some(device) = device() else {
        return Ok(());
    };
    *device.csrf.borrow_mut() = session.csrf_token.clone();
    device.context.status.update(|s| s.signed_out = false);
    device.store.put_meta(SESSION_KEY, session).await
}

/// Signs out on this device: forgets the session and wipes every personal record here, so
/// the next person to use the phone finds nothing.
pub async fn wipe() -> Result<(), StorageError> {
    let Some(device) = device() else {
        return Ok(());
    };
    *device.replica.borrow_mut() = None;
    device.shown.set(None);
    device.csrf.borrow_mut().clear();
    device.meta.set(SyncMeta::default());
    device.store.wipe().await?;
    device.context.status.set(SyncStatus {
        online: device.context.status.get_untracked().online,
        ..SyncStatus::default()
    });
    device.context.revision.update(|r| *r += 1);
    Ok(())
}

/// Keeps `value` on the device under `key`, beside the replica: wiped with it when someone
/// signs out or another person signs in.
pub async fn keep<T: Serialize>(key: &str, value: &T) -> Result<(), StorageError> {
    let device = device().ok_or(StorageError::Unavailable)?;
    device.store.put_meta(key, value).await
}

/// What [`keep`] kept under `key`, if anything.
pub async fn kept<T: serde::de::DeserializeOwned>(key: &str) -> Result<Option<T>, StorageError> {
    let device = device().ok_or(StorageError::Unavailable)?;
    device.store.get_meta(key).await
}

/// Forgets what [`keep`] kept under `key`.
pub async fn forget_kept(key: &str) -> Result<(), StorageError> {
    let device = device().ok_or(StorageError::Unavailable)?;
    device.store.delete_meta(key).await
}

/// Reads the replica, if one is loaded. Call [`SyncContext::revision`]'s `track` first in a
/// reactive view.
pub fn read<T>(f: impl FnOnce(&Replica) -> T) -> Option<T> {
    let device = device()?;
    let replica = device.replica.borrow();
    replica.as_ref().map(f)
}

thread_local! {
    static WALKS: RefCell<Walks> = RefCell::default();
}

/// `list`'s walk as [`Walk::read`] reads it, kept between taps while no list or person
/// changed (see [`Walks`]).
pub fn walk(replica: &Replica, list: ListId) -> Option<Arc<Walk>> {
    WALKS.with_borrow_mut(|walks| walks.read(replica, list))
}

/// What to do when a newer version of the app took over in another tab.
pub fn replaced() -> String {
    t::app_error_replaced()
}

/// Why a change was not saved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    /// Nobody is signed in here, or the data is not loaded yet.
    NotReady,
    /// The replica refused it (a conflict that no longer exists, a record that is gone).
    Refused(LocalRefusal),
    /// The device could not save it; nothing of it was kept.
    Storage(StorageError),
    /// A newer version of the app in another tab took over the device's store.
    Replaced,
}

impl std::fmt::Display for WriteError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WriteError::NotReady => f.write_str(t::app_error_loading()),
            WriteError::Refused(LocalRefusal::Invalid(problems)) => {
                let sentences: Vec<String> =
                    problems.iter().map(|p| i18n::problem(&p.problem)).collect();
                f.write_str(&t::app_error_not_saved(&sentences.join(" ")))
            }
            WriteError::Refused(refusal) => {
                f.write_str(&t::app_error_not_saved_because(&refusal.to_string()))
            }
            WriteError::Storage(error) => write!(f, "{error}"),
            WriteError::Replaced => f.write_str(&replaced()),
        }
    }
}

/// Makes a change: applies it to the replica and saves it with its outbox entries, in one
/// transaction, before returning. A change may make several mutations (a conversation, its
/// story and the person's new details); they are saved together or not at all. A change that
/// is refused part way, or cannot be saved, is undone.
pub async fn write<T>(
    change: impl FnOnce(&mut Replica) -> Result<T, LocalRefusal>,
) -> Result<T, WriteError> {
    let device = device().ok_or(WriteError::NotReady)?;
    if device.context.status.get_untracked().replaced {
        return Err(WriteError::Replaced);
    }
    let answer = {
        let mut replica = device.replica.borrow_mut();
        let replica = replica.as_mut().ok_or(WriteError::NotReady)?;
        change(replica).map_err(|refusal| {
            let partial = !replica.take_changes().is_empty();
            (refusal, partial)
        })
    };
    let answer = match answer {
        Ok(answer) => answer,
        Err((refusal, partial)) => {
            if partial {
                // Mutations made before the refusal must not be saved with a later change.
                reload(&device).await;
            }
            return Err(WriteError::Refused(refusal));
        }
    };
    mark(SAVE_START);
    let saved = save(&device).await;
    measure(SAVE_MEASURE, SAVE_START);
    if let Err(error) = saved {
        // The store is as it was before the change; so must the replica be.
        reload(&device).await;
        return Err(WriteError::Storage(error));
    }
    refresh(&device);
    driver::after_change();
    Ok(answer)
}

/// Puts the replica back as the device's store holds it, dropping unsaved changes.
async fn reload(device: &Device) {
    if let Ok(Some(parts)) = device.store.load().await {
        *device.replica.borrow_mut() = Some(Replica::from_parts(parts));
        device.shown.set(None);
    }
    refresh(device);
}

/// Saves what the replica changed since the last save, with the status timestamps.
pub(super) async fn save(device: &Device) -> Result<(), StorageError> {
    let changes = match device.replica.borrow_mut().as_mut() {
        Some(replica) => replica.take_changes(),
        None => return Ok(()),
    };
    if changes.is_empty() {
        return Ok(());
    }
    if let Err(error) = device.store.apply(&changes).await {
        device
            .context
            .status
            .update(|s| s.problem = Some(error.to_string()));
        return Err(error);
    }
    let pending = read_pending(device);
    let before = device.meta.get();
    let meta = SyncMeta {
        pending_since: match (pending, before.pending_since) {
            (0, _) => None,
            (_, Some(since)) => Some(since),
            (_, None) => Some(Date::now()),
        },
        ..before
    };
    if meta != before {
        device.meta.set(meta);
        // The timestamps only feed the status line: losing them loses nothing. They change
        // only when the first change starts waiting or the last is sent, so a tap at a door
        // costs one transaction.
        let _ = device.store.put_meta(SYNC_KEY, &meta).await;
    }
    Ok(())
}

fn read_pending(device: &Device) -> usize {
    device
        .replica
        .borrow()
        .as_ref()
        .map_or(0, |r| r.outbox().count())
}

/// Brings the status and the revision up to date with the replica. The revision moves only
/// if what the replica shows may have changed (its generation moved, or it was replaced), so
/// a sync that brought nothing re-reads no screen.
pub(super) fn refresh(device: &Device) {
    let (pending, waiting, conflicts, rejected, dropped, generation) = device
        .replica
        .borrow_mut()
        .as_mut()
        .map_or((0, Waiting::default(), 0, 0, 0, None), |r| {
            (
                r.outbox().count(),
                Waiting::read(r),
                r.visible_conflicts().len(),
                r.rejected().count(),
                r.take_dropped(),
                Some(r.generation()),
            )
        });
    let meta = device.meta.get();
    device.context.status.update(|s| {
        s.pending = pending;
        s.waiting = waiting;
        s.pending_since = meta.pending_since;
        s.last_synced = meta.last_synced;
        s.conflicts = conflicts;
        s.rejected = rejected;
        s.dropped += dropped;
    });
    let moved = generation.is_none() || device.shown.get() != generation;
    device.shown.set(generation);
    if moved {
        device.context.revision.update(|r| *r += 1);
    }
}

/// Notes that a pass completed now, for the status line.
pub(super) async fn synced(device: &Device) {
    let mut meta = device.meta.get();
    meta.last_synced = Some(Date::now());
    device.meta.set(meta);
    // Only the status line reads it: losing it loses nothing.
    let _ = device.store.put_meta(SYNC_KEY, &meta).await;
}
