//! The browser's sync driver: when to run core's sync pass, and what the status line says
//! about it.
//!
//! The pass itself ([`engine::sync_once`]: push the outbox, then pull until caught up) and
//! the wait after failures ([`engine::retry_wait_ms`]) are core's, tested natively. This
//! module runs the pass over [`crate::api`] and the device's store at start, on `online`,
//! when the page becomes visible, every minute and shortly after each change; runs one pass
//! at a time (a request during a pass runs another after it); and takes the data's Web Lock,
//! so one tab works on the data.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::sync::engine::{self, Answer, Failure, Transport, TransportError};
use organise_core::sync::replica::Replica;
use organise_core::sync::wire::{
    PullRefusal, PullRequest, PullResponse, PushRefusal, PushRequest, PushResponse,
};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::VisibilityState;
use web_sys::js_sys::{Date, Function, Math, Object, Promise, Reflect};

use super::data::{self, Device, device};
use super::{mark, measure};
use crate::api::{self, ApiError};
use crate::i18n::t;
use crate::pwa::handler;
use crate::storage::StorageError;

/// The Web Lock the tab working on the data holds.
const LOCK_NAME: &str = "organise-data";
/// The User Timing measure of each sync pass: pushing the outbox, then pulling and saving
/// every page until caught up.
pub const SYNC_MEASURE: &str = "organise-sync";
const SYNC_START: &str = "organise-sync-start";
/// How often to sync while the app is open, when nothing else prompts it.
const EVERY: Duration = Duration::from_secs(60);
/// How long after a change to sync, so a burst of taps goes in one push.
const AFTER_CHANGE: Duration = Duration::from_millis(800);

/// The driver's state, kept with the device.
#[derive(Default)]
pub(super) struct DriverState {
    running: Cell<bool>,
    again: Cell<bool>,
    failures: Cell<u32>,
    retry_at: Cell<f64>,
}

thread_local! {
    static LISTENING: Cell<bool> = const { Cell::new(false) };
    /// Whether this page holds the data's Web Lock (it keeps it until it closes).
    static LOCKED: Cell<bool> = const { Cell::new(false) };
}

/// Core's transport over the JSON API, with the session's CSRF token.
struct Api {
    csrf: String,
}

impl Transport for Api {
    async fn push(&self, request: &PushRequest) -> Answer<PushResponse, PushRefusal> {
        api::push(&self.csrf, request).await.map_err(transport)
    }

    async fn pull(&self, request: &PullRequest) -> Answer<PullResponse, PullRefusal> {
        api::pull(&self.csrf, request).await.map_err(transport)
    }
}

/// An API error as core's engine classifies it, worded as the API words it.
fn transport(error: ApiError) -> TransportError {
    match error {
        ApiError::Offline => TransportError::Offline,
        ApiError::SignedOut => TransportError::SignedOut,
        other => TransportError::Other(other.to_string()),
    }
}

/// The device as core's engine sees it: the replica, and its save to IndexedDB.
impl engine::Device for Device {
    type Error = StorageError;

    fn with_replica<T>(&self, step: impl FnOnce(&mut Replica) -> T) -> Option<T> {
        self.replica.borrow_mut().as_mut().map(step)
    }

    async fn save(&self) -> Result<(), StorageError> {
        data::save(self).await
    }
}

/// Asks for a sync now (a press of "Sync now", the connection coming back).
pub fn request_sync() {
    let Some(device) = device() else { return };
    device.driver.failures.set(0);
    device.driver.retry_at.set(0.0);
    run(device);
}

/// Syncs a moment after a change, so a burst of taps goes in one push.
pub(super) fn after_change() {
    schedule(AFTER_CHANGE);
}

/// Syncs after `delay`, unless backing off.
fn schedule(delay: Duration) {
    set_timeout(
        || {
            if let Some(device) = device()
                && Date::now() >= device.driver.retry_at.get()
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
    if device.driver.running.replace(true) {
        device.driver.again.set(true);
        return;
    }
    spawn_local(async move {
        loop {
            device.driver.again.set(false);
            device.context.status.update(|s| s.syncing = true);
            mark(SYNC_START);
            let api = Api {
                csrf: device.csrf.borrow().clone(),
            };
            let outcome = engine::sync_once(&*device, &api).await;
            measure(SYNC_MEASURE, SYNC_START);
            device.context.status.update(|s| s.syncing = false);
            match outcome {
                Ok(()) => {
                    device.driver.failures.set(0);
                    data::synced(&device).await;
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
            data::refresh(&device);
            if !device.driver.again.get() {
                break;
            }
        }
        data::refresh(&device);
        device.driver.running.set(false);
    });
}

/// Shows why the pass stopped and, unless the person must sign in first, tries again after
/// core's wait for this many failures in a row.
fn back_off(device: &Device, failure: Failure) {
    let retries = failure.retries();
    match failure {
        Failure::SignedOut => device.context.status.update(|s| s.signed_out = true),
        Failure::Offline => device.context.status.update(|s| s.online = false),
        Failure::Problem(problem) => show_problem(device, problem),
        Failure::Stuck(stuck) => show_problem(device, t::sync_stuck(&stuck.to_string())),
        Failure::PushRefused(refusal) => {
            show_problem(device, t::sync_push_refused(&refusal.to_string()))
        }
        Failure::PullRefused(refusal) => {
            show_problem(device, t::sync_pull_refused(&refusal.to_string()))
        }
    }
    if !retries {
        return;
    }
    let failures = device.driver.failures.get() + 1;
    device.driver.failures.set(failures);
    let wait = engine::retry_wait_ms(failures, Math::random());
    device.driver.retry_at.set(Date::now() + wait as f64);
    schedule(Duration::from_millis(wait));
}

/// Shows `problem` in the sync bar until a pass succeeds; the server was reached.
fn show_problem(device: &Device, problem: String) {
    device.context.status.update(|s| {
        s.online = true;
        s.problem = Some(problem);
    });
}

/// Syncs when the connection comes back, when the app is shown again, and every minute.
pub(super) fn listen() {
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

/// Makes this tab the one working on the data, once per page: takes the Web Lock at once if
/// it is free, or says another tab has it and waits for it.
pub(super) async fn take_lock(device: &Device) {
    if LOCKED.get() {
        return;
    }
    if !hold_lock(false).await {
        device.context.status.update(|s| s.other_tab = true);
        hold_lock(true).await;
        device.context.status.update(|s| s.other_tab = false);
    }
    LOCKED.set(true);
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
