//! A change to the device's data as a list of steps, each with what takes it back: a door's
//! save is made as one change, and its undo takes the steps back in one change.

use organise_core::record::{Element, Record, Value};
use organise_core::sync::{LocalRefusal, RecordKey, Replica, Seq};

use crate::sync::{self, WriteError};

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
        };
    }
}

/// Makes every step of a save in one change: all of them are saved, or none.
pub async fn make_all(steps: &[Step]) -> Result<(), WriteError> {
    sync::write(|replica| {
        for step in steps {
            step.make(replica)?;
        }
        Ok(())
    })
    .await
}
