//! Record schema versions: which ones the server accepts, and the pure function that brings
//! an older mutation up to the current schema.
//!
//! A phone can stay offline, on an old build of the app, for weeks. Its mutations carry the
//! schema they were written against; the server upgrades those it can and rejects the rest
//! with [`Rejection::UnsupportedSchema`], which the client shows in its rejected list. A
//! mutation is never dropped for being old.

use std::borrow::Cow;

use crate::sync::wire::{Mutation, Rejection, SchemaVersion};

/// The schema this build writes.
pub const CURRENT: SchemaVersion = SchemaVersion(1);

/// The oldest schema the server still upgrades. Raise it only when no supported app build
/// writes anything older.
pub const OLDEST_SUPPORTED: SchemaVersion = SchemaVersion(1);

/// Brings `mutation` up to [`CURRENT`], or rejects it.
///
/// Each schema change adds one step here, from version `n` to `n + 1` (renaming a field,
/// splitting a value), and bumps [`CURRENT`]; steps run in turn, so any supported version
/// reaches the current one. Schema 1 is the first, so there are no steps yet.
///
/// A mutation already at [`CURRENT`], nearly every one, is borrowed rather than copied.
pub fn upgrade(mutation: &Mutation) -> Result<Cow<'_, Mutation>, Rejection> {
    let got = mutation.schema_version;
    if got < OLDEST_SUPPORTED || got > CURRENT {
        return Err(Rejection::UnsupportedSchema {
            got,
            min: OLDEST_SUPPORTED,
            max: CURRENT,
        });
    }
    // Future steps go here, each on the owned copy:
    // `if mutation.schema_version == SchemaVersion(1) { let mut m = mutation.into_owned(); … }`.
    Ok(Cow::Borrowed(mutation))
}
