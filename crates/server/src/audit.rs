//! The audit log: sensitive actions (sign-ins, exports, erasures, role changes) as rows that
//! admins can read. Entries name users by id and never copy personal data into `detail`.

use crate::AppState;
use crate::error::AppResult;

/// Appends one entry to the audit log.
pub async fn record(
    state: &AppState,
    actor_user_id: Option<&str>,
    action: &str,
    subject: Option<&str>,
    detail: &str,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (at, actor_user_id, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(state.clock.now().0)
    .bind(actor_user_id)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(state.db.pool())
    .await?;
    Ok(())
}
