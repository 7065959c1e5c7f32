//! The reference rule and the area tree's placement, one regression test per way the review
//! of cross-area access got through, each named after its finding and written as the crafted
//! push that did it. Every test also checks that the attacker ends up seeing nothing more.

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, HOST, ORGANISER, ORGANISER_2, OTHER_REGION, REGION,
    VOLUNTEER, WARD_NORTH, WARD_SOUTH,
};
use organise_core::id::{AreaId, RecordId, Timestamp, UserId};
use organise_core::model::{Role, Source};
use organise_core::permission::Denied;
use organise_core::record::{Choice, Entity};
use organise_core::sync::{
    ClientId, Mutation, Op, Outcome, ProtocolVersion, PushRequest, RecordKey, ReferenceServer,
    Rejection, Seq, Version, schema,
};
use organise_core::{Area, AreaKind, Collection, Element, Problem, Record, Value};
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// A person in the other region, which nobody in the constituency may see.
const STRANGER: RecordId = RecordId::from_u128(0x5742);
/// A person in the north ward, on the volunteer's list.
const NEIGHBOUR: RecordId = RecordId::from_u128(0x4E1);
/// The volunteer's list in the north ward.
const LIST: RecordId = RecordId::from_u128(0x1157);
/// A meeting in the north ward hosted by the host.
const MEETING: RecordId = RecordId::from_u128(0x3EE7);
/// A survey of the constituency.
const SURVEY: RecordId = RecordId::from_u128(0x5E7);

/// The organisation of the shared fixture, with a stranger in the other region and a
/// neighbour on the volunteer's list in the north ward.
fn world() -> ReferenceServer {
    let mut records = support::seed();
    records.push(
        support::person(STRANGER, "Sam Stranger", OTHER_REGION, ORGANISER_2)
            .with("phone", "+447700900999"),
    );
    records.push(support::person(
        NEIGHBOUR,
        "Nia Neighbour",
        WARD_NORTH,
        ADMIN,
    ));
    records.push(
        Record::new(Collection::List, LIST, WARD_NORTH, ORGANISER)
            .with("name", "North walk")
            .with("kind", "walk")
            .with("members", Value::Ids([NEIGHBOUR].into()))
            .with("assignees", Value::Ids([VOLUNTEER.0].into())),
    );
    records.push(meeting(MEETING, WARD_NORTH, HOST));
    records.push(
        Record::new(Collection::Survey, SURVEY, CONSTITUENCY, ORGANISER)
            .with("title", "Priorities")
            .with(
                "questions",
                Value::List(vec![Value::Map(
                    [
                        ("key".to_owned(), Value::Text("top".into())),
                        ("prompt".to_owned(), Value::Text("What matters?".into())),
                        (
                            "choices".to_owned(),
                            Value::List(vec![
                                Value::Text("Housing".into()),
                                Value::Text("Transport".into()),
                            ]),
                        ),
                    ]
                    .into(),
                )]),
            ),
    );
    ReferenceServer::seeded(records)
}

fn meeting(id: RecordId, area: AreaId, host: UserId) -> Record {
    Record::new(Collection::Meeting, id, area, host)
        .with("kind", "house_meeting")
        .with("title", "A synthetic house meeting")
        .with("host", host.0)
        .with("place", "A synthetic living room")
        .with("starts", Timestamp(1_767_225_600_000))
}

fn key(collection: Collection, id: RecordId) -> RecordKey {
    RecordKey { collection, id }
}

fn create(record: &Record) -> (RecordKey, Op) {
    (
        key(record.collection, record.id),
        Op::Create {
            area: record.area,
            fields: record.fields.clone(),
        },
    )
}

fn set(key: RecordKey, field: &'static str, value: Value) -> (RecordKey, Op) {
    (
        key,
        Op::SetField {
            field: field.into(),
            value,
            base_version: Version(u64::MAX >> 1),
        },
    )
}

fn add(key: RecordKey, field: &'static str, element: Element) -> (RecordKey, Op) {
    (
        key,
        Op::AddToSet {
            field: field.into(),
            element,
        },
    )
}

/// Pushes `ops` as `user` from a fresh client, as a crafted request would (no replica
/// checks them first), and returns each outcome.
fn push(server: &mut ReferenceServer, user: UserId, ops: Vec<(RecordKey, Op)>) -> Vec<Outcome> {
    // A client of its own per push, so no push replays another's seqs.
    static CLIENTS: AtomicU64 = AtomicU64::new(1);
    let client_id =
        ClientId::from_u128(0xC1 << 64 | u128::from(CLIENTS.fetch_add(1, Ordering::Relaxed)));
    let response = server
        .push(user, &support::crafted_push(client_id, ops))
        .expect("the batch is accepted as a whole");
    response.outcomes.into_iter().map(|o| o.outcome).collect()
}

/// What `user` may see now.
fn sees(server: &mut ReferenceServer, user: UserId) -> BTreeMap<RecordKey, Record> {
    server
        .visible_to(user)
        .0
        .into_iter()
        .map(|(key, record)| (key, record.to_record()))
        .collect()
}

fn unknown_reference(field: &str) -> Rejection {
    Rejection::Invalid {
        problems: vec![organise_core::FieldProblem::new(
            field,
            Problem::UnknownReference,
        )],
    }
}

/// The refusal of a record filed in another area than the record its `other` field names.
fn area_mismatch(other: &str) -> Rejection {
    Rejection::Invalid {
        problems: vec![organise_core::FieldProblem::new(
            "area",
            Problem::AreaMismatch {
                other: other.into(),
            },
        )],
    }
}

fn rejected(outcome: &Outcome) -> &Rejection {
    match outcome {
        Outcome::Rejected { rejection } => rejection,
        other => panic!("expected a rejection, got {other:?}"),
    }
}

fn stranger() -> RecordKey {
    key(Collection::Person, STRANGER)
}

#[test]
fn finding_1_an_organiser_cannot_put_a_person_from_another_region_on_a_list() {
    let mut server = world();
    let list = Record::new(
        Collection::List,
        RecordId::from_u128(0x1),
        WARD_NORTH,
        ORGANISER,
    )
    .with("name", "Crafted")
    .with("kind", "walk")
    .with("members", Value::Ids([STRANGER].into()))
    .with("assignees", Value::Ids([ORGANISER.0].into()));
    let outcomes = push(
        &mut server,
        ORGANISER,
        vec![
            create(&list),
            add(
                key(Collection::List, LIST),
                "members",
                Element::Id(STRANGER),
            ),
        ],
    );
    assert_eq!(rejected(&outcomes[0]), &unknown_reference("members"));
    assert_eq!(rejected(&outcomes[1]), &unknown_reference("members"));
    assert!(!sees(&mut server, ORGANISER).contains_key(&stranger()));
    assert!(!sees(&mut server, VOLUNTEER).contains_key(&stranger()));
}

#[test]
fn finding_1_an_organiser_cannot_reach_a_person_from_another_region_through_a_meeting() {
    let mut server = world();
    let own = meeting(RecordId::from_u128(0x2), WARD_NORTH, ORGANISER);
    let attendance = Record::new(
        Collection::Attendance,
        RecordId::from_u128(0x3),
        WARD_NORTH,
        ORGANISER,
    )
    .with("meeting", own.id)
    .with("person", STRANGER)
    .with("status", "invited");
    let outcomes = push(
        &mut server,
        ORGANISER,
        vec![
            create(&own),
            create(&attendance),
            set(
                key(Collection::Meeting, MEETING),
                "speaker",
                Value::Id(STRANGER),
            ),
        ],
    );
    assert!(matches!(outcomes[0], Outcome::Applied { .. }));
    assert_eq!(rejected(&outcomes[1]), &unknown_reference("person"));
    assert_eq!(rejected(&outcomes[2]), &unknown_reference("speaker"));
    assert!(!sees(&mut server, ORGANISER).contains_key(&stranger()));
    assert!(!sees(&mut server, HOST).contains_key(&stranger()));
}

#[test]
fn finding_1_an_organiser_who_makes_themselves_a_volunteer_still_cannot_edit_a_stranger() {
    let mut server = world();
    let role = support::role(ORGANISER, Role::Volunteer, WARD_NORTH);
    let outcomes = push(
        &mut server,
        ORGANISER,
        vec![
            create(&role),
            set(stranger(), "name", Value::Text("Changed Name".into())),
            set(stranger(), "phone", Value::Text("+447700900001".into())),
        ],
    );
    assert!(matches!(outcomes[0], Outcome::Applied { .. }));
    assert_eq!(rejected(&outcomes[1]), &Rejection::NotFound);
    assert_eq!(rejected(&outcomes[2]), &Rejection::NotFound);
    let held = sees(&mut server, ORGANISER_2);
    assert_eq!(
        held[&stranger()].get("name"),
        &Value::Text("Sam Stranger".into())
    );
}

#[test]
fn finding_1_no_reference_field_is_a_door_to_a_hidden_record() {
    // Every field that names a person, written by someone who may write the record, with a
    // person they may not see: each is refused exactly as a made-up id is.
    let made_up = RecordId::from_u128(0xDEAD);
    for target in [STRANGER, made_up] {
        let mut server = world();
        let n = |i: u128| RecordId::from_u128(0x100 + i);
        let link = Record::new(Collection::Link, n(1), WARD_NORTH, ORGANISER)
            .with("person", NEIGHBOUR)
            .with("other", target)
            .with("kind", "knows");
        let user = Record::new(Collection::User, VOLUNTEER.0, WARD_NORTH, ADMIN);
        let outcomes = push(
            &mut server,
            ORGANISER,
            vec![
                create(&link),
                set(key(user.collection, user.id), "person", Value::Id(target)),
            ],
        );
        assert_eq!(rejected(&outcomes[0]), &unknown_reference("other"));
        assert_eq!(rejected(&outcomes[1]), &unknown_reference("person"));
    }
}

#[test]
fn finding_2_an_area_admin_cannot_move_their_area_to_another_region() {
    let mut server = world();
    let admin = UserId::from_u128(0xAD);
    let records = [
        Record::new(Collection::User, admin.0, CONSTITUENCY, ADMIN)
            .with("name", "Con Admin")
            .with("email", "con.admin@example.org"),
        support::role(admin, Role::Admin, CONSTITUENCY),
    ];
    for record in &records {
        let outcomes = push(&mut server, ADMIN, vec![create(record)]);
        assert!(
            matches!(outcomes[0], Outcome::Applied { .. }),
            "{outcomes:?}"
        );
    }
    let constituency = key(Collection::Area, CONSTITUENCY.0);
    let outcomes = push(
        &mut server,
        admin,
        vec![set(constituency, "parent", Value::Id(OTHER_REGION.0))],
    );
    assert_eq!(
        rejected(&outcomes[0]),
        &Rejection::Unauthorised {
            reason: Denied::AdminOnly
        }
    );
    assert!(!sees(&mut server, ORGANISER_2).contains_key(&key(Collection::Person, NEIGHBOUR)));
}

#[test]
fn finding_2_no_area_can_be_put_under_a_made_up_parent_or_inside_itself() {
    let mut server = world();
    let constituency = key(Collection::Area, CONSTITUENCY.0);
    let outcomes = push(
        &mut server,
        ADMIN,
        vec![
            set(
                constituency,
                "parent",
                Value::Id(RecordId::from_u128(0xF00)),
            ),
            set(constituency, "parent", Value::Id(WARD_NORTH.0)),
            set(constituency, "parent", Value::Id(CONSTITUENCY.0)),
            set(constituency, "kind", Value::Text("ward".into())),
            set(
                key(Collection::Area, REGION.0),
                "kind",
                Value::Text("country".into()),
            ),
            (
                key(Collection::Area, WARD_SOUTH.0),
                Op::Delete {
                    base_version: Version(u64::MAX >> 1),
                },
            ),
        ],
    );
    let problem = |outcome: &Outcome| match rejected(outcome) {
        Rejection::Invalid { problems } => problems[0].problem.clone(),
        other => panic!("expected a problem, got {other:?}"),
    };
    assert_eq!(problem(&outcomes[0]), Problem::UnknownReference);
    assert_eq!(problem(&outcomes[1]), Problem::Cycle);
    assert_eq!(problem(&outcomes[2]), Problem::SelfReference);
    assert!(matches!(problem(&outcomes[3]), Problem::WrongParent { .. }));
    assert!(matches!(problem(&outcomes[4]), Problem::WrongParent { .. }));
    assert_eq!(
        rejected(&outcomes[5]),
        &Rejection::Unauthorised {
            reason: Denied::AreasAreKept
        }
    );
    // The country's admin still sees the whole constituency.
    let held = sees(&mut server, ADMIN);
    assert!(held.contains_key(&key(Collection::Person, NEIGHBOUR)));
    assert!(server.area_tree().is_within(WARD_NORTH, COUNTRY));
}

#[test]
fn finding_2_an_admin_over_both_parents_may_move_a_constituency() {
    let mut server = world();
    let outcomes = push(
        &mut server,
        ADMIN,
        vec![set(
            key(Collection::Area, CONSTITUENCY.0),
            "parent",
            Value::Id(OTHER_REGION.0),
        )],
    );
    assert!(
        matches!(outcomes[0], Outcome::Applied { .. }),
        "{outcomes:?}"
    );
    assert!(sees(&mut server, ORGANISER_2).contains_key(&key(Collection::Person, NEIGHBOUR)));
    // And a new ward goes only under a constituency its creator administers.
    let ward = Area {
        id: AreaId::from_u128(0xE5),
        created_by: ADMIN,
        name: "Exampleton East".into(),
        kind: AreaKind::Ward,
        parent: Some(REGION),
    }
    .to_record();
    let outcomes = push(&mut server, ADMIN, vec![create(&ward)]);
    assert!(matches!(
        rejected(&outcomes[0]),
        Rejection::Invalid { problems } if problems[0].problem == Problem::WrongParent { expected: "a constituency".into() }
    ));
}

fn conversation(id: u128, area: AreaId, by: UserId, person: RecordId) -> Record {
    Record::new(Collection::Conversation, RecordId::from_u128(id), area, by)
        .with("kind", "doorstep")
        .with("by", by.0)
        .with("person", person)
        .with("at", Timestamp(1_767_225_600_000))
        .with("outcome", organise_core::model::Outcome::ALL[0])
        .with("notes", "Synthetic notes")
}

#[test]
fn finding_3_a_volunteer_cannot_file_a_conversation_into_another_area() {
    let mut server = world();
    let outcomes = push(
        &mut server,
        VOLUNTEER,
        vec![
            create(&conversation(0x10, OTHER_REGION, VOLUNTEER, NEIGHBOUR)),
            create(&conversation(0x11, WARD_SOUTH, VOLUNTEER, NEIGHBOUR)),
            create(&conversation(0x12, WARD_NORTH, VOLUNTEER, NEIGHBOUR)),
        ],
    );
    let area_mismatch = area_mismatch("person");
    assert_eq!(rejected(&outcomes[0]), &area_mismatch);
    assert_eq!(rejected(&outcomes[1]), &area_mismatch);
    assert!(matches!(outcomes[2], Outcome::Applied { .. }));
    let foreign = sees(&mut server, ORGANISER_2);
    assert!(
        !foreign
            .keys()
            .any(|k| k.collection == Collection::Conversation)
    );
}

#[test]
fn finding_3_a_conversation_is_written_only_in_its_senders_name() {
    let mut server = world();
    let mut forged = conversation(0x20, WARD_NORTH, VOLUNTEER, NEIGHBOUR);
    forged.fields.insert("by".into(), Value::Id(ORGANISER.0));
    let outcomes = push(&mut server, VOLUNTEER, vec![create(&forged)]);
    assert!(matches!(
        rejected(&outcomes[0]),
        Rejection::Unauthorised {
            reason: Denied::NotTheAuthor
        } | Rejection::Invalid { .. }
    ));
    // An organiser, who may see the volunteer's user record, is refused for the same reason.
    let mut forged = conversation(0x21, WARD_NORTH, ORGANISER, NEIGHBOUR);
    forged.fields.insert("by".into(), Value::Id(VOLUNTEER.0));
    let outcomes = push(&mut server, ORGANISER, vec![create(&forged)]);
    assert_eq!(
        rejected(&outcomes[0]),
        &Rejection::Unauthorised {
            reason: Denied::NotTheAuthor
        }
    );
}

#[test]
fn finding_3_stories_answers_and_attendance_sit_where_their_person_or_meeting_is() {
    let mut server = world();
    let story = Record::new(
        Collection::Story,
        RecordId::from_u128(0x30),
        OTHER_REGION,
        VOLUNTEER,
    )
    .with("person", NEIGHBOUR)
    .with("text", "A synthetic story")
    .with("consent", "private");
    let answer = Record::new(
        Collection::SurveyResponse,
        RecordId::from_u128(0x31),
        OTHER_REGION,
        VOLUNTEER,
    )
    .with("survey", SURVEY)
    .with("person", NEIGHBOUR)
    .with("at", Timestamp(1_767_225_600_000))
    .with(
        "answers",
        Value::Map([("top".to_owned(), Value::Text("Housing".into()))].into()),
    );
    let attendance = Record::new(
        Collection::Attendance,
        RecordId::from_u128(0x32),
        OTHER_REGION,
        HOST,
    )
    .with("meeting", MEETING)
    .with("person", NEIGHBOUR)
    .with("status", "invited");
    let outcomes = push(
        &mut server,
        VOLUNTEER,
        vec![create(&story), create(&answer)],
    );
    for outcome in &outcomes {
        assert!(
            matches!(rejected(outcome), Rejection::Invalid { problems } if problems[0].field.as_str() == "area"),
            "{outcome:?}"
        );
    }
    let outcomes = push(&mut server, ADMIN, vec![create(&attendance)]);
    assert_eq!(rejected(&outcomes[0]), &area_mismatch("meeting"));
}

#[test]
fn finding_6_a_set_stops_growing_at_its_stated_size_and_can_always_shrink() {
    let mut server = world();
    let neighbour = key(Collection::Person, NEIGHBOUR);
    let tags: Vec<(RecordKey, Op)> = (0..=organise_core::record::MAX_SET_LEN)
        .map(|n| add(neighbour, "tags", Element::Text(format!("tag {n}"))))
        .collect();
    let outcomes = push(&mut server, ORGANISER, tags);
    let (last, first) = outcomes.split_last().unwrap();
    assert!(first.iter().all(|o| matches!(o, Outcome::Applied { .. })));
    assert_eq!(
        rejected(last),
        &Rejection::Invalid {
            problems: vec![organise_core::FieldProblem::new(
                "tags",
                Problem::TooMany { max: 100 }
            )]
        }
    );
    let person = Record::new(
        Collection::Person,
        RecordId::from_u128(0x40),
        WARD_NORTH,
        ORGANISER,
    )
    .with("name", "Tam Tags")
    .with("source", Source::Doorstep)
    .with(
        "tags",
        Value::Texts((0..101).map(|n| format!("tag {n}")).collect()),
    );
    let outcomes = push(&mut server, ORGANISER, vec![create(&person)]);
    assert!(matches!(rejected(&outcomes[0]), Rejection::Invalid { .. }));
}

#[test]
fn finding_10_a_create_that_would_be_refused_does_not_say_whether_its_id_is_in_use() {
    let mut server = world();
    // The volunteer may not create people in the other region: the answer for the
    // stranger's id is the answer for a fresh one.
    let as_stranger = support::person(STRANGER, "Pat Probe", OTHER_REGION, VOLUNTEER);
    let fresh = support::person(
        RecordId::from_u128(0xF4E54),
        "Pat Probe",
        OTHER_REGION,
        VOLUNTEER,
    );
    let outcomes = push(
        &mut server,
        VOLUNTEER,
        vec![create(&as_stranger), create(&fresh)],
    );
    assert_eq!(rejected(&outcomes[0]), rejected(&outcomes[1]));
    assert_ne!(rejected(&outcomes[0]), &Rejection::IdTaken);
}

#[test]
fn a_volunteer_still_records_everything_a_door_needs() {
    // The rule refuses crafted pushes, not the doorstep: a conversation, a story, a survey
    // answer and a new person met at the door, all from the volunteer's list.
    let mut server = world();
    let story = Record::new(
        Collection::Story,
        RecordId::from_u128(0x50),
        WARD_NORTH,
        VOLUNTEER,
    )
    .with("person", NEIGHBOUR)
    .with("text", "A synthetic story")
    .with("consent", "private");
    let newcomer = support::person(
        RecordId::from_u128(0x51),
        "Ned Newcomer",
        WARD_NORTH,
        VOLUNTEER,
    );
    let mut talk = conversation(0x52, WARD_NORTH, VOLUNTEER, newcomer.id);
    talk.fields.insert("list".into(), Value::Id(LIST));
    let outcomes = push(
        &mut server,
        VOLUNTEER,
        vec![
            create(&conversation(0x53, WARD_NORTH, VOLUNTEER, NEIGHBOUR)),
            create(&story),
            create(&newcomer),
            create(&talk),
        ],
    );
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Applied { .. })),
        "{outcomes:?}"
    );
}

#[test]
fn finding_1_giving_a_list_or_a_meeting_to_someone_needs_sight_of_everyone_it_reaches() {
    // The country's admin moves the neighbour to the other region; the list and an
    // attendance at the host's meeting still name them. The constituency's organiser, who
    // can no longer see them, may not hand either to anyone, themselves included.
    let mut server = world();
    let attendance = Record::new(
        Collection::Attendance,
        RecordId::from_u128(0x60),
        WARD_NORTH,
        ADMIN,
    )
    .with("meeting", MEETING)
    .with("person", NEIGHBOUR)
    .with("status", "invited");
    let outcomes = push(
        &mut server,
        ADMIN,
        vec![
            create(&attendance),
            set(
                key(Collection::Person, NEIGHBOUR),
                "area",
                Value::Id(OTHER_REGION.0),
            ),
        ],
    );
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Applied { .. })),
        "{outcomes:?}"
    );
    let outcomes = push(
        &mut server,
        ORGANISER,
        vec![
            add(
                key(Collection::List, LIST),
                "assignees",
                Element::Id(ORGANISER.0),
            ),
            set(
                key(Collection::Meeting, MEETING),
                "host",
                Value::Id(ORGANISER.0),
            ),
        ],
    );
    assert_eq!(rejected(&outcomes[0]), &unknown_reference("members"));
    assert_eq!(rejected(&outcomes[1]), &unknown_reference("host"));
    assert!(!sees(&mut server, ORGANISER).contains_key(&key(Collection::Person, NEIGHBOUR)));
}

#[test]
fn finding_10_a_client_that_never_acknowledges_keeps_a_bounded_log() {
    use organise_core::sync::server::{MAX_KEPT_OUTCOMES, ServerStore};
    let mut server = world();
    let client_id = ClientId::from_u128(0xACC);
    let mut seq = 0;
    for _ in 0..3 {
        let mutations: Vec<Mutation> = (0..500)
            .map(|_| {
                seq += 1;
                Mutation {
                    client_id,
                    seq: Seq(seq),
                    schema_version: schema::CURRENT,
                    collection: Collection::Person,
                    record_id: RecordId::from_u128(0x9000 + u128::from(seq)),
                    op: Op::Void,
                }
            })
            .collect();
        let request = PushRequest {
            protocol: ProtocolVersion::CURRENT,
            client_id,
            acknowledged: Seq(0),
            mutations,
        };
        server.push(VOLUNTEER, &request).unwrap();
    }
    let Ok(log) = server.store.client_log(client_id);
    let log = log.expect("the client is known");
    assert_eq!(log.last_seq, Seq(1500));
    assert_eq!(log.outcomes.len(), MAX_KEPT_OUTCOMES);
    assert_eq!(log.outcomes.keys().next(), Some(&Seq(501)));
}

#[test]
fn a_sign_in_kits_token_names_whom_it_recognised_for_its_meeting_only_and_hands_them_nothing() {
    let mut server = world();
    let other_meeting = RecordId::from_u128(0x3EE8);
    let outcomes = push(
        &mut server,
        HOST,
        vec![create(&meeting(other_meeting, WARD_NORTH, HOST))],
    );
    assert!(matches!(outcomes[..], [Outcome::Applied { .. }]));
    // The server made this token for the stranger at MEETING, and for nothing else.
    server.store.vouches.insert((
        "kit-token".into(),
        organise_core::id::MeetingId(MEETING),
        organise_core::id::PersonId(STRANGER),
    ));
    let came = |n: u128, meeting: RecordId, token: &str| {
        Record::new(
            Collection::Attendance,
            RecordId::from_u128(0xA7_000 + n),
            WARD_NORTH,
            HOST,
        )
        .with("meeting", meeting)
        .with("matched", STRANGER)
        .with("returning", token)
        .with("status", "attended")
        .with("signed_in_at", Timestamp(1_767_225_700_000))
        .with("consents", Value::Texts(["email".to_owned()].into()))
    };
    let outcomes = push(
        &mut server,
        HOST,
        vec![
            create(&came(1, MEETING, "forged-token")),
            create(&came(2, other_meeting, "kit-token")),
            create(&came(3, MEETING, "kit-token")),
            // The same person signed in again on a second device.
            create(&came(4, MEETING, "kit-token")),
        ],
    );
    assert_eq!(rejected(&outcomes[0]), &unknown_reference("matched"));
    assert_eq!(rejected(&outcomes[1]), &unknown_reference("matched"));
    assert!(
        matches!(
            outcomes[2..],
            [Outcome::Applied { .. }, Outcome::Applied { .. }]
        ),
        "{outcomes:?}"
    );

    // The host holds the attendances but is handed nobody: `matched` is not `person`.
    let host_sees = sees(&mut server, HOST);
    let attendance = key(Collection::Attendance, RecordId::from_u128(0xA7_003));
    assert!(host_sees.contains_key(&attendance));
    assert!(!host_sees.contains_key(&stranger()));
    // The organiser who looks after the stranger sees the attendance is about them, and it
    // goes with them when they are erased.
    assert!(sees(&mut server, ORGANISER_2).contains_key(&stranger()));
    server
        .erase(ADMIN, organise_core::id::PersonId(STRANGER))
        .unwrap();
    assert!(!sees(&mut server, ADMIN).contains_key(&attendance));
}

/// A one-to-one about `person` in `area`, by the constituency's organiser.
fn one_to_one(id: u128, area: AreaId, person: RecordId) -> Record {
    Record::new(
        Collection::OneToOne,
        RecordId::from_u128(id),
        area,
        ORGANISER,
    )
    .with("person", person)
    .with("held_on", "2026-01-01")
    .with("recorded_at", Timestamp(1_767_225_600_000))
    .with("kind", "introduction")
}

#[test]
fn a_one_to_one_names_no_person_issue_story_or_organisation_its_organiser_cannot_see() {
    let mut server = world();
    // The other region's organiser keeps an issue, an organisation and the stranger's story.
    let issue = Record::new(
        Collection::Issue,
        RecordId::from_u128(0x70),
        OTHER_REGION,
        ORGANISER_2,
    )
    .with("name", "Synthetic southern rents");
    let organisation = Record::new(
        Collection::Organisation,
        RecordId::from_u128(0x71),
        OTHER_REGION,
        ORGANISER_2,
    )
    .with("name", "Synthetic Southern Tenants")
    .with("kind", "tenants_association")
    .with("relationship", "not_contacted");
    let story = Record::new(
        Collection::Story,
        RecordId::from_u128(0x72),
        OTHER_REGION,
        ORGANISER_2,
    )
    .with("person", STRANGER)
    .with("text", "A synthetic story")
    .with("consent", "private");
    let outcomes = push(
        &mut server,
        ORGANISER_2,
        vec![create(&issue), create(&organisation), create(&story)],
    );
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Applied { .. })),
        "{outcomes:?}"
    );

    let own = one_to_one(0x80, WARD_NORTH, NEIGHBOUR);
    let own_key = key(Collection::OneToOne, own.id);
    let outcomes = push(
        &mut server,
        ORGANISER,
        vec![
            create(&one_to_one(0x81, WARD_NORTH, STRANGER)),
            create(
                &one_to_one(0x82, WARD_NORTH, NEIGHBOUR)
                    .with("issues", Value::Ids([issue.id].into())),
            ),
            create(&one_to_one(0x83, WARD_NORTH, NEIGHBOUR).with("story", story.id)),
            create(&one_to_one(0x84, WARD_NORTH, NEIGHBOUR).with("organisation", organisation.id)),
            create(&one_to_one(0x85, WARD_SOUTH, NEIGHBOUR)),
            create(&own),
            add(own_key, "issues", Element::Id(issue.id)),
            set(own_key, "story", Value::Id(story.id)),
            set(own_key, "organisation", Value::Id(organisation.id)),
            set(own_key, "person", Value::Id(STRANGER)),
        ],
    );
    assert_eq!(rejected(&outcomes[0]), &unknown_reference("person"));
    assert_eq!(rejected(&outcomes[1]), &unknown_reference("issues"));
    assert_eq!(rejected(&outcomes[2]), &unknown_reference("story"));
    assert_eq!(rejected(&outcomes[3]), &unknown_reference("organisation"));
    assert_eq!(rejected(&outcomes[4]), &area_mismatch("person"));
    assert!(
        matches!(outcomes[5], Outcome::Applied { .. }),
        "{outcomes:?}"
    );
    assert_eq!(rejected(&outcomes[6]), &unknown_reference("issues"));
    assert_eq!(rejected(&outcomes[7]), &unknown_reference("story"));
    assert_eq!(rejected(&outcomes[8]), &unknown_reference("organisation"));
    assert_eq!(rejected(&outcomes[9]), &unknown_reference("person"));
    let held = sees(&mut server, ORGANISER);
    // Their own is as they made it: nothing foreign was written into it.
    assert_eq!(
        held[&own_key],
        Collection::OneToOne.normalise(&own).unwrap()
    );
    for hidden in [stranger(), key(Collection::Story, story.id)] {
        assert!(!held.contains_key(&hidden));
    }

    // The volunteer whose list holds the neighbour may neither make one nor see this one,
    // and nor may the other region's organiser.
    let by_volunteer = Record {
        created_by: VOLUNTEER,
        ..one_to_one(0x86, WARD_NORTH, NEIGHBOUR)
    };
    let outcomes = push(&mut server, VOLUNTEER, vec![create(&by_volunteer)]);
    assert_eq!(
        rejected(&outcomes[0]),
        &Rejection::Unauthorised {
            reason: Denied::OrganiserOnly
        }
    );
    let volunteer = sees(&mut server, VOLUNTEER);
    assert!(volunteer.contains_key(&key(Collection::Person, NEIGHBOUR)));
    assert!(!volunteer.contains_key(&own_key));
    assert!(!sees(&mut server, ORGANISER_2).contains_key(&own_key));
}

#[test]
fn a_weekly_target_names_only_an_organiser_its_setter_sees_and_sits_in_their_home_area() {
    let mut server = world();
    let target = |id: u128, area: AreaId, organiser: UserId| {
        Record::new(
            Collection::WeeklyTarget,
            RecordId::from_u128(id),
            area,
            ADMIN,
        )
        .with("organiser", organiser.0)
        .with("per_week", 12)
        .with("from", "2026-03-30")
    };
    // The constituency's organiser cannot see the other region's, nor set their target.
    let outcomes = push(
        &mut server,
        ORGANISER,
        vec![
            create(&target(0x90, CONSTITUENCY, ORGANISER_2)),
            create(&target(0x91, CONSTITUENCY, ORGANISER)),
        ],
    );
    assert_eq!(rejected(&outcomes[0]), &unknown_reference("organiser"));
    assert_eq!(
        rejected(&outcomes[1]),
        &Rejection::Unauthorised {
            reason: Denied::AdminOnly
        }
    );
    // The admin sets Olu's, in Olu's home area only.
    let outcomes = push(
        &mut server,
        ADMIN,
        vec![
            create(&target(0x92, WARD_NORTH, ORGANISER)),
            create(&target(0x93, CONSTITUENCY, ORGANISER)),
        ],
    );
    assert_eq!(rejected(&outcomes[0]), &area_mismatch("organiser"));
    assert!(
        matches!(outcomes[1], Outcome::Applied { .. }),
        "{outcomes:?}"
    );
    let set = key(Collection::WeeklyTarget, RecordId::from_u128(0x93));
    assert!(sees(&mut server, ORGANISER).contains_key(&set));
    assert!(!sees(&mut server, ORGANISER_2).contains_key(&set));
    assert!(!sees(&mut server, VOLUNTEER).contains_key(&set));
}
