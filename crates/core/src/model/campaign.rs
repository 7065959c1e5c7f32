//! Campaigns on winnable local issues and their log of actions, the walk and call lists that
//! carry them to people, and the scripts, surveys and survey responses used in the
//! conversations.
//!
//! A campaign names the people, organisations, meetings and lists that are part of it; each
//! is a reference, so whoever writes one must see what it names ([`crate::reference`]).
//! Campaigns and their actions are the organisers' to make and change (organisers and admins
//! of the campaign's area); every role near the area reads them, as it reads the area's
//! issues, scripts and surveys ([`crate::permission::Permissions`]). [`crate::campaigns`]
//! starts one from the listening results and sums one up for its page.

use crate::calendar::Day;
use crate::id::{
    AreaId, CampaignActionId, CampaignId, IssueId, ListId, MeetingId, OrganisationId, PersonId,
    RecordId, ScriptId, SurveyId, SurveyResponseId, Timestamp, UserId,
};
use crate::model::id_set;
use crate::record::{Collection, Entity, Reader, Record, Value, choice};
use crate::validate::{FieldProblem, MAX_LONG_TEXT, MAX_SHORT_TEXT, Problem, Problems};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

choice! {
    /// Where a campaign stands.
    pub enum CampaignStatus {
        /// Listening and researching: is the issue winnable?
        Exploring = "exploring",
        /// Under way.
        Active = "active",
        /// Won.
        Won = "won",
        /// Lost, or dropped.
        Closed = "closed",
    }
}

/// How winnable a campaign is judged: 1 (a long shot) to 5 (within reach).
pub const WINNABLE_SCALE: std::ops::RangeInclusive<u8> = 1..=5;

/// A campaign on a winnable local issue. Records stored before a campaign had a decider, a
/// deadline, a judgement of how winnable it is and its people, organisations, meetings and
/// lists read with none.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Campaign {
    /// Its id.
    pub id: CampaignId,
    /// The area it is fought in.
    pub area: AreaId,
    /// Who created it.
    pub created_by: UserId,
    /// Its name.
    pub name: String,
    /// The issues it takes on (set-valued).
    pub issues: BTreeSet<IssueId>,
    /// What winning means ("the council repairs every damp flat on the estate").
    pub goal: Option<String>,
    /// Where it stands.
    pub status: CampaignStatus,
    /// Who decides whether it is won ("the council's housing committee").
    pub decider: Option<String>,
    /// The day by which it must be won (a vote, a budget, a planning decision).
    pub deadline: Option<Day>,
    /// How winnable it is judged, on [`WINNABLE_SCALE`].
    pub winnable: Option<u8>,
    /// The people who are part of it: its leaders, those affected (set-valued).
    pub people: BTreeSet<PersonId>,
    /// The organisations in it with us (set-valued).
    pub organisations: BTreeSet<OrganisationId>,
    /// Its meetings (set-valued).
    pub meetings: BTreeSet<MeetingId>,
    /// The walk and call lists working for it (set-valued).
    pub lists: BTreeSet<ListId>,
}

impl Entity for Campaign {
    const COLLECTION: Collection = Collection::Campaign;
    const SET_FIELDS: &'static [&'static str] =
        &["issues", "people", "organisations", "meetings", "lists"];

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Campaign, self.id.0, self.area, self.created_by)
            .with("name", self.name.clone())
            .with("issues", id_set(&self.issues))
            .with("goal", self.goal.clone())
            .with("status", self.status)
            .with("decider", self.decider.clone())
            .with("deadline", self.deadline)
            .with("winnable", self.winnable.map(i64::from))
            .with("people", id_set(&self.people))
            .with("organisations", id_set(&self.organisations))
            .with("meetings", id_set(&self.meetings))
            .with("lists", id_set(&self.lists))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Campaign);
        // A number past what a judgement of 1 to 5 can be is the scale's problem, as one
        // just past 5 is.
        let winnable = r
            .opt_int("winnable")
            .map(|n| u8::try_from(n).unwrap_or(u8::MAX));
        let campaign = Campaign {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            name: r.text("name"),
            issues: r.ids("issues"),
            goal: r.opt_text("goal"),
            status: r.choice("status"),
            decider: r.opt_text("decider"),
            deadline: r.opt_day("deadline"),
            winnable,
            people: r.ids("people"),
            organisations: r.ids("organisations"),
            meetings: r.ids("meetings"),
            lists: r.ids("lists"),
        };
        r.finish(campaign)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.name = self.name.trim().to_owned();
        p.text("name", &self.name, MAX_SHORT_TEXT);
        self.goal = trimmed(self.goal);
        p.optional_text("goal", self.goal.as_deref(), MAX_LONG_TEXT);
        self.decider = trimmed(self.decider);
        p.optional_text("decider", self.decider.as_deref(), MAX_SHORT_TEXT);
        if self.winnable.is_some_and(|n| !WINNABLE_SCALE.contains(&n)) {
            p.push(
                "winnable",
                Problem::OutOfRange {
                    min: i64::from(*WINNABLE_SCALE.start()),
                    max: i64::from(*WINNABLE_SCALE.end()),
                },
            );
        }
        p.finish().map(|()| self)
    }
}

/// An optional text trimmed, and none when nothing is left.
fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty())
}

/// One action in a campaign's log: something done ("delivered the petition to the housing
/// committee") or planned, with the day it is due. It sits in its campaign's area and is
/// made, edited (marked done, given a new due day) and deleted by whoever may edit the
/// campaign, and read by whoever reads it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignAction {
    /// Its id.
    pub id: CampaignActionId,
    /// The campaign's area.
    pub area: AreaId,
    /// Who logged it (stamped by the server).
    pub created_by: UserId,
    /// The campaign it belongs to.
    pub campaign: CampaignId,
    /// When it was logged, by the device's clock.
    pub at: Timestamp,
    /// What, in a line.
    pub what: String,
    /// The day it is due, for an action planned.
    pub due: Option<Day>,
    /// When it was marked done; none while it is still to do.
    pub done: Option<Timestamp>,
}

impl CampaignAction {
    /// Whether it is still to do and its due day is before `today`.
    pub fn is_overdue(&self, today: Day) -> bool {
        self.done.is_none() && self.due.is_some_and(|due| due < today)
    }
}

impl Entity for CampaignAction {
    const COLLECTION: Collection = Collection::CampaignAction;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(
            Collection::CampaignAction,
            self.id.0,
            self.area,
            self.created_by,
        )
        .with("campaign", self.campaign.0)
        .with("at", self.at)
        .with("what", self.what.clone())
        .with("due", self.due)
        .with("done", self.done)
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::CampaignAction);
        let action = CampaignAction {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            campaign: r.id("campaign"),
            at: r.time("at"),
            what: r.text("what"),
            due: r.opt_day("due"),
            done: r.opt_time("done"),
        };
        r.finish(action)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.what = self.what.trim().to_owned();
        p.text("what", &self.what, MAX_SHORT_TEXT);
        p.finish().map(|()| self)
    }
}

choice! {
    /// What a list is for.
    pub enum ListKind {
        /// Doors to knock, in walking order.
        Walk = "walk",
        /// Numbers to call.
        Call = "call",
    }
}

/// A walk list or call list: the people to reach and the users assigned to reach them.
/// Volunteers see exactly the people on the lists assigned to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct List {
    /// Its id.
    pub id: ListId,
    /// The area it covers.
    pub area: AreaId,
    /// Who created it.
    pub created_by: UserId,
    /// Its name ("Splott, Tuesday evening").
    pub name: String,
    /// Walk or call.
    pub kind: ListKind,
    /// The people on it (set-valued).
    pub members: BTreeSet<PersonId>,
    /// The users working it (set-valued).
    pub assignees: BTreeSet<UserId>,
    /// The campaign it serves.
    pub campaign: Option<CampaignId>,
    /// The script to use at each door or on each call.
    pub script: Option<ScriptId>,
    /// The survey to ask, if any.
    pub survey: Option<SurveyId>,
}

impl Entity for List {
    const COLLECTION: Collection = Collection::List;
    const SET_FIELDS: &'static [&'static str] = &["members", "assignees"];

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::List, self.id.0, self.area, self.created_by)
            .with("name", self.name.clone())
            .with("kind", self.kind)
            .with("members", id_set(&self.members))
            .with("assignees", id_set(&self.assignees))
            .with("campaign", self.campaign.map(|c| c.0))
            .with("script", self.script.map(|s| s.0))
            .with("survey", self.survey.map(|s| s.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::List);
        let list = List {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            name: r.text("name"),
            kind: r.choice("kind"),
            members: r.ids("members"),
            assignees: r.ids("assignees"),
            campaign: r.opt_id("campaign"),
            script: r.opt_id("script"),
            survey: r.opt_id("survey"),
        };
        r.finish(list)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.name = self.name.trim().to_owned();
        p.text("name", &self.name, MAX_SHORT_TEXT);
        p.finish().map(|()| self)
    }
}

/// A script: what to say in a conversation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Script {
    /// Its id.
    pub id: ScriptId,
    /// The area it is used in.
    pub area: AreaId,
    /// Who created it.
    pub created_by: UserId,
    /// Its title.
    pub title: String,
    /// The script itself.
    pub body: String,
    /// The campaign it serves.
    pub campaign: Option<CampaignId>,
}

impl Entity for Script {
    const COLLECTION: Collection = Collection::Script;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Script, self.id.0, self.area, self.created_by)
            .with("title", self.title.clone())
            .with("body", self.body.clone())
            .with("campaign", self.campaign.map(|c| c.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Script);
        let script = Script {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            title: r.text("title"),
            body: r.text("body"),
            campaign: r.opt_id("campaign"),
        };
        r.finish(script)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.title = self.title.trim().to_owned();
        p.text("title", &self.title, MAX_SHORT_TEXT);
        p.text("body", &self.body, MAX_LONG_TEXT);
        p.finish().map(|()| self)
    }
}

/// One question in a survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// Its stable key, which answers refer to (`"biggest_worry"`).
    pub key: String,
    /// The question as asked.
    pub prompt: String,
    /// The answers to choose from; empty for a free answer.
    pub choices: Vec<String>,
}

/// A survey.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Survey {
    /// Its id.
    pub id: SurveyId,
    /// The area it runs in.
    pub area: AreaId,
    /// Who created it.
    pub created_by: UserId,
    /// Its title.
    pub title: String,
    /// Its questions, in order.
    pub questions: Vec<Question>,
}

impl Entity for Survey {
    const COLLECTION: Collection = Collection::Survey;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        let questions = self
            .questions
            .iter()
            .map(|q| {
                Value::Map(BTreeMap::from([
                    ("key".to_owned(), Value::Text(q.key.clone())),
                    ("prompt".to_owned(), Value::Text(q.prompt.clone())),
                    (
                        "choices".to_owned(),
                        Value::List(q.choices.iter().map(|c| Value::Text(c.clone())).collect()),
                    ),
                ]))
            })
            .collect();
        Record::new(Collection::Survey, self.id.0, self.area, self.created_by)
            .with("title", self.title.clone())
            .with("questions", Value::List(questions))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Survey);
        let mut questions = Vec::new();
        for item in r.list("questions") {
            let question = match item {
                Value::Map(map) => match (map.get("key"), map.get("prompt"), map.get("choices")) {
                    (
                        Some(Value::Text(key)),
                        Some(Value::Text(prompt)),
                        Some(Value::List(choices)),
                    ) => choices
                        .iter()
                        .map(|c| match c {
                            Value::Text(c) => Some(c.clone()),
                            _ => None,
                        })
                        .collect::<Option<Vec<_>>>()
                        .map(|choices| Question {
                            key: key.clone(),
                            prompt: prompt.clone(),
                            choices,
                        }),
                    _ => None,
                },
                _ => None,
            };
            match question {
                Some(question) => questions.push(question),
                None => r.problem(
                    "questions",
                    Problem::WrongType {
                        expected: "a list of questions: key, prompt and choices".into(),
                    },
                ),
            }
        }
        let survey = Survey {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            title: r.text("title"),
            questions,
        };
        r.finish(survey)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.title = self.title.trim().to_owned();
        p.text("title", &self.title, MAX_SHORT_TEXT);
        let mut keys = BTreeSet::new();
        for question in &self.questions {
            p.text("questions", &question.key, MAX_SHORT_TEXT);
            p.text("questions", &question.prompt, MAX_SHORT_TEXT);
            for choice in &question.choices {
                p.text("questions", choice, MAX_SHORT_TEXT);
            }
            if !keys.insert(question.key.as_str()) {
                p.push("questions", Problem::Repeated);
            }
        }
        p.finish().map(|()| self)
    }
}

impl Survey {
    /// One person's answers, checked against this survey's questions: each answer trimmed,
    /// empty ones left out, every key a question of the survey, and every answer to a
    /// multiple-choice question one of its choices. Problems name the question's key
    /// (`answers.biggest_worry`).
    pub fn answers(
        &self,
        given: BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, Vec<FieldProblem>> {
        let mut p = Problems::default();
        let mut answers = BTreeMap::new();
        for (key, answer) in given {
            let answer = answer.trim();
            if answer.is_empty() {
                continue;
            }
            let field = format!("answers.{key}");
            match self.questions.iter().find(|q| q.key == key) {
                None => p.push(&field, Problem::NotAQuestion),
                Some(question)
                    if !question.choices.is_empty()
                        && !question.choices.iter().any(|c| c == answer) =>
                {
                    p.push(
                        &field,
                        Problem::NotAChoice {
                            allowed: question.choices.clone(),
                        },
                    );
                }
                Some(_) => {
                    p.optional_text(&field, Some(answer), MAX_LONG_TEXT);
                    answers.insert(key, answer.to_owned());
                }
            }
        }
        p.finish().map(|()| answers)
    }
}

/// One person's answers to a survey. Append-only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyResponse {
    /// Its id.
    pub id: SurveyResponseId,
    /// The area it was taken in.
    pub area: AreaId,
    /// Who recorded it.
    pub created_by: UserId,
    /// The survey.
    pub survey: SurveyId,
    /// Who answered.
    pub person: PersonId,
    /// When, by the device's clock (display only).
    pub at: Timestamp,
    /// The answers by question key.
    pub answers: BTreeMap<String, String>,
}

impl Entity for SurveyResponse {
    const COLLECTION: Collection = Collection::SurveyResponse;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        let answers = self
            .answers
            .iter()
            .map(|(k, v)| (k.clone(), Value::Text(v.clone())))
            .collect();
        Record::new(
            Collection::SurveyResponse,
            self.id.0,
            self.area,
            self.created_by,
        )
        .with("survey", self.survey.0)
        .with("person", self.person.0)
        .with("at", self.at)
        .with("answers", Value::Map(answers))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::SurveyResponse);
        let mut answers = BTreeMap::new();
        for (key, value) in r.opt_map("answers").into_iter().flatten() {
            match value {
                Value::Text(text) => {
                    answers.insert(key.clone(), text.clone());
                }
                _ => r.problem(
                    "answers",
                    Problem::WrongType {
                        expected: "text answers".into(),
                    },
                ),
            }
        }
        let response = SurveyResponse {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            survey: r.id("survey"),
            person: r.id("person"),
            at: r.time("at"),
            answers,
        };
        r.finish(response)
    }

    fn normalised(self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        for (key, answer) in &self.answers {
            p.text("answers", key, MAX_SHORT_TEXT);
            p.optional_text("answers", Some(answer), MAX_LONG_TEXT);
        }
        p.finish().map(|()| self)
    }
}
