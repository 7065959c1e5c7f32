//! The typed records: conversion to and from the generic record, normalisation on the way,
//! and every problem reported with its field.

use crate::support::{self, ADMIN, VOLUNTEER, WARD_NORTH};
use organise_core::id::{MeetingId, PersonId, RecordId, Timestamp};
use organise_core::model::{
    Attendance, AttendanceStatus, Consent, ConsentMethod, ConsentTopic, Meeting, MeetingKind,
    MeetingStatus, Person,
};
use organise_core::record::Entity;
use organise_core::{Collection, FieldProblem, Problem, Record, Value};

fn problems(result: Result<impl Sized, Vec<FieldProblem>>) -> Vec<(String, Problem)> {
    result
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.field.to_string(), p.problem))
        .collect()
}

#[test]
fn a_person_round_trips_and_is_normalised_on_the_way() {
    let record = support::person(
        RecordId::from_u128(1),
        "  Siân   Test ",
        WARD_NORTH,
        VOLUNTEER,
    )
    .with("phone", "07700 900123")
    .with("postcode", "cf10 1ep")
    .with("email", "Sian@Example.ORG")
    .with(
        "skills",
        Value::Texts(["first aid ".to_owned(), "welsh".to_owned()].into()),
    );
    let person = Person::from_record(&record).expect("valid");
    assert_eq!(person.name, "Siân Test");
    assert_eq!(person.phone.as_deref(), Some("+447700900123"));
    assert_eq!(person.postcode.as_deref(), Some("CF10 1EP"));
    assert_eq!(person.email.as_deref(), Some("Sian@example.org"));
    assert!(person.skills.contains("first aid"));
    let again = Person::from_record(&person.to_record()).expect("still valid");
    assert_eq!(again, person);
    assert_eq!(
        Collection::Person.normalise(&record),
        Ok(person.to_record())
    );
}

#[test]
fn consent_is_kept_per_topic_with_when_and_how() {
    let mut person = Person::from_record(&support::person(
        RecordId::from_u128(1),
        "Jo Sample",
        WARD_NORTH,
        ADMIN,
    ))
    .unwrap();
    person.consents.insert(
        ConsentTopic::Sms,
        Consent {
            given: true,
            at: Timestamp(5),
            method: ConsentMethod::Doorstep,
        },
    );
    person.consents.insert(
        ConsentTopic::ShareStory,
        Consent {
            given: false,
            at: Timestamp(6),
            method: ConsentMethod::Form,
        },
    );
    let back = Person::from_record(&person.to_record()).unwrap();
    assert!(back.has_consent(ConsentTopic::Sms));
    assert!(!back.has_consent(ConsentTopic::ShareStory));
    assert!(!back.has_consent(ConsentTopic::Email));
    assert_eq!(back, person);
}

/// People stored before the ladder became moves held a fixed `stage`: they still read, and
/// the record written back no longer holds it.
#[test]
fn a_person_stored_with_a_stage_still_reads_and_drops_it() {
    let record = support::person(RecordId::from_u128(1), "Test Person", WARD_NORTH, ADMIN)
        .with("stage", "supporter");
    let person = Person::from_record(&record).expect("a legacy stage is read past");
    assert_eq!(person.name, "Test Person");
    assert!(matches!(person.to_record().get("stage"), Value::Null));
}

#[test]
fn every_problem_is_reported_with_its_field() {
    let record = support::person(RecordId::from_u128(1), "", WARD_NORTH, ADMIN)
        .with("phone", "not a phone")
        .with("postcode", "nowhere")
        .with("email", "nobody")
        .with("source", "celebrity")
        .with("shoe_size", 9)
        .with("consent_sms", Value::Map(Default::default()));
    assert_eq!(
        problems(Person::from_record(&record)),
        vec![
            (
                "consent_sms".into(),
                Problem::WrongType {
                    expected: "a consent: given, at and method".into()
                }
            ),
            (
                "source".into(),
                Problem::NotAChoice {
                    allowed: [
                        "doorstep",
                        "phone",
                        "meeting",
                        "online_form",
                        "referral",
                        "organisation",
                        "other"
                    ]
                    .map(String::from)
                    .to_vec()
                }
            ),
            ("shoe_size".into(), Problem::UnknownField),
        ],
        "reading reports type problems first, before values are looked at"
    );
    let record = support::person(RecordId::from_u128(1), "", WARD_NORTH, ADMIN)
        .with("phone", "not a phone")
        .with("postcode", "nowhere")
        .with("email", "nobody");
    assert_eq!(
        problems(Person::from_record(&record)),
        vec![
            ("name".into(), Problem::Empty),
            ("phone".into(), Problem::BadPhone),
            ("email".into(), Problem::BadEmail),
            ("postcode".into(), Problem::BadPostcode),
        ]
    );
}

#[test]
fn missing_fields_are_reported() {
    let record = Record::new(
        Collection::Meeting,
        RecordId::from_u128(2),
        WARD_NORTH,
        ADMIN,
    );
    let fields: Vec<String> = problems(Meeting::from_record(&record))
        .into_iter()
        .map(|(f, _)| f)
        .collect();
    assert_eq!(fields, ["kind", "title", "host", "place", "starts"]);
}

#[test]
fn meetings_check_times_and_capacity() {
    let meeting = Meeting {
        id: MeetingId::from_u128(2),
        area: WARD_NORTH,
        created_by: ADMIN,
        kind: MeetingKind::HouseMeeting,
        title: "Damp and mould".into(),
        host: VOLUNTEER,
        speaker: None,
        place: "14 Example Street".into(),
        starts: Timestamp(10),
        ends: Some(Timestamp(5)),
        capacity: Some(0),
        campaign: None,
        status: MeetingStatus::Approved,
        grew_from: None,
        from_conversation: None,
    };
    assert_eq!(
        problems(meeting.clone().normalised()),
        vec![
            (
                "ends".into(),
                Problem::NotAfter {
                    other: "starts".into()
                }
            ),
            (
                "capacity".into(),
                Problem::OutOfRange {
                    min: 1,
                    max: 100_000
                }
            ),
        ]
    );
    assert!(
        Meeting {
            ends: Some(Timestamp(20)),
            capacity: Some(12),
            ..meeting
        }
        .validate()
        .is_empty()
    );
}

#[test]
fn sign_in_time_belongs_to_attendance_only() {
    let attendance = Attendance {
        id: RecordId::from_u128(3).into(),
        area: WARD_NORTH,
        created_by: ADMIN,
        meeting: MeetingId::from_u128(2),
        person: Some(PersonId::from_u128(1)),
        status: AttendanceStatus::Rsvp,
        signed_in_at: Some(Timestamp(7)),
        anonymous: None,
        would_host: false,
        issues: Default::default(),
        matched: None,
        returning: None,
        consents: Default::default(),
    };
    assert_eq!(
        problems(attendance.clone().normalised()),
        vec![(
            "signed_in_at".into(),
            Problem::OnlyWhen {
                condition: "the status is attended".into()
            }
        )]
    );
    assert!(
        Attendance {
            status: AttendanceStatus::Attended,
            ..attendance
        }
        .validate()
        .is_empty()
    );
}

#[test]
fn collections_declare_their_sets_and_append_only_ones() {
    let sets: Vec<(Collection, &[&str])> = Collection::ALL
        .iter()
        .map(|&c| (c, c.set_fields()))
        .filter(|(_, f)| !f.is_empty())
        .collect();
    assert_eq!(
        sets,
        vec![
            (Collection::Person, &["skills", "tags", "not_same_as"][..]),
            (Collection::Conversation, &["issues", "interests"][..]),
            (Collection::Attendance, &["issues", "consents"][..]),
            (
                Collection::Campaign,
                &["issues", "people", "organisations", "meetings", "lists"][..]
            ),
            (Collection::List, &["members", "assignees"][..]),
            (Collection::OneToOne, &["issues"][..]),
        ]
    );
    let append_only: Vec<Collection> = Collection::ALL
        .into_iter()
        .filter(|c| c.is_append_only())
        .collect();
    assert_eq!(
        append_only,
        [
            Collection::Conversation,
            Collection::Story,
            Collection::Attendance,
            Collection::SurveyResponse,
            Collection::WeeklyTarget,
            Collection::LadderMove,
            Collection::Training,
        ]
    );
}

#[test]
fn the_wire_shape_of_a_record_is_stable() {
    let record = Record::new(
        Collection::Person,
        RecordId::from_u128(1),
        WARD_NORTH,
        ADMIN,
    )
    .with("name", "Jo Sample")
    .with("skills", Value::Texts(["driving".to_owned()].into()))
    .with("household", Value::Null);
    let json = serde_json::to_string(&record).unwrap();
    assert_eq!(
        json,
        r#"{"collection":"person","id":"00000000-0000-0000-0000-000000000001","area":"00000000-0000-0000-0000-0000000000a3","created_by":"00000000-0000-0000-0000-0000000000b0","fields":{"household":"null","name":{"text":"Jo Sample"},"skills":{"texts":["driving"]}}}"#
    );
    assert_eq!(serde_json::from_str::<Record>(&json).unwrap(), record);
}

#[test]
fn ids_are_uuid_v7_from_the_given_time_and_bytes() {
    let id = RecordId::new_v7(Timestamp(1_700_000_000_000), [7; 10]);
    assert_eq!(id.0.get_version_num(), 7);
    assert_eq!(
        id.0.get_timestamp().map(|t| t.to_unix().0),
        Some(1_700_000_000)
    );
    assert_eq!(
        id,
        RecordId::new_v7(Timestamp(1_700_000_000_000), [7; 10]),
        "the same inputs give the same id"
    );
    assert_ne!(id, RecordId::new_v7(Timestamp(1_700_000_000_000), [8; 10]));
}
