//! The pure decisions of the sync protocol, shared by the reference server and the real
//! one: how a batch is split into replays and new mutations, whether a write overwrites a
//! value its author had not seen, whether a later write settles a conflict, whether a
//! delete is stale, and whose scope a change may alter.

use crate::id::{MeetingId, UserId};
use crate::record::{Collection, Record, Value};
use crate::sync::wire::{ClientId, Conflict, Mutation, PushRefusal, Rejection, Seq, Version};
use std::collections::BTreeSet;

/// What to do with one mutation of a batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Its seq was already processed: change nothing, answer with the stored outcome.
    Replay,
    /// Its seq is the next one: process it (apply, apply with a conflict, or reject; each
    /// consumes the seq).
    Process,
}

/// Splits a batch into replays and mutations to process, or refuses it whole.
///
/// `last_seq` is the last seq processed for the client, stored in the same transaction as
/// the effects of its mutations. A seq at or below it is a replay (the client lost the
/// response, or the request was duplicated); the next seq is processed; anything beyond is a
/// gap, which means an earlier request has not arrived yet, so nothing in the batch is
/// applied: applying a later mutation before an earlier one would break the client's order.
///
/// `acknowledged` is the request's claim that the client holds outcomes up to that seq. A
/// claim beyond `last_seq` can only mean the server has lost mutations it once processed
/// (restored from a backup): the batch is refused as [`PushRefusal::ServerBehind`] rather
/// than as a gap, so the client is told the truth instead of retrying forever. (A gap
/// refusal alone cannot tell the client this: a late, reordered one looks the same.)
pub fn plan_batch(
    client: ClientId,
    last_seq: Seq,
    acknowledged: Seq,
    mutations: &[Mutation],
) -> Result<Vec<Step>, PushRefusal> {
    if acknowledged > last_seq {
        return Err(PushRefusal::ServerBehind {
            last_seq,
            acknowledged,
        });
    }
    let mut expected = last_seq.next();
    let mut previous = Seq(0);
    let mut steps = Vec::with_capacity(mutations.len());
    for mutation in mutations {
        if mutation.client_id != client || mutation.seq <= previous {
            return Err(PushRefusal::Malformed);
        }
        previous = mutation.seq;
        if mutation.seq <= last_seq {
            steps.push(Step::Replay);
        } else if mutation.seq == expected {
            steps.push(Step::Process);
            expected = expected.next();
        } else {
            return Err(PushRefusal::Gap {
                expected,
                got: mutation.seq,
            });
        }
    }
    Ok(steps)
}

/// A field as the server holds it: its value, the version that wrote it and the client that
/// wrote it (`None` for changes the server made itself, such as erasure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldState<'a> {
    /// The value.
    pub value: &'a Value,
    /// The version that wrote it (`Version(0)` for never).
    pub version: Version,
    /// The client that wrote it.
    pub writer: Option<ClientId>,
}

/// Whether a write based on `base_version` by `client` comes after a change its author had
/// not seen.
///
/// The author saw everything up to `base_version`, and every earlier mutation of its own
/// client (the client shows its pending edits and the server applies them in seq order), so
/// only a newer version written by another client is unseen. Client clocks play no part.
pub fn is_unseen(
    current_version: Version,
    current_writer: Option<ClientId>,
    base_version: Version,
    client: ClientId,
) -> bool {
    current_version > base_version && current_writer != Some(client)
}

/// What a `SetField` does to the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldDecision {
    /// Write the new value.
    Write,
    /// Write the new value (the later commit wins) and keep the overwritten one as a
    /// conflict, because its author had not seen it and the values differ.
    WriteKeepingConflict,
}

/// Decides a `SetField` against the field's current state. The incoming write always wins,
/// since the server's commit order is the only order; what is decided is whether the value
/// it replaces must be kept as a conflict so the overwrite is not silent.
pub fn decide_set_field(
    current: &FieldState<'_>,
    new_value: &Value,
    base_version: Version,
    client: ClientId,
) -> FieldDecision {
    if is_unseen(current.version, current.writer, base_version, client)
        && current.value != new_value
    {
        FieldDecision::WriteKeepingConflict
    } else {
        FieldDecision::Write
    }
}

/// Whether a later write of `value` to an open conflict's field, based on `base_version`,
/// settles the conflict: its author had seen the value that won (so they chose anew, and
/// the conflict's *Keep* would only put back an old value), or it writes the kept value back
/// (so nothing kept is lost). The server closes a conflict so settled; the client hides it
/// while such a write of its own is pending. A write that settles nothing leaves the
/// conflict open, showing the new value as the one that stands now.
pub fn settles(conflict: &Conflict, base_version: Version, value: &Value) -> bool {
    base_version >= conflict.winner.version || *value == conflict.overwritten.value
}

/// Decides a `Delete`: rejected when the record changed after the client last saw it, so a
/// delete never silently throws away someone else's edit.
pub fn decide_delete(
    record_version: Version,
    latest_writer: Option<ClientId>,
    base_version: Version,
    client: ClientId,
) -> Result<(), Rejection> {
    if is_unseen(record_version, latest_writer, base_version, client) {
        Err(Rejection::StaleDelete {
            current: record_version,
        })
    } else {
        Ok(())
    }
}

/// The users whose [`crate::permission::Actor`] may change when a record goes from `before`
/// to `after` (either `None` for a create or a delete). The server bumps their scope epoch,
/// which makes their clients purge and pull again.
///
/// `host_of` looks up a meeting's host (attendance changes whose reach a host has).
/// Creating a person needs no bump: the creator's reach grows by a record that nothing older
/// refers to. Deleting one does: the creator loses what referred to them.
pub fn actors_affected(
    before: Option<&Record>,
    after: Option<&Record>,
    mut host_of: impl FnMut(MeetingId) -> Option<UserId>,
) -> BTreeSet<UserId> {
    let mut users = BTreeSet::new();
    let Some(collection) = before.or(after).map(|r| r.collection) else {
        return users;
    };
    // Borrowed, not copied: a list's members can number thousands.
    fn field<'r>(r: Option<&'r Record>, name: &str) -> &'r Value {
        static NULL: Value = Value::Null;
        r.map_or(&NULL, |r| r.get(name))
    }
    let ids = |v: &Value| match v {
        Value::Id(id) => vec![UserId(*id)],
        Value::Ids(ids) => ids.iter().map(|&id| UserId(id)).collect(),
        _ => Vec::new(),
    };
    // Created, deleted or moved: the record's scope-defining fields count as changed.
    let moved = before.map(|r| r.area) != after.map(|r| r.area);
    let mut changed = |names: &[&str], whose: &str| {
        if moved || names.iter().any(|n| field(before, n) != field(after, n)) {
            users.extend(ids(field(before, whose)));
            users.extend(ids(field(after, whose)));
        }
    };
    match collection {
        // A role moved to another area changes its holder's scope; the area moves of other
        // records change who reads them, which the caller handles.
        Collection::RoleAssignment => changed(&["user", "role"], "user"),
        Collection::List => changed(&["assignees", "members"], "assignees"),
        Collection::Meeting => changed(&["host"], "host"),
        Collection::Attendance if before.is_none() != after.is_none() => {
            let meeting = before.or(after).and_then(|r| r.get_id("meeting"));
            users.extend(meeting.and_then(|m| host_of(MeetingId(m))));
        }
        Collection::Person if after.is_none() => users.extend(before.map(|r| r.created_by)),
        _ => {}
    }
    // The area moves of a record, and a record's readers who lose it, are handled by the
    // caller, which can evaluate read permission for every user.
    users
}
