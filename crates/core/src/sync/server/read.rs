//! The read side: one pull page, read from the change feed in growing batches within a scan
//! budget, and what a user may see now (the test oracle), read from the whole feed.

use super::{FeedEntry, MAX_PAGE, ServerStore};
use crate::area::AreaTree;
use crate::order;
use crate::permission::{Actor, Permissions};
use crate::sync::wire::{Change, Conflict, ConflictId, Purge, RecordKey, SyncedRecord, Version};
use std::collections::BTreeMap;

/// One page of a pull.
pub(super) struct Page {
    pub(super) purges: Vec<Purge>,
    pub(super) changes: Vec<Change>,
    pub(super) cursor: Version,
    pub(super) more: bool,
}

/// Serves one page of changes after `from` for `actor`, going no further than `head`.
///
/// Each batch of entries is judged by the actor with, among the people they created, only
/// those the batch could turn on (see [`PullActor`]), so a pull reads as many of them as it
/// sends records, not every person its user ever created.
///
/// The page ends when it holds `limit` changes and purges, when the feed up to `head` is
/// exhausted (the cursor is then `head` itself, past versions whose entries have since moved
/// on), or when `budget` entries have been read: then it says `more`, with the cursor at the
/// last entry read, so every entry at or below the cursor has been considered.
pub(super) fn page<S: ServerStore>(
    store: &mut S,
    actor: &PullActor,
    tree: &AreaTree,
    head: Version,
    from: Version,
    limit: usize,
    budget: usize,
) -> Result<Page, S::Error> {
    let mut page = Page {
        purges: Vec::new(),
        changes: Vec::new(),
        cursor: head,
        more: false,
    };
    let mut after = from;
    let mut scanned = 0;
    // Most users see most of the feed, so the first batch is the page; a narrow scope
    // doubles it until the budget is spent.
    let mut batch = limit;
    loop {
        let want = batch.min(budget - scanned);
        // One entry more than is read, to know whether anything follows.
        let mut entries = store.feed_after(after, want + 1)?;
        entries.retain(|(version, _)| *version <= head);
        let followed = entries.len() > want;
        entries.truncate(want);
        let read = entries.len();
        let keys: Vec<RecordKey> = entries
            .iter()
            .filter_map(|(_, entry)| match entry {
                FeedEntry::Record(key) | FeedEntry::Tombstone(key) => Some(*key),
                FeedEntry::Conflict(_) | FeedEntry::Erasure => None,
            })
            .collect();
        store.prefetch(&keys, &[])?;
        let actor = actor.reaching_created(store, &entries)?;
        let rules = Permissions::new(&actor, tree);
        for (i, (version, entry)) in entries.into_iter().enumerate() {
            scanned += 1;
            after = version;
            let change = change(store, &rules, version, entry, &mut page.purges)?;
            page.changes.extend(change);
            if page.changes.len() + page.purges.len() >= limit && (i + 1 < read || followed) {
                page.cursor = version;
                page.more = true;
                return Ok(page);
            }
        }
        if !followed {
            return Ok(page);
        }
        if scanned >= budget {
            page.cursor = after;
            page.more = true;
            return Ok(page);
        }
        batch = batch.saturating_mul(2);
    }
}

/// A puller's actor without the people they created, which [`PullActor::reaching_created`]
/// adds batch by batch.
pub(super) struct PullActor(pub(super) Actor);

impl PullActor {
    /// The actor as far as `entries` go: with the people they created among the records
    /// the entries name and the people those are about. Reading decides on a person by
    /// whether they are within reach only for the person's own record and for records about
    /// them (see [`Permissions::can_read`] and [`Permissions::can_edit`]), so nothing else
    /// the actor created could change what these entries send.
    fn reaching_created<S: ServerStore>(
        &self,
        store: &mut S,
        entries: &[(Version, FeedEntry)],
    ) -> Result<Actor, S::Error> {
        let mut ids = Vec::new();
        for &(_, entry) in entries {
            let key = match entry {
                FeedEntry::Record(key) | FeedEntry::Tombstone(key) => key,
                FeedEntry::Conflict(id) => match store.conflict(id)? {
                    Some(stored) => stored.conflict.key,
                    None => continue,
                },
                FeedEntry::Erasure => continue,
            };
            ids.push(key.id);
            if let Some(field) = key.collection.person_field() {
                let record = match store.record(key)? {
                    Some(stored) => Some(stored.record),
                    None => store.tombstone(key)?.map(|t| t.record),
                };
                ids.extend(record.and_then(|r| r.get_id(field)));
            }
        }
        let mut actor = self.0.clone();
        if !ids.is_empty() {
            order::sort(&mut ids);
            ids.dedup();
            actor
                .people
                .extend(store.people_created_by_among(actor.user, ids)?);
        }
        Ok(actor)
    }
}

/// What one feed entry sends to `rules`' actor, if anything; an erasure is a purge, for
/// everyone. An entry whose entity has gone since the feed was read sends nothing: its
/// newer entry lies ahead.
fn change<S: ServerStore>(
    store: &mut S,
    rules: &Permissions<'_>,
    version: Version,
    entry: FeedEntry,
    purges: &mut Vec<Purge>,
) -> Result<Option<Change>, S::Error> {
    Ok(match entry {
        // The feed holds each entity once, so the page sends this record once: the store
        // may hand it over rather than copy it.
        FeedEntry::Record(key) => store
            .take_record(key)?
            .filter(|stored| rules.can_read(&stored.record))
            .map(|stored| Change::Record {
                record: stored.synced,
            }),
        FeedEntry::Tombstone(key) => store
            .tombstone(key)?
            .filter(|tombstone| rules.can_read(&tombstone.record))
            .map(|_| Change::Deleted { key, version }),
        FeedEntry::Conflict(id) => {
            let Some(stored) = store.conflict(id)? else {
                return Ok(None);
            };
            let key = stored.conflict.key;
            let live = store.record(key)?;
            if stored.open {
                live.filter(|live| rules.can_edit(&live.record))
                    .map(|_| Change::Conflict {
                        conflict: stored.conflict,
                    })
            } else {
                let record = match live {
                    Some(live) => Some(live.record),
                    None => store.tombstone(key)?.map(|t| t.record),
                };
                record
                    .filter(|record| rules.can_read(record))
                    .map(|_| Change::ConflictClosed { id, version })
            }
        }
        FeedEntry::Erasure => {
            if let Some(erasure) = store.erasure(version)? {
                purges.push(Purge::Erased {
                    person: erasure.person,
                    related: erasure.related,
                });
            }
            None
        }
    })
}

/// The records and open conflicts `actor` may see now, read from the whole feed (which
/// holds every live record and every conflict once).
#[allow(clippy::type_complexity)]
pub(super) fn visible<S: ServerStore>(
    store: &mut S,
    actor: &Actor,
    tree: &AreaTree,
) -> Result<
    (
        BTreeMap<RecordKey, SyncedRecord>,
        BTreeMap<ConflictId, Conflict>,
    ),
    S::Error,
> {
    let rules = Permissions::new(actor, tree);
    let mut records = BTreeMap::new();
    let mut conflicts = BTreeMap::new();
    let mut after = Version(0);
    loop {
        let entries = store.feed_after(after, MAX_PAGE)?;
        let Some(&(last, _)) = entries.last() else {
            break;
        };
        for (_, entry) in entries {
            match entry {
                FeedEntry::Record(key) => {
                    if let Some(stored) = store.record(key)?
                        && rules.can_read(&stored.record)
                    {
                        records.insert(key, stored.synced);
                    }
                }
                FeedEntry::Conflict(id) => {
                    if let Some(stored) = store.conflict(id)?
                        && stored.open
                        && let Some(live) = store.record(stored.conflict.key)?
                        && rules.can_edit(&live.record)
                    {
                        conflicts.insert(id, stored.conflict);
                    }
                }
                FeedEntry::Tombstone(_) | FeedEntry::Erasure => {}
            }
        }
        after = last;
    }
    Ok((records, conflicts))
}
