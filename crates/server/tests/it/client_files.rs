use std::path::PathBuf;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use organise_server::Config;
use organise_server::security_headers::CONTENT_SECURITY_POLICY;

use crate::support::TestApp;

const WASM: &str = "organise-0123456789abcdef_bg.wasm";
const INDEX: &str = "<!doctype html><title>Organise</title>";

/// A tiny stand-in for `dist/`: an index, a hashed wasm module with its brotli twin, a manifest.
fn fake_dist() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "organise-dist-{}",
        uuid::Uuid::from_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos(),
        )
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), INDEX).unwrap();
    std::fs::write(dir.join(WASM), b"\0asm\x01\0\0\0").unwrap();
    std::fs::write(dir.join(format!("{WASM}.br")), b"brotli bytes").unwrap();
    std::fs::write(dir.join("manifest.webmanifest"), "{}").unwrap();
    dir
}

async fn app_with_dist() -> (TestApp, PathBuf) {
    let dist = fake_dist();
    let app = TestApp::with_config(Config {
        dist_dir: Some(dist.clone()),
        ..Config::default()
    })
    .await;
    (app, dist)
}

#[tokio::test]
async fn the_root_and_client_routes_get_the_uncached_index() {
    let (app, dist) = app_with_dist().await;
    for path in ["/", "/people/0191a7c2-0000", "/settings"] {
        let response = app.get(path).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(response.text(), INDEX, "{path}");
        assert!(response.header("content-type").starts_with("text/html"));
        assert_eq!(response.header("cache-control"), "no-store", "{path}");
    }
    app.remove().await;
    std::fs::remove_dir_all(dist).unwrap();
}

#[tokio::test]
async fn hashed_wasm_is_typed_immutable_and_precompressed() {
    let (app, dist) = app_with_dist().await;
    let plain = app.get(&format!("/{WASM}")).await;
    assert_eq!(plain.status, StatusCode::OK);
    assert_eq!(plain.header("content-type"), "application/wasm");
    assert_eq!(
        plain.header("cache-control"),
        "public, max-age=31536000, immutable"
    );
    assert_eq!(plain.body, b"\0asm\x01\0\0\0");

    let request = Request::get(format!("/{WASM}"))
        .header("accept-encoding", "gzip, br")
        .body(Body::empty())
        .unwrap();
    let compressed = app.send(request).await;
    assert_eq!(compressed.header("content-encoding"), "br");
    assert_eq!(compressed.header("content-type"), "application/wasm");
    assert_eq!(compressed.body, b"brotli bytes");
    app.remove().await;
    std::fs::remove_dir_all(dist).unwrap();
}

#[tokio::test]
async fn a_missing_asset_is_a_404_never_the_index() {
    let (app, dist) = app_with_dist().await;
    let response = app.get("/organise-ffffffffffffffff_bg.wasm").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_ne!(response.text(), INDEX);
    assert!(!response.header("content-type").starts_with("text/html"));
    app.remove().await;
    std::fs::remove_dir_all(dist).unwrap();
}

#[tokio::test]
async fn unhashed_files_revalidate() {
    let (app, dist) = app_with_dist().await;
    let response = app.get("/manifest.webmanifest").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("cache-control"), "no-cache");
    app.remove().await;
    std::fs::remove_dir_all(dist).unwrap();
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (app, dist) = app_with_dist().await;
    for path in [
        "/",
        &format!("/{WASM}"),
        "/api/health",
        "/api/nope",
        "/missing.js",
    ] {
        let response = app.get(path).await;
        assert_eq!(
            response.header("content-security-policy"),
            CONTENT_SECURITY_POLICY,
            "{path}"
        );
        assert_eq!(
            response.header("x-content-type-options"),
            "nosniff",
            "{path}"
        );
        assert_eq!(response.header("referrer-policy"), "no-referrer", "{path}");
    }
    assert!(CONTENT_SECURITY_POLICY.contains("frame-ancestors 'none'"));
    assert!(CONTENT_SECURITY_POLICY.contains("'wasm-unsafe-eval'"));
    assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
    app.remove().await;
    std::fs::remove_dir_all(dist).unwrap();
}

#[tokio::test]
async fn without_a_built_client_the_root_says_how_to_build_it() {
    let app = TestApp::new().await;
    let response = app.get("/").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert!(response.text().contains("cargo xtask run"));
    app.remove().await;
}

/// A file with a precompressed twin is chosen by `Accept-Encoding`, and said nothing of it: a
/// shared cache could hand brotli to a browser that never asked for it.
#[tokio::test]
async fn precompressed_assets_say_they_vary_by_accept_encoding() {
    let (app, dist) = app_with_dist().await;
    let plain = app.get(&format!("/{WASM}")).await;
    assert_eq!(plain.header("vary"), "accept-encoding");
    let request = Request::get(format!("/{WASM}"))
        .header("accept-encoding", "br")
        .body(Body::empty())
        .unwrap();
    let compressed = app.send(request).await;
    assert_eq!(compressed.header("content-encoding"), "br");
    assert_eq!(compressed.header("vary"), "accept-encoding");
    for path in ["/", "/manifest.webmanifest"] {
        assert_eq!(
            app.get(path).await.header("vary"),
            "accept-encoding",
            "{path}"
        );
    }
    app.remove().await;
    std::fs::remove_dir_all(dist).unwrap();
}
