use axum::http::StatusCode;
use organise_core::model::{Role, RoleAssignment};
use organise_core::record::{Collection, Entity, Value};
use organise_core::sync::wire::{MAX_PUSH_BATCH, Outcome, PushRequest, PushResponse, RecordKey};

use crate::support::{TestApp, person, replica};

#[tokio::test]
async fn a_pushed_record_is_applied_once_and_pulled_by_those_who_may_see_it() {
    let app = TestApp::new().await;
    app.add_areas("London", "Hackney North", &["Clissold", "Stoke Newington"])
        .await;
    let ward = app.area("Clissold").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "Hackney North")
        .await;
    let outsider = app
        .user("out@test.organise.invalid", "organiser", "Wales")
        .await;

    let mut phone = replica(&organiser);
    let record = person("Alex Example", ward, organiser.user);
    let key = RecordKey {
        collection: Collection::Person,
        id: record.id,
    };
    phone.create(&record).unwrap();
    let request = phone.push_request(10).unwrap();
    let first = organiser.push(&app, &request).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text());
    let first: PushResponse = serde_json::from_slice(&first.body).unwrap();
    assert!(
        matches!(first.outcomes[0].outcome, Outcome::Applied { .. }),
        "{first:?}"
    );

    // A replay (the response was lost) is answered the same and changes nothing.
    let again = organiser.push(&app, &request).await;
    let again: PushResponse = serde_json::from_slice(&again.body).unwrap();
    assert_eq!(again, first);
    phone.apply_push_response(&first);

    let mut fresh = replica(&organiser);
    organiser.pull_all(&app, &mut fresh).await;
    let pulled = fresh.get(key).expect("the organiser pulls the person");
    assert_eq!(pulled.get("name"), &Value::Text("Alex Example".into()));
    let people = fresh
        .confirmed()
        .keys()
        .filter(|k| k.collection == Collection::Person)
        .count();
    assert_eq!(people, 1, "the replay must not have created a second copy");

    let mut elsewhere = replica(&outsider);
    outsider.pull_all(&app, &mut elsewhere).await;
    assert!(
        elsewhere.get(key).is_none(),
        "an organiser in Wales must not see Hackney"
    );
    assert!(
        !elsewhere.confirmed().is_empty(),
        "the outsider still pulls the areas, so the pull itself worked"
    );
    app.remove().await;
}

#[tokio::test]
async fn a_gap_in_seqs_is_refused_with_where_to_resume() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let mut phone = replica(&organiser);
    phone
        .create(&person("Alex Example", london, organiser.user))
        .unwrap();
    phone
        .create(&person("Sam Sample", london, organiser.user))
        .unwrap();
    let mut request = phone.push_request(10).unwrap();
    request.mutations.remove(0);
    let response = organiser.push(&app, &request).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    let body = response.json();
    assert_eq!(body["refusal"], "gap");
    assert_eq!(body["expected"], 1);
    assert_eq!(body["got"], 2);
    assert!(
        body["error"].as_str().unwrap().contains("send from #1"),
        "{body}"
    );

    let mut fresh = replica(&organiser);
    organiser.pull_all(&app, &mut fresh).await;
    assert!(
        fresh
            .confirmed()
            .keys()
            .all(|k| k.collection != Collection::Person),
        "nothing of a refused batch is applied"
    );
    app.remove().await;
}

#[tokio::test]
async fn a_client_id_is_bound_to_its_first_user() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let first = app
        .user("one@test.organise.invalid", "organiser", "London")
        .await;
    let second = app
        .user("two@test.organise.invalid", "organiser", "London")
        .await;
    let mut phone = replica(&first);
    phone
        .create(&person("Alex Example", london, first.user))
        .unwrap();
    first.push_all(&app, &mut phone).await;

    let mut borrowed = organise_core::sync::replica::Replica::new(phone.client_id(), second.user);
    borrowed
        .create(&person("Sam Sample", london, second.user))
        .unwrap();
    let response = second.push(&app, &borrowed.push_request(10).unwrap()).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert_eq!(response.json()["refusal"], "client_of_another_user");
    let pull = second
        .post(
            &app,
            "/api/sync/pull",
            &serde_json::to_value(borrowed.pull_request(10)).unwrap(),
        )
        .await;
    assert_eq!(pull.status, StatusCode::CONFLICT);
    app.remove().await;
}

#[tokio::test]
async fn oversized_batches_and_unknown_fields_are_bad_requests() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let mut phone = replica(&organiser);
    for _ in 0..=MAX_PUSH_BATCH {
        phone
            .create(&person("Alex Example", london, organiser.user))
            .unwrap();
    }
    let request: PushRequest = phone.push_request(MAX_PUSH_BATCH + 1).unwrap();
    let response = organiser.push(&app, &request).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        response.json()["error"],
        format!(
            "a push may carry at most {MAX_PUSH_BATCH} mutations; this one has {}",
            MAX_PUSH_BATCH + 1
        )
    );

    let mut body = serde_json::to_value(phone.push_request(1).unwrap()).unwrap();
    body["mutations"][0]["colour"] = "red".into();
    let response = organiser.post(&app, "/api/sync/push", &body).await;
    assert_eq!(response.status, StatusCode::BAD_REQUEST);
    assert!(
        response.json()["error"]
            .as_str()
            .unwrap()
            .contains("unknown field `colour`"),
        "{}",
        response.text()
    );

    let mut fresh = replica(&organiser);
    organiser.pull_all(&app, &mut fresh).await;
    assert!(
        fresh
            .confirmed()
            .keys()
            .all(|k| k.collection != Collection::Person),
        "bad requests change nothing"
    );
    app.remove().await;
}

#[tokio::test]
async fn sync_needs_a_session_and_the_csrf_token() {
    let app = TestApp::new().await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let body = serde_json::to_value(replica(&organiser).pull_request(10)).unwrap();
    let anonymous = app.post_json("/api/sync/pull", &body).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    let forged = crate::support::Client {
        csrf: "0".repeat(64),
        cookie: organiser.cookie.clone(),
        user: organiser.user,
    };
    let response = forged.post(&app, "/api/sync/pull", &body).await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    assert_eq!(
        organiser.post(&app, "/api/sync/pull", &body).await.status,
        StatusCode::OK
    );
    app.remove().await;
}

#[tokio::test]
async fn role_changes_made_through_sync_are_audited() {
    let app = TestApp::new().await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "Great Britain")
        .await;
    let volunteer = app
        .user("vol@test.organise.invalid", "volunteer", "London")
        .await;
    let london = app.area("London").await;
    let mut phone = replica(&admin);
    let grant = RoleAssignment {
        id: organise_core::id::RecordId::from_u128(77).into(),
        area: london,
        created_by: admin.user,
        user: volunteer.user,
        role: Role::Organiser,
    };
    phone.create(&grant.to_record()).unwrap();
    admin.push_all(&app, &mut phone).await;
    assert_eq!(
        phone.rejected().count(),
        0,
        "{:?}",
        phone.rejected().collect::<Vec<_>>()
    );

    let audit = admin.get(&app, "/api/audit").await;
    assert_eq!(audit.status, StatusCode::OK, "{}", audit.text());
    let entries = audit.json()["entries"].as_array().unwrap().clone();
    let granted = entries
        .iter()
        .find(|e| e["action"] == "role.grant")
        .unwrap_or_else(|| panic!("no role.grant in {entries:?}"));
    assert_eq!(granted["actor"], admin.user.to_string());
    assert_eq!(granted["subject"], grant.id.to_string());
    assert_eq!(granted["area"], london.to_string());

    // The volunteer's session now shows the new role.
    let session = volunteer.get(&app, "/api/session").await;
    let roles = session.json()["user"]["roles"].clone();
    assert!(
        roles
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["role"] == "organiser"),
        "{roles}"
    );
    app.remove().await;
}

/// A number of 2^63 or more in a cursor, an acknowledgement, a seq, a base version or a
/// conflict id used to reach the store, which panicked converting it: a 500 for one request,
/// and a panicking blocking thread.
#[tokio::test]
async fn numbers_beyond_what_the_database_holds_are_refused_not_a_panic() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let huge = serde_json::json!(u64::MAX);
    let beyond = serde_json::json!(1u64 << 63);

    let mut pull = serde_json::to_value(replica(&organiser).pull_request(10)).unwrap();
    pull["cursor"] = beyond.clone();
    let response = organiser.post(&app, "/api/sync/pull", &pull).await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{}",
        response.text()
    );
    assert_eq!(response.json()["fields"][0]["field"], "cursor");
    assert!(
        response.json()["error"]
            .as_str()
            .unwrap()
            .starts_with("cursor must be between 0 and 9223372036854775807"),
        "{}",
        response.text()
    );
    pull["cursor"] = 0.into();
    pull["epoch"] = huge.clone();
    let response = organiser.post(&app, "/api/sync/pull", &pull).await;
    assert_eq!(
        response.status,
        StatusCode::BAD_REQUEST,
        "{}",
        response.text()
    );
    assert_eq!(response.json()["fields"][0]["field"], "epoch");

    // A person to aim the push's mutations at.
    let mut phone = replica(&organiser);
    let record = person("Alex Example", london, organiser.user);
    phone.create(&record).unwrap();
    organiser.push_all(&app, &mut phone).await;
    let key = RecordKey {
        collection: Collection::Person,
        id: record.id,
    };
    phone
        .set_field(key, "name", Value::Text("Sam Sample".into()))
        .unwrap();
    let request = serde_json::to_value(phone.push_request(10).unwrap()).unwrap();
    let resolve = serde_json::json!({ "op": "resolve_conflict", "conflict": huge, "value": { "text": "Sam Sample" } });
    let set_field = serde_json::json!({ "op": "set_field", "field": "name", "value": { "text": "Sam Sample" }, "base_version": beyond });
    let delete = serde_json::json!({ "op": "delete", "base_version": huge });
    for (field, edit) in [
        (
            "acknowledged",
            Box::new(|r: &mut serde_json::Value| r["acknowledged"] = huge.clone())
                as Box<dyn Fn(&mut serde_json::Value)>,
        ),
        (
            "mutations[0].seq",
            Box::new(|r: &mut serde_json::Value| r["mutations"][0]["seq"] = beyond.clone()),
        ),
        (
            "mutations[0].op.conflict",
            Box::new(|r: &mut serde_json::Value| r["mutations"][0]["op"] = resolve.clone()),
        ),
        (
            "mutations[0].op.base_version",
            Box::new(|r: &mut serde_json::Value| r["mutations"][0]["op"] = set_field.clone()),
        ),
        (
            "mutations[0].op.base_version",
            Box::new(|r: &mut serde_json::Value| r["mutations"][0]["op"] = delete.clone()),
        ),
    ] {
        let mut body = request.clone();
        edit(&mut body);
        let response = organiser.post(&app, "/api/sync/push", &body).await;
        assert_eq!(
            response.status,
            StatusCode::BAD_REQUEST,
            "{field}: {}",
            response.text()
        );
        assert_eq!(
            response.json()["fields"][0]["field"],
            field,
            "{}",
            response.text()
        );
        assert_eq!(
            response.json()["fields"][0]["problem"]["kind"],
            "out_of_range"
        );
    }
    // The largest number the database holds is still accepted as a number (and refused by
    // the protocol as a conflict that does not exist, not by a panic).
    let mut body = request.clone();
    body["mutations"][0]["op"] = serde_json::json!({ "op": "resolve_conflict", "conflict": i64::MAX, "value": { "text": "Sam Sample" } });
    let response = organiser.post(&app, "/api/sync/push", &body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    app.remove().await;
}

/// Issue 13: old conflicts piled up and looked current. A conflict settled by a later edit
/// (its author had seen the value that won) closes on the server, and the phone holding it
/// drops it at its next pull; a conflict whose field nobody touched since stays open.
#[tokio::test]
async fn a_conflict_settled_by_a_later_edit_closes_and_one_not_touched_stays_open() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let (mut a, mut b) = (replica(&organiser), replica(&organiser));
    let mut keys = Vec::new();
    for name in ["Alice Example", "Sam Sample"] {
        let record = person(name, london, organiser.user);
        a.create(&record).unwrap();
        keys.push(RecordKey {
            collection: Collection::Person,
            id: record.id,
        });
    }
    let (alice, sam) = (keys[0], keys[1]);
    organiser.push_all(&app, &mut a).await;
    organiser.pull_all(&app, &mut a).await;
    organiser.pull_all(&app, &mut b).await;

    // Both phones rename both people without seeing the other's edit: two conflicts.
    for (phone, suffix) in [(&mut a, "from A"), (&mut b, "from B")] {
        for who in [alice, sam] {
            phone
                .set_field(who, "name", Value::Text(format!("Renamed {suffix}")))
                .unwrap();
        }
    }
    organiser.push_all(&app, &mut a).await;
    organiser.push_all(&app, &mut b).await;
    organiser.pull_all(&app, &mut a).await;
    organiser.pull_all(&app, &mut b).await;
    assert_eq!(
        a.visible_conflicts().len(),
        2,
        "{:?}",
        a.visible_conflicts()
    );

    // B, having seen its own value win, renames Alice again: that settles her conflict.
    b.set_field(alice, "name", Value::Text("Alice Settled".into()))
        .unwrap();
    organiser.push_all(&app, &mut b).await;
    organiser.pull_all(&app, &mut a).await;
    let open: Vec<RecordKey> = a.visible_conflicts().iter().map(|c| c.key).collect();
    assert_eq!(
        open,
        [sam],
        "Alice's conflict closes on A; Sam's stays open"
    );
    let now = a.get(alice).unwrap();
    assert_eq!(now.get("name"), &Value::Text("Alice Settled".into()));

    // A phone pulling from scratch gets only the open one, showing the value now.
    let mut fresh = replica(&organiser);
    organiser.pull_all(&app, &mut fresh).await;
    let conflicts: Vec<_> = fresh.confirmed_conflicts().values().collect();
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");
    assert_eq!(conflicts[0].key, sam);
    assert_eq!(
        conflicts[0].winner.value,
        Value::Text("Renamed from B".into())
    );
    app.remove().await;
}
