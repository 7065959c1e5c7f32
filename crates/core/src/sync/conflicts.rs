//! What the Conflicts screen shows of each open conflict: the value the field holds now and
//! the value kept from the overwrite, each with who set it, so nobody keeps an old value
//! believing it current.
//!
//! The server keeps an open conflict's winner equal to the field as it stands (a later
//! write either settles the conflict or becomes its winner), so once a pull has brought
//! both, the conflict says who set the value now. This phone's own pending edit of the field
//! stands on top of that, set by "you".

use crate::id::UserId;
use crate::record::{FieldName, Record, Value};
use crate::sync::replica::Replica;
use crate::sync::wire::{Conflict, ConflictId, RecordKey};

/// Who set a value, for a screen to name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SetBy {
    /// The signed-in user, on this phone or another.
    You,
    /// Another user, named by their user record if the phone holds it.
    User(UserId),
    /// Not known here yet: the field has moved on since the conflict was pulled, and the
    /// page saying by whom has not arrived.
    NotKnown,
}

/// A value as the screen shows it, and who set it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetValue {
    /// The value.
    pub value: Value,
    /// Who set it.
    pub by: SetBy,
}

/// One open conflict as the Conflicts screen shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenConflict {
    /// The conflict, for resolving it.
    pub id: ConflictId,
    /// The record.
    pub key: RecordKey,
    /// The field.
    pub field: FieldName,
    /// The value the field holds now, as this phone shows it; *Keep* keeps this.
    pub now: SetValue,
    /// The value that was overwritten; *Use* puts it back.
    pub kept: SetValue,
}

/// The open conflicts the user sees ([`Replica::visible_conflicts`]), each with the value
/// now and the value kept, and who set each.
pub fn open_conflicts(replica: &Replica) -> Vec<OpenConflict> {
    replica
        .visible_conflicts()
        .into_iter()
        .map(|conflict| shown(replica, conflict))
        .collect()
}

fn shown(replica: &Replica, conflict: &Conflict) -> OpenConflict {
    let me = replica.user();
    let by = |user: UserId| {
        if user == me {
            SetBy::You
        } else {
            SetBy::User(user)
        }
    };
    let field = conflict.field.as_str();
    let now = match replica.get(conflict.key) {
        None => SetValue {
            value: conflict.winner.value.clone(),
            by: by(conflict.winner.user),
        },
        Some(record) => {
            let pending = replica.pending_writes_to(conflict).next().is_some();
            let confirmed = replica
                .confirmed()
                .get(&conflict.key)
                .map(|r| r.field_version(field));
            let by = if pending {
                SetBy::You
            } else if confirmed == Some(conflict.winner.version) {
                by(conflict.winner.user)
            } else {
                SetBy::NotKnown
            };
            SetValue {
                value: value_of(&record, field),
                by,
            }
        }
    };
    OpenConflict {
        id: conflict.id,
        key: conflict.key,
        field: conflict.field.clone(),
        now,
        kept: SetValue {
            value: conflict.overwritten.value.clone(),
            by: by(conflict.overwritten.user),
        },
    }
}

/// A field's value, the area included.
fn value_of(record: &Record, field: &str) -> Value {
    if field == FieldName::AREA {
        Value::Id(record.area.0)
    } else {
        record.get(field).clone()
    }
}
