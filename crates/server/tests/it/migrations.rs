use std::sync::Arc;

use organise_core::area::AreaKind;
use organise_server::demo::{self, COUNTRY, REGIONS_AND_NATIONS};
use organise_server::sync_store::{self, Access, TreeCache};
use organise_server::{Clock, Db, accounts};

use crate::support::{START, TestApp, TestDb};

#[tokio::test]
async fn migrating_twice_changes_nothing() {
    let test_db = TestDb::new().await;
    test_db.db.migrate().await.unwrap();
    let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users")
        .fetch_one(test_db.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0);
    test_db.remove().await;
}

#[tokio::test]
async fn seeding_creates_the_eleven_regions_and_nations_as_area_records() {
    let app = TestApp::new().await;
    let areas = sync_store::run(
        &app.state.db,
        &Arc::new(TreeCache::default()),
        Access::Read,
        |store| Ok((accounts::areas(store)?, false)),
    )
    .await
    .unwrap();
    let countries: Vec<_> = areas.iter().filter(|a| a.parent.is_none()).collect();
    assert_eq!(countries.len(), 1);
    assert_eq!(countries[0].name, COUNTRY);
    assert_eq!(countries[0].kind, AreaKind::Country);
    let mut below: Vec<(AreaKind, &str)> = areas
        .iter()
        .filter(|a| a.parent == Some(countries[0].id))
        .map(|a| (a.kind, a.name.as_str()))
        .collect();
    below.sort_unstable();
    let mut expected = REGIONS_AND_NATIONS.to_vec();
    expected.sort_unstable();
    assert_eq!(below, expected);
    app.remove().await;
}

/// Two server processes started at once on a new SQLite file could both find a migration
/// pending, and the second then failed to start ("table users already exists"): sqlx takes no
/// lock on SQLite.
#[tokio::test]
async fn two_processes_migrating_a_new_database_at_once_both_succeed() {
    for _ in 0..5 {
        let test_db = TestDb::unmigrated().await;
        let other = Db::connect(&test_db.url).await.unwrap();
        let (first, second) = tokio::join!(test_db.db.migrate(), other.migrate());
        first.expect("the first process migrates");
        second.expect("the second process migrates");
        other.close().await;
        test_db.remove().await;
    }
}

/// Two server processes started at once on a new database each seeded it: two countries,
/// every region twice.
#[tokio::test]
async fn two_processes_seeding_a_new_database_at_once_seed_it_once() {
    let test_db = TestDb::new().await;
    let other = Db::connect(&test_db.url).await.unwrap();
    let clock = Clock::fixed(START);
    let (first, second) = tokio::join!(
        demo::seed(&test_db.db, &clock, false),
        demo::seed(&other, &clock, false)
    );
    first.unwrap();
    second.unwrap();
    demo::seed(&other, &clock, true).await.unwrap();
    let areas = sync_store::run(
        &test_db.db,
        &Arc::new(TreeCache::default()),
        Access::Read,
        |store| Ok((accounts::areas(store)?, false)),
    )
    .await
    .unwrap();
    assert_eq!(
        areas.len(),
        1 + REGIONS_AND_NATIONS.len(),
        "one country and its regions and nations, once"
    );
    other.close().await;
    test_db.remove().await;
}
