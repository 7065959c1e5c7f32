//! One-to-ones: the planned, relational conversations an organiser holds with a person, each
//! counted toward the organiser's week ([`crate::organising`]).
//!
//! A one-to-one is about its person (it goes when they are erased) and sits in their area. It
//! holds what an organiser learns about someone's life, so only organisers and admins read
//! it: never volunteers or hosts, even those who reach the person
//! ([`crate::permission::Permissions::can_read`]).

use crate::calendar::{Day, london_day};
use crate::id::{
    AreaId, IssueId, OneToOneId, OrganisationId, PersonId, RecordId, StoryId, Timestamp, UserId,
};
use crate::model::id_set;
use crate::record::{Collection, Entity, Reader, Record, choice};
use crate::validate::{FieldProblem, MAX_SHORT_TEXT, Problem, Problems};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

choice! {
    /// What a one-to-one was for.
    pub enum OneToOneKind {
        /// Meeting someone for the first time: who they are, what they care about.
        Introduction = "introduction",
        /// Keeping a relationship going.
        Maintenance = "maintenance",
        /// Asking more of someone: to lead, to host, to take the next step.
        Escalation = "escalation",
    }
}

/// The scale of interest and of leadership: 1 (little) to 5 (a great deal).
pub const RATING_SCALE: std::ops::RangeInclusive<i64> = 1..=5;

/// How many days a one-to-one may be recorded after it was held before it is flagged as
/// late ([`OneToOne::is_late`]). It still counts: the flag only asks for the habit of
/// recording the same day.
pub const LATE_AFTER_DAYS: i32 = 14;

/// A one-to-one an organiser held with a person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneToOne {
    /// Its id.
    pub id: OneToOneId,
    /// The person's area, where it is visible.
    pub area: AreaId,
    /// The organiser who held it (stamped by the server); it counts toward their week.
    pub created_by: UserId,
    /// Whom it was with.
    pub person: PersonId,
    /// The day it was held.
    pub held_on: Day,
    /// When it was recorded, by the device's clock.
    pub recorded_at: Timestamp,
    /// What it was for.
    pub kind: OneToOneKind,
    /// The issues the person raised (set-valued).
    pub issues: BTreeSet<IssueId>,
    /// The story the form recorded beside it, if the person told one.
    pub story: Option<StoryId>,
    /// How interested the person is in acting, 1 to 5.
    pub interest: Option<i64>,
    /// How much leadership the person shows, 1 to 5.
    pub leadership: Option<i64>,
    /// The community organisation the person belongs to, if it came up.
    pub organisation: Option<OrganisationId>,
    /// What the organiser and the person agreed to do next.
    pub next_step: Option<String>,
    /// By when the next step is due.
    pub next_step_due: Option<Day>,
    /// When the next step was marked done.
    pub next_step_done: Option<Timestamp>,
}

impl OneToOne {
    /// The day it was recorded, in London.
    pub fn recorded_on(&self) -> Day {
        london_day(self.recorded_at)
    }

    /// Whether it was recorded more than [`LATE_AFTER_DAYS`] days after it was held (by
    /// London's calendar): allowed, and counted, but flagged.
    pub fn is_late(&self) -> bool {
        self.recorded_on().days_since(self.held_on) > LATE_AFTER_DAYS
    }

    /// Whether it has a next step still to do.
    pub fn next_step_open(&self) -> bool {
        self.next_step.is_some() && self.next_step_done.is_none()
    }
}

impl Entity for OneToOne {
    const COLLECTION: Collection = Collection::OneToOne;
    const SET_FIELDS: &'static [&'static str] = &["issues"];

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::OneToOne, self.id.0, self.area, self.created_by)
            .with("person", self.person.0)
            .with("held_on", self.held_on)
            .with("recorded_at", self.recorded_at)
            .with("kind", self.kind)
            .with("issues", id_set(&self.issues))
            .with("story", self.story.map(|s| s.0))
            .with("interest", self.interest)
            .with("leadership", self.leadership)
            .with("organisation", self.organisation.map(|o| o.0))
            .with("next_step", self.next_step.clone())
            .with("next_step_due", self.next_step_due)
            .with("next_step_done", self.next_step_done)
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::OneToOne);
        let one_to_one = OneToOne {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            person: r.id("person"),
            held_on: r.day("held_on"),
            recorded_at: r.time("recorded_at"),
            kind: r.choice("kind"),
            issues: r.ids("issues"),
            story: r.opt_id("story"),
            interest: r.opt_int("interest"),
            leadership: r.opt_int("leadership"),
            organisation: r.opt_id("organisation"),
            next_step: r.opt_text("next_step"),
            next_step_due: r.opt_day("next_step_due"),
            next_step_done: r.opt_time("next_step_done"),
        };
        r.finish(one_to_one)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        if self.held_on > self.recorded_on() {
            p.push("held_on", Problem::InFuture);
        }
        for (field, rating) in [("interest", self.interest), ("leadership", self.leadership)] {
            if rating.is_some_and(|n| !RATING_SCALE.contains(&n)) {
                p.push(
                    field,
                    Problem::OutOfRange {
                        min: *RATING_SCALE.start(),
                        max: *RATING_SCALE.end(),
                    },
                );
            }
        }
        self.next_step = self
            .next_step
            .map(|step| step.trim().to_owned())
            .filter(|step| !step.is_empty());
        p.optional_text("next_step", self.next_step.as_deref(), MAX_SHORT_TEXT);
        if self.next_step.is_none() {
            let only_with_a_step = || Problem::OnlyWhen {
                condition: "there is a next step".into(),
            };
            if self.next_step_due.is_some() {
                p.push("next_step_due", only_with_a_step());
            }
            if self.next_step_done.is_some() {
                p.push("next_step_done", only_with_a_step());
            }
        }
        // Due the day it was agreed at the earliest (a same-day step is due that day).
        if self.next_step_due.is_some_and(|due| due < self.held_on) {
            p.push(
                "next_step_due",
                Problem::NotAfter {
                    other: "held_on".into(),
                },
            );
        }
        p.finish().map(|()| self)
    }
}
