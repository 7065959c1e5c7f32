use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use organise_server::auth::SESSION_LIFETIME_MS;
use organise_server::passwords::HashingLimits;
use organise_server::throttle::{ATTEMPT_WINDOW_MS, FREE_ATTEMPTS, SOURCE_BURST, SourceLimits};
use organise_server::{AppState, Config, Db};
use serde_json::json;

use organise_core::id::{RecordId, RoleAssignmentId};
use organise_core::model::{Role, RoleAssignment};
use organise_core::record::Entity;

use crate::support::{ORGANISER, PASSWORD, TestApp, json_request, rand_u128, replica};

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

fn credentials(email: &str, password: &str) -> serde_json::Value {
    json!({ "email": email, "password": password })
}

/// A sign-in request from `address`, as the server's accept loop marks it.
fn sign_in_from(address: &str, email: &str, password: &str) -> Request<Body> {
    let mut request = json_request(Method::POST, "/api/session", &credentials(email, password));
    request.extensions_mut().insert(axum::extract::ConnectInfo(
        address.parse::<std::net::SocketAddr>().unwrap(),
    ));
    request
}

async fn attempts_in_database(app: &TestApp) -> Vec<(String, i64)> {
    sqlx::query_as("SELECT throttle_key, attempts FROM sign_in_attempts ORDER BY throttle_key")
        .fetch_all(app.state.db.pool())
        .await
        .unwrap()
}

/// 150 concurrent wrong sign-ins took the server from 1 GB to 3.7 GB: every one hashed at
/// once. Now only so many hash at a time, a few wait, and the rest are told to come back.
#[tokio::test]
async fn concurrent_sign_ins_hash_only_a_few_at_a_time_and_the_rest_are_told_to_retry() {
    let app = TestApp::with_config(Config {
        hashing: HashingLimits {
            concurrent: 1,
            queue: 1,
            wait: std::time::Duration::from_millis(20),
        },
        ..Config::default()
    })
    .await;
    let mut requests = tokio::task::JoinSet::new();
    for n in 0..20 {
        let request = sign_in_from(
            &format!("192.0.2.{n}:4000"),
            &format!("guess{n}@test.organise.invalid"),
            "not the password",
        );
        let router = app.router.clone();
        requests.spawn(async move { crate::support::send_to(&router, request).await });
    }
    let mut statuses = Vec::new();
    while let Some(response) = requests.join_next().await {
        let response = response.unwrap();
        if response.status == StatusCode::SERVICE_UNAVAILABLE {
            assert_eq!(response.header("retry-after"), "1");
            assert_eq!(
                response.json()["error"],
                "the server is busy; try again in a few seconds"
            );
        }
        statuses.push(response.status);
    }
    assert!(
        statuses
            .iter()
            .all(|s| [StatusCode::UNAUTHORIZED, StatusCode::SERVICE_UNAVAILABLE].contains(s)),
        "{statuses:?}"
    );
    assert!(
        statuses.contains(&StatusCode::SERVICE_UNAVAILABLE),
        "twenty at once with one slot and a queue of one: some must be turned away: {statuses:?}"
    );
    // The gate empties again: a sign-in after the rush goes through.
    app.sign_in(ORGANISER, PASSWORD).await;
    app.remove().await;
}

/// Each failed sign-in kept its email, up to 1 MB, in memory for ever. Over-long emails and
/// passwords are now refused before anything is looked up, hashed or kept, and what is kept
/// of an attempt holds no email.
#[tokio::test]
async fn over_long_emails_and_passwords_are_refused_before_hashing_and_no_email_is_kept() {
    let app = TestApp::new().await;
    let long_email = format!("{}@test.organise.invalid", "a".repeat(300 * 1024));
    let response = app
        .post_json(
            "/api/session",
            &credentials(&long_email, "not the password"),
        )
        .await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{}",
        response.text()
    );
    assert_eq!(response.json()["fields"][0]["field"], "email");
    assert_eq!(
        response.json()["fields"][0]["problem"],
        json!({ "kind": "too_long", "max": 254 })
    );
    let response = app
        .post_json(
            "/api/session",
            &credentials(ORGANISER, &"p".repeat(900 * 1024)),
        )
        .await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(response.json()["fields"][0]["field"], "password");
    assert_eq!(
        response.json()["fields"][0]["problem"],
        json!({ "kind": "too_long", "max": 1024 })
    );
    assert_eq!(attempts_in_database(&app).await, []);

    let wrong = app
        .post_json("/api/session", &credentials(ORGANISER, "not the password"))
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    let kept = attempts_in_database(&app).await;
    assert_eq!(kept.len(), 1);
    assert!(
        kept[0].0.starts_with("a:") && kept[0].0.len() == 66,
        "{kept:?}"
    );
    assert!(!kept[0].0.contains("organiser"));
    app.remove().await;
}

/// Five wrong passwords locked the account for 15 minutes, so anyone could lock anyone out.
/// Now each further attempt waits a delay that starts at a second and doubles; the right
/// password works as soon as the delay has passed.
#[tokio::test]
async fn wrong_passwords_slow_the_account_down_but_never_lock_out_the_right_one() {
    let app = TestApp::new().await;
    for _ in 0..FREE_ATTEMPTS {
        let response = app
            .post_json("/api/session", &credentials(ORGANISER, "guess"))
            .await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    let slowed = app
        .post_json("/api/session", &credentials(ORGANISER, PASSWORD))
        .await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(slowed.header("retry-after"), "1");
    app.clock.advance(1000);
    app.sign_in(ORGANISER, PASSWORD).await;

    // Guessing on, the delays double up to their cap; still no lock.
    for _ in 0..FREE_ATTEMPTS {
        app.post_json("/api/session", &credentials(ORGANISER, "guess"))
            .await;
    }
    let mut delays = Vec::new();
    for _ in 0..4 {
        let refused = app
            .post_json("/api/session", &credentials(ORGANISER, "guess"))
            .await;
        assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
        let seconds: i64 = refused.header("retry-after").parse().unwrap();
        delays.push(seconds);
        app.clock.advance(seconds * 1000);
        let guess = app
            .post_json("/api/session", &credentials(ORGANISER, "guess"))
            .await;
        assert_eq!(guess.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(delays, [1, 2, 4, 8]);
    app.clock.advance(16_000);
    app.sign_in(ORGANISER, PASSWORD).await;
    app.remove().await;
}

/// Someone guessing at an account from elsewhere does not slow its owner down on a browser
/// they have signed in on before.
#[tokio::test]
async fn the_owner_signs_in_on_a_known_device_while_someone_else_guesses() {
    let app = TestApp::new().await;
    let first = app
        .post_json("/api/session", &credentials(ORGANISER, PASSWORD))
        .await;
    let device = first
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap())
        .find(|v| v.starts_with("organise_device="))
        .expect("a device cookie")
        .to_owned();
    for attribute in ["HttpOnly", "SameSite=Strict", "Path=/api/session"] {
        assert!(device.contains(attribute), "{device}");
    }
    let device = device.split(';').next().unwrap().to_owned();

    for _ in 0..20 {
        app.post_json("/api/session", &credentials(ORGANISER, "guess"))
            .await;
        app.clock.advance(1000);
    }
    let stranger = app
        .post_json("/api/session", &credentials(ORGANISER, PASSWORD))
        .await;
    assert_eq!(stranger.status, StatusCode::TOO_MANY_REQUESTS);

    let mut owner = json_request(
        Method::POST,
        "/api/session",
        &credentials(ORGANISER, PASSWORD),
    );
    owner
        .headers_mut()
        .insert("cookie", device.parse().unwrap());
    let owner = app.send(owner).await;
    assert_eq!(owner.status, StatusCode::OK, "{}", owner.text());

    // A made-up device cookie is just another stranger.
    let mut forged = json_request(
        Method::POST,
        "/api/session",
        &credentials(ORGANISER, PASSWORD),
    );
    forged.headers_mut().insert(
        "cookie",
        format!("organise_device={}", "0".repeat(64))
            .parse()
            .unwrap(),
    );
    assert_eq!(app.send(forged).await.status, StatusCode::TOO_MANY_REQUESTS);
    app.remove().await;
}

/// Of 40 concurrent guesses, 38 were checked before the lock applied: each is now counted
/// before its hash runs, so no more than the free attempts are ever checked.
#[tokio::test]
async fn parallel_guesses_are_counted_before_they_are_hashed() {
    let app = TestApp::with_config(Config {
        hashing: HashingLimits {
            concurrent: 2,
            queue: 40,
            wait: std::time::Duration::from_secs(60),
        },
        ..Config::default()
    })
    .await;
    let mut requests = tokio::task::JoinSet::new();
    for n in 0..40 {
        let request = sign_in_from(&format!("198.51.100.{n}:4000"), ORGANISER, "guess");
        let router = app.router.clone();
        requests.spawn(async move { crate::support::send_to(&router, request).await.status });
    }
    let mut checked = 0;
    while let Some(status) = requests.join_next().await {
        match status.unwrap() {
            StatusCode::UNAUTHORIZED => checked += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("a guess was answered {other}"),
        }
    }
    assert!(
        (1..=FREE_ATTEMPTS).contains(&checked),
        "{checked} of 40 guesses were checked"
    );
    let (failed,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = 'login.failed'")
            .fetch_one(app.state.db.pool())
            .await
            .unwrap();
    assert_eq!(failed, checked);
    app.remove().await;
}

/// A national deployment runs several server processes on one database, and requests may
/// alternate between them: they count the same guesses.
#[tokio::test]
async fn guesses_are_counted_across_server_processes_sharing_the_database() {
    let app = TestApp::new().await;
    let other_db = Db::connect(app.database_url()).await.unwrap();
    let other = organise_server::app(AppState::with_clock(
        other_db.clone(),
        Config::default(),
        app.clock.clone(),
    ));
    for n in 0..FREE_ATTEMPTS {
        let request = json_request(
            Method::POST,
            "/api/session",
            &credentials(ORGANISER, "guess"),
        );
        let response = if n % 2 == 0 {
            app.send(request).await
        } else {
            crate::support::send_to(&other, request).await
        };
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
    }
    for router in [&app.router, &other] {
        let request = json_request(
            Method::POST,
            "/api/session",
            &credentials(ORGANISER, PASSWORD),
        );
        let response = crate::support::send_to(router, request).await;
        assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
    }
    other_db.close().await;
    app.remove().await;
}

/// One address may not spray guesses over many accounts; another address is apart.
#[tokio::test]
async fn one_address_is_limited_across_accounts_and_forwarded_for_is_not_trusted() {
    // The default burst, earned back slowly enough that this test never sees a refill.
    let app = TestApp::with_config(Config {
        sources: SourceLimits {
            burst: SOURCE_BURST,
            refill: std::time::Duration::from_secs(3600),
        },
        ..Config::default()
    })
    .await;
    let spray = |n: usize, address: &str| {
        let mut request = sign_in_from(
            address,
            &format!("someone{n}@test.organise.invalid"),
            "guess",
        );
        // Without --behind-proxy, a client cannot pick its own address.
        request
            .headers_mut()
            .insert("x-forwarded-for", format!("203.0.113.{n}").parse().unwrap());
        request
    };
    for n in 0..SOURCE_BURST as usize {
        let response = app.send(spray(n, "192.0.2.1:4000")).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    let refused = app.send(spray(99, "192.0.2.1:4001")).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.header("retry-after").parse::<u64>().unwrap() >= 1);
    let elsewhere = app.send(spray(100, "192.0.2.2:4000")).await;
    assert_eq!(elsewhere.status, StatusCode::UNAUTHORIZED);
    app.remove().await;
}

/// What is kept of attempts is forgotten once their window has passed.
#[tokio::test]
async fn attempts_are_forgotten_after_their_window() {
    let app = TestApp::new().await;
    app.post_json("/api/session", &credentials(ORGANISER, "guess"))
        .await;
    assert_eq!(attempts_in_database(&app).await.len(), 1);
    app.clock.advance(ATTEMPT_WINDOW_MS);
    app.post_json(
        "/api/session",
        &credentials("nobody@test.organise.invalid", "guess"),
    )
    .await;
    let kept = attempts_in_database(&app).await;
    assert_eq!(kept.len(), 1, "only the new attempt: {kept:?}");
    app.remove().await;
}

/// `create-admin` kept the case of an email's local part, so `Alex.Admin@…` could never sign
/// in (sign-in lower-cases). One normalisation now serves every path.
#[tokio::test]
async fn an_admin_created_with_a_mixed_case_email_can_sign_in() {
    let app = TestApp::new().await;
    organise_server::demo::create_user(
        &app.state.db,
        &app.clock,
        " Alex.Admin@Test.Organise.INVALID ",
        "Alex Admin",
        PASSWORD,
        "admin",
        "Great Britain",
    )
    .await
    .unwrap();
    app.sign_in("alex.admin@test.organise.invalid", PASSWORD)
        .await;
    app.clock.advance(1);
    app.sign_in("ALEX.ADMIN@test.organise.invalid", PASSWORD)
        .await;
    let again = organise_server::demo::create_user(
        &app.state.db,
        &app.clock,
        "alex.admin@TEST.organise.invalid",
        "Alex Admin",
        PASSWORD,
        "admin",
        "Great Britain",
    )
    .await;
    assert!(again.is_err(), "a case variant is the same account");
    app.remove().await;
}

/// `create-admin` accepted 12 spaces, the admin's own email, or 900 KB as a password.
#[tokio::test]
async fn create_admin_refuses_weak_passwords() {
    let app = TestApp::new().await;
    for password in [
        " ".repeat(12),
        "weak.admin@test.organise.invalid".to_owned(),
        "x".repeat(900 * 1024),
        "password1234".to_owned(),
    ] {
        let refused = organise_server::demo::create_user(
            &app.state.db,
            &app.clock,
            "weak.admin@test.organise.invalid",
            "Weak Admin",
            &password,
            "admin",
            "Great Britain",
        )
        .await;
        assert!(refused.is_err(), "{:.20}", password);
    }
    app.remove().await;
}

#[tokio::test]
async fn changing_the_password_ends_every_other_session_and_keeps_this_one() {
    let app = TestApp::new().await;
    let (here, csrf) = app.sign_in(ORGANISER, PASSWORD).await;
    let (elsewhere, _) = app.sign_in(ORGANISER, PASSWORD).await;
    let change = |current: &str, new: &str| {
        let mut request = json_request(
            Method::POST,
            "/api/session/password",
            &json!({ "current_password": current, "new_password": new }),
        );
        request
            .headers_mut()
            .insert("cookie", here.parse().unwrap());
        request
            .headers_mut()
            .insert("x-csrf-token", csrf.parse().unwrap());
        request
    };
    let wrong = app
        .send(change("not the password", "a fresh synthetic passphrase"))
        .await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert_eq!(wrong.json()["error"], "the current password is not right");
    let weak = app.send(change(PASSWORD, "password1234")).await;
    assert_eq!(weak.status, StatusCode::BAD_REQUEST);
    assert_eq!(weak.json()["fields"][0]["field"], "new_password");
    assert_eq!(weak.json()["fields"][0]["problem"]["kind"], "guessable");
    assert!(
        weak.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("the new password is too easy to guess"),
        "{}",
        weak.text()
    );

    let done = app
        .send(change(PASSWORD, "a fresh synthetic passphrase"))
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.text());
    for (cookie, expected) in [
        (&here, StatusCode::OK),
        (&elsewhere, StatusCode::UNAUTHORIZED),
    ] {
        let after = app
            .send(with_cookie(Method::GET, "/api/session", cookie, None))
            .await;
        assert_eq!(after.status, expected);
    }
    let old = app
        .post_json("/api/session", &credentials(ORGANISER, PASSWORD))
        .await;
    assert_eq!(old.status, StatusCode::UNAUTHORIZED);
    app.sign_in(ORGANISER, "a fresh synthetic passphrase").await;
    app.remove().await;
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session() {
    let app = TestApp::new().await;
    let (here, csrf) = app.sign_in(ORGANISER, PASSWORD).await;
    let (elsewhere, _) = app.sign_in(ORGANISER, PASSWORD).await;
    let without_csrf = app
        .send(with_cookie(Method::DELETE, "/api/sessions", &here, None))
        .await;
    assert_eq!(without_csrf.status, StatusCode::FORBIDDEN);
    let done = app
        .send(with_cookie(
            Method::DELETE,
            "/api/sessions",
            &here,
            Some(&csrf),
        ))
        .await;
    assert_eq!(done.status, StatusCode::NO_CONTENT);
    assert!(done.header("set-cookie").contains("Max-Age=0"));
    for cookie in [&here, &elsewhere] {
        let after = app
            .send(with_cookie(Method::GET, "/api/session", cookie, None))
            .await;
        assert_eq!(after.status, StatusCode::UNAUTHORIZED);
    }
    app.remove().await;
}

#[tokio::test]
async fn strict_transport_security_is_sent_over_https_only() {
    let plain = TestApp::new().await;
    assert!(
        plain
            .get("/api/health")
            .await
            .headers
            .get("strict-transport-security")
            .is_none()
    );
    plain.remove().await;
    let https = TestApp::with_config(Config {
        secure_cookies: true,
        ..Config::default()
    })
    .await;
    for path in ["/api/health", "/", "/api/nope"] {
        assert_eq!(
            https.get(path).await.header("strict-transport-security"),
            "max-age=31536000",
            "{path}"
        );
    }
    https.remove().await;
}

#[tokio::test]
async fn the_session_lists_every_role_its_user_holds() {
    let app = TestApp::new().await;
    let admin = app
        .user(
            "roles-admin@test.organise.invalid",
            "admin",
            "Great Britain",
        )
        .await;
    let member = app
        .user("two-roles@test.organise.invalid", "volunteer", "London")
        .await;
    let roles = |body: serde_json::Value| -> Vec<String> {
        let mut roles: Vec<String> = body["user"]["roles"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["role"].as_str().unwrap().to_owned())
            .collect();
        roles.sort();
        roles
    };
    assert_eq!(
        roles(member.get(&app, "/api/session").await.json()),
        ["volunteer"]
    );
    let mut phone = replica(&admin);
    phone
        .create(
            &RoleAssignment {
                id: RoleAssignmentId(RecordId::from_u128(rand_u128())),
                area: app.area("London").await,
                created_by: admin.user,
                user: member.user,
                role: Role::Host,
            }
            .to_record(),
        )
        .unwrap();
    admin.push_all(&app, &mut phone).await;
    assert_eq!(
        roles(member.get(&app, "/api/session").await.json()),
        ["host", "volunteer"]
    );
    app.remove().await;
}
