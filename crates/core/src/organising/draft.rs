//! Logging a one-to-one: the form's values as typed, turned into the records to create or
//! into every problem with the field it belongs to. The screen only draws the form and hands
//! the steps to the store, so a rule about a one-to-one lives here once, tested natively.

use std::collections::BTreeSet;

use crate::calendar::{Day, london_day};
use crate::change::Step;
use crate::id::{
    AreaId, IssueId, LadderMoveId, OneToOneId, OrganisationId, PersonId, RecordId, RungId, StoryId,
    Timestamp, UserId,
};
use crate::model::{LadderMove, OneToOne, OneToOneKind, Person, Source, Story, StoryConsent};
use crate::record::Entity;
use crate::validate::{FieldProblem, Problem};

/// Whom the one-to-one was with, as the form has it.
// One form's choice, held once: a whole person inline costs nothing worth a box (and the
// screens build `Known` directly).
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Whom {
    /// Nobody chosen or named yet.
    Nobody,
    /// Someone already on the device, found by search.
    Known(Person),
    /// Someone new, named on the form, to be created with the one-to-one.
    New {
        /// Their name as typed.
        name: String,
        /// Their phone as typed; blank for none.
        phone: String,
        /// The area they belong to, as chosen (`None` when none was).
        area: Option<AreaId>,
    },
}

/// The one-to-one form's values, as typed: nothing is checked until [`OneToOneDraft::steps`].
#[derive(Clone, Debug, PartialEq)]
pub struct OneToOneDraft {
    /// Whom it was with.
    pub with: Whom,
    /// The day it was held, as a date field writes it (`YYYY-MM-DD`).
    pub held_on: String,
    /// What it was for.
    pub kind: OneToOneKind,
    /// The issues they raised, from the area's issue list.
    pub issues: BTreeSet<IssueId>,
    /// Their story in their words; blank for none.
    pub story: String,
    /// How far the story may travel; needed when there is one.
    pub story_consent: Option<StoryConsent>,
    /// How interested they are in acting, 1 to 5, if judged.
    pub interest: Option<i64>,
    /// How much leadership they show, 1 to 5, if judged.
    pub leadership: Option<i64>,
    /// The organisation they belong to, if it came up.
    pub organisation: Option<OrganisationId>,
    /// What was agreed next; blank for nothing.
    pub next_step: String,
    /// By when, as a date field writes it; blank for no day.
    pub next_step_due: String,
    /// The rung of the ladder the organiser moves them to, if the one-to-one moved them.
    pub move_to: Option<RungId>,
}

/// What the form is checked against and stamped with.
#[derive(Clone, Copy)]
pub struct Logging<'a> {
    /// The organiser logging it (who held it).
    pub by: UserId,
    /// Now, by the device's clock.
    pub now: Timestamp,
    /// Makes each new record's id.
    pub mint: &'a dyn Fn() -> RecordId,
}

impl OneToOneDraft {
    /// A blank form for a one-to-one held `today`.
    pub fn new(today: Day) -> Self {
        OneToOneDraft {
            with: Whom::Nobody,
            held_on: today.to_string(),
            kind: OneToOneKind::Introduction,
            issues: BTreeSet::new(),
            story: String::new(),
            story_consent: None,
            interest: None,
            leadership: None,
            organisation: None,
            next_step: String::new(),
            next_step_due: String::new(),
            move_to: None,
        }
    }

    /// The records to create (a new person first, then the story, then the one-to-one, then
    /// their move on the ladder, which names it), or
    /// every problem, each with its field: `person`, `name`, `phone`, `area`, `held_on`,
    /// `story`, `story_consent`, `interest`, `leadership`, `next_step`, `next_step_due`.
    pub fn steps(&self, logging: Logging<'_>) -> Result<Vec<Step>, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let mut steps = Vec::new();
        let person = self.person(logging, &mut problems, &mut steps);
        // The rest of the form is checked even with nobody chosen yet, so that every problem
        // is said at once; `nobody` stands in for the person until then.
        let nobody = RecordId::from_u128(0);
        let (area, person_id) = person
            .as_ref()
            .map_or((AreaId(nobody), PersonId(nobody)), |p| (p.area, p.id));
        let held_on = self.day("held_on", &self.held_on, &mut problems);
        let next_step_due = if self.next_step_due.trim().is_empty() {
            None
        } else {
            self.day("next_step_due", &self.next_step_due, &mut problems)
        };
        let story = self.story(area, person_id, logging, &mut problems);
        let one_to_one = OneToOne {
            id: OneToOneId((logging.mint)()),
            area,
            created_by: logging.by,
            person: person_id,
            held_on: held_on.unwrap_or_else(|| london_day(logging.now)),
            recorded_at: logging.now,
            kind: self.kind,
            issues: self.issues.clone(),
            story: story.as_ref().map(|s| s.id),
            interest: self.interest,
            leadership: self.leadership,
            organisation: self.organisation,
            next_step: Some(self.next_step.clone()),
            next_step_due,
            next_step_done: None,
        };
        match one_to_one.normalised() {
            Ok(one_to_one) if problems.is_empty() => {
                steps.extend(story.map(|s| Step::Created(s.to_record())));
                let moved = self.move_to.map(|rung| LadderMove {
                    id: LadderMoveId((logging.mint)()),
                    area,
                    created_by: logging.by,
                    person: person_id,
                    rung,
                    at: logging.now,
                    why: None,
                    one_to_one: Some(one_to_one.id),
                    meeting: None,
                });
                steps.push(Step::Created(one_to_one.to_record()));
                steps.extend(moved.map(|m| Step::Created(m.to_record())));
                Ok(steps)
            }
            Ok(_) => Err(problems),
            Err(found) => {
                problems.extend(found);
                Err(problems)
            }
        }
    }

    /// Whom it was with: someone known, or someone new whose record `steps` gains.
    fn person(
        &self,
        logging: Logging<'_>,
        problems: &mut Vec<FieldProblem>,
        steps: &mut Vec<Step>,
    ) -> Option<Person> {
        match &self.with {
            Whom::Nobody => {
                problems.push(FieldProblem::new("person", Problem::Missing));
                None
            }
            Whom::Known(person) => Some(person.clone()),
            Whom::New { name, phone, area } => {
                if area.is_none() {
                    problems.push(FieldProblem::new("area", Problem::Missing));
                }
                let mut person = Person::new(
                    PersonId((logging.mint)()),
                    area.unwrap_or(AreaId(RecordId::from_u128(0))),
                    logging.by,
                    name.clone(),
                    Source::Other,
                );
                person.phone = Some(phone.clone()).filter(|p| !p.trim().is_empty());
                match person.normalised() {
                    Ok(person) if area.is_some() => {
                        steps.push(Step::Created(person.to_record()));
                        Some(person)
                    }
                    Ok(_) => None,
                    Err(found) => {
                        problems.extend(found);
                        None
                    }
                }
            }
        }
    }

    /// The day typed in `field`, or a problem beside it.
    fn day(&self, field: &str, typed: &str, problems: &mut Vec<FieldProblem>) -> Option<Day> {
        let day = Day::parse(typed.trim());
        if day.is_none() {
            let problem = if typed.trim().is_empty() {
                Problem::Missing
            } else {
                Problem::WrongType {
                    expected: "a date".into(),
                }
            };
            problems.push(FieldProblem::new(field, problem));
        }
        day
    }

    /// The story told, as a record about the person; a story needs to say how far it may
    /// travel.
    fn story(
        &self,
        area: AreaId,
        person: PersonId,
        logging: Logging<'_>,
        problems: &mut Vec<FieldProblem>,
    ) -> Option<Story> {
        let text = self.story.trim();
        if text.is_empty() {
            return None;
        }
        let Some(consent) = self.story_consent else {
            problems.push(FieldProblem::new("story_consent", Problem::Missing));
            return None;
        };
        let story = Story {
            id: StoryId((logging.mint)()),
            area,
            created_by: logging.by,
            person,
            text: text.to_owned(),
            issue: self.issues.iter().next().copied(),
            consent,
        };
        match story.normalised() {
            Ok(story) => Some(story),
            Err(found) => {
                problems.extend(found.into_iter().map(|p| FieldProblem {
                    field: "story".into(),
                    ..p
                }));
                None
            }
        }
    }
}
