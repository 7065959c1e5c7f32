//! The device store against a real IndexedDB, in headless Chromium (`wasm-bindgen-test`).
#![cfg(target_arch = "wasm32")]

use organise::storage::{StorageError, Store};
use serde::{Deserialize, Serialize};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Sample {
    name: String,
    doors: u32,
}

async fn fresh(name: &str) -> Result<Store, StorageError> {
    indexed_db_futures::database::Database::delete_by_name(name)
        .expect("deleting a test database")
        .await
        .expect("deleting a test database");
    Store::open(name).await
}

#[wasm_bindgen_test]
async fn a_value_survives_closing_and_reopening() {
    let store = fresh("test-reopen").await.unwrap();
    let sample = Sample {
        name: "Test Person".into(),
        doors: 30,
    };
    store.put_meta("shift", &sample).await.unwrap();
    store.close();

    let reopened = Store::open("test-reopen").await.unwrap();
    assert_eq!(
        reopened.get_meta::<Sample>("shift").await.unwrap(),
        Some(sample)
    );
}

#[wasm_bindgen_test]
async fn a_missing_key_reads_as_none() {
    let store = fresh("test-missing").await.unwrap();
    assert_eq!(
        store.get_meta::<Sample>("nothing here").await.unwrap(),
        None
    );
}

#[wasm_bindgen_test]
async fn delete_removes_only_that_key() {
    let store = fresh("test-delete").await.unwrap();
    store.put_meta("a", &1u32).await.unwrap();
    store.put_meta("b", &2u32).await.unwrap();
    store.delete_meta("a").await.unwrap();
    assert_eq!(store.get_meta::<u32>("a").await.unwrap(), None);
    assert_eq!(store.get_meta::<u32>("b").await.unwrap(), Some(2));
}
