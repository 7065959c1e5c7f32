//! Accounts: a sign-in row (email and password hash, never synced) created in one transaction
//! with the user's `user` record and first `role_assignment` record, which the permission
//! rules and every device read.
//!
//! An email is normalised in one place, [`normalise_email`], by everything that stores or looks
//! one up: sign-in, `create-admin`, invitations and [`create`] itself.

use organise_core::area::Area;
use organise_core::id::{AreaId, RoleAssignmentId, UserId};
use organise_core::model::{Role, RoleAssignment, User};
use organise_core::record::Entity;
use organise_core::sync::server::{self as protocol, ServerStore};
use organise_core::validate::Problem;

use crate::Timestamp;
use crate::sync_store::{SqlStore, StoreError};

/// The creator of what the organisation's setup makes rather than a user (the country and its
/// regions, the first admin): the nil id, which no user can have.
pub const SETUP: UserId = UserId(organise_core::id::RecordId::from_u128(0));

/// The longest email accepted, in bytes (RFC 5321's limit on a path).
pub const MAX_EMAIL_BYTES: usize = 254;

/// An account's email as it is stored and looked up: without surrounding spaces, checked for
/// shape, and lower-cased whole, so `Alex@Example.org` and `alex@example.org` are one account.
/// (Core's `normalise_email` keeps the local part's case, as mail servers may; sign-in must not.)
pub fn normalise_email(email: &str) -> Result<String, Problem> {
    let email = email.trim();
    if email.len() > MAX_EMAIL_BYTES {
        return Err(Problem::TooLong {
            max: MAX_EMAIL_BYTES,
        });
    }
    organise_core::validate::normalise_email(email).map(|email| email.to_lowercase())
}

/// A new account.
#[derive(Clone, Debug)]
pub struct NewAccount {
    /// Its id.
    pub id: UserId,
    /// Its first role's id.
    pub role_id: RoleAssignmentId,
    /// The sign-in email ([`create`] normalises it).
    pub email: String,
    /// The name shown to others.
    pub name: String,
    /// The Argon2id hash of the password.
    pub password_hash: String,
    /// The first role.
    pub role: Role,
    /// Where the role applies (also the user's home area).
    pub area: AreaId,
    /// Who created it ([`SETUP`] for the command line).
    pub created_by: UserId,
}

/// Why an account was not created.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AccountRefused {
    /// The email already signs in to an account.
    #[error("an account with this email already exists")]
    EmailTaken,
    /// The email is not an email address, or too long.
    #[error("the email {0}")]
    BadEmail(Problem),
}

/// Creates `account` inside the caller's write transaction (which must commit for it to
/// exist).
pub fn create(
    store: &mut SqlStore<'_>,
    now: Timestamp,
    account: &NewAccount,
) -> Result<Result<(), AccountRefused>, StoreError> {
    let email = match normalise_email(&account.email) {
        Ok(email) => email,
        Err(problem) => return Ok(Err(AccountRefused::BadEmail(problem))),
    };
    let account = &NewAccount {
        email,
        ..account.clone()
    };
    // The version lock first, as every sync write takes it, so writers queue in one order.
    store.lock_version()?;
    if id_by_email(store, &account.email)?.is_some() {
        return Ok(Err(AccountRefused::EmailTaken));
    }
    store.execute(
        sqlx::query(
            "INSERT INTO users (id, email, display_name, password_hash, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(account.id.to_string())
        .bind(account.email.clone())
        .bind(account.name.clone())
        .bind(account.password_hash.clone())
        .bind(now.0),
    )?;
    seed_profile(store, account)?;
    Ok(Ok(()))
}

/// Stores the account's `user` record and its first role (for an account whose sign-in row
/// exists), in the caller's transaction.
pub fn seed_profile(store: &mut SqlStore<'_>, account: &NewAccount) -> Result<(), StoreError> {
    let user = User {
        id: account.id,
        area: account.area,
        created_by: account.created_by,
        name: account.name.clone(),
        email: account.email.clone(),
        person: None,
    };
    let role = RoleAssignment {
        id: account.role_id,
        area: account.area,
        created_by: account.created_by,
        user: account.id,
        role: account.role,
    };
    protocol::seed(store, [user.to_record(), role.to_record()])?;
    Ok(())
}

/// The id of the account that signs in with `email` (normalised here), if there is one.
pub fn id_by_email(store: &mut SqlStore<'_>, email: &str) -> Result<Option<UserId>, StoreError> {
    let Ok(email) = normalise_email(email) else {
        return Ok(None);
    };
    store
        .optional(sqlx::query("SELECT id FROM users WHERE email = $1").bind(email))?
        .map(|row| {
            let id: String = sqlx::Row::try_get(&row, "id")?;
            id.parse().map(UserId).map_err(|_| StoreError::Corrupt {
                what: "user id",
                detail: id,
            })
        })
        .transpose()
}

/// The live areas, read from their records.
pub fn areas(store: &mut SqlStore<'_>) -> Result<Vec<Area>, StoreError> {
    Ok(store
        .area_records()?
        .iter()
        .filter_map(|record| Area::read(record).ok())
        .collect())
}
