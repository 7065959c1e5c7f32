//! Saving the replica piece by piece: what `Replica::take_changes` hands a store after each
//! kind of step, and that a replica rebuilt from the store equals the one that was saved.
//! The simulation (`sim.rs`) checks the same round trip on every seed.

use crate::support::{self, ADMIN, ORGANISER, VOLUNTEER, WARD_NORTH, ready, reload, save};
use organise_core::id::{PersonId, RecordId};
use organise_core::sync::{
    ClientId, LocalStore, MemoryLocalStore, Op, Outcome, ProtocolVersion, PullResponse, Purge,
    RecordKey, ReferenceServer, Replica, ScopeEpoch, Seq, Version,
};
use organise_core::{Collection, Element, Value};

fn key(id: RecordId) -> RecordKey {
    RecordKey {
        collection: Collection::Person,
        id,
    }
}

/// Saves `replica` and checks that the store rebuilds it exactly.
pub(crate) fn save_and_check(replica: &mut Replica, store: &MemoryLocalStore, step: &str) {
    save(replica, store);
    let reloaded = reload(store).unwrap_or_else(|| panic!("{step}: nothing stored"));
    assert_eq!(
        &reloaded, replica,
        "{step}: the store rebuilds another replica"
    );
    assert_eq!(reloaded.visible(), replica.visible(), "{step}");
    let visible = replica.visible();
    for collection in organise_core::Collection::ALL {
        let one: std::collections::BTreeMap<_, _> = visible
            .iter()
            .filter(|(k, _)| k.collection == collection)
            .map(|(k, r)| (*k, r.clone()))
            .collect();
        let mut placed = Vec::new();
        replica.each_placed(collection, |id, area| placed.push((id, area)));
        placed.sort();
        let shown: Vec<_> = one.values().map(|r| (r.id, r.area)).collect();
        assert_eq!(placed, shown, "{step}: {collection} placed");
        assert_eq!(replica.visible_of(collection), one, "{step}: {collection}");
    }
    assert_eq!(
        reloaded.visible_conflicts(),
        replica.visible_conflicts(),
        "{step}"
    );
}

/// Pushes everything pending and pulls to the end, saving after each response.
fn sync(replica: &mut Replica, store: &MemoryLocalStore, server: &mut ReferenceServer) {
    let user = replica.user();
    while let Some(request) = replica.push_request(10) {
        let response = server.push(user, &request).expect("a push");
        replica.apply_push_response(&response);
        save_and_check(replica, store, "a push response");
    }
    loop {
        let response = server.pull(user, &replica.pull_request(3)).expect("a pull");
        let more = replica.apply_pull_response(&response).expect("fresh");
        save_and_check(replica, store, "a pulled page");
        if !more {
            break;
        }
    }
}

/// A replica of the organiser's, synced to a server seeded with people in the north ward.
fn synced_organiser(people: u128) -> (Replica, MemoryLocalStore, ReferenceServer) {
    let mut server = ReferenceServer::seeded(support::seed());
    let mut replica = Replica::new(ClientId::from_u128(1), ORGANISER);
    let store = MemoryLocalStore::new();
    for n in 0..people {
        replica
            .create(&support::person(
                RecordId::from_u128(0x100 + n),
                "Sam Example",
                WARD_NORTH,
                ORGANISER,
            ))
            .unwrap();
    }
    save_and_check(&mut replica, &store, "the creations");
    sync(&mut replica, &store, &mut server);
    (replica, store, server)
}

#[test]
fn nothing_is_stored_until_changes_are_applied() {
    let store = MemoryLocalStore::new();
    assert_eq!(ready(store.load()), Ok(None));
    assert!(store.is_empty());
}

#[test]
fn a_new_replica_saves_its_meta_first_and_then_nothing_more() {
    let mut replica = Replica::new(ClientId::from_u128(1), ORGANISER);
    let first = replica.take_changes();
    let meta = first.meta.expect("a new replica's meta");
    assert_eq!(
        (meta.client_id, meta.user),
        (ClientId::from_u128(1), ORGANISER)
    );
    assert!(first.records.is_empty() && first.outbox.is_empty() && first.erased.is_empty());
    assert!(replica.take_changes().is_empty());

    let store = MemoryLocalStore::new();
    let Ok(()) = ready(store.apply(&first));
    assert_eq!(reload(&store).as_ref(), Some(&replica));
}

/// Saving one edit writes its outbox entry and the meta (the seq it used), not the records.
#[test]
fn an_edit_saves_its_outbox_entry_and_the_meta_only() {
    let (mut replica, store, _server) = synced_organiser(20);
    assert!(replica.confirmed().len() > 20);
    let seq = replica
        .set_field(
            key(RecordId::from_u128(0x105)),
            "name",
            Value::Text("Jo Sample".into()),
        )
        .unwrap();
    let changes = replica.take_changes();
    assert_eq!(changes.meta.map(|m| m.last_assigned), Some(seq));
    assert_eq!(
        changes
            .outbox
            .put
            .iter()
            .map(|(s, _)| *s)
            .collect::<Vec<_>>(),
        [seq]
    );
    assert!(changes.records.is_empty(), "{:?}", changes.records);
    assert!(changes.conflicts.is_empty() && changes.rejected.is_empty());
    let Ok(()) = ready(store.apply(&changes));
    assert_eq!(reload(&store).as_ref(), Some(&replica));
}

/// A pulled page and the cursor it moves to are one `Changes`.
#[test]
fn a_pulled_page_comes_with_its_cursor() {
    let (mut replica, store, mut server) = synced_organiser(0);
    let mut other = Replica::new(ClientId::from_u128(2), ORGANISER);
    other
        .create(&support::person(
            RecordId::from_u128(0x200),
            "Jo Sample",
            WARD_NORTH,
            ORGANISER,
        ))
        .unwrap();
    other.apply_push_response(
        &server
            .push(ORGANISER, &other.push_request(10).unwrap())
            .unwrap(),
    );

    let response = server.pull(ORGANISER, &replica.pull_request(100)).unwrap();
    replica.apply_pull_response(&response).unwrap();
    let changes = replica.take_changes();
    assert_eq!(changes.meta.map(|m| m.cursor), Some(response.cursor));
    assert_eq!(
        changes
            .records
            .put
            .iter()
            .map(|(k, _)| *k)
            .collect::<Vec<_>>(),
        [key(RecordId::from_u128(0x200))]
    );
    let Ok(()) = ready(store.apply(&changes));
    assert_eq!(reload(&store).as_ref(), Some(&replica));
}

/// A scope reset clears the stored records in one go rather than deleting each.
#[test]
fn a_scope_reset_clears_the_records_instead_of_deleting_each() {
    let (mut replica, store, _server) = synced_organiser(5);
    let held = replica.confirmed().len();
    let epoch = ScopeEpoch(Version(replica.cursor().0 + 1));
    let reset = PullResponse {
        protocol: ProtocolVersion::CURRENT,
        since: replica.cursor(),
        epoch,
        purges: vec![Purge::Scope { epoch }],
        changes: Vec::new(),
        cursor: Version(0),
        more: true,
        last_seq: Seq(0),
    };
    replica.apply_pull_response(&reset).unwrap();
    let changes = replica.take_changes();
    assert!(changes.records.clear, "{held} records held before");
    assert!(changes.records.delete.is_empty() && changes.records.put.is_empty());
    assert_eq!(changes.meta.map(|m| m.epoch), Some(Some(epoch)));
    let Ok(()) = ready(store.apply(&changes));
    let reloaded = reload(&store).unwrap();
    assert!(reloaded.confirmed().is_empty());
    assert_eq!(reloaded, replica);
}

/// A scripted day: creates, edits, set edits, a conflict and its resolution, a rejection
/// and its discarding, a delete, an erasure voiding a pending edit. After every step the
/// store rebuilds the replica exactly.
#[test]
fn every_step_of_a_day_round_trips_through_the_store() {
    let (mut a, store_a, mut server) = synced_organiser(3);
    let store_b = MemoryLocalStore::new();
    let mut b = Replica::new(ClientId::from_u128(2), ORGANISER);
    sync(&mut b, &store_b, &mut server);
    let (p0, p1, p2) = (
        key(RecordId::from_u128(0x100)),
        key(RecordId::from_u128(0x101)),
        key(RecordId::from_u128(0x102)),
    );

    // Concurrent edits of one field: b's lands second and is kept as a conflict.
    a.set_field(p0, "name", Value::Text("Alex Test".into()))
        .unwrap();
    save_and_check(&mut a, &store_a, "a's edit");
    b.set_field(p0, "name", Value::Text("Chris Fake".into()))
        .unwrap();
    b.add_to_set(p0, "skills", Element::Text("welsh".into()))
        .unwrap();
    save_and_check(&mut b, &store_b, "b's edits");
    sync(&mut a, &store_a, &mut server);
    sync(&mut b, &store_b, &mut server);
    sync(&mut a, &store_a, &mut server);
    let conflict = a
        .visible_conflicts()
        .first()
        .map(|c| c.id)
        .expect("a conflict");

    // The resolution closes it.
    a.resolve_conflict(conflict, Value::Text("Alex Test".into()))
        .unwrap();
    save_and_check(&mut a, &store_a, "the resolution");
    sync(&mut a, &store_a, &mut server);
    assert!(a.confirmed_conflicts().is_empty());

    // A rejected edit (of a record the server does not have, so only the server can
    // judge it) moves to the rejected list, then the user discards it.
    let nowhere = key(RecordId::from_u128(0xDEAD));
    let rejected = a
        .set_field(nowhere, "name", Value::Text("Test Nobody".into()))
        .unwrap();
    save_and_check(&mut a, &store_a, "an edit the server rejects");
    let response = server
        .push(ORGANISER, &a.push_request(10).unwrap())
        .unwrap();
    assert!(matches!(
        response.outcomes[0].outcome,
        Outcome::Rejected { .. }
    ));
    a.apply_push_response(&response);
    save_and_check(&mut a, &store_a, "the rejection");
    assert_eq!(a.rejected().count(), 1);
    a.discard_rejected(rejected).unwrap();
    save_and_check(&mut a, &store_a, "the discarding");

    // A delete.
    a.delete(p1).unwrap();
    save_and_check(&mut a, &store_a, "a delete");
    sync(&mut a, &store_a, &mut server);
    assert!(!a.confirmed().contains_key(&p1));

    // An erasure while an edit of the person is pending: the entry is voided, not lost.
    a.set_field(p2, "name", Value::Text("Jo Sample".into()))
        .unwrap();
    a.add_to_set(p0, "skills", Element::Text("driving".into()))
        .unwrap();
    save_and_check(&mut a, &store_a, "edits before the erasure");
    server.erase(ADMIN, PersonId(p2.id)).unwrap();
    loop {
        let response = server.pull(ORGANISER, &a.pull_request(100)).unwrap();
        let more = a.apply_pull_response(&response).unwrap();
        save_and_check(&mut a, &store_a, "the erasure");
        if !more {
            break;
        }
    }
    assert!(a.erased().contains(&p2.id));
    assert!(a.outbox().any(|m| m.op == Op::Void));
    sync(&mut a, &store_a, &mut server);
    sync(&mut b, &store_b, &mut server);
    assert_eq!(a.confirmed(), b.confirmed());
}

/// The round-trip check has teeth: a save that is skipped leaves a store that rebuilds
/// another replica.
#[test]
fn a_skipped_save_is_noticed() {
    let (mut replica, store, _server) = synced_organiser(1);
    replica
        .add_to_set(
            key(RecordId::from_u128(0x100)),
            "skills",
            Element::Text("cooking".into()),
        )
        .unwrap();
    let lost = replica.take_changes();
    assert!(!lost.is_empty());
    save(&mut replica, &store);
    assert_ne!(reload(&store).as_ref(), Some(&replica));
    let Ok(()) = ready(store.apply(&lost));
    assert_eq!(reload(&store).as_ref(), Some(&replica));
}

/// A replica rebuilt from the store has nothing unsaved, and tracks its next edit.
#[test]
fn a_rebuilt_replica_saves_only_what_changes_next() {
    let (_replica, store, _server) = synced_organiser(4);
    let mut rebuilt = reload(&store).unwrap();
    assert!(rebuilt.take_changes().is_empty());
    rebuilt
        .remove_from_set(
            key(RecordId::from_u128(0x101)),
            "skills",
            Element::Text("welsh".into()),
        )
        .unwrap();
    let changes = rebuilt.take_changes();
    assert_eq!(changes.outbox.put.len(), 1);
    assert!(changes.records.is_empty());
}

/// Signing out on a shared phone: the wipe leaves nothing behind.
#[test]
fn a_wipe_leaves_nothing() {
    let (_replica, store, _server) = synced_organiser(3);
    assert!(!store.is_empty());
    let Ok(()) = ready(store.wipe());
    assert!(store.is_empty());
    assert_eq!(ready(store.load()), Ok(None));
}

/// Another user's replica starts from an empty store (after a wipe), not on top of the
/// last user's data.
#[test]
fn after_a_wipe_another_users_replica_starts_afresh() {
    let (_replica, store, _server) = synced_organiser(3);
    let Ok(()) = ready(store.wipe());
    let mut next = Replica::new(ClientId::from_u128(9), VOLUNTEER);
    save_and_check(&mut next, &store, "the next user's replica");
    assert_eq!(store.len(), 1, "only the meta");
}

/// The replica refuses at once what the server would reject for what it writes, naming the
/// field, and records nothing of it; what it records is already in the server's canonical
/// form.
#[test]
fn a_bad_change_is_refused_at_once_and_a_good_one_is_recorded_normalised() {
    use organise_core::sync::LocalRefusal;
    use organise_core::validate::{FieldProblem, Problem, sentences};
    let mut replica = Replica::new(ClientId::from_u128(0xD1), ADMIN);
    let id = RecordId::from_u128(0x9001);
    let person = support::person(id, "  Test   Example ", WARD_NORTH, ADMIN);

    let bad_phone = person.clone().with("phone", "12");
    let refusal = replica.create(&bad_phone).unwrap_err();
    assert_eq!(
        refusal,
        LocalRefusal::Invalid(vec![FieldProblem::new("phone", Problem::BadPhone)])
    );
    assert_eq!(
        refusal.to_string(),
        sentences(&[FieldProblem::new("phone", Problem::BadPhone)])
    );
    assert!(
        refusal
            .to_string()
            .starts_with("Phone is not a UK phone number")
    );
    assert_eq!(replica.outbox().count(), 0, "nothing of it recorded");
    assert_eq!(replica.last_assigned(), Seq(0), "no seq used");

    replica
        .create(&person.with("phone", "07700 900123"))
        .unwrap();
    let shown = replica.get(key(id)).unwrap();
    assert_eq!(shown.get("name"), &Value::Text("Test Example".into()));
    assert_eq!(shown.get("phone"), &Value::Text("+447700900123".into()));

    let refusal = replica
        .set_field(key(id), "postcode", Value::Text("not a postcode".into()))
        .unwrap_err();
    assert!(matches!(&refusal, LocalRefusal::Invalid(p) if p[0].field.as_str() == "postcode"));
    replica
        .set_field(key(id), "postcode", Value::Text("sw1a1aa".into()))
        .unwrap();
    assert_eq!(
        replica.get(key(id)).unwrap().get("postcode"),
        &Value::Text("SW1A 1AA".into())
    );
    assert_eq!(replica.outbox().count(), 2);

    // Sets change element by element; append-only records never change.
    assert!(matches!(
        replica.set_field(key(id), "skills", Value::Texts(["Cooking".into()].into())),
        Err(LocalRefusal::WrongOperation(_))
    ));
    assert!(matches!(
        replica.add_to_set(key(id), "name", Element::Text("Cooking".into())),
        Err(LocalRefusal::WrongOperation(_))
    ));
    let conversation = RecordKey {
        collection: Collection::Conversation,
        id: RecordId::from_u128(0x9002),
    };
    assert!(matches!(
        replica.set_field(conversation, "notes", Value::Null),
        Err(LocalRefusal::WrongOperation(_))
    ));
    assert_eq!(replica.outbox().count(), 2);

    // A record this phone does not hold is for the server to judge.
    replica
        .set_field(
            key(RecordId::from_u128(0x9FFF)),
            "name",
            Value::Text("Test Other".into()),
        )
        .unwrap();
    assert_eq!(replica.outbox().count(), 3);
}
