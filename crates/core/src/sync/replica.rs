//! The client replica: the pure model of what a device holds. The browser wraps it with
//! IndexedDB (persisting every part in one transaction per operation); the simulation runs
//! it in memory.
//!
//! It remembers what changed since it was last saved: [`Replica::take_changes`] hands a
//! store only the records, conflicts and outbox entries an operation touched (see
//! [`crate::sync::local`]), and [`Replica::from_parts`] rebuilds it from what a store holds.
//!
//! It holds the confirmed server state (records and conflicts as last pulled, with the
//! cursor and scope epoch they were pulled at) and an outbox of pending mutations. What the
//! user sees is the confirmed state with the pending mutations re-applied on top, so a pull
//! never hides an edit that has not yet reached the server. Outbox entries leave only when
//! the server has acknowledged them; rejected ones move to a rejected list the user
//! discards deliberately.

use crate::id::{AreaId, RecordId, UserId};
use crate::order;
use crate::record::{Collection, Element, Entity, FieldName, Record, Value};
use crate::search::{self, Entry, Listing, Page, Query};
use crate::sync::local::{Changes, PartChanges, ReplicaMeta, ReplicaParts};
use crate::sync::wire::{
    Change, ClientId, Conflict, ConflictId, Mutation, Op, Outcome, ProtocolVersion, PullRequest,
    PullResponse, Purge, PushRefusal, PushRequest, PushResponse, RecordKey, Rejection, ScopeEpoch,
    Seq, SyncedRecord, Version,
};
use crate::sync::{decide, schema};
use crate::validate::FieldProblem;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet, HashMap, hash_map};
use std::hash::Hash;
use std::ops::{Deref, Range};

/// A mutation the server rejected, kept visible until the user discards it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedMutation {
    /// The mutation.
    pub mutation: Mutation,
    /// Why it was rejected.
    pub rejection: Rejection,
}

/// Why the replica would not record a local mutation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum LocalRefusal {
    /// It touches an erased person or record.
    #[error("it concerns someone whose data has been erased")]
    Erased,
    /// A resolution of a conflict the replica does not hold.
    #[error("no such conflict")]
    NoSuchConflict,
    /// The record it would make breaks the collection's rules (the same the server
    /// applies), field by field.
    #[error("{}", crate::validate::sentences(.0))]
    Invalid(Vec<FieldProblem>),
    /// A field set whole where the collection only appends records, or a set field given a
    /// whole value, or a set operation on a field that is not a set.
    #[error("{0} cannot be changed that way")]
    WrongOperation(FieldName),
}

/// Why a pull response was not applied. Not an error to show: the response is simply stale.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StalePull {
    /// The response was made from another cursor or epoch than the replica's: a duplicate,
    /// or one overtaken by another response. Applying it could bring back data the replica
    /// has since purged.
    #[error("the response was made from cursor {since} but the replica is at {cursor}")]
    NotFromHere {
        /// The response's starting cursor.
        since: Version,
        /// The replica's cursor.
        cursor: Version,
    },
    /// A response for another client.
    #[error("the response is for another client")]
    OtherClient,
}

/// A refusal the replica cannot recover from by itself.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StuckPush {
    /// The server has lost mutations it had acknowledged (it was restored from a backup).
    /// The outbox is kept; an operator must restore the server.
    #[error(
        "the server has processed up to {last_seq} but this app holds outcomes up to {acknowledged}; it has lost data"
    )]
    ServerBehind {
        /// The server's last seq for this client.
        last_seq: Seq,
        /// What the replica holds acknowledged.
        acknowledged: Seq,
    },
}

/// What a push response did to the replica.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PushReport {
    /// Outbox entries acknowledged (applied, conflicted, rejected or skipped).
    pub acknowledged: Vec<(Seq, Outcome)>,
}

/// The replica's state. Every field but the record of unsaved changes is persistent: a
/// restart of the app reloads it. Two replicas are equal when they hold the same state,
/// whatever either has yet to save.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Replica {
    client_id: ClientId,
    user: UserId,
    #[serde(with = "pairs")]
    confirmed: Tracked<RecordKey, SyncedRecord>,
    conflicts: Tracked<ConflictId, Conflict>,
    cursor: Version,
    epoch: Option<ScopeEpoch>,
    last_assigned: Seq,
    /// This client's mutations: those the server has not answered for (after
    /// `acked_through`), and before them those it applied that no pull has brought back
    /// yet, still shown on top of the confirmed records until one does.
    outbox: Tracked<Seq, Mutation>,
    landed_through: Seq,
    #[serde(default)]
    acked_through: Seq,
    rejected: Tracked<Seq, RejectedMutation>,
    erased: BTreeSet<RecordId>,
    /// What changed since the last [`Replica::take_changes`] beyond the maps' own tracking.
    #[serde(skip)]
    unsaved: Unsaved,
    /// Changes made here and dropped because a person they named was erased, until
    /// [`Replica::take_dropped`] hands them to the screen that says so.
    #[serde(skip)]
    dropped: usize,
    /// Indexes of the confirmed records by field value (see [`Replica::holding`]).
    #[serde(skip)]
    lookups: LookupCache,
    #[serde(skip)]
    instance: Instance,
}

/// Which replica in this process a replica is (see [`Replica::instance`]): a new one for
/// every replica made, loaded or cloned.
#[derive(Debug)]
struct Instance(u64);

impl Default for Instance {
    fn default() -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Instance(NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed))
    }
}

impl Clone for Instance {
    fn clone(&self) -> Self {
        Instance::default()
    }
}

/// [`Lookups`] behind a lock, so a replica can still be shared between threads (the lookups
/// are a cache: a clone starts with a copy).
#[derive(Debug, Default)]
struct LookupCache(std::sync::Mutex<Lookups>);

impl Clone for LookupCache {
    fn clone(&self) -> Self {
        LookupCache(std::sync::Mutex::new(self.lock().clone()))
    }
}

impl LookupCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Lookups> {
        // A panic while the lock was held left at worst a partial cache: start it afresh.
        self.0.lock().unwrap_or_else(|poisoned| {
            let mut lookups = poisoned.into_inner();
            *lookups = Lookups::default();
            lookups
        })
    }
}

/// For each field a screen has looked records up by, which confirmed records hold each value:
/// built on first use, and rebuilt when the confirmed records of its collection change (a
/// pull that brought some), so a change made on the phone, which goes to the outbox, keeps
/// them, and a pull of conversations keeps the people's. Each is kept with the write count
/// of its collection's confirmed records it was built at.
#[derive(Clone, Debug, Default)]
struct Lookups {
    by_field: HashMap<(Collection, FieldName), (u64, Index)>,
    /// Each listing's confirmed records, in its order (see [`Replica::directory`]).
    listings: HashMap<Listing, (u64, Vec<(Entry, RecordId)>)>,
    /// The last search of a listing, so that a search typed one more letter looks only
    /// through what the last one found.
    last_search: Option<LastSearch>,
    /// The values a collection's confirmed records hold in a set field, each once by its
    /// folded spelling (see [`Replica::label_values`]).
    labels: HashMap<(Collection, &'static str), (u64, Spellings)>,
}

/// Values by their folded spelling, each as first spelt.
type Spellings = BTreeMap<String, String>;

/// Which entries of a listing's index (by position) a query matched.
#[derive(Clone, Debug)]
struct LastSearch {
    listing: Listing,
    /// The confirmed records' writes when the index was built.
    stamp: u64,
    query: Query,
    matched: Vec<u32>,
}

/// What `cache` holds under `key`, built again unless it was built at `stamp`.
fn built_at<K: Eq + Hash, T>(
    cache: &mut HashMap<K, (u64, T)>,
    key: K,
    stamp: u64,
    build: impl FnOnce() -> T,
) -> &mut T {
    match cache.entry(key) {
        hash_map::Entry::Occupied(mut held) => {
            if held.get().0 != stamp {
                *held.get_mut() = (stamp, build());
            }
            &mut held.into_mut().1
        }
        hash_map::Entry::Vacant(slot) => &mut slot.insert((stamp, build())).1,
    }
}

/// Which records hold each value of a field.
type Index = HashMap<Lookup, Vec<RecordId>>;

/// A listing's order: by the folded text, then by id so that equal names keep their places.
fn by_entry(a: &(Entry, RecordId), b: &(Entry, RecordId)) -> std::cmp::Ordering {
    a.0.order.cmp(&b.0.order).then(a.1.cmp(&b.1))
}

/// A value records are looked up by.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Lookup {
    /// A reference (a field's id, or one of its set).
    Id(RecordId),
    /// A text, trimmed and lower-cased.
    Text(String),
}

impl Lookup {
    fn text(text: &str) -> Lookup {
        Lookup::Text(text.trim().to_lowercase())
    }

    /// What a field's value can be looked up by.
    fn of(value: &Value) -> Vec<Lookup> {
        match value {
            Value::Text(text) => vec![Lookup::text(text)],
            other => other.ids().into_iter().map(Lookup::Id).collect(),
        }
    }
}

/// The changes a replica has not yet handed to a store, beyond those its maps track.
#[derive(Clone, Debug, Default)]
struct Unsaved {
    /// The scalar state as last taken; `None` until the first take (a new replica's meta
    /// has never been stored).
    meta: Option<ReplicaMeta>,
    /// Ids erased since the last take.
    erased: BTreeSet<RecordId>,
    /// How many times `landed_through` moved (see [`Replica::generation`]); never stored.
    landings: u64,
}

impl PartialEq for Replica {
    fn eq(&self, other: &Self) -> bool {
        // Destructured so a new field cannot be left out by accident.
        let Replica {
            client_id,
            user,
            confirmed,
            conflicts,
            cursor,
            epoch,
            last_assigned,
            outbox,
            landed_through,
            acked_through,
            rejected,
            erased,
            unsaved: _,
            dropped: _,
            lookups: _,
            instance: _,
        } = self;
        *client_id == other.client_id
            && *user == other.user
            && *confirmed == other.confirmed
            && *conflicts == other.conflicts
            && *cursor == other.cursor
            && *epoch == other.epoch
            && *last_assigned == other.last_assigned
            && *outbox == other.outbox
            && *landed_through == other.landed_through
            && *acked_through == other.acked_through
            && *rejected == other.rejected
            && *erased == other.erased
    }
}

impl Eq for Replica {}

impl Replica {
    /// A new, empty replica for `user` on the client `client_id`.
    pub fn new(client_id: ClientId, user: UserId) -> Self {
        Self {
            client_id,
            user,
            confirmed: Tracked::default(),
            conflicts: Tracked::default(),
            cursor: Version(0),
            epoch: None,
            last_assigned: Seq(0),
            outbox: Tracked::default(),
            landed_through: Seq(0),
            acked_through: Seq(0),
            rejected: Tracked::default(),
            erased: BTreeSet::new(),
            unsaved: Unsaved::default(),
            dropped: 0,
            lookups: LookupCache::default(),
            instance: Instance::default(),
        }
    }

    /// Rebuilds a replica from what a store holds (see [`crate::sync::local::LocalStore`]).
    /// It has nothing unsaved: it is what the store holds.
    pub fn from_parts(parts: ReplicaParts) -> Self {
        let ReplicaParts {
            meta,
            records,
            conflicts,
            outbox,
            rejected,
            erased,
        } = parts;
        Self {
            client_id: meta.client_id,
            user: meta.user,
            confirmed: records.into_iter().map(|r| (r.key(), r)).collect(),
            conflicts: conflicts.into_iter().map(|c| (c.id, c)).collect(),
            cursor: meta.cursor,
            epoch: meta.epoch,
            last_assigned: meta.last_assigned,
            outbox: outbox.into_iter().map(|m| (m.seq, m)).collect(),
            landed_through: meta.landed_through,
            acked_through: meta.acked_through,
            rejected: rejected.into_iter().map(|r| (r.mutation.seq, r)).collect(),
            erased: erased.into_iter().collect(),
            unsaved: Unsaved {
                meta: Some(meta),
                ..Unsaved::default()
            },
            dropped: 0,
            lookups: LookupCache::default(),
            instance: Instance::default(),
        }
    }

    /// The scalar state, as a store keeps it.
    fn meta(&self) -> ReplicaMeta {
        ReplicaMeta {
            client_id: self.client_id,
            user: self.user,
            cursor: self.cursor,
            epoch: self.epoch,
            last_assigned: self.last_assigned,
            landed_through: self.landed_through,
            acked_through: self.acked_through,
        }
    }

    /// Hands over everything that changed since the last call (or since the replica was
    /// made), with current values, and forgets it: the caller writes it to the store in
    /// one transaction. A new replica's first changes carry its meta. Empty when nothing
    /// changed; see [`Changes::is_empty`].
    pub fn take_changes(&mut self) -> Changes {
        let meta = self.meta();
        let meta = (self.unsaved.meta != Some(meta)).then(|| {
            self.unsaved.meta = Some(meta);
            meta
        });
        Changes {
            meta,
            records: self.confirmed.take_changes(),
            conflicts: self.conflicts.take_changes(),
            outbox: self.outbox.take_changes(),
            rejected: self.rejected.take_changes(),
            erased: std::mem::take(&mut self.unsaved.erased)
                .into_iter()
                .collect(),
        }
    }

    /// Which replica this is in this process: no two replicas made, loaded or cloned here
    /// share it, so a cache keyed by it and a [`Replica::generation`] never serves one
    /// replica's reads to another (whose generations count from their own start).
    pub fn instance(&self) -> u64 {
        self.instance.0
    }

    /// The client id.
    pub fn client_id(&self) -> ClientId {
        self.client_id
    }

    /// The user.
    pub fn user(&self) -> UserId {
        self.user
    }

    /// The version the confirmed state has been pulled up to.
    pub fn cursor(&self) -> Version {
        self.cursor
    }

    /// The scope epoch the confirmed state was pulled under.
    pub fn epoch(&self) -> Option<ScopeEpoch> {
        self.epoch
    }

    /// The confirmed records, as last pulled.
    pub fn confirmed(&self) -> &BTreeMap<RecordKey, SyncedRecord> {
        &self.confirmed.map
    }

    /// The confirmed open conflicts, as last pulled.
    pub fn confirmed_conflicts(&self) -> &BTreeMap<ConflictId, Conflict> {
        &self.conflicts.map
    }

    /// The pending mutations (not yet answered for by the server), in seq order.
    pub fn outbox(&self) -> impl Iterator<Item = &Mutation> {
        self.unanswered(Seq(0)).map(|(_, m)| m)
    }

    /// The outbox entries from `from` on that the server has not answered for yet (those
    /// before `acked_through` are kept only to be shown until they land).
    fn unanswered(&self, from: Seq) -> impl Iterator<Item = (&Seq, &Mutation)> {
        self.outbox.range(from.max(self.acked_through.next())..)
    }

    /// The rejected mutations, until discarded.
    pub fn rejected(&self) -> impl Iterator<Item = &RejectedMutation> {
        self.rejected.values()
    }

    /// The ids erased so far (kept so a late-arriving rejection or a stale screen cannot
    /// bring any of them back).
    pub fn erased(&self) -> &BTreeSet<RecordId> {
        &self.erased
    }

    /// The last seq given to a mutation.
    pub fn last_assigned(&self) -> Seq {
        self.last_assigned
    }

    /// Records a local mutation in the outbox with the next seq. Refused if it touches
    /// anything erased.
    pub fn mutate(&mut self, key: RecordKey, op: Op) -> Result<Seq, LocalRefusal> {
        let seq = self.last_assigned.next();
        let mutation = Mutation {
            client_id: self.client_id,
            seq,
            schema_version: schema::CURRENT,
            collection: key.collection,
            record_id: key.id,
            op,
        };
        if mutation.ids().iter().any(|id| self.erased.contains(id)) {
            return Err(LocalRefusal::Erased);
        }
        if let Op::ResolveConflict { conflict, .. } = &mutation.op
            && !self.conflicts.contains_key(conflict)
        {
            return Err(LocalRefusal::NoSuchConflict);
        }
        let mutation = self.checked(mutation)?;
        self.last_assigned = seq;
        self.outbox.insert(seq, mutation);
        Ok(seq)
    }

    /// `mutation` as the server would apply it, or why the server would reject it for what it
    /// writes: the record it makes is normalised and checked with the collection's rules
    /// (the server's own, in [`Collection::normalise`]), and a set is changed only element
    /// by element. A bad value is refused at once, naming its field, rather than after the
    /// person has moved on. A change to a record this replica does not hold is left for the
    /// server to judge.
    fn checked(&self, mut mutation: Mutation) -> Result<Mutation, LocalRefusal> {
        let key = mutation.key();
        let collection = key.collection;
        let wrong = |field: &FieldName| Err(LocalRefusal::WrongOperation(field.clone()));
        let adding = matches!(mutation.op, Op::AddToSet { .. });
        match &mut mutation.op {
            Op::Create { area, fields } => {
                let record = Record {
                    collection,
                    id: key.id,
                    area: *area,
                    created_by: self.user,
                    fields: std::mem::take(fields),
                };
                let record = collection
                    .normalise(&record)
                    .map_err(LocalRefusal::Invalid)?;
                *fields = record.fields;
            }
            Op::SetField { field, value, .. } => {
                if collection.is_append_only() || collection.is_set_field(field.as_str()) {
                    return wrong(field);
                }
                let Some(mut after) = self.get(key) else {
                    return Ok(mutation);
                };
                set(&mut after, field, value.clone());
                let after = collection
                    .normalise(&after)
                    .map_err(LocalRefusal::Invalid)?;
                if field.as_str() != FieldName::AREA {
                    *value = after.get(field.as_str()).clone();
                }
            }
            Op::AddToSet { field, element } | Op::RemoveFromSet { field, element } => {
                if !collection.is_set_field(field.as_str()) {
                    return wrong(field);
                }
                let Some(mut after) = self.get(key) else {
                    return Ok(mutation);
                };
                let current = after.get(field.as_str());
                let value = if adding {
                    current.with_element(element)
                } else {
                    current.without_element(element)
                };
                let Some(value) = value else {
                    return wrong(field);
                };
                after.fields.insert(field.clone(), value);
                collection
                    .normalise(&after)
                    .map_err(LocalRefusal::Invalid)?;
            }
            Op::Delete { .. } | Op::ResolveConflict { .. } | Op::Void => {}
        }
        Ok(mutation)
    }

    /// Records the creation of `record`.
    pub fn create(&mut self, record: &Record) -> Result<Seq, LocalRefusal> {
        let key = RecordKey {
            collection: record.collection,
            id: record.id,
        };
        self.mutate(
            key,
            Op::Create {
                area: record.area,
                fields: record.fields.clone(),
            },
        )
    }

    /// Records setting a field, based on the version of it last pulled.
    pub fn set_field(
        &mut self,
        key: RecordKey,
        field: &str,
        value: Value,
    ) -> Result<Seq, LocalRefusal> {
        let base_version = self
            .confirmed
            .get(&key)
            .map_or(Version(0), |r| r.field_version(field));
        self.mutate(
            key,
            Op::SetField {
                field: field.into(),
                value,
                base_version,
            },
        )
    }

    /// Records adding an element to a set.
    pub fn add_to_set(
        &mut self,
        key: RecordKey,
        field: &str,
        element: Element,
    ) -> Result<Seq, LocalRefusal> {
        self.mutate(
            key,
            Op::AddToSet {
                field: field.into(),
                element,
            },
        )
    }

    /// Records removing an element from a set.
    pub fn remove_from_set(
        &mut self,
        key: RecordKey,
        field: &str,
        element: Element,
    ) -> Result<Seq, LocalRefusal> {
        self.mutate(
            key,
            Op::RemoveFromSet {
                field: field.into(),
                element,
            },
        )
    }

    /// Records deleting a record, based on the version of it last pulled.
    pub fn delete(&mut self, key: RecordKey) -> Result<Seq, LocalRefusal> {
        let base_version = self
            .confirmed
            .get(&key)
            .map_or(Version(0), SyncedRecord::version);
        self.mutate(key, Op::Delete { base_version })
    }

    /// Records resolving a conflict with the chosen value.
    pub fn resolve_conflict(
        &mut self,
        conflict: ConflictId,
        value: Value,
    ) -> Result<Seq, LocalRefusal> {
        let key = self
            .conflicts
            .get(&conflict)
            .ok_or(LocalRefusal::NoSuchConflict)?
            .key;
        self.mutate(key, Op::ResolveConflict { conflict, value })
    }

    /// Discards a rejected mutation, as the user decides.
    pub fn discard_rejected(&mut self, seq: Seq) -> Option<RejectedMutation> {
        self.rejected.remove(&seq)
    }

    /// Every seq below this has its outcome recorded here.
    fn acknowledged(&self) -> Seq {
        self.unanswered(Seq(0))
            .next()
            .map_or(self.last_assigned, |(first, _)| Seq(first.0 - 1))
    }

    /// A push of up to `max` pending mutations from the first one.
    pub fn push_request(&self, max: usize) -> Option<PushRequest> {
        self.push_request_from(Seq(0), max)
    }

    /// A push of up to `max` pending mutations from seq `from` on: a client may send the
    /// next window while an earlier one is in flight. If the earlier one is lost, the server
    /// refuses this one as a gap and nothing is applied out of order.
    pub fn push_request_from(&self, from: Seq, max: usize) -> Option<PushRequest> {
        let mutations: Vec<Mutation> = self
            .unanswered(from)
            .take(max)
            .map(|(_, m)| m.clone())
            .collect();
        (!mutations.is_empty()).then(|| PushRequest {
            protocol: ProtocolVersion::CURRENT,
            client_id: self.client_id,
            acknowledged: self.acknowledged(),
            mutations,
        })
    }

    /// Applies a push response: each acknowledged mutation leaves the outbox; a rejected
    /// one moves to the rejected list (unless it touches erased data, which is purged).
    /// Responses may arrive twice or late: an outcome for a mutation no longer pending is
    /// ignored, since the server returns the same outcome every time.
    pub fn apply_push_response(&mut self, response: &PushResponse) -> PushReport {
        let mut report = PushReport::default();
        if response.client_id != self.client_id {
            return report;
        }
        for outcome in &response.outcomes {
            // Kept after its answer (at or before `acked_through`): answered already.
            if outcome.seq <= self.acked_through {
                continue;
            }
            // An applied mutation stays shown until a pull brings its effect, so a phone that
            // loses its signal between the push and the pull keeps sight of its own work. It
            // can stay only if every mutation before it was answered too (a reordered answer
            // leaves it to the next pull, as before).
            let answered_in_order = self
                .outbox
                .range(self.acked_through.next()..outcome.seq)
                .next()
                .is_none();
            if answered_in_order && self.outbox.contains_key(&outcome.seq) {
                self.acked_through = outcome.seq;
                if !matches!(outcome.outcome, Outcome::Rejected { .. }) {
                    report
                        .acknowledged
                        .push((outcome.seq, outcome.outcome.clone()));
                    continue;
                }
            }
            let Some(mutation) = self.outbox.remove(&outcome.seq) else {
                continue;
            };
            if let Outcome::Rejected { rejection } = &outcome.outcome
                && !mutation.ids().iter().any(|id| self.erased.contains(id))
            {
                self.rejected.insert(
                    outcome.seq,
                    RejectedMutation {
                        mutation,
                        rejection: rejection.clone(),
                    },
                );
            }
            report
                .acknowledged
                .push((outcome.seq, outcome.outcome.clone()));
        }
        self.forget_landed();
        report
    }

    /// Takes note of a refused push. A gap or a malformed batch needs nothing: the next push
    /// starts from the first pending mutation again, and a gap refusal may be a late answer
    /// to a request long since overtaken. Only a server that has lost acknowledged mutations
    /// leaves the replica stuck, and then it says so instead of retrying forever in silence.
    pub fn apply_push_refusal(&self, refusal: &PushRefusal) -> Result<(), StuckPush> {
        match refusal {
            PushRefusal::ServerBehind {
                last_seq,
                acknowledged,
            } => Err(StuckPush::ServerBehind {
                last_seq: *last_seq,
                acknowledged: *acknowledged,
            }),
            _ => Ok(()),
        }
    }

    /// A pull from the replica's cursor.
    pub fn pull_request(&self, limit: usize) -> PullRequest {
        PullRequest {
            protocol: ProtocolVersion::CURRENT,
            client_id: self.client_id,
            cursor: self.cursor,
            epoch: self.epoch,
            limit,
        }
    }

    /// Applies a page of changes and moves the cursor, as one step (the browser does it in
    /// one IndexedDB transaction: writing the cursor apart from the data would skip changes
    /// after a crash). Returns whether more pages follow. See [`Replica::apply_pull`], which
    /// takes the page rather than copying its records.
    pub fn apply_pull_response(&mut self, response: &PullResponse) -> Result<bool, StalePull> {
        self.apply_pull(response.clone())
    }

    /// [`Replica::apply_pull_response`], moving the page's records in rather than copying
    /// them: a first sync of twenty thousand records copies none.
    pub fn apply_pull(&mut self, response: PullResponse) -> Result<bool, StalePull> {
        if response.since != self.cursor {
            return Err(StalePull::NotFromHere {
                since: response.since,
                cursor: self.cursor,
            });
        }
        let reset = response.purges.iter().find_map(|p| match p {
            Purge::Scope { epoch } => Some(*epoch),
            Purge::Erased { .. } => None,
        });
        let fresh = match reset {
            // An older reset than the epoch held has been overtaken.
            Some(epoch) => self.epoch.is_none_or(|held| epoch >= held),
            None => Some(response.epoch) == self.epoch,
        };
        if !fresh {
            return Err(StalePull::NotFromHere {
                since: response.since,
                cursor: self.cursor,
            });
        }
        if let Some(epoch) = reset {
            self.confirmed.clear();
            self.conflicts.clear();
            // Until the re-pull completes the confirmed state lacks even this client's own
            // landed edits, so all pending mutations are shown on top again.
            self.land_through(Seq(0));
            self.epoch = Some(epoch);
        }
        for purge in &response.purges {
            if let Purge::Erased { person, related } = purge {
                let mut ids: BTreeSet<RecordId> = related.iter().map(|k| k.id).collect();
                ids.insert(person.0);
                self.purge_erased(&ids);
            }
        }
        for change in response.changes {
            match change {
                Change::Record { record } => {
                    if self.erased.contains(&record.id) {
                        continue;
                    }
                    match self.confirmed.get_mut(&record.key()) {
                        Some(held) => held.merge(&record),
                        None => {
                            self.confirmed.insert(record.key(), record);
                        }
                    }
                }
                Change::Deleted { key, .. } => {
                    self.confirmed.remove(&key);
                    self.conflicts.retain(|_, c| c.key != key);
                }
                Change::Conflict { conflict } => {
                    let newer = self
                        .conflicts
                        .get(&conflict.id)
                        .is_none_or(|held| held.version < conflict.version);
                    if newer && !self.erased.contains(&conflict.key.id) {
                        self.conflicts.insert(conflict.id, conflict);
                    }
                }
                Change::ConflictClosed { id, .. } => {
                    self.conflicts.remove(&id);
                }
            }
        }
        self.cursor = response.cursor;
        if !response.more {
            // The data now includes the effects of this client's mutations up to last_seq;
            // re-applying them on top would show them over newer changes by others.
            self.land_through(self.landed_through.max(response.last_seq));
        }
        Ok(response.more)
    }

    /// Forgets every trace of erased ids: their records, references to them, conflicts,
    /// rejected entries, and the payload of outbox entries (which stay as `Void` so their
    /// seqs still reach the server and the sequence stays gapless).
    fn purge_erased(&mut self, ids: &BTreeSet<RecordId>) {
        for &id in ids {
            if self.erased.insert(id) {
                self.unsaved.erased.insert(id);
            }
        }
        self.confirmed.retain(|key, _| !ids.contains(&key.id));
        self.confirmed.update_each(|record| {
            let mut changed = false;
            for field in record.fields.values_mut() {
                match &mut field.value {
                    Value::Id(id) if ids.contains(id) => {
                        field.value = Value::Null;
                        changed = true;
                    }
                    Value::Ids(set) => {
                        let before = set.len();
                        set.retain(|id| !ids.contains(id));
                        changed |= set.len() != before;
                    }
                    _ => {}
                }
            }
            changed
        });
        self.conflicts
            .retain(|_, c| !ids.iter().any(|&id| c.mentions(id)));
        let rejected = self.rejected.len();
        self.rejected
            .retain(|_, r| !r.mutation.ids().iter().any(|id| ids.contains(id)));
        let mut dropped = rejected - self.rejected.len();
        let acked_through = self.acked_through;
        self.outbox.update_each(|mutation| {
            let touched = mutation.ids().iter().any(|id| ids.contains(id));
            if touched {
                mutation.op = Op::Void;
                mutation.record_id = RecordId::from_u128(0);
                // One the server already answered was not lost: only unsent ones count.
                if mutation.seq > acked_through {
                    dropped += 1;
                }
            }
            touched
        });
        self.dropped += dropped;
    }

    /// How many changes made here were dropped, unsent or rejected, because a person they
    /// named was erased, since this was last asked; a screen says so once.
    pub fn take_dropped(&mut self) -> usize {
        std::mem::take(&mut self.dropped)
    }

    /// What the user sees of one collection: its confirmed records with the pending
    /// mutations re-applied on top, in seq order. Screens read one collection at a time, so
    /// a list of doors does not copy every record the phone holds.
    pub fn visible_of(&self, collection: Collection) -> BTreeMap<RecordKey, Record> {
        let mut records: BTreeMap<RecordKey, Record> = self
            .confirmed_of(collection)
            .map(|(k, r)| (*k, r.to_record()))
            .collect();
        for mutation in self
            .outbox
            .range(self.landed_through.next()..)
            .map(|(_, m)| m)
            .filter(|m| m.collection == collection)
        {
            self.rebase(&mut records, mutation);
        }
        records
    }

    /// Calls `each` with every visible record of `collection` (see [`Replica::visible_of`]),
    /// one at a time and in no particular order, holding none of them: a screen can go
    /// through twenty thousand people and keep only what it needs of each.
    pub fn each_of(&self, collection: Collection, mut each: impl FnMut(Record)) {
        let pending = self.pending_ids(collection);
        for (key, record) in self.confirmed_of(collection) {
            if !pending.contains(&key.id) {
                each(record.to_record());
            }
        }
        for id in pending {
            if let Some(record) = self.get(RecordKey { collection, id }) {
                each(record);
            }
        }
    }

    /// Calls `each` with the id and area of every visible record of `collection`, in no
    /// particular order, reading none of their fields: what a count per area needs of twenty
    /// thousand people, for a fraction of [`Replica::each_of`]'s cost.
    pub fn each_placed(&self, collection: Collection, mut each: impl FnMut(RecordId, AreaId)) {
        let pending = self.pending_ids(collection);
        for (key, record) in self.confirmed_of(collection) {
            if !pending.contains(&key.id) {
                each(key.id, record.area.value);
            }
        }
        for id in pending {
            if let Some(record) = self.get(RecordKey { collection, id }) {
                each(record.id, record.area);
            }
        }
    }

    /// [`Replica::each_of`] for the records that read cleanly as their typed struct.
    pub fn each<T: Entity>(&self, mut each: impl FnMut(T)) {
        self.each_of(T::COLLECTION, |record| {
            if let Ok(typed) = T::read(&record) {
                each(typed);
            }
        });
    }

    /// Every record as the user sees it: see [`Replica::visible_of`], for all collections.
    pub fn visible(&self) -> BTreeMap<RecordKey, Record> {
        let mut records: BTreeMap<RecordKey, Record> = self
            .confirmed
            .iter()
            .map(|(k, r)| (*k, r.to_record()))
            .collect();
        for mutation in self
            .outbox
            .range(self.landed_through.next()..)
            .map(|(_, m)| m)
        {
            self.rebase(&mut records, mutation);
        }
        records
    }

    /// One visible record: the confirmed one with this record's pending mutations re-applied,
    /// a lookup rather than a copy of everything (see [`Replica::visible`]).
    pub fn get(&self, key: RecordKey) -> Option<Record> {
        let mut records: BTreeMap<RecordKey, Record> = self
            .confirmed
            .get(&key)
            .map(|r| (key, r.to_record()))
            .into_iter()
            .collect();
        for mutation in self
            .outbox
            .range(self.landed_through.next()..)
            .map(|(_, m)| m)
            .filter(|m| m.key() == key)
        {
            self.rebase(&mut records, mutation);
        }
        records.remove(&key)
    }

    /// One visible record as its typed struct, if it is there and reads cleanly.
    pub fn one<T: Entity>(&self, id: RecordId) -> Option<T> {
        let record = self.get(RecordKey {
            collection: T::COLLECTION,
            id,
        })?;
        T::read(&record).ok()
    }

    /// Every visible record of a collection that reads cleanly as its typed struct (see
    /// [`Replica::visible_of`]): for the small collections (areas, issues, users, lists).
    pub fn all<T: Entity>(&self) -> Vec<T> {
        self.visible_of(T::COLLECTION)
            .values()
            .filter_map(|r| T::read(r).ok())
            .collect()
    }

    /// The visible records of `collection` whose `field` refers to `id` (as its value or one
    /// of its set): the people of a household, the conversations of a list or of a person.
    /// A lookup in an index of the confirmed records, with the records that have pending
    /// changes checked one by one, rather than a pass over every record.
    pub fn holding(&self, collection: Collection, field: &str, id: RecordId) -> Vec<Record> {
        self.looked_up(collection, field, Lookup::Id(id), |value| {
            value.ids().contains(&id)
        })
    }

    /// The visible records of `collection` whose text `field` is `text`, ignoring case and
    /// surrounding space (see [`Replica::holding`]).
    pub fn with_text(&self, collection: Collection, field: &str, text: &str) -> Vec<Record> {
        let wanted = Lookup::text(text);
        self.looked_up(collection, field, wanted.clone(), |value| {
            Lookup::of(value).contains(&wanted)
        })
    }

    fn looked_up(
        &self,
        collection: Collection,
        field: &str,
        wanted: Lookup,
        matches: impl Fn(&Value) -> bool,
    ) -> Vec<Record> {
        let mut ids: BTreeSet<RecordId> = {
            let stamp = self.confirmed.writes_of(collection);
            let mut lookups = self.lookups.lock();
            let key = (collection, FieldName::from(field));
            let index = built_at(&mut lookups.by_field, key, stamp, || {
                self.index_of(collection, field)
            });
            index.get(&wanted).into_iter().flatten().copied().collect()
        };
        // A pending change may have given a record the value, or taken it away.
        ids.extend(self.pending_ids(collection));
        ids.into_iter()
            .filter_map(|id| self.get(RecordKey { collection, id }))
            .filter(|record| matches(record.get(field)))
            .collect()
    }

    /// One page of `listing`'s visible records matching `query`, in the listing's order, and
    /// how many match in all: a pass over a sorted index of the confirmed records (built on
    /// first use, like [`Replica::holding`]'s) with the records that have pending changes
    /// merged in, so a screen lists twenty thousand people without copying them.
    pub fn directory(&self, listing: &Listing, query: &Query, page: Range<usize>) -> Page {
        let collection = listing.collection;
        let pending = self.pending_ids(collection);
        let mut changed: Vec<(Entry, RecordId)> = pending
            .iter()
            .filter_map(|&id| self.get(RecordKey { collection, id }))
            .map(|record| (listing.entry(&record), record.id))
            .filter(|(entry, id)| query.admits(entry, *id))
            .collect();
        order::sort_by(&mut changed, by_entry);
        let (total, ids) = {
            let stamp = self.confirmed.writes_of(collection);
            let mut lookups = self.lookups.lock();
            let Lookups {
                listings,
                last_search,
                ..
            } = &mut *lookups;
            let index = built_at(listings, *listing, stamp, || self.listing_index(listing));
            let admitted = |positions: &mut dyn Iterator<Item = u32>| -> Vec<u32> {
                positions
                    .filter(|&i| {
                        let (entry, id) = &index[i as usize];
                        query.admits(entry, *id)
                    })
                    .collect()
            };
            let mut everything = None;
            let matched: &[u32] = if query.is_everything() {
                *last_search = None;
                everything.insert(admitted(&mut (0..index.len() as u32)))
            } else {
                // Everything the new query matches, the last one matched too, if it narrows it.
                let matched = match last_search.take().filter(|last| {
                    last.listing == *listing && last.stamp == stamp && query.narrows(&last.query)
                }) {
                    Some(last) => admitted(&mut last.matched.into_iter()),
                    None => admitted(&mut (0..index.len() as u32)),
                };
                &last_search
                    .insert(LastSearch {
                        listing: *listing,
                        stamp,
                        query: query.clone(),
                        matched,
                    })
                    .matched
            };
            let mut confirmed = matched
                .iter()
                .map(|&i| &index[i as usize])
                .filter(|(_, id)| !pending.contains(id))
                .peekable();
            let mut changed = changed.iter().peekable();
            let mut ids = Vec::with_capacity(page.len().min(100));
            let mut position = 0;
            loop {
                let next = match (confirmed.peek(), changed.peek()) {
                    (Some(a), Some(b)) if by_entry(a, b).is_gt() => changed.next(),
                    (Some(_), _) => confirmed.next(),
                    (None, _) => changed.next(),
                };
                let Some((_, id)) = next else { break };
                if page.contains(&position) {
                    ids.push(*id);
                }
                position += 1;
            }
            (position, ids)
        };
        Page {
            total,
            records: ids
                .into_iter()
                .filter_map(|id| self.get(RecordKey { collection, id }))
                .collect(),
        }
    }

    /// Every value `listing`'s visible records hold in the set field `field` (a label a query
    /// may ask for), each once however it is cased, as first spelt, in folded order.
    pub fn label_values(&self, listing: &Listing, field: &'static str) -> Vec<String> {
        fn note(seen: &mut BTreeMap<String, String>, value: &Value) {
            if let Value::Texts(values) = value {
                for one in values {
                    let trimmed = one.trim();
                    if !trimmed.is_empty() {
                        seen.entry(search::fold(trimmed))
                            .or_insert_with(|| trimmed.to_owned());
                    }
                }
            }
        }
        let collection = listing.collection;
        let pending = self.pending_ids(collection);
        // A record with changes waiting may have lost a value its confirmed record holds: its
        // values are those shown, so then the confirmed ones are gathered without it.
        let changed_confirmed = pending.iter().any(|id| {
            self.confirmed
                .get(&RecordKey {
                    collection,
                    id: *id,
                })
                .and_then(|record| record.fields.get(field))
                .is_some_and(
                    |held| matches!(&held.value, Value::Texts(values) if !values.is_empty()),
                )
        });
        let mut seen = if changed_confirmed {
            let mut seen = BTreeMap::new();
            for (key, record) in self.confirmed_of(collection) {
                if let Some(held) = record.fields.get(field)
                    && !pending.contains(&key.id)
                {
                    note(&mut seen, &held.value);
                }
            }
            seen
        } else {
            // Otherwise the confirmed records' values, gathered once per write to the
            // collection: opening a screen that offers them again reads none of the records.
            let stamp = self.confirmed.writes_of(collection);
            let mut lookups = self.lookups.lock();
            let confirmed = built_at(&mut lookups.labels, (collection, field), stamp, || {
                let mut seen = BTreeMap::new();
                for (_, record) in self.confirmed_of(collection) {
                    if let Some(held) = record.fields.get(field) {
                        note(&mut seen, &held.value);
                    }
                }
                seen
            });
            if pending.is_empty() {
                return confirmed.values().cloned().collect();
            }
            confirmed.clone()
        };
        for id in pending {
            if let Some(record) = self.get(RecordKey { collection, id }) {
                note(&mut seen, record.get(field));
            }
        }
        seen.into_values().collect()
    }

    /// The ids of `collection`'s records with pending changes shown on top.
    fn pending_ids(&self, collection: Collection) -> BTreeSet<RecordId> {
        self.outbox
            .range(self.landed_through.next()..)
            .map(|(_, m)| m)
            .filter(|m| m.collection == collection)
            .map(|m| m.record_id)
            .collect()
    }

    /// The confirmed records of one collection, in key order (keys sort by collection first).
    fn confirmed_of(
        &self,
        collection: Collection,
    ) -> impl Iterator<Item = (&RecordKey, &SyncedRecord)> {
        let key = |n| RecordKey {
            collection,
            id: RecordId::from_u128(n),
        };
        self.confirmed.map.range(key(0)..=key(u128::MAX))
    }

    /// `listing`'s confirmed records, in its order.
    fn listing_index(&self, listing: &Listing) -> Vec<(Entry, RecordId)> {
        let mut index: Vec<(Entry, RecordId)> = self
            .confirmed_of(listing.collection)
            .map(|(key, record)| {
                let entry = listing.entry_of(record.area.value, |field| {
                    record.fields.get(field).map(|v| &v.value)
                });
                (entry, key.id)
            })
            .collect();
        order::sort_by(&mut index, by_entry);
        index
    }

    /// Which confirmed records of `collection` hold each value of `field`.
    fn index_of(&self, collection: Collection, field: &str) -> Index {
        let mut index = Index::new();
        for (key, record) in self.confirmed_of(collection) {
            if let Some(versioned) = record.fields.get(field) {
                for lookup in Lookup::of(&versioned.value) {
                    index.entry(lookup).or_default().push(key.id);
                }
            }
        }
        index
    }

    /// How many times what this replica shows may have changed since it was made or loaded:
    /// it moves with every change to its records, conflicts, outbox or rejected changes and
    /// to which pending changes are shown on top (a local change, a pull that brought
    /// something, a push's answer) and never otherwise, so a screen that re-reads only when
    /// it moves re-reads only when it could differ.
    pub fn generation(&self) -> u64 {
        self.confirmed.writes
            + self.conflicts.writes
            + self.outbox.writes
            + self.rejected.writes
            + self.unsaved.landings
    }

    /// The same as [`Replica::generation`], for what the replica shows of `collections`
    /// only (their records, conflicts, pending and rejected changes): a screen that reads
    /// people and lists re-reads them when a tap records a conversation only if it must.
    pub fn generation_of(&self, collections: &[Collection]) -> u64 {
        collections
            .iter()
            .map(|&c| {
                self.confirmed.writes_of(c)
                    + self.conflicts.writes_of(c)
                    + self.outbox.writes_of(c)
                    + self.rejected.writes_of(c)
            })
            .sum::<u64>()
            + self.unsaved.landings
    }

    /// Shows the pending changes after `seq` on top of the confirmed records, from now on.
    fn land_through(&mut self, seq: Seq) {
        if seq != self.landed_through {
            self.landed_through = seq;
            self.unsaved.landings += 1;
        }
        self.forget_landed();
    }

    /// Drops the mutations the server answered for that a pull has since brought back.
    fn forget_landed(&mut self) {
        let through = self.landed_through.min(self.acked_through);
        let done: Vec<Seq> = self.outbox.range(..=through).map(|(seq, _)| *seq).collect();
        for seq in done {
            self.outbox.remove(&seq);
        }
    }

    /// The open conflicts the user sees: those not already being resolved by a pending
    /// mutation, nor settled by one (see [`decide::settles`]): an edit of the field after
    /// its winner was pulled, a resolution of another conflict on the field judged against
    /// a value at least as new, or a write of the kept value back. The server closes those
    /// when the mutation reaches it, so the phone shows what it will hold after the push.
    pub fn visible_conflicts(&self) -> Vec<&Conflict> {
        let resolving: BTreeSet<ConflictId> = self
            .outbox
            .values()
            .filter_map(|m| match m.op {
                Op::ResolveConflict { conflict, .. } => Some(conflict),
                _ => None,
            })
            .collect();
        self.conflicts
            .values()
            .filter(|c| !resolving.contains(&c.id) && !self.settled_on_top(c))
            .collect()
    }

    /// The pending mutations shown on top of the confirmed records, in seq order.
    pub(crate) fn shown_on_top(&self) -> impl Iterator<Item = &Mutation> {
        self.outbox
            .range(self.landed_through.next()..)
            .map(|(_, m)| m)
    }

    /// The pending writes shown on top to `conflict`'s field, each with the field version it
    /// is judged against and the value it writes.
    pub(crate) fn pending_writes_to<'a>(
        &'a self,
        conflict: &'a Conflict,
    ) -> impl Iterator<Item = (Version, &'a Value)> + 'a {
        self.shown_on_top()
            .filter(move |m| m.key() == conflict.key)
            .filter_map(move |m| match &m.op {
                Op::SetField {
                    field,
                    value,
                    base_version,
                } if *field == conflict.field => Some((*base_version, value)),
                Op::ResolveConflict {
                    conflict: id,
                    value,
                } => self
                    .conflicts
                    .get(id)
                    .filter(|resolved| resolved.field == conflict.field)
                    .map(|resolved| (resolved.winner.version, value)),
                _ => None,
            })
    }

    /// Whether a pending write of this replica's own settles `conflict`.
    fn settled_on_top(&self, conflict: &Conflict) -> bool {
        self.pending_writes_to(conflict)
            .any(|(base, value)| decide::settles(conflict, base, value))
    }

    fn rebase(&self, records: &mut BTreeMap<RecordKey, Record>, mutation: &Mutation) {
        let key = mutation.key();
        match &mutation.op {
            Op::Create { area, fields } => {
                records.entry(key).or_insert_with(|| Record {
                    collection: key.collection,
                    id: key.id,
                    area: *area,
                    created_by: self.user,
                    fields: fields.clone(),
                });
            }
            Op::SetField { field, value, .. } => {
                if let Some(record) = records.get_mut(&key) {
                    set(record, field, value.clone());
                }
            }
            Op::ResolveConflict { conflict, value } => {
                if let (Some(record), Some(conflict)) =
                    (records.get_mut(&key), self.conflicts.get(conflict))
                {
                    set(record, &conflict.field, value.clone());
                }
            }
            Op::AddToSet { field, element } | Op::RemoveFromSet { field, element } => {
                if let Some(record) = records.get_mut(&key) {
                    let current = record.get(field.as_str());
                    let value = if matches!(mutation.op, Op::AddToSet { .. }) {
                        current.with_element(element)
                    } else {
                        current.without_element(element)
                    };
                    if let Some(value) = value {
                        record.fields.insert(field.clone(), value);
                    }
                }
            }
            Op::Delete { .. } => {
                records.remove(&key);
            }
            Op::Void => {}
        }
    }
}

fn set(record: &mut Record, field: &FieldName, value: Value) {
    if field.as_str() == FieldName::AREA {
        if let Value::Id(id) = value {
            record.area = id.into();
        }
    } else {
        record.fields.insert(field.clone(), value);
    }
}

/// What a tracked map's entries are about: the collection whose records they change, so the
/// map can count its writes per collection (see [`Replica::generation_of`]).
trait About<K> {
    fn collection(key: &K, value: &Self) -> Collection;
}

impl About<RecordKey> for SyncedRecord {
    fn collection(key: &RecordKey, _: &Self) -> Collection {
        key.collection
    }
}

impl About<ConflictId> for Conflict {
    fn collection(_: &ConflictId, conflict: &Self) -> Collection {
        conflict.key.collection
    }
}

impl About<Seq> for Mutation {
    fn collection(_: &Seq, mutation: &Self) -> Collection {
        mutation.collection
    }
}

impl About<Seq> for RejectedMutation {
    fn collection(_: &Seq, rejected: &Self) -> Collection {
        rejected.mutation.collection
    }
}

/// A map that remembers which keys changed since its changes were last taken, so that a
/// store is handed only those. Reads go through `Deref`; every write goes through a method
/// here, which notes the key. Equality is the map's: what is unsaved is not part of the
/// value.
#[derive(Clone, Debug)]
struct Tracked<K, V> {
    map: BTreeMap<K, V>,
    /// Keys inserted, changed or removed since the last take.
    changed: BTreeSet<K>,
    /// Whether the map was cleared since the last take.
    cleared: bool,
    /// How many writes have changed the map since it was made (see [`Replica::generation`]).
    writes: u64,
    /// The same, per collection, less the clears (which count for every collection).
    writes_by: HashMap<Collection, u64>,
    clears: u64,
}

impl<K, V> Default for Tracked<K, V> {
    fn default() -> Self {
        Self::saved(BTreeMap::new())
    }
}

impl<K, V> Tracked<K, V> {
    /// A map with nothing unsaved.
    fn saved(map: BTreeMap<K, V>) -> Self {
        Self {
            map,
            changed: BTreeSet::new(),
            cleared: false,
            writes: 0,
            writes_by: HashMap::new(),
            clears: 0,
        }
    }
}

impl<K: Ord, V> FromIterator<(K, V)> for Tracked<K, V> {
    /// A map with nothing unsaved.
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        Self::saved(pairs.into_iter().collect())
    }
}

impl<K, V> Deref for Tracked<K, V> {
    type Target = BTreeMap<K, V>;

    fn deref(&self) -> &BTreeMap<K, V> {
        &self.map
    }
}

impl<K: PartialEq, V: PartialEq> PartialEq for Tracked<K, V> {
    fn eq(&self, other: &Self) -> bool {
        self.map == other.map
    }
}

impl<K, V> Tracked<K, V> {
    /// How many writes have changed the map's entries about `collection`.
    fn writes_of(&self, collection: Collection) -> u64 {
        self.writes_by.get(&collection).copied().unwrap_or(0) + self.clears
    }
}

impl<K: Ord + Copy, V: Clone + About<K>> Tracked<K, V> {
    fn note(&mut self, key: K, collection: Collection) {
        self.changed.insert(key);
        self.writes += 1;
        *self.writes_by.entry(collection).or_default() += 1;
    }

    fn insert(&mut self, key: K, value: V) {
        self.note(key, V::collection(&key, &value));
        if let Some(before) = self.map.insert(key, value) {
            // A value about another collection than the one it replaces changes both.
            let before = V::collection(&key, &before);
            if before != V::collection(&key, &self.map[&key]) {
                *self.writes_by.entry(before).or_default() += 1;
            }
        }
    }

    fn remove(&mut self, key: &K) -> Option<V> {
        let removed = self.map.remove(key);
        if let Some(value) = &removed {
            self.note(*key, V::collection(key, value));
        }
        removed
    }

    /// The value under `key`, for changing in place (noted as changed; the change must keep
    /// what it is about).
    fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        let collection = V::collection(key, self.map.get(key)?);
        self.note(*key, collection);
        self.map.get_mut(key)
    }

    fn retain(&mut self, mut keep: impl FnMut(&K, &V) -> bool) {
        let mut gone = Vec::new();
        self.map.retain(|key, value| {
            let kept = keep(key, value);
            if !kept {
                gone.push((*key, V::collection(key, value)));
            }
            kept
        });
        for (key, collection) in gone {
            self.note(key, collection);
        }
    }

    /// Runs `update` on every value; it says whether it changed the value (keeping what it
    /// is about).
    fn update_each(&mut self, mut update: impl FnMut(&mut V) -> bool) {
        let mut updated = Vec::new();
        for (key, value) in &mut self.map {
            if update(value) {
                updated.push(*key);
            }
        }
        for key in updated {
            let collection = V::collection(&key, &self.map[&key]);
            self.note(key, collection);
        }
    }

    /// Empties the map: the store drops everything it holds of this part at once.
    fn clear(&mut self) {
        if !self.map.is_empty() {
            self.writes += 1;
            self.clears += 1;
        }
        self.map.clear();
        self.changed.clear();
        self.cleared = true;
    }

    /// The changes since the last take, with current values, forgetting them.
    fn take_changes(&mut self) -> PartChanges<K, V> {
        let clear = std::mem::take(&mut self.cleared);
        let mut part = PartChanges {
            clear,
            ..PartChanges::default()
        };
        for key in std::mem::take(&mut self.changed) {
            match self.map.get(&key) {
                Some(value) => part.put.push((key, value.clone())),
                // After a clear the store holds nothing of this part to delete.
                None if clear => {}
                None => part.delete.push(key),
            }
        }
        part
    }
}

impl<K: Serialize, V: Serialize> Serialize for Tracked<K, V> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.map.serialize(s)
    }
}

impl<'de, K: Deserialize<'de> + Ord, V: Deserialize<'de>> Deserialize<'de> for Tracked<K, V> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::deserialize(d).map(Tracked::saved)
    }
}

/// Serialises a map with non-string keys as a list of pairs, so the replica can be stored
/// as JSON.
mod pairs {
    use super::Tracked;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &Tracked<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<Tracked<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Vec::<(K, V)>::deserialize(d).map(|pairs| pairs.into_iter().collect())
    }
}
