//! The organisation's retention rule: personal data is not kept for ever. A national admin
//! sets one rule for the whole organisation ("people with no consent to be contacted and no
//! contact for 24 months"); each admin reviews whom it catches in their areas and erases them
//! in one action, audited as retention. The rule itself never erases anyone.
//!
//! *Contact* is anything that says we were in touch with them: their record being made, a
//! record about them (a conversation, an attendance, a story, a survey answer) being made,
//! or a consent they gave or refused. Editing their record does not count: tidying an address
//! is not being in touch. People with an account are never caught: they are members of the
//! organisation, not people it reached.

use serde::{Deserialize, Serialize};

use crate::id::{AreaId, PersonId, RecordId, Timestamp, UserId};
use crate::model::{ConsentTopic, Person};

/// The shortest period a rule may set, in months.
pub const MIN_MONTHS: u32 = 6;
/// The longest period a rule may set, in months.
pub const MAX_MONTHS: u32 = 120;
/// The period a new rule is offered with.
pub const SUGGESTED_MONTHS: u32 = 24;

/// A month, as the rule counts them: a twelfth of a year of 365.25 days.
const MONTH_MS: i64 = 2_629_800_000;

/// Consents that keep someone, while given: we may contact them.
pub const KEEPING: [ConsentTopic; 4] = [
    ConsentTopic::Contact,
    ConsentTopic::Email,
    ConsentTopic::Sms,
    ConsentTopic::Phone,
];

/// The rule as set (`GET /api/retention`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetentionRule {
    /// People with no contact for this many months are caught, unless they consented to be
    /// contacted.
    pub months: u32,
    /// The national admin who set it.
    pub set_by: UserId,
    /// When.
    pub set_at: Timestamp,
}

impl RetentionRule {
    /// The time before which the last contact must be for someone to be caught at `now`.
    pub fn cutoff(&self, now: Timestamp) -> Timestamp {
        Timestamp(now.0 - i64::from(self.months) * MONTH_MS)
    }
}

/// `PUT /api/retention`: the rule's period, or none to have no rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SetRetention {
    /// Months without contact, from [`MIN_MONTHS`] to [`MAX_MONTHS`]; `null` removes the rule.
    pub months: Option<u32>,
}

/// `GET /api/retention/review`: whom the rule catches in the caller's areas.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetentionReview {
    /// The rule (none set: nobody is caught).
    pub rule: Option<RetentionRule>,
    /// Whether the caller may set the rule (an admin of the country).
    pub may_set: bool,
    /// When the review was made.
    pub as_of: Timestamp,
    /// Everyone caught, by area, then longest without contact first.
    pub caught: Vec<Caught>,
}

/// Someone the rule catches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Caught {
    /// Who.
    pub person: PersonId,
    /// Their name, for the admin reviewing.
    pub name: String,
    /// Their area.
    pub area: AreaId,
    /// The last contact with them.
    pub last_contact: Timestamp,
}

/// `POST /api/retention/erase`: the people to erase (those the review listed and the admin
/// kept chosen), or only to count (`dry_run`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RetentionErase {
    /// Who.
    pub people: Vec<PersonId>,
    /// Count who would be erased, and erase nobody.
    pub dry_run: bool,
}

/// What a retention erasure did, or would do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetentionErased {
    /// Whether this was only a count.
    pub dry_run: bool,
    /// Who was (or would be) erased: those asked for whom the rule still catches.
    pub erased: Vec<PersonId>,
    /// How many asked for were left alone: no longer caught (contacted, or consenting, since
    /// the review), already gone, or outside the caller's areas.
    pub left: usize,
}

/// The last contact with `person`, given the ids of the records about them: the latest of
/// their record's making, those records' making and their consents' answers. `None` when
/// nothing gives a time (ids that are not UUIDv7 and no consent).
pub fn last_contact(
    person: &Person,
    about: impl IntoIterator<Item = RecordId>,
) -> Option<Timestamp> {
    person
        .id
        .0
        .minted_at()
        .into_iter()
        .chain(about.into_iter().filter_map(RecordId::minted_at))
        .chain(person.consents.values().map(|c| c.at))
        .max()
}

/// Whether `rule` catches `person`, whose last contact was `last_contact`, at `now`: no
/// consent to be contacted and no contact since the rule's cutoff. Someone whose last
/// contact is unknown is not caught: nobody is erased on a guess.
pub fn catches(
    rule: &RetentionRule,
    person: &Person,
    last_contact: Option<Timestamp>,
    now: Timestamp,
) -> bool {
    let consenting = KEEPING.iter().any(|&topic| person.has_consent(topic));
    !consenting && last_contact.is_some_and(|at| at < rule.cutoff(now))
}
