//! Several pushers and pullers at once. Whatever order their transactions commit in, every
//! puller's stream of pages, replayed, must equal the server's final state: a change that
//! commits after a later-numbered one would otherwise be skipped by a cursor that had already
//! moved past it. Runs on SQLite and, in the PostgreSQL layer, on truly concurrent
//! transactions.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use organise_core::record::{Collection, Value};
use organise_core::sync::replica::Replica;
use organise_core::sync::server as protocol;
use organise_core::sync::wire::{PullResponse, PushResponse, RecordKey};
use organise_server::sync_store::{self, Access};

use crate::support::{Client, TestApp, person, replica};

const PUSHERS: usize = 4;
const PULLERS: usize = 3;
const BATCHES: usize = 25;

struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

async fn push(app: &TestApp, client: &Client, phone: &mut Replica) {
    while let Some(request) = phone.push_request(20) {
        let response = client.push(app, &request).await;
        assert_eq!(response.status, 200, "{}", response.text());
        let response: PushResponse = serde_json::from_slice(&response.body).unwrap();
        phone.apply_push_response(&response);
    }
}

/// Pulls one round (until `more` is false), returning how many pages it took.
async fn pull_round(app: &TestApp, client: &Client, phone: &mut Replica) -> usize {
    let mut pages = 0;
    loop {
        let request = serde_json::to_value(phone.pull_request(7)).unwrap();
        let response = client.post(app, "/api/sync/pull", &request).await;
        assert_eq!(response.status, 200, "{}", response.text());
        let page: PullResponse = serde_json::from_slice(&response.body).unwrap();
        phone.apply_pull_response(&page).unwrap();
        pages += 1;
        if !page.more {
            return pages;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_never_hide_a_change_from_a_concurrent_pull() {
    let app = Arc::new(TestApp::new().await);
    let london = app.area("London").await;
    let writer = Arc::new(
        app.user("writer@test.organise.invalid", "organiser", "London")
            .await,
    );
    let reader = Arc::new(
        app.user("reader@test.organise.invalid", "organiser", "London")
            .await,
    );

    // People everyone edits at once.
    let mut setup = replica(&writer);
    let shared: Vec<RecordKey> = (0..12)
        .map(|_| {
            let record = person("Alex Example", london, writer.user);
            setup.create(&record).unwrap();
            RecordKey {
                collection: Collection::Person,
                id: record.id,
            }
        })
        .collect();
    writer.push_all(&app, &mut setup).await;
    let shared = Arc::new(shared);

    let done = Arc::new(AtomicBool::new(false));
    let mut pullers = Vec::new();
    for _ in 0..PULLERS {
        let (app, reader, done) = (app.clone(), reader.clone(), done.clone());
        pullers.push(tokio::spawn(async move {
            let mut phone = replica(&reader);
            let mut pages = 0;
            while !done.load(Ordering::SeqCst) {
                pages += pull_round(&app, &reader, &mut phone).await;
            }
            // One last round after every push has been acknowledged.
            pages += pull_round(&app, &reader, &mut phone).await;
            (phone, pages)
        }));
    }
    let mut pushers = Vec::new();
    for n in 0..PUSHERS {
        let (app, writer, shared) = (app.clone(), writer.clone(), shared.clone());
        pushers.push(tokio::spawn(async move {
            let mut rng = Rng(0x9E37_79B9 + n as u64);
            let mut phone = replica(&writer);
            for _ in 0..BATCHES {
                for _ in 0..=rng.below(6) {
                    if rng.below(3) == 0 {
                        phone
                            .create(&person("Sam Sample", london, writer.user))
                            .unwrap();
                    } else {
                        let key = shared[rng.below(shared.len())];
                        let name =
                            ["Rhiannon Example", "Siobhan Sample", "Dafydd O'Test"][rng.below(3)];
                        // Each pusher edits from a stale base: concurrent edits conflict.
                        phone
                            .set_field(key, "name", Value::Text(name.into()))
                            .unwrap();
                    }
                }
                push(&app, &writer, &mut phone).await;
            }
            phone
        }));
    }
    for pusher in pushers {
        let phone = pusher.await.unwrap();
        assert_eq!(phone.outbox().count(), 0, "every push was acknowledged");
    }
    done.store(true, Ordering::SeqCst);

    let user = reader.user;
    let (expected, _) = sync_store::run(
        &app.state.db,
        &app.state.trees,
        Access::Read,
        move |store| Ok((protocol::visible_to(store, user)?, false)),
    )
    .await
    .unwrap();
    let people = expected
        .keys()
        .filter(|k| k.collection == Collection::Person)
        .count();
    assert!(
        people > shared.len(),
        "the pushers created people: {people}"
    );
    for puller in pullers {
        let (phone, pages) = puller.await.unwrap();
        assert!(pages > PULLERS, "pulls ran while pushes did: {pages} pages");
        assert_eq!(
            phone.confirmed(),
            &expected,
            "a puller's replayed stream differs from the server's final state"
        );
    }
    Arc::into_inner(app).unwrap().remove().await;
}
