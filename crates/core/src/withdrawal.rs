//! A person withdrawing their own consent, without an account: the organisation gives them a
//! link (on their data's export, and on every message it sends them), and the link's page lets
//! them say which channels may no longer be used. The link is signed by the server, expires,
//! and does nothing else; its page shows nothing about the person, not even their name, so a
//! forwarded or leaked link tells its reader nothing.

use serde::{Deserialize, Serialize};

use crate::id::Timestamp;
use crate::model::ConsentTopic;

/// What a link offers to withdraw, in the order its page lists them: each way of being
/// contacted, then being contacted at all.
pub const TOPICS: [ConsentTopic; 4] = [
    ConsentTopic::Email,
    ConsentTopic::Sms,
    ConsentTopic::Phone,
    ConsentTopic::Contact,
];

/// A link made for a person, to give them (`POST /api/people/{id}/consent-link`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ConsentLink {
    /// The page's path (`/consent/<token>`), to put after the app's address.
    pub path: String,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// What a working link offers (`GET /api/consent/{token}`): nothing about the person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct LinkOffer {
    /// What may be withdrawn through it.
    pub topics: Vec<ConsentTopic>,
    /// When it stops working.
    pub expires_at: Timestamp,
}

/// What the person withdraws (`POST /api/consent/{token}`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// The consents to withdraw: at least one of [`TOPICS`].
    pub topics: Vec<ConsentTopic>,
}

/// What a withdrawal did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Withdrawn {
    /// The consents now withdrawn (those asked for; any already withdrawn stay as they were).
    pub topics: Vec<ConsentTopic>,
}
