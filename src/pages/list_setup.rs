//! An organiser's tools for one walk list: who works it (giving it to volunteers, taking it
//! off them: the list and its people leave their phones at the next sync), its script and
//! survey (choosing one, or writing a new one), and how the survey has been answered.

use leptos::prelude::*;
use leptos::task::spawn_local;
use organise_core::canvass::setup::{self as rules, ListSetup as Setup};
use organise_core::canvass::{QuestionDraft, ScriptDraft, SurveyDraft};
use organise_core::id::{ListId, RecordId, ScriptId, SurveyId, UserId};
use organise_core::model::List;
use organise_core::results::QuestionTally;
use organise_core::validate;

use crate::app::CurrentSession;
use crate::change::{Step, make_all};
use crate::pages::results::bar_row;
use crate::sync::{self, SyncContext};

/// One question being written, as the form holds it: the prompt, and its choices one per
/// line.
#[derive(Clone, Copy)]
struct QuestionForm {
    prompt: RwSignal<String>,
    choices: RwSignal<String>,
}

impl QuestionForm {
    fn new() -> QuestionForm {
        QuestionForm {
            prompt: RwSignal::new(String::new()),
            choices: RwSignal::new(String::new()),
        }
    }

    fn draft(&self) -> QuestionDraft {
        QuestionDraft {
            prompt: self.prompt.get_untracked(),
            choices: self.choices.get_untracked(),
        }
    }
}

/// The tools, shown only to organisers of the list's area.
#[component]
pub fn ListSetup(list: ListId) -> impl IntoView {
    let SyncContext { revision, .. } = expect_context();
    let CurrentSession(session) = expect_context();
    let organises = move || {
        session.with(|s| {
            s.as_ref()
                .map(|s| s.user.organised_areas())
                .unwrap_or_default()
        })
    };
    let setup = Memo::new(move |_| {
        revision.track();
        let organises = organises();
        sync::read(|replica| Setup::read(replica, list, &organises)).flatten()
    });
    let me = move || session.with_untracked(|s| s.as_ref().map(|s| s.user.id));
    let message = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    let change = move |steps: Vec<Step>, done: String| {
        spawn_local(async move {
            match make_all(&steps).await {
                Ok(()) => {
                    error.set(None);
                    message.set(Some(done));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    // Choosing the list's script or survey: the step is made against the list as it stands.
    let choose = move |step: &dyn Fn(&List) -> Step, done: String| {
        let Some(setup) = setup.get_untracked() else {
            return;
        };
        change(vec![step(&setup.list)], done);
    };

    let give_to = RwSignal::new(String::new());
    let give = move |_| {
        let Some(setup) = setup.get_untracked() else {
            return;
        };
        let wanted = give_to.get_untracked();
        let Some((user, name)) = setup
            .others
            .iter()
            .find(|(u, _)| u.to_string() == wanted)
            .or(setup.others.first())
            .cloned()
        else {
            return;
        };
        change(
            vec![rules::give(&setup.list, user)],
            format!("{name} now has this list."),
        );
    };
    let take_off = move |user: UserId, name: String| {
        let Some(setup) = setup.get_untracked() else {
            return;
        };
        change(
            vec![rules::take_off(&setup.list, user)],
            format!("{name} no longer has this list. It leaves their phone when it next syncs."),
        );
    };

    let script_title = RwSignal::new(String::new());
    let script_body = RwSignal::new(String::new());
    let save_script = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(setup), Some(by)) = (setup.get_untracked(), me()) else {
            return;
        };
        let draft = ScriptDraft {
            title: script_title.get_untracked(),
            body: script_body.get_untracked(),
        };
        let steps = match draft.steps(&setup.list, by, sync::mint_id) {
            Ok(steps) => steps,
            Err(problems) => return error.set(Some(validate::sentences(&problems))),
        };
        script_title.set(String::new());
        script_body.set(String::new());
        change(
            steps,
            format!(
                "The script \"{}\" is saved for this list.",
                draft.title.trim()
            ),
        );
    };

    let survey_title = RwSignal::new(String::new());
    let drafts = RwSignal::new(vec![QuestionForm::new()]);
    let save_survey = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(setup), Some(by)) = (setup.get_untracked(), me()) else {
            return;
        };
        let draft = SurveyDraft {
            title: survey_title.get_untracked(),
            questions: drafts.with_untracked(|d| d.iter().map(QuestionForm::draft).collect()),
        };
        let steps = match draft.steps(&setup.list, by, sync::mint_id) {
            Ok(steps) => steps,
            Err(problems) => return error.set(Some(validate::sentences(&problems))),
        };
        survey_title.set(String::new());
        drafts.set(vec![QuestionForm::new()]);
        change(
            steps,
            format!(
                "The survey \"{}\" is saved for this list.",
                draft.title.trim()
            ),
        );
    };

    let draft_rows = move || drafts.get().into_iter().enumerate().collect::<Vec<_>>();
    let chosen_script = move || setup.with(|s| s.as_ref().and_then(|s| s.list.script));
    let chosen_survey = move || setup.with(|s| s.as_ref().and_then(|s| s.list.survey));
    view! {
        <Show when=move || setup.with(Option::is_some)>
            <details class="setup">
                <summary>"Volunteers, script and survey"</summary>
                <p role="status">{move || message.get()}</p>
                <p class="form__error" role="alert">{move || error.get()}</p>

                <h2>"Working this list"</h2>
                <Show when=move || setup.with(|s| s.as_ref().is_some_and(|s| s.assigned.is_empty()))>
                    <p class="muted">"Nobody has this list yet."</p>
                </Show>
                <ul class="list" aria-label="Working this list">
                    <For each=move || setup.get().map(|s| s.assigned).unwrap_or_default()
                        key=|a| a.clone() let((user, name))>
                        <li class="list__item setup__person">
                            <span class="list__title">{name.clone()}</span>
                            <button type="button" class="button button--secondary"
                                aria-label=format!("Take off this list: {name}")
                                on:click={
                                    let name = name.clone();
                                    move |_| take_off(user, name.clone())
                                }>
                                "Take off"
                            </button>
                        </li>
                    </For>
                </ul>
                <Show when=move || setup.with(|s| s.as_ref().is_some_and(|s| !s.others.is_empty()))>
                    <div class="form">
                        <label for="give-to">"Give it to"</label>
                        <select id="give-to" bind:value=give_to>
                            <For each=move || setup.get().map(|s| s.others).unwrap_or_default()
                                key=|o| o.clone() let((user, name))>
                                <option value=user.to_string()>{name}</option>
                            </For>
                        </select>
                        <button type="button" class="button" on:click=give>"Give the list"</button>
                    </div>
                </Show>

                <h2>"Script"</h2>
                <label for="list-script">"Script for this list"</label>
                <select id="list-script" on:change=move |event| {
                    let id = event_target_value(&event).parse::<RecordId>().ok().map(ScriptId);
                    choose(&|list| rules::choose_script(list, id), "The list's script is changed.".into());
                }>
                    <option value="" prop:selected=move || chosen_script().is_none()>"No script"</option>
                    <For each=move || setup.get().map(|s| s.scripts).unwrap_or_default()
                        key=|s| (s.id, s.title.clone()) let(script)>
                        <option value=script.id.to_string()
                            prop:selected=move || chosen_script() == Some(script.id)>
                            {script.title.clone()}
                        </option>
                    </For>
                </select>
                <details class="setup__new">
                    <summary>"Write a new script"</summary>
                    <form class="form" on:submit=save_script novalidate>
                        <label for="script-title">"Title"</label>
                        <input id="script-title" bind:value=script_title autocomplete="off" />
                        <label for="script-body">"What to say"</label>
                        <textarea id="script-body" rows="6" bind:value=script_body></textarea>
                        <button type="submit" class="button">"Save script"</button>
                    </form>
                </details>

                <h2>"Survey"</h2>
                <label for="list-survey">"Survey for this list"</label>
                <select id="list-survey" on:change=move |event| {
                    let id = event_target_value(&event).parse::<RecordId>().ok().map(SurveyId);
                    choose(&|list| rules::choose_survey(list, id), "The list's survey is changed.".into());
                }>
                    <option value="" prop:selected=move || chosen_survey().is_none()>"No survey"</option>
                    <For each=move || setup.get().map(|s| s.surveys).unwrap_or_default()
                        key=|s| (s.id, s.title.clone()) let(survey)>
                        <option value=survey.id.to_string()
                            prop:selected=move || chosen_survey() == Some(survey.id)>
                            {survey.title.clone()}
                        </option>
                    </For>
                </select>
                <details class="setup__new">
                    <summary>"Write a new survey"</summary>
                    <form class="form" on:submit=save_survey novalidate>
                        <label for="survey-title">"Title"</label>
                        <input id="survey-title" bind:value=survey_title autocomplete="off" />
                        <For each=draft_rows
                            key=|(n, _)| *n let((n, draft))>
                            <fieldset class="choices">
                                <legend>{format!("Question {}", n + 1)}</legend>
                                <label for=format!("question-{n}")>"Question"</label>
                                <input id=format!("question-{n}") bind:value=draft.prompt autocomplete="off" />
                                <label for=format!("choices-{n}")>"Answers to choose from, one per line (none for a free answer)"</label>
                                <textarea id=format!("choices-{n}") rows="3" bind:value=draft.choices></textarea>
                            </fieldset>
                        </For>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| drafts.update(|d| d.push(QuestionForm::new()))>
                            "Add a question"
                        </button>
                        <button type="submit" class="button">"Save survey"</button>
                    </form>
                </details>
                <Show when=move || setup.with(|s| s.as_ref().is_some_and(|s| !s.tally.is_empty()))>
                    <section aria-labelledby="answers-heading">
                        <h2 id="answers-heading">"Answers so far"</h2>
                        <p class="muted">"Each person once, with their latest answers, from every list that asks this survey."</p>
                        {move || setup.get().map(|s| s.tally).unwrap_or_default().into_iter().map(tally_view).collect_view()}
                    </section>
                </Show>
            </details>
        </Show>
    }
}

fn people(n: usize) -> String {
    match n {
        1 => "1 person".to_owned(),
        n => format!("{n} people"),
    }
}

/// One question's answers: a bar per choice, or how many gave a free answer.
fn tally_view(question: QuestionTally) -> impl IntoView {
    let answered = format!("{} answered", people(question.answered));
    let most = question.choices.iter().map(|c| c.1).max().unwrap_or(0);
    let label = question.prompt.clone();
    view! {
        <h3>{question.prompt}</h3>
        <p class="muted">{answered}</p>
        <ol class="bars" aria-label=label>
            {question.choices.into_iter().map(|(choice, count)| view! {
                <li class="bars__item">{bar_row(choice, people(count), count, most, None)}</li>
            }).collect_view()}
        </ol>
    }
}
