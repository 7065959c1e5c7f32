//! Erasure and subject access: the wire types of an admin of a person's area erasing them for
//! good, saying why (kept in the audit log beside the erasure), or reading everything held
//! about them; and what a phone can say before asking.

use serde::{Deserialize, Serialize};

use crate::audit::AuditRow;
use crate::id::{PersonId, Timestamp, UserId};
use crate::record::{Collection, Record};
use crate::session::RoleInArea;
use crate::sync::replica::Replica;
use crate::sync::wire::{Conflict, RecordKey};
use crate::withdrawal::ConsentLink;

/// Why a person is erased.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErasureReason {
    /// They asked to be erased.
    Request,
    /// The organisation's retention rule caught them.
    Retention,
    /// They were entered by mistake.
    Mistake,
}

impl ErasureReason {
    /// Every reason, in the order a form offers them.
    pub const ALL: [ErasureReason; 3] = [
        ErasureReason::Request,
        ErasureReason::Retention,
        ErasureReason::Mistake,
    ];

    /// The reason as the API writes it, and the audit log keeps it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErasureReason::Request => "request",
            ErasureReason::Retention => "retention",
            ErasureReason::Mistake => "mistake",
        }
    }
}

/// `POST /api/people/{id}/erase`: why.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EraseRequest {
    /// Why the person is erased.
    pub reason: ErasureReason,
}

/// What erasing `person` takes with them from what `replica` holds, besides their own record:
/// how many records are about them, per collection that has any, in collection order (the
/// people merged into them among them). The server erases the same (every record whose
/// person field names them) and more that a phone may not hold.
pub fn records_about(replica: &Replica, person: PersonId) -> Vec<(Collection, usize)> {
    Collection::ALL
        .into_iter()
        .filter_map(|collection| {
            let field = match collection {
                Collection::Person => "merged_into",
                _ => collection.person_field()?,
            };
            let n = replica.holding(collection, field, person.0).len();
            (n > 0).then_some((collection, n))
        })
        .collect()
}

/// `GET /api/people/{id}/export`: everything held about a person, for a subject access
/// request.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Export {
    /// When it was made.
    pub exported_at: Timestamp,
    /// Their record (absent if it was deleted; what is left of it is in `deleted`).
    pub person: Option<Record>,
    /// The records about them: conversations, attendances, stories, survey answers.
    pub records_about: Vec<Record>,
    /// What is left of deleted records about them (references only).
    pub deleted: Vec<Record>,
    /// Other records that refer to them (lists, households, accounts), by key and field.
    pub mentioned_in: Vec<Mention>,
    /// Open conflicts on their records, with both values.
    pub conflicts: Vec<Conflict>,
    /// The audit entries about them.
    pub audit: Vec<AuditRow>,
    /// Who in the organisation may read them now, by the permission rules, with the roles
    /// they hold: why they may.
    pub readers: Vec<Reader>,
    /// A link for them to withdraw their consent without an account, to give them with the
    /// export (absent if their record was deleted).
    pub withdraw_consent: Option<ConsentLink>,
}

/// A user who may read the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reader {
    /// The user.
    pub user: UserId,
    /// Their name.
    pub name: String,
    /// Every role they hold, with its area.
    pub roles: Vec<RoleInArea>,
}

/// A record that refers to the person, without the record's other data (it is about others).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Mention {
    /// The record.
    pub key: RecordKey,
    /// The fields that refer to the person.
    pub fields: Vec<String>,
}
