//! Invitations: an organiser names someone, a role and an area, and gets a link to send by
//! WhatsApp or text (no email server needed). Whoever opens the link chooses their email and
//! password, and is signed in with that role.
//!
//! Only a hash of the link's token is stored, so a copy of the database cannot be used to
//! accept an invitation. A link works once, for [`INVITE_LIFETIME_MS`], unless withdrawn.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use organise_core::area::Area;
use organise_core::id::{AreaId, RecordId, UserId};
pub use organise_core::invite::{
    Acceptance, CreatedInvite, Invite, InviteStatus, InviteSummary, NewInvite,
};
use organise_core::model::{Role, RoleAssignment, User};
use organise_core::permission::Permissions;
use organise_core::record::{Choice, Collection, Entity};
use organise_core::sync::server::{self as protocol, ServerStore};
use organise_core::sync::wire::RecordKey;
use organise_core::validate::{FieldProblem, Problem, normalise_name};
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::accounts::{self, AccountRefused, NewAccount};
use crate::audit::AuditEntry;
use crate::auth::{self, Session};
use crate::demo::new_id;
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::passwords;
use crate::sync_store::{self, Access, SqlStore, StoreError};
use crate::throttle::PasswordAttempt;
use crate::{AppState, Timestamp};

/// How long an invitation link works: two weeks.
pub const INVITE_LIFETIME_MS: i64 = 14 * 24 * 60 * 60 * 1000;

fn invite_row(row: &AnyRow, now: Timestamp) -> Result<Invite, StoreError> {
    let corrupt = |what: &'static str, detail: String| StoreError::Corrupt { what, detail };
    let id: String = row.try_get("id")?;
    let area: String = row.try_get("area_id")?;
    let role: String = row.try_get("role")?;
    let expires_at = Timestamp(row.try_get("expires_at")?);
    let accepted: Option<String> = row.try_get("accepted_by")?;
    let revoked: i64 = row.try_get("revoked")?;
    let status = if accepted.is_some() {
        InviteStatus::Accepted
    } else if revoked != 0 {
        InviteStatus::Withdrawn
    } else if expires_at.0 <= now.0 {
        InviteStatus::Expired
    } else {
        InviteStatus::Pending
    };
    Ok(Invite {
        id: id.parse().map_err(|_| corrupt("invite id", id.clone()))?,
        name: row.try_get("name")?,
        role: Choice::parse(&role).ok_or_else(|| corrupt("invite role", role.clone()))?,
        area: area
            .parse::<RecordId>()
            .map(AreaId)
            .map_err(|_| corrupt("invite area", area.clone()))?,
        created_at: Timestamp(row.try_get("created_at")?),
        expires_at,
        status,
    })
}

const INVITE_COLUMNS: &str =
    "id, name, role, area_id, created_at, expires_at, accepted_by, revoked";

/// Whether `user` may give `role` in `area`: they could create both the account's records
/// through sync.
fn may_invite(
    store: &mut SqlStore<'_>,
    user: UserId,
    role: Role,
    area: AreaId,
) -> Result<Result<(), AppError>, StoreError> {
    let actor = protocol::actor(store, user)?;
    let tree = protocol::area_tree(store)?;
    if !tree.contains(area) {
        return Ok(Err(AppError::BadRequest {
            message: "there is no such area".into(),
            fields: vec![FieldProblem::new("area", Problem::Missing)],
        }));
    }
    let rules = Permissions::new(&actor, &tree);
    let draft_user = User {
        id: UserId(RecordId::from_u128(0)),
        area,
        created_by: user,
        name: "Invitee".into(),
        email: "invitee@example.invalid".into(),
        person: None,
    };
    let draft_role = RoleAssignment {
        id: RecordId::from_u128(0).into(),
        area,
        created_by: user,
        user: draft_user.id,
        role,
    };
    let allowed = rules.can_create(&draft_user.to_record()).is_ok()
        && rules.can_create(&draft_role.to_record()).is_ok();
    Ok(if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    })
}

/// `POST /api/invites`: makes an invitation link.
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    ApiJson(invite): ApiJson<NewInvite>,
) -> AppResult<Response> {
    let name = normalise_name(&invite.name).map_err(|problem| AppError::BadRequest {
        message: format!("the name {problem}"),
        fields: vec![FieldProblem::new("name", problem)],
    })?;
    let user = session.user.id;
    let now = state.clock.now();
    let id = new_id(&state.clock);
    let token = auth::random_token();
    let hash = auth::token_hash(&token);
    let created = sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        if let Err(refused) = may_invite(store, user, invite.role, invite.area)? {
            return Ok((Err(refused), false));
        }
        let row = Invite {
            id,
            name,
            role: invite.role,
            area: invite.area,
            created_at: now,
            expires_at: Timestamp(now.0 + INVITE_LIFETIME_MS),
            status: InviteStatus::Pending,
        };
        store.execute(
            sqlx::query(
                "INSERT INTO invites (id, token_hash, created_by, name, role, area_id, \
                 created_at, expires_at, revoked) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0)",
            )
            .bind(row.id.to_string())
            .bind(hash)
            .bind(user.to_string())
            .bind(row.name.clone())
            .bind(row.role.as_str())
            .bind(row.area.to_string())
            .bind(row.created_at.0)
            .bind(row.expires_at.0),
        )?;
        store.audit(&AuditEntry {
            at: now,
            actor: Some(user),
            action: "invite.create",
            subject: Some(row.id),
            area: Some(row.area),
            detail: format!("role {}", row.role.as_str()),
        })?;
        Ok((Ok(row), true))
    })
    .await??;
    Ok((
        StatusCode::CREATED,
        Json(CreatedInvite {
            invite: created,
            path: format!("/join/{token}"),
        }),
    )
        .into_response())
}

/// `GET /api/invites`: the latest invitations into areas the caller organises.
pub async fn list(State(state): State<AppState>, session: Session) -> AppResult<Json<Vec<Invite>>> {
    let user = session.user.id;
    let now = state.clock.now();
    let invites = sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let actor = protocol::actor(store, user)?;
        let tree = protocol::area_tree(store)?;
        let rules = Permissions::new(&actor, &tree);
        let rows = store.all(sqlx::query(&format!(
            "SELECT {INVITE_COLUMNS} FROM invites ORDER BY created_at DESC LIMIT 2000"
        )))?;
        let mut invites = Vec::new();
        for row in &rows {
            let invite = invite_row(row, now)?;
            if rules.is_organiser_of(invite.area) {
                invites.push(invite);
            }
        }
        invites.truncate(200);
        Ok((invites, false))
    })
    .await?;
    Ok(Json(invites))
}

/// The invitation id in a path, or a 400 saying it is not one.
fn invitation_id(id: &str) -> AppResult<RecordId> {
    id.parse()
        .map_err(|_| AppError::bad_request(format!("{id:?} is not an invitation id")))
}

/// `DELETE /api/invites/{id}`: withdraws a pending invitation, so its link stops working.
pub async fn withdraw(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> AppResult<StatusCode> {
    let id = invitation_id(&id)?;
    let user = session.user.id;
    let now = state.clock.now();
    sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        let Some(row) = store.optional(
            sqlx::query(&format!(
                "SELECT {INVITE_COLUMNS} FROM invites WHERE id = $1"
            ))
            .bind(id.to_string()),
        )?
        else {
            return Ok((Err(AppError::NotFound), false));
        };
        let invite = invite_row(&row, now)?;
        let actor = protocol::actor(store, user)?;
        let tree = protocol::area_tree(store)?;
        if !Permissions::new(&actor, &tree).is_organiser_of(invite.area) {
            return Ok((Err(AppError::NotFound), false));
        }
        if invite.status != InviteStatus::Pending {
            return Ok((
                Err(AppError::bad_request(format!(
                    "this invitation is {} and can no longer be withdrawn",
                    invite.status.as_str()
                ))),
                false,
            ));
        }
        store.execute(
            sqlx::query("UPDATE invites SET revoked = 1 WHERE id = $1").bind(id.to_string()),
        )?;
        store.audit(&AuditEntry {
            at: now,
            actor: Some(user),
            action: "invite.withdraw",
            subject: Some(id),
            area: Some(invite.area),
            detail: String::new(),
        })?;
        Ok((Ok(()), true))
    })
    .await??;
    Ok(StatusCode::NO_CONTENT)
}

/// `POST /api/invites/{id}/link`: a new link for an invitation that is pending or expired
/// unused, working for another [`INVITE_LIFETIME_MS`]. The old link stops working: only the
/// new token's hash is kept. For the inviter who lost the first link, or an invitee whose
/// link ran out.
pub async fn renew(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = invitation_id(&id)?;
    let user = session.user.id;
    let now = state.clock.now();
    let token = auth::random_token();
    let hash = auth::token_hash(&token);
    let renewed = sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        let Some(row) = store.optional(
            sqlx::query(&format!(
                "SELECT {INVITE_COLUMNS} FROM invites WHERE id = $1"
            ))
            .bind(id.to_string()),
        )?
        else {
            return Ok((Err(AppError::NotFound), false));
        };
        let mut invite = invite_row(&row, now)?;
        let actor = protocol::actor(store, user)?;
        let tree = protocol::area_tree(store)?;
        if !Permissions::new(&actor, &tree).is_organiser_of(invite.area) {
            return Ok((Err(AppError::NotFound), false));
        }
        if !invite.status.may_renew() {
            return Ok((
                Err(AppError::bad_request(format!(
                    "this invitation is {} and cannot be sent again",
                    invite.status.as_str()
                ))),
                false,
            ));
        }
        if let Err(refused) = may_invite(store, user, invite.role, invite.area)? {
            return Ok((Err(refused), false));
        }
        invite.expires_at = Timestamp(now.0 + INVITE_LIFETIME_MS);
        invite.status = InviteStatus::Pending;
        store.execute(
            sqlx::query("UPDATE invites SET token_hash = $1, expires_at = $2 WHERE id = $3")
                .bind(hash)
                .bind(invite.expires_at.0)
                .bind(id.to_string()),
        )?;
        store.audit(&AuditEntry {
            at: now,
            actor: Some(user),
            action: "invite.renew",
            subject: Some(id),
            area: Some(invite.area),
            detail: format!("role {}", invite.role.as_str()),
        })?;
        Ok((Ok(invite), true))
    })
    .await??;
    Ok(Json(CreatedInvite {
        invite: renewed,
        path: format!("/join/{token}"),
    })
    .into_response())
}

/// The invitation whose link carries `token`, if the token is one. A pending invitation whose
/// inviter could no longer give it (they were deleted, or lost the role that let them) reads
/// as withdrawn: its link no longer works.
fn invite_by_token(
    store: &mut SqlStore<'_>,
    token: &str,
    now: Timestamp,
) -> Result<Option<Invite>, StoreError> {
    let Some(row) = store.optional(
        sqlx::query(&format!(
            "SELECT {INVITE_COLUMNS} FROM invites WHERE token_hash = $1"
        ))
        .bind(auth::token_hash(token)),
    )?
    else {
        return Ok(None);
    };
    let mut invite = invite_row(&row, now)?;
    if invite.status == InviteStatus::Pending {
        let inviter = invite_creator(store, invite.id)?;
        if !inviter_may_give(store, inviter, &invite)? {
            invite.status = InviteStatus::Withdrawn;
        }
    }
    Ok(Some(invite))
}

/// The pending invitation whose link carries `token`: unknown tokens are
/// [`AppError::InvalidInvite`], and links that no longer work say why
/// ([`AppError::InviteGone`]).
fn working_invite(
    store: &mut SqlStore<'_>,
    token: &str,
    now: Timestamp,
) -> Result<Result<Invite, AppError>, StoreError> {
    Ok(match invite_by_token(store, token, now)? {
        None => Err(AppError::InvalidInvite),
        Some(invite) if invite.status == InviteStatus::Pending => Ok(invite),
        Some(invite) => Err(AppError::InviteGone(invite.status)),
    })
}

/// Whether `inviter` is a live user who may still give `invite`'s role in its area.
fn inviter_may_give(
    store: &mut SqlStore<'_>,
    inviter: UserId,
    invite: &Invite,
) -> Result<bool, StoreError> {
    let record = RecordKey {
        collection: Collection::User,
        id: inviter.0,
    };
    Ok(store.record(record)?.is_some()
        && may_invite(store, inviter, invite.role, invite.area)?.is_ok())
}

/// Withdraws the pending invitations `inviter` made that they may no longer give (all of
/// them, once their user record is deleted), in the caller's transaction; each withdrawal is
/// audited as done by `actor`. Run after a push changes the inviter's user record or roles.
pub fn withdraw_invites_no_longer_given(
    store: &mut SqlStore<'_>,
    inviter: UserId,
    actor: UserId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let rows = store.all(
        sqlx::query(&format!(
            "SELECT {INVITE_COLUMNS} FROM invites \
             WHERE created_by = $1 AND accepted_by IS NULL AND revoked = 0"
        ))
        .bind(inviter.to_string()),
    )?;
    for row in &rows {
        let invite = invite_row(row, now)?;
        if invite.status != InviteStatus::Pending || inviter_may_give(store, inviter, &invite)? {
            continue;
        }
        store.execute(
            sqlx::query("UPDATE invites SET revoked = 1 WHERE id = $1").bind(invite.id.to_string()),
        )?;
        store.audit(&AuditEntry {
            at: now,
            actor: Some(actor),
            action: "invite.withdraw",
            subject: Some(invite.id),
            area: Some(invite.area),
            detail: "the inviter may no longer give it".into(),
        })?;
    }
    Ok(())
}

/// `GET /api/join/{token}`: what the link offers, for the page that accepts it.
pub async fn show(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Json<InviteSummary>> {
    let now = state.clock.now();
    let summary = sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let invite = match working_invite(store, &token, now)? {
            Ok(invite) => invite,
            Err(refused) => return Ok((Err(refused), false)),
        };
        let area_name = accounts::areas(store)?
            .into_iter()
            .find(|a: &Area| a.id == invite.area)
            .map(|a| a.name)
            .unwrap_or_default();
        Ok((
            Ok(InviteSummary {
                name: invite.name,
                role: invite.role,
                area_name,
                expires_at: invite.expires_at,
            }),
            false,
        ))
    })
    .await?;
    summary.map(Json)
}

/// `POST /api/join/{token}`: accepts the invitation, creating the account and signing in.
pub async fn accept(
    State(state): State<AppState>,
    _attempt: PasswordAttempt,
    method: Method,
    headers: HeaderMap,
    Path(token): Path<String>,
    ApiJson(acceptance): ApiJson<Acceptance>,
) -> AppResult<Response> {
    auth::check_same_site(&method, &headers)?;
    let mut problems = Vec::new();
    let name = normalise_name(&acceptance.name)
        .map_err(|p| problems.push(FieldProblem::new("name", p)))
        .ok();
    let email = accounts::normalise_email(&acceptance.email)
        .map_err(|p| problems.push(FieldProblem::new("email", p)))
        .ok();
    let mut advice = None;
    if let Err(refused) = passwords::check_new(
        &acceptance.password,
        email.as_deref().unwrap_or(&acceptance.email),
        name.as_deref().unwrap_or(&acceptance.name),
    ) {
        problems.push(FieldProblem::new("password", refused.problem));
        advice = Some(refused.advice);
    }
    let (Some(name), Some(email), true) = (name, email, problems.is_empty()) else {
        let message = match (advice, problems.len()) {
            (Some(advice), 1) => advice,
            _ => "some details need correcting".into(),
        };
        return Err(AppError::BadRequest {
            message,
            fields: problems,
        });
    };
    let password = acceptance.password;
    let password_hash = state
        .hashing
        .slot()
        .await?
        .run(move || passwords::hash_password(&password))
        .await??;
    let now = state.clock.now();
    let id = UserId(new_id(&state.clock));
    let role_id = new_id(&state.clock).into();
    let created = sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        store.lock_version()?;
        let invite = match working_invite(store, &token, now)? {
            Ok(invite) => invite,
            Err(refused) => return Ok((Err(refused), false)),
        };
        let account = NewAccount {
            id,
            role_id,
            email,
            name,
            password_hash,
            role: invite.role,
            area: invite.area,
            created_by: invite_creator(store, invite.id)?,
        };
        match accounts::create(store, now, &account)? {
            Ok(()) => {}
            Err(refused) => {
                let problem = match &refused {
                    AccountRefused::EmailTaken => Problem::Taken,
                    AccountRefused::BadEmail(problem) => problem.clone(),
                };
                return Ok((
                    Err(AppError::BadRequest {
                        message: refused.to_string(),
                        fields: vec![FieldProblem::new("email", problem)],
                    }),
                    false,
                ));
            }
        }
        store.execute(
            sqlx::query("UPDATE invites SET accepted_by = $1 WHERE id = $2")
                .bind(id.to_string())
                .bind(invite.id.to_string()),
        )?;
        for (action, subject) in [("invite.accept", invite.id), ("role.grant", role_id.0)] {
            store.audit(&AuditEntry {
                at: now,
                actor: Some(id),
                action,
                subject: Some(subject),
                area: Some(invite.area),
                detail: format!("role {}", invite.role.as_str()),
            })?;
        }
        Ok((Ok(()), true))
    })
    .await?;
    created?;
    auth::start_session(&state, id).await
}

fn invite_creator(store: &mut SqlStore<'_>, invite: RecordId) -> Result<UserId, StoreError> {
    let row = store.optional(
        sqlx::query("SELECT created_by FROM invites WHERE id = $1").bind(invite.to_string()),
    )?;
    let text: String = match row {
        Some(row) => row.try_get("created_by")?,
        None => {
            return Err(StoreError::Corrupt {
                what: "invite",
                detail: "vanished while being accepted".into(),
            });
        }
    };
    text.parse().map(UserId).map_err(|_| StoreError::Corrupt {
        what: "invite creator",
        detail: text,
    })
}
