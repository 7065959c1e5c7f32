//! Accounts and sessions: password hashing, sign-in and sign-out, the session cookie, CSRF
//! checks and throttling of repeated failed sign-ins.
//!
//! A session is a random 256-bit token in an `HttpOnly`, `SameSite=Strict` cookie; the database
//! keeps only its BLAKE2b hash. Every state-changing request must also carry the session's CSRF
//! token in the `x-csrf-token` header, which a page on another site cannot read or set.

use std::collections::HashMap;
use std::sync::Mutex;

use argon2::Argon2;
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method};
use axum::response::{IntoResponse, Response};
use blake2::{Blake2b512, Digest};
use organise_core::id::{RecordId, UserId};
use organise_core::model::RoleAssignment;
use organise_core::record::Entity;
use organise_core::session::{Credentials, RoleInArea, SessionInfo, SessionUser};
use sqlx::Row;

use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::{AppState, Timestamp};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "organise_session";
/// The header that carries the CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts. Long, because volunteers work offline for days at a time.
pub const SESSION_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;
/// Failed sign-ins allowed for one email within [`THROTTLE_WINDOW_MS`] before it is locked.
pub const MAX_FAILED_LOGINS: u32 = 5;
/// The window in which failures are counted, and how long the lock lasts.
pub const THROTTLE_WINDOW_MS: i64 = 15 * 60 * 1000;

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// Hashes a password with Argon2id and a fresh random salt.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| anyhow::anyhow!("hashing a password failed: {e}"))
}

fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random token of 32 bytes, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

/// The hash stored in place of a session or invitation token: a copy of the database cannot
/// be used to sign in or to accept an invitation.
pub fn token_hash(token: &str) -> String {
    hex(&Blake2b512::digest(token.as_bytes())[..32])
}

/// Counts recent failed sign-ins per email, in memory: a restart forgets them, which only
/// ever errs towards letting a legitimate user back in.
#[derive(Default)]
pub struct LoginThrottle {
    failures: Mutex<HashMap<String, (u32, i64)>>,
}

impl LoginThrottle {
    /// Seconds the caller must still wait, if this email is locked.
    fn locked_for(&self, email: &str, now: Timestamp) -> Option<u64> {
        let failures = self.failures.lock().expect("throttle lock poisoned");
        let &(count, first) = failures.get(email)?;
        let until = first + THROTTLE_WINDOW_MS;
        (count >= MAX_FAILED_LOGINS && now.0 < until)
            .then(|| ((until - now.0) as u64).div_ceil(1000))
    }

    fn record_failure(&self, email: &str, now: Timestamp) {
        let mut failures = self.failures.lock().expect("throttle lock poisoned");
        let entry = failures.entry(email.to_owned()).or_insert((0, now.0));
        if now.0 - entry.1 >= THROTTLE_WINDOW_MS {
            *entry = (0, now.0);
        }
        entry.0 += 1;
    }

    fn clear(&self, email: &str) {
        self.failures
            .lock()
            .expect("throttle lock poisoned")
            .remove(email);
    }
}

/// A valid session, extracted from the cookie. Handlers that take it require sign-in; for
/// state-changing methods it also checks the CSRF token.
#[derive(Debug, Clone)]
pub struct Session {
    /// Who is signed in.
    pub user: SessionUser,
    /// This session's CSRF token.
    pub csrf_token: String,
    /// The hash that identifies this session row.
    token_hash: String,
    /// When it ends.
    pub expires_at: i64,
}

fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE).then_some(value)
        })
}

/// Refuses state-changing requests that a browser says came from another site.
///
/// Browsers send `Sec-Fetch-Site` on every request; `same-origin` is ours, `none` is a user
/// typing or bookmarking. Old browsers send nothing, and are covered by the CSRF token and the
/// `SameSite=Strict` cookie.
pub fn check_same_site(method: &Method, headers: &HeaderMap) -> AppResult<()> {
    if method == Method::GET || method == Method::HEAD || method == Method::OPTIONS {
        return Ok(());
    }
    match headers.get("sec-fetch-site").map(|v| v.as_bytes()) {
        None | Some(b"same-origin") | Some(b"none") => Ok(()),
        Some(_) => Err(AppError::CsrfRejected),
    }
}

impl FromRequestParts<AppState> for Session {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Session> {
        let token = cookie_token(&parts.headers).ok_or(AppError::Unauthenticated)?;
        let session = load_session(state, &token_hash(token))
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let is_write = !matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if is_write {
            check_same_site(&parts.method, &parts.headers)?;
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            if sent != Some(session.csrf_token.as_str()) {
                return Err(AppError::CsrfRejected);
            }
        }
        Ok(session)
    }
}

async fn load_session(state: &AppState, hash: &str) -> AppResult<Option<Session>> {
    let row = sqlx::query(
        "SELECT s.csrf_token, s.expires_at, u.id, u.email, u.display_name \
         FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1",
    )
    .bind(hash)
    .fetch_optional(state.db.pool())
    .await?;
    let Some(row) = row else { return Ok(None) };
    let expires_at: i64 = row.try_get("expires_at")?;
    if expires_at <= state.clock.now().0 {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash)
            .execute(state.db.pool())
            .await?;
        return Ok(None);
    }
    let user_id: String = row.try_get("id")?;
    let roles = load_roles(state, parse_id(&user_id)?).await?;
    Ok(Some(Session {
        user: SessionUser {
            id: parse_id::<UserId>(&user_id)?,
            email: row.try_get("email")?,
            display_name: row.try_get("display_name")?,
            roles,
        },
        csrf_token: row.try_get("csrf_token")?,
        token_hash: hash.to_owned(),
        expires_at,
    }))
}

async fn load_roles(state: &AppState, user: UserId) -> AppResult<Vec<RoleInArea>> {
    let rows = crate::sync_store::role_assignments_of(user)
        .fetch_all(state.db.pool())
        .await?;
    let mut roles = crate::sync_store::role_assignments_from(&rows, user)?
        .iter()
        .map(|record| {
            let assignment = RoleAssignment::read(record).map_err(|problems| {
                AppError::Internal(anyhow::anyhow!(
                    "a stored role assignment does not read: {problems:?}"
                ))
            })?;
            Ok(RoleInArea {
                role: assignment.role,
                area: assignment.area,
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    roles.sort_by_key(|r| (r.role, r.area));
    roles.dedup();
    Ok(roles)
}

/// Parses an id stored as text; a malformed one means the database is damaged.
pub fn parse_id<T: From<RecordId>>(text: &str) -> AppResult<T> {
    text.parse::<RecordId>()
        .map(T::from)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("malformed id in the database: {e}")))
}

fn session_cookie(state: &AppState, token: &str, max_age_secs: i64) -> HeaderValue {
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{secure}"
    ))
    .expect("cookie is ASCII")
}

/// A precomputed hash that unknown emails are checked against, so a wrong email takes as long
/// as a wrong password and response times do not reveal who has an account.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy password, never matches").expect("hashing works"))
}

/// `POST /api/session`: sign in with email and password.
pub async fn sign_in(
    State(state): State<AppState>,
    method: Method,
    headers: HeaderMap,
    ApiJson(credentials): ApiJson<Credentials>,
) -> AppResult<Response> {
    check_same_site(&method, &headers)?;
    let email = credentials.email.trim().to_lowercase();
    let now = state.clock.now();
    if let Some(retry_after_secs) = state.login_throttle.locked_for(&email, now) {
        return Err(AppError::TooManyAttempts { retry_after_secs });
    }
    let row = sqlx::query("SELECT id, password_hash FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(state.db.pool())
        .await?;
    let (user_id, hash) = match &row {
        Some(row) => (
            Some(row.try_get::<String, _>("id")?),
            row.try_get::<String, _>("password_hash")?,
        ),
        None => (None, decoy_hash().to_owned()),
    };
    let password = credentials.password;
    let matches = tokio::task::spawn_blocking(move || verify_password(&password, &hash))
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    let Some(user_id) = user_id.filter(|_| matches) else {
        state.login_throttle.record_failure(&email, now);
        crate::audit::record(
            &state,
            crate::audit::AuditEntry {
                at: state.clock.now(),
                actor: None,
                action: "login.failed",
                subject: None,
                area: None,
                detail: String::new(),
            },
        )
        .await?;
        return Err(AppError::BadCredentials);
    };
    state.login_throttle.clear(&email);
    start_session(&state, parse_id(&user_id)?).await
}

/// Starts a session for `user` (who has just proved who they are): stores it, audits the
/// sign-in and answers with the session and its cookie.
pub async fn start_session(state: &AppState, user: UserId) -> AppResult<Response> {
    let now = state.clock.now();
    let token = random_token();
    let csrf_token = random_token();
    let expires_at = now.0 + SESSION_LIFETIME_MS;
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) \
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(token_hash(&token))
    .bind(user.to_string())
    .bind(&csrf_token)
    .bind(now.0)
    .bind(expires_at)
    .execute(state.db.pool())
    .await?;
    crate::audit::record(
        state,
        crate::audit::AuditEntry {
            at: now,
            actor: Some(user),
            action: "login",
            subject: Some(user.0),
            area: None,
            detail: String::new(),
        },
    )
    .await?;

    let session = load_session(state, &token_hash(&token))
        .await?
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("session vanished after insert")))?;
    let mut response = Json(SessionInfo {
        user: session.user,
        csrf_token,
        expires_at,
    })
    .into_response();
    response.headers_mut().insert(
        SET_COOKIE,
        session_cookie(state, &token, SESSION_LIFETIME_MS / 1000),
    );
    Ok(response)
}

/// `GET /api/session`: who is signed in, and the CSRF token to use.
pub async fn current(session: Session) -> Json<SessionInfo> {
    Json(SessionInfo {
        user: session.user,
        csrf_token: session.csrf_token,
        expires_at: session.expires_at,
    })
}

/// `DELETE /api/session`: sign out, ending the session on the server and clearing the cookie.
pub async fn sign_out(State(state): State<AppState>, session: Session) -> AppResult<Response> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
        .bind(&session.token_hash)
        .execute(state.db.pool())
        .await?;
    let user = session.user.id;
    crate::audit::record(
        &state,
        crate::audit::AuditEntry {
            at: state.clock.now(),
            actor: Some(user),
            action: "logout",
            subject: Some(user.0),
            area: None,
            detail: String::new(),
        },
    )
    .await?;
    let mut response = axum::http::StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie(&state, "", 0));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_hash_round_trip() {
        let hash = hash_password("correct horse battery staple").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", &hash));
        assert!(!verify_password("Correct horse battery staple", &hash));
    }

    #[test]
    fn cookie_token_finds_ours_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_static("theme=dark; organise_session=abc123; x=y"),
        );
        assert_eq!(cookie_token(&headers), Some("abc123"));
        headers.insert(COOKIE, HeaderValue::from_static("organise_sessionx=nope"));
        assert_eq!(cookie_token(&headers), None);
    }

    #[test]
    fn throttle_locks_after_repeated_failures_then_releases() {
        let throttle = LoginThrottle::default();
        let start = Timestamp(1_000_000);
        for _ in 0..MAX_FAILED_LOGINS - 1 {
            throttle.record_failure("a@example.org", start);
        }
        assert_eq!(throttle.locked_for("a@example.org", start), None);
        throttle.record_failure("a@example.org", start);
        assert_eq!(throttle.locked_for("a@example.org", start), Some(900));
        assert_eq!(throttle.locked_for("b@example.org", start), None);
        let later = Timestamp(start.0 + THROTTLE_WINDOW_MS);
        assert_eq!(throttle.locked_for("a@example.org", later), None);
    }
}
