//! The ladder of engagement as organisers read it: the rungs in order, each person's rung
//! (their latest move), their history, the next rung up, and an area's ladder as a chart.
//!
//! A person's rung is decided by their moves alone ([`crate::model::LadderMove`]): the latest
//! by `at`, ties broken by id so every device agrees. A move taken back (deleted) leaves the
//! one before it in force. Someone with no move is not on the ladder yet.

use crate::id::{AreaId, LadderMoveId, PersonId, RecordId, RungId, Timestamp, UserId};
use crate::model::{LadderMove, Rung};
use crate::order;
use std::collections::{BTreeMap, BTreeSet};

/// The ladder a new organisation starts with, lowest first. Admins rename, add and retire
/// rungs from there.
pub const DEFAULT_LADDER: [&str; 5] = ["Supporter", "Volunteer", "Host", "Leader", "Organiser"];

/// How far back the chart's "moved lately" reaches.
pub const RECENT_DAYS: i64 = 30;

/// The default ladder's rungs, in the root area `root`, each with an id from `mint`.
pub fn default_ladder(root: AreaId, created_by: UserId, mint: impl Fn() -> RecordId) -> Vec<Rung> {
    DEFAULT_LADDER
        .iter()
        .zip(1..)
        .map(|(name, position)| Rung {
            id: mint().into(),
            area: root,
            created_by,
            name: (*name).to_owned(),
            position,
            retired: false,
        })
        .collect()
}

/// The rungs in ladder order: by position, then name, then id.
pub fn in_order<'a>(rungs: impl IntoIterator<Item = &'a Rung>) -> Vec<&'a Rung> {
    let mut rungs: Vec<&Rung> = rungs.into_iter().collect();
    order::sort_by(&mut rungs, |a, b| {
        (a.position, &a.name, a.id).cmp(&(b.position, &b.name, b.id))
    });
    rungs
}

/// The rung above `current` that a move up goes to: the next one in ladder order that is
/// not retired (the lowest such rung for someone not on the ladder yet). `None` at the top.
pub fn next_up<'a>(ordered: &[&'a Rung], current: Option<RungId>) -> Option<&'a Rung> {
    let from = match current {
        None => 0,
        Some(current) => ordered.iter().position(|r| r.id == current)? + 1,
    };
    ordered[from..].iter().copied().find(|r| !r.retired)
}

fn later(a: &LadderMove, b: &LadderMove) -> bool {
    (a.at, a.id) > (b.at, b.id)
}

/// Each person's current move: their latest.
pub fn current<'a>(
    moves: impl IntoIterator<Item = &'a LadderMove>,
) -> BTreeMap<PersonId, &'a LadderMove> {
    let mut latest: BTreeMap<PersonId, &LadderMove> = BTreeMap::new();
    for step in moves {
        match latest.get(&step.person) {
            Some(held) if !later(step, held) => {}
            _ => {
                latest.insert(step.person, step);
            }
        }
    }
    latest
}

/// One entry of a person's history: a move, and the rung they left for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The move.
    pub step: &'a LadderMove,
    /// The rung they were on before it (`None`: it put them on the ladder).
    pub from: Option<RungId>,
}

/// `person`'s moves, newest first, each with the rung it moved them from.
pub fn history<'a>(
    person: PersonId,
    moves: impl IntoIterator<Item = &'a LadderMove>,
) -> Vec<Entry<'a>> {
    let mut theirs: Vec<&LadderMove> = moves.into_iter().filter(|m| m.person == person).collect();
    order::sort_by(&mut theirs, |a, b| (a.at, a.id).cmp(&(b.at, b.id)));
    let mut from = None;
    let mut entries: Vec<Entry<'a>> = theirs
        .into_iter()
        .map(|step| {
            let entry = Entry { step, from };
            from = Some(step.rung);
            entry
        })
        .collect();
    entries.reverse();
    entries
}

/// One rung of an area's chart.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// The rung.
    pub rung: RungId,
    /// Its name.
    pub name: String,
    /// Whether it is retired (shown while anyone is still on it).
    pub retired: bool,
    /// How many of the area's people are on it now.
    pub people: usize,
}

/// A move of the last [`RECENT_DAYS`] days, for the chart's "moved lately".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recent {
    /// The move's id.
    pub id: LadderMoveId,
    /// Who moved.
    pub person: PersonId,
    /// From which rung (`None`: onto the ladder).
    pub from: Option<RungId>,
    /// To which rung.
    pub to: RungId,
    /// Whether it was up the ladder (or onto it), rather than down or sideways.
    pub up: bool,
    /// When.
    pub at: Timestamp,
    /// Who moved them.
    pub by: UserId,
}

/// An area's ladder: how many people stand on each rung, and who moved lately.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Chart {
    /// The rungs in ladder order, lowest first. A retired rung is left out when nobody is on
    /// it.
    pub steps: Vec<Step>,
    /// How many of the area's people are on no rung yet.
    pub not_on_ladder: usize,
    /// The moves of the last [`RECENT_DAYS`] days of people in the area, newest first.
    pub recent: Vec<Recent>,
}

impl Chart {
    /// How many people are on the ladder at all.
    pub fn on_ladder(&self) -> usize {
        self.steps.iter().map(|s| s.people).sum()
    }
}

/// The chart of the ladder for `people` (those of one area), at `now`. A move to a rung the reader does not know is counted
/// as not on the ladder rather than lost from the total.
pub fn chart(
    rungs: &[Rung],
    moves: &[LadderMove],
    people: impl IntoIterator<Item = PersonId>,
    now: Timestamp,
) -> Chart {
    let ordered = in_order(rungs);
    let latest = current(moves);
    let mut counts: BTreeMap<RungId, usize> = BTreeMap::new();
    let mut chart = Chart::default();
    let mut in_area = BTreeSet::new();
    for person in people {
        if !in_area.insert(person) {
            continue;
        }
        match latest.get(&person) {
            Some(step) if ordered.iter().any(|r| r.id == step.rung) => {
                *counts.entry(step.rung).or_default() += 1;
            }
            _ => chart.not_on_ladder += 1,
        }
    }
    chart.steps = ordered
        .iter()
        .map(|rung| Step {
            rung: rung.id,
            name: rung.name.clone(),
            retired: rung.retired,
            people: counts.get(&rung.id).copied().unwrap_or(0),
        })
        .filter(|step| !step.retired || step.people > 0)
        .collect();
    let position = |rung: RungId| ordered.iter().position(|r| r.id == rung);
    let since = now.0 - RECENT_DAYS * 24 * 60 * 60 * 1000;
    let mut by_person: BTreeMap<PersonId, Vec<&LadderMove>> = BTreeMap::new();
    for step in moves.iter().filter(|m| in_area.contains(&m.person)) {
        by_person.entry(step.person).or_default().push(step);
    }
    for (&person, theirs) in &by_person {
        if theirs.iter().all(|m| m.at.0 < since) {
            continue;
        }
        for entry in history(person, theirs.iter().copied()) {
            if entry.step.at.0 < since || entry.step.at > now {
                continue;
            }
            let up = match (entry.from.and_then(position), position(entry.step.rung)) {
                (None, _) => true,
                (Some(from), Some(to)) => to > from,
                (Some(_), None) => false,
            };
            chart.recent.push(Recent {
                id: entry.step.id,
                person,
                from: entry.from,
                to: entry.step.rung,
                up,
                at: entry.step.at,
                by: entry.step.created_by,
            });
        }
    }
    order::sort_by(&mut chart.recent, |a, b| (b.at, b.id).cmp(&(a.at, a.id)));
    chart
}
