use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use organise_server::auth::{MAX_FAILED_LOGINS, SESSION_LIFETIME_MS};
use serde_json::json;

use crate::support::{ORGANISER, PASSWORD, TestApp, json_request};

fn with_cookie(method: Method, path: &str, cookie: &str, csrf: Option<&str>) -> Request<Body> {
    let mut builder = Request::builder()
        .method(method)
        .uri(path)
        .header("cookie", cookie);
    if let Some(csrf) = csrf {
        builder = builder.header("x-csrf-token", csrf);
    }
    builder.body(Body::empty()).unwrap()
}

#[tokio::test]
async fn sign_in_sets_a_strict_http_only_cookie_and_returns_the_user() {
    let app = TestApp::new().await;
    let response = app
        .post_json(
            "/api/session",
            &json!({ "email": "  Organiser@Test.Organise.Invalid ", "password": PASSWORD }),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let cookie = response.header("set-cookie");
    assert!(cookie.starts_with("organise_session="), "{cookie}");
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(
        !cookie.contains("Secure"),
        "not Secure unless configured: {cookie}"
    );
    let body = response.json();
    assert_eq!(body["user"]["email"], ORGANISER);
    assert_eq!(body["user"]["roles"][0]["role"], "organiser");
    assert_eq!(body["csrf_token"].as_str().unwrap().len(), 64);
    assert_eq!(response.header("cache-control"), "no-store");
    app.remove().await;
}

#[tokio::test]
async fn secure_cookies_when_configured() {
    let app = TestApp::with_config(organise_server::Config {
        secure_cookies: true,
        ..Default::default()
    })
    .await;
    let response = app
        .post_json(
            "/api/session",
            &json!({ "email": ORGANISER, "password": PASSWORD }),
        )
        .await;
    assert!(response.header("set-cookie").contains("; Secure"));
    app.remove().await;
}

#[tokio::test]
async fn the_session_cookie_identifies_the_user() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.sign_in(ORGANISER, PASSWORD).await;
    let response = app
        .send(with_cookie(Method::GET, "/api/session", &cookie, None))
        .await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["user"]["display_name"], "Test Organiser");
    assert_eq!(response.json()["csrf_token"], csrf.as_str());

    let forged = app
        .send(with_cookie(
            Method::GET,
            "/api/session",
            "organise_session=00ff",
            None,
        ))
        .await;
    assert_eq!(forged.status, StatusCode::UNAUTHORIZED);
    let none = app.get("/api/session").await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.json()["error"], "sign in to continue");
    app.remove().await;
}

#[tokio::test]
async fn wrong_password_and_unknown_email_get_the_same_answer() {
    let app = TestApp::new().await;
    let wrong = app
        .post_json(
            "/api/session",
            &json!({ "email": ORGANISER, "password": "nope" }),
        )
        .await;
    let unknown = app
        .post_json(
            "/api/session",
            &json!({ "email": "nobody@test.organise.invalid", "password": "nope" }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert!(wrong.headers.get("set-cookie").is_none());
    app.remove().await;
}

#[tokio::test]
async fn repeated_failures_lock_the_account_for_a_while() {
    let app = TestApp::new().await;
    for _ in 0..MAX_FAILED_LOGINS {
        let response = app
            .post_json(
                "/api/session",
                &json!({ "email": ORGANISER, "password": "guess" }),
            )
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let locked = app
        .post_json(
            "/api/session",
            &json!({ "email": ORGANISER, "password": PASSWORD }),
        )
        .await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.header("retry-after"), "900");
    app.clock.advance(15 * 60 * 1000);
    app.sign_in(ORGANISER, PASSWORD).await;
    app.remove().await;
}

#[tokio::test]
async fn sign_out_needs_the_csrf_token_and_ends_the_session() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.sign_in(ORGANISER, PASSWORD).await;
    let without = app
        .send(with_cookie(Method::DELETE, "/api/session", &cookie, None))
        .await;
    assert_eq!(without.status, StatusCode::FORBIDDEN);
    let wrong = app
        .send(with_cookie(
            Method::DELETE,
            "/api/session",
            &cookie,
            Some("0000"),
        ))
        .await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);

    let done = app
        .send(with_cookie(
            Method::DELETE,
            "/api/session",
            &cookie,
            Some(&csrf),
        ))
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert!(done.header("set-cookie").contains("Max-Age=0"));
    let after = app
        .send(with_cookie(Method::GET, "/api/session", &cookie, None))
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    app.remove().await;
}

#[tokio::test]
async fn a_request_from_another_site_is_refused() {
    let app = TestApp::new().await;
    let mut request = json_request(
        Method::POST,
        "/api/session",
        &json!({ "email": ORGANISER, "password": PASSWORD }),
    );
    request
        .headers_mut()
        .insert("sec-fetch-site", "cross-site".parse().unwrap());
    let response = app.send(request).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert!(response.headers.get("set-cookie").is_none());
    app.remove().await;
}

#[tokio::test]
async fn sessions_expire() {
    let app = TestApp::new().await;
    let (cookie, _) = app.sign_in(ORGANISER, PASSWORD).await;
    app.clock.advance(SESSION_LIFETIME_MS - 1);
    let before = app
        .send(with_cookie(Method::GET, "/api/session", &cookie, None))
        .await;
    assert_eq!(before.status, StatusCode::OK);
    app.clock.advance(1);
    let after = app
        .send(with_cookie(Method::GET, "/api/session", &cookie, None))
        .await;
    assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    app.remove().await;
}

#[tokio::test]
async fn sign_ins_are_audited_without_personal_data() {
    let app = TestApp::new().await;
    app.sign_in(ORGANISER, PASSWORD).await;
    let _ = app
        .post_json(
            "/api/session",
            &json!({ "email": ORGANISER, "password": "wrong" }),
        )
        .await;
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT action, detail FROM audit_log ORDER BY id")
            .fetch_all(app.state.db.pool())
            .await
            .unwrap();
    let actions: Vec<&str> = rows.iter().map(|(action, _)| action.as_str()).collect();
    assert_eq!(actions, ["login", "login.failed"]);
    assert!(
        rows.iter()
            .all(|(_, detail)| !detail.contains("organiser@"))
    );
    app.remove().await;
}
