//! Local campaigns (`/campaigns`): the campaigns on this phone grouped by where they stand,
//! starting one from a ward's ranked issue in the listening results (`new.rs`), and a
//! campaign's page with what it gathers (`page.rs`) and its log of actions (`actions.rs`). Core's
//! `campaigns` drafts a campaign, checks an action and sums a campaign up; nothing is worked
//! out here. Organisers and admins of a campaign's ward start and change it; everyone else
//! near it reads it.

mod actions;
mod fields;
mod new;
mod page;

use leptos::prelude::*;
use leptos_router::components::A;
use organise_core::area::{Area, AreaTree};
use organise_core::calendar::{Day, london_day};
use organise_core::campaigns::{self, Summary};
use organise_core::id::{AreaId, CampaignId};
use organise_core::model::{Campaign, CampaignAction, CampaignStatus, WINNABLE_SCALE};
use organise_core::record::Choice;
use organise_core::results::IssueCount;
use organise_core::sync::Replica;

use crate::i18n::t;
use crate::pages::now;
use crate::pages::week::day_words;
use crate::session::{Session, require_session};
use crate::sync::{self, SyncContext};

pub use new::NewCampaign;
pub use page::CampaignPage;

/// Whether the signed-in user organises `area` (as an organiser or admin of it or of an area
/// holding it): core's rule for who starts and changes a campaign there.
pub fn organises(session: Session, area: AreaId) -> bool {
    let organised = session.organised_areas();
    if organised.is_empty() {
        return false;
    }
    sync::read(|replica| {
        let tree = AreaTree::new(&replica.all::<Area>());
        organised.iter().any(|&a| tree.is_within(area, a))
    })
    .unwrap_or(false)
}

/// *Start a campaign* beside one of a ward's ranked issues in the listening results.
pub fn start_link(ward: AreaId, issue: &IssueCount, ward_name: &str) -> impl IntoView + use<> {
    let href = format!("/campaigns/new?ward={}&issue={}", ward.0, issue.issue.0);
    view! {
        <A href=href attr:class="button button--secondary campaigns__start"
            attr:aria-label=t::campaigns_start_on(&issue.name, ward_name)>
            {t::campaigns_start()}
        </A>
    }
}

/// A campaign's status in words.
pub fn status_words(status: CampaignStatus) -> &'static str {
    match status {
        CampaignStatus::Exploring => t::campaigns_status_exploring(),
        CampaignStatus::Active => t::campaigns_status_active(),
        CampaignStatus::Won => t::campaigns_status_won(),
        CampaignStatus::Closed => t::campaigns_status_closed(),
    }
}

/// How winnable a campaign is judged, in words: "Winnable: 3 of 5".
fn winnable_words(winnable: Option<u8>) -> String {
    match winnable {
        Some(n) => t::campaigns_winnable(usize::from(n), usize::from(*WINNABLE_SCALE.end())),
        None => t::campaigns_winnable_unset().to_owned(),
    }
}

/// A campaign's deadline in words, saying so once it has passed.
fn deadline_words(deadline: Option<Day>, passed: bool) -> String {
    match deadline {
        Some(day) if passed => t::campaigns_deadline_passed(&day_words(day)),
        Some(day) => t::campaigns_deadline(&day_words(day)),
        None => t::campaigns_no_deadline().to_owned(),
    }
}

/// A ward's name, or words for one this phone does not hold.
fn ward_name(replica: &Replica, ward: AreaId) -> String {
    replica
        .one::<Area>(ward.0)
        .map(|a| a.name)
        .unwrap_or_else(|| t::campaigns_ward_unknown().to_owned())
}

/// Today, as the campaigns count days (in London).
fn today() -> Day {
    london_day(now())
}

/// One campaign as the list shows it.
#[derive(Clone, Debug, PartialEq)]
struct CampaignRow {
    id: CampaignId,
    name: String,
    ward: String,
    status: CampaignStatus,
    deadline: Option<Day>,
    deadline_passed: bool,
    winnable: Option<u8>,
    /// The first action of its log still to do, if any.
    next: Option<CampaignAction>,
}

impl CampaignRow {
    fn next_words(&self, today: Day) -> String {
        match &self.next {
            Some(action) if action.is_overdue(today) => match action.due {
                Some(due) => t::campaigns_next_overdue(&day_words(due), &action.what),
                None => t::campaigns_next(&action.what),
            },
            Some(action) => match action.due {
                Some(due) => t::campaigns_next_due(&action.what, &day_words(due)),
                None => t::campaigns_next(&action.what),
            },
            None => t::campaigns_nothing_to_do().to_owned(),
        }
    }
}

/// The campaigns on this phone, soonest deadline first (those with none last, by name).
fn campaign_rows(today: Day) -> Vec<CampaignRow> {
    sync::read(|replica| {
        let actions = replica.all::<CampaignAction>();
        let mut rows: Vec<CampaignRow> = replica
            .all::<Campaign>()
            .into_iter()
            .map(|campaign| {
                let summary = Summary::of(&campaign, &actions, today);
                let next = campaigns::log(campaign.id, &actions)
                    .into_iter()
                    .find(|a| a.done.is_none())
                    .cloned();
                CampaignRow {
                    id: campaign.id,
                    ward: ward_name(replica, campaign.area),
                    name: campaign.name,
                    status: campaign.status,
                    deadline: campaign.deadline,
                    deadline_passed: summary.deadline_passed,
                    winnable: campaign.winnable,
                    next,
                }
            })
            .collect();
        rows.sort_by(|a, b| {
            (a.deadline.is_none(), a.deadline, &a.name, a.id).cmp(&(
                b.deadline.is_none(),
                b.deadline,
                &b.name,
                b.id,
            ))
        });
        rows
    })
    .unwrap_or_default()
}

/// The campaigns on this phone: active ones, those still exploring, then those won or closed
/// folded away.
#[component]
pub fn Campaigns() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let rows = Memo::new(move |_| {
        revision.track();
        campaign_rows(today())
    });
    let of = move |wanted: &'static [CampaignStatus]| {
        move || {
            rows.with(|rows| {
                rows.iter()
                    .filter(|r| wanted.contains(&r.status))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        }
    };
    let finished = of(&[CampaignStatus::Won, CampaignStatus::Closed]);
    let finished_count = move || finished().len();
    view! {
        <h1>{t::campaigns_title()}</h1>
        <p class="muted">{t::campaigns_intro()}</p>
        <Show when=move || session.is_organiser()>
            <p><A href="/campaigns/new" attr:class="button">{t::campaigns_start()}</A></p>
        </Show>
        <Show when=move || rows.with(Vec::is_empty)>
            <p>{t::campaigns_none()}</p>
            <Show when=move || session.is_organiser()>
                <p>
                    {t::campaigns_none_organiser()} " "
                    <A href="/results" attr:class="back">{t::campaigns_to_results()}</A>
                </p>
            </Show>
        </Show>
        <Show when=move || rows.with(|r| !r.is_empty())>
            <section aria-labelledby="campaigns-active-heading">
                <h2 id="campaigns-active-heading">{t::campaigns_group_active()}</h2>
                <CampaignList rows=Signal::derive(of(&[CampaignStatus::Active])) />
            </section>
            <section aria-labelledby="campaigns-exploring-heading">
                <h2 id="campaigns-exploring-heading">{t::campaigns_group_exploring()}</h2>
                <CampaignList rows=Signal::derive(of(&[CampaignStatus::Exploring])) />
            </section>
            <details class="campaigns__finished">
                <summary>{move || t::campaigns_group_finished(finished_count())}</summary>
                <CampaignList rows=Signal::derive(finished) />
            </details>
        </Show>
    }
}

/// Some campaigns, each a link to its page.
#[component]
fn CampaignList(rows: Signal<Vec<CampaignRow>>) -> impl IntoView {
    let today = today();
    view! {
        <Show when=move || rows.with(Vec::is_empty)>
            <p class="muted">{t::campaigns_group_empty()}</p>
        </Show>
        <ul class="list campaigns">
            <For each=move || rows.get() key=|r| format!("{r:?}") let(row)>
                {
                    let overdue = row.next.as_ref().is_some_and(|a| a.is_overdue(today));
                    let next = row.next_words(today);
                    let data_name = row.name.clone();
                    view! {
                        <li class="list__item campaign-row" data-campaign=data_name
                            data-status=row.status.as_str()
                            data-overdue=if overdue { "true" } else { "false" }>
                            <A href=format!("/campaigns/{}", row.id.0) attr:class="list__link">
                                <span class="list__title">{row.name.clone()}</span>
                                <span class="list__detail">{t::campaigns_in_ward(&row.ward)}</span>
                                <span class="list__detail">
                                    {status_words(row.status)} " · "
                                    {deadline_words(row.deadline, row.deadline_passed)}
                                </span>
                                <span class="list__detail">{winnable_words(row.winnable)}</span>
                                <span class="list__detail" class:campaigns__overdue=overdue>{next}</span>
                            </A>
                        </li>
                    }
                }
            </For>
        </ul>
    }
}
