//! The ladder of engagement: a person's rung is their latest move and the moves before it
//! their history; the next rung up skips retired ones; an area's chart counts everyone once;
//! rungs are the organisation's (set at the root by its admins, read by every role, never
//! deleted); moves are organisers' (read and made by organisers and admins of the person's
//! area, never by volunteers or hosts who reach the person), filed where the person is, and
//! erased with them; a retired rung takes no new move.

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, HOST, ORGANISER, ORGANISER_2, OTHER_REGION, REGION,
    VOLUNTEER, WARD_NORTH, WARD_SOUTH,
};
use organise_core::id::{LadderMoveId, PersonId, RecordId, RungId, Timestamp, UserId};
use organise_core::ladder::{self, Chart, DEFAULT_LADDER, RECENT_DAYS};
use organise_core::model::{LadderMove, Role, Rung};
use organise_core::permission::{Actor, Denied, Permissions};
use organise_core::record::Entity;
use organise_core::sync::{Op, Outcome, RecordKey, ReferenceServer};
use organise_core::{Collection, FieldProblem, Problem, Value};

const DAY: i64 = 24 * 3_600_000;
const NOW: Timestamp = Timestamp(1_790_000_000_000);

const ANN: PersonId = PersonId::from_u128(0x501);
const BEN: PersonId = PersonId::from_u128(0x502);
const CAT: PersonId = PersonId::from_u128(0x503);

const SUPPORTER: RungId = RungId::from_u128(0x601);
const VOLUNTEERING: RungId = RungId::from_u128(0x602);
const HOSTING: RungId = RungId::from_u128(0x603);
const LEADER: RungId = RungId::from_u128(0x604);

fn rung(id: RungId, name: &str, position: i64) -> Rung {
    Rung {
        id,
        area: COUNTRY,
        created_by: ADMIN,
        name: name.into(),
        position,
        retired: false,
    }
}

fn rungs() -> Vec<Rung> {
    // Given out of order: the ladder's order is by position.
    vec![
        rung(LEADER, "Leader", 4),
        rung(SUPPORTER, "Supporter", 1),
        rung(HOSTING, "Host", 3),
        rung(VOLUNTEERING, "Volunteer", 2),
    ]
}

/// The `n`th move, of `person` to `rung`, `days_ago` days before [`NOW`], by the organiser.
fn moved(n: u128, person: PersonId, rung: RungId, days_ago: i64) -> LadderMove {
    LadderMove {
        id: LadderMoveId::from_u128(0x7000 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        person,
        rung,
        at: Timestamp(NOW.0 - days_ago * DAY),
        why: None,
        one_to_one: None,
        meeting: None,
    }
}

#[test]
fn a_persons_rung_is_their_latest_move_whatever_order_the_moves_arrive_in() {
    let moves = vec![
        moved(3, ANN, HOSTING, 1),
        moved(1, ANN, SUPPORTER, 40),
        moved(2, ANN, VOLUNTEERING, 10),
        moved(4, BEN, SUPPORTER, 5),
    ];
    let current = ladder::current(&moves);
    assert_eq!(current[&ANN].rung, HOSTING);
    assert_eq!(current[&BEN].rung, SUPPORTER);
    assert!(!current.contains_key(&CAT), "no move: not on the ladder");
    // Taking the latest move back leaves the one before it in force.
    let taken_back: Vec<LadderMove> = moves
        .iter()
        .filter(|m| m.rung != HOSTING)
        .cloned()
        .collect();
    assert_eq!(ladder::current(&taken_back)[&ANN].rung, VOLUNTEERING);
}

#[test]
fn two_moves_at_the_same_moment_are_settled_by_id_on_every_device() {
    let a = moved(1, ANN, SUPPORTER, 2);
    let b = moved(2, ANN, LEADER, 2);
    for moves in [vec![a.clone(), b.clone()], vec![b.clone(), a.clone()]] {
        assert_eq!(ladder::current(&moves)[&ANN].rung, LEADER);
    }
}

#[test]
fn history_is_newest_first_with_the_rung_each_move_left() {
    let moves = vec![
        moved(2, ANN, HOSTING, 10),
        moved(4, BEN, LEADER, 1),
        moved(1, ANN, SUPPORTER, 40),
        moved(3, ANN, VOLUNTEERING, 2),
    ];
    let history: Vec<(RungId, Option<RungId>)> = ladder::history(ANN, &moves)
        .iter()
        .map(|entry| (entry.step.rung, entry.from))
        .collect();
    assert_eq!(
        history,
        vec![
            (VOLUNTEERING, Some(HOSTING)),
            (HOSTING, Some(SUPPORTER)),
            (SUPPORTER, None),
        ],
        "a move down is history too"
    );
    assert!(ladder::history(CAT, &moves).is_empty());
}

#[test]
fn the_next_rung_up_skips_retired_rungs_and_there_is_none_at_the_top() {
    let mut rungs = rungs();
    rungs
        .iter_mut()
        .find(|r| r.id == HOSTING)
        .expect("host")
        .retired = true;
    let ordered = ladder::in_order(&rungs);
    let names: Vec<&str> = ordered.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["Supporter", "Volunteer", "Host", "Leader"]);
    let next = |current| ladder::next_up(&ordered, current).map(|r| r.id);
    assert_eq!(next(None), Some(SUPPORTER), "onto the ladder at the bottom");
    assert_eq!(next(Some(SUPPORTER)), Some(VOLUNTEERING));
    assert_eq!(next(Some(VOLUNTEERING)), Some(LEADER), "host is retired");
    assert_eq!(next(Some(HOSTING)), Some(LEADER), "off a retired rung");
    assert_eq!(next(Some(LEADER)), None);
    assert_eq!(
        next(Some(RungId::from_u128(0x6FF))),
        None,
        "an unknown rung"
    );
}

#[test]
fn rungs_sharing_a_position_are_ordered_by_name() {
    let rungs = vec![rung(LEADER, "Steward", 2), rung(HOSTING, "Host", 2)];
    let names: Vec<&str> = ladder::in_order(&rungs)
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["Host", "Steward"]);
}

fn counts(chart: &Chart) -> Vec<(String, usize)> {
    chart
        .steps
        .iter()
        .map(|s| (s.name.clone(), s.people))
        .collect()
}

#[test]
fn an_areas_chart_counts_everyone_once_and_who_moved_in_the_last_thirty_days() {
    let moves = vec![
        moved(1, ANN, SUPPORTER, 60),
        moved(2, ANN, VOLUNTEERING, 20),
        moved(3, ANN, HOSTING, 3),
        moved(4, BEN, VOLUNTEERING, 90),
        moved(5, BEN, SUPPORTER, 29),
        // Someone outside the area counts nowhere in it.
        moved(6, PersonId::from_u128(0x5FF), LEADER, 1),
        // A move just older than the window.
        moved(7, CAT, SUPPORTER, RECENT_DAYS + 1),
    ];
    let people = [ANN, BEN, CAT, PersonId::from_u128(0x599), ANN];
    let chart = ladder::chart(&rungs(), &moves, people, NOW);
    assert_eq!(
        counts(&chart),
        vec![
            ("Supporter".into(), 2),
            ("Volunteer".into(), 0),
            ("Host".into(), 1),
            ("Leader".into(), 0),
        ]
    );
    assert_eq!(chart.not_on_ladder, 1);
    assert_eq!(
        chart.on_ladder() + chart.not_on_ladder,
        4,
        "Ann counted once"
    );
    let recent: Vec<(PersonId, Option<RungId>, RungId, bool)> = chart
        .recent
        .iter()
        .map(|r| (r.person, r.from, r.to, r.up))
        .collect();
    assert_eq!(
        recent,
        vec![
            (ANN, Some(VOLUNTEERING), HOSTING, true),
            (ANN, Some(SUPPORTER), VOLUNTEERING, true),
            (BEN, Some(VOLUNTEERING), SUPPORTER, false),
        ]
    );
}

#[test]
fn a_retired_rung_shows_while_anyone_is_on_it_and_an_unknown_rung_is_not_lost() {
    let mut rungs = rungs();
    for rung in &mut rungs {
        if rung.id == HOSTING || rung.id == LEADER {
            rung.retired = true;
        }
    }
    let moves = vec![
        moved(1, ANN, HOSTING, 100),
        moved(2, BEN, RungId::from_u128(0x6FF), 100),
    ];
    let chart = ladder::chart(&rungs, &moves, [ANN, BEN, CAT], NOW);
    assert_eq!(
        counts(&chart),
        vec![
            ("Supporter".into(), 0),
            ("Volunteer".into(), 0),
            ("Host".into(), 1),
        ]
    );
    assert!(chart.steps[2].retired);
    assert_eq!(chart.not_on_ladder, 2);
    assert!(chart.recent.is_empty());
}

#[test]
fn the_default_ladder_is_five_rungs_at_the_root_in_order() {
    let next = std::cell::Cell::new(0x900_u128);
    let ladder = ladder::default_ladder(COUNTRY, ADMIN, || {
        next.set(next.get() + 1);
        RecordId::from_u128(next.get())
    });
    let names: Vec<&str> = ladder::in_order(&ladder)
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, DEFAULT_LADDER);
    assert!(ladder.iter().all(|r| r.area == COUNTRY && !r.retired));
    for rung in &ladder {
        assert_eq!(Rung::from_record(&rung.to_record()).as_ref(), Ok(rung));
    }
}

#[test]
fn a_rung_needs_a_name_and_a_place_and_a_move_keeps_its_reason_trimmed() {
    let bad = Rung {
        name: "  ".into(),
        position: 0,
        ..rung(SUPPORTER, "x", 1)
    };
    assert_eq!(
        Rung::from_record(&bad.to_record()),
        Err(vec![
            FieldProblem::new("name", Problem::Empty),
            FieldProblem::new(
                "position",
                Problem::OutOfRange {
                    min: 1,
                    max: organise_core::model::MAX_RUNG_POSITION
                }
            ),
        ])
    );
    let step = LadderMove {
        why: Some("  ran the stall on her own \n".into()),
        ..moved(1, ANN, HOSTING, 0)
    };
    let read = LadderMove::from_record(&step.to_record()).expect("valid");
    assert_eq!(read.why.as_deref(), Some("ran the stall on her own"));
    let blank = LadderMove {
        why: Some("   ".into()),
        ..moved(1, ANN, HOSTING, 0)
    };
    assert_eq!(
        LadderMove::from_record(&blank.to_record()).unwrap().why,
        None
    );
}

#[test]
fn rungs_are_set_at_the_root_by_its_admins_read_by_every_role_and_never_deleted() {
    let tree = support::tree();
    let at_root = rung(SUPPORTER, "Supporter", 1).to_record();
    let in_region = Rung {
        area: REGION,
        ..rung(LEADER, "Leader", 4)
    }
    .to_record();
    let admin = Actor::with_roles(ADMIN, [(Role::Admin, COUNTRY)]);
    let regional_admin = Actor::with_roles(UserId::from_u128(0xBA), [(Role::Admin, REGION)]);
    let national_organiser =
        Actor::with_roles(UserId::from_u128(0xBB), [(Role::Organiser, COUNTRY)]);
    let organiser = Actor::with_roles(ORGANISER, [(Role::Organiser, CONSTITUENCY)]);
    let volunteer = Actor::with_roles(VOLUNTEER, [(Role::Volunteer, WARD_NORTH)]);
    let host = Actor::with_roles(HOST, [(Role::Host, WARD_NORTH)]);
    let nobody = Actor::with_roles(UserId::from_u128(0xBC), []);
    // Setting the ladder.
    let rules = |actor| Permissions::new(actor, &tree);
    assert_eq!(
        rules(&admin).can_apply(&support::create(&at_root), None),
        Ok(())
    );
    assert_eq!(
        rules(&admin).can_apply(&support::create(&in_region), None),
        Err(Denied::AdminOnly),
        "the ladder is the whole organisation's"
    );
    for (who, actor) in [
        ("a region's admin", &regional_admin),
        ("a national organiser", &national_organiser),
        ("an organiser", &organiser),
        ("a volunteer", &volunteer),
    ] {
        assert_eq!(
            rules(actor).can_apply(&support::create(&at_root), None),
            Err(Denied::AdminOnly),
            "{who} creates a rung"
        );
        assert!(!rules(actor).can_edit(&at_root), "{who} edits a rung");
    }
    // Renaming, reordering and retiring are the root admin's.
    for (field, value) in [
        ("name", Value::Text("Backer".into())),
        ("position", Value::Int(2)),
        ("retired", Value::Bool(true)),
    ] {
        let change = support::set(&at_root, field, value);
        assert_eq!(rules(&admin).can_apply(&change, Some(&at_root)), Ok(()));
        assert_eq!(
            rules(&national_organiser).can_apply(&change, Some(&at_root)),
            Err(Denied::OutsideScope),
            "{field}"
        );
    }
    // Never deleted, never moved out of the root.
    assert_eq!(
        rules(&admin).can_apply(&support::delete(&at_root), Some(&at_root)),
        Err(Denied::RungsAreKept)
    );
    assert_eq!(
        rules(&admin).can_apply(
            &support::set(&at_root, "area", Value::Id(REGION.0)),
            Some(&at_root)
        ),
        Err(Denied::RungsAreKept)
    );
    // Everyone with a role reads them; someone with none does not.
    for (who, actor, reads) in [
        ("the admin", &admin, true),
        ("an organiser", &organiser, true),
        ("a volunteer", &volunteer, true),
        ("a host", &host, true),
        ("someone with no role", &nobody, false),
    ] {
        assert_eq!(rules(actor).can_read(&at_root), reads, "{who}");
    }
}

#[test]
fn moves_are_read_and_made_by_organisers_of_the_persons_area_and_never_by_volunteers() {
    let tree = support::tree();
    let record = moved(1, ANN, HOSTING, 0).to_record();
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
        assert_eq!(
            rules.can_apply(&support::create(&record), None).is_ok(),
            may,
            "{who} moves Ann"
        );
        assert_eq!(
            rules
                .can_apply(&support::delete(&record), Some(&record))
                .is_ok(),
            may,
            "{who} takes the move back"
        );
    }
    let rules = Permissions::new(&volunteer, &tree);
    assert_eq!(
        rules.can_apply(&support::create(&record), None),
        Err(Denied::OrganiserOnly)
    );
}

#[test]
fn a_crafted_move_is_filed_where_its_person_is_and_names_only_what_its_writer_sees() {
    let mut server = ReferenceServer::seeded(support::seed());
    let ladder = rung(HOSTING, "Host", 3).to_record();
    let ann = support::person(ANN.0, "Ann Example", WARD_NORTH, ORGANISER);
    let far = support::person(BEN.0, "Ben Example", OTHER_REGION, ORGANISER_2);
    let outcomes = support::push_as(&mut server, ADMIN, vec![support::creating(&ladder)]);
    assert!(
        matches!(outcomes[0], Outcome::Applied { .. }),
        "{outcomes:?}"
    );
    let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&ann)]);
    assert!(
        matches!(outcomes[0], Outcome::Applied { .. }),
        "{outcomes:?}"
    );
    let outcomes = support::push_as(&mut server, ORGANISER_2, vec![support::creating(&far)]);
    assert!(
        matches!(outcomes[0], Outcome::Applied { .. }),
        "{outcomes:?}"
    );

    // Filed in another ward than Ann's.
    let elsewhere = LadderMove {
        area: WARD_SOUTH,
        ..moved(1, ANN, HOSTING, 0)
    }
    .to_record();
    let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&elsewhere)]);
    assert_eq!(
        support::refused_for(&outcomes[0]),
        vec![FieldProblem::new(
            "area",
            Problem::AreaMismatch {
                other: "person".into()
            }
        )]
    );

    // Naming someone in another region, filed in the organiser's own ward.
    let reach = LadderMove {
        person: BEN,
        ..moved(2, BEN, HOSTING, 0)
    }
    .to_record();
    let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&reach)]);
    assert!(
        support::refused_for(&outcomes[0])
            .contains(&FieldProblem::new("person", Problem::UnknownReference)),
        "{outcomes:?}"
    );

    // Naming a rung that does not exist.
    let no_rung = moved(3, ANN, RungId::from_u128(0x6FF), 0).to_record();
    let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&no_rung)]);
    assert_eq!(
        support::refused_for(&outcomes[0]),
        vec![FieldProblem::new("rung", Problem::UnknownReference)]
    );

    // The move as it should be.
    let good = moved(4, ANN, HOSTING, 0).to_record();
    let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&good)]);
    assert!(
        matches!(outcomes[0], Outcome::Applied { .. }),
        "{outcomes:?}"
    );
    // A volunteer's pull holds the ladder's rungs but no move.
    let held = server.visible_to(VOLUNTEER).0;
    assert!(held.keys().any(|k| k.collection == Collection::Rung));
    assert!(!held.keys().any(|k| k.collection == Collection::LadderMove));
    let moves_held = |server: &mut ReferenceServer| {
        server
            .visible_to(ADMIN)
            .0
            .keys()
            .filter(|k| k.collection == Collection::LadderMove)
            .count()
    };
    assert_eq!(moves_held(&mut server), 1);
    // Erasing Ann takes her moves with her.
    server.erase(ADMIN, ANN).expect("the admin erases Ann");
    assert_eq!(moves_held(&mut server), 0);
}

#[test]
fn a_retired_rung_keeps_the_moves_that_name_it_and_takes_no_new_one() {
    let mut server = ReferenceServer::seeded(support::seed());
    let hosting = rung(HOSTING, "Host", 3).to_record();
    let ann = support::person(ANN.0, "Ann Example", WARD_NORTH, ORGANISER);
    let mut made = Vec::new();
    for (user, record) in [(ADMIN, &hosting), (ORGANISER, &ann)] {
        let outcomes = support::push_as(&mut server, user, vec![support::creating(record)]);
        match outcomes[0] {
            Outcome::Applied { version } => made.push(version),
            _ => panic!("{outcomes:?}"),
        }
    }
    let before = moved(1, ANN, HOSTING, 0).to_record();
    let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&before)]);
    assert!(
        matches!(outcomes[0], Outcome::Applied { .. }),
        "{outcomes:?}"
    );

    // The root's admin retires it.
    let retire = Op::SetField {
        field: "retired".into(),
        value: Value::Bool(true),
        base_version: made[0],
    };
    let key = RecordKey {
        collection: Collection::Rung,
        id: HOSTING.0,
    };
    let outcomes = support::push_as(&mut server, ADMIN, vec![(key, retire)]);
    assert!(
        matches!(outcomes[0], Outcome::Applied { .. }),
        "{outcomes:?}"
    );

    // A new move onto it, crafted or made offline before the news arrived, is refused by
    // its field; the move made before stays.
    let after = moved(2, ANN, HOSTING, 0).to_record();
    let outcomes = support::push_as(&mut server, ORGANISER, vec![support::creating(&after)]);
    assert_eq!(
        support::refused_for(&outcomes[0]),
        vec![FieldProblem::new("rung", Problem::Retired)]
    );
    let moves: Vec<_> = server
        .visible_to(ADMIN)
        .0
        .into_keys()
        .filter(|k| k.collection == Collection::LadderMove)
        .collect();
    assert_eq!(moves.len(), 1);
}
