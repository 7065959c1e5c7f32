//! Taking access away: a deleted user, a removed role, an area moved out of an organiser's
//! reach. Each takes effect at once, on sessions, sign-in and invitations.

use axum::http::StatusCode;
use organise_core::model::RoleAssignment;
use organise_core::record::{Collection, Entity, Value};
use organise_core::sync::wire::RecordKey;

use crate::support::{Client, PASSWORD, TestApp, replica};

async fn invite_volunteer(app: &TestApp, by: &Client, area: &str) -> String {
    let area = app.area(area).await;
    let created = by
        .post(
            app,
            "/api/invites",
            &serde_json::json!({ "name": "Sam Sample", "role": "volunteer", "area": area }),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text());
    format!("/api{}", created.json()["path"].as_str().unwrap())
}

/// `admin` pulls everything, applies `change` to their replica and pushes it; it must apply.
async fn admin_changes(
    app: &TestApp,
    admin: &Client,
    change: impl FnOnce(&mut organise_core::sync::replica::Replica),
) {
    let mut phone = replica(admin);
    admin.pull_all(app, &mut phone).await;
    change(&mut phone);
    admin.push_all(app, &mut phone).await;
    assert_eq!(
        phone.rejected().count(),
        0,
        "{:?}",
        phone.rejected().collect::<Vec<_>>()
    );
}

async fn session_status(app: &TestApp, client: &Client) -> StatusCode {
    client.get(app, "/api/session").await.status
}

/// A deleted user kept their session and role, and could still sign in.
#[tokio::test]
async fn a_deleted_user_is_signed_out_cannot_sign_in_and_their_invitations_stop() {
    let app = TestApp::new().await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "Great Britain")
        .await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let link = invite_volunteer(&app, &organiser, "London").await;
    assert_eq!(session_status(&app, &organiser).await, StatusCode::OK);

    admin_changes(&app, &admin, |phone| {
        phone
            .delete(RecordKey {
                collection: Collection::User,
                id: organiser.user.0,
            })
            .unwrap();
    })
    .await;

    assert_eq!(
        session_status(&app, &organiser).await,
        StatusCode::UNAUTHORIZED
    );
    let (sessions,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
        .bind(organiser.user.to_string())
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(
        sessions, 0,
        "their sessions are deleted, not just unreadable"
    );
    let right = app
        .post_json(
            "/api/session",
            &serde_json::json!({ "email": "org@test.organise.invalid", "password": PASSWORD }),
        )
        .await;
    let wrong = app
        .post_json(
            "/api/session",
            &serde_json::json!({ "email": "org@test.organise.invalid", "password": "a wrong synthetic password" }),
        )
        .await;
    assert_eq!(right.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        right.body, wrong.body,
        "a deleted user is told what a wrong password is told"
    );
    assert_eq!(app.get(&link).await.status, StatusCode::GONE);

    let audit = admin.get(&app, "/api/audit").await.json();
    let actions: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"sessions.end"), "{actions:?}");
    assert!(actions.contains(&"invite.withdraw"), "{actions:?}");
    app.remove().await;
}

/// Removing someone's role left their session, and the invitations the role had allowed,
/// working.
#[tokio::test]
async fn removing_a_role_ends_that_users_sessions_and_the_invitations_it_allowed() {
    let app = TestApp::new().await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "Great Britain")
        .await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let bystander = app
        .user("other@test.organise.invalid", "organiser", "London")
        .await;
    let link = invite_volunteer(&app, &organiser, "London").await;
    let untouched = invite_volunteer(&app, &bystander, "London").await;

    admin_changes(&app, &admin, |phone| {
        let role = phone
            .confirmed()
            .keys()
            .filter(|k| k.collection == Collection::RoleAssignment)
            .copied()
            .find(|k| {
                RoleAssignment::read(&phone.get(*k).unwrap())
                    .is_ok_and(|r| r.user == organiser.user)
            })
            .expect("the organiser's role");
        phone.delete(role).unwrap();
    })
    .await;

    assert_eq!(
        session_status(&app, &organiser).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(app.get(&link).await.status, StatusCode::GONE);
    assert_eq!(
        app.post_json(
            &link,
            &serde_json::json!({ "name": "Sam Sample", "email": "sam@test.organise.invalid", "password": PASSWORD }),
        )
        .await
        .status,
        StatusCode::GONE
    );
    // Nobody else is touched, and the user may still sign in, without the role.
    assert_eq!(session_status(&app, &bystander).await, StatusCode::OK);
    assert_eq!(app.get(&untouched).await.status, StatusCode::OK);
    let again = app
        .post_json(
            "/api/session",
            &serde_json::json!({ "email": "org@test.organise.invalid", "password": PASSWORD }),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text());
    assert_eq!(again.json()["user"]["roles"], serde_json::json!([]));
    app.remove().await;
}

/// The check that the inviter may still give an invitation is made when it is accepted, not
/// only when it is made: here the ward it is for moves out of the organiser's constituency,
/// and no record of theirs changes.
#[tokio::test]
async fn an_invitation_stops_working_when_its_inviter_may_no_longer_give_it() {
    let app = TestApp::new().await;
    app.add_areas("London", "Hackney North", &["Clissold"])
        .await;
    app.add_areas("London", "Hackney South", &["Homerton"])
        .await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "Great Britain")
        .await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "Hackney North")
        .await;
    let link = invite_volunteer(&app, &organiser, "Clissold").await;
    assert_eq!(app.get(&link).await.status, StatusCode::OK);

    let clissold = app.area("Clissold").await;
    let south = app.area("Hackney South").await;
    admin_changes(&app, &admin, |phone| {
        phone
            .set_field(
                RecordKey {
                    collection: Collection::Area,
                    id: clissold.0,
                },
                "parent",
                Value::Id(south.0),
            )
            .unwrap();
    })
    .await;

    assert_eq!(session_status(&app, &organiser).await, StatusCode::OK);
    assert_eq!(app.get(&link).await.status, StatusCode::GONE);
    let accepted = app
        .post_json(
            &link,
            &serde_json::json!({ "name": "Sam Sample", "email": "sam@test.organise.invalid", "password": PASSWORD }),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::GONE, "{}", accepted.text());
    app.remove().await;
}
