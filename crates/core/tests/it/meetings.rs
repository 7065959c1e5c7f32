//! Meetings: who may make, approve and change one, what a new meeting's form makes, who came
//! (counted once each), and what a sign-in at the kiosk writes.

use std::collections::BTreeSet;

use crate::support::{self, HOST, ORGANISER, VOLUNTEER, WARD_NORTH, WARD_SOUTH};
use organise_core::change::Step;
use organise_core::id::{AttendanceId, IssueId, MeetingId, PersonId, RecordId, Timestamp};
use organise_core::meetings::{
    self, MeetingDraft, Returning, SignInDraft, SignedIn, Turnout, invite_steps,
};
use organise_core::model::{
    Anonymous, Attendance, AttendanceStatus, ConsentMethod, ConsentTopic, Meeting, MeetingKind,
    MeetingStatus, Person, Role, Source,
};
use organise_core::permission::{Actor, Denied, Permissions};
use organise_core::record::Entity;
use organise_core::session::{RoleInArea, SessionUser};
use organise_core::sign_in_kit::KitPerson;
use organise_core::sync::{ClientId, Mutation, Op, Seq, Version, schema};
use organise_core::{AreaTree, Collection, Problem, Record, Value};

const START: Timestamp = Timestamp(1_767_639_600_000);
const HOUR: i64 = 3_600_000;

fn tree() -> AreaTree {
    AreaTree::new(&support::areas())
}

fn user(id: organise_core::id::UserId, role: Role) -> SessionUser {
    SessionUser {
        id,
        email: "someone@example.invalid".into(),
        display_name: "Synthetic User".into(),
        roles: vec![RoleInArea {
            role,
            area: WARD_NORTH,
        }],
    }
}

fn draft() -> MeetingDraft {
    MeetingDraft {
        kind: MeetingKind::HouseMeeting,
        title: "  Damp in the flats  ".into(),
        place: "14 Example Street".into(),
        starts: Some(START),
        ends: Some(Timestamp(START.0 + 2 * HOUR)),
        capacity: "12".into(),
        area: Some(WARD_NORTH),
        campaign: None,
        grew_from: None,
    }
}

fn meeting_by(host: organise_core::id::UserId, status: MeetingStatus) -> Meeting {
    Meeting {
        id: MeetingId::from_u128(0x3E),
        area: WARD_NORTH,
        created_by: host,
        kind: MeetingKind::HouseMeeting,
        title: "Damp in the flats".into(),
        host,
        speaker: None,
        place: "14 Example Street".into(),
        starts: START,
        ends: Some(Timestamp(START.0 + 2 * HOUR)),
        capacity: None,
        campaign: None,
        status,
        grew_from: None,
        from_conversation: None,
    }
}

fn problems<T>(result: Result<T, Vec<organise_core::FieldProblem>>) -> Vec<(String, Problem)> {
    result
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.field.as_str().to_owned(), p.problem))
        .collect()
}

#[test]
fn an_organisers_meeting_is_approved_a_volunteers_proposed_and_a_trusted_hosts_approved() {
    let tree = tree();
    let id = MeetingId::from_u128(7);
    let made = |role, who| draft().meeting(id, &user(who, role), &tree).unwrap();
    let organisers = made(Role::Organiser, ORGANISER);
    assert_eq!(organisers.status, MeetingStatus::Approved);
    assert_eq!(organisers.title, "Damp in the flats");
    assert_eq!(organisers.host, ORGANISER);
    assert_eq!(organisers.capacity, Some(12));
    assert_eq!(
        made(Role::Volunteer, VOLUNTEER).status,
        MeetingStatus::Proposed
    );
    assert_eq!(made(Role::Host, HOST).status, MeetingStatus::Approved);
    // Nobody makes one where they hold no role.
    let elsewhere = MeetingDraft {
        area: Some(WARD_SOUTH),
        ..draft()
    };
    assert_eq!(
        problems(elsewhere.meeting(id, &user(VOLUNTEER, Role::Volunteer), &tree)),
        [("area".to_owned(), Problem::UnknownReference)]
    );
}

#[test]
fn a_new_meetings_form_names_every_problem_by_its_field() {
    let tree = tree();
    let blank = MeetingDraft {
        title: " ".into(),
        place: String::new(),
        starts: None,
        ends: Some(START),
        capacity: "a dozen".into(),
        area: None,
        ..draft()
    };
    let found = problems(blank.meeting(
        MeetingId::from_u128(7),
        &user(ORGANISER, Role::Organiser),
        &tree,
    ));
    let fields: Vec<&str> = found.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(fields, ["area", "starts", "capacity", "title", "place"]);
    let backwards = MeetingDraft {
        ends: Some(Timestamp(START.0 - HOUR)),
        capacity: "0".into(),
        ..draft()
    };
    let found = problems(backwards.meeting(
        MeetingId::from_u128(7),
        &user(ORGANISER, Role::Organiser),
        &tree,
    ));
    assert_eq!(
        found,
        [
            (
                "ends".to_owned(),
                Problem::NotAfter {
                    other: "starts".into()
                }
            ),
            (
                "capacity".to_owned(),
                Problem::OutOfRange {
                    min: 1,
                    max: 100_000
                }
            ),
        ]
    );
}

fn push(record: &Record, op: Op) -> Mutation {
    Mutation {
        client_id: ClientId::from_u128(1),
        seq: Seq(1),
        schema_version: schema::CURRENT,
        collection: record.collection,
        record_id: record.id,
        op,
    }
}

fn create(record: &Record) -> Mutation {
    push(
        record,
        Op::Create {
            area: record.area,
            fields: record.fields.clone(),
        },
    )
}

fn set(record: &Record, field: &str, value: Value) -> Mutation {
    push(
        record,
        Op::SetField {
            field: field.into(),
            value,
            base_version: Version(1),
        },
    )
}

fn actor(who: organise_core::id::UserId, role: Role) -> Actor {
    let mut actor = Actor::with_roles(who, [(role, WARD_NORTH)]);
    actor.meetings.insert(MeetingId::from_u128(0x3E));
    actor
}

#[test]
fn a_crafted_push_cannot_approve_a_volunteers_own_meeting() {
    let tree = tree();
    let volunteer = actor(VOLUNTEER, Role::Volunteer);
    let rules = Permissions::new(&volunteer, &tree);
    let proposed = meeting_by(VOLUNTEER, MeetingStatus::Proposed).to_record();
    assert_eq!(rules.can_apply(&create(&proposed), None), Ok(()));
    let approved = meeting_by(VOLUNTEER, MeetingStatus::Approved).to_record();
    assert_eq!(
        rules.can_apply(&create(&approved), None),
        Err(Denied::OutsideScope)
    );
    // Nor approve it afterwards, nor hand it to someone else to host.
    assert_eq!(
        rules.can_apply(
            &set(&proposed, "status", "approved".into()),
            Some(&proposed)
        ),
        Err(Denied::OrganiserOnly)
    );
    assert_eq!(
        rules.can_apply(&set(&proposed, "host", Value::Id(HOST.0)), Some(&proposed)),
        Err(Denied::OrganiserOnly)
    );
    // A proposal hosted by someone else is not theirs to make.
    let for_another = meeting_by(HOST, MeetingStatus::Proposed).to_record();
    assert_eq!(
        rules.can_apply(&create(&for_another), None),
        Err(Denied::OutsideScope)
    );
    // The organiser of the ward approves it.
    let organiser = Actor::with_roles(ORGANISER, [(Role::Organiser, WARD_NORTH)]);
    let rules = Permissions::new(&organiser, &tree);
    assert_eq!(
        rules.can_apply(
            &set(&proposed, "status", "approved".into()),
            Some(&proposed)
        ),
        Ok(())
    );
    assert_eq!(
        rules.can_apply(&set(&proposed, "title", "Renamed".into()), Some(&proposed)),
        Ok(())
    );
}

#[test]
fn a_host_changes_only_the_time_and_place_of_their_own_meeting() {
    let tree = tree();
    let host = actor(HOST, Role::Host);
    let rules = Permissions::new(&host, &tree);
    let theirs = meeting_by(HOST, MeetingStatus::Approved).to_record();
    assert_eq!(rules.can_apply(&create(&theirs), None), Ok(()));
    for (field, value) in [
        ("place", Value::from("The community hall")),
        ("starts", Value::Time(Timestamp(START.0 + HOUR))),
        ("ends", Value::Null),
    ] {
        assert_eq!(
            rules.can_apply(&set(&theirs, field, value), Some(&theirs)),
            Ok(()),
            "{field}"
        );
    }
    for (field, value) in [
        ("title", Value::from("Another title")),
        ("kind", Value::from("launch_meeting")),
        ("status", Value::from("cancelled")),
        ("capacity", Value::Int(500)),
    ] {
        assert_eq!(
            rules.can_apply(&set(&theirs, field, value), Some(&theirs)),
            Err(Denied::OrganiserOnly),
            "{field}"
        );
    }
    // Someone else's meeting is not theirs to move.
    let someone_elses = Meeting {
        id: MeetingId::from_u128(0x3F),
        ..meeting_by(ORGANISER, MeetingStatus::Approved)
    }
    .to_record();
    assert_eq!(
        rules.can_apply(
            &set(&someone_elses, "place", "Elsewhere".into()),
            Some(&someone_elses)
        ),
        Err(Denied::OrganiserOnly)
    );
}

fn attendance(person: Option<u128>, status: AttendanceStatus) -> Attendance {
    Attendance {
        id: AttendanceId(RecordId::from_u128(0xA77)),
        area: WARD_NORTH,
        created_by: HOST,
        meeting: MeetingId::from_u128(0x3E),
        person: person.map(PersonId::from_u128),
        status,
        signed_in_at: (status == AttendanceStatus::Attended).then_some(START),
        anonymous: None,
        would_host: false,
        issues: BTreeSet::new(),
        matched: None,
        returning: None,
        consents: BTreeSet::new(),
    }
}

#[test]
fn a_host_counts_someone_without_a_record_but_names_nobody_out_of_reach() {
    let tree = tree();
    let host = actor(HOST, Role::Host);
    let rules = Permissions::new(&host, &tree);
    let counted = Attendance {
        anonymous: Some(Anonymous::UnderSixteen),
        ..attendance(None, AttendanceStatus::Attended)
    };
    assert!(counted.validate().is_empty());
    assert_eq!(rules.can_apply(&create(&counted.to_record()), None), Ok(()));
    let stranger = attendance(Some(0x99), AttendanceStatus::Attended);
    assert_eq!(
        rules.can_apply(&create(&stranger.to_record()), None),
        Err(Denied::OutsideScope)
    );
    // An entry is a person or a count, never both or neither.
    assert_eq!(
        problems(attendance(None, AttendanceStatus::Attended).normalised()),
        [("person".to_owned(), Problem::Missing)]
    );
    let both = Attendance {
        anonymous: Some(Anonymous::NoConsent),
        ..attendance(Some(1), AttendanceStatus::Attended)
    };
    assert_eq!(
        problems(both.normalised()),
        [(
            "anonymous".to_owned(),
            Problem::OnlyWhen {
                condition: "there is no person".into()
            }
        )]
    );
}

#[test]
fn turnout_counts_each_person_once_however_many_devices_signed_them_in() {
    let meeting = meeting_by(HOST, MeetingStatus::Approved);
    let issue = IssueId::from_u128(0x15);
    let with = |a: Attendance, id: u128| Attendance {
        id: AttendanceId(RecordId::from_u128(id)),
        ..a
    };
    let entries = [
        // Ann was invited, replied, and signed in on two devices, raising one issue twice.
        with(attendance(Some(1), AttendanceStatus::Invited), 1),
        with(attendance(Some(1), AttendanceStatus::Rsvp), 2),
        with(
            Attendance {
                issues: [issue].into(),
                would_host: true,
                ..attendance(Some(1), AttendanceStatus::Attended)
            },
            3,
        ),
        with(
            Attendance {
                issues: [issue].into(),
                ..attendance(Some(1), AttendanceStatus::Attended)
            },
            4,
        ),
        // Bo replied and never came; Cy was invited and never replied.
        with(attendance(Some(2), AttendanceStatus::Rsvp), 5),
        with(attendance(Some(3), AttendanceStatus::Invited), 6),
        // Di walked in; two came who are only counted.
        with(attendance(Some(4), AttendanceStatus::Attended), 7),
        with(
            Attendance {
                anonymous: Some(Anonymous::UnderSixteen),
                ..attendance(None, AttendanceStatus::Attended)
            },
            8,
        ),
        with(
            Attendance {
                anonymous: Some(Anonymous::NoConsent),
                issues: [issue].into(),
                ..attendance(None, AttendanceStatus::Attended)
            },
            9,
        ),
    ];
    let before = Turnout::of(&meeting, &entries, START);
    assert_eq!(
        (
            before.invited,
            before.coming,
            before.came,
            before.walk_ins,
            before.no_shows
        ),
        (1, 1, 4, 3, 0)
    );
    let after = Turnout::of(&meeting, &entries, Timestamp(START.0 + 3 * HOUR));
    assert_eq!(
        (after.invited, after.coming, after.came, after.no_shows),
        (1, 0, 4, 1)
    );
    assert_eq!(
        (after.under_16, after.no_consent, after.would_host),
        (1, 1, 1)
    );
    assert_eq!(after.issues.get(&issue), Some(&2));
    assert_eq!(after.attendees.len(), 4);
    assert!(after.has_come(PersonId::from_u128(1)));
    assert!(!after.has_come(PersonId::from_u128(2)));
}

fn known(id: u128, name: &str, phone: &str, email: &str) -> Person {
    Person {
        phone: Some(phone.into()),
        email: Some(email.into()),
        postcode: Some("ZZ9 9ZZ".into()),
        ..Person::new(
            PersonId::from_u128(id),
            WARD_NORTH,
            ORGANISER,
            name,
            Source::Doorstep,
        )
    }
    .normalised()
    .unwrap()
}

fn minted() -> impl FnMut() -> RecordId {
    let mut n = 0x1000;
    move || {
        n += 1;
        RecordId::from_u128(n)
    }
}

fn created(steps: &[Step]) -> Vec<Record> {
    steps
        .iter()
        .filter_map(|step| match step {
            Step::Created(record) => Some(record.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn someone_under_16_is_counted_and_nothing_they_typed_is_kept() {
    let meeting = meeting_by(HOST, MeetingStatus::Approved);
    let sign_in = SignInDraft {
        name: "Young Synthetic".into(),
        phone: "07700 900123".into(),
        consents: [ConsentTopic::Sms].into(),
        under_16: true,
        ..SignInDraft::default()
    };
    let (did, steps) = sign_in
        .steps(&meeting, None, &Turnout::default(), HOST, START, minted())
        .unwrap();
    assert_eq!(did, SignedIn::Counted(Anonymous::UnderSixteen));
    let records = created(&steps);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].collection, Collection::Attendance);
    assert_eq!(records[0].get("person"), &Value::Null);
    let text = format!("{records:?}");
    assert!(!text.contains("Young") && !text.contains("7700"), "{text}");
}

#[test]
fn someone_who_agrees_to_no_contact_is_counted_with_what_matters_to_them() {
    let meeting = meeting_by(HOST, MeetingStatus::Approved);
    let issue = IssueId::from_u128(0x15);
    let sign_in = SignInDraft {
        name: "Private Synthetic".into(),
        email: "private@example.invalid".into(),
        issues: [issue].into(),
        ..SignInDraft::default()
    };
    let (did, steps) = sign_in
        .steps(&meeting, None, &Turnout::default(), HOST, START, minted())
        .unwrap();
    assert_eq!(did, SignedIn::Counted(Anonymous::NoConsent));
    let records = created(&steps);
    assert_eq!(records.len(), 1);
    let attendance = Attendance::from_record(&records[0]).unwrap();
    assert_eq!(attendance.issues, [issue].into());
    assert!(!format!("{records:?}").contains("private@"));
}

#[test]
fn a_returning_person_is_found_by_phone_or_email_never_by_name_and_postcode() {
    let sam = known(
        1,
        "Sam Synthetic",
        "+447700900123",
        "family@example.invalid",
    );
    let kit = known(
        2,
        "Kit Synthetic",
        "+447700900456",
        "family@example.invalid",
    );
    let people = [sam.clone(), kit.clone()];
    let by_phone = SignInDraft {
        name: "Someone".into(),
        phone: "07700 900123".into(),
        ..SignInDraft::default()
    };
    assert_eq!(by_phone.returning(&people), [&sam]);
    // A shared family email asks about everyone who shares it: nobody is merged silently.
    let by_email = SignInDraft {
        email: " Family@Example.invalid ".into(),
        ..SignInDraft::default()
    };
    assert_eq!(by_email.returning(&people), [&sam, &kit]);
    let by_name = SignInDraft {
        name: "Sam Synthetic".into(),
        postcode: "ZZ9 9ZZ".into(),
        ..SignInDraft::default()
    };
    assert!(by_name.returning(&people).is_empty());
}

#[test]
fn a_returning_person_is_signed_in_once_and_their_new_consent_recorded_as_at_a_meeting() {
    let meeting = meeting_by(HOST, MeetingStatus::Approved);
    let sam = known(1, "Sam Synthetic", "+447700900123", "sam@example.invalid");
    let sign_in = SignInDraft {
        phone: "07700 900123".into(),
        consents: [ConsentTopic::Email].into(),
        would_host: true,
        ..SignInDraft::default()
    };
    let (did, steps) = sign_in
        .steps(
            &meeting,
            Some(Returning::Known(&sam)),
            &Turnout::default(),
            HOST,
            START,
            minted(),
        )
        .unwrap();
    assert_eq!(did, SignedIn::Welcomed(sam.id));
    let set: Vec<&str> = steps
        .iter()
        .filter_map(|s| match s {
            Step::Set { field, .. } => Some(*field),
            _ => None,
        })
        .collect();
    // Their email is kept, not cleared by the blank field; only the consent changes.
    assert_eq!(set, ["consent_email"]);
    let Some(Step::Set { after, .. }) = steps.first() else {
        panic!("{steps:?}")
    };
    assert!(format!("{after:?}").contains("meeting"), "{after:?}");
    let attendance = Attendance::from_record(&created(&steps)[0]).unwrap();
    assert_eq!(attendance.person, Some(sam.id));
    assert!(attendance.would_host);
    // Signed in already (on this device or another that synced): nothing more.
    let turnout = Turnout::of(&meeting, &[attendance], START);
    let (again, steps) = sign_in
        .steps(
            &meeting,
            Some(Returning::Known(&sam)),
            &turnout,
            HOST,
            START,
            minted(),
        )
        .unwrap();
    assert_eq!(again, SignedIn::AlreadyHere(sam.id));
    assert!(steps.is_empty());
}

#[test]
fn someone_a_kit_recognised_is_signed_in_by_its_token_with_their_consents_and_counted_once() {
    let meeting = meeting_by(HOST, MeetingStatus::Approved);
    let sam = KitPerson {
        person: PersonId::from_u128(7),
        token: "kit-token".into(),
        first_name: "Sam".into(),
        phone: Some("a".repeat(32)),
        email: None,
    };
    let sign_in = SignInDraft {
        name: "Sam Synthetic".into(),
        phone: "07700 900123".into(),
        email: "sam@example.invalid".into(),
        consents: [ConsentTopic::Email, ConsentTopic::Sms].into(),
        would_host: true,
        ..SignInDraft::default()
    };
    let sign_in_on = |turnout: &Turnout| {
        sign_in
            .steps(
                &meeting,
                Some(Returning::Recognised(&sam)),
                turnout,
                HOST,
                START,
                minted(),
            )
            .unwrap()
    };
    let (did, steps) = sign_in_on(&Turnout::default());
    assert_eq!(did, SignedIn::Welcomed(sam.person));
    // One attendance, naming them by the token; nothing about a person the device lacks.
    assert_eq!(steps.len(), 1, "{steps:?}");
    let attendance = Attendance::from_record(&created(&steps)[0]).unwrap();
    assert_eq!(
        (attendance.person, attendance.matched),
        (None, Some(sam.person))
    );
    assert_eq!(attendance.returning.as_deref(), Some("kit-token"));
    assert_eq!(
        attendance.consents,
        [ConsentTopic::Email, ConsentTopic::Sms].into()
    );
    assert!(attendance.would_host);
    // On this device again, or on a second whose entry synced: counted once, nothing more.
    let second = Attendance {
        id: AttendanceId(RecordId::from_u128(0xB2)),
        ..attendance.clone()
    };
    let turnout = Turnout::of(&meeting, &[attendance.clone(), second], START);
    assert_eq!((turnout.came, turnout.attendees.len()), (1, 1));
    assert!(turnout.has_come(sam.person));
    let (again, steps) = sign_in_on(&turnout);
    assert_eq!(again, SignedIn::AlreadyHere(sam.person));
    assert!(steps.is_empty());
    // A token without whom it names, or consents for someone the kit did not recognise, are
    // refused beside their fields.
    let bare = Attendance {
        matched: None,
        ..attendance.clone()
    };
    assert_eq!(
        problems(bare.normalised()).first().map(|p| p.0.clone()),
        Some("matched".to_owned())
    );
    let odd = Attendance {
        returning: Some("not a token!".into()),
        ..attendance
    };
    assert_eq!(
        problems(odd.normalised()),
        [(
            "returning".to_owned(),
            Problem::WrongType {
                expected: "a sign-in kit's token".into()
            }
        )]
    );
}

#[test]
fn a_place_freed_goes_to_whoever_waited_first_and_a_new_reply_waits_behind_them() {
    let meeting = Meeting {
        capacity: Some(2),
        ..meeting_by(HOST, MeetingStatus::Approved)
    };
    let entry = |id: u128, person: u128, status: AttendanceStatus| Attendance {
        id: AttendanceId(RecordId::from_u128(id)),
        ..attendance(Some(person), status)
    };
    // Two have places; two wait, the second to reply (person 4) first by id.
    let mut held = vec![
        entry(10, 1, AttendanceStatus::Rsvp),
        entry(11, 2, AttendanceStatus::Rsvp),
        entry(13, 3, AttendanceStatus::Waiting),
        entry(12, 4, AttendanceStatus::Waiting),
    ];
    let before = Turnout::of(&meeting, &held, START);
    assert!(before.is_full(&meeting));
    assert!(before.offer_next.is_empty());
    assert!(
        meetings::offer_place_steps(&meeting, PersonId::from_u128(4), &before, HOST, minted())
            .is_empty()
    );

    // Person 1 cannot come after all: their place goes to person 4, who waited first.
    let steps = meetings::decline_steps(&meeting, PersonId::from_u128(1), &before, HOST, || {
        RecordId::from_u128(20)
    });
    held.extend(
        created(&steps)
            .iter()
            .map(|r| Attendance::from_record(r).unwrap()),
    );
    let freed = Turnout::of(&meeting, &held, START);
    assert_eq!((freed.coming, freed.declined, freed.waiting), (1, 1, 2));
    assert_eq!(freed.offer_next, [PersonId::from_u128(4)]);
    // Still full to a new reply: the free place is promised to the one waiting.
    assert!(freed.is_full(&meeting));
    assert!(organise_core::rsvp::is_full(&meeting, &held));
    // Declining twice, or for someone not expected, writes nothing.
    assert!(
        meetings::decline_steps(&meeting, PersonId::from_u128(1), &freed, HOST, minted())
            .is_empty()
    );
    assert!(
        meetings::decline_steps(&meeting, PersonId::from_u128(9), &freed, HOST, minted())
            .is_empty()
    );
    // Only the one next in line is offered it.
    assert!(
        meetings::offer_place_steps(&meeting, PersonId::from_u128(3), &freed, HOST, minted())
            .is_empty()
    );
    let steps = meetings::offer_place_steps(&meeting, PersonId::from_u128(4), &freed, HOST, || {
        RecordId::from_u128(21)
    });
    held.extend(
        created(&steps)
            .iter()
            .map(|r| Attendance::from_record(r).unwrap()),
    );
    let after = Turnout::of(&meeting, &held, START);
    assert_eq!((after.coming, after.waiting), (2, 1));
    assert!(after.offer_next.is_empty());
    assert!(after.is_full(&meeting));
}

#[test]
fn someone_new_becomes_a_person_met_at_the_meeting_with_the_consents_they_gave() {
    let meeting = meeting_by(HOST, MeetingStatus::Approved);
    let sign_in = SignInDraft {
        name: " Nia   Synthetic ".into(),
        phone: "07700 900789".into(),
        email: String::new(),
        postcode: "zz9 9zz".into(),
        consents: [ConsentTopic::Sms].into(),
        ..SignInDraft::default()
    };
    let (did, steps) = sign_in
        .steps(&meeting, None, &Turnout::default(), HOST, START, minted())
        .unwrap();
    let records = created(&steps);
    let person = Person::from_record(&records[0]).unwrap();
    assert_eq!(did, SignedIn::New(person.id));
    assert_eq!(person.name, "Nia Synthetic");
    assert_eq!(person.phone.as_deref(), Some("+447700900789"));
    assert_eq!(person.postcode.as_deref(), Some("ZZ9 9ZZ"));
    assert_eq!(person.source, Source::Meeting);
    assert_eq!(person.area, WARD_NORTH);
    let sms = person.consents[&ConsentTopic::Sms];
    assert!(sms.given && sms.method == ConsentMethod::Meeting && sms.at == START);
    assert!(!person.consents.contains_key(&ConsentTopic::Email));
    let attendance = Attendance::from_record(&records[1]).unwrap();
    assert_eq!(attendance.person, Some(person.id));
    assert_eq!(attendance.status, AttendanceStatus::Attended);
}

#[test]
fn a_consent_without_the_detail_it_needs_is_refused_beside_that_field() {
    let meeting = meeting_by(HOST, MeetingStatus::Approved);
    let sign_in = SignInDraft {
        name: String::new(),
        phone: "12".into(),
        consents: [ConsentTopic::Email, ConsentTopic::Phone].into(),
        ..SignInDraft::default()
    };
    let found = problems(sign_in.steps(&meeting, None, &Turnout::default(), HOST, START, minted()));
    assert_eq!(
        found,
        [
            ("email".to_owned(), Problem::Missing),
            ("name".to_owned(), Problem::Empty),
            ("phone".to_owned(), Problem::BadPhone),
        ]
    );
}

#[test]
fn inviting_someone_on_the_list_already_writes_nothing() {
    let meeting = meeting_by(HOST, MeetingStatus::Approved);
    let steps = invite_steps(
        &meeting,
        PersonId::from_u128(1),
        &Turnout::default(),
        HOST,
        RecordId::from_u128(5),
    )
    .unwrap();
    let invited = Attendance::from_record(&created(&steps)[0]).unwrap();
    assert_eq!(invited.status, AttendanceStatus::Invited);
    let turnout = Turnout::of(&meeting, &[invited], START);
    assert!(
        invite_steps(
            &meeting,
            PersonId::from_u128(1),
            &turnout,
            HOST,
            RecordId::from_u128(6)
        )
        .unwrap()
        .is_empty()
    );
}

#[test]
fn approving_with_trust_makes_the_host_a_trusted_host_whose_next_meeting_needs_no_approval() {
    let tree = tree();
    let proposal = meeting_by(VOLUNTEER, MeetingStatus::Proposed);
    let steps = meetings::approve_steps(&proposal, ORGANISER, Some(RecordId::from_u128(0x70)));
    let organiser = Actor::with_roles(ORGANISER, [(Role::Organiser, WARD_NORTH)]);
    let rules = Permissions::new(&organiser, &tree);
    let role = created(&steps).pop().expect("a role assignment");
    assert_eq!(role.collection, Collection::RoleAssignment);
    assert_eq!(rules.can_apply(&create(&role), None), Ok(()));
    let Step::Set { field, after, .. } = &steps[0] else {
        panic!("{steps:?}")
    };
    assert_eq!((*field, after), ("status", &Value::from("approved")));
    // With the role the assignment gives, the volunteer's next meeting is approved as made.
    let trusted = SessionUser {
        roles: vec![
            RoleInArea {
                role: Role::Volunteer,
                area: WARD_NORTH,
            },
            RoleInArea {
                role: Role::Host,
                area: WARD_NORTH,
            },
        ],
        ..user(VOLUNTEER, Role::Volunteer)
    };
    let next = draft()
        .meeting(MeetingId::from_u128(8), &trusted, &tree)
        .unwrap();
    assert_eq!(next.status, MeetingStatus::Approved);
    // Without trust, only the status changes.
    assert_eq!(meetings::approve_steps(&proposal, ORGANISER, None).len(), 1);
}

#[test]
fn a_chain_follows_meetings_that_grew_from_one_another_and_follow_ups_fall_a_week_after() {
    let first = meeting_by(HOST, MeetingStatus::Approved);
    let grew = |id: u128, starts: i64, status| Meeting {
        id: MeetingId::from_u128(id),
        grew_from: Some(first.id),
        starts: Timestamp(starts),
        ends: None,
        status,
        ..meeting_by(VOLUNTEER, MeetingStatus::Approved)
    };
    let later = grew(0x41, START.0 + 9 * HOUR, MeetingStatus::Approved);
    let sooner = grew(0x40, START.0 + 5 * HOUR, MeetingStatus::Proposed);
    let called_off = grew(0x42, START.0 + 7 * HOUR, MeetingStatus::Cancelled);
    let all = [later.clone(), first.clone(), called_off, sooner.clone()];
    let chain = meetings::Chain::of(&first, &all);
    assert_eq!(chain.grew_from, None);
    assert_eq!(chain.led_to, [sooner.clone(), later]);
    assert_eq!(
        meetings::Chain::of(&sooner, &all).grew_from,
        Some(first.clone())
    );
    assert_eq!(
        meetings::follow_up_due(&first),
        Timestamp(START.0 + 2 * HOUR + 7 * 24 * HOUR)
    );
    assert_eq!(
        meetings::follow_up_due(&sooner),
        Timestamp(sooner.starts.0 + 7 * 24 * HOUR)
    );
}

#[test]
fn the_same_name_and_postcode_is_flagged_never_merged() {
    let nia = known(1, "Nia Synthetic", "+447700900123", "nia@example.invalid");
    let again = known(2, "nia synthetic", "+447700900999", "other@example.invalid");
    let neighbour = known(3, "Nia Other", "+447700900456", "n@example.invalid");
    let elsewhere = Person {
        postcode: Some("ZZ1 1ZZ".into()),
        ..known(4, "Nia Synthetic", "+447700900457", "m@example.invalid")
    };
    let all = [nia.clone(), again.clone(), neighbour, elsewhere];
    assert_eq!(meetings::maybe_the_same(&nia, &all), [&again]);
    let no_postcode = Person {
        postcode: None,
        ..nia
    };
    assert!(meetings::maybe_the_same(&no_postcode, &all).is_empty());
}
