//! The database handle: one `sqlx` pool over SQLite (the default, an embedded file) or PostgreSQL.
//!
//! Queries are written once against `sqlx::Any` with `$1`-style parameters, which both drivers
//! accept. Where the dialects differ (schema, locking) the code asks [`Db::backend`] once, at the
//! point of difference.

use std::borrow::Cow;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::error::BoxDynError;
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Which database engine sits behind the pool.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// An embedded SQLite file in WAL mode.
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The URL names an engine other than `sqlite:` or `postgres:`.
    #[error("unsupported database URL {0:?}: use sqlite:PATH or postgres://…")]
    UnsupportedUrl(String),
    /// Connecting failed (wrong URL, server down, file not writable).
    #[error("could not connect to the database: {0}")]
    Connect(#[source] sqlx::Error),
    /// The SQLite file could not be created or made private to its owner.
    #[error("could not make the database file private: {0}")]
    Private(#[source] std::io::Error),
    /// A migration failed; the database is left at the last migration that succeeded.
    #[error("could not migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// How long a statement waits for a lock another connection holds before it gives up (and the
/// request is answered `503` with `Retry-After`): SQLite's `busy_timeout`, PostgreSQL's
/// `lock_timeout`, and the wait for a free connection in the pool (at least
/// [`MIN_ACQUIRE_TIMEOUT`]).
pub const DEFAULT_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// The PostgreSQL advisory lock every write transaction takes first, so that writers queue in
/// the order they came (see [`Db::begin_write`]). Any fixed number: this database holds one app.
pub const WRITERS_LOCK: i64 = 0x6f72_6761_6e69_7365;

/// The shortest wait for a connection from the pool (see [`DbOptions::busy_timeout`]).
pub const MIN_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(5);

/// The page cache of each SQLite connection, in KiB (SQLite's default is 2 MiB). A pull page
/// or a push reads hundreds of records by id; with too small a cache each read goes back to
/// the operating system for pages it just had.
const SQLITE_CACHE_KIB: u32 = 32 * 1024;

/// How to open the database.
#[derive(Clone, Copy, Debug)]
pub struct DbOptions {
    /// See [`DEFAULT_BUSY_TIMEOUT`].
    pub busy_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> DbOptions {
        DbOptions {
            busy_timeout: DEFAULT_BUSY_TIMEOUT,
        }
    }
}

/// A cheaply clonable handle to the database.
#[derive(Clone, Debug)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// SQLite's writers queue here, in arrival order, before `BEGIN IMMEDIATE` (see
    /// [`Db::begin_write`]). None on PostgreSQL, whose writers queue for [`WRITERS_LOCK`].
    writers: Option<Arc<Semaphore>>,
    /// How long a writer waits for its turn before the request is answered busy.
    busy_timeout: Duration,
}

/// A transaction; one that writes holds the writers' turn (see [`Db::begin_write`]) until it
/// commits, rolls back or is dropped.
pub struct Transaction {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    _turn: Option<OwnedSemaphorePermit>,
}

impl Transaction {
    /// Commits, then lets the next writer in.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }

    /// Rolls back, then lets the next writer in.
    pub async fn rollback(self) -> Result<(), sqlx::Error> {
        self.tx.rollback().await
    }
}

/// The transaction's connection, as `sqlx::Transaction` gives it.
impl std::ops::Deref for Transaction {
    type Target = sqlx::AnyConnection;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl std::ops::DerefMut for Transaction {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

impl Db {
    /// Opens the database at `url`, creating an SQLite file if it does not exist yet.
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Db::connect_with(url, DbOptions::default()).await
    }

    /// Opens the database at `url` with `options`. A new SQLite file is created readable by
    /// its owner only (its `-wal` and `-shm` files take the same mode), and an existing one is
    /// made so: it holds people's political views.
    pub async fn connect_with(url: &str, options: DbOptions) -> Result<Db, DbError> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl(redact_url(url)));
        };
        let url = match backend {
            // `mode=rwc` creates the file on first start.
            Backend::Sqlite if !url.contains("mode=") => {
                let sep = if url.contains('?') { '&' } else { '?' };
                Cow::Owned(format!("{url}{sep}mode=rwc"))
            }
            _ => Cow::Borrowed(url),
        };
        if backend == Backend::Sqlite {
            make_private(&url).map_err(DbError::Private)?;
        }
        let busy_ms = options.busy_timeout.as_millis();
        let connect_options = AnyConnectOptions::from_str(&url).map_err(DbError::Connect)?;
        let pool = AnyPoolOptions::new()
            .max_connections(match backend {
                Backend::Sqlite => 4,
                Backend::Postgres => 16,
            })
            // Opening a connection counts against this wait too, and on a loaded machine that
            // alone can take longer than a short lock wait: never less than five seconds.
            .acquire_timeout(options.busy_timeout.max(MIN_ACQUIRE_TIMEOUT))
            // A pooled SQLite connection is a file handle in this process: it cannot have been
            // dropped by a server, so the ping sqlx sends before handing one out (a round trip
            // to the connection's thread, three per push) only costs. A PostgreSQL connection
            // can die with its server, and keeps it.
            .test_before_acquire(backend == Backend::Postgres)
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    match backend {
                        // WAL lets readers run beside the writer; FULL makes a commit durable
                        // before it is acknowledged; foreign keys are off by default in SQLite.
                        Backend::Sqlite => {
                            conn.execute(&*format!(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busy_ms}; \
                                 PRAGMA cache_size = -{SQLITE_CACHE_KIB};"
                            ))
                            .await?;
                        }
                        // Without it a statement waits for a row lock for ever.
                        Backend::Postgres => {
                            conn.execute(&*format!("SET lock_timeout = {busy_ms}"))
                                .await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect_with(connect_options)
            .await
            .map_err(DbError::Connect)?;
        Ok(Db {
            pool,
            backend,
            writers: (backend == Backend::Sqlite).then(|| Arc::new(Semaphore::new(1))),
            busy_timeout: options.busy_timeout,
        })
    }

    /// Opens (creating if needed) the SQLite file `organise.db` in `data_dir`.
    pub async fn open_data_dir(data_dir: &Path) -> Result<Db, DbError> {
        Db::connect(&format!(
            "sqlite:{}",
            data_dir.join("organise.db").display()
        ))
        .await
    }

    /// Brings the schema up to date. Safe to run on every start, and in several processes
    /// starting at once: each migration is applied once.
    pub async fn migrate(&self) -> Result<(), DbError> {
        let migrator = Migrator::new(EmbeddedMigrations(self.backend)).await?;
        match self.backend {
            // sqlx holds an advisory lock while it migrates.
            Backend::Postgres => migrator.run(&self.pool).await?,
            // sqlx takes no lock on SQLite: two processes could both find a migration pending
            // and the second fail on what the first made. The write lock, held throughout,
            // makes them take turns (each migration then runs in a savepoint).
            Backend::Sqlite => {
                let mut tx = self
                    .begin_write()
                    .await
                    .map_err(sqlx::migrate::MigrateError::from)?;
                migrator.run(&mut *tx).await?;
                tx.commit()
                    .await
                    .map_err(sqlx::migrate::MigrateError::from)?;
            }
        }
        Ok(())
    }

    /// The pool, for queries.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Which engine this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a transaction that will write.
    ///
    /// On SQLite a plain `BEGIN` takes the write lock only at the first write, and two such
    /// transactions can then fail with `SQLITE_BUSY` whatever the busy timeout; `BEGIN IMMEDIATE`
    /// takes it up front. Writers of this process first queue for their turn, first come first
    /// served: left to SQLite's busy handler they would poll, sleeping 1, 2, 5, 10… ms between
    /// tries, so the lock sat idle between writers and a writer could be passed over again and
    /// again. Another process's writer still meets the busy handler. A writer that waits longer
    /// than the busy timeout for its turn gets [`sqlx::Error::PoolTimedOut`], answered busy
    /// like a lock wait.
    ///
    /// On PostgreSQL writers queue for one advisory lock ([`WRITERS_LOCK`]), which PostgreSQL
    /// grants in the order asked, across every server process. The sync head's row lock alone
    /// does not: when the writer holding it commits, the waiters woken race each other to the
    /// row's new version, and a later one can win. Beyond the lock timeout the wait is answered
    /// busy like any lock wait.
    pub async fn begin_write(&self) -> Result<Transaction, sqlx::Error> {
        let turn = match &self.writers {
            Some(writers) => Some(
                tokio::time::timeout(self.busy_timeout, writers.clone().acquire_owned())
                    .await
                    .map_err(|_| sqlx::Error::PoolTimedOut)?
                    .expect("the writers' queue is never closed"),
            ),
            None => None,
        };
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await?,
            Backend::Postgres => {
                let mut tx = self.pool.begin().await?;
                sqlx::query("SELECT pg_advisory_xact_lock($1)")
                    .bind(WRITERS_LOCK)
                    .execute(&mut *tx)
                    .await?;
                tx
            }
        };
        Ok(Transaction { tx, _turn: turn })
    }

    /// Starts a transaction that only reads, and sees one consistent snapshot throughout
    /// (on PostgreSQL `REPEATABLE READ`; SQLite's deferred transaction is a snapshot in WAL
    /// mode from its first read).
    pub async fn begin_read(&self) -> Result<Transaction, sqlx::Error> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin().await?,
            Backend::Postgres => {
                self.pool
                    .begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    .await?
            }
        };
        Ok(Transaction { tx, _turn: None })
    }

    /// Closes every connection, waiting for queries in flight.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Creates the data directory (and its parents) if it is missing, readable by its owner only.
pub fn create_data_dir(data_dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(data_dir)
}

/// Creates the SQLite file of `url` readable and writable by its owner only, or narrows an
/// existing one (and its `-wal` and `-shm`) to that. In-memory databases have no file.
fn make_private(url: &str) -> std::io::Result<()> {
    if url.contains(":memory:") || url.contains("mode=memory") {
        return Ok(());
    }
    let Ok(options) = sqlx::sqlite::SqliteConnectOptions::from_str(url) else {
        // sqlx reports a malformed URL when it connects.
        return Ok(());
    };
    let path = options.get_filename();
    if path.as_os_str().is_empty() {
        return Ok(());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)
        {
            Ok(_) => {}
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(error) => return Err(error),
        }
        for suffix in ["", "-wal", "-shm"] {
            let file = std::path::PathBuf::from(format!("{}{suffix}", path.display()));
            match std::fs::metadata(&file) {
                Ok(meta) if meta.permissions().mode() & 0o077 != 0 => {
                    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The schema, compiled into the binary so a deployment is one file.
#[derive(Debug)]
struct EmbeddedMigrations(Backend);

/// `(version, description, SQLite SQL, PostgreSQL SQL)`, in order.
const MIGRATIONS: &[(i64, &str, &str, &str)] = &[
    (
        1,
        "accounts",
        include_str!("../migrations/sqlite/0001_accounts.sql"),
        include_str!("../migrations/postgres/0001_accounts.sql"),
    ),
    // The same SQL serves both dialects from here on while it can (`migrations/*.sql`).
    (
        2,
        "sync",
        include_str!("../migrations/0002_sync.sql"),
        include_str!("../migrations/0002_sync.sql"),
    ),
    (
        3,
        "sign in",
        include_str!("../migrations/0003_sign_in.sql"),
        include_str!("../migrations/0003_sign_in.sql"),
    ),
    (
        4,
        "record areas",
        include_str!("../migrations/sqlite/0004_record_areas.sql"),
        include_str!("../migrations/postgres/0004_record_areas.sql"),
    ),
    (
        5,
        "ids",
        include_str!("../migrations/0005_ids.sql"),
        include_str!("../migrations/0005_ids.sql"),
    ),
    (
        6,
        "record keys",
        include_str!("../migrations/sqlite/0006_record_keys.sql"),
        include_str!("../migrations/postgres/0006_record_keys.sql"),
    ),
    (
        7,
        "links and retention",
        include_str!("../migrations/0007_links.sql"),
        include_str!("../migrations/0007_links.sql"),
    ),
];

impl MigrationSource<'static> for EmbeddedMigrations {
    fn resolve(
        self,
    ) -> futures_core::future::BoxFuture<'static, Result<Vec<Migration>, BoxDynError>> {
        let backend = self.0;
        Box::pin(async move {
            Ok(MIGRATIONS
                .iter()
                .map(|&(version, description, sqlite, postgres)| {
                    let sql = match backend {
                        Backend::Sqlite => sqlite,
                        Backend::Postgres => postgres,
                    };
                    Migration::new(
                        version,
                        Cow::Borrowed(description),
                        MigrationType::Simple,
                        Cow::Borrowed(sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// A database URL with any password removed, safe to print.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let userinfo = &url[scheme_end + 3..at];
            let user = userinfo.split(':').next().unwrap_or("");
            format!("{}://{}:***@{}", &url[..scheme_end], user, &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

/// Creates the empty PostgreSQL database `name` on the server at `admin_url` (where this user
/// may `CREATE DATABASE`) and returns its URL: the tests and the benchmark each work in a
/// scratch database of their own. `name` must be a plain identifier.
pub async fn create_database(admin_url: &str, name: &str) -> Result<String, DbError> {
    let admin = Db::connect(admin_url).await?;
    let created = sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(admin.pool())
        .await;
    admin.close().await;
    created.map_err(DbError::Connect)?;
    Ok(with_database(admin_url, name))
}

/// Drops the database `name` made by [`create_database`], with any connections still open
/// to it.
pub async fn drop_database(admin_url: &str, name: &str) -> Result<(), DbError> {
    let admin = Db::connect(admin_url).await?;
    let dropped = sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        .execute(admin.pool())
        .await;
    admin.close().await;
    dropped.map(drop).map_err(DbError::Connect)
}

/// `url` with its database name replaced by `name`, keeping any query string (the tests
/// and the benchmark make a scratch PostgreSQL database of their own this way).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[scheme_end..].find('/') {
        Some(slash) => &base[..scheme_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn redact_url_hides_the_password_only() {
        assert_eq!(
            redact_url("postgres://organise:s3cret@localhost:5432/organise"),
            "postgres://organise:***@localhost:5432/organise"
        );
        assert_eq!(
            redact_url("sqlite:data/organise.db"),
            "sqlite:data/organise.db"
        );
    }
}
