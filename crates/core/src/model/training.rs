//! Training: who was trained in which module, and when, recorded from a training meeting's
//! attendance ([`crate::training::from_meeting`]) or by hand.
//!
//! A training is about its person: it sits in their area, goes when they are erased and is
//! in their export. Like a move on the ladder it is read and made only by organisers and
//! admins of the person's area (and by whoever recorded it while they organise anywhere),
//! never by volunteers or hosts who reach the person. It is append-only: a mistaken one is
//! deleted and recorded again.

use crate::calendar::Day;
use crate::id::{AreaId, MeetingId, PersonId, RecordId, TrainingId, UserId};
use crate::model::normalise_tag;
use crate::record::{Collection, Entity, Reader, Record};
use crate::validate::{FieldProblem, Problems};
use serde::{Deserialize, Serialize};

/// That a person was trained in a module on a day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Training {
    /// Its id.
    pub id: TrainingId,
    /// The person's area, where it is visible.
    pub area: AreaId,
    /// Who recorded it (stamped by the server).
    pub created_by: UserId,
    /// Who was trained.
    pub person: PersonId,
    /// The module, in the organisation's words ("one-to-ones", "door knocking"), kept as a
    /// person's skills are ([`normalise_tag`]).
    pub module: String,
    /// The day they were trained.
    pub on: Day,
    /// The training meeting it was at, if it was recorded from one.
    pub meeting: Option<MeetingId>,
}

impl Entity for Training {
    const COLLECTION: Collection = Collection::Training;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Training, self.id.0, self.area, self.created_by)
            .with("person", self.person.0)
            .with("module", self.module.clone())
            .with("on", self.on)
            .with("meeting", self.meeting.map(|m| m.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Training);
        let training = Training {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            person: r.id("person"),
            module: r.text("module"),
            on: r.day("on"),
            meeting: r.opt_id("meeting"),
        };
        r.finish(training)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        if let Some(module) = p.check("module", normalise_tag(&self.module)) {
            self.module = module;
        }
        p.finish().map(|()| self)
    }
}
