//! An organiser's week: the one-to-ones they held counted against their weekly target, the
//! weeks before it, and the next steps they agreed; and the same count for each organiser, for
//! a lead organiser.
//!
//! A read model over plain typed records: no replica, no clock. The day it is (`today`) and
//! the records come in; what the *My week* screen shows comes out. Days and weeks are
//! London's ([`crate::calendar`]).
//!
//! A one-to-one counts in the week of the day it was held (not the day it was recorded), for
//! the organiser who held it, and at most once per person per day: the same conversation
//! logged on a phone and again on a laptop is one conversation.

pub mod draft;

use crate::calendar::{Day, Week};
use crate::id::{OneToOneId, PersonId, UserId};
use crate::model::{DEFAULT_WEEKLY_TARGET, OneToOne, Role, RoleAssignment, User, WeeklyTarget};
use crate::order;
use std::collections::{BTreeMap, BTreeSet};

/// How many weeks the trend shows, this one included.
pub const TREND_WEEKS: usize = 12;

/// One week's count and the target in force that week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WeekCount {
    /// The week.
    pub week: Week,
    /// The one-to-ones held in it (one per person per day).
    pub count: usize,
    /// The target in force that week.
    pub target: i64,
}

/// When a next step is due, as the week sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Due {
    /// Its day has passed (it was due before today).
    Overdue,
    /// Today or later this week.
    ThisWeek,
    /// After this week.
    Later,
}

/// A next step agreed in a one-to-one, not yet done.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NextStep {
    /// The one-to-one it was agreed in (to mark it done).
    pub one_to_one: OneToOneId,
    /// Whom it was agreed with.
    pub person: PersonId,
    /// What was agreed.
    pub step: String,
    /// By when.
    pub due: Day,
    /// Whether that day has passed, or falls this week.
    pub when: Due,
}

/// What *My week* shows an organiser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MyWeek {
    /// The week `today` falls in.
    pub week: Week,
    /// The one-to-ones held this week (one per person per day).
    pub count: usize,
    /// This week's target.
    pub target: i64,
    /// How many of this week's were recorded late (more than two weeks after they were held,
    /// [`OneToOne::is_late`]): they count, and the habit of recording them on the day is
    /// asked for.
    pub late: usize,
    /// The [`TREND_WEEKS`] weeks ending with this one, oldest first.
    pub trend: Vec<WeekCount>,
    /// The next steps still to do that have a due day, by due day (then by one-to-one).
    pub next_steps: Vec<NextStep>,
}

/// One organiser's week, for a lead organiser.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrganiserWeek {
    /// The organiser.
    pub organiser: UserId,
    /// Their name.
    pub name: String,
    /// The one-to-ones they held that week (one per person per day).
    pub count: usize,
    /// Their target that week.
    pub target: i64,
}

/// The conversations `organiser` held between `first` and `last` (days included): each
/// person once per day, with whether every record of it was recorded late.
fn held<'a>(
    organiser: UserId,
    first: Day,
    last: Day,
    one_to_ones: impl IntoIterator<Item = &'a OneToOne>,
) -> BTreeMap<(Day, PersonId), bool> {
    let mut held = BTreeMap::new();
    for one_to_one in one_to_ones {
        if one_to_one.created_by == organiser && (first..=last).contains(&one_to_one.held_on) {
            // Logged twice, it was late only if both were: recorded on time once is on time.
            let late = held
                .entry((one_to_one.held_on, one_to_one.person))
                .or_insert(true);
            *late &= one_to_one.is_late();
        }
    }
    held
}

/// How many one-to-ones `organiser` held in `week`, counting each person at most once a day.
pub fn count_in<'a>(
    week: Week,
    organiser: UserId,
    one_to_ones: impl IntoIterator<Item = &'a OneToOne>,
) -> usize {
    held(organiser, week.monday(), week.sunday(), one_to_ones).len()
}

/// The target in force for `organiser` in `week`: the `per_week` of their target with the
/// latest `from` on or before the week's Monday (of two from the same Monday, the one with
/// the later id), else [`DEFAULT_WEEKLY_TARGET`].
pub fn target_in<'a>(
    week: Week,
    organiser: UserId,
    targets: impl IntoIterator<Item = &'a WeeklyTarget>,
) -> i64 {
    targets
        .into_iter()
        .filter(|t| t.organiser == organiser && t.from <= week.monday())
        .max_by_key(|t| (t.from, t.id))
        .map_or(DEFAULT_WEEKLY_TARGET, |t| t.per_week)
}

/// *My week* for `organiser` on `today`, from the one-to-ones and targets at hand (anyone
/// else's are passed over).
pub fn my_week(
    organiser: UserId,
    today: Day,
    one_to_ones: &[OneToOne],
    targets: &[WeeklyTarget],
) -> MyWeek {
    let week = Week::of(today);
    let mut weeks = vec![week];
    while weeks.len() < TREND_WEEKS {
        let earliest = weeks[weeks.len() - 1].previous();
        weeks.push(earliest);
    }
    weeks.reverse();
    let held = held(organiser, weeks[0].monday(), week.sunday(), one_to_ones);
    let mut counts: BTreeMap<Week, usize> = BTreeMap::new();
    for &(day, _) in held.keys() {
        *counts.entry(Week::of(day)).or_default() += 1;
    }
    let trend: Vec<WeekCount> = weeks
        .iter()
        .map(|&w| WeekCount {
            week: w,
            count: counts.get(&w).copied().unwrap_or_default(),
            target: target_in(w, organiser, targets),
        })
        .collect();
    let late = held
        .iter()
        .filter(|((day, _), late)| **late && week.contains(*day))
        .count();
    let mut next_steps: Vec<NextStep> = one_to_ones
        .iter()
        .filter(|o| o.created_by == organiser && o.next_step_done.is_none())
        .filter_map(|o| {
            let due = o.next_step_due?;
            let when = if due < today {
                Due::Overdue
            } else if week.contains(due) {
                Due::ThisWeek
            } else {
                Due::Later
            };
            Some(NextStep {
                one_to_one: o.id,
                person: o.person,
                step: o.next_step.clone()?,
                due,
                when,
            })
        })
        .collect();
    order::sort_by_key(&mut next_steps, |s| (s.due, s.one_to_one));
    let this_week = trend[trend.len() - 1];
    MyWeek {
        week,
        count: this_week.count,
        target: this_week.target,
        late,
        trend,
        next_steps,
    }
}

/// Every organiser's count and target for `week`, for a lead organiser: one row per user who
/// holds the organiser role in `roles`, by name (then by id), never by count. A lead organiser
/// looks for who needs support, so the app draws no league table.
pub fn team_week(
    week: Week,
    users: &[User],
    roles: &[RoleAssignment],
    one_to_ones: &[OneToOne],
    targets: &[WeeklyTarget],
) -> Vec<OrganiserWeek> {
    let organisers: BTreeSet<UserId> = roles
        .iter()
        .filter(|r| r.role == Role::Organiser)
        .map(|r| r.user)
        .collect();
    let mut held: BTreeMap<UserId, BTreeSet<(Day, PersonId)>> = BTreeMap::new();
    for o in one_to_ones {
        if organisers.contains(&o.created_by) && week.contains(o.held_on) {
            held.entry(o.created_by)
                .or_default()
                .insert((o.held_on, o.person));
        }
    }
    let mut rows: Vec<OrganiserWeek> = users
        .iter()
        .filter(|u| organisers.contains(&u.id))
        .map(|u| OrganiserWeek {
            organiser: u.id,
            name: u.name.clone(),
            count: held.get(&u.id).map_or(0, BTreeSet::len),
            target: target_in(week, u.id, targets),
        })
        .collect();
    order::sort_by(&mut rows, |a, b| {
        (&a.name, a.organiser).cmp(&(&b.name, b.organiser))
    });
    rows
}
