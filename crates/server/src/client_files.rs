//! Serving the built client (`dist/`): content types, caching, precompressed bodies and the
//! single-page-app fallback.
//!
//! Hashed assets (`organise-3f2a…e1.wasm`) never change, so browsers may keep them for a year.
//! `index.html` and the service worker name those hashes, so they are never cached: a new
//! deployment is seen on the next load. A missing asset is a 404, never `index.html`, so a
//! stale reference fails loudly instead of being parsed as the wrong type. Every file may have
//! a precompressed twin chosen by `Accept-Encoding`, so every answer says `Vary:
//! Accept-Encoding`, and no cache hands a brotli body to a browser that did not ask for it.

use std::path::{Path, PathBuf};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CACHE_CONTROL, VARY};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

use crate::AppState;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
const NO_STORE: &str = "no-store";
const REVALIDATE: &str = "no-cache";

/// The fallback handler for every path that is not an API route.
pub async fn serve(State(state): State<AppState>, request: Request) -> Response {
    let Some(dist) = state.config.dist_dir.clone() else {
        return (
            StatusCode::NOT_FOUND,
            "The client is not built. Run `cargo xtask run`, which builds it.",
        )
            .into_response();
    };
    let path = request.uri().path().to_owned();
    if path.starts_with("/api/") || path == "/api" {
        return crate::error::AppError::NotFound.into_response();
    }
    if is_client_route(&path) {
        return serve_index(&dist, request).await;
    }
    let mut response = ServeDir::new(&dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .oneshot(request)
        .await
        .map(IntoResponse::into_response)
        .unwrap_or_else(|never| match never {});
    if response.status().is_success() || response.status() == StatusCode::NOT_MODIFIED {
        let policy = cache_policy(&path);
        let headers = response.headers_mut();
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(policy));
        headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    } else if response.status() == StatusCode::NOT_FOUND {
        response = (StatusCode::NOT_FOUND, "Not found").into_response();
    }
    response
}

async fn serve_index(dist: &Path, request: Request) -> Response {
    let index: PathBuf = dist.join("index.html");
    let mut response = ServeFile::new(index)
        .precompressed_br()
        .precompressed_gzip()
        .oneshot(request.map(|_| Body::empty()))
        .await
        .map(IntoResponse::into_response)
        .unwrap_or_else(|never| match never {});
    let headers = response.headers_mut();
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(NO_STORE));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding"));
    response
}

/// A path the client's router handles (`/`, `/people/42`), as opposed to a file (`/app.wasm`).
fn is_client_route(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("");
    path == "/" || !last.contains('.')
}

/// How long a browser may keep the file at `path`.
fn cache_policy(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or("");
    if name == "index.html" || name == "sw.js" {
        NO_STORE
    } else if has_content_hash(name) {
        IMMUTABLE
    } else {
        REVALIDATE
    }
}

/// Whether a file name carries a content hash: a `-` followed by 12 to 16 hex digits just
/// before the extension, as Trunk (a 64-bit hash, without leading zeros) and `cargo xtask dist`
/// name them.
fn has_content_hash(name: &str) -> bool {
    let stem = name.split('.').next().unwrap_or("");
    stem.rsplit_once('-').is_some_and(|(_, tail)| {
        // wasm-bindgen appends `_bg` after the hash of the module it generates.
        let hash = tail.split('_').next().unwrap_or("");
        (12..=16).contains(&hash.len()) && hash.bytes().all(|b| b.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn client_routes_versus_files() {
        assert!(is_client_route("/"));
        assert!(is_client_route("/people/0191a7c2"));
        assert!(is_client_route("/settings"));
        assert!(!is_client_route("/organise-abc.wasm"));
        assert!(!is_client_route("/icons/icon-192.png"));
    }

    #[test]
    fn cache_policy_by_name() {
        assert_eq!(
            cache_policy("/organise-0123456789abcdef_bg.wasm"),
            IMMUTABLE
        );
        assert_eq!(cache_policy("/organise-0123456789abcdef.js"), IMMUTABLE);
        assert_eq!(cache_policy("/main-0123456789abcdef.css"), IMMUTABLE);
        assert_eq!(cache_policy("/organise-6e70c2cd9f9ac48_bg.wasm"), IMMUTABLE);
        assert_eq!(cache_policy("/index.html"), NO_STORE);
        assert_eq!(cache_policy("/sw.js"), NO_STORE);
        assert_eq!(cache_policy("/manifest.webmanifest"), REVALIDATE);
        assert_eq!(cache_policy("/icons/icon-192.png"), REVALIDATE);
        assert_eq!(cache_policy("/not-a-hash.js"), REVALIDATE);
    }
}
