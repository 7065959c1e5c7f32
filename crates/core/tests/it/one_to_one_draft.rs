//! Logging a one-to-one from its form: the records a save creates (someone new, their story,
//! the one-to-one), and every problem of a form said at once, each by its field, even before
//! anyone is chosen.

use crate::support::{ORGANISER, WARD_NORTH};
use organise_core::calendar::{Day, london_day};
use organise_core::change::Step;
use organise_core::id::{IssueId, PersonId, RecordId, RungId, Timestamp};
use organise_core::model::{
    LadderMove, OneToOne, OneToOneKind, Person, Source, Story, StoryConsent,
};
use organise_core::organising::draft::{Logging, OneToOneDraft, Whom};
use organise_core::record::{Collection, Entity};
use std::cell::Cell;
use std::collections::BTreeSet;

/// Thursday 3 December 2026, 19:00 in London.
const NOW: Timestamp = Timestamp(1_796_324_400_000);
const ANN: PersonId = PersonId::from_u128(0x301);
const HOUSING: IssueId = IssueId::from_u128(0x220);

fn ann() -> Person {
    Person::new(ANN, WARD_NORTH, ORGANISER, "Ann Example", Source::Doorstep)
}

/// The draft's steps (or problems, as `field: problem` lines) with ids minted 1, 2, 3….
fn log(draft: &OneToOneDraft) -> Result<Vec<Step>, Vec<String>> {
    let next = Cell::new(0_u128);
    let mint = || {
        next.set(next.get() + 1);
        RecordId::from_u128(next.get())
    };
    draft
        .steps(Logging {
            by: ORGANISER,
            now: NOW,
            mint: &mint,
        })
        .map_err(|found| {
            found
                .iter()
                .map(|p| format!("{}: {}", p.field, p.problem))
                .collect()
        })
}

fn created(steps: &[Step]) -> Vec<Collection> {
    steps
        .iter()
        .map(|s| match s {
            Step::Created(record) => record.collection,
            other => panic!("a one-to-one only creates records, not {other:?}"),
        })
        .collect()
}

fn record_of<T: Entity>(steps: &[Step]) -> T {
    steps
        .iter()
        .find_map(|s| match s {
            Step::Created(record) if record.collection == T::COLLECTION => T::read(record).ok(),
            _ => None,
        })
        .expect("the record was created")
}

#[test]
fn the_clock_of_these_tests_is_a_thursday_evening_in_london() {
    assert_eq!(london_day(NOW), Day::parse("2026-12-03").unwrap());
}

#[test]
fn a_one_to_one_with_someone_known_is_one_record_in_their_area_held_today() {
    let draft = OneToOneDraft {
        with: Whom::Known(ann()),
        issues: BTreeSet::from([HOUSING]),
        interest: Some(4),
        next_step: "  Bring a neighbour  ".into(),
        next_step_due: "2026-12-10".into(),
        ..OneToOneDraft::new(london_day(NOW))
    };
    let steps = log(&draft).unwrap();
    assert_eq!(created(&steps), [Collection::OneToOne]);
    let one_to_one: OneToOne = record_of(&steps);
    assert_eq!(one_to_one.person, ANN);
    assert_eq!(one_to_one.area, WARD_NORTH);
    assert_eq!(one_to_one.created_by, ORGANISER);
    assert_eq!(one_to_one.held_on.to_string(), "2026-12-03");
    assert_eq!(one_to_one.recorded_at, NOW);
    assert_eq!(one_to_one.kind, OneToOneKind::Introduction);
    assert_eq!(one_to_one.issues, BTreeSet::from([HOUSING]));
    assert_eq!(one_to_one.interest, Some(4));
    assert_eq!(one_to_one.next_step.as_deref(), Some("Bring a neighbour"));
    assert_eq!(
        one_to_one.next_step_due.map(|d| d.to_string()).as_deref(),
        Some("2026-12-10")
    );
    assert!(!one_to_one.is_late());
}

#[test]
fn someone_new_and_their_story_are_created_before_the_one_to_one_that_names_them() {
    let draft = OneToOneDraft {
        with: Whom::New {
            name: "  Ffion   Example ".into(),
            phone: "07700 900123".into(),
            area: Some(WARD_NORTH),
        },
        story: "The damp came back every winter.".into(),
        story_consent: Some(StoryConsent::Anonymised),
        issues: BTreeSet::from([HOUSING]),
        ..OneToOneDraft::new(london_day(NOW))
    };
    let steps = log(&draft).unwrap();
    assert_eq!(
        created(&steps),
        [Collection::Person, Collection::Story, Collection::OneToOne]
    );
    let person: Person = record_of(&steps);
    let story: Story = record_of(&steps);
    let one_to_one: OneToOne = record_of(&steps);
    assert_eq!(person.name, "Ffion Example");
    assert_eq!(person.phone.as_deref(), Some("+447700900123"));
    assert_eq!(person.area, WARD_NORTH);
    assert_eq!((story.person, story.area), (person.id, WARD_NORTH));
    assert_eq!(story.consent, StoryConsent::Anonymised);
    assert_eq!(story.issue, Some(HOUSING));
    assert_eq!(one_to_one.person, person.id);
    assert_eq!(one_to_one.story, Some(story.id));
}

#[test]
fn a_one_to_one_that_moves_someone_up_the_ladder_makes_the_move_naming_it() {
    const HOST: RungId = RungId::from_u128(0x603);
    let draft = OneToOneDraft {
        with: Whom::New {
            name: "Cai Example".into(),
            phone: String::new(),
            area: Some(WARD_NORTH),
        },
        kind: OneToOneKind::Escalation,
        move_to: Some(HOST),
        ..OneToOneDraft::new(london_day(NOW))
    };
    let steps = log(&draft).unwrap();
    assert_eq!(
        created(&steps),
        [
            Collection::Person,
            Collection::OneToOne,
            Collection::LadderMove
        ],
        "the move comes after what it names"
    );
    let person: Person = record_of(&steps);
    let one_to_one: OneToOne = record_of(&steps);
    let moved: LadderMove = record_of(&steps);
    assert_eq!(moved.person, person.id);
    assert_eq!(moved.area, WARD_NORTH);
    assert_eq!(moved.rung, HOST);
    assert_eq!(moved.one_to_one, Some(one_to_one.id));
    assert_eq!((moved.created_by, moved.at), (ORGANISER, NOW));
    // Without a rung chosen, nobody moves.
    let stays = OneToOneDraft {
        move_to: None,
        ..draft
    };
    assert_eq!(
        created(&log(&stays).unwrap()),
        [Collection::Person, Collection::OneToOne]
    );
}

#[test]
fn a_blank_form_says_every_problem_at_once_each_by_its_field() {
    let draft = OneToOneDraft {
        held_on: "yesterday".into(),
        story: "Told, but with no word on how far it may go.".into(),
        interest: Some(7),
        next_step_due: "2026-12-40".into(),
        ..OneToOneDraft::new(london_day(NOW))
    };
    assert_eq!(
        log(&draft).unwrap_err(),
        [
            "person: is required",
            "held_on: should be a date",
            "next_step_due: should be a date",
            "story_consent: is required",
            "interest: must be between 1 and 5",
        ]
    );
}

#[test]
fn someone_new_needs_a_name_and_an_area_and_a_phone_that_is_one() {
    let draft = OneToOneDraft {
        with: Whom::New {
            name: " ".into(),
            phone: "12".into(),
            area: None,
        },
        ..OneToOneDraft::new(london_day(NOW))
    };
    let problems = log(&draft).unwrap_err();
    let fields: Vec<&str> = problems
        .iter()
        .map(|p| p.split(':').next().unwrap())
        .collect();
    assert_eq!(fields, ["area", "name", "phone"]);
}

#[test]
fn a_day_after_today_is_refused_and_one_weeks_back_is_late_only_past_fourteen_days() {
    let future = OneToOneDraft {
        with: Whom::Known(ann()),
        held_on: "2026-12-04".into(),
        ..OneToOneDraft::new(london_day(NOW))
    };
    assert_eq!(
        log(&future).unwrap_err(),
        ["held_on: must not be in the future"]
    );
    let late = |held_on: &str| {
        let draft = OneToOneDraft {
            with: Whom::Known(ann()),
            held_on: held_on.into(),
            ..OneToOneDraft::new(london_day(NOW))
        };
        record_of::<OneToOne>(&log(&draft).unwrap()).is_late()
    };
    assert!(!late("2026-11-19"), "fourteen days back is on time");
    assert!(late("2026-11-18"), "fifteen days back is late");
}

#[test]
fn a_due_day_needs_a_next_step() {
    let draft = OneToOneDraft {
        with: Whom::Known(ann()),
        next_step_due: "2026-12-10".into(),
        ..OneToOneDraft::new(london_day(NOW))
    };
    let problems = log(&draft).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert!(problems[0].starts_with("next_step_due: "), "{problems:?}");
}

#[test]
fn a_next_step_is_due_no_earlier_than_the_day_it_was_agreed() {
    let due = |held_on: &str, due: &str| {
        let draft = OneToOneDraft {
            with: Whom::Known(ann()),
            held_on: held_on.into(),
            next_step: "Call back".into(),
            next_step_due: due.into(),
            ..OneToOneDraft::new(london_day(NOW))
        };
        log(&draft).map(|_| ())
    };
    assert_eq!(due("2026-12-01", "2026-12-01"), Ok(()));
    assert_eq!(
        due("2026-12-01", "2026-11-30"),
        Err(vec!["next_step_due: must be after held_on".to_owned()])
    );
}
