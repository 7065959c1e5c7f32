use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use organise_server::MAX_BODY_BYTES;
use serde_json::json;

use crate::support::TestApp;

#[tokio::test]
async fn malformed_json_gets_a_specific_message() {
    let app = TestApp::new().await;
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/session")
        .header("content-type", "application/json")
        .body(Body::from("{\"email\": "))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    let message = response.json()["error"].as_str().unwrap().to_owned();
    assert!(message.contains("line 1 column"), "{message}");
    app.remove().await;
}

#[tokio::test]
async fn unknown_and_missing_fields_are_named() {
    let app = TestApp::new().await;
    let unknown = app
        .post_json(
            "/api/session",
            &json!({ "email": "a@b.c", "password": "x", "remember": true }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown.json()["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `remember`")
    );
    let missing = app
        .post_json("/api/session", &json!({ "email": "a@b.c" }))
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(
        missing.json()["error"]
            .as_str()
            .unwrap()
            .contains("missing field `password`")
    );
    app.remove().await;
}

#[tokio::test]
async fn a_body_without_json_content_type_is_refused() {
    let app = TestApp::new().await;
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/session")
        .header("content-type", "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.json()["error"]
            .as_str()
            .unwrap()
            .contains("application/json")
    );
    app.remove().await;
}

#[tokio::test]
async fn an_oversized_body_is_refused() {
    let app = TestApp::new().await;
    let huge = format!(
        "{{\"email\": \"{}\", \"password\": \"x\"}}",
        "a".repeat(MAX_BODY_BYTES)
    );
    let request = Request::builder()
        .method(Method::POST)
        .uri("/api/session")
        .header("content-type", "application/json")
        .body(Body::from(huge))
        .unwrap();
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(response.json()["error"], "the request is too large");
    app.remove().await;
}

#[tokio::test]
async fn unknown_api_paths_are_json_404s() {
    let app = TestApp::new().await;
    let response = app.get("/api/no-such-thing").await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);
    assert_eq!(response.json()["error"], "not found");
    app.remove().await;
}

#[tokio::test]
async fn health_checks_the_database() {
    let app = TestApp::new().await;
    let response = app.get("/api/health").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["status"], "ok");
    app.remove().await;
}
