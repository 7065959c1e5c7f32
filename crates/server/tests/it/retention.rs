use axum::http::StatusCode;
use organise_core::id::{AreaId, PersonId, RecordId, Timestamp};
use organise_core::model::{Consent, ConsentMethod, ConsentTopic, Person, Source};
use organise_core::record::{Collection, Entity};
use organise_core::sync::wire::RecordKey;
use organise_server::demo::COUNTRY;

use crate::support::{Client, START, TestApp, rand_u128, replica};

const DAY: i64 = 24 * 60 * 60 * 1000;

/// Someone first met `days_ago` days before the test's start, with nothing recorded since.
fn met(name: &str, area: AreaId, by: &Client, days_ago: i64) -> Person {
    let random = rand_u128().to_be_bytes()[..10].try_into().unwrap();
    Person::new(
        PersonId(RecordId::new_v7(
            Timestamp(START.0 - days_ago * DAY),
            random,
        )),
        area,
        by.user,
        name,
        Source::Doorstep,
    )
}

async fn create(app: &TestApp, by: &Client, people: &[&Person]) {
    let mut phone = replica(by);
    for person in people {
        phone.create(&person.to_record()).unwrap();
    }
    by.push_all(app, &mut phone).await;
    assert_eq!(phone.rejected().count(), 0);
}

async fn set_rule(
    app: &TestApp,
    by: &Client,
    months: serde_json::Value,
) -> crate::support::TestResponse {
    app.send(by.request(
        axum::http::Method::PUT,
        "/api/retention",
        Some(&serde_json::json!({ "months": months })),
    ))
    .await
}

fn caught_names(review: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = review["caught"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn only_a_national_admin_sets_the_rule_within_its_bounds_and_every_admin_reads_it() {
    let app = TestApp::new().await;
    let national = app
        .user("national@test.organise.invalid", "admin", COUNTRY)
        .await;
    let london = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;

    assert_eq!(
        london.get(&app, "/api/retention").await.json(),
        serde_json::Value::Null
    );
    assert_eq!(
        set_rule(&app, &london, 24.into()).await.status,
        StatusCode::FORBIDDEN,
        "a regional admin may not set the organisation's rule"
    );
    assert_eq!(
        set_rule(&app, &organiser, 24.into()).await.status,
        StatusCode::FORBIDDEN
    );
    for months in [0, 5, 121] {
        let refused = set_rule(&app, &national, months.into()).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{months}");
        assert_eq!(refused.json()["fields"][0]["field"], "months");
    }
    let set = set_rule(&app, &national, 24.into()).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text());
    let rule = london.get(&app, "/api/retention").await.json();
    assert_eq!(rule["months"], 24);
    assert_eq!(rule["set_by"], national.user.to_string());
    assert_eq!(
        organiser.get(&app, "/api/retention").await.status,
        StatusCode::FORBIDDEN
    );

    assert_eq!(
        set_rule(&app, &national, serde_json::Value::Null)
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        london.get(&app, "/api/retention").await.json(),
        serde_json::Value::Null
    );
    let audit = national
        .get(&app, "/api/audit?action=retention.rule")
        .await
        .json();
    let details: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(details, ["no rule", "months: 24"]);
    app.remove().await;
}

#[tokio::test]
async fn the_review_lists_only_people_without_consent_or_contact_for_the_period_in_the_callers_areas()
 {
    let app = TestApp::new().await;
    let national = app
        .user("national@test.organise.invalid", "admin", COUNTRY)
        .await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let london = app.area("London").await;
    let wales = app.area("Wales").await;

    // No rule: nobody is caught.
    let stale = met("Stale Synthetic", london, &admin, 800);
    create(&app, &admin, &[&stale]).await;
    let review = admin.get(&app, "/api/retention/review").await.json();
    assert_eq!(review["rule"], serde_json::Value::Null);
    assert_eq!(caught_names(&review), Vec::<String>::new());
    assert_eq!(
        set_rule(&app, &national, 24.into()).await.status,
        StatusCode::OK
    );

    let recent = met("Recent Synthetic", london, &admin, 100);
    let mut consenting = met("Consenting Synthetic", london, &admin, 800);
    consenting.consents.insert(
        ConsentTopic::Sms,
        Consent {
            given: true,
            at: Timestamp(START.0 - 800 * DAY),
            method: ConsentMethod::Doorstep,
        },
    );
    let talked = met("Talked Synthetic", london, &admin, 800);
    let welsh = met("Welsh Synthetic", wales, &national, 800);
    create(&app, &admin, &[&recent, &consenting, &talked]).await;
    create(&app, &national, &[&welsh]).await;
    // A conversation with one of them last month is contact.
    let mut phone = replica(&admin);
    admin.pull_all(&app, &mut phone).await;
    let talk = organise_core::model::Conversation {
        id: organise_core::id::ConversationId(RecordId::new_v7(
            Timestamp(START.0 - 30 * DAY),
            [1; 10],
        )),
        area: london,
        created_by: admin.user,
        kind: organise_core::model::ConversationKind::Doorstep,
        by: admin.user,
        person: talked.id,
        at: Timestamp(START.0 - 30 * DAY),
        outcome: organise_core::model::Outcome::Held,
        issues: Default::default(),
        interests: Default::default(),
        notes: None,
        follow_ups: Vec::new(),
        list: None,
    };
    phone.create(&talk.to_record()).unwrap();
    admin.push_all(&app, &mut phone).await;

    let review = admin.get(&app, "/api/retention/review").await.json();
    assert_eq!(review["rule"]["months"], 24);
    assert_eq!(
        review["may_set"], false,
        "a regional admin may not set the rule"
    );
    assert_eq!(caught_names(&review), ["Stale Synthetic"]);
    let caught = &review["caught"][0];
    assert_eq!(caught["area"], london.to_string());
    assert_eq!(caught["last_contact"], START.0 - 800 * DAY);

    // The national admin reviews the whole organisation.
    let everywhere = national.get(&app, "/api/retention/review").await.json();
    assert_eq!(everywhere["may_set"], true);
    assert_eq!(
        caught_names(&everywhere),
        ["Stale Synthetic", "Welsh Synthetic"]
    );

    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    assert_eq!(
        organiser.get(&app, "/api/retention/review").await.status,
        StatusCode::FORBIDDEN
    );
    app.remove().await;
}

#[tokio::test]
async fn a_dry_run_counts_and_then_one_action_erases_those_still_caught_audited_as_retention() {
    let app = TestApp::new().await;
    let national = app
        .user("national@test.organise.invalid", "admin", COUNTRY)
        .await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let london = app.area("London").await;
    let wales = app.area("Wales").await;
    let people: Vec<Person> = ["Ash", "Birch", "Cedar", "Damson"]
        .iter()
        .map(|n| met(&format!("{n} Synthetic"), london, &admin, 900))
        .collect();
    create(&app, &admin, &people.iter().collect::<Vec<_>>()).await;
    let welsh = met("Welsh Synthetic", wales, &national, 900);
    create(&app, &national, &[&welsh]).await;
    let asked: Vec<String> = people
        .iter()
        .map(|p| p.id.0.to_string())
        .chain([welsh.id.0.to_string()])
        .collect();

    // No rule yet: nothing to erase by.
    let refused = admin
        .post(
            &app,
            "/api/retention/erase",
            &serde_json::json!({ "people": asked, "dry_run": true }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        set_rule(&app, &national, 24.into()).await.status,
        StatusCode::OK
    );

    let dry = admin
        .post(
            &app,
            "/api/retention/erase",
            &serde_json::json!({ "people": asked, "dry_run": true }),
        )
        .await;
    assert_eq!(dry.status, StatusCode::OK, "{}", dry.text());
    let dry = dry.json();
    assert_eq!(dry["dry_run"], true);
    assert_eq!(dry["erased"].as_array().unwrap().len(), 4);
    assert_eq!(dry["left"], 1, "Wales is not the London admin's");
    let mut phone = replica(&admin);
    admin.pull_all(&app, &mut phone).await;
    let held = |phone: &organise_core::sync::replica::Replica, person: &Person| {
        phone
            .get(RecordKey {
                collection: Collection::Person,
                id: person.id.0,
            })
            .is_some()
    };
    assert!(
        people.iter().all(|p| held(&phone, p)),
        "a dry run erases nobody"
    );

    // Damson consents between the review and the erasure: kept.
    let mut damson = people[3].clone();
    damson.consents.insert(
        ConsentTopic::Email,
        Consent {
            given: true,
            at: START,
            method: ConsentMethod::Form,
        },
    );
    let field = ConsentTopic::Email.field();
    phone
        .set_field(
            RecordKey {
                collection: Collection::Person,
                id: damson.id.0,
            },
            field,
            damson.to_record().get(field).clone(),
        )
        .unwrap();
    admin.push_all(&app, &mut phone).await;

    let done = admin
        .post(
            &app,
            "/api/retention/erase",
            &serde_json::json!({ "people": asked, "dry_run": false }),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    let done = done.json();
    assert_eq!(done["erased"].as_array().unwrap().len(), 3);
    assert_eq!(done["left"], 2);
    admin.pull_all(&app, &mut phone).await;
    for person in &people[..3] {
        assert!(!held(&phone, person), "{} is erased", person.name);
    }
    assert!(held(&phone, &people[3]), "Damson consented since: kept");
    let mut welsh_phone = replica(&national);
    national.pull_all(&app, &mut welsh_phone).await;
    assert!(
        held(&welsh_phone, &welsh),
        "nobody outside the admin's areas is erased"
    );

    let audit = admin
        .get(&app, "/api/audit?action=person.erase")
        .await
        .json();
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert!(entries.iter().all(|e| e["detail"] == "reason: retention"));
    assert!(!audit.to_string().contains("Synthetic"));
    app.remove().await;
}
