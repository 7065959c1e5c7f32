//! Starting a campaign (`/campaigns/new`): from one of a ward's ranked issues, chosen on the
//! listening results (`?ward=…&issue=…`) or here, drafted by core's `campaigns::from_issue`
//! (in the ward, named after the issue, exploring); the organiser says what winning looks
//! like, who decides, by when, how winnable it is and where it stands, and saves it on this
//! phone.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use organise_core::area::{Area, AreaTree};
use organise_core::calendar::Day;
use organise_core::campaigns;
use organise_core::id::{AreaId, CampaignId, RecordId};
use organise_core::model::{CampaignStatus, WINNABLE_SCALE};
use organise_core::record::{Choice, Entity};
use organise_core::results::{Period, Scope, WardIssues};

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

/// What was typed, or none when it is blank.
fn typed(text: String) -> Option<String> {
    (!text.trim().is_empty()).then_some(text)
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
    // None until the organiser types a name: the chosen issue's name until then.
    let name = RwSignal::new(None::<String>);
    let goal = RwSignal::new(String::new());
    let decider = RwSignal::new(String::new());
    let deadline = RwSignal::new(String::new());
    let winnable = RwSignal::new(None::<u8>);
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
    let shown_name = move || {
        name.get()
            .or_else(|| chosen_issue.with(|i| i.as_ref().map(|i| i.name.clone())))
            .unwrap_or_default()
    };
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
        let Some(mut campaign) =
            campaigns::from_issue(&in_ward, &on_issue, CampaignId(sync::mint_id()), by)
        else {
            problems.say("ward", t::campaigns_choose_a_ward());
            return;
        };
        if let Some(typed_name) = name.get_untracked() {
            campaign.name = typed_name;
        }
        campaign.goal = typed(goal.get_untracked());
        campaign.decider = typed(decider.get_untracked());
        let day = deadline.get_untracked();
        let bad_day = typed(day.clone()).is_some_and(|d| Day::parse(d.trim()).is_none());
        campaign.deadline = Day::parse(day.trim());
        campaign.winnable = winnable.get_untracked();
        campaign.status =
            CampaignStatus::parse(&status.get_untracked()).unwrap_or(CampaignStatus::Exploring);
        let campaign = match campaign.normalised() {
            Ok(valid) if !bad_day => valid,
            Ok(_) => {
                problems.say("deadline", t::campaigns_date_invalid());
                error.set(Some(check_fields(None)));
                return;
            }
            Err(found) => {
                let rest = problems.show(&found, |f| FIELDS.contains(&f));
                if bad_day {
                    problems.say("deadline", t::campaigns_date_invalid());
                }
                error.set(Some(check_fields(rest)));
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
    let max = usize::from(*WINNABLE_SCALE.end());
    let winnable_choices = move || {
        WINNABLE_SCALE
            .map(|n| {
                let input = format!("campaign-winnable-{n}");
                view! {
                    <input type="radio" id=input.clone() name="campaign-winnable" value=n
                        prop:checked=move || winnable.get() == Some(n)
                        on:change=move |_| winnable.set(Some(n)) />
                    <label for=input class="rating__choice">
                        {n}<span class="visually-hidden">" " {t::campaigns_winnable_of(max)}</span>
                    </label>
                }
            })
            .collect_view()
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
        <label for="campaign-name">{t::campaigns_name()}</label>
        <input id="campaign-name" prop:value=shown_name autocomplete="off"
            on:input=move |e| name.set(Some(event_target_value(&e)))
            aria-describedby="campaign-name-problem" aria-invalid=problems.invalid("name") />
        <p id="campaign-name-problem" class="form__error">{problems.message("name")}</p>
        <label for="campaign-goal">{t::campaigns_goal()}</label>
        <textarea id="campaign-goal" bind:value=goal rows="3"
            aria-describedby="campaign-goal-note campaign-goal-problem"
            aria-invalid=problems.invalid("goal")></textarea>
        <p id="campaign-goal-note" class="muted">{t::campaigns_goal_note()}</p>
        <p id="campaign-goal-problem" class="form__error">{problems.message("goal")}</p>
        <label for="campaign-decider">{t::campaigns_decider()}</label>
        <input id="campaign-decider" bind:value=decider autocomplete="off"
            aria-describedby="campaign-decider-note campaign-decider-problem"
            aria-invalid=problems.invalid("decider") />
        <p id="campaign-decider-note" class="muted">{t::campaigns_decider_note()}</p>
        <p id="campaign-decider-problem" class="form__error">{problems.message("decider")}</p>
        <label for="campaign-deadline">{t::campaigns_deadline_label()}</label>
        <input id="campaign-deadline" type="date" bind:value=deadline
            aria-describedby="campaign-deadline-problem" aria-invalid=problems.invalid("deadline") />
        <p id="campaign-deadline-problem" class="form__error">{problems.message("deadline")}</p>
        <fieldset class="choices rating" aria-describedby="campaign-winnable-note campaign-winnable-problem">
            <legend>{t::campaigns_winnable_label()}</legend>
            <p id="campaign-winnable-note" class="muted">{t::campaigns_winnable_note()}</p>
            <div class="rating__choices">{winnable_choices}</div>
            <p id="campaign-winnable-problem" class="form__error">{problems.message("winnable")}</p>
        </fieldset>
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
