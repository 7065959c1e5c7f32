//! The reference server: the whole server side of the protocol, in memory, built from the
//! pure decisions in [`crate::sync::decide`].
//!
//! The SQL server stores the same [`ServerState`] in tables and calls the same decisions
//! inside one transaction per push or pull; its tests use this server as the oracle. Every
//! field of [`ServerState`] is durable (the SQL server keeps it in tables); [`ReferenceServer`]
//! adds only a cache, which a restart loses.

use crate::area::{Area, AreaTree};
use crate::id::{AreaId, MeetingId, PersonId, RecordId, UserId};
use crate::permission::{Actor, Permissions};
use crate::record::{Collection, Entity, FieldName, Record, Value};
use crate::sync::decide::{self, FieldDecision, FieldState, Step};
use crate::sync::schema;
use crate::sync::wire::{
    Change, ClientId, Conflict, ConflictId, ConflictSide, Mutation, MutationOutcome, Op, Outcome,
    ProtocolVersion, PullRefusal, PullRequest, PullResponse, Purge, PushRefusal, PushRequest,
    PushResponse, RecordKey, Rejection, ScopeEpoch, Seq, SyncedRecord, Version, Versioned,
};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// The most changes one pull page carries, whatever the client asks for.
pub const MAX_PAGE: usize = 500;

/// Who wrote a field: the client (`None` when the server itself wrote it, as erasure does)
/// and the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Writer {
    /// The client, if a mutation wrote it.
    pub client: Option<ClientId>,
    /// The user.
    pub user: UserId,
}

/// A live record with who wrote each field (`area` included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    /// The record with its per-field versions.
    pub synced: SyncedRecord,
    /// The same record without versions, kept alongside because every permission check
    /// reads it.
    pub record: Record,
    /// Who wrote each field.
    pub writers: BTreeMap<FieldName, Writer>,
}

impl StoredRecord {
    fn new(record: Record, version: Version, writer: Writer) -> Self {
        let writers = record
            .fields
            .keys()
            .cloned()
            .chain([FieldName::fixed(FieldName::AREA)])
            .map(|f| (f, writer))
            .collect();
        Self {
            synced: SyncedRecord::from_record(&record, version),
            record,
            writers,
        }
    }

    fn field_state(&self, field: &str) -> (Version, Option<ClientId>) {
        let writer = self.writers.get(field).and_then(|w| w.client);
        (self.synced.field_version(field), writer)
    }

    fn latest_writer(&self) -> Option<ClientId> {
        let version = self.synced.version();
        let field = if self.synced.area.version == version {
            Some(FieldName::AREA)
        } else {
            self.synced
                .fields
                .iter()
                .find(|(_, f)| f.version == version)
                .map(|(n, _)| n.as_str())
        };
        field
            .and_then(|f| self.writers.get(f))
            .and_then(|w| w.client)
    }
}

/// What is left of a deleted record: only its references (who it was about, which meeting,
/// which users), which decide who is told of the deletion. Its text is gone.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tombstone {
    /// The record's area, creator and reference fields.
    pub record: Record,
    /// The version of the delete.
    pub version: Version,
}

/// A conflict as stored. A closed conflict keeps no values (there is nothing left to decide,
/// and keeping them would keep data the record no longer holds).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredConflict {
    /// The conflict (values set to `Null` once closed).
    pub conflict: Conflict,
    /// Whether it awaits resolution.
    pub open: bool,
}

/// What the server remembers per client: its user, the last seq processed and the outcomes
/// not yet acknowledged. Stored in the same transaction as the mutations' effects, so a
/// replay after a crash is recognised.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientLog {
    /// The user the client id is bound to.
    pub user: UserId,
    /// The last seq processed.
    pub last_seq: Seq,
    /// Outcomes by seq, until the client acknowledges them.
    pub outcomes: BTreeMap<Seq, Outcome>,
}

/// An erasure: the person and the records erased with them. Kept forever (ids only) so every
/// client, however long offline, is told to purge.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Erasure {
    /// The person.
    pub person: PersonId,
    /// The records erased with them.
    pub related: Vec<RecordKey>,
}

/// What one version in the change feed refers to. Each entity sits at its latest version,
/// so a pull sends each changed record once, in its current state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum FeedEntry {
    Record(RecordKey),
    Tombstone(RecordKey),
    Conflict(ConflictId),
    Erasure,
}

/// Why an erasure was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EraseError {
    /// No such person (never created, or already erased).
    #[error("no such person")]
    NotFound,
    /// Only an admin of the person's area may erase them.
    #[error("only an admin of the person's area may erase them")]
    NotAllowed,
}

/// The server's durable state.
#[derive(Clone, Debug, Default)]
pub struct ServerState {
    /// The version of the latest commit.
    pub version: Version,
    /// Live records.
    pub records: BTreeMap<RecordKey, StoredRecord>,
    /// Deleted records.
    pub tombstones: BTreeMap<RecordKey, Tombstone>,
    /// Conflicts, open and closed.
    pub conflicts: BTreeMap<ConflictId, StoredConflict>,
    /// Per-client logs.
    pub clients: BTreeMap<ClientId, ClientLog>,
    /// Every erased id, kept forever so nothing erased comes back.
    pub erased: BTreeSet<RecordId>,
    /// The erasures, by version.
    pub erasures: BTreeMap<Version, Erasure>,
    /// Per user, the version of the last commit that changed their scope.
    pub epochs: BTreeMap<UserId, Version>,
    /// The version of the last commit that changed the shape of the area tree (which changes
    /// everyone's scope).
    pub tree_epoch: Version,
    feed: BTreeMap<Version, FeedEntry>,
}

impl ServerState {
    fn next_version(&mut self, entry: FeedEntry) -> Version {
        self.version = self.version.next();
        self.feed.insert(self.version, entry);
        self.version
    }

    /// The live records, as plain records.
    pub fn live_records(&self) -> impl Iterator<Item = &Record> + Clone + '_ {
        self.records.values().map(|s| &s.record)
    }

    /// The area tree, built from the live areas.
    pub fn build_tree(&self) -> AreaTree {
        let areas: Vec<Area> = self
            .records
            .values()
            .filter(|s| s.synced.collection == Collection::Area)
            .filter_map(|s| Area::read(&s.record).ok())
            .collect();
        AreaTree::new(&areas)
    }

    /// Derives a user's actor from the live records.
    pub fn actor(&self, user: UserId) -> Actor {
        Actor::derive(user, self.live_records())
    }

    /// A user's scope epoch.
    pub fn epoch(&self, user: UserId) -> ScopeEpoch {
        ScopeEpoch(
            self.tree_epoch
                .max(self.epochs.get(&user).copied().unwrap_or_default()),
        )
    }

    /// Every user holding a role, whose scope a move might change.
    fn users_with_roles(&self) -> BTreeSet<UserId> {
        self.records
            .values()
            .filter(|s| s.synced.collection == Collection::RoleAssignment)
            .filter_map(|s| s.synced.fields.get("user"))
            .filter_map(|f| match f.value {
                Value::Id(id) => Some(UserId(id)),
                _ => None,
            })
            .collect()
    }

    fn host_of(&self, meeting: MeetingId) -> Option<UserId> {
        let key = RecordKey {
            collection: Collection::Meeting,
            id: meeting.0,
        };
        self.records
            .get(&key)
            .and_then(|s| s.record.get_id("host"))
            .map(UserId)
    }

    /// Bumps the scope epochs a change from `before` to `after` affects, at `version`.
    fn note_scope_change(
        &mut self,
        before: Option<&Record>,
        after: Option<&Record>,
        version: Version,
        tree: &AreaTree,
    ) {
        for user in decide::actors_affected(before, after, |m| self.host_of(m)) {
            self.epochs.insert(user, version);
        }
        let collection = before.or(after).map(|r| r.collection);
        if collection == Some(Collection::Area) {
            // A new area changes nobody's scope; a moved or removed one may change anyone's.
            if let Some(before) = before
                && after.is_none_or(|a| a.get("parent") != before.get("parent"))
            {
                self.tree_epoch = version;
            }
        }
        if let (Some(before), Some(after)) = (before, after)
            && before.area != after.area
        {
            // A moved record leaves the view of those who read it only through its old
            // area. They are told by a scope change; those who gain it get it as a change.
            for user in self.users_with_roles() {
                let actor = self.actor(user);
                let rules = Permissions::new(&actor, tree);
                if rules.can_read(before) && !rules.can_read(after) {
                    self.epochs.insert(user, version);
                }
            }
        }
    }

    /// Writes one field of a live record at a new version. Returns the version.
    fn write_field(
        &mut self,
        key: RecordKey,
        field: &str,
        value: Value,
        writer: Writer,
    ) -> Version {
        let old = self.records[&key].synced.version();
        self.feed.remove(&old);
        let version = self.next_version(FeedEntry::Record(key));
        let stored = self
            .records
            .get_mut(&key)
            .expect("write_field on a live record");
        if field == FieldName::AREA {
            let Value::Id(area) = value else {
                unreachable!("areas are checked before writing")
            };
            stored.synced.area = Versioned {
                value: AreaId(area),
                version,
            };
            stored.record.area = AreaId(area);
        } else {
            // Records hold every field of their collection, so this is nearly always an
            // update in place (which keeps the name's storage).
            match stored.synced.fields.get_mut(field) {
                Some(held) => {
                    *held = Versioned {
                        value: value.clone(),
                        version,
                    }
                }
                None => {
                    stored.synced.fields.insert(
                        field.into(),
                        Versioned {
                            value: value.clone(),
                            version,
                        },
                    );
                }
            }
            match stored.record.fields.get_mut(field) {
                Some(held) => *held = value,
                None => {
                    stored.record.fields.insert(field.into(), value);
                }
            }
        }
        match stored.writers.get_mut(field) {
            Some(held) => *held = writer,
            None => {
                stored.writers.insert(field.into(), writer);
            }
        }
        version
    }

    fn open_conflict(&mut self, conflict: Conflict) {
        self.conflicts.insert(
            conflict.id,
            StoredConflict {
                conflict,
                open: true,
            },
        );
    }

    fn close_conflict(&mut self, id: ConflictId) {
        let old = self.conflicts[&id].conflict.version;
        self.feed.remove(&old);
        let version = self.next_version(FeedEntry::Conflict(id));
        let stored = self
            .conflicts
            .get_mut(&id)
            .expect("closing a stored conflict");
        stored.open = false;
        stored.conflict.version = version;
        stored.conflict.overwritten.value = Value::Null;
        stored.conflict.winner.value = Value::Null;
    }

    /// Re-stamps a record's open conflicts so those who gain the record (by a move) get them
    /// too.
    fn restamp_conflicts(&mut self, key: RecordKey) {
        let ids: Vec<ConflictId> = self
            .conflicts
            .values()
            .filter(|c| c.open && c.conflict.key == key)
            .map(|c| c.conflict.id)
            .collect();
        for id in ids {
            let old = self.conflicts[&id].conflict.version;
            self.feed.remove(&old);
            let version = self.next_version(FeedEntry::Conflict(id));
            self.conflicts
                .get_mut(&id)
                .expect("restamping a stored conflict")
                .conflict
                .version = version;
        }
    }

    /// Processes one mutation (its seq is the next for its client): decides, authorises,
    /// validates and commits it, returning its outcome. `actor` acts; `tree` is current.
    pub fn process(&mut self, actor: &Actor, tree: &AreaTree, mutation: &Mutation) -> Outcome {
        match self.try_process(actor, tree, mutation) {
            Ok(outcome) => outcome,
            Err(rejection) => Outcome::Rejected { rejection },
        }
    }

    fn try_process(
        &mut self,
        actor: &Actor,
        tree: &AreaTree,
        mutation: &Mutation,
    ) -> Result<Outcome, Rejection> {
        let mutation = schema::upgrade(mutation.clone())?;
        if mutation.op == Op::Void {
            return Ok(Outcome::Skipped);
        }
        if decide::touches_erased(&mutation, &self.erased) {
            return Err(Rejection::Erased);
        }
        let rules = Permissions::new(actor, tree);
        let key = mutation.key();
        let writer = Writer {
            client: Some(mutation.client_id),
            user: actor.user,
        };
        if let Op::Create { area, fields } = &mutation.op {
            if self.records.contains_key(&key) || self.tombstones.contains_key(&key) {
                return Err(Rejection::IdTaken);
            }
            let known = if key.collection == Collection::Area {
                area.0 == key.id
            } else {
                tree.contains(*area)
            };
            if !known {
                return Err(Rejection::UnknownArea);
            }
            rules
                .can_apply(&mutation, None)
                .map_err(|reason| Rejection::Unauthorised { reason })?;
            let record = Record {
                collection: key.collection,
                id: key.id,
                area: *area,
                created_by: actor.user,
                fields: fields.clone(),
            };
            let record = key
                .collection
                .normalise(&record)
                .map_err(|problems| Rejection::Invalid { problems })?;
            let version = self.next_version(FeedEntry::Record(key));
            self.records
                .insert(key, StoredRecord::new(record.clone(), version, writer));
            self.note_scope_change(None, Some(&record), version, tree);
            return Ok(Outcome::Applied { version });
        }
        if self.tombstones.contains_key(&key) {
            return Err(Rejection::Deleted);
        }
        let Some(stored) = self.records.get(&key) else {
            return Err(Rejection::NotFound);
        };
        let before = stored.record.clone();
        let collection = key.collection;
        match &mutation.op {
            Op::SetField {
                field,
                value,
                base_version,
            } => {
                if collection.is_append_only() {
                    return Err(Rejection::AppendOnly { collection });
                }
                if collection.is_set_field(field.as_str()) {
                    return Err(Rejection::WholeSet {
                        field: field.clone(),
                    });
                }
                rules
                    .can_apply(&mutation, Some(&before))
                    .map_err(|reason| Rejection::Unauthorised { reason })?;
                self.set_field(tree, &before, field.as_str(), value, *base_version, writer)
            }
            Op::AddToSet { field, element } | Op::RemoveFromSet { field, element } => {
                if !collection.is_set_field(field.as_str()) {
                    return Err(Rejection::NotASet {
                        field: field.clone(),
                    });
                }
                rules
                    .can_apply(&mutation, Some(&before))
                    .map_err(|reason| Rejection::Unauthorised { reason })?;
                let current = before.get(field.as_str());
                let value = if matches!(mutation.op, Op::AddToSet { .. }) {
                    current.with_element(element)
                } else {
                    current.without_element(element)
                };
                let value = value.ok_or_else(|| Rejection::NotASet {
                    field: field.clone(),
                })?;
                let after = with_field(&before, field.as_str(), value);
                let after = collection
                    .normalise(&after)
                    .map_err(|problems| Rejection::Invalid { problems })?;
                let canonical = after.get(field.as_str()).clone();
                let version = self.write_field(key, field.as_str(), canonical, writer);
                self.note_scope_change(Some(&before), Some(&after), version, tree);
                Ok(Outcome::Applied { version })
            }
            Op::Delete { base_version } => {
                rules
                    .can_apply(&mutation, Some(&before))
                    .map_err(|reason| Rejection::Unauthorised { reason })?;
                decide::decide_delete(
                    stored.synced.version(),
                    stored.latest_writer(),
                    *base_version,
                    mutation.client_id,
                )?;
                Ok(Outcome::Applied {
                    version: self.delete(tree, key),
                })
            }
            Op::ResolveConflict { conflict, value } => {
                let Some(stored_conflict) = self
                    .conflicts
                    .get(conflict)
                    .filter(|c| c.conflict.key == key)
                else {
                    return Err(Rejection::NoSuchConflict);
                };
                rules
                    .can_apply(&mutation, Some(&before))
                    .map_err(|reason| Rejection::Unauthorised { reason })?;
                let (field, open, base) = (
                    stored_conflict.conflict.field.clone(),
                    stored_conflict.open,
                    stored_conflict.conflict.winner.version,
                );
                // Validate first, so an invalid resolution leaves the conflict open.
                let candidate = with_field(&before, field.as_str(), value.clone());
                collection
                    .normalise(&candidate)
                    .map_err(|problems| Rejection::Invalid { problems })?;
                if open {
                    self.close_conflict(*conflict);
                }
                // The resolution is a write based on the value the resolver saw win; if the
                // field has changed again since, that change is kept as a new conflict.
                self.set_field(tree, &before, field.as_str(), value, base, writer)
            }
            Op::Create { .. } | Op::Void => unreachable!("handled above"),
        }
    }

    /// Validates and writes a `SetField` (or a resolution), keeping the overwritten value as
    /// a conflict when its author had not seen it.
    fn set_field(
        &mut self,
        tree: &AreaTree,
        before: &Record,
        field: &str,
        value: &Value,
        base_version: Version,
        writer: Writer,
    ) -> Result<Outcome, Rejection> {
        let key = RecordKey {
            collection: before.collection,
            id: before.id,
        };
        if field == FieldName::AREA && !matches!(value, Value::Id(id) if tree.contains(AreaId(*id)))
        {
            return Err(Rejection::UnknownArea);
        }
        let after = with_field(before, field, value.clone());
        let after = before
            .collection
            .normalise(&after)
            .map_err(|problems| Rejection::Invalid { problems })?;
        let canonical = if field == FieldName::AREA {
            Value::Id(after.area.0)
        } else {
            after.get(field).clone()
        };
        let stored = &self.records[&key];
        let (current_version, current_writer) = stored.field_state(field);
        let current_value = if field == FieldName::AREA {
            Value::Id(before.area.0)
        } else {
            before.get(field).clone()
        };
        let state = FieldState {
            value: &current_value,
            version: current_version,
            writer: current_writer,
        };
        let decision = decide::decide_set_field(
            &state,
            &canonical,
            base_version,
            writer.client.expect("mutations have a client"),
        );
        let overwritten_user = stored
            .writers
            .get(field)
            .map_or(before.created_by, |w| w.user);
        let version = self.write_field(key, field, canonical.clone(), writer);
        let outcome = match decision {
            FieldDecision::Write => Outcome::Applied { version },
            FieldDecision::WriteKeepingConflict => {
                // A conflict is named by the version that records it.
                let id = ConflictId(self.version.next().0);
                let conflict_version = self.next_version(FeedEntry::Conflict(id));
                self.open_conflict(Conflict {
                    id,
                    key,
                    field: field.into(),
                    overwritten: ConflictSide {
                        value: current_value,
                        version: current_version,
                        user: overwritten_user,
                    },
                    winner: ConflictSide {
                        value: canonical,
                        version,
                        user: writer.user,
                    },
                    version: conflict_version,
                });
                Outcome::Conflicted {
                    version,
                    conflict: id,
                }
            }
        };
        if before.area != after.area {
            self.restamp_conflicts(key);
        }
        self.note_scope_change(Some(before), Some(&after), version, tree);
        Ok(outcome)
    }

    /// Deletes a live record: leaves a tombstone of its references and closes its conflicts.
    fn delete(&mut self, tree: &AreaTree, key: RecordKey) -> Version {
        let stored = self.records.remove(&key).expect("deleting a live record");
        self.feed.remove(&stored.synced.version());
        let before = stored.record;
        let version = self.next_version(FeedEntry::Tombstone(key));
        let mut record = before.clone();
        record
            .fields
            .retain(|_, v| matches!(v, Value::Id(_) | Value::Ids(_)));
        self.tombstones.insert(key, Tombstone { record, version });
        let open: Vec<ConflictId> = self
            .conflicts
            .values()
            .filter(|c| c.open && c.conflict.key == key)
            .map(|c| c.conflict.id)
            .collect();
        for id in open {
            self.close_conflict(id);
        }
        self.note_scope_change(Some(&before), None, version, tree);
        version
    }

    /// Erases a person: removes them, the records about them and every conflict touching
    /// them, scrubs every reference to them, and records the erasure so every client purges.
    /// Their id and the related ids stay in [`ServerState::erased`] forever, so no later
    /// mutation can bring them back.
    pub fn erase(
        &mut self,
        actor: &Actor,
        tree: &AreaTree,
        person: PersonId,
    ) -> Result<Version, EraseError> {
        let key = RecordKey {
            collection: Collection::Person,
            id: person.0,
        };
        let record = match (self.records.get(&key), self.tombstones.get(&key)) {
            (Some(stored), _) => stored.record.clone(),
            (None, Some(tombstone)) => tombstone.record.clone(),
            (None, None) => return Err(EraseError::NotFound),
        };
        if !Permissions::new(actor, tree).can_erase(&record) {
            return Err(EraseError::NotAllowed);
        }
        let about = |r: &Record| {
            r.collection
                .person_field()
                .is_some_and(|f| r.get_id(f) == Some(person.0))
        };
        let mut doomed: Vec<RecordKey> = vec![key];
        doomed.extend(
            self.records
                .iter()
                .filter(|(_, s)| about(&s.record))
                .map(|(k, _)| *k),
        );
        doomed.extend(
            self.tombstones
                .iter()
                .filter(|(_, t)| about(&t.record))
                .map(|(k, _)| *k),
        );
        let ids: BTreeSet<RecordId> = doomed.iter().map(|k| k.id).collect();
        let mut removed = Vec::new();
        for doomed_key in &doomed {
            if let Some(stored) = self.records.remove(doomed_key) {
                self.feed.remove(&stored.synced.version());
                removed.push(stored.record);
            }
            if let Some(tombstone) = self.tombstones.remove(doomed_key) {
                self.feed.remove(&tombstone.version);
            }
        }
        let touching: Vec<ConflictId> = self
            .conflicts
            .values()
            .filter(|c| ids.iter().any(|&id| c.conflict.mentions(id)))
            .map(|c| c.conflict.id)
            .collect();
        for id in touching {
            let stored = self.conflicts.remove(&id).expect("listed above");
            self.feed.remove(&stored.conflict.version);
        }
        // Scrub references in what remains: a set loses the element, a reference is cleared.
        let writer = Writer {
            client: None,
            user: actor.user,
        };
        let referring: Vec<RecordKey> = self
            .records
            .iter()
            .filter(|(_, s)| ids.iter().any(|&id| s.record.mentions(id)))
            .map(|(k, _)| *k)
            .collect();
        for referring_key in referring {
            let before = self.records[&referring_key].record.clone();
            let mut after = before.clone();
            for (name, value) in &before.fields {
                let scrubbed = scrub(value, &ids);
                if &scrubbed != value {
                    self.write_field(referring_key, name.as_str(), scrubbed.clone(), writer);
                    after.fields.insert(name.clone(), scrubbed);
                }
            }
            let version = self.version;
            self.note_scope_change(Some(&before), Some(&after), version, tree);
        }
        for tombstone in self.tombstones.values_mut() {
            for value in tombstone.record.fields.values_mut() {
                *value = scrub(value, &ids);
            }
        }
        self.erased.extend(ids.iter().copied());
        let version = self.next_version(FeedEntry::Erasure);
        for before in &removed {
            self.note_scope_change(Some(before), None, version, tree);
        }
        self.erasures.insert(
            version,
            Erasure {
                person,
                related: doomed.into_iter().filter(|k| *k != key).collect(),
            },
        );
        Ok(version)
    }

    /// The records and open conflicts `user` may see now: what their replica must hold once
    /// it has caught up.
    pub fn visible_to(
        &self,
        user: UserId,
        tree: &AreaTree,
    ) -> (
        BTreeMap<RecordKey, SyncedRecord>,
        BTreeMap<ConflictId, Conflict>,
    ) {
        let actor = self.actor(user);
        let rules = Permissions::new(&actor, tree);
        let records = self
            .records
            .iter()
            .filter(|(_, s)| rules.can_read(&s.record))
            .map(|(k, s)| (*k, s.synced.clone()))
            .collect();
        let conflicts = self
            .conflicts
            .values()
            .filter(|c| c.open)
            .filter(|c| {
                self.records
                    .get(&c.conflict.key)
                    .is_some_and(|s| rules.can_edit(&s.record))
            })
            .map(|c| (c.conflict.id, c.conflict.clone()))
            .collect();
        (records, conflicts)
    }

    /// Serves one page of changes after `from` for `actor`.
    fn page(
        &self,
        actor: &Actor,
        tree: &AreaTree,
        from: Version,
        limit: usize,
    ) -> (Vec<Purge>, Vec<Change>, Version, bool) {
        let rules = Permissions::new(actor, tree);
        let mut purges = Vec::new();
        let mut changes = Vec::new();
        let mut entries = self.feed.range(from.next()..).peekable();
        while let Some((&version, entry)) = entries.next() {
            let item = match entry {
                FeedEntry::Record(key) => {
                    let stored = &self.records[key];
                    rules.can_read(&stored.record).then(|| Change::Record {
                        record: stored.synced.clone(),
                    })
                }
                FeedEntry::Tombstone(key) => {
                    let tombstone = &self.tombstones[key];
                    rules
                        .can_read(&tombstone.record)
                        .then_some(Change::Deleted { key: *key, version })
                }
                FeedEntry::Conflict(id) => {
                    let stored = &self.conflicts[id];
                    let live = self.records.get(&stored.conflict.key).map(|s| &s.record);
                    let record = live
                        .or_else(|| self.tombstones.get(&stored.conflict.key).map(|t| &t.record));
                    match (stored.open, live, record) {
                        (true, Some(live), _) => rules.can_edit(live).then(|| Change::Conflict {
                            conflict: stored.conflict.clone(),
                        }),
                        (false, _, Some(record)) => rules
                            .can_read(record)
                            .then_some(Change::ConflictClosed { id: *id, version }),
                        _ => None,
                    }
                }
                FeedEntry::Erasure => {
                    let erasure = &self.erasures[&version];
                    purges.push(Purge::Erased {
                        person: erasure.person,
                        related: erasure.related.clone(),
                    });
                    None
                }
            };
            changes.extend(item);
            if changes.len() + purges.len() >= limit && entries.peek().is_some() {
                return (purges, changes, version, true);
            }
        }
        // The whole feed was read: the cursor is the head, past any versions whose entries
        // have since moved on.
        let cursor = self.version;
        (purges, changes, cursor, false)
    }
}

fn with_field(record: &Record, field: &str, value: Value) -> Record {
    let mut record = record.clone();
    if field == FieldName::AREA {
        if let Value::Id(id) = value {
            record.area = AreaId(id);
        }
    } else {
        record.fields.insert(field.into(), value);
    }
    record
}

/// A value with every reference to `ids` removed: set elements dropped, a reference cleared.
fn scrub(value: &Value, ids: &BTreeSet<RecordId>) -> Value {
    match value {
        Value::Id(id) if ids.contains(id) => Value::Null,
        Value::Ids(set) => Value::Ids(set.iter().filter(|id| !ids.contains(id)).copied().collect()),
        other => other.clone(),
    }
}

/// The reference server: [`ServerState`] plus a cache of the area tree, which a restart
/// loses.
#[derive(Clone, Debug, Default)]
pub struct ReferenceServer {
    /// The durable state.
    pub state: ServerState,
    tree: Option<Arc<AreaTree>>,
}

impl ReferenceServer {
    /// A server holding `records`, created by the organisation's setup (the country, the
    /// first admin and their role) rather than through sync. Each is stored as given, at
    /// its own version.
    pub fn seeded(records: impl IntoIterator<Item = Record>) -> Self {
        let mut state = ServerState::default();
        for record in records {
            let key = RecordKey {
                collection: record.collection,
                id: record.id,
            };
            let version = state.next_version(FeedEntry::Record(key));
            let writer = Writer {
                client: None,
                user: record.created_by,
            };
            state
                .records
                .insert(key, StoredRecord::new(record, version, writer));
        }
        Self { state, tree: None }
    }

    /// Forgets the in-memory cache, as a process restart would. Durable state is kept.
    pub fn restart(&mut self) {
        self.tree = None;
    }

    /// The area tree (cached; shared, so a request can hold it while it changes the state).
    pub fn tree(&mut self) -> Arc<AreaTree> {
        self.tree
            .get_or_insert_with(|| Arc::new(self.state.build_tree()))
            .clone()
    }

    fn invalidate_if_areas_changed(&mut self, before_version: Version) {
        let areas_changed = self.state.feed.range(before_version.next()..).any(|(_, e)| {
            matches!(e, FeedEntry::Record(k) | FeedEntry::Tombstone(k) if k.collection == Collection::Area)
        });
        if areas_changed {
            self.tree = None;
        }
    }

    /// Handles a push from `user` (as authenticated by the HTTP layer): all or nothing.
    pub fn push(
        &mut self,
        user: UserId,
        request: &PushRequest,
    ) -> Result<PushResponse, PushRefusal> {
        if request.protocol != ProtocolVersion::CURRENT {
            return Err(PushRefusal::UnsupportedProtocol {
                supported: ProtocolVersion::CURRENT,
            });
        }
        let client = request.client_id;
        let last_seq = match self.state.clients.get(&client) {
            Some(log) if log.user != user => return Err(PushRefusal::ClientOfAnotherUser),
            Some(log) => log.last_seq,
            None => Seq(0),
        };
        let steps = decide::plan_batch(client, last_seq, request.acknowledged, &request.mutations)?;
        let log = self
            .state
            .clients
            .entry(client)
            .or_insert_with(|| ClientLog {
                user,
                last_seq: Seq(0),
                outcomes: BTreeMap::new(),
            });
        log.outcomes.retain(|&seq, _| seq > request.acknowledged);
        let mut outcomes = Vec::with_capacity(steps.len());
        // The actor is derived afresh after every commit: a mutation may change what the
        // next one in the batch is allowed (a person created, then a conversation with them).
        let mut actor: Option<(Version, Actor)> = None;
        for (mutation, step) in request.mutations.iter().zip(steps) {
            let outcome = match step {
                Step::Replay => self.state.clients[&client]
                    .outcomes
                    .get(&mutation.seq)
                    .cloned(),
                Step::Process => {
                    let before = self.state.version;
                    if actor.as_ref().is_none_or(|(at, _)| *at != before) {
                        actor = Some((before, self.state.actor(user)));
                    }
                    let (_, actor) = actor.as_ref().expect("derived above");
                    let tree = self.tree();
                    let outcome = self.state.process(actor, &tree, mutation);
                    self.invalidate_if_areas_changed(before);
                    let log = self.state.clients.get_mut(&client).expect("created above");
                    log.last_seq = mutation.seq;
                    log.outcomes.insert(mutation.seq, outcome.clone());
                    Some(outcome)
                }
            };
            outcomes.extend(outcome.map(|outcome| MutationOutcome {
                seq: mutation.seq,
                outcome,
            }));
        }
        Ok(PushResponse {
            protocol: ProtocolVersion::CURRENT,
            client_id: client,
            last_seq: self.state.clients[&client].last_seq,
            outcomes,
        })
    }

    /// Handles a pull from `user`.
    pub fn pull(
        &mut self,
        user: UserId,
        request: &PullRequest,
    ) -> Result<PullResponse, PullRefusal> {
        if request.protocol != ProtocolVersion::CURRENT {
            return Err(PullRefusal::UnsupportedProtocol {
                supported: ProtocolVersion::CURRENT,
            });
        }
        let last_seq = match self.state.clients.get(&request.client_id) {
            Some(log) if log.user != user => return Err(PullRefusal::ClientOfAnotherUser),
            Some(log) => log.last_seq,
            None => Seq(0),
        };
        let actor = self.state.actor(user);
        let epoch = self.state.epoch(user);
        let reset = request.epoch != Some(epoch);
        let from = if reset { Version(0) } else { request.cursor };
        let tree = self.tree();
        let (mut purges, changes, cursor, more) =
            self.state
                .page(&actor, &tree, from, request.limit.clamp(1, MAX_PAGE));
        if reset {
            purges.insert(0, Purge::Scope { epoch });
        }
        Ok(PullResponse {
            protocol: ProtocolVersion::CURRENT,
            since: request.cursor,
            epoch,
            purges,
            changes,
            cursor,
            more,
            last_seq,
        })
    }

    /// Erases a person on behalf of `user`, who must be an admin of the person's area.
    pub fn erase(&mut self, user: UserId, person: PersonId) -> Result<Version, EraseError> {
        let actor = self.state.actor(user);
        let tree = self.tree();
        self.state.erase(&actor, &tree, person)
    }

    /// What `user` may see now (see [`ServerState::visible_to`]).
    pub fn visible_to(
        &mut self,
        user: UserId,
    ) -> (
        BTreeMap<RecordKey, SyncedRecord>,
        BTreeMap<ConflictId, Conflict>,
    ) {
        let tree = self.tree();
        self.state.visible_to(user, &tree)
    }
}
