//! The sync endpoints: `POST /api/sync/push` and `POST /api/sync/pull`, the core protocol over
//! the [`SqlStore`](crate::sync_store::SqlStore).
//!
//! A push runs in one write transaction: the whole batch, the client's log and the audit
//! entries for role changes commit together or not at all, and the response is sent only
//! after the commit, so an acknowledged mutation is durable. A pull reads one snapshot.
//!
//! A push that creates the attendance of someone a sign-in kit recognised also records, in
//! the same transaction, the consents they gave at the meeting on their person
//! ([`sign_in_kit::record_consents`]).
//!
//! A push that takes access away (deletes a `user` record, or deletes or changes a role
//! assignment) also ends that user's sessions and withdraws the invitations they may no
//! longer give, in the same transaction: see [`end_lost_access`].
//!
//! A refusal of the whole request (a gap in seqs, a client id of another user, an old
//! protocol) is `409 Conflict` with the refusal's fields beside the usual `error` sentence, so
//! a client reads it either as an [`ErrorBody`](organise_core::session::ErrorBody) or as the
//! refusal itself.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use std::collections::{BTreeMap, BTreeSet};

use organise_core::id::{AreaId, UserId};
use organise_core::model::RoleAssignment;
use organise_core::record::{Collection, Entity, FieldName, Record};
use organise_core::sync::server::{self as protocol, ServerStore};
use organise_core::sync::wire::{
    MAX_PUSH_BATCH, Mutation, Op, Outcome, PullRequest, PushRequest, PushResponse, RecordKey,
};
use organise_core::validate::{FieldProblem, Problem};
use serde::Serialize;

use crate::audit::AuditEntry;
use crate::auth::{self, Session};
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::sync_store::{self, Access, SqlStore, StoreError};
use crate::{AppState, Timestamp, invites, sign_in_kit};

/// A refusal of a whole request, as sent: the sentence and the refusal's own fields.
#[derive(Serialize, schemars::JsonSchema)]
pub struct Refused<R: Serialize> {
    /// What happened, as a sentence.
    pub error: String,
    /// The refusal, for the app to act on.
    #[serde(flatten)]
    pub refusal: R,
}

fn refused<R: Serialize + std::fmt::Display>(refusal: R) -> Response {
    (
        StatusCode::CONFLICT,
        Json(Refused {
            error: refusal.to_string(),
            refusal,
        }),
    )
        .into_response()
}

/// The largest number the database holds: versions, conflict ids and seqs are stored as
/// signed 64-bit integers.
pub const MAX_WIRE_NUMBER: u64 = i64::MAX as u64;

/// Refuses a request carrying a version, conflict id or seq beyond [`MAX_WIRE_NUMBER`], naming
/// each such field, before the store sees it. No server ever issued such a number, so it can
/// only come from a damaged or hostile client.
fn check_numbers(numbers: impl IntoIterator<Item = (String, u64)>) -> AppResult<()> {
    let fields: Vec<FieldProblem> = numbers
        .into_iter()
        .filter(|(_, value)| *value > MAX_WIRE_NUMBER)
        .map(|(field, _)| {
            FieldProblem::new(
                FieldName(field.into()),
                Problem::OutOfRange {
                    min: 0,
                    max: i64::MAX,
                },
            )
        })
        .collect();
    match fields.first() {
        None => Ok(()),
        Some(first) => Err(AppError::BadRequest {
            message: format!(
                "{} must be between 0 and {MAX_WIRE_NUMBER}: no server issues larger numbers",
                first.field
            ),
            fields,
        }),
    }
}

/// Every number of a push that the store would keep or look up.
fn push_numbers(request: &PushRequest) -> impl Iterator<Item = (String, u64)> + '_ {
    let acknowledged = ("acknowledged".to_owned(), request.acknowledged.0);
    let mutations = request
        .mutations
        .iter()
        .enumerate()
        .flat_map(|(n, mutation)| {
            let field = |name: &str| format!("mutations[{n}].{name}");
            let op = match &mutation.op {
                Op::SetField { base_version, .. } | Op::Delete { base_version } => {
                    Some((field("op.base_version"), base_version.0))
                }
                Op::ResolveConflict { conflict, .. } => Some((field("op.conflict"), conflict.0)),
                Op::Create { .. } | Op::AddToSet { .. } | Op::RemoveFromSet { .. } | Op::Void => {
                    None
                }
            };
            [Some((field("seq"), mutation.seq.0)), op]
                .into_iter()
                .flatten()
        });
    std::iter::once(acknowledged).chain(mutations)
}

/// Every number of a pull that the store would look up.
fn pull_numbers(request: &PullRequest) -> impl Iterator<Item = (String, u64)> + '_ {
    let epoch = request.epoch.map(|epoch| ("epoch".to_owned(), (epoch.0).0));
    std::iter::once(("cursor".to_owned(), request.cursor.0)).chain(epoch)
}

/// `POST /api/sync/push`: applies a batch of mutations, all or nothing.
pub async fn push(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<PushRequest>,
) -> AppResult<Response> {
    if request.mutations.len() > MAX_PUSH_BATCH {
        return Err(AppError::bad_request(format!(
            "a push may carry at most {MAX_PUSH_BATCH} mutations; this one has {}",
            request.mutations.len()
        )));
    }
    check_numbers(push_numbers(&request))?;
    let user = session.user.id;
    let now = state.clock.now();
    let answer = sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        let access_before = access_records(store, &request)?;
        let answer = protocol::push(store, user, &request)?;
        let Ok(response) = &answer else {
            return Ok((answer, false));
        };
        // Role changes are audited in the same transaction as the change itself.
        for mutation in applied(&request, response) {
            if mutation.collection != Collection::RoleAssignment {
                continue;
            }
            let key = mutation.key();
            let area = match store.record(key)? {
                Some(stored) => Some(stored.record.area),
                None => store.tombstone(key)?.map(|t| t.record.area),
            };
            let action = match &mutation.op {
                Op::Create { .. } => "role.grant",
                Op::Delete { .. } => "role.revoke",
                _ => "role.change",
            };
            store.audit(&AuditEntry {
                at: now,
                actor: Some(user),
                action,
                subject: Some(key.id),
                area,
                detail: String::new(),
            })?;
        }
        // The consents of someone a sign-in kit recognised are recorded in it too.
        for mutation in applied(&request, response) {
            if mutation.collection == Collection::Attendance
                && matches!(mutation.op, Op::Create { .. })
            {
                sign_in_kit::record_consents(store, mutation.record_id, now)?;
            }
        }
        end_lost_access(store, user, now, access_before)?;
        Ok((answer, true))
    })
    .await?;
    Ok(match answer {
        Ok(response) => Json(response).into_response(),
        Err(refusal) => refused(refusal),
    })
}

/// The mutations of `request` that `response` says were applied (some with a conflict).
fn applied<'r>(
    request: &'r PushRequest,
    response: &'r PushResponse,
) -> impl Iterator<Item = &'r Mutation> {
    response.outcomes.iter().filter_map(|outcome| {
        let applied = matches!(
            outcome.outcome,
            Outcome::Applied { .. } | Outcome::Conflicted { .. }
        );
        let mutation = request.mutations.iter().find(|m| m.seq == outcome.seq)?;
        applied.then_some(mutation)
    })
}

/// The `user` and `role_assignment` records a push touches, as they stand before it.
fn access_records(
    store: &mut SqlStore<'_>,
    request: &PushRequest,
) -> Result<Vec<(RecordKey, Record)>, StoreError> {
    let keys: BTreeSet<RecordKey> = request
        .mutations
        .iter()
        .filter(|m| matches!(m.collection, Collection::User | Collection::RoleAssignment))
        .map(|m| m.key())
        .collect();
    let mut before = Vec::new();
    for key in keys {
        if let Some(stored) = store.record(key)? {
            before.push((key, stored.record));
        }
    }
    Ok(before)
}

/// Compares the records [`access_records`] read with what the push left, and for each user
/// who lost access (their `user` record deleted, or a role assignment of theirs deleted or
/// changed in its user, role or area) ends every session of theirs and withdraws the pending
/// invitations they may no longer give, audited as done by `actor`. A deleted user cannot
/// sign in again either: sign-in and sessions need a live `user` record.
fn end_lost_access(
    store: &mut SqlStore<'_>,
    actor: UserId,
    now: Timestamp,
    before: Vec<(RecordKey, Record)>,
) -> Result<(), StoreError> {
    let mut lost: BTreeMap<UserId, AreaId> = BTreeMap::new();
    for (key, old) in before {
        let new = store.record(key)?.map(|stored| stored.record);
        match key.collection {
            Collection::User if new.is_none() => {
                lost.insert(UserId(key.id), old.area);
            }
            Collection::RoleAssignment => {
                let grant = |record: &Record| {
                    RoleAssignment::read(record)
                        .ok()
                        .map(|role| (role.user, role.role, role.area))
                };
                let Some(was) = grant(&old) else { continue };
                if new.as_ref().and_then(grant) != Some(was) {
                    lost.insert(was.0, was.2);
                }
            }
            _ => {}
        }
    }
    for (user, area) in lost {
        store.execute(auth::end_sessions_query(user, None))?;
        invites::withdraw_invites_no_longer_given(store, user, actor, now)?;
        store.audit(&AuditEntry {
            at: now,
            actor: Some(actor),
            action: "sessions.end",
            subject: Some(user.0),
            area: Some(area),
            detail: "access removed".into(),
        })?;
    }
    Ok(())
}

/// `POST /api/sync/pull`: one page of the changes the caller may see.
pub async fn pull(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<PullRequest>,
) -> AppResult<Response> {
    check_numbers(pull_numbers(&request))?;
    let user = session.user.id;
    let answer = sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        Ok((protocol::pull(store, user, &request)?, false))
    })
    .await?;
    Ok(match answer {
        Ok(response) => Json(response).into_response(),
        Err(refusal) => refused(refusal),
    })
}
