//! The fields a campaign is started with and changed by on its page: its name, what winning
//! looks like, who decides, the deadline and how winnable it is; what was typed put on a
//! campaign, and each problem with it beside its field.

use leptos::prelude::*;
use organise_core::calendar::Day;
use organise_core::model::{Campaign, WINNABLE_SCALE};
use organise_core::validate::FieldProblem;

use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::t;

/// What is typed in a campaign's fields.
#[derive(Clone, Copy)]
pub(super) struct Typed {
    /// None until a name is typed (a new campaign is named after its issue until then).
    pub name: RwSignal<Option<String>>,
    pub goal: RwSignal<String>,
    pub decider: RwSignal<String>,
    pub deadline: RwSignal<String>,
    pub winnable: RwSignal<Option<u8>>,
}

impl Typed {
    /// Nothing typed yet.
    pub fn blank() -> Typed {
        Typed::holding(None, String::new(), String::new(), String::new(), None)
    }

    /// `campaign`'s fields as they stand, to be changed.
    pub fn of(campaign: &Campaign) -> Typed {
        Typed::holding(
            Some(campaign.name.clone()),
            campaign.goal.clone().unwrap_or_default(),
            campaign.decider.clone().unwrap_or_default(),
            campaign.deadline.map(|d| d.to_string()).unwrap_or_default(),
            campaign.winnable,
        )
    }

    fn holding(
        name: Option<String>,
        goal: String,
        decider: String,
        deadline: String,
        winnable: Option<u8>,
    ) -> Typed {
        Typed {
            name: RwSignal::new(name),
            goal: RwSignal::new(goal),
            decider: RwSignal::new(decider),
            deadline: RwSignal::new(deadline),
            winnable: RwSignal::new(winnable),
        }
    }

    /// `campaign` with what is typed put on it, unchecked (the campaign's rules check it),
    /// and whether the deadline typed is not a date.
    pub fn put_on(&self, mut campaign: Campaign) -> (Campaign, bool) {
        if let Some(name) = self.name.get_untracked() {
            campaign.name = name;
        }
        campaign.goal = Some(self.goal.get_untracked());
        campaign.decider = Some(self.decider.get_untracked());
        campaign.winnable = self.winnable.get_untracked();
        let day = self.deadline.get_untracked();
        campaign.deadline = Day::parse(day.trim());
        let bad_day = !day.trim().is_empty() && campaign.deadline.is_none();
        (campaign, bad_day)
    }
}

/// Shows `found` (the campaign's rules' problems) and a deadline that is not a date beside
/// their fields, those on no field of the form (`on_form`) by the *Save* button in `error`.
pub(super) fn show_problems(
    problems: FieldProblems,
    error: RwSignal<Option<String>>,
    found: &[FieldProblem],
    bad_day: bool,
    on_form: impl Fn(&str) -> bool,
) {
    let rest = problems.show(found, on_form);
    if bad_day {
        problems.say("deadline", t::campaigns_date_invalid());
    }
    error.set(Some(check_fields(rest)));
}

/// The name, goal, decider, deadline and winnable fields; `default_name` is shown in the name
/// field until one is typed.
#[component]
pub(super) fn CampaignFields(
    typed: Typed,
    problems: FieldProblems,
    #[prop(into)] default_name: Signal<String>,
) -> impl IntoView {
    let Typed {
        name,
        goal,
        decider,
        deadline,
        winnable,
    } = typed;
    let shown_name = move || name.get().unwrap_or_else(|| default_name.get());
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
    }
}
