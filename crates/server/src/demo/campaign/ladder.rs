//! The demo organiser's ladder of engagement, so that the ladder chart opens on a campaign
//! that has moved people: a few dozen on Supporter (those who showed interest at a door or
//! told their story there, came to the house meeting or warmed to an introduction), fewer on
//! Volunteer (those who offered at a door to help, and those the organiser escalated in a
//! one-to-one), a handful on Host (those who offered to host a house meeting of their own,
//! at the door or at the house meeting) and one or two Leaders. The demo's own hosts are
//! volunteers with accounts, not people on the organiser's lists, so they are not on it.
//!
//! Every move follows something the campaign already holds, at a moment after it: a talk at
//! a door, a one-to-one (the escalations are named in the move's `one_to_one`), the house
//! meeting (named in `meeting` for those who offered to host there). Someone is only ever
//! moved up, so each person's history reads as a climb; a couple of moves say why in the
//! organiser's words.
//!
//! Each move is made as core's [`LadderMove`] on the organiser's phone and pushed as the rest
//! of the campaign is, so the server authorises and validates every one. The choices come
//! from their own seed and are made after the rest of the campaign, so they change nothing
//! in it.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, anyhow, bail};
use organise_core::change::Step;
use organise_core::id::{LadderMoveId, MeetingId, OneToOneId, PersonId, Timestamp};
use organise_core::ladder;
use organise_core::model::{
    Attendance, AttendanceStatus, Conversation, Interest, LadderMove, Meeting, MeetingKind,
    MeetingStatus, OneToOne, OneToOneKind, Outcome, Person, Rung, Story,
};
use organise_core::record::Entity;

use super::{Campaign, DAY, MINUTE, id_at};
use crate::synthetic::Rng;

const HOUR: i64 = 60 * MINUTE;

/// The seed of the ladder's choices.
const LADDER_SEED: u64 = 53;

/// The rungs the demo moves people to, by their place on the ladder, lowest first.
const SUPPORTER: usize = 0;
const VOLUNTEER: usize = 1;
const HOST: usize = 2;
const LEADER: usize = 3;

/// How many the organiser names leaders, at most.
const LEADERS: usize = 2;

/// Why, in the organiser's words, for the first move of each kind that says.
const WHY_HELPS: &str = "Offered at the door to help, and said yes when I rang back";
const WHY_HOSTS: &str = "Offered at the house meeting to host one in their own front room";
const WHY_LEADS: &str =
    "Brings new neighbours along every week and wants to chair the next meeting";

/// What puts someone on a rung: when, and what it came from.
#[derive(Clone, Debug)]
struct Reason {
    at: Timestamp,
    person: PersonId,
    /// The rung, by its place on the ladder.
    rung: usize,
    one_to_one: Option<OneToOneId>,
    meeting: Option<MeetingId>,
}

impl Reason {
    fn new(at: Timestamp, person: PersonId, rung: usize) -> Reason {
        Reason {
            at,
            person,
            rung,
            one_to_one: None,
            meeting: None,
        }
    }
}

impl Campaign {
    /// The organiser moves people up the ladder (see the module's documentation).
    pub(super) async fn climb_the_ladder(&mut self) -> anyhow::Result<()> {
        self.organiser.sync(&self.db, &self.trees).await?;
        let mut rng = Rng::new(LADDER_SEED);
        let now = self.now;
        // Never after the demo is made: the organiser updates the ladder as they go.
        let by_now = |at: i64| Timestamp(at.min(now.0));
        let replica = &self.organiser.replica;

        let rungs: Vec<Rung> = replica.all();
        let rungs: Vec<Rung> = ladder::in_order(&rungs)
            .into_iter()
            .filter(|r| !r.retired)
            .cloned()
            .collect();
        if rungs.len() <= LEADER {
            bail!("the demo's ladder has fewer rungs than the campaign moves people to");
        }
        let people: BTreeMap<PersonId, Person> = replica
            .all::<Person>()
            .into_iter()
            .map(|p| (p.id, p))
            .collect();
        // Everything below is put in an order that does not depend on ids minted afresh
        // each time: by time, then by name and address.
        let order = |person: PersonId| {
            people
                .get(&person)
                .map(|p| (p.name.clone(), p.address.clone()))
        };
        let mut reasons: Vec<Reason> = Vec::new();

        // At the doors: the first talk in which someone showed interest or told their story
        // puts them on the ladder a day or so later, when the organiser reads the talks;
        // most of those who offered to help or to host are moved up again once the organiser
        // has rung them back.
        let told: BTreeSet<PersonId> = replica.all::<Story>().iter().map(|s| s.person).collect();
        let mut talks: Vec<Conversation> = replica
            .all::<Conversation>()
            .into_iter()
            .filter(|c| c.outcome == Outcome::Held && people.contains_key(&c.person))
            .filter(|c| !c.interests.is_empty() || told.contains(&c.person))
            .collect();
        talks.sort_by_key(|c| (c.at, order(c.person)));
        let mut talked: Vec<PersonId> = Vec::new();
        for talk in &talks {
            if talked.contains(&talk.person) {
                continue;
            }
            talked.push(talk.person);
            let read = by_now(talk.at.0 + rng.range(3, 26) as i64 * HOUR);
            reasons.push(Reason::new(read, talk.person, SUPPORTER));
            let offered = if talk.interests.contains(&Interest::HostHouseMeeting) {
                Some(HOST)
            } else if talk.interests.contains(&Interest::Volunteer) {
                Some(VOLUNTEER)
            } else {
                None
            };
            if let Some(rung) = offered
                && rng.chance(75)
            {
                let rang = talk.at.0 + rng.range(2, 6) as i64 * DAY + rng.range(1, 8) as i64 * HOUR;
                reasons.push(Reason::new(Timestamp(rang), talk.person, rung));
            }
        }

        // In the one-to-ones: an introduction that warmed someone puts them on the ladder as
        // it is written up; an escalation asks more of them, and the move names it.
        let mut one_to_ones: Vec<OneToOne> = replica
            .all::<OneToOne>()
            .into_iter()
            .filter(|o| people.contains_key(&o.person))
            .collect();
        one_to_ones.sort_by_key(|o| (o.recorded_at, o.held_on, order(o.person)));
        for one in &one_to_ones {
            let written_up = by_now(one.recorded_at.0 + rng.range(2, 15) as i64 * MINUTE);
            match one.kind {
                OneToOneKind::Introduction if one.interest.is_some_and(|i| i >= 3) => {
                    reasons.push(Reason::new(written_up, one.person, SUPPORTER));
                }
                OneToOneKind::Escalation => reasons.push(Reason {
                    one_to_one: Some(one.id),
                    ..Reason::new(written_up, one.person, VOLUNTEER)
                }),
                _ => {}
            }
        }

        // At the house meeting: those who came are supporters now, and those who offered to
        // host one of their own are hosts straight away, the move naming the meeting.
        let mut meetings: Vec<Meeting> = replica
            .all::<Meeting>()
            .into_iter()
            .filter(|m| m.kind == MeetingKind::HouseMeeting && m.status == MeetingStatus::Approved)
            .filter(|m| m.ends.is_some_and(|ends| ends < now))
            .collect();
        meetings.sort_by_key(|m| m.starts);
        let attendances = replica.all::<Attendance>();
        for meeting in &meetings {
            let ends = meeting.ends.context("a held meeting has an end")?;
            let mut came: Vec<(Timestamp, PersonId, bool)> = attendances
                .iter()
                .filter(|a| a.meeting == meeting.id && a.status == AttendanceStatus::Attended)
                .filter_map(|a| Some((a.signed_in_at?, a.person?, a.would_host)))
                .filter(|(_, person, _)| people.contains_key(person))
                .collect();
            came.sort_by_key(|&(at, person, _)| (at, order(person)));
            for (n, (_, person, would_host)) in came.into_iter().enumerate() {
                let after = by_now(ends.0 + HOUR + n as i64 * 2 * MINUTE);
                reasons.push(if would_host {
                    Reason {
                        meeting: Some(meeting.id),
                        ..Reason::new(after, person, HOST)
                    }
                } else {
                    Reason::new(after, person, SUPPORTER)
                });
            }
        }

        // The leaders: those the organiser escalated more than once or rated three or more
        // for leadership, most escalated first, named after their latest one-to-one.
        let mut escalated: BTreeMap<PersonId, (usize, i64, &OneToOne)> = BTreeMap::new();
        for one in one_to_ones
            .iter()
            .filter(|o| o.kind == OneToOneKind::Escalation)
        {
            let entry = escalated.entry(one.person).or_insert((0, 0, one));
            entry.0 += 1;
            entry.1 = entry.1.max(one.leadership.unwrap_or(0));
        }
        let mut candidates: Vec<(PersonId, usize, i64)> = escalated
            .iter()
            .map(|(&person, &(times, leadership, _))| (person, times, leadership))
            .filter(|&(_, times, leadership)| times >= 2 || leadership >= 3)
            .collect();
        candidates.sort_by_key(|&(person, times, leadership)| {
            (std::cmp::Reverse((times, leadership)), order(person))
        });
        for (person, _, _) in candidates.into_iter().take(LEADERS) {
            let Some(latest) = one_to_ones.iter().rev().find(|o| o.person == person) else {
                continue;
            };
            let first_escalation = escalated[&person].2;
            if latest.id == first_escalation.id {
                // Their latest one-to-one is the escalation that made them a volunteer: they
                // are named a leader a week after it, once they have shown it.
                let later = first_escalation.recorded_at.0 + 7 * DAY;
                if later < now.0 {
                    reasons.push(Reason::new(Timestamp(later), person, LEADER));
                }
            } else {
                reasons.push(Reason {
                    one_to_one: (latest.kind == OneToOneKind::Escalation).then_some(latest.id),
                    ..Reason::new(
                        by_now(latest.recorded_at.0 + rng.range(5, 20) as i64 * MINUTE),
                        person,
                        LEADER,
                    )
                });
            }
        }

        let moves = self.moves(reasons, &rungs, &people)?;
        for step in moves {
            let step = step
                .normalised()
                .map_err(|problems| anyhow!("a demo ladder move is not valid: {problems:?}"))?;
            self.organiser.make(&[Step::Created(step.to_record())])?;
        }
        self.organiser.sync(&self.db, &self.trees).await
    }

    /// The moves `reasons` lead to, earliest reason first. Each person only moves up, so a reason
    /// for a rung they are on already (or above) makes no move; two of one person's moves
    /// are never at the same moment, so which is latest never rests on their random ids.
    /// The first move of each kind that has a reason in words gets it.
    fn moves(
        &self,
        mut reasons: Vec<Reason>,
        rungs: &[Rung],
        people: &BTreeMap<PersonId, Person>,
    ) -> anyhow::Result<Vec<LadderMove>> {
        let order = |person: PersonId| {
            people
                .get(&person)
                .map(|p| (p.name.clone(), p.address.clone()))
        };
        reasons.sort_by_key(|r| (r.at, order(r.person), r.rung));
        let mut on: BTreeMap<PersonId, (usize, Timestamp)> = BTreeMap::new();
        let mut said: Vec<usize> = Vec::new();
        let mut moves: Vec<LadderMove> = Vec::new();
        for reason in reasons {
            let person = people
                .get(&reason.person)
                .context("a demo move is about someone the organiser does not see")?;
            let mut at = reason.at;
            if let Some(&(rung, last)) = on.get(&reason.person) {
                if rung >= reason.rung {
                    continue;
                }
                at = Timestamp(at.0.max(last.0 + MINUTE));
            }
            if at > self.now {
                continue;
            }
            let why = match reason.rung {
                VOLUNTEER if reason.one_to_one.is_none() => Some(WHY_HELPS),
                HOST if reason.meeting.is_some() => Some(WHY_HOSTS),
                LEADER => Some(WHY_LEADS),
                _ => None,
            }
            .filter(|_| !said.contains(&reason.rung));
            if why.is_some() {
                said.push(reason.rung);
            }
            moves.push(LadderMove {
                id: LadderMoveId(id_at(at)),
                area: person.area,
                created_by: self.cast.organiser,
                person: reason.person,
                rung: rungs[reason.rung].id,
                at,
                why: why.map(str::to_owned),
                one_to_one: reason.one_to_one,
                meeting: reason.meeting,
            });
            on.insert(reason.person, (reason.rung, at));
        }
        Ok(moves)
    }
}
