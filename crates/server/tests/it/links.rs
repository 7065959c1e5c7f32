use axum::http::StatusCode;
use organise_core::id::{PersonId, RecordId, Timestamp};
use organise_core::model::{Consent, ConsentMethod, ConsentTopic, Person, Source};
use organise_core::record::{Collection, Entity};
use organise_core::sync::replica::Replica;
use organise_core::sync::wire::RecordKey;
use organise_server::throttle::SourceLimits;

use crate::support::{Client, TestApp, rand_u128, replica};

/// Someone who gave consent to email, texts and calls on the doorstep.
fn consenting(area: organise_core::id::AreaId, by: organise_core::id::UserId) -> Person {
    let mut person = Person::new(
        PersonId(RecordId::from_u128(rand_u128())),
        area,
        by,
        "Robin Synthetic",
        Source::Doorstep,
    );
    person.email = Some("robin@example.invalid".into());
    for topic in [ConsentTopic::Email, ConsentTopic::Sms, ConsentTopic::Phone] {
        person.consents.insert(
            topic,
            Consent {
                given: true,
                at: Timestamp(1_767_225_600_000),
                method: ConsentMethod::Doorstep,
            },
        );
    }
    person
}

/// The person as `phone` holds them.
fn held(phone: &Replica, person: &Person) -> Person {
    let record = phone
        .get(RecordKey {
            collection: Collection::Person,
            id: person.id.0,
        })
        .expect("the phone holds them");
    Person::read(&record).unwrap()
}

/// Robin, consenting, created in London by a new user with `role` there, who is returned
/// with the phone that holds them.
async fn robin_by(app: &TestApp, email: &str, role: &str) -> (Client, Replica, Person) {
    let london = app.area("London").await;
    let user = app.user(email, role, "London").await;
    let mut phone = replica(&user);
    let robin = consenting(london, user.user);
    phone.create(&robin.to_record()).unwrap();
    user.push_all(app, &mut phone).await;
    (user, phone, robin)
}

/// The token of a consent link made for `person` by `by`.
async fn link_for(app: &TestApp, by: &Client, person: &Person) -> String {
    let response = by
        .post(
            app,
            &format!("/api/people/{}/consent-link", person.id.0),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let path = response.json()["path"].as_str().unwrap().to_owned();
    path.strip_prefix("/consent/")
        .expect("a consent page")
        .to_owned()
}

async fn withdraw(app: &TestApp, token: &str, topics: &[&str]) -> crate::support::TestResponse {
    app.post_json(
        &format!("/api/consent/{token}"),
        &serde_json::json!({ "topics": topics }),
    )
    .await
}

#[tokio::test]
async fn a_person_withdraws_email_consent_through_a_link_and_every_phone_hears() {
    let app = TestApp::new().await;
    let (organiser, mut phone, robin) =
        robin_by(&app, "org@test.organise.invalid", "organiser").await;
    let token = link_for(&app, &organiser, &robin).await;

    // The page's question, asked by anyone holding the link, says nothing about them.
    let offer = app.get(&format!("/api/consent/{token}")).await;
    assert_eq!(offer.status, StatusCode::OK, "{}", offer.text());
    assert_eq!(
        offer.json()["topics"],
        serde_json::json!(["email", "sms", "phone", "contact"])
    );
    for private in ["Robin", "robin@", "doorstep"] {
        assert!(!offer.text().contains(private), "{}", offer.text());
    }

    let withdrawn = withdraw(&app, &token, &["email"]).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{}", withdrawn.text());
    assert_eq!(withdrawn.json()["topics"], serde_json::json!(["email"]));
    assert!(!withdrawn.text().contains("Robin"));

    organiser.pull_all(&app, &mut phone).await;
    let now = held(&phone, &robin);
    let email = now.consents[&ConsentTopic::Email];
    assert!(!email.given, "email consent is withdrawn on the phone");
    assert_eq!(email.method, ConsentMethod::Link);
    assert_eq!(email.at, app.clock.now());
    assert!(
        now.has_consent(ConsentTopic::Sms),
        "texts were not withdrawn"
    );
    assert!(
        now.has_consent(ConsentTopic::Phone),
        "calls were not withdrawn"
    );

    // Withdrawing again changes nothing, and is not audited twice.
    app.clock.advance(60_000);
    assert_eq!(
        withdraw(&app, &token, &["email"]).await.status,
        StatusCode::OK
    );
    organiser.pull_all(&app, &mut phone).await;
    assert_eq!(held(&phone, &robin).consents[&ConsentTopic::Email], email);

    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let audit = admin
        .get(&app, "/api/audit?action=consent.withdraw")
        .await
        .json();
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["subject"], robin.id.0.to_string());
    assert_eq!(entries[0]["actor"], serde_json::Value::Null);
    assert_eq!(entries[0]["detail"], "through a link: email");
    assert!(!audit.to_string().contains("Robin"));
    app.remove().await;
}

#[tokio::test]
async fn a_tampered_cut_or_expired_link_is_refused_and_withdraws_nothing() {
    let app = TestApp::new().await;
    let (organiser, _, robin) = robin_by(&app, "org@test.organise.invalid", "organiser").await;
    let token = link_for(&app, &organiser, &robin).await;

    // One character changed anywhere: the person's id, the expiry or the tag.
    for at in [3, 40, token.len() - 1] {
        let mut tampered = token.clone().into_bytes();
        tampered[at] = if tampered[at] == b'a' { b'b' } else { b'a' };
        let tampered = String::from_utf8(tampered).unwrap();
        let shown = app.get(&format!("/api/consent/{tampered}")).await;
        assert_eq!(shown.status, StatusCode::NOT_FOUND, "character {at}");
        assert!(shown.text().contains("does not work"), "{}", shown.text());
        assert_eq!(
            withdraw(&app, &tampered, &["email"]).await.status,
            StatusCode::NOT_FOUND
        );
    }
    let cut = &token[..token.len() - 2];
    assert_eq!(
        withdraw(&app, cut, &["email"]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        withdraw(&app, "made-up", &["email"]).await.status,
        StatusCode::NOT_FOUND
    );

    // Nothing chosen, or something a link cannot withdraw.
    let nothing = withdraw(&app, &token, &[]).await;
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    let story = withdraw(&app, &token, &["share_story"]).await;
    assert_eq!(story.status, StatusCode::BAD_REQUEST, "{}", story.text());

    // Past its expiry.
    app.clock
        .advance(organise_server::links::CONSENT_LINK_LIFETIME_MS);
    let expired = app.get(&format!("/api/consent/{token}")).await;
    assert_eq!(expired.status, StatusCode::GONE);
    assert!(expired.text().contains("expired"), "{}", expired.text());
    assert_eq!(
        withdraw(&app, &token, &["email"]).await.status,
        StatusCode::GONE
    );

    // The organiser's session has long expired too: an admin signed in now reads them.
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let mut fresh = replica(&admin);
    admin.pull_all(&app, &mut fresh).await;
    assert!(held(&fresh, &robin).has_consent(ConsentTopic::Email));
    app.remove().await;
}

#[tokio::test]
async fn only_someone_who_may_read_a_person_gets_a_link_for_them() {
    let app = TestApp::new().await;
    app.add_areas("London", "Synthetic North", &["North Ward"])
        .await;
    app.add_areas("London", "Synthetic South", &["South Ward"])
        .await;
    let north = app.area("North Ward").await;
    let organiser = app
        .user(
            "north@test.organise.invalid",
            "organiser",
            "Synthetic North",
        )
        .await;
    let elsewhere = app
        .user(
            "south@test.organise.invalid",
            "organiser",
            "Synthetic South",
        )
        .await;
    let mut phone = replica(&organiser);
    let robin = consenting(north, organiser.user);
    phone.create(&robin.to_record()).unwrap();
    organiser.push_all(&app, &mut phone).await;

    let refused = elsewhere
        .post(
            &app,
            &format!("/api/people/{}/consent-link", robin.id.0),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    let unsigned = app
        .post_json(
            &format!("/api/people/{}/consent-link", robin.id.0),
            &serde_json::json!({}),
        )
        .await;
    assert_eq!(unsigned.status, StatusCode::UNAUTHORIZED);
    app.remove().await;
}

#[tokio::test]
async fn an_export_carries_a_working_link_and_an_erased_person_has_nothing_left_to_withdraw() {
    let app = TestApp::new().await;
    let (admin, _, robin) = robin_by(&app, "admin@test.organise.invalid", "admin").await;

    let export = admin
        .get(&app, &format!("/api/people/{}/export", robin.id.0))
        .await
        .json();
    let path = export["withdraw_consent"]["path"].as_str().unwrap();
    let token = path.strip_prefix("/consent/").unwrap();
    assert_eq!(
        app.get(&format!("/api/consent/{token}")).await.status,
        StatusCode::OK
    );

    let erased = admin
        .post(
            &app,
            &format!("/api/people/{}/erase", robin.id.0),
            &serde_json::json!({"reason": "request"}),
        )
        .await;
    assert_eq!(erased.status, StatusCode::OK);
    // The same answer as for anyone: the link's holder learns nothing new, and nothing of
    // them comes back.
    let after = withdraw(&app, token, &["email", "contact"]).await;
    assert_eq!(after.status, StatusCode::OK, "{}", after.text());
    let mut fresh = replica(&admin);
    admin.pull_all(&app, &mut fresh).await;
    assert!(
        fresh
            .get(RecordKey {
                collection: Collection::Person,
                id: robin.id.0
            })
            .is_none()
    );
    let audit = admin
        .get(&app, "/api/audit?action=consent.withdraw")
        .await
        .json();
    assert_eq!(audit["entries"], serde_json::json!([]));
    app.remove().await;
}

#[tokio::test]
async fn links_tried_too_often_from_one_address_are_refused_for_a_while() {
    let app = TestApp::with_config(organise_server::Config {
        link_sources: SourceLimits {
            burst: 3,
            refill: std::time::Duration::from_secs(3600),
        },
        ..Default::default()
    })
    .await;
    for _ in 0..3 {
        assert_eq!(
            app.get("/api/consent/00").await.status,
            StatusCode::NOT_FOUND
        );
    }
    let limited = app.get("/api/consent/00").await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.header("retry-after").parse::<u64>().unwrap() > 0);
    let limited = withdraw(&app, "00", &["email"]).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    // Sign-in from the same address is not affected: the limits are separate.
    let (cookie, _) = app
        .sign_in(crate::support::ORGANISER, crate::support::PASSWORD)
        .await;
    assert!(!cookie.is_empty());
    app.remove().await;
}

#[tokio::test]
async fn a_withdrawal_stands_against_an_older_answer_a_phone_sends_later() {
    let app = TestApp::new().await;
    let (organiser, mut phone, robin) =
        robin_by(&app, "org@test.organise.invalid", "organiser").await;
    organiser.pull_all(&app, &mut phone).await;

    // Offline, a volunteer notes at the door (an hour ago) that Robin still wants texts.
    let field = ConsentTopic::Sms.field();
    let mut doorstep = robin.clone();
    doorstep.consents.insert(
        ConsentTopic::Sms,
        Consent {
            given: true,
            at: Timestamp(app.clock.now().0 - 3_600_000),
            method: ConsentMethod::Doorstep,
        },
    );
    let key = RecordKey {
        collection: Collection::Person,
        id: robin.id.0,
    };
    phone
        .set_field(key, field, doorstep.to_record().get(field).clone())
        .unwrap();

    // Meanwhile Robin withdraws texts through their link; then the phone gets signal.
    let token = link_for(&app, &organiser, &robin).await;
    assert_eq!(
        withdraw(&app, &token, &["sms"]).await.status,
        StatusCode::OK
    );
    organiser.push_all(&app, &mut phone).await;
    let rejected: Vec<_> = phone.rejected().collect();
    assert_eq!(rejected.len(), 1, "the older answer is refused");
    assert!(
        format!("{:?}", rejected[0].rejection).contains("Superseded"),
        "{:?}",
        rejected[0].rejection
    );
    organiser.pull_all(&app, &mut phone).await;
    assert!(
        !held(&phone, &robin).has_consent(ConsentTopic::Sms),
        "the withdrawal stands"
    );

    // A later answer at the door replaces it, as the person may change their mind.
    app.clock.advance(60_000);
    let mut later = robin.clone();
    later.consents.insert(
        ConsentTopic::Sms,
        Consent {
            given: true,
            at: app.clock.now(),
            method: ConsentMethod::Doorstep,
        },
    );
    phone
        .set_field(key, field, later.to_record().get(field).clone())
        .unwrap();
    organiser.push_all(&app, &mut phone).await;
    organiser.pull_all(&app, &mut phone).await;
    assert!(held(&phone, &robin).has_consent(ConsentTopic::Sms));
    app.remove().await;
}
