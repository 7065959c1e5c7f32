//! The device's own store, in IndexedDB: what the app needs to open and work without signal.
//!
//! Every write goes through a transaction that is committed explicitly
//! (`indexed_db_futures` rolls back a transaction that is dropped uncommitted), so a write
//! either lands whole or not at all.

use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The IndexedDB database the app uses.
pub const DATABASE_NAME: &str = "organise";
/// The schema version; bump it with a new arm in [`upgrade`].
const SCHEMA_VERSION: u32 = 1;
/// Small named values: the last session, settings.
pub const META: &str = "meta";

/// Why the device store failed, as a sentence the user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "This device's storage failed: {}", self.0)
    }
}

impl From<indexed_db_futures::error::Error> for StorageError {
    fn from(error: indexed_db_futures::error::Error) -> StorageError {
        StorageError(error.to_string())
    }
}

impl From<indexed_db_futures::error::OpenDbError> for StorageError {
    fn from(error: indexed_db_futures::error::OpenDbError) -> StorageError {
        StorageError(error.to_string())
    }
}

/// An open device store.
pub struct Store {
    db: Database,
}

fn upgrade(old_version: f64, db: &Database) -> Result<(), indexed_db_futures::error::Error> {
    if old_version < 1.0 {
        db.create_object_store(META).build()?;
    }
    Ok(())
}

impl Store {
    /// Opens the store named `name`, creating or upgrading its schema.
    pub async fn open(name: &str) -> Result<Store, StorageError> {
        let db = Database::open(name)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| upgrade(event.old_version(), &db))
            .await?;
        Ok(Store { db })
    }

    /// Stores `value` under `key` in the meta store.
    pub async fn put_meta<T: Serialize>(&self, key: &str, value: &T) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(META)?
            .put(value)
            .with_key(key.to_owned())
            .serde()?
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Reads the value under `key` from the meta store.
    pub async fn get_meta<T: DeserializeOwned>(
        &self,
        key: &str,
    ) -> Result<Option<T>, StorageError> {
        let tx = self.db.transaction(META).build()?;
        let value = tx.object_store(META)?.get(key).serde()?.await?;
        Ok(value)
    }

    /// Removes the value under `key`.
    pub async fn delete_meta(&self, key: &str) -> Result<(), StorageError> {
        let tx = self
            .db
            .transaction(META)
            .with_mode(TransactionMode::Readwrite)
            .build()?;
        tx.object_store(META)?.delete(key).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Closes the connection, so the database can be upgraded or deleted.
    pub fn close(self) {
        self.db.close();
    }
}
