//! Training as organisers record and read it: everyone who came to a training meeting
//! recorded as trained in its module, one person recorded by hand, who in an area is trained in a module, and the modules
//! known, for a picker.
//!
//! The record is [`crate::model::Training`]. A module is kept as a person's skills are
//! ([`crate::model::normalise_tag`]: trimmed), and compared as kept.

use crate::area::AreaTree;
use crate::calendar::{Day, london_day};
use crate::id::{AreaId, MeetingId, PersonId, RecordId, TrainingId, UserId};
use crate::meetings::Turnout;
use crate::model::{
    Attendance, AttendanceStatus, Meeting, MeetingKind, Person, Training, normalise_tag,
};
use crate::order;
use crate::validate::{FieldProblem, Problem};
use std::collections::{BTreeMap, BTreeSet};

/// The trainings `meeting` (a training) gives in `module`: one for each person who came, by
/// its `attendances` (counted once however many devices signed them in, as
/// [`Turnout`] counts them), on the meeting's London day, naming the meeting, filed in the
/// person's area, by `by`, each with an id from `mint`. Left out: whoever did not come (only
/// invited, replied, declined), anyone counted without a record, anyone already `recorded`
/// as trained in the module at this meeting, and anyone whose record is not among `people`
/// (their area is not known). Every problem by its field: the module as a training's own
/// rule has it, and a meeting that is not a training.
pub fn from_meeting<'a>(
    meeting: &Meeting,
    attendances: impl IntoIterator<Item = &'a Attendance>,
    people: impl IntoIterator<Item = &'a Person>,
    recorded: impl IntoIterator<Item = &'a Training>,
    module: &str,
    by: UserId,
    mut mint: impl FnMut() -> RecordId,
) -> Result<Vec<Training>, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    if meeting.kind != MeetingKind::Training {
        problems.push(FieldProblem::new(
            "meeting",
            Problem::WrongType {
                expected: "a training".into(),
            },
        ));
    }
    let module = match normalise_tag(module) {
        Ok(module) => Some(module),
        Err(problem) => {
            problems.push(FieldProblem::new("module", problem));
            None
        }
    };
    let Some(module) = module.filter(|_| problems.is_empty()) else {
        return Err(problems);
    };
    let already: BTreeSet<PersonId> = recorded
        .into_iter()
        .filter(|t| t.meeting == Some(meeting.id) && t.module == module)
        .map(|t| t.person)
        .collect();
    let areas: BTreeMap<PersonId, AreaId> = people.into_iter().map(|p| (p.id, p.area)).collect();
    // Only who came matters, and coming is never undone by a later word: the time given
    // decides nothing here.
    let turnout = Turnout::of(meeting, attendances, meeting.starts);
    let on = london_day(meeting.starts);
    Ok(turnout
        .attendees
        .iter()
        .filter(|a| a.status == AttendanceStatus::Attended && !already.contains(&a.person))
        .filter_map(|a| {
            let area = *areas.get(&a.person)?;
            Some(Training {
                id: mint().into(),
                area,
                created_by: by,
                person: a.person,
                module: module.clone(),
                on,
                meeting: Some(meeting.id),
            })
        })
        .collect())
}

/// A training recorded by hand: `person` trained in `module` on `on`, filed in their area,
/// by `by`, as `id`. Every problem by its field: the module as a training's own rule has it,
/// and a day after `today` (a training not yet given is not recorded).
pub fn by_hand(
    person: &Person,
    module: &str,
    on: Day,
    today: Day,
    by: UserId,
    id: TrainingId,
) -> Result<Training, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let module = normalise_tag(module)
        .map_err(|problem| problems.push(FieldProblem::new("module", problem)))
        .ok();
    if on > today {
        problems.push(FieldProblem::new("on", Problem::InFuture));
    }
    match module {
        Some(module) if problems.is_empty() => Ok(Training {
            id,
            area: person.area,
            created_by: by,
            person: person.id,
            module,
            on,
            meeting: None,
        }),
        _ => Err(problems),
    }
}

/// Someone trained in a module.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Trained {
    /// Who.
    pub person: PersonId,
    /// Their name.
    pub name: String,
    /// The latest day they were trained in it.
    pub on: Day,
    /// The meeting that latest training was at, if any.
    pub meeting: Option<MeetingId>,
}

/// Who among `people` living in `area` or any area within it (a constituency's wards) is
/// trained in `module` (kept as a training's module is, so " First aid " finds "First aid"),
/// each once with their latest training, by name. Trainings of anyone not among `people`
/// are left out.
pub fn trained_in<'a>(
    module: &str,
    area: AreaId,
    tree: &AreaTree,
    trainings: impl IntoIterator<Item = &'a Training>,
    people: impl IntoIterator<Item = &'a Person>,
) -> Vec<Trained> {
    let Ok(module) = normalise_tag(module) else {
        return Vec::new();
    };
    let mut latest: BTreeMap<PersonId, &Training> = BTreeMap::new();
    for training in trainings {
        if training.module != module {
            continue;
        }
        let kept = latest.entry(training.person).or_insert(training);
        if (training.on, training.id) > (kept.on, kept.id) {
            *kept = training;
        }
    }
    let mut trained: Vec<Trained> = people
        .into_iter()
        .filter(|p| tree.is_within(p.area, area))
        .filter_map(|p| {
            let training = latest.remove(&p.id)?;
            Some(Trained {
                person: p.id,
                name: p.name.clone(),
                on: training.on,
                meeting: training.meeting,
            })
        })
        .collect();
    order::sort_by(&mut trained, |a, b| {
        (a.name.to_lowercase(), a.person).cmp(&(b.name.to_lowercase(), b.person))
    });
    trained
}

/// The modules anyone was trained in, each once, in alphabetical order whatever the case:
/// what a picker offers.
pub fn modules<'a>(trainings: impl IntoIterator<Item = &'a Training>) -> Vec<String> {
    let known: BTreeSet<&str> = trainings.into_iter().map(|t| t.module.as_str()).collect();
    let mut modules: Vec<String> = known.into_iter().map(str::to_owned).collect();
    order::sort_by_key(&mut modules, |m| m.to_lowercase());
    modules
}
