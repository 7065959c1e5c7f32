//! The client replica: the pure model of what a device holds. The browser wraps it with
//! IndexedDB (persisting every part in one transaction per operation); the simulation runs
//! it in memory.
//!
//! It holds the confirmed server state (records and conflicts as last pulled, with the
//! cursor and scope epoch they were pulled at) and an outbox of pending mutations. What the
//! user sees is the confirmed state with the pending mutations re-applied on top, so a pull
//! never hides an edit that has not yet reached the server. Outbox entries leave only when
//! the server has acknowledged them; rejected ones move to a rejected list the user
//! discards deliberately.

use crate::id::{RecordId, UserId};
use crate::record::{Element, FieldName, Record, Value};
use crate::sync::schema;
use crate::sync::wire::{
    Change, ClientId, Conflict, ConflictId, Mutation, Op, Outcome, ProtocolVersion, PullRequest,
    PullResponse, Purge, PushRefusal, PushRequest, PushResponse, RecordKey, Rejection, ScopeEpoch,
    Seq, SyncedRecord, Version,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

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

/// The replica's state. Every field is persistent: a restart of the app reloads it whole.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Replica {
    client_id: ClientId,
    user: UserId,
    #[serde(with = "pairs")]
    confirmed: BTreeMap<RecordKey, SyncedRecord>,
    conflicts: BTreeMap<ConflictId, Conflict>,
    cursor: Version,
    epoch: Option<ScopeEpoch>,
    last_assigned: Seq,
    outbox: BTreeMap<Seq, Mutation>,
    landed_through: Seq,
    rejected: BTreeMap<Seq, RejectedMutation>,
    erased: BTreeSet<RecordId>,
}

impl Replica {
    /// A new, empty replica for `user` on the client `client_id`.
    pub fn new(client_id: ClientId, user: UserId) -> Self {
        Self {
            client_id,
            user,
            confirmed: BTreeMap::new(),
            conflicts: BTreeMap::new(),
            cursor: Version(0),
            epoch: None,
            last_assigned: Seq(0),
            outbox: BTreeMap::new(),
            landed_through: Seq(0),
            rejected: BTreeMap::new(),
            erased: BTreeSet::new(),
        }
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
        &self.confirmed
    }

    /// The confirmed open conflicts, as last pulled.
    pub fn confirmed_conflicts(&self) -> &BTreeMap<ConflictId, Conflict> {
        &self.conflicts
    }

    /// The pending mutations, in seq order.
    pub fn outbox(&self) -> impl Iterator<Item = &Mutation> {
        self.outbox.values()
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
        self.last_assigned = seq;
        self.outbox.insert(seq, mutation);
        Ok(seq)
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
        self.outbox
            .keys()
            .next()
            .map_or(self.last_assigned, |first| Seq(first.0 - 1))
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
            .outbox
            .range(from..)
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
    /// after a crash). Returns whether more pages follow.
    pub fn apply_pull_response(&mut self, response: &PullResponse) -> Result<bool, StalePull> {
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
            self.landed_through = Seq(0);
            self.epoch = Some(epoch);
        }
        for purge in &response.purges {
            if let Purge::Erased { person, related } = purge {
                let mut ids: BTreeSet<RecordId> = related.iter().map(|k| k.id).collect();
                ids.insert(person.0);
                self.purge_erased(&ids);
            }
        }
        for change in &response.changes {
            match change {
                Change::Record { record } => {
                    if self.erased.contains(&record.id) {
                        continue;
                    }
                    match self.confirmed.get_mut(&record.key()) {
                        Some(held) => held.merge(record),
                        None => {
                            self.confirmed.insert(record.key(), record.clone());
                        }
                    }
                }
                Change::Deleted { key, .. } => {
                    self.confirmed.remove(key);
                    self.conflicts.retain(|_, c| c.key != *key);
                }
                Change::Conflict { conflict } => {
                    let newer = self
                        .conflicts
                        .get(&conflict.id)
                        .is_none_or(|held| held.version < conflict.version);
                    if newer && !self.erased.contains(&conflict.key.id) {
                        self.conflicts.insert(conflict.id, conflict.clone());
                    }
                }
                Change::ConflictClosed { id, .. } => {
                    self.conflicts.remove(id);
                }
            }
        }
        self.cursor = response.cursor;
        if !response.more {
            // The data now includes the effects of this client's mutations up to last_seq;
            // re-applying them on top would show them over newer changes by others.
            self.landed_through = self.landed_through.max(response.last_seq);
        }
        Ok(response.more)
    }

    /// Forgets every trace of erased ids: their records, references to them, conflicts,
    /// rejected entries, and the payload of outbox entries (which stay as `Void` so their
    /// seqs still reach the server and the sequence stays gapless).
    fn purge_erased(&mut self, ids: &BTreeSet<RecordId>) {
        self.erased.extend(ids.iter().copied());
        self.confirmed.retain(|key, _| !ids.contains(&key.id));
        for record in self.confirmed.values_mut() {
            for field in record.fields.values_mut() {
                match &mut field.value {
                    Value::Id(id) if ids.contains(id) => field.value = Value::Null,
                    Value::Ids(set) => set.retain(|id| !ids.contains(id)),
                    _ => {}
                }
            }
        }
        self.conflicts
            .retain(|_, c| !ids.iter().any(|&id| c.mentions(id)));
        self.rejected
            .retain(|_, r| !r.mutation.ids().iter().any(|id| ids.contains(id)));
        for mutation in self.outbox.values_mut() {
            if mutation.ids().iter().any(|id| ids.contains(id)) {
                mutation.op = Op::Void;
                mutation.record_id = RecordId::from_u128(0);
            }
        }
    }

    /// What the user sees: the confirmed records with the pending mutations re-applied on
    /// top, in seq order.
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

    /// One visible record.
    pub fn get(&self, key: RecordKey) -> Option<Record> {
        self.visible().remove(&key)
    }

    /// The open conflicts the user sees: those not already being resolved by a pending
    /// mutation.
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
            .filter(|c| !resolving.contains(&c.id))
            .collect()
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

/// Serialises a map with non-string keys as a list of pairs, so the replica can be stored
/// as JSON.
mod pairs {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::BTreeMap;

    pub fn serialize<K: Serialize, V: Serialize, S: Serializer>(
        map: &BTreeMap<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<BTreeMap<K, V>, D::Error>
    where
        K: Deserialize<'de> + Ord,
        V: Deserialize<'de>,
        D: Deserializer<'de>,
    {
        Vec::<(K, V)>::deserialize(d).map(|pairs| pairs.into_iter().collect())
    }
}
