//! A person's page gathers everything held about them, and nothing about anyone else.

use std::collections::BTreeSet;

use organise_core::calendar::{Day, london_day};
use organise_core::id::{
    AttendanceId, ConversationId, MeetingId, OneToOneId, PersonId, RecordId, StoryId, Timestamp,
    TrainingId,
};
use organise_core::model::{
    Attendance, AttendanceStatus, Conversation, ConversationKind, FollowUp, Meeting, MeetingKind,
    MeetingStatus, OneToOne, OneToOneKind, Outcome, Person, Source, Story, StoryConsent, Training,
};
use organise_core::person_file::{AgreedIn, PersonFile};
use organise_core::record::Entity;
use organise_core::sync::ClientId;
use organise_core::sync::replica::Replica;

use crate::support::{ADMIN, WARD_NORTH};

const ANN: PersonId = PersonId::from_u128(0x101);
const BOB: PersonId = PersonId::from_u128(0x102);
const DAY: i64 = 24 * 3_600_000;
const T0: Timestamp = Timestamp(1_800_000_000_000);

fn conversation(
    n: u128,
    person: PersonId,
    days: i64,
    follow_ups: &[(&str, Option<i64>)],
) -> Conversation {
    Conversation {
        id: ConversationId::from_u128(0x900 + n),
        area: WARD_NORTH,
        created_by: ADMIN,
        kind: ConversationKind::Doorstep,
        by: ADMIN,
        person,
        at: Timestamp(T0.0 + days * DAY),
        outcome: Outcome::Held,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: follow_ups
            .iter()
            .map(|(action, due)| FollowUp {
                action: (*action).into(),
                due: due.map(|d| Timestamp(T0.0 + d * DAY)),
            })
            .collect(),
        list: None,
    }
}

fn one_to_one(n: u128, days: i32, next: Option<(&str, i32, bool)>) -> OneToOne {
    let held_on = london_day(T0).add_days(days);
    OneToOne {
        id: OneToOneId::from_u128(0x800 + n),
        area: WARD_NORTH,
        created_by: ADMIN,
        person: ANN,
        held_on,
        recorded_at: Timestamp(T0.0 + i64::from(days) * DAY),
        kind: OneToOneKind::Introduction,
        issues: BTreeSet::new(),
        story: None,
        interest: None,
        leadership: None,
        organisation: None,
        next_step: next.map(|(what, _, _)| what.to_owned()),
        next_step_due: next.map(|(_, due, _)| london_day(T0).add_days(due)),
        next_step_done: next.and_then(|(_, _, done)| done.then_some(T0)),
    }
}

fn meeting(n: u128, days: i64) -> Meeting {
    Meeting {
        id: MeetingId::from_u128(0x300 + n),
        area: WARD_NORTH,
        created_by: ADMIN,
        kind: MeetingKind::HouseMeeting,
        title: format!("Meeting {n}"),
        host: ADMIN,
        speaker: None,
        place: "14 Example Street".into(),
        starts: Timestamp(T0.0 + days * DAY),
        ends: None,
        capacity: None,
        campaign: None,
        status: MeetingStatus::Approved,
        grew_from: None,
        from_conversation: None,
    }
}

fn attendance(
    n: u128,
    meeting: MeetingId,
    person: PersonId,
    status: AttendanceStatus,
) -> Attendance {
    Attendance {
        id: AttendanceId(RecordId::from_u128(0xA00 + n)),
        area: WARD_NORTH,
        created_by: ADMIN,
        meeting,
        person: Some(person),
        status,
        signed_in_at: None,
        anonymous: None,
        would_host: false,
        issues: BTreeSet::new(),
        matched: None,
        returning: None,
        consents: BTreeSet::new(),
    }
}

/// An admin's phone holding Ann's and Bob's records: two conversations, two one-to-ones and
/// two meetings of Ann's, a story of hers, and a conversation and a meeting of Bob's.
fn phone() -> Replica {
    let mut replica = Replica::new(ClientId::from_u128(0xC1), ADMIN);
    let (first, second) = (meeting(1, -20), meeting(2, -3));
    let mut create = |record: organise_core::record::Record| replica.create(&record).unwrap();
    create(Person::new(ANN, WARD_NORTH, ADMIN, "Ann Example", Source::Doorstep).to_record());
    create(Person::new(BOB, WARD_NORTH, ADMIN, "Bob Example", Source::Doorstep).to_record());
    create(
        conversation(
            1,
            ANN,
            -30,
            &[("Send the leaflet", Some(2)), ("Call back", None)],
        )
        .to_record(),
    );
    create(conversation(2, ANN, -5, &[("Bring a neighbour", Some(-1))]).to_record());
    create(conversation(3, BOB, -4, &[("Bob's own", Some(1))]).to_record());
    create(one_to_one(1, -10, Some(("Host a house meeting", 5, false))).to_record());
    create(one_to_one(2, -2, Some(("Read the briefing", -1, true))).to_record());
    create(first.to_record());
    create(second.to_record());
    create(attendance(1, first.id, ANN, AttendanceStatus::Attended).to_record());
    create(attendance(2, second.id, ANN, AttendanceStatus::Rsvp).to_record());
    create(attendance(3, second.id, BOB, AttendanceStatus::Attended).to_record());
    for (n, module, days) in [(1, "Chairing a meeting", -40), (2, "Door knocking", -3)] {
        create(
            Training {
                id: TrainingId::from_u128(0x500 + n),
                area: WARD_NORTH,
                created_by: ADMIN,
                person: ANN,
                module: module.into(),
                on: london_day(T0).add_days(days),
                meeting: None,
            }
            .to_record(),
        );
    }
    create(
        Training {
            id: TrainingId::from_u128(0x509),
            area: WARD_NORTH,
            created_by: ADMIN,
            person: BOB,
            module: "Bob's module".into(),
            on: london_day(T0),
            meeting: None,
        }
        .to_record(),
    );
    create(
        Story {
            id: StoryId::from_u128(0x400),
            area: WARD_NORTH,
            created_by: ADMIN,
            person: ANN,
            text: "The damp came back every winter.".into(),
            issue: None,
            consent: StoryConsent::Anonymised,
        }
        .to_record(),
    );
    replica
}

#[test]
fn a_persons_page_holds_all_of_theirs_newest_first_and_nobody_elses() {
    let file = PersonFile::read(&phone(), ANN).expect("Ann is on the phone");
    assert_eq!(file.person.name, "Ann Example");
    let conversations: Vec<_> = file.conversations.iter().map(|c| c.id).collect();
    assert_eq!(
        conversations,
        [
            ConversationId::from_u128(0x902),
            ConversationId::from_u128(0x901)
        ]
    );
    let one_to_ones: Vec<_> = file.one_to_ones.iter().map(|o| o.id).collect();
    assert_eq!(
        one_to_ones,
        [OneToOneId::from_u128(0x802), OneToOneId::from_u128(0x801)]
    );
    let meetings: Vec<_> = file
        .meetings
        .iter()
        .map(|m| (m.meeting.title.as_str(), m.status))
        .collect();
    assert_eq!(
        meetings,
        [
            ("Meeting 2", AttendanceStatus::Rsvp),
            ("Meeting 1", AttendanceStatus::Attended)
        ]
    );
    assert_eq!(file.stories.len(), 1);
    assert!(file.merged.is_empty() && file.campaigns.is_empty());
    let trained: Vec<_> = file.trainings.iter().map(|t| t.module.as_str()).collect();
    assert_eq!(trained, ["Door knocking", "Chairing a meeting"]);
}

#[test]
fn follow_ups_put_what_is_open_and_soonest_first() {
    let file = PersonFile::read(&phone(), ANN).unwrap();
    let day = |d: i32| Some(london_day(T0).add_days(d));
    let seen: Vec<(&str, Option<Day>, bool)> = file
        .follow_ups
        .iter()
        .map(|f| (f.what.as_str(), f.due, f.done))
        .collect();
    assert_eq!(
        seen,
        [
            ("Bring a neighbour", day(-1), false),
            ("Send the leaflet", day(2), false),
            ("Host a house meeting", day(5), false),
            ("Call back", None, false),
            ("Read the briefing", day(-1), true),
        ]
    );
    assert_eq!(
        file.follow_ups[2].agreed_in,
        AgreedIn::OneToOne(OneToOneId::from_u128(0x801))
    );
    assert!(!file.follow_ups.iter().any(|f| f.what == "Bob's own"));
}

#[test]
fn someone_not_on_the_phone_has_no_page() {
    assert_eq!(PersonFile::read(&phone(), PersonId::from_u128(0x1FF)), None);
}
