//! The demo organiser's local campaigns and who they have trained, so the campaign and
//! training screens open on something believable: in each ward, a campaign started from the
//! ward's top ranked issue in the listening results (as the results screen starts one, through
//! core's [`campaigns::from_issue`]), with what winning looks like, who decides, a deadline in
//! a few months and how winnable it looks; the ward's people the organiser has held one-to-ones
//! with, its organisations we have met or work with, its meetings and its walk lists in it;
//! and a few actions in its log: one done, one overdue, one due soon. And a few people
//! recorded by hand as trained in one-to-ones or door knocking, some weeks ago.
//!
//! Each record is made through core's own rules on the organiser's phone and pushed as the
//! rest of the campaign is. The choices depend only on names and the day the demo is made,
//! never on minted ids, so the same day gives the same campaigns.

use anyhow::{Context, anyhow, bail};
use organise_core::area::Area;
use organise_core::calendar::london_day;
use organise_core::change::Step;
use organise_core::id::{CampaignActionId, CampaignId, Timestamp, TrainingId};
use organise_core::model::{
    CampaignStatus, Conversation, Issue, List, Meeting, OneToOne, Organisation, Person,
    Relationship,
};
use organise_core::record::{Entity, Record};
use organise_core::results::{Listening, Period, Scope};
use organise_core::{campaigns, training};

use super::{Campaign, MINUTE, id_at};

/// What the organiser writes on a campaign about a known issue: what winning looks like and
/// who decides. An issue not listed gets [`ANY_ISSUE`].
const WINNING: &[(&str, &str, &str)] = &[
    (
        "Damp and mould",
        "Every damp flat on the estate surveyed and repaired by the council, with a date for each",
        "The council's housing committee",
    ),
    (
        "Rent rises",
        "This year's rent rise on the estate frozen, and a tenants' seat on the rent panel",
        "The housing association's board",
    ),
    (
        "Bus routes cut",
        "The cut evening buses back on the route through the ward",
        "The transport authority's bus services committee",
    ),
    (
        "Cost of living",
        "A warm space open every weekday through the winter",
        "The council's cabinet",
    ),
];

/// What winning looks like, and who decides, for any other issue.
const ANY_ISSUE: (&str, &str) = (
    "A written commitment from the council to act on it, with a date",
    "The ward's councillors and the council's cabinet",
);

/// Each campaign's log: what, the day it is due counted from today (none for one done with
/// no date), and whether it is done.
const ACTIONS: &[(&str, Option<i32>, bool)] = &[
    (
        "Door-knocked the worst-hit streets and took photographs",
        None,
        true,
    ),
    (
        "Ask the council for its repair and complaint figures",
        Some(-3),
        false,
    ),
    (
        "Deliver the petition to the decider's next meeting",
        Some(10),
        false,
    ),
];

/// Trainings recorded by hand: the module, how many people, and how many days ago.
const TRAININGS: &[(&str, usize, i32)] = &[("One-to-ones", 3, 40), ("Door knocking", 4, 25)];

impl Campaign {
    /// The organiser starts the wards' campaigns and records who was trained (see the
    /// module's documentation).
    pub(super) async fn start_campaigns(&mut self) -> anyhow::Result<()> {
        self.organiser.sync(&self.db, &self.trees).await?;
        let replica = &self.organiser.replica;
        let now = self.now;
        let today = london_day(now);
        let mut listened: Vec<Record> = Vec::new();
        listened.extend(replica.all::<Area>().iter().map(Entity::to_record));
        listened.extend(replica.all::<Issue>().iter().map(Entity::to_record));
        listened.extend(replica.all::<Conversation>().iter().map(Entity::to_record));
        let listening = Listening::from_records(&listened);
        let wards = listening.issues_by_ward(Scope {
            period: Period::ALL,
            area: self.cast.constituency,
        });
        let mut people: Vec<Person> = replica.all();
        people.sort_by(|a, b| (&a.name, &a.address, a.id).cmp(&(&b.name, &b.address, b.id)));
        let one_to_ones = replica.all::<OneToOne>();
        let met: Vec<&Person> = people
            .iter()
            .filter(|p| one_to_ones.iter().any(|o| o.person == p.id))
            .collect();
        let organisations = replica.all::<Organisation>();
        let meetings = replica.all::<Meeting>();
        let lists = replica.all::<List>();

        let total = self.cast.wards.len() * (1 + ACTIONS.len())
            + TRAININGS.iter().map(|&(_, n, _)| n).sum::<usize>();
        let mut minted = 0;
        let mut mint = move || {
            minted += 1;
            id_at(Timestamp(now.0 - (total + 1 - minted) as i64 * MINUTE))
        };
        let mut records: Vec<Record> = Vec::new();
        for &ward in &self.cast.wards {
            let ranked = wards
                .iter()
                .find(|w| w.ward == Some(ward))
                .context("a demo ward has no listening results")?;
            let top = ranked
                .issues
                .first()
                .context("a demo ward raised no issue")?;
            let mut campaign =
                campaigns::from_issue(ranked, top, CampaignId(mint()), self.cast.organiser)
                    .context("a demo ward's campaign has no ward")?;
            let (goal, decider) = WINNING
                .iter()
                .find(|(issue, _, _)| *issue == top.name)
                .map_or(ANY_ISSUE, |&(_, goal, decider)| (goal, decider));
            campaign.goal = Some(goal.to_owned());
            campaign.decider = Some(decider.to_owned());
            campaign.deadline = Some(today.add_days(120));
            campaign.winnable = Some(4);
            campaign.status = CampaignStatus::Active;
            campaign.people = met
                .iter()
                .filter(|p| p.area == ward)
                .take(3)
                .map(|p| p.id)
                .collect();
            campaign.organisations = organisations
                .iter()
                .filter(|o| o.area == ward)
                .filter(|o| matches!(o.relationship, Relationship::Met | Relationship::Partner))
                .map(|o| o.id)
                .collect();
            campaign.meetings = meetings
                .iter()
                .filter(|m| m.area == ward)
                .map(|m| m.id)
                .collect();
            campaign.lists = lists
                .iter()
                .filter(|l| l.area == ward)
                .map(|l| l.id)
                .collect();
            if campaign.people.is_empty() {
                bail!("nobody in a demo ward has had a one-to-one to lead its campaign");
            }
            let campaign = campaign
                .normalised()
                .map_err(|problems| anyhow!("a demo campaign is not valid: {problems:?}"))?;
            records.push(campaign.to_record());
            for (n, &(what, due, done)) in ACTIONS.iter().enumerate() {
                let at = Timestamp(now.0 - (ACTIONS.len() - n) as i64 * 2 * 24 * 60 * MINUTE);
                let mut action = campaigns::new_action(
                    &campaign,
                    CampaignActionId(mint()),
                    self.cast.organiser,
                    at,
                    what,
                    due.map(|days| today.add_days(days)),
                )
                .map_err(|problems| anyhow!("a demo action is not valid: {problems:?}"))?;
                action.done = done.then_some(Timestamp(at.0 + 60 * MINUTE));
                records.push(action.to_record());
            }
        }
        for &(module, how_many, days_ago) in TRAININGS {
            for person in met.iter().take(how_many) {
                let training = training::by_hand(
                    person,
                    module,
                    today.add_days(-days_ago),
                    today,
                    self.cast.organiser,
                    TrainingId(mint()),
                )
                .map_err(|problems| anyhow!("a demo training is not valid: {problems:?}"))?;
                records.push(training.to_record());
            }
        }
        for record in records {
            self.organiser.make(&[Step::Created(record)])?;
        }
        self.organiser.sync(&self.db, &self.trees).await
    }
}
