//! A change to the replica as a list of [`Step`]s, each with what takes it back: a save at a
//! door is made as one change, and its undo takes the steps back in one change.
//!
//! The steps are plain data, so the rules that build them (a conversation draft, a list's
//! setup) are tested natively; the client only hands them to its store in one transaction.

use crate::id::RecordId;
use crate::record::{Element, Record, Value};
use crate::sync::{LocalRefusal, RecordKey, Replica, Seq};

/// One mutation a save makes, with what takes it back.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// A record created: undone by deleting it.
    Created(Record),
    /// A field set: undone by putting back the value it held.
    Set {
        /// The record.
        key: RecordKey,
        /// The field.
        field: &'static str,
        /// What it held before.
        before: Value,
        /// What it holds now.
        after: Value,
    },
    /// An element added to a set: undone by taking it out.
    Added {
        /// The record.
        key: RecordKey,
        /// The set field.
        field: &'static str,
        /// The element.
        element: Element,
    },
    /// An element taken out of a set: undone by adding it back.
    Removed {
        /// The record.
        key: RecordKey,
        /// The set field.
        field: &'static str,
        /// The element.
        element: Element,
    },
    /// A record deleted (a link a merge would leave naming one person at both ends): undone
    /// by making it again under `again`, as a deleted record's id is never used again.
    Deleted {
        /// The record as it was.
        record: Record,
        /// The id it is made again under, if the step is undone.
        again: RecordId,
    },
}

impl Step {
    /// Makes the mutation.
    pub fn make(&self, replica: &mut Replica) -> Result<Seq, LocalRefusal> {
        match self {
            Step::Created(record) => replica.create(record),
            Step::Set {
                key, field, after, ..
            } => replica.set_field(*key, field, after.clone()),
            Step::Added {
                key,
                field,
                element,
            } => replica.add_to_set(*key, field, element.clone()),
            Step::Removed {
                key,
                field,
                element,
            } => replica.remove_from_set(*key, field, element.clone()),
            Step::Deleted { record, .. } => replica.delete(RecordKey {
                collection: record.collection,
                id: record.id,
            }),
        }
    }

    /// Takes the mutation back. One already overtaken (its record gone) needs no undoing, so
    /// a refusal here is no failure.
    pub fn undo(&self, replica: &mut Replica) {
        let _ = match self {
            Step::Created(record) => replica.delete(RecordKey {
                collection: record.collection,
                id: record.id,
            }),
            Step::Set {
                key, field, before, ..
            } => replica.set_field(*key, field, before.clone()),
            Step::Added {
                key,
                field,
                element,
            } => replica.remove_from_set(*key, field, element.clone()),
            Step::Removed {
                key,
                field,
                element,
            } => replica.add_to_set(*key, field, element.clone()),
            Step::Deleted { record, again } => replica.create(&Record {
                id: *again,
                ..record.clone()
            }),
        };
    }
}

/// The steps that save a form over a record: each of `fields` set to what `typed` holds where
/// that differs from what the form was `opened` with, each step's `before` what the record
/// holds `now`. A field changed elsewhere since the form opened (a sync landing) and left
/// alone in the form is left alone, not put back.
pub fn edited(opened: &Record, now: &Record, typed: &Record, fields: &[&'static str]) -> Vec<Step> {
    let key = RecordKey {
        collection: now.collection,
        id: now.id,
    };
    fields
        .iter()
        .filter(|&&field| typed.get(field) != opened.get(field))
        .map(|&field| Step::Set {
            key,
            field,
            before: now.get(field).clone(),
            after: typed.get(field).clone(),
        })
        .collect()
}

/// Makes every step in order, stopping at the first the replica refuses. What came before
/// stays recorded, so a caller that wants all or nothing drops the change whole on an error
/// (the client reloads its replica from the device's store).
pub fn make(steps: &[Step], replica: &mut Replica) -> Result<(), LocalRefusal> {
    for step in steps {
        step.make(replica)?;
    }
    Ok(())
}

/// Takes every step back, the last made first, so a field set twice ends as it began.
pub fn undo(steps: &[Step], replica: &mut Replica) {
    for step in steps.iter().rev() {
        step.undo(replica);
    }
}

/// Whether `steps` still stand on `replica`: each record they touched is still there, and none
/// of them names anyone or anything erased since. An erasure that reaches the phone after a
/// save takes the save's undo (and whatever says it was saved) with it: there is nothing left
/// to take back, and the undo would name someone who is gone.
pub fn stands(steps: &[Step], replica: &Replica) -> bool {
    let erased = replica.erased();
    steps.iter().all(|step| {
        let (key, named): (RecordKey, Vec<RecordId>) = match step {
            Step::Created(record) | Step::Deleted { record, .. } => (
                RecordKey {
                    collection: record.collection,
                    id: record.id,
                },
                record.fields.values().flat_map(Value::ids).collect(),
            ),
            Step::Set {
                key, before, after, ..
            } => (*key, before.ids().into_iter().chain(after.ids()).collect()),
            Step::Added { key, element, .. } | Step::Removed { key, element, .. } => (
                *key,
                match element {
                    Element::Id(id) => vec![*id],
                    Element::Text(_) => Vec::new(),
                },
            ),
        };
        // A deleted record is not there to find: it stands while nothing it named is erased.
        let there = matches!(step, Step::Deleted { .. }) || replica.get(key).is_some();
        !erased.contains(&key.id) && named.iter().all(|id| !erased.contains(id)) && there
    })
}
