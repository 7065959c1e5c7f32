//! The isolation matrix: every role, in its own area, against another area's records, through
//! every endpoint that takes a session. Each attempt is denied or comes back empty, and no
//! pull ever carries a foreign record.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use organise_core::calendar::Day;
use organise_core::id::{
    CampaignActionId, CampaignId, ConversationId, LadderMoveId, LinkId, ListId, MeetingId, MergeId,
    OneToOneId, OrganisationId, PersonId, RecordId, RoleAssignmentId, RungId, Timestamp,
    TrainingId, UserId,
};
use organise_core::ladder::DEFAULT_LADDER;
use organise_core::model::{
    Campaign, CampaignAction, CampaignStatus, Conversation, ConversationKind, LadderMove, Link,
    LinkKind, List, ListKind, Meeting, MeetingKind, MeetingStatus, Merge, Organisation,
    OrganisationKind, Outcome as ConversationOutcome, Relationship, Role, RoleAssignment, Rung,
    Training,
};
use organise_core::record::{Collection, Element, Entity, Record, Value};
use organise_core::sync::replica::Replica;
use organise_core::sync::wire::{Outcome, PushResponse, RecordKey, Rejection};
use organise_server::openapi::Caller;
use organise_server::routes;

use crate::support::{Client, TestApp, ladder, ladder_names, person, replica};

/// What lives in Wales, made by a Welsh organiser.
struct Foreign {
    person: Record,
    list: Record,
    meeting: Record,
    conversation: Record,
    one_to_one: Record,
    ladder_move: Record,
    organisation: Record,
    link: Record,
    campaign: Record,
    campaign_action: Record,
    training: Record,
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
    // The ladder is the organisation's: the Welsh organiser reads it as everyone does.
    organiser.pull_all(app, &mut phone).await;
    assert_eq!(ladder_names(&phone), DEFAULT_LADDER);
    let host_rung = ladder(&phone)[2].id;
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
        status: MeetingStatus::Approved,
        grew_from: None,
        from_conversation: None,
    }
    .to_record();
    let conversation = Conversation {
        id: ConversationId(RecordId::from_u128(0xC0417)),
        area: wales,
        created_by: organiser.user,
        kind: ConversationKind::Doorstep,
        by: organiser.user,
        person: PersonId(someone.id),
        at: Timestamp(1_767_225_600_000),
        outcome: ConversationOutcome::Held,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: Some(ListId(list.id)),
    }
    .to_record();
    // What the Welsh organiser learnt in a one-to-one with Dafydd: for organisers only.
    let one_to_one = Record::new(
        Collection::OneToOne,
        RecordId::from_u128(0x121),
        wales,
        organiser.user,
    )
    .with("person", someone.id)
    .with("held_on", "2026-01-01")
    .with("recorded_at", Timestamp(1_767_225_600_000))
    .with("kind", "introduction")
    .with("next_step", "Host a house meeting");
    // Dafydd moved up the ladder after that one-to-one and the house meeting: for organisers
    // only, as the one-to-one is.
    let ladder_move = LadderMove {
        id: LadderMoveId(RecordId::from_u128(0x1ADD)),
        area: wales,
        created_by: organiser.user,
        person: PersonId(someone.id),
        rung: host_rung,
        at: Timestamp(1_767_225_600_000),
        why: Some("Offered to host the next house meeting".into()),
        one_to_one: Some(OneToOneId(one_to_one.id)),
        meeting: Some(MeetingId(meeting.id)),
    }
    .to_record();
    // Dafydd chairs a Welsh tenants' association: the organisation is on the Welsh map, and
    // the link that says so is for organisers only, as the one-to-one is.
    let organisation = Organisation {
        id: OrganisationId(RecordId::from_u128(0x0265)),
        area: wales,
        created_by: organiser.user,
        name: "Synthetic Welsh Tenants".into(),
        kind: OrganisationKind::TenantsAssociation,
        relationship: Relationship::Met,
        notes: None,
    }
    .to_record();
    let link = Link {
        id: LinkId(RecordId::from_u128(0x714C)),
        area: wales,
        created_by: organiser.user,
        person: PersonId(someone.id),
        organisation: Some(OrganisationId(organisation.id)),
        other: None,
        kind: LinkKind::Leader,
        role: Some("Chair".into()),
    }
    .to_record();
    // A Welsh campaign with Dafydd, his tenants, the house meeting and the list in it, and
    // an action in its log: read by every role in Wales, as its issues are.
    let campaign = Campaign {
        id: CampaignId(RecordId::from_u128(0xCA4)),
        area: wales,
        created_by: organiser.user,
        name: "Synthetic dry homes".into(),
        issues: BTreeSet::new(),
        goal: Some("Every damp flat repaired".into()),
        status: CampaignStatus::Active,
        decider: Some("The council's housing committee".into()),
        deadline: Day::parse("2026-09-30"),
        winnable: Some(4),
        people: [PersonId(someone.id)].into(),
        organisations: [OrganisationId(organisation.id)].into(),
        meetings: [MeetingId(meeting.id)].into(),
        lists: [ListId(list.id)].into(),
    }
    .to_record();
    let campaign_action = CampaignAction {
        id: CampaignActionId(RecordId::from_u128(0xCA5)),
        area: wales,
        created_by: organiser.user,
        campaign: CampaignId(campaign.id),
        at: Timestamp(1_767_225_600_000),
        what: "Petition the housing committee".into(),
        due: Day::parse("2026-06-01"),
        done: None,
    }
    .to_record();
    // Dafydd was trained in one-to-ones at the house meeting: for organisers only.
    let training = Training {
        id: TrainingId(RecordId::from_u128(0x7A1)),
        area: wales,
        created_by: organiser.user,
        person: PersonId(someone.id),
        module: "One-to-ones".into(),
        on: Day::parse("2026-01-01").unwrap(),
        meeting: Some(MeetingId(meeting.id)),
    }
    .to_record();
    for record in [
        &someone,
        &list,
        &meeting,
        &conversation,
        &one_to_one,
        &ladder_move,
        &organisation,
        &link,
        &campaign,
        &campaign_action,
        &training,
    ] {
        phone.create(record).unwrap();
    }
    organiser.push_all(app, &mut phone).await;
    assert_eq!(
        phone.rejected().count(),
        0,
        "{:?}",
        phone.rejected().collect::<Vec<_>>()
    );
    // The Welsh volunteer, whose list holds Dafydd, pulls Dafydd and the organisation's
    // ladder, and never the one-to-one, the move up it nor the link to what Dafydd chairs.
    let mut volunteers = replica(&volunteer);
    volunteer.pull_all(app, &mut volunteers).await;
    let pulled: BTreeSet<RecordId> = volunteers.confirmed().keys().map(|k| k.id).collect();
    assert!(pulled.contains(&someone.id));
    assert!(!pulled.contains(&one_to_one.id));
    assert!(!pulled.contains(&ladder_move.id));
    assert!(!pulled.contains(&link.id));
    assert!(!pulled.contains(&training.id));
    assert!(pulled.contains(&campaign.id) && pulled.contains(&campaign_action.id));
    assert_eq!(ladder_names(&volunteers), DEFAULT_LADDER);
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
        conversation.id,
        one_to_one.id,
        ladder_move.id,
        organisation.id,
        link.id,
        campaign.id,
        campaign_action.id,
        training.id,
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
        conversation,
        one_to_one,
        ladder_move,
        organisation,
        link,
        campaign,
        campaign_action,
        training,
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
    phone.delete(key(&foreign.ladder_move)).unwrap();
    phone.delete(key(&foreign.link)).unwrap();
    phone
        .set_field(
            key(&foreign.organisation),
            "relationship",
            Value::Text("declined".into()),
        )
        .unwrap();
    phone.delete(key(&foreign.training)).unwrap();
    phone
        .set_field(key(&foreign.campaign), "status", Value::Text("won".into()))
        .unwrap();
    phone
        .set_field(
            key(&foreign.campaign_action),
            "done",
            Value::Time(Timestamp(1_767_225_600_000)),
        )
        .unwrap();
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
    assert_eq!(response.outcomes.len(), 12);
    for (n, outcome) in response.outcomes.iter().enumerate() {
        match &outcome.outcome {
            Outcome::Rejected { rejection } => {
                // Edits of existing Welsh records look exactly like edits of nothing.
                if (1..=10).contains(&n) {
                    assert_eq!(rejection, &Rejection::NotFound, "mutation {n}");
                }
            }
            other => panic!("mutation {n} on a foreign record was not rejected: {other:?}"),
        }
    }
}

/// Pulls everything `client` may see into a new phone, checks that none of it is foreign, and
/// returns the phone.
async fn assert_pull_has_nothing_foreign(
    app: &TestApp,
    client: &Client,
    foreign: &Foreign,
) -> Replica {
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
    phone
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
        let pulled = assert_pull_has_nothing_foreign(&app, client, &foreign).await;
        covered.insert(("post", "/sync/pull"));
        // The ladder is the organisation's, not Wales's nor London's: every role reads it.
        assert_eq!(ladder_names(&pulled), DEFAULT_LADDER, "{role:?}");

        // Erasure and export answer as if the person did not exist.
        let erase = client
            .post(
                &app,
                &person_path("erase"),
                &serde_json::json!({"reason": "request"}),
            )
            .await;
        assert_eq!(erase.status, StatusCode::NOT_FOUND, "{role:?} erase");
        covered.insert(("post", "/people/{id}/erase"));
        let export = client.get(&app, &person_path("export")).await;
        assert_eq!(export.status, StatusCode::NOT_FOUND, "{role:?} export");
        covered.insert(("get", "/people/{id}/export"));
        let link = client
            .post(&app, &person_path("consent-link"), &serde_json::json!({}))
            .await;
        assert_eq!(link.status, StatusCode::NOT_FOUND, "{role:?} consent link");
        covered.insert(("post", "/people/{id}/consent-link"));

        // A Welsh meeting's public links are nobody's here.
        let links = client
            .post(
                &app,
                &format!("/api/meetings/{}/links", foreign.meeting.id),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(
            links.status,
            StatusCode::NOT_FOUND,
            "{role:?} meeting links"
        );
        assert!(!links.text().contains("/rsvp/"));
        covered.insert(("post", "/meetings/{id}/links"));
        // Nor is its sign-in kit: nobody here learns who lives in Wales.
        let kit = client
            .post(
                &app,
                &format!("/api/meetings/{}/sign-in-kit", foreign.meeting.id),
                &serde_json::json!({}),
            )
            .await;
        assert_eq!(kit.status, StatusCode::NOT_FOUND, "{role:?} sign-in kit");
        assert!(!kit.text().contains(&foreign.person.id.to_string()));
        covered.insert(("post", "/meetings/{id}/sign-in-kit"));

        // Retention: the rule is the country's admins' to set; the review and its erasures
        // never reach Wales.
        let rule = client.get(&app, "/api/retention").await;
        let review = client.get(&app, "/api/retention/review").await;
        let erase = client
            .post(
                &app,
                "/api/retention/erase",
                &serde_json::json!({ "people": [foreign.person.id], "dry_run": false }),
            )
            .await;
        if *role == Role::Admin {
            assert_eq!(rule.status, StatusCode::OK);
            assert_eq!(review.status, StatusCode::OK);
            assert!(!review.text().contains(&foreign.person.id.to_string()));
            // No rule is set, so nothing is erased by one.
            assert_eq!(erase.status, StatusCode::BAD_REQUEST, "{}", erase.text());
        } else {
            assert_eq!(
                rule.status,
                StatusCode::FORBIDDEN,
                "{role:?} retention rule"
            );
            assert_eq!(
                review.status,
                StatusCode::FORBIDDEN,
                "{role:?} retention review"
            );
            assert_eq!(
                erase.status,
                StatusCode::FORBIDDEN,
                "{role:?} retention erase"
            );
        }
        let set = app
            .send(client.request(
                axum::http::Method::PUT,
                "/api/retention",
                Some(&serde_json::json!({ "months": 6 })),
            ))
            .await;
        assert_eq!(set.status, StatusCode::FORBIDDEN, "{role:?} set the rule");
        covered.insert(("get", "/retention"));
        covered.insert(("put", "/retention"));
        covered.insert(("get", "/retention/review"));
        covered.insert(("post", "/retention/erase"));

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
        let renewed = client
            .post(
                &app,
                &format!("/api/invites/{}/link", foreign.invite_id),
                &serde_json::json!(null),
            )
            .await;
        assert_eq!(
            renewed.status,
            StatusCode::NOT_FOUND,
            "{role:?} made a new link for a Welsh invitation"
        );
        covered.insert(("post", "/invites/{id}/link"));

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
    // Signing out touches only the caller's own session; changing a password and signing
    // out everywhere touch only the caller's own account (`session.rs` tests both).
    covered.insert(("delete", "/session"));
    covered.insert(("post", "/session/password"));
    covered.insert(("delete", "/sessions"));

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
    assert!(
        phone.get(key(&foreign.ladder_move)).is_some(),
        "Dafydd's move on the ladder is kept"
    );
    assert_eq!(
        phone.get(key(&foreign.link)).map(|l| l.get("role").clone()),
        Some(foreign.link.get("role").clone()),
        "the link saying Dafydd chairs the tenants is kept"
    );
    assert_eq!(
        phone
            .get(key(&foreign.organisation))
            .unwrap()
            .get("relationship"),
        foreign.organisation.get("relationship")
    );
    assert!(
        phone.get(key(&foreign.training)).is_some(),
        "Dafydd's training is kept"
    );
    assert_eq!(
        phone.get(key(&foreign.campaign)).unwrap().get("status"),
        foreign.campaign.get("status")
    );
    assert_eq!(
        phone
            .get(key(&foreign.campaign_action))
            .unwrap()
            .get("done"),
        &Value::Null
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

/// Whether a crafted copy of `template` may point `field` elsewhere and stay valid: an
/// attendance names its person or whom a sign-in kit matched, never both, and a link names
/// an organisation or another person, never both, so each such template tries the one it
/// holds. A link's person is tried on the link to an organisation: on a link to another
/// person, pointing both ends at the one Welsh person would be refused as a link to
/// themselves, not for Wales.
fn may_name(template: &Record, field: &str) -> bool {
    match (template.collection, field) {
        (Collection::Attendance, "person" | "matched")
        | (Collection::Link, "organisation" | "other") => template.get_id(field).is_some(),
        (Collection::Link, "person") => template.get_id("organisation").is_some(),
        _ => true,
    }
}

/// A fresh id for a crafted record.
fn fresh() -> RecordId {
    RecordId::from_u128(crate::support::rand_u128())
}

/// Valid records of every collection with reference fields, in `area` and by `by`, each
/// naming only records of `by`'s own making (made first, in the same push), `colleague`, a
/// user whose home is `area` (whom a weekly target is for), or `rung`, one of the
/// organisation's. These are the templates the crafted pushes copy, with one reference field
/// pointed at Wales.
fn own_records(
    area: organise_core::id::AreaId,
    by: UserId,
    colleague: UserId,
    rung: RungId,
) -> Vec<Record> {
    let person = crate::support::person("Ola Own", area, by);
    let sister = crate::support::person("Ada Own", area, by);
    let issue = Record::new(Collection::Issue, fresh(), area, by).with("name", "Synthetic rents");
    let campaign = Record::new(Collection::Campaign, fresh(), area, by)
        .with("name", "Synthetic campaign")
        .with("status", "exploring");
    let list = List {
        id: ListId(fresh()),
        area,
        created_by: by,
        name: "Own walk".into(),
        kind: ListKind::Walk,
        members: [PersonId(person.id)].into(),
        assignees: [by].into(),
        campaign: None,
        script: None,
        survey: None,
    }
    .to_record();
    // Proposed, so that a volunteer may make it too; the second grew from the first and
    // from a conversation, so that every reference field of a meeting holds an id.
    let first_meeting = Meeting {
        id: MeetingId(fresh()),
        area,
        created_by: by,
        kind: MeetingKind::HouseMeeting,
        title: "Own house meeting".into(),
        host: by,
        speaker: None,
        place: "A synthetic kitchen".into(),
        starts: Timestamp(1_767_225_600_000),
        ends: None,
        capacity: None,
        campaign: None,
        status: MeetingStatus::Proposed,
        grew_from: None,
        from_conversation: None,
    };
    let at = Timestamp(1_767_225_600_000);
    let conversation = Record::new(Collection::Conversation, fresh(), area, by)
        .with("kind", "doorstep")
        .with("by", by.0)
        .with("person", person.id)
        .with("at", at)
        .with("outcome", "held")
        .with("list", list.id)
        .with("issues", Value::Ids([issue.id].into()));
    let meeting = Meeting {
        id: MeetingId(fresh()),
        title: "Own second house meeting".into(),
        grew_from: Some(first_meeting.id),
        from_conversation: Some(ConversationId(conversation.id)),
        ..first_meeting.clone()
    }
    .to_record();
    let question = Value::Map(
        [
            ("key".to_owned(), Value::Text("top".into())),
            ("prompt".to_owned(), Value::Text("What matters?".into())),
            (
                "choices".to_owned(),
                Value::List(vec![Value::Text("Housing".into())]),
            ),
        ]
        .into(),
    );
    let survey = Record::new(Collection::Survey, fresh(), area, by)
        .with("title", "Synthetic survey")
        .with("questions", Value::List(vec![question]));
    let story = Record::new(Collection::Story, fresh(), area, by)
        .with("person", person.id)
        .with("issue", issue.id)
        .with("text", "A synthetic story")
        .with("consent", "private");
    let organisation = Record::new(Collection::Organisation, fresh(), area, by)
        .with("name", "Synthetic Tenants")
        .with("kind", "tenants_association")
        .with("relationship", "not_contacted");
    let one_to_one = Record::new(Collection::OneToOne, fresh(), area, by)
        .with("person", person.id)
        .with("held_on", "2026-01-01")
        .with("recorded_at", at)
        .with("kind", "introduction")
        .with("issues", Value::Ids([issue.id].into()))
        .with("story", story.id)
        .with("organisation", organisation.id);
    let in_it = Campaign {
        id: CampaignId(fresh()),
        area,
        created_by: by,
        name: "Synthetic dry homes".into(),
        issues: [organise_core::id::IssueId(issue.id)].into(),
        goal: None,
        status: CampaignStatus::Exploring,
        decider: Some("The housing committee".into()),
        deadline: Day::parse("2026-09-30"),
        winnable: Some(3),
        people: [PersonId(person.id)].into(),
        organisations: [OrganisationId(organisation.id)].into(),
        meetings: [MeetingId(meeting.id)].into(),
        lists: [ListId(list.id)].into(),
    };
    vec![
        // Made last, so that every record they name is there: a campaign with Ola, the
        // tenants, the meeting and the list in it, an action in the first campaign's log,
        // and Ola trained at the meeting.
        in_it.to_record(),
        CampaignAction {
            id: CampaignActionId(fresh()),
            area,
            created_by: by,
            campaign: CampaignId(campaign.id),
            at,
            what: "Petition the committee".into(),
            due: None,
            done: None,
        }
        .to_record(),
        Training {
            id: TrainingId(fresh()),
            area,
            created_by: by,
            person: PersonId(person.id),
            module: "One-to-ones".into(),
            on: Day::parse("2026-01-01").unwrap(),
            meeting: Some(MeetingId(meeting.id)),
        }
        .to_record(),
        // A merge of Ada into Ola (a record only: it repoints nothing), which a volunteer or
        // host may not make at all.
        Merge {
            id: MergeId(fresh()),
            area,
            made_by: by,
            kept: PersonId(person.id),
            gone: PersonId(sister.id),
            at,
            kept_changes: Vec::new(),
            repointed: Vec::new(),
            deleted_links: Vec::new(),
            undone: None,
        }
        .to_record(),
        // Ola chairs the tenants, and is Ada's sister.
        Link {
            id: LinkId(fresh()),
            area,
            created_by: by,
            person: PersonId(person.id),
            organisation: Some(OrganisationId(organisation.id)),
            other: None,
            kind: LinkKind::Leader,
            role: Some("Chair".into()),
        }
        .to_record(),
        Link {
            id: LinkId(fresh()),
            area,
            created_by: by,
            person: PersonId(person.id),
            organisation: None,
            other: Some(PersonId(sister.id)),
            kind: LinkKind::Family,
            role: None,
        }
        .to_record(),
        LadderMove {
            id: LadderMoveId(fresh()),
            area,
            created_by: by,
            person: PersonId(person.id),
            rung,
            at,
            why: Some("Came to the house meeting and said yes".into()),
            one_to_one: Some(OneToOneId(one_to_one.id)),
            meeting: Some(MeetingId(meeting.id)),
        }
        .to_record(),
        one_to_one,
        Record::new(Collection::WeeklyTarget, fresh(), area, by)
            .with("organiser", colleague.0)
            .with("per_week", 15)
            .with("from", "2026-01-05"),
        Record::new(Collection::Attendance, fresh(), area, by)
            .with("meeting", meeting.id)
            .with("person", person.id)
            .with("status", "invited")
            .with("issues", Value::Ids([issue.id].into())),
        // Someone a sign-in kit recognised: whom it matched is named without a person, with
        // a token (no kit's, but the writer sees whom it names).
        Record::new(Collection::Attendance, fresh(), area, by)
            .with("meeting", meeting.id)
            .with("matched", person.id)
            .with("returning", "not-a-kit-token")
            .with("status", "attended")
            .with("signed_in_at", at),
        meeting,
        Record::new(Collection::SurveyResponse, fresh(), area, by)
            .with("survey", survey.id)
            .with("person", person.id)
            .with("at", at)
            .with(
                "answers",
                Value::Map([("top".to_owned(), Value::Text("Housing".into()))].into()),
            ),
        conversation,
        story,
        organisation,
        Record::new(Collection::Issue, fresh(), area, by)
            .with("name", "Synthetic repairs")
            .with("parent", issue.id),
        Record::new(Collection::Script, fresh(), area, by)
            .with("title", "Synthetic script")
            .with("body", "Hello")
            .with("campaign", campaign.id),
        // Made first (the list is reversed), so the records above name them.
        first_meeting.to_record(),
        list,
        campaign,
        issue,
        person,
        sister,
        survey,
    ]
    .into_iter()
    .rev()
    .collect()
}

#[tokio::test]
async fn no_reference_field_opens_a_door_into_another_area() {
    // Every field that may hold an id (from the collections' own table, so a new one is
    // covered as soon as it is declared), pointed at Wales by each role in London: on a new
    // record and on one of their own. No such mutation applies, and nothing Welsh comes back.
    let app = TestApp::new().await;
    app.add_areas("London", "Hackney North", &["Clissold"])
        .await;
    let wales = app.area("Wales").await;
    let clissold = app.area("Clissold").await;
    let foreign = foreign_world(&app).await;
    let welsh_issue = {
        let organiser = app
            .sign_in("cymru@test.organise.invalid", crate::support::PASSWORD)
            .await;
        let organiser = Client {
            cookie: organiser.0,
            csrf: organiser.1,
            user: UserId(foreign.person.created_by.0),
        };
        let mut phone = replica(&organiser);
        let issue = Record::new(Collection::Issue, fresh(), wales, organiser.user)
            .with("name", "Synthetic Welsh issue");
        phone.create(&issue).unwrap();
        organiser.push_all(&app, &mut phone).await;
        issue.id
    };
    // A rung filed in Wales. No push can make one (rungs are set at the root, by its
    // admins), so it is stored directly: a `rung` field must not reach it even so.
    let welsh_rung = Rung {
        id: RungId(fresh()),
        area: wales,
        created_by: foreign.person.created_by,
        name: "Synthetic Welsh rung".into(),
        position: 1,
        retired: false,
    };
    let seeded = vec![welsh_rung.to_record()];
    organise_server::sync_store::run(
        &app.state.db,
        &app.state.trees,
        organise_server::sync_store::Access::Write,
        move |store| Ok((organise_core::sync::server::seed(store, seeded)?, true)),
    )
    .await
    .unwrap();
    // A Welsh record of each collection a field may name.
    let welsh_user = foreign.meeting.get_id("host").unwrap();
    let target = |collection: Collection| match collection {
        Collection::Person => Some(foreign.person.id),
        Collection::List => Some(foreign.list.id),
        Collection::Meeting => Some(foreign.meeting.id),
        Collection::Conversation => Some(foreign.conversation.id),
        Collection::OneToOne => Some(foreign.one_to_one.id),
        Collection::Organisation => Some(foreign.organisation.id),
        Collection::Campaign => Some(foreign.campaign.id),
        Collection::User => Some(welsh_user),
        Collection::Issue => Some(welsh_issue),
        Collection::Rung => Some(welsh_rung.id.0),
        Collection::Area => Some(wales.0),
        _ => None,
    };
    let mut foreign_ids = foreign.ids.clone();
    foreign_ids.insert(welsh_issue);
    foreign_ids.insert(welsh_rung.id.0);
    foreign_ids.insert(wales.0);
    let users = [
        app.user("admin@test.organise.invalid", "admin", "London")
            .await,
        app.user("org@test.organise.invalid", "organiser", "Hackney North")
            .await,
        app.user("vol@test.organise.invalid", "volunteer", "Clissold")
            .await,
        app.user("host@test.organise.invalid", "host", "Clissold")
            .await,
    ];
    // The organisation's lowest rung, which every role reads and moves name.
    let supporter = {
        let mut phone = replica(&users[0]);
        users[0].pull_all(&app, &mut phone).await;
        ladder(&phone)[0].id
    };
    let mut tried = BTreeSet::new();
    for (n, client) in users.iter().enumerate() {
        let mut phone = replica(client);
        // The volunteer's home is Clissold: the admin and the organiser may set their target.
        let templates = own_records(clissold, client.user, users[2].user, supporter);
        for record in &templates {
            phone.create(record).unwrap();
        }
        for template in &templates {
            for &(field, refers_to) in template.collection.reference_fields() {
                let organise_core::record::RefersTo::Record(collection) = refers_to else {
                    continue;
                };
                let Some(welsh) = target(collection) else {
                    continue;
                };
                if !may_name(template, field) {
                    continue;
                }
                tried.insert((template.collection, field));
                let value = if template.collection.is_set_field(field) {
                    Value::Ids([welsh].into())
                } else {
                    Value::Id(welsh)
                };
                // A new record naming Wales…
                let mut crafted = template.clone();
                crafted.id = fresh();
                crafted.fields.insert(field.into(), value.clone());
                phone.create(&crafted).unwrap();
                // …and an edit of their own record to name it.
                let own = RecordKey {
                    collection: template.collection,
                    id: template.id,
                };
                // A merge is never edited but to mark it undone (and naming Wales at both
                // ends would be refused on the phone): its crafted copies above are the door.
                if template.collection.is_set_field(field) {
                    phone.add_to_set(own, field, Element::Id(welsh)).unwrap();
                } else if !template.collection.is_append_only()
                    && template.collection != Collection::Merge
                {
                    phone.set_field(own, field, value).unwrap();
                }
            }
        }
        // Their own user record and a role naming a Welsh user.
        tried.extend([
            (Collection::User, "person"),
            (Collection::RoleAssignment, "user"),
            (Collection::Area, "parent"),
        ]);
        phone
            .set_field(
                RecordKey {
                    collection: Collection::User,
                    id: client.user.0,
                },
                "person",
                Value::Id(foreign.person.id),
            )
            .unwrap();
        phone
            .create(
                &RoleAssignment {
                    id: RoleAssignmentId(fresh()),
                    area: clissold,
                    created_by: client.user,
                    user: UserId(welsh_user),
                    role: Role::Volunteer,
                }
                .to_record(),
            )
            .unwrap();
        // The areas: London and Hackney North under Wales, under a made-up area, and
        // Hackney North under its own ward.
        let hackney = app.area("Hackney North").await;
        let london = app.area("London").await;
        for (area, parent) in [
            (london, wales.0),
            (hackney, wales.0),
            (hackney, RecordId::from_u128(0xF00)),
            (hackney, clissold.0),
        ] {
            phone
                .set_field(
                    RecordKey {
                        collection: Collection::Area,
                        id: area.0,
                    },
                    "parent",
                    Value::Id(parent),
                )
                .unwrap();
        }
        // A conversation in someone else's name.
        let mut forged = templates
            .iter()
            .find(|r| r.collection == Collection::Conversation)
            .unwrap()
            .clone();
        forged.id = fresh();
        forged
            .fields
            .insert("by".into(), Value::Id(users[(n + 1) % 4].user.0));
        phone.create(&forged).unwrap();

        let sent: Vec<_> = phone.outbox().cloned().collect();
        let request = phone.push_request(500).unwrap();
        assert_eq!(request.mutations.len(), sent.len());
        let response = client.push(&app, &request).await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.text());
        let response: PushResponse = serde_json::from_slice(&response.body).unwrap();
        let mut own_applied = 0;
        for (mutation, outcome) in sent.iter().zip(&response.outcomes) {
            let names_wales = mutation.ids().iter().any(|id| foreign_ids.contains(id))
                || mutation.ids().contains(&RecordId::from_u128(0xF00));
            let crafted_here =
                mutation.collection == Collection::Area || mutation.record_id == forged.id;
            match &outcome.outcome {
                Outcome::Rejected { .. } => {}
                applied if names_wales || crafted_here => panic!(
                    "{:?} applied {:?} on {:?}: {applied:?}",
                    client.user, mutation.op, mutation.collection
                ),
                _ => own_applied += 1,
            }
        }
        if n < 2 {
            // The admin and the organiser may make every template: the Welsh ids alone
            // were refused.
            assert!(own_applied >= templates.len(), "{own_applied}");
        }
        assert_pull_has_nothing_foreign(&app, client, &foreign).await;
    }
    // Every reference field that can name a record held in Wales was tried.
    for (collection, fields) in Collection::ALL.map(|c| (c, c.reference_fields())) {
        for &(field, refers_to) in fields {
            if let organise_core::record::RefersTo::Record(target_collection) = refers_to
                && target(target_collection).is_some()
            {
                assert!(
                    tried.contains(&(collection, field)),
                    "{collection}.{field} untried"
                );
            }
        }
    }
    // The areas are where they were.
    let admin = &users[0];
    let mut phone = replica(admin);
    admin.pull_all(&app, &mut phone).await;
    let hackney = app.area("Hackney North").await;
    let london = app.area("London").await;
    let parent = |area: organise_core::id::AreaId| {
        phone
            .get(RecordKey {
                collection: Collection::Area,
                id: area.0,
            })
            .unwrap()
            .get_id("parent")
    };
    assert_eq!(parent(hackney), Some(london.0));
    assert_ne!(parent(london), Some(wales.0));
    app.remove().await;
}
