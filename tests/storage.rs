//! The device store against a real IndexedDB, in headless Chromium (`wasm-bindgen-test`).
#![cfg(target_arch = "wasm32")]

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::primitive::TryToJs;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use organise::storage::{self, StorageError, Store};
use organise_core::id::{AreaId, PersonId, RecordId, UserId};
use organise_core::model::{Person, Role, RoleAssignment, Source, User};
use organise_core::record::Entity;
use organise_core::sync::{
    Change, Changes, ClientId, Conflict, ConflictId, ConflictSide, LocalStore, Op, PartChanges,
    ProtocolVersion, PullResponse, RecordKey, ReferenceServer, Replica, ReplicaParts, Seq,
    SyncedRecord, Version,
};
use organise_core::{Area, AreaKind, Collection, Record, Value};
use serde::{Deserialize, Serialize};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::js_sys::{Array, Function, Reflect};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Sample {
    name: String,
    doors: u32,
}

async fn fresh(name: &str) -> Result<Store, StorageError> {
    Database::delete_by_name(name)
        .expect("deleting a test database")
        .await
        .expect("deleting a test database");
    Store::open(name).await
}

#[wasm_bindgen_test]
async fn a_value_survives_closing_and_reopening() {
    let store = fresh("test-reopen").await.unwrap();
    let sample = Sample {
        name: "Test Person".into(),
        doors: 30,
    };
    store.put_meta("shift", &sample).await.unwrap();
    store.close();

    let reopened = Store::open("test-reopen").await.unwrap();
    assert_eq!(
        reopened.get_meta::<Sample>("shift").await.unwrap(),
        Some(sample)
    );
}

#[wasm_bindgen_test]
async fn a_missing_key_reads_as_none() {
    let store = fresh("test-missing").await.unwrap();
    assert_eq!(
        store.get_meta::<Sample>("nothing here").await.unwrap(),
        None
    );
}

#[wasm_bindgen_test]
async fn delete_removes_only_that_key() {
    let store = fresh("test-delete").await.unwrap();
    store.put_meta("a", &1u32).await.unwrap();
    store.put_meta("b", &2u32).await.unwrap();
    store.delete_meta("a").await.unwrap();
    assert_eq!(store.get_meta::<u32>("a").await.unwrap(), None);
    assert_eq!(store.get_meta::<u32>("b").await.unwrap(), Some(2));
}

// The replica, stored piece by piece.

const COUNTRY: AreaId = AreaId::from_u128(0xA0);
const REGION: AreaId = AreaId::from_u128(0xA1);
const CONSTITUENCY: AreaId = AreaId::from_u128(0xA2);
const WARD: AreaId = AreaId::from_u128(0xA3);
const ADMIN: UserId = UserId::from_u128(0xB0);

/// A synthetic organisation: one chain of areas down to a ward, and an admin.
fn seed() -> Vec<Record> {
    let area = |id: AreaId, name: &str, kind: AreaKind, parent: Option<AreaId>| {
        Area {
            id,
            created_by: ADMIN,
            name: name.into(),
            kind,
            parent,
        }
        .to_record()
    };
    vec![
        area(COUNTRY, "Testland", AreaKind::Country, None),
        area(REGION, "North Testshire", AreaKind::Region, Some(COUNTRY)),
        area(
            CONSTITUENCY,
            "Exampleton",
            AreaKind::Constituency,
            Some(REGION),
        ),
        area(WARD, "Exampleton North", AreaKind::Ward, Some(CONSTITUENCY)),
        User {
            id: ADMIN,
            area: COUNTRY,
            created_by: ADMIN,
            name: "Ada Admin".into(),
            email: "ada.admin@example.org".into(),
            person: None,
        }
        .to_record(),
        RoleAssignment {
            id: RecordId::from_u128(0xC0).into(),
            area: COUNTRY,
            created_by: ADMIN,
            user: ADMIN,
            role: Role::Admin,
        }
        .to_record(),
    ]
}

fn person(n: u128, name: &str) -> Record {
    Person::new(
        PersonId(RecordId::from_u128(0x100 + n)),
        WARD,
        ADMIN,
        name,
        Source::Doorstep,
    )
    .to_record()
}

fn key(n: u128) -> RecordKey {
    RecordKey {
        collection: Collection::Person,
        id: RecordId::from_u128(0x100 + n),
    }
}

/// Writes what changed in `replica` to `store`.
async fn save(replica: &mut Replica, store: &Store) {
    store
        .apply(&replica.take_changes())
        .await
        .expect("saving the replica's changes");
}

/// Pushes everything pending and pulls to the end, saving after each response.
async fn sync(replica: &mut Replica, store: &Store, server: &mut ReferenceServer) {
    while let Some(request) = replica.push_request(10) {
        replica.apply_push_response(&server.push(ADMIN, &request).unwrap());
        save(replica, store).await;
    }
    loop {
        let response = server.pull(ADMIN, &replica.pull_request(4)).unwrap();
        let more = replica.apply_pull_response(&response).unwrap();
        save(replica, store).await;
        if !more {
            break;
        }
    }
}

/// A replica that holds every shape the store keeps: records, an open conflict, a
/// rejected mutation, erased ids, a voided outbox entry and a pending edit. Saved to
/// `store` after every step, as the app does.
async fn busy_replica(store: &Store) -> Replica {
    let mut server = ReferenceServer::seeded(seed());
    let mut replica = Replica::new(ClientId::from_u128(1), ADMIN);
    let mut other = Replica::new(ClientId::from_u128(2), ADMIN);
    for (n, name) in [(0, "Alex Test"), (1, "Sam Example"), (2, "Jo Sample")] {
        replica.create(&person(n, name)).unwrap();
    }
    save(&mut replica, store).await;
    sync(&mut replica, store, &mut server).await;
    while other
        .apply_pull_response(&server.pull(ADMIN, &other.pull_request(100)).unwrap())
        .unwrap()
    {}

    // Concurrent edits of one name: the later one wins and the other is kept as a conflict.
    replica
        .set_field(key(0), "name", Value::Text("Chris Fake".into()))
        .unwrap();
    other
        .set_field(key(0), "name", Value::Text("Alex Example".into()))
        .unwrap();
    let response = server
        .push(ADMIN, &other.push_request(10).unwrap())
        .unwrap();
    other.apply_push_response(&response);
    save(&mut replica, store).await;
    sync(&mut replica, store, &mut server).await;

    // An edit the server rejects (of a record it does not have, which only it can judge),
    // kept visible.
    replica
        .set_field(key(9), "name", Value::Text("Test Nobody".into()))
        .unwrap();
    save(&mut replica, store).await;
    sync(&mut replica, store, &mut server).await;

    // An edit of a person erased before it is pushed: voided, its seq kept.
    replica
        .set_field(key(2), "name", Value::Text("Jo Example".into()))
        .unwrap();
    replica
        .set_field(key(1), "name", Value::Text("Sam Test".into()))
        .unwrap();
    save(&mut replica, store).await;
    server.erase(ADMIN, PersonId(key(2).id)).unwrap();
    loop {
        let response = server.pull(ADMIN, &replica.pull_request(4)).unwrap();
        let more = replica.apply_pull_response(&response).unwrap();
        save(&mut replica, store).await;
        if !more {
            break;
        }
    }

    assert!(replica.confirmed().contains_key(&key(0)));
    assert_eq!(replica.confirmed_conflicts().len(), 1);
    assert_eq!(replica.rejected().count(), 1);
    assert!(replica.erased().contains(&key(2).id));
    assert!(replica.outbox().any(|m| m.op == Op::Void));
    assert!(replica.outbox().any(|m| m.op != Op::Void));
    replica
}

async fn load(store: &Store) -> Option<Replica> {
    store
        .load()
        .await
        .expect("loading the replica")
        .map(Replica::from_parts)
}

#[wasm_bindgen_test]
async fn nothing_is_loaded_from_a_new_device() {
    let store = fresh("test-new-device").await.unwrap();
    assert_eq!(store.load().await, Ok(None));
}

#[wasm_bindgen_test]
async fn the_replica_survives_closing_and_reopening() {
    let store = fresh("test-replica-reopen").await.unwrap();
    let replica = busy_replica(&store).await;
    store.close();

    let reopened = Store::open("test-replica-reopen").await.unwrap();
    let loaded = load(&reopened).await.expect("a stored replica");
    assert_eq!(loaded, replica);
    assert_eq!(loaded.visible(), replica.visible());
}

/// A user's write is its outbox entry and the seq it used, in one transaction. When the
/// entry cannot be stored (its seq is beyond what an IndexedDB key holds exactly), neither
/// lands.
#[wasm_bindgen_test]
async fn a_write_that_fails_leaves_neither_its_outbox_entry_nor_its_seq() {
    let store = fresh("test-write-fails").await.unwrap();
    busy_replica(&store).await;
    let mut parts = store.load().await.unwrap().unwrap();
    parts.meta.last_assigned = Seq((1 << 53) - 1);
    let mut replica = Replica::from_parts(parts);
    store.apply(&replica.take_changes()).await.unwrap();
    let before = load(&store).await.unwrap();

    replica
        .set_field(key(0), "name", Value::Text("Test Example".into()))
        .unwrap();
    let changes = replica.take_changes();
    assert!(changes.meta.is_some() && !changes.outbox.put.is_empty());
    let error = store.apply(&changes).await.unwrap_err();
    assert!(matches!(error, StorageError::Data(_)), "{error:?}");

    assert_eq!(load(&store).await.as_ref(), Some(&before));
    assert_ne!(before, replica);
}

/// A write that fails after part of it was queued (a record and the meta are queued before
/// an outbox entry whose key IndexedDB cannot hold exactly) is rolled back whole.
#[wasm_bindgen_test]
async fn a_write_failing_midway_is_rolled_back_whole() {
    let store = fresh("test-write-midway").await.unwrap();
    let replica = busy_replica(&store).await;
    let before = load(&store).await.unwrap();

    let mut meta = store.load().await.unwrap().unwrap().meta;
    meta.last_assigned = meta.last_assigned.next();
    let record = SyncedRecord::from_record(&person(7, "Test Person"), Version(99));
    let mutation = replica.outbox().next().unwrap().clone();
    let changes = Changes {
        meta: Some(meta),
        records: PartChanges {
            put: vec![(record.key(), record)],
            ..PartChanges::default()
        },
        outbox: PartChanges {
            put: vec![(Seq(1 << 60), mutation)],
            ..PartChanges::default()
        },
        ..Changes::default()
    };
    let error = store.apply(&changes).await.unwrap_err();
    assert!(matches!(error, StorageError::Data(_)), "{error:?}");

    let after = load(&store).await.unwrap();
    assert!(!after.confirmed().contains_key(&key(7)));
    assert_eq!(after, before);
}

/// A page whose last change cannot be stored (a conflict whose id is beyond what an
/// IndexedDB key holds exactly) leaves the cursor where it was and none of the page's
/// records; the same page without it lands whole, cursor included.
#[wasm_bindgen_test]
async fn a_pulled_page_and_its_cursor_land_together() {
    let store = fresh("test-page").await.unwrap();
    let mut replica = busy_replica(&store).await;
    let before = load(&store).await.unwrap();
    let cursor = replica.cursor();
    let good = SyncedRecord::from_record(&person(8, "Test Person"), cursor.next());
    let side = |name: &str| ConflictSide {
        value: Value::Text(name.into()),
        version: cursor.next(),
        user: ADMIN,
    };
    let bad = Conflict {
        id: ConflictId(1 << 60),
        key: good.key(),
        field: "name".into(),
        overwritten: side("Test Example"),
        winner: side("Test Person"),
        version: cursor.next().next(),
    };
    let page = |changes: Vec<Change>| PullResponse {
        protocol: ProtocolVersion::CURRENT,
        since: cursor,
        epoch: replica.epoch().unwrap(),
        purges: Vec::new(),
        changes,
        cursor: cursor.next().next(),
        more: false,
        last_seq: Seq(0),
    };
    let record = Change::Record {
        record: good.clone(),
    };

    let mut failing = replica.clone();
    failing
        .apply_pull_response(&page(vec![
            record.clone(),
            Change::Conflict { conflict: bad },
        ]))
        .unwrap();
    assert!(store.apply(&failing.take_changes()).await.is_err());
    let after = load(&store).await.unwrap();
    assert_eq!(after.cursor(), cursor);
    assert!(!after.confirmed().contains_key(&key(8)));
    assert_eq!(after, before);

    replica.apply_pull_response(&page(vec![record])).unwrap();
    save(&mut replica, &store).await;
    let after = load(&store).await.unwrap();
    assert_eq!(after.cursor(), cursor.next().next());
    assert!(after.confirmed().contains_key(&key(8)));
    assert_eq!(after, replica);
}

/// How many values each object store holds, read over a connection of its own.
async fn counts(name: &str) -> Vec<u32> {
    let db = Database::open(name).await.unwrap();
    let stores = [
        storage::META,
        storage::RECORDS,
        storage::CONFLICTS,
        storage::OUTBOX,
        storage::REJECTED,
        storage::ERASED,
    ];
    let tx = db.transaction(stores).build().unwrap();
    let mut counts = Vec::new();
    for store in stores {
        counts.push(tx.object_store(store).unwrap().count().await.unwrap());
    }
    drop(tx);
    db.close();
    counts
}

/// Signing out on a shared phone: nothing of the last person's data is left, in any object
/// store, even after reopening.
#[wasm_bindgen_test]
async fn a_wipe_leaves_nothing() {
    let store = fresh("test-wipe").await.unwrap();
    busy_replica(&store).await;
    store.put_meta("session", &"a session").await.unwrap();
    store.close();
    assert!(counts("test-wipe").await.iter().all(|&n| n > 0));

    let store = Store::open("test-wipe").await.unwrap();
    store.wipe().await.unwrap();
    assert_eq!(store.load().await, Ok(None));
    assert_eq!(store.get_meta::<String>("session").await, Ok(None));
    store.close();
    assert_eq!(counts("test-wipe").await, [0; 6]);
}

/// A new database `name` as the first schema made it: the meta store only.
async fn first_schema(name: &str) -> Database {
    Database::delete_by_name(name).unwrap().await.unwrap();
    Database::open(name)
        .with_version(1u32)
        .with_on_upgrade_needed(|_, db| {
            db.create_object_store(storage::META).build()?;
            Ok(())
        })
        .await
        .unwrap()
}

/// A device that ran the first schema (the meta store only) keeps its values when the app
/// upgrades it, and gains the replica's object stores.
#[wasm_bindgen_test]
async fn upgrading_from_the_first_schema_keeps_what_it_held() {
    let name = "test-upgrade";
    let db = first_schema(name).await;
    let tx = db
        .transaction(storage::META)
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    tx.object_store(storage::META)
        .unwrap()
        .put(&Sample {
            name: "Test Person".into(),
            doors: 12,
        })
        .with_key("shift")
        .without_key_type()
        .serde()
        .unwrap()
        .await
        .unwrap();
    tx.commit().await.unwrap();
    db.close();

    let store = Store::open(name).await.unwrap();
    assert_eq!(
        store.get_meta::<Sample>("shift").await.unwrap(),
        Some(Sample {
            name: "Test Person".into(),
            doors: 12,
        })
    );
    let mut replica = Replica::new(ClientId::from_u128(3), ADMIN);
    replica.create(&person(0, "Alex Test")).unwrap();
    save(&mut replica, &store).await;
    assert_eq!(load(&store).await, Some(replica));
}

/// Puts `value` under `key` as a JavaScript object made by serde-wasm-bindgen, as version 2
/// of the schema stored every value.
async fn put_object<K, V>(tx: &Transaction<'_>, store: &str, key: K, value: &V)
where
    K: Serialize + TryToJs,
    V: Serialize,
{
    tx.object_store(store)
        .unwrap()
        .put(value)
        .with_key(key)
        .without_key_type()
        .serde()
        .unwrap()
        .await
        .unwrap();
}

/// Writes `parts` into a new database `name` as version 2 of the schema did: every value a
/// JavaScript object made by serde-wasm-bindgen.
async fn write_second_schema(name: &str, parts: &ReplicaParts) {
    Database::delete_by_name(name).unwrap().await.unwrap();
    let db = Database::open(name)
        .with_version(2u32)
        .with_on_upgrade_needed(|_, db| {
            for store in [
                storage::META,
                storage::RECORDS,
                storage::CONFLICTS,
                storage::OUTBOX,
                storage::REJECTED,
                storage::ERASED,
            ] {
                db.create_object_store(store).build()?;
            }
            Ok(())
        })
        .await
        .unwrap();
    let tx = db
        .transaction([
            storage::META,
            storage::RECORDS,
            storage::CONFLICTS,
            storage::OUTBOX,
            storage::REJECTED,
            storage::ERASED,
        ])
        .with_mode(TransactionMode::Readwrite)
        .build()
        .unwrap();
    put_object(
        &tx,
        storage::META,
        storage::REPLICA_META.to_owned(),
        &parts.meta,
    )
    .await;
    for record in &parts.records {
        let key = format!("{}/{}", record.collection, record.id);
        put_object(&tx, storage::RECORDS, key, record).await;
    }
    for conflict in &parts.conflicts {
        put_object(&tx, storage::CONFLICTS, conflict.id.0 as f64, conflict).await;
    }
    for mutation in &parts.outbox {
        put_object(&tx, storage::OUTBOX, mutation.seq.0 as f64, mutation).await;
    }
    for rejected in &parts.rejected {
        let key = rejected.mutation.seq.0 as f64;
        put_object(&tx, storage::REJECTED, key, rejected).await;
    }
    for id in &parts.erased {
        put_object(&tx, storage::ERASED, id.to_string(), id).await;
    }
    tx.commit().await.unwrap();
    db.close();
}

/// A device that ran the second schema, whose values were JavaScript objects, keeps its
/// whole replica when the app upgrades it: unsent changes in the outbox above all. Values
/// written afterwards, as JSON text, are read beside the old ones.
#[wasm_bindgen_test]
async fn upgrading_from_the_second_schema_keeps_the_outbox() {
    let scratch = fresh("test-second-schema-source").await.unwrap();
    let mut replica = busy_replica(&scratch).await;
    let parts = scratch.load().await.unwrap().unwrap();
    scratch.close();
    let name = "test-second-schema";
    write_second_schema(name, &parts).await;

    let store = Store::open(name).await.unwrap();
    let loaded = load(&store).await.expect("a stored replica");
    assert_eq!(loaded, replica);
    let unsent: Vec<_> = replica.outbox().cloned().collect();
    assert!(unsent.iter().any(|m| m.op != Op::Void), "{unsent:?}");
    assert_eq!(loaded.outbox().cloned().collect::<Vec<_>>(), unsent);

    replica
        .set_field(key(0), "name", Value::Text("Test Example".into()))
        .unwrap();
    save(&mut replica, &store).await;
    store.close();
    let reopened = Store::open(name).await.unwrap();
    assert_eq!(load(&reopened).await, Some(replica));
}

/// The browser's quota error reads as a sentence saying the device is full.
#[wasm_bindgen_test]
fn a_full_device_is_reported_as_such() {
    let constructor: Function = Reflect::get(&web_sys::js_sys::global(), &"DOMException".into())
        .unwrap()
        .unchecked_into();
    let arguments = Array::of2(&"quota".into(), &"QuotaExceededError".into());
    let exception: JsValue = Reflect::construct(&constructor, &arguments).unwrap();
    let error = StorageError::from(indexed_db_futures::error::Error::from(exception));
    assert_eq!(error, StorageError::Full);
    assert!(error.to_string().contains("no room left"), "{error}");
}

#[wasm_bindgen_test]
async fn a_newer_tab_takes_the_store_over_without_waiting() {
    let name = "organise-test-replaced";
    Database::delete_by_name(name).unwrap().await.unwrap();
    let replaced = Rc::new(Cell::new(false));
    let store = Store::open_watched(name, || {}, {
        let replaced = replaced.clone();
        move || replaced.set(true)
    })
    .await
    .unwrap();
    store.put_meta("kept", &1u32).await.unwrap();
    // Another tab opens the database at a newer version: it is not kept waiting (without the
    // store closing its connection, this open would never finish and the test would time out).
    let blocked = Rc::new(Cell::new(false));
    let newer = Database::open(name)
        .with_version(1000u32)
        .with_on_blocked({
            let blocked = blocked.clone();
            move |_| {
                blocked.set(true);
                Ok(())
            }
        })
        .await
        .unwrap();
    assert!(!blocked.get(), "the newer tab had to wait");
    assert!(replaced.get(), "this tab was not told it was replaced");
    newer.close();
}

#[wasm_bindgen_test]
async fn an_upgrade_waiting_for_an_older_tab_says_so() {
    let name = "organise-test-blocked";
    // An older version of the app, open in another tab, that does not let go by itself.
    let older = first_schema(name).await;
    let older = Rc::new(RefCell::new(Some(older)));
    let blocked = Rc::new(Cell::new(false));
    let store = Store::open_watched(
        name,
        {
            let (blocked, older) = (blocked.clone(), older.clone());
            move || {
                blocked.set(true);
                // The person closes the other tab.
                if let Some(older) = older.borrow_mut().take() {
                    older.close();
                }
            }
        },
        || {},
    )
    .await
    .unwrap();
    assert!(blocked.get(), "the wait was not reported");
    store.put_meta("after", &2u32).await.unwrap();
    assert_eq!(store.get_meta::<u32>("after").await.unwrap(), Some(2));
}
