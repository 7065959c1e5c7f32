//! Accounts and sessions: sign-in and sign-out, the session cookie, CSRF checks, changing a
//! password, and ending sessions.
//!
//! A session is a random 256-bit token in an `HttpOnly`, `SameSite=Strict` cookie; the database
//! keeps only its BLAKE2b hash. Every state-changing request must also carry the session's CSRF
//! token in the `x-csrf-token` header, which a page on another site cannot read or set.
//!
//! A session is good only while its user's `user` record is live: a deleted user's sessions
//! stop working at once, and they cannot sign in (they are told what a wrong password is told).
//! Password attempts are bounded and slowed down before they are hashed: see
//! [`crate::passwords`] and [`crate::throttle`].

use argon2::password_hash::rand_core::{OsRng, RngCore};
use axum::Json;
use axum::extract::{FromRequestParts, State};
use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use blake2::{Blake2b512, Digest};
use organise_core::id::{RecordId, UserId};
use organise_core::model::RoleAssignment;
use organise_core::record::{Collection, Entity};
use organise_core::session::{Credentials, RoleInArea, SessionInfo, SessionUser};
use organise_core::validate::FieldProblem;
use serde::Deserialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::audit::AuditEntry;
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::passwords::{self, decoy_hash, verify_password};
use crate::throttle::{self, PasswordAttempt};
use crate::{AppState, accounts};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "organise_session";
/// The header that carries the CSRF token on state-changing requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts. Long, because volunteers work offline for days at a time.
pub const SESSION_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;

/// A random token of 32 bytes, hex-encoded.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    hex(&bytes)
}

/// `bytes` as lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
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

/// The value of the cookie called `name`.
pub fn cookie_value<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            let (key, value) = pair.trim().split_once('=')?;
            (key == name).then_some(value)
        })
}

fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    cookie_value(headers, SESSION_COOKIE)
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
    // Only while the user's record is live: a deleted user's session ends with the delete.
    // The user's role assignments come in the same statement, a row each (one row with no
    // body for a user with none): every request asks, and each statement is a round trip.
    let rows = sqlx::query(
        "SELECT s.csrf_token, s.expires_at, u.id, u.email, u.display_name, ra.body \
         FROM sessions s JOIN users u ON u.id = s.user_id \
         JOIN records r ON r.collection = $2 AND r.id = u.id \
         LEFT JOIN record_refs f \
           ON f.target = u.id AND f.field = 'user' AND f.collection = $3 \
         LEFT JOIN records ra ON ra.collection = f.collection AND ra.id = f.id \
         WHERE s.token_hash = $1",
    )
    .bind(hash)
    .bind(Collection::User.to_string())
    .bind(Collection::RoleAssignment.to_string())
    .fetch_all(state.db.pool())
    .await?;
    let Some(row) = rows.first() else {
        return Ok(None);
    };
    let expires_at: i64 = row.try_get("expires_at")?;
    if expires_at <= state.clock.now().0 {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(hash)
            .execute(state.db.pool())
            .await?;
        return Ok(None);
    }
    let user_id: String = row.try_get("id")?;
    let roles = roles_from(&rows, parse_id(&user_id)?)?;
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

/// The roles of `user` among `rows`, whose `body` column holds their role assignments.
fn roles_from(rows: &[AnyRow], user: UserId) -> AppResult<Vec<RoleInArea>> {
    let mut roles = crate::sync_store::role_assignments_from(rows, user)?
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

/// The account that signs in with `email`: its id and password hash, if it exists and its
/// `user` record is live.
async fn account_by_email(state: &AppState, email: &str) -> AppResult<Option<(UserId, String)>> {
    let row = sqlx::query(
        "SELECT u.id, u.password_hash FROM users u \
         JOIN records r ON r.collection = $2 AND r.id = u.id WHERE u.email = $1",
    )
    .bind(email)
    .bind(Collection::User.to_string())
    .fetch_optional(state.db.pool())
    .await?;
    row.map(|row| {
        Ok((
            parse_id(&row.try_get::<String, _>("id")?)?,
            row.try_get("password_hash")?,
        ))
    })
    .transpose()
}

/// A password given to be checked, refused unhashed when it is longer than any accepted.
fn given_password(field: &'static str, password: &str) -> Result<(), FieldProblem> {
    passwords::check_given(password).map_err(|problem| FieldProblem::new(field, problem))
}

fn details_need_correcting(fields: Vec<FieldProblem>) -> AppError {
    let message = match fields.as_slice() {
        [only] => format!(
            "the {} {}",
            only.field.as_str().replace('_', " "),
            only.problem
        ),
        _ => "some details need correcting".into(),
    };
    AppError::BadRequest { message, fields }
}

/// Checks `password` against `hash` as one attempt under `key`: a hashing slot is taken
/// first (or `503`), then the attempt is counted (or `429`), and only then is it hashed.
async fn attempt(
    state: &AppState,
    key: &throttle::ThrottleKey,
    password: String,
    hash: String,
) -> AppResult<bool> {
    let slot = state.hashing.slot().await?;
    throttle::reserve(&state.db, key, state.clock.now()).await?;
    slot.run(move || verify_password(&password, &hash)).await
}

/// `POST /api/session`: sign in with email and password.
pub async fn sign_in(
    State(state): State<AppState>,
    _attempt: PasswordAttempt,
    method: Method,
    headers: HeaderMap,
    ApiJson(credentials): ApiJson<Credentials>,
) -> AppResult<Response> {
    check_same_site(&method, &headers)?;
    let email = accounts::normalise_email(&credentials.email)
        .map_err(|problem| FieldProblem::new("email", problem));
    let password = given_password("password", &credentials.password);
    let email = match (email, password) {
        (Ok(email), Ok(())) => email,
        (email, password) => {
            return Err(details_need_correcting(
                [email.err(), password.err()]
                    .into_iter()
                    .flatten()
                    .collect(),
            ));
        }
    };
    let account = account_by_email(&state, &email).await?;
    let user = account.as_ref().map(|(id, _)| *id);
    let (key, known_device) = throttle::key_for(&state, &headers, user, &email).await?;
    let hash = account.map_or_else(|| decoy_hash().to_owned(), |(_, hash)| hash);
    let matches = attempt(&state, &key, credentials.password, hash).await?;
    let Some(user) = user.filter(|_| matches) else {
        crate::audit::record(
            &state,
            AuditEntry {
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
    throttle::clear(&state.db, &key).await?;
    let mut response = start_session(&state, user).await?;
    if !known_device {
        let cookie = throttle::trust_device(&state, user).await?;
        response.headers_mut().append(
            SET_COOKIE,
            HeaderValue::from_str(&cookie).expect("cookie is ASCII"),
        );
    }
    Ok(response)
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

/// `POST /api/session/password`: the current password and the new one.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password the account has now.
    pub current_password: String,
    /// The one it should have.
    pub new_password: String,
}

/// Ends every session of `user` but `keep` (a session's token hash), in the caller's
/// transaction or on the pool.
pub fn end_sessions_query(
    user: UserId,
    keep: Option<&str>,
) -> sqlx::query::Query<'static, sqlx::Any, sqlx::any::AnyArguments<'static>> {
    sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
        .bind(user.to_string())
        // No token hashes to the empty string, so this keeps nothing.
        .bind(keep.unwrap_or_default().to_owned())
}

/// `POST /api/session/password`: changes the caller's password, given the current one, and
/// ends every other session of theirs (this one stays signed in).
pub async fn change_password(
    State(state): State<AppState>,
    session: Session,
    _attempt: PasswordAttempt,
    headers: HeaderMap,
    ApiJson(change): ApiJson<PasswordChange>,
) -> AppResult<StatusCode> {
    let user = session.user.id;
    let current = given_password("current_password", &change.current_password);
    let new = passwords::check_new(
        &change.new_password,
        &session.user.email,
        &session.user.display_name,
    );
    match (current, new) {
        (Ok(()), Ok(())) => {}
        (current, new) => {
            let advice = new.as_ref().err().map(|refused| refused.advice.clone());
            let mut fields: Vec<FieldProblem> = current.err().into_iter().collect();
            fields.extend(
                new.err()
                    .map(|refused| FieldProblem::new("new_password", refused.problem)),
            );
            return Err(match (advice, fields.len()) {
                (Some(advice), 1) => AppError::BadRequest {
                    message: advice.replacen("the password", "the new password", 1),
                    fields,
                },
                _ => details_need_correcting(fields),
            });
        }
    }
    let Some((_, hash)) = account_by_email(&state, &session.user.email).await? else {
        return Err(AppError::Unauthenticated);
    };
    let (key, _) = throttle::key_for(&state, &headers, Some(user), &session.user.email).await?;
    let slot = state.hashing.slot().await?;
    throttle::reserve(&state.db, &key, state.clock.now()).await?;
    let (current, new) = (change.current_password, change.new_password);
    let new_hash = slot
        .run(move || {
            verify_password(&current, &hash)
                .then(|| passwords::hash_password(&new))
                .transpose()
        })
        .await??;
    let now = state.clock.now();
    let Some(new_hash) = new_hash else {
        crate::audit::record(
            &state,
            AuditEntry {
                at: now,
                actor: Some(user),
                action: "password.change.failed",
                subject: Some(user.0),
                area: None,
                detail: String::new(),
            },
        )
        .await?;
        // A 400, not a 401, which the app would read as the session having ended.
        return Err(AppError::bad_request("the current password is not right"));
    };
    throttle::clear(&state.db, &key).await?;
    let mut tx = state.db.begin_write().await?;
    sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
        .bind(new_hash)
        .bind(user.to_string())
        .execute(&mut *tx)
        .await?;
    end_sessions_query(user, Some(&session.token_hash))
        .execute(&mut *tx)
        .await?;
    AuditEntry {
        at: now,
        actor: Some(user),
        action: "password.change",
        subject: Some(user.0),
        area: None,
        detail: String::new(),
    }
    .insert()
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `DELETE /api/sessions`: signs the caller out everywhere, ending every session of theirs
/// (this one too) and clearing the cookie.
pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    session: Session,
) -> AppResult<Response> {
    let user = session.user.id;
    let mut tx = state.db.begin_write().await?;
    end_sessions_query(user, None).execute(&mut *tx).await?;
    AuditEntry {
        at: state.clock.now(),
        actor: Some(user),
        action: "logout.everywhere",
        subject: Some(user.0),
        area: None,
        detail: String::new(),
    }
    .insert()
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(SET_COOKIE, session_cookie(&state, "", 0));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
