//! Conversations (doorstep, one-to-one, phone, text, at a meeting), the issues people raise
//! in them, and the stories they tell.

use crate::id::{
    AreaId, ConversationId, IssueId, ListId, PersonId, RecordId, StoryId, Timestamp, UserId,
};
use crate::model::{choice_set, id_set};
use crate::record::{Choice, Collection, Entity, Reader, Record, Value, choice};
use crate::validate::{FieldProblem, MAX_LONG_TEXT, MAX_SHORT_TEXT, Problem, Problems};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

choice! {
    /// How a conversation happened.
    pub enum ConversationKind {
        /// Knocking on a door.
        Doorstep = "doorstep",
        /// A planned one-to-one: the core relational meeting.
        OneToOne = "one_to_one",
        /// A phone call.
        PhoneCall = "phone_call",
        /// A text-message exchange.
        Text = "text",
        /// At a meeting.
        AtMeeting = "at_meeting",
    }
}

choice! {
    /// How a conversation (or the attempt at one) ended.
    pub enum Outcome {
        /// We talked.
        Held = "held",
        /// Nobody answered.
        NotHome = "not_home",
        /// They did not want to talk.
        Refused = "refused",
        /// They no longer live there.
        Moved = "moved",
        /// They asked never to be knocked again: walk lists must skip them.
        DoNotKnock = "do_not_knock",
        /// The number did not reach them.
        WrongNumber = "wrong_number",
    }
}

choice! {
    /// What a person said they were interested in doing.
    pub enum Interest {
        /// Volunteering.
        Volunteer = "volunteer",
        /// Hosting a house meeting.
        HostHouseMeeting = "host_house_meeting",
        /// Coming to a meeting.
        ComeToMeeting = "come_to_meeting",
    }
}

/// Something to do after a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowUp {
    /// What to do ("send the tenants' union leaflet").
    pub action: String,
    /// By when, if agreed.
    pub due: Option<Timestamp>,
}

/// A conversation with a person. Append-only: a record of what happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conversation {
    /// Its id.
    pub id: ConversationId,
    /// The area it happened in.
    pub area: AreaId,
    /// Who recorded it.
    pub created_by: UserId,
    /// How it happened.
    pub kind: ConversationKind,
    /// The user who had it (usually the one who recorded it).
    pub by: UserId,
    /// The person it was with.
    pub person: PersonId,
    /// When it happened, by the device's clock (display only).
    pub at: Timestamp,
    /// How it ended.
    pub outcome: Outcome,
    /// Issues they raised (set-valued).
    pub issues: BTreeSet<IssueId>,
    /// What they are interested in doing (set-valued).
    pub interests: BTreeSet<Interest>,
    /// Notes.
    pub notes: Option<String>,
    /// Things to do next.
    pub follow_ups: Vec<FollowUp>,
    /// The walk or call list it was recorded from, if any (progress and results per list).
    pub list: Option<ListId>,
}

impl Conversation {
    /// Whether someone talked with the person: a listening conversation held, rather than
    /// an attempt at one. What the listening results and the community map's gaps count.
    pub fn was_held(&self) -> bool {
        self.outcome == Outcome::Held
    }
}

impl Entity for Conversation {
    const COLLECTION: Collection = Collection::Conversation;
    const SET_FIELDS: &'static [&'static str] = &["issues", "interests"];

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        let follow_ups = self
            .follow_ups
            .iter()
            .map(|f| {
                Value::Map(BTreeMap::from([
                    ("action".to_owned(), Value::Text(f.action.clone())),
                    ("due".to_owned(), f.due.into()),
                ]))
            })
            .collect();
        Record::new(
            Collection::Conversation,
            self.id.0,
            self.area,
            self.created_by,
        )
        .with("kind", self.kind)
        .with("by", self.by.0)
        .with("person", self.person.0)
        .with("at", self.at)
        .with("outcome", self.outcome)
        .with("issues", id_set(&self.issues))
        .with("interests", choice_set(&self.interests))
        .with("notes", self.notes.clone())
        .with("follow_ups", Value::List(follow_ups))
        .with("list", self.list.map(|l| l.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Conversation);
        let interests = r.texts("interests");
        let mut follow_ups = Vec::new();
        for item in r.list("follow_ups") {
            match item {
                Value::Map(map) => {
                    match (map.get("action"), map.get("due").unwrap_or(&Value::Null)) {
                        (Some(Value::Text(action)), Value::Null) => {
                            follow_ups.push(FollowUp {
                                action: action.clone(),
                                due: None,
                            });
                        }
                        (Some(Value::Text(action)), Value::Time(due)) => {
                            follow_ups.push(FollowUp {
                                action: action.clone(),
                                due: Some(*due),
                            });
                        }
                        _ => r.problem(
                            "follow_ups",
                            Problem::WrongType {
                                expected: "an action and a due time".into(),
                            },
                        ),
                    }
                }
                _ => r.problem(
                    "follow_ups",
                    Problem::WrongType {
                        expected: "a list of follow-ups".into(),
                    },
                ),
            }
        }
        if interests.iter().any(|t| Interest::parse(t).is_none()) {
            r.problem(
                "interests",
                Problem::NotAChoice {
                    allowed: Interest::allowed(),
                },
            );
        }
        let conversation = Conversation {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            kind: r.choice("kind"),
            by: r.id("by"),
            person: r.id("person"),
            at: r.time("at"),
            outcome: r.choice("outcome"),
            issues: r.ids("issues"),
            interests: interests
                .iter()
                .filter_map(|t| Interest::parse(t))
                .collect(),
            notes: r.opt_text("notes"),
            follow_ups,
            list: r.opt_id("list"),
        };
        r.finish(conversation)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.notes = self.notes.filter(|n| !n.trim().is_empty());
        p.optional_text("notes", self.notes.as_deref(), MAX_LONG_TEXT);
        for follow_up in &mut self.follow_ups {
            follow_up.action = follow_up.action.trim().to_owned();
            p.text("follow_ups", &follow_up.action, MAX_SHORT_TEXT);
        }
        p.finish().map(|()| self)
    }
}

/// An issue in an area's taxonomy ("housing" › "damp and mould").
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issue {
    /// Its id.
    pub id: IssueId,
    /// The area whose taxonomy it belongs to.
    pub area: AreaId,
    /// Who created it.
    pub created_by: UserId,
    /// Its name.
    pub name: String,
    /// The broader issue it falls under.
    pub parent: Option<IssueId>,
}

impl Issue {
    /// Whether two issue names name the same issue: alike once trimmed, with runs of spaces
    /// made one (as [`Entity::normalised`] stores a name) and letters compared without case.
    /// "Bus fares" typed again as " bus  Fares" is the issue already there.
    pub fn same_name(a: &str, b: &str) -> bool {
        let words = |name: &str| {
            name.split_whitespace()
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        };
        words(a) == words(b)
    }
}

impl Entity for Issue {
    const COLLECTION: Collection = Collection::Issue;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Issue, self.id.0, self.area, self.created_by)
            .with("name", self.name.clone())
            .with("parent", self.parent.map(|p| p.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Issue);
        let issue = Issue {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            name: r.text("name"),
            parent: r.opt_id("parent"),
        };
        r.finish(issue)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.name = self.name.split_whitespace().collect::<Vec<_>>().join(" ");
        p.text("name", &self.name, MAX_SHORT_TEXT);
        if self.parent == Some(self.id) {
            p.push("parent", Problem::SelfReference);
        }
        p.finish().map(|()| self)
    }
}

choice! {
    /// How far a story may travel, as the teller agreed.
    pub enum StoryConsent {
        /// Organisers only.
        Private = "private",
        /// May be shared without their name.
        Anonymised = "anonymised",
        /// May be shared with their name.
        Named = "named",
    }
}

/// A person's story. Append-only: a different consent is a new story (or the old one
/// deleted), so what was agreed when is never rewritten.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Story {
    /// Its id.
    pub id: StoryId,
    /// The area it comes from.
    pub area: AreaId,
    /// Who recorded it.
    pub created_by: UserId,
    /// Whose story it is.
    pub person: PersonId,
    /// The story.
    pub text: String,
    /// The issue it is about.
    pub issue: Option<IssueId>,
    /// How far it may travel.
    pub consent: StoryConsent,
}

impl Entity for Story {
    const COLLECTION: Collection = Collection::Story;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Story, self.id.0, self.area, self.created_by)
            .with("person", self.person.0)
            .with("text", self.text.clone())
            .with("issue", self.issue.map(|i| i.0))
            .with("consent", self.consent)
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Story);
        let story = Story {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            person: r.id("person"),
            text: r.text("text"),
            issue: r.opt_id("issue"),
            consent: r.choice("consent"),
        };
        r.finish(story)
    }

    fn normalised(self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        p.text("text", &self.text, MAX_LONG_TEXT);
        p.finish().map(|()| self)
    }
}
