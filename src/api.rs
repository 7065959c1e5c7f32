//! Calls to the server's JSON API, and the errors a screen can show from them.

use gloo_net::http::{Request, Response};
use organise_core::session::{Credentials, ErrorBody, SessionInfo};
use serde::Deserialize;

/// Why a call failed, worded for the person holding the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No connection to the server.
    Offline,
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
            ApiError::Offline => write!(f, "No connection. Check your signal and try again."),
            ApiError::Refused { message, .. } => {
                let mut chars = message.chars();
                match chars.next() {
                    Some(first) => write!(f, "{}{}.", first.to_uppercase(), chars.as_str()),
                    None => write!(f, "The server refused the request."),
                }
            }
            ApiError::Unexpected => {
                write!(f, "Something went wrong on the server. Try again later.")
            }
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

/// The current session, if the cookie holds a valid one.
pub async fn current_session() -> Result<SessionInfo, ApiError> {
    let response = Request::get("/api/session")
        .send()
        .await
        .map_err(|_| ApiError::Offline)?;
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
