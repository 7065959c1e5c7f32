//! "Acknowledged means durable", proved on the real server process: several clients push as
//! fast as they can, the server is killed with `SIGKILL` while pushes are in flight, and after
//! a restart on the same database every mutation that was answered `applied` must be there
//! with the value and version it was acknowledged with. Replaying each client's unacknowledged
//! outbox must then succeed without duplicating anything.
//!
//! The test fails if the server answered before its transaction committed, if a commit did not
//! reach the database before the answer, or if a replay after the restart were applied twice.
//!
//! It runs on SQLite by default and on PostgreSQL with `ORGANISE_TEST_BACKEND=postgres` and
//! `ORGANISE_TEST_POSTGRES_URL` (a server where this user may `CREATE DATABASE`), like the
//! router-level tests in `tests/it/`. The server is driven over a real socket by the small
//! HTTP/1.1 client at the bottom of this file, one connection per request.

use std::collections::BTreeMap;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use organise_core::id::{AreaId, PersonId, RecordId, UserId};
use organise_core::model::{Person, Source};
use organise_core::record::{Collection, Entity, Record};
use organise_core::sync::replica::Replica;
use organise_core::sync::wire::{
    ClientId, MAX_PUSH_BATCH, Outcome, PullResponse, PushResponse, RecordKey, SyncedRecord, Version,
};
use organise_server::Db;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The admin every client signs in as (synthetic).
const EMAIL: &str = "crash-admin@test.organise.invalid";
/// The admin's password.
const PASSWORD: &str = "a long synthetic test password";
/// How many clients push at once.
const PUSHERS: usize = 4;
/// The most person creations a client puts in one push.
const MAX_BATCH: usize = 20;
/// How many acknowledged mutations to wait for before the kill.
const ACKNOWLEDGED_BEFORE_KILL: usize = 400;
/// How long any one request may take before the test gives up on it (a hung server, not a
/// performance limit).
const REQUEST_DEADLINE: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_pushes_survive_a_sigkill_and_replays_are_not_duplicated() {
    let scratch = Scratch::new().await;
    create_admin(&scratch);

    let mut server = Server::start(&scratch, "first").await;

    // Every client signs in before any pushes, so none is still signing in at the kill.
    let mut sessions = Vec::with_capacity(PUSHERS);
    for _ in 0..PUSHERS {
        sessions.push(Session::sign_in(server.addr).await);
    }
    let forgetful_session = Session::sign_in(server.addr).await;
    let shared = Arc::new(Shared::default());
    let pushers: Vec<_> = sessions
        .into_iter()
        .enumerate()
        .map(|(n, session)| {
            let shared = shared.clone();
            let addr = server.addr;
            tokio::spawn(async move {
                let mut pusher = Pusher::new(n, &session);
                pusher.push_until_stopped(addr, &session, &shared).await;
                pusher
            })
        })
        .collect();

    // Once enough is acknowledged, one more client pushes and loses the answer (as when the
    // app is closed as the answer arrives): the server has committed, the client does not
    // know. Then the kill, at a moment when at least one push is on the wire. A pusher that
    // stops early has panicked: joining it below reports why.
    let started = Instant::now();
    let mut forgetful = Pusher::new(PUSHERS, &forgetful_session);
    let mut lost = None;
    while (shared.acknowledged.load(Ordering::SeqCst) < ACKNOWLEDGED_BEFORE_KILL
        || shared.in_flight.load(Ordering::SeqCst) == 0
        || lost.is_none())
        && pushers.iter().all(|p| !p.is_finished())
    {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the pushers made no progress ({} acknowledged)",
            shared.acknowledged.load(Ordering::SeqCst)
        );
        if lost.is_none() && shared.acknowledged.load(Ordering::SeqCst) >= ACKNOWLEDGED_BEFORE_KILL
        {
            lost = Some(
                forgetful
                    .push_and_lose_the_answer(server.addr, &forgetful_session)
                    .await,
            );
        } else {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }
    shared.stopping.store(true, Ordering::SeqCst);
    server.kill();

    let mut pushers: Vec<Pusher> = join_all(pushers).await;
    let lost = lost.expect("the forgetful client pushed before the kill");
    assert!(
        pushers.iter().map(|p| p.acknowledged.len()).sum::<usize>() >= ACKNOWLEDGED_BEFORE_KILL,
        "the server was killed before enough was acknowledged"
    );
    let created: usize = pushers.iter().map(|p| p.created.len()).sum();
    let acknowledged: usize = pushers.iter().map(|p| p.acknowledged.len()).sum();
    let cut_off: usize = pushers.iter().map(|p| p.cut_off).sum();
    let pending: usize = pushers.iter().map(|p| p.replica.outbox().count()).sum();
    eprintln!(
        "{}: killed after {acknowledged} acknowledged of {created} created person records; \
         {cut_off} push(es) cut off by the kill, {pending} mutation(s) unacknowledged",
        scratch.backend_name()
    );

    // Restart on the same database: everything acknowledged is there, as acknowledged.
    let server = Server::start(&scratch, "second").await;
    let checker_session = Session::sign_in(server.addr).await;
    let mut checker = Replica::new(ClientId::from_u128(0xC4EC_0000), checker_session.user);
    let people = pull_people(server.addr, &checker_session, &mut checker).await;
    let all_created: BTreeMap<RecordId, Record> = pushers
        .iter()
        .chain([&forgetful])
        .flat_map(|p| p.created.clone())
        .collect();
    for (id, version) in &lost {
        let stored = people.get(id).unwrap_or_else(|| {
            panic!("person {id} was answered applied at {version} but is missing after the restart")
        });
        assert_same_record(stored, &forgetful.created[id]);
        assert_eq!(stored.version(), *version, "person {id}'s version moved");
    }
    for pusher in &pushers {
        for (id, version) in &pusher.acknowledged {
            let stored = people.get(id).unwrap_or_else(|| {
                panic!(
                    "person {id} was acknowledged at {version} to client {} but is missing \
                     after the restart",
                    pusher.number
                )
            });
            assert_same_record(stored, &pusher.created[id]);
            assert_eq!(
                stored.version(),
                *version,
                "person {id} is not at the version it was acknowledged with"
            );
        }
    }
    for id in people.keys() {
        assert!(
            all_created.contains_key(id),
            "person {id} is on the server but no client created it"
        );
    }
    let committed_unanswered = people
        .keys()
        .filter(|id| pushers.iter().all(|p| !p.acknowledged.contains_key(id)))
        .count();
    eprintln!(
        "{}: after the restart the server holds {} people; {committed_unanswered} of them were \
         committed but their client holds no outcome ({} by the client that lost its answer)",
        scratch.backend_name(),
        people.len(),
        lost.len()
    );

    // Each client's unacknowledged outbox goes through; replays change nothing. Each signs
    // in afresh, as a device would once its server is back.
    for pusher in pushers.iter_mut().chain([&mut forgetful]) {
        let session = Session::sign_in(server.addr).await;
        pusher.push_rest(server.addr, &session).await;
    }
    assert_eq!(
        forgetful.acknowledged, lost,
        "the replay of a committed push did not return the outcomes it was first given"
    );
    let people = pull_people(server.addr, &checker_session, &mut checker).await;
    assert_eq!(
        people.len(),
        all_created.len(),
        "the server holds {} person records for {} distinct creations",
        people.len(),
        all_created.len()
    );
    for (id, record) in &all_created {
        let stored = people
            .get(id)
            .unwrap_or_else(|| panic!("person {id} is missing after the outboxes were pushed"));
        assert_same_record(stored, record);
    }
    drop(server);
    scratch.remove().await;
}

/// Awaits every pusher, propagating a panic in any of them.
async fn join_all<T>(handles: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(handles.len());
    for handle in handles {
        match handle.await {
            Ok(value) => out.push(value),
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }
    out
}

fn assert_same_record(stored: &SyncedRecord, created: &Record) {
    let stored = stored.to_record();
    assert_eq!(
        stored.area, created.area,
        "person {}: area differs",
        created.id
    );
    assert_eq!(
        stored.created_by, created.created_by,
        "person {}: creator differs",
        created.id
    );
    assert_eq!(
        stored.fields, created.fields,
        "person {}: fields differ from what was acknowledged",
        created.id
    );
}

/// What the pushers and the killer share.
#[derive(Default)]
struct Shared {
    /// Mutations acknowledged so far, over all clients.
    acknowledged: AtomicUsize,
    /// Pushes sent and not yet answered.
    in_flight: AtomicUsize,
    /// Set just before the kill: errors from now on are expected, and no new push starts.
    stopping: AtomicBool,
}

/// One client: its replica, what it created and what the server acknowledged.
struct Pusher {
    number: usize,
    replica: Replica,
    area: AreaId,
    user: UserId,
    rng: u64,
    next: u128,
    /// Every person record it created, acknowledged or not.
    created: BTreeMap<RecordId, Record>,
    /// Those the server answered `applied`, with the version.
    acknowledged: BTreeMap<RecordId, Version>,
    /// Pushes that got no complete answer because the server was killed.
    cut_off: usize,
}

impl Pusher {
    fn new(number: usize, session: &Session) -> Pusher {
        let client = ClientId::from_u128(0xC1_0000 + number as u128);
        Pusher {
            number,
            replica: Replica::new(client, session.user),
            area: session.area,
            user: session.user,
            rng: 0x9E37_79B9_7F4A_7C15 ^ (number as u64 + 1).wrapping_mul(0xD1B5_4A32_D192_ED03),
            next: 0,
            created: BTreeMap::new(),
            acknowledged: BTreeMap::new(),
            cut_off: 0,
        }
    }

    fn random(&mut self, below: usize) -> usize {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) % below as u64) as usize
    }

    /// Records the creation of a synthetic person in the replica's outbox.
    fn create_person(&mut self) {
        const FIRST: [&str; 6] = ["Alex", "Sam", "Rhiannon", "Siobhan", "Jean-Paul", "Dafydd"];
        const LAST: [&str; 5] = ["Example", "Sample", "O'Test", "Placeholder", "Dummy"];
        self.next += 1;
        let id = RecordId::from_u128(((self.number as u128 + 1) << 64) | self.next);
        let name = format!(
            "{} {}",
            FIRST[self.random(FIRST.len())],
            LAST[self.random(LAST.len())]
        );
        let record = Person {
            tags: [format!("crash test {}-{}", self.number, self.next)].into(),
            ..Person::new(PersonId(id), self.area, self.user, name, Source::Doorstep)
        }
        .to_record();
        self.replica
            .create(&record)
            .expect("a new person can be queued");
        self.created.insert(id, record);
    }

    /// Creates and pushes batches of 1 to [`MAX_BATCH`] people until the kill is near, then
    /// until the push in flight fails or is answered.
    async fn push_until_stopped(&mut self, addr: SocketAddr, session: &Session, shared: &Shared) {
        while !shared.stopping.load(Ordering::SeqCst) {
            for _ in 0..=self.random(MAX_BATCH) {
                self.create_person();
            }
            let request = self
                .replica
                .push_request(MAX_PUSH_BATCH)
                .expect("the outbox is not empty");
            let body = serde_json::to_vec(&request).unwrap();
            shared.in_flight.fetch_add(1, Ordering::SeqCst);
            let reply = post(addr, "/api/sync/push", session, &body).await;
            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
            match reply {
                Ok(reply) if reply.status == 200 => {
                    let acknowledged = self.apply_push_reply(&request_keys(&request), &reply);
                    shared
                        .acknowledged
                        .fetch_add(acknowledged, Ordering::SeqCst);
                }
                // A complete answer other than 200 is a server error, even during the kill:
                // the process dies at once and writes nothing more.
                Ok(reply) => panic!(
                    "client {}: push answered {}: {}",
                    self.number,
                    reply.status,
                    String::from_utf8_lossy(&reply.body)
                ),
                Err(error) if shared.stopping.load(Ordering::SeqCst) => {
                    let _ = error;
                    self.cut_off += 1;
                    return;
                }
                Err(error) => panic!("client {}: push failed: {error}", self.number),
            }
        }
    }

    /// Creates and pushes a batch of people, and drops the answer: the replica still holds
    /// them as pending. Returns what the server answered, by record.
    async fn push_and_lose_the_answer(
        &mut self,
        addr: SocketAddr,
        session: &Session,
    ) -> BTreeMap<RecordId, Version> {
        for _ in 0..=self.random(MAX_BATCH) {
            self.create_person();
        }
        let request = self
            .replica
            .push_request(MAX_PUSH_BATCH)
            .expect("the outbox is not empty");
        let reply = post(
            addr,
            "/api/sync/push",
            session,
            &serde_json::to_vec(&request).unwrap(),
        )
        .await
        .expect("the push whose answer is lost");
        assert_eq!(
            reply.status,
            200,
            "{}",
            String::from_utf8_lossy(&reply.body)
        );
        let response: PushResponse = serde_json::from_slice(&reply.body).unwrap();
        let keys = request_keys(&request);
        response
            .outcomes
            .iter()
            .map(|outcome| match outcome.outcome {
                Outcome::Applied { version } => (keys[&outcome.seq.0], version),
                ref other => panic!("mutation {} was not applied: {other:?}", outcome.seq),
            })
            .collect()
    }

    /// Applies a 200 push answer to the replica and records what it acknowledged. Every
    /// outcome must be `applied`: these are new people in an area the admin may write.
    fn apply_push_reply(&mut self, keys: &BTreeMap<u64, RecordId>, reply: &Reply) -> usize {
        let response: PushResponse = serde_json::from_slice(&reply.body).unwrap_or_else(|e| {
            panic!(
                "client {}: a 200 push answer does not parse: {e}",
                self.number
            )
        });
        let mut acknowledged = 0;
        for outcome in &response.outcomes {
            let Outcome::Applied { version } = outcome.outcome else {
                panic!(
                    "client {}: mutation {} was not applied: {:?}",
                    self.number, outcome.seq, outcome.outcome
                );
            };
            let id = keys[&outcome.seq.0];
            if let Some(earlier) = self.acknowledged.insert(id, version) {
                assert_eq!(
                    earlier, version,
                    "client {}: person {id} acknowledged twice at different versions",
                    self.number
                );
            } else {
                acknowledged += 1;
            }
        }
        self.replica.apply_push_response(&response);
        acknowledged
    }

    /// After the restart: pushes whatever is still in the outbox. Mutations that committed
    /// before the kill come back as replays with their stored outcome; the rest apply now.
    async fn push_rest(&mut self, addr: SocketAddr, session: &Session) {
        while let Some(request) = self.replica.push_request(MAX_PUSH_BATCH) {
            let pending_before = self.replica.outbox().count();
            let body = serde_json::to_vec(&request).unwrap();
            let reply = post(addr, "/api/sync/push", session, &body)
                .await
                .unwrap_or_else(|e| panic!("client {}: replay push failed: {e}", self.number));
            assert_eq!(
                reply.status,
                200,
                "client {}: replaying the outbox after the restart was refused: {}",
                self.number,
                String::from_utf8_lossy(&reply.body)
            );
            self.apply_push_reply(&request_keys(&request), &reply);
            assert!(
                self.replica.outbox().count() < pending_before,
                "client {}: a replay push acknowledged nothing",
                self.number
            );
        }
    }
}

/// The record each mutation of a push creates, by seq.
fn request_keys(request: &organise_core::sync::wire::PushRequest) -> BTreeMap<u64, RecordId> {
    request
        .mutations
        .iter()
        .map(|m| (m.seq.0, m.record_id))
        .collect()
}

/// Pulls every page from the replica's cursor and returns the person records it holds.
async fn pull_people(
    addr: SocketAddr,
    session: &Session,
    replica: &mut Replica,
) -> BTreeMap<RecordId, SyncedRecord> {
    loop {
        let body = serde_json::to_vec(&replica.pull_request(500)).unwrap();
        let reply = post(addr, "/api/sync/pull", session, &body)
            .await
            .expect("pull after the restart");
        assert_eq!(
            reply.status,
            200,
            "pull: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let response: PullResponse = serde_json::from_slice(&reply.body).expect("pull answer");
        let more = replica
            .apply_pull_response(&response)
            .expect("a pull from the replica's own cursor applies");
        if !more {
            break;
        }
    }
    replica
        .confirmed()
        .iter()
        .filter(|(key, _)| key.collection == Collection::Person)
        .map(|(RecordKey { id, .. }, record)| (*id, record.clone()))
        .collect()
}

// --- The database and the server process ------------------------------------------------------

/// A fresh data directory, and on PostgreSQL a fresh database, removed when dropped.
struct Scratch {
    dir: PathBuf,
    postgres: Option<PostgresDatabase>,
}

struct PostgresDatabase {
    admin_url: String,
    name: String,
    url: String,
}

impl Scratch {
    async fn new() -> Scratch {
        let name = unique_name();
        let dir = std::env::temp_dir().join(&name);
        std::fs::create_dir_all(&dir).unwrap();
        let backend = std::env::var("ORGANISE_TEST_BACKEND").unwrap_or_else(|_| "sqlite".into());
        let postgres = match backend.as_str() {
            "sqlite" => None,
            "postgres" => {
                let admin_url = std::env::var("ORGANISE_TEST_POSTGRES_URL").expect(
                    "ORGANISE_TEST_BACKEND=postgres needs ORGANISE_TEST_POSTGRES_URL, a URL of a \
                     PostgreSQL server where this user may CREATE DATABASE",
                );
                let admin = Db::connect(&admin_url)
                    .await
                    .expect("connecting to the test PostgreSQL");
                sqlx::query(&format!("CREATE DATABASE {name}"))
                    .execute(admin.pool())
                    .await
                    .unwrap();
                admin.close().await;
                let url = with_database(&admin_url, &name);
                Some(PostgresDatabase {
                    admin_url,
                    name,
                    url,
                })
            }
            other => panic!("ORGANISE_TEST_BACKEND must be sqlite or postgres, not {other:?}"),
        };
        Scratch { dir, postgres }
    }

    fn backend_name(&self) -> &'static str {
        if self.postgres.is_some() {
            "PostgreSQL"
        } else {
            "SQLite"
        }
    }

    /// The database options every command gets.
    fn database_args(&self, command: &mut Command) {
        command.arg("--data-dir").arg(&self.dir);
        if let Some(postgres) = &self.postgres {
            command.args(["--database-url", &postgres.url]);
        }
    }

    /// Drops the PostgreSQL database (the directory goes on drop).
    async fn remove(mut self) {
        if let Some(postgres) = self.postgres.take() {
            postgres.drop_database().await;
        }
    }
}

impl PostgresDatabase {
    async fn drop_database(self) {
        let admin = Db::connect(&self.admin_url).await.unwrap();
        sqlx::query(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            self.name
        ))
        .execute(admin.pool())
        .await
        .unwrap();
        admin.close().await;
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if std::thread::panicking() {
            // The servers' logs say what they saw (synthetic data only).
            for run in ["first", "second"] {
                let log = self.dir.join(format!("server-{run}.log"));
                if let Ok(text) = std::fs::read_to_string(log) {
                    eprintln!("--- the {run} server's log ---\n{text}");
                }
            }
        }
        let _ = std::fs::remove_dir_all(&self.dir);
        // After a failure the database is dropped here, on a runtime of its own.
        if let Some(postgres) = self.postgres.take() {
            let _ = std::thread::spawn(move || {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap()
                    .block_on(postgres.drop_database());
            })
            .join();
        }
    }
}

fn unique_name() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos(),
    );
    hasher.write_u32(std::process::id());
    format!("organise_crash_{:016x}", hasher.finish())
}

/// `url` with its database name replaced by `name`, keeping any query string.
fn with_database(url: &str, name: &str) -> String {
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

const BINARY: &str = env!("CARGO_BIN_EXE_organise-server");

/// `organise-server create-admin`, with the password on standard input.
fn create_admin(scratch: &Scratch) {
    let mut command = Command::new(BINARY);
    command.args([
        "create-admin",
        "--email",
        EMAIL,
        "--name",
        "Crash Test Admin",
    ]);
    scratch.database_args(&mut command);
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("starting organise-server create-admin");
    writeln!(child.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "create-admin failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A running `organise-server serve`, killed when dropped.
struct Server {
    child: Child,
    addr: SocketAddr,
}

impl Server {
    /// Starts the server on a free loopback port and waits until it answers.
    async fn start(scratch: &Scratch, run: &str) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let log_path = scratch.dir.join(format!("server-{run}.log"));
        let log = std::fs::File::create(&log_path).unwrap();
        let mut command = Command::new(BINARY);
        command
            .args(["serve", "--addr", &addr.to_string()])
            .arg("--dist")
            .arg(scratch.dir.join("no-client"));
        scratch.database_args(&mut command);
        let child = command
            .env("ORGANISE_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .expect("starting organise-server serve");
        let mut server = Server { child, addr };
        server.wait_until_up(&log_path).await;
        server
    }

    async fn wait_until_up(&mut self, log: &Path) {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                panic!(
                    "the server exited with {status}:\n{}",
                    std::fs::read_to_string(log).unwrap_or_default()
                );
            }
            let up = request(self.addr, "GET", "/api/health", None, &[]).await;
            if up.is_ok_and(|reply| reply.status == 200) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the server did not answer within 60 s:\n{}",
                std::fs::read_to_string(log).unwrap_or_default()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// `SIGKILL`: no shutdown, no flushing, nothing after the instant of the kill.
    fn kill(&mut self) {
        self.child.kill().expect("killing the server");
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// --- A minimal HTTP/1.1 client -----------------------------------------------------------------

/// A signed-in session: the cookie, the CSRF token, the user and the area of their admin role.
struct Session {
    cookie: String,
    csrf: String,
    user: UserId,
    area: AreaId,
}

impl Session {
    async fn sign_in(addr: SocketAddr) -> Session {
        let body = serde_json::json!({ "email": EMAIL, "password": PASSWORD }).to_string();
        let reply = request(addr, "POST", "/api/session", None, body.as_bytes())
            .await
            .expect("signing in");
        assert_eq!(
            reply.status,
            200,
            "sign-in: {}",
            String::from_utf8_lossy(&reply.body)
        );
        let cookie = reply
            .header("set-cookie")
            .and_then(|c| c.split(';').next())
            .expect("sign-in sets a cookie")
            .to_owned();
        let info: serde_json::Value = serde_json::from_slice(&reply.body).unwrap();
        let parse = |value: &serde_json::Value| -> RecordId {
            value.as_str().expect("an id").parse().expect("a UUID")
        };
        Session {
            cookie,
            csrf: info["csrf_token"].as_str().unwrap().to_owned(),
            user: UserId(parse(&info["user"]["id"])),
            area: AreaId(parse(&info["user"]["roles"][0]["area"])),
        }
    }
}

/// A complete response.
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

async fn post(
    addr: SocketAddr,
    path: &str,
    session: &Session,
    body: &[u8],
) -> std::io::Result<Reply> {
    request(addr, "POST", path, Some(session), body).await
}

/// One request on a new connection (`Connection: close`). Only a complete response is `Ok`:
/// a connection reset, an early end of stream or a body shorter than its `Content-Length` is
/// an error, so a half-written answer is never taken for an acknowledgement.
async fn request(
    addr: SocketAddr,
    method: &str,
    path: &str,
    session: Option<&Session>,
    body: &[u8],
) -> std::io::Result<Reply> {
    let exchange = async {
        let mut stream = TcpStream::connect(addr).await?;
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        );
        if let Some(session) = session {
            head.push_str(&format!(
                "Cookie: {}\r\nx-csrf-token: {}\r\n",
                session.cookie, session.csrf
            ));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body).await?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).await?;
        parse_reply(&raw)
    };
    tokio::time::timeout(REQUEST_DEADLINE, exchange)
        .await
        .unwrap_or_else(|_| Err(invalid("no answer within the deadline")))
}

fn invalid(why: &str) -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::InvalidData, why.to_owned())
}

fn parse_reply(raw: &[u8]) -> std::io::Result<Reply> {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| invalid("the response ended before its headers did"))?;
    let head = std::str::from_utf8(&raw[..end]).map_err(|_| invalid("non-UTF-8 headers"))?;
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| invalid("no status line"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_owned(), value.trim().to_owned()))
        .collect();
    let mut reply = Reply {
        status,
        headers,
        body: Vec::new(),
    };
    let rest = &raw[end + 4..];
    reply.body = if reply
        .header("transfer-encoding")
        .is_some_and(|te| te.eq_ignore_ascii_case("chunked"))
    {
        dechunk(rest)?
    } else if let Some(length) = reply.header("content-length") {
        let length: usize = length.parse().map_err(|_| invalid("bad Content-Length"))?;
        if rest.len() < length {
            return Err(invalid("the body is shorter than its Content-Length"));
        }
        rest[..length].to_vec()
    } else {
        rest.to_vec()
    };
    Ok(reply)
}

/// Decodes a chunked body; one that ends before its last (empty) chunk is an error.
fn dechunk(mut rest: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest
            .windows(2)
            .position(|w| w == b"\r\n")
            .ok_or_else(|| invalid("a chunk size line is cut off"))?;
        let size_text = std::str::from_utf8(&rest[..line_end])
            .map_err(|_| invalid("bad chunk size"))?
            .split(';')
            .next()
            .unwrap_or_default()
            .trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| invalid("bad chunk size"))?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Ok(body);
        }
        if rest.len() < size + 2 {
            return Err(invalid("a chunk is cut off"));
        }
        body.extend_from_slice(&rest[..size]);
        rest = &rest[size + 2..];
    }
}

#[test]
fn a_cut_off_response_is_never_a_reply() {
    let full = b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello";
    assert_eq!(parse_reply(full).unwrap().body, b"hello");
    assert!(parse_reply(b"HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhel").is_err());
    assert!(parse_reply(b"HTTP/1.1 200 OK\r\ncontent-le").is_err());
    let chunked =
        b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n";
    assert_eq!(parse_reply(chunked).unwrap().body, b"hello");
    assert!(
        parse_reply(b"HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nhel\r\n").is_err()
    );
}
