//! Weekly targets: how many one-to-ones an organiser aims for each week, set by a lead
//! organiser. Append-only: a change is a new target from a later week, so the weeks already
//! counted keep the target they had.

use crate::calendar::{Day, Week, Weekday};
use crate::id::{AreaId, RecordId, UserId, WeeklyTargetId};
use crate::record::{Collection, Entity, Reader, Record};
use crate::validate::{FieldProblem, Problem, Problems};
use serde::{Deserialize, Serialize};

/// The target of a week for which nobody set one: the organisation's habit of fifteen
/// one-to-ones a week.
pub const DEFAULT_WEEKLY_TARGET: i64 = 15;

/// The most one-to-ones a week a target may ask for.
pub const MAX_WEEKLY_TARGET: i64 = 100;

/// An organiser's target of one-to-ones a week, from the week starting on `from` until a
/// later target takes over.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WeeklyTarget {
    /// Its id.
    pub id: WeeklyTargetId,
    /// The organiser's home area (their user record's), where it is visible.
    pub area: AreaId,
    /// Who set it.
    pub created_by: UserId,
    /// Whose target it is.
    pub organiser: UserId,
    /// How many one-to-ones a week.
    pub per_week: i64,
    /// The Monday of the first week it applies to.
    pub from: Day,
}

impl WeeklyTarget {
    /// The Monday a target set on `set_on` applies from: the next week's, so that the week
    /// under way is judged by the target it began with.
    pub fn applies_from(set_on: Day) -> Day {
        Week::of(set_on).next().monday()
    }
}

impl Entity for WeeklyTarget {
    const COLLECTION: Collection = Collection::WeeklyTarget;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(
            Collection::WeeklyTarget,
            self.id.0,
            self.area,
            self.created_by,
        )
        .with("organiser", self.organiser.0)
        .with("per_week", self.per_week)
        .with("from", self.from)
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::WeeklyTarget);
        let target = WeeklyTarget {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            organiser: r.id("organiser"),
            per_week: r.int("per_week"),
            from: r.day("from"),
        };
        r.finish(target)
    }

    fn normalised(self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        if !(1..=MAX_WEEKLY_TARGET).contains(&self.per_week) {
            p.push(
                "per_week",
                Problem::OutOfRange {
                    min: 1,
                    max: MAX_WEEKLY_TARGET,
                },
            );
        }
        if self.from.weekday() != Weekday::Monday {
            p.push(
                "from",
                Problem::WrongType {
                    expected: "a Monday".into(),
                },
            );
        }
        p.finish().map(|()| self)
    }
}
