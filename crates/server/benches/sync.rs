//! `cargo bench -p organise-server --bench sync`: how fast the sync endpoints are, measured
//! through the whole router (JSON, the session cookie, the CSRF check, one transaction per
//! request) with `tower::ServiceExt::oneshot`, so no port or network stack is involved.
//!
//! - push throughput, in mutations per second, for batches of 1, 10 and 100 person creations
//!   and of as many field edits, each by a user of its own; and for batches of 100 by a user
//!   who has created thousands of people (a push or a pull reads only those of them its
//!   records name, so the figure should not move with how many there are);
//! - pull latency, median and 95th percentile, of a full page of 500 changes and of a pull
//!   that finds nothing new, with a few thousand people on the server.
//!
//! It runs on SQLite (a temporary file) and, when `ORGANISE_BENCH_POSTGRES_URL` or
//! `ORGANISE_TEST_POSTGRES_URL` names a PostgreSQL server where this user may create
//! databases, on a fresh PostgreSQL database too. Figures are printed as a table on standard
//! output (progress goes to standard error); nothing is asserted, since a busy machine would
//! make any threshold flaky. `cargo xtask bench` runs it and shows the table.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use organise_core::id::{AreaId, PersonId, RecordId, UserId};
use organise_core::model::{Person, Source};
use organise_core::record::{Entity, Value};
use organise_core::sync::replica::Replica;
use organise_core::sync::wire::{
    ClientId, MAX_PUSH_BATCH, Outcome, PullRequest, PullResponse, PushResponse, RecordKey,
};
use organise_server::{AppState, Clock, Config, Db, app, demo};
use tower::ServiceExt;

#[path = "sync/load.rs"]
mod load;

/// The batch sizes push throughput is measured at.
const BATCHES: [usize; 3] = [1, 10, 100];
/// How long each push measurement runs (it also stops at [`PUSH_MUTATIONS_CAP`]).
const PUSH_BUDGET: Duration = Duration::from_secs(3);
/// The most mutations one push measurement sends, to bound the database's growth: enough
/// pushes of 100 (200) that the checkpoints falling among them weigh as they do in use.
const PUSH_MUTATIONS_CAP: usize = 20_000;
/// The fewest requests a push measurement makes, however slow they are.
const MIN_REQUESTS: usize = 3;
/// How many people one user imports before anything is measured.
const IMPORTED_PEOPLE: usize = 3_000;
/// A full pull page.
const PAGE: usize = 500;
/// Samples per pull measurement.
const PULL_SAMPLES: usize = 40;

/// The password of every synthetic account the benchmark makes.
const PASSWORD: &str = "a long synthetic benchmark password";

/// The server binary's allocator (see `src/main.rs`), so the figures are the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> Result<()> {
    let mut report = Report::default();
    let sqlite = Scratch::sqlite();
    let result = run_backend("SQLite", &sqlite.url, &mut report).await;
    sqlite.remove().await?;
    result?;

    let postgres_url = ["ORGANISE_BENCH_POSTGRES_URL", "ORGANISE_TEST_POSTGRES_URL"]
        .iter()
        .find_map(|name| std::env::var(name).ok().filter(|url| !url.is_empty()));
    match postgres_url {
        Some(admin_url) => {
            let postgres = Scratch::postgres(&admin_url).await?;
            let result = run_backend("PostgreSQL", &postgres.url, &mut report).await;
            postgres.remove().await?;
            result?;
        }
        None => report.skipped.push(
            "PostgreSQL: skipped. Set ORGANISE_BENCH_POSTGRES_URL (or \
             ORGANISE_TEST_POSTGRES_URL) to a postgres:// URL of a server where this user may \
             CREATE DATABASE to measure it too."
                .to_owned(),
        ),
    }
    report.print();
    Ok(())
}

/// Every measurement on one backend.
///
/// One admin first imports [`IMPORTED_PEOPLE`] people. Each push measurement is then made by
/// an admin of its own, so all start alike whatever ran before; one more row measures the
/// importer pushing too, to show that the people a user created cost a push nothing.
async fn run_backend(backend: &'static str, url: &str, report: &mut Report) -> Result<()> {
    eprintln!("sync bench: {backend}: setting up");
    let db = Db::connect(url).await?;
    db.migrate().await?;
    let clock = Clock::system();
    demo::seed(&db, &clock, false).await?;
    let router = app(AppState::new(db.clone(), Config::default()));
    let mut accounts = 0u128;
    let mut new_admin = async || -> Result<Api> {
        accounts += 1;
        let email = format!("bench-{accounts}@test.organise.invalid");
        demo::create_user(
            &db,
            &clock,
            &email,
            "Bench Admin",
            PASSWORD,
            "admin",
            demo::COUNTRY,
        )
        .await?;
        Api::sign_in(router.clone(), &email, accounts).await
    };

    eprintln!("sync bench: {backend}: importing {IMPORTED_PEOPLE} people");
    let mut importer_api = new_admin().await?;
    let mut importer = Client::new(&importer_api, 0xBE_1000);
    while importer.people.len() < IMPORTED_PEOPLE {
        let n = MAX_PUSH_BATCH.min(IMPORTED_PEOPLE - importer.people.len());
        importer.create_people(n);
        importer.push(&mut importer_api, n).await?;
    }

    for (n, batch) in BATCHES.into_iter().enumerate() {
        eprintln!("sync bench: {backend}: pushes of {batch}");
        let mut api = new_admin().await?;
        let mut client = Client::new(&api, 0xBE_0000 + n as u128);
        let created = client
            .measure(&mut api, batch, Client::create_people)
            .await?;
        report.pushes.push((backend, "create people", created));
        let edited = client.measure(&mut api, batch, Client::edit_people).await?;
        report.pushes.push((backend, "set a field", edited));
    }
    let batch = *BATCHES.last().expect("there are batch sizes");
    eprintln!("sync bench: {backend}: pushes of {batch} by the importer");
    let created = importer
        .measure(&mut importer_api, batch, Client::create_people)
        .await?;
    report.pushes.push((backend, "create people", created));

    let people: usize =
        sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM records WHERE collection = 'person'")
            .fetch_one(db.pool())
            .await?
            .try_into()?;
    eprintln!("sync bench: {backend}: pulls, {people} people on the server");
    let mut api = new_admin().await?;
    let full = measure_full_pages(&mut api).await?;
    report
        .pulls
        .push((backend, "full page (500 changes)", 0, full));
    let empty = measure_empty_pulls(&mut api).await?;
    report.pulls.push((backend, "nothing new", 0, empty));
    let empty = measure_empty_pulls(&mut importer_api).await?;
    let own = importer.people.len();
    report.pulls.push((backend, "nothing new", own, empty));
    report.people.push((backend, people));

    eprintln!("sync bench: {backend}: under load");
    let heavy = new_admin().await?;
    let mut others = Vec::new();
    for _ in 0..load::OTHERS {
        others.push(new_admin().await?);
    }
    let figures = load::run(&db, &router, heavy, others).await?;
    report.loads.push((backend, figures));
    db.close().await;
    Ok(())
}

/// Pulls of the first page, from version 0, as a new device's first pull.
async fn measure_full_pages(api: &mut Api) -> Result<Vec<Duration>> {
    let request = PullRequest {
        protocol: organise_core::sync::wire::ProtocolVersion::CURRENT,
        client_id: ClientId::from_u128(0xBE_2000),
        cursor: organise_core::sync::wire::Version(0),
        epoch: None,
        limit: PAGE,
    };
    let body = serde_json::to_vec(&request)?;
    let mut samples = Vec::with_capacity(PULL_SAMPLES);
    for _ in 0..PULL_SAMPLES {
        let (took, bytes) = api.post("/api/sync/pull", body.clone()).await?;
        let response: PullResponse = serde_json::from_slice(&bytes)?;
        ensure!(
            response.changes.len() == PAGE && response.more,
            "a first pull returned {} changes, not a full page of {PAGE}",
            response.changes.len()
        );
        samples.push(took);
    }
    Ok(samples)
}

/// Pulls by a client that is up to date: the server finds nothing after its cursor.
async fn measure_empty_pulls(api: &mut Api) -> Result<Vec<Duration>> {
    let mut replica = Replica::new(ClientId::from_u128(0xBE_3000 + api.number), api.user);
    loop {
        let body = serde_json::to_vec(&replica.pull_request(PAGE))?;
        let (_, bytes) = api.post("/api/sync/pull", body).await?;
        let response: PullResponse = serde_json::from_slice(&bytes)?;
        let more = replica
            .apply_pull_response(&response)
            .map_err(|stale| anyhow::anyhow!("a catch-up pull did not apply: {stale:?}"))?;
        if !more {
            break;
        }
    }
    let body = serde_json::to_vec(&replica.pull_request(PAGE))?;
    let mut samples = Vec::with_capacity(PULL_SAMPLES);
    for _ in 0..PULL_SAMPLES {
        let (took, bytes) = api.post("/api/sync/pull", body.clone()).await?;
        let response: PullResponse = serde_json::from_slice(&bytes)?;
        ensure!(
            response.changes.is_empty() && !response.more,
            "an up-to-date client was sent {} changes",
            response.changes.len()
        );
        samples.push(took);
    }
    Ok(samples)
}

/// The router with a signed-in session.
struct Api {
    router: Router,
    cookie: String,
    csrf: String,
    user: UserId,
    area: AreaId,
    /// Distinguishes the client ids of different users' pulls.
    number: u128,
}

impl Api {
    async fn sign_in(router: Router, email: &str, number: u128) -> Result<Api> {
        let body = serde_json::json!({ "email": email, "password": PASSWORD }).to_string();
        let response = router
            .clone()
            .oneshot(
                Request::post("/api/session")
                    .header("content-type", "application/json")
                    .body(Body::from(body))?,
            )
            .await?;
        ensure!(
            response.status() == StatusCode::OK,
            "sign-in answered {}",
            response.status()
        );
        let cookie = response
            .headers()
            .get("set-cookie")
            .and_then(|c| c.to_str().ok())
            .and_then(|c| c.split(';').next())
            .context("sign-in set no cookie")?
            .to_owned();
        let info: serde_json::Value =
            serde_json::from_slice(&response.into_body().collect().await?.to_bytes())?;
        let id = |value: &serde_json::Value| -> Result<RecordId> {
            Ok(value.as_str().context("an id")?.parse()?)
        };
        Ok(Api {
            router,
            cookie,
            csrf: info["csrf_token"]
                .as_str()
                .context("no CSRF token")?
                .to_owned(),
            user: UserId(id(&info["user"]["id"])?),
            area: AreaId(id(&info["user"]["roles"][0]["area"])?),
            number,
        })
    }

    /// One authenticated JSON `POST` through the router: how long it took, and the body of a
    /// 200 answer (anything else is an error).
    async fn post(&mut self, path: &str, body: Vec<u8>) -> Result<(Duration, Vec<u8>)> {
        let request = Request::post(path)
            .header("content-type", "application/json")
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
            .body(Body::from(body))?;
        let started = Instant::now();
        let response = self.router.clone().oneshot(request).await?;
        let status = response.status();
        let bytes = response.into_body().collect().await?.to_bytes();
        let took = started.elapsed();
        if status != StatusCode::OK {
            bail!(
                "{path} answered {status}: {}",
                String::from_utf8_lossy(&bytes)
            );
        }
        Ok((took, bytes.to_vec()))
    }
}

/// One client's replica, making synthetic people and edits and pushing them.
struct Client {
    replica: Replica,
    area: AreaId,
    user: UserId,
    clock: Clock,
    minted: u128,
    people: Vec<RecordKey>,
    edits: usize,
}

/// What a push measurement did.
#[derive(Clone, Copy, Debug)]
struct PushFigures {
    /// Mutations per push.
    batch: usize,
    /// How many people the pushing user had created when the measurement began.
    own_people: usize,
    /// Pushes made.
    requests: usize,
    /// Mutations pushed.
    mutations: usize,
    /// The time the pushes took, end to end through the router.
    took: Duration,
}

impl Client {
    fn new(api: &Api, client: u128) -> Client {
        Client {
            replica: Replica::new(ClientId::from_u128(client), api.user),
            area: api.area,
            user: api.user,
            clock: Clock::system(),
            minted: client << 32,
            people: Vec::new(),
            edits: 0,
        }
    }

    fn create_people(&mut self, n: usize) {
        for _ in 0..n {
            // UUIDv7 as a device makes them; the counter stands in for the random bytes.
            self.minted += 1;
            let mut random = [0u8; 10];
            random.copy_from_slice(&self.minted.to_be_bytes()[6..]);
            let id = RecordId::new_v7(self.clock.now(), random);
            let person = Person {
                tags: ["benchmark".to_owned()].into(),
                ..Person::new(
                    PersonId(id),
                    self.area,
                    self.user,
                    "Alex Example",
                    Source::Doorstep,
                )
            }
            .to_record();
            self.replica
                .create(&person)
                .expect("a new person can be queued");
            self.people.push(RecordKey {
                collection: person.collection,
                id,
            });
        }
    }

    fn edit_people(&mut self, n: usize) {
        const NAMES: [&str; 4] = ["Sam Sample", "Rhiannon Dummy", "Jean-Paul O'Test", "Alex"];
        for _ in 0..n {
            let key = self.people[self.edits % self.people.len()];
            let name = NAMES[self.edits % NAMES.len()];
            self.edits += 1;
            self.replica
                .set_field(key, "name", Value::Text(name.to_owned()))
                .expect("an edit can be queued");
        }
    }

    /// Pushes up to `max` pending mutations; every one must be applied. Returns the time the
    /// request took.
    async fn push(&mut self, api: &mut Api, max: usize) -> Result<Duration> {
        let request = self.replica.push_request(max).context("nothing to push")?;
        let sent = request.mutations.len();
        let (took, bytes) = api
            .post("/api/sync/push", serde_json::to_vec(&request)?)
            .await?;
        let response: PushResponse = serde_json::from_slice(&bytes)?;
        ensure!(
            response.outcomes.len() == sent,
            "{} outcomes for {sent} mutations",
            response.outcomes.len()
        );
        if let Some(refused) = response
            .outcomes
            .iter()
            .find(|o| !matches!(o.outcome, Outcome::Applied { .. }))
        {
            bail!(
                "a benchmark mutation was not applied: {:?}",
                refused.outcome
            );
        }
        self.replica.apply_push_response(&response);
        Ok(took)
    }

    /// Makes `batch` mutations with `make` and pushes them, again and again for
    /// [`PUSH_BUDGET`] (at least [`MIN_REQUESTS`] times, at most [`PUSH_MUTATIONS_CAP`]
    /// mutations).
    async fn measure(
        &mut self,
        api: &mut Api,
        batch: usize,
        make: fn(&mut Client, usize),
    ) -> Result<PushFigures> {
        let mut figures = PushFigures {
            batch,
            own_people: self.people.len(),
            requests: 0,
            mutations: 0,
            took: Duration::ZERO,
        };
        while figures.requests < MIN_REQUESTS
            || (figures.took < PUSH_BUDGET && figures.mutations < PUSH_MUTATIONS_CAP)
        {
            make(self, batch);
            figures.took += self.push(api, batch).await?;
            figures.requests += 1;
            figures.mutations += batch;
        }
        Ok(figures)
    }
}

/// Every figure, printed as one table at the end.
#[derive(Default)]
struct Report {
    /// Backend, what was pushed, figures.
    pushes: Vec<(&'static str, &'static str, PushFigures)>,
    /// Backend, which pull, how many people the pulling user created, samples.
    pulls: Vec<(&'static str, &'static str, usize, Vec<Duration>)>,
    /// People on each backend's server when the pulls were measured.
    people: Vec<(&'static str, usize)>,
    /// Backend, and what the load measurements found.
    loads: Vec<(&'static str, load::LoadFigures)>,
    /// Backends not measured, and why.
    skipped: Vec<String>,
}

impl Report {
    fn print(&self) {
        println!(
            "Sync server, release build, through the router (JSON, session, CSRF, one transaction per request)"
        );
        println!(
            "  {:<11} {:<14} {:>6} {:>14} {:>9} {:>12} {:>11}",
            "backend", "push", "batch", "user's people", "requests", "mutations/s", "ms/request"
        );
        for (backend, what, f) in &self.pushes {
            let seconds = f.took.as_secs_f64();
            println!(
                "  {backend:<11} {what:<14} {:>6} {:>14} {:>9} {:>12.0} {:>11.2}",
                f.batch,
                f.own_people,
                f.requests,
                f.mutations as f64 / seconds,
                seconds * 1000.0 / f.requests as f64,
            );
        }
        println!(
            "  {:<11} {:<24} {:>14} {:>17} {:>8} {:>10} {:>8}",
            "backend",
            "pull",
            "user's people",
            "people on server",
            "samples",
            "median ms",
            "p95 ms"
        );
        for (backend, what, own, samples) in &self.pulls {
            let people = self
                .people
                .iter()
                .find(|(b, _)| b == backend)
                .map_or(0, |(_, n)| *n);
            println!(
                "  {backend:<11} {what:<24} {own:>14} {people:>17} {:>8} {:>10.2} {:>8.2}",
                samples.len(),
                percentile(samples, 0.5),
                percentile(samples, 0.95),
            );
        }
        println!("Under load (see benches/sync/load.rs)");
        for (backend, f) in &self.loads {
            let creates = self
                .pushes
                .iter()
                .filter(|(b, what, p)| b == backend && *what == "create people" && p.batch == 100)
                .map(|(_, _, p)| p.mutations as f64 / p.took.as_secs_f64())
                .next()
                .unwrap_or(0.0);
            println!(
                "  {backend:<11} pushes of 100 people: {creates:.0} mutations/s; the database's own \
                 limit, 100 rows per transaction: {:.0} rows/s",
                f.limit_rows_per_s
            );
            for (what, hold) in &f.longest_hold {
                println!(
                    "  {backend:<11} longest write-lock hold during {what}: {:.1} ms",
                    hold.as_secs_f64() * 1000.0
                );
            }
            println!(
                "  {backend:<11} other users' pushes meanwhile: {} requests, median {:.1} ms, p99 {:.1} ms",
                f.others.len(),
                percentile(&f.others, 0.5),
                percentile(&f.others, 0.99),
            );
            println!(
                "  {backend:<11} statuses during the heavy pushes: {:?} (500s: {})",
                f.statuses,
                f.statuses.get(&500).copied().unwrap_or(0)
            );
            println!(
                "  {backend:<11} 200 wrong sign-ins at once: resident memory rose {:.1} MiB; statuses {:?} (500s: {})",
                f.sign_in_peak_mib,
                f.sign_in_statuses,
                f.sign_in_statuses.get(&500).copied().unwrap_or(0)
            );
        }
        for line in &self.skipped {
            println!("  {line}");
        }
        println!(
            "  (user's people: how many people the pushing or pulling user had created; a push \
             or a pull reads only those its records name)"
        );
    }
}

/// The `q` quantile of `samples` in milliseconds (nearest rank).
fn percentile(samples: &[Duration], q: f64) -> f64 {
    let mut sorted = samples.to_vec();
    sorted.sort();
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1].as_secs_f64() * 1000.0
}

/// A database made for one run, removed afterwards.
struct Scratch {
    url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteFile(std::path::PathBuf),
    PostgresDatabase { admin_url: String, name: String },
}

impl Scratch {
    fn sqlite() -> Scratch {
        let path = std::env::temp_dir().join(format!("{}.db", unique_name()));
        Scratch {
            url: format!("sqlite:{}", path.display()),
            cleanup: Cleanup::SqliteFile(path),
        }
    }

    async fn postgres(admin_url: &str) -> Result<Scratch> {
        let name = unique_name();
        let url = organise_server::db::create_database(admin_url, &name)
            .await
            .context("creating a database on the benchmark's PostgreSQL")?;
        Ok(Scratch {
            url,
            cleanup: Cleanup::PostgresDatabase {
                admin_url: admin_url.to_owned(),
                name,
            },
        })
    }

    async fn remove(self) -> Result<()> {
        match self.cleanup {
            Cleanup::SqliteFile(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::PostgresDatabase { admin_url, name } => {
                organise_server::db::drop_database(&admin_url, &name).await?;
            }
        }
        Ok(())
    }
}

fn unique_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default()
            .as_nanos(),
    );
    hasher.write_u32(std::process::id());
    format!("organise_bench_{:016x}", hasher.finish())
}
