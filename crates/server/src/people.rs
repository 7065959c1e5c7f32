//! Erasure and subject access: an admin of a person's area can erase them for good, or export
//! everything held about them. Both are audited in the same transaction as what they do.
//!
//! A person outside what the caller may see answers `404`, exactly like a person who does not
//! exist, so ids cannot be probed.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, State};
use organise_core::erasure::{EraseRequest, ErasureReason, Export, Mention, Reader};
use organise_core::id::{PersonId, UserId};
use organise_core::permission::Permissions;
use organise_core::record::{Collection, Record};
use organise_core::sync::server::{self as protocol, EraseError, ServerStore};
use organise_core::sync::wire::{RecordKey, Version};
use serde::Serialize;

use crate::audit::AuditEntry;
use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::sync_store::{self, Access, SqlStore, StoreError};
use crate::{AppState, Timestamp};

/// What an erasure did.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Erased {
    /// The version of the erasure; every device purges the person when it pulls past it.
    pub version: Version,
}

/// Why the caller may not act on a person.
enum Refusal {
    /// No such person, or one the caller may not see.
    Hidden,
    /// Visible, but only an admin of their area may do this.
    NotAdmin,
}

/// The person's record (live or deleted) if the caller may see it, and whether they are an
/// admin of its area.
fn person_for(
    store: &mut SqlStore<'_>,
    user: UserId,
    person: PersonId,
) -> Result<Result<Record, Refusal>, StoreError> {
    let key = RecordKey {
        collection: Collection::Person,
        id: person.0,
    };
    let record = match store.record(key)? {
        Some(stored) => stored.record,
        None => match store.tombstone(key)? {
            Some(tombstone) => tombstone.record,
            None => return Ok(Err(Refusal::Hidden)),
        },
    };
    let actor = protocol::actor(store, user)?;
    let tree = protocol::area_tree(store)?;
    let rules = Permissions::new(&actor, &tree);
    Ok(if rules.is_admin_of(record.area) {
        Ok(record)
    } else if rules.can_read(&record) {
        Err(Refusal::NotAdmin)
    } else {
        Err(Refusal::Hidden)
    })
}

fn refused(access: Refusal) -> AppError {
    match access {
        Refusal::Hidden => AppError::NotFound,
        Refusal::NotAdmin => AppError::NotAdminOfArea,
    }
}

pub(crate) fn person_id(text: &str) -> AppResult<PersonId> {
    text.parse()
        .map(PersonId)
        .map_err(|_| AppError::bad_request(format!("{text:?} is not a person id")))
}

/// `POST /api/people/{id}/erase`: removes the person, everything about them and every
/// reference to them, for good; the reason is audited with it.
pub async fn erase(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
    ApiJson(request): ApiJson<EraseRequest>,
) -> AppResult<Json<Erased>> {
    let person = person_id(&id)?;
    let user = session.user.id;
    let now = state.clock.now();
    let answer = sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        // The lock first, as every write takes it, so the check and the erasure see one state.
        store.lock_version()?;
        let record = match person_for(store, user, person)? {
            Ok(record) => record,
            Err(access) => return Ok((Err(access), false)),
        };
        match erase_audited(store, user, &record, request.reason, now)? {
            Ok(version) => Ok((Ok(version), true)),
            Err(EraseError::NotFound) => Ok((Err(Refusal::Hidden), false)),
            Err(EraseError::NotAllowed) => Ok((Err(Refusal::NotAdmin), false)),
        }
    })
    .await?;
    answer
        .map(|version| Json(Erased { version }))
        .map_err(refused)
}

/// Erases the person `record` on behalf of `admin`, for `reason`, and audits it in the same
/// transaction (the entry names the person by id and their area, never their data).
pub(crate) fn erase_audited(
    store: &mut SqlStore<'_>,
    admin: UserId,
    record: &Record,
    reason: ErasureReason,
    now: Timestamp,
) -> Result<Result<Version, EraseError>, StoreError> {
    let person = PersonId(record.id);
    let erased = protocol::erase(store, admin, person)?;
    if erased.is_ok() {
        store.audit(&AuditEntry {
            at: now,
            actor: Some(admin),
            action: "person.erase",
            subject: Some(person.0),
            area: Some(record.area),
            detail: format!("reason: {}", reason.as_str()),
        })?;
    }
    Ok(erased)
}

/// `GET /api/people/{id}/export`: everything held about the person, as JSON.
pub async fn export(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> AppResult<Json<Export>> {
    let person = person_id(&id)?;
    let user = session.user.id;
    let now = state.clock.now();
    let answer = sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        let record = match person_for(store, user, person)? {
            Ok(record) => record,
            Err(access) => return Ok((Err(access), false)),
        };
        let key = RecordKey {
            collection: Collection::Person,
            id: person.0,
        };
        let live = store.record(key)?.map(|s| s.record);
        let mut records_about = Vec::new();
        for key in store.records_about(person)? {
            records_about.extend(store.record(key)?.map(|s| s.record));
        }
        let mut deleted = Vec::new();
        for key in store.tombstones_about(person)? {
            deleted.extend(store.tombstone(key)?.map(|t| t.record));
        }
        if live.is_none() {
            deleted.extend(store.tombstone(key)?.map(|t| t.record));
        }
        let mut mentioned_in = Vec::new();
        for key in store.records_mentioning(person.0)? {
            if let Some(stored) = store.record(key)? {
                let fields = stored
                    .record
                    .fields
                    .iter()
                    .filter(|(_, v)| v.mentions(person.0))
                    .map(|(f, _)| f.to_string())
                    .collect();
                mentioned_in.push(Mention { key, fields });
            }
        }
        let mut conflicts = Vec::new();
        let mut keys: Vec<RecordKey> = vec![key];
        keys.extend(records_about.iter().map(|r| RecordKey {
            collection: r.collection,
            id: r.id,
        }));
        for key in keys {
            conflicts.extend(
                store
                    .open_conflicts_of(key)?
                    .into_iter()
                    .map(|c| c.conflict),
            );
        }
        let audit = crate::audit::about(store, person.0)?;
        let readers = readers_of(store, &record, &records_about, &mentioned_in)?;
        let withdraw_consent = match live {
            Some(_) => Some(crate::links::consent_link(store, person, now)?),
            None => None,
        };
        store.audit(&AuditEntry {
            at: now,
            actor: Some(user),
            action: "person.export",
            subject: Some(person.0),
            area: Some(record.area),
            detail: String::new(),
        })?;
        let export = Export {
            exported_at: now,
            person: live,
            records_about,
            deleted,
            mentioned_in,
            conflicts,
            audit,
            readers,
            withdraw_consent,
        };
        Ok((Ok(export), true))
    })
    .await?;
    answer.map(Json).map_err(refused)
}

/// Who may read `person` now: every user holding a role in an area above, at or below theirs,
/// given a list that holds them or hosting a meeting they attend, kept if the permission
/// rules let them read the record.
fn readers_of(
    store: &mut SqlStore<'_>,
    person: &Record,
    about: &[Record],
    mentioned_in: &[Mention],
) -> Result<Vec<Reader>, StoreError> {
    let tree = protocol::area_tree(store)?;
    let mut candidates: BTreeSet<UserId> = store
        .users_with_roles_in(tree.related(person.area))?
        .into_iter()
        .collect();
    for mention in mentioned_in {
        if mention.key.collection == Collection::List
            && let Some(list) = store.record(mention.key)?
        {
            candidates.extend(list.record.get("assignees").ids().into_iter().map(UserId));
        }
    }
    for attendance in about
        .iter()
        .filter(|r| r.collection == Collection::Attendance)
    {
        let Some(meeting) = attendance.get_id("meeting") else {
            continue;
        };
        let key = RecordKey {
            collection: Collection::Meeting,
            id: meeting,
        };
        if let Some(host) = store.record(key)?.and_then(|m| m.record.get_id("host")) {
            candidates.insert(UserId(host));
        }
    }
    let mut readers = Vec::new();
    for user in candidates {
        let actor = protocol::actor(store, user)?;
        if !Permissions::new(&actor, &tree).can_read(person) {
            continue;
        }
        let name = store
            .record(RecordKey {
                collection: Collection::User,
                id: user.0,
            })?
            .and_then(|u| match u.record.get("name") {
                organise_core::record::Value::Text(name) => Some(name.clone()),
                _ => None,
            })
            .unwrap_or_default();
        let roles = actor
            .roles
            .iter()
            .map(|g| organise_core::session::RoleInArea {
                role: g.role,
                area: g.area,
            })
            .collect();
        readers.push(Reader { user, name, roles });
    }
    Ok(readers)
}
