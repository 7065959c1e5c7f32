//! Migrating and seeding a new database: the areas and the default ladder, once, however
//! many processes start at once.

use std::sync::Arc;

use axum::http::StatusCode;
use organise_core::area::AreaKind;
use organise_core::ladder::DEFAULT_LADDER;
use organise_core::permission::Denied;
use organise_core::record::{Collection, Value};
use organise_core::sync::wire::{Outcome, PushResponse, RecordKey, Rejection};
use organise_server::demo::{self, COUNTRY, REGIONS_AND_NATIONS};
use organise_server::sync_store::{self, Access, TreeCache};
use organise_server::{Clock, Db, accounts};

use crate::support::{START, TestApp, TestDb, ladder, replica};

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

#[tokio::test]
async fn seeding_sets_the_default_ladder_at_the_root_for_every_role_to_read_and_none_to_delete() {
    let app = TestApp::new().await;
    let country = app.area(COUNTRY).await;
    let national = app
        .user("national@test.organise.invalid", "admin", COUNTRY)
        .await;
    let volunteer = app
        .user("vol@test.organise.invalid", "volunteer", "Wales")
        .await;

    // The national admin reads everything: the store holds exactly the five default rungs,
    // in order, at the root, none retired.
    let mut desk = replica(&national);
    national.pull_all(&app, &mut desk).await;
    let rungs = ladder(&desk);
    let seen: Vec<(&str, i64, bool)> = rungs
        .iter()
        .map(|r| (r.name.as_str(), r.position, r.retired))
        .collect();
    let default: Vec<(&str, i64, bool)> = DEFAULT_LADDER
        .iter()
        .zip(1..)
        .map(|(name, position)| (*name, position, false))
        .collect();
    assert_eq!(seen, default);
    assert!(rungs.iter().all(|r| r.area == country), "{rungs:?}");

    // A volunteer of a nation pulls the same ladder.
    let mut phone = replica(&volunteer);
    volunteer.pull_all(&app, &mut phone).await;
    assert_eq!(ladder(&phone), rungs);

    // Deleting a rung, or moving it out of the root, is refused even to the national admin;
    // retiring one is theirs to do.
    let key = |n: usize| RecordKey {
        collection: Collection::Rung,
        id: rungs[n].id.0,
    };
    desk.delete(key(4)).unwrap();
    desk.set_field(key(3), "area", Value::Id(app.area("Wales").await.0))
        .unwrap();
    desk.set_field(key(2), "retired", Value::Bool(true))
        .unwrap();
    let response = national.push(&app, &desk.push_request(10).unwrap()).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.text());
    let response: PushResponse = serde_json::from_slice(&response.body).unwrap();
    let outcomes: Vec<&Outcome> = response.outcomes.iter().map(|o| &o.outcome).collect();
    assert_eq!(outcomes.len(), 3);
    for refused in &outcomes[..2] {
        assert_eq!(
            **refused,
            Outcome::Rejected {
                rejection: Rejection::Unauthorised {
                    reason: Denied::RungsAreKept
                }
            }
        );
    }
    assert!(
        !matches!(outcomes[2], Outcome::Rejected { .. }),
        "{:?}",
        outcomes[2]
    );
    let mut after = replica(&national);
    national.pull_all(&app, &mut after).await;
    let kept = ladder(&after);
    assert_eq!(kept.len(), DEFAULT_LADDER.len());
    assert!(kept.iter().all(|r| r.area == country));
    assert!(kept[2].retired && !kept[4].retired);
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
/// every region twice (and now the default ladder twice).
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
    let (rungs,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE collection = $1")
        .bind(Collection::Rung.to_string())
        .fetch_one(test_db.db.pool())
        .await
        .unwrap();
    assert_eq!(
        rungs,
        DEFAULT_LADDER.len() as i64,
        "the default ladder, once"
    );
    other.close().await;
    test_db.remove().await;
}
