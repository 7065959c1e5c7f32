//! [`ServerStore`]: the server's durable state as the protocol logic sees it, one keyed
//! lookup, keyed write or indexed query per method, so that a SQL store answers each with
//! one statement inside the request's transaction.
//!
//! The trait is synchronous on purpose. The SQL server runs a whole push or pull on a
//! blocking thread over one open transaction and turns each method into one query; the
//! logic in [`crate::sync::server`] never awaits, never holds the store across a request,
//! and asks only for what one decision needs. No method returns every record, conflict or
//! client: the only walk over everything is the change feed, read a bounded page at a time.

use super::{ClientLog, Erasure, FeedEntity, FeedEntry, StoredConflict, StoredRecord, Tombstone};
use crate::area::AreaTree;
use crate::id::{AreaId, MeetingId, PersonId, RecordId, UserId};
use crate::permission::ActorFacts;
use crate::record::Record;
use crate::sync::wire::{ClientId, ConflictId, RecordKey, Version};
use std::sync::Arc;

/// The server's durable state, behind keyed lookups, keyed writes and indexed queries.
///
/// Every method works inside the caller's transaction: writes are seen by later reads of the
/// same request and become visible to others only when the caller commits. Reads return
/// owned values; nothing borrowed needs to be `Send` or `'static`. "Live" means not deleted;
/// deleted records are kept as [`Tombstone`]s, apart.
///
/// Where a query's order matters, the logic sorts what it gets, so a store may answer in
/// any order.
pub trait ServerStore {
    /// Why the store could not answer (a database error). The logic stops at the first and
    /// hands it back; the caller rolls the transaction back.
    type Error;

    // The version counter.

    /// The version of the latest commit, taking the writers' lock: every push, erasure and
    /// seeding calls this before anything else and holds the lock until it commits. Versions
    /// are therefore assigned in commit order, and a pull that has read version `v` has
    /// every change up to `v` committed (a plain sequence would let version 41 commit after
    /// a pull had read 42 and moved past 41 for good).
    fn lock_version(&mut self) -> Result<Version, Self::Error>;

    /// The version of the latest commit, without the lock (pulls).
    fn current_version(&mut self) -> Result<Version, Self::Error>;

    /// Records the version of this commit (called once, before it ends, by a request that
    /// changed anything).
    fn set_version(&mut self, version: Version) -> Result<(), Self::Error>;

    // Records.

    /// Says which records a request is about to ask for, so a store that can read many at
    /// once may do so now: the live records and tombstones `keys`, any live record whose id
    /// is one of `ids` (the ids a push's values refer to), and whether those ids are erased.
    /// A store that answers every lookup with one statement anyway ignores it.
    fn prefetch(&mut self, keys: &[RecordKey], ids: &[RecordId]) -> Result<(), Self::Error> {
        let _ = (keys, ids);
        Ok(())
    }

    /// The live record `key`.
    fn record(&mut self, key: RecordKey) -> Result<Option<StoredRecord>, Self::Error>;

    /// The live record `key`, asked for by a request that has no further use for it: a store
    /// that keeps what a read-only request has read may hand its copy over rather than clone
    /// it (a later [`ServerStore::record`] of the same key must then still answer the same).
    fn take_record(&mut self, key: RecordKey) -> Result<Option<StoredRecord>, Self::Error> {
        self.record(key)
    }

    /// Inserts or replaces a live record.
    fn put_record(&mut self, record: StoredRecord) -> Result<(), Self::Error>;

    /// Removes a live record (a delete or an erasure).
    fn remove_record(&mut self, key: RecordKey) -> Result<(), Self::Error>;

    /// What is left of the deleted record `key`.
    fn tombstone(&mut self, key: RecordKey) -> Result<Option<Tombstone>, Self::Error>;

    /// Inserts or replaces a tombstone.
    fn put_tombstone(&mut self, key: RecordKey, tombstone: Tombstone) -> Result<(), Self::Error>;

    /// Removes a tombstone (an erasure).
    fn remove_tombstone(&mut self, key: RecordKey) -> Result<(), Self::Error>;

    // Indexed queries over live records.

    /// The live area records (few; the area tree is built from them).
    fn area_records(&mut self) -> Result<Vec<Record>, Self::Error>;

    /// The area tree, built from [`ServerStore::area_records`]. A store may keep it between
    /// requests if it drops it whenever an `area` record is written, by this process or
    /// (for a shared database) by another.
    fn area_tree(&mut self) -> Result<Arc<AreaTree>, Self::Error> {
        Ok(Arc::new(super::tree_of(&self.area_records()?)))
    }

    /// What gives `user` their reach, but for the people they created: their role
    /// assignments, lists, hosted meetings and those meetings' attendees (`people_created`
    /// is left empty). One call per kind by default; a store that can answer in one round
    /// trip should, as every push and pull asks.
    fn standing_of(&mut self, user: UserId) -> Result<ActorFacts, Self::Error> {
        Ok(ActorFacts {
            role_assignments: self.role_assignments_of(user)?,
            lists: self.lists_assigned_to(user)?,
            meetings: self.meetings_hosted_by(user)?,
            people_created: Vec::new(),
            attendees: self.attendees_of_meetings_hosted_by(user)?,
        })
    }

    /// The live role assignments whose `user` is `user`.
    fn role_assignments_of(&mut self, user: UserId) -> Result<Vec<Record>, Self::Error>;

    /// The live lists whose `assignees` include `user`.
    fn lists_assigned_to(&mut self, user: UserId) -> Result<Vec<Record>, Self::Error>;

    /// The live meetings whose `host` is `user`.
    fn meetings_hosted_by(&mut self, user: UserId) -> Result<Vec<MeetingId>, Self::Error>;

    /// The live people whose creator is `user`.
    fn people_created_by(&mut self, user: UserId) -> Result<Vec<PersonId>, Self::Error>;

    /// Those of `ids` that are live people whose creator is `user` (one query, bounded by
    /// `ids` rather than by everything the user ever created).
    fn people_created_by_among(
        &mut self,
        user: UserId,
        ids: Vec<RecordId>,
    ) -> Result<Vec<PersonId>, Self::Error>;

    /// The `person` of every live attendance whose `meeting` is a live meeting hosted by
    /// `user` (one join).
    fn attendees_of_meetings_hosted_by(
        &mut self,
        user: UserId,
    ) -> Result<Vec<PersonId>, Self::Error>;

    /// The users named by a live role assignment held in one of `areas` (the users whose
    /// scope a record moved out of those areas may change). One indexed query: role
    /// assignments by area.
    fn users_with_roles_in(&mut self, areas: Vec<AreaId>) -> Result<Vec<UserId>, Self::Error>;

    /// The live records about `person`: those whose collection has a
    /// [`person_field`](crate::record::Collection::person_field) holding `person`.
    fn records_about(&mut self, person: PersonId) -> Result<Vec<RecordKey>, Self::Error>;

    /// The tombstones about `person`, as [`ServerStore::records_about`].
    fn tombstones_about(&mut self, person: PersonId) -> Result<Vec<RecordKey>, Self::Error>;

    /// The live records with a field referring to `id`: the union over fields of
    /// [`Value::ids`](crate::record::Value::ids), which a SQL store keeps as an index of
    /// references written with each record.
    fn records_mentioning(&mut self, id: RecordId) -> Result<Vec<RecordKey>, Self::Error>;

    /// The tombstones with a field referring to `id`, as [`ServerStore::records_mentioning`].
    fn tombstones_mentioning(&mut self, id: RecordId) -> Result<Vec<RecordKey>, Self::Error>;

    // Conflicts.

    /// The conflict `id`, open or closed.
    fn conflict(&mut self, id: ConflictId) -> Result<Option<StoredConflict>, Self::Error>;

    /// Inserts or replaces a conflict.
    fn put_conflict(&mut self, conflict: StoredConflict) -> Result<(), Self::Error>;

    /// Removes a conflict (an erasure).
    fn remove_conflict(&mut self, id: ConflictId) -> Result<(), Self::Error>;

    /// The open conflicts on the record `key`.
    fn open_conflicts_of(&mut self, key: RecordKey) -> Result<Vec<StoredConflict>, Self::Error>;

    /// The conflicts, open or closed, that [mention](crate::sync::Conflict::mentions) `id`:
    /// on the record `id`, or with `id` in either value.
    fn conflicts_mentioning(&mut self, id: RecordId) -> Result<Vec<ConflictId>, Self::Error>;

    // Clients.

    /// What the server remembers of `client`.
    fn client_log(&mut self, client: ClientId) -> Result<Option<ClientLog>, Self::Error>;

    /// Inserts or replaces what the server remembers of `client`.
    fn put_client_log(&mut self, client: ClientId, log: ClientLog) -> Result<(), Self::Error>;

    /// Whether `token` is the server's, made for a sign-in kit of `meeting` to recognise
    /// `person` (see [`crate::sign_in_kit`]): an attendance of that meeting may then name them
    /// as `matched` though its writer may not see them. A store that makes no kits vouches
    /// for nobody.
    fn vouched(
        &mut self,
        token: &str,
        meeting: MeetingId,
        person: PersonId,
    ) -> Result<bool, Self::Error> {
        let _ = (token, meeting, person);
        Ok(false)
    }

    // Erasure.

    /// Whether any of `ids` has been erased.
    fn any_erased(&mut self, ids: &[RecordId]) -> Result<bool, Self::Error>;

    /// Adds `ids` to the erased ids, kept forever.
    fn mark_erased(&mut self, ids: &[RecordId]) -> Result<(), Self::Error>;

    /// The erasure committed at `version`.
    fn erasure(&mut self, version: Version) -> Result<Option<Erasure>, Self::Error>;

    /// Records the erasure committed at `version`.
    fn put_erasure(&mut self, version: Version, erasure: Erasure) -> Result<(), Self::Error>;

    // Scope epochs.

    /// The version of the last commit that changed `user`'s scope (`Version(0)` if none).
    fn epoch(&mut self, user: UserId) -> Result<Version, Self::Error>;

    /// Sets `user`'s scope epoch.
    fn set_epoch(&mut self, user: UserId, version: Version) -> Result<(), Self::Error>;

    /// The version of the last commit that changed the shape of the area tree.
    fn tree_epoch(&mut self) -> Result<Version, Self::Error>;

    /// Sets the tree epoch.
    fn set_tree_epoch(&mut self, version: Version) -> Result<(), Self::Error>;

    // The change feed: one entry per entity, at the entity's latest version.

    /// Up to `limit` entries after `after`, in version order.
    fn feed_after(
        &mut self,
        after: Version,
        limit: usize,
    ) -> Result<Vec<(Version, FeedEntry)>, Self::Error>;

    /// Puts `entry` at `version`, removing the entry its [entity](FeedEntry::entity) had
    /// (in SQL: a table keyed by version with a unique entity key, written by one upsert).
    fn put_feed_entry(&mut self, version: Version, entry: FeedEntry) -> Result<(), Self::Error>;

    /// Removes the entity's entry (an erasure).
    fn remove_feed_entry(&mut self, entity: FeedEntity) -> Result<(), Self::Error>;
}
