//! The sync protocol's wire types: what a client pushes and pulls and what the server
//! answers. All of them are serde-serialisable and carry a [`ProtocolVersion`]; the JSON
//! shapes are shown in `docs/sync-protocol.md`.

use crate::id::{AreaId, PersonId, RecordId, Timestamp, UserId};
use crate::permission::Denied;
use crate::record::{Collection, Element, FieldName, Record, Value};
use crate::validate::FieldProblem;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// The version of the wire format. A server refuses requests of a protocol it does not speak
/// (the client keeps its outbox and asks the user to update the app).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ProtocolVersion(pub u32);

impl ProtocolVersion {
    /// The protocol this crate speaks.
    pub const CURRENT: ProtocolVersion = ProtocolVersion(1);
}

/// A position in the server's commit order. The server stamps every change with the next
/// version; it is the only ordering authority (device clocks decide nothing). `Version(0)`
/// means "before anything": the cursor of a new client, or a field never written.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Version(pub u64);

impl Version {
    /// The version after this one.
    pub fn next(self) -> Version {
        Version(self.0 + 1)
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// A mutation's number within its client: gapless from 1. The server remembers the last one
/// it processed per client, which makes pushes idempotent.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Seq(pub u64);

impl Seq {
    /// The next number.
    pub fn next(self) -> Seq {
        Seq(self.0 + 1)
    }
}

impl fmt::Display for Seq {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

/// One installation of the app for one user: a device's own store. Minted on the device like
/// a record id. The server binds it to the first user who pushes with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ClientId(pub RecordId);

impl ClientId {
    /// Mints a client id (see [`RecordId::new_v7`]).
    pub fn new_v7(at: Timestamp, random: [u8; 10]) -> Self {
        Self(RecordId::new_v7(at, random))
    }

    /// A deterministic id for tests.
    pub const fn from_u128(n: u128) -> Self {
        Self(RecordId::from_u128(n))
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// The version of the record schema a mutation was written against (see
/// [`crate::sync::schema`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct SchemaVersion(pub u32);

/// Which set of records a user may see, as a version: the version of the last commit that
/// changed it. When the server's epoch for a user differs from the one the client holds, the
/// client purges everything it has and pulls again from zero.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ScopeEpoch(pub Version);

/// A conflict's id: the version of the commit that created it (so the server needs no
/// randomness to name it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct ConflictId(pub u64);

/// A value with the version that wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Versioned<T> {
    /// The value.
    pub value: T,
    /// The version of the commit that wrote it.
    pub version: Version,
}

/// Which record: collection and id.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecordKey {
    /// The collection.
    pub collection: Collection,
    /// The id.
    pub id: RecordId,
}

/// A record as the server holds it and a client caches it: every field with the version
/// that last wrote it. Per-field versions make applying a change idempotent and let the
/// server tell whether an edit was based on the latest value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncedRecord {
    /// The collection.
    pub collection: Collection,
    /// The id.
    pub id: RecordId,
    /// The area, versioned like a field (moving a record is a `SetField` on `area`).
    pub area: Versioned<AreaId>,
    /// Who created it.
    pub created_by: UserId,
    /// The fields, each with its version.
    pub fields: BTreeMap<FieldName, Versioned<Value>>,
}

impl SyncedRecord {
    /// A record whose every field was written at `version`.
    pub fn from_record(record: &Record, version: Version) -> Self {
        Self {
            collection: record.collection,
            id: record.id,
            area: Versioned {
                value: record.area,
                version,
            },
            created_by: record.created_by,
            fields: record
                .fields
                .iter()
                .map(|(name, value)| {
                    (
                        name.clone(),
                        Versioned {
                            value: value.clone(),
                            version,
                        },
                    )
                })
                .collect(),
        }
    }

    /// The key.
    pub fn key(&self) -> RecordKey {
        RecordKey {
            collection: self.collection,
            id: self.id,
        }
    }

    /// The plain record, without versions.
    pub fn to_record(&self) -> Record {
        Record {
            collection: self.collection,
            id: self.id,
            area: self.area.value,
            created_by: self.created_by,
            fields: self
                .fields
                .iter()
                .map(|(k, v)| (k.clone(), v.value.clone()))
                .collect(),
        }
    }

    /// The latest version of any field: the record's version.
    pub fn version(&self) -> Version {
        self.fields
            .values()
            .map(|f| f.version)
            .fold(self.area.version, Version::max)
    }

    /// The version of one field (`area` included); `Version(0)` if never written.
    pub fn field_version(&self, field: &str) -> Version {
        if field == FieldName::AREA {
            self.area.version
        } else {
            self.fields.get(field).map_or(Version(0), |f| f.version)
        }
    }

    /// Merges a newer copy of the same record field by field: a field whose incoming version
    /// is not newer than the one held is ignored, so applying the same change twice, or an
    /// older change after a newer one, changes nothing.
    pub fn merge(&mut self, incoming: &SyncedRecord) {
        if incoming.area.version > self.area.version {
            self.area = incoming.area.clone();
        }
        for (name, field) in &incoming.fields {
            match self.fields.get_mut(name) {
                Some(held) if held.version >= field.version => {}
                Some(held) => *held = field.clone(),
                None => {
                    self.fields.insert(name.clone(), field.clone());
                }
            }
        }
    }
}

/// What a mutation does to its record. Field-level intents, not whole records, so concurrent
/// edits of different fields never interfere.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Op {
    /// Creates the record. Never conflicts: ids are minted on the client and unique.
    Create {
        /// The area it belongs to.
        area: AreaId,
        /// Its fields.
        fields: BTreeMap<FieldName, Value>,
    },
    /// Sets one field (or moves the record, for the field `area`).
    SetField {
        /// The field.
        field: FieldName,
        /// The new value.
        value: Value,
        /// The version of this field the client last saw from the server (`Version(0)` if
        /// none). If the field has since been written by another client, the write still
        /// wins and the overwritten value is kept as a [`Conflict`].
        base_version: Version,
    },
    /// Adds an element to a set-valued field. Merges; never conflicts.
    AddToSet {
        /// The field.
        field: FieldName,
        /// The element.
        element: Element,
    },
    /// Removes an element from a set-valued field. Merges; never conflicts.
    RemoveFromSet {
        /// The field.
        field: FieldName,
        /// The element.
        element: Element,
    },
    /// Deletes the record.
    Delete {
        /// The record version the client last saw. A delete of a record changed since by
        /// someone else is rejected, so nobody deletes an edit they have not seen.
        base_version: Version,
    },
    /// Resolves a conflict on this record by setting its field to the chosen value (either
    /// side, or a new value).
    ResolveConflict {
        /// The conflict.
        conflict: ConflictId,
        /// The value chosen.
        value: Value,
    },
    /// Nothing: an outbox entry whose payload was purged (because it touched an erased
    /// person) keeps its seq as a `Void`, so the seq still reaches the server and the
    /// client's sequence stays gapless.
    Void,
}

deserialize_tagged! {
    Op, tag = "op", deny_unknown_fields;
    fields {
        area: AreaId,
        fields: BTreeMap<FieldName, Value>,
        field: FieldName,
        value: Value,
        base_version: Version,
        element: Element,
        conflict: ConflictId,
    }
    variants {
        "create" => Create { area, fields },
        "set_field" => SetField { field, value, base_version },
        "add_to_set" => AddToSet { field, element },
        "remove_from_set" => RemoveFromSet { field, element },
        "delete" => Delete { base_version },
        "resolve_conflict" => ResolveConflict { conflict, value },
        "void" => Void,
    }
}

/// One intended change, as a client records it in its outbox and pushes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Mutation {
    /// The client that made it.
    pub client_id: ClientId,
    /// Its number within that client.
    pub seq: Seq,
    /// The record schema it was written against.
    pub schema_version: SchemaVersion,
    /// The record's collection.
    pub collection: Collection,
    /// The record's id.
    pub record_id: RecordId,
    /// What it does.
    pub op: Op,
}

impl Mutation {
    /// The record it is about.
    pub fn key(&self) -> RecordKey {
        RecordKey {
            collection: self.collection,
            id: self.record_id,
        }
    }

    /// Every id it touches: its record and every reference in the values it writes.
    pub fn ids(&self) -> Vec<RecordId> {
        let mut ids = vec![self.record_id];
        match &self.op {
            Op::Create { area, fields } => {
                ids.push(area.0);
                ids.extend(fields.values().flat_map(Value::ids));
            }
            Op::SetField { value, .. } | Op::ResolveConflict { value, .. } => {
                ids.extend(value.ids())
            }
            Op::AddToSet {
                element: Element::Id(id),
                ..
            }
            | Op::RemoveFromSet {
                element: Element::Id(id),
                ..
            } => ids.push(*id),
            Op::AddToSet { .. } | Op::RemoveFromSet { .. } | Op::Delete { .. } | Op::Void => {}
        }
        ids
    }

    /// Whether it touches `id`: as its record, or anywhere in the values it writes.
    pub fn mentions(&self, id: RecordId) -> bool {
        self.record_id == id
            || match &self.op {
                Op::Create { area, fields } => {
                    area.0 == id || fields.values().any(|v| v.mentions(id))
                }
                Op::SetField { value, .. } | Op::ResolveConflict { value, .. } => {
                    value.mentions(id)
                }
                Op::AddToSet { element, .. } | Op::RemoveFromSet { element, .. } => {
                    element.mentions(id)
                }
                Op::Delete { .. } | Op::Void => false,
            }
    }
}

/// The most mutations one push may carry; the server refuses a larger batch as bad input, and
/// clients send their outbox in batches of at most this many.
pub const MAX_PUSH_BATCH: usize = 500;

/// A batch of mutations from one client, in seq order. The batch is all-or-nothing.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PushRequest {
    /// The wire protocol.
    pub protocol: ProtocolVersion,
    /// The client.
    pub client_id: ClientId,
    /// Every mutation up to this seq has an outcome recorded on the client, so the server
    /// may forget those outcomes.
    pub acknowledged: Seq,
    /// The mutations, in increasing seq order.
    pub mutations: Vec<Mutation>,
}

/// The server's answer to an accepted push.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PushResponse {
    /// The wire protocol.
    pub protocol: ProtocolVersion,
    /// The client.
    pub client_id: ClientId,
    /// The last seq the server has processed for this client, after this batch.
    pub last_seq: Seq,
    /// The outcome of every mutation in the batch, including replays (whose stored outcome
    /// is returned again; a replay whose outcome the client already acknowledged is left out).
    pub outcomes: Vec<MutationOutcome>,
}

/// Why a push was refused as a whole. Nothing in the batch was applied and no seq consumed;
/// the client keeps every mutation and tries again.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum PushRefusal {
    /// A mutation's seq is beyond the next one expected: an earlier mutation has not arrived
    /// (a reordered request). Send from `expected` on.
    #[error("mutation {got} arrived before {expected}; send from {expected} on")]
    Gap {
        /// The seq the server expects next.
        expected: Seq,
        /// The seq that arrived.
        got: Seq,
    },
    /// The client holds outcomes for mutations the server has no record of: the server has
    /// lost data (it was restored from a backup). The client keeps its outbox and says so;
    /// an operator must act.
    #[error(
        "the server has processed up to {last_seq} but the app holds outcomes up to {acknowledged}: the server has lost data"
    )]
    ServerBehind {
        /// The server's last seq for the client.
        last_seq: Seq,
        /// What the client holds acknowledged.
        acknowledged: Seq,
    },
    /// The client id belongs to another user.
    #[error("this client id belongs to another user")]
    ClientOfAnotherUser,
    /// A mutation carries another client's id, or seqs are not increasing.
    #[error(
        "the batch is malformed: every mutation must carry the request's client id, in increasing seq order"
    )]
    Malformed,
    /// The server does not speak the request's protocol.
    #[error("the server speaks protocol {supported:?}, not the app's; update the app")]
    UnsupportedProtocol {
        /// What the server speaks.
        supported: ProtocolVersion,
    },
}

deserialize_tagged! {
    PushRefusal, tag = "refusal";
    fields {
        expected: Seq,
        got: Seq,
        last_seq: Seq,
        acknowledged: Seq,
        supported: ProtocolVersion,
    }
    variants {
        "gap" => Gap { expected, got },
        "server_behind" => ServerBehind { last_seq, acknowledged },
        "client_of_another_user" => ClientOfAnotherUser,
        "malformed" => Malformed,
        "unsupported_protocol" => UnsupportedProtocol { supported },
    }
}

/// The outcome of one mutation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MutationOutcome {
    /// The mutation's seq.
    pub seq: Seq,
    /// What happened to it.
    pub outcome: Outcome,
}

/// What happened to a mutation. Stored by the server, so a replay returns the same outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "outcome")]
pub enum Outcome {
    /// Applied at `version`.
    Applied {
        /// The version of the commit.
        version: Version,
    },
    /// Applied at `version`, overwriting a value the client had not seen; that value is kept
    /// in the conflict, which editors of the record see and resolve.
    Conflicted {
        /// The version of the commit.
        version: Version,
        /// The conflict keeping the overwritten value.
        conflict: ConflictId,
    },
    /// Not applied. The client shows it in its rejected list until the user discards it.
    Rejected {
        /// Why.
        rejection: Rejection,
    },
    /// A [`Op::Void`] entry: its seq consumed, nothing changed.
    Skipped,
}

deserialize_tagged! {
    Outcome, tag = "outcome";
    fields { version: Version, conflict: ConflictId, rejection: Rejection }
    variants {
        "applied" => Applied { version },
        "conflicted" => Conflicted { version, conflict },
        "rejected" => Rejected { rejection },
        "skipped" => Skipped,
    }
}

/// Why a mutation was not applied. Each is shown to the user; none quotes personal data, so
/// storing rejections for replays keeps no second copy of anyone's details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "rejection")]
pub enum Rejection {
    /// The mutation was written against a schema the server no longer (or does not yet)
    /// accept.
    #[error(
        "written by an app version the server cannot accept (schema {got:?}, accepted {min:?} to {max:?})"
    )]
    UnsupportedSchema {
        /// The mutation's schema.
        got: SchemaVersion,
        /// Oldest accepted.
        min: SchemaVersion,
        /// Newest accepted.
        max: SchemaVersion,
    },
    /// It touches a person who has been erased (or a record erased with them).
    #[error("it concerns someone whose data has been erased")]
    Erased,
    /// The user may not do this.
    #[error("not allowed: {reason}")]
    Unauthorised {
        /// Why not.
        reason: Denied,
    },
    /// The resulting record would be invalid. Said as a sentence per problem, naming its
    /// field in words ("Phone is not a UK phone number."), as the Rejected changes screen
    /// shows it.
    #[error("{}", crate::validate::sentences(problems))]
    Invalid {
        /// Every problem.
        problems: Vec<FieldProblem>,
    },
    /// No such record.
    #[error("the record does not exist")]
    NotFound,
    /// The record has been deleted.
    #[error("the record has been deleted")]
    Deleted,
    /// A create with an id already in use.
    #[error("a record with this id already exists")]
    IdTaken,
    /// A field edit of an append-only record.
    #[error("{collection} records are never edited, only created")]
    AppendOnly {
        /// The collection.
        collection: Collection,
    },
    /// A set operation on a field that is not a set.
    #[error("{field} is not a set")]
    NotASet {
        /// The field.
        field: FieldName,
    },
    /// A `SetField` on a set-valued field, which would overwrite other people's elements.
    #[error("{field} is a set: add or remove elements instead")]
    WholeSet {
        /// The field.
        field: FieldName,
    },
    /// A move to an area the server does not know.
    #[error("no such area")]
    UnknownArea,
    /// A delete of a record that someone else changed after the client last saw it.
    #[error(
        "the record was changed (at {current}) after you last saw it; look again before deleting"
    )]
    StaleDelete {
        /// The record's version now.
        current: Version,
    },
    /// A resolution of a conflict that does not exist or is on another record.
    #[error("no such conflict on this record")]
    NoSuchConflict,
}

deserialize_tagged! {
    Rejection, tag = "rejection";
    fields {
        got: SchemaVersion,
        min: SchemaVersion,
        max: SchemaVersion,
        reason: Denied,
        problems: Vec<FieldProblem>,
        collection: Collection,
        field: FieldName,
        current: Version,
    }
    variants {
        "unsupported_schema" => UnsupportedSchema { got, min, max },
        "erased" => Erased,
        "unauthorised" => Unauthorised { reason },
        "invalid" => Invalid { problems },
        "not_found" => NotFound,
        "deleted" => Deleted,
        "id_taken" => IdTaken,
        "append_only" => AppendOnly { collection },
        "not_a_set" => NotASet { field },
        "whole_set" => WholeSet { field },
        "unknown_area" => UnknownArea,
        "stale_delete" => StaleDelete { current },
        "no_such_conflict" => NoSuchConflict,
    }
}

/// Asks for the changes after `cursor`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PullRequest {
    /// The wire protocol.
    pub protocol: ProtocolVersion,
    /// The client (so the response can say how far its mutations have landed).
    pub client_id: ClientId,
    /// The last version the client has applied.
    pub cursor: Version,
    /// The scope epoch the client's data was pulled under; `None` for a new client.
    pub epoch: Option<ScopeEpoch>,
    /// The most changes to return.
    pub limit: usize,
}

/// Why a pull was refused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "refusal")]
pub enum PullRefusal {
    /// The server does not speak the request's protocol.
    #[error("the server speaks protocol {supported:?}, not the app's; update the app")]
    UnsupportedProtocol {
        /// What the server speaks.
        supported: ProtocolVersion,
    },
    /// The client id belongs to another user.
    #[error("this client id belongs to another user")]
    ClientOfAnotherUser,
}

deserialize_tagged! {
    PullRefusal, tag = "refusal";
    fields { supported: ProtocolVersion }
    variants {
        "unsupported_protocol" => UnsupportedProtocol { supported },
        "client_of_another_user" => ClientOfAnotherUser,
    }
}

/// One page of changes. The client applies the purges, then the changes, then moves its
/// cursor, all in one transaction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PullResponse {
    /// The wire protocol.
    pub protocol: ProtocolVersion,
    /// The cursor the request was made from. A client whose cursor has moved since ignores
    /// the response (it is a duplicate or arrived out of order).
    pub since: Version,
    /// The user's scope epoch now.
    pub epoch: ScopeEpoch,
    /// Purge instructions, applied before the changes.
    pub purges: Vec<Purge>,
    /// The changes, in version order, filtered to the user's scope.
    pub changes: Vec<Change>,
    /// The cursor to store with these changes.
    pub cursor: Version,
    /// Whether more changes follow: pull again from `cursor`.
    pub more: bool,
    /// The last seq the server has processed for this client. Meaningful on the last page
    /// (`more == false`): those mutations' effects are then in the client's data, so it
    /// stops re-applying them on top while it waits for their outcomes.
    pub last_seq: Seq,
}

/// An instruction to forget data.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "purge")]
pub enum Purge {
    /// The user's scope changed: forget every record and conflict (keeping the outbox and
    /// the rejected list); this response and the next ones re-send, from version zero,
    /// everything in the new scope.
    Scope {
        /// The new epoch.
        epoch: ScopeEpoch,
    },
    /// A person was erased: forget them, the records about them, and every outbox entry,
    /// rejected entry, conflict and reference that touches any of them.
    Erased {
        /// The person.
        person: PersonId,
        /// The records erased with them (conversations, attendance, stories, survey
        /// responses about them).
        related: Vec<RecordKey>,
    },
}

deserialize_tagged! {
    Purge, tag = "purge";
    fields { epoch: ScopeEpoch, person: PersonId, related: Vec<RecordKey> }
    variants {
        "scope" => Scope { epoch },
        "erased" => Erased { person, related },
    }
}

/// One change in a pull.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case", tag = "change")]
pub enum Change {
    /// A record, created or changed: its full state with per-field versions.
    Record {
        /// The record.
        record: SyncedRecord,
    },
    /// A record was deleted.
    Deleted {
        /// Which.
        key: RecordKey,
        /// When.
        version: Version,
    },
    /// A conflict was recorded (or moved with its record).
    Conflict {
        /// The conflict.
        conflict: Conflict,
    },
    /// A conflict was resolved, or its record deleted.
    ConflictClosed {
        /// Which.
        id: ConflictId,
        /// When.
        version: Version,
    },
}

deserialize_tagged! {
    Change, tag = "change";
    fields {
        record: SyncedRecord,
        key: RecordKey,
        version: Version,
        conflict: Conflict,
        id: ConflictId,
    }
    variants {
        "record" => Record { record },
        "deleted" => Deleted { key, version },
        "conflict" => Conflict { conflict },
        "conflict_closed" => ConflictClosed { id, version },
    }
}

/// One side of a conflict: a value, the version that wrote it and who wrote it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConflictSide {
    /// The value.
    pub value: Value,
    /// The version that wrote it.
    pub version: Version,
    /// The user who wrote it.
    pub user: UserId,
}

/// A concurrent overwrite, kept so it is never silent: a field was set by someone who had
/// not seen the value they replaced. The record holds the winner (the later commit); the
/// conflict keeps the overwritten value until an editor resolves it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Conflict {
    /// Its id.
    pub id: ConflictId,
    /// The record.
    pub key: RecordKey,
    /// The field.
    pub field: FieldName,
    /// The value that was overwritten.
    pub overwritten: ConflictSide,
    /// The value that won (the record's value when the conflict was recorded).
    pub winner: ConflictSide,
    /// The version of the conflict's latest change.
    pub version: Version,
}

impl Conflict {
    /// Whether it touches `id`: its record, or either value.
    pub fn mentions(&self, id: RecordId) -> bool {
        self.key.id == id || self.overwritten.value.mentions(id) || self.winner.value.mentions(id)
    }
}
