//! Synthetic areas: the same seed makes the same area and another seed a different one, every
//! record is already in its normal form, a household's people share one door, the counts are
//! the ones asked for, and a stored area reaches an organiser of it (and no one else) by pull.

use std::collections::{BTreeMap, BTreeSet};

use organise_core::area::{Area, AreaKind};
use organise_core::id::{AreaId, HouseholdId};
use organise_core::model::Person;
use organise_core::record::{Collection, Entity, Record};
use organise_core::sync::wire::RecordKey;
use organise_server::synthetic::{self, Params, Placement, SyntheticArea, SyntheticError};

use crate::support::{START, TestApp, replica};

const PARENT: AreaId = AreaId::from_u128(0x11);

fn generate(seed: u64, params: &Params) -> SyntheticArea {
    let taken = BTreeSet::from(["Great Britain".to_owned(), "North West".to_owned()]);
    synthetic::generate(
        seed,
        params,
        &Placement {
            parent: PARENT,
            name: "Synthetic Vale",
            at: START,
            taken_names: &taken,
        },
    )
    .unwrap()
}

/// The street of an address: "Flat 2, 14 Mill Lane" and "14 Mill Lane" are on "Mill Lane".
fn street(address: &str) -> &str {
    let building = address.rsplit(", ").next().unwrap();
    let (number, street) = building.split_once(' ').unwrap();
    assert!(
        number.parse::<u32>().is_ok(),
        "{address:?} has no house number"
    );
    street
}

#[test]
fn generation_is_deterministic_for_a_seed_and_differs_for_another() {
    let params = Params::for_households(300);
    let first = generate(7, &params);
    assert_eq!(first, generate(7, &params));
    let other = generate(8, &params);
    assert_ne!(first.constituency.id, other.constituency.id);
    let names = |area: &SyntheticArea| -> Vec<String> {
        area.people.iter().map(|p| p.name.clone()).collect()
    };
    assert_ne!(names(&first), names(&other));
    let addresses = |area: &SyntheticArea| -> Vec<Option<String>> {
        area.people.iter().map(|p| p.address.clone()).collect()
    };
    assert_ne!(addresses(&first), addresses(&other));
}

#[test]
fn every_record_is_already_normalised() {
    let area = generate(3, &Params::for_households(2_000));
    let records = area.records();
    assert_eq!(records.len(), 1 + area.wards.len() + area.people.len());
    for record in &records {
        assert_eq!(
            record.collection.normalise(record).as_ref(),
            Ok(record),
            "{record:?}"
        );
    }
    for person in &area.people {
        assert!(!person.name.chars().any(|c| c.is_ascii_digit()));
        if let Some(phone) = &person.phone {
            assert!(
                phone.starts_with("+447700900") || phone.starts_with("+441632960"),
                "{phone} is outside Ofcom's drama ranges"
            );
            assert_eq!(phone.len(), 13);
        }
        if let Some(email) = &person.email {
            assert!(email.ends_with("@example.invalid"), "{email}");
        }
        let postcode = person.postcode.as_deref().unwrap();
        assert!(
            postcode.starts_with('Q') || postcode.starts_with('V'),
            "{postcode} could be a real postcode"
        );
    }
    let emails: Vec<&String> = area
        .people
        .iter()
        .filter_map(|p| p.email.as_ref())
        .collect();
    let unique: BTreeSet<&String> = emails.iter().copied().collect();
    assert_eq!(emails.len(), unique.len(), "emails repeat");
    // Some of each, so the checks above are not vacuous.
    assert!(area.people.iter().any(|p| p.phone.is_some()));
    assert!(area.people.iter().any(|p| p.email.is_some()));
    assert!(area.people.iter().any(|p| !p.consents.is_empty()));
}

#[test]
fn household_members_share_address_postcode_and_ward() {
    let area = generate(5, &Params::for_households(1_000));
    let mut households: BTreeMap<HouseholdId, Vec<&Person>> = BTreeMap::new();
    for person in &area.people {
        households
            .entry(person.household.expect("everyone has a household"))
            .or_default()
            .push(person);
    }
    let mut doors = BTreeSet::new();
    let mut postcode_streets: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for members in households.values() {
        assert!((1..=5).contains(&members.len()), "{} people", members.len());
        let first = members[0];
        for member in members {
            assert_eq!(member.address, first.address);
            assert_eq!(member.postcode, first.postcode);
            assert_eq!(member.area, first.area);
        }
        let address = first.address.as_deref().unwrap();
        assert!(doors.insert(address), "two households at {address:?}");
        postcode_streets
            .entry(first.postcode.as_deref().unwrap())
            .or_default()
            .insert(street(address));
    }
    // A postcode covers part of one street, never two.
    assert!(postcode_streets.values().all(|streets| streets.len() == 1));
    assert!(households.values().any(|members| members.len() > 1));
}

#[test]
fn counts_match_the_parameters() {
    let params = Params {
        wards: 4,
        streets_per_ward: 6,
        households: 700,
    };
    let area = generate(11, &params);
    assert_eq!(area.constituency.kind, AreaKind::Constituency);
    assert_eq!(area.constituency.parent, Some(PARENT));
    assert_eq!(area.constituency.name, "Synthetic Vale");
    assert_eq!(area.wards.len(), 4);
    let ward_names: BTreeSet<&str> = area.wards.iter().map(|w| w.name.as_str()).collect();
    assert_eq!(ward_names.len(), 4);
    assert!(!ward_names.contains("North West"));
    for ward in &area.wards {
        assert_eq!(ward.kind, AreaKind::Ward);
        assert_eq!(ward.parent, Some(area.constituency.id));
        let streets: BTreeSet<&str> = area
            .people
            .iter()
            .filter(|p| p.area == ward.id)
            .map(|p| street(p.address.as_deref().unwrap()))
            .collect();
        assert_eq!(streets.len(), 6, "streets in {}", ward.name);
    }
    let households: BTreeSet<HouseholdId> =
        area.people.iter().filter_map(|p| p.household).collect();
    assert_eq!(households.len(), 700);
    assert_eq!(area.households, 700);
    assert_eq!(area.streets, 24);
    assert!((700..=3_500).contains(&area.people.len()));
}

#[test]
fn impossible_parameters_are_refused() {
    let taken = BTreeSet::new();
    let placement = Placement {
        parent: PARENT,
        name: "Synthetic Vale",
        at: START,
        taken_names: &taken,
    };
    for params in [
        Params {
            wards: 3,
            streets_per_ward: 5,
            households: 14,
        },
        Params {
            wards: 0,
            streets_per_ward: 1,
            households: 10,
        },
        Params::for_households(synthetic::MAX_HOUSEHOLDS + 1),
    ] {
        assert!(
            matches!(
                synthetic::generate(1, &params, &placement),
                Err(SyntheticError::Parameters(_))
            ),
            "{params:?}"
        );
    }
    let blank = Placement {
        name: "  ",
        ..placement
    };
    assert!(matches!(
        synthetic::generate(1, &Params::for_households(10), &blank),
        Err(SyntheticError::Parameters(_))
    ));
}

async fn areas(app: &TestApp) -> Vec<Area> {
    organise_server::sync_store::run(
        &app.state.db,
        &app.state.trees,
        organise_server::sync_store::Access::Read,
        |store| Ok((organise_server::accounts::areas(store)?, false)),
    )
    .await
    .unwrap()
}

#[tokio::test]
async fn a_stored_area_reaches_an_organiser_of_it_and_no_one_else() {
    let app = TestApp::new().await;
    let taken: BTreeSet<String> = areas(&app).await.into_iter().map(|a| a.name).collect();
    let params = Params::for_households(200);
    let area = synthetic::generate(
        1,
        &params,
        &Placement {
            parent: app.area("North West").await,
            name: "Synthetic Vale",
            at: app.clock.now(),
            taken_names: &taken,
        },
    )
    .unwrap();
    let records = area.records();
    // Small batches, so several transactions carry it.
    synthetic::store(&app.state.db, &app.state.trees, records.clone(), 150)
        .await
        .unwrap();

    let organiser = app
        .user(
            "vale-organiser@test.organise.invalid",
            "organiser",
            "Synthetic Vale",
        )
        .await;
    let mut device = replica(&organiser);
    organiser.pull_all(&app, &mut device).await;
    let visible = device.visible();
    for record in &records {
        let key = RecordKey {
            collection: record.collection,
            id: record.id,
        };
        assert_eq!(visible.get(&key), Some(record), "{key:?}");
    }

    // An organiser elsewhere sees none of it.
    let london = app
        .user(
            "london-organiser@test.organise.invalid",
            "organiser",
            "London",
        )
        .await;
    let mut elsewhere = replica(&london);
    london.pull_all(&app, &mut elsewhere).await;
    let people_seen = elsewhere
        .visible()
        .values()
        .filter(|r| r.collection == Collection::Person)
        .count();
    assert_eq!(people_seen, 0);
    app.remove().await;
}

#[tokio::test]
async fn create_refuses_a_missing_parent_a_constituency_parent_and_a_taken_name() {
    let app = TestApp::new().await;
    let params = Params::for_households(20);
    let create = |parent: &'static str, name: &'static str| {
        synthetic::create(
            &app.state.db,
            &app.state.trees,
            &app.clock,
            parent,
            name,
            1,
            &params,
        )
    };
    assert!(matches!(
        create("Atlantis", "Synthetic Vale").await,
        Err(SyntheticError::NoParent(name)) if name == "Atlantis"
    ));
    let created = create("Wales", "Cwm Synthetig").await.unwrap();
    assert_eq!(created.households, 20);
    assert_eq!(created.wards, params.wards);
    let before = areas(&app).await.len();
    assert!(matches!(
        create("Wales", "Cwm Synthetig").await,
        Err(SyntheticError::NameTaken(name)) if name == "Cwm Synthetig"
    ));
    assert!(matches!(
        create("Cwm Synthetig", "Another Vale").await,
        Err(SyntheticError::WrongParent {
            kind: "constituency",
            ..
        })
    ));
    assert_eq!(areas(&app).await.len(), before);

    // `store` checks again in its transaction: a name taken meanwhile stores nothing.
    let taken = BTreeSet::new();
    let clash = synthetic::generate(
        2,
        &params,
        &Placement {
            parent: app.area("Wales").await,
            name: "Cwm Synthetig",
            at: app.clock.now(),
            taken_names: &taken,
        },
    )
    .unwrap();
    let people_before = count_people(&app).await;
    assert!(matches!(
        synthetic::store(&app.state.db, &app.state.trees, clash.records(), 10_000).await,
        Err(SyntheticError::NameTaken(_))
    ));
    assert_eq!(areas(&app).await.len(), before);
    assert_eq!(count_people(&app).await, people_before);
    app.remove().await;
}

async fn count_people(app: &TestApp) -> i64 {
    use sqlx::Row;
    sqlx::query("SELECT COUNT(*) AS n FROM records WHERE collection = 'person'")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

/// Reading a generated record back gives the same typed value (the records carry all of it).
#[test]
fn records_read_back_as_the_generated_people() {
    let area = generate(9, &Params::for_households(50));
    let records: Vec<Record> = area.records();
    let people: Vec<Person> = records
        .iter()
        .filter(|r| r.collection == Collection::Person)
        .map(|r| Person::read(r).unwrap())
        .collect();
    assert_eq!(people, area.people);
}
