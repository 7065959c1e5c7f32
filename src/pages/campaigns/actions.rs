//! A campaign's log of actions, on its page: what is to do, soonest due first, the overdue
//! ones said so in words, each marked done in one tap by whoever organises its ward; then
//! what was done, latest first (core's `campaigns::log`); and a form to add an action, checked
//! by core's `campaigns::new_action`, each problem beside its field.

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::calendar::Day;
use organise_core::campaigns;
use organise_core::id::CampaignActionId;
use organise_core::model::{Campaign, CampaignAction};
use organise_core::record::{Collection, Entity, Value};
use organise_core::sync::wire::RecordKey;

use super::today;
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::{self, t};
use crate::pages::now;
use crate::pages::week::day_words;
use crate::session::require_session;
use crate::sync;

/// The campaign's log: what is to do, soonest due first, the overdue ones said so, each
/// marked done in one tap; then what was done, latest first; and a form to add an action.
#[component]
pub(super) fn Actions(
    campaign: Memo<Option<Campaign>>,
    log: Memo<Vec<CampaignAction>>,
    may_edit: Memo<bool>,
) -> impl IntoView {
    let session = require_session();
    let to_do = move || {
        log.with(|l| {
            l.iter()
                .filter(|a| a.done.is_none())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let done = move || {
        log.with(|l| {
            l.iter()
                .filter(|a| a.done.is_some())
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let said = RwSignal::new(None::<String>);
    let what = RwSignal::new(String::new());
    let due = RwSignal::new(String::new());
    let problems = FieldProblems::new();
    let error = RwSignal::new(None::<String>);
    let fields = |f: &str| matches!(f, "what" | "due");
    let mark_done = move |action: CampaignActionId| {
        spawn_local(async move {
            let key = RecordKey {
                collection: Collection::CampaignAction,
                id: action.0,
            };
            let result = sync::write(|replica| {
                replica
                    .set_field(key, "done", Value::Time(now()))
                    .map(|_| ())
            })
            .await;
            said.set(Some(match result {
                Ok(()) => t::campaigns_action_done().to_owned(),
                Err(e) => e.to_string(),
            }));
        });
    };
    let add = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        problems.clear();
        error.set(None);
        said.set(None);
        let Some(by) = session.user_id_untracked() else {
            return;
        };
        let Some(campaign) = campaign.get_untracked() else {
            return;
        };
        let typed_due = due.get_untracked();
        let day = Day::parse(typed_due.trim());
        let bad_day = !typed_due.trim().is_empty() && day.is_none();
        let action = campaigns::new_action(
            &campaign,
            CampaignActionId(sync::mint_id()),
            by,
            now(),
            &what.get_untracked(),
            day,
        );
        let action = match action {
            Ok(action) if !bad_day => action,
            Ok(_) => {
                problems.say("due", t::campaigns_date_invalid());
                error.set(Some(check_fields(None)));
                return;
            }
            Err(found) => {
                let rest = problems.show(&found, fields);
                if bad_day {
                    problems.say("due", t::campaigns_date_invalid());
                }
                error.set(Some(check_fields(rest)));
                return;
            }
        };
        spawn_local(async move {
            match sync::write(|replica| replica.create(&action.to_record())).await {
                Ok(_) => {
                    what.set(String::new());
                    due.set(String::new());
                    said.set(Some(t::campaigns_action_added().to_owned()));
                }
                Err(e) => error.set(problems.show_unsaved(&e, fields)),
            }
        });
    };
    let today = today();
    view! {
        <section class="campaign__actions" aria-labelledby="campaign-actions-heading">
            <h2 id="campaign-actions-heading">{t::campaigns_actions()}</h2>
            <Show when=move || log.with(Vec::is_empty)>
                <p class="muted">{t::campaigns_no_actions()}</p>
            </Show>
            <h3>{t::campaigns_to_do()}</h3>
            <ul class="list" aria-label=t::campaigns_to_do()>
                <For each=to_do key=|a| format!("{a:?}") let(action)>
                    {
                        let overdue = action.is_overdue(today);
                        let when = match action.due {
                            Some(day) if overdue => t::campaigns_overdue(&day_words(day)),
                            Some(day) => t::campaigns_due(&day_words(day)),
                            None => t::campaigns_no_due().to_owned(),
                        };
                        let label = t::campaigns_mark_done_named(&action.what);
                        let action_id = action.id;
                        view! {
                            <li class="list__item campaign__action" data-what=action.what.clone()
                                data-overdue=if overdue { "true" } else { "false" }>
                                <div class="campaign__action-text">
                                    <span class="list__title">{action.what.clone()}</span>
                                    <span class="list__detail" class:campaign__overdue=overdue>{when}</span>
                                </div>
                                <Show when=move || may_edit.get()>
                                    <button type="button" class="button button--secondary"
                                        aria-label=label.clone() on:click=move |_| mark_done(action_id)>
                                        {t::campaigns_mark_done()}
                                    </button>
                                </Show>
                            </li>
                        }
                    }
                </For>
            </ul>
            <h3>{t::campaigns_done()}</h3>
            <ul class="list" aria-label=t::campaigns_done()>
                <For each=done key=|a| format!("{a:?}") let(action)>
                    <li class="list__item campaign__action campaign__action--done" data-what=action.what.clone()>
                        <span class="list__title">{action.what.clone()}</span>
                        <span class="list__detail">
                            {action.done.map(|at| t::campaigns_done_on(&i18n::date(at)))}
                        </span>
                    </li>
                </For>
            </ul>
            <p role="status" class="form__saved">{move || said.get()}</p>
            <Show when=move || may_edit.get()>
                <form class="form campaign__new-action" on:submit=add novalidate>
                    <h3>{t::campaigns_action_new()}</h3>
                    <label for="action-what">{t::campaigns_action_what()}</label>
                    <input id="action-what" bind:value=what autocomplete="off"
                        aria-describedby="action-what-problem" aria-invalid=problems.invalid("what") />
                    <p id="action-what-problem" class="form__error">{problems.message("what")}</p>
                    <label for="action-due">{t::campaigns_action_due()}</label>
                    <input id="action-due" type="date" bind:value=due
                        aria-describedby="action-due-problem" aria-invalid=problems.invalid("due") />
                    <p id="action-due-problem" class="form__error">{problems.message("due")}</p>
                    <p class="form__error" role="alert">{move || error.get()}</p>
                    <button type="submit" class="button">{t::campaigns_action_add()}</button>
                </form>
            </Show>
        </section>
    }
}
