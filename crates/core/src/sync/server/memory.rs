//! [`MemoryStore`]: the server's durable state in `BTreeMap`s, behind [`ServerStore`].
//!
//! It answers the indexed queries by walking one collection's range of the record map (the
//! map is ordered by collection first), which is plenty for tests and the simulation; a SQL
//! store answers the same questions from indexes. Like a server process, it caches the area
//! tree, and forgets it on a restart.

use super::{
    ClientLog, Erasure, FeedEntity, FeedEntry, ServerStore, StoredConflict, StoredRecord, Tombstone,
};
use crate::area::AreaTree;
use crate::id::{AreaId, MeetingId, PersonId, RecordId, UserId};
use crate::permission::{Actor, ActorFacts, Permissions};
use crate::record::{Collection, Record};
use crate::sync::wire::{ClientId, Conflict, ConflictId, RecordKey, SyncedRecord, Version};
use std::collections::{BTreeMap, BTreeSet};
use std::convert::Infallible;
use std::sync::Arc;

/// The server's durable state in memory. Every field is what a SQL store keeps in a table;
/// the fields are public so tests can inspect the state directly.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
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
    /// The sign-in kits' tokens it vouches for, with their meeting and person (a test's
    /// stand-in for the server's signed tokens).
    pub vouches: BTreeSet<(String, MeetingId, PersonId)>,
    /// The change feed, by version.
    feed: BTreeMap<Version, FeedEntry>,
    /// Where each entity's entry sits in the feed (the unique entity key of a SQL table).
    feed_positions: BTreeMap<FeedEntity, Version>,
    /// The area tree, until an area record is written (not durable).
    area_tree: Option<Arc<AreaTree>>,
}

fn range<T>(
    map: &BTreeMap<RecordKey, T>,
    collection: Collection,
) -> impl Iterator<Item = (&RecordKey, &T)> {
    let key = |n| RecordKey {
        collection,
        id: RecordId::from_u128(n),
    };
    map.range(key(0)..=key(u128::MAX))
}

impl MemoryStore {
    /// The live records of one collection.
    fn live(&self, collection: Collection) -> impl Iterator<Item = &Record> {
        range(&self.records, collection).map(|(_, stored)| &stored.record)
    }

    /// The feed, in version order (for tests that check it).
    pub fn feed(&self) -> impl Iterator<Item = (Version, FeedEntry)> + '_ {
        self.feed.iter().map(|(v, e)| (*v, *e))
    }

    /// Forgets what is not durable (the area tree), as a process restart would.
    pub fn forget_caches(&mut self) {
        self.area_tree = None;
    }

    /// The records and open conflicts `actor` may read, straight from the maps: the
    /// simulation's oracle, computed without the feed that pulls are served from.
    #[allow(clippy::type_complexity)]
    pub fn visible_to(
        &self,
        actor: &Actor,
        tree: &AreaTree,
    ) -> (
        BTreeMap<RecordKey, SyncedRecord>,
        BTreeMap<ConflictId, Conflict>,
    ) {
        let rules = Permissions::new(actor, tree);
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
}

impl ServerStore for MemoryStore {
    type Error = Infallible;

    fn lock_version(&mut self) -> Result<Version, Infallible> {
        // One caller at a time holds `&mut self`: that is the lock.
        Ok(self.version)
    }

    fn current_version(&mut self) -> Result<Version, Infallible> {
        Ok(self.version)
    }

    fn set_version(&mut self, version: Version) -> Result<(), Infallible> {
        self.version = version;
        Ok(())
    }

    fn record(&mut self, key: RecordKey) -> Result<Option<StoredRecord>, Infallible> {
        Ok(self.records.get(&key).cloned())
    }

    fn put_record(&mut self, record: StoredRecord) -> Result<(), Infallible> {
        if record.synced.collection == Collection::Area {
            self.area_tree = None;
        }
        self.records.insert(record.key(), record);
        Ok(())
    }

    fn remove_record(&mut self, key: RecordKey) -> Result<(), Infallible> {
        if key.collection == Collection::Area {
            self.area_tree = None;
        }
        self.records.remove(&key);
        Ok(())
    }

    fn tombstone(&mut self, key: RecordKey) -> Result<Option<Tombstone>, Infallible> {
        Ok(self.tombstones.get(&key).cloned())
    }

    fn put_tombstone(&mut self, key: RecordKey, tombstone: Tombstone) -> Result<(), Infallible> {
        self.tombstones.insert(key, tombstone);
        Ok(())
    }

    fn remove_tombstone(&mut self, key: RecordKey) -> Result<(), Infallible> {
        self.tombstones.remove(&key);
        Ok(())
    }

    fn area_records(&mut self) -> Result<Vec<Record>, Infallible> {
        Ok(self.live(Collection::Area).cloned().collect())
    }

    fn area_tree(&mut self) -> Result<Arc<AreaTree>, Infallible> {
        if let Some(tree) = &self.area_tree {
            return Ok(tree.clone());
        }
        let areas: Vec<Record> = self.live(Collection::Area).cloned().collect();
        let tree = Arc::new(super::tree_of(&areas));
        self.area_tree = Some(tree.clone());
        Ok(tree)
    }

    fn role_assignments_of(&mut self, user: UserId) -> Result<Vec<Record>, Infallible> {
        Ok(self
            .live(Collection::RoleAssignment)
            .filter(|r| ActorFacts::is_role_of(r, user))
            .cloned()
            .collect())
    }

    fn lists_assigned_to(&mut self, user: UserId) -> Result<Vec<Record>, Infallible> {
        Ok(self
            .live(Collection::List)
            .filter(|r| ActorFacts::is_list_of(r, user))
            .cloned()
            .collect())
    }

    fn meetings_hosted_by(&mut self, user: UserId) -> Result<Vec<MeetingId>, Infallible> {
        Ok(self
            .live(Collection::Meeting)
            .filter(|r| ActorFacts::is_meeting_of(r, user))
            .map(|r| MeetingId(r.id))
            .collect())
    }

    fn people_created_by(&mut self, user: UserId) -> Result<Vec<PersonId>, Infallible> {
        Ok(self
            .live(Collection::Person)
            .filter(|r| r.created_by == user)
            .map(|r| PersonId(r.id))
            .collect())
    }

    fn people_created_by_among(
        &mut self,
        user: UserId,
        ids: Vec<RecordId>,
    ) -> Result<Vec<PersonId>, Infallible> {
        Ok(self
            .live(Collection::Person)
            .filter(|r| r.created_by == user && ids.contains(&r.id))
            .map(|r| PersonId(r.id))
            .collect())
    }

    fn attendees_of_meetings_hosted_by(
        &mut self,
        user: UserId,
    ) -> Result<Vec<PersonId>, Infallible> {
        let meetings: BTreeSet<RecordId> = self
            .live(Collection::Meeting)
            .filter(|r| ActorFacts::is_meeting_of(r, user))
            .map(|r| r.id)
            .collect();
        if meetings.is_empty() {
            return Ok(Vec::new());
        }
        Ok(self
            .live(Collection::Attendance)
            .filter(|r| r.get_id("meeting").is_some_and(|m| meetings.contains(&m)))
            .filter_map(|r| r.get_id("person"))
            .map(PersonId)
            .collect())
    }

    fn users_with_roles_in(&mut self, areas: Vec<AreaId>) -> Result<Vec<UserId>, Infallible> {
        Ok(self
            .live(Collection::RoleAssignment)
            .filter(|r| areas.contains(&r.area))
            .filter_map(|r| r.get_id("user"))
            .map(UserId)
            .collect())
    }

    fn vouched(
        &mut self,
        token: &str,
        meeting: MeetingId,
        person: PersonId,
    ) -> Result<bool, Infallible> {
        Ok(self.vouches.contains(&(token.to_owned(), meeting, person)))
    }

    fn records_about(&mut self, person: PersonId) -> Result<Vec<RecordKey>, Infallible> {
        Ok(about(&self.records, person, |s| &s.record))
    }

    fn tombstones_about(&mut self, person: PersonId) -> Result<Vec<RecordKey>, Infallible> {
        Ok(about(&self.tombstones, person, |t| &t.record))
    }

    fn records_mentioning(&mut self, id: RecordId) -> Result<Vec<RecordKey>, Infallible> {
        Ok(mentioning(&self.records, id, |s| &s.record))
    }

    fn tombstones_mentioning(&mut self, id: RecordId) -> Result<Vec<RecordKey>, Infallible> {
        Ok(mentioning(&self.tombstones, id, |t| &t.record))
    }

    fn conflict(&mut self, id: ConflictId) -> Result<Option<StoredConflict>, Infallible> {
        Ok(self.conflicts.get(&id).cloned())
    }

    fn put_conflict(&mut self, conflict: StoredConflict) -> Result<(), Infallible> {
        self.conflicts.insert(conflict.conflict.id, conflict);
        Ok(())
    }

    fn remove_conflict(&mut self, id: ConflictId) -> Result<(), Infallible> {
        self.conflicts.remove(&id);
        Ok(())
    }

    fn open_conflicts_of(&mut self, key: RecordKey) -> Result<Vec<StoredConflict>, Infallible> {
        Ok(self
            .conflicts
            .values()
            .filter(|c| c.open && c.conflict.key == key)
            .cloned()
            .collect())
    }

    fn conflicts_mentioning(&mut self, id: RecordId) -> Result<Vec<ConflictId>, Infallible> {
        Ok(self
            .conflicts
            .values()
            .filter(|c| c.conflict.mentions(id))
            .map(|c| c.conflict.id)
            .collect())
    }

    fn client_log(&mut self, client: ClientId) -> Result<Option<ClientLog>, Infallible> {
        Ok(self.clients.get(&client).cloned())
    }

    fn put_client_log(&mut self, client: ClientId, log: ClientLog) -> Result<(), Infallible> {
        self.clients.insert(client, log);
        Ok(())
    }

    fn any_erased(&mut self, ids: &[RecordId]) -> Result<bool, Infallible> {
        Ok(!self.erased.is_empty() && ids.iter().any(|id| self.erased.contains(id)))
    }

    fn mark_erased(&mut self, ids: &[RecordId]) -> Result<(), Infallible> {
        self.erased.extend(ids.iter().copied());
        Ok(())
    }

    fn erasure(&mut self, version: Version) -> Result<Option<Erasure>, Infallible> {
        Ok(self.erasures.get(&version).cloned())
    }

    fn put_erasure(&mut self, version: Version, erasure: Erasure) -> Result<(), Infallible> {
        self.erasures.insert(version, erasure);
        Ok(())
    }

    fn epoch(&mut self, user: UserId) -> Result<Version, Infallible> {
        Ok(self.epochs.get(&user).copied().unwrap_or_default())
    }

    fn set_epoch(&mut self, user: UserId, version: Version) -> Result<(), Infallible> {
        self.epochs.insert(user, version);
        Ok(())
    }

    fn tree_epoch(&mut self) -> Result<Version, Infallible> {
        Ok(self.tree_epoch)
    }

    fn set_tree_epoch(&mut self, version: Version) -> Result<(), Infallible> {
        self.tree_epoch = version;
        Ok(())
    }

    fn feed_after(
        &mut self,
        after: Version,
        limit: usize,
    ) -> Result<Vec<(Version, FeedEntry)>, Infallible> {
        Ok(self
            .feed
            .range(after.next()..)
            .take(limit)
            .map(|(v, e)| (*v, *e))
            .collect())
    }

    fn put_feed_entry(&mut self, version: Version, entry: FeedEntry) -> Result<(), Infallible> {
        if let Some(old) = self.feed_positions.insert(entry.entity(version), version) {
            self.feed.remove(&old);
        }
        self.feed.insert(version, entry);
        Ok(())
    }

    fn remove_feed_entry(&mut self, entity: FeedEntity) -> Result<(), Infallible> {
        if let Some(old) = self.feed_positions.remove(&entity) {
            self.feed.remove(&old);
        }
        Ok(())
    }
}

/// The keys of the records (live or deleted) about `person`, collection by collection.
fn about<T>(
    map: &BTreeMap<RecordKey, T>,
    person: PersonId,
    record: impl Fn(&T) -> &Record,
) -> Vec<RecordKey> {
    let record = &record;
    Collection::ALL
        .into_iter()
        .filter(|c| c.may_be_about())
        .flat_map(|c| {
            range(map, c)
                .filter(move |(_, t)| record(t).about() == Some(person.0))
                .map(|(k, _)| *k)
        })
        .collect()
}

/// The keys of the records (live or deleted) with a field referring to `id`.
fn mentioning<T>(
    map: &BTreeMap<RecordKey, T>,
    id: RecordId,
    record: impl Fn(&T) -> &Record,
) -> Vec<RecordKey> {
    map.iter()
        .filter(|(_, t)| record(t).fields.values().any(|v| v.mentions(id)))
        .map(|(k, _)| *k)
        .collect()
}
