//! The isolation matrix: every role, in its own area, against another area's records, through
//! every endpoint that takes a session. Each attempt is denied or comes back empty, and no
//! pull ever carries a foreign record.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use organise_core::id::{
    ListId, MeetingId, PersonId, RecordId, RoleAssignmentId, Timestamp, UserId,
};
use organise_core::model::{List, ListKind, Meeting, MeetingKind, Role, RoleAssignment};
use organise_core::record::{Collection, Element, Entity, Record, Value};
use organise_core::sync::wire::{Outcome, PushResponse, RecordKey, Rejection};
use organise_server::openapi::Caller;
use organise_server::routes;

use crate::support::{Client, TestApp, person, replica};

/// What lives in Wales, made by a Welsh organiser.
struct Foreign {
    person: Record,
    list: Record,
    meeting: Record,
    invite_id: String,
    ids: BTreeSet<RecordId>,
}

async fn foreign_world(app: &TestApp) -> Foreign {
    let wales = app.area("Wales").await;
    let organiser = app
        .user("cymru@test.organise.invalid", "organiser", "Wales")
        .await;
    let volunteer = app
        .user("gwirfoddolwr@test.organise.invalid", "volunteer", "Wales")
        .await;
    let mut phone = replica(&organiser);
    let someone = person("Dafydd Example", wales, organiser.user);
    let list = List {
        id: ListId(RecordId::from_u128(0x1157)),
        area: wales,
        created_by: organiser.user,
        name: "Synthetic Welsh walk".into(),
        kind: ListKind::Walk,
        members: [PersonId(someone.id)].into(),
        assignees: [volunteer.user].into(),
        campaign: None,
        script: None,
        survey: None,
    }
    .to_record();
    let meeting = Meeting {
        id: MeetingId(RecordId::from_u128(0x3EE7)),
        area: wales,
        created_by: organiser.user,
        kind: MeetingKind::HouseMeeting,
        title: "Synthetic house meeting".into(),
        host: volunteer.user,
        speaker: None,
        place: "A synthetic living room".into(),
        starts: Timestamp(1_767_225_600_000),
        ends: None,
        capacity: None,
        campaign: None,
    }
    .to_record();
    for record in [&someone, &list, &meeting] {
        phone.create(record).unwrap();
    }
    organiser.push_all(app, &mut phone).await;
    assert_eq!(
        phone.rejected().count(),
        0,
        "{:?}",
        phone.rejected().collect::<Vec<_>>()
    );
    let invite = organiser
        .post(
            app,
            "/api/invites",
            &serde_json::json!({ "name": "Gwen Example", "role": "volunteer", "area": wales }),
        )
        .await;
    assert_eq!(invite.status, StatusCode::CREATED, "{}", invite.text());
    let mut ids: BTreeSet<RecordId> = [
        someone.id,
        list.id,
        meeting.id,
        organiser.user.0,
        volunteer.user.0,
    ]
    .into();
    // Their role assignments too: everything synced about Wales except the area itself.
    let mut welsh = replica(&organiser);
    organiser.pull_all(app, &mut welsh).await;
    ids.extend(
        welsh
            .confirmed()
            .keys()
            .filter(|k| k.collection == Collection::RoleAssignment)
            .map(|k| k.id),
    );
    Foreign {
        person: someone,
        list,
        meeting,
        invite_id: invite.json()["invite"]["id"].as_str().unwrap().to_owned(),
        ids,
    }
}

fn key(record: &Record) -> RecordKey {
    RecordKey {
        collection: record.collection,
        id: record.id,
    }
}

/// Every way `client` might change a Welsh record through sync; none may apply.
async fn try_foreign_pushes(
    app: &TestApp,
    client: &Client,
    foreign: &Foreign,
    wales: organise_core::id::AreaId,
) {
    let mut phone = replica(client);
    phone
        .create(&person("Gwen Example", wales, client.user))
        .unwrap();
    phone
        .set_field(
            key(&foreign.person),
            "name",
            Value::Text("Changed Name".into()),
        )
        .unwrap();
    phone
        .add_to_set(key(&foreign.list), "assignees", Element::Id(client.user.0))
        .unwrap();
    phone
        .set_field(key(&foreign.meeting), "host", Value::Id(client.user.0))
        .unwrap();
    phone.delete(key(&foreign.person)).unwrap();
    phone
        .create(
            &RoleAssignment {
                id: RoleAssignmentId(RecordId::from_u128(0xBAD)),
                area: wales,
                created_by: client.user,
                user: client.user,
                role: Role::Admin,
            }
            .to_record(),
        )
        .unwrap();
    let response = client.push(app, &phone.push_request(100).unwrap()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let response: PushResponse = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(response.outcomes.len(), 6);
    for (n, outcome) in response.outcomes.iter().enumerate() {
        match &outcome.outcome {
            Outcome::Rejected { rejection } => {
                // Edits of existing Welsh records look exactly like edits of nothing.
                if (1..=4).contains(&n) {
                    assert_eq!(rejection, &Rejection::NotFound, "mutation {n}");
                }
            }
            other => panic!("mutation {n} on a foreign record was not rejected: {other:?}"),
        }
    }
}

async fn assert_pull_has_nothing_foreign(app: &TestApp, client: &Client, foreign: &Foreign) {
    let mut phone = replica(client);
    client.pull_all(app, &mut phone).await;
    let held: BTreeSet<RecordId> = phone.confirmed().keys().map(|k| k.id).collect();
    let leaked: Vec<_> = held.intersection(&foreign.ids).collect();
    assert!(
        leaked.is_empty(),
        "{:?} pulled foreign records {leaked:?}",
        client.user
    );
    assert!(
        phone
            .confirmed()
            .keys()
            .any(|k| k.collection == Collection::User && k.id == client.user.0),
        "the pull worked: it holds the user's own record"
    );
}

#[tokio::test]
async fn every_role_is_kept_out_of_another_area_through_every_endpoint() {
    let app = TestApp::new().await;
    app.add_areas("London", "Hackney North", &["Clissold"])
        .await;
    let wales = app.area("Wales").await;
    let foreign = foreign_world(&app).await;
    let users: Vec<(Role, Client)> = vec![
        (
            Role::Admin,
            app.user("admin@test.organise.invalid", "admin", "London")
                .await,
        ),
        (
            Role::Organiser,
            app.user("org@test.organise.invalid", "organiser", "Hackney North")
                .await,
        ),
        (
            Role::Volunteer,
            app.user("vol@test.organise.invalid", "volunteer", "Clissold")
                .await,
        ),
        (
            Role::Host,
            app.user("host@test.organise.invalid", "host", "Clissold")
                .await,
        ),
    ];
    // Something audited in London, so the London admin's log is not trivially empty.
    let london = app.area("London").await;
    let home_invite = users[0]
        .1
        .post(
            &app,
            "/api/invites",
            &serde_json::json!({ "name": "Alex Example", "role": "volunteer", "area": london }),
        )
        .await;
    assert_eq!(home_invite.status, StatusCode::CREATED);
    let person_path = |action: &str| format!("/api/people/{}/{action}", foreign.person.id);
    let mut covered: BTreeSet<(&str, &str)> = BTreeSet::new();
    for (role, client) in &users {
        // Sync: no change applies, and nothing foreign comes back.
        try_foreign_pushes(&app, client, &foreign, wales).await;
        covered.insert(("post", "/sync/push"));
        assert_pull_has_nothing_foreign(&app, client, &foreign).await;
        covered.insert(("post", "/sync/pull"));

        // Erasure and export answer as if the person did not exist.
        let erase = client
            .post(&app, &person_path("erase"), &serde_json::json!({}))
            .await;
        assert_eq!(erase.status, StatusCode::NOT_FOUND, "{role:?} erase");
        covered.insert(("post", "/people/{id}/erase"));
        let export = client.get(&app, &person_path("export")).await;
        assert_eq!(export.status, StatusCode::NOT_FOUND, "{role:?} export");
        covered.insert(("get", "/people/{id}/export"));

        // The audit log: only admins, and never Wales's entries.
        let audit = client.get(&app, "/api/audit").await;
        if *role == Role::Admin {
            assert_eq!(audit.status, StatusCode::OK);
            let entries = audit.json()["entries"].as_array().unwrap().clone();
            assert!(!entries.is_empty());
            assert!(
                entries.iter().all(|e| e["area"] != wales.to_string()),
                "a London admin read Wales's audit entries"
            );
        } else {
            assert_eq!(audit.status, StatusCode::FORBIDDEN, "{role:?} audit");
        }
        covered.insert(("get", "/audit"));

        // Invitations into Wales: none listed, none made, none withdrawn.
        let listed = client.get(&app, "/api/invites").await;
        assert_eq!(listed.status, StatusCode::OK);
        assert!(
            !listed.text().contains(&foreign.invite_id),
            "{role:?} listed a Welsh invitation"
        );
        covered.insert(("get", "/invites"));
        let made = client
            .post(
                &app,
                "/api/invites",
                &serde_json::json!({ "name": "Gwen Example", "role": "volunteer", "area": wales }),
            )
            .await;
        assert_eq!(
            made.status,
            StatusCode::FORBIDDEN,
            "{role:?} invited into Wales"
        );
        covered.insert(("post", "/invites"));
        let withdrawn = client
            .delete(&app, &format!("/api/invites/{}", foreign.invite_id))
            .await;
        assert_eq!(
            withdrawn.status,
            StatusCode::NOT_FOUND,
            "{role:?} withdrew a Welsh invitation"
        );
        covered.insert(("delete", "/invites/{id}"));

        // The session tells only about the caller.
        let session = client.get(&app, "/api/session").await.json();
        assert_eq!(session["user"]["id"], client.user.to_string());
        assert!(
            session["user"]["roles"]
                .as_array()
                .unwrap()
                .iter()
                .all(|r| r["area"] != wales.to_string())
        );
        covered.insert(("get", "/session"));
    }
    // Signing out touches only the caller's own session.
    covered.insert(("delete", "/session"));

    // The Welsh records are untouched.
    let welsh = app
        .sign_in("cymru@test.organise.invalid", crate::support::PASSWORD)
        .await;
    let welsh = Client {
        cookie: welsh.0,
        csrf: welsh.1,
        user: UserId(foreign.person.created_by.0),
    };
    let mut phone = replica(&welsh);
    welsh.pull_all(&app, &mut phone).await;
    assert_eq!(
        phone.get(key(&foreign.person)).unwrap().get("name"),
        foreign.person.get("name")
    );
    assert_eq!(
        phone.get(key(&foreign.list)).unwrap().get("assignees"),
        foreign.list.get("assignees")
    );
    assert_eq!(
        phone.get(key(&foreign.meeting)).unwrap().get("host"),
        foreign.meeting.get("host")
    );
    let people = phone
        .confirmed()
        .keys()
        .filter(|k| k.collection == Collection::Person)
        .count();
    assert_eq!(people, 1, "no one created a person in Wales");

    // Every endpoint that takes a session is in the matrix.
    let documented: BTreeSet<(&str, &str)> = routes::endpoints()
        .into_iter()
        .filter(|e| e.caller == Caller::SignedIn)
        .map(|e| (e.method, e.path))
        .collect();
    assert_eq!(
        covered, documented,
        "the matrix must cover every signed-in endpoint"
    );
    app.remove().await;
}
