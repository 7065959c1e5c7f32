//! Calls to the server's JSON API, and the errors a screen can show from them.

use gloo_net::http::{Request, Response};
use organise_core::session::{Credentials, ErrorBody, SessionInfo};
use organise_core::sync::wire::{
    PullRefusal, PullRequest, PullResponse, PushRefusal, PushRequest, PushResponse,
};
use serde::Deserialize;
use serde::Serialize;

use crate::i18n::t;

/// Why a call failed, worded for the person holding the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No connection to the server.
    Offline,
    /// The server no longer knows the session (it expired, or was ended elsewhere).
    SignedOut,
    /// The server refused with a message meant for the user.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The server's sentence.
        message: String,
    },
    /// The server answered with something the app did not understand.
    Unexpected,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Offline => f.write_str(t::app_error_offline()),
            ApiError::SignedOut => f.write_str(t::app_error_signed_out()),
            ApiError::Refused { message, .. } => {
                let mut chars = message.chars();
                match chars.next() {
                    Some(first) => write!(f, "{}{}.", first.to_uppercase(), chars.as_str()),
                    None => f.write_str(t::app_error_refused()),
                }
            }
            ApiError::Unexpected => f.write_str(t::app_error_unexpected()),
        }
    }
}

async fn read<T: for<'de> Deserialize<'de>>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return response.json().await.map_err(|_| ApiError::Unexpected);
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ApiError::Refused {
            status,
            message: body.error,
        }),
        Err(_) => Err(ApiError::Unexpected),
    }
}

/// Signs in; the server sets the session cookie.
pub async fn sign_in(email: &str, password: &str) -> Result<SessionInfo, ApiError> {
    let response = Request::post("/api/session")
        .json(&Credentials {
            email: email.to_owned(),
            password: password.to_owned(),
        })
        .map_err(|_| ApiError::Unexpected)?
        .send()
        .await
        .map_err(|_| ApiError::Offline)?;
    read(response).await
}

/// The current session, if the cookie holds a valid one ([`ApiError::SignedOut`] if not).
pub async fn current_session() -> Result<SessionInfo, ApiError> {
    let response = Request::get("/api/session")
        .send()
        .await
        .map_err(|_| ApiError::Offline)?;
    if response.status() == 401 {
        return Err(ApiError::SignedOut);
    }
    read(response).await
}

/// Signs out on the server.
pub async fn sign_out(csrf_token: &str) -> Result<(), ApiError> {
    let response = Request::delete("/api/session")
        .header("x-csrf-token", csrf_token)
        .send()
        .await
        .map_err(|_| ApiError::Offline)?;
    if response.ok() {
        Ok(())
    } else {
        read::<serde_json::Value>(response).await.map(|_| ())
    }
}

/// A sync call's answer: the protocol's response, or its refusal of the whole request.
pub type SyncAnswer<T, R> = Result<Result<T, R>, ApiError>;

async fn sync_call<B: Serialize, T, R>(path: &str, csrf_token: &str, body: &B) -> SyncAnswer<T, R>
where
    T: for<'de> Deserialize<'de>,
    R: for<'de> Deserialize<'de>,
{
    let response = Request::post(path)
        .header("x-csrf-token", csrf_token)
        .json(body)
        .map_err(|_| ApiError::Unexpected)?
        .send()
        .await
        .map_err(|_| ApiError::Offline)?;
    match response.status() {
        401 => Err(ApiError::SignedOut),
        409 => response
            .json::<R>()
            .await
            .map(Err)
            .map_err(|_| ApiError::Unexpected),
        _ => read(response).await.map(Ok),
    }
}

/// Sends a batch of the outbox.
pub async fn push(
    csrf_token: &str,
    request: &PushRequest,
) -> SyncAnswer<PushResponse, PushRefusal> {
    sync_call("/api/sync/push", csrf_token, request).await
}

/// Asks for a page of changes.
pub async fn pull(
    csrf_token: &str,
    request: &PullRequest,
) -> SyncAnswer<PullResponse, PullRefusal> {
    sync_call("/api/sync/pull", csrf_token, request).await
}
