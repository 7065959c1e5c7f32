//! Starting a campaign (`/campaigns/new`): from one of a ward's ranked issues, chosen on the
//! listening results (`?ward=…&issue=…`) or here, drafted by core's `campaigns::from_issue`
//! (in the ward, named after the issue, exploring); the organiser says what winning looks
//! like, who decides, by when, how winnable it is and where it stands, and saves it on this
//! phone.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use organise_core::area::{Area, AreaTree};
use organise_core::campaigns;
use organise_core::id::{AreaId, CampaignId, RecordId};
use organise_core::model::CampaignStatus;
use organise_core::record::{Choice, Entity};
use organise_core::results::{Period, Scope, WardIssues};

use super::fields::{CampaignFields, Typed, show_problems};
use super::status_words;
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::t;
use crate::pages::results::listening;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// The form's fields, by the names core's rules give their problems.
const FIELDS: &[&str] = &[
    "ward", "issue", "name", "goal", "decider", "deadline", "winnable", "status",
];

/// The wards the user organises that have raised issues, each with its issues ranked over
/// all time (as the listening results rank them), wards by name.
fn ranked_wards(organised: &[AreaId]) -> Vec<WardIssues> {
    sync::read(|replica| {
        let listening = listening(replica);
        let tree = AreaTree::new(&replica.all::<Area>());
        let mut wards: Vec<WardIssues> = Vec::new();
        for &area in organised {
            let scope = Scope {
                period: Period::ALL,
                area,
            };
            for ward in listening.issues_by_ward(scope) {
                let Some(id) = ward.ward else { continue };
                let mine = organised.iter().any(|&a| tree.is_within(id, a));
                if mine && !ward.issues.is_empty() && !wards.iter().any(|w| w.ward == ward.ward) {
                    wards.push(ward);
                }
            }
        }
        wards.sort_by(|a, b| (&a.name, a.ward).cmp(&(&b.name, b.ward)));
        wards
    })
    .unwrap_or_default()
}

/// The form that starts a campaign.
#[component]
pub fn NewCampaign() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let wards = Memo::new(move |_| {
        revision.track();
        ranked_wards(&session.organised_areas())
    });
    view! {
        <h1>{t::campaigns_new_title()}</h1>
        <Show when=move || session.is_organiser()
            fallback=|| view! { <p>{t::campaigns_for_organisers()}</p> }>
            <Show when=move || wards.with(|w| !w.is_empty())
                fallback=|| view! { <p>{t::campaigns_no_wards()}</p> }>
                <CampaignForm wards />
            </Show>
        </Show>
    }
}

/// The campaign's fields, with the ward and issue it starts from.
#[component]
fn CampaignForm(wards: Memo<Vec<WardIssues>>) -> impl IntoView {
    let session = require_session();
    let navigate = use_navigate();
    let query = use_query_map();
    let asked = |key: &str| {
        query
            .with_untracked(|q| q.get(key))
            .filter(|id| id.parse::<RecordId>().is_ok())
            .unwrap_or_default()
    };
    let ward = RwSignal::new(asked("ward"));
    let issue = RwSignal::new(asked("issue"));
    let typed = Typed::blank();
    let status = RwSignal::new(CampaignStatus::Exploring.as_str().to_owned());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let chosen_ward = Memo::new(move |_| {
        let wanted = ward.get();
        wards.with(|wards| {
            wards
                .iter()
                .find(|w| w.ward.is_some_and(|id| id.0.to_string() == wanted))
                .cloned()
        })
    });
    let chosen_issue = Memo::new(move |_| {
        let wanted = issue.get();
        chosen_ward.with(|w| {
            w.as_ref()?
                .issues
                .iter()
                .find(|i| i.issue.0.to_string() == wanted)
                .cloned()
        })
    });
    // Named after the chosen issue until a name is typed.
    let issue_name = Signal::derive(move || {
        chosen_issue
            .with(|i| i.as_ref().map(|i| i.name.clone()))
            .unwrap_or_default()
    });
    let save = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problems.clear();
        error.set(None);
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        let Some(in_ward) = chosen_ward.get_untracked() else {
            problems.say("ward", t::campaigns_choose_a_ward());
            error.set(Some(check_fields(None)));
            return;
        };
        let Some(on_issue) = chosen_issue.get_untracked() else {
            problems.say("issue", t::campaigns_choose_an_issue());
            error.set(Some(check_fields(None)));
            return;
        };
        let Some(drafted) =
            campaigns::from_issue(&in_ward, &on_issue, CampaignId(sync::mint_id()), by)
        else {
            problems.say("ward", t::campaigns_choose_a_ward());
            return;
        };
        let (mut campaign, bad_day) = typed.put_on(drafted);
        campaign.status =
            CampaignStatus::parse(&status.get_untracked()).unwrap_or(CampaignStatus::Exploring);
        let campaign = match campaign.normalised() {
            Ok(valid) if !bad_day => valid,
            checked => {
                let found = checked.err().unwrap_or_default();
                show_problems(problems, error, &found, bad_day, |f| FIELDS.contains(&f));
                return;
            }
        };
        let navigate = navigate.clone();
        spawn_local(async move {
            match sync::write(|replica| replica.create(&campaign.to_record())).await {
                Ok(_) => navigate(&format!("/campaigns/{}", campaign.id.0), Default::default()),
                Err(e) => error.set(problems.show_unsaved(&e, |f| FIELDS.contains(&f))),
            }
        });
    };
    let choose_ward = move |event: leptos::ev::Event| {
        ward.set(event_target_value(&event));
        issue.set(String::new());
    };
    view! {
    <form class="form campaign-form" on:submit=save novalidate>
        <label for="campaign-ward">{t::campaigns_ward()}</label>
        <select id="campaign-ward" on:change=choose_ward
            aria-describedby="campaign-ward-problem" aria-invalid=problems.invalid("ward")>
            <option value="" prop:selected=move || chosen_ward.with(Option::is_none)>
                {t::campaigns_choose_ward()}
            </option>
            <For each=move || wards.get() key=|w| (w.ward, w.name.clone()) let(w)>
                {
                    let id = w.ward.map(|a| a.0.to_string()).unwrap_or_default();
                    let value = id.clone();
                    view! {
                        <option value=value prop:selected=move || ward.get() == id>
                            {w.name.clone().unwrap_or_else(|| t::campaigns_ward_unknown().to_owned())}
                        </option>
                    }
                }
            </For>
        </select>
        <p id="campaign-ward-problem" class="form__error">{problems.message("ward")}</p>
        <label for="campaign-issue">{t::campaigns_issue()}</label>
        <select id="campaign-issue" on:change=move |e| issue.set(event_target_value(&e))
            aria-describedby="campaign-issue-problem" aria-invalid=problems.invalid("issue")>
            <option value="" prop:selected=move || chosen_issue.with(Option::is_none)>
                {t::campaigns_choose_issue()}
            </option>
            <For each=move || chosen_ward.with(|w| w.as_ref().map(|w| w.issues.clone()).unwrap_or_default())
                key=|i| (i.issue, i.name.clone(), i.conversations) let(i)>
                {
                    let id = i.issue.0.to_string();
                    let value = id.clone();
                    view! {
                        <option value=value prop:selected=move || issue.get() == id>
                            {t::campaigns_issue_option(&i.name, &t::count_conversations(i.conversations))}
                        </option>
                    }
                }
            </For>
        </select>
        <p id="campaign-issue-problem" class="form__error">{problems.message("issue")}</p>
        <CampaignFields typed problems default_name=issue_name />
        <label for="campaign-status">{t::campaigns_status()}</label>
        <select id="campaign-status" bind:value=status
            aria-describedby="campaign-status-problem" aria-invalid=problems.invalid("status")>
            {CampaignStatus::ALL.iter().map(|&s| view! {
                <option value=s.as_str()>{status_words(s)}</option>
            }).collect_view()}
        </select>
        <p id="campaign-status-problem" class="form__error">{problems.message("status")}</p>
        <p class="form__error" role="alert">{move || error.get()}</p>
        <button type="submit" class="button">{t::campaigns_save()}</button>
    </form>
    }
}
