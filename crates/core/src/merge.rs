//! Merging duplicate people, and taking a merge back.
//!
//! [`merge`] turns two records of one person into one without losing a field, a consent or a
//! history entry: the person kept is filled from the gone one where blank (never overwriting
//! a value they hold), their skills and tags unioned and, per consent topic, the later
//! statement taken; every record that named the gone person names the kept one; the gone
//! person is kept, pointing at the kept one (`merged_into`), for screens to hide; and a
//! [`Merge`] record says what changed. [`undo`] takes it back from that record, on any device.
//!
//! Both return ordinary [`Step`]s, which a screen makes with [`crate::change::make`] in one
//! change and which sync like any other. Two kinds of reference are the exceptions:
//!
//! - **History is append-only.** Conversations, attendances, stories, survey answers, moves on
//!   the ladder and trainings are never edited in place, by a device or by the server's push.
//!   The merge lists them in [`Merge::repointed`] and the server, committing the merge (and
//!   later its undo), turns each one its maker may read from the gone person to the kept one
//!   and back (`crate::sync::server`). A device sees them move at its next pull.
//! - **A link between the two** would name one person at both ends: it is deleted and kept
//!   whole in [`Merge::deleted_links`], and an undo makes it anew.
//!
//! Which fields name people is not listed here: every field [`Collection::reference_fields`]
//! declares as naming a person is followed, so a new collection that names people is merged
//! without a change here. Merges themselves are history and are never repointed.
//!
//! Take a merge back with [`undo`], never with [`crate::change::undo`]: a merge is kept as a
//! record, and its steps' plain undo would delete it.

use crate::change::Step;
use crate::id::{MergeId, PersonId, RecordId, Timestamp, UserId};
use crate::model::{
    ConsentTopic, DeletedLink, KeptChange, Link, MERGED_FIELDS, Merge, Person, Repointed,
};
use crate::record::{Choice, Collection, Element, Entity, Record, RefersTo, Value};
use crate::sync::{RecordKey, Replica};
use std::collections::BTreeMap;

/// Why two people cannot be merged, or a merge cannot be undone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The two are one record.
    #[error("a person cannot be merged with themselves")]
    SamePerson,
    /// The person to keep is not there (never was, deleted, or erased).
    #[error("the person to keep is no longer there")]
    KeptMissing,
    /// The person to merge away is not there (never was, deleted, or erased).
    #[error("the person to merge is no longer there")]
    GoneMissing,
    /// The person to keep has been merged into someone else: merge into that person instead.
    #[error("the person to keep has already been merged into someone else")]
    KeptMerged,
    /// The person to merge away has already been merged.
    #[error("that person has already been merged")]
    GoneMerged,
    /// The merge was undone already.
    #[error("this merge has already been undone")]
    AlreadyUndone,
    /// The people given are not the two the merge names.
    #[error("these are not the people this merge names")]
    NotThisMerge,
}

/// What a merge writes: its steps, in the order to make them, and the merge record they
/// end by creating.
#[derive(Clone, Debug, PartialEq)]
pub struct Merged {
    /// The steps, for [`crate::change::make`].
    pub steps: Vec<Step>,
    /// The merge record (the last step creates it).
    pub merge: Merge,
}

/// What an undo writes, and what it leaves as it is.
#[derive(Clone, Debug, PartialEq)]
pub struct Undone {
    /// The steps, for [`crate::change::make`]; the last marks the merge undone.
    pub steps: Vec<Step>,
    /// The kept person's fields edited since the merge, left as they are now.
    pub kept_edits: Vec<&'static str>,
    /// The repointed references a device can point back that no longer name the kept
    /// person (edited or deleted since), left as they are.
    pub left: Vec<Repointed>,
}

/// Every field of `collection` that names a person, except in merges (which are history).
fn person_fields(collection: Collection) -> impl Iterator<Item = &'static str> {
    collection
        .reference_fields()
        .iter()
        .filter(move |(_, to)| {
            collection != Collection::Merge && *to == RefersTo::Record(Collection::Person)
        })
        .map(|&(field, _)| field)
}

/// Every record `replica` shows that names `person` in a field naming people: what
/// [`merge`] needs of the person merged away.
pub fn referring(replica: &Replica, person: PersonId) -> Vec<Record> {
    let mut found = BTreeMap::new();
    for collection in Collection::ALL {
        for field in person_fields(collection) {
            for record in replica.holding(collection, field, person.0) {
                found.insert((record.collection, record.id), record);
            }
        }
    }
    found.into_values().collect()
}

/// The records a merge repointed that `replica` still shows: what [`undo`] needs.
pub fn repointed(replica: &Replica, merge: &Merge) -> Vec<Record> {
    let mut found = BTreeMap::new();
    for r in &merge.repointed {
        let key = RecordKey {
            collection: r.collection,
            id: r.record,
        };
        if let Some(record) = replica.get(key) {
            found.insert((key.collection, key.id), record);
        }
    }
    found.into_values().collect()
}

fn key_of(record: &Record) -> RecordKey {
    RecordKey {
        collection: record.collection,
        id: record.id,
    }
}

fn person_key(id: PersonId) -> RecordKey {
    RecordKey {
        collection: Collection::Person,
        id: id.0,
    }
}

fn check_pair(kept: Option<&Person>, gone: Option<&Person>) -> Result<(), Refused> {
    let kept = kept.ok_or(Refused::KeptMissing)?;
    let gone = gone.ok_or(Refused::GoneMissing)?;
    if kept.id == gone.id {
        return Err(Refused::SamePerson);
    }
    Ok(())
}

/// Merges `gone` into `kept`, as `by` at `at`: the steps that do it and the merge record.
/// `referring` holds the records that name `gone` ([`referring`] finds them on a device; any
/// others are ignored), and `mint` gives new ids (the merge's, and those a deleted link
/// would be made again under by the steps' plain undo).
///
/// Refused when the two are one person, either is missing (or erased), the person kept was
/// merged into someone else, or the person gone was merged already.
pub fn merge(
    kept: Option<&Person>,
    gone: Option<&Person>,
    referring: &[Record],
    by: UserId,
    at: Timestamp,
    mut mint: impl FnMut() -> RecordId,
) -> Result<Merged, Refused> {
    check_pair(kept, gone)?;
    let (kept, gone) = (kept.expect("checked"), gone.expect("checked"));
    if kept.merged_into.is_some() {
        return Err(Refused::KeptMerged);
    }
    if gone.merged_into.is_some() {
        return Err(Refused::GoneMerged);
    }
    let mut steps = Vec::new();
    let kept_changes = fill(kept, gone, &mut steps);
    let mut repointed = Vec::new();
    let mut deleted_links = Vec::new();
    for record in referring {
        if record.collection == Collection::Person && [kept.id.0, gone.id.0].contains(&record.id) {
            continue;
        }
        if record.collection == Collection::Link
            && let Some(link) = tie_between(record, kept.id, gone.id)
        {
            steps.push(Step::Deleted {
                record: record.clone(),
                again: mint(),
            });
            deleted_links.push(link);
            continue;
        }
        for field in person_fields(record.collection) {
            if let Some(entry) = repoint(record, field, kept.id, gone.id, &mut steps) {
                repointed.push(entry);
            }
        }
    }
    steps.push(Step::Set {
        key: person_key(gone.id),
        field: "merged_into",
        before: Value::Null,
        after: Value::Id(kept.id.0),
    });
    let merge = Merge {
        id: MergeId(mint()),
        area: kept.area,
        made_by: by,
        kept: kept.id,
        gone: gone.id,
        at,
        kept_changes,
        repointed,
        deleted_links,
        undone: None,
    }
    .normalised()
    .expect("a merge made from two valid people is valid");
    steps.push(Step::Created(merge.to_record()));
    Ok(Merged { steps, merge })
}

/// Fills `kept` from `gone`: blanks filled, sets unioned, later consents taken. Pushes the
/// steps and returns what changed, field by field.
fn fill(kept: &Person, gone: &Person, steps: &mut Vec<Step>) -> Vec<KeptChange> {
    let (k, g) = (kept.to_record(), gone.to_record());
    let key = person_key(kept.id);
    let mut changes = Vec::new();
    for field in MERGED_FIELDS {
        let (before, theirs) = (k.get(field), g.get(field));
        let after = match (before, theirs) {
            (_, Value::Null) => continue,
            (Value::Null, _) => theirs.clone(),
            (Value::Texts(mine), Value::Texts(other)) => {
                let added: Vec<&String> = other.difference(mine).collect();
                if added.is_empty() {
                    continue;
                }
                for element in &added {
                    steps.push(Step::Added {
                        key,
                        field,
                        element: Element::Text((*element).clone()),
                    });
                }
                changes.push(KeptChange {
                    field,
                    before: before.clone(),
                    after: Value::Texts(mine.union(other).cloned().collect()),
                });
                continue;
            }
            _ => {
                // Both hold a value: only a consent can change, to the later statement.
                let topic = ConsentTopic::ALL.iter().find(|t| t.field() == field);
                let later = topic.is_some_and(|t| {
                    matches!((kept.consents.get(t), gone.consents.get(t)), (Some(mine), Some(other)) if other.at > mine.at)
                });
                if !later {
                    continue;
                }
                theirs.clone()
            }
        };
        steps.push(Step::Set {
            key,
            field,
            before: before.clone(),
            after: after.clone(),
        });
        changes.push(KeptChange {
            field,
            before: before.clone(),
            after,
        });
    }
    changes
}

/// A link tying the two people, which a merge would leave naming one at both ends.
fn tie_between(record: &Record, kept: PersonId, gone: PersonId) -> Option<DeletedLink> {
    let link = Link::read(record).ok()?;
    let other = link.other?;
    let ends = [link.person, other];
    (ends.contains(&kept) && ends.contains(&gone)).then_some(DeletedLink {
        id: record.id,
        person: link.person,
        other,
        kind: link.kind,
        role: link.role,
    })
}

/// Turns `record`'s `field` from `gone` to `kept`, if it names `gone`: a step for a record
/// edited in place, none for history (the server follows the merge), and the entry either
/// way.
fn repoint(
    record: &Record,
    field: &'static str,
    kept: PersonId,
    gone: PersonId,
    steps: &mut Vec<Step>,
) -> Option<Repointed> {
    let key = key_of(record);
    let entry = |kept_already| Repointed {
        collection: record.collection,
        record: record.id,
        field,
        kept_already,
    };
    match record.get(field) {
        Value::Id(id) if *id == gone.0 => {
            if !record.collection.is_append_only() {
                steps.push(Step::Set {
                    key,
                    field,
                    before: Value::Id(gone.0),
                    after: Value::Id(kept.0),
                });
            }
            Some(entry(false))
        }
        Value::Ids(ids) if ids.contains(&gone.0) => {
            let kept_already = ids.contains(&kept.0);
            steps.push(Step::Removed {
                key,
                field,
                element: Element::Id(gone.0),
            });
            if !kept_already {
                steps.push(Step::Added {
                    key,
                    field,
                    element: Element::Id(kept.0),
                });
            }
            Some(entry(kept_already))
        }
        _ => None,
    }
}

/// Takes `merge` back, as `by` at `at`: the steps that do it, and what they leave as it is.
/// `kept` and `gone` are the two people as they are now, `current` the records the merge
/// repointed ([`repointed`] finds them on a device; any others are ignored), and `mint`
/// gives the ids of the links made anew.
///
/// The gone person no longer points at the kept one; every reference the merge turned that
/// still names the kept person names the gone one again (the server turns back the history
/// it turned); the kept person's fields go back where they still hold what the merge put
/// there (an edit since is kept, and reported); the links it deleted are made anew; and the
/// merge is marked undone. A consent the merge replaced by a later statement is cleared
/// before the kept person's own is put back: the server keeps a later answer over an older
/// one, and the later one was never this person's.
pub fn undo(
    merge: &Merge,
    kept: Option<&Person>,
    gone: Option<&Person>,
    current: &[Record],
    by: UserId,
    at: Timestamp,
    mut mint: impl FnMut() -> RecordId,
) -> Result<Undone, Refused> {
    if merge.undone.is_some() {
        return Err(Refused::AlreadyUndone);
    }
    check_pair(kept, gone)?;
    let (kept, gone) = (kept.expect("checked"), gone.expect("checked"));
    if kept.id != merge.kept || gone.id != merge.gone {
        return Err(Refused::NotThisMerge);
    }
    let mut steps = Vec::new();
    let mut kept_edits = Vec::new();
    let now = kept.to_record();
    let key = person_key(kept.id);
    for change in &merge.kept_changes {
        let held = now.get(change.field);
        match (&change.before, &change.after) {
            (before, Value::Texts(after)) => {
                let before = match before {
                    Value::Texts(before) => before.clone(),
                    _ => Default::default(),
                };
                let Value::Texts(held) = held else { continue };
                for element in after.difference(&before).filter(|e| held.contains(*e)) {
                    steps.push(Step::Removed {
                        key,
                        field: change.field,
                        element: Element::Text(element.clone()),
                    });
                }
            }
            _ if held != &change.after => kept_edits.push(change.field),
            (Value::Map(_), Value::Map(_)) => {
                steps.push(Step::Set {
                    key,
                    field: change.field,
                    before: change.after.clone(),
                    after: Value::Null,
                });
                steps.push(Step::Set {
                    key,
                    field: change.field,
                    before: Value::Null,
                    after: change.before.clone(),
                });
            }
            _ => steps.push(Step::Set {
                key,
                field: change.field,
                before: change.after.clone(),
                after: change.before.clone(),
            }),
        }
    }
    let records: BTreeMap<(Collection, RecordId), &Record> =
        current.iter().map(|r| ((r.collection, r.id), r)).collect();
    let mut left = Vec::new();
    for entry in &merge.repointed {
        if entry.collection.is_append_only() {
            continue;
        }
        let Some(record) = records.get(&(entry.collection, entry.record)) else {
            left.push(*entry);
            continue;
        };
        let key = key_of(record);
        let field = entry.field;
        match record.get(field) {
            Value::Id(id) if *id == kept.id.0 => steps.push(Step::Set {
                key,
                field,
                before: Value::Id(kept.id.0),
                after: Value::Id(gone.id.0),
            }),
            Value::Ids(ids) if ids.contains(&kept.id.0) => {
                if !ids.contains(&gone.id.0) {
                    steps.push(Step::Added {
                        key,
                        field,
                        element: Element::Id(gone.id.0),
                    });
                }
                if !entry.kept_already {
                    steps.push(Step::Removed {
                        key,
                        field,
                        element: Element::Id(kept.id.0),
                    });
                }
            }
            _ => left.push(*entry),
        }
    }
    for link in &merge.deleted_links {
        let area = if link.person == kept.id {
            kept.area
        } else {
            gone.area
        };
        let made = Link {
            id: mint().into(),
            area,
            created_by: by,
            person: link.person,
            organisation: None,
            other: Some(link.other),
            kind: link.kind,
            role: link.role.clone(),
        };
        steps.push(Step::Created(made.to_record()));
    }
    if gone.merged_into == Some(kept.id) {
        steps.push(Step::Set {
            key: person_key(gone.id),
            field: "merged_into",
            before: Value::Id(kept.id.0),
            after: Value::Null,
        });
    }
    steps.push(Step::Set {
        key: RecordKey {
            collection: Collection::Merge,
            id: merge.id.0,
        },
        field: "undone",
        before: Value::Null,
        after: Value::Time(at),
    });
    Ok(Undone {
        steps,
        kept_edits,
        left,
    })
}
