//! Security headers on every response.
//!
//! The content security policy allows only our own origin: no inline script or style (the
//! build moves Trunk's inline loader into a hashed file), `wasm-unsafe-eval` so the browser
//! may compile our WebAssembly, and no framing at all. Served over HTTPS (`--secure-cookies`),
//! every response also tells the browser to use nothing but HTTPS for a year.

use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;

/// The content security policy sent with every response.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; \
    script-src 'self' 'wasm-unsafe-eval'; \
    style-src 'self'; \
    img-src 'self' data:; \
    connect-src 'self'; \
    font-src 'self'; \
    manifest-src 'self'; \
    worker-src 'self'; \
    object-src 'none'; \
    base-uri 'none'; \
    form-action 'self'; \
    frame-ancestors 'none'";

const HEADERS: &[(&str, &str)] = &[
    ("content-security-policy", CONTENT_SECURITY_POLICY),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
    ("cross-origin-resource-policy", "same-origin"),
    (
        "permissions-policy",
        "camera=(), microphone=(), payment=(), usb=(), interest-cohort=()",
    ),
];

/// `Strict-Transport-Security`, sent when the server is reached over HTTPS: a year, and for
/// this host only (other services may share the domain).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// Middleware adding [`HEADERS`] (and, over HTTPS, [`STRICT_TRANSPORT_SECURITY`]) to the
/// response.
pub async fn add(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    for (name, value) in HEADERS {
        headers.insert(*name, HeaderValue::from_static(value));
    }
    if state.config.secure_cookies {
        headers.insert(
            "strict-transport-security",
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    response
}
