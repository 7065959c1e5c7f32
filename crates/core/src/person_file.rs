//! Everything this device holds about one person, gathered for their page: their record,
//! the people merged into them, their conversations at doors and on the phone, one-to-ones,
//! meetings, stories, campaigns and trainings, and every follow-up agreed with them, open ones first.
//!
//! A read model over the replica: each part is found through the replica's lookups by the
//! field that names the person, so a page costs what the person has, not what the phone
//! holds. Only what the reader may see is on the device, so a volunteer's page of someone on
//! their list simply has no one-to-ones.

use std::cmp::Reverse;

use crate::calendar::{Day, london_day};
use crate::id::{ConversationId, OneToOneId, PersonId};
use crate::model::{
    Attendance, AttendanceStatus, Campaign, Conversation, Meeting, OneToOne, Person, Story,
    Training,
};
use crate::record::{Collection, Entity, Record};
use crate::sync::replica::Replica;

/// A meeting they were invited to, came to or missed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeetingEntry {
    /// The meeting.
    pub meeting: Meeting,
    /// How they stand: invited, coming, came, did not come.
    pub status: AttendanceStatus,
}

/// Where a follow-up was agreed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum AgreedIn {
    /// In a conversation (at a door, on the phone).
    Conversation(ConversationId),
    /// In a one-to-one, as its next step.
    OneToOne(OneToOneId),
}

/// Something agreed with them to do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// What ("send the tenants' union leaflet").
    pub what: String,
    /// By when, as a London day, if agreed.
    pub due: Option<Day>,
    /// Whether it was marked done (a one-to-one's next step can be).
    pub done: bool,
    /// Where it was agreed.
    pub agreed_in: AgreedIn,
}

/// Everything held about one person.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonFile {
    /// Their record.
    pub person: Person,
    /// People merged into them, whose records are kept behind theirs.
    pub merged: Vec<Person>,
    /// Conversations with them, newest first.
    pub conversations: Vec<Conversation>,
    /// One-to-ones with them, newest first.
    pub one_to_ones: Vec<OneToOne>,
    /// Meetings they were asked to or came to, newest first.
    pub meetings: Vec<MeetingEntry>,
    /// Their stories, as held (each with the consent it was given with).
    pub stories: Vec<Story>,
    /// Campaigns that name them, or that a meeting of theirs was part of, by name.
    pub campaigns: Vec<Campaign>,
    /// What they were trained in, newest first.
    pub trainings: Vec<Training>,
    /// Follow-ups: open ones first, soonest due first (those with no date after), then done.
    pub follow_ups: Vec<FollowUp>,
}

impl PersonFile {
    /// Everything `replica` holds about `id`, or `None` when it does not hold them.
    pub fn read(replica: &Replica, id: PersonId) -> Option<PersonFile> {
        let person: Person = replica.one(id.0)?;
        let naming = |collection: Collection, field: &str| replica.holding(collection, field, id.0);
        let merged: Vec<Person> = read_all(naming(Collection::Person, "merged_into"));
        let mut conversations: Vec<Conversation> =
            read_all(naming(Collection::Conversation, "person"));
        conversations.sort_by_key(|c| (Reverse(c.at), c.id));
        let mut one_to_ones: Vec<OneToOne> = read_all(naming(Collection::OneToOne, "person"));
        one_to_ones.sort_by_key(|o| (Reverse(o.held_on), Reverse(o.recorded_at), o.id));
        let mut attendances: Vec<Attendance> = read_all(naming(Collection::Attendance, "person"));
        for matched in read_all::<Attendance>(naming(Collection::Attendance, "matched")) {
            if !attendances.iter().any(|a| a.id == matched.id) {
                attendances.push(matched);
            }
        }
        let mut meetings: Vec<MeetingEntry> = attendances
            .iter()
            .filter_map(|a| {
                Some(MeetingEntry {
                    meeting: replica.one(a.meeting.0)?,
                    status: a.status,
                })
            })
            .collect();
        meetings.sort_by_key(|m| (Reverse(m.meeting.starts), m.meeting.id));
        let mut stories: Vec<Story> = read_all(naming(Collection::Story, "person"));
        stories.sort_by_key(|s| s.id);
        let mut campaigns: Vec<Campaign> = read_all(naming(Collection::Campaign, "people"));
        for campaign in meetings.iter().filter_map(|m| m.meeting.campaign) {
            if !campaigns.iter().any(|c| c.id == campaign)
                && let Some(found) = replica.one::<Campaign>(campaign.0)
            {
                campaigns.push(found);
            }
        }
        campaigns.sort_by(|a, b| {
            a.name
                .to_lowercase()
                .cmp(&b.name.to_lowercase())
                .then(a.id.cmp(&b.id))
        });
        let mut trainings: Vec<Training> = read_all(naming(Collection::Training, "person"));
        trainings.sort_by_key(|t| (Reverse(t.on), t.module.clone(), t.id));
        let follow_ups = follow_ups(&conversations, &one_to_ones);
        Some(PersonFile {
            person,
            merged,
            conversations,
            one_to_ones,
            meetings,
            stories,
            campaigns,
            trainings,
            follow_ups,
        })
    }
}

/// The records among `records` that read as `T`.
fn read_all<T: Entity>(records: Vec<Record>) -> Vec<T> {
    records.iter().filter_map(|r| T::read(r).ok()).collect()
}

/// Every follow-up agreed in `conversations` and `one_to_ones`: open ones first, soonest due
/// first and those with no date after them, then the done ones.
pub fn follow_ups(conversations: &[Conversation], one_to_ones: &[OneToOne]) -> Vec<FollowUp> {
    let mut all: Vec<FollowUp> = conversations
        .iter()
        .flat_map(|c| {
            c.follow_ups.iter().map(|f| FollowUp {
                what: f.action.clone(),
                due: f.due.map(london_day),
                done: false,
                agreed_in: AgreedIn::Conversation(c.id),
            })
        })
        .chain(one_to_ones.iter().filter_map(|o| {
            Some(FollowUp {
                what: o.next_step.clone()?,
                due: o.next_step_due,
                done: o.next_step_done.is_some(),
                agreed_in: AgreedIn::OneToOne(o.id),
            })
        }))
        .collect();
    all.sort_by(|a, b| {
        (a.done, a.due.is_none(), a.due, &a.what, a.agreed_in).cmp(&(
            b.done,
            b.due.is_none(),
            b.due,
            &b.what,
            b.agreed_in,
        ))
    });
    all
}
