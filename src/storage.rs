//! The device's own store, in IndexedDB: what the app needs to open and work without signal.
//!
//! The client replica is kept piece by piece, one object store per part (records,
//! conflicts, outbox, rejected, erased) and its scalar state under one key of `meta`, behind
//! [`LocalStore`]: each [`Changes`] is written in one transaction (a user's write with its
//! outbox entry, a pulled page with its cursor), everything is read back with one `getAll`
//! per object store, and a wipe clears every object store in one transaction.
//!
//! Every write goes through a transaction that is committed explicitly
//! (`indexed_db_futures` rolls back a transaction that is dropped uncommitted), so a write
//! either lands whole or not at all.
//!
//! Values are stored as JSON text, written and read by the same `serde_json` code that talks
//! to the server (see [`encode`] and [`decode`]); the erased ids, which are their own keys,
//! are stored as plain strings.

use indexed_db_futures::database::Database;
use indexed_db_futures::error::{Error as DbError, OpenDbError};
use indexed_db_futures::future::GetAllPrimitiveRequest;
use indexed_db_futures::internals::SystemRepr;
use indexed_db_futures::prelude::*;
use indexed_db_futures::primitive::TryToJs;
use indexed_db_futures::transaction::{Transaction, TransactionMode};
use organise_core::id::RecordId;
use organise_core::sync::{Changes, LocalStore, PartChanges, RecordKey, ReplicaParts};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::i18n::t;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::js_sys::{JSON, Map, Object, Reflect};

/// The IndexedDB database the app uses.
pub const DATABASE_NAME: &str = "organise";
/// The schema version; bump it with a new arm in [`upgrade`], or when the way values are
/// written changes (version 3 writes JSON text where version 2 wrote JavaScript objects), so
/// that an older app refuses a store it cannot read instead of misreading it.
const SCHEMA_VERSION: u32 = 3;
/// Small named values: the last session, settings, and the replica's scalar state under
/// [`REPLICA_META`].
pub const META: &str = "meta";
/// The replica's confirmed records, keyed `collection/id`.
pub const RECORDS: &str = "records";
/// The replica's confirmed open conflicts, keyed by conflict id.
pub const CONFLICTS: &str = "conflicts";
/// The replica's pending mutations, keyed by seq.
pub const OUTBOX: &str = "outbox";
/// The replica's rejected mutations, keyed by seq.
pub const REJECTED: &str = "rejected";
/// Every id erased, keyed by itself.
pub const ERASED: &str = "erased";
/// The key in [`META`] under which the replica's scalar state is kept (reserved: do not
/// use it with [`Store::put_meta`]).
pub const REPLICA_META: &str = "replica";
/// Every object store, for loading and wiping.
const ALL_STORES: [&str; 6] = [META, RECORDS, CONFLICTS, OUTBOX, REJECTED, ERASED];

/// Why the device store failed. Its `Display` is a sentence the user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// The browser refused to store more: the device, or the share of it the browser gives
    /// the app, is full. Nothing of the failed write was kept.
    Full,
    /// The browser offers no IndexedDB here (storage disabled, or a private mode that
    /// blocks it).
    Unavailable,
    /// A value could not be stored as IndexedDB data (a key beyond what JavaScript holds
    /// exactly, say), or what is stored could not be read back as the app's data. The
    /// detail is for a bug report.
    Data(String),
    /// Anything else the browser reported, in its words.
    Failed(String),
}

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StorageError::Full => f.write_str(t::app_error_storage_full()),
            StorageError::Unavailable => f.write_str(t::app_error_storage_unavailable()),
            StorageError::Data(detail) => f.write_str(&t::app_error_storage_data(detail)),
            StorageError::Failed(detail) => f.write_str(&t::app_error_storage_failed(detail)),
        }
    }
}

impl std::error::Error for StorageError {}

impl From<DbError> for StorageError {
    fn from(error: DbError) -> StorageError {
        match error {
            DbError::DomException(e) if e.name() == "QuotaExceededError" => StorageError::Full,
            DbError::Serialisation(e) => StorageError::Data(e.to_string()),
            other => StorageError::Failed(other.to_string()),
        }
    }
}

impl From<OpenDbError> for StorageError {
    fn from(error: OpenDbError) -> StorageError {
        match error {
            OpenDbError::NullFactory | OpenDbError::UnsupportedEnvironment => {
                StorageError::Unavailable
            }
            OpenDbError::Base(e) => e.into(),
            other => StorageError::Failed(other.to_string()),
        }
    }
}

/// An open device store.
pub struct Store {
    db: Database,
    /// Closes the connection when another tab needs a newer version of the database; kept
    /// alive as long as the store.
    _on_version_change: Closure<dyn FnMut(web_sys::Event)>,
}

fn upgrade(old_version: f64, db: &Database) -> Result<(), DbError> {
    if old_version < 1.0 {
        db.create_object_store(META).build()?;
    }
    if old_version < 2.0 {
        for name in [RECORDS, CONFLICTS, OUTBOX, REJECTED, ERASED] {
            db.create_object_store(name).build()?;
        }
    }
    // Version 3 changed how values are written, not the object stores: what version 2 wrote
    // is read as it is (see `decode`) and replaced as it is rewritten.
    Ok(())
}

/// A value as it is stored: its JSON text.
fn encode<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, StorageError> {
    serde_json::to_string(value)
        .map(JsValue::from)
        .map_err(|error| StorageError::Data(error.to_string()))
}

/// A stored value read back. Version 3 of the schema stores JSON text; version 2 stored the
/// same data as a JavaScript object (maps as `Map`s, a `None` as a missing property), which
/// `JSON.stringify` turns into that text once its maps are made plain objects. A string is
/// always JSON text: the only bare strings version 2 stored are the erased ids, which
/// [`read_erased`] reads.
fn decode<T: DeserializeOwned>(stored: &JsValue) -> Result<T, StorageError> {
    let text = match stored.as_string() {
        Some(text) => text,
        None => {
            let plain_maps = Closure::<dyn Fn(JsValue, JsValue) -> Result<JsValue, JsValue>>::new(
                |_key, value: JsValue| match value.dyn_into::<Map>() {
                    Ok(map) => Object::from_entries(&map).map(JsValue::from),
                    Err(value) => Ok(value),
                },
            );
            JSON::stringify_with_replacer(stored, plain_maps.as_ref())
                .map_err(|error| StorageError::Data(format!("{error:?}")))?
                .into()
        }
    };
    serde_json::from_str(&text).map_err(|error| StorageError::Data(error.to_string()))
}

/// The key of a record: `collection/id`.
fn record_key(key: &RecordKey) -> String {
    format!("{}/{}", key.collection, key.id)
}

/// A counter (a seq or a conflict id) as a numeric key. IndexedDB keys are JavaScript
/// numbers, exact up to 2^53; a larger one would silently share its key with a neighbour.
fn number_key(n: u64) -> Result<f64, StorageError> {
    const MAX_EXACT: u64 = (1 << 53) - 1;
    if n <= MAX_EXACT {
        Ok(n as f64)
    } else {
        Err(StorageError::Data(format!(
            "{n} is too large for an IndexedDB key"
        )))
    }
}

/// Queues the writes of one part on `store`: clear first, then deletes, then puts. The
/// requests run in order within the transaction, which [`finish`] waits for.
fn queue_part<K, V: Serialize, J: TryToJs>(
    tx: &Transaction<'_>,
    name: &str,
    part: &PartChanges<K, V>,
    key_of: impl Fn(&K) -> Result<J, StorageError>,
) -> Result<(), StorageError> {
    if part.is_empty() {
        return Ok(());
    }
    let store = tx.object_store(name)?;
    if part.clear {
        store.clear()?;
    }
    for key in &part.delete {
        store.delete(key_of(key)?).primitive()?;
    }
    for (key, value) in &part.put {
        store
            .put(encode(value)?)
            .with_key(key_of(key)?)
            .without_key_type()
            .primitive()?;
    }
    Ok(())
}

/// Commits the queued requests and waits for the transaction to end. The requests are not
/// awaited one by one (listening to each of a page's five hundred puts costs more than the
/// writes): a request that fails aborts the transaction, as a full device does, and the
/// transaction's own error then says why.
async fn finish(tx: Transaction<'_>) -> Result<(), StorageError> {
    let raw: JsValue = AsRef::<JsValue>::as_ref(tx.as_sys()).clone();
    tx.commit()
        .await
        .map_err(|error| abort_reason(&raw).unwrap_or_else(|| error.into()))
}

/// The error an aborted transaction records, if any.
fn abort_reason(transaction: &JsValue) -> Option<StorageError> {
    let error = Reflect::get(transaction, &JsValue::from_str("error")).ok()?;
    (!error.is_null() && !error.is_undefined()).then(|| DbError::from(error).into())
}

/// Asks for every value of one object store, in one request.
fn all(tx: &Transaction<'_>, name: &str) -> Result<GetAllPrimitiveRequest<JsValue>, StorageError> {
    Ok(tx.object_store(name)?.get_all().primitive()?)
}

/// The values a `getAll` request read, each read back with `read`.
async fn values<V>(
    request: GetAllPrimitiveRequest<JsValue>,
    read: impl Fn(&JsValue) -> Result<V, StorageError>,
) -> Result<Vec<V>, StorageError> {
    request.await?.map(|value| read(&value?)).collect()
}

/// An erased id as it is stored: its text, which is also its key.
fn read_erased(stored: &JsValue) -> Result<RecordId, StorageError> {
    stored
        .as_string()
        .and_then(|text| text.parse().ok())
        .ok_or_else(|| StorageError::Data(format!("{stored:?} is not an erased id")))
}

impl Store {
    /// Opens the store named `name`, creating or upgrading its schema.
    pub async fn open(name: &str) -> Result<Store, StorageError> {
        Store::open_watched(name, || {}, || {}).await
    }

    /// Opens the database as [`Store::open`] does, and keeps out of the way of other tabs
    /// running another version of the app. While an older tab keeps the database open and
    /// this one must upgrade it, `on_blocked` runs (the open waits until that tab lets go).
    /// When a newer tab needs to upgrade it, this store closes its connection, so the other
    /// tab is never kept waiting, and runs `on_replaced`: nothing more can be saved here
    /// until this tab is reloaded.
    pub async fn open_watched(
        name: &str,
        on_blocked: impl Fn() + 'static,
        on_replaced: impl Fn() + 'static,
    ) -> Result<Store, StorageError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_blocked(move |_| {
                on_blocked();
                Ok(())
            })
            .with_on_upgrade_needed(|event, db| upgrade(event.old_version(), &db))
            .await?;
        let connection = db.as_sys().clone();
        let on_version_change = Closure::<dyn FnMut(web_sys::Event)>::new(move |_| {
            connection.close();
            on_replaced();
        });
        db.as_sys()
            .set_onversionchange(Some(on_version_change.as_ref().unchecked_ref()));
        Ok(Store {
            db,
            _on_version_change: on_version_change,
        })
    }

    /// Stores `value` under `key` in the meta store.
    pub async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(META)?
            .put(encode(value)?)
            .with_key(key.to_owned())
            .without_key_type()
            .primitive()?;
        finish(tx).await
    }

    /// Reads the value under `key` from the meta store.
    pub async fn get_meta<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        let tx = self.db.transaction(META).build()?;
        let stored: Option<JsValue> = tx.object_store(META)?.get(key).primitive()?.await?;
        stored.as_ref().map(decode).transpose()
    }

    /// Removes the value under `key`.
    pub async fn delete_meta(&self, key: &str) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(META)?.delete(key).primitive()?;
        finish(tx).await
    }

    /// Closes the connection, so the database can be upgraded or deleted.
    pub fn close(self) {
        self.db.close();
    }
}

impl LocalStore for Store {
    type Error = StorageError;

    /// Writes `changes` in one readwrite transaction over the object stores it touches.
    /// Every request is queued before the first await, so the transaction cannot commit
    /// half-way; if any fails, or a key or value cannot be stored, nothing is kept.
    async fn apply(&self, changes: &Changes) -> Result<(), StorageError> {
        if changes.is_empty() {
            return Ok(());
        }
        let touched: Vec<&str> = [
            (META, changes.meta.is_none()),
            (RECORDS, changes.records.is_empty()),
            (CONFLICTS, changes.conflicts.is_empty()),
            (OUTBOX, changes.outbox.is_empty()),
            (REJECTED, changes.rejected.is_empty()),
            (ERASED, changes.erased.is_empty()),
        ]
        .into_iter()
        .filter_map(|(name, empty)| (!empty).then_some(name))
        .collect();
        let tx = self
            .db
            .transaction(touched)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        if let Some(meta) = &changes.meta {
            tx.object_store(META)?
                .put(encode(meta)?)
                .with_key(REPLICA_META)
                .without_key_type()
                .primitive()?;
        }
        queue_part(&tx, RECORDS, &changes.records, |k| Ok(record_key(k)))?;
        queue_part(&tx, CONFLICTS, &changes.conflicts, |id| number_key(id.0))?;
        queue_part(&tx, OUTBOX, &changes.outbox, |seq| number_key(seq.0))?;
        queue_part(&tx, REJECTED, &changes.rejected, |seq| number_key(seq.0))?;
        if !changes.erased.is_empty() {
            let store = tx.object_store(ERASED)?;
            for id in &changes.erased {
                let id = id.to_string();
                store
                    .put(&id)
                    .with_key(&id)
                    .without_key_type()
                    .primitive()?;
            }
        }
        finish(tx).await
    }

    /// Reads the whole replica in one readonly transaction, one `getAll` per object store,
    /// all asked for before the first answer is awaited.
    async fn load(&self) -> Result<Option<ReplicaParts>, StorageError> {
        let tx = self.db.transaction(ALL_STORES).build()?;
        let meta = tx.object_store(META)?.get(REPLICA_META).primitive()?;
        let records = all(&tx, RECORDS)?;
        let conflicts = all(&tx, CONFLICTS)?;
        let outbox = all(&tx, OUTBOX)?;
        let rejected = all(&tx, REJECTED)?;
        let erased = all(&tx, ERASED)?;
        let meta: Option<JsValue> = meta.await?;
        let Some(meta) = meta else {
            return Ok(None);
        };
        Ok(Some(ReplicaParts {
            meta: decode(&meta)?,
            records: values(records, decode).await?,
            conflicts: values(conflicts, decode).await?,
            outbox: values(outbox, decode).await?,
            rejected: values(rejected, decode).await?,
            erased: values(erased, read_erased).await?,
        }))
    }

    /// Clears every object store, settings and the last session included, in one
    /// transaction.
    async fn wipe(&self) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(ALL_STORES)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        for name in ALL_STORES {
            tx.object_store(name)?.clear()?;
        }
        finish(tx).await
    }
}
