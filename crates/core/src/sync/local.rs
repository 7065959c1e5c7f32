//! Storing the client replica piece by piece: the shapes a device store holds, the
//! [`LocalStore`] trait the browser's IndexedDB store implements, and its in-memory twin
//! [`MemoryLocalStore`].
//!
//! A [`Replica`](super::Replica) tracks what changed since it was last saved;
//! [`Replica::take_changes`](super::Replica::take_changes) hands that over as one
//! [`Changes`], which a store applies in one transaction. Each step of the replica (a user's
//! write with its outbox entry, a pulled page with its cursor, a push response) therefore
//! lands whole or not at all, and saving one door rewrites one outbox entry and the meta,
//! not the whole replica. At start the store hands back everything as [`ReplicaParts`] and
//! [`Replica::from_parts`](super::Replica::from_parts) rebuilds the replica.
//!
//! The trait's methods return futures so that IndexedDB, which answers asynchronously, can
//! implement it; the memory twin's futures are ready at once. Core needs no async runtime
//! for this: a future is part of the language.

use super::replica::RejectedMutation;
use super::wire::{
    ClientId, Conflict, ConflictId, Mutation, RecordKey, ScopeEpoch, Seq, SyncedRecord, Version,
};
use crate::id::{RecordId, UserId};
use serde::{Deserialize, Serialize};
use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::future::{Future, ready};

/// The replica's scalar state, stored as one value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplicaMeta {
    /// The client id.
    pub client_id: ClientId,
    /// The user the replica belongs to.
    pub user: UserId,
    /// The version the confirmed state has been pulled up to.
    pub cursor: Version,
    /// The scope epoch the confirmed state was pulled under.
    pub epoch: Option<ScopeEpoch>,
    /// The last seq given to a mutation.
    pub last_assigned: Seq,
    /// The client's own mutations up to this seq are reflected in the confirmed state.
    pub landed_through: Seq,
    /// The server has answered for the client's mutations up to this seq (absent in what
    /// older versions stored, which kept nothing after its answer).
    #[serde(default)]
    pub acked_through: Seq,
}

/// What changed in one part of the replica (a keyed collection of values) since it was last
/// saved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PartChanges<K, V> {
    /// Everything held before goes first (a scope reset forgets every record and
    /// conflict): one request instead of one delete per key.
    pub clear: bool,
    /// Keys that now hold these values (new or changed), each with its current value.
    pub put: Vec<(K, V)>,
    /// Keys that no longer hold anything.
    pub delete: Vec<K>,
}

impl<K, V> Default for PartChanges<K, V> {
    fn default() -> Self {
        Self {
            clear: false,
            put: Vec::new(),
            delete: Vec::new(),
        }
    }
}

impl<K, V> PartChanges<K, V> {
    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        !self.clear && self.put.is_empty() && self.delete.is_empty()
    }
}

/// Everything that changed in a replica since it was last saved: one atomic write for a
/// store. A key appears at most once per part, either put or deleted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Changes {
    /// The scalar state, when any of it changed (always, in a new replica's first changes).
    pub meta: Option<ReplicaMeta>,
    /// The confirmed records.
    pub records: PartChanges<RecordKey, SyncedRecord>,
    /// The confirmed open conflicts.
    pub conflicts: PartChanges<ConflictId, Conflict>,
    /// The outbox, by seq.
    pub outbox: PartChanges<Seq, Mutation>,
    /// The rejected list, by seq.
    pub rejected: PartChanges<Seq, RejectedMutation>,
    /// Ids newly erased. The erased set only grows, so there is nothing to delete.
    pub erased: Vec<RecordId>,
}

impl Changes {
    /// Whether nothing changed, so there is nothing to write.
    pub fn is_empty(&self) -> bool {
        self.meta.is_none()
            && self.records.is_empty()
            && self.conflicts.is_empty()
            && self.outbox.is_empty()
            && self.rejected.is_empty()
            && self.erased.is_empty()
    }
}

/// Everything a store holds for a replica, read back at start. Each value carries its own
/// key, so the parts are plain lists (in any order).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplicaParts {
    /// The scalar state.
    pub meta: ReplicaMeta,
    /// The confirmed records.
    pub records: Vec<SyncedRecord>,
    /// The confirmed open conflicts.
    pub conflicts: Vec<Conflict>,
    /// The outbox.
    pub outbox: Vec<Mutation>,
    /// The rejected list.
    pub rejected: Vec<RejectedMutation>,
    /// Every erased id.
    pub erased: Vec<RecordId>,
}

/// A device's store for one replica.
///
/// The contract:
/// - [`apply`](LocalStore::apply) writes one [`Changes`] atomically: after an error or a
///   crash, either all of it is stored or none of it. Changes are applied in the order they
///   were taken. A failed apply leaves the store as it was, and the replica no longer
///   remembers those changes, so the caller either applies the same `Changes` again before
///   any later one, or rebuilds the replica from the store (undoing what failed to save).
/// - [`load`](LocalStore::load) reads everything back in a few bulk reads (never one read
///   per record); `None` when nothing is stored (a new device, or after a wipe). A replica
///   rebuilt from it equals the one whose changes were applied.
/// - [`wipe`](LocalStore::wipe) removes everything, atomically: for signing out on a shared
///   phone, so the next person finds nothing of the last one's data.
///
/// A store holds one replica. Before storing a replica for another user or client, wipe.
pub trait LocalStore {
    /// Why the store failed.
    type Error;

    /// Writes one replica's changes, all or nothing.
    fn apply(&self, changes: &Changes) -> impl Future<Output = Result<(), Self::Error>>;

    /// Reads everything stored, or `None` when no replica is stored.
    fn load(&self) -> impl Future<Output = Result<Option<ReplicaParts>, Self::Error>>;

    /// Removes everything stored.
    fn wipe(&self) -> impl Future<Output = Result<(), Self::Error>>;
}

/// The in-memory twin of the browser's store, over maps: for native tests and the
/// simulation. Its futures are ready at once and it never fails.
#[derive(Debug, Default)]
pub struct MemoryLocalStore {
    held: RefCell<Held>,
}

/// What a [`MemoryLocalStore`] holds: one map per part, as IndexedDB keeps one object store
/// per part.
#[derive(Clone, Debug, Default)]
struct Held {
    meta: Option<ReplicaMeta>,
    records: BTreeMap<RecordKey, SyncedRecord>,
    conflicts: BTreeMap<ConflictId, Conflict>,
    outbox: BTreeMap<Seq, Mutation>,
    rejected: BTreeMap<Seq, RejectedMutation>,
    erased: BTreeSet<RecordId>,
}

fn apply_part<K: Ord + Clone, V: Clone>(map: &mut BTreeMap<K, V>, part: &PartChanges<K, V>) {
    if part.clear {
        map.clear();
    }
    for key in &part.delete {
        map.remove(key);
    }
    for (key, value) in &part.put {
        map.insert(key.clone(), value.clone());
    }
}

impl MemoryLocalStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// How many values the store holds in all, meta included (for tests that check a wipe
    /// or the size of what was written).
    pub fn len(&self) -> usize {
        let held = self.held.borrow();
        usize::from(held.meta.is_some())
            + held.records.len()
            + held.conflicts.len()
            + held.outbox.len()
            + held.rejected.len()
            + held.erased.len()
    }

    /// Whether the store holds nothing at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl LocalStore for MemoryLocalStore {
    type Error = Infallible;

    fn apply(&self, changes: &Changes) -> impl Future<Output = Result<(), Infallible>> {
        let mut held = self.held.borrow_mut();
        if let Some(meta) = changes.meta {
            held.meta = Some(meta);
        }
        apply_part(&mut held.records, &changes.records);
        apply_part(&mut held.conflicts, &changes.conflicts);
        apply_part(&mut held.outbox, &changes.outbox);
        apply_part(&mut held.rejected, &changes.rejected);
        held.erased.extend(changes.erased.iter().copied());
        ready(Ok(()))
    }

    fn load(&self) -> impl Future<Output = Result<Option<ReplicaParts>, Infallible>> {
        let held = self.held.borrow();
        ready(Ok(held.meta.map(|meta| ReplicaParts {
            meta,
            records: held.records.values().cloned().collect(),
            conflicts: held.conflicts.values().cloned().collect(),
            outbox: held.outbox.values().cloned().collect(),
            rejected: held.rejected.values().cloned().collect(),
            erased: held.erased.iter().copied().collect(),
        })))
    }

    fn wipe(&self) -> impl Future<Output = Result<(), Infallible>> {
        *self.held.borrow_mut() = Held::default();
        ready(Ok(()))
    }
}
