//! A meeting's public links: a host shares a reply link and shows a sign-in link on the night,
//! and people reply and sign in on their own phones without an account. What they send is
//! checked before anything is stored, lands with the host at their next pull, is written once
//! per person, and the answers say nothing about anyone else or whether they were known.
//! Forged, altered, expired, cross-purpose and cross-meeting tokens do nothing.

use axum::http::{Method, Request, StatusCode};
use organise_core::id::{IssueId, MeetingId, PersonId};
use organise_core::meetings::{SignInDraft, SignedIn, Turnout};
use organise_core::model::{
    Anonymous, Attendance, AttendanceStatus, Consent, ConsentMethod, ConsentTopic, Meeting,
    MeetingStatus, Person, Source,
};
use organise_core::record::{Choice, Collection, Entity, Record};
use organise_core::sync::wire::RecordKey;
use organise_server::throttle::SourceLimits;
use serde_json::{Value, json};

use crate::support::{Client, TestApp, TestResponse};
use crate::ward::{
    ENDS, HOUR, MINUTE, STARTS, Ward, all_applied, attendances, everything, fresh, meeting_by,
    phone, ward, ward_with,
};

fn links_path(meeting: &Meeting) -> String {
    format!("/api/meetings/{}/links", meeting.id.0)
}

/// The reply and sign-in tokens `client` gets for `meeting`.
async fn tokens(app: &TestApp, client: &Client, meeting: &Meeting) -> (String, String) {
    let response = client.post(app, &links_path(meeting), &json!({})).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let links = response.json();
    assert_eq!(links["rsvp_expires"], json!(STARTS.0));
    assert_eq!(links["sign_in_expires"], json!(ENDS.0 + 2 * HOUR));
    let rsvp = links["rsvp"].as_str().unwrap().strip_prefix("/rsvp/");
    let sign_in = links["sign_in"]
        .as_str()
        .unwrap()
        .strip_prefix("/sign-in-at/");
    (
        rsvp.expect("a reply page").to_owned(),
        sign_in.expect("a sign-in page").to_owned(),
    )
}

fn reply_form(name: &str, phone: &str, email: &str, consents: &[&str]) -> Value {
    json!({
        "name": name,
        "phone": phone,
        "email": email,
        "postcode": "",
        "consents": consents,
    })
}

fn sign_in_form(name: &str, phone: &str, email: &str, consents: &[&str]) -> Value {
    json!({
        "name": name,
        "phone": phone,
        "email": email,
        "postcode": "",
        "consents": consents,
        "would_host": false,
        "issues": [],
        "under_16": false,
    })
}

async fn reply(app: &TestApp, token: &str, form: &Value) -> TestResponse {
    app.post_json(&format!("/api/rsvp/{token}"), form).await
}

async fn sign_in(app: &TestApp, token: &str, form: &Value) -> TestResponse {
    app.post_json(&format!("/api/sign-in-at/{token}"), form)
        .await
}

/// The answer's JSON, which must be exactly `expected`: nothing more about anyone.
fn answered(response: &TestResponse, expected: Value) {
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    assert_eq!(response.json(), expected);
}

#[tokio::test]
async fn a_reply_becomes_someone_the_host_pulls_and_a_second_one_adds_nothing() {
    let Ward {
        app,
        clissold,
        host,
        ..
    } = ward().await;
    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (token, _) = tokens(&app, &host, &meeting).await;

    // The page shows the meeting and nothing about who hosts it or is coming.
    let page = app.get(&format!("/api/rsvp/{token}")).await;
    answered(
        &page,
        json!({
            "title": "Synthetic house meeting about repairs",
            "kind": "house_meeting",
            "starts": STARTS.0,
            "ends": ENDS.0,
            "place": "A synthetic front room",
            "full": false,
        }),
    );

    let first = reply(
        &app,
        &token,
        &reply_form("Ada Synthetic", "", "ada@example.invalid", &["email"]),
    )
    .await;
    answered(&first, json!({"status": "rsvp"}));

    let mut theirs = phone(&app, &host).await;
    let people: Vec<Person> = theirs.all();
    assert_eq!(people.len(), 1, "{people:?}");
    let ada = &people[0];
    assert_eq!(ada.name, "Ada Synthetic");
    assert_eq!(ada.source, Source::OnlineForm);
    assert_eq!(ada.created_by, host.user);
    assert_eq!(ada.area, clissold);
    assert_eq!(
        ada.consents[&ConsentTopic::Email],
        Consent {
            given: true,
            at: app.clock.now(),
            method: ConsentMethod::Form,
        }
    );
    let replied = attendances(&theirs, &meeting);
    assert_eq!(replied.len(), 1);
    assert_eq!(replied[0].person, Some(ada.id));
    assert_eq!(replied[0].status, AttendanceStatus::Rsvp);
    assert_eq!(replied[0].created_by, host.user);

    // The same person again, typed in other cases: the same answer, and nothing new.
    app.clock.advance(MINUTE);
    let again = reply(
        &app,
        &token,
        &reply_form("ADA synthetic", "", "Ada@EXAMPLE.invalid", &["email"]),
    )
    .await;
    assert_eq!(again.body, first.body);
    host.pull_all(&app, &mut theirs).await;
    assert_eq!(theirs.all::<Person>(), people);
    assert_eq!(attendances(&theirs, &meeting), replied);

    // Audited once, with the meeting and nothing about Ada.
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let audit = admin
        .get(&app, "/api/audit?action=meeting.rsvp")
        .await
        .json();
    let entries = audit["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!(entries[0]["subject"], json!(meeting.id.0));
    assert_eq!(entries[0]["actor"], Value::Null);
    assert_eq!(entries[0]["detail"], "through its link: rsvp");
    // Her surname: "ada" alone is three hex digits, and turns up in ids by chance.
    assert!(
        !audit.to_string().to_lowercase().contains("synthetic"),
        "{audit}"
    );
    app.remove().await;
}

#[tokio::test]
async fn a_shared_family_email_under_another_name_is_a_second_person() {
    let Ward {
        app,
        clissold,
        host,
        ..
    } = ward().await;
    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (token, _) = tokens(&app, &host, &meeting).await;
    for name in ["Ada Synthetic", "Bo Synthetic"] {
        answered(
            &reply(
                &app,
                &token,
                &reply_form(name, "", "family@example.invalid", &[]),
            )
            .await,
            json!({"status": "rsvp"}),
        );
    }
    let theirs = phone(&app, &host).await;
    let mut names: Vec<String> = theirs.all::<Person>().into_iter().map(|p| p.name).collect();
    names.sort();
    assert_eq!(names, ["Ada Synthetic", "Bo Synthetic"]);
    assert_eq!(attendances(&theirs, &meeting).len(), 2);
    app.remove().await;
}

#[tokio::test]
async fn a_reply_never_hands_a_host_someone_they_could_not_see() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        ..
    } = ward().await;
    // The organiser met Ada at her door; the host has never seen her record.
    let mut desk = phone(&app, &organiser).await;
    let mut met = Person::new(
        PersonId(fresh()),
        clissold,
        organiser.user,
        "Ada Synthetic",
        Source::Doorstep,
    );
    met.email = Some("ada@example.invalid".into());
    desk.create(&met.to_record()).unwrap();
    all_applied(&app, &organiser, &mut desk).await;

    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (token, _) = tokens(&app, &host, &meeting).await;
    answered(
        &reply(
            &app,
            &token,
            &reply_form(
                "Ada Synthetic",
                "07700 900123",
                "ada@example.invalid",
                &["sms"],
            ),
        )
        .await,
        json!({"status": "rsvp"}),
    );

    // The host gets whom the form described, as someone new; not the organiser's record.
    let theirs = phone(&app, &host).await;
    let people: Vec<Person> = theirs.all();
    assert_eq!(people.len(), 1, "{people:?}");
    assert_ne!(people[0].id, met.id);
    assert_eq!(people[0].phone.as_deref(), Some("+447700900123"));
    assert!(theirs.one::<Person>(met.id.0).is_none());
    // The organiser's Ada is as she was, and the organiser now sees both.
    organiser.pull_all(&app, &mut desk).await;
    assert_eq!(
        desk.one::<Person>(met.id.0),
        Some(met.normalised().unwrap())
    );
    assert_eq!(desk.all::<Person>().len(), 2);
    app.remove().await;
}

#[tokio::test]
async fn a_reply_beyond_capacity_waits_and_the_page_says_only_that_it_is_full() {
    let Ward {
        app,
        clissold,
        host,
        ..
    } = ward().await;
    let meeting = meeting_by(&app, &host, clissold, "2").await;
    let (token, _) = tokens(&app, &host, &meeting).await;
    let people = [
        ("Ada Synthetic", "ada@example.invalid", "rsvp"),
        ("Bo Synthetic", "bo@example.invalid", "rsvp"),
        ("Cy Synthetic", "cy@example.invalid", "waiting"),
    ];
    for (name, email, status) in people {
        answered(
            &reply(&app, &token, &reply_form(name, "", email, &[])).await,
            json!({ "status": status }),
        );
    }
    let page = app.get(&format!("/api/rsvp/{token}")).await;
    assert_eq!(page.json()["full"], json!(true));
    for (name, email, _) in people {
        assert!(!page.text().contains(name) && !page.text().contains(email));
    }
    // Ada replying again still has her place.
    answered(
        &reply(
            &app,
            &token,
            &reply_form("Ada Synthetic", "", "ada@example.invalid", &[]),
        )
        .await,
        json!({"status": "rsvp"}),
    );

    let theirs = phone(&app, &host).await;
    let mut statuses: Vec<AttendanceStatus> = attendances(&theirs, &meeting)
        .into_iter()
        .map(|a| a.status)
        .collect();
    statuses.sort_by_key(|s| s.as_str());
    assert_eq!(
        statuses,
        [
            AttendanceStatus::Rsvp,
            AttendanceStatus::Rsvp,
            AttendanceStatus::Waiting
        ]
    );
    app.remove().await;
}

#[tokio::test]
async fn bad_malformed_and_oversized_forms_are_refused_and_store_nothing() {
    let Ward {
        app,
        clissold,
        host,
        ..
    } = ward().await;
    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (rsvp, sign_in_token) = tokens(&app, &host, &meeting).await;
    let fields = |response: &TestResponse| -> Vec<String> {
        assert_eq!(
            response.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            response.text()
        );
        response.json()["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["field"].as_str().unwrap().to_owned())
            .collect()
    };

    for (page, token) in [("rsvp", &rsvp), ("sign-in-at", &sign_in_token)] {
        let path = format!("/api/{page}/{token}");
        let form = |name: &str, phone: &str, email: &str, consents: &[&str]| {
            if page == "rsvp" {
                reply_form(name, phone, email, consents)
            } else {
                sign_in_form(name, phone, email, consents)
            }
        };
        let post = |form: Value| {
            let path = path.clone();
            let app = &app;
            async move { app.post_json(&path, &form).await }
        };
        // No way to reach them (with a consent, at sign-in: without one, they are counted).
        let neither = post(form("Ada Synthetic", " ", "", &["sms"])).await;
        assert_eq!(fields(&neither), ["phone", "email"], "{page}");
        // A consent without its detail.
        let email_consent = post(form("Ada Synthetic", "07700 900123", "", &["email"])).await;
        assert_eq!(fields(&email_consent), ["email"], "{page}");
        // Only the channels.
        let story = post(form(
            "Ada Synthetic",
            "",
            "ada@example.invalid",
            &["share_story"],
        ))
        .await;
        assert_eq!(fields(&story), ["consents"], "{page}");
        // Every field wrong at once, each named.
        let mut wrong = form("Ada 5ynthetic", "call me", "ada@", &["email"]);
        wrong["postcode"] = json!("not a postcode");
        let wrong = post(wrong).await;
        assert_eq!(
            fields(&wrong),
            ["name", "phone", "email", "postcode"],
            "{page}"
        );
        assert!(!wrong.text().contains("5ynthetic"), "{}", wrong.text());

        // Not a form at all.
        for body in ["{not json", "[]", r#"{"name": "Ada Synthetic"}"#] {
            let response = app
                .send(
                    Request::builder()
                        .method(Method::POST)
                        .uri(&path)
                        .header("content-type", "application/json")
                        .body(axum::body::Body::from(body))
                        .unwrap(),
                )
                .await;
            assert_eq!(response.status, StatusCode::BAD_REQUEST, "{page}: {body}");
        }
        let mut unknown = form("Ada Synthetic", "", "ada@example.invalid", &[]);
        unknown["host"] = json!("someone");
        assert_eq!(post(unknown).await.status, StatusCode::BAD_REQUEST);
        // Larger than any form a person fills in.
        let huge = form(&"a".repeat(9 * 1024), "", "ada@example.invalid", &[]);
        let refused = post(huge).await;
        assert_eq!(refused.status, StatusCode::PAYLOAD_TOO_LARGE, "{page}");
        assert_eq!(
            refused.json()["error"],
            json!("the request is too large"),
            "a sentence, not axum's own text"
        );
    }

    // Issues the page did not offer.
    let mut issue = sign_in_form("Ada Synthetic", "", "ada@example.invalid", &["email"]);
    issue["issues"] = json!([fresh()]);
    assert_eq!(
        fields(&sign_in(&app, &sign_in_token, &issue).await),
        ["issues"]
    );

    let theirs = phone(&app, &host).await;
    assert!(theirs.all::<Person>().is_empty());
    assert!(attendances(&theirs, &meeting).is_empty());
    app.remove().await;
}

/// `token` with the character at `at` changed.
fn changed(token: &str, at: usize) -> String {
    let mut bytes = token.as_bytes().to_vec();
    bytes[at] = if bytes[at] == b'a' { b'b' } else { b'a' };
    String::from_utf8(bytes).unwrap()
}

#[tokio::test]
async fn forged_altered_expired_and_cross_purpose_tokens_do_nothing() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        ..
    } = ward().await;
    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (rsvp, sign_in_token) = tokens(&app, &host, &meeting).await;
    let ada = reply_form("Ada Synthetic", "", "ada@example.invalid", &["email"]);
    let ada_signing_in = sign_in_form("Ada Synthetic", "", "ada@example.invalid", &["email"]);

    // One character changed anywhere (the purpose, the meeting, the expiry, the tag), cut
    // short, or made up.
    let mut forged: Vec<String> = [0, 1, 5, 40, 60, rsvp.len() - 1]
        .into_iter()
        .map(|at| changed(&rsvp, at))
        .collect();
    forged.extend([rsvp[..rsvp.len() - 2].to_owned(), "made-up".into()]);
    for token in &forged {
        let shown = app.get(&format!("/api/rsvp/{token}")).await;
        assert_eq!(shown.status, StatusCode::NOT_FOUND, "{token}");
        assert!(shown.text().contains("does not work"), "{}", shown.text());
        assert_eq!(reply(&app, token, &ada).await.status, StatusCode::NOT_FOUND);
    }
    for at in [3, 50, sign_in_token.len() - 1] {
        let token = changed(&sign_in_token, at);
        assert_eq!(
            sign_in(&app, &token, &ada_signing_in).await.status,
            StatusCode::NOT_FOUND
        );
    }

    // A reply token is no sign-in token, and the other way about; nor is a consent link.
    let cross = [
        app.get(&format!("/api/sign-in-at/{rsvp}")).await,
        sign_in(&app, &rsvp, &ada_signing_in).await,
        app.get(&format!("/api/rsvp/{sign_in_token}")).await,
        reply(&app, &sign_in_token, &ada).await,
    ];
    for response in &cross {
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{}",
            response.text()
        );
    }
    let theirs = phone(&app, &host).await;
    assert!(
        theirs.all::<Person>().is_empty() && attendances(&theirs, &meeting).is_empty(),
        "nothing came of a forged or misused token"
    );

    // A cancelled meeting's links are gone, though not yet expired.
    let other = meeting_by(&app, &organiser, clissold, "").await;
    let (other_rsvp, _) = tokens(&app, &organiser, &other).await;
    assert_eq!(
        app.get(&format!("/api/rsvp/{other_rsvp}")).await.status,
        StatusCode::OK
    );
    let mut desk = phone(&app, &organiser).await;
    desk.set_field(
        RecordKey {
            collection: Collection::Meeting,
            id: other.id.0,
        },
        "status",
        MeetingStatus::Cancelled.into(),
    )
    .unwrap();
    all_applied(&app, &organiser, &mut desk).await;
    let gone = app.get(&format!("/api/rsvp/{other_rsvp}")).await;
    assert_eq!(gone.status, StatusCode::GONE);
    assert!(gone.text().contains("cancelled"), "{}", gone.text());
    let bo = reply_form("Bo Synthetic", "", "bo@example.invalid", &[]);
    assert_eq!(reply(&app, &other_rsvp, &bo).await.status, StatusCode::GONE);

    // A consent link, made for someone, opens no meeting.
    answered(&reply(&app, &rsvp, &ada).await, json!({"status": "rsvp"}));
    let ada_id = phone(&app, &host).await.all::<Person>()[0].id;
    let consent = host
        .post(
            &app,
            &format!("/api/people/{}/consent-link", ada_id.0),
            &json!({}),
        )
        .await
        .json();
    let consent = consent["path"].as_str().unwrap().strip_prefix("/consent/");
    let consent = consent.unwrap();
    assert_eq!(
        app.get(&format!("/api/rsvp/{consent}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(&format!("/api/sign-in-at/{consent}")).await.status,
        StatusCode::NOT_FOUND
    );

    // Once the meeting starts, replies close and sign-in opens.
    app.clock.advance(STARTS.0 - app.clock.now().0);
    let closed = app.get(&format!("/api/rsvp/{rsvp}")).await;
    assert_eq!(closed.status, StatusCode::GONE);
    assert!(closed.text().contains("closed"), "{}", closed.text());
    assert_eq!(reply(&app, &rsvp, &bo).await.status, StatusCode::GONE);
    assert_eq!(
        app.get(&format!("/api/sign-in-at/{sign_in_token}"))
            .await
            .status,
        StatusCode::OK
    );

    // Two hours after its end, sign-in closes too.
    app.clock.advance(ENDS.0 + 2 * HOUR - app.clock.now().0 - 1);
    assert_eq!(
        app.get(&format!("/api/sign-in-at/{sign_in_token}"))
            .await
            .status,
        StatusCode::OK
    );
    app.clock.advance(1);
    let closed = sign_in(&app, &sign_in_token, &ada_signing_in).await;
    assert_eq!(closed.status, StatusCode::GONE, "{}", closed.text());
    assert!(closed.text().contains("closed"), "{}", closed.text());

    // Nothing came of any of it but Ada's one reply.
    let theirs = phone(&app, &host).await;
    assert_eq!(theirs.all::<Person>().len(), 1);
    assert_eq!(attendances(&theirs, &meeting).len(), 1);

    app.remove().await;
}

#[tokio::test]
async fn a_token_for_one_meeting_never_writes_to_another() {
    let Ward {
        app,
        clissold,
        host,
        ..
    } = ward().await;
    let ours = meeting_by(&app, &host, clissold, "").await;
    let theirs_too = meeting_by(&app, &host, clissold, "").await;
    let (rsvp, sign_in_token) = tokens(&app, &host, &ours).await;

    // The other meeting's id written into the token breaks its tag.
    let other_id = theirs_too.id.0.0.simple().to_string();
    for token in [&rsvp, &sign_in_token] {
        let moved = format!("{}{other_id}{}", &token[..2], &token[34..]);
        assert_eq!(moved.len(), token.len());
        assert_ne!(&moved, token);
        assert_eq!(
            app.get(&format!("/api/rsvp/{moved}")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            reply(
                &app,
                &moved,
                &reply_form("Ada Synthetic", "", "ada@example.invalid", &[])
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            sign_in(
                &app,
                &moved,
                &sign_in_form("Ada Synthetic", "", "ada@example.invalid", &["email"])
            )
            .await
            .status,
            StatusCode::NOT_FOUND
        );
    }

    // Used as made, each writes to its own meeting only.
    answered(
        &reply(
            &app,
            &rsvp,
            &reply_form("Ada Synthetic", "", "ada@example.invalid", &[]),
        )
        .await,
        json!({"status": "rsvp"}),
    );
    answered(
        &sign_in(
            &app,
            &sign_in_token,
            &sign_in_form("Bo Synthetic", "", "bo@example.invalid", &["email"]),
        )
        .await,
        json!({"counted_only": false}),
    );
    let phone = phone(&app, &host).await;
    assert_eq!(attendances(&phone, &ours).len(), 2);
    assert!(attendances(&phone, &theirs_too).is_empty());
    app.remove().await;
}

#[tokio::test]
async fn only_an_approved_meetings_host_or_organiser_gets_its_links() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        volunteer,
        next_door,
    } = ward().await;
    // A volunteer's meeting is a proposal: no links yet, even for them.
    let proposal = meeting_by(&app, &volunteer, clissold, "").await;
    assert_eq!(proposal.status, MeetingStatus::Proposed);
    let refused = volunteer
        .post(&app, &links_path(&proposal), &json!({}))
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.text());
    assert_eq!(
        refused.json()["error"],
        "this meeting is not approved yet, so it has no links"
    );

    // Approved, its host and the area's organiser get them; nobody else, even someone
    // who sees the meeting.
    let mut desk = phone(&app, &organiser).await;
    desk.set_field(
        RecordKey {
            collection: Collection::Meeting,
            id: proposal.id.0,
        },
        "status",
        MeetingStatus::Approved.into(),
    )
    .unwrap();
    all_applied(&app, &organiser, &mut desk).await;
    let (rsvp, _) = tokens(&app, &volunteer, &proposal).await;
    assert_eq!(
        app.get(&format!("/api/rsvp/{rsvp}")).await.status,
        StatusCode::OK
    );
    tokens(&app, &organiser, &proposal).await;
    let host_sees_it = phone(&app, &host).await;
    assert!(
        host_sees_it.one::<Meeting>(proposal.id.0).is_some(),
        "a host in the ward sees the meeting"
    );
    for (who, client) in [
        ("a host in the ward", &host),
        ("a host next door", &next_door),
    ] {
        let response = client.post(&app, &links_path(&proposal), &json!({})).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{who}");
    }
    let nobody = app
        .post_json(&links_path(&proposal), &json!({}))
        .await
        .status;
    assert_eq!(nobody, StatusCode::UNAUTHORIZED);
    let missing = MeetingId(fresh());
    let response = organiser
        .post(
            &app,
            &format!("/api/meetings/{}/links", missing.0),
            &json!({}),
        )
        .await;
    assert_eq!(response.status, StatusCode::NOT_FOUND);

    // Cancelled, it has none again.
    desk.set_field(
        RecordKey {
            collection: Collection::Meeting,
            id: proposal.id.0,
        },
        "status",
        MeetingStatus::Cancelled.into(),
    )
    .unwrap();
    all_applied(&app, &organiser, &mut desk).await;
    let cancelled = organiser
        .post(&app, &links_path(&proposal), &json!({}))
        .await;
    assert_eq!(cancelled.status, StatusCode::CONFLICT);
    app.remove().await;
}

#[tokio::test]
async fn meeting_links_used_too_often_from_one_address_are_refused_for_a_while() {
    let Ward {
        app,
        clissold,
        host,
        ..
    } = ward_with(organise_server::Config {
        meeting_link_sources: SourceLimits {
            burst: 3,
            refill: std::time::Duration::from_secs(3600),
        },
        ..Default::default()
    })
    .await;
    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (rsvp, sign_in_token) = tokens(&app, &host, &meeting).await;
    for _ in 0..3 {
        assert_eq!(
            app.get(&format!("/api/rsvp/{rsvp}")).await.status,
            StatusCode::OK
        );
    }
    let limited = [
        app.get(&format!("/api/rsvp/{rsvp}")).await,
        reply(
            &app,
            &rsvp,
            &reply_form("Ada Synthetic", "", "ada@example.invalid", &[]),
        )
        .await,
        app.get(&format!("/api/sign-in-at/{sign_in_token}")).await,
        sign_in(
            &app,
            &sign_in_token,
            &sign_in_form("Ada Synthetic", "", "ada@example.invalid", &["email"]),
        )
        .await,
    ];
    for response in &limited {
        assert_eq!(response.status, StatusCode::TOO_MANY_REQUESTS);
        assert!(response.header("retry-after").parse::<u64>().unwrap() > 0);
    }
    assert!(phone(&app, &host).await.all::<Person>().is_empty());
    // Consent links from the same address are not affected: the limits are separate.
    assert_eq!(
        app.get("/api/consent/00").await.status,
        StatusCode::NOT_FOUND
    );
    app.remove().await;
}

/// An issue called `name` in the area called `area`, made by `client`.
async fn issue(app: &TestApp, client: &Client, area: &str, name: &str) -> IssueId {
    let mut theirs = phone(app, client).await;
    let record = Record::new(
        Collection::Issue,
        fresh(),
        app.area(area).await,
        client.user,
    )
    .with("name", name);
    theirs.create(&record).unwrap();
    all_applied(app, client, &mut theirs).await;
    IssueId(record.id)
}

#[tokio::test]
async fn someone_under_16_or_without_consent_is_counted_with_nothing_they_typed_kept() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        ..
    } = ward().await;
    let rents = issue(&app, &organiser, "Hackney North", "Synthetic rents").await;
    let welsh = app
        .user("cymru@test.organise.invalid", "organiser", "Wales")
        .await;
    let buses = issue(&app, &welsh, "Wales", "Synthetic Welsh buses").await;
    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (_, token) = tokens(&app, &host, &meeting).await;
    app.clock
        .advance(STARTS.0 + 10 * MINUTE - app.clock.now().0);

    // The page offers the constituency's issue, not Wales's, and nothing about who came.
    let page = app.get(&format!("/api/sign-in-at/{token}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text());
    assert_eq!(
        page.json()["issues"],
        json!([{ "id": rents, "name": "Synthetic rents" }])
    );
    assert_eq!(page.json()["meeting"]["full"], json!(false));

    let typed = |under_16: bool, consents: &[&str], issues: &[IssueId]| {
        json!({
            "name": "Kit Synthetic",
            "phone": "07700 900456",
            "email": "kit@example.invalid",
            "postcode": "ZZ99 9ZZ",
            "consents": consents,
            "would_host": true,
            "issues": issues,
            "under_16": under_16,
        })
    };
    answered(
        &sign_in(&app, &token, &typed(true, &["email", "sms"], &[rents])).await,
        json!({"counted_only": true}),
    );
    answered(
        &sign_in(&app, &token, &typed(false, &[], &[rents])).await,
        json!({"counted_only": true}),
    );
    let not_offered = sign_in(&app, &token, &typed(false, &[], &[buses])).await;
    assert_eq!(not_offered.status, StatusCode::UNPROCESSABLE_ENTITY);

    for (client, who) in [(&host, "host"), (&organiser, "organiser")] {
        let theirs = phone(&app, client).await;
        assert!(theirs.all::<Person>().is_empty(), "{who}");
        let mut came = attendances(&theirs, &meeting);
        came.sort_by_key(|a| a.anonymous.map(|k| k.as_str()));
        let counted: Vec<(Option<Anonymous>, Vec<IssueId>, bool)> = came
            .iter()
            .map(|a| {
                assert_eq!(a.person, None);
                assert_eq!(a.status, AttendanceStatus::Attended);
                (
                    a.anonymous,
                    a.issues.iter().copied().collect(),
                    a.would_host,
                )
            })
            .collect();
        assert_eq!(
            counted,
            [
                (Some(Anonymous::NoConsent), vec![rents], false),
                (Some(Anonymous::UnderSixteen), vec![], false),
            ],
            "{who}"
        );
        let held = everything(&theirs).to_lowercase();
        for text in ["kit", "900456", "example.invalid", "zz99"] {
            assert!(!held.contains(text), "{who}'s phone holds {text:?}");
        }
    }
    let admin = app
        .user("admin@test.organise.invalid", "admin", "London")
        .await;
    let audit = admin
        .get(&app, "/api/audit?action=meeting.sign_in")
        .await
        .json();
    let details: Vec<&str> = audit["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap())
        .collect();
    assert_eq!(
        details,
        [
            "through its link: counted: no consent",
            "through its link: counted: under 16"
        ]
    );
    assert!(!audit.to_string().to_lowercase().contains("kit"));
    app.remove().await;
}

#[tokio::test]
async fn someone_signed_in_at_the_kiosk_or_who_replied_is_signed_in_once() {
    let Ward {
        app,
        clissold,
        organiser,
        host,
        ..
    } = ward().await;
    let rents = issue(&app, &organiser, "Hackney North", "Synthetic rents").await;
    let meeting = meeting_by(&app, &host, clissold, "").await;
    let (rsvp, token) = tokens(&app, &host, &meeting).await;
    answered(
        &reply(
            &app,
            &rsvp,
            &reply_form("Ada Synthetic", "", "ada@example.invalid", &["email"]),
        )
        .await,
        json!({"status": "rsvp"}),
    );
    app.clock.advance(STARTS.0 + 5 * MINUTE - app.clock.now().0);

    // At the kiosk, the host signs Rowan in.
    let mut theirs = phone(&app, &host).await;
    let rowan = SignInDraft {
        name: "Rowan Example".into(),
        phone: "07700 900123".into(),
        consents: [ConsentTopic::Sms].into(),
        ..SignInDraft::default()
    };
    let turnout = Turnout::of(&meeting, &theirs.all::<Attendance>(), app.clock.now());
    let (signed_in, steps) = rowan
        .steps(&meeting, None, &turnout, host.user, app.clock.now(), fresh)
        .unwrap();
    let SignedIn::New(rowan_id) = signed_in else {
        panic!("{signed_in:?}")
    };
    organise_core::change::make(&steps, &mut theirs).unwrap();
    all_applied(&app, &host, &mut theirs).await;

    // Rowan then signs in on their own phone too, their number typed another way: the same
    // answer as anyone's, and nothing new.
    let again = sign_in_form("rowan EXAMPLE", "+44 7700 900123", "", &["sms"]);
    answered(
        &sign_in(&app, &token, &again).await,
        json!({"counted_only": false}),
    );
    // Ada, who replied, signs in: she is signed in as herself, with what matters to her.
    let mut ada = sign_in_form("Ada Synthetic", "", "ADA@example.invalid", &["email"]);
    ada["issues"] = json!([rents]);
    ada["would_host"] = json!(true);
    answered(
        &sign_in(&app, &token, &ada).await,
        json!({"counted_only": false}),
    );
    // And once more, by mistake: nothing new.
    answered(
        &sign_in(&app, &token, &ada).await,
        json!({"counted_only": false}),
    );

    host.pull_all(&app, &mut theirs).await;
    let people: Vec<Person> = theirs.all();
    assert_eq!(people.len(), 2, "{people:?}");
    let ada_id: PersonId = people.iter().find(|p| p.id != rowan_id).unwrap().id;
    let turnout = Turnout::of(&meeting, &attendances(&theirs, &meeting), app.clock.now());
    assert_eq!(turnout.came, 2);
    assert_eq!(turnout.walk_ins, 1, "Rowan walked in; Ada replied first");
    assert!(turnout.has_come(rowan_id) && turnout.has_come(ada_id));
    assert_eq!(turnout.would_host, 1);
    assert_eq!(turnout.issues.get(&rents), Some(&1));
    assert_eq!(
        attendances(&theirs, &meeting).len(),
        3,
        "Rowan's at the kiosk, Ada's reply and her sign-in"
    );
    app.remove().await;
}
