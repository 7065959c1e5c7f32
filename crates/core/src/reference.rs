//! The reference rule: a record may hold an id only in a field declared to hold one, and
//! every id it is given must name something its writer may see.
//!
//! References are doors. A list's members, a meeting's attendees and the people a user
//! created decide what a volunteer or host may see ([`crate::permission::Actor`]), so an id
//! written into one of them hands its target to whoever the list or meeting reaches. The rule
//! is therefore checked on the ids a mutation *writes*, against what the writer may see
//! *before* it: nobody can reach, or hand anyone else, a record they could not see
//! themselves. Further rules keep records about someone where that someone is, and merges
//! with those who organise both people:
//!
//! - a conversation, story, survey answer, one-to-one, move on the ladder, link on the
//!   community map or training sits in the area of the person it is about, an attendance in
//!   the area of its meeting, a campaign's action in the area of its campaign and a weekly
//!   target in its organiser's home area, so it is read by those who look after them;
//! - a conversation's `by` is whoever sends it: authorship cannot be forged;
//! - the two people of a merge, whom a person is merged into and whom they are set apart from
//!   as not the same person must be in areas the writer organises, as merging is organisers'
//!   work.
//!
//! Handing something over counts as writing what it reaches: whoever gives a list to someone
//! must see its members, and whoever makes someone a meeting's host must see its attendees
//! ([`handed_over`]).
//!
//! Hidden and missing targets get the same answer ([`Problem::UnknownReference`]), so ids
//! cannot be probed. A deleted target the writer could see still counts (an offline phone
//! may record a conversation from a list deleted meanwhile); an erased one never does (the
//! server refuses any mutation naming an erased id first).

use crate::id::RecordId;
use crate::order;
use crate::permission::{Denied, Permissions};
use crate::record::{Collection, FieldName, Record, RefersTo, Value};
use crate::sync::wire::{RecordKey, Rejection};
use crate::validate::{FieldProblem, Problem};
use std::collections::BTreeMap;

/// One id a mutation writes into a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Reference {
    /// The field it is written into.
    pub field: &'static str,
    /// The record it names.
    pub target: RecordKey,
}

/// What a mutation writes, as far as references go.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Writes<'a> {
    /// A whole new record.
    Record,
    /// One field's new value (a field set, or a conflict resolved).
    Field(&'a str),
    /// One element added to a set of ids.
    Element {
        /// The set field.
        field: &'a str,
        /// The id added.
        id: RecordId,
    },
}

/// The ids a mutation that [`Writes`] this writes into `after` (the record as the mutation
/// leaves it). An id in a field that may not hold ids is a problem with that field.
pub fn written(writes: Writes<'_>, after: &Record) -> Result<Vec<Reference>, Vec<FieldProblem>> {
    let collection = after.collection;
    let mut references = Vec::new();
    let mut problems = Vec::new();
    let mut add = |field: &str, ids: Vec<RecordId>| {
        if ids.is_empty() || field == FieldName::AREA {
            return;
        }
        match collection
            .reference_fields()
            .iter()
            .find(|(name, _)| *name == field)
        {
            Some(&(name, RefersTo::Record(target))) => {
                references.extend(ids.into_iter().map(|id| Reference {
                    field: name,
                    target: RecordKey {
                        collection: target,
                        id,
                    },
                }));
            }
            Some((_, RefersTo::Nothing)) => {}
            None => problems.push(FieldProblem::new(field, Problem::UnknownReference)),
        }
    };
    match writes {
        Writes::Record => {
            for (field, value) in &after.fields {
                add(field.as_str(), value.ids());
            }
        }
        Writes::Field(field) => add(field, after.get(field).ids()),
        Writes::Element { field, id } => add(field, vec![id]),
    }
    if problems.is_empty() {
        order::sort(&mut references);
        references.dedup();
        Ok(references)
    } else {
        Err(problems)
    }
}

/// The people a mutation hands over with what it writes. Giving a list to someone (a new
/// assignee) hands them every member, so whoever gives it must see every member too; the
/// members are checked as if written again. (Making someone a meeting's host hands them its
/// attendees, which the meeting does not hold: the server adds those from its store.)
pub fn handed_over(after: &Record, references: &[Reference]) -> Vec<Reference> {
    let gives_list =
        after.collection == Collection::List && references.iter().any(|r| r.field == "assignees");
    if !gives_list {
        return Vec::new();
    }
    after
        .get("members")
        .ids()
        .into_iter()
        .map(|id| Reference {
            field: "members",
            target: RecordKey {
                collection: Collection::Person,
                id,
            },
        })
        .collect()
}

/// Checks the ids a mutation writes into `after` against what `rules`' actor may see.
/// `targets` holds what the store has of each referenced record (live, or what is left of it
/// after a delete); a target it lacks does not exist. `creating` says whether `after` is new,
/// when its area must also be that of what it is about.
pub fn check(
    rules: &Permissions<'_>,
    creating: bool,
    after: &Record,
    references: &[Reference],
    targets: &BTreeMap<RecordKey, Record>,
) -> Result<(), Rejection> {
    let mut problems = Vec::new();
    for reference in references {
        let seen = targets
            .get(&reference.target)
            .filter(|target| rules.can_read(target));
        let Some(target) = seen else {
            problems.push(FieldProblem::new(
                reference.field,
                Problem::UnknownReference,
            ));
            continue;
        };
        if organised_only(after.collection, reference.field) && !rules.is_organiser_of(target.area)
        {
            return Err(Rejection::Unauthorised {
                reason: Denied::OrganiserOnly,
            });
        }
        if reference.field == "by"
            && after.collection == Collection::Conversation
            && reference.target.id != rules.actor.user.0
        {
            return Err(Rejection::Unauthorised {
                reason: Denied::NotTheAuthor,
            });
        }
        // A retired rung is kept for the moves that name it and offered for no new one.
        if creating
            && after.collection == Collection::LadderMove
            && reference.field == "rung"
            && *target.get("retired") == Value::Bool(true)
        {
            problems.push(FieldProblem::new("rung", Problem::Retired));
        }
        if creating
            && let Some(other) = home_of(after.collection, reference.field)
            && target.area != after.area
        {
            problems.push(FieldProblem::new(
                FieldName::AREA,
                Problem::AreaMismatch {
                    other: other.into(),
                },
            ));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Rejection::Invalid { problems })
    }
}

/// For a record that must sit in the area of what one of its references names, what that
/// is, in words: a conversation, story, survey answer, one-to-one, move on the ladder, link
/// or training is filed where its person is; an attendance where its meeting is; a campaign's
/// action where its campaign is; a weekly target where its organiser's account is.
fn home_of(collection: Collection, field: &str) -> Option<&'static str> {
    match (collection, field) {
        (Collection::Attendance, "meeting") => Some("meeting"),
        (Collection::CampaignAction, "campaign") => Some("campaign"),
        (Collection::WeeklyTarget, "organiser") => Some("organiser"),
        (Collection::Attendance, _) => None,
        (c, f) if c.person_field() == Some(f) => Some("person"),
        _ => None,
    }
}

/// Whether `field` of `collection` may name only a person in an area the writer organises,
/// not merely one they see: the two people of a merge, whom a person is merged into, and
/// whom they are set apart from as not the same person.
/// Seeing someone (a volunteer's list, a person one created) is not authority over them.
fn organised_only(collection: Collection, field: &str) -> bool {
    matches!(
        (collection, field),
        (Collection::Merge, "kept" | "gone") | (Collection::Person, "merged_into" | "not_same_as")
    )
}
