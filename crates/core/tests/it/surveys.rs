//! Surveys at the door: answers checked against the survey's questions, and the tally an
//! organiser reads, one latest response per person.

use crate::support::{CONSTITUENCY, ORGANISER, VOLUNTEER, WARD_NORTH};
use organise_core::id::{PersonId, SurveyId, SurveyResponseId, Timestamp};
use organise_core::model::{Question, Survey, SurveyResponse};
use organise_core::results::{QuestionTally, survey_tally};
use organise_core::validate::{MAX_LONG_TEXT, Problem};
use std::collections::BTreeMap;

const SURVEY: SurveyId = SurveyId::from_u128(0x500);
const OTHER_SURVEY: SurveyId = SurveyId::from_u128(0x501);

fn survey() -> Survey {
    Survey {
        id: SURVEY,
        area: CONSTITUENCY,
        created_by: ORGANISER,
        title: "Buses".into(),
        questions: vec![
            Question {
                key: "uses_bus".into(),
                prompt: "Do you use the bus?".into(),
                choices: vec!["Daily".into(), "Weekly".into(), "Never".into()],
            },
            Question {
                key: "route".into(),
                prompt: "Which route would you bring back?".into(),
                choices: Vec::new(),
            },
        ],
    }
}

fn given(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn response(
    n: u128,
    person: u128,
    at: i64,
    survey: SurveyId,
    answers: &[(&str, &str)],
) -> SurveyResponse {
    SurveyResponse {
        id: SurveyResponseId::from_u128(0x600 + n),
        area: WARD_NORTH,
        created_by: VOLUNTEER,
        survey,
        person: PersonId::from_u128(0x700 + person),
        at: Timestamp(at),
        answers: given(answers),
    }
}

#[test]
fn answers_are_trimmed_and_empty_ones_left_out() {
    let answers = survey()
        .answers(given(&[("uses_bus", " Weekly "), ("route", "   ")]))
        .unwrap();
    assert_eq!(answers, given(&[("uses_bus", "Weekly")]));
}

#[test]
fn a_choice_outside_the_question_and_an_unknown_question_are_named() {
    let problems: Vec<(String, Problem)> = survey()
        .answers(given(&[
            ("uses_bus", "Hourly"),
            ("favourite_colour", "Blue"),
        ]))
        .unwrap_err()
        .into_iter()
        .map(|p| (p.field.to_string(), p.problem))
        .collect();
    assert_eq!(
        problems,
        vec![
            ("answers.favourite_colour".into(), Problem::NotAQuestion),
            (
                "answers.uses_bus".into(),
                Problem::NotAChoice {
                    allowed: vec!["Daily".into(), "Weekly".into(), "Never".into()]
                }
            ),
        ]
    );
}

#[test]
fn a_free_answer_may_be_any_text_within_the_limit() {
    let route = "The 27 through Canal Side";
    assert_eq!(
        survey().answers(given(&[("route", route)])).unwrap(),
        given(&[("route", route)])
    );
    let long = "x".repeat(MAX_LONG_TEXT + 1);
    assert!(survey().answers(given(&[("route", &long)])).is_err());
}

#[test]
fn the_tally_counts_each_persons_latest_response_only_for_this_survey() {
    let responses = [
        // Person 1 changed their mind on a second visit: only "Daily" counts.
        response(1, 1, 10, SURVEY, &[("uses_bus", "Never")]),
        response(
            2,
            1,
            20,
            SURVEY,
            &[("uses_bus", "Daily"), ("route", "The 27")],
        ),
        response(3, 2, 15, SURVEY, &[("uses_bus", "Daily")]),
        response(4, 3, 15, SURVEY, &[("route", "The 9")]),
        // Another survey's answers never count here.
        response(5, 4, 15, OTHER_SURVEY, &[("uses_bus", "Weekly")]),
    ];
    let tally = survey_tally(&survey(), &responses);
    assert_eq!(
        tally,
        vec![
            QuestionTally {
                key: "uses_bus".into(),
                prompt: "Do you use the bus?".into(),
                answered: 2,
                choices: vec![
                    ("Daily".into(), 2),
                    ("Weekly".into(), 0),
                    ("Never".into(), 0)
                ],
            },
            QuestionTally {
                key: "route".into(),
                prompt: "Which route would you bring back?".into(),
                answered: 2,
                choices: Vec::new(),
            },
        ]
    );
}

#[test]
fn responses_recorded_at_the_same_moment_keep_the_later_id() {
    let responses = [
        response(2, 1, 10, SURVEY, &[("uses_bus", "Weekly")]),
        response(1, 1, 10, SURVEY, &[("uses_bus", "Never")]),
    ];
    let tally = survey_tally(&survey(), &responses);
    assert_eq!(
        tally[0].choices,
        vec![
            ("Daily".into(), 0),
            ("Weekly".into(), 1),
            ("Never".into(), 0)
        ]
    );
}
