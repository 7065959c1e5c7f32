//! The organisation's retention rule (core's `retention`), its review and the erasures it
//! leads to. A national admin (an admin of the country) sets or removes the rule; any admin
//! reads it, reviews whom it catches in the areas they administer, and erases them in one
//! action, each erasure audited with the reason `retention`. The rule never erases anyone by
//! itself, and every erasure checks again, in its own transaction, that the rule still
//! catches the person and that the caller is an admin of their area.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::State;
use organise_core::area::AreaKind;
use organise_core::erasure::ErasureReason;
use organise_core::id::{AreaId, PersonId, UserId};
use organise_core::model::Person;
use organise_core::permission::Permissions;
use organise_core::record::{Collection, Entity, Record};
use organise_core::retention::{
    self, Caught, MAX_MONTHS, MIN_MONTHS, RetentionErase, RetentionErased, RetentionReview,
    RetentionRule, SetRetention,
};
use organise_core::sync::server::{self as protocol, ServerStore};
use organise_core::sync::wire::RecordKey;
use organise_core::validate::{FieldProblem, Problem};
use sqlx::Row;

use crate::audit::AuditEntry;
use crate::auth::Session;
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::people::erase_audited;
use crate::sync_store::{self, Access, SqlStore, StoreError};
use crate::{AppState, Timestamp, accounts};

/// The rule, if one is set.
pub fn rule(store: &mut SqlStore<'_>) -> Result<Option<RetentionRule>, StoreError> {
    let Some(row) = store.optional(sqlx::query(
        "SELECT months, set_by, set_at FROM retention_rule",
    ))?
    else {
        return Ok(None);
    };
    let months: i64 = row.try_get("months")?;
    let set_by: String = row.try_get("set_by")?;
    Ok(Some(RetentionRule {
        months: u32::try_from(months).unwrap_or(MAX_MONTHS),
        set_by: UserId(set_by.parse().map_err(|_| StoreError::Corrupt {
            what: "retention rule",
            detail: "set_by".into(),
        })?),
        set_at: Timestamp(row.try_get("set_at")?),
    }))
}

/// The areas `user` administers (each of them and every area within it), and whether one
/// of them is the country.
fn administered(store: &mut SqlStore<'_>, user: UserId) -> Result<(Vec<AreaId>, bool), StoreError> {
    let actor = protocol::actor(store, user)?;
    let tree = protocol::area_tree(store)?;
    let rules = Permissions::new(&actor, &tree);
    let areas = accounts::areas(store)?;
    let national = areas
        .iter()
        .any(|a| a.kind == AreaKind::Country && rules.is_admin_of(a.id));
    Ok((
        areas
            .iter()
            .map(|a| a.id)
            .filter(|&a| rules.is_admin_of(a))
            .collect(),
        national,
    ))
}

/// `GET /api/retention`: the rule, for admins.
pub async fn show(
    State(state): State<AppState>,
    session: Session,
) -> AppResult<Json<Option<RetentionRule>>> {
    let user = session.user.id;
    sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let (areas, _) = administered(store, user)?;
        if areas.is_empty() {
            return Ok((Err(AppError::Forbidden), false));
        }
        Ok((Ok(rule(store)?), false))
    })
    .await?
    .map(Json)
}

/// `PUT /api/retention`: sets the rule's period, or removes the rule; national admins only.
pub async fn set(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<SetRetention>,
) -> AppResult<Json<Option<RetentionRule>>> {
    if let Some(months) = request.months
        && !(MIN_MONTHS..=MAX_MONTHS).contains(&months)
    {
        return Err(AppError::BadRequest {
            message: format!("the rule's period must be {MIN_MONTHS} to {MAX_MONTHS} months"),
            fields: vec![FieldProblem::new(
                "months",
                Problem::OutOfRange {
                    min: MIN_MONTHS.into(),
                    max: MAX_MONTHS.into(),
                },
            )],
        });
    }
    let user = session.user.id;
    let now = state.clock.now();
    sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        let (_, national) = administered(store, user)?;
        if !national {
            return Ok((Err(AppError::Forbidden), false));
        }
        store.execute(sqlx::query("DELETE FROM retention_rule"))?;
        if let Some(months) = request.months {
            store.execute(
                sqlx::query(
                    "INSERT INTO retention_rule (id, months, set_by, set_at) \
                     VALUES (1, $1, $2, $3)",
                )
                .bind(i64::from(months))
                .bind(user.to_string())
                .bind(now.0),
            )?;
        }
        store.audit(&AuditEntry {
            at: now,
            actor: Some(user),
            action: "retention.rule",
            subject: None,
            area: None,
            detail: match request.months {
                Some(months) => format!("months: {months}"),
                None => "no rule".into(),
            },
        })?;
        Ok((Ok(rule(store)?), true))
    })
    .await?
    .map(Json)
}

/// Whether `rule` catches `person` now, reading what counts as contact with them; people
/// with an account are never caught.
fn caught(
    store: &mut SqlStore<'_>,
    rule: &RetentionRule,
    person: &Person,
    now: Timestamp,
) -> Result<Option<Timestamp>, StoreError> {
    // The cheap test first: most people are kept by a consent or recent making.
    let own = retention::last_contact(person, []);
    if !retention::catches(rule, person, own, now) {
        return Ok(None);
    }
    let about: Vec<_> = store
        .records_about(person.id)?
        .into_iter()
        .map(|key| key.id)
        .collect();
    let last = retention::last_contact(person, about);
    if !retention::catches(rule, person, last, now) {
        return Ok(None);
    }
    let has_account = store
        .records_mentioning(person.id.0)?
        .iter()
        .any(|key| key.collection == Collection::User);
    Ok(if has_account { None } else { last })
}

/// `GET /api/retention/review`: whom the rule catches in the caller's areas, for admins.
pub async fn review(
    State(state): State<AppState>,
    session: Session,
) -> AppResult<Json<RetentionReview>> {
    let user = session.user.id;
    let now = state.clock.now();
    sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let (areas, national) = administered(store, user)?;
        if areas.is_empty() {
            return Ok((Err(AppError::Forbidden), false));
        }
        let rule = rule(store)?;
        let mut caught_people = Vec::new();
        if let Some(rule) = &rule {
            for record in store.records_in_areas(Collection::Person, &areas)? {
                let Ok(person) = Person::read(&record) else {
                    continue;
                };
                if let Some(last_contact) = caught(store, rule, &person, now)? {
                    caught_people.push(Caught {
                        person: person.id,
                        name: person.name,
                        area: person.area,
                        last_contact,
                    });
                }
            }
        }
        caught_people.sort_by_key(|c| (c.area, c.last_contact, c.person));
        Ok((
            Ok(RetentionReview {
                rule,
                may_set: national,
                as_of: now,
                caught: caught_people,
            }),
            false,
        ))
    })
    .await?
    .map(Json)
}

/// `POST /api/retention/erase`: erases (or, in a dry run, counts) those of the people asked
/// for whom the rule still catches and the caller administers; each erasure audited as
/// retention, all in one transaction.
pub async fn erase(
    State(state): State<AppState>,
    session: Session,
    ApiJson(request): ApiJson<RetentionErase>,
) -> AppResult<Json<RetentionErased>> {
    let user = session.user.id;
    let now = state.clock.now();
    let access = if request.dry_run {
        Access::Read
    } else {
        Access::Write
    };
    sync_store::run(&state.db, &state.trees, access, move |store| {
        if !request.dry_run {
            store.lock_version()?;
        }
        let (areas, _) = administered(store, user)?;
        if areas.is_empty() {
            return Ok((Err(AppError::Forbidden), false));
        }
        let Some(rule) = rule(store)? else {
            return Ok((
                Err(AppError::bad_request(
                    "there is no retention rule: a national admin sets one first",
                )),
                false,
            ));
        };
        let administered: BTreeSet<AreaId> = areas.into_iter().collect();
        let asked: BTreeSet<PersonId> = request.people.iter().copied().collect();
        let mut erased = Vec::new();
        for &person in &asked {
            let key = RecordKey {
                collection: Collection::Person,
                id: person.0,
            };
            let Some(record) = store.record(key)?.map(|s| s.record) else {
                continue;
            };
            if !administered.contains(&record.area) || !still_caught(store, &rule, &record, now)? {
                continue;
            }
            if !request.dry_run
                && erase_audited(store, user, &record, ErasureReason::Retention, now)?.is_err()
            {
                continue;
            }
            erased.push(person);
        }
        let left = asked.len() - erased.len();
        Ok((
            Ok(RetentionErased {
                dry_run: request.dry_run,
                erased,
                left,
            }),
            !request.dry_run,
        ))
    })
    .await?
    .map(Json)
}

fn still_caught(
    store: &mut SqlStore<'_>,
    rule: &RetentionRule,
    record: &Record,
    now: Timestamp,
) -> Result<bool, StoreError> {
    Ok(match Person::read(record) {
        Ok(person) => caught(store, rule, &person, now)?.is_some(),
        Err(_) => false,
    })
}
