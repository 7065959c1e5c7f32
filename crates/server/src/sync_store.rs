//! [`SqlStore`]: the core's [`ServerStore`] over the database, so the server runs the same
//! protocol logic as the reference server the core is tested against.
//!
//! The trait is synchronous and the database is not, so a whole push, pull or erasure runs on
//! one blocking thread ([`run`]) over one open transaction, and each trait method is one
//! statement awaited with [`Handle::block_on`]. Records are stored as JSON; what the protocol
//! queries by (who created a record, who it is about, which ids its fields refer to) is kept in
//! indexed columns and in `record_refs`, written in the same transaction as the record.
//!
//! The writers' lock is the `sync_head` row: `SELECT … FOR UPDATE` on PostgreSQL, and on
//! SQLite the database lock that `BEGIN IMMEDIATE` takes. Versions are therefore assigned in
//! commit order and a pull that has read version `v` can never miss a change numbered below
//! it (see [`ServerStore::lock_version`]).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use organise_core::area::AreaTree;
use organise_core::id::{AreaId, MeetingId, PersonId, RecordId, UserId};
use organise_core::permission::ActorFacts;
use organise_core::record::{Collection, Record};
use organise_core::sync::server::{
    ClientLog, Erasure, FeedEntity, FeedEntry, ServerStore, StoredConflict, StoredRecord,
    Tombstone, tree_of,
};
use organise_core::sync::wire::{ClientId, ConflictId, RecordKey, SyncedRecord, Version};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};
use tokio::runtime::Handle;

use crate::db::{Backend, Db};

mod writers;

/// Why the store could not answer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error(transparent)]
    Db(#[from] sqlx::Error),
    /// A stored value did not read back (the database was changed by hand, or is damaged).
    #[error("the sync store holds a malformed {what}: {detail}")]
    Corrupt {
        /// Which kind of value.
        what: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The blocking task running the transaction panicked or was cancelled.
    #[error("the sync task failed: {0}")]
    Task(String),
}

impl From<StoreError> for crate::error::AppError {
    fn from(error: StoreError) -> Self {
        crate::error::AppError::Internal(error.into())
    }
}

/// The area tree kept between requests, tagged with the `area_generation` it was built at.
/// Any process that writes an area bumps the generation in the same transaction, so a tree is
/// reused only while it is still the database's.
#[derive(Debug, Default)]
pub struct TreeCache(Mutex<Option<(i64, Arc<AreaTree>)>>);

/// Whether a transaction may write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Takes the write lock up front (pushes, erasures, seeding).
    Write,
    /// A consistent snapshot that cannot write (pulls, exports).
    Read,
}

/// Runs `work` over a [`SqlStore`] on one transaction, on a blocking thread. The transaction
/// commits if `work` returns `Ok((_, true))` and rolls back otherwise (a refusal changes
/// nothing, and neither does an error).
pub async fn run<T, F>(
    db: &Db,
    trees: &Arc<TreeCache>,
    access: Access,
    work: F,
) -> Result<T, StoreError>
where
    T: Send + 'static,
    F: FnOnce(&mut SqlStore<'_>) -> Result<(T, bool), StoreError> + Send + 'static,
{
    let db = db.clone();
    let trees = trees.clone();
    tokio::task::spawn_blocking(move || {
        let rt = Handle::current();
        let mut tx = match access {
            Access::Write => rt.block_on(db.begin_write()),
            Access::Read => rt.block_on(db.begin_read()),
        }?;
        let locked = Instant::now();
        let mut store = SqlStore {
            conn: &mut tx,
            rt: rt.clone(),
            backend: db.backend(),
            access,
            trees: &trees,
            wrote_areas: false,
            local_tree: None,
            area_generation: None,
            known_refs: HashMap::new(),
            records: HashMap::new(),
            unwritten: BTreeSet::new(),
            tombstones: HashMap::new(),
            not_erased: HashSet::new(),
            open_conflicts: HashMap::new(),
            feed: Vec::new(),
        };
        let answer = work(&mut store).and_then(|(value, commit)| {
            if commit {
                store.flush_records()?;
                store.flush_feed()?;
            }
            Ok((value, commit))
        });
        let ended = match answer {
            Ok((_, true)) => rt.block_on(tx.commit()),
            _ => rt.block_on(tx.rollback()),
        };
        if access == Access::Write {
            note_write_hold(locked.elapsed());
        }
        let (value, _) = answer?;
        ended?;
        Ok(value)
    })
    .await
    .map_err(|e| StoreError::Task(e.to_string()))?
}

/// The longest time, in microseconds, any write transaction of this process has held the
/// writers' lock since it was last taken by [`take_longest_write_hold`]: the figure the
/// benchmark reports, since every other writer waits that long.
static LONGEST_WRITE_HOLD_US: AtomicU64 = AtomicU64::new(0);

fn note_write_hold(held: Duration) {
    let micros = u64::try_from(held.as_micros()).unwrap_or(u64::MAX);
    LONGEST_WRITE_HOLD_US.fetch_max(micros, Ordering::Relaxed);
}

/// The longest time a write transaction held the writers' lock since the last call (from
/// taking the lock to its commit or rollback), and starts measuring afresh.
pub fn take_longest_write_hold() -> Duration {
    Duration::from_micros(LONGEST_WRITE_HOLD_US.swap(0, Ordering::Relaxed))
}

/// The sync state in the database, inside one transaction.
pub struct SqlStore<'a> {
    conn: &'a mut AnyConnection,
    rt: Handle,
    backend: Backend,
    access: Access,
    trees: &'a TreeCache,
    /// Whether this transaction has written an area. Its trees may never commit, so they are
    /// kept in `local_tree` and never shared.
    wrote_areas: bool,
    local_tree: Option<(i64, Arc<AreaTree>)>,
    /// `sync_head.area_generation` as this transaction last read or wrote it: read with the
    /// version, which every push and pull reads first, to save a statement.
    area_generation: Option<i64>,
    /// What `record_refs` holds now for records a write transaction has read or flushed, by
    /// record, sorted (empty for a record known absent), so a write stores only what changed.
    known_refs: HashMap<RecordKey, Vec<(String, String)>>,
    /// Live records this transaction has read, prefetched or written (`None`: known absent),
    /// so a push reads each once.
    records: HashMap<RecordKey, Option<StoredRecord>>,
    /// Records written or removed in `records` but not yet in the database. They are stored
    /// together, a few statements for a whole push, by [`SqlStore::flush_records`], which
    /// runs before any other statement (so every query sees them) and before the commit.
    unwritten: BTreeSet<RecordKey>,
    /// Tombstones likewise.
    tombstones: HashMap<RecordKey, Option<Tombstone>>,
    /// Ids known not to be erased.
    not_erased: HashSet<RecordId>,
    /// The open conflicts of records a write transaction has prefetched or asked about, kept
    /// up to date by its own conflict writes, so a push reads them for all its records at
    /// once rather than once for every field it sets.
    open_conflicts: HashMap<RecordKey, Vec<StoredConflict>>,
    /// Feed entries written by this transaction, stored together by [`SqlStore::flush_feed`]
    /// before it commits (nothing in a write transaction reads the feed).
    feed: Vec<(Version, FeedEntry)>,
}

type Q<'q> = Query<'q, Any, AnyArguments<'q>>;

/// Most rows one multi-row `INSERT` carries (SQLite allows 32,766 parameters).
const ROWS_PER_INSERT: usize = 500;

impl SqlStore<'_> {
    /// Keeps what was read of a record for the rest of the transaction, with its references
    /// (for a write of the same record later: see `put_record`).
    fn remember(&mut self, key: RecordKey, stored: Option<StoredRecord>) {
        if self.access == Access::Write {
            // A record's references live and die with it, so an absent one has none.
            let refs = stored
                .as_ref()
                .map(|stored| references(&stored.record))
                .unwrap_or_default();
            self.known_refs.insert(key, refs);
        }
        self.records.insert(key, stored);
    }

    /// Reads the open conflicts of the records `keys` not known yet: one statement per
    /// collection and few hundred records (the index leads with the collection).
    fn prefetch_open_conflicts(&mut self, keys: &[RecordKey]) -> Result<(), StoreError> {
        let mut wanted: BTreeMap<Collection, Vec<String>> = BTreeMap::new();
        for key in keys {
            if !self.open_conflicts.contains_key(key) {
                wanted
                    .entry(key.collection)
                    .or_default()
                    .push(key.id.to_string());
            }
        }
        for (collection, mut ids) in wanted {
            ids.sort();
            ids.dedup();
            for chunk in ids.chunks(ROWS_PER_INSERT) {
                let sql = positional(
                    self.backend,
                    format!(
                        "SELECT body FROM conflicts WHERE collection = $1 AND is_open = 1 \
                         AND record_id IN ({})",
                        placeholders(2, chunk.len())
                    ),
                );
                let mut query = sqlx::query_as::<_, (String,)>(&sql).bind(collection.to_string());
                for id in chunk {
                    query = query.bind(id.clone());
                }
                let rows = self.rt.block_on(query.fetch_all(&mut *self.conn))?;
                for id in chunk {
                    self.open_conflicts.insert(
                        RecordKey {
                            collection,
                            id: parse_record_id(id)?,
                        },
                        Vec::new(),
                    );
                }
                for (body,) in rows {
                    let stored: StoredConflict = from_json("conflict", &body)?;
                    self.open_conflicts
                        .entry(stored.conflict.key)
                        .or_default()
                        .push(stored);
                }
            }
        }
        Ok(())
    }

    fn read_tombstone(&mut self, key: RecordKey) -> Result<Option<Tombstone>, StoreError> {
        let Some(row) = self.optional(
            sqlx::query("SELECT version, body FROM tombstones WHERE collection = $1 AND id = $2")
                .bind(key.collection.to_string())
                .bind(key.id.to_string()),
        )?
        else {
            return Ok(None);
        };
        Ok(Some(Tombstone {
            record: from_json("tombstone", &row.try_get::<String, _>("body")?)?,
            version: version_of(&row, "version")?,
        }))
    }

    fn write_tombstone(&mut self, key: RecordKey, tombstone: Tombstone) -> Result<(), StoreError> {
        self.execute(
            sqlx::query("DELETE FROM tombstone_refs WHERE collection = $1 AND id = $2")
                .bind(key.collection.to_string())
                .bind(key.id.to_string()),
        )?;
        self.execute(
            sqlx::query(
                "INSERT INTO tombstones (collection, id, about, version, body) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (collection, id) DO UPDATE SET about = excluded.about, \
                 version = excluded.version, body = excluded.body",
            )
            .bind(key.collection.to_string())
            .bind(key.id.to_string())
            .bind(about(&tombstone.record))
            .bind(db_version(tombstone.version))
            .bind(to_json(&tombstone.record)),
        )?;
        let refs: Vec<_> = references(&tombstone.record)
            .into_iter()
            .map(|(field, target)| (key, field, target))
            .collect();
        self.insert_refs("tombstone_refs", &refs)
    }

    // Every statement goes through these four, which first store the records this
    // transaction has written, so no query can miss them.

    pub(crate) fn optional(&mut self, query: Q<'_>) -> Result<Option<AnyRow>, StoreError> {
        self.flush_records()?;
        Ok(self.rt.block_on(query.fetch_optional(&mut *self.conn))?)
    }

    fn one(&mut self, query: Q<'_>) -> Result<AnyRow, StoreError> {
        self.flush_records()?;
        Ok(self.rt.block_on(query.fetch_one(&mut *self.conn))?)
    }

    pub(crate) fn all(&mut self, query: Q<'_>) -> Result<Vec<AnyRow>, StoreError> {
        self.flush_records()?;
        Ok(self.rt.block_on(query.fetch_all(&mut *self.conn))?)
    }

    pub(crate) fn execute(&mut self, query: Q<'_>) -> Result<(), StoreError> {
        self.flush_records()?;
        self.execute_now(query)
    }

    fn execute_now(&mut self, query: Q<'_>) -> Result<(), StoreError> {
        self.rt.block_on(query.execute(&mut *self.conn))?;
        Ok(())
    }

    /// Stores the records written since the last flush: for a whole push, one statement per
    /// few hundred records upserted, removed, and reference rows deleted or inserted. Only
    /// references that changed are written where what the database holds is known (see
    /// `known_refs`), so adding one member to a list of thousands writes one row.
    fn flush_records(&mut self) -> Result<(), StoreError> {
        if self.unwritten.is_empty() {
            return Ok(());
        }
        let mut upserts = Vec::new();
        let mut removals = Vec::new();
        let mut all_refs_gone = Vec::new();
        let mut refs_gone = Vec::new();
        let mut refs_added = Vec::new();
        for key in std::mem::take(&mut self.unwritten) {
            let stored = self.records.get(&key).and_then(Option::as_ref);
            let refs = stored
                .map(|stored| references(&stored.record))
                .unwrap_or_default();
            match self.known_refs.get(&key) {
                Some(old) => {
                    refs_gone.extend(
                        old.iter()
                            .filter(|r| refs.binary_search(r).is_err())
                            .map(|(field, target)| (key, field.clone(), target.clone())),
                    );
                    refs_added.extend(
                        refs.iter()
                            .filter(|r| old.binary_search(r).is_err())
                            .map(|(field, target)| (key, field.clone(), target.clone())),
                    );
                }
                None => {
                    all_refs_gone.push(key);
                    refs_added.extend(
                        refs.iter()
                            .map(|(field, target)| (key, field.clone(), target.clone())),
                    );
                }
            }
            match stored {
                Some(stored) => upserts.push(record_row(stored)),
                None => removals.push(key),
            }
            self.known_refs.insert(key, refs);
        }
        for chunk in removals.chunks(ROWS_PER_INSERT) {
            self.delete_keys("records", chunk)?;
        }
        for chunk in all_refs_gone.chunks(ROWS_PER_INSERT) {
            self.delete_keys("record_refs", chunk)?;
        }
        for chunk in refs_gone.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                multi_row_insert(
                    "DELETE FROM record_refs WHERE (collection, id, field, target) IN (VALUES ",
                    4,
                    chunk.len(),
                ) + ")",
            );
            self.execute_now(bind_refs(sqlx::query(&sql), chunk))?;
        }
        self.insert_refs("record_refs", &refs_added)?;
        let mut upserts = upserts.into_iter().peekable();
        while upserts.peek().is_some() {
            let chunk: Vec<RecordRow> = upserts.by_ref().take(ROWS_PER_INSERT).collect();
            let sql = positional(
                self.backend,
                multi_row_insert(
                    "INSERT INTO records (collection, id, created_by, about, area, body, writers) \
                 VALUES ",
                    7,
                    chunk.len(),
                ) + " ON CONFLICT (collection, id) DO UPDATE SET created_by = excluded.created_by, \
                 about = excluded.about, area = excluded.area, body = excluded.body, \
                 writers = excluded.writers",
            );
            let mut query = sqlx::query(&sql);
            // Moved into the statement, not copied: bodies are the bulk of a push's bytes.
            for row in chunk {
                query = query
                    .bind(row.collection)
                    .bind(row.id)
                    .bind(row.created_by)
                    .bind(row.about)
                    .bind(row.area)
                    .bind(row.body)
                    .bind(row.writers);
            }
            self.execute_now(query)?;
        }
        Ok(())
    }

    /// Deletes the rows of `table` (keyed by `collection` and `id`) of `keys`.
    fn delete_keys(&mut self, table: &str, keys: &[RecordKey]) -> Result<(), StoreError> {
        let sql = positional(
            self.backend,
            multi_row_insert(
                &format!("DELETE FROM {table} WHERE (collection, id) IN (VALUES "),
                2,
                keys.len(),
            ) + ")",
        );
        let mut query = sqlx::query(&sql);
        for key in keys {
            query = query
                .bind(key.collection.to_string())
                .bind(key.id.to_string());
        }
        self.execute_now(query)
    }

    /// Inserts `(collection, id, field, target)` rows into `table` (`record_refs` or
    /// `tombstone_refs`), a few hundred per statement.
    fn insert_refs(
        &mut self,
        table: &str,
        refs: &[(RecordKey, String, String)],
    ) -> Result<(), StoreError> {
        for chunk in refs.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                multi_row_insert(
                    &format!("INSERT INTO {table} (collection, id, field, target) VALUES "),
                    4,
                    chunk.len(),
                ),
            );
            self.execute_now(bind_refs(sqlx::query(&sql), chunk))?;
        }
        Ok(())
    }

    fn bump_area_generation(&mut self) -> Result<(), StoreError> {
        self.wrote_areas = true;
        // A write transaction holds the writers' lock, so nobody else moves it meanwhile.
        self.area_generation = self.area_generation.map(|g| g + 1);
        self.execute(sqlx::query(
            "UPDATE sync_head SET area_generation = area_generation + 1 WHERE id = 1",
        ))
    }

    /// The head's version, noting its area generation for [`ServerStore::area_tree`].
    fn read_head(&mut self, sql: &'static str) -> Result<Version, StoreError> {
        let row = self.one(sqlx::query(sql))?;
        self.area_generation = Some(row.try_get("area_generation")?);
        version_of(&row, "version")
    }

    fn keys(&mut self, query: Q<'_>) -> Result<Vec<RecordKey>, StoreError> {
        self.all(query)?.iter().map(read_key).collect()
    }

    fn ids(&mut self, query: Q<'_>, column: &str) -> Result<Vec<RecordId>, StoreError> {
        self.all(query)?
            .iter()
            .map(|row| parse_record_id(&row.try_get::<String, _>(column)?))
            .collect()
    }

    /// Every way `record_refs` differs from what the live records' fields refer to (a row
    /// missing or one too many), as sentences: empty when the index is true. The store keeps
    /// it in step with each write, writing only what changed; the tests check it here.
    pub fn reference_index_drift(&mut self) -> Result<Vec<String>, StoreError> {
        let mut expected = BTreeSet::new();
        for row in self.all(sqlx::query("SELECT body, writers FROM records"))? {
            let record = read_stored(&row)?.record;
            let key = RecordKey {
                collection: record.collection,
                id: record.id,
            };
            for (field, target) in references(&record) {
                expected.insert((
                    key.collection.to_string(),
                    key.id.to_string(),
                    field,
                    target,
                ));
            }
        }
        let mut held = BTreeSet::new();
        for row in self.all(sqlx::query(
            "SELECT collection, id, field, target FROM record_refs",
        ))? {
            held.insert((
                row.try_get::<String, _>("collection")?,
                row.try_get::<String, _>("id")?,
                row.try_get::<String, _>("field")?,
                row.try_get::<String, _>("target")?,
            ));
        }
        let missing = expected
            .difference(&held)
            .map(|r| format!("missing: {r:?}"));
        let extra = held.difference(&expected).map(|r| format!("extra: {r:?}"));
        Ok(missing.chain(extra).collect())
    }

    /// Who wrote each field of a record, from its `writers` column: only a write needs it
    /// (to attribute a conflict), so a read transaction, which sends records and never
    /// writes, leaves it empty rather than decode it for every record of a page.
    fn writers_from(
        &self,
        json: &str,
    ) -> Result<
        BTreeMap<organise_core::record::FieldName, organise_core::sync::server::Writer>,
        StoreError,
    > {
        match self.access {
            Access::Write => writers::decode(json),
            Access::Read => Ok(BTreeMap::new()),
        }
    }

    /// The `writers` column as a query reads it: a read transaction leaves it unread (see
    /// [`SqlStore::writers_from`]), so the database does not copy it out for every record.
    fn writers_column(&self) -> &'static str {
        match self.access {
            Access::Write => "writers",
            Access::Read => "'{}' AS writers",
        }
    }

    /// The live records of `collection` placed in any of `areas` (exactly, not below), as
    /// they stand. For reviews over an admin's areas; sync reads through the core's store.
    pub fn records_in_areas(
        &mut self,
        collection: Collection,
        areas: &[AreaId],
    ) -> Result<Vec<Record>, StoreError> {
        let mut records = Vec::new();
        for chunk in areas.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                format!(
                    "SELECT body, '{{}}' AS writers FROM records \
                     WHERE collection = $1 AND area IN ({})",
                    placeholders(2, chunk.len())
                ),
            );
            let mut query = sqlx::query(&sql).bind(collection.to_string());
            for area in chunk {
                query = query.bind(area.to_string());
            }
            records.extend(self.records(query)?);
        }
        Ok(records)
    }

    /// The live people placed in any of `areas` (exactly, not below) whose phone is `phone` or
    /// whose email is `email` in any case (both as a person's record normalises them): those a
    /// reply through a public link may come from. The database compares the values inside the
    /// records' bodies, so no body but theirs is read; the caller decides among them by core's
    /// rule. (SQLite lower-cases ASCII letters only, so an email differing from the one held
    /// only in the case of a letter beyond ASCII is missed there, and taken for someone new.)
    pub fn people_reached_by(
        &mut self,
        areas: &[AreaId],
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<Vec<Record>, StoreError> {
        let text = |field: &str| self.body_text(field);
        let mut wanted = Vec::new();
        let mut values = Vec::new();
        if let Some(phone) = phone {
            wanted.push(format!("{} = ${}", text("phone"), 2 + wanted.len()));
            values.push(phone.to_owned());
        }
        if let Some(email) = email {
            wanted.push(format!(
                "lower({}) = lower(${})",
                text("email"),
                2 + wanted.len()
            ));
            values.push(email.to_owned());
        }
        if wanted.is_empty() {
            return Ok(Vec::new());
        }
        let mut people = Vec::new();
        for chunk in areas.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                format!(
                    "SELECT body, '{{}}' AS writers FROM records \
                     WHERE collection = $1 AND ({}) AND area IN ({})",
                    wanted.join(" OR "),
                    placeholders(2 + values.len(), chunk.len())
                ),
            );
            let mut query = sqlx::query(&sql).bind(Collection::Person.to_string());
            for value in &values {
                query = query.bind(value.clone());
            }
            for area in chunk {
                query = query.bind(area.to_string());
            }
            people.extend(self.records(query)?);
        }
        Ok(people)
    }

    /// The live people placed in any of `areas` (exactly, not below) who have a phone or an
    /// email: those a sign-in kit may recognise. At most `limit` of them, in the order of their
    /// ids within each batch of areas. The database looks inside the records' bodies, so no
    /// body but theirs is read.
    pub fn people_with_contact_in(
        &mut self,
        areas: &[AreaId],
        limit: usize,
    ) -> Result<Vec<Record>, StoreError> {
        let reachable = format!(
            "({} IS NOT NULL OR {} IS NOT NULL)",
            self.body_text("phone"),
            self.body_text("email")
        );
        let mut people = Vec::new();
        for chunk in areas.chunks(ROWS_PER_INSERT) {
            let left = limit - people.len();
            if left == 0 {
                break;
            }
            let sql = positional(
                self.backend,
                format!(
                    "SELECT body, '{{}}' AS writers FROM records \
                     WHERE collection = $1 AND {reachable} AND area IN ({}) \
                     ORDER BY id LIMIT {left}",
                    placeholders(2, chunk.len())
                ),
            );
            let mut query = sqlx::query(&sql).bind(Collection::Person.to_string());
            for area in chunk {
                query = query.bind(area.to_string());
            }
            people.extend(self.records(query)?);
        }
        Ok(people)
    }

    /// The SQL for the text a record's `field` holds, read from its body (null for any other
    /// value, or none).
    fn body_text(&self, field: &str) -> String {
        match self.backend {
            Backend::Sqlite => format!("json_extract(body, '$.fields.{field}.value.text')"),
            Backend::Postgres => {
                format!("(body::json -> 'fields' -> '{field}' -> 'value' ->> 'text')")
            }
        }
    }

    /// Appends an audit entry in this transaction, so it commits with what it records.
    pub fn audit(&mut self, entry: &crate::audit::AuditEntry) -> Result<(), StoreError> {
        self.execute(entry.insert())
    }

    fn records(&mut self, query: Q<'_>) -> Result<Vec<Record>, StoreError> {
        self.all(query)?
            .iter()
            .map(|row| Ok(read_stored(row)?.record))
            .collect()
    }
}

/// The query for `user`'s live role assignments.
fn role_assignments_of(user: UserId) -> Q<'static> {
    sqlx::query(
        "SELECT r.body, r.writers FROM record_refs f \
         JOIN records r ON r.collection = f.collection AND r.id = f.id \
         WHERE f.target = $1 AND f.field = 'user' AND f.collection = $2",
    )
    .bind(user.to_string())
    .bind(Collection::RoleAssignment.to_string())
}

/// The role assignment records of `user` among `rows`, whose `body` column holds role
/// assignments (the rows of [`role_assignments_of`]); a row whose `body` is null is none.
pub fn role_assignments_from(rows: &[AnyRow], user: UserId) -> Result<Vec<Record>, StoreError> {
    let mut records = Vec::with_capacity(rows.len());
    for row in rows {
        if row.try_get::<Option<String>, _>("body")?.is_none() {
            continue;
        }
        let record = read_stored_without_writers(row)?.record;
        if ActorFacts::is_role_of(&record, user) {
            records.push(record);
        }
    }
    Ok(records)
}

/// `sql` with its numbered parameters (`$1`, `$2`, … in order, each once) written as SQLite
/// wants them for speed: plain `?`, which the driver binds by position. A `$n` costs a
/// search through the statement's parameter names per parameter bound, quadratic in the
/// few thousand parameters of a multi-row statement.
fn positional(backend: Backend, sql: String) -> String {
    match backend {
        Backend::Postgres => sql,
        Backend::Sqlite => {
            let mut out = String::with_capacity(sql.len());
            let mut chars = sql.chars().peekable();
            while let Some(c) = chars.next() {
                if c == '$' && chars.peek().is_some_and(char::is_ascii_digit) {
                    while chars.peek().is_some_and(char::is_ascii_digit) {
                        chars.next();
                    }
                    out.push('?');
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// `n` numbered parameters from `$first`, separated by commas (for `IN (…)`).
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(",")
}

/// `prefix` followed by `rows` groups of `columns` numbered parameters.
fn multi_row_insert(prefix: &str, columns: usize, rows: usize) -> String {
    let mut sql = String::from(prefix);
    for row in 0..rows {
        if row > 0 {
            sql.push(',');
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("${}", row * columns + column + 1));
        }
        sql.push(')');
    }
    sql
}

/// The columns of one `records` row.
struct RecordRow {
    collection: String,
    id: String,
    created_by: String,
    about: Option<String>,
    area: String,
    body: String,
    writers: String,
}

fn record_row(stored: &StoredRecord) -> RecordRow {
    let key = stored.key();
    RecordRow {
        collection: key.collection.to_string(),
        id: key.id.to_string(),
        created_by: stored.record.created_by.to_string(),
        about: about(&stored.record),
        area: stored.record.area.to_string(),
        body: json_with_capacity(&stored.synced, RECORD_JSON_CAPACITY),
        writers: writers::encode(&stored.writers),
    }
}

/// Room reserved for a record's JSON before it is written, so a typical record is written
/// into its buffer without growing it.
const RECORD_JSON_CAPACITY: usize = 2048;

/// `value` as JSON, written into a buffer of `capacity` bytes to begin with.
fn json_with_capacity<T: Serialize>(value: &T, capacity: usize) -> String {
    let mut bytes = Vec::with_capacity(capacity);
    serde_json::to_writer(&mut bytes, value).expect("sync state serialises to JSON");
    String::from_utf8(bytes).expect("JSON is UTF-8")
}

/// Binds `(collection, id, field, target)` for each of `refs`.
fn bind_refs<'q>(mut query: Q<'q>, refs: &[(RecordKey, String, String)]) -> Q<'q> {
    for (key, field, target) in refs {
        query = query
            .bind(key.collection.to_string())
            .bind(key.id.to_string())
            .bind(field.clone())
            .bind(target.clone());
    }
    query
}

fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("sync state serialises to JSON")
}

fn from_json<T: DeserializeOwned>(what: &'static str, text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt {
        what,
        detail: e.to_string(),
    })
}

fn parse_record_id(text: &str) -> Result<RecordId, StoreError> {
    text.parse().map_err(|_| StoreError::Corrupt {
        what: "id",
        detail: format!("{text:?} is not a UUID"),
    })
}

fn parse_collection(text: &str) -> Result<Collection, StoreError> {
    Collection::ALL
        .into_iter()
        .find(|c| c.to_string() == text)
        .ok_or_else(|| StoreError::Corrupt {
            what: "collection",
            detail: format!("{text:?} is not a collection"),
        })
}

fn version_of(row: &AnyRow, column: &str) -> Result<Version, StoreError> {
    let version: i64 = row.try_get(column)?;
    u64::try_from(version)
        .map(Version)
        .map_err(|_| StoreError::Corrupt {
            what: "version",
            detail: format!("{version} is negative"),
        })
}

fn db_version(version: Version) -> i64 {
    i64::try_from(version.0).expect("versions stay below 2^63")
}

fn read_key(row: &AnyRow) -> Result<RecordKey, StoreError> {
    Ok(RecordKey {
        collection: parse_collection(&row.try_get::<String, _>("collection")?)?,
        id: parse_record_id(&row.try_get::<String, _>("id")?)?,
    })
}

fn read_stored(row: &AnyRow) -> Result<StoredRecord, StoreError> {
    let mut stored = read_stored_without_writers(row)?;
    stored.writers = writers::decode(&row.try_get::<String, _>("writers")?)?;
    Ok(stored)
}

fn read_stored_without_writers(row: &AnyRow) -> Result<StoredRecord, StoreError> {
    let synced: SyncedRecord = from_json("record", &row.try_get::<String, _>("body")?)?;
    Ok(StoredRecord {
        record: synced.to_record(),
        synced,
        writers: BTreeMap::new(),
    })
}

/// The `(field, target id)` pairs a record's fields refer to.
fn references(record: &Record) -> Vec<(String, String)> {
    let mut refs: Vec<(String, String)> = record
        .fields
        .iter()
        .flat_map(|(field, value)| {
            value
                .ids()
                .into_iter()
                .map(move |id| (field.to_string(), id.to_string()))
        })
        .collect();
    refs.sort();
    refs.dedup();
    refs
}

/// The person a record is about, for collections that have one.
fn about(record: &Record) -> Option<String> {
    record.about().map(|id| id.to_string())
}

/// The text key of a feed entity (unique in `sync_feed`).
fn entity_key(entity: FeedEntity) -> String {
    match entity {
        FeedEntity::Record(key) => format!("record/{}/{}", key.collection, key.id),
        FeedEntity::Conflict(id) => format!("conflict/{}", id.0),
        FeedEntity::Erasure(version) => format!("erasure/{}", version.0),
    }
}

fn conflict_targets(conflict: &StoredConflict) -> Vec<String> {
    let c = &conflict.conflict;
    let mut targets: Vec<String> = std::iter::once(c.key.id)
        .chain(c.overwritten.value.ids())
        .chain(c.winner.value.ids())
        .map(|id| id.to_string())
        .collect();
    targets.sort();
    targets.dedup();
    targets
}

impl ServerStore for SqlStore<'_> {
    type Error = StoreError;

    fn lock_version(&mut self) -> Result<Version, StoreError> {
        self.read_head(match self.backend {
            Backend::Postgres => {
                "SELECT version, area_generation FROM sync_head WHERE id = 1 FOR UPDATE"
            }
            // The transaction began with `BEGIN IMMEDIATE`, which holds the database's lock.
            Backend::Sqlite => "SELECT version, area_generation FROM sync_head WHERE id = 1",
        })
    }

    fn current_version(&mut self) -> Result<Version, StoreError> {
        self.read_head("SELECT version, area_generation FROM sync_head WHERE id = 1")
    }

    fn set_version(&mut self, version: Version) -> Result<(), StoreError> {
        self.flush_feed()?;
        self.execute(
            sqlx::query("UPDATE sync_head SET version = $1 WHERE id = 1").bind(db_version(version)),
        )
    }

    fn record(&mut self, key: RecordKey) -> Result<Option<StoredRecord>, StoreError> {
        if let Some(known) = self.records.get(&key) {
            return Ok(known.clone());
        }
        let sql = format!(
            "SELECT body, {} FROM records WHERE collection = $1 AND id = $2",
            self.writers_column()
        );
        let stored = self
            .optional(
                sqlx::query(&sql)
                    .bind(key.collection.to_string())
                    .bind(key.id.to_string()),
            )?
            .map(|row| {
                let mut stored = read_stored_without_writers(&row)?;
                stored.writers = self.writers_from(&row.try_get::<String, _>("writers")?)?;
                Ok::<_, StoreError>(stored)
            })
            .transpose()?;
        self.remember(key, stored.clone());
        Ok(stored)
    }

    fn take_record(&mut self, key: RecordKey) -> Result<Option<StoredRecord>, StoreError> {
        // A read transaction writes nothing, so it hands over what it read rather than
        // cloning it; asked again, it reads the record again from the same snapshot.
        if self.access == Access::Read && matches!(self.records.get(&key), Some(Some(_))) {
            return Ok(self.records.remove(&key).flatten());
        }
        self.record(key)
    }

    fn put_record(&mut self, stored: StoredRecord) -> Result<(), StoreError> {
        let key = stored.key();
        self.records.insert(key, Some(stored));
        self.unwritten.insert(key);
        if key.collection == Collection::Area {
            self.bump_area_generation()?;
        }
        Ok(())
    }

    fn remove_record(&mut self, key: RecordKey) -> Result<(), StoreError> {
        self.records.insert(key, None);
        self.unwritten.insert(key);
        if key.collection == Collection::Area {
            self.bump_area_generation()?;
        }
        Ok(())
    }

    fn tombstone(&mut self, key: RecordKey) -> Result<Option<Tombstone>, StoreError> {
        if let Some(known) = self.tombstones.get(&key) {
            return Ok(known.clone());
        }
        let tombstone = self.read_tombstone(key)?;
        self.tombstones.insert(key, tombstone.clone());
        Ok(tombstone)
    }

    fn put_tombstone(&mut self, key: RecordKey, tombstone: Tombstone) -> Result<(), StoreError> {
        self.tombstones.insert(key, Some(tombstone.clone()));
        self.write_tombstone(key, tombstone)
    }

    fn remove_tombstone(&mut self, key: RecordKey) -> Result<(), StoreError> {
        self.tombstones.insert(key, None);
        for sql in [
            "DELETE FROM tombstone_refs WHERE collection = $1 AND id = $2",
            "DELETE FROM tombstones WHERE collection = $1 AND id = $2",
        ] {
            self.execute(
                sqlx::query(sql)
                    .bind(key.collection.to_string())
                    .bind(key.id.to_string()),
            )?;
        }
        Ok(())
    }

    fn prefetch(&mut self, keys: &[RecordKey], ids: &[RecordId]) -> Result<(), StoreError> {
        self.flush_records()?;
        let mut wanted: Vec<String> = keys
            .iter()
            .map(|k| k.id)
            .chain(ids.iter().copied())
            .map(|id| id.to_string())
            .collect();
        wanted.sort();
        wanted.dedup();
        // Records, tombstones and (for a write) erased ids in one statement per chunk: each
        // statement is a round trip to the connection's thread. Rows are told apart by `kind`.
        let write = self.access == Access::Write;
        for chunk in wanted.chunks(ROWS_PER_INSERT) {
            let n = chunk.len();
            let mut sql = format!(
                "SELECT 'record' AS kind, collection, id, body, {writers}, \
                 CAST(NULL AS BIGINT) AS version FROM records WHERE id IN ({records}) \
                 UNION ALL \
                 SELECT 'tombstone', collection, id, body, CAST(NULL AS TEXT), version \
                 FROM tombstones WHERE id IN ({tombstones})",
                writers = self.writers_column(),
                records = placeholders(1, n),
                tombstones = placeholders(1 + n, n),
            );
            if write {
                // Only a write asks whether an id is erased.
                sql.push_str(&format!(
                    " UNION ALL SELECT 'erased', CAST(NULL AS TEXT), id, CAST(NULL AS TEXT), \
                     CAST(NULL AS TEXT), CAST(NULL AS BIGINT) FROM erased_ids WHERE id IN ({})",
                    placeholders(1 + 2 * n, n)
                ));
            }
            let sql = positional(self.backend, sql);
            let mut query = sqlx::query(&sql);
            for _ in 0..if write { 3 } else { 2 } {
                for id in chunk {
                    query = query.bind(id.clone());
                }
            }
            let rows = self.rt.block_on(query.fetch_all(&mut *self.conn))?;
            let mut found = Vec::new();
            let mut erased = HashSet::new();
            for row in &rows {
                let kind: String = row.try_get("kind")?;
                let id: String = row.try_get("id")?;
                if kind == "erased" {
                    erased.insert(id);
                    continue;
                }
                let key = RecordKey {
                    collection: parse_collection(&row.try_get::<String, _>("collection")?)?,
                    id: parse_record_id(&id)?,
                };
                let body: String = row.try_get("body")?;
                if kind == "record" {
                    let synced: SyncedRecord = from_json("record", &body)?;
                    let writers = self.writers_from(&row.try_get::<String, _>("writers")?)?;
                    found.push((
                        key,
                        StoredRecord {
                            record: synced.to_record(),
                            synced,
                            writers,
                        },
                    ));
                    continue;
                }
                self.tombstones.entry(key).or_insert(Some(Tombstone {
                    record: from_json("tombstone", &body)?,
                    version: version_of(row, "version")?,
                }));
            }
            for (key, stored) in found {
                if !self.records.contains_key(&key) {
                    self.remember(key, Some(stored));
                }
            }
            if write {
                for id in chunk.iter().filter(|id| !erased.contains(*id)) {
                    self.not_erased.insert(parse_record_id(id)?);
                }
            }
        }
        if self.access == Access::Write {
            self.prefetch_open_conflicts(keys)?;
        }
        // What was asked for by key and not found is known to be absent.
        for key in keys {
            if !self.records.contains_key(key) {
                self.remember(*key, None);
            }
            self.tombstones.entry(*key).or_insert(None);
        }
        Ok(())
    }

    fn area_records(&mut self) -> Result<Vec<Record>, StoreError> {
        self.records(
            sqlx::query("SELECT body, writers FROM records WHERE collection = $1")
                .bind(Collection::Area.to_string()),
        )
    }

    fn area_tree(&mut self) -> Result<Arc<AreaTree>, StoreError> {
        let generation = match self.area_generation {
            Some(generation) => generation,
            None => {
                let row = self.one(sqlx::query(
                    "SELECT area_generation FROM sync_head WHERE id = 1",
                ))?;
                let generation: i64 = row.try_get("area_generation")?;
                self.area_generation = Some(generation);
                generation
            }
        };
        let wrote_areas = self.wrote_areas;
        if wrote_areas {
            if let Some((built_at, tree)) = &self.local_tree
                && *built_at == generation
            {
                return Ok(tree.clone());
            }
        } else if let Some((built_at, tree)) = &*self.trees.0.lock().expect("tree cache lock")
            && *built_at == generation
        {
            return Ok(tree.clone());
        }
        let tree = Arc::new(tree_of(&self.area_records()?));
        if wrote_areas {
            self.local_tree = Some((generation, tree.clone()));
        } else {
            *self.trees.0.lock().expect("tree cache lock") = Some((generation, tree.clone()));
        }
        Ok(tree)
    }

    fn standing_of(&mut self, user: UserId) -> Result<ActorFacts, StoreError> {
        // One round trip for the four kinds, each branch on the `record_refs` index by
        // target: rows are told apart by `kind`, and carry a record's body or an id.
        let sql = positional(
            self.backend,
            "SELECT 'role' AS kind, r.body AS body, CAST(NULL AS TEXT) AS target \
             FROM record_refs f JOIN records r ON r.collection = f.collection AND r.id = f.id \
             WHERE f.target = $1 AND f.field = 'user' AND f.collection = $2 \
             UNION ALL \
             SELECT 'list', r.body, CAST(NULL AS TEXT) \
             FROM record_refs f JOIN records r ON r.collection = f.collection AND r.id = f.id \
             WHERE f.target = $3 AND f.field = 'assignees' AND f.collection = $4 \
             UNION ALL \
             SELECT 'meeting', CAST(NULL AS TEXT), id FROM record_refs \
             WHERE target = $5 AND field = 'host' AND collection = $6 \
             UNION ALL \
             SELECT 'attendee', CAST(NULL AS TEXT), person.target FROM record_refs host \
             JOIN record_refs meeting ON meeting.target = host.id \
               AND meeting.field = 'meeting' AND meeting.collection = $7 \
             JOIN record_refs person ON person.collection = meeting.collection \
               AND person.id = meeting.id AND person.field = 'person' \
             WHERE host.target = $8 AND host.field = 'host' AND host.collection = $9"
                .to_owned(),
        );
        let user_id = user.to_string();
        let rows = self.all(
            sqlx::query(&sql)
                .bind(user_id.clone())
                .bind(Collection::RoleAssignment.to_string())
                .bind(user_id.clone())
                .bind(Collection::List.to_string())
                .bind(user_id.clone())
                .bind(Collection::Meeting.to_string())
                .bind(Collection::Attendance.to_string())
                .bind(user_id)
                .bind(Collection::Meeting.to_string()),
        )?;
        let mut facts = ActorFacts::default();
        for row in &rows {
            let kind: String = row.try_get("kind")?;
            let record =
                || -> Result<Record, StoreError> { Ok(read_stored_without_writers(row)?.record) };
            let id = || parse_record_id(&row.try_get::<String, _>("target")?);
            match kind.as_str() {
                "role" => {
                    let record = record()?;
                    if ActorFacts::is_role_of(&record, user) {
                        facts.role_assignments.push(record);
                    }
                }
                "list" => {
                    let record = record()?;
                    if ActorFacts::is_list_of(&record, user) {
                        facts.lists.push(record);
                    }
                }
                "meeting" => facts.meetings.push(MeetingId(id()?)),
                _ => facts.attendees.push(PersonId(id()?)),
            }
        }
        Ok(facts)
    }

    fn role_assignments_of(&mut self, user: UserId) -> Result<Vec<Record>, StoreError> {
        let rows = self.all(role_assignments_of(user))?;
        role_assignments_from(&rows, user)
    }

    fn lists_assigned_to(&mut self, user: UserId) -> Result<Vec<Record>, StoreError> {
        let records = self.records(
            sqlx::query(
                "SELECT r.body, r.writers FROM record_refs f \
                 JOIN records r ON r.collection = f.collection AND r.id = f.id \
                 WHERE f.target = $1 AND f.field = 'assignees' AND f.collection = $2",
            )
            .bind(user.to_string())
            .bind(Collection::List.to_string()),
        )?;
        Ok(records
            .into_iter()
            .filter(|r| ActorFacts::is_list_of(r, user))
            .collect())
    }

    fn meetings_hosted_by(&mut self, user: UserId) -> Result<Vec<MeetingId>, StoreError> {
        Ok(self
            .ids(
                sqlx::query(
                    "SELECT id FROM record_refs \
                     WHERE target = $1 AND field = 'host' AND collection = $2",
                )
                .bind(user.to_string())
                .bind(Collection::Meeting.to_string()),
                "id",
            )?
            .into_iter()
            .map(MeetingId)
            .collect())
    }

    fn people_created_by(&mut self, user: UserId) -> Result<Vec<PersonId>, StoreError> {
        Ok(self
            .ids(
                sqlx::query("SELECT id FROM records WHERE created_by = $1 AND collection = $2")
                    .bind(user.to_string())
                    .bind(Collection::Person.to_string()),
                "id",
            )?
            .into_iter()
            .map(PersonId)
            .collect())
    }

    fn people_created_by_among(
        &mut self,
        user: UserId,
        ids: Vec<RecordId>,
    ) -> Result<Vec<PersonId>, StoreError> {
        let mut ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        ids.sort();
        ids.dedup();
        let creator = user.to_string();
        let mut people = Vec::new();
        for chunk in ids.chunks(ROWS_PER_INSERT) {
            // By key, then by creator: asked by creator first, the database would walk every
            // person the user ever created.
            let sql = positional(
                self.backend,
                format!(
                    "SELECT id, created_by FROM records WHERE collection = $1 AND id IN ({})",
                    placeholders(2, chunk.len())
                ),
            );
            let mut query = sqlx::query(&sql).bind(Collection::Person.to_string());
            for id in chunk {
                query = query.bind(id.clone());
            }
            for row in self.all(query)? {
                if row.try_get::<String, _>("created_by")? == creator {
                    people.push(PersonId(parse_record_id(&row.try_get::<String, _>("id")?)?));
                }
            }
        }
        Ok(people)
    }

    fn attendees_of_meetings_hosted_by(
        &mut self,
        user: UserId,
    ) -> Result<Vec<PersonId>, StoreError> {
        Ok(self
            .ids(
                sqlx::query(
                    "SELECT person.target AS person FROM record_refs host \
                     JOIN record_refs meeting ON meeting.target = host.id \
                       AND meeting.field = 'meeting' AND meeting.collection = $3 \
                     JOIN record_refs person ON person.collection = meeting.collection \
                       AND person.id = meeting.id AND person.field = 'person' \
                     WHERE host.target = $1 AND host.field = 'host' AND host.collection = $2",
                )
                .bind(user.to_string())
                .bind(Collection::Meeting.to_string())
                .bind(Collection::Attendance.to_string()),
                "person",
            )?
            .into_iter()
            .map(PersonId)
            .collect())
    }

    fn users_with_roles_in(&mut self, areas: Vec<AreaId>) -> Result<Vec<UserId>, StoreError> {
        let mut users = Vec::new();
        for chunk in areas.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                format!(
                    "SELECT DISTINCT f.target FROM records r \
                 JOIN record_refs f ON f.collection = r.collection AND f.id = r.id \
                 AND f.field = 'user' \
                 WHERE r.collection = $1 AND r.area IN ({})",
                    placeholders(2, chunk.len())
                ),
            );
            let mut query = sqlx::query(&sql).bind(Collection::RoleAssignment.to_string());
            for area in chunk {
                query = query.bind(area.to_string());
            }
            users.extend(self.ids(query, "target")?.into_iter().map(UserId));
        }
        Ok(users)
    }

    fn vouched(
        &mut self,
        token: &str,
        meeting: MeetingId,
        person: PersonId,
    ) -> Result<bool, StoreError> {
        // No key, no kit was ever made: nothing to vouch for.
        let Some(key) = crate::links::existing_key(self, crate::links::Purpose::Kit)? else {
            return Ok(false);
        };
        Ok(crate::links::check_for_kit(&key, token, meeting, person))
    }

    fn records_about(&mut self, person: PersonId) -> Result<Vec<RecordKey>, StoreError> {
        self.keys(
            sqlx::query("SELECT collection, id FROM records WHERE about = $1")
                .bind(person.to_string()),
        )
    }

    fn tombstones_about(&mut self, person: PersonId) -> Result<Vec<RecordKey>, StoreError> {
        self.keys(
            sqlx::query("SELECT collection, id FROM tombstones WHERE about = $1")
                .bind(person.to_string()),
        )
    }

    fn records_mentioning(&mut self, id: RecordId) -> Result<Vec<RecordKey>, StoreError> {
        self.keys(
            sqlx::query("SELECT DISTINCT collection, id FROM record_refs WHERE target = $1")
                .bind(id.to_string()),
        )
    }

    fn tombstones_mentioning(&mut self, id: RecordId) -> Result<Vec<RecordKey>, StoreError> {
        self.keys(
            sqlx::query("SELECT DISTINCT collection, id FROM tombstone_refs WHERE target = $1")
                .bind(id.to_string()),
        )
    }

    fn conflict(&mut self, id: ConflictId) -> Result<Option<StoredConflict>, StoreError> {
        self.optional(
            sqlx::query("SELECT body FROM conflicts WHERE id = $1").bind(conflict_id(id)),
        )?
        .map(|row| from_json("conflict", &row.try_get::<String, _>("body")?))
        .transpose()
    }

    fn put_conflict(&mut self, conflict: StoredConflict) -> Result<(), StoreError> {
        if let Some(open) = self.open_conflicts.get_mut(&conflict.conflict.key) {
            open.retain(|held| held.conflict.id != conflict.conflict.id);
            if conflict.open {
                open.push(conflict.clone());
            }
        }
        let id = conflict_id(conflict.conflict.id);
        self.execute(sqlx::query("DELETE FROM conflict_refs WHERE conflict_id = $1").bind(id))?;
        self.execute(
            sqlx::query(
                "INSERT INTO conflicts (id, collection, record_id, is_open, body) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (id) DO UPDATE SET collection = excluded.collection, \
                 record_id = excluded.record_id, is_open = excluded.is_open, body = excluded.body",
            )
            .bind(id)
            .bind(conflict.conflict.key.collection.to_string())
            .bind(conflict.conflict.key.id.to_string())
            .bind(i64::from(conflict.open))
            .bind(to_json(&conflict)),
        )?;
        let targets = conflict_targets(&conflict);
        for chunk in targets.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                multi_row_insert(
                    "INSERT INTO conflict_refs (conflict_id, target) VALUES ",
                    2,
                    chunk.len(),
                ),
            );
            let mut query = sqlx::query(&sql);
            for target in chunk {
                query = query.bind(id).bind(target.clone());
            }
            self.execute(query)?;
        }
        Ok(())
    }

    fn remove_conflict(&mut self, id: ConflictId) -> Result<(), StoreError> {
        for open in self.open_conflicts.values_mut() {
            open.retain(|held| held.conflict.id != id);
        }
        let id = conflict_id(id);
        self.execute(sqlx::query("DELETE FROM conflict_refs WHERE conflict_id = $1").bind(id))?;
        self.execute(sqlx::query("DELETE FROM conflicts WHERE id = $1").bind(id))
    }

    fn open_conflicts_of(&mut self, key: RecordKey) -> Result<Vec<StoredConflict>, StoreError> {
        if let Some(open) = self.open_conflicts.get(&key) {
            return Ok(open.clone());
        }
        if self.access == Access::Write {
            self.prefetch_open_conflicts(&[key])?;
            return Ok(self.open_conflicts[&key].clone());
        }
        self.all(
            sqlx::query(
                "SELECT body FROM conflicts WHERE collection = $1 AND record_id = $2 AND is_open = 1",
            )
            .bind(key.collection.to_string())
            .bind(key.id.to_string()),
        )?
        .iter()
        .map(|row| from_json("conflict", &row.try_get::<String, _>("body")?))
        .collect()
    }

    fn conflicts_mentioning(&mut self, id: RecordId) -> Result<Vec<ConflictId>, StoreError> {
        self.all(
            sqlx::query("SELECT conflict_id FROM conflict_refs WHERE target = $1")
                .bind(id.to_string()),
        )?
        .iter()
        .map(|row| {
            let id: i64 = row.try_get("conflict_id")?;
            Ok(ConflictId(id as u64))
        })
        .collect()
    }

    fn client_log(&mut self, client: ClientId) -> Result<Option<ClientLog>, StoreError> {
        self.optional(
            sqlx::query("SELECT body FROM sync_clients WHERE client_id = $1")
                .bind(client.0.to_string()),
        )?
        .map(|row| from_json("client log", &row.try_get::<String, _>("body")?))
        .transpose()
    }

    fn put_client_log(&mut self, client: ClientId, log: ClientLog) -> Result<(), StoreError> {
        self.execute(
            sqlx::query(
                "INSERT INTO sync_clients (client_id, user_id, body) VALUES ($1, $2, $3) \
                 ON CONFLICT (client_id) DO UPDATE SET user_id = excluded.user_id, body = excluded.body",
            )
            .bind(client.0.to_string())
            .bind(log.user.to_string())
            .bind(to_json(&log)),
        )
    }

    fn any_erased(&mut self, ids: &[RecordId]) -> Result<bool, StoreError> {
        let unknown: Vec<RecordId> = ids
            .iter()
            .filter(|id| !self.not_erased.contains(id))
            .copied()
            .collect();
        for chunk in unknown.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                format!(
                    "SELECT id FROM erased_ids WHERE id IN ({}) LIMIT 1",
                    placeholders(1, chunk.len())
                ),
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(id.to_string());
            }
            if self.optional(query)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn mark_erased(&mut self, ids: &[RecordId]) -> Result<(), StoreError> {
        for id in ids {
            self.not_erased.remove(id);
        }
        let mut ids: Vec<String> = ids.iter().map(|id| id.to_string()).collect();
        ids.sort();
        ids.dedup();
        for chunk in ids.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                multi_row_insert("INSERT INTO erased_ids (id) VALUES ", 1, chunk.len())
                    + " ON CONFLICT (id) DO NOTHING",
            );
            let mut query = sqlx::query(&sql);
            for id in chunk {
                query = query.bind(id.clone());
            }
            self.execute(query)?;
        }
        Ok(())
    }

    fn erasure(&mut self, version: Version) -> Result<Option<Erasure>, StoreError> {
        self.optional(
            sqlx::query("SELECT body FROM erasures WHERE version = $1").bind(db_version(version)),
        )?
        .map(|row| from_json("erasure", &row.try_get::<String, _>("body")?))
        .transpose()
    }

    fn put_erasure(&mut self, version: Version, erasure: Erasure) -> Result<(), StoreError> {
        self.execute(
            sqlx::query(
                "INSERT INTO erasures (version, body) VALUES ($1, $2) \
                 ON CONFLICT (version) DO UPDATE SET body = excluded.body",
            )
            .bind(db_version(version))
            .bind(to_json(&erasure)),
        )
    }

    fn epoch(&mut self, user: UserId) -> Result<Version, StoreError> {
        match self.optional(
            sqlx::query("SELECT version FROM scope_epochs WHERE user_id = $1")
                .bind(user.to_string()),
        )? {
            Some(row) => version_of(&row, "version"),
            None => Ok(Version(0)),
        }
    }

    fn set_epoch(&mut self, user: UserId, version: Version) -> Result<(), StoreError> {
        self.execute(
            sqlx::query(
                "INSERT INTO scope_epochs (user_id, version) VALUES ($1, $2) \
                 ON CONFLICT (user_id) DO UPDATE SET version = excluded.version",
            )
            .bind(user.to_string())
            .bind(db_version(version)),
        )
    }

    fn tree_epoch(&mut self) -> Result<Version, StoreError> {
        let row = self.one(sqlx::query("SELECT tree_epoch FROM sync_head WHERE id = 1"))?;
        version_of(&row, "tree_epoch")
    }

    fn set_tree_epoch(&mut self, version: Version) -> Result<(), StoreError> {
        self.execute(
            sqlx::query("UPDATE sync_head SET tree_epoch = $1 WHERE id = 1")
                .bind(db_version(version)),
        )
    }

    fn feed_after(
        &mut self,
        after: Version,
        limit: usize,
    ) -> Result<Vec<(Version, FeedEntry)>, StoreError> {
        self.flush_feed()?;
        self.all(
            sqlx::query(
                "SELECT version, kind, collection, target FROM sync_feed \
                 WHERE version > $1 ORDER BY version LIMIT $2",
            )
            .bind(db_version(after))
            .bind(i64::try_from(limit).unwrap_or(i64::MAX)),
        )?
        .iter()
        .map(|row| {
            let version = version_of(row, "version")?;
            let kind: String = row.try_get("kind")?;
            let key = || -> Result<RecordKey, StoreError> {
                Ok(RecordKey {
                    collection: parse_collection(&row.try_get::<String, _>("collection")?)?,
                    id: parse_record_id(&row.try_get::<String, _>("target")?)?,
                })
            };
            let entry = match kind.as_str() {
                "record" => FeedEntry::Record(key()?),
                "tombstone" => FeedEntry::Tombstone(key()?),
                "conflict" => {
                    let target: String = row.try_get("target")?;
                    FeedEntry::Conflict(ConflictId(target.parse().map_err(|_| {
                        StoreError::Corrupt {
                            what: "feed entry",
                            detail: format!("conflict id {target:?}"),
                        }
                    })?))
                }
                "erasure" => FeedEntry::Erasure,
                other => {
                    return Err(StoreError::Corrupt {
                        what: "feed entry",
                        detail: format!("unknown kind {other:?}"),
                    });
                }
            };
            Ok((version, entry))
        })
        .collect()
    }

    fn put_feed_entry(&mut self, version: Version, entry: FeedEntry) -> Result<(), StoreError> {
        self.feed.push((version, entry));
        if self.feed.len() >= ROWS_PER_INSERT {
            self.flush_feed()?;
        }
        Ok(())
    }

    fn remove_feed_entry(&mut self, entity: FeedEntity) -> Result<(), StoreError> {
        self.feed
            .retain(|(version, entry)| entry.entity(*version) != entity);
        self.execute(
            sqlx::query("DELETE FROM sync_feed WHERE entity = $1").bind(entity_key(entity)),
        )
    }
}

impl SqlStore<'_> {
    /// Stores the feed entries this transaction has written, one statement per few hundred
    /// (each entity at its latest version only, as one upsert may not touch a row twice).
    fn flush_feed(&mut self) -> Result<(), StoreError> {
        let mut latest: BTreeMap<FeedEntity, (Version, FeedEntry)> = BTreeMap::new();
        for (version, entry) in std::mem::take(&mut self.feed) {
            let entity = entry.entity(version);
            if latest.get(&entity).is_none_or(|(held, _)| *held < version) {
                latest.insert(entity, (version, entry));
            }
        }
        let mut rows: Vec<(Version, FeedEntry)> = latest.into_values().collect();
        rows.sort_by_key(|(version, _)| *version);
        for chunk in rows.chunks(ROWS_PER_INSERT) {
            let sql = positional(
                self.backend,
                multi_row_insert(
                    "INSERT INTO sync_feed (version, entity, kind, collection, target) VALUES ",
                    5,
                    chunk.len(),
                ) + " ON CONFLICT (entity) DO UPDATE SET version = excluded.version, \
                 kind = excluded.kind, collection = excluded.collection, target = excluded.target",
            );
            let mut query = sqlx::query(&sql);
            for &(version, entry) in chunk {
                let (kind, collection, target) = feed_columns(entry);
                query = query
                    .bind(db_version(version))
                    .bind(entity_key(entry.entity(version)))
                    .bind(kind)
                    .bind(collection)
                    .bind(target);
            }
            self.execute(query)?;
        }
        Ok(())
    }
}

/// The `kind`, `collection` and `target` columns of a feed entry.
fn feed_columns(entry: FeedEntry) -> (&'static str, Option<String>, Option<String>) {
    match entry {
        FeedEntry::Record(key) => (
            "record",
            Some(key.collection.to_string()),
            Some(key.id.to_string()),
        ),
        FeedEntry::Tombstone(key) => (
            "tombstone",
            Some(key.collection.to_string()),
            Some(key.id.to_string()),
        ),
        FeedEntry::Conflict(id) => ("conflict", None, Some(id.0.to_string())),
        FeedEntry::Erasure => ("erasure", None, None),
    }
}

fn conflict_id(id: ConflictId) -> i64 {
    i64::try_from(id.0).expect("conflict ids stay below 2^63")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_binds_numbered_parameters_by_position_and_postgres_keeps_them() {
        let sql = "SELECT a FROM t WHERE b = $1 AND c IN ($2,$3) AND d = '$'".to_owned();
        assert_eq!(
            positional(Backend::Sqlite, sql.clone()),
            "SELECT a FROM t WHERE b = ? AND c IN (?,?) AND d = '$'"
        );
        assert_eq!(positional(Backend::Postgres, sql.clone()), sql);
    }
}
