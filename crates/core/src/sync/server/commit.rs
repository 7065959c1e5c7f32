//! The writes of one request (a push, an erasure, the setup's seeding) under the version
//! lock: processing mutations, deleting, erasing, and keeping the change feed, conflicts and
//! scope epochs in step with the records.
//!
//! A [`Commit`] reads the version once, under the lock, and counts it up in memory; the
//! store learns the final version once, at the end. The area tree is cached for the length
//! of the request and dropped when an area record is written.

use super::{
    EraseError, Erasure, FeedEntity, FeedEntry, ServerStore, StoredConflict, StoredRecord,
    Tombstone, Writer, area_tree,
};
use crate::area::{Area, AreaTree};
use crate::id::{AreaId, MeetingId, PersonId, RecordId, UserId};
use crate::model::{ConsentTopic, Merge};
use crate::order;
use crate::permission::{Actor, Permissions};
use crate::record::{Choice, Collection, Element, Entity, FieldName, Record, Value};
use crate::reference::{self, Reference, Writes};
use crate::sync::decide::{self, FieldDecision, FieldState};
use crate::sync::schema;
use crate::sync::wire::{
    Conflict, ConflictId, ConflictSide, Mutation, Op, Outcome, RecordKey, Rejection, Version,
    Versioned,
};
use crate::validate::{FieldProblem, Problem};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// Unwraps a rejection-or-value inside a function returning
/// `Result<Result<_, Rejection>, S::Error>`: a rejection is returned as the inner error, so
/// store errors can keep travelling by `?` in the outer one.
macro_rules! or_reject {
    ($result:expr) => {
        match $result {
            Ok(value) => value,
            Err(rejection) => return Ok(Err(rejection)),
        }
    };
}

fn unauthorised(reason: crate::permission::Denied) -> Rejection {
    Rejection::Unauthorised { reason }
}

fn invalid(problems: Vec<crate::validate::FieldProblem>) -> Rejection {
    Rejection::Invalid { problems }
}

/// One request's writes in progress.
pub(super) struct Commit<'s, S: ServerStore> {
    pub(super) store: &'s mut S,
    /// The latest version assigned so far.
    version: Version,
    /// The version read under the lock, to tell whether anything was committed.
    locked_at: Version,
    /// The area tree, until an area record is written.
    tree: Option<Arc<AreaTree>>,
    /// Other users' actors, derived once per request for the scope changes of moved
    /// records, until a write changes what any actor is made of.
    actors: BTreeMap<UserId, Actor>,
    /// The scope epochs to store when the request finishes (each user's latest), so a
    /// request that moves many records writes each epoch once.
    epochs: BTreeMap<UserId, Version>,
    /// The tree epoch to store when the request finishes.
    tree_epoch: Option<Version>,
}

impl<'s, S: ServerStore> Commit<'s, S> {
    /// Takes the version lock.
    pub(super) fn begin(store: &'s mut S) -> Result<Self, S::Error> {
        let version = store.lock_version()?;
        Ok(Self {
            store,
            version,
            locked_at: version,
            tree: None,
            actors: BTreeMap::new(),
            epochs: BTreeMap::new(),
            tree_epoch: None,
        })
    }

    /// Stores the scope epochs and the final version, if anything was committed, and
    /// returns it.
    pub(super) fn finish(self) -> Result<Version, S::Error> {
        for (user, version) in self.epochs {
            self.store.set_epoch(user, version)?;
        }
        if let Some(version) = self.tree_epoch {
            self.store.set_tree_epoch(version)?;
        }
        if self.version != self.locked_at {
            self.store.set_version(self.version)?;
        }
        Ok(self.version)
    }

    /// Another user's actor for deciding whether a moved record leaves their view, kept for
    /// the rest of the request (see `actors`). It holds none of the people they created:
    /// only a record's place is changing, records about a person (the only ones read
    /// through their person) are never moved, and a person is readable by their creator
    /// whatever the actor holds.
    fn actor_of(&mut self, user: UserId) -> Result<Actor, S::Error> {
        if let Some(actor) = self.actors.get(&user) {
            return Ok(actor.clone());
        }
        let actor = super::actor_for(self.store, user, &[])?;
        self.actors.insert(user, actor.clone());
        Ok(actor)
    }

    /// The area tree as it stands (shared, so a mutation can hold it while it writes).
    pub(super) fn tree(&mut self) -> Result<Arc<AreaTree>, S::Error> {
        if let Some(tree) = &self.tree {
            return Ok(tree.clone());
        }
        let tree = area_tree(self.store)?;
        self.tree = Some(tree.clone());
        Ok(tree)
    }

    /// Assigns the next version to `entry`'s entity.
    fn next_version(&mut self, entry: FeedEntry) -> Result<Version, S::Error> {
        self.version = self.version.next();
        self.store.put_feed_entry(self.version, entry)?;
        Ok(self.version)
    }

    fn put_record(&mut self, stored: StoredRecord) -> Result<(), S::Error> {
        if stored.synced.collection == Collection::Area {
            self.tree = None;
        }
        self.store.put_record(stored)
    }

    fn remove_record(&mut self, key: RecordKey) -> Result<(), S::Error> {
        if key.collection == Collection::Area {
            self.tree = None;
        }
        self.store.remove_record(key)
    }

    /// Stores a record of the organisation's setup as given, at its own version.
    pub(super) fn seed(&mut self, record: Record) -> Result<(), S::Error> {
        let key = RecordKey {
            collection: record.collection,
            id: record.id,
        };
        let version = self.next_version(FeedEntry::Record(key))?;
        let writer = Writer {
            client: None,
            user: record.created_by,
        };
        self.put_record(StoredRecord::new(record, version, writer))
    }

    /// Processes one mutation (its seq is the next for its client): decides, authorises,
    /// validates and commits it, returning its outcome. `actor` acts; `tree` is current.
    pub(super) fn process(
        &mut self,
        actor: &Actor,
        tree: &AreaTree,
        mutation: &Mutation,
    ) -> Result<Outcome, S::Error> {
        Ok(match self.try_process(actor, tree, mutation)? {
            Ok(outcome) => outcome,
            Err(rejection) => Outcome::Rejected { rejection },
        })
    }

    fn try_process(
        &mut self,
        actor: &Actor,
        tree: &AreaTree,
        mutation: &Mutation,
    ) -> Result<Result<Outcome, Rejection>, S::Error> {
        let mutation = or_reject!(schema::upgrade(mutation));
        if mutation.op == Op::Void {
            return Ok(Ok(Outcome::Skipped));
        }
        if self.store.any_erased(&mutation.ids())? {
            return Ok(Err(Rejection::Erased));
        }
        let rules = Permissions::new(actor, tree);
        let key = mutation.key();
        let writer = Writer {
            client: Some(mutation.client_id),
            user: actor.user,
        };
        if let Op::Create { area, fields } = &mutation.op {
            let known = if key.collection == Collection::Area {
                area.0 == key.id
            } else {
                tree.contains(*area)
            };
            if !known {
                return Ok(Err(Rejection::UnknownArea));
            }
            or_reject!(rules.can_apply(&mutation, None).map_err(unauthorised));
            let record = Record {
                collection: key.collection,
                id: key.id,
                area: *area,
                created_by: actor.user,
                fields: fields.clone(),
            };
            let record = or_reject!(key.collection.normalise(&record).map_err(invalid));
            or_reject!(no_oversized_sets(&record));
            or_reject!(self.check_references(&rules, Writes::Record, &record, true)?);
            or_reject!(placed_whole(tree, &record));
            // Only a create that would otherwise be applied learns that its id is in use, so
            // a create cannot probe for records outside what its writer may do.
            if self.store.record(key)?.is_some() || self.store.tombstone(key)?.is_some() {
                return Ok(Err(Rejection::IdTaken));
            }
            let version = self.next_version(FeedEntry::Record(key))?;
            let merge = (key.collection == Collection::Merge).then(|| record.clone());
            let stored = StoredRecord::new(record, version, writer);
            // Before the record is stored, so it is not copied: a new record is no meeting
            // an earlier one names, so nothing this reads about meetings can be it.
            self.note_scope_change(None, Some(&stored.record), version, tree)?;
            self.put_record(stored)?;
            if let Some(merge) = merge {
                self.follow_merge(&rules, &merge, Direction::Merge, writer)?;
            }
            return Ok(Ok(Outcome::Applied { version }));
        }
        let Some(mut stored) = self.store.record(key)? else {
            // A record is live or deleted, never both, so the tombstone is read only here.
            // Someone who could not have seen the record is told only that it is not there.
            return Ok(Err(match self.store.tombstone(key)? {
                Some(tombstone) if rules.can_read(&tombstone.record) => Rejection::Deleted,
                _ => Rejection::NotFound,
            }));
        };
        if !rules.can_read(&stored.record) {
            // A guessed id outside the user's scope looks exactly like one that does not
            // exist, so edits cannot probe what exists.
            return Ok(Err(Rejection::NotFound));
        }
        let before = stored.record.clone();
        let collection = key.collection;
        match &mutation.op {
            Op::SetField {
                field,
                value,
                base_version,
            } => {
                if collection.is_append_only() {
                    return Ok(Err(Rejection::AppendOnly { collection }));
                }
                if collection.is_set_field(field.as_str()) {
                    return Ok(Err(Rejection::WholeSet {
                        field: field.clone(),
                    }));
                }
                or_reject!(
                    rules
                        .can_apply(&mutation, Some(&before))
                        .map_err(unauthorised)
                );
                let outcome = or_reject!(self.set_field(
                    &rules,
                    stored,
                    &before,
                    field.as_str(),
                    value,
                    *base_version,
                    writer,
                )?);
                // Marking a merge undone takes back the history the server turned for it.
                if collection == Collection::Merge
                    && field.as_str() == "undone"
                    && before.get("undone") == &Value::Null
                    && matches!(value, Value::Time(_))
                {
                    self.follow_merge(&rules, &before, Direction::Undo, writer)?;
                }
                Ok(Ok(outcome))
            }
            Op::AddToSet { field, element } | Op::RemoveFromSet { field, element } => {
                let not_a_set = || Rejection::NotASet {
                    field: field.clone(),
                };
                if !collection.is_set_field(field.as_str()) {
                    return Ok(Err(not_a_set()));
                }
                or_reject!(
                    rules
                        .can_apply(&mutation, Some(&before))
                        .map_err(unauthorised)
                );
                let current = before.get(field.as_str());
                let value = if matches!(mutation.op, Op::AddToSet { .. }) {
                    current.with_element(element)
                } else {
                    current.without_element(element)
                };
                let value = or_reject!(value.ok_or_else(not_a_set));
                let after = with_field(&before, field.as_str(), value);
                let after = or_reject!(collection.normalise(&after).map_err(invalid));
                if let Op::AddToSet { element, .. } = &mutation.op {
                    or_reject!(no_oversized_sets(&after));
                    if let Element::Id(id) = element {
                        let writes = Writes::Element {
                            field: field.as_str(),
                            id: *id,
                        };
                        or_reject!(self.check_references(&rules, writes, &after, false)?);
                    }
                }
                let canonical = after.get(field.as_str()).clone();
                let version = self.write_field(&mut stored, field.as_str(), canonical, writer)?;
                self.put_record(stored)?;
                self.note_scope_change(Some(&before), Some(&after), version, tree)?;
                Ok(Ok(Outcome::Applied { version }))
            }
            Op::Delete { base_version } => {
                or_reject!(
                    rules
                        .can_apply(&mutation, Some(&before))
                        .map_err(unauthorised)
                );
                or_reject!(decide::decide_delete(
                    stored.synced.version(),
                    stored.latest_writer(),
                    *base_version,
                    mutation.client_id,
                ));
                let version = self.delete(tree, stored)?;
                Ok(Ok(Outcome::Applied { version }))
            }
            Op::ResolveConflict { conflict, value } => {
                let Some(stored_conflict) = self
                    .store
                    .conflict(*conflict)?
                    .filter(|c| c.conflict.key == key)
                else {
                    return Ok(Err(Rejection::NoSuchConflict));
                };
                let field = stored_conflict.conflict.field.clone();
                let base = stored_conflict.conflict.winner.version;
                // A resolution writes the field as a set would, and needs the same authority.
                let as_set = Mutation {
                    op: Op::SetField {
                        field: field.clone(),
                        value: value.clone(),
                        base_version: base,
                    },
                    ..mutation.as_ref().clone()
                };
                or_reject!(
                    rules
                        .can_apply(&as_set, Some(&before))
                        .map_err(unauthorised)
                );
                // Validate first, so an invalid resolution leaves the conflict open.
                let candidate = with_field(&before, field.as_str(), value.clone());
                or_reject!(collection.normalise(&candidate).map_err(invalid));
                if stored_conflict.open {
                    self.close_conflict(stored_conflict)?;
                }
                // The resolution is a write based on the value the resolver saw win; if the
                // field has changed again since, that change is kept as a new conflict.
                self.set_field(&rules, stored, &before, field.as_str(), value, base, writer)
            }
            Op::Create { .. } | Op::Void => unreachable!("handled above"),
        }
    }

    /// Validates and writes a `SetField` (or a resolution), keeping the overwritten value as
    /// a conflict when its author had not seen it.
    #[allow(clippy::too_many_arguments)]
    fn set_field(
        &mut self,
        rules: &Permissions<'_>,
        mut stored: StoredRecord,
        before: &Record,
        field: &str,
        value: &Value,
        base_version: Version,
        writer: Writer,
    ) -> Result<Result<Outcome, Rejection>, S::Error> {
        let key = stored.key();
        let tree = rules.tree;
        if field == FieldName::AREA && !matches!(value, Value::Id(id) if tree.contains(AreaId(*id)))
        {
            return Ok(Err(Rejection::UnknownArea));
        }
        or_reject!(later_answer_stands(before, field, value));
        let after = with_field(before, field, value.clone());
        let after = or_reject!(before.collection.normalise(&after).map_err(invalid));
        if field != FieldName::AREA {
            or_reject!(self.check_references(rules, Writes::Field(field), &after, false)?);
        }
        if matches!(field, "parent" | "kind") {
            or_reject!(placed_whole(tree, &after));
        }
        let canonical = if field == FieldName::AREA {
            Value::Id(after.area.0)
        } else {
            after.get(field).clone()
        };
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
        let version = self.write_field(&mut stored, field, canonical.clone(), writer)?;
        self.put_record(stored)?;
        let now = ConflictSide {
            value: canonical,
            version,
            user: writer.user,
        };
        self.follow_field(key, field, base_version, &now)?;
        let outcome = match decision {
            FieldDecision::Write => Outcome::Applied { version },
            FieldDecision::WriteKeepingConflict => {
                let kept = ConflictSide {
                    value: current_value,
                    version: current_version,
                    user: overwritten_user,
                };
                let conflict = self.open_conflict(key, field, kept, now)?;
                Outcome::Conflicted { version, conflict }
            }
        };
        if before.area != after.area {
            self.restamp_conflicts(key)?;
        }
        self.note_scope_change(Some(before), Some(&after), version, tree)?;
        Ok(Ok(outcome))
    }

    /// Writes `value` to `key`'s `field` on the organisation's behalf, as `writer`, unless it
    /// already holds it: something the server itself decides (a person withdrawing a consent
    /// through a link), which stands over whatever a client wrote there, so every open
    /// conflict on the field closes. Only plain fields of a live record, never its area.
    /// Returns the version written, if anything was.
    pub(super) fn write_for_organisation(
        &mut self,
        key: RecordKey,
        field: &str,
        value: Value,
        writer: Writer,
    ) -> Result<Option<Version>, S::Error> {
        debug_assert_ne!(
            field,
            FieldName::AREA,
            "the organisation never moves a record"
        );
        let Some(mut stored) = self.store.record(key)? else {
            return Ok(None);
        };
        if stored.record.get(field) == &value {
            return Ok(None);
        }
        let version = self.write_field(&mut stored, field, value, writer)?;
        self.put_record(stored)?;
        for conflict in self.open_conflicts_of(key)? {
            if conflict.conflict.field.as_str() == field {
                self.close_conflict(conflict)?;
            }
        }
        Ok(Some(version))
    }

    /// Creates `record` on the organisation's behalf in `user`'s name (its creator), with no
    /// client (see [`super::create_for_organisation`]): checked as a push's create is, the
    /// reference rule applied as `user`, but not `user`'s role.
    pub(super) fn create_for_organisation(
        &mut self,
        user: UserId,
        record: Record,
    ) -> Result<Result<Version, Rejection>, S::Error> {
        let key = RecordKey {
            collection: record.collection,
            id: record.id,
        };
        let record = Record {
            created_by: user,
            ..record
        };
        let tree = self.tree()?;
        if key.collection == Collection::Area || !tree.contains(record.area) {
            return Ok(Err(Rejection::UnknownArea));
        }
        let ids: Vec<RecordId> = std::iter::once(record.id)
            .chain(record.fields.values().flat_map(Value::ids))
            .collect();
        if self.store.any_erased(&ids)? {
            return Ok(Err(Rejection::Erased));
        }
        let record = or_reject!(key.collection.normalise(&record).map_err(invalid));
        or_reject!(no_oversized_sets(&record));
        let actor = super::actor_for(self.store, user, &ids)?;
        let rules = Permissions::new(&actor, &tree);
        or_reject!(self.check_references(&rules, Writes::Record, &record, true)?);
        if self.store.record(key)?.is_some() || self.store.tombstone(key)?.is_some() {
            return Ok(Err(Rejection::IdTaken));
        }
        let version = self.next_version(FeedEntry::Record(key))?;
        let writer = Writer { client: None, user };
        let stored = StoredRecord::new(record, version, writer);
        self.note_scope_change(None, Some(&stored.record), version, &tree)?;
        self.put_record(stored)?;
        Ok(Ok(version))
    }

    /// Checks the ids a mutation writes into `after` (see [`crate::reference`]), reading
    /// what the store has of each: the record, or what is left of it after a delete.
    fn check_references(
        &mut self,
        rules: &Permissions<'_>,
        writes: Writes<'_>,
        after: &Record,
        creating: bool,
    ) -> Result<Result<(), Rejection>, S::Error> {
        let mut references = or_reject!(reference::written(writes, after).map_err(invalid));
        references.extend(reference::handed_over(after, &references));
        if after.collection == Collection::Meeting
            && !creating
            && references.iter().any(|r| r.field == "host")
        {
            for key in self.store.records_mentioning(after.id)? {
                if key.collection != Collection::Attendance {
                    continue;
                }
                if let Some(person) = self
                    .store
                    .record(key)?
                    .and_then(|stored| stored.record.get_id("person"))
                {
                    references.push(Reference {
                        field: "host",
                        target: RecordKey {
                            collection: Collection::Person,
                            id: person,
                        },
                    });
                }
            }
        }
        if after.collection == Collection::Attendance
            && let (Some(meeting), Some(matched), Some(token)) = (
                after.get_id("meeting"),
                after.get_id("matched"),
                after.get_text("returning"),
            )
            && self
                .store
                .vouched(token, MeetingId(meeting), PersonId(matched))?
        {
            // The server's own token names whom the writer was shown for this meeting
            // (`crate::sign_in_kit`).
            references.retain(|r| r.field != "matched");
        }
        order::sort(&mut references);
        references.dedup();
        let mut targets = BTreeMap::new();
        for reference in &references {
            let key = reference.target;
            if targets.contains_key(&key) {
                continue;
            }
            let found = match self.store.record(key)? {
                Some(stored) => Some(stored.record),
                None => self.store.tombstone(key)?.map(|t| t.record),
            };
            if let Some(record) = found {
                targets.insert(key, record);
            }
        }
        Ok(reference::check(
            rules,
            creating,
            after,
            &references,
            &targets,
        ))
    }

    /// Writes one field of `stored` at a new version (the caller puts the record back).
    /// Returns the version.
    fn write_field(
        &mut self,
        stored: &mut StoredRecord,
        field: &str,
        value: Value,
        writer: Writer,
    ) -> Result<Version, S::Error> {
        let version = self.next_version(FeedEntry::Record(stored.key()))?;
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
        Ok(version)
    }

    /// Keeps `overwritten` as a new open conflict on `key`'s `field`, whose value now is
    /// `now`. A conflict is named by the version that records it.
    fn open_conflict(
        &mut self,
        key: RecordKey,
        field: &str,
        overwritten: ConflictSide,
        now: ConflictSide,
    ) -> Result<ConflictId, S::Error> {
        let id = ConflictId(self.version.next().0);
        let version = self.next_version(FeedEntry::Conflict(id))?;
        self.store.put_conflict(StoredConflict {
            conflict: Conflict {
                id,
                key,
                field: field.into(),
                overwritten,
                winner: now,
                version,
            },
            open: true,
        })?;
        Ok(id)
    }

    /// Brings the open conflicts on `key`'s `field` up to date after a write of `now` based
    /// on `base_version`. One the write settles ([`decide::settles`]) closes. Any other is
    /// closed and kept again under a new id with `now` as the value that stands, so an open
    /// conflict always shows the field as it is, and a resolution sent from an older copy of
    /// it is still judged against the value its author saw (its conflict's winner).
    fn follow_field(
        &mut self,
        key: RecordKey,
        field: &str,
        base_version: Version,
        now: &ConflictSide,
    ) -> Result<(), S::Error> {
        for stored in self.open_conflicts_of(key)? {
            if stored.conflict.field.as_str() != field {
                continue;
            }
            let settled = decide::settles(&stored.conflict, base_version, &now.value);
            let kept = stored.conflict.overwritten.clone();
            self.close_conflict(stored)?;
            if !settled {
                self.open_conflict(key, field, kept, now.clone())?;
            }
        }
        Ok(())
    }

    fn close_conflict(&mut self, mut stored: StoredConflict) -> Result<(), S::Error> {
        let version = self.next_version(FeedEntry::Conflict(stored.conflict.id))?;
        stored.open = false;
        stored.conflict.version = version;
        stored.conflict.overwritten.value = Value::Null;
        stored.conflict.winner.value = Value::Null;
        self.store.put_conflict(stored)
    }

    /// A record's open conflicts, in id order (the order they are given new versions in).
    fn open_conflicts_of(&mut self, key: RecordKey) -> Result<Vec<StoredConflict>, S::Error> {
        let mut open = self.store.open_conflicts_of(key)?;
        order::sort_by_key(&mut open, |c| c.conflict.id);
        Ok(open)
    }

    /// Re-stamps a record's open conflicts so those who gain the record (by a move) get them
    /// too.
    fn restamp_conflicts(&mut self, key: RecordKey) -> Result<(), S::Error> {
        for mut stored in self.open_conflicts_of(key)? {
            stored.conflict.version = self.next_version(FeedEntry::Conflict(stored.conflict.id))?;
            self.store.put_conflict(stored)?;
        }
        Ok(())
    }

    /// Deletes a live record: leaves a tombstone of its references and closes its conflicts.
    fn delete(&mut self, tree: &AreaTree, stored: StoredRecord) -> Result<Version, S::Error> {
        let key = stored.key();
        self.remove_record(key)?;
        let before = stored.record;
        let version = self.next_version(FeedEntry::Tombstone(key))?;
        let mut record = before.clone();
        record
            .fields
            .retain(|_, v| matches!(v, Value::Id(_) | Value::Ids(_)));
        self.store
            .put_tombstone(key, Tombstone { record, version })?;
        for conflict in self.open_conflicts_of(key)? {
            self.close_conflict(conflict)?;
        }
        self.note_scope_change(Some(&before), None, version, tree)?;
        Ok(version)
    }

    /// Bumps the scope epochs a change from `before` to `after` affects, at `version`.
    fn note_scope_change(
        &mut self,
        before: Option<&Record>,
        after: Option<&Record>,
        version: Version,
        tree: &AreaTree,
    ) -> Result<(), S::Error> {
        // `actors_affected` asks for meeting hosts through a plain closure; a store error met
        // there is kept and returned once it is done.
        let mut failed = None;
        let users = decide::actors_affected(before, after, |meeting| {
            match host_of(self.store, meeting) {
                Ok(host) => host,
                Err(error) => {
                    failed = Some(error);
                    None
                }
            }
        });
        if let Some(error) = failed {
            return Err(error);
        }
        let collection = before.or(after).map(|r| r.collection);
        // Whatever an actor is made of (see `ActorFacts`) may have changed: kept actors go.
        let changes_actors = match collection {
            Some(
                Collection::RoleAssignment
                | Collection::List
                | Collection::Meeting
                | Collection::Attendance,
            ) => before != after,
            Some(Collection::Person) => before.is_none() != after.is_none(),
            _ => false,
        };
        if changes_actors {
            self.actors.clear();
        }
        for user in users {
            self.epochs.insert(user, version);
        }
        if collection == Some(Collection::Area) {
            // A new area changes nobody's scope; a moved or removed one may change anyone's.
            if let Some(before) = before
                && after.is_none_or(|a| a.get("parent") != before.get("parent"))
            {
                self.tree_epoch = Some(version);
            }
        }
        if let (Some(before), Some(after)) = (before, after)
            && before.area != after.area
        {
            // A moved record leaves the view of those who read it only through its old
            // area. They are told by a scope change; those who gain it get it as a change.
            // Only where a record is decides who reads it by area, and those readers hold
            // their roles in its old area, above it or below it: they are the candidates,
            // found by one indexed query, however many users there are.
            let candidates: BTreeSet<UserId> = self
                .store
                .users_with_roles_in(tree.related(before.area))?
                .into_iter()
                .collect();
            for user in candidates {
                let actor = self.actor_of(user)?;
                let rules = Permissions::new(&actor, tree);
                if rules.can_read(before) && !rules.can_read(after) {
                    self.epochs.insert(user, version);
                }
            }
        }
        Ok(())
    }

    /// Follows a merge through the history it lists (see [`crate::merge`]): records that are
    /// never edited in place (conversations, attendances, stories, survey answers, moves on
    /// the ladder, trainings) are turned from the gone person to the kept one, or back for an
    /// undo, by the server in the merge's name. Only those the merge's writer may read, and
    /// only where the field still names the person it is turned from; the rest stay as they
    /// are. The merge's own reference check has made sure its writer organises both people.
    fn follow_merge(
        &mut self,
        rules: &Permissions<'_>,
        merge: &Record,
        direction: Direction,
        writer: Writer,
    ) -> Result<(), S::Error> {
        let Ok(merge) = Merge::read(merge) else {
            return Ok(());
        };
        let (from, to) = match direction {
            Direction::Merge => (merge.gone, merge.kept),
            Direction::Undo => (merge.kept, merge.gone),
        };
        for entry in merge.repointed {
            if !entry.collection.is_append_only() {
                continue;
            }
            let key = RecordKey {
                collection: entry.collection,
                id: entry.record,
            };
            let Some(mut stored) = self.store.record(key)? else {
                continue;
            };
            if !rules.can_read(&stored.record)
                || stored.record.get(entry.field) != &Value::Id(from.0)
            {
                continue;
            }
            let before = stored.record.clone();
            let version = self.write_field(&mut stored, entry.field, Value::Id(to.0), writer)?;
            let after = stored.record.clone();
            self.put_record(stored)?;
            self.note_scope_change(Some(&before), Some(&after), version, rules.tree)?;
        }
        Ok(())
    }

    /// Erases a person (see [`super::erase`]).
    pub(super) fn erase(
        &mut self,
        actor: &Actor,
        tree: &AreaTree,
        person: PersonId,
    ) -> Result<Result<Version, EraseError>, S::Error> {
        let key = RecordKey {
            collection: Collection::Person,
            id: person.0,
        };
        let record = match self.store.record(key)? {
            Some(stored) => stored.record,
            None => match self.store.tombstone(key)? {
                Some(tombstone) => tombstone.record,
                None => return Ok(Err(EraseError::NotFound)),
            },
        };
        if !Permissions::new(actor, tree).can_erase(&record) {
            return Ok(Err(EraseError::NotAllowed));
        }
        // The people merged into them go with them, with what is about those people, and
        // every merge naming any of them.
        let mut doomed: Vec<RecordKey> = vec![key];
        let mut seen: BTreeSet<RecordKey> = BTreeSet::from([key]);
        let mut people = vec![person];
        let mut next = 0;
        while let Some(&someone) = people.get(next) {
            next += 1;
            let mut found = sorted(self.store.records_about(someone)?);
            found.extend(self.store.tombstones_about(someone)?);
            found.extend(
                self.store
                    .records_mentioning(someone.0)?
                    .into_iter()
                    .filter(|k| k.collection == Collection::Merge),
            );
            for found in found {
                if !seen.insert(found) {
                    continue;
                }
                if found.collection == Collection::Person {
                    people.push(PersonId(found.id));
                }
                doomed.push(found);
            }
        }
        let ids: BTreeSet<RecordId> = doomed.iter().map(|k| k.id).collect();
        let mut removed = Vec::new();
        for &doomed_key in &doomed {
            if let Some(stored) = self.store.record(doomed_key)? {
                self.remove_record(doomed_key)?;
                removed.push(stored.record);
            } else if self.store.tombstone(doomed_key)?.is_some() {
                self.store.remove_tombstone(doomed_key)?;
            } else {
                continue;
            }
            self.store
                .remove_feed_entry(FeedEntity::Record(doomed_key))?;
        }
        let mut touching = BTreeSet::new();
        for &id in &ids {
            touching.extend(self.store.conflicts_mentioning(id)?);
        }
        for id in touching {
            self.store.remove_conflict(id)?;
            self.store.remove_feed_entry(FeedEntity::Conflict(id))?;
        }
        // Scrub references in what remains: a set loses the element, a reference is cleared.
        let writer = Writer {
            client: None,
            user: actor.user,
        };
        let mut referring = BTreeSet::new();
        for &id in &ids {
            referring.extend(self.store.records_mentioning(id)?);
        }
        for referring_key in referring {
            let Some(mut stored) = self.store.record(referring_key)? else {
                continue;
            };
            let before = stored.record.clone();
            let mut after = before.clone();
            for (name, value) in &before.fields {
                let scrubbed = scrub(value, &ids);
                if &scrubbed != value {
                    self.write_field(&mut stored, name.as_str(), scrubbed.clone(), writer)?;
                    after.fields.insert(name.clone(), scrubbed);
                }
            }
            if after != before {
                self.put_record(stored)?;
            }
            let version = self.version;
            self.note_scope_change(Some(&before), Some(&after), version, tree)?;
        }
        let mut referring_tombstones = BTreeSet::new();
        for &id in &ids {
            referring_tombstones.extend(self.store.tombstones_mentioning(id)?);
        }
        for tombstone_key in referring_tombstones {
            let Some(mut tombstone) = self.store.tombstone(tombstone_key)? else {
                continue;
            };
            for value in tombstone.record.fields.values_mut() {
                *value = scrub(value, &ids);
            }
            self.store.put_tombstone(tombstone_key, tombstone)?;
        }
        self.store
            .mark_erased(&ids.iter().copied().collect::<Vec<_>>())?;
        let version = self.next_version(FeedEntry::Erasure)?;
        for before in &removed {
            self.note_scope_change(Some(before), None, version, tree)?;
        }
        self.store.put_erasure(
            version,
            Erasure {
                person,
                related: doomed.into_iter().filter(|k| *k != key).collect(),
            },
        )?;
        Ok(Ok(version))
    }
}

/// Which way a merge is followed through the history it lists.
#[derive(Clone, Copy)]
enum Direction {
    /// From the gone person to the kept one.
    Merge,
    /// Back from the kept person to the gone one.
    Undo,
}

/// Refuses a record with a set grown past its stated size.
/// A person's answer about a consent replaces the one held only if it was given later: an
/// offline phone's doorstep "yes" from last week must not undo the "no" they gave since
/// (through a withdrawal link, say). The older answer is refused, naming when the one that
/// stands was given.
fn later_answer_stands(before: &Record, field: &str, value: &Value) -> Result<(), Rejection> {
    if before.collection != Collection::Person
        || !ConsentTopic::ALL.iter().any(|t| t.field() == field)
    {
        return Ok(());
    }
    let at = |value: &Value| match value {
        Value::Map(map) => match map.get("at") {
            Some(Value::Time(at)) => Some(*at),
            _ => None,
        },
        _ => None,
    };
    match (at(before.get(field)), at(value)) {
        (Some(held), Some(given)) if given < held => Err(invalid(vec![FieldProblem::new(
            field,
            Problem::Superseded { at: held.0 },
        )])),
        _ => Ok(()),
    }
}

fn no_oversized_sets(record: &Record) -> Result<(), Rejection> {
    let problems = record.collection.oversized_sets(record);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(invalid(problems))
    }
}

/// Refuses an area record that would not sit whole in the tree (see
/// [`AreaTree::placement_problems`]); other records pass.
fn placed_whole(tree: &AreaTree, record: &Record) -> Result<(), Rejection> {
    if record.collection != Collection::Area {
        return Ok(());
    }
    let problems = match Area::read(record) {
        Ok(area) => tree.placement_problems(&area),
        Err(problems) => problems,
    };
    if problems.is_empty() {
        Ok(())
    } else {
        Err(invalid(problems))
    }
}

/// A meeting's host, if the meeting is live.
fn host_of<S: ServerStore>(store: &mut S, meeting: MeetingId) -> Result<Option<UserId>, S::Error> {
    let key = RecordKey {
        collection: Collection::Meeting,
        id: meeting.0,
    };
    Ok(store
        .record(key)?
        .and_then(|s| s.record.get_id("host"))
        .map(UserId))
}

/// Keys in order without repeats, whatever order the store answered in.
fn sorted(keys: Vec<RecordKey>) -> BTreeSet<RecordKey> {
    keys.into_iter().collect()
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
