use organise_server::demo::REGIONS_AND_NATIONS;

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
async fn seeding_creates_the_eleven_regions_and_nations() {
    let app = TestApp::new().await;
    let (country,): (String,) = sqlx::query_as("SELECT name FROM areas WHERE parent_id IS NULL")
        .fetch_one(app.state.db.pool())
        .await
        .unwrap();
    assert_eq!(country, organise_server::demo::COUNTRY);
    let names: Vec<(String,)> = sqlx::query_as(
        "SELECT a.name FROM areas a JOIN areas p ON p.id = a.parent_id \
         WHERE p.parent_id IS NULL ORDER BY a.name",
    )
    .fetch_all(app.state.db.pool())
    .await
    .unwrap();
    assert_eq!(names.len(), 11);
    let mut expected: Vec<&str> = REGIONS_AND_NATIONS.iter().map(|(_, name)| *name).collect();
    expected.sort_unstable();
    assert_eq!(
        names.iter().map(|(n,)| n.as_str()).collect::<Vec<_>>(),
        expected
    );
    app.remove().await;
}
