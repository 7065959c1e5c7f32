//! The ladder of engagement: the organisation's rungs (supporter, volunteer, host, leader,
//! organiser…) and the moves that put people on them.
//!
//! A person's rung is not a field of the person: it is their latest [`LadderMove`], so the
//! history (who moved them, when, why, after which one-to-one or meeting) is the only source
//! of truth and two organisers moving one person offline both keep their move
//! ([`crate::ladder`] reads it). Moves are about their person (they go when the person is
//! erased), sit in the person's area and, like one-to-ones, are read and made only by
//! organisers and admins.
//!
//! Rungs are organisation-wide: they sit in the root area, every role reads them, only its
//! admins set them, and they are retired, never deleted, so that no move loses its rung.

use crate::id::{
    AreaId, LadderMoveId, MeetingId, OneToOneId, PersonId, RecordId, RungId, Timestamp, UserId,
};
use crate::record::{Collection, Entity, Reader, Record};
use crate::validate::{FieldProblem, MAX_LONG_TEXT, MAX_SHORT_TEXT, Problem, Problems};
use serde::{Deserialize, Serialize};

/// The most rungs a ladder is ordered within (a position is 1 to this).
pub const MAX_RUNG_POSITION: i64 = 100;

/// A rung of the ladder of engagement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rung {
    /// Its id.
    pub id: RungId,
    /// The root area: the ladder is the whole organisation's.
    pub area: AreaId,
    /// Who created it.
    pub created_by: UserId,
    /// Its name ("Host").
    pub name: String,
    /// Its place on the ladder, from 1 at the bottom; rungs sharing one are ordered by name.
    pub position: i64,
    /// Whether it is retired: kept for the moves that name it, offered for no new one.
    pub retired: bool,
}

impl Entity for Rung {
    const COLLECTION: Collection = Collection::Rung;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Rung, self.id.0, self.area, self.created_by)
            .with("name", self.name.clone())
            .with("position", self.position)
            .with("retired", self.retired)
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Rung);
        let rung = Rung {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            name: r.text("name"),
            position: r.int("position"),
            retired: r.flag("retired"),
        };
        r.finish(rung)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.name = self.name.trim().to_owned();
        p.text("name", &self.name, MAX_SHORT_TEXT);
        if !(1..=MAX_RUNG_POSITION).contains(&self.position) {
            p.push(
                "position",
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_RUNG_POSITION,
                },
            );
        }
        p.finish().map(|()| self)
    }
}

/// One move of a person to a rung: up, down or onto the ladder for the first time.
/// Append-only: a mistaken move is taken back (deleted) and the person's rung is again the
/// one before it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LadderMove {
    /// Its id.
    pub id: LadderMoveId,
    /// The person's area, where it is visible.
    pub area: AreaId,
    /// Who moved them (stamped by the server).
    pub created_by: UserId,
    /// Whom it moves.
    pub person: PersonId,
    /// The rung they are on from now.
    pub rung: RungId,
    /// When, by the device's clock.
    pub at: Timestamp,
    /// Why, in the organiser's words ("ran the street stall on her own").
    pub why: Option<String>,
    /// The one-to-one it was decided in, if any.
    pub one_to_one: Option<OneToOneId>,
    /// The meeting whose attendance it was decided from, if any.
    pub meeting: Option<MeetingId>,
}

impl Entity for LadderMove {
    const COLLECTION: Collection = Collection::LadderMove;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(
            Collection::LadderMove,
            self.id.0,
            self.area,
            self.created_by,
        )
        .with("person", self.person.0)
        .with("rung", self.rung.0)
        .with("at", self.at)
        .with("why", self.why.clone())
        .with("one_to_one", self.one_to_one.map(|o| o.0))
        .with("meeting", self.meeting.map(|m| m.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::LadderMove);
        let step = LadderMove {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            person: r.id("person"),
            rung: r.id("rung"),
            at: r.time("at"),
            why: r.opt_text("why"),
            one_to_one: r.opt_id("one_to_one"),
            meeting: r.opt_id("meeting"),
        };
        r.finish(step)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.why = self
            .why
            .map(|why| why.trim().to_owned())
            .filter(|why| !why.is_empty());
        p.optional_text("why", self.why.as_deref(), MAX_LONG_TEXT);
        p.finish().map(|()| self)
    }
}
