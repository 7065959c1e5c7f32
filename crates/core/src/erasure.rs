//! The erasure wire types: an admin of a person's area erases them for good, saying why, and
//! the reason is kept in the audit log beside the erasure.

use serde::{Deserialize, Serialize};

use crate::id::PersonId;
use crate::record::Collection;
use crate::sync::replica::Replica;

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
/// how many records are about them, per collection that has any, in collection order. The
/// server erases the same (every record whose person field names them) and more that a
/// phone may not hold.
pub fn records_about(replica: &Replica, person: PersonId) -> Vec<(Collection, usize)> {
    Collection::ALL
        .into_iter()
        .filter_map(|collection| {
            let field = collection.person_field()?;
            let n = replica.holding(collection, field, person.0).len();
            (n > 0).then_some((collection, n))
        })
        .collect()
}
