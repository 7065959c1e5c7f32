//! Horizontal scale, proved on real processes: two `organise-server` processes serve one
//! database, and every client's requests alternate between them, as behind a load balancer
//! with no session affinity. Nothing a process keeps for itself may change an answer:
//!
//! - pushes and pulls spread over both converge: every puller, once caught up, holds exactly
//!   what the server holds for its user, and every acknowledged mutation is there;
//! - wrong passwords alternating between the processes slow an account exactly as on one;
//! - a session made on one process works on the other, and signing out, signing out
//!   everywhere, changing the password or losing a role on one ends it on the other;
//! - an area re-parented through one process changes what a user pulls from the other at
//!   once (each process caches the area tree, keyed by the database's `area_generation`);
//! - processes started at once on a new database both start, and seed it once.
//!
//! It runs on SQLite by default (two processes on one file, in WAL mode with busy timeouts)
//! and on PostgreSQL with `ORGANISE_TEST_BACKEND=postgres` and `ORGANISE_TEST_POSTGRES_URL`,
//! like `crash.rs`; without that URL `cargo xtask test` counts the PostgreSQL run as skipped.
//! The processes and the HTTP client are in `process/`.

mod process;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use organise_core::area::{Area, AreaKind};
use organise_core::id::{AreaId, PersonId, RecordId, UserId};
use organise_core::model::{Person, Role, RoleAssignment, Source};
use organise_core::record::{Collection, Entity, Record, Value};
use organise_core::sync::replica::Replica;
use organise_core::sync::server as protocol;
use organise_core::sync::wire::{
    ClientId, Conflict, ConflictId, Mutation, Op, Outcome, PullResponse, PushResponse, RecordKey,
    SyncedRecord, Version,
};
use organise_server::Db;
use organise_server::demo::REGIONS_AND_NATIONS;
use organise_server::sync_store::{self, Access, TreeCache};

use process::{
    PASSWORD, Reply, Scratch, Server, Session, create_admin, join_all, post, request, sign_in,
};

/// The admin of the whole country, made from the command line (synthetic).
const ADMIN: &str = "scale-admin@test.organise.invalid";

/// The scenarios run one at a time: each starts two processes of its own, and on a machine
/// with few cores the throttle scenario's one-second windows must not wait behind another
/// scenario's pushes.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

// --- Pushers and pullers -----------------------------------------------------------------------

/// Pushes per pusher.
const BATCHES: usize = 20;
/// The most mutations in one push.
const MAX_BATCH: usize = 6;
/// People every editor edits at once, from stale bases.
const SHARED_PEOPLE: usize = 10;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pushes_and_pulls_alternating_between_two_processes_converge() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::start("scaleconv").await;
    let admin = Session::sign_in(cluster.servers[0], ADMIN).await;
    let areas = cluster.areas(&admin).await;
    let (london, wales) = (areas["London"], areas["Wales"]);
    let london_organiser = cluster
        .invite(&admin, "london", Role::Organiser, london)
        .await;
    let wales_organiser = cluster
        .invite(&admin, "wales", Role::Organiser, wales)
        .await;
    let volunteer = cluster
        .invite(&admin, "volunteer", Role::Volunteer, london)
        .await;

    // People in London that the London organiser's phones and the admin edit at once.
    let mut setup = cluster.phone(&london_organiser, 100);
    let shared: Vec<RecordKey> = (0..SHARED_PEOPLE)
        .map(|n| setup.create_person(london, n))
        .collect();
    setup.push_all().await;
    let shared = Arc::new(shared);

    // Each pusher has its own client id and replica; each user's puller is another phone.
    let pushers = vec![
        (cluster.phone(&london_organiser, 1), london, true),
        (cluster.phone(&london_organiser, 2), london, true),
        (cluster.phone(&admin, 3), london, true),
        (cluster.phone(&wales_organiser, 4), wales, false),
        (cluster.phone(&volunteer, 5), london, false),
    ];
    let pullers = [
        (&london_organiser, 11),
        (&wales_organiser, 12),
        (&volunteer, 13),
        (&admin, 14),
    ];
    let done = Arc::new(AtomicBool::new(false));
    let pullers: Vec<_> = pullers
        .into_iter()
        .map(|(session, number)| {
            let mut phone = cluster.phone(session, number);
            let done = done.clone();
            tokio::spawn(async move {
                let mut pages = 0;
                while !done.load(Ordering::SeqCst) {
                    pages += phone.pull_round().await;
                }
                // One last round after every push has been acknowledged.
                pages += phone.pull_round().await;
                (phone, pages)
            })
        })
        .collect();
    let pushers: Vec<_> = pushers
        .into_iter()
        .map(|(mut phone, area, edits_shared)| {
            let shared = shared.clone();
            tokio::spawn(async move {
                let mut acks = Vec::new();
                for batch in 0..BATCHES {
                    for n in 0..=phone.random(MAX_BATCH) {
                        if edits_shared && phone.random(3) > 0 {
                            let key = shared[phone.random(shared.len())];
                            let name = NAMES[phone.random(NAMES.len())];
                            // From a stale base: concurrent edits conflict.
                            phone
                                .replica
                                .set_field(key, "name", Value::Text(name.into()))
                                .unwrap();
                        } else {
                            phone.create_person(area, batch * MAX_BATCH + n);
                        }
                    }
                    acks.extend(phone.push_all().await);
                }
                (phone, acks)
            })
        })
        .collect();

    let mut acks: Vec<Ack> = Vec::new();
    let mut created: BTreeMap<RecordKey, Record> = BTreeMap::new();
    for pusher in join_all(pushers).await {
        let (phone, phone_acks) = pusher;
        assert_eq!(phone.replica.outbox().count(), 0, "every push was answered");
        created.extend(phone.created);
        acks.extend(phone_acks);
    }
    done.store(true, Ordering::SeqCst);
    let pullers = join_all(pullers).await;

    // Every acknowledged mutation is in the final state: creations as made, the last edit
    // (by version, the server's commit order) of each shared name as its value, every
    // conflict the last edit of a name was told of still open (an earlier one a later edit
    // has closed, or kept under a new id), and every open conflict showing the name as it
    // stands.
    let (everything, open_conflicts) = cluster.visible_to(admin.user).await;
    let mut last_edit: BTreeMap<RecordKey, (Version, Value)> = BTreeMap::new();
    let mut told: Vec<(RecordKey, Version, ConflictId)> = Vec::new();
    for ack in &acks {
        let version = match ack.outcome {
            Outcome::Applied { version } | Outcome::Conflicted { version, .. } => version,
            ref other => panic!("{:?} was answered {other:?}", ack.mutation.op),
        };
        let key = ack.mutation.key();
        let stored = everything
            .get(&key)
            .unwrap_or_else(|| panic!("{key:?}, acknowledged at {version}, is missing"));
        assert!(stored.version() >= version, "{key:?} went back in time");
        match &ack.mutation.op {
            // The pushers' own people: nobody edits them.
            Op::Create { .. } => {
                assert_eq!(
                    &stored.to_record(),
                    &created[&key],
                    "{key:?} is not as created"
                );
                assert_eq!(
                    stored.version(),
                    version,
                    "{key:?} moved though none edits it"
                );
            }
            Op::SetField { value, .. } => {
                let last = last_edit.entry(key).or_insert((version, value.clone()));
                if version > last.0 {
                    *last = (version, value.clone());
                }
            }
            other => panic!("the pushers make no {other:?}"),
        }
        if let Outcome::Conflicted { conflict, .. } = ack.outcome {
            told.push((key, version, conflict));
        }
    }
    assert_eq!(
        last_edit.len(),
        SHARED_PEOPLE,
        "every shared person was edited"
    );
    for (key, (version, value)) in &last_edit {
        let name = &everything[key].fields["name"];
        assert_eq!(
            (name.version, &name.value),
            (*version, value),
            "{key:?}: the name is not the last one committed"
        );
    }
    for (key, version, conflict) in &told {
        if last_edit[key].0 == *version {
            assert!(
                open_conflicts.contains_key(conflict),
                "conflict {conflict:?} that the last edit of {key:?} was told of is not open"
            );
        }
    }
    for conflict in open_conflicts.values() {
        let field = &everything[&conflict.key].fields[conflict.field.as_str()];
        assert_eq!(
            conflict.winner.value, field.value,
            "open conflict {:?} does not show {:?} as it stands",
            conflict.id, conflict.key
        );
    }
    let conflicted = acks
        .iter()
        .filter(|a| matches!(a.outcome, Outcome::Conflicted { .. }))
        .count();
    assert!(
        conflicted > 0,
        "concurrent edits from stale bases conflicted"
    );

    // Every puller's stream, replayed, is exactly what the server holds for its user.
    let mut pages = 0;
    for (phone, puller_pages) in pullers {
        let user = phone.replica.user();
        let (records, conflicts) = cluster.visible_to(user).await;
        assert!(
            records.keys().any(|k| k.collection == Collection::Person),
            "{}: sees people",
            phone.name
        );
        assert_eq!(
            phone.replica.confirmed(),
            &records,
            "{}: the pulled stream differs from the server's records",
            phone.name
        );
        assert_eq!(
            phone.replica.confirmed_conflicts(),
            &conflicts,
            "{}: the pulled stream differs from the server's open conflicts",
            phone.name
        );
        assert!(
            puller_pages > 1,
            "{}: pulled while the pushers pushed",
            phone.name
        );
        pages += puller_pages;
    }
    let people = everything
        .keys()
        .filter(|k| k.collection == Collection::Person)
        .count();
    eprintln!(
        "{}: 5 pushers and 4 pullers over two processes: {} mutations acknowledged \
         ({conflicted} conflicted), {people} people, {pages} pages pulled",
        cluster.scratch.backend_name(),
        acks.len(),
    );
    cluster.remove().await;
}

const NAMES: [&str; 4] = [
    "Rhiannon Example",
    "Siobhan Sample",
    "Dafydd O'Test",
    "Jean-Paul Placeholder",
];

/// An acknowledged mutation and what the server answered.
struct Ack {
    mutation: Mutation,
    outcome: Outcome,
}

// --- The per-account throttle ------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn wrong_passwords_alternating_between_processes_slow_the_account_as_on_one() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::start("scalethrottle").await;
    let [a, b] = cluster.servers;
    create_admin(&cluster.scratch, "one@test.organise.invalid", None);
    create_admin(&cluster.scratch, "both@test.organise.invalid", None);

    let on_one = guess(&[a; 7], "one@test.organise.invalid").await;
    let on_both = guess(&[a, b, a, b, a, b, a], "both@test.organise.invalid").await;
    // Five free attempts, then one second to wait, on one process as on two: with guesses
    // counted per process, the sixth (the third on its process) would have gone through.
    let expected = [
        (401, None),
        (401, None),
        (401, None),
        (401, None),
        (401, None),
        (429, Some(1)),
        // The right password waits too: nothing tells a guesser it was right.
        (429, Some(1)),
    ];
    assert_eq!(on_one, expected, "on one process");
    assert_eq!(on_both, expected, "alternating between two processes");

    // Once the wait is over the right password works, on either process, and clears the
    // count for both.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let right = sign_in(b, "both@test.organise.invalid", PASSWORD)
        .await
        .unwrap();
    assert_eq!(right.status, 200, "{}", right.text());
    let after = guess(&[a, b, a, b, a], "both@test.organise.invalid").await;
    assert_eq!(
        after,
        [
            (401, None),
            (401, None),
            (401, None),
            (401, None),
            (200, None)
        ],
        "a success clears the count"
    );
    cluster.remove().await;
}

/// Sign-in attempts at `email`, one per address in turn, the last with the right password
/// and the others with a wrong one: each answer's status and `Retry-After`.
async fn guess(servers: &[SocketAddr], email: &str) -> Vec<(u16, Option<u64>)> {
    let mut answers = Vec::new();
    for (n, server) in servers.iter().enumerate() {
        let password = if n + 1 == servers.len() {
            PASSWORD
        } else {
            "a wrong synthetic password"
        };
        let reply = sign_in(*server, email, password).await.unwrap();
        let retry_after = reply.header("retry-after").map(|s| s.parse().unwrap());
        answers.push((reply.status, retry_after));
    }
    answers
}

// --- Sessions ----------------------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_session_made_on_one_process_works_and_ends_on_the_other() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::start("scalesession").await;
    let [a, b] = cluster.servers;
    let admin = Session::sign_in(a, ADMIN).await;
    let london = cluster.areas(&admin).await["London"];
    let invited = cluster.invite(&admin, "org", Role::Organiser, london).await;
    let email = "org@test.organise.invalid";

    // Signed in on A, it works on B; signed out on B, it has ended on A.
    let session = Session::sign_in(a, email).await;
    assert_eq!(status(b, &session).await, 200);
    let out = request(b, "DELETE", "/api/session", Some(&session), &[])
        .await
        .unwrap();
    assert_eq!(out.status, 204, "{}", out.text());
    assert_eq!(
        status(a, &session).await,
        401,
        "signed out on B, still in on A"
    );

    // Signing out everywhere on A ends the sessions made on both.
    let on_a = Session::sign_in(a, email).await;
    let on_b = Session::sign_in(b, email).await;
    let out = request(a, "DELETE", "/api/sessions", Some(&on_a), &[])
        .await
        .unwrap();
    assert_eq!(out.status, 204, "{}", out.text());
    for (server, session) in [(a, &on_a), (b, &on_b), (b, &on_a), (a, &on_b)] {
        assert_eq!(status(server, session).await, 401, "signed out everywhere");
    }

    // Changing the password on B ends the session made on A, and only that one.
    let on_a = Session::sign_in(a, email).await;
    let on_b = Session::sign_in(b, email).await;
    let change = serde_json::json!({
        "current_password": PASSWORD,
        "new_password": "another synthetic passphrase for testing",
    });
    let changed = post(
        b,
        "/api/session/password",
        &on_b,
        change.to_string().as_bytes(),
    )
    .await
    .unwrap();
    assert_eq!(changed.status, 204, "{}", changed.text());
    assert_eq!(status(a, &on_a).await, 401, "the other session ended");
    assert_eq!(status(a, &on_b).await, 200, "the changing session stays");
    assert_eq!(
        status(b, &invited).await,
        401,
        "the first session ended too"
    );

    // Their role taken away by the admin through A ends the session they use on B.
    let organiser = on_b;
    assert_eq!(status(b, &organiser).await, 200);
    let mut phone = cluster.phone(&admin, 1);
    phone.pull_round().await;
    let role = phone
        .replica
        .confirmed()
        .keys()
        .copied()
        .filter(|k| k.collection == Collection::RoleAssignment)
        .find(|k| {
            RoleAssignment::read(&phone.replica.get(*k).unwrap())
                .is_ok_and(|r| r.user == organiser.user)
        })
        .expect("the organiser's role");
    phone.replica.delete(role).unwrap();
    phone.servers = [a, a];
    phone.push_all().await;
    assert_eq!(
        status(b, &organiser).await,
        401,
        "role removed on A, in on B"
    );
    let pull = post(b, "/api/sync/pull", &organiser, &pull_body(&organiser))
        .await
        .unwrap();
    assert_eq!(pull.status, 401, "{}", pull.text());
    cluster.remove().await;
}

async fn status(server: SocketAddr, session: &Session) -> u16 {
    request(server, "GET", "/api/session", Some(session), &[])
        .await
        .unwrap()
        .status
}

fn pull_body(session: &Session) -> Vec<u8> {
    let replica = Replica::new(ClientId::from_u128(0x5E55), session.user);
    serde_json::to_vec(&replica.pull_request(10)).unwrap()
}

// --- The area-tree cache -----------------------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_area_moved_through_one_process_changes_what_the_other_serves_at_once() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let cluster = Cluster::start("scaletree").await;
    let [a, b] = cluster.servers;
    let admin = Session::sign_in(a, ADMIN).await;
    let london = cluster.areas(&admin).await["London"];

    // Two constituencies in London, a ward in the first, people in the ward and in the
    // second constituency; all made by the admin through A.
    let mut desk = cluster.phone(&admin, 1);
    desk.servers = [a, a];
    let north = desk.create_area("Synthetic North", AreaKind::Constituency, london);
    let south = desk.create_area("Synthetic South", AreaKind::Constituency, london);
    let ward = desk.create_area("Moving Ward", AreaKind::Ward, north);
    let in_ward: Vec<RecordKey> = (0..3).map(|n| desk.create_person(ward, n)).collect();
    let in_south = desk.create_person(south, 3);
    desk.push_all().await;
    let organiser = cluster
        .invite(&admin, "south", Role::Organiser, south)
        .await;

    // The organiser of the south accepts their invitation and pulls on B, which builds and
    // keeps the tree (B has not been asked anything before).
    let mut phone = cluster.phone(&organiser, 2);
    phone.servers = [b, b];
    phone.pull_round().await;
    assert!(phone.replica.confirmed().contains_key(&in_south));
    assert!(
        !in_ward
            .iter()
            .any(|k| phone.replica.confirmed().contains_key(k))
    );
    cluster.same_as_server(&phone, "before the move").await;

    // The ward moves to the south through A: B's next pull has its people.
    let ward_key = RecordKey {
        collection: Collection::Area,
        id: ward.0,
    };
    desk.pull_round().await;
    desk.replica
        .set_field(ward_key, "parent", Value::Id(south.0))
        .unwrap();
    desk.push_all().await;
    phone.pull_round().await;
    for key in &in_ward {
        assert!(
            phone.replica.confirmed().contains_key(key),
            "B served a tree from before the ward moved"
        );
    }
    cluster.same_as_server(&phone, "after the move in").await;

    // And back out: B's next pull takes them away again.
    desk.pull_round().await;
    desk.replica
        .set_field(ward_key, "parent", Value::Id(north.0))
        .unwrap();
    desk.push_all().await;
    phone.pull_round().await;
    for key in &in_ward {
        assert!(
            !phone.replica.confirmed().contains_key(key),
            "B served a tree from before the ward moved back"
        );
    }
    cluster.same_as_server(&phone, "after the move out").await;
    cluster.remove().await;
}

// --- Starting together ------------------------------------------------------------------------

/// Processes started at once on a new database used to seed it twice (two countries) and, on
/// SQLite, could fail to start, both applying the first migration.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_started_at_once_on_a_new_database_both_serve_it_seeded_once() {
    let _serial = ONE_AT_A_TIME.lock().await;
    let scratch = Scratch::new("scalestart").await;
    let (first, second) = tokio::join!(Server::start(&scratch, "a"), Server::start(&scratch, "b"));
    let db = Db::connect(&scratch.database_url()).await.unwrap();
    let (areas,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM records WHERE collection = $1")
        .bind(Collection::Area.to_string())
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(
        usize::try_from(areas).unwrap(),
        1 + REGIONS_AND_NATIONS.len(),
        "the country and its regions and nations, once"
    );
    db.close().await;
    drop((first, second));
    scratch.remove().await;
}

// --- Two processes, one database ---------------------------------------------------------------

/// Two server processes on one scratch database with a country admin, and the test's own
/// connection to it.
struct Cluster {
    scratch: Scratch,
    servers: [SocketAddr; 2],
    processes: [Server; 2],
    db: Db,
}

impl Cluster {
    async fn start(test: &str) -> Cluster {
        let scratch = Scratch::new(test).await;
        create_admin(&scratch, ADMIN, None);
        let first = Server::start(&scratch, "a").await;
        let second = Server::start(&scratch, "b").await;
        let db = Db::connect(&scratch.database_url()).await.unwrap();
        Cluster {
            servers: [first.addr, second.addr],
            processes: [first, second],
            scratch,
            db,
        }
    }

    /// A phone of `session`'s user, numbered `number` (its client id), whose requests
    /// alternate between the processes, starting at the one its number picks.
    fn phone(&self, session: &Session, number: u64) -> Phone {
        Phone {
            name: format!("phone {number}"),
            number,
            session: session.clone(),
            replica: Replica::new(
                ClientId::from_u128(0xC1_0000 + u128::from(number)),
                session.user,
            ),
            servers: self.servers,
            turn: number as usize,
            rng: 0x9E37_79B9_7F4A_7C15 ^ (number + 1).wrapping_mul(0xD1B5_4A32_D192_ED03),
            next: 0,
            created: BTreeMap::new(),
        }
    }

    /// The areas by name, as `admin` pulls them from the first process.
    async fn areas(&self, admin: &Session) -> BTreeMap<String, AreaId> {
        let mut phone = self.phone(admin, 0xA);
        phone.servers = [self.servers[0]; 2];
        phone.pull_round().await;
        phone
            .replica
            .visible_of(Collection::Area)
            .values()
            .filter_map(|record| Area::read(record).ok())
            .map(|area| (area.name, area.id))
            .collect()
    }

    /// Invites `who@test.organise.invalid` as `role` in `area` (made on the first process),
    /// accepts on the second, and returns the session that starts.
    async fn invite(&self, admin: &Session, who: &str, role: Role, area: AreaId) -> Session {
        let invite = serde_json::json!({ "name": "Sam Sample", "role": role, "area": area });
        let made = post(
            self.servers[0],
            "/api/invites",
            admin,
            invite.to_string().as_bytes(),
        )
        .await
        .unwrap();
        assert_eq!(made.status, 201, "{}", made.text());
        let made: serde_json::Value = serde_json::from_slice(&made.body).unwrap();
        let acceptance = serde_json::json!({
            "name": "Sam Sample",
            "email": format!("{who}@test.organise.invalid"),
            "password": PASSWORD,
        });
        let accepted = request(
            self.servers[1],
            "POST",
            &format!("/api{}", made["path"].as_str().unwrap()),
            None,
            acceptance.to_string().as_bytes(),
        )
        .await
        .unwrap();
        Session::from_reply(&accepted, "accepting an invitation")
    }

    /// What `user` may see now, read from the database by the test itself.
    async fn visible_to(
        &self,
        user: UserId,
    ) -> (
        BTreeMap<RecordKey, SyncedRecord>,
        BTreeMap<ConflictId, Conflict>,
    ) {
        sync_store::run(
            &self.db,
            &Arc::new(TreeCache::default()),
            Access::Read,
            move |store| Ok((protocol::visible_to(store, user)?, false)),
        )
        .await
        .unwrap()
    }

    /// `phone`'s replica holds exactly what the server holds for its user.
    async fn same_as_server(&self, phone: &Phone, when: &str) {
        let (records, conflicts) = self.visible_to(phone.replica.user()).await;
        assert_eq!(phone.replica.confirmed(), &records, "{when}: records");
        assert_eq!(
            phone.replica.confirmed_conflicts(),
            &conflicts,
            "{when}: conflicts"
        );
    }

    async fn remove(self) {
        self.db.close().await;
        drop(self.processes);
        self.scratch.remove().await;
    }
}

/// One client: a user's session, its own replica, and the process its next request goes to.
struct Phone {
    name: String,
    number: u64,
    session: Session,
    replica: Replica,
    /// The processes its requests alternate between.
    servers: [SocketAddr; 2],
    turn: usize,
    rng: u64,
    next: u128,
    /// Every record it created.
    created: BTreeMap<RecordKey, Record>,
}

impl Phone {
    /// The process the next request goes to.
    fn server(&mut self) -> SocketAddr {
        self.turn += 1;
        self.servers[self.turn % 2]
    }

    fn random(&mut self, below: usize) -> usize {
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        (self.rng.wrapping_mul(0x2545_F491_4F6C_DD1D) % below as u64) as usize
    }

    /// An id no other phone makes.
    fn new_id(&mut self) -> RecordId {
        self.next += 1;
        RecordId::from_u128((u128::from(self.number) << 64) | self.next)
    }

    /// Queues a synthetic person in `area`.
    fn create_person(&mut self, area: AreaId, n: usize) -> RecordKey {
        let id = self.new_id();
        let record = Person {
            tags: [format!("scale test {}", n % 4)].into(),
            ..Person::new(
                PersonId(id),
                area,
                self.replica.user(),
                NAMES[n % NAMES.len()],
                Source::Doorstep,
            )
        }
        .to_record();
        self.queue(record)
    }

    /// Queues a new area.
    fn create_area(&mut self, name: &str, kind: AreaKind, parent: AreaId) -> AreaId {
        let id = AreaId(self.new_id());
        self.queue(
            Area {
                id,
                created_by: self.replica.user(),
                name: name.into(),
                kind,
                parent: Some(parent),
            }
            .to_record(),
        );
        id
    }

    fn queue(&mut self, record: Record) -> RecordKey {
        let key = RecordKey {
            collection: record.collection,
            id: record.id,
        };
        self.replica.create(&record).expect("a new record queues");
        self.created.insert(key, record);
        key
    }

    /// Pushes the whole outbox, one request per batch; returns every outcome.
    async fn push_all(&mut self) -> Vec<Ack> {
        let mut acks = Vec::new();
        while let Some(push) = self.replica.push_request(20) {
            let server = self.server();
            let reply = self.post(server, "/api/sync/push", &push).await;
            let response: PushResponse = serde_json::from_slice(&reply.body).unwrap();
            for outcome in &response.outcomes {
                let mutation = push
                    .mutations
                    .iter()
                    .find(|m| m.seq == outcome.seq)
                    .unwrap_or_else(|| panic!("{}: an outcome for no mutation", self.name));
                if let Outcome::Rejected { rejection } = &outcome.outcome {
                    panic!("{}: {:?} was rejected: {rejection}", self.name, mutation.op);
                }
                acks.push(Ack {
                    mutation: mutation.clone(),
                    outcome: outcome.outcome.clone(),
                });
            }
            self.replica.apply_push_response(&response);
        }
        acks
    }

    /// Pulls until caught up, one request per page; returns how many pages it took.
    async fn pull_round(&mut self) -> usize {
        let mut pages = 0;
        loop {
            let server = self.server();
            let request = self.replica.pull_request(7);
            let reply = self.post(server, "/api/sync/pull", &request).await;
            let page: PullResponse = serde_json::from_slice(&reply.body).unwrap();
            let more = self
                .replica
                .apply_pull_response(&page)
                .expect("a page from the replica's own cursor applies");
            pages += 1;
            if !more {
                return pages;
            }
        }
    }

    /// Posts `body` as JSON; the answer must be `200`.
    async fn post(&self, server: SocketAddr, path: &str, body: &impl serde::Serialize) -> Reply {
        let reply = post(
            server,
            path,
            &self.session,
            &serde_json::to_vec(body).unwrap(),
        )
        .await
        .unwrap_or_else(|e| panic!("{}: {path} on {server}: {e}", self.name));
        assert_eq!(
            reply.status,
            200,
            "{}: {path} on {server}: {}",
            self.name,
            reply.text()
        );
        reply
    }
}
