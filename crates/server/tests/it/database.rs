//! The database as the server meets it: locks held by others, and the file on disk.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use organise_server::db::{DbOptions, create_data_dir};
use organise_server::{AppState, Config, Db};

use crate::support::{TestApp, person, replica, send_to};

/// A second server process over the test app's database, whose statements wait 200 ms for a
/// lock, and whose writers 200 ms for their turn.
async fn impatient(app: &TestApp) -> Db {
    Db::connect_with(
        app.database_url(),
        DbOptions {
            busy_timeout: Duration::from_millis(200),
        },
    )
    .await
    .unwrap()
}

/// A push that met a database locked by another writer used to answer `500` "database is
/// locked" (or wait for ever on PostgreSQL); it is a moment to wait, so `503` and
/// `Retry-After`.
#[tokio::test]
async fn a_busy_database_answers_503_with_retry_after_not_500() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let organiser = app
        .user("org@test.organise.invalid", "organiser", "London")
        .await;
    let impatient = impatient(&app).await;
    let router = organise_server::app(AppState::with_clock(
        impatient.clone(),
        Config::default(),
        app.clock.clone(),
    ));
    let mut phone = replica(&organiser);
    phone
        .create(&person("Alex Example", london, organiser.user))
        .unwrap();
    let body = serde_json::to_value(phone.push_request(10).unwrap()).unwrap();

    // Another writer holds the writers' lock.
    let mut writer = app.state.db.begin_write().await.unwrap();
    sqlx::query("UPDATE sync_head SET version = version WHERE id = 1")
        .execute(&mut *writer)
        .await
        .unwrap();
    let busy = send_to(
        &router,
        organiser.request(Method::POST, "/api/sync/push", Some(&body)),
    )
    .await;
    assert_eq!(
        busy.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{}",
        busy.text()
    );
    assert_eq!(busy.header("retry-after"), "2");
    assert_eq!(
        busy.json()["error"],
        "the server is busy; try again in a few seconds"
    );
    writer.rollback().await.unwrap();

    // Once the lock is gone the same push goes through.
    let done = send_to(
        &router,
        organiser.request(Method::POST, "/api/sync/push", Some(&body)),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.text());
    impatient.close().await;
    app.remove().await;
}

/// Waits until `n` writers wait for PostgreSQL's writers' lock, so a test's order of asking is the
/// order it means (on a busy machine a new connection can take longer than a test's pause).
/// SQLite writers queue in the process, before any statement: the pauses order them.
async fn waiting_for_the_lock(db: &Db, n: i64) {
    if db.backend() != organise_server::db::Backend::Postgres {
        return;
    }
    for _ in 0..200 {
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_stat_activity \
             WHERE datname = current_database() AND wait_event_type = 'Lock'",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        if waiting >= n {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("{n} writers never waited for the lock");
}

/// SQLite's busy handler let waiting writers poll, sleeping longer the longer they had waited:
/// a writer that came later, still polling often, took the lock first, and the lock sat idle
/// between writers. Writers now take turns in the order they came.
#[tokio::test]
async fn writers_take_the_lock_in_the_order_they_asked_for_it() {
    let app = TestApp::new().await;
    let db = app.state.db.clone();
    let order = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let take_lock = "UPDATE sync_head SET version = version WHERE id = 1";

    let mut first = db.begin_write().await.unwrap();
    sqlx::query(take_lock).execute(&mut *first).await.unwrap();
    let writer = |name: &'static str| {
        let (db, order) = (db.clone(), order.clone());
        tokio::spawn(async move {
            let mut tx = db.begin_write().await.unwrap();
            sqlx::query(take_lock).execute(&mut *tx).await.unwrap();
            order.lock().unwrap().push(name);
            tx.commit().await.unwrap();
        })
    };
    // The third asks 200 ms after the second, and 100 ms before the lock is free: polling, it
    // would try again at 303 ms and the second, sleeping longer by then, only at 328 ms.
    let second = writer("second");
    tokio::time::sleep(Duration::from_millis(200)).await;
    waiting_for_the_lock(&db, 1).await;
    let third = writer("third");
    tokio::time::sleep(Duration::from_millis(100)).await;
    waiting_for_the_lock(&db, 2).await;
    first.commit().await.unwrap();
    let waiting = [second, third];
    for task in waiting {
        task.await.unwrap();
    }
    assert_eq!(*order.lock().unwrap(), ["second", "third"]);
    app.remove().await;
}

/// A writer that waits longer than the busy timeout for its turn is told the database is busy
/// (answered `503`), as one that waited for SQLite's lock is.
#[tokio::test]
async fn a_writer_kept_waiting_past_the_busy_timeout_is_told_it_is_busy() {
    let app = TestApp::new().await;
    let impatient = impatient(&app).await;
    let mut holder = impatient.begin_write().await.unwrap();
    sqlx::query("UPDATE sync_head SET version = version WHERE id = 1")
        .execute(&mut *holder)
        .await
        .unwrap();
    let started = std::time::Instant::now();
    let waited = async {
        let mut tx = impatient.begin_write().await?;
        sqlx::query("UPDATE sync_head SET version = version WHERE id = 1")
            .execute(&mut *tx)
            .await?;
        tx.commit().await
    }
    .await
    .expect_err("the lock was held throughout");
    assert!(
        organise_server::error::is_contention(&anyhow::Error::from(waited)),
        "not a busy error"
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it waited {:?}",
        started.elapsed()
    );
    holder.rollback().await.unwrap();
    impatient.close().await;
    app.remove().await;
}

/// The SQLite file, its `-wal` and `-shm`, were created readable by everyone on the machine.
#[cfg(unix)]
#[tokio::test]
async fn the_database_file_and_data_dir_are_private_to_their_owner() {
    use std::os::unix::fs::PermissionsExt;
    let root = std::env::temp_dir().join(format!(
        "organise-data-{}",
        uuid::Uuid::from_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        )
        .simple()
    ));
    let data = root.join("data");
    create_data_dir(&data).unwrap();
    let db = Db::open_data_dir(&data).await.unwrap();
    db.migrate().await.unwrap();
    let mode = |name: &str| {
        std::fs::metadata(data.join(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(
        std::fs::metadata(&data).unwrap().permissions().mode() & 0o777,
        0o700
    );
    for name in ["organise.db", "organise.db-wal", "organise.db-shm"] {
        assert_eq!(mode(name), 0o600, "{name}");
    }
    db.close().await;

    // A file left readable by an older version is narrowed when it is opened.
    let file = data.join("organise.db");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let db = Db::open_data_dir(&data).await.unwrap();
    assert_eq!(mode("organise.db"), 0o600);
    db.close().await;
    std::fs::remove_dir_all(root).unwrap();
}
