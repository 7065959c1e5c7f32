//! The audit log: sensitive actions (sign-ins, exports, erasures, role changes) as rows that
//! admins can read. Entries name users and records by id and never copy personal data into
//! `detail`. Each names the area it concerns where there is one, so an admin reads the entries
//! within their areas.

use organise_core::id::{AreaId, RecordId, UserId};
use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

use crate::error::AppResult;
use crate::{AppState, Timestamp};

/// One sensitive action.
#[derive(Clone, Debug)]
pub struct AuditEntry {
    /// When.
    pub at: Timestamp,
    /// Who did it (none for a failed sign-in).
    pub actor: Option<UserId>,
    /// What, as a dotted name (`login`, `person.erase`, `role.grant`).
    pub action: &'static str,
    /// The record or user it was done to.
    pub subject: Option<RecordId>,
    /// The area it concerns.
    pub area: Option<AreaId>,
    /// More, without personal data.
    pub detail: String,
}

impl AuditEntry {
    /// The `INSERT` of this entry, to run on any connection or transaction.
    pub fn insert(&self) -> Query<'static, Any, AnyArguments<'static>> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor_user_id, action, subject, area_id, detail) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(self.at.0)
        .bind(self.actor.map(|u| u.to_string()))
        .bind(self.action)
        .bind(self.subject.map(|s| s.to_string()))
        .bind(self.area.map(|a| a.to_string()))
        .bind(self.detail.clone())
    }
}

/// Appends one entry to the audit log, outside any other transaction.
pub async fn record(state: &AppState, entry: AuditEntry) -> AppResult<()> {
    entry.insert().execute(state.db.pool()).await?;
    Ok(())
}
