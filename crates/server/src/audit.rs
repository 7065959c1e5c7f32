//! The audit log: sensitive actions (sign-ins, exports, erasures, role changes) as rows that
//! admins can read. Entries name users and records by id and never copy personal data into
//! `detail`. Each names the area it concerns where there is one, so an admin reads the entries
//! within their areas.

use axum::Json;
use axum::extract::State;
use organise_core::area::AreaKind;
use organise_core::id::{AreaId, RecordId, UserId};
use organise_core::model::Role;
use organise_core::permission::Permissions;
use organise_core::sync::server as protocol;
use serde::Deserialize;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::{Any, Row};

use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::json::ApiQuery;
use crate::sync_store::{self, Access, SqlStore, StoreError};
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
    pub fn insert(&self) -> sqlx::query::Query<'static, Any, AnyArguments<'static>> {
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

pub use organise_core::audit::{AuditPage, AuditRow};

fn read_row(row: &AnyRow) -> Result<AuditRow, StoreError> {
    fn id<T: From<RecordId>>(text: Option<String>) -> Result<Option<T>, StoreError> {
        text.map(|t| {
            t.parse::<RecordId>()
                .map(T::from)
                .map_err(|_| StoreError::Corrupt {
                    what: "audit id",
                    detail: t,
                })
        })
        .transpose()
    }
    Ok(AuditRow {
        id: row.try_get("id")?,
        at: Timestamp(row.try_get("at")?),
        actor: id(row.try_get("actor_user_id")?)?,
        action: row.try_get("action")?,
        subject: id(row.try_get("subject")?)?,
        area: id(row.try_get("area_id")?)?,
        detail: row.try_get("detail")?,
    })
}

const COLUMNS: &str = "id, at, actor_user_id, action, subject, area_id, detail";

/// The entries whose subject is `subject` (for a subject access export), oldest first.
pub fn about(store: &mut SqlStore<'_>, subject: RecordId) -> Result<Vec<AuditRow>, StoreError> {
    store
        .all(
            sqlx::query(&format!(
                "SELECT {COLUMNS} FROM audit_log WHERE subject = $1 ORDER BY id"
            ))
            .bind(subject.to_string()),
        )?
        .iter()
        .map(read_row)
        .collect()
}

/// The query of `GET /api/audit`. Every filter given must hold.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entries before this id (the `next` of the previous page); the latest if absent.
    pub before: Option<i64>,
    /// How many entries at most (default and maximum 200).
    pub limit: Option<usize>,
    /// Only this action (`person.erase`, `login`, …).
    pub action: Option<String>,
    /// Only what this user did.
    pub actor: Option<UserId>,
    /// Only what was done to this record or user (a person, for their history).
    pub subject: Option<RecordId>,
    /// Only entries concerning this area or an area within it.
    pub area: Option<AreaId>,
    /// Only entries at or after this time (milliseconds since the Unix epoch).
    pub from: Option<i64>,
    /// Only entries before this time (milliseconds since the Unix epoch).
    pub until: Option<i64>,
}

impl AuditQuery {
    /// The text filters the database applies, by column.
    fn texts(&self) -> Vec<(&'static str, String)> {
        [
            ("action", self.action.clone()),
            ("actor_user_id", self.actor.map(|id| id.to_string())),
            ("subject", self.subject.map(|id| id.to_string())),
        ]
        .into_iter()
        .filter_map(|(column, value)| value.map(|v| (column, v)))
        .collect()
    }

    /// The statement reading up to [`AUDIT_SCAN`] entries before `$1` that pass the filters
    /// the database can apply (all but `area`, which needs the area tree); [`Self::bind`]
    /// gives its values.
    fn sql(&self) -> String {
        let mut conditions = vec!["id < $1".to_owned()];
        let mut columns: Vec<(&str, &str)> = self.texts().iter().map(|(c, _)| (*c, "=")).collect();
        if self.from.is_some() {
            columns.push(("at", ">="));
        }
        if self.until.is_some() {
            columns.push(("at", "<"));
        }
        for (n, (column, operator)) in columns.iter().enumerate() {
            conditions.push(format!("{column} {operator} ${}", n + 2));
        }
        format!(
            "SELECT {COLUMNS} FROM audit_log WHERE {} ORDER BY id DESC LIMIT ${}",
            conditions.join(" AND "),
            columns.len() + 2
        )
    }

    /// [`Self::sql`]'s values, in order.
    fn bind<'q>(
        &self,
        query: sqlx::query::Query<'q, Any, AnyArguments<'q>>,
        before: i64,
    ) -> sqlx::query::Query<'q, Any, AnyArguments<'q>> {
        let mut query = query.bind(before);
        for (_, value) in self.texts() {
            query = query.bind(value);
        }
        for time in [self.from, self.until].into_iter().flatten() {
            query = query.bind(time);
        }
        query.bind(AUDIT_SCAN)
    }
}

/// The most entries a page returns.
pub const MAX_AUDIT_PAGE: usize = 200;
/// The most rows one page reads: an admin of one region does not make the server read the
/// whole log, but gets a shorter page and a `next` to go on from.
const AUDIT_SCAN: i64 = 2000;

/// `GET /api/audit`: the audit log for admins. An admin of the country reads everything; an
/// admin of an area reads the entries concerning places within it.
pub async fn read(
    State(state): State<AppState>,
    session: Session,
    ApiQuery(query): ApiQuery<AuditQuery>,
) -> AppResult<Json<AuditPage>> {
    let user = session.user.id;
    let limit = query
        .limit
        .unwrap_or(MAX_AUDIT_PAGE)
        .clamp(1, MAX_AUDIT_PAGE);
    let before = query.before.unwrap_or(i64::MAX);
    let page = sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let actor = protocol::actor(store, user)?;
        let tree = protocol::area_tree(store)?;
        let rules = Permissions::new(&actor, &tree);
        let admin_areas = actor.roles.iter().filter(|g| g.role == Role::Admin);
        let national = admin_areas
            .clone()
            .any(|g| tree.kind(g.area) == Some(AreaKind::Country));
        if admin_areas.count() == 0 {
            return Ok((None, false));
        }
        let sql = query.sql();
        let rows = store.all(query.bind(sqlx::query(&sql), before))?;
        let scanned = rows.len();
        let mut entries = Vec::new();
        let mut next = None;
        for row in &rows {
            let entry = read_row(row)?;
            next = Some(entry.id);
            let readable = national || entry.area.is_some_and(|area| rules.is_admin_of(area));
            let wanted = query
                .area
                .is_none_or(|within| entry.area.is_some_and(|area| tree.is_within(area, within)));
            if readable && wanted {
                entries.push(entry);
                if entries.len() == limit {
                    break;
                }
            }
        }
        if entries.len() < limit && (scanned as i64) < AUDIT_SCAN {
            next = None;
        }
        Ok((Some(AuditPage { entries, next }), false))
    })
    .await?;
    page.map(Json).ok_or(AppError::Forbidden)
}
