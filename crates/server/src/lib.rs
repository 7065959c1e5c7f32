//! Organise's shared backend: the JSON API every phone syncs with, accounts and sessions, and
//! the built client, all from one axum [`Router`] made by [`app`].
//!
//! Tests drive [`app`] directly with `tower::ServiceExt::oneshot`, without opening a port.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod client_files;
pub mod clock;
pub mod db;
pub mod demo;
pub mod error;
pub mod invites;
pub mod json;
pub mod links;
pub mod meeting_links;
pub mod openapi;
pub mod passwords;
pub mod people;
pub mod retention;
pub mod routes;
pub mod security_headers;
pub mod serve;
pub mod sign_in_kit;
pub mod sync_api;
pub mod sync_store;
pub mod synthetic;
pub mod throttle;

use std::path::PathBuf;
use std::sync::Arc;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::HeaderValue;
use axum::http::header::CACHE_CONTROL;
use tower_http::set_header::SetResponseHeaderLayer;

pub use clock::{Clock, Timestamp};
pub use db::Db;

/// How the server was started.
#[derive(Debug, Clone)]
pub struct Config {
    /// The built client to serve at `/`; `None` serves the API only.
    pub dist_dir: Option<PathBuf>,
    /// Mark the cookies `Secure` and send `Strict-Transport-Security`: set when the server is
    /// reached over HTTPS.
    pub secure_cookies: bool,
    /// Take the client's address from the last `X-Forwarded-For` entry rather than the socket:
    /// set only when a reverse proxy that appends it is the server's only way in.
    pub behind_proxy: bool,
    /// How many password hashes run at once, and how many wait.
    pub hashing: passwords::HashingLimits,
    /// How many password attempts one client address may make.
    pub sources: throttle::SourceLimits,
    /// How many uses of signed links (withdrawing consent) one client address may make.
    pub link_sources: throttle::SourceLimits,
    /// How many uses of meeting links (replying, signing in) one client address may make.
    pub meeting_link_sources: throttle::SourceLimits,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            dist_dir: None,
            secure_cookies: false,
            behind_proxy: false,
            hashing: passwords::HashingLimits::default(),
            sources: throttle::SourceLimits::default(),
            link_sources: links::LINK_LIMITS,
            meeting_link_sources: meeting_links::MEETING_LINK_LIMITS,
        }
    }
}

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub db: Db,
    /// How the server was started.
    pub config: Arc<Config>,
    /// The time, replaceable in tests.
    pub clock: Clock,
    /// Password attempts per client address.
    pub sign_in_sources: Arc<throttle::SourceLimiter>,
    /// Uses of signed links per client address.
    pub link_sources: Arc<throttle::SourceLimiter>,
    /// Uses of meeting links per client address.
    pub meeting_link_sources: Arc<throttle::SourceLimiter>,
    /// The bound on password hashes running at once.
    pub hashing: Arc<passwords::PasswordHashing>,
    /// The area tree, kept between requests while the database's is unchanged.
    pub trees: Arc<sync_store::TreeCache>,
}

impl AppState {
    /// State over `db` with the system clock.
    pub fn new(db: Db, config: Config) -> AppState {
        AppState::with_clock(db, config, Clock::system())
    }

    /// State over `db` with the given clock.
    pub fn with_clock(db: Db, config: Config, clock: Clock) -> AppState {
        AppState {
            db,
            hashing: Arc::new(passwords::PasswordHashing::new(config.hashing)),
            sign_in_sources: Arc::new(throttle::SourceLimiter::new(config.sources)),
            link_sources: Arc::new(throttle::SourceLimiter::new(config.link_sources)),
            meeting_link_sources: Arc::new(throttle::SourceLimiter::new(
                config.meeting_link_sources,
            )),
            config: Arc::new(config),
            clock,
            trees: Arc::default(),
        }
    }
}

/// The largest request body accepted, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The whole HTTP application.
pub fn app(state: AppState) -> Router {
    let mut api = Router::new();
    for (endpoint, handler) in routes::api() {
        api = api.route(endpoint.path, handler);
    }
    let api = api
        .fallback(api_not_found)
        // Personal data must never sit in a shared or on-disk HTTP cache.
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ));
    Router::new()
        .nest("/api", api)
        .fallback(client_files::serve)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security_headers::add,
        ))
        .with_state(state)
}

/// The health check's answer.
#[derive(Debug, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// `GET /api/health`: the server is up and its database answers.
async fn health(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> error::AppResult<axum::Json<Health>> {
    sqlx::query("SELECT 1").execute(state.db.pool()).await?;
    Ok(axum::Json(Health {
        status: "ok".into(),
    }))
}

/// `GET /api/openapi.json`: the API's OpenAPI document, built once.
async fn openapi_document() -> axum::Json<serde_json::Value> {
    static DOCUMENT: std::sync::OnceLock<serde_json::Value> = std::sync::OnceLock::new();
    axum::Json(
        DOCUMENT
            .get_or_init(|| openapi::document(&routes::endpoints()))
            .clone(),
    )
}

async fn api_not_found() -> error::AppError {
    error::AppError::NotFound
}
