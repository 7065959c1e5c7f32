//! The one error type every handler returns, and how it becomes an HTTP response.
//!
//! Clients get a status and a sentence they can show; internal details (SQL errors, paths) are
//! logged here and never sent. A database that is busy (a lock held too long, a serialization
//! failure, no free connection) is not an internal error but a moment to wait: whatever wrapped
//! the database's error, it is answered `503` with `Retry-After` (see [`is_contention`]).

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
    /// The caller may see the person, but only an admin of their area may do this.
    #[error(
        "only an admin of the area this person belongs to may export or erase their data: ask an admin there"
    )]
    NotAdminOfArea,
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
    /// A public form's values were well formed but not acceptable (a name with digits, no way
    /// to reach them); nothing was stored. Every problem is in `fields`.
    #[error("{message}")]
    Unprocessable {
        /// What is wrong, as a sentence.
        message: String,
        /// Per-field problems.
        fields: Vec<FieldProblem>,
    },
    /// The record exists and may be seen, but is not in a state that allows this (a meeting
    /// not approved has no public links).
    #[error("{0}")]
    Conflict(&'static str),
    /// The record does not exist, or exists outside the caller's scope (the two look the same).
    #[error("not found")]
    NotFound,
    /// A link that is not an invitation's (mistyped, cut short, or made up).
    #[error(
        "this is not a working invitation link: check that the whole link was copied, or ask your organiser for a new one"
    )]
    InvalidInvite,
    /// An invitation link that worked once but no longer does. Only the holder of the link's
    /// token learns which: the token is its own proof.
    #[error("{}", invite_gone(*.0))]
    InviteGone(organise_core::invite::InviteStatus),
    /// A signed link that is not one of ours (mistyped, cut short, or altered).
    #[error(
        "this link does not work: check that the whole link was copied from the message, or reply to the message to ask"
    )]
    InvalidLink,
    /// One of our signed links, past its expiry.
    #[error(
        "this link has expired: use the link in a more recent message, or reply to the message to ask"
    )]
    ExpiredLink,
    /// A meeting link whose meeting is not going ahead (cancelled, removed, or without a host
    /// who works for the organisation any more).
    #[error(
        "this meeting is not going ahead any more: it was cancelled; ask whoever sent you the link"
    )]
    MeetingGone,
    /// A reply link past its expiry: the meeting has started.
    #[error(
        "replies to this meeting have closed, as it has started: ask whoever sent you the link whether you can still come"
    )]
    RepliesClosed,
    /// A sign-in link past its expiry: the meeting ended more than two hours ago.
    #[error("sign-in at this meeting has closed, as it ended some time ago")]
    SignInClosed,
    /// The body is larger than the server accepts.
    #[error("the request is too large")]
    PayloadTooLarge,
    /// The server is too busy to do this now (password checks queued, the database locked);
    /// nothing was changed, and the same request may be sent again after the given seconds.
    #[error("the server is busy; try again in a few seconds")]
    Busy {
        /// How long the caller should wait.
        retry_after_secs: u64,
    },
    /// Anything unexpected: logged in full, reported to the client without detail.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    /// A public form's values refused, each problem by the form's field.
    pub fn unprocessable(fields: Vec<FieldProblem>) -> AppError {
        AppError::Unprocessable {
            message: "some answers need changing: each says why beside it".into(),
            fields,
        }
    }

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
            AppError::Unprocessable { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Unauthenticated | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden | AppError::NotAdminOfArea | AppError::CsrfRejected => {
                StatusCode::FORBIDDEN
            }
            AppError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::NotFound | AppError::InvalidInvite | AppError::InvalidLink => {
                StatusCode::NOT_FOUND
            }
            AppError::InviteGone(_)
            | AppError::ExpiredLink
            | AppError::MeetingGone
            | AppError::RepliesClosed
            | AppError::SignInClosed => StatusCode::GONE,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Busy { .. } => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> AppError {
        AppError::Internal(error.into())
    }
}

/// How long a caller is asked to wait when the database is busy.
pub const BUSY_RETRY_AFTER_SECS: u64 = 2;

/// Whether `error` is, or was caused by, the database being too busy to answer in time rather
/// than failing: SQLite's `SQLITE_BUSY`/`SQLITE_LOCKED` (with any extended code), PostgreSQL's
/// serialization failure, deadlock, lock timeout or too many connections, or no connection free
/// in the pool. Such a request changed nothing and may simply be sent again.
pub fn is_contention(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let sql = cause.downcast_ref::<sqlx::Error>().or_else(|| match cause
            .downcast_ref::<crate::sync_store::StoreError>(
        ) {
            Some(crate::sync_store::StoreError::Db(error)) => Some(error),
            _ => None,
        });
        sql.is_some_and(is_sql_contention)
    })
}

fn is_sql_contention(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut => true,
        sqlx::Error::Database(error) => {
            let Some(code) = error.code() else {
                return false;
            };
            // SQLite reports its extended code, whose low byte is the primary one.
            if let Ok(sqlite) = code.parse::<i32>() {
                return matches!(sqlite & 0xff, 5 | 6);
            }
            // PostgreSQL's SQLSTATE: serialization_failure, deadlock_detected,
            // lock_not_available (lock_timeout), too_many_connections.
            matches!(code.as_ref(), "40001" | "40P01" | "55P03" | "53300")
        }
        _ => false,
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let this = match self {
            AppError::Internal(error) if is_contention(&error) => {
                // Not personal data: the database's own message about its locks.
                tracing::warn!(error = format!("{error:#}"), "database busy");
                AppError::Busy {
                    retry_after_secs: BUSY_RETRY_AFTER_SECS,
                }
            }
            other => other,
        };
        this.respond()
    }
}

impl AppError {
    fn respond(self) -> Response {
        if let AppError::Internal(error) = &self {
            // The chain may contain SQL text but never a request body, so it holds no personal data.
            tracing::error!(error = format!("{error:#}"), "request failed");
        }
        let status = self.status();
        let error = self.to_string();
        let invite = match self {
            AppError::InviteGone(status) => Some(status),
            _ => None,
        };
        let (retry_after, fields) = match self {
            AppError::BadRequest { fields, .. } | AppError::Unprocessable { fields, .. } => {
                (None, fields)
            }
            AppError::TooManyAttempts { retry_after_secs }
            | AppError::Busy { retry_after_secs } => (Some(retry_after_secs), Vec::new()),
            _ => (None, Vec::new()),
        };
        let body = Json(ErrorBody {
            error,
            fields,
            invite,
        });
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

/// Why a link that worked once no longer does, as a sentence.
fn invite_gone(status: organise_core::invite::InviteStatus) -> &'static str {
    use organise_core::invite::InviteStatus;
    match status {
        InviteStatus::Accepted => {
            "this invitation has already been used to join; sign in with the email and password chosen then"
        }
        InviteStatus::Withdrawn => {
            "this invitation was withdrawn; ask your organiser for a new one if you should still join"
        }
        InviteStatus::Expired | InviteStatus::Pending => {
            "this invitation link has expired; ask your organiser to send it again"
        }
    }
}

/// The result type of handlers.
pub type AppResult<T> = Result<T, AppError>;
