//! Volunteers from listening: who raised an issue (or one under it) and offered to help, or
//! has a skill, in a ward; saved as a list.

use std::collections::BTreeSet;

use organise_core::id::{
    AttendanceId, ConversationId, IssueId, ListId, MeetingId, PersonId, RecordId, Timestamp,
};
use organise_core::model::{
    Attendance, AttendanceStatus, Conversation, ConversationKind, Interest, Issue, ListKind,
    Outcome, Person, Source,
};
use organise_core::validate::Problem;
use organise_core::volunteers::{Ask, Held, find, to_list};

use crate::support::{ADMIN, CONSTITUENCY, WARD_NORTH, WARD_SOUTH};

const DAMP: IssueId = IssueId::from_u128(0x11);
const MOULD: IssueId = IssueId::from_u128(0x12);
const BUSES: IssueId = IssueId::from_u128(0x13);

fn person(n: u128, name: &str, ward: organise_core::id::AreaId, skills: &[&str]) -> Person {
    Person {
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        phone: (n % 2 == 1).then(|| format!("+4477009000{n:02}")),
        ..Person::new(
            PersonId::from_u128(0x100 + n),
            ward,
            ADMIN,
            name,
            Source::Doorstep,
        )
    }
}

fn said(
    n: u128,
    who: u128,
    outcome: Outcome,
    issues: &[IssueId],
    interests: &[Interest],
) -> Conversation {
    Conversation {
        id: ConversationId::from_u128(0x900 + n),
        area: WARD_NORTH,
        created_by: ADMIN,
        kind: ConversationKind::Doorstep,
        by: ADMIN,
        person: PersonId::from_u128(0x100 + who),
        at: Timestamp(1_800_000_000_000),
        outcome,
        issues: issues.iter().copied().collect(),
        interests: interests.iter().copied().collect(),
        notes: None,
        follow_ups: Vec::new(),
        list: None,
    }
}

fn issue(id: IssueId, name: &str, parent: Option<IssueId>) -> Issue {
    Issue {
        id,
        area: CONSTITUENCY,
        created_by: ADMIN,
        name: name.into(),
        parent,
    }
}

fn came(who: u128, issues: &[IssueId], would_host: bool) -> Attendance {
    Attendance {
        id: AttendanceId(RecordId::from_u128(0xA00 + who)),
        area: WARD_NORTH,
        created_by: ADMIN,
        meeting: MeetingId::from_u128(0x300),
        person: Some(PersonId::from_u128(0x100 + who)),
        status: AttendanceStatus::Attended,
        signed_in_at: None,
        anonymous: None,
        would_host,
        issues: issues.iter().copied().collect(),
        matched: None,
        returning: None,
        consents: BTreeSet::new(),
    }
}

/// Ann raised damp and offered to volunteer; Bob raised mould (under damp) and would host at a
/// meeting; Cat raised damp but offered nothing; Dan offered to volunteer about buses; Eve
/// raised damp at a door where nobody was home (not held); Fay, in the south ward, raised
/// damp and would volunteer.
fn found(ask: &Ask) -> Vec<String> {
    let people = [
        person(1, "Ann Example", WARD_NORTH, &["Driving"]),
        person(2, "Bob Example", WARD_NORTH, &[]),
        person(3, "Cat Example", WARD_NORTH, &["driving"]),
        person(4, "Dan Example", WARD_NORTH, &[]),
        person(5, "Eve Example", WARD_NORTH, &[]),
        person(6, "Fay Example", WARD_SOUTH, &["driving"]),
    ];
    let conversations = [
        said(1, 1, Outcome::Held, &[DAMP], &[Interest::Volunteer]),
        said(2, 2, Outcome::Held, &[MOULD], &[]),
        said(3, 3, Outcome::Held, &[DAMP], &[Interest::ComeToMeeting]),
        said(4, 4, Outcome::Held, &[BUSES], &[Interest::Volunteer]),
        said(5, 5, Outcome::NotHome, &[DAMP], &[Interest::Volunteer]),
        said(6, 6, Outcome::Held, &[DAMP], &[Interest::Volunteer]),
    ];
    let attendances = [came(2, &[], true)];
    let issues = [
        issue(DAMP, "Damp", None),
        issue(MOULD, "Mould", Some(DAMP)),
        issue(BUSES, "Buses", None),
    ];
    let held = Held {
        people: &people,
        conversations: &conversations,
        one_to_ones: &[],
        attendances: &attendances,
        issues: &issues,
    };
    find(ask, &held).into_iter().map(|f| f.name).collect()
}

#[test]
fn an_issue_finds_who_raised_it_or_one_under_it_and_offered_to_help() {
    let ask = Ask {
        issue: Some(DAMP),
        ..Ask::default()
    };
    assert_eq!(found(&ask), ["Ann Example", "Bob Example", "Fay Example"]);
    let north = Ask {
        areas: Some(BTreeSet::from([WARD_NORTH])),
        ..ask.clone()
    };
    assert_eq!(found(&north), ["Ann Example", "Bob Example"]);
    let mould = Ask {
        issue: Some(MOULD),
        ..Ask::default()
    };
    assert_eq!(
        found(&mould),
        ["Bob Example"],
        "not those who raised the broader issue"
    );
}

#[test]
fn a_skill_finds_who_has_it_and_combines_with_the_rest() {
    let drivers = Ask {
        skill: Some(" DRIVING ".into()),
        ..Ask::default()
    };
    assert_eq!(
        found(&drivers),
        ["Ann Example", "Cat Example", "Fay Example"]
    );
    let both = Ask {
        issue: Some(DAMP),
        skill: Some("driving".into()),
        areas: Some(BTreeSet::from([WARD_NORTH])),
    };
    assert_eq!(found(&both), ["Ann Example"]);
    assert!(
        found(&Ask::default()).is_empty(),
        "nothing asked, nobody found"
    );
}

#[test]
fn those_found_are_saved_as_a_list_or_each_problem_is_named() {
    let ann = organise_core::volunteers::Found {
        person: PersonId::from_u128(0x101),
        name: "Ann Example".into(),
        raised: true,
        offered: BTreeSet::from([Interest::Volunteer]),
        has_phone: true,
    };
    let list = to_list(
        &[ann],
        "Damp volunteers",
        ListKind::Call,
        WARD_NORTH,
        ListId::from_u128(0x44),
        ADMIN,
    )
    .expect("a list");
    assert_eq!(list.kind, ListKind::Call);
    assert_eq!(list.members, BTreeSet::from([PersonId::from_u128(0x101)]));
    let problems = to_list(
        &[],
        "  ",
        ListKind::Walk,
        WARD_NORTH,
        ListId::from_u128(0x45),
        ADMIN,
    )
    .unwrap_err();
    let fields: Vec<(&str, Problem)> = problems
        .iter()
        .map(|p| (p.field.as_str(), p.problem.clone()))
        .collect();
    assert!(fields.contains(&("members", Problem::Empty)), "{fields:?}");
    assert!(fields.iter().any(|(f, _)| *f == "name"), "{fields:?}");
}
