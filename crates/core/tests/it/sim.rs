//! The deterministic simulation: N clients and one server, random edits and random faults,
//! then quiescence and the invariants. Every run is a seed; the same seed replays the same
//! run.
//!
//! - `cargo test -p organise-core --test it sim` runs the default seeds (10,000 in four
//!   tests, so both cores share them) and prints one summary with the faults injected.
//! - `SIM_SEED=1234` runs only seed 1234 (and prints its trace on failure);
//!   `SIM_SEEDS=100000` runs that many seeds instead of the default.
//!
//! The faults: dropped requests and responses, duplicated and reordered deliveries, client
//! restarts (the replica is rebuilt from its device store; in-flight requests and their
//! responses are lost), server restarts (caches lost, durable state kept), scope changes
//! (lists unassigned, members removed, roles revoked and granted again) and erasures.
//!
//! Each client saves its replica's changes to an in-memory device store after every step,
//! as the browser does to IndexedDB; a restart rebuilds the replica from that store.
//!
//! The invariants checked after quiescence:
//! 1. every replica's data equals the server's, projected to the replica's scope (records
//!    and open conflicts), and what it shows equals what it holds (nothing pending);
//! 2. every mutation a client made was acknowledged exactly once, and the server's last seq
//!    for the client is the client's last;
//! 3. every response for a mutation carried the same outcome (a replay changes nothing);
//! 4. every applied mutation's effect is there unless a later commit replaced it; every
//!    rejection is in the client's rejected list; no write overwrote a value its author had
//!    not seen without recording a conflict;
//! 5. nothing erased survives anywhere: server records and conflicts, replicas' records,
//!    conflicts, outboxes and rejected lists;
//! 6. every device store rebuilds exactly the replica whose changes were saved to it (also
//!    checked at every restart);
//! 7. every open conflict on the server shows its field as it stands (its winner is the
//!    field's value and version now, and its kept value is not that value): a later write
//!    either settled it or became the value it shows.

use crate::support::{
    self, ADMIN, HOST, ORGANISER, ORGANISER_2, VOLUNTEER, WARD_NORTH, WARD_SOUTH, reload, save,
};
use organise_core::id::{PersonId, RecordId, Timestamp, UserId};
use organise_core::model::Role;
use organise_core::permission::Permissions;
use organise_core::record::Choice;
use organise_core::search::{Listing, Query, fold};
use organise_core::sync::decide::{self, Step};
use organise_core::sync::server;
use organise_core::sync::{
    Change, ClientId, ConflictId, MemoryLocalStore, Mutation, Op, Outcome, PullRefusal,
    PullRequest, PullResponse, PushRefusal, PushRequest, PushResponse, RecordKey, ReferenceServer,
    Replica, Seq, Version,
};
use organise_core::{Collection, Element, Record, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

/// SplitMix64: tiny, fast, and good enough to drive a simulation.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn percent(&mut self, p: u64) -> bool {
        self.next() % 1000 < p * 10
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        (!items.is_empty()).then(|| &items[self.below(items.len())])
    }

    fn bytes(&mut self) -> [u8; 10] {
        let (a, b) = (self.next().to_le_bytes(), self.next().to_le_bytes());
        [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], b[0], b[1]]
    }
}

/// The server under test: the reference server, or a deliberately broken variant that the
/// checker must catch. The broken variants exist only here, in the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Variant {
    /// The reference server.
    Correct,
    /// The reference server with a scan budget of three feed entries, so most pull pages end
    /// early with a cursor past entries the user may not see. Must converge all the same.
    ShortScans,
    /// Processes replayed mutations again instead of returning their stored outcome.
    ReplaysApplyAgain,
    /// Hides conflicts: reports a conflicted write as plainly applied and never sends the
    /// conflict.
    ConflictsDropped,
}

struct Server {
    inner: ReferenceServer,
    variant: Variant,
}

impl Server {
    fn push(&mut self, user: UserId, request: &PushRequest) -> Result<PushResponse, PushRefusal> {
        match self.variant {
            Variant::Correct | Variant::ShortScans => self.inner.push(user, request),
            Variant::ReplaysApplyAgain => self.push_applying_replays(user, request),
            Variant::ConflictsDropped => {
                let mut response = self.inner.push(user, request)?;
                for outcome in &mut response.outcomes {
                    if let Outcome::Conflicted { version, .. } = outcome.outcome {
                        outcome.outcome = Outcome::Applied { version };
                    }
                }
                Ok(response)
            }
        }
    }

    /// The reference push with its replay check taken out: built from the same public
    /// pieces, as a server that forgot to consult `last_seq` would be.
    fn push_applying_replays(
        &mut self,
        user: UserId,
        request: &PushRequest,
    ) -> Result<PushResponse, PushRefusal> {
        let client = request.client_id;
        let store = &mut self.inner.store;
        let last_seq = store
            .clients
            .get(&client)
            .map_or(Seq(0), |log| log.last_seq);
        let steps = decide::plan_batch(client, last_seq, request.acknowledged, &request.mutations)?;
        let mut outcomes = Vec::new();
        for (mutation, step) in request.mutations.iter().zip(steps) {
            let Ok(outcome) = server::process_mutation(store, user, mutation);
            let log = store.clients.entry(client).or_insert_with(|| {
                organise_core::sync::server::ClientLog {
                    user,
                    last_seq: Seq(0),
                    outcomes: BTreeMap::new(),
                }
            });
            if step == Step::Process {
                log.last_seq = mutation.seq;
            }
            outcomes.push(organise_core::sync::MutationOutcome {
                seq: mutation.seq,
                outcome,
            });
        }
        let last_seq = store.clients[&client].last_seq;
        Ok(PushResponse {
            protocol: request.protocol,
            client_id: client,
            last_seq,
            outcomes,
        })
    }

    fn pull(&mut self, user: UserId, request: &PullRequest) -> Result<PullResponse, PullRefusal> {
        let mut response = self.inner.pull(user, request)?;
        if self.variant == Variant::ConflictsDropped {
            response
                .changes
                .retain(|c| !matches!(c, Change::Conflict { .. }));
        }
        Ok(response)
    }
}

/// How many of each fault and event a run injected.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    pub seeds: u64,
    pub requests_dropped: u64,
    pub responses_dropped: u64,
    pub duplicated: u64,
    pub reordered: u64,
    pub client_restarts: u64,
    pub server_restarts: u64,
    pub scope_changes: u64,
    pub erasures: u64,
    pub gaps_refused: u64,
    pub stale_pulls_ignored: u64,
    pub mutations: u64,
    pub conflicts: u64,
    pub rejections: u64,
}

impl Faults {
    fn add(&mut self, other: &Faults) {
        self.seeds += other.seeds;
        self.requests_dropped += other.requests_dropped;
        self.responses_dropped += other.responses_dropped;
        self.duplicated += other.duplicated;
        self.reordered += other.reordered;
        self.client_restarts += other.client_restarts;
        self.server_restarts += other.server_restarts;
        self.scope_changes += other.scope_changes;
        self.erasures += other.erasures;
        self.gaps_refused += other.gaps_refused;
        self.stale_pulls_ignored += other.stale_pulls_ignored;
        self.mutations += other.mutations;
        self.conflicts += other.conflicts;
        self.rejections += other.rejections;
    }
}

enum Message {
    Push {
        client: usize,
        incarnation: u32,
        request: PushRequest,
    },
    PushAnswer {
        client: usize,
        incarnation: u32,
        answer: Result<PushResponse, PushRefusal>,
    },
    Pull {
        client: usize,
        incarnation: u32,
        request: PullRequest,
    },
    PullAnswer {
        client: usize,
        incarnation: u32,
        answer: Result<PullResponse, PullRefusal>,
    },
}

impl Clone for Message {
    fn clone(&self) -> Self {
        match self {
            Message::Push {
                client,
                incarnation,
                request,
            } => Message::Push {
                client: *client,
                incarnation: *incarnation,
                request: request.clone(),
            },
            Message::PushAnswer {
                client,
                incarnation,
                answer,
            } => Message::PushAnswer {
                client: *client,
                incarnation: *incarnation,
                answer: answer.clone(),
            },
            Message::Pull {
                client,
                incarnation,
                request,
            } => Message::Pull {
                client: *client,
                incarnation: *incarnation,
                request: request.clone(),
            },
            Message::PullAnswer {
                client,
                incarnation,
                answer,
            } => Message::PullAnswer {
                client: *client,
                incarnation: *incarnation,
                answer: answer.clone(),
            },
        }
    }
}

struct Client {
    replica: Replica,
    /// The device store the replica is saved to after every step.
    store: MemoryLocalStore,
    /// Which run of the app this is; answers to requests of an earlier run are lost.
    incarnation: u32,
    /// The highest seq sent in a push not yet answered (in memory only).
    sent_through: Seq,
    /// The replica's generation and what it showed at the last save, to check that what it
    /// shows never changes while its generation stands still.
    shown: Option<(u64, BTreeMap<RecordKey, Record>)>,
    /// The same per collection, with [`Replica::generation_of`].
    shown_of: BTreeMap<Collection, u64>,
}

/// What a mutation intended, for the checks.
#[derive(Clone, Debug)]
struct Intent {
    key: RecordKey,
    op: Op,
    /// For a resolution: the field it writes.
    field: Option<String>,
}

struct World {
    rng: Rng,
    server: Server,
    clients: Vec<Client>,
    office: Replica,
    network: Vec<Message>,
    faults: Faults,
    faulty: bool,
    intents: BTreeMap<(ClientId, Seq), Intent>,
    outcomes: BTreeMap<(ClientId, Seq), Outcome>,
    acknowledged: BTreeMap<(ClientId, Seq), Outcome>,
    /// Invariant violations seen during the run (reported by the check).
    violations: Vec<String>,
    trace: String,
    tracing: bool,
    /// Whether every save also checks the replicas' reads (see [`World::save_all`]): one
    /// seed in eight, as it copies every record a phone shows at every step.
    checking_reads: bool,
    tick: i64,
    volunteer_role: Option<RecordId>,
    host_role: Option<RecordId>,
}

/// The state every run starts from, built once: the seeded organisation, the office's
/// starting data (people, a walk list assigned to the volunteer, a house meeting with one
/// person invited), and each user's first pull.
struct Start {
    server: ReferenceServer,
    office: Replica,
    first_pulls: BTreeMap<UserId, PullResponse>,
}

fn start() -> &'static Start {
    static START: std::sync::OnceLock<Start> = std::sync::OnceLock::new();
    START.get_or_init(|| {
        let mut server = ReferenceServer::seeded(support::seed());
        let mut office = Replica::new(ClientId::from_u128(0xC0_FFFF), ADMIN);
        let id = |n: u128| RecordId::from_u128(0x5EED_0000 + n);
        let people: Vec<RecordId> = (0..6).map(id).collect();
        for (i, &person) in people.iter().enumerate() {
            let ward = if i < 4 { WARD_NORTH } else { WARD_SOUTH };
            office
                .create(&support::person(
                    person,
                    NAMES[i % NAMES.len()],
                    ward,
                    ADMIN,
                ))
                .unwrap();
        }
        let (list, meeting, attendance) = (id(10), id(11), id(12));
        office
            .create(
                &Record::new(Collection::List, list, WARD_NORTH, ADMIN)
                    .with("name", "Walk list")
                    .with("kind", "walk")
                    .with("members", Value::Ids(people[..3].iter().copied().collect()))
                    .with("assignees", Value::Ids([VOLUNTEER.0].into())),
            )
            .unwrap();
        office
            .create(
                &Record::new(Collection::Meeting, meeting, WARD_NORTH, ADMIN)
                    .with("kind", "house_meeting")
                    .with("title", "House meeting")
                    .with("host", HOST.0)
                    .with("place", "The front room")
                    .with("starts", Timestamp(1_700_000_000_000)),
            )
            .unwrap();
        office
            .create(
                &Record::new(Collection::Attendance, attendance, WARD_NORTH, ADMIN)
                    .with("meeting", meeting)
                    .with("person", people[3])
                    .with("status", "invited"),
            )
            .unwrap();
        let response = server
            .push(ADMIN, &office.push_request(100).unwrap())
            .expect("the office's push");
        office.apply_push_response(&response);
        let response = server
            .pull(ADMIN, &office.pull_request(500))
            .expect("the office's pull");
        office.apply_pull_response(&response).unwrap();
        let first_pulls = [ORGANISER, ADMIN, VOLUNTEER, HOST, ORGANISER_2]
            .into_iter()
            .map(|user| {
                let request = Replica::new(ClientId::from_u128(0), user).pull_request(500);
                (user, server.pull(user, &request).expect("a first pull"))
            })
            .collect();
        Start {
            server,
            office,
            first_pulls,
        }
    })
}

const SKILLS: [&str; 4] = ["first aid", "driving", "welsh", "cooking"];
/// People by name, searched by name and filtered by skill, as a screen lists them.
const PEOPLE: Listing = Listing {
    collection: Collection::Person,
    order_by: "name",
    search_in: &["name"],
    labels: &["skills"],
    hidden_when: None,
};

const NAMES: [&str; 4] = ["Alex Test", "Sam Example", "Jo Sample", "Chris Fake"];
const PHONES: [&str; 3] = ["+447700900001", "+447700900002", "+447700900003"];

impl World {
    fn new(seed: u64, variant: Variant) -> Self {
        let mut rng = Rng(seed);
        let client_count = 2 + rng.below(4);
        let users = [
            ORGANISER,
            ORGANISER,
            ORGANISER,
            ADMIN,
            VOLUNTEER,
            VOLUNTEER,
            HOST,
            ORGANISER_2,
        ];
        let clients = (0..client_count)
            .map(|i| Client {
                replica: Replica::new(
                    ClientId::from_u128(0xC1_0000 + i as u128),
                    *rng.pick(&users).unwrap(),
                ),
                store: MemoryLocalStore::new(),
                incarnation: 0,
                sent_through: Seq(0),
                shown: None,
                shown_of: BTreeMap::new(),
            })
            .collect();
        let start = start();
        let mut world = World {
            rng,
            server: Server {
                inner: match variant {
                    Variant::ShortScans => start.server.clone().with_scan_budget(3),
                    _ => start.server.clone(),
                },
                variant,
            },
            clients,
            office: start.office.clone(),
            network: Vec::new(),
            faults: Faults {
                seeds: 1,
                ..Faults::default()
            },
            faulty: true,
            intents: BTreeMap::new(),
            outcomes: BTreeMap::new(),
            acknowledged: BTreeMap::new(),
            violations: Vec::new(),
            trace: String::new(),
            tracing: std::env::var("SIM_SEED").is_ok(),
            checking_reads: seed.is_multiple_of(8) || std::env::var("SIM_SEED").is_ok(),
            tick: 0,
            volunteer_role: Some(support::role(VOLUNTEER, Role::Volunteer, WARD_NORTH).id),
            host_role: Some(support::role(HOST, Role::Host, WARD_NORTH).id),
        };
        // The devices synced before the day began; from here on they work mostly offline.
        for client in &mut world.clients {
            let first_pull = &start.first_pulls[&client.replica.user()];
            client
                .replica
                .apply_pull_response(first_pull)
                .expect("a fresh replica takes its first pull");
            save(&mut client.replica, &client.store);
        }
        world
    }

    /// Every client saves what changed in its replica to its device store and, when checking
    /// reads, checks that they agree: one record read alone is the one in the whole view, and the view
    /// changed only if the generation moved (screens re-read only when it does).
    fn save_all(&mut self) {
        for (i, client) in self.clients.iter_mut().enumerate() {
            save(&mut client.replica, &client.store);
            if !self.checking_reads {
                continue;
            }
            let visible = client.replica.visible();
            let generation = client.replica.generation();
            if let Some((before, shown)) = &client.shown {
                if *before == generation && *shown != visible {
                    self.violations.push(format!(
                        "client {i}: what it shows changed but its generation stayed at {generation}"
                    ));
                }
                for collection in Collection::ALL {
                    let of = |records: &BTreeMap<RecordKey, Record>| {
                        records
                            .iter()
                            .filter(|(key, _)| key.collection == collection)
                            .map(|(key, record)| (*key, record.clone()))
                            .collect::<Vec<_>>()
                    };
                    let now = client.replica.generation_of(&[collection]);
                    if client.shown_of.get(&collection) == Some(&now) && of(shown) != of(&visible) {
                        self.violations.push(format!(
                            "client {i}: its {collection:?} changed but their generation stayed at {now}"
                        ));
                    }
                }
            }
            // Going through each collection's records one by one finds the whole view.
            for collection in Collection::ALL {
                let mut each = BTreeMap::new();
                client.replica.each_of(collection, |record| {
                    let key = RecordKey {
                        collection: record.collection,
                        id: record.id,
                    };
                    each.insert(key, record);
                });
                if each != client.replica.visible_of(collection) {
                    self.violations.push(format!(
                        "client {i}: its {collection:?} one by one differ from the whole view"
                    ));
                }
            }
            // Every record with a pending change, and a few others.
            let keys = visible
                .keys()
                .take(8)
                .copied()
                .chain(client.replica.outbox().map(|m| m.key()))
                .collect::<BTreeSet<_>>();
            for key in keys {
                if client.replica.get(key).as_ref() != visible.get(&key) {
                    self.violations.push(format!(
                        "client {i}: {key:?} read alone differs from the whole view"
                    ));
                }
            }
            // Looking records up by a field finds exactly those a pass over everything would.
            // A few values of each collection's fields.
            let lookups = Collection::ALL
                .into_iter()
                .flat_map(|collection| {
                    visible
                        .values()
                        .filter(move |record| record.collection == collection)
                        .flat_map(|record| {
                            record.fields.iter().map(move |(field, value)| {
                                (record.collection, field.clone(), value)
                            })
                        })
                        .filter(|(_, _, value)| {
                            matches!(value, Value::Id(_) | Value::Ids(_) | Value::Text(_))
                        })
                        .take(4)
                })
                .collect::<Vec<_>>();
            for (collection, field, value) in lookups {
                let of_collection = || visible.values().filter(move |r| r.collection == collection);
                let (found, expected): (Vec<_>, Vec<_>) = match value {
                    Value::Text(text) => (
                        client.replica.with_text(collection, field.as_str(), text),
                        of_collection()
                            .filter(|r| match r.get(field.as_str()) {
                                Value::Text(t) => {
                                    t.trim().to_lowercase() == text.trim().to_lowercase()
                                }
                                _ => false,
                            })
                            .cloned()
                            .collect(),
                    ),
                    other => {
                        let Some(id) = other.ids().first().copied() else {
                            continue;
                        };
                        (
                            client.replica.holding(collection, field.as_str(), id),
                            of_collection()
                                .filter(|r| r.get(field.as_str()).ids().contains(&id))
                                .cloned()
                                .collect(),
                        )
                    }
                };
                if found != expected {
                    self.violations.push(format!(
                        "client {i}: looking up {collection} by {field} found {} records, not {}",
                        found.len(),
                        expected.len()
                    ));
                }
            }
            // Listing people a page at a time finds what sorting and filtering them all would,
            // also while a search is typed letter by letter, deleted, and typed again, with a
            // skill and a ward set beside it and taken off (each search starts from what the
            // last one found when it narrows it).
            for (typed, skill, ward) in [
                ("", None, None),
                ("test", None, None),
                ("s", None, None),
                ("sa", None, None),
                ("sa", Some("driving"), None),
                ("sam", Some("Driving"), None),
                ("sam", Some("driving"), Some(WARD_NORTH)),
                ("sam e", None, Some(WARD_NORTH)),
                ("SAM ex", None, None),
                ("sa", None, None),
                ("", Some("welsh"), None),
                ("", None, Some(WARD_SOUTH)),
                ("t", None, None),
                ("te", None, None),
                ("nobody", None, None),
            ] {
                let text = |r: &Record| match r.get("name") {
                    Value::Text(name) => fold(name),
                    _ => String::new(),
                };
                let has_skill = |r: &Record| {
                    skill.is_none_or(|skill: &str| match r.get("skills") {
                        Value::Texts(held) => held.iter().any(|h| fold(h) == fold(skill)),
                        _ => false,
                    })
                };
                let mut expected: Vec<&Record> = visible
                    .values()
                    .filter(|r| r.collection == Collection::Person)
                    .filter(|r| fold(typed).split_whitespace().all(|w| text(r).contains(w)))
                    .filter(|r| has_skill(r))
                    .filter(|r| ward.is_none_or(|ward| r.area == ward))
                    .collect();
                expected.sort_by_key(|r| (text(r), r.id));
                let mut query = Query::new(typed);
                if let Some(skill) = skill {
                    query = query.with_label("skills", skill);
                }
                if let Some(ward) = ward {
                    query = query.within([ward]);
                }
                for page in [0..3, 2..5, 0..1_000] {
                    let found = client.replica.directory(&PEOPLE, &query, page.clone());
                    let wanted: Vec<Record> = expected
                        .iter()
                        .skip(page.start)
                        .take(page.len())
                        .map(|r| (*r).clone())
                        .collect();
                    if found.total != expected.len() || found.records != wanted {
                        self.violations.push(format!(
                            "client {i}: listing people matching {typed:?} ({skill:?}, \
                             {ward:?}), page {page:?}, found {} of {}, not {} of {}",
                            found.records.len(),
                            found.total,
                            wanted.len(),
                            expected.len()
                        ));
                    }
                }
            }
            client.shown_of = Collection::ALL
                .into_iter()
                .map(|c| (c, client.replica.generation_of(&[c])))
                .collect();
            client.shown = Some((generation, visible));
        }
    }

    fn new_id(&mut self) -> RecordId {
        self.tick += 1;
        RecordId::new_v7(Timestamp(1_700_000_000_000 + self.tick), self.rng.bytes())
    }

    /// Adds a line to the trace, which is kept only when a single seed is replayed.
    fn log(&mut self, line: impl FnOnce() -> String) {
        if self.tracing {
            self.trace.push_str(&line());
            self.trace.push('\n');
        }
    }

    /// The office pushes and pulls at once, without faults.
    fn office_sync(&mut self) {
        if let Some(request) = self.office.push_request(100) {
            let response = self
                .server
                .push(ADMIN, &request)
                .expect("the office's push");
            self.office.apply_push_response(&response);
        }
        loop {
            let response = self
                .server
                .pull(ADMIN, &self.office.pull_request(500))
                .expect("the office's pull");
            if !self.office.apply_pull_response(&response).expect("fresh") {
                break;
            }
        }
    }

    fn run(&mut self, steps: usize) {
        for _ in 0..steps {
            let roll = self.rng.below(1000);
            match roll {
                0..350 => self.edit(),
                350..500 => self.send_push(),
                500..650 => self.send_pull(),
                650..965 => self.deliver(),
                965..980 => self.restart_client(),
                980..987 => {
                    self.faults.server_restarts += 1;
                    self.log(|| "server restarts".into());
                    self.server.inner.restart();
                }
                987..996 => self.change_scope(),
                _ => self.erase(),
            }
            self.save_all();
        }
    }

    fn restart_client(&mut self) {
        let i = self.rng.below(self.clients.len());
        self.faults.client_restarts += 1;
        self.log(|| format!("client {i} restarts"));
        let client = &mut self.clients[i];
        client.incarnation += 1;
        client.sent_through = Seq(0);
        // The app starts again from what the device stored.
        let reloaded = reload(&client.store).expect("a stored replica");
        if reloaded != client.replica {
            self.violations.push(format!(
                "client {i}: restarted from a store holding another replica"
            ));
        }
        self.clients[i].replica = reloaded;
        self.clients[i].shown = None;
    }

    fn edit(&mut self) {
        let i = self.rng.below(self.clients.len());
        let replica = &self.clients[i].replica;
        // Targets come from what the client holds confirmed (cheaper than its whole visible
        // state, and the same records but for its own pending creates). Edits lean towards
        // the first few people, so that clients often edit the same fields concurrently.
        let of = |c: Collection| {
            replica
                .confirmed()
                .values()
                .filter(|r| r.collection == c)
                .collect::<Vec<_>>()
        };
        let (mut people, lists, meetings) = (
            of(Collection::Person),
            of(Collection::List),
            of(Collection::Meeting),
        );
        if people.len() > 3 && self.rng.percent(60) {
            people.truncate(3);
        }
        let conflicts: Vec<(ConflictId, RecordKey, String, Value, Value)> = replica
            .visible_conflicts()
            .iter()
            .map(|c| {
                (
                    c.id,
                    c.key,
                    c.field.to_string(),
                    c.overwritten.value.clone(),
                    c.winner.value.clone(),
                )
            })
            .collect();
        let key = |r: &Record| RecordKey {
            collection: r.collection,
            id: r.id,
        };
        let roll = self.rng.below(100);
        let (target, op, field): (RecordKey, Op, Option<String>) = match roll {
            0..34 => {
                let Some(person) = self.rng.pick(&people).map(|r| r.to_record()) else {
                    return;
                };
                let (field, value) = match self.rng.below(4) {
                    0 | 1 => (
                        "name",
                        Value::Text((*self.rng.pick(&NAMES).unwrap()).into()),
                    ),
                    2 => (
                        "phone",
                        Value::Text((*self.rng.pick(&PHONES).unwrap()).into()),
                    ),
                    _ => (
                        "source",
                        Value::Text(
                            self.rng
                                .pick(organise_core::model::Source::ALL)
                                .unwrap()
                                .as_str()
                                .into(),
                        ),
                    ),
                };
                let base_version = replica
                    .confirmed()
                    .get(&key(&person))
                    .map_or(Version(0), |r| r.field_version(field));
                (
                    key(&person),
                    Op::SetField {
                        field: field.into(),
                        value,
                        base_version,
                    },
                    None,
                )
            }
            34..46 => {
                let Some(person) = self.rng.pick(&people).map(|r| r.to_record()) else {
                    return;
                };
                let element = Element::Text((*self.rng.pick(&SKILLS).unwrap()).into());
                let field = "skills".into();
                let op = if self.rng.percent(60) {
                    Op::AddToSet { field, element }
                } else {
                    Op::RemoveFromSet { field, element }
                };
                (key(&person), op, None)
            }
            46..54 => {
                let id = self.new_id();
                let ward = if self.rng.percent(70) {
                    WARD_NORTH
                } else {
                    WARD_SOUTH
                };
                let user = self.clients[i].replica.user();
                let person = support::person(id, self.rng.pick(&NAMES).unwrap(), ward, user);
                (
                    key(&person),
                    Op::Create {
                        area: ward,
                        fields: person.fields,
                    },
                    None,
                )
            }
            54..64 => {
                let Some(person) = self.rng.pick(&people).map(|r| r.to_record()) else {
                    return;
                };
                let id = self.new_id();
                let user = self.clients[i].replica.user();
                let outcome = *self.rng.pick(organise_core::model::Outcome::ALL).unwrap();
                let record = Record::new(Collection::Conversation, id, person.area, user)
                    .with("kind", "doorstep")
                    .with("by", user.0)
                    .with("person", person.id)
                    .with("at", Timestamp(1_700_000_000_000 + self.tick))
                    .with("outcome", outcome);
                (
                    key(&record),
                    Op::Create {
                        area: person.area,
                        fields: record.fields,
                    },
                    None,
                )
            }
            64..69 => {
                let (Some(person), Some(meeting)) = (
                    self.rng.pick(&people).map(|r| r.to_record()),
                    self.rng.pick(&meetings).map(|r| r.to_record()),
                ) else {
                    return;
                };
                let id = self.new_id();
                let user = self.clients[i].replica.user();
                let record = Record::new(Collection::Attendance, id, meeting.area, user)
                    .with("meeting", meeting.id)
                    .with("person", person.id)
                    .with("status", "rsvp");
                (
                    key(&record),
                    Op::Create {
                        area: meeting.area,
                        fields: record.fields,
                    },
                    None,
                )
            }
            69..73 => {
                let Some(person) = self.rng.pick(&people).map(|r| r.to_record()) else {
                    return;
                };
                let base_version = replica
                    .confirmed()
                    .get(&key(&person))
                    .map_or(Version(0), |r| r.version());
                (key(&person), Op::Delete { base_version }, None)
            }
            73..83 => {
                let Some((conflict, key, field, overwritten, winner)) =
                    self.rng.pick(&conflicts).cloned()
                else {
                    return;
                };
                let value = if self.rng.percent(50) {
                    overwritten
                } else {
                    winner
                };
                (key, Op::ResolveConflict { conflict, value }, Some(field))
            }
            83..88 => {
                let Some(person) = self.rng.pick(&people).map(|r| r.to_record()) else {
                    return;
                };
                let to = if person.area == WARD_NORTH {
                    WARD_SOUTH
                } else {
                    WARD_NORTH
                };
                let base_version = replica
                    .confirmed()
                    .get(&key(&person))
                    .map_or(Version(0), |r| r.field_version("area"));
                (
                    key(&person),
                    Op::SetField {
                        field: "area".into(),
                        value: Value::Id(to.0),
                        base_version,
                    },
                    None,
                )
            }
            88..95 => {
                let (Some(list), Some(person)) = (
                    self.rng.pick(&lists).map(|r| r.to_record()),
                    self.rng.pick(&people).map(|r| r.to_record()),
                ) else {
                    return;
                };
                let (field, element) = ("members".into(), Element::Id(person.id));
                let op = if self.rng.percent(50) {
                    Op::AddToSet { field, element }
                } else {
                    Op::RemoveFromSet { field, element }
                };
                (key(&list), op, None)
            }
            _ => {
                let Some(meeting) = self.rng.pick(&meetings).map(|r| r.to_record()) else {
                    return;
                };
                let title = format!("Meeting {}", self.rng.below(3));
                let base_version = replica
                    .confirmed()
                    .get(&key(&meeting))
                    .map_or(Version(0), |r| r.field_version("title"));
                (
                    key(&meeting),
                    Op::SetField {
                        field: "title".into(),
                        value: Value::Text(title),
                        base_version,
                    },
                    None,
                )
            }
        };
        let replica = &mut self.clients[i].replica;
        if let Ok(seq) = replica.mutate(target, op.clone()) {
            self.faults.mutations += 1;
            let client_id = replica.client_id();
            self.log(|| format!("client {i} queues {seq}: {op:?} on {:?}", target.collection));
            self.intents.insert(
                (client_id, seq),
                Intent {
                    key: target,
                    op,
                    field,
                },
            );
        }
    }

    fn send_push(&mut self) {
        let i = self.rng.below(self.clients.len());
        let max = 1 + self.rng.below(4);
        let client = &self.clients[i];
        // Now and then the client sends the next window while one is in flight.
        let pipelined = client.sent_through > Seq(0) && self.rng.percent(30);
        let request = if pipelined {
            client
                .replica
                .push_request_from(client.sent_through.next(), max)
        } else {
            client.replica.push_request(max)
        };
        let Some(request) = request else { return };
        let last = request.mutations.last().map_or(Seq(0), |m| m.seq);
        let client = &mut self.clients[i];
        client.sent_through = client.sent_through.max(last);
        let incarnation = client.incarnation;
        self.log(|| {
            format!(
                "client {i} pushes {:?}",
                request
                    .mutations
                    .iter()
                    .map(|m| m.seq.0)
                    .collect::<Vec<_>>()
            )
        });
        self.network.push(Message::Push {
            client: i,
            incarnation,
            request,
        });
    }

    fn send_pull(&mut self) {
        let i = self.rng.below(self.clients.len());
        let limit = 1 + self.rng.below(20);
        let (request, incarnation) = (
            self.clients[i].replica.pull_request(limit),
            self.clients[i].incarnation,
        );
        self.log(|| format!("client {i} pulls from {}", request.cursor));
        self.network.push(Message::Pull {
            client: i,
            incarnation,
            request,
        });
    }

    fn deliver(&mut self) {
        if self.network.is_empty() {
            return;
        }
        let index = self.rng.below(self.network.len());
        if index != 0 {
            self.faults.reordered += 1;
        }
        let message = self.network.remove(index);
        if self.faulty && self.rng.percent(8) {
            match message {
                Message::Push { .. } | Message::Pull { .. } => self.faults.requests_dropped += 1,
                _ => self.faults.responses_dropped += 1,
            }
            self.log(|| "a message is lost".into());
            return;
        }
        if self.faulty && self.rng.percent(5) {
            self.faults.duplicated += 1;
            self.network.push(message.clone());
        }
        self.handle(message);
    }

    fn handle(&mut self, message: Message) {
        match message {
            Message::Push {
                client,
                incarnation,
                request,
            } => {
                let user = self.clients[client].replica.user();
                let answer = self.server.push(user, &request);
                if let Ok(response) = &answer {
                    for outcome in &response.outcomes {
                        let id = (response.client_id, outcome.seq);
                        match self.outcomes.get(&id) {
                            None => {
                                match outcome.outcome {
                                    Outcome::Conflicted { .. } => self.faults.conflicts += 1,
                                    Outcome::Rejected { .. } => self.faults.rejections += 1,
                                    _ => {}
                                }
                                self.outcomes.insert(id, outcome.outcome.clone());
                            }
                            Some(first) if *first != outcome.outcome => {
                                let seen = format!(
                                    "{} {} answered {first:?}, then {:?}",
                                    id.0, id.1, outcome.outcome
                                );
                                self.violations.push(seen);
                            }
                            Some(_) => {}
                        }
                    }
                }
                if matches!(answer, Err(PushRefusal::Gap { .. })) {
                    self.faults.gaps_refused += 1;
                }
                self.log(|| {
                    format!(
                        "server answers push of client {client}: {}",
                        summary(&answer)
                    )
                });
                self.network.push(Message::PushAnswer {
                    client,
                    incarnation,
                    answer,
                });
            }
            Message::Pull {
                client,
                incarnation,
                request,
            } => {
                let user = self.clients[client].replica.user();
                let answer = self.server.pull(user, &request);
                self.network.push(Message::PullAnswer {
                    client,
                    incarnation,
                    answer,
                });
            }
            Message::PushAnswer {
                client,
                incarnation,
                answer,
            } => {
                let c = &mut self.clients[client];
                if c.incarnation != incarnation {
                    return;
                }
                c.sent_through = Seq(0);
                match answer {
                    Ok(response) => {
                        let report = c.replica.apply_push_response(&response);
                        let client_id = c.replica.client_id();
                        for (seq, outcome) in report.acknowledged {
                            if self
                                .acknowledged
                                .insert((client_id, seq), outcome)
                                .is_some()
                            {
                                self.violations
                                    .push(format!("client {client} acknowledged {seq} twice"));
                            }
                        }
                    }
                    Err(refusal) => {
                        if let Err(stuck) = c.replica.apply_push_refusal(&refusal) {
                            self.violations
                                .push(format!("client {client} is stuck: {stuck}"));
                        }
                    }
                }
            }
            Message::PullAnswer {
                client,
                incarnation,
                answer,
            } => {
                let c = &mut self.clients[client];
                if c.incarnation != incarnation {
                    return;
                }
                let response = answer.expect("pulls are never refused here");
                if c.replica.apply_pull_response(&response).is_err() {
                    self.faults.stale_pulls_ignored += 1;
                }
            }
        }
    }

    /// The office changes someone's scope: unassigns or reassigns the list, removes or adds
    /// a member, revokes or grants a role.
    fn change_scope(&mut self) {
        self.office_sync();
        self.faults.scope_changes += 1;
        let visible = self.office.visible();
        let list = visible
            .values()
            .find(|r| r.collection == Collection::List)
            .cloned();
        let people: Vec<RecordId> = visible
            .values()
            .filter(|r| r.collection == Collection::Person)
            .map(|r| r.id)
            .collect();
        match self.rng.below(4) {
            0 => {
                let Some(list) = list else { return };
                let key = RecordKey {
                    collection: Collection::List,
                    id: list.id,
                };
                let assigned =
                    matches!(list.get("assignees"), Value::Ids(ids) if ids.contains(&VOLUNTEER.0));
                let element = Element::Id(VOLUNTEER.0);
                self.log(|| {
                    format!(
                        "office {} the list",
                        if assigned { "unassigns" } else { "reassigns" }
                    )
                });
                let _ = if assigned {
                    self.office.remove_from_set(key, "assignees", element)
                } else {
                    self.office.add_to_set(key, "assignees", element)
                };
            }
            1 => {
                let (Some(list), Some(&person)) = (list, self.rng.pick(&people)) else {
                    return;
                };
                let key = RecordKey {
                    collection: Collection::List,
                    id: list.id,
                };
                let member =
                    matches!(list.get("members"), Value::Ids(ids) if ids.contains(&person));
                self.log(|| {
                    format!(
                        "office {} a list member",
                        if member { "removes" } else { "adds" }
                    )
                });
                let _ = if member {
                    self.office
                        .remove_from_set(key, "members", Element::Id(person))
                } else {
                    self.office.add_to_set(key, "members", Element::Id(person))
                };
            }
            n => {
                let (user, role) = if n == 2 {
                    (VOLUNTEER, Role::Volunteer)
                } else {
                    (HOST, Role::Host)
                };
                let slot = if n == 2 {
                    self.volunteer_role
                } else {
                    self.host_role
                };
                match slot {
                    Some(id) => {
                        self.log(|| format!("office revokes {role:?}"));
                        let _ = self.office.delete(RecordKey {
                            collection: Collection::RoleAssignment,
                            id,
                        });
                        if n == 2 {
                            self.volunteer_role = None
                        } else {
                            self.host_role = None
                        }
                    }
                    None => {
                        self.log(|| format!("office grants {role:?}"));
                        let id = self.new_id();
                        let mut record = support::role(user, role, WARD_NORTH);
                        record.id = id;
                        let _ = self.office.create(&record);
                        if n == 2 {
                            self.volunteer_role = Some(id)
                        } else {
                            self.host_role = Some(id)
                        }
                    }
                }
            }
        }
        self.office_sync();
    }

    fn erase(&mut self) {
        let people: Vec<RecordId> = self
            .server
            .inner
            .store
            .records
            .keys()
            .filter(|k| k.collection == Collection::Person)
            .map(|k| k.id)
            .collect();
        let Some(&person) = self.rng.pick(&people) else {
            return;
        };
        self.faults.erasures += 1;
        self.log(|| format!("office erases {person}"));
        self.server
            .inner
            .erase(ADMIN, PersonId(person))
            .expect("the admin may erase anyone");
        self.office_sync();
    }

    /// Faults stop; what is in flight arrives; every client pushes until its outbox is
    /// empty, then every client pulls to the end. Pulling changes nothing on the server, so
    /// after the pulls everyone has seen the final state.
    fn quiesce(&mut self) -> Result<(), String> {
        self.faulty = false;
        while !self.network.is_empty() {
            let message = self.network.remove(0);
            self.handle(message);
        }
        for i in 0..self.clients.len() {
            self.clients[i].incarnation += 1;
            self.clients[i].sent_through = Seq(0);
            let incarnation = self.clients[i].incarnation;
            while let Some(request) = self.clients[i].replica.push_request(50) {
                self.handle(Message::Push {
                    client: i,
                    incarnation,
                    request,
                });
                let answer = self.network.pop().expect("an answer");
                self.handle(answer);
            }
        }
        let version = self.server.inner.store.version;
        for i in 0..self.clients.len() {
            let incarnation = self.clients[i].incarnation;
            loop {
                let request = self.clients[i].replica.pull_request(50);
                self.handle(Message::Pull {
                    client: i,
                    incarnation,
                    request,
                });
                let Some(Message::PullAnswer {
                    answer: Ok(response),
                    ..
                }) = self.network.pop()
                else {
                    return Err("a pull went unanswered".into());
                };
                if !self.clients[i]
                    .replica
                    .apply_pull_response(&response)
                    .map_err(|e| e.to_string())?
                {
                    break;
                }
            }
        }
        self.office_sync();
        if self.server.inner.store.version != version {
            return Err("the server changed while everyone was only pulling".into());
        }
        self.save_all();
        Ok(())
    }

    fn check(&mut self) -> Result<(), String> {
        let mut problems = String::new();
        // 3. (and 2.) Recorded while the run went on.
        for violation in &self.violations {
            writeln!(problems, "{violation}").unwrap();
        }
        let tree = self.server.inner.area_tree();
        let views: Vec<_> = self
            .clients
            .iter()
            .map(|c| c.replica.user())
            .map(|user| {
                (
                    self.server.inner.visible_to(user),
                    self.server.inner.actor(user),
                )
            })
            .collect();
        let state = &self.server.inner.store;
        let erased = &state.erased;
        // 1. Convergence to the server's state projected to each scope.
        for (i, (client, ((records, conflicts), actor))) in
            self.clients.iter().zip(views).enumerate()
        {
            let replica = &client.replica;
            if replica.confirmed() != &records {
                let held: BTreeSet<_> = replica.confirmed().keys().collect();
                let want: BTreeSet<_> = records.keys().collect();
                writeln!(
                    problems,
                    "client {i}: records differ; extra {:?}, missing {:?}",
                    held.difference(&want).collect::<Vec<_>>(),
                    want.difference(&held).collect::<Vec<_>>()
                )
                .unwrap();
                for (k, r) in replica.confirmed() {
                    if records.get(k).is_some_and(|w| w != r) {
                        writeln!(problems, "  {k:?}: held {r:?}\n  server {:?}", records[k])
                            .unwrap();
                    }
                }
            }
            if replica.confirmed_conflicts() != &conflicts {
                writeln!(
                    problems,
                    "client {i}: conflicts differ: held {:?}, server {:?}",
                    replica.confirmed_conflicts().keys().collect::<Vec<_>>(),
                    conflicts.keys().collect::<Vec<_>>()
                )
                .unwrap();
            }
            let held: BTreeMap<RecordKey, Record> = replica
                .confirmed()
                .iter()
                .map(|(k, r)| (*k, r.to_record()))
                .collect();
            if replica.visible() != held {
                writeln!(problems, "client {i}: shows something other than it holds").unwrap();
            }
            let rules = Permissions::new(&actor, &tree);
            for (key, record) in &held {
                if !rules.can_read(record) {
                    writeln!(problems, "client {i}: holds {key:?} outside its scope").unwrap();
                }
                if erased.iter().any(|&id| record.mentions(id)) {
                    writeln!(problems, "client {i}: {key:?} still mentions an erased id").unwrap();
                }
            }
            // 2. Every mutation acknowledged exactly once.
            if replica.outbox().next().is_some() {
                writeln!(problems, "client {i}: outbox not empty after quiescence").unwrap();
            }
            let last = state
                .clients
                .get(&replica.client_id())
                .map_or(Seq(0), |log| log.last_seq);
            if last != replica.last_assigned() {
                writeln!(
                    problems,
                    "client {i}: server's last seq {last}, client's {}",
                    replica.last_assigned()
                )
                .unwrap();
            }
            for seq in 1..=replica.last_assigned().0 {
                if !self
                    .acknowledged
                    .contains_key(&(replica.client_id(), Seq(seq)))
                {
                    writeln!(problems, "client {i}: #{seq} never acknowledged").unwrap();
                }
            }
            // 4. Rejections are shown (unless they touched erased data, which is purged).
            let rejected: BTreeSet<Seq> = replica.rejected().map(|r| r.mutation.seq).collect();
            for ((client_id, seq), outcome) in &self.acknowledged {
                if *client_id != replica.client_id() || !matches!(outcome, Outcome::Rejected { .. })
                {
                    continue;
                }
                let touches_erased = self.intents[&(*client_id, *seq)]
                    .op_ids()
                    .iter()
                    .any(|id| erased.contains(id));
                if !rejected.contains(seq) && !touches_erased {
                    writeln!(problems, "client {i}: rejected {seq} is not shown").unwrap();
                }
            }
            // 6. The device store rebuilds the replica.
            if reload(&client.store).as_ref() != Some(replica) {
                writeln!(problems, "client {i}: its store rebuilds another replica").unwrap();
            }
            // 5. Nothing erased survives on the client.
            for id in erased {
                if replica
                    .confirmed_conflicts()
                    .values()
                    .any(|c| c.mentions(*id))
                {
                    writeln!(
                        problems,
                        "client {i}: a conflict still mentions erased {id}"
                    )
                    .unwrap();
                }
                if replica.outbox().any(|m| m.mentions(*id))
                    || replica.rejected().any(|r| r.mutation.mentions(*id))
                {
                    writeln!(
                        problems,
                        "client {i}: a mutation still mentions erased {id}"
                    )
                    .unwrap();
                }
            }
        }
        // 5. Nothing erased survives on the server.
        for id in erased {
            if state.records.values().any(|s| s.record.mentions(*id)) {
                writeln!(problems, "server: a record still mentions erased {id}").unwrap();
            }
            if state.conflicts.values().any(|c| c.conflict.mentions(*id)) {
                writeln!(problems, "server: a conflict still mentions erased {id}").unwrap();
            }
        }
        // 4. Effects of applied mutations; no silent overwrite.
        self.check_effects(&mut problems);
        // 7. Open conflicts show their field as it stands.
        self.check_open_conflicts(&mut problems);
        if problems.is_empty() {
            Ok(())
        } else {
            Err(problems)
        }
    }

    /// Checks that every open conflict on the server shows its field as it stands: its
    /// winner is the field's value and version now (a later write either settled it or
    /// moved it to that write), and its kept value is not that value (writing it back
    /// settles the conflict).
    fn check_open_conflicts(&self, problems: &mut String) {
        let state = &self.server.inner.store;
        for stored in state.conflicts.values().filter(|c| c.open) {
            let conflict = &stored.conflict;
            let Some(held) = state.records.get(&conflict.key) else {
                writeln!(
                    problems,
                    "conflict {:?} is open on a record that is gone",
                    conflict.id
                )
                .unwrap();
                continue;
            };
            let field = conflict.field.as_str();
            let (value, version) = if field == "area" {
                (
                    Value::Id(held.synced.area.value.0),
                    held.synced.area.version,
                )
            } else {
                held.synced
                    .fields
                    .get(field)
                    .map_or((Value::Null, Version(0)), |f| (f.value.clone(), f.version))
            };
            if conflict.winner.value != value || conflict.winner.version != version {
                writeln!(
                    problems,
                    "conflict {:?} on {:?}.{field} shows {:?} at {} as the value now, but the field holds {value:?} at {version}",
                    conflict.id, conflict.key, conflict.winner.value, conflict.winner.version
                )
                .unwrap();
            }
            if conflict.overwritten.value == value {
                writeln!(
                    problems,
                    "conflict {:?} on {:?}.{field} is open, but the field holds its kept value again",
                    conflict.id, conflict.key
                )
                .unwrap();
            }
        }
    }

    /// Replays the history of every scalar field from the recorded outcomes and checks, for
    /// each write, that the server decided as the rule says: a write over a value its author
    /// had not seen, with a different value, must have been reported as a conflict. Then
    /// checks that the latest applied write of each field, and each applied set operation,
    /// is what the server holds.
    fn check_effects(&self, problems: &mut String) {
        struct Write {
            version: Version,
            client: ClientId,
            base: Version,
            value: Value,
            conflicted: bool,
        }
        let state = &self.server.inner.store;
        let mut writes: BTreeMap<(RecordKey, String), Vec<Write>> = BTreeMap::new();
        let mut set_ops: Vec<(Version, RecordKey, String, Element, bool)> = Vec::new();
        for ((client, seq), outcome) in &self.outcomes {
            let (version, conflicted) = match outcome {
                Outcome::Applied { version } => (*version, false),
                Outcome::Conflicted { version, .. } => (*version, true),
                _ => continue,
            };
            let intent = &self.intents[&(*client, *seq)];
            let key = intent.key;
            match &intent.op {
                Op::Create { area, fields } => {
                    let mut all: Vec<(String, Value)> = fields
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.clone()))
                        .collect();
                    all.push(("area".into(), Value::Id(area.0)));
                    for (field, value) in all {
                        writes.entry((key, field)).or_default().push(Write {
                            version,
                            client: *client,
                            base: Version(0),
                            value,
                            conflicted,
                        });
                    }
                }
                Op::SetField {
                    field,
                    value,
                    base_version,
                } => {
                    writes
                        .entry((key, field.to_string()))
                        .or_default()
                        .push(Write {
                            version,
                            client: *client,
                            base: *base_version,
                            value: value.clone(),
                            conflicted,
                        });
                }
                Op::ResolveConflict { conflict, value } => {
                    let base = state
                        .conflicts
                        .get(conflict)
                        .map(|c| c.conflict.winner.version);
                    let (Some(field), Some(base)) = (&intent.field, base) else {
                        continue;
                    };
                    writes.entry((key, field.clone())).or_default().push(Write {
                        version,
                        client: *client,
                        base,
                        value: value.clone(),
                        conflicted,
                    });
                }
                Op::AddToSet { field, element } => {
                    set_ops.push((version, key, field.to_string(), element.clone(), true))
                }
                Op::RemoveFromSet { field, element } => {
                    set_ops.push((version, key, field.to_string(), element.clone(), false))
                }
                Op::Delete { .. } | Op::Void => {}
            }
        }
        let gone = |key: &RecordKey| !state.records.contains_key(key);
        for ((key, field), history) in &mut writes {
            if state.erased.contains(&key.id) {
                continue;
            }
            history.sort_by_key(|w| w.version);
            for pair in history.windows(2) {
                let (previous, write) = (&pair[0], &pair[1]);
                let unseen = previous.version > write.base && previous.client != write.client;
                if unseen && previous.value != write.value && !write.conflicted {
                    writeln!(
                        problems,
                        "{key:?}.{field}: the write at {} silently overwrote {} (base {})",
                        write.version, previous.version, write.base
                    )
                    .unwrap();
                }
            }
            let latest = history.last().expect("a write");
            if !gone(key) {
                let held = &state.records[key].synced;
                let (value, version) = if field == "area" {
                    (Value::Id(held.area.value.0), held.area.version)
                } else {
                    held.fields
                        .get(field.as_str())
                        .map_or((Value::Null, Version(0)), |f| (f.value.clone(), f.version))
                };
                if version == latest.version && value != latest.value {
                    writeln!(
                        problems,
                        "{key:?}.{field}: holds {value:?}, but the write at {} set {:?}",
                        latest.version, latest.value
                    )
                    .unwrap();
                }
                if version < latest.version {
                    writeln!(
                        problems,
                        "{key:?}.{field}: the write at {} is missing (field at {version})",
                        latest.version
                    )
                    .unwrap();
                }
            }
        }
        set_ops.sort_by_key(|op| op.0);
        let mut last_op: BTreeMap<(RecordKey, String, Element), bool> = BTreeMap::new();
        for (_, key, field, element, added) in set_ops {
            last_op.insert((key, field, element), added);
        }
        for ((key, field, element), added) in last_op {
            let erased = matches!(element, Element::Id(id) if state.erased.contains(&id));
            if gone(&key) || erased {
                continue;
            }
            let held = &state.records[&key].record;
            let present = match (held.get(&field), &element) {
                (Value::Texts(set), Element::Text(t)) => set.contains(t),
                (Value::Ids(set), Element::Id(id)) => set.contains(id),
                _ => false,
            };
            // The office also edits list members; only the sim clients' last word is known.
            if present != added && key.collection != Collection::List {
                writeln!(problems, "{key:?}.{field}: the last applied set operation on {element:?} is not in effect").unwrap();
            }
        }
    }
}

impl Intent {
    fn op_ids(&self) -> Vec<RecordId> {
        Mutation {
            client_id: ClientId::from_u128(0),
            seq: Seq(0),
            schema_version: organise_core::sync::schema::CURRENT,
            collection: self.key.collection,
            record_id: self.key.id,
            op: self.op.clone(),
        }
        .ids()
    }
}

fn summary(answer: &Result<PushResponse, PushRefusal>) -> String {
    match answer {
        Ok(response) => response
            .outcomes
            .iter()
            .map(|o| format!("{}:{:?}", o.seq.0, o.outcome))
            .collect::<Vec<_>>()
            .join(", "),
        Err(refusal) => format!("refused: {refusal}"),
    }
}

/// Runs one seed; `Err` carries what failed and the run's trace.
pub fn run_seed(seed: u64, variant: Variant) -> Result<Faults, String> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut world = World::new(seed, variant);
        let steps = 40 + world.rng.below(80);
        world.run(steps);
        let result = world.quiesce().and_then(|()| world.check());
        (result, world.faults, world.trace)
    }));
    match outcome {
        Ok((Ok(()), faults, _)) => Ok(faults),
        Ok((Err(problems), _, trace)) => Err(format!("seed {seed}:\n{problems}\ntrace:\n{trace}")),
        Err(panic) => {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_default();
            Err(format!("seed {seed} panicked: {message}"))
        }
    }
}

fn env_u64(name: &str) -> Option<u64> {
    std::env::var(name).ok().map(|v| {
        v.parse()
            .unwrap_or_else(|_| panic!("{name} must be a number"))
    })
}

/// Runs the seeds `range`, failing on the first counterexample.
fn run_range(range: std::ops::Range<u64>) -> Faults {
    let mut total = Faults::default();
    for seed in range {
        match run_seed(seed, Variant::Correct) {
            Ok(faults) => total.add(&faults),
            Err(report) => panic!("{report}\nreplay with SIM_SEED={seed}"),
        }
    }
    total
}

/// The default seeds are split over four tests so the test harness runs them in parallel.
const DEFAULT_SEEDS: u64 = 10_000;

fn run_share(share: u64) {
    if let Some(seed) = env_u64("SIM_SEED") {
        if share == 0 {
            let faults = run_range(seed..seed + 1);
            eprintln!("sim: seed {seed} passed: {faults:?}");
        }
        return;
    }
    let seeds = env_u64("SIM_SEEDS").unwrap_or(DEFAULT_SEEDS);
    let per = seeds.div_ceil(4);
    let range = (share * per).min(seeds)..((share + 1) * per).min(seeds);
    let faults = run_range(range);
    // The four shares add up their counts; the last to finish prints the one summary.
    static TOTAL: std::sync::Mutex<(Faults, u64)> = std::sync::Mutex::new((
        Faults {
            seeds: 0,
            requests_dropped: 0,
            responses_dropped: 0,
            duplicated: 0,
            reordered: 0,
            client_restarts: 0,
            server_restarts: 0,
            scope_changes: 0,
            erasures: 0,
            gaps_refused: 0,
            stale_pulls_ignored: 0,
            mutations: 0,
            conflicts: 0,
            rejections: 0,
        },
        0,
    ));
    let mut total = TOTAL
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    total.0.add(&faults);
    total.1 += 1;
    if total.1 == 4 {
        let f = &total.0;
        eprintln!(
            "sim: {} seeds passed. Injected: {} requests dropped, {} responses dropped, {} duplicated, \
             {} reordered deliveries, {} client restarts, {} server restarts, {} scope changes, {} erasures. \
             Seen: {} mutations, {} conflicts, {} rejections, {} gaps refused, {} stale pulls ignored.",
            f.seeds,
            f.requests_dropped,
            f.responses_dropped,
            f.duplicated,
            f.reordered,
            f.client_restarts,
            f.server_restarts,
            f.scope_changes,
            f.erasures,
            f.mutations,
            f.conflicts,
            f.rejections,
            f.gaps_refused,
            f.stale_pulls_ignored,
        );
    }
}

#[test]
fn simulation_seeds_first_quarter() {
    run_share(0);
}

#[test]
fn simulation_seeds_second_quarter() {
    run_share(1);
}

#[test]
fn simulation_seeds_third_quarter() {
    run_share(2);
}

#[test]
fn simulation_seeds_fourth_quarter() {
    run_share(3);
}

// Counterexamples found while developing, each kept as a named regression.

/// Seed 791: a gap refusal answering a reordered request arrived after the gap had been
/// filled, and the replica took it for a server that had lost acknowledged mutations. Now
/// the server itself detects lost data (from the request's `acknowledged`), and a gap
/// refusal never makes the replica stuck. (Seed numbers follow the generator, which has
/// changed since; `protocol::regression_seed_791_a_late_gap_refusal_is_not_data_loss`
/// pins the scenario itself.)
#[test]
fn regression_seed_791_late_gap_refusal_is_not_data_loss() {
    run_seed(791, Variant::Correct).unwrap();
}

/// Pages cut short by a tiny scan budget (three feed entries, so most pages end before their
/// limit, many of them empty) still bring every client to the server's state.
#[test]
fn pages_cut_short_by_the_scan_budget_still_converge() {
    for seed in 0..SHORT_SCAN_SEEDS {
        if let Err(report) = run_seed(seed, Variant::ShortScans) {
            panic!("{report}\nthe ShortScans server failed seed {seed}");
        }
    }
}

/// Seeds run with the tiny scan budget. A cursor that skips even one entry fails seed 0.
const SHORT_SCAN_SEEDS: u64 = 300;

/// Runs seeds against a broken server until the checker catches it, and says how.
fn caught(variant: Variant) -> (u64, String) {
    (0..500)
        .find_map(|seed| run_seed(seed, variant).err().map(|report| (seed, report)))
        .unwrap_or_else(|| panic!("no seed in 0..500 caught the {variant:?} server"))
}

/// The checker has teeth: a server that processes replayed mutations again is caught.
#[test]
fn a_server_applying_replays_again_is_caught() {
    let (seed, report) = caught(Variant::ReplaysApplyAgain);
    eprintln!(
        "sim: the ReplaysApplyAgain server is caught by seed {seed}: {}",
        report.lines().take(2).collect::<Vec<_>>().join(" ")
    );
}

/// The checker has teeth: a server that drops conflicts silently is caught.
#[test]
fn a_server_dropping_conflicts_is_caught() {
    let (seed, report) = caught(Variant::ConflictsDropped);
    eprintln!(
        "sim: the ConflictsDropped server is caught by seed {seed}: {}",
        report.lines().take(2).collect::<Vec<_>>().join(" ")
    );
}
