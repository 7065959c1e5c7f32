use axum::http::StatusCode;
use organise_core::calendar::Day;
use organise_core::id::{
    CampaignId, ConversationId, LadderMoveId, LinkId, PersonId, RecordId, Timestamp, TrainingId,
};
use organise_core::model::{
    Campaign, CampaignStatus, Conversation, ConversationKind, LadderMove, Link, LinkKind, List,
    ListKind, Outcome, Training,
};
use organise_core::record::{Collection, Element, Entity, Value};
use organise_core::sync::wire::RecordKey;

use crate::support::{TestApp, ladder, person, replica};

fn conversation(
    person: PersonId,
    area: organise_core::id::AreaId,
    by: organise_core::id::UserId,
) -> Conversation {
    Conversation {
        id: ConversationId(RecordId::from_u128(0xC0)),
        area,
        created_by: by,
        kind: ConversationKind::Doorstep,
        by,
        person,
        at: Timestamp(1_767_225_600_000),
        outcome: Outcome::Held,
        issues: Default::default(),
        interests: Default::default(),
        notes: Some("Worried about the bus route".into()),
        follow_ups: Vec::new(),
        list: None,
    }
}

#[tokio::test]
async fn an_admin_erases_a_person_and_every_device_purges_them() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;

    let mut phone = replica(&organiser);
    let alex = person("Alex Example", london, organiser.user);
    let alex_id = PersonId(alex.id);
    let sam = person("Sam Sample", london, organiser.user);
    phone.create(&alex).unwrap();
    phone.create(&sam).unwrap();
    let talk = conversation(alex_id, london, organiser.user);
    phone.create(&talk.to_record()).unwrap();
    let list = List {
        id: RecordId::from_u128(0x11).into(),
        area: london,
        created_by: organiser.user,
        name: "Synthetic walk".into(),
        kind: ListKind::Walk,
        members: [alex_id, PersonId(sam.id)].into(),
        assignees: Default::default(),
        campaign: None,
        script: None,
        survey: None,
    };
    phone.create(&list.to_record()).unwrap();
    organiser.push_all(&app, &mut phone).await;
    organiser.pull_all(&app, &mut phone).await;
    assert!(
        phone
            .get(RecordKey {
                collection: Collection::Person,
                id: alex.id
            })
            .is_some()
    );
    // Alex's first step on the ladder, which is about them and goes with them.
    let step = LadderMove {
        id: LadderMoveId::from_u128(0x1ADD),
        area: london,
        created_by: organiser.user,
        person: alex_id,
        rung: ladder(&phone)[0].id,
        at: Timestamp(1_767_225_600_000),
        why: None,
        one_to_one: None,
        meeting: None,
    };
    phone.create(&step.to_record()).unwrap();
    // On the community map: Alex is Sam's neighbour (a link about Alex, which goes with
    // them), and Sam knows Alex (a link about Sam, which stays but may no longer name Alex).
    let neighbour = Link {
        id: LinkId::from_u128(0x714C),
        area: london,
        created_by: organiser.user,
        person: alex_id,
        organisation: None,
        other: Some(PersonId(sam.id)),
        kind: LinkKind::Neighbour,
        role: None,
    };
    let knows = Link {
        id: LinkId::from_u128(0x714D),
        person: PersonId(sam.id),
        other: Some(alex_id),
        kind: LinkKind::Knows,
        ..neighbour.clone()
    };
    phone.create(&neighbour.to_record()).unwrap();
    phone.create(&knows.to_record()).unwrap();
    // Alex was trained in one-to-ones (about them: it goes with them), and Alex and Sam are
    // both in a campaign (about the campaign: it stays, without Alex).
    let training = Training {
        id: TrainingId::from_u128(0x7A1),
        area: london,
        created_by: organiser.user,
        person: alex_id,
        module: "One-to-ones".into(),
        on: Day::parse("2026-01-01").unwrap(),
        meeting: None,
    };
    let campaign = Campaign {
        id: CampaignId::from_u128(0xCA4),
        area: london,
        created_by: organiser.user,
        name: "Synthetic dry homes".into(),
        issues: Default::default(),
        goal: None,
        status: CampaignStatus::Active,
        decider: None,
        deadline: None,
        winnable: None,
        people: [alex_id, PersonId(sam.id)].into(),
        organisations: Default::default(),
        meetings: Default::default(),
        lists: Default::default(),
    };
    phone.create(&training.to_record()).unwrap();
    phone.create(&campaign.to_record()).unwrap();
    // Sam, who shares nothing with Alex but could, was set apart from them as not the same
    // person: Sam's record names Alex, and must not once Alex is erased.
    let sam_key = RecordKey {
        collection: Collection::Person,
        id: sam.id,
    };
    phone
        .add_to_set(sam_key, "not_same_as", Element::Id(alex.id))
        .unwrap();
    organiser.push_all(&app, &mut phone).await;
    let training_key = RecordKey {
        collection: Collection::Training,
        id: training.id.0,
    };
    let campaign_key = RecordKey {
        collection: Collection::Campaign,
        id: campaign.id.0,
    };
    assert!(phone.get(training_key).is_some());
    let step_key = RecordKey {
        collection: Collection::LadderMove,
        id: step.id.0,
    };
    let link_key = |link: &Link| RecordKey {
        collection: Collection::Link,
        id: link.id.0,
    };
    assert!(phone.get(step_key).is_some());
    assert!(phone.get(link_key(&neighbour)).is_some());
    assert!(phone.get(link_key(&knows)).is_some());
    assert_eq!(phone.rejected().count(), 0);

    let response = admin
        .post(
            &app,
            &format!("/api/people/{}/erase", alex.id),
            &serde_json::json!({"reason": "request"}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert!(response.json()["version"].as_u64().unwrap() > 0);

    organiser.pull_all(&app, &mut phone).await;
    assert!(
        phone
            .get(RecordKey {
                collection: Collection::Person,
                id: alex.id
            })
            .is_none()
    );
    assert!(
        phone
            .get(RecordKey {
                collection: Collection::Conversation,
                id: talk.id.0
            })
            .is_none()
    );
    assert!(phone.get(step_key).is_none(), "their ladder move is erased");
    assert!(
        phone.get(link_key(&neighbour)).is_none(),
        "their link is erased"
    );
    assert!(
        phone
            .get(link_key(&knows))
            .is_none_or(|link| !link.get("other").mentions(alex_id.0)),
        "Sam's link no longer names them"
    );
    assert!(
        phone.get(training_key).is_none(),
        "their training is erased"
    );
    assert_eq!(
        phone.get(sam_key).map(|sam| sam.get("not_same_as").clone()),
        Some(Value::Ids([].into())),
        "Sam's record no longer names them"
    );
    assert_eq!(
        phone.get(campaign_key).map(|c| c.get("people").clone()),
        Some(Value::Ids([sam.id].into())),
        "the campaign is kept, without them"
    );
    let members = phone
        .get(RecordKey {
            collection: Collection::List,
            id: list.id.0,
        })
        .unwrap()
        .get("members")
        .clone();
    assert_eq!(
        members,
        Value::Ids([sam.id].into()),
        "the list is scrubbed of the erased person"
    );

    // An offline phone that still holds the person cannot bring them back.
    let mut stale = replica(&organiser);
    stale.create(&alex).unwrap();
    organiser.push_all(&app, &mut stale).await;
    assert_eq!(
        stale.rejected().count(),
        1,
        "a create of an erased id is rejected"
    );
    let mut fresh = replica(&admin);
    admin.pull_all(&app, &mut fresh).await;
    assert!(
        fresh
            .get(RecordKey {
                collection: Collection::Person,
                id: alex.id
            })
            .is_none()
    );

    // Erasing again: there is nothing left to erase.
    let again = admin
        .post(
            &app,
            &format!("/api/people/{}/erase", alex.id),
            &serde_json::json!({"reason": "request"}),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    let audit = admin.get(&app, "/api/audit").await.json();
    let entry = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "person.erase")
        .cloned()
        .expect("the erasure is audited");
    assert_eq!(entry["subject"], alex.id.to_string());
    assert_eq!(entry["detail"], "reason: request");
    assert!(
        !audit.to_string().contains("Alex"),
        "the audit log holds no personal data"
    );
    app.remove().await;
}

#[tokio::test]
async fn only_an_admin_of_the_area_may_erase_or_export() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let welsh_admin = app
        .user("cymru@test.organise.invalid", "admin", "Wales")
        .await;
    let mut phone = replica(&organiser);
    let alex = person("Alex Example", london, organiser.user);
    phone.create(&alex).unwrap();
    organiser.push_all(&app, &mut phone).await;

    // The organiser sees Alex but is not an admin: forbidden.
    let reason = serde_json::json!({"reason": "request"});
    for (method, path) in [("POST", "erase"), ("GET", "export")] {
        let path = format!("/api/people/{}/{path}", alex.id);
        let response = match method {
            "POST" => organiser.post(&app, &path, &reason).await,
            _ => organiser.get(&app, &path).await,
        };
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert!(
            response
                .text()
                .contains("only an admin of the area this person belongs to"),
            "the refusal says who may: {}",
            response.text()
        );
        // An admin elsewhere cannot even tell that Alex exists.
        let response = match method {
            "POST" => welsh_admin.post(&app, &path, &reason).await,
            _ => welsh_admin.get(&app, &path).await,
        };
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{method} {path}");
    }
    let missing = welsh_admin
        .get(
            &app,
            &format!("/api/people/{}/export", RecordId::from_u128(5)),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let malformed = welsh_admin.get(&app, "/api/people/not-an-id/export").await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        malformed.json()["error"],
        "\"not-an-id\" is not a person id"
    );
    app.remove().await;
}

#[tokio::test]
async fn an_export_holds_everything_about_the_person_and_is_audited() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let mut phone = replica(&admin);
    let alex = person("Alex Example", london, admin.user);
    phone.create(&alex).unwrap();
    let talk = conversation(PersonId(alex.id), london, admin.user);
    phone.create(&talk.to_record()).unwrap();
    admin.push_all(&app, &mut phone).await;

    let response = admin
        .get(&app, &format!("/api/people/{}/export", alex.id))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let export = response.json();
    assert_eq!(
        export["person"]["fields"]["name"],
        serde_json::json!({ "text": "Alex Example" })
    );
    let about = export["records_about"].as_array().unwrap();
    assert_eq!(about.len(), 1);
    assert_eq!(
        about[0]["fields"]["notes"],
        serde_json::json!({ "text": "Worried about the bus route" })
    );

    let audit = admin.get(&app, "/api/audit").await.json();
    assert!(
        audit["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "person.export" && e["subject"] == alex.id.to_string()),
        "{audit}"
    );
    app.remove().await;
}

#[tokio::test]
async fn the_audit_log_is_for_admins_and_scoped_to_their_areas() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let national = app
        .user("root@test.organise.invalid", "admin", "Great Britain")
        .await;
    let london_admin = app
        .user("ldn@test.organise.invalid", "admin", "London")
        .await;
    let welsh_admin = app
        .user("cymru@test.organise.invalid", "admin", "Wales")
        .await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;

    let mut phone = replica(&london_admin);
    let alex = person("Alex Example", london, london_admin.user);
    phone.create(&alex).unwrap();
    london_admin.push_all(&app, &mut phone).await;
    let export = london_admin
        .get(&app, &format!("/api/people/{}/export", alex.id))
        .await;
    assert_eq!(export.status, StatusCode::OK);

    let has_export = |page: &serde_json::Value| {
        page["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "person.export")
    };
    assert!(has_export(&national.get(&app, "/api/audit").await.json()));
    assert!(has_export(
        &london_admin.get(&app, "/api/audit").await.json()
    ));
    let welsh = welsh_admin.get(&app, "/api/audit").await;
    assert_eq!(welsh.status, StatusCode::OK);
    assert!(
        !has_export(&welsh.json()),
        "Wales does not read London's entries"
    );
    let sign_ins = national.get(&app, "/api/audit").await.json();
    assert!(
        sign_ins["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "login"),
        "sign-ins, which have no area, are read nationally"
    );
    assert_eq!(
        organiser.get(&app, "/api/audit").await.status,
        StatusCode::FORBIDDEN
    );

    // Paging: one entry per page, following `next`, reaches every entry once.
    let mut seen = Vec::new();
    let mut path = "/api/audit?limit=1".to_owned();
    loop {
        let page = national.get(&app, &path).await.json();
        let entries = page["entries"].as_array().unwrap();
        assert!(entries.len() <= 1);
        seen.extend(entries.iter().map(|e| e["id"].as_i64().unwrap()));
        match page["next"].as_i64() {
            Some(next) => path = format!("/api/audit?limit=1&before={next}"),
            None => break,
        }
    }
    let all = national.get(&app, "/api/audit").await.json();
    let all: Vec<i64> = all["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_i64().unwrap())
        .collect();
    assert_eq!(seen, all);
    let bad = national.get(&app, "/api/audit?limit=ten").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    app.remove().await;
}

/// An erasure says why, and the audit log keeps it: one without a reason, or with one the
/// organisation does not use, is refused naming the field, and erases nothing.
#[tokio::test]
async fn an_erasure_without_a_known_reason_is_refused_and_erases_nothing() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let mut phone = replica(&admin);
    let alex = person("Alex Example", london, admin.user);
    phone.create(&alex).unwrap();
    admin.push_all(&app, &mut phone).await;
    let path = format!("/api/people/{}/erase", alex.id);
    for body in [
        serde_json::json!({}),
        serde_json::json!({"reason": "boredom"}),
        serde_json::json!({"reason": null}),
    ] {
        let refused = admin.post(&app, &path, &body).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{body}");
        assert!(
            refused.text().contains("reason"),
            "{body}: {}",
            refused.text()
        );
    }
    let export = admin
        .get(&app, &format!("/api/people/{}/export", alex.id))
        .await;
    assert_eq!(export.status, StatusCode::OK, "Alex is still there");
    assert_eq!(export.json()["person"]["id"], alex.id.to_string());
    app.remove().await;
}

/// The audit screen's filters: by action, by the person or user acted on, by who acted, by
/// area and by time, each within what the admin may read already.
#[tokio::test]
async fn the_audit_log_filters_by_action_subject_actor_area_and_time_within_scope() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let wales = app.area("Wales").await;
    let national = app
        .user("root@test.organise.invalid", "admin", "Great Britain")
        .await;
    let london_admin = app
        .user("ldn@test.organise.invalid", "admin", "London")
        .await;
    let welsh_admin = app
        .user("cymru@test.organise.invalid", "admin", "Wales")
        .await;
    let mut phone = replica(&london_admin);
    let alex = person("Alex Example", london, london_admin.user);
    let sam = person("Sam Sample", london, london_admin.user);
    phone.create(&alex).unwrap();
    phone.create(&sam).unwrap();
    london_admin.push_all(&app, &mut phone).await;
    for (who, subject) in [(&london_admin, alex.id), (&national, sam.id)] {
        let path = format!("/api/people/{subject}/export");
        assert_eq!(who.get(&app, &path).await.status, StatusCode::OK);
    }
    let erased = london_admin
        .post(
            &app,
            &format!("/api/people/{}/erase", sam.id),
            &serde_json::json!({"reason": "mistake"}),
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK);

    // (action, subject) of each entry `admin` reads with `query`, latest first.
    let read = async |admin: &crate::support::Client, query: &str| -> Vec<(String, String)> {
        let response = admin.get(&app, &format!("/api/audit?{query}")).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{query}: {}",
            response.text()
        );
        response.json()["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_owned(),
                    e["subject"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect()
    };
    let (alex_id, sam_id) = (alex.id.to_string(), sam.id.to_string());
    let export = |id: &str| ("person.export".to_owned(), id.to_owned());
    let erase = |id: &str| ("person.erase".to_owned(), id.to_owned());

    assert_eq!(
        read(&national, "action=person.export").await,
        [export(&sam_id), export(&alex_id)]
    );
    assert_eq!(
        read(&national, &format!("subject={sam_id}")).await,
        [erase(&sam_id), export(&sam_id)]
    );
    assert_eq!(
        read(
            &national,
            &format!("actor={}&action=person.export", london_admin.user)
        )
        .await,
        [export(&alex_id)]
    );
    assert_eq!(
        read(&national, &format!("area={london}&subject={alex_id}")).await,
        [export(&alex_id)]
    );
    assert!(
        read(&national, &format!("area={wales}&action=person.export"))
            .await
            .is_empty()
    );
    let now = app.clock.now().0;
    assert_eq!(
        read(
            &national,
            &format!("from={}&action=person.erase", now - 60_000)
        )
        .await,
        [erase(&sam_id)]
    );
    assert!(
        read(&national, &format!("from={}", now + 60_000))
            .await
            .is_empty()
    );
    assert!(read(&national, "until=0").await.is_empty());
    // A filter never widens what an admin reads: Wales does not see London's entries.
    assert!(
        read(&welsh_admin, &format!("subject={alex_id}"))
            .await
            .is_empty()
    );
    // A malformed id is refused, naming it.
    let bad = national.get(&app, "/api/audit?actor=not-an-id").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    app.remove().await;
}

/// The audit screen has words for every action core lists; an action the server audits that
/// is missing from core's list would be shown as its dotted name.
#[test]
fn every_action_the_server_audits_is_one_core_lists() {
    let mut found = std::collections::BTreeSet::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/src"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let text = std::fs::read_to_string(&path).unwrap();
                for rest in text.split("action: \"").skip(1) {
                    found.insert(rest.split('"').next().unwrap().to_owned());
                }
            }
        }
    }
    assert!(found.contains("person.erase"), "the scan found {found:?}");
    let listed: std::collections::BTreeSet<String> = organise_core::audit::ACTIONS
        .iter()
        .map(|a| (*a).to_owned())
        .collect();
    assert_eq!(found, listed);
}

/// A subject access export says who in the organisation may read the person and why: the
/// roles over their area, and a volunteer given a list that holds them; not an admin or an
/// organiser elsewhere.
#[tokio::test]
async fn an_export_says_who_may_read_the_person_and_by_which_role() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let volunteer = app
        .user("vol@test.organise.invalid", "volunteer", "London")
        .await;
    let elsewhere = app
        .user("cymru@test.organise.invalid", "admin", "Wales")
        .await;
    let other_organiser = app
        .user("org2@test.organise.invalid", "organiser", "Wales")
        .await;
    let mut phone = replica(&admin);
    let alex = person("Alex Example", london, admin.user);
    phone.create(&alex).unwrap();
    admin.push_all(&app, &mut phone).await;
    // Among the users made here (the test app has others of its own).
    let ours: Vec<String> = [&admin, &organiser, &volunteer, &elsewhere, &other_organiser]
        .iter()
        .map(|c| c.user.to_string())
        .collect();
    let readers_of = async || -> Vec<(String, Vec<String>)> {
        let export = admin
            .get(&app, &format!("/api/people/{}/export", alex.id))
            .await
            .json();
        let mut readers: Vec<(String, Vec<String>)> = export["readers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["user"].as_str().unwrap().to_owned(),
                    r["roles"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|g| {
                            format!(
                                "{}@{}",
                                g["role"].as_str().unwrap(),
                                g["area"].as_str().unwrap()
                            )
                        })
                        .collect(),
                )
            })
            .filter(|(user, _)| ours.contains(user))
            .collect();
        readers.sort();
        readers
    };
    let holding = |who: &crate::support::Client, role: &str| {
        (who.user.to_string(), vec![format!("{role}@{london}")])
    };
    let mut expected = vec![holding(&admin, "admin"), holding(&organiser, "organiser")];
    expected.sort();
    assert_eq!(readers_of().await, expected);

    // Given a list that holds Alex, the volunteer may read them too.
    let list = organise_core::model::List {
        id: organise_core::id::ListId::from_u128(0x1157),
        area: london,
        created_by: admin.user,
        name: "Alex's street".into(),
        kind: organise_core::model::ListKind::Walk,
        members: [PersonId(alex.id)].into(),
        assignees: [volunteer.user].into(),
        campaign: None,
        script: None,
        survey: None,
    };
    phone.create(&list.to_record()).unwrap();
    admin.push_all(&app, &mut phone).await;
    expected.push(holding(&volunteer, "volunteer"));
    expected.sort();
    assert_eq!(readers_of().await, expected);
    app.remove().await;
}

/// What a subject access export does with a record that refers to the person, by the field
/// that refers to them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ExportRule {
    /// The record is about them: exported whole, in `records_about`.
    Whole,
    /// The record is about others and names them: its key and field, in `mentioned_in`.
    Mention,
}

/// Every field of every collection that can hold a person's id, with what the export does
/// with it. A collection or field that starts referring to people fails
/// `every_record_that_refers_to_a_person_is_in_their_export` until it is given a rule here.
const EXPORT_RULES: &[(Collection, &str, ExportRule)] = &[
    // Someone merged into them is them: their other record, kept whole.
    (Collection::Person, "merged_into", ExportRule::Whole),
    // Someone set apart from them as not the same person is someone else: the export says
    // whose record names them, as it does for a list that holds them.
    (Collection::Person, "not_same_as", ExportRule::Mention),
    (Collection::Conversation, "person", ExportRule::Whole),
    (Collection::Story, "person", ExportRule::Whole),
    (Collection::Meeting, "speaker", ExportRule::Mention),
    (Collection::Attendance, "person", ExportRule::Whole),
    // Someone a sign-in kit recognised: the attendance is about them as much.
    (Collection::Attendance, "matched", ExportRule::Whole),
    // A campaign they are part of is about the campaign: the export says which names them,
    // as it does for a list that holds them.
    (Collection::Campaign, "people", ExportRule::Mention),
    (Collection::List, "members", ExportRule::Mention),
    (Collection::SurveyResponse, "person", ExportRule::Whole),
    (Collection::User, "person", ExportRule::Mention),
    (Collection::OneToOne, "person", ExportRule::Whole),
    // Their history on the ladder is about them: who moved them, when and why.
    (Collection::LadderMove, "person", ExportRule::Whole),
    // Their place on the community map: what they lead or belong to, in what role, and whom
    // they know.
    (Collection::Link, "person", ExportRule::Whole),
    // Someone else's tie to them (their family, neighbour or colleague) is about that someone:
    // the export says which link names them, as it does for a list that holds them, and does
    // not hand over the other person's record with it.
    (Collection::Link, "other", ExportRule::Mention),
    // What they were trained in, when, and at which meeting.
    (Collection::Training, "person", ExportRule::Whole),
    // A merge into them is about them: what it changed of their record, what it repointed.
    (Collection::Merge, "kept", ExportRule::Whole),
    // A merge of them into someone else is about that someone (whose export holds it whole).
    (Collection::Merge, "gone", ExportRule::Mention),
];

#[tokio::test]
async fn every_record_that_refers_to_a_person_is_in_their_export() {
    use organise_core::record::{Record, RefersTo};

    let person_fields: Vec<(Collection, &str)> = Collection::ALL
        .into_iter()
        .flat_map(|c| {
            c.reference_fields()
                .iter()
                .filter(|(_, to)| *to == RefersTo::Record(Collection::Person))
                .map(move |&(field, _)| (c, field))
        })
        .collect();
    let ruled: Vec<(Collection, &str)> = EXPORT_RULES.iter().map(|&(c, f, _)| (c, f)).collect();
    assert_eq!(
        person_fields, ruled,
        "every field that can hold a person's id needs an export rule"
    );

    let app = TestApp::new().await;
    let london = app.area("London").await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let mut phone = replica(&admin);
    let alex = person("Alex Example", london, admin.user);
    phone.create(&alex).unwrap();
    admin.push_all(&app, &mut phone).await;

    // One record per rule, naming Alex in that field and nothing else, stored as given.
    let records: Vec<Record> = EXPORT_RULES
        .iter()
        .enumerate()
        .map(|(i, &(collection, field, _))| {
            let value = if collection.is_set_field(field) {
                Value::Ids([alex.id].into())
            } else {
                Value::Id(alex.id)
            };
            Record::new(
                collection,
                RecordId::from_u128(0xE0 + i as u128),
                london,
                admin.user,
            )
            .with(field, value)
        })
        .collect();
    let seeded = records.clone();
    organise_server::sync_store::run(
        &app.state.db,
        &app.state.trees,
        organise_server::sync_store::Access::Write,
        move |store| Ok((organise_core::sync::server::seed(store, seeded)?, true)),
    )
    .await
    .unwrap();

    let response = admin
        .get(&app, &format!("/api/people/{}/export", alex.id))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let export: organise_core::erasure::Export = serde_json::from_slice(&response.body).unwrap();
    for (record, &(collection, field, rule)) in records.iter().zip(EXPORT_RULES) {
        let whole = export.records_about.iter().any(|r| r.id == record.id);
        let mention = export
            .mentioned_in
            .iter()
            .find(|m| m.key.id == record.id)
            .map(|m| m.fields.clone());
        match rule {
            ExportRule::Whole => assert!(whole, "{collection:?} is exported whole"),
            ExportRule::Mention => {
                assert!(!whole, "{collection:?} is about others: not exported whole");
                assert_eq!(
                    mention,
                    Some(vec![field.to_owned()]),
                    "{collection:?}.{field} is named"
                );
            }
        }
    }
    app.remove().await;
}
