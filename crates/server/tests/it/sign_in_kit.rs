//! Sign-in kits: a meeting's host prepares, while online, to recognise people of the
//! meeting's area whom they cannot see. The kit holds first names, salted digests and the
//! server's tokens, and nothing else; a token lets that meeting's attendance name that person
//! and no other; the consents they tick are recorded on them without undoing a newer answer;
//! and the host is never handed the person.

use std::collections::BTreeSet;

use axum::http::StatusCode;
use organise_core::id::{AreaId, MeetingId, PersonId, Timestamp};
use organise_core::meetings::{Returning, SignInDraft, SignedIn, Turnout};
use organise_core::model::{
    Attendance, Consent, ConsentMethod, ConsentTopic, Meeting, MeetingStatus, Person, Source,
};
use organise_core::record::{Collection, Entity, Record, Value};
use organise_core::sign_in_kit::{
    DIGEST_HEX, KitPerson, SignInKit, Typed, digest_input, email_key, phone_key,
};
use organise_core::sync::replica::LocalRefusal;
use organise_core::sync::wire::{RecordKey, Rejection};
use organise_core::validate::{FieldProblem, Problem};
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::support::{Client, START, TestApp, replica};
use crate::ward::{
    DAY, MINUTE, STARTS, Ward, all_applied, attendances, everything, fresh, meeting_by, phone,
    send, ward,
};

fn kit_path(meeting: MeetingId) -> String {
    format!("/api/meetings/{}/sign-in-kit", meeting.0)
}

/// The kit `client` gets for `meeting`, and the raw body it came in.
async fn prepare(app: &TestApp, client: &Client, meeting: &Meeting) -> (SignInKit, String) {
    let response = client.post(app, &kit_path(meeting.id), &json!({})).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let kit = serde_json::from_slice(&response.body).expect("a sign-in kit");
    (kit, response.text())
}

/// The digest a device computes of what was typed, as the browser does: SHA-256, in hex, cut
/// to the kit's length.
fn digest(salt: &str, key: &str) -> String {
    let hash = Sha256::digest(digest_input(salt, key).as_bytes());
    let hex: String = hash.iter().map(|b| format!("{b:02x}")).collect();
    hex[..DIGEST_HEX].to_owned()
}

/// Someone the organisation knows, in `area`, met at the door by `by`.
fn known(
    name: &str,
    area: AreaId,
    by: &Client,
    phone: Option<&str>,
    email: Option<&str>,
) -> Person {
    let mut person = Person::new(PersonId(fresh()), area, by.user, name, Source::Doorstep);
    person.phone = phone.map(str::to_owned);
    person.email = email.map(str::to_owned);
    person
}

/// `client` adds `people`; every one must be stored.
async fn add(app: &TestApp, client: &Client, people: &[&Person]) {
    let mut theirs = phone(app, client).await;
    for person in people {
        theirs.create(&person.to_record()).unwrap();
    }
    all_applied(app, client, &mut theirs).await;
}

/// The ward's organiser sets `meeting`'s status.
async fn set_status(app: &TestApp, organiser: &Client, meeting: &Meeting, status: MeetingStatus) {
    let mut desk = phone(app, organiser).await;
    let key = RecordKey {
        collection: Collection::Meeting,
        id: meeting.id.0,
    };
    desk.set_field(key, "status", status.into()).unwrap();
    all_applied(app, organiser, &mut desk).await;
}

/// The volunteer's house meeting in Clissold, approved by the organiser.
async fn volunteers_meeting(ward: &Ward) -> Meeting {
    let meeting = meeting_by(&ward.app, &ward.volunteer, ward.clissold, "").await;
    assert_eq!(meeting.status, MeetingStatus::Proposed);
    set_status(
        &ward.app,
        &ward.organiser,
        &meeting,
        MeetingStatus::Approved,
    )
    .await;
    Meeting {
        status: MeetingStatus::Approved,
        ..meeting
    }
}

async fn erase(app: &TestApp, admin: &Client, person: PersonId) {
    let response = admin
        .post(
            app,
            &format!("/api/people/{}/erase", person.0),
            &json!({"reason": "request"}),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
}

/// The attendance `by`'s device writes, offline, for someone `kit` recognised by the phone
/// they typed, ticking `consents`, at `at`.
fn recognised_at_kiosk(
    kit: &SignInKit,
    meeting: &Meeting,
    by: &Client,
    typed_phone: &str,
    consents: &[ConsentTopic],
    at: Timestamp,
) -> Record {
    let draft = SignInDraft {
        name: "Ada".into(),
        phone: typed_phone.into(),
        consents: consents.iter().copied().collect(),
        ..SignInDraft::default()
    };
    let typed = Typed {
        phone: Some(digest(&kit.salt, &phone_key(typed_phone).unwrap())),
        email: None,
    };
    let found: Vec<&KitPerson> = kit.find(&typed);
    let [recognised] = found[..] else {
        panic!("the kit should know one person by that phone: {found:?}")
    };
    let (signed_in, steps) = draft
        .steps(
            meeting,
            Some(Returning::Recognised(recognised)),
            &Turnout::default(),
            by.user,
            at,
            fresh,
        )
        .unwrap();
    assert_eq!(signed_in, SignedIn::Welcomed(recognised.person));
    match steps.as_slice() {
        [organise_core::change::Step::Created(record)] => record.clone(),
        other => panic!("someone recognised is one attendance: {other:?}"),
    }
}

/// `attendance` as another sign-in, carrying `token`.
fn with_token(attendance: &Record, token: String) -> Record {
    let mut copy = attendance.clone();
    copy.id = fresh();
    copy.fields.insert("returning".into(), Value::Text(token));
    copy
}

fn unknown(field: &'static str) -> Rejection {
    Rejection::Invalid {
        problems: vec![FieldProblem::new(field, Problem::UnknownReference)],
    }
}

#[tokio::test]
async fn a_kit_holds_first_names_and_digests_of_its_areas_reachable_people_and_nothing_more() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        ..
    } = ward().await;
    let stoke_newington = app.area("Stoke Newington").await;
    let hackney_north = app.area("Hackney North").await;
    let ada = known(
        "Ada Lovelock",
        clissold,
        &organiser,
        Some("07700 900123"),
        None,
    );
    let bo = known(
        "Bo Quillfeather",
        clissold,
        &organiser,
        None,
        Some("Bo.Quillfeather@Example.invalid"),
    );
    let cy = known("Cy Unreachable", clissold, &organiser, None, None);
    let dee = known(
        "Dee Nextward",
        stoke_newington,
        &organiser,
        Some("07700 900456"),
        None,
    );
    let eve = known(
        "Eve Constituent",
        hackney_north,
        &organiser,
        None,
        Some("eve.constituent@example.invalid"),
    );
    let fay = known(
        "Fay Forgotten",
        clissold,
        &organiser,
        Some("07700 900789"),
        None,
    );
    add(&app, &organiser, &[&ada, &bo, &cy, &dee, &eve, &fay]).await;
    let welsh = app
        .user("cymru@test.organise.invalid", "organiser", "Wales")
        .await;
    let gwen = known(
        "Gwen Farwales",
        app.area("Wales").await,
        &welsh,
        Some("07700 900321"),
        None,
    );
    add(&app, &welsh, &[&gwen]).await;
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    erase(&app, &admin, fay.id).await;

    // The host's meeting in Clissold: Ada and Bo, who can be reached; not Cy, who cannot,
    // nor Fay, who was erased, nor anyone of another ward, the constituency or Wales.
    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (kit, body) = prepare(&app, &host, &meeting).await;
    assert_eq!(kit.meeting, meeting.id);
    assert_eq!(kit.prepared_at, app.clock.now());
    assert!(kit.complete);
    let mut held: Vec<(PersonId, &str)> = kit
        .people
        .iter()
        .map(|p| (p.person, p.first_name.as_str()))
        .collect();
    held.sort();
    let mut expected = vec![(ada.id, "Ada"), (bo.id, "Bo")];
    expected.sort();
    assert_eq!(held, expected);

    // A phone typed at the kiosk in another form, and an email in another case, digest to
    // what the kit holds, and find their person.
    let of = |person: PersonId| kit.people.iter().find(|p| p.person == person).unwrap();
    let typed_phone = digest(&kit.salt, &phone_key("+44 7700 900123").unwrap());
    assert_eq!(of(ada.id).phone.as_deref(), Some(typed_phone.as_str()));
    assert_eq!(of(ada.id).email, None);
    let typed_email = digest(
        &kit.salt,
        &email_key("bo.quillfeather@EXAMPLE.INVALID").unwrap(),
    );
    assert_eq!(of(bo.id).email.as_deref(), Some(typed_email.as_str()));
    assert_eq!(of(bo.id).phone, None);
    let found = kit.find(&Typed {
        phone: Some(typed_phone),
        email: None,
    });
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].person, ada.id);

    // The body holds those fields and nothing more: no phone, email or surname.
    let raw: serde_json::Value = serde_json::from_str(&body).unwrap();
    let keys = |value: &serde_json::Value| -> BTreeSet<String> {
        value.as_object().unwrap().keys().cloned().collect()
    };
    assert_eq!(
        keys(&raw),
        ["complete", "meeting", "people", "prepared_at", "salt"]
            .map(String::from)
            .into()
    );
    for person in raw["people"].as_array().unwrap() {
        let allowed: BTreeSet<String> = ["person", "token", "first_name", "phone", "email"]
            .map(String::from)
            .into();
        assert!(keys(person).is_subset(&allowed), "{person}");
    }
    let lower = body.to_lowercase();
    for secret in [
        "7700900123",
        "7700 900123",
        "quillfeather",
        "lovelock",
        "example.invalid",
        "unreachable",
        "nextward",
        "forgotten",
        "farwales",
    ] {
        assert!(!lower.contains(secret), "the kit holds {secret:?}: {body}");
    }

    // Another kit has another salt, so its digests cannot be joined with the first's.
    let (again, _) = prepare(&app, &host, &meeting).await;
    assert_ne!(again.salt, kit.salt);
    let ada_again = again.people.iter().find(|p| p.person == ada.id).unwrap();
    assert_ne!(ada_again.phone, of(ada.id).phone);

    // The constituency's meeting reaches its wards too, and still not Wales.
    let launch = meeting_by(&app, &organiser, hackney_north, "").await;
    let (wide, _) = prepare(&app, &organiser, &launch).await;
    let reached: BTreeSet<PersonId> = wide.people.iter().map(|p| p.person).collect();
    assert_eq!(reached, [ada.id, bo.id, dee.id, eve.id].into());

    // Each kit is audited: who, for which meeting, and how many people; nobody's name.
    let audit = admin
        .get(&app, "/api/audit?action=meeting.sign_in_kit")
        .await
        .json();
    let entries = audit["entries"].as_array().unwrap();
    let seen: Vec<(String, String, String)> = entries
        .iter()
        .map(|e| {
            (
                e["actor"].as_str().unwrap().to_owned(),
                e["subject"].as_str().unwrap().to_owned(),
                e["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let entry = |who: &Client, meeting: &Meeting, detail: &str| {
        (
            who.user.to_string(),
            meeting.id.0.to_string(),
            detail.to_owned(),
        )
    };
    assert_eq!(
        seen,
        [
            entry(&organiser, &launch, "people: 4"),
            entry(&host, &meeting, "people: 2"),
            entry(&host, &meeting, "people: 2"),
        ]
    );
    assert!(
        !audit.to_string().to_lowercase().contains("lovelock"),
        "{audit}"
    );
    app.remove().await;
}

#[tokio::test]
async fn only_an_approved_meetings_host_or_organiser_gets_its_kit() {
    let ward = ward().await;
    let Ward {
        app,
        clissold,
        organiser,
        host,
        volunteer,
        next_door,
    } = &ward;
    let proposal = meeting_by(app, volunteer, *clissold, "").await;
    let refused = volunteer
        .post(app, &kit_path(proposal.id), &json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());

    set_status(app, organiser, &proposal, MeetingStatus::Approved).await;
    prepare(app, volunteer, &proposal).await;
    prepare(app, organiser, &proposal).await;

    // Nobody else, even someone who sees the meeting, gets it or learns it exists.
    let other_volunteer = app
        .user("vol2@test.organise.invalid", "volunteer", "Clissold")
        .await;
    let organiser_next_door = app
        .user("org2@test.organise.invalid", "organiser", "Stoke Newington")
        .await;
    for (who, client) in [
        ("a host in the ward", host),
        ("another volunteer in the ward", &other_volunteer),
        ("a host next door", next_door),
        ("an organiser next door", &organiser_next_door),
    ] {
        let response = client.post(app, &kit_path(proposal.id), &json!({})).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{who}");
        assert!(!response.text().contains("salt"), "{who}");
    }
    let missing = organiser
        .post(app, &kit_path(MeetingId(fresh())), &json!({}))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let nobody = app.post_json(&kit_path(proposal.id), &json!({})).await;
    assert_eq!(nobody.status, StatusCode::UNAUTHORIZED);

    set_status(app, organiser, &proposal, MeetingStatus::Cancelled).await;
    let cancelled = organiser
        .post(app, &kit_path(proposal.id), &json!({}))
        .await;
    assert_eq!(cancelled.status, StatusCode::CONFLICT);

    // Only the two kits given were audited.
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let audit = admin
        .get(app, "/api/audit?action=meeting.sign_in_kit")
        .await
        .json();
    assert_eq!(audit["entries"].as_array().unwrap().len(), 2, "{audit}");
    ward.app.remove().await;
}

#[tokio::test]
async fn a_kits_token_names_someone_the_host_cannot_see_at_its_meeting_only_and_records_their_consents()
 {
    let ward = ward().await;
    let Ward {
        app,
        clissold,
        organiser,
        volunteer,
        ..
    } = &ward;
    // Ada agreed to emails at her door a month ago. The volunteer has never seen her record.
    let at_the_door = Consent {
        given: true,
        at: Timestamp(START.0 - 30 * DAY),
        method: ConsentMethod::Doorstep,
    };
    let mut ada = known(
        "Ada Lovelock",
        *clissold,
        organiser,
        Some("07700 900123"),
        Some("ada.lovelock@example.invalid"),
    );
    ada.consents.insert(ConsentTopic::Email, at_the_door);
    add(app, organiser, &[&ada]).await;
    let meeting = volunteers_meeting(&ward).await;
    let elsewhere = volunteers_meeting(&ward).await;
    let (kit, _) = prepare(app, volunteer, &meeting).await;
    let (other_kit, _) = prepare(app, volunteer, &elsewhere).await;
    let mut theirs = phone(app, volunteer).await;
    assert!(theirs.one::<Person>(ada.id.0).is_none());

    // On the night, offline, Ada types her phone, is recognised, and ticks every channel.
    let signed_in_at = Timestamp(STARTS.0 + 10 * MINUTE);
    let came = recognised_at_kiosk(
        &kit,
        &meeting,
        volunteer,
        "07700 900123",
        &[ConsentTopic::Phone, ConsentTopic::Sms, ConsentTopic::Email],
        signed_in_at,
    );
    theirs.create(&came).unwrap();
    // A token with a character changed, and Ada's token from the other meeting's kit, name
    // nobody.
    assert_eq!(kit.people.len(), 1, "only Ada lives in the ward");
    let mut forged = kit.people[0].token.clone().into_bytes();
    forged[40] = if forged[40] == b'a' { b'b' } else { b'a' };
    let forged = String::from_utf8(forged).unwrap();
    let cross = other_kit
        .people
        .iter()
        .find(|p| p.person == ada.id)
        .unwrap()
        .token
        .clone();
    assert_ne!(cross, kit.people[0].token);
    theirs.create(&with_token(&came, forged)).unwrap();
    theirs.create(&with_token(&came, cross)).unwrap();

    // The next day, before the volunteer's phone has signal, Ada tells the organiser she
    // wants no calls.
    app.clock.advance(STARTS.0 + DAY - app.clock.now().0);
    let no_calls = Consent {
        given: false,
        at: app.clock.now(),
        method: ConsentMethod::Phone,
    };
    let mut desk = phone(app, organiser).await;
    let ada_key = RecordKey {
        collection: Collection::Person,
        id: ada.id.0,
    };
    let mut refusing = ada.clone();
    refusing.consents.insert(ConsentTopic::Phone, no_calls);
    let field = ConsentTopic::Phone.field();
    desk.set_field(ada_key, field, refusing.to_record().get(field).clone())
        .unwrap();
    all_applied(app, organiser, &mut desk).await;

    // Then the phone pushes: Ada's sign-in applies, the other two are refused at `matched`.
    assert_eq!(
        send(app, volunteer, &mut theirs).await,
        [unknown("matched"), unknown("matched")]
    );

    // The volunteer holds her attendance and still not her.
    volunteer.pull_all(app, &mut theirs).await;
    assert!(theirs.one::<Person>(ada.id.0).is_none());
    let held = attendances(&theirs, &meeting);
    assert_eq!(held.len(), 1, "{held:?}");
    assert_eq!((held[0].person, held[0].matched), (None, Some(ada.id)));
    assert!(attendances(&theirs, &elsewhere).is_empty());
    let fresh_phone = everything(&phone(app, volunteer).await).to_lowercase();
    for text in ["lovelock", "7700900123", "example.invalid"] {
        assert!(!fresh_phone.contains(text), "the volunteer holds {text:?}");
    }

    // The organiser sees she came, and her consents: texts given at the meeting, when she
    // signed in; her emails as she gave them at the door; her later refusal of calls kept.
    organiser.pull_all(app, &mut desk).await;
    let now: Person = desk.one(ada.id.0).unwrap();
    assert_eq!(
        now.consents[&ConsentTopic::Sms],
        Consent {
            given: true,
            at: signed_in_at,
            method: ConsentMethod::Meeting,
        }
    );
    assert_eq!(now.consents[&ConsentTopic::Email], at_the_door);
    assert_eq!(now.consents[&ConsentTopic::Phone], no_calls);
    let turnout = Turnout::of(&meeting, &desk.all::<Attendance>(), app.clock.now());
    assert!(turnout.has_come(ada.id));
    assert_eq!(turnout.came, 1);
    ward.app.remove().await;
}

#[tokio::test]
async fn erasing_someone_a_kit_recognised_takes_their_attendance_with_them() {
    let ward = ward().await;
    let Ward {
        app,
        clissold,
        organiser,
        volunteer,
        ..
    } = &ward;
    let ada = known(
        "Ada Lovelock",
        *clissold,
        organiser,
        Some("07700 900123"),
        None,
    );
    add(app, organiser, &[&ada]).await;
    let meeting = volunteers_meeting(&ward).await;
    let (kit, _) = prepare(app, volunteer, &meeting).await;
    let mut theirs = phone(app, volunteer).await;
    let at = Timestamp(STARTS.0 + 5 * MINUTE);
    let came = recognised_at_kiosk(&kit, &meeting, volunteer, "07700 900123", &[], at);
    theirs.create(&came).unwrap();
    all_applied(app, volunteer, &mut theirs).await;
    assert_eq!(attendances(&phone(app, organiser).await, &meeting).len(), 1);

    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    erase(app, &admin, ada.id).await;
    for client in [organiser, volunteer] {
        assert!(attendances(&phone(app, client).await, &meeting).is_empty());
    }
    // The volunteer's phone, pulling, lets it go too and names her no more; nor does the
    // kit's token, on a phone that never heard of the erasure.
    volunteer.pull_all(app, &mut theirs).await;
    assert!(attendances(&theirs, &meeting).is_empty());
    let again = recognised_at_kiosk(&kit, &meeting, volunteer, "07700 900123", &[], at);
    assert_eq!(theirs.create(&again), Err(LocalRefusal::Erased));
    let mut unaware = replica(volunteer);
    unaware.create(&again).unwrap();
    assert_eq!(
        send(app, volunteer, &mut unaware).await,
        [Rejection::Erased]
    );
    ward.app.remove().await;
}
