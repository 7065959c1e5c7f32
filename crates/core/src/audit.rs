//! The audit log's wire types: what `GET /api/audit` returns to an admin. Entries name users
//! and records by id and carry no personal data; a screen puts names to the ids it knows.

use serde::{Deserialize, Serialize};

use crate::id::{AreaId, RecordId, Timestamp, UserId};

/// One entry of the audit log, as read back.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditRow {
    /// Its position in the log (later entries have larger ids).
    pub id: i64,
    /// When, in milliseconds since the Unix epoch.
    pub at: Timestamp,
    /// Who did it.
    pub actor: Option<UserId>,
    /// What, as a dotted name (`login`, `person.erase`, …).
    pub action: String,
    /// The record or user it was done to.
    pub subject: Option<RecordId>,
    /// The area it concerns.
    pub area: Option<AreaId>,
    /// More, without personal data.
    pub detail: String,
}

/// A page of the audit log, latest first.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct AuditPage {
    /// The entries the caller may read, latest first.
    pub entries: Vec<AuditRow>,
    /// Pass as `before` for the next page; absent at the start of the log.
    pub next: Option<i64>,
}

/// Every action the server audits, as the log names them.
pub const ACTIONS: [&str; 17] = [
    "person.erase",
    "person.export",
    "consent.withdraw",
    "retention.rule",
    "login",
    "login.failed",
    "logout",
    "logout.everywhere",
    "sessions.end",
    "password.change",
    "password.change.failed",
    "invite.create",
    "invite.renew",
    "invite.withdraw",
    "meeting.rsvp",
    "meeting.sign_in",
    "meeting.sign_in_kit",
];
