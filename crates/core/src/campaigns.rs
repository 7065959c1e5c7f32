//! Local campaigns as organisers start and follow them: a new campaign drafted from a ward's
//! ranked issue in the listening results, an action for its log, and a campaign's page
//! summed up (where it stands, what it gathers, its actions done, to do and overdue).
//!
//! The records are [`crate::model::Campaign`] and [`crate::model::CampaignAction`]; who may
//! write them, and what they may name, is [`crate::permission`]'s and [`crate::reference`]'s.

use crate::calendar::Day;
use crate::change::{self, Step};
use crate::id::{CampaignActionId, CampaignId, Timestamp, UserId};
use crate::model::{Campaign, CampaignAction, CampaignStatus};
use crate::order;
use crate::record::Entity;
use crate::results::{IssueCount, WardIssues};
use crate::validate::FieldProblem;

/// A new campaign on `issue`, one of `ward`'s ranked issues ([`crate::results::Listening::
/// issues_by_ward`]): in the ward, named after the issue, taking it on, and still exploring
/// whether it is winnable. The organiser then says what winning looks like, who decides, by
/// when and how winnable it is, and saves it. `None` for the conversations held above ward
/// level, which have no ward to fight in.
pub fn from_issue(
    ward: &WardIssues,
    issue: &IssueCount,
    id: CampaignId,
    by: UserId,
) -> Option<Campaign> {
    Some(Campaign {
        id,
        area: ward.ward?,
        created_by: by,
        name: issue.name.trim().to_owned(),
        issues: [issue.issue].into(),
        goal: None,
        status: CampaignStatus::Exploring,
        decider: None,
        deadline: None,
        winnable: None,
        people: Default::default(),
        organisations: Default::default(),
        meetings: Default::default(),
        lists: Default::default(),
    })
}

/// What a campaign's page changes in place: its name, what winning looks like, who decides,
/// the deadline and how winnable it is (where it stands is changed on its own).
pub const EDITABLE: &[&str] = &["name", "goal", "decider", "deadline", "winnable"];

/// The steps that save what was `typed` over a campaign whose form was `opened` with one
/// version of it and that now stands as `now`: `typed` checked by the campaign's own rules
/// (every problem by its field), then each [`EDITABLE`] field the organiser changed set, and
/// nothing else (a field another device changed meanwhile and left alone here stays as it
/// now is).
pub fn edited(
    opened: &Campaign,
    now: &Campaign,
    typed: Campaign,
) -> Result<Vec<Step>, Vec<FieldProblem>> {
    let typed = Campaign {
        id: now.id,
        area: now.area,
        created_by: now.created_by,
        ..typed
    }
    .normalised()?;
    Ok(change::edited(
        &opened.to_record(),
        &now.to_record(),
        &typed.to_record(),
        EDITABLE,
    ))
}

/// An action for `campaign`'s log, filed in the campaign's area, checked by the action's own
/// rules (every problem by its field): `what` was done, or is planned for `due`.
pub fn new_action(
    campaign: &Campaign,
    id: CampaignActionId,
    by: UserId,
    at: Timestamp,
    what: &str,
    due: Option<Day>,
) -> Result<CampaignAction, Vec<FieldProblem>> {
    CampaignAction {
        id,
        area: campaign.area,
        created_by: by,
        campaign: campaign.id,
        at,
        what: what.to_owned(),
        due,
        done: None,
    }
    .normalised()
}

/// A campaign's page at a glance.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Summary {
    /// Where it stands.
    pub status: CampaignStatus,
    /// The day by which it must be won, if set.
    pub deadline: Option<Day>,
    /// Whether that day is before today and the campaign is still exploring or active.
    pub deadline_passed: bool,
    /// The people who are part of it.
    pub people: usize,
    /// The organisations in it.
    pub organisations: usize,
    /// Its meetings.
    pub meetings: usize,
    /// The lists working for it.
    pub lists: usize,
    /// Its actions marked done.
    pub done: usize,
    /// Its actions still to do, overdue ones included.
    pub to_do: usize,
    /// Its actions still to do whose due day is before today, the longest overdue first.
    pub overdue: Vec<CampaignAction>,
}

impl Summary {
    /// `campaign` as its page shows it on `today` (a London day), with its `actions` (any
    /// order; other campaigns' are ignored).
    pub fn of<'a>(
        campaign: &Campaign,
        actions: impl IntoIterator<Item = &'a CampaignAction>,
        today: Day,
    ) -> Summary {
        let mut summary = Summary {
            status: campaign.status,
            deadline: campaign.deadline,
            deadline_passed: campaign.deadline.is_some_and(|d| d < today)
                && matches!(
                    campaign.status,
                    CampaignStatus::Exploring | CampaignStatus::Active
                ),
            people: campaign.people.len(),
            organisations: campaign.organisations.len(),
            meetings: campaign.meetings.len(),
            lists: campaign.lists.len(),
            done: 0,
            to_do: 0,
            overdue: Vec::new(),
        };
        for action in actions {
            if action.campaign != campaign.id {
                continue;
            }
            if action.done.is_some() {
                summary.done += 1;
            } else {
                summary.to_do += 1;
            }
            if action.is_overdue(today) {
                summary.overdue.push(action.clone());
            }
        }
        order::sort_by_key(&mut summary.overdue, |a| (a.due, a.at, a.id));
        summary
    }
}

/// `campaign`'s log as its page lists it: the actions to do first, soonest due first (those
/// with no due day after them, oldest first), then those done, the latest done first.
pub fn log<'a>(
    campaign: CampaignId,
    actions: impl IntoIterator<Item = &'a CampaignAction>,
) -> Vec<&'a CampaignAction> {
    let mut log: Vec<&CampaignAction> = actions
        .into_iter()
        .filter(|a| a.campaign == campaign)
        .collect();
    order::sort_by(&mut log, |a, b| match (a.done, b.done) {
        (None, None) => {
            (a.due.is_none(), a.due, a.at, a.id).cmp(&(b.due.is_none(), b.due, b.at, b.id))
        }
        (None, Some(_)) => std::cmp::Ordering::Less,
        (Some(_), None) => std::cmp::Ordering::Greater,
        (Some(x), Some(y)) => (y, b.id).cmp(&(x, a.id)),
    });
    log
}
