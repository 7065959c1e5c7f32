//! The generic server logic against a store that records its calls: a scripted exchange
//! (creates, a walk list, a concurrent edit kept as a conflict, a move, deletes, an erasure,
//! an area added and moved, pulls of a narrow scope) reaches the store only by keyed
//! lookups, keyed writes and bounded queries, never by reading every record; pulls write
//! nothing and take no lock; and a narrow pull reads at most its scan budget per page.

use crate::support::{
    self, ADMIN, CONSTITUENCY, ORGANISER, OTHER_REGION, REGION, VOLUNTEER, WARD_NORTH, WARD_SOUTH,
};
use organise_core::id::{AreaId, MeetingId, PersonId, RecordId, Timestamp, UserId};
use organise_core::model::Outcome as ConversationOutcome;
use organise_core::record::{Choice, Entity};
use organise_core::sync::server::{
    self, ClientLog, Erasure, FeedEntity, FeedEntry, MemoryStore, ServerStore, StoredConflict,
    StoredRecord, Tombstone,
};
use organise_core::sync::{ClientId, ConflictId, Outcome, RecordKey, Replica, Version};
use organise_core::{Area, AreaKind, Collection, Record, Value};
use std::collections::BTreeMap;

/// The scan budget of every pull here: small, so pages end early.
const BUDGET: usize = 20;

/// How many people the volunteer may not see, filling most of the store and its feed.
const STRANGERS: u128 = 200;

/// The calls to one method: how many, and how many items they returned, at most and in all.
#[derive(Clone, Copy, Debug, Default)]
struct Calls {
    count: usize,
    most_returned: usize,
    total_returned: usize,
}

/// A store that passes every call to `inner` and counts it.
struct Recording<S> {
    inner: S,
    calls: BTreeMap<&'static str, Calls>,
}

impl<S> Recording<S> {
    fn new(inner: S) -> Self {
        Self {
            inner,
            calls: BTreeMap::new(),
        }
    }

    /// The calls since the last time, and starts counting afresh.
    fn take_calls(&mut self) -> BTreeMap<&'static str, Calls> {
        std::mem::take(&mut self.calls)
    }

    fn note(&mut self, method: &'static str, items: usize) {
        let calls = self.calls.entry(method).or_default();
        calls.count += 1;
        calls.most_returned = calls.most_returned.max(items);
        calls.total_returned += items;
    }
}

/// How many items an answer holds: a list's length, an option's none or one, else one.
trait Items {
    fn items(&self) -> usize;
}

impl<T> Items for Vec<T> {
    fn items(&self) -> usize {
        self.len()
    }
}

impl<T> Items for Option<T> {
    fn items(&self) -> usize {
        usize::from(self.is_some())
    }
}

impl Items for Version {
    fn items(&self) -> usize {
        1
    }
}

impl Items for bool {
    fn items(&self) -> usize {
        1
    }
}

impl Items for () {
    fn items(&self) -> usize {
        0
    }
}

/// Implements every method of the trait by passing it on and counting it, and lists the
/// methods in `METHODS` (a method added to the trait fails to compile here until it is
/// listed). `area_tree` keeps its provided body, which asks `area_records`.
macro_rules! recording_store {
    ($(fn $name:ident(&mut self $(, $arg:ident: $ty:ty)*) -> $ret:ty;)*) => {
        const METHODS: &[&str] = &[$(stringify!($name)),*];

        impl<S: ServerStore> ServerStore for Recording<S> {
            type Error = S::Error;
            $(
                fn $name(&mut self $(, $arg: $ty)*) -> Result<$ret, S::Error> {
                    let answer = self.inner.$name($($arg),*)?;
                    self.note(stringify!($name), answer.items());
                    Ok(answer)
                }
            )*
        }
    };
}

recording_store! {
    fn lock_version(&mut self) -> Version;
    fn current_version(&mut self) -> Version;
    fn set_version(&mut self, version: Version) -> ();
    fn record(&mut self, key: RecordKey) -> Option<StoredRecord>;
    fn put_record(&mut self, record: StoredRecord) -> ();
    fn remove_record(&mut self, key: RecordKey) -> ();
    fn tombstone(&mut self, key: RecordKey) -> Option<Tombstone>;
    fn put_tombstone(&mut self, key: RecordKey, tombstone: Tombstone) -> ();
    fn remove_tombstone(&mut self, key: RecordKey) -> ();
    fn area_records(&mut self) -> Vec<Record>;
    fn role_assignments_of(&mut self, user: UserId) -> Vec<Record>;
    fn lists_assigned_to(&mut self, user: UserId) -> Vec<Record>;
    fn meetings_hosted_by(&mut self, user: UserId) -> Vec<MeetingId>;
    fn people_created_by(&mut self, user: UserId) -> Vec<PersonId>;
    fn people_created_by_among(&mut self, user: UserId, ids: Vec<RecordId>) -> Vec<PersonId>;
    fn attendees_of_meetings_hosted_by(&mut self, user: UserId) -> Vec<PersonId>;
    fn users_with_roles_in(&mut self, areas: Vec<AreaId>) -> Vec<UserId>;
    fn vouched(&mut self, token: &str, meeting: MeetingId, person: PersonId) -> bool;
    fn records_about(&mut self, person: PersonId) -> Vec<RecordKey>;
    fn tombstones_about(&mut self, person: PersonId) -> Vec<RecordKey>;
    fn records_mentioning(&mut self, id: RecordId) -> Vec<RecordKey>;
    fn tombstones_mentioning(&mut self, id: RecordId) -> Vec<RecordKey>;
    fn conflict(&mut self, id: ConflictId) -> Option<StoredConflict>;
    fn put_conflict(&mut self, conflict: StoredConflict) -> ();
    fn remove_conflict(&mut self, id: ConflictId) -> ();
    fn open_conflicts_of(&mut self, key: RecordKey) -> Vec<StoredConflict>;
    fn conflicts_mentioning(&mut self, id: RecordId) -> Vec<ConflictId>;
    fn client_log(&mut self, client: ClientId) -> Option<ClientLog>;
    fn put_client_log(&mut self, client: ClientId, log: ClientLog) -> ();
    fn any_erased(&mut self, ids: &[RecordId]) -> bool;
    fn mark_erased(&mut self, ids: &[RecordId]) -> ();
    fn erasure(&mut self, version: Version) -> Option<Erasure>;
    fn put_erasure(&mut self, version: Version, erasure: Erasure) -> ();
    fn epoch(&mut self, user: UserId) -> Version;
    fn set_epoch(&mut self, user: UserId, version: Version) -> ();
    fn tree_epoch(&mut self) -> Version;
    fn set_tree_epoch(&mut self, version: Version) -> ();
    fn feed_after(&mut self, after: Version, limit: usize) -> Vec<(Version, FeedEntry)>;
    fn put_feed_entry(&mut self, version: Version, entry: FeedEntry) -> ();
    fn remove_feed_entry(&mut self, entity: FeedEntity) -> ();
}

/// The fixture organisation, then many people the volunteer may not see (created by a user
/// with no role, so nobody's own reach holds them either).
fn organisation() -> Recording<MemoryStore> {
    let someone_gone = UserId::from_u128(0xB9);
    let mut records = support::seed();
    records.extend((0..STRANGERS).map(|n| {
        let id = RecordId::from_u128(0x1000 + n);
        support::person(id, "Sam Example", OTHER_REGION, someone_gone)
    }));
    let mut store = MemoryStore::default();
    let Ok(_) = server::seed(&mut store, records);
    Recording::new(store)
}

fn key(collection: Collection, id: RecordId) -> RecordKey {
    RecordKey { collection, id }
}

/// Pushes the whole outbox; every push is accepted.
fn push_all(store: &mut Recording<MemoryStore>, replica: &mut Replica) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    while let Some(request) = replica.push_request(10) {
        let Ok(answer) = server::push(store, replica.user(), &request);
        let response = answer.expect("the push is accepted");
        outcomes.extend(response.outcomes.iter().map(|o| o.outcome.clone()));
        replica.apply_push_response(&response);
    }
    outcomes
}

/// Pulls to the end, checking that no pull writes or takes the lock. Returns the pages.
fn pull_all(store: &mut Recording<MemoryStore>, replica: &mut Replica) -> usize {
    let mut pages = 0;
    loop {
        let before = store.take_calls();
        let request = replica.pull_request(10);
        let Ok(answer) = server::pull_with_scan_budget(store, replica.user(), &request, BUDGET);
        let response = answer.expect("the pull is answered");
        let during = store.take_calls();
        for method in during.keys() {
            assert!(
                !["lock_", "set_", "put_", "remove_", "mark_"]
                    .iter()
                    .any(|prefix| method.starts_with(prefix)),
                "a pull called {method}"
            );
        }
        // Each read of the feed asks for one entry more than it uses, to see what follows.
        let feed = during.get("feed_after").copied().unwrap_or_default();
        assert!(
            feed.total_returned <= BUDGET + feed.count,
            "a page read {} feed entries in {} reads",
            feed.total_returned,
            feed.count
        );
        restore(store, before, during);
        pages += 1;
        if !replica.apply_pull_response(&response).expect("fresh") {
            return pages;
        }
    }
}

/// Puts back the calls counted before a pull, with the pull's added.
fn restore(
    store: &mut Recording<MemoryStore>,
    before: BTreeMap<&'static str, Calls>,
    during: BTreeMap<&'static str, Calls>,
) {
    store.calls = before;
    for (method, calls) in during {
        let total = store.calls.entry(method).or_default();
        total.count += calls.count;
        total.most_returned = total.most_returned.max(calls.most_returned);
        total.total_returned += calls.total_returned;
    }
}

/// Checks a replica holds exactly what the server says its user may see, by both oracles:
/// the maps, and the feed.
fn assert_caught_up(store: &mut Recording<MemoryStore>, replica: &Replica) {
    let user = replica.user();
    let Ok(actor) = server::actor(&mut store.inner, user);
    let Ok(tree) = server::area_tree(&mut store.inner);
    let (records, conflicts) = store.inner.visible_to(&actor, &tree);
    let Ok(from_feed) = server::visible_to(&mut store.inner, user);
    assert_eq!(from_feed, (records.clone(), conflicts.clone()));
    assert_eq!(replica.confirmed(), &records, "{user:?}'s records");
    assert_eq!(
        replica.confirmed_conflicts(),
        &conflicts,
        "{user:?}'s conflicts"
    );
}

#[test]
fn the_server_reads_the_store_by_key_and_bounded_queries_only() {
    let mut store = organisation();
    let record_count = store.inner.records.len();
    let mut organiser = Replica::new(ClientId::from_u128(1), ORGANISER);
    let mut volunteer = Replica::new(ClientId::from_u128(2), VOLUNTEER);
    let mut admin = Replica::new(ClientId::from_u128(3), ADMIN);

    // The organiser adds a person and a walk list with them on it, for the volunteer.
    let alice = RecordId::from_u128(0x100);
    let list = RecordId::from_u128(0x101);
    organiser
        .create(&support::person(
            alice,
            "Alice Example",
            WARD_NORTH,
            ORGANISER,
        ))
        .unwrap();
    organiser
        .create(
            &Record::new(Collection::List, list, WARD_NORTH, ORGANISER)
                .with("name", "Walk list")
                .with("kind", "walk")
                .with("members", Value::Ids([alice].into()))
                .with("assignees", Value::Ids([VOLUNTEER.0].into())),
        )
        .unwrap();
    push_all(&mut store, &mut organiser);
    for replica in [&mut organiser, &mut volunteer, &mut admin] {
        pull_all(&mut store, replica);
    }

    // Both change Alice's phone from the same version: the later push keeps a conflict.
    let alice_key = key(Collection::Person, alice);
    volunteer
        .set_field(alice_key, "phone", Value::Text("+447700900001".into()))
        .unwrap();
    organiser
        .set_field(alice_key, "phone", Value::Text("+447700900002".into()))
        .unwrap();
    push_all(&mut store, &mut volunteer);
    let outcomes = push_all(&mut store, &mut organiser);
    assert!(matches!(outcomes[..], [Outcome::Conflicted { .. }]));

    // The volunteer records two conversations; the organiser deletes one and moves Alice.
    let conversation = |n: u128| {
        Record::new(
            Collection::Conversation,
            RecordId::from_u128(0x200 + n),
            WARD_NORTH,
            VOLUNTEER,
        )
        .with("kind", "doorstep")
        .with("by", VOLUNTEER.0)
        .with("person", alice)
        .with("at", Timestamp(1_700_000_000_000))
        .with("outcome", ConversationOutcome::ALL[0])
    };
    volunteer.create(&conversation(1)).unwrap();
    volunteer.create(&conversation(2)).unwrap();
    push_all(&mut store, &mut volunteer);
    pull_all(&mut store, &mut organiser);
    organiser
        .delete(key(Collection::Conversation, RecordId::from_u128(0x202)))
        .unwrap();
    organiser
        .set_field(alice_key, "area", Value::Id(WARD_SOUTH.0))
        .unwrap();
    let outcomes = push_all(&mut store, &mut organiser);
    assert!(matches!(
        outcomes[..],
        [Outcome::Applied { .. }, Outcome::Applied { .. }]
    ));

    // The organiser signs in at a meeting someone from another region whom a sign-in kit
    // recognised: the store vouches for the kit's token.
    let meeting = RecordId::from_u128(0x300);
    let stranger = PersonId(RecordId::from_u128(0x1000));
    organiser
        .create(
            &Record::new(Collection::Meeting, meeting, WARD_NORTH, ORGANISER)
                .with("kind", "house_meeting")
                .with("title", "A house meeting")
                .with("place", "A living room")
                .with("host", ORGANISER.0)
                .with("starts", Timestamp(1_700_000_000_000))
                .with("status", "approved"),
        )
        .unwrap();
    store
        .inner
        .vouches
        .insert(("kit-token".into(), MeetingId(meeting), stranger));
    organiser
        .create(
            &Record::new(
                Collection::Attendance,
                RecordId::from_u128(0x301),
                WARD_NORTH,
                ORGANISER,
            )
            .with("meeting", meeting)
            .with("matched", stranger.0)
            .with("returning", "kit-token")
            .with("status", "attended")
            .with("signed_in_at", Timestamp(1_700_000_000_000)),
        )
        .unwrap();
    let outcomes = push_all(&mut store, &mut organiser);
    assert!(
        matches!(
            outcomes[..],
            [Outcome::Applied { .. }, Outcome::Applied { .. }]
        ),
        "{outcomes:?}"
    );

    // The admin erases Alice, then adds a ward and moves it to a new constituency (areas
    // are never deleted).
    let Ok(erased) = server::erase(&mut store, ADMIN, PersonId(alice));
    erased.expect("the admin may erase anyone");
    let ward = RecordId::from_u128(0x300);
    admin
        .create(
            &Area {
                id: ward.into(),
                created_by: ADMIN,
                name: "Exampleton East".into(),
                kind: AreaKind::Ward,
                parent: Some(CONSTITUENCY),
            }
            .to_record(),
        )
        .unwrap();
    let constituency = RecordId::from_u128(0x301);
    admin
        .create(
            &Area {
                id: constituency.into(),
                created_by: ADMIN,
                name: "Exampleton Rural".into(),
                kind: AreaKind::Constituency,
                parent: Some(REGION),
            }
            .to_record(),
        )
        .unwrap();
    push_all(&mut store, &mut admin);
    pull_all(&mut store, &mut admin);
    admin
        .set_field(
            key(Collection::Area, ward),
            "parent",
            Value::Id(constituency),
        )
        .unwrap();
    let outcomes = push_all(&mut store, &mut admin);
    assert!(
        matches!(outcomes[..], [Outcome::Applied { .. }]),
        "{outcomes:?}"
    );

    for replica in [&mut organiser, &mut volunteer, &mut admin] {
        pull_all(&mut store, replica);
        assert_caught_up(&mut store, replica);
    }

    let calls = store.take_calls();
    for method in METHODS {
        assert!(
            calls.contains_key(method),
            "the exchange never called {method}"
        );
    }
    // Nothing returned more than one read of the feed asks for, though the store holds
    // hundreds of records: no call reads the whole record set.
    assert!(record_count > STRANGERS as usize);
    for (method, calls) in &calls {
        assert!(
            calls.most_returned <= BUDGET + 1,
            "{method} returned {} items in one call",
            calls.most_returned
        );
    }
}

#[test]
fn a_narrow_pull_reads_at_most_its_budget_and_never_skips_what_it_may_see() {
    let mut store = organisation();
    let mut organiser = Replica::new(ClientId::from_u128(1), ORGANISER);
    // What the volunteer may see comes last in the feed, after all the strangers.
    let alice = RecordId::from_u128(0x100);
    organiser
        .create(&support::person(
            alice,
            "Alice Example",
            WARD_NORTH,
            ORGANISER,
        ))
        .unwrap();
    organiser
        .create(
            &Record::new(
                Collection::List,
                RecordId::from_u128(0x101),
                WARD_NORTH,
                ORGANISER,
            )
            .with("name", "Walk list")
            .with("kind", "walk")
            .with("members", Value::Ids([alice].into()))
            .with("assignees", Value::Ids([VOLUNTEER.0].into())),
        )
        .unwrap();
    push_all(&mut store, &mut organiser);
    let feed_length = store.inner.feed().count();

    let mut volunteer = Replica::new(ClientId::from_u128(2), VOLUNTEER);
    let pages = pull_all(&mut store, &mut volunteer);
    assert!(
        pages >= feed_length / BUDGET,
        "{pages} pages for {feed_length} entries"
    );
    assert!(
        volunteer
            .confirmed()
            .contains_key(&key(Collection::Person, alice))
    );
    assert_caught_up(&mut store, &volunteer);

    // The admin sees everything: their pages fill up long before the budget runs out.
    let mut admin = Replica::new(ClientId::from_u128(3), ADMIN);
    let pages = pull_all(&mut store, &mut admin);
    assert_eq!(pages, feed_length.div_ceil(10));
    assert_caught_up(&mut store, &admin);
}
