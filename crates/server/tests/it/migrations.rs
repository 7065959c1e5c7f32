use std::sync::Arc;

use organise_core::area::AreaKind;
use organise_server::accounts;
use organise_server::demo::{COUNTRY, REGIONS_AND_NATIONS};
use organise_server::sync_store::{self, Access, TreeCache};

use crate::support::{TestApp, TestDb};

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
