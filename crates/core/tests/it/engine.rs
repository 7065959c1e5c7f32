//! The client's sync engine, natively: one pass over a fake phone whose transport is the
//! reference server (with answers planned in advance: no connection, a refusal, a stale page)
//! and whose store is the memory store. Every call and save is logged, so the tests read the
//! order of what a pass did.

use crate::support::{self, ORGANISER, WARD_NORTH, ready, reload};
use organise_core::id::RecordId;
use organise_core::sync::engine::{
    self, Answer, FIRST_WAIT_MS, Failure, MAX_WAIT_MS, Transport, TransportError, retry_wait_ms,
};
use organise_core::sync::server::MAX_PAGE;
use organise_core::sync::{
    ClientId, LocalStore, MAX_PUSH_BATCH, MemoryLocalStore, PullRefusal, PullRequest, PullResponse,
    PushRefusal, PushRequest, PushResponse, ReferenceServer, Replica, Seq, StuckPush, Version,
};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::future::{Future, poll_fn};
use std::pin::pin;
use std::task::{Context, Poll, Waker};

/// What a pass did, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Event {
    /// A push of `count` mutations from seq `first`.
    Push { first: Seq, count: usize },
    /// A pull from `cursor`, asking for up to `limit` changes.
    Pull { cursor: Version, limit: usize },
    /// A save took the replica's changes and began writing them.
    SaveBegun,
    /// A save ended; the store now holds the replica at `cursor` with `outbox` pending.
    Saved { cursor: Version, outbox: usize },
}

/// How the fake answers a request, in place of the server's own answer.
#[derive(Clone, Debug)]
enum Plan {
    /// No answer.
    Fail(TransportError),
    /// The push refused whole.
    Refuse(PushRefusal),
    /// The pull refused whole.
    RefusePull(PullRefusal),
    /// The last page served, again, saying it is the last: a duplicate the replica has
    /// overtaken.
    Stale,
}

/// Why the fake's store failed, when told to.
#[derive(Debug)]
struct Full;

impl std::fmt::Display for Full {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "The phone's storage is full.")
    }
}

/// A phone: its replica and store (the engine's device) and its connection to a reference
/// server (the engine's transport). Requests are answered by the server unless a plan was
/// made for that push or pull (counted from 1).
struct Phone {
    replica: RefCell<Option<Replica>>,
    store: MemoryLocalStore,
    server: RefCell<ReferenceServer>,
    pushes: BTreeMap<usize, Plan>,
    pulls: BTreeMap<usize, Plan>,
    last_page: RefCell<Option<PullResponse>>,
    /// Each save waits once before writing, as IndexedDB does.
    slow_saves: bool,
    /// Saves that write something fail from this one on (counted from 1).
    failing_from: Option<usize>,
    log: RefCell<Vec<Event>>,
    /// The pages the server served, in order.
    served: RefCell<Vec<PullResponse>>,
}

/// The organiser's new phone with `people` created on it and nothing sent, and a server
/// whose pull pages read at most `scan_budget` feed entries (so a few records make many
/// pages).
fn phone(people: u128, scan_budget: usize) -> Phone {
    let mut replica = Replica::new(ClientId::from_u128(1), ORGANISER);
    for n in 0..people {
        replica
            .create(&support::person(
                RecordId::from_u128(0x100 + n),
                "Sam Example",
                WARD_NORTH,
                ORGANISER,
            ))
            .expect("a valid person");
    }
    let store = MemoryLocalStore::new();
    let Ok(()) = ready(store.apply(&replica.take_changes()));
    Phone {
        replica: RefCell::new(Some(replica)),
        store,
        server: RefCell::new(
            ReferenceServer::seeded(support::seed()).with_scan_budget(scan_budget),
        ),
        pushes: BTreeMap::new(),
        pulls: BTreeMap::new(),
        last_page: RefCell::default(),
        slow_saves: false,
        failing_from: None,
        log: RefCell::default(),
        served: RefCell::default(),
    }
}

impl Phone {
    /// Answers the `n`th push (from 1) as `plan` says.
    fn plan_push(mut self, n: usize, plan: Plan) -> Self {
        self.pushes.insert(n, plan);
        self
    }

    /// Answers the `n`th pull (from 1) as `plan` says.
    fn plan_pull(mut self, n: usize, plan: Plan) -> Self {
        self.pulls.insert(n, plan);
        self
    }

    fn count(&self, which: impl Fn(&Event) -> bool) -> usize {
        self.log.borrow().iter().filter(|e| which(e)).count()
    }

    fn pushes_made(&self) -> usize {
        self.count(|e| matches!(e, Event::Push { .. }))
    }

    fn note(&self, event: Event) {
        let mut log = self.log.borrow_mut();
        assert!(
            log.len() < 10_000,
            "the pass does not end: {:?}",
            &log[..20]
        );
        log.push(event);
    }

    /// One pass of the engine, to its end.
    fn sync(&self) -> Result<(), Failure> {
        run(engine::sync_once(self, self))
    }

    fn events(&self) -> Vec<Event> {
        self.log.borrow().clone()
    }

    fn requests(&self) -> Vec<Event> {
        self.events()
            .into_iter()
            .filter(|e| matches!(e, Event::Push { .. } | Event::Pull { .. }))
            .collect()
    }

    fn pulls_from(&self) -> Vec<Version> {
        self.events()
            .into_iter()
            .filter_map(|e| match e {
                Event::Pull { cursor, .. } => Some(cursor),
                _ => None,
            })
            .collect()
    }

    /// The replica as the store would rebuild it at the next start.
    fn stored(&self) -> Replica {
        reload(&self.store).expect("a stored replica")
    }

    fn replica<T>(&self, read: impl FnOnce(&Replica) -> T) -> T {
        read(self.replica.borrow().as_ref().expect("a replica"))
    }

    /// Whether the phone holds exactly what the server lets the organiser see, in memory
    /// and in its store.
    fn caught_up(&self) -> bool {
        let (records, _) = self.server.borrow_mut().visible_to(ORGANISER);
        let stored = self.stored();
        self.replica(|r| r.confirmed() == &records)
            && stored.confirmed() == &records
            && stored.outbox().count() == 0
    }
}

impl Transport for Phone {
    async fn push(&self, request: &PushRequest) -> Answer<PushResponse, PushRefusal> {
        self.note(Event::Push {
            first: request.mutations[0].seq,
            count: request.mutations.len(),
        });
        match self.pushes.get(&self.pushes_made()).cloned() {
            Some(Plan::Fail(error)) => Err(error),
            Some(Plan::Refuse(refusal)) => Ok(Err(refusal)),
            Some(other) => panic!("no push is answered {other:?}"),
            None => Ok(self.server.borrow_mut().push(ORGANISER, request)),
        }
    }

    async fn pull(&self, request: &PullRequest) -> Answer<PullResponse, PullRefusal> {
        self.note(Event::Pull {
            cursor: request.cursor,
            limit: request.limit,
        });
        match self.pulls.get(&self.pulls_from().len()).cloned() {
            Some(Plan::Fail(error)) => Err(error),
            Some(Plan::RefusePull(refusal)) => Ok(Err(refusal)),
            Some(Plan::Stale) => {
                let mut page = self
                    .last_page
                    .borrow()
                    .clone()
                    .expect("a page served before");
                page.more = false;
                Ok(Ok(page))
            }
            Some(other) => panic!("no pull is answered {other:?}"),
            None => {
                let answer = self.server.borrow_mut().pull(ORGANISER, request);
                if let Ok(page) = &answer {
                    *self.last_page.borrow_mut() = Some(page.clone());
                    self.served.borrow_mut().push(page.clone());
                }
                Ok(answer)
            }
        }
    }
}

impl engine::Device for Phone {
    type Error = Full;

    fn with_replica<T>(&self, step: impl FnOnce(&mut Replica) -> T) -> Option<T> {
        self.replica.borrow_mut().as_mut().map(step)
    }

    async fn save(&self) -> Result<(), Full> {
        // A save with nothing to write is not logged: the tests count the ones that wrote.
        let Some(changes) = self
            .with_replica(Replica::take_changes)
            .filter(|c| !c.is_empty())
        else {
            return Ok(());
        };
        self.note(Event::SaveBegun);
        if self.slow_saves {
            wait_once().await;
        }
        let begun = self.count(|e| *e == Event::SaveBegun);
        if self.failing_from.is_some_and(|from| begun >= from) {
            return Err(Full);
        }
        let Ok(()) = ready(self.store.apply(&changes));
        let stored = self.stored();
        self.note(Event::Saved {
            cursor: stored.cursor(),
            outbox: stored.outbox().count(),
        });
        Ok(())
    }
}

/// A future that is pending once, as a wait for IndexedDB is.
async fn wait_once() {
    let mut waited = false;
    poll_fn(|context| {
        if waited {
            Poll::Ready(())
        } else {
            waited = true;
            context.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await
}

/// Drives a future to its end by polling it again until it is ready: the fake's futures wait
/// at most once, so no runtime is needed.
fn run<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    for _ in 0..10_000 {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
    panic!("the pass never ended");
}

fn gap() -> PushRefusal {
    PushRefusal::Gap {
        expected: Seq(1),
        got: Seq(2),
    }
}

#[test]
fn the_wait_after_failures_doubles_from_five_seconds_to_five_minutes() {
    // With the random number in the middle, the jitter cancels out.
    let waits: Vec<u64> = (1..=9).map(|n| retry_wait_ms(n, 0.5)).collect();
    assert_eq!(
        waits,
        [
            5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000, 300_000
        ]
    );
    assert_eq!(retry_wait_ms(1, 0.5), FIRST_WAIT_MS);
    assert_eq!(retry_wait_ms(u32::MAX, 0.5), MAX_WAIT_MS);
}

#[test]
fn the_wait_is_spread_over_three_to_five_quarters_of_its_base() {
    for failures in 1..=12 {
        let base = retry_wait_ms(failures, 0.5) as f64;
        let shortest = retry_wait_ms(failures, 0.0);
        let longest = retry_wait_ms(failures, 0.999_999);
        assert_eq!(shortest as f64, base * 0.75, "after {failures} failures");
        assert!(longest as f64 >= base * 1.249, "after {failures} failures");
        for step in 0..100 {
            let wait = retry_wait_ms(failures, f64::from(step) / 100.0) as f64;
            assert!(
                (base * 0.75..base * 1.25).contains(&wait),
                "{wait} after {failures} failures"
            );
        }
        // A random number out of range stays within the bounds too.
        for random in [-1.0, 2.0, f64::NAN, f64::INFINITY] {
            let wait = retry_wait_ms(failures, random) as f64;
            assert!((base * 0.75..=base * 1.25).contains(&wait), "{random}");
        }
    }
}

#[test]
fn failures_are_classified_and_only_a_signed_out_one_waits_for_the_person() {
    assert_eq!(Failure::from(TransportError::Offline), Failure::Offline);
    assert_eq!(Failure::from(TransportError::SignedOut), Failure::SignedOut);
    assert_eq!(
        Failure::from(TransportError::Other("Try again later.".into())),
        Failure::Problem("Try again later.".into())
    );
    assert!(Failure::Offline.retries());
    assert!(Failure::Problem(String::new()).retries());
    assert!(!Failure::SignedOut.retries());
}

#[test]
fn no_connection_stops_the_pass_and_keeps_the_outbox() {
    let phone = phone(3, 2_000).plan_push(1, Plan::Fail(TransportError::Offline));
    assert_eq!(phone.sync(), Err(Failure::Offline));
    assert_eq!(
        phone.requests(),
        [Event::Push {
            first: Seq(1),
            count: 3
        }]
    );
    assert_eq!(phone.stored().outbox().count(), 3);
}

#[test]
fn a_signed_out_session_stops_the_pass() {
    let phone = phone(3, 2_000).plan_pull(1, Plan::Fail(TransportError::SignedOut));
    assert_eq!(phone.sync(), Err(Failure::SignedOut));
    // The push had gone through before the pull found the session ended; nothing more was
    // asked.
    assert_eq!(phone.requests().len(), 2);
    assert_eq!(phone.stored().outbox().count(), 0);
    assert_eq!(phone.stored().cursor(), Version(0));
}

#[test]
fn the_whole_outbox_is_pushed_in_batches_before_anything_is_pulled() {
    let people = 2 * MAX_PUSH_BATCH as u128 + 1;
    let phone = phone(people, 2_000);
    assert_eq!(phone.sync(), Ok(()));
    let requests = phone.requests();
    assert_eq!(
        requests[..4],
        [
            Event::Push {
                first: Seq(1),
                count: MAX_PUSH_BATCH
            },
            Event::Push {
                first: Seq(MAX_PUSH_BATCH as u64 + 1),
                count: MAX_PUSH_BATCH
            },
            Event::Push {
                first: Seq(2 * MAX_PUSH_BATCH as u64 + 1),
                count: 1
            },
            Event::Pull {
                cursor: Version(0),
                limit: MAX_PAGE
            },
        ]
    );
    assert!(
        requests[4..]
            .iter()
            .all(|e| matches!(e, Event::Pull { .. }))
    );
    // Each acknowledged batch is saved before the next is sent.
    let outboxes: Vec<usize> = phone
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Saved {
                cursor: Version(0),
                outbox,
            } => Some(outbox),
            _ => None,
        })
        .collect();
    assert_eq!(outboxes, [MAX_PUSH_BATCH + 1, 1, 0]);
    assert!(phone.caught_up());
}

#[test]
fn a_refused_push_is_sent_again_and_the_third_refusal_in_a_row_ends_the_pass() {
    let phone = phone(3, 2_000)
        .plan_push(1, Plan::Refuse(gap()))
        .plan_push(2, Plan::Refuse(PushRefusal::Malformed))
        .plan_push(3, Plan::Refuse(gap()));
    assert_eq!(phone.sync(), Err(Failure::PushRefused(gap())));
    let again = Event::Push {
        first: Seq(1),
        count: 3,
    };
    assert_eq!(phone.requests(), [again.clone(), again.clone(), again]);
    assert_eq!(phone.stored().outbox().count(), 3);
}

#[test]
fn two_refusals_in_a_row_are_sent_again_at_once() {
    let phone = phone(3, 2_000)
        .plan_push(1, Plan::Refuse(gap()))
        .plan_push(2, Plan::Refuse(PushRefusal::Malformed));
    assert_eq!(phone.sync(), Ok(()));
    assert_eq!(phone.pushes_made(), 3);
    assert!(phone.caught_up());
}

#[test]
fn refusals_count_only_in_a_row() {
    // Two refusals before each of two batches: four in the pass, never three in a row.
    let phone = phone(MAX_PUSH_BATCH as u128 + 1, 2_000)
        .plan_push(1, Plan::Refuse(gap()))
        .plan_push(2, Plan::Refuse(gap()))
        .plan_push(4, Plan::Refuse(gap()))
        .plan_push(5, Plan::Refuse(gap()));
    assert_eq!(phone.sync(), Ok(()));
    assert_eq!(phone.pushes_made(), 6);
    assert!(phone.caught_up());
}

#[test]
fn a_server_that_lost_changes_keeps_them_on_the_phone_and_says_so() {
    let phone = phone(3, 2_000).plan_push(
        1,
        Plan::Refuse(PushRefusal::ServerBehind {
            last_seq: Seq(0),
            acknowledged: Seq(3),
        }),
    );
    assert_eq!(
        phone.sync(),
        Err(Failure::Stuck(StuckPush::ServerBehind {
            last_seq: Seq(0),
            acknowledged: Seq(3),
        }))
    );
    // Sending again cannot help: one push, and nothing pulled.
    assert_eq!(phone.requests().len(), 1);
    assert_eq!(phone.stored().outbox().count(), 3);
}

#[test]
fn a_refused_pull_ends_the_pass_with_its_sentence() {
    let phone = phone(0, 2_000).plan_pull(1, Plan::RefusePull(PullRefusal::ClientOfAnotherUser));
    assert_eq!(
        phone.sync(),
        Err(Failure::PullRefused(PullRefusal::ClientOfAnotherUser))
    );
}

#[test]
fn pages_are_pulled_until_the_last_and_every_one_is_saved() {
    let phone = phone(20, 3);
    assert_eq!(phone.sync(), Ok(()));
    let served = phone.served.borrow().clone();
    assert!(served.len() >= 5, "only {} pages", served.len());
    assert!(served[..served.len() - 1].iter().all(|p| p.more));
    assert!(!served[served.len() - 1].more);
    // Each pull starts where the page before it ended, asking for a whole page.
    let mut expected = vec![Version(0)];
    expected.extend(served[..served.len() - 1].iter().map(|p| p.cursor));
    assert_eq!(phone.pulls_from(), expected);
    assert!(phone.events().iter().all(|e| match e {
        Event::Pull { limit, .. } => *limit == MAX_PAGE,
        _ => true,
    }));
    // Every page reached the store, in order.
    let mut saved: Vec<Version> = phone
        .events()
        .into_iter()
        .filter_map(|e| match e {
            Event::Saved { cursor, .. } => Some(cursor),
            _ => None,
        })
        .collect();
    saved.dedup();
    let mut cursors = vec![Version(0)];
    cursors.extend(served.iter().map(|p| p.cursor));
    cursors.dedup();
    assert_eq!(saved, cursors);
    assert!(phone.caught_up());
}

#[test]
fn a_page_is_saved_while_the_next_is_on_its_way() {
    let mut phone = phone(5, 3);
    phone.slow_saves = true;
    assert_eq!(phone.sync(), Ok(()));
    let first = phone.served.borrow()[0].cursor;
    let events = phone.events();
    // The first page's save begins, the second page is asked for, then the save ends.
    let saved_first = events
        .iter()
        .position(|e| matches!(e, Event::Saved { cursor, .. } if *cursor == first))
        .expect("the first page saved");
    assert_eq!(
        events[saved_first - 2..saved_first],
        [
            Event::SaveBegun,
            Event::Pull {
                cursor: first,
                limit: MAX_PAGE
            }
        ]
    );
    assert!(phone.caught_up());
}

#[test]
fn a_stale_page_is_ignored_and_pulled_again_from_where_the_replica_is() {
    // The second answer repeats the first page, and says it is the last.
    let phone = phone(10, 3).plan_pull(2, Plan::Stale);
    assert_eq!(phone.sync(), Ok(()));
    let first = phone.served.borrow()[0].cursor;
    assert_ne!(first, Version(0));
    assert_eq!(phone.pulls_from()[..3], [Version(0), first, first]);
    assert!(phone.caught_up());
}

#[test]
fn a_lost_connection_mid_pull_keeps_the_pages_already_saved() {
    let phone = phone(10, 3).plan_pull(3, Plan::Fail(TransportError::Offline));
    assert_eq!(phone.sync(), Err(Failure::Offline));
    let served = phone.served.borrow().clone();
    assert_eq!(served.len(), 2);
    assert!(served[1].more);
    // Both pages are in the store, as the next start will find them.
    let stored = phone.stored();
    assert_eq!(stored.cursor(), served[1].cursor);
    assert_eq!(phone.replica(Replica::cursor), served[1].cursor);
    assert_eq!(
        stored.confirmed(),
        &phone.replica(|r| r.confirmed().clone())
    );
}

#[test]
fn a_failed_save_is_a_problem_in_the_store_s_words() {
    let mut phone = phone(3, 2_000);
    phone.failing_from = Some(1);
    assert_eq!(
        phone.sync(),
        Err(Failure::Problem("The phone's storage is full.".into()))
    );
    // The push's answer could not be saved: nothing is pulled on top of it, and the store
    // still holds every change to send again.
    assert_eq!(phone.pushes_made(), 1);
    assert!(phone.pulls_from().is_empty());
    assert_eq!(phone.stored().outbox().count(), 3);
}

#[test]
fn a_page_that_cannot_be_saved_ends_the_pass() {
    let mut phone = phone(0, 3);
    phone.failing_from = Some(1);
    assert_eq!(
        phone.sync(),
        Err(Failure::Problem("The phone's storage is full.".into()))
    );
    // The second page was on its way while the first failed to save; no third is asked for,
    // and the store is where it was.
    assert_eq!(phone.pulls_from().len(), 2);
    assert_eq!(phone.stored().cursor(), Version(0));
}
