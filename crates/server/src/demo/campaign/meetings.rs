//! The demo's meetings: a house meeting the printed volunteer proposed, the organiser
//! approved and the volunteer held in the last seven days, with the neighbours they met at
//! the door invited and signed in; the constituency's launch meeting next week, made by the
//! organiser with a few people invited; and another volunteer's house meeting, grown from the
//! first, waiting for approval.
//!
//! Every record comes from core's meeting form ([`MeetingDraft`]), sign-in ([`SignInDraft`])
//! and invitation ([`invite_steps`]) on the user's own phone, and is pushed as the rest of
//! the campaign is, so the server's rules (a volunteer only proposes, a host names only
//! people in reach) decide as they do for a phone.

use std::collections::BTreeSet;

use anyhow::{Context, anyhow, bail};
use organise_core::area::{Area, AreaTree};
use organise_core::canvass;
use organise_core::change::Step;
use organise_core::id::{MeetingId, PersonId, Timestamp, UserId};
use organise_core::meetings::{
    MeetingDraft, Returning, SignInDraft, SignedIn, Turnout, invite_steps,
};
use organise_core::model::{
    Attendance, ConsentTopic, Conversation, Interest, List, Meeting, MeetingKind, MeetingStatus,
    Outcome, Person, RoleAssignment, User,
};
use organise_core::record::{Collection, Entity};
use organise_core::session::{RoleInArea, SessionUser};
use organise_core::sync::Replica;
use organise_core::sync::wire::RecordKey;

use super::{Campaign, DAY, MINUTE, Sat, Thu, Tue, When, Who, id_at, weight, when};

const HOUR: i64 = 60 * MINUTE;

/// The volunteer who hosts the house meeting, by their place in [`super::VOLUNTEERS`]: the
/// one whose login is printed.
const HOST: usize = 0;

/// The volunteer who proposes the next house meeting, in the same ward.
const NEXT_HOST: usize = 2;

/// When the house meeting starts: in the last seven days. Its proposal, approval and
/// invitations are timed back from it (see [`MeetingStep::offset`]), so they come in order
/// whatever the day.
pub(super) const HOUSE_MEETING: When = when(0, Tue, 19, 0);

/// When the launch meeting and the next house meeting start, a fortnight after these times
/// in the last seven days: between seven and thirteen days after the demo is made.
const LAUNCH: When = when(0, Sat, 14, 0);
const NEXT_HOUSE_MEETING: When = when(0, Thu, 19, 0);
const FORTNIGHT: i64 = 14 * DAY;

/// How many neighbours the host invites; two of them do not come.
const INVITED: usize = 8;

/// How many the organiser invites to the launch as it is made.
const LAUNCH_INVITED: usize = 6;

/// Someone who walks in to the house meeting, made up like everyone here, with the first of
/// the drama-range phones the synthetic area leaves for the story
/// ([`crate::synthetic::DRAWN_MOBILES`]).
const WALK_IN: (&str, &str) = ("Tomasz Nowak", "07700 900900");

/// A step in the meetings' story, each at its time among the campaign's events.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MeetingStep {
    /// The host proposes the house meeting.
    Propose,
    /// The organiser approves it.
    Approve,
    /// The host invites neighbours they met at the door.
    Invite,
    /// The meeting is held: people sign in at the door.
    Hold,
    /// Another volunteer proposes the next house meeting, grown from this one.
    ProposeNext,
    /// The organiser makes the launch meeting and invites people to it.
    Launch,
}

impl MeetingStep {
    /// Every step.
    pub(super) const ALL: [MeetingStep; 6] = [
        MeetingStep::Propose,
        MeetingStep::Approve,
        MeetingStep::Invite,
        MeetingStep::Hold,
        MeetingStep::ProposeNext,
        MeetingStep::Launch,
    ];

    /// When it happens, from the house meeting's start: all of it before the day the demo
    /// is made, as the start is at 19:00 on one of the seven days before.
    pub(super) fn offset(self) -> i64 {
        match self {
            MeetingStep::Propose => -10 * DAY + 2 * HOUR,
            MeetingStep::Approve => -9 * DAY - 9 * HOUR - 30 * MINUTE,
            MeetingStep::Invite => -7 * DAY + HOUR,
            MeetingStep::Hold => -15 * MINUTE,
            MeetingStep::ProposeNext => 2 * HOUR + 30 * MINUTE,
            MeetingStep::Launch => 3 * HOUR,
        }
    }
}

/// Someone signing in at the house meeting's door: the form as they fill it in, and who they
/// are when the host has found them among the people they know.
struct Arrival {
    form: SignInDraft,
    known: Option<Person>,
}

/// The user of `replica` as the app's session shows them, from their own user record and
/// role assignments (which every phone holds): what the meeting form asks.
fn session_user(replica: &Replica) -> anyhow::Result<SessionUser> {
    let id = replica.user();
    let user: User = replica
        .one(id.0)
        .context("a demo phone does not hold its own user")?;
    let roles = replica
        .all::<RoleAssignment>()
        .into_iter()
        .filter(|r| r.user == id)
        .map(|r| RoleInArea {
            role: r.role,
            area: r.area,
        })
        .collect();
    Ok(SessionUser {
        id,
        email: user.email,
        display_name: user.name,
        roles,
    })
}

impl Campaign {
    /// Plays `step` at `at`.
    pub(super) async fn meeting(&mut self, step: MeetingStep, at: Timestamp) -> anyhow::Result<()> {
        match step {
            MeetingStep::Propose => self.propose_house_meeting(at).await,
            MeetingStep::Approve => self.approve_house_meeting().await,
            MeetingStep::Invite => self.invite_neighbours(at).await,
            MeetingStep::Hold => self.hold_house_meeting().await,
            MeetingStep::ProposeNext => self.propose_next_house_meeting(at).await,
            MeetingStep::Launch => self.make_launch(at).await,
        }
    }

    /// `who` fills in the new meeting form at `at` and saves it; the meeting must come out
    /// `expected`.
    async fn new_meeting(
        &mut self,
        who: Who,
        draft: &MeetingDraft,
        at: Timestamp,
        expected: MeetingStatus,
    ) -> anyhow::Result<Meeting> {
        let (db, trees) = (self.db.clone(), self.trees.clone());
        let phone = self.phone(who);
        phone.sync(&db, &trees).await?;
        let session = session_user(&phone.replica)?;
        let tree = AreaTree::new(&phone.replica.all::<Area>());
        let meeting = draft
            .meeting(MeetingId(id_at(at)), &session, &tree)
            .map_err(|problems| anyhow!("a demo meeting is not valid: {problems:?}"))?;
        if meeting.status != expected {
            bail!(
                "the meeting form made a demo meeting {} where it should be {expected}",
                meeting.status
            );
        }
        phone.make(&[Step::Created(meeting.to_record())])?;
        phone.sync(&db, &trees).await?;
        Ok(meeting)
    }

    fn house_meeting(&self) -> anyhow::Result<MeetingId> {
        self.house_meeting
            .context("the demo's house meeting was not proposed")
    }

    async fn propose_house_meeting(&mut self, at: Timestamp) -> anyhow::Result<()> {
        let starts = HOUSE_MEETING.at(self.now);
        let draft = MeetingDraft {
            kind: MeetingKind::HouseMeeting,
            title: "Damp, rents and repairs: a house meeting".to_owned(),
            place: "Demo Volunteer's front room".to_owned(),
            starts: Some(starts),
            ends: Some(Timestamp(starts.0 + 90 * MINUTE)),
            capacity: "12".to_owned(),
            area: Some(self.cast.wards[super::VOLUNTEERS[HOST].2]),
            campaign: None,
            grew_from: None,
        };
        let meeting = self
            .new_meeting(Who::Volunteer(HOST), &draft, at, MeetingStatus::Proposed)
            .await?;
        self.house_meeting = Some(meeting.id);
        Ok(())
    }

    async fn approve_house_meeting(&mut self) -> anyhow::Result<()> {
        let id = self.house_meeting()?;
        self.organiser.sync(&self.db, &self.trees).await?;
        let proposed: Meeting = self
            .organiser
            .replica
            .one(id.0)
            .context("the demo's proposed meeting did not reach its organiser")?;
        self.organiser.make(&[Step::Set {
            key: RecordKey {
                collection: Collection::Meeting,
                id: id.0,
            },
            field: "status",
            before: proposed.status.into(),
            after: MeetingStatus::Approved.into(),
        }])?;
        self.organiser.sync(&self.db, &self.trees).await
    }

    /// The host invites the neighbours they talked to at the door, those who said they
    /// would come to a meeting first, then the rest of their lists' people in the ward by
    /// name, until [`INVITED`] are asked.
    async fn invite_neighbours(&mut self, at: Timestamp) -> anyhow::Result<()> {
        let id = self.house_meeting()?;
        let (db, trees) = (self.db.clone(), self.trees.clone());
        let host = self.cast.volunteers[HOST];
        let phone = self.phone(Who::Volunteer(HOST));
        phone.sync(&db, &trees).await?;
        let meeting: Meeting = phone
            .replica
            .one(id.0)
            .context("the demo's house meeting is not on its host's phone")?;
        let invited = neighbours(&phone.replica, host, &meeting);
        if invited.len() < INVITED {
            bail!(
                "the demo's house meeting host knows only {} people",
                invited.len()
            );
        }
        for (n, person) in invited.into_iter().take(INVITED).enumerate() {
            let asked = Timestamp(at.0 + n as i64 * 2 * MINUTE);
            let turnout = Turnout::of(&meeting, &phone.replica.all::<Attendance>(), asked);
            let steps = invite_steps(&meeting, person, &turnout, host, id_at(asked))
                .map_err(|problems| anyhow!("a demo invitation is not valid: {problems:?}"))?;
            phone.make(&steps)?;
        }
        phone.sync(&db, &trees).await
    }

    /// The house meeting: most of those invited sign in at the door, with what matters to
    /// them and whether they would host one; someone under 16 is counted; someone nobody
    /// knew walks in and agrees to be texted.
    async fn hold_house_meeting(&mut self) -> anyhow::Result<()> {
        let id = self.house_meeting()?;
        let (db, trees) = (self.db.clone(), self.trees.clone());
        let host = self.cast.volunteers[HOST];
        let ward = super::VOLUNTEERS[HOST].2;
        self.volunteers[HOST].sync(&db, &trees).await?;
        let replica = &self.volunteers[HOST].replica;
        let meeting: Meeting = replica
            .one(id.0)
            .context("the demo's house meeting is not on its host's phone")?;
        if meeting.status != MeetingStatus::Approved {
            bail!("the demo's house meeting was held without being approved");
        }
        let offered = canvass::issues_near(replica, meeting.area);
        let weights: Vec<usize> = offered.iter().map(|i| weight(&i.name, ward)).collect();
        let mut invited: Vec<Person> = replica
            .all::<Attendance>()
            .into_iter()
            .filter(|a| a.meeting == id)
            .filter_map(|a| a.person)
            .filter_map(|p| replica.one::<Person>(p.0))
            .collect();
        invited.sort_by(|a, b| a.name.cmp(&b.name).then(a.address.cmp(&b.address)));
        if invited.len() < 3 {
            bail!(
                "the demo's house meeting has only {} invited",
                invited.len()
            );
        }
        // Who stays away: two of them, by the meeting's own draws.
        let first = self.meeting_rng.below(invited.len());
        let second = (first + 1 + self.meeting_rng.below(invited.len() - 1)) % invited.len();
        let mut arrivals: Vec<Arrival> = Vec::new();
        for (n, person) in invited.into_iter().enumerate() {
            if n == first || n == second {
                continue;
            }
            let mut issues = BTreeSet::new();
            for _ in 0..[0, 1, 2][self.meeting_rng.weighted(&[15, 55, 30])] {
                issues.insert(offered[self.meeting_rng.weighted(&weights)].id);
            }
            arrivals.push(Arrival {
                form: SignInDraft {
                    name: person.name.clone(),
                    issues,
                    // Every third one who comes offers to host a meeting of their own.
                    would_host: arrivals.len() % 3 == 1,
                    ..SignInDraft::default()
                },
                known: Some(person),
            });
        }
        // Someone under 16 comes with their parent, the third to sign in.
        let under_16 = SignInDraft {
            under_16: true,
            ..SignInDraft::default()
        };
        arrivals.insert(
            2,
            Arrival {
                form: under_16,
                known: None,
            },
        );
        let damp = offered.iter().find(|i| i.name == "Damp and mould");
        let walk_in = SignInDraft {
            name: WALK_IN.0.to_owned(),
            phone: WALK_IN.1.to_owned(),
            consents: [ConsentTopic::Sms].into(),
            issues: damp.map(|i| i.id).into_iter().collect(),
            ..SignInDraft::default()
        };
        arrivals.push(Arrival {
            form: walk_in,
            known: None,
        });
        let mut at = Timestamp(meeting.starts.0 - 10 * MINUTE);
        for arrival in &arrivals {
            let phone = &mut self.volunteers[HOST];
            let turnout = Turnout::of(&meeting, &phone.replica.all::<Attendance>(), at);
            let (signed_in, steps) = arrival
                .form
                .steps(
                    &meeting,
                    arrival.known.as_ref().map(Returning::Known),
                    &turnout,
                    host,
                    at,
                    || id_at(at),
                )
                .map_err(|problems| anyhow!("a demo sign-in is not valid: {problems:?}"))?;
            if matches!(signed_in, SignedIn::AlreadyHere(_)) {
                bail!("someone signed in twice at the demo's house meeting");
            }
            phone.make(&steps)?;
            at = Timestamp(at.0 + self.meeting_rng.range(1, 4) as i64 * MINUTE);
        }
        self.volunteers[HOST].sync(&db, &trees).await
    }

    /// Another volunteer in the ward, who came to the house meeting, proposes the next one.
    async fn propose_next_house_meeting(&mut self, at: Timestamp) -> anyhow::Result<()> {
        let starts = Timestamp(NEXT_HOUSE_MEETING.at(self.now).0 + FORTNIGHT);
        let draft = MeetingDraft {
            kind: MeetingKind::HouseMeeting,
            title: "The evening buses: a house meeting".to_owned(),
            place: "Kwame Mensah's kitchen".to_owned(),
            starts: Some(starts),
            ends: Some(Timestamp(starts.0 + 90 * MINUTE)),
            capacity: "10".to_owned(),
            area: Some(self.cast.wards[super::VOLUNTEERS[NEXT_HOST].2]),
            campaign: None,
            grew_from: Some(self.house_meeting()?),
        };
        self.new_meeting(
            Who::Volunteer(NEXT_HOST),
            &draft,
            at,
            MeetingStatus::Proposed,
        )
        .await?;
        Ok(())
    }

    /// The organiser makes the constituency's launch meeting and invites those from the
    /// house meeting who offered to host, then people who said at the door they would come
    /// to a meeting, earliest first.
    async fn make_launch(&mut self, at: Timestamp) -> anyhow::Result<()> {
        let starts = Timestamp(LAUNCH.at(self.now).0 + FORTNIGHT);
        let draft = MeetingDraft {
            kind: MeetingKind::LaunchMeeting,
            title: "Synthetic Vale residents' network launch".to_owned(),
            place: "Synthetic Vale Community Centre, main hall".to_owned(),
            starts: Some(starts),
            ends: Some(Timestamp(starts.0 + 2 * HOUR)),
            capacity: "120".to_owned(),
            area: Some(self.cast.constituency),
            campaign: None,
            grew_from: None,
        };
        let launch = self
            .new_meeting(Who::Organiser, &draft, at, MeetingStatus::Approved)
            .await?;
        let replica = &self.organiser.replica;
        let house = self.house_meeting()?;
        let mut hosts: Vec<(Timestamp, PersonId)> = replica
            .all::<Attendance>()
            .into_iter()
            .filter(|a| a.meeting == house && a.would_host)
            .filter_map(|a| Some((a.signed_in_at?, a.person?)))
            .collect();
        hosts.sort();
        let mut keen: Vec<(Timestamp, String, PersonId)> = replica
            .all::<Conversation>()
            .into_iter()
            .filter(|c| {
                c.outcome == Outcome::Held && c.interests.contains(&Interest::ComeToMeeting)
            })
            .filter_map(|c| {
                let person = replica.one::<Person>(c.person.0)?;
                Some((c.at, person.name, c.person))
            })
            .collect();
        keen.sort();
        let mut invited: Vec<PersonId> = Vec::new();
        for person in hosts
            .into_iter()
            .map(|(_, p)| p)
            .chain(keen.into_iter().map(|(_, _, p)| p))
        {
            if invited.len() < LAUNCH_INVITED && !invited.contains(&person) {
                invited.push(person);
            }
        }
        let organiser = self.cast.organiser;
        for (n, person) in invited.into_iter().enumerate() {
            let asked = Timestamp(at.0 + (n as i64 + 1) * MINUTE);
            let turnout = Turnout::of(&launch, &self.organiser.replica.all::<Attendance>(), asked);
            let steps = invite_steps(&launch, person, &turnout, organiser, id_at(asked))
                .map_err(|problems| anyhow!("a demo invitation is not valid: {problems:?}"))?;
            self.organiser.make(&steps)?;
        }
        self.organiser.sync(&self.db, &self.trees).await
    }
}

/// Whom `host` invites to `meeting`: the people in its ward they talked to at the door, those
/// who said they would come to a meeting first, each group in the order they were talked to;
/// then the rest of their lists' people in the ward, by name and address.
fn neighbours(replica: &Replica, host: UserId, meeting: &Meeting) -> Vec<PersonId> {
    let in_ward = |id: PersonId| {
        replica
            .one::<Person>(id.0)
            .filter(|p| p.area == meeting.area)
    };
    let mut talked: Vec<(bool, Timestamp, String, PersonId)> = replica
        .all::<Conversation>()
        .into_iter()
        .filter(|c| c.by == host && c.outcome == Outcome::Held)
        .filter_map(|c| {
            let person = in_ward(c.person)?;
            let keen = c.interests.contains(&Interest::ComeToMeeting);
            Some((!keen, c.at, person.name, person.id))
        })
        .collect();
    talked.sort();
    let mut on_lists: Vec<(String, Option<String>, PersonId)> = replica
        .all::<List>()
        .into_iter()
        .filter(|l| l.assignees.contains(&host))
        .flat_map(|l| l.members)
        .filter_map(in_ward)
        .map(|p| (p.name, p.address, p.id))
        .collect();
    on_lists.sort();
    let mut people: Vec<PersonId> = Vec::new();
    for person in talked
        .into_iter()
        .map(|(_, _, _, p)| p)
        .chain(on_lists.into_iter().map(|(_, _, p)| p))
    {
        if !people.contains(&person) {
            people.push(person);
        }
    }
    people
}

#[cfg(test)]
mod tests {
    use super::super::PLANS;
    use super::*;

    #[test]
    fn the_meetings_story_comes_in_order_before_today_and_its_meetings_to_come_next_week() {
        // Every day of two weeks from Thursday 1 January 2026, just after midnight and just
        // before the next (UTC).
        let first = 1_767_225_600_000;
        for now in
            (0..14).flat_map(|day| [first + day * DAY + MINUTE, first + (day + 1) * DAY - MINUTE])
        {
            let now = Timestamp(now);
            let today = now.0.div_euclid(DAY) * DAY;
            let house = HOUSE_MEETING.at(now).0;
            let times: Vec<i64> = MeetingStep::ALL
                .iter()
                .map(|step| house + step.offset())
                .collect();
            assert!(times.is_sorted(), "{times:?}");
            assert!(times.iter().all(|&at| at < today));
            assert!(house >= today - 7 * DAY, "held in the last seven days");
            // The host has lists to invite from before they propose.
            let host_built = PLANS
                .iter()
                .filter(|plan| plan.worker == Who::Volunteer(HOST))
                .map(|plan| plan.built.at(now).0)
                .min()
                .unwrap();
            assert!(host_built < times[0]);
            // The next host sees the meeting theirs grew from: it is in their ward.
            assert_eq!(
                super::super::VOLUNTEERS[HOST].2,
                super::super::VOLUNTEERS[NEXT_HOST].2
            );
            for to_come in [LAUNCH, NEXT_HOUSE_MEETING] {
                let starts = to_come.at(now).0 + FORTNIGHT;
                assert!(starts >= today + 7 * DAY && starts < today + 14 * DAY);
            }
        }
    }
}
