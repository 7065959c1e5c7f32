//! An organiser's tools for one walk list: [`ListSetup`] reads who works it, who else could,
//! the scripts and surveys its volunteers can read, and how its survey has been answered;
//! the drafts ([`ScriptDraft`], [`SurveyDraft`] of [`QuestionDraft`]s) and the choices
//! (giving the list, taking it off someone, choosing its script or survey) become the
//! [`Step`]s of one change.

use crate::order;
use std::collections::BTreeSet;

use crate::area::{Area, AreaTree};
use crate::canvass::{self, typed};
use crate::change::Step;
use crate::id::{AreaId, ListId, RecordId, ScriptId, SurveyId, UserId};
use crate::model::{List, Question, Script, Survey, SurveyResponse};
use crate::record::{Collection, Element, Entity, Value};
use crate::results::{QuestionTally, survey_tally};
use crate::sync::{RecordKey, Replica};
use crate::validate::{FieldProblem, MAX_SHORT_TEXT, Problem};

/// What the tools show for one list.
#[derive(Clone, Debug, PartialEq)]
pub struct ListSetup {
    /// The list.
    pub list: List,
    /// Who works it, by name.
    pub assigned: Vec<(UserId, String)>,
    /// Who else could (see [`canvass::working_near`]).
    pub others: Vec<(UserId, String)>,
    /// Scripts its volunteers can read: those of its area or an area it lies in, by title.
    pub scripts: Vec<Script>,
    /// Surveys likewise.
    pub surveys: Vec<Survey>,
    /// How its survey has been answered, on every list that asks it.
    pub tally: Vec<QuestionTally>,
}

impl ListSetup {
    /// The tools for `list`, if a user who organises `organises` organises its area.
    pub fn read(replica: &Replica, list: ListId, organises: &[AreaId]) -> Option<ListSetup> {
        let list: List = replica.one(list.0)?;
        let areas: Vec<Area> = replica.all();
        let tree = AreaTree::new(&areas);
        if !organises
            .iter()
            .any(|&area| tree.is_within(list.area, area))
        {
            return None;
        }
        let users = canvass::user_names(replica);
        let mut assigned: Vec<(UserId, String)> = list
            .assignees
            .iter()
            .map(|&u| (u, canvass::user_name(&users, u)))
            .collect();
        order::sort_by(&mut assigned, |a, b| a.1.cmp(&b.1));
        let others = canvass::working_near(replica, list.area)
            .into_iter()
            .filter(|(u, _)| !list.assignees.contains(u))
            .collect();
        let mut scripts: Vec<Script> = replica
            .all::<Script>()
            .into_iter()
            .filter(|s| tree.is_within(list.area, s.area))
            .collect();
        order::sort_by(&mut scripts, |a, b| a.title.cmp(&b.title));
        let mut surveys: Vec<Survey> = replica
            .all::<Survey>()
            .into_iter()
            .filter(|s| tree.is_within(list.area, s.area))
            .collect();
        order::sort_by(&mut surveys, |a, b| a.title.cmp(&b.title));
        let tally = match list.survey.and_then(|id| replica.one::<Survey>(id.0)) {
            Some(survey) => {
                // Its responses by lookup: a ward's phone holds thousands of others.
                let responses: Vec<SurveyResponse> =
                    typed(replica.holding(Collection::SurveyResponse, "survey", survey.id.0));
                survey_tally(&survey, &responses)
            }
            None => Vec::new(),
        };
        Some(ListSetup {
            list,
            assigned,
            others,
            scripts,
            surveys,
            tally,
        })
    }
}

fn list_key(list: &List) -> RecordKey {
    RecordKey {
        collection: Collection::List,
        id: list.id.0,
    }
}

/// The step that sets `list`'s `field` (`script` or `survey`) to `to`, or to none.
fn choose(list: &List, field: &'static str, to: Option<RecordId>) -> Step {
    Step::Set {
        key: list_key(list),
        field,
        before: list.to_record().get(field).clone(),
        after: Value::from(to),
    }
}

/// The step that gives `list` the script `script`, or none.
pub fn choose_script(list: &List, script: Option<ScriptId>) -> Step {
    choose(list, "script", script.map(|s| s.0))
}

/// The step that gives `list` the survey `survey`, or none.
pub fn choose_survey(list: &List, survey: Option<SurveyId>) -> Step {
    choose(list, "survey", survey.map(|s| s.0))
}

/// The step that gives `list` to `user`: it and its people reach their phone.
pub fn give(list: &List, user: UserId) -> Step {
    Step::Added {
        key: list_key(list),
        field: "assignees",
        element: Element::Id(user.0),
    }
}

/// The step that takes `list` off `user`: it and its people leave their phone at its next
/// sync.
pub fn take_off(list: &List, user: UserId) -> Step {
    Step::Removed {
        key: list_key(list),
        field: "assignees",
        element: Element::Id(user.0),
    }
}

/// A new script being written for a list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ScriptDraft {
    /// Its title.
    pub title: String,
    /// What to say.
    pub body: String,
}

impl ScriptDraft {
    /// The steps that save the script, by `by`, in `list`'s area and campaign, and make it
    /// the list's. `mint` gives it its id.
    pub fn steps(
        &self,
        list: &List,
        by: UserId,
        mut mint: impl FnMut() -> RecordId,
    ) -> Result<Vec<Step>, Vec<FieldProblem>> {
        let script = Script {
            id: ScriptId(mint()),
            area: list.area,
            created_by: by,
            title: self.title.clone(),
            body: self.body.clone(),
            campaign: list.campaign,
        }
        .normalised()?;
        Ok(vec![
            Step::Created(script.to_record()),
            choose_script(list, Some(script.id)),
        ])
    }
}

/// One question being written: the prompt, and its choices one per line.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuestionDraft {
    /// The question as asked.
    pub prompt: String,
    /// The answers to choose from, one per line; none for a free answer.
    pub choices: String,
}

/// A new survey being written for a list.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SurveyDraft {
    /// Its title.
    pub title: String,
    /// Its questions, in order; those left empty are left out.
    pub questions: Vec<QuestionDraft>,
}

impl SurveyDraft {
    /// The steps that save the survey, by `by`, in `list`'s area, and make it the list's.
    /// `mint` gives it its id. Problems are named by the form's fields: `title`; a question's
    /// prompt or choices too long on `questions.<n>.prompt` or `questions.<n>.choices`, `n`
    /// its place in the form (counting those left empty); no question at all on
    /// `questions`.
    pub fn steps(
        &self,
        list: &List,
        by: UserId,
        mut mint: impl FnMut() -> RecordId,
    ) -> Result<Vec<Step>, Vec<FieldProblem>> {
        let questions = questions(&self.questions);
        let survey = Survey {
            id: SurveyId(mint()),
            area: list.area,
            created_by: by,
            title: self.title.clone(),
            questions,
        };
        let empty = survey.questions.is_empty();
        let survey = match survey.normalised() {
            Ok(survey) if !empty => survey,
            Ok(_) => return Err(vec![FieldProblem::new("questions", Problem::Empty)]),
            Err(problems) => {
                // The survey's rule names its questions as one field; the form has one per
                // question, so each problem is put beside the question it is in.
                let asked = self.question_problems();
                let mut problems: Vec<FieldProblem> = problems
                    .into_iter()
                    .filter(|p| asked.is_empty() || p.field.as_str() != "questions")
                    .collect();
                problems.extend(asked);
                if empty {
                    problems.push(FieldProblem::new("questions", Problem::Empty));
                }
                return Err(problems);
            }
        };
        Ok(vec![
            Step::Created(survey.to_record()),
            choose_survey(list, Some(survey.id)),
        ])
    }
}

impl SurveyDraft {
    /// Each question's prompt and choices checked as the survey's rule checks them, named by
    /// the question's place in the form. Questions left empty are left out, and keys are
    /// made unique and short (see [`question_key`]), so length is all there is to check.
    fn question_problems(&self) -> Vec<FieldProblem> {
        let too_long = |text: &str| text.chars().count() > MAX_SHORT_TEXT;
        let problem = |n: usize, part: &str| {
            let field = format!("questions.{n}.{part}");
            FieldProblem::new(
                field.as_str(),
                Problem::TooLong {
                    max: MAX_SHORT_TEXT,
                },
            )
        };
        let mut problems = Vec::new();
        for (n, draft) in self.questions.iter().enumerate() {
            if draft.prompt.trim().is_empty() {
                continue;
            }
            if too_long(draft.prompt.trim()) {
                problems.push(problem(n, "prompt"));
            }
            if draft.choices.lines().map(str::trim).any(too_long) {
                problems.push(problem(n, "choices"));
            }
        }
        problems
    }
}

/// A stable key for a question, from its prompt: `"Do you use the bus?"` →
/// `do_you_use_the_bus` (at most 40 characters), with a number added when it is `taken`
/// already (`do_you_use_the_bus_2`), and `question` for a prompt without a word.
pub fn question_key(prompt: &str, taken: &BTreeSet<String>) -> String {
    let words: Vec<String> = prompt
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut base: String = words.join("_").chars().take(40).collect();
    if base.is_empty() {
        base = "question".into();
    }
    let mut key = base.clone();
    let mut n = 2;
    while taken.contains(&key) {
        key = format!("{base}_{n}");
        n += 1;
    }
    key
}

/// The questions drafted, in order, with empty ones left out, prompts and choices trimmed,
/// blank choices dropped, and each given a key no earlier one has.
pub fn questions(drafts: &[QuestionDraft]) -> Vec<Question> {
    let mut taken = BTreeSet::new();
    drafts
        .iter()
        .filter_map(|draft| {
            let prompt = draft.prompt.trim().to_owned();
            if prompt.is_empty() {
                return None;
            }
            let key = question_key(&prompt, &taken);
            taken.insert(key.clone());
            let choices = draft
                .choices
                .lines()
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect();
            Some(Question {
                key,
                prompt,
                choices,
            })
        })
        .collect()
}
