//! Signing out, which must end the session on the server even when the phone has no signal.
//!
//! Signing out wipes the phone at once. The session's cookie is `HttpOnly`, so only the
//! server can end it: until it has, the cookie would sign the same person straight back in
//! (and download their data again) on a shared phone. So a sign-out the server has not
//! heard yet is remembered in `localStorage` (the session's CSRF token, which its
//! `DELETE /api/session` needs beside the cookie) and settled at the next chance: at every
//! start, before anything else, and whenever the connection comes back. While one is owed,
//! start-up signs nobody in from what the device or the cookie still holds.

use std::cell::Cell;

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::session::SessionInfo;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError};
use crate::pwa::handler;
use crate::session::Session;
use crate::storage::StorageError;
use crate::sync;

/// Where an owed sign-out's CSRF token waits (no personal data).
const OWED_KEY: &str = "organise-sign-out-owed";

thread_local! {
    static LISTENING: Cell<bool> = const { Cell::new(false) };
    static RETRYING: Cell<bool> = const { Cell::new(false) };
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The CSRF token of a session signed out here that the server may not have ended yet.
fn owed() -> Option<String> {
    storage()?.get_item(OWED_KEY).ok()?
}

fn owe(csrf_token: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(OWED_KEY, csrf_token);
    }
}

fn forget() {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(OWED_KEY);
    }
}

/// Asks the server to end the session the cookie holds, if it is the one `csrf_token`
/// belongs to. True once nothing of it is left to end: ended now, no session in the cookie
/// (`401`), or the cookie holding another session (`403`: someone signed in here since, and
/// the old session's token went with the cookie it replaced).
async fn ended(csrf_token: &str) -> bool {
    match api::sign_out(csrf_token).await {
        Ok(()) => true,
        Err(ApiError::Refused { status, .. }) => matches!(status, 401 | 403),
        Err(_) => false,
    }
}

/// Settles an owed sign-out if there is one. True when none is owed any more; otherwise it
/// is tried again when the connection comes back.
pub async fn settle() -> bool {
    let Some(csrf_token) = owed() else {
        return true;
    };
    if ended(&csrf_token).await {
        forget();
        return true;
    }
    settle_when_online();
    false
}

/// How long after a failed attempt, with the browser online, the next is made: the first
/// request as the signal returns can fail while the connection is still coming up, and no
/// second `online` event follows.
const RETRY: std::time::Duration = std::time::Duration::from_secs(5);

fn settle_when_online() {
    let online = web_sys::window().is_some_and(|w| w.navigator().on_line());
    // One retry waits at a time, however many attempts failed.
    if online && !RETRYING.replace(true) {
        set_timeout(
            || {
                RETRYING.set(false);
                spawn_local(async {
                    settle().await;
                })
            },
            RETRY,
        );
    }
    if LISTENING.replace(true) {
        return;
    }
    let online = handler(|| {
        spawn_local(async {
            settle().await;
        })
    });
    let _ = window().add_event_listener_with_callback("online", online.unchecked_ref());
}

/// Signs out on this phone: wipes everything here at once, and ends the session on the
/// server now or, with no signal, at the next chance.
pub async fn sign_out(session: Session) -> Result<(), StorageError> {
    let csrf_token = session.csrf_token_untracked();
    // Remembered before anything else, so a sign-out cut short (the app closed mid-way)
    // is finished at the next start.
    if let Some(csrf_token) = &csrf_token {
        owe(csrf_token);
    }
    let wiped = sync::wipe().await;
    crate::pages::kiosk::forget();
    crate::pages::people::forget_search();
    session.set(None);
    if let Some(csrf_token) = csrf_token {
        if ended(&csrf_token).await {
            forget();
        } else {
            settle_when_online();
        }
    }
    wiped
}

/// At start, with the session saved on the device: whether start-up may go on to sign in
/// from it or from the cookie. Not while a sign-out is owed: that is finished first (the
/// device wiped again, in case the sign-out was cut short; the server asked to end the
/// session), and nobody is signed in by itself. A saved session other than the signed-out
/// one means someone signed in here since, replacing the cookie; it stands.
pub async fn at_start(saved: Option<&SessionInfo>) -> bool {
    let Some(owed) = owed() else {
        return true;
    };
    match saved {
        Some(saved) if saved.csrf_token != owed => {
            forget();
            true
        }
        Some(_) => {
            let _ = sync::wipe().await;
            settle().await;
            false
        }
        None => {
            settle().await;
            false
        }
    }
}
