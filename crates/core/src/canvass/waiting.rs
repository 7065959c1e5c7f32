//! What waits on the phone to be sent, counted in the terms of the work rather than of the
//! sync protocol: one *Not home* at a door where three people live is one door, not three
//! records; a conversation is one conversation, however many records its save wrote (the
//! conversation, a story, survey answers, a new issue, the person's new phone number).

use std::collections::BTreeSet;

use crate::id::{ListId, PersonId, RecordId};
use crate::model::{Conversation, Outcome, Person};
use crate::record::Collection;
use crate::sync::replica::Replica;
use crate::sync::wire::{Mutation, Op, RecordKey};

/// The work waiting to be sent.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Waiting {
    /// Doors knocked: one per door (a household, or a person with none) and list, whatever
    /// the outcome and however many people were recorded there.
    pub doors: usize,
    /// Conversations held, one per person talked to.
    pub conversations: usize,
    /// Records changed otherwise (a person added or edited on the People screen, a list
    /// built, a conflict resolved): one per record, however many of its fields changed.
    pub other: usize,
}

impl Waiting {
    /// Reads what `replica`'s outbox holds that the server has not yet answered.
    pub fn read(replica: &Replica) -> Waiting {
        let mut doors: BTreeSet<(Option<ListId>, RecordId)> = BTreeSet::new();
        let mut held: BTreeSet<RecordId> = BTreeSet::new();
        let mut talked_to: BTreeSet<PersonId> = BTreeSet::new();
        let mut created: BTreeSet<RecordKey> = BTreeSet::new();
        let mut rest: Vec<&Mutation> = Vec::new();
        for mutation in replica.outbox() {
            if matches!(mutation.op, Op::Create { .. }) {
                created.insert(mutation.key());
            }
            let conversation = match (&mutation.op, mutation.collection) {
                (Op::Create { .. }, Collection::Conversation) => {
                    replica.one::<Conversation>(mutation.record_id)
                }
                _ => None,
            };
            let Some(conversation) = conversation else {
                rest.push(mutation);
                continue;
            };
            let door = replica
                .one::<Person>(conversation.person.0)
                .and_then(|p| p.household)
                .map_or(conversation.person.0, |h| h.0);
            doors.insert((conversation.list, door));
            talked_to.insert(conversation.person);
            if conversation.outcome == Outcome::Held {
                held.insert(mutation.record_id);
            }
        }
        let other: BTreeSet<RecordKey> = rest
            .into_iter()
            .filter(|m| !part_of_a_conversation(m, &talked_to))
            .map(Mutation::key)
            // Made and taken back before it was sent (an undo): nothing is waiting.
            .filter(|key| !(created.contains(key) && replica.get(*key).is_none()))
            .collect();
        Waiting {
            doors: doors.len(),
            conversations: held.len(),
            other: other.len(),
        }
    }

    /// Whether anything waits.
    pub fn is_empty(self) -> bool {
        self == Waiting::default()
    }
}

/// Whether `mutation` is written by a conversation's save beside the conversation itself:
/// a story, survey answers or an issue made at the door, or a person talked to, made or
/// given new details.
fn part_of_a_conversation(mutation: &Mutation, talked_to: &BTreeSet<PersonId>) -> bool {
    match (mutation.collection, &mutation.op) {
        (Collection::Story | Collection::SurveyResponse | Collection::Issue, Op::Create { .. }) => {
            true
        }
        // Someone met at the door is made with the conversation had with them.
        (Collection::Person, _) => talked_to.contains(&PersonId(mutation.record_id)),
        _ => false,
    }
}
