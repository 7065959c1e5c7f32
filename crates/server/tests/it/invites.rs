use axum::http::StatusCode;
use organise_server::invites::INVITE_LIFETIME_MS;

use crate::support::{PASSWORD, TestApp};

fn invite(name: &str, role: &str, area: organise_core::id::AreaId) -> serde_json::Value {
    serde_json::json!({ "name": name, "role": role, "area": area })
}

fn acceptance(email: &str) -> serde_json::Value {
    serde_json::json!({ "name": "Alex Example", "email": email, "password": PASSWORD })
}

#[tokio::test]
async fn an_invitation_link_makes_an_account_with_the_role_and_signs_in() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let created = organiser
        .post(
            &app,
            "/api/invites",
            &invite("Alex Example", "volunteer", london),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    let path = created.json()["path"].as_str().unwrap().to_owned();
    assert!(path.starts_with("/join/") && path.len() > 40, "{path}");
    let token = path.trim_start_matches("/join/");

    let shown = app.get(&format!("/api/join/{token}")).await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.text());
    assert_eq!(shown.json()["role"], "volunteer");
    assert_eq!(shown.json()["area_name"], "London");

    let accepted = app
        .post_json(
            &format!("/api/join/{token}"),
            &acceptance(" Alex@Example.INVALID "),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    assert!(accepted.header("set-cookie").contains("HttpOnly"));
    let user = accepted.json()["user"].clone();
    assert_eq!(user["email"], "alex@example.invalid");
    assert_eq!(user["roles"][0]["role"], "volunteer");
    assert_eq!(user["roles"][0]["area"], london.to_string());

    // They can sign in again with what they chose; the link works only once.
    app.sign_in("alex@example.invalid", PASSWORD).await;
    let reused = app
        .post_json(
            &format!("/api/join/{token}"),
            &acceptance("other@example.invalid"),
        )
        .await;
    assert_eq!(reused.status, StatusCode::GONE);
    assert_eq!(reused.json()["invite"], "accepted");
    assert!(
        reused.json()["error"]
            .as_str()
            .unwrap()
            .contains("already been used")
    );

    let listed = organiser.get(&app, "/api/invites").await.json();
    assert_eq!(listed[0]["status"], "accepted");
    app.remove().await;
}

#[tokio::test]
async fn organisers_invite_only_volunteers_and_hosts_within_their_area() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let wales = app.area("Wales").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let volunteer = app
        .user("vol@test.organise.invalid", "volunteer", "London")
        .await;
    for (who, body, status) in [
        (
            &organiser,
            invite("Sam Sample", "admin", london),
            StatusCode::FORBIDDEN,
        ),
        (
            &organiser,
            invite("Sam Sample", "organiser", london),
            StatusCode::FORBIDDEN,
        ),
        (
            &organiser,
            invite("Sam Sample", "host", wales),
            StatusCode::FORBIDDEN,
        ),
        (
            &volunteer,
            invite("Sam Sample", "volunteer", london),
            StatusCode::FORBIDDEN,
        ),
        (
            &organiser,
            invite("Sam Sample", "host", london),
            StatusCode::CREATED,
        ),
    ] {
        let response = who.post(&app, "/api/invites", &body).await;
        assert_eq!(response.status, status, "{body}: {}", response.text());
    }
    let bad = organiser
        .post(&app, "/api/invites", &invite("R2-D2", "boss", london))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.json()["error"]
            .as_str()
            .unwrap()
            .contains("unknown variant `boss`"),
        "{}",
        bad.text()
    );
    let bad_name = organiser
        .post(&app, "/api/invites", &invite("R2-D2", "host", london))
        .await;
    assert_eq!(bad_name.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_name.json()["fields"][0]["field"], "name");
    app.remove().await;
}

#[tokio::test]
async fn withdrawn_and_expired_links_stop_working_and_bad_details_are_explained() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let body = invite("Alex Example", "volunteer", london);
    let first = organiser.post(&app, "/api/invites", &body).await.json();
    let second = organiser.post(&app, "/api/invites", &body).await.json();
    let token = |created: &serde_json::Value| {
        created["path"]
            .as_str()
            .unwrap()
            .trim_start_matches("/join/")
            .to_owned()
    };

    let withdrawn = organiser
        .delete(
            &app,
            &format!("/api/invites/{}", first["invite"]["id"].as_str().unwrap()),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::NO_CONTENT);
    let gone = app.get(&format!("/api/join/{}", token(&first))).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert_eq!(gone.json()["invite"], "withdrawn");
    let made_up = app.get(&format!("/api/join/{}x", token(&first))).await;
    assert_eq!(made_up.status, StatusCode::NOT_FOUND);
    assert!(made_up.json().get("invite").is_none(), "{}", made_up.text());

    let short = app
        .post_json(
            &format!("/api/join/{}", token(&second)),
            &serde_json::json!({ "name": "Alex Example", "email": "nope", "password": "short" }),
        )
        .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    let short = short.json();
    let fields: Vec<&str> = short["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password"]);
    let taken = app
        .post_json(
            &format!("/api/join/{}", token(&second)),
            &acceptance("org@test.organise.invalid"),
        )
        .await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST);
    assert_eq!(taken.json()["fields"][0]["problem"]["kind"], "taken");
    // Neither failure used the link up.
    assert_eq!(
        app.get(&format!("/api/join/{}", token(&second)))
            .await
            .status,
        StatusCode::OK
    );

    app.clock.advance(INVITE_LIFETIME_MS + 1);
    let expired = app
        .post_json(
            &format!("/api/join/{}", token(&second)),
            &acceptance("alex@example.invalid"),
        )
        .await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert_eq!(expired.json()["invite"], "expired");
    app.remove().await;
}

#[tokio::test]
async fn a_new_link_replaces_the_old_and_renews_an_expired_invitation_but_not_a_used_one() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let outsider = app
        .user("other@test.organise.invalid", "organiser", "Wales")
        .await;
    let created = organiser
        .post(
            &app,
            "/api/invites",
            &invite("Alex Example", "volunteer", london),
        )
        .await
        .json();
    let id = created["invite"]["id"].as_str().unwrap().to_owned();
    let first_link = created["path"]
        .as_str()
        .unwrap()
        .replace("/join/", "/api/join/");

    // Another area's organiser cannot see it, let alone renew it.
    let foreign = outsider
        .post(
            &app,
            &format!("/api/invites/{id}/link"),
            &serde_json::json!(null),
        )
        .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND, "{}", foreign.text());

    app.clock.advance(INVITE_LIFETIME_MS + 1);
    assert_eq!(app.get(&first_link).await.json()["invite"], "expired");
    let renewed = organiser
        .post(
            &app,
            &format!("/api/invites/{id}/link"),
            &serde_json::json!(null),
        )
        .await;
    assert_eq!(renewed.status, StatusCode::OK, "{}", renewed.text());
    let renewed = renewed.json();
    assert_eq!(renewed["invite"]["id"], id.as_str());
    assert_eq!(renewed["invite"]["status"], "pending");
    let second_link = renewed["path"]
        .as_str()
        .unwrap()
        .replace("/join/", "/api/join/");
    assert_ne!(first_link, second_link);
    // Only the new link works now.
    assert_eq!(app.get(&first_link).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&second_link).await.status, StatusCode::OK);
    let listed = organiser.get(&app, "/api/invites").await.json();
    assert_eq!(listed[0]["status"], "pending");

    let joined = app
        .post_json(&second_link, &acceptance("alex@example.invalid"))
        .await;
    assert_eq!(joined.status, StatusCode::OK, "{}", joined.text());
    let again = organiser
        .post(
            &app,
            &format!("/api/invites/{id}/link"),
            &serde_json::json!(null),
        )
        .await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.text());
    assert_eq!(app.get(&second_link).await.json()["invite"], "accepted");
    app.remove().await;
}

/// An account made by `create-admin` kept its email's case; accepting an invitation with a
/// case variant of it made a second account. One normalisation now serves both.
#[tokio::test]
async fn accepting_with_a_case_variant_of_an_existing_email_is_refused_as_taken() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    organise_server::demo::create_user(
        &app.state.db,
        &app.clock,
        "Alex.Example@Test.Organise.Invalid",
        "Alex Example",
        PASSWORD,
        "volunteer",
        "London",
    )
    .await
    .unwrap();
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let created = organiser
        .post(
            &app,
            "/api/invites",
            &invite("Alex Example", "volunteer", london),
        )
        .await
        .json();
    let path = format!("/api{}", created["path"].as_str().unwrap());
    let taken = app
        .post_json(&path, &acceptance(" alex.example@test.organise.INVALID "))
        .await;
    assert_eq!(taken.status, StatusCode::BAD_REQUEST, "{}", taken.text());
    assert_eq!(taken.json()["fields"][0]["field"], "email");
    assert_eq!(taken.json()["fields"][0]["problem"]["kind"], "taken");
    app.remove().await;
}

/// Accepting an invitation took 12 spaces, the invitee's own email, or 900 KB as a password.
#[tokio::test]
async fn weak_passwords_are_refused_with_a_problem_on_the_password_field() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let created = organiser
        .post(
            &app,
            "/api/invites",
            &invite("Alex Example", "volunteer", london),
        )
        .await
        .json();
    let path = format!("/api{}", created["path"].as_str().unwrap());
    for (password, problem) in [
        (" ".repeat(12), serde_json::json!({ "kind": "empty" })),
        (
            "alex@test.organise.invalid".to_owned(),
            serde_json::json!({ "kind": "guessable" }),
        ),
        (
            "Alex Example".to_owned(),
            serde_json::json!({ "kind": "guessable" }),
        ),
        (
            "password1234".to_owned(),
            serde_json::json!({ "kind": "guessable" }),
        ),
        (
            "x".repeat(900 * 1024),
            serde_json::json!({ "kind": "too_long", "max": 1024 }),
        ),
    ] {
        let refused = app
            .post_json(
                &path,
                &serde_json::json!({
                    "name": "Alex Example",
                    "email": "alex@test.organise.invalid",
                    "password": password,
                }),
            )
            .await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{:.20}", password);
        let body = refused.json();
        assert_eq!(body["fields"][0]["field"], "password");
        assert_eq!(body["fields"][0]["problem"], problem, "{:.20}", password);
        assert!(
            body["error"].as_str().unwrap().starts_with("the password"),
            "{body}"
        );
    }
    // None of them used the link up.
    let accepted = app
        .post_json(&path, &acceptance("alex@test.organise.invalid"))
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.text());
    app.remove().await;
}
