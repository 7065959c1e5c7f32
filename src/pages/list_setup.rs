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
use organise_core::validate::Problem;

use crate::change::{Step, make_all};
use crate::components::field_problems::{FieldProblems, check_fields};
use crate::i18n::t;
use crate::pages::results::bar_row;
use crate::session::use_session;
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
    let session = use_session();
    let setup = Memo::new(move |_| {
        revision.track();
        let organises = session.organised_areas();
        sync::read(|replica| Setup::read(replica, list, &organises)).flatten()
    });
    let me = move || session.user_id_untracked();
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
        change(vec![rules::give(&setup.list, user)], t::setup_given(&name));
    };
    let take_off = move |user: UserId, name: String| {
        let Some(setup) = setup.get_untracked() else {
            return;
        };
        change(
            vec![rules::take_off(&setup.list, user)],
            t::setup_taken_off(&name),
        );
    };

    // Each new script or survey form: its problems beside its fields, and what it says by
    // its *Save* button. What was typed stays until it is saved.
    let script_problems = FieldProblems::new();
    let script_error = RwSignal::new(None::<String>);
    let survey_problems = FieldProblems::new();
    let survey_error = RwSignal::new(None::<String>);
    let script_title = RwSignal::new(String::new());
    let script_body = RwSignal::new(String::new());
    let save_script = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(setup), Some(by)) = (setup.get_untracked(), me()) else {
            return;
        };
        script_problems.clear();
        script_error.set(None);
        let draft = ScriptDraft {
            title: script_title.get_untracked(),
            body: script_body.get_untracked(),
        };
        let steps = match draft.steps(&setup.list, by, sync::mint_id) {
            Ok(steps) => steps,
            Err(found) => {
                let rest = script_problems.show(&found, on_script_form);
                return script_error.set(Some(check_fields(rest)));
            }
        };
        spawn_local(async move {
            match make_all(&steps).await {
                Ok(()) => {
                    script_title.set(String::new());
                    script_body.set(String::new());
                    message.set(Some(t::setup_script_saved(draft.title.trim())));
                }
                Err(e) => script_error.set(script_problems.show_unsaved(&e, on_script_form)),
            }
        });
    };

    let survey_title = RwSignal::new(String::new());
    let drafts = RwSignal::new(vec![QuestionForm::new()]);
    let save_survey = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(setup), Some(by)) = (setup.get_untracked(), me()) else {
            return;
        };
        survey_problems.clear();
        survey_error.set(None);
        let draft = SurveyDraft {
            title: survey_title.get_untracked(),
            questions: drafts.with_untracked(|d| d.iter().map(QuestionForm::draft).collect()),
        };
        let steps = match draft.steps(&setup.list, by, sync::mint_id) {
            Ok(steps) => steps,
            Err(found) => {
                let rest = survey_problems.show(&found, on_survey_form);
                // No question at all is worded for what to do about it.
                if found
                    .iter()
                    .any(|p| p.field.as_str() == "questions" && p.problem == Problem::Empty)
                {
                    survey_problems.say("questions", t::setup_needs_question());
                }
                return survey_error.set(Some(check_fields(rest)));
            }
        };
        spawn_local(async move {
            match make_all(&steps).await {
                Ok(()) => {
                    survey_title.set(String::new());
                    drafts.set(vec![QuestionForm::new()]);
                    message.set(Some(t::setup_survey_saved(draft.title.trim())));
                }
                Err(e) => survey_error.set(survey_problems.show_unsaved(&e, on_survey_form)),
            }
        });
    };

    let draft_rows = move || drafts.get().into_iter().enumerate().collect::<Vec<_>>();
    let chosen_script = move || setup.with(|s| s.as_ref().and_then(|s| s.list.script));
    let chosen_survey = move || setup.with(|s| s.as_ref().and_then(|s| s.list.survey));
    view! {
        <Show when=move || setup.with(Option::is_some)>
            <details class="setup">
                <summary>{t::setup()}</summary>
                <p role="status">{move || message.get()}</p>
                <p class="form__error" role="alert">{move || error.get()}</p>

                <h2>{t::setup_working()}</h2>
                <Show when=move || setup.with(|s| s.as_ref().is_some_and(|s| s.assigned.is_empty()))>
                    <p class="muted">{t::setup_nobody()}</p>
                </Show>
                <ul class="list" aria-label=t::setup_working()>
                    <For each=move || setup.get().map(|s| s.assigned).unwrap_or_default()
                        key=|a| a.clone() let((user, name))>
                        <li class="list__item setup__person">
                            <span class="list__title">{name.clone()}</span>
                            <button type="button" class="button button--secondary"
                                aria-label=t::setup_take_off_named(&name)
                                on:click={
                                    let name = name.clone();
                                    move |_| take_off(user, name.clone())
                                }>
                                {t::setup_take_off()}
                            </button>
                        </li>
                    </For>
                </ul>
                <Show when=move || setup.with(|s| s.as_ref().is_some_and(|s| !s.others.is_empty()))>
                    <div class="form">
                        <label for="give-to">{t::setup_give_to()}</label>
                        <select id="give-to" bind:value=give_to>
                            <For each=move || setup.get().map(|s| s.others).unwrap_or_default()
                                key=|o| o.clone() let((user, name))>
                                <option value=user.to_string()>{name}</option>
                            </For>
                        </select>
                        <button type="button" class="button" on:click=give>{t::setup_give()}</button>
                    </div>
                </Show>

                <h2>{t::setup_script()}</h2>
                <label for="list-script">{t::setup_script_for_list()}</label>
                <select id="list-script" on:change=move |event| {
                    let id = event_target_value(&event).parse::<RecordId>().ok().map(ScriptId);
                    choose(&|list| rules::choose_script(list, id), t::setup_script_changed().to_owned());
                }>
                    <option value="" prop:selected=move || chosen_script().is_none()>{t::setup_no_script()}</option>
                    <For each=move || setup.get().map(|s| s.scripts).unwrap_or_default()
                        key=|s| (s.id, s.title.clone()) let(script)>
                        <option value=script.id.to_string()
                            prop:selected=move || chosen_script() == Some(script.id)>
                            {script.title.clone()}
                        </option>
                    </For>
                </select>
                <details class="setup__new">
                    <summary>{t::setup_new_script()}</summary>
                    <form class="form" on:submit=save_script novalidate>
                        <label for="script-title">{t::setup_title()}</label>
                        <input id="script-title" bind:value=script_title autocomplete="off"
                            aria-describedby="script-title-problem" aria-invalid=script_problems.invalid("title") />
                        <p id="script-title-problem" class="form__error">{script_problems.message("title")}</p>
                        <label for="script-body">{t::setup_what_to_say()}</label>
                        <textarea id="script-body" rows="6" bind:value=script_body
                            aria-describedby="script-body-problem" aria-invalid=script_problems.invalid("body")></textarea>
                        <p id="script-body-problem" class="form__error">{script_problems.message("body")}</p>
                        <p class="form__error" role="alert">{move || script_error.get()}</p>
                        <button type="submit" class="button">{t::setup_save_script()}</button>
                    </form>
                </details>

                <h2>{t::setup_survey()}</h2>
                <label for="list-survey">{t::setup_survey_for_list()}</label>
                <select id="list-survey" on:change=move |event| {
                    let id = event_target_value(&event).parse::<RecordId>().ok().map(SurveyId);
                    choose(&|list| rules::choose_survey(list, id), t::setup_survey_changed().to_owned());
                }>
                    <option value="" prop:selected=move || chosen_survey().is_none()>{t::setup_no_survey()}</option>
                    <For each=move || setup.get().map(|s| s.surveys).unwrap_or_default()
                        key=|s| (s.id, s.title.clone()) let(survey)>
                        <option value=survey.id.to_string()
                            prop:selected=move || chosen_survey() == Some(survey.id)>
                            {survey.title.clone()}
                        </option>
                    </For>
                </select>
                <details class="setup__new">
                    <summary>{t::setup_new_survey()}</summary>
                    <form class="form" on:submit=save_survey novalidate>
                        <label for="survey-title">{t::setup_title()}</label>
                        <input id="survey-title" bind:value=survey_title autocomplete="off"
                            aria-describedby="survey-title-problem" aria-invalid=survey_problems.invalid("title") />
                        <p id="survey-title-problem" class="form__error">{survey_problems.message("title")}</p>
                        <For each=draft_rows
                            key=|(n, _)| *n let((n, draft))>
                            {question_fields(survey_problems, n, draft)}
                        </For>
                        // No question at all: said under the questions, each marked.
                        <p id="survey-questions-problem" class="form__error">{survey_problems.message("questions")}</p>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| drafts.update(|d| d.push(QuestionForm::new()))>
                            {t::setup_add_question()}
                        </button>
                        <p class="form__error" role="alert">{move || survey_error.get()}</p>
                        <button type="submit" class="button">{t::setup_save_survey()}</button>
                    </form>
                </details>
                <Show when=move || setup.with(|s| s.as_ref().is_some_and(|s| !s.tally.is_empty()))>
                    <section aria-labelledby="answers-heading">
                        <h2 id="answers-heading">{t::setup_answers()}</h2>
                        <p class="muted">{t::setup_answers_explained()}</p>
                        {move || setup.get().map(|s| s.tally).unwrap_or_default().into_iter().map(tally_view).collect_view()}
                    </section>
                </Show>
            </details>
        </Show>
    }
}

/// The script form's fields, by the names core's rules give their problems.
fn on_script_form(field: &str) -> bool {
    matches!(field, "title" | "body")
}

/// The survey form's fields: its title, each question's prompt and choices
/// (`questions.<n>.prompt`, `questions.<n>.choices`), and the questions as a whole.
fn on_survey_form(field: &str) -> bool {
    field == "title" || field == "questions" || field.starts_with("questions.")
}

/// Question `n` of the survey being written: its prompt and its choices, each with its
/// problem beside it; a survey with no question marks every prompt.
fn question_fields(problems: FieldProblems, n: usize, draft: QuestionForm) -> impl IntoView {
    let (prompt, choices) = (format!("question-{n}"), format!("choices-{n}"));
    let (prompt_problem, choices_problem) =
        (format!("{prompt}-problem"), format!("{choices}-problem"));
    let none = problems.invalid("questions");
    let own = problems.invalid(format!("questions.{n}.prompt"));
    let prompt_invalid = move || own().or(none());
    view! {
        <fieldset class="choices">
            <legend>{t::setup_question_n(n + 1)}</legend>
            <label for=prompt.clone()>{t::setup_question()}</label>
            <input id=prompt bind:value=draft.prompt autocomplete="off"
                aria-describedby=format!("{prompt_problem} survey-questions-problem")
                aria-invalid=prompt_invalid />
            <p id=prompt_problem class="form__error">{problems.message(format!("questions.{n}.prompt"))}</p>
            <label for=choices.clone()>{t::setup_choices()}</label>
            <textarea id=choices rows="3" bind:value=draft.choices
                aria-describedby=choices_problem.clone()
                aria-invalid=problems.invalid(format!("questions.{n}.choices"))></textarea>
            <p id=choices_problem class="form__error">{problems.message(format!("questions.{n}.choices"))}</p>
        </fieldset>
    }
}

/// One question's answers: a bar per choice, or how many gave a free answer.
fn tally_view(question: QuestionTally) -> impl IntoView {
    let answered = t::setup_answered(question.answered);
    let most = question.choices.iter().map(|c| c.1).max().unwrap_or(0);
    let label = question.prompt.clone();
    view! {
        <h3>{question.prompt}</h3>
        <p class="muted">{answered}</p>
        <ol class="bars" aria-label=label>
            {question.choices.into_iter().map(|(choice, count)| view! {
                <li class="bars__item">{bar_row(choice, t::setup_people(count), count, most, None)}</li>
            }).collect_view()}
        </ol>
    }
}
