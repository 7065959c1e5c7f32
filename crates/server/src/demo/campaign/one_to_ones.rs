//! The demo organiser's one-to-ones, so that *My week* opens on a habit under way: ten weeks
//! of them before this one, a different number each week and at or over the default target
//! of fifteen in only two, and a few this week, on the days up to the moment the demo is
//! made. Introductions with people from the constituency (once the canvass began, mostly
//! people talked to at a door before, those who showed interest likelier), maintenance one-to-ones with
//! people met a week or more before, and escalations with those rated keen; issues raised
//! from the organiser's issue list, a few interest and leadership ratings, and a handful of
//! next steps: most marked done, three still open (one overdue, two due in the coming days).
//!
//! Each is logged on the organiser's phone through core's one-to-one form
//! ([`OneToOneDraft`]), a next step is marked done as *My week*'s *Done* marks it (the field
//! set on the record), and all of it is pushed as the rest of the campaign is, so the server
//! authorises and validates every record. No weekly target is set: the default applies.
//!
//! The days are London's ([`organise_core::calendar`]). The choices come from their own seed
//! and are made after the rest of the campaign, so they change nothing in it.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, anyhow, bail};
use organise_core::calendar::{Day, Week, london_day, london_midnight};
use organise_core::canvass;
use organise_core::change::Step;
use organise_core::id::{IssueId, PersonId, Timestamp};
use organise_core::model::{Conversation, OneToOneKind, Outcome, Person};
use organise_core::organising::draft::{Logging, OneToOneDraft, Whom};
use organise_core::record::{Collection, Value};
use organise_core::sync::wire::RecordKey;

use super::{Campaign, DAY, MINUTE, id_at, weight};
use crate::accounts::SETUP;
use crate::synthetic::Rng;

const HOUR: i64 = 60 * MINUTE;

/// The seed of the one-to-ones' choices.
const ONE_TO_ONE_SEED: u64 = 41;

/// How many one-to-ones the organiser held in each of the weeks before this one, the
/// earliest first (ten weeks ago) and last week last: a habit building, under the target of
/// fifteen in most weeks, at or over it in two.
pub(super) const PAST_WEEKS: [usize; 10] = [6, 9, 8, 11, 10, 13, 15, 12, 17, 14];

/// How likely a one-to-one is to fall on each day of the week, Monday first.
const DAY_WEIGHTS: [usize; 7] = [16, 18, 18, 18, 12, 14, 4];

/// The next steps agreed and since done, with the weeks (before this one) of the one-to-ones
/// they were agreed in.
const DONE_STEPS: [(usize, &str); 5] = [
    (
        9,
        "Ask the neighbours on the landing whether they have damp too",
    ),
    (7, "Find out when the tenants' association meets"),
    (5, "Send photos of the mould for the repairs log"),
    (4, "Ask the parents at the school gate about the bus cuts"),
    (2, "Share the petition in the block's group chat"),
];

/// The next step agreed last week and not done by its day.
const OVERDUE_STEP: &str = "Talk to the top-floor tenants about the rent rise";

/// The next steps agreed this week, due in the coming days: the second-to-last one-to-one's
/// and the last's, with how many days after today each is due.
const COMING_STEPS: [(&str, i32); 2] = [
    ("Decide whether to host a house meeting", 2),
    ("Bring a neighbour to the launch meeting", 5),
];

/// A one-to-one as planned, before it is logged.
struct Planned {
    held_on: Day,
    recorded_at: Timestamp,
    person: Person,
    kind: OneToOneKind,
    issues: BTreeSet<IssueId>,
    interest: Option<i64>,
    leadership: Option<i64>,
    /// What was agreed, by when, and when it was done.
    next_step: Option<(&'static str, Day, Option<Timestamp>)>,
}

/// Someone the organiser has held a one-to-one with.
#[derive(Clone, Copy)]
struct Met {
    /// The day of the latest.
    last: Day,
    /// How interested they were last rated.
    interest: Option<i64>,
}

/// The week `weeks` weeks before `week`.
fn weeks_before(mut week: Week, weeks: usize) -> Week {
    for _ in 0..weeks {
        week = week.previous();
    }
    week
}

/// A moment on `day` between 10:00 and 19:45, London time, on the quarter hour.
fn starts_on(rng: &mut Rng, day: Day) -> Timestamp {
    Timestamp(
        london_midnight(day).0
            + rng.range(10, 19) as i64 * HOUR
            + rng.below(4) as i64 * 15 * MINUTE,
    )
}

/// When the organiser holds their one-to-ones, in order: each one's day and the moment it
/// starts, for a demo made at `now`. The weeks before this one hold [`PAST_WEEKS`], between
/// 10:00 and 19:45; this week holds three by Monday's end, four by Tuesday's and five from
/// Wednesday, spread over the days up to the last that has had one: today once the morning's
/// one could be over (from 11:30), else yesterday. A demo made early on a Monday has only
/// that day for them: they start an hour and a half before `now`, or at midnight.
pub(super) fn slots(rng: &mut Rng, now: Timestamp) -> Vec<(Day, Timestamp)> {
    let today = london_day(now);
    let this_week = Week::of(today);
    let mut slots = Vec::new();
    for (n, &count) in PAST_WEEKS.iter().enumerate() {
        let week = weeks_before(this_week, PAST_WEEKS.len() - n);
        for _ in 0..count {
            let day = week.monday().add_days(rng.weighted(&DAY_WEIGHTS) as i32);
            slots.push((day, starts_on(rng, day)));
        }
    }
    let count = 3 + today.weekday().days_from_monday().min(2);
    let morning_over = now.0 - london_midnight(today).0 >= 11 * HOUR + 30 * MINUTE;
    let last = if morning_over || today == this_week.monday() {
        today
    } else {
        today.add_days(-1)
    };
    let days = last.days_since(this_week.monday()) + 1;
    for n in 0..count {
        let day = last.add_days(-(((count - 1 - n) * days) / count));
        let starts = Timestamp(
            starts_on(rng, day)
                .0
                .min(now.0 - 90 * MINUTE)
                .max(london_midnight(day).0),
        );
        slots.push((day, starts));
    }
    slots.sort();
    slots
}

impl Campaign {
    /// The organiser logs their one-to-ones (see the module's documentation).
    pub(super) async fn hold_one_to_ones(&mut self) -> anyhow::Result<()> {
        self.organiser.sync(&self.db, &self.trees).await?;
        let mut rng = Rng::new(ONE_TO_ONE_SEED);
        let now = self.now;
        let today = london_day(now);
        let this_week = Week::of(today);
        let replica = &self.organiser.replica;

        let mut people: Vec<Person> = replica.all();
        people.sort_by(|a, b| (&a.name, &a.address, a.id).cmp(&(&b.name, &b.address, b.id)));
        let by_id: BTreeMap<PersonId, &Person> = people.iter().map(|p| (p.id, p)).collect();
        // The people talked to at a door, each once, from the first talk: whether they
        // showed interest (in a meeting, in helping, in hosting), and the day.
        let mut talks: Vec<Conversation> = replica
            .all::<Conversation>()
            .into_iter()
            .filter(|c| c.outcome == Outcome::Held)
            .collect();
        talks.sort_by_key(|c| (c.at, c.person));
        let mut door: Vec<(Day, PersonId, bool)> = Vec::new();
        for talk in &talks {
            if by_id.contains_key(&talk.person) && !door.iter().any(|(_, p, _)| *p == talk.person) {
                door.push((london_day(talk.at), talk.person, !talk.interests.is_empty()));
            }
        }

        let mut met: BTreeMap<PersonId, Met> = BTreeMap::new();
        // Those met, in the order they were first met.
        let mut introduced: Vec<PersonId> = Vec::new();
        let mut planned: Vec<Planned> = Vec::new();
        for (day, starts) in slots(&mut rng, now) {
            let again: Vec<PersonId> = introduced
                .iter()
                .copied()
                .filter(|p| met[p].last.add_days(7) <= day)
                .collect();
            let keen: Vec<PersonId> = again
                .iter()
                .copied()
                .filter(|p| met[p].interest.is_some_and(|i| i >= 4))
                .collect();
            let (kind, person) = if !again.is_empty() && rng.chance(30) {
                if !keen.is_empty() && rng.chance(45) {
                    (OneToOneKind::Escalation, *rng.pick(&keen))
                } else {
                    (OneToOneKind::Maintenance, *rng.pick(&again))
                }
            } else {
                let from_doors: Vec<(PersonId, bool)> = door
                    .iter()
                    .filter(|(talked, p, _)| *talked < day && !met.contains_key(p))
                    .map(|&(_, p, keen)| (p, keen))
                    .collect();
                let person = if !from_doors.is_empty() && rng.chance(65) {
                    let weights: Vec<usize> = from_doors
                        .iter()
                        .map(|&(_, keen)| if keen { 3 } else { 1 })
                        .collect();
                    from_doors[rng.weighted(&weights)].0
                } else {
                    // Someone from the constituency as it was before the canvass: not
                    // one of those met at a door or a meeting since.
                    let fresh: Vec<PersonId> = people
                        .iter()
                        .filter(|p| p.created_by == SETUP && !met.contains_key(&p.id))
                        .map(|p| p.id)
                        .collect();
                    *rng.pick(&fresh)
                };
                (OneToOneKind::Introduction, person)
            };
            let person = by_id[&person].clone();

            let offered = canvass::issues_near(replica, person.area);
            let ward = self
                .cast
                .wards
                .iter()
                .position(|w| *w == person.area)
                .unwrap_or(0);
            let weights: Vec<usize> = offered.iter().map(|i| weight(&i.name, ward)).collect();
            let raised = match kind {
                OneToOneKind::Introduction => [0, 1, 2][rng.weighted(&[30, 45, 25])],
                _ => [0, 1][rng.weighted(&[55, 45])],
            };
            let mut issues = BTreeSet::new();
            if weights.iter().any(|&w| w > 0) {
                for _ in 0..raised {
                    issues.insert(offered[rng.weighted(&weights)].id);
                }
            }
            let (interest, leadership) = match kind {
                OneToOneKind::Introduction => (
                    rng.chance(35)
                        .then(|| [1, 2, 3, 4, 5][rng.weighted(&[10, 25, 35, 20, 10])]),
                    rng.chance(15)
                        .then(|| [1, 2, 3, 4, 5][rng.weighted(&[25, 35, 25, 10, 5])]),
                ),
                OneToOneKind::Maintenance => (rng.chance(20).then(|| rng.range(2, 4) as i64), None),
                OneToOneKind::Escalation => (
                    Some(rng.range(4, 5) as i64),
                    rng.chance(50).then(|| rng.range(2, 4) as i64),
                ),
            };
            let entry = met.entry(person.id).or_insert_with(|| {
                introduced.push(person.id);
                Met {
                    last: day,
                    interest: None,
                }
            });
            entry.last = day;
            entry.interest = interest.or(entry.interest);

            // Written up within two hours, or (now and then, in the weeks before) the next
            // morning; never after the demo is made.
            let recorded = if day < this_week.monday() && rng.chance(12) {
                Timestamp(london_midnight(day.add_days(1)).0 + rng.range(8, 10) as i64 * HOUR)
            } else {
                Timestamp(starts.0 + rng.range(60, 120) as i64 * MINUTE)
            };
            planned.push(Planned {
                held_on: day,
                recorded_at: Timestamp(recorded.0.min(now.0)),
                person,
                kind,
                issues,
                interest,
                leadership,
                next_step: None,
            });
        }

        self.agree_next_steps(&mut rng, &mut planned, today)?;

        let organiser = self.cast.organiser;
        let mut done: Vec<(Timestamp, RecordKey)> = Vec::new();
        for one in &planned {
            let (step, due, done_at) = match one.next_step {
                Some((step, due, done_at)) => (step.to_owned(), due.to_string(), done_at),
                None => (String::new(), String::new(), None),
            };
            let draft = OneToOneDraft {
                with: Whom::Known(one.person.clone()),
                held_on: one.held_on.to_string(),
                kind: one.kind,
                issues: one.issues.clone(),
                interest: one.interest,
                leadership: one.leadership,
                next_step: step,
                next_step_due: due,
                ..OneToOneDraft::new(one.held_on)
            };
            let recorded_at = one.recorded_at;
            let steps = draft
                .steps(Logging {
                    by: organiser,
                    now: recorded_at,
                    mint: &|| id_at(recorded_at),
                })
                .map_err(|problems| anyhow!("a demo one-to-one is not valid: {problems:?}"))?;
            let Some(Step::Created(record)) = steps.last() else {
                bail!("the one-to-one form made no one-to-one");
            };
            if let Some(done_at) = done_at {
                done.push((
                    done_at,
                    RecordKey {
                        collection: Collection::OneToOne,
                        id: record.id,
                    },
                ));
            }
            self.organiser.make(&steps)?;
        }
        // Marked done on *My week*, each on its day.
        done.sort();
        for (done_at, key) in done {
            self.organiser.make(&[Step::Set {
                key,
                field: "next_step_done",
                before: Value::Null,
                after: Value::Time(done_at),
            }])?;
        }
        self.organiser.sync(&self.db, &self.trees).await
    }

    /// Gives a handful of `planned` (in the order they are held) next steps: [`DONE_STEPS`]
    /// in the weeks they name, done a few days after; [`OVERDUE_STEP`] in last week's latest
    /// by Thursday, due three days after it; and [`COMING_STEPS`] in this week's last two.
    fn agree_next_steps(
        &self,
        rng: &mut Rng,
        planned: &mut [Planned],
        today: Day,
    ) -> anyhow::Result<()> {
        let this_week = Week::of(today);
        for (weeks_ago, step) in DONE_STEPS {
            let week = weeks_before(this_week, weeks_ago);
            let held: Vec<usize> = (0..planned.len())
                .filter(|&n| week.contains(planned[n].held_on))
                .collect();
            let one = &mut planned[*rng.pick(&held)];
            let done_at =
                one.recorded_at.0 + rng.range(2, 5) as i64 * DAY + rng.below(8) as i64 * HOUR;
            one.next_step = Some((
                step,
                one.held_on.add_days(7),
                Some(Timestamp(done_at.min(self.now.0))),
            ));
        }
        let last_week = this_week.previous();
        let overdue = planned
            .iter_mut()
            .rev()
            .find(|one| {
                last_week.contains(one.held_on) && one.held_on <= last_week.monday().add_days(3)
            })
            .context("the demo organiser held nothing early last week")?;
        overdue.next_step = Some((OVERDUE_STEP, overdue.held_on.add_days(3), None));
        let mut this_weeks: Vec<&mut Planned> = planned
            .iter_mut()
            .filter(|one| this_week.contains(one.held_on))
            .collect();
        if this_weeks.len() < COMING_STEPS.len() {
            bail!("the demo organiser held too few one-to-ones this week");
        }
        let from = this_weeks.len() - COMING_STEPS.len();
        for (one, (step, after)) in this_weeks.drain(from..).zip(COMING_STEPS) {
            one.next_step = Some((step, today.add_days(after), None));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_one_to_ones_fall_in_the_weeks_planned_and_none_after_the_demo_is_made() {
        // Every day of two weeks from Thursday 1 January 2026, and of two weeks in summer
        // time from Thursday 2 July 2026, just after London's midnight and just before the
        // next.
        for first in [1_767_225_600_000, 1_782_950_400_000] {
            for day in 0..14 {
                let day = london_day(Timestamp(first)).add_days(day);
                for now in [
                    london_midnight(day).0 + MINUTE,
                    london_midnight(day.add_days(1)).0 - MINUTE,
                ] {
                    let now = Timestamp(now);
                    let today = london_day(now);
                    assert_eq!(today, day);
                    let slots = slots(&mut Rng::new(ONE_TO_ONE_SEED), now);
                    assert!(slots.is_sorted());
                    let this_week = Week::of(today);
                    let mut week = this_week;
                    for &count in PAST_WEEKS.iter().rev() {
                        week = week.previous();
                        let held = slots.iter().filter(|(d, _)| week.contains(*d)).count();
                        assert_eq!(held, count);
                    }
                    let now_held: Vec<Day> = slots
                        .iter()
                        .map(|(d, _)| *d)
                        .filter(|d| this_week.contains(*d))
                        .collect();
                    assert!((3..=5).contains(&now_held.len()), "{now_held:?}");
                    assert!(now_held.iter().all(|d| *d <= today));
                    // Held today only once the morning is over, unless it is Monday.
                    if today != this_week.monday() {
                        assert_eq!(
                            now_held.contains(&today),
                            now.0 - london_midnight(today).0 > 12 * HOUR
                        );
                    }
                    assert_eq!(
                        slots.len(),
                        PAST_WEEKS.iter().sum::<usize>() + now_held.len()
                    );
                    for (day, starts) in &slots {
                        assert_eq!(london_day(*starts), *day);
                        assert!(*starts <= now);
                    }
                }
            }
        }
    }

    #[test]
    fn most_weeks_are_under_the_default_target_and_a_few_at_or_over_it() {
        let target = organise_core::model::DEFAULT_WEEKLY_TARGET as usize;
        let over = PAST_WEEKS.iter().filter(|&&n| n >= target).count();
        assert!((1..=3).contains(&over));
        let counts: BTreeSet<usize> = PAST_WEEKS.into_iter().collect();
        assert_eq!(
            counts.len(),
            PAST_WEEKS.len(),
            "a different count each week"
        );
    }
}
