//! The device's data and its sync with the server.
//!
//! One [`Device`] per page holds the IndexedDB [`Store`] and, once someone is signed in, their
//! [`Replica`]. Every change goes through [`write`]: the replica records it, and its
//! [`Changes`](organise_core::sync::Changes) (the record and its outbox entry) are saved in one
//! transaction before the screen shows it as saved. Screens read through [`read`] after
//! tracking [`SyncContext::revision`], which moves only when what the replica shows may have
//! changed (see [`Replica::generation`]).
//!
//! The engine pushes the outbox and pulls pages at start, when the connection comes back,
//! when the app becomes visible, on a timer and shortly after each change, backing off after
//! failures. Only one tab works on the data at a time: the first holds a Web Lock for as long
//! as it is open; a second waits for it, saying so, rather than both assigning the same
//! sequence numbers.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::canvass::{Walk, Walks};
use organise_core::id::{ListId, RecordId, Timestamp, UserId};
use organise_core::session::SessionInfo;
use organise_core::sync::replica::{LocalRefusal, Replica};
use organise_core::sync::server::MAX_PAGE;
use organise_core::sync::wire::{ClientId, MAX_PUSH_BATCH};
use organise_core::sync::{LocalStore, ReplicaParts};
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::VisibilityState;
use web_sys::js_sys::{Date, Function, Object, Promise, Reflect};

use crate::api::{self, ApiError};
use crate::pwa::handler;
use crate::storage::{DATABASE_NAME, StorageError, Store};

/// The meta key of the signed-in session, kept so the app opens offline.
const SESSION_KEY: &str = "session";
/// The meta key of [`SyncMeta`].
const SYNC_KEY: &str = "sync";
/// The Web Lock the tab working on the data holds.
const LOCK_NAME: &str = "organise-data";
/// The User Timing measure of each change's save (record and outbox entry, one
/// transaction).
pub const SAVE_MEASURE: &str = "organise-save";
const SAVE_START: &str = "organise-save-start";
/// The User Timing measure of each sync pass: pushing the outbox, then pulling and saving
/// every page until caught up.
pub const SYNC_MEASURE: &str = "organise-sync";
const SYNC_START: &str = "organise-sync-start";
/// How often to sync while the app is open, when nothing else prompts it.
const EVERY: Duration = Duration::from_secs(60);
/// How long after a change to sync, so a burst of taps goes in one push.
const AFTER_CHANGE: Duration = Duration::from_millis(800);
/// The longest wait between attempts after failures.
const MAX_BACKOFF_MS: f64 = 5.0 * 60.0 * 1000.0;

/// What the sync status shows. Every field is about this device.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    /// Whether the last attempt reached the server (and the browser says it is online).
    pub online: bool,
    /// Whether a sync is under way.
    pub syncing: bool,
    /// Changes made here that the server has not yet acknowledged.
    pub pending: usize,
    /// Since when the oldest of them has waited (ms since the epoch).
    pub pending_since: Option<f64>,
    /// When a sync last completed (ms since the epoch).
    pub last_synced: Option<f64>,
    /// Open conflicts this user can resolve.
    pub conflicts: usize,
    /// Changes the server rejected, until discarded.
    pub rejected: usize,
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

/// Timestamps kept beside the replica for the status line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
struct SyncMeta {
    last_synced: Option<f64>,
    pending_since: Option<f64>,
}

struct Device {
    store: Store,
    replica: RefCell<Option<Replica>>,
    csrf: RefCell<String>,
    context: SyncContext,
    meta: Cell<SyncMeta>,
    running: Cell<bool>,
    again: Cell<bool>,
    failures: Cell<u32>,
    retry_at: Cell<f64>,
    /// The replica's generation when the revision last moved; `None` once another replica
    /// (or none) has taken its place.
    shown: Cell<Option<u64>>,
}

thread_local! {
    static DEVICE: RefCell<Option<Rc<Device>>> = const { RefCell::new(None) };
    static LISTENING: Cell<bool> = const { Cell::new(false) };
    /// Whether this page holds the data's Web Lock (it keeps it until it closes).
    static LOCKED: Cell<bool> = const { Cell::new(false) };
}

fn device() -> Option<Rc<Device>> {
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
        running: Cell::new(false),
        again: Cell::new(false),
        failures: Cell::new(0),
        retry_at: Cell::new(0.0),
        shown: Cell::new(None),
    })));
    listen();
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
        request_sync();
        return Ok(());
    }
    if !LOCKED.get() {
        if !hold_lock(false).await {
            device.context.status.update(|s| s.other_tab = true);
            hold_lock(true).await;
            device.context.status.update(|s| s.other_tab = false);
        }
        LOCKED.set(true);
    }
    let replica = load_or_create(&device, session.user.id).await?;
    *device.replica.borrow_mut() = Some(replica);
    device.shown.set(None);
    save(&device).await?;
    device.context.status.update(|s| s.ready = true);
    refresh(&device);
    request_sync();
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
pub const REPLACED: &str =
    "Organise was updated in another tab. Reload this one to carry on: nothing here is lost.";

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
            WriteError::NotReady => write!(f, "Your data is still loading. Try again in a moment."),
            WriteError::Refused(LocalRefusal::Invalid(problems)) => write!(
                f,
                "That could not be saved. {}",
                organise_core::validate::sentences(problems)
            ),
            WriteError::Refused(refusal) => write!(f, "That could not be saved: {refusal}."),
            WriteError::Storage(error) => write!(f, "{error}"),
            WriteError::Replaced => write!(f, "{REPLACED}"),
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
    schedule(AFTER_CHANGE);
    Ok(answer)
}

/// Marks the start of something `cargo xtask bench` times, for [`measure`].
fn mark(start: &str) {
    if let Some(timing) = window().performance() {
        let _ = timing.mark(start);
    }
}

/// Records a User Timing measure `name` from the mark `start` to now.
fn measure(name: &str, start: &str) {
    if let Some(timing) = window().performance() {
        let _ = timing.measure_with_start_mark(name, start);
    }
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
async fn save(device: &Device) -> Result<(), StorageError> {
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
fn refresh(device: &Device) {
    let (pending, conflicts, rejected, generation) =
        device
            .replica
            .borrow()
            .as_ref()
            .map_or((0, 0, 0, None), |r| {
                (
                    r.outbox().count(),
                    r.visible_conflicts().len(),
                    r.rejected().count(),
                    Some(r.generation()),
                )
            });
    let meta = device.meta.get();
    device.context.status.update(|s| {
        s.pending = pending;
        s.pending_since = meta.pending_since;
        s.last_synced = meta.last_synced;
        s.conflicts = conflicts;
        s.rejected = rejected;
    });
    let moved = generation.is_none() || device.shown.get() != generation;
    device.shown.set(generation);
    if moved {
        device.context.revision.update(|r| *r += 1);
    }
}

/// Asks for a sync now (a press of "Sync now", the connection coming back).
pub fn request_sync() {
    let Some(device) = device() else { return };
    device.failures.set(0);
    device.retry_at.set(0.0);
    run(device);
}

/// Syncs after `delay`, unless backing off.
fn schedule(delay: Duration) {
    set_timeout(
        || {
            if let Some(device) = device()
                && Date::now() >= device.retry_at.get()
            {
                run(device);
            }
        },
        delay,
    );
}

fn run(device: Rc<Device>) {
    let status = device.context.status.get_untracked();
    if device.replica.borrow().is_none() || status.signed_out || status.replaced {
        return;
    }
    if device.running.replace(true) {
        device.again.set(true);
        return;
    }
    spawn_local(async move {
        loop {
            device.again.set(false);
            device.context.status.update(|s| s.syncing = true);
            mark(SYNC_START);
            let outcome = sync_once(&device).await;
            measure(SYNC_MEASURE, SYNC_START);
            device.context.status.update(|s| s.syncing = false);
            match outcome {
                Ok(()) => {
                    device.failures.set(0);
                    let mut meta = device.meta.get();
                    meta.last_synced = Some(Date::now());
                    device.meta.set(meta);
                    let _ = device.store.put_meta(SYNC_KEY, &meta).await;
                    device.context.status.update(|s| {
                        s.online = true;
                        s.problem = None;
                    });
                }
                Err(failure) => {
                    back_off(&device, failure);
                    break;
                }
            }
            refresh(&device);
            if !device.again.get() {
                break;
            }
        }
        refresh(&device);
        device.running.set(false);
    });
}

/// Why a sync stopped.
enum Failure {
    Offline,
    SignedOut,
    Problem(String),
}

impl From<ApiError> for Failure {
    fn from(error: ApiError) -> Failure {
        match error {
            ApiError::Offline => Failure::Offline,
            ApiError::SignedOut => Failure::SignedOut,
            other => Failure::Problem(other.to_string()),
        }
    }
}

impl From<StorageError> for Failure {
    fn from(error: StorageError) -> Failure {
        Failure::Problem(error.to_string())
    }
}

fn back_off(device: &Device, failure: Failure) {
    match failure {
        Failure::SignedOut => {
            device.context.status.update(|s| s.signed_out = true);
            return;
        }
        Failure::Offline => device.context.status.update(|s| s.online = false),
        Failure::Problem(problem) => device.context.status.update(|s| {
            s.online = true;
            s.problem = Some(problem);
        }),
    }
    let failures = device.failures.get() + 1;
    device.failures.set(failures);
    // 5 s, 10 s, 20 s … up to five minutes, with jitter so phones do not retry in step.
    let base = (5_000.0 * 2f64.powi(failures.min(10) as i32 - 1)).min(MAX_BACKOFF_MS);
    let wait = base * (0.75 + 0.5 * web_sys::js_sys::Math::random());
    device.retry_at.set(Date::now() + wait);
    schedule(Duration::from_millis(wait as u64));
}

/// Pushes the whole outbox, then pulls until caught up, saving after every answer.
async fn sync_once(device: &Device) -> Result<(), Failure> {
    let csrf = device.csrf.borrow().clone();
    let mut refusals = 0;
    loop {
        save(device).await?;
        let request = match device.replica.borrow().as_ref() {
            Some(replica) => replica.push_request(MAX_PUSH_BATCH),
            None => return Ok(()),
        };
        let Some(request) = request else { break };
        match api::push(&csrf, &request).await? {
            Ok(response) => {
                if let Some(replica) = device.replica.borrow_mut().as_mut() {
                    replica.apply_push_response(&response);
                }
                save(device).await?;
            }
            Err(refusal) => {
                let stuck = device
                    .replica
                    .borrow()
                    .as_ref()
                    .map(|r| r.apply_push_refusal(&refusal));
                if let Some(Err(stuck)) = stuck {
                    return Err(Failure::Problem(format!(
                        "Your changes are kept on this phone but cannot be sent: {stuck}. Tell your organiser."
                    )));
                }
                // A gap or a malformed batch: the next push starts from the first pending
                // change again. Twice in a row means something is wrong; back off.
                refusals += 1;
                if refusals > 2 {
                    return Err(Failure::Problem(format!(
                        "The server refused the changes: {refusal}."
                    )));
                }
            }
        }
    }
    // Pipelined: while one page is saved, the next is already on its way. The next request
    // depends only on the replica, which has taken the page in before its save begins.
    let pull_request = || {
        device
            .replica
            .borrow()
            .as_ref()
            .map(|replica| replica.pull_request(MAX_PAGE))
    };
    let Some(first) = pull_request() else {
        return Ok(());
    };
    let mut page = api::pull(&csrf, &first).await?;
    loop {
        let page_now = match page {
            Ok(page) => page,
            Err(refusal) => {
                return Err(Failure::Problem(format!(
                    "The server refused to sync: {refusal}."
                )));
            }
        };
        let more = page_now.more;
        let applied = device
            .replica
            .borrow_mut()
            .as_mut()
            .map(|replica| replica.apply_pull(page_now));
        // A stale page (overtaken by another) is ignored; pull again from where the replica is.
        let done = matches!(applied, Some(Ok(_))) && !more;
        if done {
            save(device).await?;
            return Ok(());
        }
        let Some(next) = pull_request() else {
            return Ok(());
        };
        let (saved, next_page) = futures::join!(save(device), api::pull(&csrf, &next));
        saved?;
        page = next_page?;
    }
}

/// Syncs when the connection comes back, when the app is shown again, and every minute.
fn listen() {
    if LISTENING.replace(true) {
        return;
    }
    let window = window();
    let _ =
        window.add_event_listener_with_callback("online", handler(request_sync).unchecked_ref());
    let _ = window.add_event_listener_with_callback(
        "offline",
        handler(|| {
            if let Some(device) = device() {
                device.context.status.update(|s| s.online = false);
            }
        })
        .unchecked_ref(),
    );
    let document = document();
    let shown = document.clone();
    let _ = document.add_event_listener_with_callback(
        "visibilitychange",
        handler(move || {
            if shown.visibility_state() == VisibilityState::Visible {
                schedule(Duration::ZERO);
            }
        })
        .unchecked_ref(),
    );
    set_interval(|| schedule(Duration::ZERO), EVERY);
}

/// Takes the data's Web Lock and holds it while the page lives. With `wait`, waits for it;
/// without, gives up at once if another tab holds it. Browsers without Web Locks (or outside
/// a secure context) have one tab as far as this knows.
async fn hold_lock(wait: bool) -> bool {
    let navigator = window().navigator();
    let Ok(locks) = Reflect::get(&navigator, &"locks".into()) else {
        return true;
    };
    let Ok(request) =
        Reflect::get(&locks, &"request".into()).and_then(|f| f.dyn_into::<Function>())
    else {
        return true;
    };
    let mut resolve_granted = None;
    let granted = Promise::new(&mut |resolve, _| resolve_granted = Some(resolve));
    let Some(resolve_granted) = resolve_granted else {
        return true;
    };
    let callback = Closure::once_into_js(move |lock: JsValue| -> JsValue {
        let held = !lock.is_null();
        let _ = resolve_granted.call1(&JsValue::NULL, &JsValue::from_bool(held));
        if held {
            // Never settles: the lock is released when the page goes away.
            Promise::new(&mut |_, _| {}).into()
        } else {
            JsValue::UNDEFINED
        }
    });
    let options = Object::new();
    let _ = Reflect::set(&options, &"ifAvailable".into(), &JsValue::from_bool(!wait));
    if request
        .call3(&locks, &LOCK_NAME.into(), &options, &callback)
        .is_err()
    {
        return true;
    }
    JsFuture::from(granted)
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}
