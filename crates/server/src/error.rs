//! The one error type every handler returns, and how it becomes an HTTP response.
//!
//! Clients get a status and a sentence they can show; internal details (SQL errors, paths) are
//! logged here and never sent.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use organise_core::session::ErrorBody;
use organise_core::validate::FieldProblem;

/// Everything a handler can fail with.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The request is malformed or a value is invalid; nothing was changed.
    #[error("{message}")]
    BadRequest {
        /// What is wrong, as a sentence.
        message: String,
        /// Per-field problems, when the request was well-formed but values were not.
        fields: Vec<FieldProblem>,
    },
    /// No valid session: sign in first.
    #[error("sign in to continue")]
    Unauthenticated,
    /// Signed in, but this action or record is outside the caller's role or area.
    #[error("you do not have access to this")]
    Forbidden,
    /// The session's CSRF token was missing or wrong, or the request came from another site.
    #[error(
        "this request was refused because it did not come from the Organise app; reload the page and try again"
    )]
    CsrfRejected,
    /// Wrong email or password. Deliberately does not say which.
    #[error("that email and password do not match an account")]
    BadCredentials,
    /// Too many failed attempts; try again after the given number of seconds.
    #[error("too many attempts; try again in {retry_after_secs} seconds")]
    TooManyAttempts {
        /// How long the caller must wait.
        retry_after_secs: u64,
    },
    /// The record does not exist, or exists outside the caller's scope (the two look the same).
    #[error("not found")]
    NotFound,
    /// An invitation link that is unknown, used, withdrawn or expired (the four look the same).
    #[error(
        "this invitation link no longer works: it may have expired, been used or been withdrawn; ask your organiser for a new one"
    )]
    InvalidInvite,
    /// The body is larger than the server accepts.
    #[error("the request is too large")]
    PayloadTooLarge,
    /// Anything unexpected: logged in full, reported to the client without detail.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A bad request with a message and no per-field detail.
    pub fn bad_request(message: impl Into<String>) -> AppError {
        AppError::BadRequest {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::CsrfRejected => StatusCode::FORBIDDEN,
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::NotFound | AppError::InvalidInvite => StatusCode::NOT_FOUND,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> AppError {
        AppError::Internal(error.into())
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(error) = &self {
            // The chain may contain SQL text but never a request body, so it holds no personal data.
            tracing::error!(error = format!("{error:#}"), "request failed");
        }
        let status = self.status();
        let error = self.to_string();
        let (retry_after, fields) = match self {
            AppError::BadRequest { fields, .. } => (None, fields),
            AppError::TooManyAttempts { retry_after_secs } => (Some(retry_after_secs), Vec::new()),
            _ => (None, Vec::new()),
        };
        let body = Json(ErrorBody { error, fields });
        let mut response = (status, body).into_response();
        if let Some(retry_after_secs) = retry_after {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(retry_after_secs),
            );
        }
        response
    }
}

/// The result type of handlers.
pub type AppResult<T> = Result<T, AppError>;
