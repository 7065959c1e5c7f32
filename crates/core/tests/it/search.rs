//! Finding people on the phone with the People screen's filters: a skill, a tag, a rung and an
//! area, combined with what is typed, over records the server confirmed and records still
//! waiting to be sent.

use organise_core::id::{LadderMoveId, PersonId, RecordId, RungId, Timestamp};
use organise_core::model::{LadderMove, Person, Rung, Source};
use organise_core::record::{Collection, Element, Entity, Value};
use organise_core::search::PEOPLE;
use organise_core::search::people::Filter;
use organise_core::sync::RecordKey;
use organise_core::sync::replica::Replica;
use organise_core::sync::{ClientId, ReferenceServer};

use crate::support::{self, ADMIN, CONSTITUENCY, COUNTRY, WARD_NORTH, WARD_SOUTH};

const VOLUNTEERING: RungId = RungId::from_u128(0x602);
const LEADING: RungId = RungId::from_u128(0x604);

fn someone(
    n: u128,
    name: &str,
    ward: organise_core::id::AreaId,
    skills: &[&str],
    tags: &[&str],
) -> Person {
    Person {
        postcode: Some(format!("QX{n} 1AA")),
        skills: skills.iter().map(|s| (*s).to_owned()).collect(),
        tags: tags.iter().map(|t| (*t).to_owned()).collect(),
        ..Person::new(
            PersonId(RecordId::from_u128(0x100 + n)),
            ward,
            ADMIN,
            name,
            Source::Doorstep,
        )
    }
}

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

fn moved(n: u128, person: &Person, rung: RungId, at: i64) -> LadderMove {
    LadderMove {
        id: LadderMoveId::from_u128(0x700 + n),
        area: person.area,
        created_by: ADMIN,
        person: person.id,
        rung,
        at: Timestamp(1_800_000_000_000 + at),
        why: None,
        one_to_one: None,
        meeting: None,
    }
}

/// An admin's phone: five people the server confirmed and two not yet sent, over two wards,
/// with skills, tags and rungs (Ann volunteered then leads; Cat volunteers).
fn phone() -> Replica {
    let mut server = ReferenceServer::seeded(support::seed());
    let mut replica = Replica::new(ClientId::from_u128(0xC1), ADMIN);
    let ann = someone(
        1,
        "Ann Example",
        WARD_NORTH,
        &["Driving", "first aid"],
        &["tenant"],
    );
    let bob = someone(2, "Bob Example", WARD_NORTH, &["driving"], &[]);
    let cat = someone(3, "Cat Example", WARD_SOUTH, &["driving"], &["tenant"]);
    let dan = someone(4, "Dan Sample", WARD_SOUTH, &[], &["tenant"]);
    let eve = someone(5, "Eve Example", WARD_NORTH, &["cooking"], &[]);
    for person in [&ann, &bob, &cat, &dan, &eve] {
        replica.create(&person.to_record()).unwrap();
    }
    for step in [
        rung(VOLUNTEERING, "Volunteer", 2),
        rung(LEADING, "Leader", 4),
    ] {
        replica.create(&step.to_record()).unwrap();
    }
    for step in [
        moved(1, &ann, VOLUNTEERING, 1),
        moved(2, &ann, LEADING, 2),
        moved(3, &cat, VOLUNTEERING, 1),
    ] {
        replica.create(&step.to_record()).unwrap();
    }
    let response = server
        .push(ADMIN, &replica.push_request(100).unwrap())
        .unwrap();
    replica.apply_push_response(&response);
    let response = server.pull(ADMIN, &replica.pull_request(500)).unwrap();
    replica.apply_pull_response(&response).unwrap();
    assert_eq!(replica.outbox().count(), 0, "everything landed");
    // Not yet sent: Fay, who drives, and Gus, who volunteers.
    let fay = someone(6, "Fay Example", WARD_NORTH, &["DRIVING"], &[]);
    let gus = someone(7, "Gus Example", WARD_SOUTH, &[], &[]);
    replica.create(&fay.to_record()).unwrap();
    replica.create(&gus.to_record()).unwrap();
    replica
        .create(&moved(4, &gus, VOLUNTEERING, 3).to_record())
        .unwrap();
    replica
}

/// The names found for `typed` with `filter`, in the listing's order, and the total.
fn found(replica: &Replica, typed: &str, filter: &Filter) -> (usize, Vec<String>) {
    let query = filter.query(replica).typed(typed);
    let page = replica.directory(&PEOPLE, &query, 0..100);
    let names = page
        .records
        .iter()
        .map(|r| match r.get("name") {
            Value::Text(name) => name.clone(),
            _ => String::new(),
        })
        .collect();
    (page.total, names)
}

fn names(list: &[&str]) -> (usize, Vec<String>) {
    (list.len(), list.iter().map(|n| (*n).to_owned()).collect())
}

#[test]
fn each_filter_narrows_whoever_is_on_the_phone() {
    let replica = phone();
    let skill = |s: &str| Filter {
        skill: Some(s.into()),
        ..Filter::default()
    };
    assert_eq!(
        found(&replica, "", &skill("driving")),
        names(&["Ann Example", "Bob Example", "Cat Example", "Fay Example"]),
        "a skill however it is cased, sent or not"
    );
    let tag = Filter {
        tag: Some("Tenant".into()),
        ..Filter::default()
    };
    assert_eq!(
        found(&replica, "", &tag),
        names(&["Ann Example", "Cat Example", "Dan Sample"])
    );
    let volunteering = Filter {
        rung: Some(VOLUNTEERING),
        ..Filter::default()
    };
    assert_eq!(
        found(&replica, "", &volunteering),
        names(&["Cat Example", "Gus Example"]),
        "Ann moved on to lead; Gus's move is not sent yet"
    );
    let south = Filter {
        area: Some(WARD_SOUTH),
        ..Filter::default()
    };
    assert_eq!(
        found(&replica, "", &south),
        names(&["Cat Example", "Dan Sample", "Gus Example"])
    );
    let constituency = Filter {
        area: Some(CONSTITUENCY),
        ..Filter::default()
    };
    assert_eq!(
        found(&replica, "", &constituency).0,
        7,
        "its wards are in it"
    );
}

#[test]
fn filters_combine_with_each_other_and_with_what_is_typed() {
    let replica = phone();
    let drivers_north = Filter {
        skill: Some("driving".into()),
        area: Some(WARD_NORTH),
        ..Filter::default()
    };
    assert_eq!(
        found(&replica, "", &drivers_north),
        names(&["Ann Example", "Bob Example", "Fay Example"])
    );
    assert_eq!(
        found(&replica, "fa", &drivers_north),
        names(&["Fay Example"])
    );
    assert_eq!(
        found(&replica, "QX2", &drivers_north),
        names(&["Bob Example"]),
        "by postcode"
    );
    let tenants_volunteering = Filter {
        tag: Some("tenant".into()),
        rung: Some(VOLUNTEERING),
        ..Filter::default()
    };
    assert_eq!(
        found(&replica, "", &tenants_volunteering),
        names(&["Cat Example"])
    );
    let nobody = Filter {
        skill: Some("cooking".into()),
        area: Some(WARD_SOUTH),
        ..Filter::default()
    };
    assert_eq!(found(&replica, "", &nobody), names(&[]));
    // Typed letter by letter, then a filter taken off: each answer is the whole truth.
    let mut filter = drivers_north.clone();
    assert_eq!(found(&replica, "e", &filter).0, 3);
    assert_eq!(found(&replica, "ex", &filter).0, 3);
    filter.area = None;
    assert_eq!(found(&replica, "ex", &filter).0, 4);
    filter.skill = None;
    assert_eq!(found(&replica, "ex", &filter).0, 6);
    assert!(Filter::default().is_empty() && !filter_with_tag().is_empty());
}

fn filter_with_tag() -> Filter {
    Filter {
        tag: Some("x".into()),
        ..Filter::default()
    }
}

#[test]
fn a_merged_person_is_listed_no_more() {
    let mut replica = phone();
    let key = organise_core::sync::RecordKey {
        collection: organise_core::record::Collection::Person,
        id: RecordId::from_u128(0x102),
    };
    replica
        .set_field(key, "merged_into", Value::Id(RecordId::from_u128(0x101)))
        .unwrap();
    assert_eq!(
        found(&replica, "bob", &Filter::default()),
        names(&[]),
        "Bob was merged into Ann"
    );
    assert_eq!(found(&replica, "", &Filter::default()).0, 6);
}

#[test]
fn the_skill_and_tag_pickers_offer_each_value_once() {
    let mut replica = phone();
    assert_eq!(
        replica.label_values(&PEOPLE, "skills"),
        ["cooking", "Driving", "first aid"],
        "as first spelt, once however cased"
    );
    assert_eq!(replica.label_values(&PEOPLE, "tags"), ["tenant"]);
    // Asked again, the values are what the phone shows now, changes not yet sent included:
    // Eve, the only cook, no longer cooks, and Dan has learnt Welsh.
    let key = |n: u128| RecordKey {
        collection: Collection::Person,
        id: RecordId::from_u128(0x100 + n),
    };
    replica
        .remove_from_set(key(5), "skills", Element::Text("cooking".into()))
        .unwrap();
    assert_eq!(
        replica.label_values(&PEOPLE, "skills"),
        ["Driving", "first aid"]
    );
    replica
        .add_to_set(key(4), "skills", Element::Text("Welsh".into()))
        .unwrap();
    assert_eq!(
        replica.label_values(&PEOPLE, "skills"),
        ["Driving", "first aid", "Welsh"]
    );
    assert_eq!(replica.label_values(&PEOPLE, "tags"), ["tenant"]);
}
