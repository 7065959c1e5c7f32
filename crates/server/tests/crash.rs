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
//! router-level tests in `tests/it/`. The server process, its scratch database and the small
//! HTTP/1.1 client that drives it over a real socket are in `process/`, shared with `scale.rs`.

mod process;

use std::collections::BTreeMap;
use std::net::SocketAddr;
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

use process::{Reply, Scratch, Server, Session, create_admin, join_all, parse_reply, post};

/// The admin every client signs in as (synthetic).
const EMAIL: &str = "crash-admin@test.organise.invalid";
/// How many clients push at once.
const PUSHERS: usize = 4;
/// The most person creations a client puts in one push.
const MAX_BATCH: usize = 20;
/// How many acknowledged mutations to wait for before the kill.
const ACKNOWLEDGED_BEFORE_KILL: usize = 400;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_pushes_survive_a_sigkill_and_replays_are_not_duplicated() {
    let scratch = Scratch::new("crash").await;
    create_admin(&scratch, EMAIL, None);

    let mut server = Server::start(&scratch, "first").await;

    // Every client signs in before any pushes, so none is still signing in at the kill.
    let mut sessions = Vec::with_capacity(PUSHERS);
    for _ in 0..PUSHERS {
        sessions.push(Session::sign_in(server.addr, EMAIL).await);
    }
    let forgetful_session = Session::sign_in(server.addr, EMAIL).await;
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
    let checker_session = Session::sign_in(server.addr, EMAIL).await;
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
        let session = Session::sign_in(server.addr, EMAIL).await;
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
