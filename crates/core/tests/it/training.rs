//! Training: a module kept as a skill is, everyone who came to a training meeting recorded
//! once (not those who only said they would, not anyone recorded already), one recorded by
//! hand, who in a constituency's wards is trained in a module, the modules for a picker, who
//! may read and record trainings, crafted ones refused, and erasure.

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, HOST, ORGANISER, ORGANISER_2, OTHER_REGION, VOLUNTEER,
    WARD_NORTH, WARD_SOUTH,
};
use organise_core::calendar::{Day, london_day};
use organise_core::id::{
    AttendanceId, MeetingId, PersonId, RecordId, Timestamp, TrainingId, UserId,
};
use organise_core::model::{
    Anonymous, Attendance, AttendanceStatus, Meeting, MeetingKind, MeetingStatus, Person, Role,
    Source, Training,
};
use organise_core::permission::{Actor, Denied, Permissions};
use organise_core::record::Entity;
use organise_core::sync::{Outcome, RecordKey, ReferenceServer};
use organise_core::training::{self, Trained};
use organise_core::{Collection, FieldProblem, Problem, Record};

/// 2026-09-19 at 10:00 in London (09:00 UTC).
const STARTS: Timestamp = Timestamp(1_789_808_400_000);
const MEETING: MeetingId = MeetingId::from_u128(0x701);

const ANN: PersonId = PersonId::from_u128(0x501);
const BEN: PersonId = PersonId::from_u128(0x502);
const CAT: PersonId = PersonId::from_u128(0x503);
const DEV: PersonId = PersonId::from_u128(0x504);
const EVE: PersonId = PersonId::from_u128(0x505);
const FIN: PersonId = PersonId::from_u128(0x506);
const GUS: PersonId = PersonId::from_u128(0x507);

fn day(text: &str) -> Day {
    Day::parse(text).expect("a day")
}

fn meeting(kind: MeetingKind) -> Meeting {
    Meeting {
        id: MEETING,
        area: WARD_NORTH,
        created_by: ORGANISER,
        kind,
        title: "One-to-ones: how and why".into(),
        host: ORGANISER,
        speaker: None,
        place: "A synthetic hall".into(),
        starts: STARTS,
        ends: None,
        capacity: None,
        campaign: None,
        status: MeetingStatus::Approved,
        grew_from: None,
        from_conversation: None,
    }
}

fn person(id: PersonId, name: &str, area: organise_core::id::AreaId) -> Person {
    Person::new(id, area, ORGANISER, name, Source::Meeting)
}

/// The `n`th attendance at the meeting: `person` with `status`.
fn attendance(n: u128, person: Option<PersonId>, status: AttendanceStatus) -> Attendance {
    let came = status == AttendanceStatus::Attended;
    Attendance {
        id: AttendanceId::from_u128(0x800 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        meeting: MEETING,
        person,
        status,
        signed_in_at: came.then_some(STARTS),
        anonymous: person.is_none().then_some(Anonymous::UnderSixteen),
        would_host: false,
        issues: Default::default(),
        matched: None,
        returning: None,
        consents: Default::default(),
    }
}

/// The `n`th training, of `person` in `module` on `on`.
fn trained(n: u128, person: PersonId, module: &str, on: &str) -> Training {
    Training {
        id: TrainingId::from_u128(0x900 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        person,
        module: module.into(),
        on: day(on),
        meeting: None,
    }
}

#[test]
fn a_module_is_kept_as_a_skill_is_and_checked_by_its_field() {
    let read =
        Training::from_record(&trained(1, ANN, "  One-to-ones \n", "2026-09-19").to_record())
            .expect("valid");
    assert_eq!(read.module, "One-to-ones");
    // The person's own rule for a skill gives the same.
    let with_skill = Person {
        skills: ["  One-to-ones \n".to_owned()].into(),
        ..person(ANN, "Ann Example", WARD_NORTH)
    };
    let skills = Person::from_record(&with_skill.to_record()).unwrap().skills;
    assert_eq!(skills.into_iter().collect::<Vec<_>>(), [read.module]);
    for (module, problem) in [
        ("   ", Problem::Empty),
        (&*"x".repeat(201), Problem::TooLong { max: 200 }),
    ] {
        assert_eq!(
            Training::from_record(&trained(1, ANN, module, "2026-09-19").to_record()),
            Err(vec![FieldProblem::new("module", problem)])
        );
    }
    let no_day = trained(1, ANN, "Door knocking", "2026-09-19")
        .to_record()
        .with("on", "19 September");
    assert_eq!(
        Training::from_record(&no_day),
        Err(vec![FieldProblem::new(
            "on",
            Problem::WrongType {
                expected: "a date (YYYY-MM-DD)".into()
            }
        )])
    );
}

#[test]
fn a_training_meeting_records_everyone_who_came_once_and_no_one_else() {
    let people = [
        person(ANN, "Ann Example", WARD_NORTH),
        person(BEN, "Ben Example", WARD_NORTH),
        person(CAT, "Cat Example", WARD_SOUTH),
        person(DEV, "Dev Example", WARD_NORTH),
        person(EVE, "Eve Example", WARD_NORTH),
        person(FIN, "Fin Example", WARD_SOUTH),
    ];
    use AttendanceStatus::{Attended, Declined, Invited, Rsvp};
    let attendances = [
        // Came.
        attendance(1, Some(ANN), Attended),
        // Invited, never came.
        attendance(2, Some(BEN), Invited),
        // Said yes, then could not come.
        attendance(3, Some(CAT), Rsvp),
        attendance(4, Some(CAT), Declined),
        // Signed in on two devices: one training.
        attendance(5, Some(DEV), Attended),
        attendance(6, Some(DEV), Attended),
        // Came, and already recorded for this module at this meeting.
        attendance(7, Some(EVE), Attended),
        // Came, and trained before in another module: trained in this one too. Lives in the
        // other ward, where the training is filed.
        attendance(8, Some(FIN), Rsvp),
        attendance(9, Some(FIN), Attended),
        // Someone under 16, counted only.
        attendance(10, None, Attended),
        // Came, but not on this device: where to file them is not known.
        attendance(11, Some(GUS), Attended),
    ];
    let recorded = [
        Training {
            meeting: Some(MEETING),
            ..trained(1, EVE, "One-to-ones", "2026-09-19")
        },
        Training {
            meeting: Some(MEETING),
            ..trained(2, FIN, "Door knocking", "2026-09-19")
        },
        // Another meeting's training in the module does not count as this one.
        trained(3, ANN, "One-to-ones", "2026-01-10"),
    ];
    let next = std::cell::Cell::new(0xA00_u128);
    let mint = || {
        next.set(next.get() + 1);
        RecordId::from_u128(next.get())
    };
    let made = training::from_meeting(
        &meeting(MeetingKind::Training),
        &attendances,
        &people,
        &recorded,
        " One-to-ones ",
        ORGANISER,
        mint,
    )
    .expect("a training");
    let who: Vec<(PersonId, organise_core::id::AreaId)> =
        made.iter().map(|t| (t.person, t.area)).collect();
    assert_eq!(
        who,
        [(ANN, WARD_NORTH), (DEV, WARD_NORTH), (FIN, WARD_SOUTH)]
    );
    for t in &made {
        assert_eq!(t.module, "One-to-ones");
        assert_eq!(t.on, london_day(STARTS));
        assert_eq!(t.on, day("2026-09-19"));
        assert_eq!(t.meeting, Some(MEETING));
        assert_eq!(t.created_by, ORGANISER);
        assert_eq!(Training::from_record(&t.to_record()).as_ref(), Ok(t));
    }
    let ids: std::collections::BTreeSet<TrainingId> = made.iter().map(|t| t.id).collect();
    assert_eq!(ids.len(), 3, "each its own id");
    // Recording again gives nobody twice.
    let again: Vec<Training> = recorded.iter().chain(&made).cloned().collect();
    let twice = training::from_meeting(
        &meeting(MeetingKind::Training),
        &attendances,
        &people,
        &again,
        "One-to-ones",
        ORGANISER,
        || RecordId::from_u128(0xAFF),
    );
    assert_eq!(twice, Ok(Vec::new()));
}

#[test]
fn only_a_training_gives_trainings_and_the_module_is_checked() {
    let attendances = [attendance(1, Some(ANN), AttendanceStatus::Attended)];
    let people = [person(ANN, "Ann Example", WARD_NORTH)];
    let from = |kind, module| {
        training::from_meeting(
            &meeting(kind),
            &attendances,
            &people,
            &[],
            module,
            ORGANISER,
            || RecordId::from_u128(0xA01),
        )
    };
    assert_eq!(
        from(MeetingKind::HouseMeeting, "   "),
        Err(vec![
            FieldProblem::new(
                "meeting",
                Problem::WrongType {
                    expected: "a training".into()
                }
            ),
            FieldProblem::new("module", Problem::Empty),
        ])
    );
    assert_eq!(
        from(MeetingKind::PublicMeeting, "One-to-ones").map_err(|p| p.len()),
        Err(1)
    );
    assert_eq!(
        from(MeetingKind::Training, "One-to-ones").map(|t| t.len()),
        Ok(1)
    );
}

#[test]
fn a_training_by_hand_is_filed_with_its_person_kept_as_a_module_is_and_never_ahead_of_today() {
    let ben = person(BEN, "Ben Example", WARD_SOUTH);
    let id = TrainingId::from_u128(0xB01);
    let today = day("2026-09-19");
    assert_eq!(
        training::by_hand(
            &ben,
            "  Door knocking ",
            day("2026-09-12"),
            today,
            ORGANISER_2,
            id
        ),
        Ok(Training {
            id,
            area: WARD_SOUTH,
            created_by: ORGANISER_2,
            person: BEN,
            module: "Door knocking".into(),
            on: day("2026-09-12"),
            meeting: None,
        })
    );
    assert_eq!(
        training::by_hand(&ben, "First aid", today, today, ORGANISER, id).map(|t| t.on),
        Ok(today)
    );
    assert_eq!(
        training::by_hand(&ben, " ", day("2026-09-20"), today, ORGANISER, id),
        Err(vec![
            FieldProblem::new("module", Problem::Empty),
            FieldProblem::new("on", Problem::InFuture),
        ])
    );
}

#[test]
fn who_in_a_constituency_is_trained_in_a_module_counts_its_wards_with_each_latest_day() {
    let people = [
        person(ANN, "ann Example", WARD_NORTH),
        person(BEN, "Ben Example", WARD_SOUTH),
        person(CAT, "Cat Example", CONSTITUENCY),
        person(DEV, "Dev Example", OTHER_REGION),
        person(EVE, "Eve Example", WARD_NORTH),
    ];
    let trainings = [
        trained(1, ANN, "One-to-ones", "2026-01-10"),
        Training {
            meeting: Some(MEETING),
            ..trained(2, ANN, "One-to-ones", "2026-09-19")
        },
        trained(3, ANN, "One-to-ones", "2026-03-01"),
        trained(4, BEN, "One-to-ones", "2026-02-02"),
        trained(5, CAT, "One-to-ones", "2026-02-03"),
        // Outside the constituency.
        trained(6, DEV, "One-to-ones", "2026-02-04"),
        // Another module.
        trained(7, EVE, "Door knocking", "2026-02-05"),
        // Someone not on the device (erased, or out of sight).
        trained(8, GUS, "One-to-ones", "2026-02-06"),
    ];
    let tree = support::tree();
    let read = |module: &str, area| -> Vec<(PersonId, Day, Option<MeetingId>)> {
        training::trained_in(module, area, &tree, &trainings, &people)
            .into_iter()
            .map(
                |Trained {
                     person,
                     on,
                     meeting,
                     ..
                 }| (person, on, meeting),
            )
            .collect()
    };
    assert_eq!(
        read("  One-to-ones ", CONSTITUENCY),
        [
            (ANN, day("2026-09-19"), Some(MEETING)),
            (BEN, day("2026-02-02"), None),
            (CAT, day("2026-02-03"), None),
        ],
        "by name whatever the case, each once with their latest day"
    );
    assert_eq!(
        read("One-to-ones", WARD_SOUTH),
        [(BEN, day("2026-02-02"), None)]
    );
    assert_eq!(read("One-to-ones", COUNTRY).len(), 4);
    assert_eq!(
        read("Door knocking", CONSTITUENCY),
        [(EVE, day("2026-02-05"), None)]
    );
    assert!(read("Phone banking", CONSTITUENCY).is_empty());
    assert!(read("", CONSTITUENCY).is_empty());
    assert_eq!(
        training::trained_in("One-to-ones", WARD_NORTH, &tree, &trainings, &people)[0].name,
        "ann Example"
    );
    assert_eq!(
        training::modules(&trainings),
        ["Door knocking", "One-to-ones"]
    );
    let mixed = [
        trained(1, ANN, "one-to-ones", "2026-01-01"),
        trained(2, ANN, "Canvassing", "2026-01-01"),
        trained(3, BEN, "Canvassing", "2026-01-01"),
        trained(4, BEN, "Budgets", "2026-01-01"),
    ];
    assert_eq!(
        training::modules(&mixed),
        ["Budgets", "Canvassing", "one-to-ones"],
        "each once, alphabetical whatever the case"
    );
}

#[test]
fn trainings_are_read_and_recorded_by_organisers_of_the_persons_area_only() {
    let tree = support::tree();
    let record = trained(1, ANN, "One-to-ones", "2026-09-19").to_record();
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
        assert_eq!(
            rules.can_apply(&support::create(&record), None).is_ok(),
            may,
            "{who} records"
        );
        assert_eq!(
            rules
                .can_apply(&support::delete(&record), Some(&record))
                .is_ok(),
            may,
            "{who} deletes"
        );
    }
    assert_eq!(
        Permissions::new(&volunteer, &tree).can_apply(&support::create(&record), None),
        Err(Denied::OrganiserOnly)
    );
    assert!(Collection::Training.is_append_only());
}

#[test]
fn a_crafted_training_is_filed_with_its_person_names_only_what_its_writer_sees_and_is_erased() {
    let mut server = ReferenceServer::seeded(support::seed());
    let ann = person(ANN, "Ann Example", WARD_NORTH).to_record();
    let far = support::person(BEN.0, "Ben Example", OTHER_REGION, ORGANISER_2);
    let far_meeting = Meeting {
        area: OTHER_REGION,
        created_by: ORGANISER_2,
        host: ORGANISER_2,
        id: MeetingId::from_u128(0x7FF),
        ..meeting(MeetingKind::Training)
    }
    .to_record();
    let own_meeting = meeting(MeetingKind::Training).to_record();
    let applied = |outcomes: Vec<Outcome>| {
        assert!(
            outcomes
                .iter()
                .all(|o| matches!(o, Outcome::Applied { .. })),
            "{outcomes:?}"
        );
    };
    applied(support::push_as(
        &mut server,
        ORGANISER,
        vec![support::creating(&ann), support::creating(&own_meeting)],
    ));
    applied(support::push_as(
        &mut server,
        ORGANISER_2,
        vec![support::creating(&far), support::creating(&far_meeting)],
    ));
    let mut refused = |record: Record| {
        let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&record)]);
        support::refused_for(&outcomes[0])
    };
    let unknown = |field: &str| FieldProblem::new(field, Problem::UnknownReference);
    // Someone in another region, filed in the organiser's own ward.
    let reach = trained(1, BEN, "One-to-ones", "2026-09-19");
    assert!(refused(reach.to_record()).contains(&unknown("person")));
    // A meeting in another region.
    let at_far = Training {
        meeting: Some(MeetingId::from_u128(0x7FF)),
        ..trained(2, ANN, "One-to-ones", "2026-09-19")
    };
    assert_eq!(refused(at_far.to_record()), vec![unknown("meeting")]);
    // Filed in another ward than Ann's.
    let elsewhere = Training {
        area: WARD_SOUTH,
        ..trained(3, ANN, "One-to-ones", "2026-09-19")
    };
    assert_eq!(
        refused(elsewhere.to_record()),
        vec![FieldProblem::new(
            "area",
            Problem::AreaMismatch {
                other: "person".into()
            }
        )]
    );
    // As it should be.
    let good = Training {
        meeting: Some(MEETING),
        ..trained(4, ANN, "One-to-ones", "2026-09-19")
    }
    .to_record();
    applied(support::push_as(
        &mut server,
        ORGANISER,
        vec![support::creating(&good)],
    ));
    let key = RecordKey {
        collection: Collection::Training,
        id: good.id,
    };
    assert!(!server.visible_to(VOLUNTEER).0.contains_key(&key));
    assert!(server.visible_to(ORGANISER).0.contains_key(&key));
    server.erase(ADMIN, ANN).expect("the admin erases Ann");
    assert!(
        !server.visible_to(ADMIN).0.contains_key(&key),
        "her training goes with her"
    );
}
