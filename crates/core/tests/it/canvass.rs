//! The canvass read model over a small synthetic ward: doors with the people met there since,
//! progress and the next door, the walks kept while nothing they show changed, and the issues
//! and volunteers near an area.

use crate::support::{self, ADMIN, CONSTITUENCY, OTHER_REGION, WARD_NORTH, WARD_SOUTH};
use organise_core::canvass::{Progress, Walk, Walks, issues_near, last_visits, working_near};
use organise_core::id::{ConversationId, HouseholdId, IssueId, ListId, PersonId, Timestamp};
use organise_core::model::{
    Conversation, ConversationKind, Issue, List, ListKind, Outcome, Person, Source,
};
use organise_core::record::{Collection, Element, Entity};
use organise_core::sync::{ClientId, MemoryLocalStore, RecordKey, ReferenceServer, Replica};
use std::collections::BTreeSet;
use std::sync::Arc;

const LIST: ListId = ListId::from_u128(0x200);
const HOUSEHOLD: HouseholdId = HouseholdId::from_u128(0x400);

fn person_id(n: u128) -> PersonId {
    PersonId::from_u128(0x300 + n)
}

fn person(n: u128, name: &str, address: &str, household: Option<HouseholdId>) -> Person {
    Person {
        address: Some(address.into()),
        postcode: Some("EX1 1AA".into()),
        household,
        ..Person::new(person_id(n), WARD_NORTH, ADMIN, name, Source::Doorstep)
    }
}

/// An admin's phone holding, confirmed by the server: Ann and Bob at 1 High Street (one
/// household), Cat at 2 High Street, Dan at 3 High Street, and a walk list of Ann, Cat and Dan.
/// Then, not yet sent: Eve added at Cat's door (same address, other case) and Fay at an
/// address nobody on the list has.
fn phone() -> (ReferenceServer, Replica) {
    let mut server = ReferenceServer::seeded(support::seed());
    let mut replica = Replica::new(ClientId::from_u128(0xC1), ADMIN);
    for person in [
        person(1, "Ann Example", "1 High Street", Some(HOUSEHOLD)),
        person(2, "Bob Example", "1 High Street", Some(HOUSEHOLD)),
        person(3, "Cat Example", "2 High Street", None),
        person(4, "Dan Example", "3 High Street", None),
    ] {
        replica.create(&person.to_record()).unwrap();
    }
    let list = walk_list(LIST, "High Street", &[1, 3, 4]);
    replica.create(&list.to_record()).unwrap();
    let response = server
        .push(ADMIN, &replica.push_request(100).unwrap())
        .unwrap();
    replica.apply_push_response(&response);
    let response = server.pull(ADMIN, &replica.pull_request(500)).unwrap();
    replica.apply_pull_response(&response).unwrap();
    assert_eq!(replica.outbox().count(), 0, "everything landed");
    for person in [
        person(5, "Eve Example", "2 high street", None),
        person(6, "Fay Example", "9 Low Road", None),
    ] {
        replica.create(&person.to_record()).unwrap();
    }
    (server, replica)
}

/// A walk list in the north ward of the people numbered `members`.
fn walk_list(id: ListId, name: &str, members: &[u128]) -> List {
    List {
        id,
        area: WARD_NORTH,
        created_by: ADMIN,
        name: name.into(),
        kind: ListKind::Walk,
        members: members.iter().map(|&n| person_id(n)).collect(),
        assignees: BTreeSet::new(),
        campaign: None,
        script: None,
        survey: None,
    }
}

fn names(replica: &Replica, walk: &Walk) -> Vec<Vec<String>> {
    walk.doors
        .iter()
        .map(|door| {
            door.people
                .iter()
                .map(|id| replica.one::<Person>(id.0).unwrap().name)
                .collect()
        })
        .collect()
}

fn knock(replica: &mut Replica, n: u128, person: PersonId, outcome: Outcome, at: i64) {
    let conversation = Conversation {
        id: ConversationId::from_u128(0x500 + n),
        area: WARD_NORTH,
        created_by: ADMIN,
        kind: ConversationKind::Doorstep,
        by: ADMIN,
        person,
        at: Timestamp(at),
        outcome,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: Some(LIST),
    };
    replica.create(&conversation.to_record()).unwrap();
}

#[test]
fn a_walk_holds_the_members_doors_with_everyone_met_there_since() {
    let (_, replica) = phone();
    let walk = Walk::read(&replica, LIST).unwrap();
    assert_eq!(
        names(&replica, &walk),
        [
            vec!["Ann Example", "Bob Example"],
            vec!["Dan Example"],
            vec!["Cat Example", "Eve Example"],
        ],
        "up the odd side and down the even, households together, Eve at Cat's door, Fay at none"
    );
    let everyone: Vec<Person> = (1..=6)
        .filter_map(|n| replica.one(person_id(n).0))
        .collect();
    assert_eq!(
        Walk::of(walk.list.clone(), &everyone),
        walk,
        "reading by lookups finds what a pass over everyone finds"
    );
    assert_eq!(Walk::read(&replica, ListId::from_u128(0x2FF)), None);
}

#[test]
fn progress_counts_a_door_done_when_anyone_there_was_knocked_and_goes_round_to_the_next() {
    let (_, mut replica) = phone();
    let walk = Walk::read(&replica, LIST).unwrap();
    assert_eq!(walk.progress(&replica).done(&walk), 0);
    assert_eq!(walk.progress(&replica).next_after(&walk, 0), Some(1));

    // Bob answers for the first door; Eve, added at the last, for hers.
    knock(&mut replica, 1, person_id(2), Outcome::Held, 10);
    knock(&mut replica, 2, person_id(5), Outcome::NotHome, 20);
    let progress = walk.progress(&replica);
    assert_eq!(progress.done(&walk), 2);
    assert_eq!(
        progress
            .conversations
            .iter()
            .map(|c| c.person)
            .collect::<Vec<_>>(),
        [person_id(5), person_id(2)],
        "newest first"
    );
    assert_eq!(progress.next_after(&walk, 0), Some(1));
    assert_eq!(
        progress.next_after(&walk, 1),
        None,
        "only Dan's door, on screen, is left"
    );

    let before_eve = Progress::of(progress.conversations[1..].to_vec());
    assert_eq!(before_eve.done(&walk), 1);
    assert_eq!(before_eve.next_after(&walk, 1), Some(2));
    let before_bob = Progress::of(Vec::new());
    assert_eq!(
        before_bob.next_after(&walk, 2),
        Some(0),
        "round to the start"
    );
}

#[test]
fn the_last_visit_is_the_latest_conversation_from_any_list() {
    let (_, mut replica) = phone();
    knock(&mut replica, 1, person_id(1), Outcome::NotHome, 10);
    knock(&mut replica, 2, person_id(1), Outcome::Held, 30);
    knock(&mut replica, 3, person_id(1), Outcome::Refused, 20);
    let last = last_visits(&replica, &[person_id(1), person_id(2)]);
    assert_eq!(last.len(), 1, "Bob has never been visited");
    assert_eq!(last[&person_id(1)].outcome, Outcome::Held);
}

#[test]
fn a_walk_is_read_again_only_when_a_list_or_a_person_changed() {
    let (_, mut replica) = phone();
    let mut walks = Walks::default();
    let first = walks.read(&replica, LIST).unwrap();
    assert!(Arc::ptr_eq(&first, &walks.read(&replica, LIST).unwrap()));

    knock(&mut replica, 1, person_id(1), Outcome::NotHome, 10);
    assert!(
        Arc::ptr_eq(&first, &walks.read(&replica, LIST).unwrap()),
        "a conversation leaves the doors as they were"
    );

    // Someone new at Dan's door.
    replica
        .create(&person(7, "Gus Example", "3 High Street", None).to_record())
        .unwrap();
    let second = walks.read(&replica, LIST).unwrap();
    assert_eq!(*second, Walk::read(&replica, LIST).unwrap());
    assert_eq!(names(&replica, &second)[1], ["Dan Example", "Gus Example"]);

    // Dan taken off the list.
    replica
        .remove_from_set(
            RecordKey {
                collection: List::COLLECTION,
                id: LIST.0,
            },
            "members",
            Element::Id(person_id(4).0),
        )
        .unwrap();
    let third = walks.read(&replica, LIST).unwrap();
    assert_eq!(third.doors.len(), 2);

    // Another replica, even a clone at the same generation, is read afresh.
    let mut clone = replica.clone();
    clone
        .remove_from_set(
            RecordKey {
                collection: List::COLLECTION,
                id: LIST.0,
            },
            "members",
            Element::Id(person_id(3).0),
        )
        .unwrap();
    let fourth = walks.read(&replica, LIST).unwrap();
    assert!(Arc::ptr_eq(&third, &fourth));
    let mut other = replica.clone();
    other
        .remove_from_set(
            RecordKey {
                collection: List::COLLECTION,
                id: LIST.0,
            },
            "members",
            Element::Id(person_id(1).0),
        )
        .unwrap();
    assert_eq!(
        clone.generation_of(&[Collection::List]),
        other.generation_of(&[Collection::List])
    );
    assert_eq!(walks.read(&clone, LIST).unwrap().doors.len(), 1);
    assert_eq!(walks.read(&other, LIST).unwrap().doors.len(), 1);
    assert_ne!(
        walks.read(&clone, LIST).unwrap(),
        walks.read(&other, LIST).unwrap(),
        "two clones at one generation are two replicas"
    );
    assert_eq!(
        Walks::default().read(&Replica::new(ClientId::from_u128(0xC2), ADMIN), LIST),
        None
    );
}

#[test]
fn issues_and_volunteers_near_an_area_are_those_above_or_below_it() {
    let (_, mut replica) = phone();
    let issue = |n: u128, name: &str, area, parent: Option<IssueId>| Issue {
        id: IssueId::from_u128(0x600 + n),
        area,
        created_by: ADMIN,
        name: name.into(),
        parent,
    };
    for issue in [
        issue(1, "transport", CONSTITUENCY, None),
        issue(2, "Housing", WARD_NORTH, None),
        issue(3, "Damp", WARD_NORTH, Some(IssueId::from_u128(0x602))),
        issue(4, "Parks", WARD_SOUTH, None),
        issue(5, "Ferries", OTHER_REGION, None),
    ] {
        replica.create(&issue.to_record()).unwrap();
    }
    let named = |issues: Vec<Issue>| issues.into_iter().map(|i| i.name).collect::<Vec<_>>();
    assert_eq!(
        named(issues_near(&replica, WARD_NORTH)),
        ["Housing", "transport"]
    );
    assert_eq!(
        named(issues_near(&replica, CONSTITUENCY)),
        ["Housing", "Parks", "transport"]
    );

    let who = |area| {
        working_near(&replica, area)
            .into_iter()
            .map(|(_, name)| name)
            .collect::<Vec<_>>()
    };
    assert_eq!(who(CONSTITUENCY), ["Hal Host", "Vic Volunteer"]);
    assert_eq!(who(WARD_NORTH), ["Hal Host", "Vic Volunteer"]);
    assert!(who(WARD_SOUTH).is_empty());
    assert!(who(OTHER_REGION).is_empty());
}

#[test]
fn a_walk_of_a_list_not_yet_sent_is_kept_between_knocks() {
    let (_, mut replica) = phone();
    let list = walk_list(ListId::from_u128(0x201), "Made offline", &[1, 3]);
    replica.create(&list.to_record()).unwrap();
    let mut walks = Walks::default();
    let first = walks.read(&replica, list.id).unwrap();
    let conversation = Conversation {
        id: ConversationId::from_u128(0x5FF),
        area: WARD_NORTH,
        created_by: ADMIN,
        kind: ConversationKind::Doorstep,
        by: ADMIN,
        person: person_id(1),
        at: Timestamp(10),
        outcome: Outcome::NotHome,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: Some(list.id),
    };
    replica.create(&conversation.to_record()).unwrap();
    let _ = replica.take_changes();
    assert!(
        Arc::ptr_eq(&first, &walks.read(&replica, list.id).unwrap()),
        "a conversation leaves the doors of a list still waiting to be sent as they were"
    );
}

#[test]
fn a_change_the_server_acknowledged_stays_in_sight_until_a_pull_brings_it() {
    let (mut server, mut replica) = phone();
    let list = walk_list(ListId::from_u128(0x202), "Sent, not yet pulled", &[1]);
    replica.create(&list.to_record()).unwrap();
    let response = server
        .push(ADMIN, &replica.push_request(100).unwrap())
        .unwrap();
    replica.apply_push_response(&response);
    // The pull that would bring it back fails: the phone lost its signal. The list is still
    // there, and no longer waiting to be sent.
    assert_eq!(
        replica.one::<List>(list.id.0).map(|l| l.name),
        Some(list.name.clone())
    );
    assert_eq!(replica.outbox().count(), 0);
    assert!(replica.push_request(100).is_none(), "nothing is sent twice");
    // Kept across a restart of the app.
    let store = MemoryLocalStore::new();
    crate::local::save_and_check(&mut replica, &store, "answered, not yet pulled");
    // The next pull brings the list itself, and the mutation is forgotten.
    let response = server.pull(ADMIN, &replica.pull_request(500)).unwrap();
    replica.apply_pull_response(&response).unwrap();
    assert_eq!(
        replica.one::<List>(list.id.0).map(|l| l.name),
        Some(list.name)
    );
    assert!(
        replica
            .take_changes()
            .outbox
            .delete
            .contains(&replica.last_assigned()),
        "the store forgets it too"
    );
}
