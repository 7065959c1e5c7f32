//! One-to-ones and the organiser's week: what counts (one per person per day, in London's
//! week of the day it was held), the trend against targets that change, late records, next
//! steps, every problem by its field, who may read, make and edit them, and erasure.

use std::collections::BTreeSet;

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, HOST, ORGANISER, ORGANISER_2, OTHER_REGION, REGION,
    VOLUNTEER, WARD_NORTH, WARD_SOUTH,
};
use expect_test::{Expect, expect};
use organise_core::calendar::{Day, Week, london_day, london_midnight};
use organise_core::erasure::records_about;
use organise_core::id::{
    OneToOneId, PersonId, RecordId, StoryId, Timestamp, UserId, WeeklyTargetId,
};
use organise_core::model::{
    DEFAULT_WEEKLY_TARGET, OneToOne, OneToOneKind, Role, RoleAssignment, User, WeeklyTarget,
};
use organise_core::organising::{self, Due, MyWeek, count_in, my_week, target_in, team_week};
use organise_core::permission::{Actor, Denied, Permissions};
use organise_core::record::Entity;
use organise_core::sync::{ClientId, Op, Outcome, RecordKey, ReferenceServer, Replica, Version};
use organise_core::{Collection, FieldProblem, Problem, Record, Value};

const HOUR: i64 = 3_600_000;

const ANN: PersonId = PersonId::from_u128(0x501);
const BEN: PersonId = PersonId::from_u128(0x502);
const CAT: PersonId = PersonId::from_u128(0x503);
const DEV: PersonId = PersonId::from_u128(0x504);

fn day(text: &str) -> Day {
    Day::parse(text).unwrap_or_else(|| panic!("{text} is a day"))
}

/// A moment given as a UTC date and hour and minute.
fn utc(date: &str, hour: i64, minute: i64) -> Timestamp {
    Timestamp(day(date).utc_midnight().0 + hour * HOUR + minute * 60_000)
}

/// The `n`th one-to-one, held by `by` with `person` on `held_on` and recorded that evening
/// (eighteen hours after London's midnight).
fn held(n: u128, by: UserId, person: PersonId, held_on: &str) -> OneToOne {
    let held_on = day(held_on);
    OneToOne {
        id: OneToOneId::from_u128(0x1_0000 + n),
        area: WARD_NORTH,
        created_by: by,
        person,
        held_on,
        recorded_at: Timestamp(london_midnight(held_on).0 + 18 * HOUR),
        kind: OneToOneKind::Introduction,
        issues: BTreeSet::new(),
        story: None,
        interest: None,
        leadership: None,
        organisation: None,
        next_step: None,
        next_step_due: None,
        next_step_done: None,
    }
}

/// The same, recorded at `at` instead.
fn recorded(one_to_one: OneToOne, at: Timestamp) -> OneToOne {
    OneToOne {
        recorded_at: at,
        ..one_to_one
    }
}

/// A target for `organiser` of `per_week` from `from`, set by the admin.
fn target(n: u128, organiser: UserId, per_week: i64, from: Day) -> WeeklyTarget {
    WeeklyTarget {
        id: WeeklyTargetId::from_u128(0x2_0000 + n),
        area: CONSTITUENCY,
        created_by: ADMIN,
        organiser,
        per_week,
        from,
    }
}

fn name(person: PersonId) -> &'static str {
    match person {
        ANN => "ann",
        BEN => "ben",
        CAT => "cat",
        DEV => "dev",
        _ => "someone",
    }
}

fn render(week: &MyWeek) -> String {
    let mut out = format!(
        "week {}: {} of {}, {} late\n",
        week.week, week.count, week.target, week.late
    );
    for w in &week.trend {
        out.push_str(&format!("  {}  {:>2}/{}\n", w.week, w.count, w.target));
    }
    for step in &week.next_steps {
        let when = match step.when {
            Due::Overdue => "overdue",
            Due::ThisWeek => "this week",
            Due::Later => "later",
        };
        out.push_str(&format!(
            "  {} {:<9} {}: {} (#{:x})\n",
            step.due,
            when,
            name(step.person),
            step.step,
            step.one_to_one.0.0.as_u128() & 0xFFFF
        ));
    }
    out
}

fn check(week: MyWeek, expect: Expect) {
    expect.assert_eq(&render(&week));
}

#[test]
fn one_person_on_one_day_counts_once_however_many_times_it_was_logged() {
    let week = Week::of(day("2026-03-25"));
    let one_to_ones = [
        // Ann on Monday, logged on a phone and again on a laptop the next morning.
        held(1, ORGANISER, ANN, "2026-03-23"),
        recorded(
            held(2, ORGANISER, ANN, "2026-03-23"),
            utc("2026-03-24", 8, 0),
        ),
        // Ann again on Tuesday: another day, another conversation.
        held(3, ORGANISER, ANN, "2026-03-24"),
        // Ben on Monday.
        held(4, ORGANISER, BEN, "2026-03-23"),
        // Another organiser's with Ann on Monday counts toward theirs, not this one's.
        held(5, ORGANISER_2, ANN, "2026-03-23"),
        // The Sunday before and the Monday after are other weeks.
        held(6, ORGANISER, CAT, "2026-03-22"),
        held(7, ORGANISER, CAT, "2026-03-30"),
    ];
    assert_eq!(count_in(week, ORGANISER, &one_to_ones), 3);
    assert_eq!(count_in(week, ORGANISER_2, &one_to_ones), 1);
    assert_eq!(count_in(week.previous(), ORGANISER, &one_to_ones), 1);
    assert_eq!(count_in(week.next(), ORGANISER, &one_to_ones), 1);
    assert_eq!(count_in(week, VOLUNTEER, &one_to_ones), 0);
    // Whichever device's record comes first.
    let reversed: Vec<OneToOne> = one_to_ones.iter().rev().cloned().collect();
    assert_eq!(count_in(week, ORGANISER, &reversed), 3);
    assert_eq!(
        my_week(ORGANISER, day("2026-03-25"), &one_to_ones, &[]).count,
        3
    );
}

#[test]
fn the_sunday_of_a_clock_change_counts_in_its_own_week() {
    // Sunday 29 March 2026 (clocks forward) and Sunday 25 October 2026 (clocks back).
    for (sunday, monday) in [("2026-03-29", "2026-03-23"), ("2026-10-25", "2026-10-19")] {
        let week = Week::of(day(sunday));
        assert_eq!(week.monday(), day(monday));
        let one_to_ones = [held(1, ORGANISER, ANN, sunday)];
        assert_eq!(count_in(week, ORGANISER, &one_to_ones), 1, "{sunday}");
        assert_eq!(
            count_in(week.next(), ORGANISER, &one_to_ones),
            0,
            "{sunday}"
        );
    }
}

#[test]
fn a_one_to_one_logged_late_on_a_summer_sunday_falls_on_monday_in_london() {
    // The form takes the day it is in London. 23:30 UTC on a Sunday in summer is 00:30 on
    // Monday; in winter (and on the Sunday the clocks go back) it is still Sunday.
    let cases = [
        ("2026-07-12", "2026-07-13"),
        ("2026-03-29", "2026-03-30"),
        ("2026-10-25", "2026-10-25"),
        ("2026-12-13", "2026-12-13"),
    ];
    for (sunday, london) in cases {
        let at = utc(sunday, 23, 30);
        let logged = OneToOne {
            held_on: london_day(at),
            recorded_at: at,
            ..held(1, ORGANISER, ANN, sunday)
        };
        assert_eq!(logged.held_on, day(london), "{sunday}");
        assert!(logged.validate().is_empty(), "{sunday}");
        let week = Week::of(day(london));
        assert_eq!(count_in(week, ORGANISER, [&logged]), 1, "{sunday}");
        let sundays_week = Week::of(day(sunday));
        let expected = usize::from(sundays_week == week);
        assert_eq!(count_in(sundays_week, ORGANISER, [&logged]), expected);
    }
    // The 23rd of July's one-to-one recorded at 23:30 UTC on the 22nd was held "tomorrow"
    // by UTC's calendar and today by London's: it is not in the future.
    let at = utc("2026-07-22", 23, 30);
    let logged = OneToOne {
        held_on: day("2026-07-23"),
        recorded_at: at,
        ..held(1, ORGANISER, ANN, "2026-07-23")
    };
    assert!(logged.validate().is_empty());
    // In winter the same moment is still the 22nd in London.
    let winter = OneToOne {
        held_on: day("2026-01-23"),
        recorded_at: utc("2026-01-22", 23, 30),
        ..logged
    };
    assert_eq!(
        winter.validate(),
        [FieldProblem::new("held_on", Problem::InFuture)]
    );
}

#[test]
fn the_trend_shows_twelve_weeks_each_with_the_target_then_in_force() {
    // The admin set 10 a week on Wednesday 14 January and 12 on Wednesday 18 February; each
    // applies from the next Monday. A second target from the same Monday with an earlier id
    // gives way to the later one; another organiser's target is theirs.
    let first = WeeklyTarget::applies_from(day("2026-01-14"));
    let second = WeeklyTarget::applies_from(day("2026-02-18"));
    assert_eq!((first, second), (day("2026-01-19"), day("2026-02-23")));
    let targets = [
        target(3, ORGANISER, 10, first),
        target(2, ORGANISER, 12, second),
        target(1, ORGANISER, 99, second),
        target(4, ORGANISER_2, 40, first),
    ];
    let mut one_to_ones = vec![
        // Before the twelve weeks: not shown.
        held(1, ORGANISER, ANN, "2026-01-04"),
        // The first week shown (from Monday 5 January).
        held(2, ORGANISER, ANN, "2026-01-05"),
        held(3, ORGANISER, BEN, "2026-01-11"),
        // The week the first target applies from.
        held(4, ORGANISER, CAT, "2026-01-19"),
        // The week before the second target applies: still 10.
        held(5, ORGANISER, DEV, "2026-02-22"),
        held(6, ORGANISER, ANN, "2026-02-22"),
        // The week it applies from.
        held(7, ORGANISER, BEN, "2026-02-23"),
        // This week, Ann twice on one day.
        held(8, ORGANISER, ANN, "2026-03-23"),
        held(9, ORGANISER, ANN, "2026-03-23"),
        held(10, ORGANISER, CAT, "2026-03-25"),
        // Someone else's.
        held(11, ORGANISER_2, CAT, "2026-03-25"),
    ];
    check(
        my_week(ORGANISER, day("2026-03-25"), &one_to_ones, &targets),
        expect![[r#"
            week 2026-03-23: 2 of 12, 0 late
              2026-01-05   2/15
              2026-01-12   0/15
              2026-01-19   1/10
              2026-01-26   0/10
              2026-02-02   0/10
              2026-02-09   0/10
              2026-02-16   2/10
              2026-02-23   1/12
              2026-03-02   0/12
              2026-03-09   0/12
              2026-03-16   0/12
              2026-03-23   2/12
        "#]],
    );
    // Nobody set the other organiser's target before their first: the default, then 40.
    assert_eq!(
        target_in(Week::of(day("2026-01-12")), ORGANISER_2, &targets),
        DEFAULT_WEEKLY_TARGET
    );
    assert_eq!(
        target_in(Week::of(day("2026-03-25")), ORGANISER_2, &targets),
        40
    );
    // A target set on a Monday still waits for the next week.
    assert_eq!(
        WeeklyTarget::applies_from(day("2026-03-23")),
        day("2026-03-30")
    );
    assert_eq!(
        WeeklyTarget::applies_from(day("2026-12-30")),
        day("2027-01-04")
    );
    // On a Monday the trend moves on a week.
    one_to_ones.push(held(12, ORGANISER, DEV, "2026-03-30"));
    let monday = my_week(ORGANISER, day("2026-03-30"), &one_to_ones, &targets);
    assert_eq!(monday.trend.len(), organising::TREND_WEEKS);
    assert_eq!(monday.trend[0].week.monday(), day("2026-01-12"));
    assert_eq!((monday.count, monday.target), (1, 12));
}

#[test]
fn recorded_fifteen_days_after_is_late_and_fourteen_is_not() {
    let on_the_day = held(1, ORGANISER, ANN, "2026-03-01");
    let after = |days: i64| {
        recorded(
            on_the_day.clone(),
            Timestamp(on_the_day.recorded_at.0 + days * 24 * HOUR),
        )
    };
    assert!(!on_the_day.is_late());
    assert!(!after(14).is_late());
    assert!(after(15).is_late());
    // Days by London's calendar: 23:30 UTC on the 15th of June is the 16th in London, the
    // fifteenth day after the 1st.
    let june = held(2, ORGANISER, BEN, "2026-06-01");
    assert!(!recorded(june.clone(), utc("2026-06-15", 22, 59)).is_late());
    assert!(recorded(june, utc("2026-06-15", 23, 30)).is_late());

    // This week's late ones are counted, and still count toward the week. Logged twice,
    // once in good time, it was not late.
    let one_to_ones = [
        recorded(
            held(3, ORGANISER, ANN, "2026-03-02"),
            utc("2026-03-17", 9, 0),
        ),
        recorded(
            held(4, ORGANISER, BEN, "2026-03-03"),
            utc("2026-03-19", 9, 0),
        ),
        held(5, ORGANISER, BEN, "2026-03-03"),
        recorded(
            held(6, ORGANISER, CAT, "2026-03-04"),
            utc("2026-03-18", 9, 0),
        ),
    ];
    let week = my_week(ORGANISER, day("2026-03-20"), &one_to_ones, &[]);
    // Nothing was held this week; the late one is in the week it was held.
    assert_eq!((week.count, week.late), (0, 0));
    let week = my_week(ORGANISER, day("2026-03-08"), &one_to_ones, &[]);
    assert_eq!((week.count, week.late), (3, 1));
}

#[test]
fn next_steps_say_whether_they_are_overdue_due_this_week_or_later() {
    let step = |n: u128, person: PersonId, text: &str, due: Option<&str>| OneToOne {
        next_step: Some(text.to_owned()),
        next_step_due: due.map(day),
        ..held(n, ORGANISER, person, "2026-03-02")
    };
    let one_to_ones = [
        step(
            1,
            ANN,
            "Bring a neighbour to the house meeting",
            Some("2026-03-29"),
        ),
        step(2, BEN, "Read the council's reply", Some("2026-03-24")),
        step(3, CAT, "Ask the tenants' association", Some("2026-03-25")),
        step(4, DEV, "Speak at the assembly", Some("2026-04-02")),
        step(5, ANN, "Call back", Some("2026-03-10")),
        // Due the same day as Cat's: by one-to-one.
        step(6, BEN, "Send the leaflet", Some("2026-03-25")),
        // Done: gone from the list.
        OneToOne {
            next_step_done: Some(utc("2026-03-20", 12, 0)),
            ..step(7, CAT, "Find the landlord's name", Some("2026-03-19"))
        },
        // No due day: not on the list.
        step(8, DEV, "Think about hosting", None),
        // Another organiser's.
        OneToOne {
            created_by: ORGANISER_2,
            ..step(9, ANN, "Not ours", Some("2026-03-25"))
        },
    ];
    check(
        my_week(ORGANISER, day("2026-03-25"), &one_to_ones, &[]),
        expect![[r#"
            week 2026-03-23: 0 of 15, 0 late
              2026-01-05   0/15
              2026-01-12   0/15
              2026-01-19   0/15
              2026-01-26   0/15
              2026-02-02   0/15
              2026-02-09   0/15
              2026-02-16   0/15
              2026-02-23   0/15
              2026-03-02   4/15
              2026-03-09   0/15
              2026-03-16   0/15
              2026-03-23   0/15
              2026-03-10 overdue   ann: Call back (#5)
              2026-03-24 overdue   ben: Read the council's reply (#2)
              2026-03-25 this week cat: Ask the tenants' association (#3)
              2026-03-25 this week ben: Send the leaflet (#6)
              2026-03-29 this week ann: Bring a neighbour to the house meeting (#1)
              2026-04-02 later     dev: Speak at the assembly (#4)
        "#]],
    );
}

fn problems(record: &Record) -> Vec<(String, Problem)> {
    record
        .collection
        .normalise(record)
        .err()
        .unwrap_or_default()
        .into_iter()
        .map(|p| (p.field.as_str().to_owned(), p.problem))
        .collect()
}

#[test]
fn a_one_to_one_names_every_problem_by_its_field() {
    let recorded_at = utc("2026-03-25", 12, 0);
    let wrong = OneToOne {
        held_on: day("2026-03-26"),
        recorded_at,
        interest: Some(0),
        leadership: Some(6),
        next_step: Some("   ".into()),
        next_step_due: Some(day("2026-04-01")),
        next_step_done: Some(recorded_at),
        ..held(1, ORGANISER, ANN, "2026-03-25")
    };
    let found: Vec<(String, Problem)> = wrong
        .validate()
        .into_iter()
        .map(|p| (p.field.as_str().to_owned(), p.problem))
        .collect();
    let only_with_a_step = Problem::OnlyWhen {
        condition: "there is a next step".into(),
    };
    let one_to_five = Problem::OutOfRange { min: 1, max: 5 };
    assert_eq!(
        found,
        [
            ("held_on".to_owned(), Problem::InFuture),
            ("interest".to_owned(), one_to_five.clone()),
            ("leadership".to_owned(), one_to_five),
            ("next_step_due".to_owned(), only_with_a_step.clone()),
            ("next_step_done".to_owned(), only_with_a_step),
        ]
    );
    let long = OneToOne {
        next_step: Some("x".repeat(201)),
        interest: Some(1),
        leadership: Some(5),
        ..held(2, ORGANISER, ANN, "2026-03-25")
    };
    assert_eq!(
        long.validate(),
        [FieldProblem::new(
            "next_step",
            Problem::TooLong { max: 200 }
        )]
    );

    // Read from the wire: days are dates, strictly; every missing field is named.
    let record = Record::new(
        Collection::OneToOne,
        RecordId::from_u128(3),
        WARD_NORTH,
        ORGANISER,
    )
    .with("held_on", "2026-02-30")
    .with("next_step_due", "25/03/2026")
    .with("kind", "chat");
    assert_eq!(
        problems(&record),
        [
            ("person".to_owned(), Problem::Missing),
            (
                "held_on".to_owned(),
                Problem::WrongType {
                    expected: "a date (YYYY-MM-DD)".into()
                }
            ),
            ("recorded_at".to_owned(), Problem::Missing),
            (
                "kind".to_owned(),
                Problem::NotAChoice {
                    allowed: vec![
                        "introduction".into(),
                        "maintenance".into(),
                        "escalation".into()
                    ]
                }
            ),
            (
                "next_step_due".to_owned(),
                Problem::WrongType {
                    expected: "a date (YYYY-MM-DD)".into()
                }
            ),
        ]
    );
}

#[test]
fn a_one_to_one_travels_with_its_days_as_dates_and_reads_back_the_same() {
    let whole = OneToOne {
        kind: OneToOneKind::Escalation,
        issues: [organise_core::id::IssueId::from_u128(0x15)].into(),
        story: Some(StoryId::from_u128(0x57)),
        interest: Some(4),
        leadership: Some(2),
        organisation: Some(organise_core::id::OrganisationId::from_u128(0x0E)),
        next_step: Some("  Host a house meeting ".into()),
        next_step_due: Some(day("2026-04-02")),
        next_step_done: Some(utc("2026-04-01", 10, 0)),
        ..held(1, ORGANISER, ANN, "2026-03-25")
    };
    let record = whole.to_record();
    assert_eq!(record.get("held_on"), &Value::Text("2026-03-25".into()));
    assert_eq!(
        record.get("next_step_due"),
        &Value::Text("2026-04-02".into())
    );
    assert_eq!(record.about(), Some(ANN.0));
    let read = OneToOne::from_record(&record).unwrap();
    assert_eq!(read.next_step.as_deref(), Some("Host a house meeting"));
    assert_eq!(
        read,
        OneToOne {
            next_step: Some("Host a house meeting".into()),
            ..whole
        }
    );
    let set = target(1, ORGANISER, 12, day("2026-03-30"));
    assert_eq!(WeeklyTarget::from_record(&set.to_record()), Ok(set));
}

#[test]
fn a_target_names_every_problem_by_its_field() {
    let tuesday = WeeklyTarget {
        per_week: 0,
        from: day("2026-03-31"),
        ..target(1, ORGANISER, 15, day("2026-03-30"))
    };
    assert_eq!(
        problems(&tuesday.to_record()),
        [
            (
                "per_week".to_owned(),
                Problem::OutOfRange { min: 1, max: 100 }
            ),
            (
                "from".to_owned(),
                Problem::WrongType {
                    expected: "a Monday".into()
                }
            ),
        ]
    );
    for (per_week, valid) in [(1, true), (100, true), (101, false), (-3, false)] {
        let set = WeeklyTarget {
            per_week,
            ..target(1, ORGANISER, 15, day("2026-03-30"))
        };
        assert_eq!(set.validate().is_empty(), valid, "{per_week}");
    }
    let empty = Record::new(
        Collection::WeeklyTarget,
        RecordId::from_u128(2),
        CONSTITUENCY,
        ADMIN,
    );
    assert_eq!(
        problems(&empty),
        [
            ("organiser".to_owned(), Problem::Missing),
            ("per_week".to_owned(), Problem::Missing),
            ("from".to_owned(), Problem::Missing),
        ]
    );
}

#[test]
fn organisers_and_admins_of_the_area_read_make_and_edit_one_to_ones_and_nobody_else() {
    let tree = support::tree();
    let record = OneToOne {
        next_step: Some("Come to the meeting".into()),
        ..held(1, ORGANISER, ANN, "2026-03-25")
    }
    .to_record();
    let mark_done = support::set(&record, "next_step_done", Value::Time(Timestamp(1)));
    // A volunteer and a host whose list and meeting reach Ann.
    let mut volunteer = Actor::with_roles(VOLUNTEER, [(Role::Volunteer, WARD_NORTH)]);
    volunteer.people.insert(ANN);
    let mut host = Actor::with_roles(HOST, [(Role::Host, WARD_NORTH)]);
    host.people.insert(ANN);
    let cases = [
        (
            "organiser of the constituency",
            Actor::with_roles(ORGANISER, [(Role::Organiser, CONSTITUENCY)]),
            true,
        ),
        (
            "organiser of the ward",
            Actor::with_roles(UserId::from_u128(0xB9), [(Role::Organiser, WARD_NORTH)]),
            true,
        ),
        (
            "admin of the country",
            Actor::with_roles(ADMIN, [(Role::Admin, COUNTRY)]),
            true,
        ),
        (
            "organiser of the other ward",
            Actor::with_roles(UserId::from_u128(0xB9), [(Role::Organiser, WARD_SOUTH)]),
            false,
        ),
        (
            "organiser of the other region",
            Actor::with_roles(ORGANISER_2, [(Role::Organiser, OTHER_REGION)]),
            false,
        ),
        ("volunteer who reaches Ann", volunteer.clone(), false),
        ("host who reaches Ann", host, false),
    ];
    for (who, actor, may) in cases {
        let rules = Permissions::new(&actor, &tree);
        assert_eq!(rules.can_read(&record), may, "{who} reads");
        assert_eq!(rules.can_edit(&record), may, "{who} edits");
        assert_eq!(
            rules.can_apply(&support::create(&record), None).is_ok(),
            may,
            "{who} creates"
        );
        assert_eq!(
            rules.can_apply(&mark_done, Some(&record)).is_ok(),
            may,
            "{who} marks the next step done"
        );
    }
    // A volunteer is refused as only an organiser may, even one named as its maker.
    let rules = Permissions::new(&volunteer, &tree);
    let theirs = OneToOne {
        created_by: VOLUNTEER,
        ..OneToOne::from_record(&record).unwrap()
    }
    .to_record();
    assert_eq!(
        rules.can_apply(&support::create(&theirs), None),
        Err(Denied::OrganiserOnly)
    );
    assert!(!rules.can_read(&theirs));
    assert!(!rules.can_edit(&theirs));
}

#[test]
fn whoever_held_a_one_to_one_keeps_it_while_they_organise() {
    let tree = support::tree();
    // Ann moved to the other region; the constituency's organiser held it.
    let moved = OneToOne {
        area: OTHER_REGION,
        next_step: Some("Come to the meeting".into()),
        ..held(1, ORGANISER, ANN, "2026-03-25")
    }
    .to_record();
    let mark_done = support::set(&moved, "next_step_done", Value::Time(Timestamp(1)));
    let organiser = Actor::with_roles(ORGANISER, [(Role::Organiser, CONSTITUENCY)]);
    let rules = Permissions::new(&organiser, &tree);
    assert!(rules.can_read(&moved));
    assert!(rules.can_apply(&mark_done, Some(&moved)).is_ok());
    // Deleting or moving it is for the organisers of where it is.
    assert_eq!(
        rules.can_apply(&support::delete(&moved), Some(&moved)),
        Err(Denied::OrganiserOnly)
    );
    // Once they only volunteer, it is gone from them.
    let volunteer = Actor::with_roles(ORGANISER, [(Role::Volunteer, WARD_NORTH)]);
    let rules = Permissions::new(&volunteer, &tree);
    assert!(!rules.can_read(&moved));
    assert_eq!(
        rules.can_apply(&mark_done, Some(&moved)),
        Err(Denied::OutsideScope)
    );
}

#[test]
fn a_lead_organiser_sets_targets_and_an_organiser_never_their_own() {
    let tree = support::tree();
    // Olu (ORGANISER) lives in the constituency; a ward organiser lives in the north ward.
    let ward_organiser = UserId::from_u128(0xB9);
    let for_olu = target(1, ORGANISER, 12, day("2026-03-30")).to_record();
    let for_ward = WeeklyTarget {
        area: WARD_NORTH,
        ..target(2, ward_organiser, 12, day("2026-03-30"))
    }
    .to_record();
    let for_ada = WeeklyTarget {
        area: COUNTRY,
        ..target(3, ADMIN, 5, day("2026-03-30"))
    }
    .to_record();
    let admin = Actor::with_roles(ADMIN, [(Role::Admin, COUNTRY)]);
    let olu = Actor::with_roles(ORGANISER, [(Role::Organiser, CONSTITUENCY)]);
    let regional_admin = Actor::with_roles(UserId::from_u128(0xBA), [(Role::Admin, REGION)]);
    let other = Actor::with_roles(ORGANISER_2, [(Role::Organiser, OTHER_REGION)]);
    let volunteer = Actor::with_roles(VOLUNTEER, [(Role::Volunteer, WARD_NORTH)]);
    let ward = Actor::with_roles(ward_organiser, [(Role::Organiser, WARD_NORTH)]);
    let cases: [(&str, &Actor, &Record, Result<(), Denied>); 9] = [
        ("the admin, for Olu", &admin, &for_olu, Ok(())),
        ("the admin, for themselves", &admin, &for_ada, Ok(())),
        (
            "the region's admin, for Olu",
            &regional_admin,
            &for_olu,
            Ok(()),
        ),
        ("Olu, for a ward organiser", &olu, &for_ward, Ok(())),
        (
            "Olu, for themselves",
            &olu,
            &for_olu,
            Err(Denied::AdminOnly),
        ),
        (
            "the ward organiser, for themselves",
            &ward,
            &for_ward,
            Err(Denied::AdminOnly),
        ),
        (
            "the ward organiser, for Olu",
            &ward,
            &for_olu,
            Err(Denied::OrganiserOnly),
        ),
        (
            "another region's organiser",
            &other,
            &for_olu,
            Err(Denied::OrganiserOnly),
        ),
        (
            "a volunteer",
            &volunteer,
            &for_ward,
            Err(Denied::OrganiserOnly),
        ),
    ];
    for (who, actor, record, allowed) in cases {
        let rules = Permissions::new(actor, &tree);
        assert_eq!(
            rules.can_apply(&support::create(record), None),
            allowed,
            "{who} sets"
        );
        // Taking one back needs the same: Olu cannot delete the target set for them.
        assert_eq!(
            rules.can_apply(&support::delete(record), Some(record)),
            allowed,
            "{who} deletes"
        );
    }
    // Who reads a target: whom it is for, and the organisers over it.
    let reads = |actor: &Actor, record: &Record| Permissions::new(actor, &tree).can_read(record);
    assert!(reads(&olu, &for_olu));
    assert!(reads(&ward, &for_ward));
    assert!(reads(&olu, &for_ward));
    assert!(!reads(&ward, &for_olu));
    assert!(!reads(&volunteer, &for_ward));
    assert!(!reads(&other, &for_olu));
    // An organiser whose home is the country, organising only a ward, reads their own.
    let national = Actor::with_roles(ADMIN, [(Role::Organiser, WARD_SOUTH)]);
    assert!(reads(&national, &for_ada));
    assert!(!reads(&olu, &for_ada));
}

#[test]
fn a_target_is_never_edited_in_place() {
    let mut server = ReferenceServer::seeded(support::seed());
    let set = target(1, ORGANISER, 12, day("2026-03-30")).to_record();
    let key = RecordKey {
        collection: Collection::WeeklyTarget,
        id: set.id,
    };
    let push = |server: &mut ReferenceServer, ops: Vec<(RecordKey, Op)>| {
        server
            .push(
                ADMIN,
                &support::crafted_push(ClientId::from_u128(0xAD), ops),
            )
            .unwrap()
            .outcomes
    };
    let outcomes = push(
        &mut server,
        vec![
            (
                key,
                Op::Create {
                    area: set.area,
                    fields: set.fields.clone(),
                },
            ),
            (
                key,
                Op::SetField {
                    field: "per_week".into(),
                    value: Value::Int(20),
                    base_version: Version(u64::MAX >> 1),
                },
            ),
        ],
    );
    assert!(matches!(outcomes[0].outcome, Outcome::Applied { .. }));
    assert!(
        matches!(outcomes[1].outcome, Outcome::Rejected { .. }),
        "{:?}",
        outcomes[1]
    );
    let held = server.visible_to(ORGANISER).0;
    assert_eq!(held[&key].to_record().get("per_week"), &Value::Int(12));
}

#[test]
fn a_lead_organiser_sees_each_organiser_by_name_not_by_rank() {
    let user = |id: UserId, name: &str| User {
        id,
        area: CONSTITUENCY,
        created_by: ADMIN,
        name: name.into(),
        email: format!("{}@example.org", name.to_lowercase()),
        person: None,
    };
    let role = |user: UserId, role: Role| {
        RoleAssignment::from_record(&support::role(user, role, CONSTITUENCY)).unwrap()
    };
    let zed = UserId::from_u128(0xB7);
    let users = [
        user(ORGANISER, "Olu Organiser"),
        user(zed, "Abi Organiser"),
        user(VOLUNTEER, "Vic Volunteer"),
        user(ORGANISER_2, "Ola Organiser"),
    ];
    let roles = [
        role(ORGANISER, Role::Organiser),
        role(zed, Role::Organiser),
        role(VOLUNTEER, Role::Volunteer),
        role(ORGANISER_2, Role::Organiser),
    ];
    let week = Week::of(day("2026-03-25"));
    let one_to_ones = [
        held(1, ORGANISER, ANN, "2026-03-23"),
        held(2, ORGANISER, ANN, "2026-03-23"),
        held(3, ORGANISER, BEN, "2026-03-24"),
        held(4, ORGANISER_2, ANN, "2026-03-24"),
        held(5, ORGANISER_2, BEN, "2026-03-24"),
        held(6, ORGANISER_2, CAT, "2026-03-24"),
        // Last week's.
        held(7, zed, DEV, "2026-03-22"),
    ];
    let targets = [target(1, ORGANISER_2, 20, day("2026-03-16"))];
    let rows: Vec<String> = team_week(week, &users, &roles, &one_to_ones, &targets)
        .into_iter()
        .map(|r| format!("{}: {}/{}", r.name, r.count, r.target))
        .collect();
    assert_eq!(
        rows,
        [
            "Abi Organiser: 0/15",
            "Ola Organiser: 3/20",
            "Olu Organiser: 2/15"
        ]
    );
}

/// A world with Ann in the north ward and a one-to-one with her, and her story beside it.
fn world_with_ann() -> (ReferenceServer, Record, Record) {
    let mut records = support::seed();
    records.push(support::person(ANN.0, "Ann Example", WARD_NORTH, ORGANISER));
    records.push(support::person(BEN.0, "Ben Example", WARD_NORTH, ORGANISER));
    let story = organise_core::model::Story {
        id: StoryId::from_u128(0x57),
        area: WARD_NORTH,
        created_by: ORGANISER,
        person: ANN,
        text: "A synthetic story about damp".into(),
        issue: None,
        consent: organise_core::model::StoryConsent::Private,
    }
    .to_record();
    let one_to_one = OneToOne {
        story: Some(StoryId(story.id)),
        ..held(1, ORGANISER, ANN, "2026-03-25")
    }
    .to_record();
    records.push(story.clone());
    records.push(one_to_one.clone());
    records.push(held(2, ORGANISER, BEN, "2026-03-25").to_record());
    (ReferenceServer::seeded(records), one_to_one, story)
}

#[test]
fn erasing_a_person_takes_their_one_to_ones_and_stories_and_nobody_else_s() {
    let (mut server, one_to_one, story) = world_with_ann();
    let key = |r: &Record| RecordKey {
        collection: r.collection,
        id: r.id,
    };
    let bens = held(2, ORGANISER, BEN, "2026-03-25").to_record();
    let seen = server.visible_to(ORGANISER).0;
    assert!(seen.contains_key(&key(&one_to_one)) && seen.contains_key(&key(&story)));
    server.erase(ADMIN, ANN).unwrap();
    let seen = server.visible_to(ADMIN).0;
    assert!(!seen.contains_key(&key(&one_to_one)));
    assert!(!seen.contains_key(&key(&story)));
    assert!(seen.contains_key(&key(&bens)));

    // A phone says so before asking.
    let mut phone = Replica::new(ClientId::from_u128(0xC1), ORGANISER);
    phone
        .create(&support::person(
            ANN.0,
            "Ann Example",
            WARD_NORTH,
            ORGANISER,
        ))
        .unwrap();
    phone
        .create(&held(3, ORGANISER, ANN, "2026-03-25").to_record())
        .unwrap();
    phone
        .create(&held(4, ORGANISER, ANN, "2026-03-26").to_record())
        .unwrap();
    assert_eq!(records_about(&phone, ANN), [(Collection::OneToOne, 2)]);
}

#[test]
fn nobody_pulls_a_one_to_one_they_may_not_read() {
    // The volunteer's list holds Ann, so they see Ann; the one-to-one with her stays with the
    // organisers.
    let (mut server, one_to_one, _) = world_with_ann();
    let key = RecordKey {
        collection: Collection::OneToOne,
        id: one_to_one.id,
    };
    let list = Record::new(
        Collection::List,
        RecordId::from_u128(0x1157),
        WARD_NORTH,
        ORGANISER,
    )
    .with("name", "North walk")
    .with("kind", "walk")
    .with("members", Value::Ids([ANN.0].into()))
    .with("assignees", Value::Ids([VOLUNTEER.0].into()));
    let outcomes = server
        .push(
            ORGANISER,
            &support::crafted_push(
                ClientId::from_u128(0xC2),
                [(
                    RecordKey {
                        collection: Collection::List,
                        id: list.id,
                    },
                    Op::Create {
                        area: list.area,
                        fields: list.fields.clone(),
                    },
                )],
            ),
        )
        .unwrap()
        .outcomes;
    assert!(matches!(outcomes[0].outcome, Outcome::Applied { .. }));
    let volunteer = server.visible_to(VOLUNTEER).0;
    assert!(volunteer.contains_key(&RecordKey {
        collection: Collection::Person,
        id: ANN.0,
    }));
    assert!(!volunteer.contains_key(&key));
    assert!(!server.visible_to(HOST).0.contains_key(&key));
    assert!(!server.visible_to(ORGANISER_2).0.contains_key(&key));
    assert!(server.visible_to(ORGANISER).0.contains_key(&key));
    assert!(server.visible_to(ADMIN).0.contains_key(&key));
}

#[test]
fn a_day_in_a_record_is_its_date() {
    // The wire shape of a one-to-one's day: readable text, as a person would write it.
    let record = held(1, ORGANISER, ANN, "2026-03-29").to_record();
    let json = serde_json::to_value(&record).unwrap();
    assert_eq!(json["fields"]["held_on"]["text"], "2026-03-29");
    assert_eq!(json["collection"], "one_to_one");
    assert_eq!(json["fields"]["recorded_at"]["time"], 1_774_807_200_000_i64);
}
