//! Slowing password guessing down without locking the real owner out.
//!
//! Three rules, each checked before a password is hashed:
//!
//! - **Per source.** Each client address (an IPv6 address by its /64) may make
//!   [`SOURCE_BURST`] password attempts at once and then one every [`SOURCE_REFILL`] (by
//!   default: see [`SourceLimits`]), across
//!   every account (sign-in, accepting an invitation, changing a password). This is
//!   `governor`'s keyed GCRA limiter, in each process's memory; it stops one machine spraying
//!   guesses over many accounts. Its map forgets sources that are back to a full allowance and
//!   never holds more than [`MAX_SOURCES`]: past that, everyone shares one allowance until it
//!   shrinks.
//! - **Per account.** Guesses at one account are counted in the database
//!   (`sign_in_attempts`), so every server process sharing it counts the same guesses. The
//!   first [`FREE_ATTEMPTS`] attempts within [`ATTEMPT_WINDOW_MS`] go straight through; after
//!   that each attempt must wait a delay that doubles from one second up to [`MAX_DELAY_MS`]
//!   since the last one. Nothing is ever locked: the owner can always get in after at most
//!   that delay. An attempt is reserved (counted) atomically before its hash runs, so
//!   parallel guesses cannot slip past the count; a success clears it. A row holds a hash of
//!   the key, never an email; it is forgotten once [`ATTEMPT_WINDOW_MS`] passes without an
//!   attempt, and the table never holds more than [`MAX_ATTEMPT_ROWS`].
//! - **Known devices.** A successful sign-in leaves an `HttpOnly` device cookie (its hash in
//!   `trusted_devices`). A sign-in to that account from that browser is counted under the
//!   device instead of the account, so someone guessing at an account from elsewhere does not
//!   slow its owner down on their own phone (the "device cookie" defence of OWASP's
//!   authentication guidance). A device that fails is slowed down like an account.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;
use governor::clock::Clock as _;
use governor::{DefaultKeyedRateLimiter, Quota};
use organise_core::id::UserId;
use sqlx::Row;

use crate::error::{AppError, AppResult};
use crate::{AppState, Db, Timestamp, auth};

/// Password attempts one source may make at once.
pub const SOURCE_BURST: u32 = 30;
/// How often a source earns one more attempt.
pub const SOURCE_REFILL: Duration = Duration::from_secs(2);
/// The most sources remembered at once.
pub const MAX_SOURCES: usize = 100_000;
/// How many checks pass between sweeps of the sources map.
const SWEEP_EVERY: u64 = 1024;

/// Attempts at one account (or from one known device) that need no wait.
pub const FREE_ATTEMPTS: i64 = 5;
/// How long an account's attempts are remembered after its last one.
pub const ATTEMPT_WINDOW_MS: i64 = 15 * 60 * 1000;
/// The longest wait between two attempts at one account.
pub const MAX_DELAY_MS: i64 = 5 * 60 * 1000;
/// The most accounts and devices whose attempts are remembered; the oldest go first.
pub const MAX_ATTEMPT_ROWS: i64 = 100_000;

/// The name of the device cookie.
pub const DEVICE_COOKIE: &str = "organise_device";
/// How long a device stays known.
pub const DEVICE_LIFETIME_MS: i64 = 365 * 24 * 60 * 60 * 1000;
/// The most devices known per account; signing in on another forgets the oldest.
pub const MAX_DEVICES_PER_USER: i64 = 10;

/// The per-source limit (see the module's documentation).
pub struct SourceLimiter {
    limiter: DefaultKeyedRateLimiter<IpAddr>,
    checks: AtomicU64,
}

impl std::fmt::Debug for SourceLimiter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SourceLimiter")
            .field("sources", &self.limiter.len())
            .finish()
    }
}

/// How many password attempts one source may make.
#[derive(Clone, Copy, Debug)]
pub struct SourceLimits {
    /// Attempts at once.
    pub burst: u32,
    /// How often one more is earned.
    pub refill: Duration,
}

impl Default for SourceLimits {
    fn default() -> SourceLimits {
        SourceLimits {
            burst: SOURCE_BURST,
            refill: SOURCE_REFILL,
        }
    }
}

impl Default for SourceLimiter {
    fn default() -> SourceLimiter {
        SourceLimiter::new(SourceLimits::default())
    }
}

impl SourceLimiter {
    /// A limiter allowing each source `limits`.
    pub fn new(limits: SourceLimits) -> SourceLimiter {
        let quota = Quota::with_period(limits.refill.max(Duration::from_millis(1)))
            .expect("the refill period is not zero")
            .allow_burst(NonZeroU32::new(limits.burst.max(1)).expect("the burst is not zero"));
        SourceLimiter {
            limiter: DefaultKeyedRateLimiter::keyed(quota),
            checks: AtomicU64::new(0),
        }
    }
}

/// Where every source goes once [`MAX_SOURCES`] are remembered, and requests that carry no
/// address (tests that call the router directly).
const SHARED_SOURCE: IpAddr = IpAddr::V4(Ipv4Addr::UNSPECIFIED);

impl SourceLimiter {
    /// Counts one attempt from `source`; refused with the seconds to wait when it has none
    /// left.
    pub fn check(&self, source: IpAddr) -> AppResult<()> {
        if self.checks.fetch_add(1, Ordering::Relaxed) % SWEEP_EVERY == SWEEP_EVERY - 1
            || self.limiter.len() >= MAX_SOURCES
        {
            self.limiter.retain_recent();
            self.limiter.shrink_to_fit();
        }
        let key = if self.limiter.len() >= MAX_SOURCES {
            SHARED_SOURCE
        } else {
            source
        };
        self.limiter.check_key(&key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.limiter.clock().now());
            AppError::TooManyAttempts {
                retry_after_secs: wait.as_secs() + 1,
            }
        })
    }

    /// How many sources it remembers.
    pub fn len(&self) -> usize {
        self.limiter.len()
    }

    /// Whether it remembers none.
    pub fn is_empty(&self) -> bool {
        self.limiter.is_empty()
    }
}

/// The address a request came from, by which it is limited: the socket's peer, or, with
/// `--behind-proxy`, the last address in `X-Forwarded-For` (the one the proxy saw). IPv6
/// addresses count by their /64, which one machine usually holds whole.
pub fn client_source(parts: &Parts, behind_proxy: bool) -> IpAddr {
    let forwarded = behind_proxy
        .then(|| forwarded_for(&parts.headers))
        .flatten();
    let peer = parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|ConnectInfo(addr)| addr.ip());
    match forwarded.or(peer) {
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => IpAddr::V6(Ipv6Addr::from_bits(v6.to_bits() & !((1u128 << 64) - 1))),
        },
        Some(v4) => v4,
        None => SHARED_SOURCE,
    }
}

fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    let last = headers.get_all("x-forwarded-for").iter().next_back()?;
    last.to_str().ok()?.rsplit(',').next()?.trim().parse().ok()
}

/// An extractor that counts a password attempt against the request's source, refusing it
/// with `429` when the source has none left. Handlers that check or hash a password take it
/// before their body, so a refused attempt is never read or hashed.
#[derive(Clone, Copy, Debug)]
pub struct PasswordAttempt;

impl FromRequestParts<AppState> for PasswordAttempt {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        state
            .sign_in_sources
            .check(client_source(parts, state.config.behind_proxy))?;
        Ok(PasswordAttempt)
    }
}

/// What attempts are counted under: an account (by a hash of its email, so unknown emails
/// are counted alike and none is stored) or a known device.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ThrottleKey(String);

impl ThrottleKey {
    /// Attempts at the account with this (normalised) email, from anywhere unknown.
    pub fn account(email: &str) -> ThrottleKey {
        ThrottleKey(format!(
            "a:{}",
            auth::token_hash(&format!("account:{email}"))
        ))
    }

    /// Attempts from a known device, by the hash of its token.
    fn device(token_hash: &str) -> ThrottleKey {
        ThrottleKey(format!("d:{token_hash}"))
    }
}

/// The wait after `attempts` attempts: none for the first [`FREE_ATTEMPTS`], then one second
/// doubling up to [`MAX_DELAY_MS`].
pub fn delay_after(attempts: i64) -> i64 {
    if attempts < FREE_ATTEMPTS {
        return 0;
    }
    let doublings = (attempts - FREE_ATTEMPTS).min(20) as u32;
    (1000i64 << doublings).min(MAX_DELAY_MS)
}

/// Counts one attempt under `key`, or refuses it with the seconds to wait. Every process
/// sharing the database sees the same count: the row is changed only if it is still as read
/// (compare and swap), so of two attempts racing for the last free place one waits.
pub async fn reserve(db: &Db, key: &ThrottleKey, now: Timestamp) -> AppResult<()> {
    for _ in 0..4 {
        let row = sqlx::query(
            "SELECT attempts, last_at, next_at FROM sign_in_attempts WHERE throttle_key = $1",
        )
        .bind(&key.0)
        .fetch_optional(db.pool())
        .await?;
        let Some(row) = row else {
            forget_old_attempts(db, now).await?;
            let inserted = sqlx::query(
                "INSERT INTO sign_in_attempts (throttle_key, attempts, last_at, next_at) \
                 VALUES ($1, 1, $2, $3) ON CONFLICT (throttle_key) DO NOTHING",
            )
            .bind(&key.0)
            .bind(now.0)
            .bind(now.0 + delay_after(1))
            .execute(db.pool())
            .await?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            continue;
        };
        let attempts: i64 = row.try_get("attempts")?;
        let last_at: i64 = row.try_get("last_at")?;
        let next_at: i64 = row.try_get("next_at")?;
        let counted = if last_at + ATTEMPT_WINDOW_MS <= now.0 {
            0
        } else {
            attempts
        };
        if counted > 0 && now.0 < next_at {
            return Err(AppError::TooManyAttempts {
                retry_after_secs: ((next_at - now.0) as u64).div_ceil(1000),
            });
        }
        let updated = sqlx::query(
            "UPDATE sign_in_attempts SET attempts = $1, last_at = $2, next_at = $3 \
             WHERE throttle_key = $4 AND attempts = $5 AND last_at = $6",
        )
        .bind(counted + 1)
        .bind(now.0)
        .bind(now.0 + delay_after(counted + 1))
        .bind(&key.0)
        .bind(attempts)
        .bind(last_at)
        .execute(db.pool())
        .await?;
        if updated.rows_affected() == 1 {
            return Ok(());
        }
    }
    // Others kept winning the race: someone is guessing at this very account right now.
    Err(AppError::TooManyAttempts {
        retry_after_secs: 1,
    })
}

/// Forgets the attempts under `key`, after the right password.
pub async fn clear(db: &Db, key: &ThrottleKey) -> AppResult<()> {
    sqlx::query("DELETE FROM sign_in_attempts WHERE throttle_key = $1")
        .bind(&key.0)
        .execute(db.pool())
        .await?;
    Ok(())
}

/// Deletes rows past their window, and the oldest beyond [`MAX_ATTEMPT_ROWS`]. Run before a
/// row is added, so the table is bounded by what arrives within one window.
async fn forget_old_attempts(db: &Db, now: Timestamp) -> AppResult<()> {
    sqlx::query("DELETE FROM sign_in_attempts WHERE last_at <= $1")
        .bind(now.0 - ATTEMPT_WINDOW_MS)
        .execute(db.pool())
        .await?;
    sqlx::query(
        "DELETE FROM sign_in_attempts WHERE last_at <= (SELECT last_at FROM sign_in_attempts \
         ORDER BY last_at DESC LIMIT 1 OFFSET $1)",
    )
    .bind(MAX_ATTEMPT_ROWS - 1)
    .execute(db.pool())
    .await?;
    Ok(())
}

fn device_token(headers: &HeaderMap) -> Option<&str> {
    auth::cookie_value(headers, DEVICE_COOKIE).filter(|token| token.len() == 64)
}

/// What attempts to sign in to `user` with these headers are counted under: their device, if
/// it is one they signed in on before, or else the account with `email`.
pub async fn key_for(
    state: &AppState,
    headers: &HeaderMap,
    user: Option<UserId>,
    email: &str,
) -> AppResult<(ThrottleKey, bool)> {
    if let (Some(user), Some(token)) = (user, device_token(headers)) {
        let hash = auth::token_hash(token);
        let known = sqlx::query(
            "SELECT 1 AS known FROM trusted_devices \
             WHERE token_hash = $1 AND user_id = $2 AND created_at > $3",
        )
        .bind(&hash)
        .bind(user.to_string())
        .bind(state.clock.now().0 - DEVICE_LIFETIME_MS)
        .fetch_optional(state.db.pool())
        .await?;
        if known.is_some() {
            return Ok((ThrottleKey::device(&hash), true));
        }
    }
    Ok((ThrottleKey::account(email), false))
}

/// Remembers a new device for `user` (forgetting their oldest beyond
/// [`MAX_DEVICES_PER_USER`]) and returns the cookie that names it.
pub async fn trust_device(state: &AppState, user: UserId) -> AppResult<String> {
    let now = state.clock.now();
    let token = auth::random_token();
    sqlx::query("DELETE FROM trusted_devices WHERE user_id = $1 AND created_at <= $2")
        .bind(user.to_string())
        .bind(now.0 - DEVICE_LIFETIME_MS)
        .execute(state.db.pool())
        .await?;
    sqlx::query(
        "INSERT INTO trusted_devices (token_hash, user_id, created_at) VALUES ($1, $2, $3)",
    )
    .bind(auth::token_hash(&token))
    .bind(user.to_string())
    .bind(now.0)
    .execute(state.db.pool())
    .await?;
    sqlx::query(
        "DELETE FROM trusted_devices WHERE user_id = $1 AND token_hash NOT IN \
         (SELECT token_hash FROM trusted_devices WHERE user_id = $1 \
          ORDER BY created_at DESC, token_hash LIMIT $2)",
    )
    .bind(user.to_string())
    .bind(MAX_DEVICES_PER_USER)
    .execute(state.db.pool())
    .await?;
    let secure = if state.config.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    Ok(format!(
        "{DEVICE_COOKIE}={token}; Path=/api/session; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        DEVICE_LIFETIME_MS / 1000
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_doubles_from_one_second_after_the_free_attempts_up_to_the_cap() {
        let delays: Vec<i64> = (1..=16).map(delay_after).collect();
        assert_eq!(
            delays,
            [
                0, 0, 0, 0, 1000, 2000, 4000, 8000, 16000, 32000, 64000, 128000, 256000, 300000,
                300000, 300000
            ]
        );
        assert_eq!(delay_after(i64::MAX), MAX_DELAY_MS);
    }

    #[test]
    fn a_source_has_a_burst_then_waits_and_sources_are_apart() {
        let limiter = SourceLimiter::default();
        let one: IpAddr = "192.0.2.1".parse().unwrap();
        let other: IpAddr = "192.0.2.2".parse().unwrap();
        for _ in 0..SOURCE_BURST {
            limiter.check(one).unwrap();
        }
        assert!(matches!(
            limiter.check(one),
            Err(AppError::TooManyAttempts {
                retry_after_secs: 1..=3
            })
        ));
        limiter.check(other).unwrap();
    }

    fn parts(peer: &str, forwarded: Option<&str>) -> Parts {
        let mut request = axum::http::Request::builder();
        if let Some(forwarded) = forwarded {
            request = request.header("x-forwarded-for", forwarded);
        }
        let (mut parts, ()) = request.body(()).unwrap().into_parts();
        parts
            .extensions
            .insert(ConnectInfo::<SocketAddr>(peer.parse().unwrap()));
        parts
    }

    #[test]
    fn the_source_is_the_peer_unless_behind_a_proxy_and_ipv6_counts_by_its_64() {
        let spoofed = parts("192.0.2.7:5000", Some("203.0.113.9"));
        assert_eq!(
            client_source(&spoofed, false),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
        let proxied = parts("127.0.0.1:5000", Some("198.51.100.1, 203.0.113.9"));
        assert_eq!(
            client_source(&proxied, true),
            "203.0.113.9".parse::<IpAddr>().unwrap()
        );
        let v6 = parts("[2001:db8:1:2:3:4:5:6]:443", None);
        assert_eq!(
            client_source(&v6, false),
            "2001:db8:1:2::".parse::<IpAddr>().unwrap()
        );
        let mapped = parts("[::ffff:192.0.2.7]:443", None);
        assert_eq!(
            client_source(&mapped, false),
            "192.0.2.7".parse::<IpAddr>().unwrap()
        );
    }
}
