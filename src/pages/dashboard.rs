//! The organiser's dashboard, on the home screen above the tiles: this week's one-to-ones
//! against the target, next steps due, meetings coming, the ladder, the top issues, campaigns
//! and what is waiting to sync. Each card is a count in words (and, for the week, a bar that
//! says the same), read through the same core read models as the screen it links to, so the
//! numbers agree with what that screen shows.

use leptos::prelude::*;
use leptos_router::components::A;
use organise_core::area::{Area, AreaTree};
use organise_core::calendar::london_day;
use organise_core::id::PersonId;
use organise_core::ladder;
use organise_core::model::{
    Campaign, CampaignStatus, LadderMove, Meeting, MeetingStatus, OneToOne, Rung, WeeklyTarget,
};
use organise_core::organising::{self, Due};
use organise_core::record::Collection;

use crate::i18n::{self, t};
use crate::pages::now;
use crate::pages::results::recent_ranking;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// How many issues the dashboard names.
const TOP_ISSUES: usize = 3;
/// How far ahead "meetings coming" looks, in days.
const MEETINGS_AHEAD_DAYS: i64 = 7;

/// What the dashboard shows, read once per change of the phone's data.
#[derive(Clone, Debug, PartialEq)]
struct Figures {
    count: usize,
    target: i64,
    overdue: usize,
    this_week: usize,
    meetings: usize,
    next_meeting: Option<(String, organise_core::id::Timestamp)>,
    on_ladder: usize,
    moved: usize,
    issues: Vec<(String, usize)>,
    active: usize,
    exploring: usize,
}

/// The dashboard for an organiser.
#[component]
pub fn Dashboard() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, status } = expect_context();
    let figures = Memo::new(move |_| {
        revision.track();
        let user = session.user_id()?;
        let organises = session.organised_areas();
        let roles = session.role_areas();
        let now = now();
        let today = london_day(now);
        let issues = recent_ranking(&roles)
            .into_iter()
            .take(TOP_ISSUES)
            .map(|i| (i.name, i.conversations))
            .collect();
        sync::read(|replica| {
            let week = organising::my_week(
                user,
                today,
                &replica.all::<OneToOne>(),
                &replica.all::<WeeklyTarget>(),
            );
            let due = |when: Due| week.next_steps.iter().filter(|s| s.when == when).count();
            let tree = AreaTree::new(&replica.all::<Area>());
            let within = |area| organises.iter().any(|&top| tree.is_within(area, top));
            let ahead = now.0 + MEETINGS_AHEAD_DAYS * 24 * 3_600_000;
            let mut coming: Vec<Meeting> = replica
                .all::<Meeting>()
                .into_iter()
                .filter(|m| m.status == MeetingStatus::Approved)
                .filter(|m| m.starts >= now && m.starts.0 <= ahead && within(m.area))
                .collect();
            coming.sort_by_key(|m| (m.starts, m.id));
            let mut people = Vec::new();
            replica.each_placed(Collection::Person, |id, area| {
                if within(area) {
                    people.push(PersonId(id));
                }
            });
            let chart = ladder::chart(
                &replica.all::<Rung>(),
                &replica.all::<LadderMove>(),
                people,
                now,
            );
            let campaigns: Vec<Campaign> = replica
                .all::<Campaign>()
                .into_iter()
                .filter(|c| within(c.area))
                .collect();
            let with = |status| campaigns.iter().filter(|c| c.status == status).count();
            Figures {
                count: week.count,
                target: week.target,
                overdue: due(Due::Overdue),
                this_week: due(Due::ThisWeek),
                meetings: coming.len(),
                next_meeting: coming.first().map(|m| (m.title.clone(), m.starts)),
                on_ladder: chart.on_ladder(),
                moved: chart.recent.len(),
                issues,
                active: with(CampaignStatus::Active),
                exploring: with(CampaignStatus::Exploring),
            }
        })
    });
    // Worded as the sync bar words what waits, so the two agree.
    let waiting = move || {
        let (waiting, pending) = status.with(|s| (s.waiting, s.pending));
        match i18n::waiting(waiting) {
            Some((what, _)) => t::dashboard_waiting(&what),
            None if pending > 0 => t::dashboard_waiting(&t::count_changes(pending)),
            None => t::dashboard_all_sent().to_owned(),
        }
    };
    view! {
        <section class="dashboard" aria-labelledby="dashboard-heading">
            <h2 id="dashboard-heading" class="visually-hidden">{t::dashboard_heading()}</h2>
            {move || figures.get().map(|f| {
                let target = usize::try_from(f.target).unwrap_or(0);
                let share = if target == 0 { 0.0 } else { (f.count.min(target) as f64) / target as f64 };
                view! {
                    <A href="/week" attr:class="card">
                        <span class="card__title">{t::dashboard_one_to_ones()}</span>
                        <span class="card__figure">{t::dashboard_of_target(f.count, target)}</span>
                        <svg class="card__bar" viewBox="0 0 100 8" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                            <rect class="card__bar-track" x="0" y="0" width="100" height="8" />
                            <rect class="card__bar-fill" x="0" y="0" width=format!("{:.1}", 100.0 * share) height="8" />
                        </svg>
                        <span class="card__detail">{t::dashboard_next_steps(f.overdue, f.this_week)}</span>
                    </A>
                    <A href="/meetings" attr:class="card">
                        <span class="card__title">{t::dashboard_meetings()}</span>
                        <span class="card__figure">{t::dashboard_meetings_coming(f.meetings)}</span>
                        <span class="card__detail">{f.next_meeting.as_ref().map(|(title, at)| t::dashboard_next_meeting(title, &i18n::date(*at)))}</span>
                    </A>
                    <A href="/ladder" attr:class="card">
                        <span class="card__title">{t::dashboard_ladder()}</span>
                        <span class="card__figure">{t::dashboard_on_ladder(f.on_ladder)}</span>
                        <span class="card__detail">{t::dashboard_moved(f.moved)}</span>
                    </A>
                    <A href="/results" attr:class="card">
                        <span class="card__title">{t::dashboard_issues()}</span>
                        {if f.issues.is_empty() {
                            view! { <span class="card__detail">{t::dashboard_no_issues()}</span> }.into_any()
                        } else {
                            view! {
                                <ol class="card__issues">
                                    {f.issues.iter().map(|(name, count)| view! {
                                        <li>{t::dashboard_issue(name, *count)}</li>
                                    }).collect_view()}
                                </ol>
                            }.into_any()
                        }}
                    </A>
                    <A href="/campaigns" attr:class="card">
                        <span class="card__title">{t::dashboard_campaigns()}</span>
                        <span class="card__figure">{t::dashboard_campaigns_active(f.active)}</span>
                        <span class="card__detail">{t::dashboard_campaigns_exploring(f.exploring)}</span>
                    </A>
                }
            })}
            <p class="card card--plain" role="status">
                <span class="card__title">{t::dashboard_sync()}</span>
                <span class="card__detail">{waiting}</span>
            </p>
        </section>
    }
}
