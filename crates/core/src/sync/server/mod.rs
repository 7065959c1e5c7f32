//! The server side of the protocol, once, generic over where its state lives.
//!
//! The logic here ([`push`], [`pull`], [`erase`], built from the pure decisions in
//! [`crate::sync::decide`]) runs against a [`ServerStore`]: keyed lookups, keyed writes and
//! indexed queries, each of which a SQL store answers with one statement inside the
//! request's transaction. The SQL server implements the trait over its tables; the
//! [`ReferenceServer`] is the same logic over a [`MemoryStore`] of `BTreeMap`s, and is the
//! oracle the simulation and the SQL server's tests compare against.
//!
//! Nothing outlives a request but what is in the store: the area tree and the acting user's
//! [`Actor`] are rebuilt from it per request, so several server processes can share one
//! database.
//!
//! - [`store`]: the [`ServerStore`] trait.
//! - [`memory`]: [`MemoryStore`], the trait over maps.
//! - [`reference`](mod@reference): [`ReferenceServer`], the logic over a [`MemoryStore`].
//! - `commit`: the writes of one push, erasure or seeding, under the version lock.
//! - `read`: pull pages and what a user may see.

mod commit;
pub mod memory;
mod read;
pub mod reference;
pub mod store;

pub use memory::MemoryStore;
pub use reference::ReferenceServer;
pub use store::ServerStore;

use crate::area::{Area, AreaTree};
use crate::id::{ListId, PersonId, UserId};
use crate::order;
use crate::permission::{Actor, ActorFacts};
use crate::record::{Collection, Element, Entity, FieldName, Record, Value};
use crate::sync::decide::{self, Step};
use crate::sync::wire::{
    ClientId, Conflict, ConflictId, Mutation, MutationOutcome, Op, Outcome, ProtocolVersion,
    PullRefusal, PullRequest, PullResponse, Purge, PushRefusal, PushRequest, PushResponse,
    RecordKey, ScopeEpoch, Seq, SyncedRecord, Version,
};
use commit::Commit;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The most changes one pull page carries, whatever the client asks for.
pub const MAX_PAGE: usize = 500;

/// The most feed entries one pull page reads. A user whose scope is narrow would otherwise
/// make the server read the whole feed for every page; past this many entries the page ends
/// early, with `more` set and a cursor just past the last entry read, so the client still
/// moves forward and never skips a change it may see.
pub const SCAN_BUDGET: usize = 4 * MAX_PAGE;

/// The most unacknowledged outcomes kept per client: two full batches.
pub const MAX_KEPT_OUTCOMES: usize = 2 * crate::sync::wire::MAX_PUSH_BATCH;

/// Who wrote a field: the client (`None` when the server itself wrote it, as erasure does)
/// and the user.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Writer {
    /// The client, if a mutation wrote it.
    pub client: Option<ClientId>,
    /// The user.
    pub user: UserId,
}

/// A live record with who wrote each field (`area` included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRecord {
    /// The record with its per-field versions.
    pub synced: SyncedRecord,
    /// The same record without versions, kept alongside because every permission check
    /// reads it.
    pub record: Record,
    /// Who wrote each field.
    pub writers: BTreeMap<FieldName, Writer>,
}

impl StoredRecord {
    fn new(record: Record, version: Version, writer: Writer) -> Self {
        let writers = record
            .fields
            .keys()
            .cloned()
            .chain([FieldName::fixed(FieldName::AREA)])
            .map(|f| (f, writer))
            .collect();
        Self {
            synced: SyncedRecord::from_record(&record, version),
            record,
            writers,
        }
    }

    /// Which record it is.
    pub fn key(&self) -> RecordKey {
        self.synced.key()
    }

    fn field_state(&self, field: &str) -> (Version, Option<ClientId>) {
        let writer = self.writers.get(field).and_then(|w| w.client);
        (self.synced.field_version(field), writer)
    }

    fn latest_writer(&self) -> Option<ClientId> {
        let version = self.synced.version();
        let field = if self.synced.area.version == version {
            Some(FieldName::AREA)
        } else {
            self.synced
                .fields
                .iter()
                .find(|(_, f)| f.version == version)
                .map(|(n, _)| n.as_str())
        };
        field
            .and_then(|f| self.writers.get(f))
            .and_then(|w| w.client)
    }
}

/// What is left of a deleted record: only its references (who it was about, which meeting,
/// which users), which decide who is told of the deletion. Its text is gone.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tombstone {
    /// The record's area, creator and reference fields.
    pub record: Record,
    /// The version of the delete.
    pub version: Version,
}

/// A conflict as stored. A closed conflict keeps no values (there is nothing left to decide,
/// and keeping them would keep data the record no longer holds).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StoredConflict {
    /// The conflict (values set to `Null` once closed).
    pub conflict: Conflict,
    /// Whether it awaits resolution.
    pub open: bool,
}

/// What the server remembers per client: its user, the last seq processed and the outcomes
/// not yet acknowledged. Stored in the same transaction as the mutations' effects, so a
/// replay after a crash is recognised.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ClientLog {
    /// The user the client id is bound to.
    pub user: UserId,
    /// The last seq processed.
    pub last_seq: Seq,
    /// Outcomes by seq, until the client acknowledges them.
    pub outcomes: BTreeMap<Seq, Outcome>,
}

/// An erasure: the person and the records erased with them. Kept forever (ids only) so every
/// client, however long offline, is told to purge.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Erasure {
    /// The person.
    pub person: PersonId,
    /// The records erased with them.
    pub related: Vec<RecordKey>,
}

/// What one version in the change feed refers to. Each entity sits at its latest version
/// only, so a pull sends each changed record once, in its current state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedEntry {
    /// A live record.
    Record(RecordKey),
    /// A deleted record (the same entity as its live record was).
    Tombstone(RecordKey),
    /// A conflict, open or closed.
    Conflict(ConflictId),
    /// The erasure committed at this entry's version.
    Erasure,
}

/// What a feed entry is about: the feed holds one entry per entity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FeedEntity {
    /// A record, live or deleted.
    Record(RecordKey),
    /// A conflict.
    Conflict(ConflictId),
    /// An erasure, by its version (erasures never move).
    Erasure(Version),
}

impl FeedEntry {
    /// The entity of this entry when it sits at `version`.
    pub fn entity(self, version: Version) -> FeedEntity {
        match self {
            FeedEntry::Record(key) | FeedEntry::Tombstone(key) => FeedEntity::Record(key),
            FeedEntry::Conflict(id) => FeedEntity::Conflict(id),
            FeedEntry::Erasure => FeedEntity::Erasure(version),
        }
    }
}

/// Why an erasure was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EraseError {
    /// No such person (never created, or already erased).
    #[error("no such person")]
    NotFound,
    /// Only an admin of the person's area may erase them.
    #[error("only an admin of the person's area may erase them")]
    NotAllowed,
}

// The entry points. Each returns the store's error in the outer `Result` (the caller rolls
// back and answers "internal error") and the protocol's own answer, a response or a refusal
// the client is told about, in the inner one.

/// Handles a push from `user` (as authenticated by the HTTP layer): all or nothing.
///
/// Takes the version lock first (so the client's `last_seq` it plans with cannot change
/// under it), plans the batch, processes each new mutation and stores the client's log, all
/// in the caller's one transaction.
pub fn push<S: ServerStore>(
    store: &mut S,
    user: UserId,
    request: &PushRequest,
) -> Result<Result<PushResponse, PushRefusal>, S::Error> {
    if request.protocol != ProtocolVersion::CURRENT {
        return Ok(Err(PushRefusal::UnsupportedProtocol {
            supported: ProtocolVersion::CURRENT,
        }));
    }
    let mut commit = Commit::begin(store)?;
    let client = request.client_id;
    let log = commit.store.client_log(client)?;
    let last_seq = match &log {
        Some(log) if log.user != user => return Ok(Err(PushRefusal::ClientOfAnotherUser)),
        Some(log) => log.last_seq,
        None => Seq(0),
    };
    let steps = match decide::plan_batch(client, last_seq, request.acknowledged, &request.mutations)
    {
        Ok(steps) => steps,
        Err(refusal) => return Ok(Err(refusal)),
    };
    let relevant;
    {
        let new: Vec<&Mutation> = request
            .mutations
            .iter()
            .zip(&steps)
            .filter(|(_, step)| matches!(step, Step::Process))
            .map(|(m, _)| m)
            .collect();
        let keys: Vec<RecordKey> = new.iter().map(|m| m.key()).collect();
        let ids: Vec<crate::id::RecordId> = new.iter().flat_map(|m| m.ids()).collect();
        commit.store.prefetch(&keys, &ids)?;
        relevant = relevant_ids(commit.store, &new)?;
    }
    let mut log = log.unwrap_or_else(|| ClientLog {
        user,
        last_seq: Seq(0),
        outcomes: BTreeMap::new(),
    });
    log.outcomes.retain(|&seq, _| seq > request.acknowledged);
    let mut outcomes = Vec::with_capacity(steps.len());
    // The actor is derived once per push and then kept up to date, because a mutation may
    // change what the next one in the batch is allowed (a person created, then a
    // conversation with them). Deriving it again after every mutation would read every
    // person the user ever created, per mutation.
    let mut actor: Option<Actor> = None;
    for (mutation, step) in request.mutations.iter().zip(steps) {
        let outcome = match step {
            Step::Replay => log.outcomes.get(&mutation.seq).cloned(),
            Step::Process => {
                let current = match actor.take() {
                    Some(actor) => actor,
                    None => actor_for(commit.store, user, &relevant)?,
                };
                let tree = commit.tree()?;
                let outcome = commit.process(&current, &tree, mutation)?;
                actor = actor_after(current, mutation, &outcome);
                #[cfg(debug_assertions)]
                if let Some(kept) = &actor {
                    // Debug builds (every test) prove the kept actor is the one a fresh
                    // derivation gives.
                    let fresh = actor_for(commit.store, user, &relevant)?;
                    debug_assert_eq!(kept, &fresh, "the kept actor drifted after {mutation:?}");
                }
                log.last_seq = mutation.seq;
                log.outcomes.insert(mutation.seq, outcome.clone());
                Some(outcome)
            }
        };
        outcomes.extend(outcome.map(|outcome| MutationOutcome {
            seq: mutation.seq,
            outcome,
        }));
    }
    // A client that never acknowledges must not grow its log without bound. An honest one
    // acknowledges every answer it receives, so it never has more than a batch or two
    // outstanding; past that, the oldest outcomes are forgotten (a replay of one of them
    // is then answered with nothing).
    while log.outcomes.len() > MAX_KEPT_OUTCOMES {
        log.outcomes.pop_first();
    }
    let last_seq = log.last_seq;
    commit.store.put_client_log(client, log)?;
    commit.finish()?;
    Ok(Ok(PushResponse {
        protocol: ProtocolVersion::CURRENT,
        client_id: client,
        last_seq,
        outcomes,
    }))
}

/// The pushing user's actor after `mutation` had `outcome`, or `None` when it must be derived
/// again. Only the collections an actor's facts come from can change it (see
/// [`ActorFacts`]); a person the user creates joins their people in place.
fn actor_after(mut actor: Actor, mutation: &Mutation, outcome: &Outcome) -> Option<Actor> {
    if !matches!(
        outcome,
        Outcome::Applied { .. } | Outcome::Conflicted { .. }
    ) {
        return Some(actor);
    }
    match (mutation.collection, &mutation.op) {
        (Collection::Person, Op::Create { .. }) => {
            actor.people.insert(PersonId(mutation.record_id));
            Some(actor)
        }
        // Someone added to a list: within reach if the list is the user's. Deriving the
        // actor again would read every list given to them, members and all, per addition.
        (
            Collection::List,
            Op::AddToSet {
                field,
                element: Element::Id(person),
            },
        ) if field.as_str() == "members" => {
            if actor.lists.contains(&ListId(mutation.record_id)) {
                actor.people.insert(PersonId(*person));
            }
            Some(actor)
        }
        // A list given to, or taken from, someone else changes nothing of the user's.
        (
            Collection::List,
            Op::AddToSet {
                field,
                element: Element::Id(user),
            }
            | Op::RemoveFromSet {
                field,
                element: Element::Id(user),
            },
        ) if field.as_str() == "assignees" && *user != actor.user.0 => Some(actor),
        (Collection::Person, Op::Delete { .. })
        | (
            Collection::RoleAssignment
            | Collection::List
            | Collection::Meeting
            | Collection::Attendance,
            _,
        ) => None,
        _ => Some(actor),
    }
}

/// Handles a pull from `user`: one page, reading at most [`SCAN_BUDGET`] feed entries.
pub fn pull<S: ServerStore>(
    store: &mut S,
    user: UserId,
    request: &PullRequest,
) -> Result<Result<PullResponse, PullRefusal>, S::Error> {
    pull_with_scan_budget(store, user, request, SCAN_BUDGET)
}

/// [`pull`] with another scan budget (at least one entry), so tests can make every page end
/// early.
pub fn pull_with_scan_budget<S: ServerStore>(
    store: &mut S,
    user: UserId,
    request: &PullRequest,
    scan_budget: usize,
) -> Result<Result<PullResponse, PullRefusal>, S::Error> {
    if request.protocol != ProtocolVersion::CURRENT {
        return Ok(Err(PullRefusal::UnsupportedProtocol {
            supported: ProtocolVersion::CURRENT,
        }));
    }
    // The head is read first and the page never goes past it: every version up to the head
    // has committed (versions are assigned under the lock, in commit order), so the cursor
    // never passes a change still in flight. The epoch is read before the actor: if a scope
    // change commits in between, the client holds the older epoch and is purged next time,
    // rather than holding the newer one with data chosen by the older scope.
    let head = store.current_version()?;
    let last_seq = match store.client_log(request.client_id)? {
        Some(log) if log.user != user => return Ok(Err(PullRefusal::ClientOfAnotherUser)),
        Some(log) => log.last_seq,
        None => Seq(0),
    };
    let epoch = scope_epoch(store, user)?;
    let actor = read::PullActor(actor_for(store, user, &[])?);
    let tree = area_tree(store)?;
    let reset = request.epoch != Some(epoch);
    let from = if reset { Version(0) } else { request.cursor };
    let limit = request.limit.clamp(1, MAX_PAGE);
    let mut page = read::page(store, &actor, &tree, head, from, limit, scan_budget.max(1))?;
    if reset {
        page.purges.insert(0, Purge::Scope { epoch });
    }
    Ok(Ok(PullResponse {
        protocol: ProtocolVersion::CURRENT,
        since: request.cursor,
        epoch,
        purges: page.purges,
        changes: page.changes,
        cursor: page.cursor,
        more: page.more,
        last_seq,
    }))
}

/// Erases a person on behalf of `admin`, who must be an admin of the person's area: removes
/// them, the records about them and every conflict touching them, scrubs every reference to
/// them, and records the erasure so every client purges. Their id and the related ids stay
/// erased forever, so no later mutation can bring them back.
pub fn erase<S: ServerStore>(
    store: &mut S,
    admin: UserId,
    person: PersonId,
) -> Result<Result<Version, EraseError>, S::Error> {
    let mut commit = Commit::begin(store)?;
    let actor = actor(commit.store, admin)?;
    let tree = commit.tree()?;
    match commit.erase(&actor, &tree, person)? {
        Ok(version) => {
            commit.finish()?;
            Ok(Ok(version))
        }
        Err(refused) => Ok(Err(refused)),
    }
}

/// Writes `fields` of the live record `key` on the organisation's behalf, as `user` with no
/// client: what the server itself decides rather than a device (a person withdrawing their
/// consent through a link). Each value stands: open conflicts on its field close. A field
/// that already holds its value is left as it is, and a record that is gone is left alone.
/// Returns the version of the last write, if anything was written.
pub fn write_for_organisation<S: ServerStore>(
    store: &mut S,
    key: RecordKey,
    user: UserId,
    fields: &[(&str, Value)],
) -> Result<Option<Version>, S::Error> {
    let mut commit = Commit::begin(store)?;
    let writer = Writer { client: None, user };
    let mut last = None;
    for (field, value) in fields {
        last = commit
            .write_for_organisation(key, field, value.clone(), writer)?
            .or(last);
    }
    commit.finish()?;
    Ok(last)
}

/// Creates `record` on the organisation's behalf, in `user`'s name (its `created_by`), with no
/// client: what the server makes from a public form (a reply to a meeting, a sign-in on
/// someone's own phone) rather than what a device sends. It is checked as a push's create
/// is (its area known, and no area itself; normalised by its collection's rules; sets within
/// their size; no id erased or taken) and its references by the reference rule as `user`, so
/// it names nothing `user` could not see and hands them nothing new; `user`'s role is not
/// asked for, as the organisation decided to write it. Every device that may see it hears at
/// its next pull. Returns its version, or why it was refused (nothing written).
pub fn create_for_organisation<S: ServerStore>(
    store: &mut S,
    user: UserId,
    record: Record,
) -> Result<Result<Version, crate::sync::wire::Rejection>, S::Error> {
    let mut commit = Commit::begin(store)?;
    match commit.create_for_organisation(user, record)? {
        Ok(version) => {
            commit.finish()?;
            Ok(Ok(version))
        }
        Err(refused) => Ok(Err(refused)),
    }
}

/// Processes one mutation as a push would, but without the client's log: no replay check,
/// no seq recorded. For building variant servers in tests from the same pieces.
pub fn process_mutation<S: ServerStore>(
    store: &mut S,
    user: UserId,
    mutation: &crate::sync::wire::Mutation,
) -> Result<Outcome, S::Error> {
    let mut commit = Commit::begin(store)?;
    let actor = actor(commit.store, user)?;
    let tree = commit.tree()?;
    let outcome = commit.process(&actor, &tree, mutation)?;
    commit.finish()?;
    Ok(outcome)
}

/// Stores `records`, created by the organisation's setup (the country, the first admin and
/// their role) rather than through sync, each as given at its own version. Returns the
/// version of the last.
pub fn seed<S: ServerStore>(
    store: &mut S,
    records: impl IntoIterator<Item = Record>,
) -> Result<Version, S::Error> {
    let mut commit = Commit::begin(store)?;
    for record in records {
        commit.seed(record)?;
    }
    commit.finish()
}

/// The records and open conflicts `user` may see now: what their replica must hold once it
/// has caught up. Reads the whole feed (a test oracle, not a request handler).
#[allow(clippy::type_complexity)]
pub fn visible_to<S: ServerStore>(
    store: &mut S,
    user: UserId,
) -> Result<
    (
        BTreeMap<RecordKey, SyncedRecord>,
        BTreeMap<ConflictId, Conflict>,
    ),
    S::Error,
> {
    let actor = actor(store, user)?;
    let tree = area_tree(store)?;
    read::visible(store, &actor, &tree)
}

/// `user`'s actor as far as decisions about `relevant` ids go: everything but the people
/// they created, of which only those among `relevant` (so a push by someone who created
/// thousands of people reads a handful, not all of them). A push's decisions concern only
/// the records it names and the people those records are about, and a person's own record
/// is readable by its creator whatever the actor holds; see [`relevant_ids`].
pub fn actor_for<S: ServerStore>(
    store: &mut S,
    user: UserId,
    relevant: &[crate::id::RecordId],
) -> Result<Actor, S::Error> {
    let people_created = if relevant.is_empty() {
        Vec::new()
    } else {
        store.people_created_by_among(user, relevant.to_vec())?
    };
    let facts = ActorFacts {
        people_created,
        ..store.standing_of(user)?
    };
    Ok(Actor::from_facts(user, facts))
}

/// The ids a push's decisions may turn on: every id its new mutations name, and the person
/// each record they touch (live or deleted) is about.
fn relevant_ids<S: ServerStore>(
    store: &mut S,
    mutations: &[&Mutation],
) -> Result<Vec<crate::id::RecordId>, S::Error> {
    let mut ids: Vec<crate::id::RecordId> = mutations.iter().flat_map(|m| m.ids()).collect();
    for mutation in mutations {
        let key = mutation.key();
        let Some(field) = key.collection.person_field() else {
            continue;
        };
        let record = match store.record(key)? {
            Some(stored) => Some(stored.record),
            None => store.tombstone(key)?.map(|t| t.record),
        };
        ids.extend(record.and_then(|r| r.get_id(field)));
    }
    order::sort(&mut ids);
    ids.dedup();
    Ok(ids)
}

/// Derives `user`'s actor from the store, one indexed query per kind of fact.
pub fn actor<S: ServerStore>(store: &mut S, user: UserId) -> Result<Actor, S::Error> {
    let facts = ActorFacts {
        people_created: store.people_created_by(user)?,
        ..store.standing_of(user)?
    };
    Ok(Actor::from_facts(user, facts))
}

/// The area tree as the store has it (see [`ServerStore::area_tree`]).
pub fn area_tree<S: ServerStore>(store: &mut S) -> Result<Arc<AreaTree>, S::Error> {
    store.area_tree()
}

/// The tree of the live area records (records that do not read as areas are left out, as
/// the tree is lenient).
pub fn tree_of(area_records: &[Record]) -> AreaTree {
    let areas: Vec<Area> = area_records
        .iter()
        .filter_map(|record| Area::read(record).ok())
        .collect();
    AreaTree::new(&areas)
}

/// `user`'s scope epoch: the later of their own and the tree's.
pub fn scope_epoch<S: ServerStore>(store: &mut S, user: UserId) -> Result<ScopeEpoch, S::Error> {
    Ok(ScopeEpoch(store.tree_epoch()?.max(store.epoch(user)?)))
}
