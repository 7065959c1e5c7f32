//! The installable app: registering the service worker (`/sw.js`, built by `cargo xtask dist`
//! from `public/sw.js`), noticing when a new version waits, applying it only when the person
//! accepts, and asking the browser to keep the app's storage.
//!
//! A new worker never takes over by itself: it waits, [`UpdateAvailable`] turns true, the
//! update banner offers "Update now", and only that button posts `SKIP_WAITING` to the waiting
//! worker. The page reloads once, when the new worker takes control. Unsaved work is safe
//! across that reload because everything a person saves is in IndexedDB first.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::js_sys::{Object, Promise, Reflect};
use web_sys::{
    ServiceWorker, ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState,
    StorageEstimate, StorageManager, VisibilityState,
};

/// The worker's URL; its scope is the whole site.
const WORKER_URL: &str = "/sw.js";

thread_local! {
    /// Whether the person pressed "Update now" in this page.
    static ACCEPTED: Cell<bool> = const { Cell::new(false) };
    /// Whether this page has already started reloading.
    static RELOADING: Cell<bool> = const { Cell::new(false) };
}

/// True when a new version of the app is ready and waits for the person to accept it.
/// Provided as context by the app shell.
#[derive(Clone, Copy)]
pub struct UpdateAvailable(pub RwSignal<bool>);

/// The service worker container, when the browser has one (it needs a secure context).
fn container() -> Option<ServiceWorkerContainer> {
    let navigator = window().navigator();
    Reflect::has(&navigator, &JsValue::from_str("serviceWorker"))
        .unwrap_or(false)
        .then(|| navigator.service_worker())
}

/// Wraps a handler as a JavaScript function that lives as long as the page.
pub(crate) fn handler(f: impl FnMut() + 'static) -> JsValue {
    Closure::<dyn FnMut()>::new(f).into_js_value()
}

fn reload_once() {
    if !RELOADING.replace(true) {
        let _ = window().location().reload();
    }
}

/// Registers the service worker and keeps `update` true while a new version waits.
/// Call once, when the app starts.
pub fn start(update: RwSignal<bool>) {
    let Some(container) = container() else {
        return;
    };
    // A page that starts uncontrolled gets its first controller from the first worker's
    // `clients.claim()`; that is not an update. After that, a change of controller that this
    // page did not ask for means another tab accepted an update while this one still runs the
    // old version, so it offers the reload too.
    let had_controller = Cell::new(container.controller().is_some());
    container.set_oncontrollerchange(Some(
        handler(move || {
            if ACCEPTED.get() {
                reload_once();
            } else if had_controller.replace(true) {
                update.set(true);
            }
        })
        .unchecked_ref(),
    ));
    spawn_local(async move {
        let Ok(registration) = JsFuture::from(container.register(WORKER_URL)).await else {
            // No worker (a development build, or storage disabled): the app still runs online.
            return;
        };
        let registration: ServiceWorkerRegistration = registration.unchecked_into();
        watch_registration(&registration, &container, update);
        check_when_visible(registration);
    });
}

fn watch_registration(
    registration: &ServiceWorkerRegistration,
    container: &ServiceWorkerContainer,
    update: RwSignal<bool>,
) {
    if registration.waiting().is_some() {
        update.set(true);
    }
    if let Some(installing) = registration.installing() {
        watch_installing(installing, container.clone(), update);
    }
    let found_in = registration.clone();
    let container = container.clone();
    registration.set_onupdatefound(Some(
        handler(move || {
            if let Some(installing) = found_in.installing() {
                watch_installing(installing, container.clone(), update);
            }
        })
        .unchecked_ref(),
    ));
}

/// A worker that finishes installing while the page is controlled waits: offer it.
fn watch_installing(
    worker: ServiceWorker,
    container: ServiceWorkerContainer,
    update: RwSignal<bool>,
) {
    let watched = worker.clone();
    worker.set_onstatechange(Some(
        handler(move || {
            if watched.state() == ServiceWorkerState::Installed && container.controller().is_some()
            {
                update.set(true);
            }
        })
        .unchecked_ref(),
    ));
}

/// Asks the server for a new worker whenever the page comes back into view: a phone app is
/// rarely reloaded, only switched to.
fn check_when_visible(registration: ServiceWorkerRegistration) {
    let document = document();
    let visible_in = document.clone();
    let _ = document.add_event_listener_with_callback(
        "visibilitychange",
        handler(move || {
            if visible_in.visibility_state() == VisibilityState::Visible
                && let Ok(check) = registration.update()
            {
                // Offline, the check fails; the next one will do.
                spawn_local(async move {
                    let _ = JsFuture::from(check).await;
                });
            }
        })
        .unchecked_ref(),
    );
}

/// The person accepted the update: tell the waiting worker to take over, and reload when it
/// has. With no worker waiting (another tab already applied it), reload at once.
pub fn apply_update() {
    spawn_local(async {
        let waiting = match container() {
            Some(container) => JsFuture::from(container.get_registration())
                .await
                .ok()
                .and_then(|r| r.dyn_into::<ServiceWorkerRegistration>().ok())
                .and_then(|r| r.waiting()),
            None => None,
        };
        match waiting {
            Some(worker) => {
                ACCEPTED.set(true);
                let message = Object::new();
                let _ = Reflect::set(&message, &"type".into(), &"SKIP_WAITING".into());
                if worker.post_message(&message).is_err() {
                    reload_once();
                }
            }
            None => reload_once(),
        }
    });
}

/// The browser's storage manager, when it has one.
fn storage_manager() -> Option<StorageManager> {
    let navigator = window().navigator();
    Reflect::has(&navigator, &JsValue::from_str("storage"))
        .unwrap_or(false)
        .then(|| navigator.storage())
}

async fn resolve_bool(promise: Result<Promise, JsValue>) -> Option<bool> {
    JsFuture::from(promise.ok()?).await.ok()?.as_bool()
}

/// Asks the browser not to clear the app's storage under pressure. Returns whether it agreed.
/// Browsers decide by their own rules (Chrome: engagement or installation; Firefox asks the
/// person), so a `false` is normal and not an error.
pub async fn request_persistence() -> bool {
    let Some(storage) = storage_manager() else {
        return false;
    };
    if resolve_bool(storage.persisted()).await == Some(true) {
        return true;
    }
    resolve_bool(storage.persist()).await.unwrap_or(false)
}

/// What the browser says about the app's storage, for the settings screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StorageReport {
    /// Whether the browser promised to keep the data (`navigator.storage.persisted()`).
    pub persisted: bool,
    /// Bytes used, when the browser says.
    pub usage: Option<f64>,
    /// Bytes the app may use, when the browser says.
    pub quota: Option<f64>,
}

/// `persisted()` and `estimate()`, or `None` where the browser has no storage manager.
pub async fn storage_report() -> Option<StorageReport> {
    let storage = storage_manager()?;
    let persisted = resolve_bool(storage.persisted()).await.unwrap_or(false);
    let estimate: Option<StorageEstimate> = match storage.estimate() {
        Ok(promise) => JsFuture::from(promise)
            .await
            .ok()
            .map(JsCast::unchecked_into),
        Err(_) => None,
    };
    Some(StorageReport {
        persisted,
        usage: estimate.as_ref().and_then(StorageEstimate::get_usage),
        quota: estimate.as_ref().and_then(StorageEstimate::get_quota),
    })
}
