//! Building a new walk list over a small synthetic constituency: whom each reach picks, the
//! street and tag filters, people who asked not to be knocked again or moved away left out
//! and counted, the list built from the draft, every problem named by its field, and the
//! areas an organiser can build one in.

use crate::support::{
    self, ADMIN, CONSTITUENCY, OTHER_REGION, REGION, VOLUNTEER, WARD_NORTH, WARD_SOUTH,
};
use expect_test::{Expect, expect};
use organise_core::canvass::Walk;
use organise_core::canvass::{Matching, NewListDraft, areas_on_offer};
use organise_core::id::{AreaId, ConversationId, HouseholdId, ListId, PersonId, Timestamp, UserId};
use organise_core::model::{
    Conversation, ConversationKind, List, ListKind, Outcome, Person, Source,
};
use organise_core::record::{Entity, MAX_LIST_MEMBERS, MAX_SET_LEN};
use organise_core::sync::{ClientId, ReferenceServer, Replica};
use organise_core::validate::{MAX_SHORT_TEXT, Problem};
use std::collections::BTreeSet;

const LIST: ListId = ListId::from_u128(0x200);

fn person_id(n: u128) -> PersonId {
    PersonId::from_u128(0x300 + n)
}

fn person(n: u128, name: &str, area: AreaId, address: &str) -> Person {
    Person {
        address: Some(address.into()),
        ..Person::new(person_id(n), area, ADMIN, name, Source::Doorstep)
    }
}

/// A knock on person `n`, in their area, at `at`.
fn knock(n: u128, person: &Person, at: i64, outcome: Outcome) -> Conversation {
    Conversation {
        id: ConversationId::from_u128(0x500 + n),
        area: person.area,
        created_by: ADMIN,
        kind: ConversationKind::Doorstep,
        by: ADMIN,
        person: person.id,
        at: Timestamp(at),
        outcome,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: None,
    }
}

/// An admin's phone holding, confirmed by the server, in the north ward: Ann (a tenant) on
/// High Street, never knocked; Bob, talked to; Cat, talked to once and not home last time;
/// on Mill Lane, Dan, who asked not to be knocked again; Eve (a tenant), who moved away; Fay,
/// who moved away but was found not home since, so the latest knock counts. In the south
/// ward, Gus (on an allotment) on Low Road; in the other region, Hal on a High Street of its
/// own. Then, not yet sent and with the lowest id: Ivy in the north ward, with no address.
fn phone() -> Replica {
    let mut server = ReferenceServer::seeded(support::seed());
    let mut replica = Replica::new(ClientId::from_u128(0xC1), ADMIN);
    let mut people = [
        person(1, "Ann Example", WARD_NORTH, "1 High Street"),
        person(2, "Bob Example", WARD_NORTH, "2 High Street"),
        person(3, "Cat Example", WARD_NORTH, "3 High Street"),
        person(4, "Dan Example", WARD_NORTH, "5 Mill Lane"),
        person(5, "Eve Example", WARD_NORTH, "7 Mill Lane"),
        person(6, "Fay Example", WARD_NORTH, "Flat 2, 9 Mill Lane"),
        person(7, "Gus Example", WARD_SOUTH, "4 Low Road"),
        person(8, "Hal Example", OTHER_REGION, "1 High Street"),
    ];
    for (n, tag) in [(0, "tenant"), (4, "tenant"), (6, "allotment")] {
        people[n].tags.insert(tag.into());
    }
    let knocks = [
        knock(1, &people[1], 10, Outcome::Held),
        knock(2, &people[2], 10, Outcome::Held),
        knock(3, &people[2], 20, Outcome::NotHome),
        knock(4, &people[3], 10, Outcome::DoNotKnock),
        knock(5, &people[4], 10, Outcome::Moved),
        knock(6, &people[5], 10, Outcome::Moved),
        knock(7, &people[5], 30, Outcome::NotHome),
    ];
    for person in &people {
        replica.create(&person.to_record()).unwrap();
    }
    for knock in &knocks {
        replica.create(&knock.to_record()).unwrap();
    }
    let response = server
        .push(ADMIN, &replica.push_request(100).unwrap())
        .unwrap();
    replica.apply_push_response(&response);
    let response = server.pull(ADMIN, &replica.pull_request(500)).unwrap();
    replica.apply_pull_response(&response).unwrap();
    assert_eq!(replica.outbox().count(), 0, "everything landed");
    let ivy = Person::new(
        person_id(0),
        WARD_NORTH,
        ADMIN,
        "Ivy Example",
        Source::Doorstep,
    );
    replica.create(&ivy.to_record()).unwrap();
    replica
}

/// Whom `matching` chose, by name and in its order, how many doors they are behind, how many
/// it left out, and the streets and tags on offer.
fn render(replica: &Replica, matching: &Matching) -> String {
    let chosen: Vec<String> = matching
        .chosen
        .iter()
        .map(|id| replica.one::<Person>(id.0).unwrap().name)
        .collect();
    let listed = |items: &[String]| match items {
        [] => "none".to_owned(),
        items => items.join(", "),
    };
    format!(
        "chosen: {}\ndoors: {}\nleft out: {}\nstreets: {}\ntags: {}\n",
        listed(&chosen),
        matching.doors,
        matching.left_out,
        listed(&matching.streets),
        listed(&matching.tags),
    )
}

/// Reads whom `draft` matches on the phone and checks it.
fn check(draft: NewListDraft, expect: Expect) {
    let replica = phone();
    expect.assert_eq(&render(&replica, &draft.matching(&replica)));
}

fn in_area(area: AreaId) -> NewListDraft {
    NewListDraft {
        name: "Canal Side, Saturday".into(),
        area: Some(area),
        ..NewListDraft::default()
    }
}

#[test]
fn everyone_in_an_area_and_the_areas_within_it_except_those_who_asked_not_to_be_knocked_or_moved_away()
 {
    check(
        in_area(CONSTITUENCY),
        expect![[r#"
            chosen: Ivy Example, Ann Example, Bob Example, Cat Example, Fay Example, Gus Example
            doors: 6
            left out: 2
            streets: High Street, Low Road, Mill Lane
            tags: allotment, tenant
        "#]],
    );
    check(
        in_area(WARD_NORTH),
        expect![[r#"
            chosen: Ivy Example, Ann Example, Bob Example, Cat Example, Fay Example
            doors: 5
            left out: 2
            streets: High Street, Mill Lane
            tags: tenant
        "#]],
    );
    check(
        in_area(OTHER_REGION),
        expect![[r#"
            chosen: Hal Example
            doors: 1
            left out: 0
            streets: High Street
            tags: none
        "#]],
    );
}

#[test]
fn without_an_area_nobody_matches() {
    check(
        NewListDraft::default(),
        expect![[r#"
            chosen: none
            doors: 0
            left out: 0
            streets: none
            tags: none
        "#]],
    );
}

#[test]
fn a_list_can_skip_those_already_talked_to() {
    check(
        NewListDraft {
            reach: organise_core::walk::Reach::NotTalkedTo,
            ..in_area(WARD_NORTH)
        },
        expect![[r#"
            chosen: Ivy Example, Ann Example, Fay Example
            doors: 3
            left out: 2
            streets: High Street, Mill Lane
            tags: tenant
        "#]],
    );
}

#[test]
fn a_list_can_go_back_to_those_not_home_last_time() {
    check(
        NewListDraft {
            reach: organise_core::walk::Reach::NotHomeLastTime,
            ..in_area(WARD_NORTH)
        },
        expect![[r#"
            chosen: Cat Example, Fay Example
            doors: 2
            left out: 2
            streets: High Street, Mill Lane
            tags: tenant
        "#]],
    );
}

#[test]
fn a_street_narrows_the_list_and_counts_only_its_own_left_out_while_every_street_stays_on_offer() {
    check(
        NewListDraft {
            street: "Mill Lane".into(),
            ..in_area(WARD_NORTH)
        },
        expect![[r#"
            chosen: Fay Example
            doors: 1
            left out: 2
            streets: High Street, Mill Lane
            tags: tenant
        "#]],
    );
    check(
        NewListDraft {
            street: "High Street".into(),
            ..in_area(WARD_NORTH)
        },
        expect![[r#"
            chosen: Ann Example, Bob Example, Cat Example
            doors: 3
            left out: 0
            streets: High Street, Mill Lane
            tags: tenant
        "#]],
    );
}

#[test]
fn a_tag_narrows_the_list_and_counts_only_those_carrying_it_left_out() {
    check(
        NewListDraft {
            tag: "tenant".into(),
            ..in_area(WARD_NORTH)
        },
        expect![[r#"
            chosen: Ann Example
            doors: 1
            left out: 1
            streets: High Street, Mill Lane
            tags: tenant
        "#]],
    );
}

#[test]
fn the_list_holds_whom_the_draft_matched_and_goes_to_its_volunteers() {
    let replica = phone();
    let draft = NewListDraft {
        name: "  Mill Lane, Saturday ".into(),
        street: "Mill Lane".into(),
        assignees: [VOLUNTEER].into(),
        ..in_area(WARD_NORTH)
    };
    let list = draft.list(&draft.matching(&replica), LIST, ADMIN).unwrap();
    assert_eq!(
        list,
        List {
            id: LIST,
            area: WARD_NORTH,
            created_by: ADMIN,
            name: "Mill Lane, Saturday".into(),
            kind: ListKind::Walk,
            members: [person_id(6)].into(),
            assignees: [VOLUNTEER].into(),
            campaign: None,
            script: None,
            survey: None,
        }
    );
}

/// Issue 13: the form said "103 people" of a list whose page then counted 41 doors. The
/// doors the form counts are the doors the made list's walk shows: Jo lives at Ann's address
/// (written in other case and spacing), Kim and Lee are one household though their addresses
/// are written differently, Mo has no address (a door of her own, as Ivy has), and Nia, of
/// Kim's household but in the south ward, joins their door on the walk without adding one.
#[test]
fn the_doors_a_new_list_counts_are_the_doors_its_walk_shows() {
    let mut replica = phone();
    let household = HouseholdId::from_u128(0x600);
    let in_household = |n, name, area, address: &str| Person {
        household: Some(household),
        ..person(n, name, area, address)
    };
    for someone in [
        person(10, "Jo Example", WARD_NORTH, "1  high street"),
        in_household(11, "Kim Example", WARD_NORTH, "12 Canal Street"),
        in_household(12, "Lee Example", WARD_NORTH, "12 Canal St"),
        Person::new(
            person_id(13),
            WARD_NORTH,
            ADMIN,
            "Mo Example",
            Source::Doorstep,
        ),
        in_household(14, "Nia Example", WARD_SOUTH, "12 Canal Street"),
    ] {
        replica.create(&someone.to_record()).unwrap();
    }
    let draft = in_area(WARD_NORTH);
    let matching = draft.matching(&replica);
    expect![[r#"
        chosen: Ivy Example, Ann Example, Bob Example, Cat Example, Fay Example, Jo Example, Kim Example, Lee Example, Mo Example
        doors: 7
        left out: 2
        streets: Canal St, Canal Street, High Street, Mill Lane
        tags: tenant
    "#]]
    .assert_eq(&render(&replica, &matching));
    let list = draft.list(&matching, LIST, ADMIN).unwrap();
    replica.create(&list.to_record()).unwrap();
    let walk = Walk::read(&replica, LIST).unwrap();
    assert_eq!(
        walk.doors.len(),
        matching.doors,
        "the form's doors are the walk's"
    );
    let behind = |id: &PersonId| walk.doors.iter().position(|d| d.people.contains(id));
    assert!(matching.chosen.iter().all(|id| behind(id).is_some()));
    assert_eq!(
        behind(&person_id(14)),
        behind(&person_id(11)),
        "Nia is at Kim's door"
    );
}

/// The problems building `draft`'s list finds, as (field, problem), given whom it matched.
fn problems(draft: &NewListDraft, matching: &Matching) -> Vec<(String, Problem)> {
    draft
        .list(matching, LIST, ADMIN)
        .unwrap_err()
        .into_iter()
        .map(|p| (p.field.to_string(), p.problem))
        .collect()
}

#[test]
fn every_problem_is_named_by_the_forms_field() {
    let replica = phone();
    let nameless = NewListDraft {
        name: "   ".into(),
        area: None,
        ..in_area(WARD_NORTH)
    };
    assert_eq!(
        problems(&nameless, &nameless.matching(&replica)),
        [
            ("name".into(), Problem::Empty),
            ("area".into(), Problem::Missing)
        ],
        "no area is said once, not as nobody to knock as well"
    );

    let nobody = NewListDraft {
        street: "Nowhere Road".into(),
        name: "x".repeat(MAX_SHORT_TEXT + 1),
        ..in_area(WARD_NORTH)
    };
    assert_eq!(
        problems(&nobody, &nobody.matching(&replica)),
        [
            (
                "name".into(),
                Problem::TooLong {
                    max: MAX_SHORT_TEXT
                }
            ),
            ("members".into(), Problem::Empty),
        ]
    );

    let crowded = NewListDraft {
        assignees: (0..=MAX_SET_LEN as u128)
            .map(|n| UserId::from_u128(0x9000 + n))
            .collect(),
        ..in_area(WARD_NORTH)
    };
    let everyone = Matching {
        chosen: (0..=MAX_LIST_MEMBERS as u128)
            .map(|n| PersonId::from_u128(0x10000 + n))
            .collect(),
        ..Matching::default()
    };
    assert_eq!(
        problems(&crowded, &everyone),
        [
            (
                "members".into(),
                Problem::TooMany {
                    max: MAX_LIST_MEMBERS as i64
                }
            ),
            (
                "assignees".into(),
                Problem::TooMany {
                    max: MAX_SET_LEN as i64
                }
            ),
        ]
    );
}

#[test]
fn a_list_is_built_in_the_areas_someone_organises_and_those_within_them() {
    let replica = phone();
    let names = |organises: &[AreaId]| {
        areas_on_offer(&replica, organises)
            .into_iter()
            .map(|a| format!("{}{}", "  ".repeat(a.depth), a.area.name))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&[REGION]),
        [
            "North Testshire",
            "  Exampleton",
            "    Exampleton North",
            "    Exampleton South"
        ],
        "as the tree is drawn, each area under the one it sits in"
    );
    assert_eq!(
        names(&[CONSTITUENCY]),
        ["Exampleton", "  Exampleton North", "  Exampleton South"]
    );
    assert_eq!(
        names(&[WARD_SOUTH, OTHER_REGION]),
        ["Exampleton South", "South Testshire"]
    );
    assert_eq!(
        names(&[CONSTITUENCY, WARD_SOUTH]),
        ["Exampleton", "  Exampleton North", "  Exampleton South"],
        "an area within another organised area is drawn once, under it"
    );
    assert!(names(&[]).is_empty());
}

#[test]
fn a_street_is_offered_once_however_its_addresses_capitalise_it_and_chosen_in_any_case() {
    let mut replica = phone();
    for (n, address) in [(20, "11 high street"), (21, "13 HIGH  Street")] {
        let person = person(n, "Jo Example", WARD_NORTH, address);
        replica.create(&person.to_record()).unwrap();
    }
    let matching = in_area(WARD_NORTH).matching(&replica);
    assert_eq!(matching.streets, ["High Street", "Mill Lane"]);
    let chosen = NewListDraft {
        street: "high STREET".into(),
        ..in_area(WARD_NORTH)
    }
    .matching(&replica);
    expect![[r#"
        chosen: Ann Example, Bob Example, Cat Example, Jo Example, Jo Example
        doors: 5
        left out: 0
        streets: High Street, Mill Lane
        tags: tenant
    "#]]
    .assert_eq(&render(&replica, &chosen));
}
