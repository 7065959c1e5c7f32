//! What a save at a door and a list's setup write, over a small synthetic constituency: a
//! conversation draft's steps (issues, story, survey, contact details, consents, skills),
//! every problem named by its field, one tap's outcome per door, undo, and the survey's
//! questions as drafted.

use crate::support::{self, ADMIN, CONSTITUENCY, Names, WARD_NORTH, WARD_SOUTH};
use expect_test::{Expect, expect};
use organise_core::canvass::{
    ConversationDraft, ListSetup, QuestionDraft, ScriptDraft, SurveyDraft, Waiting, met_at_door,
    outcome_steps, question_key, questions,
};
use organise_core::change::{self, Step};
use organise_core::id::{HouseholdId, IssueId, ListId, PersonId, RecordId, SurveyId, Timestamp};
use organise_core::model::{
    Consent, ConsentMethod, ConsentTopic, Issue, List, ListKind, Outcome, Person, Question, Source,
    StoryConsent, Survey,
};
use organise_core::record::{Collection, Element, Entity, Value};
use organise_core::sync::{ClientId, RecordKey, ReferenceServer, Replica};
use organise_core::validate::{MAX_SHORT_TEXT, Problem};
use organise_core::walk::Door;
use std::collections::{BTreeMap, BTreeSet};

const LIST: ListId = ListId::from_u128(0x200);
const SURVEY: SurveyId = SurveyId::from_u128(0x210);
const HOUSING: IssueId = IssueId::from_u128(0x220);
const ANN: PersonId = PersonId::from_u128(0x301);
const BOB: PersonId = PersonId::from_u128(0x302);
const HOUSEHOLD: HouseholdId = HouseholdId::from_u128(0x400);
const AT: Timestamp = Timestamp(1_000);

/// Ann, who agreed to calls on a form and cooks, with a phone number; Bob, in her household
/// but filed in the south ward.
fn people() -> [Person; 2] {
    let ann = Person {
        phone: Some("+447700900001".into()),
        address: Some("1 High Street".into()),
        household: Some(HOUSEHOLD),
        consents: BTreeMap::from([(
            ConsentTopic::Phone,
            Consent {
                given: true,
                at: Timestamp(5),
                method: ConsentMethod::Form,
            },
        )]),
        skills: BTreeSet::from(["cooking".to_owned()]),
        ..Person::new(ANN, WARD_NORTH, ADMIN, "Ann Example", Source::Doorstep)
    };
    let bob = Person {
        address: Some("1 High Street".into()),
        household: Some(HOUSEHOLD),
        ..Person::new(BOB, WARD_SOUTH, ADMIN, "Bob Example", Source::Doorstep)
    };
    [ann, bob]
}

/// A constituency-wide list holding Ann and Bob.
fn list() -> List {
    List {
        id: LIST,
        area: CONSTITUENCY,
        created_by: ADMIN,
        name: "High Street".into(),
        kind: ListKind::Walk,
        members: [ANN, BOB].into(),
        assignees: BTreeSet::new(),
        campaign: None,
        script: None,
        survey: Some(SURVEY),
    }
}

fn survey() -> Survey {
    Survey {
        id: SURVEY,
        area: CONSTITUENCY,
        created_by: ADMIN,
        title: "Buses".into(),
        questions: vec![
            Question {
                key: "uses_bus".into(),
                prompt: "Do you use the bus?".into(),
                choices: vec!["Daily".into(), "Never".into()],
            },
            Question {
                key: "route".into(),
                prompt: "Which route would you bring back?".into(),
                choices: Vec::new(),
            },
        ],
    }
}

/// An admin's phone holding the people, the list, its survey and an issue, all confirmed by
/// the server, so that an undo has a confirmed state to return to.
fn phone() -> Replica {
    let mut server = ReferenceServer::seeded(support::seed());
    let mut replica = Replica::new(ClientId::from_u128(0xC1), ADMIN);
    let issue = Issue {
        id: HOUSING,
        area: CONSTITUENCY,
        created_by: ADMIN,
        name: "Housing".into(),
        parent: None,
    };
    let mut records: Vec<_> = people().iter().map(Entity::to_record).collect();
    records.extend([survey().to_record(), list().to_record(), issue.to_record()]);
    for record in &records {
        replica.create(record).unwrap();
    }
    let response = server
        .push(ADMIN, &replica.push_request(100).unwrap())
        .unwrap();
    replica.apply_push_response(&response);
    let response = server.pull(ADMIN, &replica.pull_request(500)).unwrap();
    replica.apply_pull_response(&response).unwrap();
    assert_eq!(replica.outbox().count(), 0, "everything landed");
    replica
}

fn ann(replica: &Replica) -> Person {
    replica.one(ANN.0).unwrap()
}

/// The issues the door's form offers: those on the phone.
fn offered(replica: &Replica) -> Vec<Issue> {
    replica.all()
}

/// Ids minted one after another from 0x901, as a phone would mint them at random.
fn minter() -> impl FnMut() -> RecordId {
    let mut n = 0x900;
    move || {
        n += 1;
        RecordId::from_u128(n)
    }
}

fn names() -> Names {
    let mut names = Names::standard();
    for (id, name) in [
        (LIST.0, "high-street"),
        (SURVEY.0, "buses"),
        (HOUSING.0, "housing"),
        (ANN.0, "ann"),
        (BOB.0, "bob"),
    ] {
        names.0.insert(id, name.to_owned());
    }
    names
}

/// The steps, one a line, ids by name.
fn render(steps: &[Step]) -> String {
    let names = names();
    let key = |key: &RecordKey| format!("{} {}", key.collection, names.name(key.id));
    steps
        .iter()
        .map(|step| match step {
            Step::Created(record) => format!("create {}\n", names.record(record)),
            Step::Set {
                key: k,
                field,
                before,
                after,
            } => format!(
                "set {} {field}: {} -> {}\n",
                key(k),
                names.value(before),
                names.value(after)
            ),
            Step::Added {
                key: k,
                field,
                element,
            } => format!("add {} {field}: {element:?}\n", key(k)),
            Step::Removed {
                key: k,
                field,
                element,
            } => format!("remove {} {field}: {element:?}\n", key(k)),
            Step::Deleted { record, .. } => format!("delete {}\n", names.record(record)),
        })
        .collect()
}

/// Saves `draft` (for Ann, on the list, with its survey) and checks the steps it makes.
fn check(draft: &ConversationDraft, expect: Expect) {
    let replica = phone();
    let steps = draft
        .steps(
            &list(),
            Some(&survey()),
            &offered(&replica),
            &ann(&replica),
            ADMIN,
            AT,
            minter(),
        )
        .unwrap();
    expect.assert_eq(&render(&steps));
}

/// The problems saving `draft` for Ann finds, as (field, problem).
fn problems(draft: &ConversationDraft) -> Vec<(String, Problem)> {
    let replica = phone();
    draft
        .steps(
            &list(),
            Some(&survey()),
            &offered(&replica),
            &ann(&replica),
            ADMIN,
            AT,
            minter(),
        )
        .unwrap_err()
        .into_iter()
        .map(|p| (p.field.to_string(), p.problem))
        .collect()
}

fn draft() -> ConversationDraft {
    ConversationDraft::for_person(&people()[0])
}

#[test]
fn a_fresh_draft_holds_the_persons_details_and_the_channels_they_agreed_to() {
    let draft = draft();
    assert_eq!(draft.person, ANN);
    assert_eq!(draft.phone, "+447700900001");
    assert_eq!(draft.email, "");
    assert_eq!(draft.consents, BTreeSet::from([ConsentTopic::Phone]));
    assert_eq!(draft.story_consent, StoryConsent::Private);
    assert!(draft.skills.is_empty() && draft.answers.is_empty() && draft.issues.is_empty());
}

#[test]
fn a_plain_conversation_is_one_created_step() {
    check(
        &draft(),
        expect![[r#"
            create conversation #901 @ward-north at=1000ms by=admin kind="doorstep" list=high-street outcome="held" person=ann
        "#]],
    );
}

#[test]
fn a_new_issue_is_created_in_the_lists_area_and_the_conversation_raises_it() {
    check(
        &ConversationDraft {
            issues: [HOUSING].into(),
            new_issue: "  Bus fares ".into(),
            note: "Walks to work since the 27 stopped.".into(),
            follow_up: "Send the bus campaign leaflet".into(),
            interests: [organise_core::model::Interest::ComeToMeeting].into(),
            ..draft()
        },
        expect![[r#"
            create issue #901 @constituency name="Bus fares"
            create conversation #902 @ward-north at=1000ms by=admin follow_ups=[{action: "Send the bus campaign leaflet", due: null}] interests={come_to_meeting} issues={housing, #901} kind="doorstep" list=high-street notes="Walks to work since the 27 stopped." outcome="held" person=ann
        "#]],
    );
}

#[test]
fn several_new_issues_are_made_and_one_typed_again_is_the_issue_already_there() {
    check(
        &ConversationDraft {
            new_issue: " HOUSING ; Bus  fares, bus fares,,Street lights ".into(),
            ..draft()
        },
        expect![[r#"
            create issue #901 @constituency name="Bus fares"
            create issue #902 @constituency name="Street lights"
            create conversation #903 @ward-north at=1000ms by=admin issues={housing, #901, #902} kind="doorstep" list=high-street outcome="held" person=ann
        "#]],
    );
}

#[test]
fn a_story_carries_its_consent_and_an_empty_one_is_no_story() {
    check(
        &ConversationDraft {
            story: "  \n ".into(),
            story_consent: StoryConsent::Named,
            ..draft()
        },
        expect![[r#"
            create conversation #901 @ward-north at=1000ms by=admin kind="doorstep" list=high-street outcome="held" person=ann
        "#]],
    );
    check(
        &ConversationDraft {
            issues: [HOUSING].into(),
            story: "The damp came back every winter.".into(),
            story_consent: StoryConsent::Anonymised,
            ..draft()
        },
        expect![[r#"
            create conversation #901 @ward-north at=1000ms by=admin issues={housing} kind="doorstep" list=high-street outcome="held" person=ann
            create story #902 @ward-north consent="anonymised" issue=housing person=ann text="The damp came back every winter."
        "#]],
    );
}

#[test]
fn consents_are_recorded_only_when_they_change_as_said_on_the_doorstep() {
    // Ann withdraws her consent to calls and agrees to texts; email, never asked and not
    // given now, records nothing.
    check(
        &ConversationDraft {
            consents: [ConsentTopic::Sms].into(),
            ..draft()
        },
        expect![[r#"
            create conversation #901 @ward-north at=1000ms by=admin kind="doorstep" list=high-street outcome="held" person=ann
            set person ann consent_phone: {at: 5ms, given: true, method: "form"} -> {at: 1000ms, given: false, method: "doorstep"}
            set person ann consent_sms: null -> {at: 1000ms, given: true, method: "doorstep"}
        "#]],
    );
}

#[test]
fn contact_details_are_set_only_when_they_change() {
    // The same number typed another way is no change.
    check(
        &ConversationDraft {
            phone: "07700 900001".into(),
            email: "  ".into(),
            ..draft()
        },
        expect![[r#"
            create conversation #901 @ward-north at=1000ms by=admin kind="doorstep" list=high-street outcome="held" person=ann
        "#]],
    );
    check(
        &ConversationDraft {
            phone: "".into(),
            email: "Ann@Example.ORG".into(),
            ..draft()
        },
        expect![[r#"
            create conversation #901 @ward-north at=1000ms by=admin kind="doorstep" list=high-street outcome="held" person=ann
            set person ann phone: "+447700900001" -> null
            set person ann email: null -> "Ann@example.org"
        "#]],
    );
}

#[test]
fn skills_are_normalised_by_the_persons_rule_and_held_ones_not_added_again() {
    let replica = phone();
    let steps = ConversationDraft {
        skills: " First aid ,cooking,, welding ".into(),
        ..draft()
    }
    .steps(&list(), None, &[], &ann(&replica), ADMIN, AT, minter())
    .unwrap();
    let added: Vec<&Element> = steps
        .iter()
        .filter_map(|step| match step {
            Step::Added { field, element, .. } if *field == "skills" => Some(element),
            _ => None,
        })
        .collect();
    assert_eq!(
        added,
        [
            &Element::Text("First aid".into()),
            &Element::Text("welding".into())
        ],
        "trimmed and left as typed, as the server keeps them; cooking is held already"
    );
    // What the door adds is what the server would store: the person's own normalisation
    // leaves it as it is.
    let mut replica = replica;
    change::make(&steps, &mut replica).unwrap();
    let record = replica
        .get(RecordKey {
            collection: Collection::Person,
            id: ANN.0,
        })
        .unwrap();
    assert_eq!(Collection::Person.normalise(&record).unwrap(), record);
    assert_eq!(
        record.get("skills"),
        &Value::Texts(
            ["First aid", "cooking", "welding"]
                .map(str::to_owned)
                .into()
        )
    );
}

#[test]
fn survey_answers_are_checked_and_a_bad_one_is_named_by_its_question() {
    let answered = ConversationDraft {
        answers: BTreeMap::from([
            ("uses_bus".to_owned(), " Daily ".to_owned()),
            ("route".to_owned(), "".to_owned()),
        ]),
        ..draft()
    };
    check(
        &answered,
        expect![[r#"
            create conversation #901 @ward-north at=1000ms by=admin kind="doorstep" list=high-street outcome="held" person=ann
            create survey_response #902 @ward-north answers={uses_bus: "Daily"} at=1000ms person=ann survey=buses
        "#]],
    );
    let replica = phone();
    assert_eq!(
        answered
            .steps(&list(), None, &[], &ann(&replica), ADMIN, AT, minter())
            .unwrap()
            .len(),
        1,
        "without the survey on the phone, no answers are saved"
    );
    assert_eq!(
        problems(&ConversationDraft {
            answers: BTreeMap::from([("uses_bus".to_owned(), "Hourly".to_owned())]),
            ..draft()
        }),
        [(
            "answers.uses_bus".to_owned(),
            Problem::NotAChoice {
                allowed: vec!["Daily".into(), "Never".into()]
            }
        )]
    );
}

#[test]
fn every_problem_is_named_by_the_forms_field() {
    let long = "x".repeat(MAX_SHORT_TEXT + 1);
    assert_eq!(
        problems(&ConversationDraft {
            new_issue: long.clone(),
            follow_up: long.clone(),
            phone: "call me".into(),
            email: "ann at example".into(),
            skills: long,
            ..draft()
        }),
        [
            (
                "new_issue".to_owned(),
                Problem::TooLong {
                    max: MAX_SHORT_TEXT
                }
            ),
            (
                "follow_up".to_owned(),
                Problem::TooLong {
                    max: MAX_SHORT_TEXT
                }
            ),
            ("phone".to_owned(), Problem::BadPhone),
            ("email".to_owned(), Problem::BadEmail),
            (
                "skills".to_owned(),
                Problem::TooLong {
                    max: MAX_SHORT_TEXT
                }
            ),
        ]
    );
    assert_eq!(
        problems(&ConversationDraft {
            person: BOB,
            ..draft()
        }),
        [("person".to_owned(), Problem::UnknownReference)],
        "a draft saved for someone else than it was opened for"
    );
}

/// Every record the replica shows, one a line, ids by name: what an undo must restore.
fn everything(replica: &Replica) -> String {
    let names = names();
    replica
        .visible()
        .values()
        .map(|record| format!("{}\n", names.record(record)))
        .collect()
}

#[test]
fn an_undo_takes_every_step_back() {
    let mut replica = phone();
    let before = everything(&replica);
    let steps = ConversationDraft {
        issues: [HOUSING].into(),
        new_issue: "Bus fares".into(),
        story: "The damp came back every winter.".into(),
        phone: "07700 900002".into(),
        email: "ann@example.org".into(),
        consents: [ConsentTopic::Sms, ConsentTopic::Email].into(),
        skills: "first aid".into(),
        answers: BTreeMap::from([("uses_bus".to_owned(), "Never".to_owned())]),
        ..draft()
    }
    .steps(
        &list(),
        Some(&survey()),
        &offered(&replica),
        &ann(&replica),
        ADMIN,
        AT,
        minter(),
    )
    .unwrap();
    assert_eq!(steps.len(), 10, "{}", render(&steps));
    change::make(&steps, &mut replica).unwrap();
    assert_ne!(everything(&replica), before);
    change::undo(&steps, &mut replica);
    assert_eq!(everything(&replica), before);
}

#[test]
fn a_quick_outcome_records_everyone_at_the_door_each_in_their_own_area() {
    let replica = phone();
    let door = Door {
        address: "1 High Street".into(),
        postcode: None,
        household: Some(HOUSEHOLD),
        people: vec![ANN, BOB, PersonId::from_u128(0x3FF)],
    };
    let steps = outcome_steps(
        &replica,
        &list(),
        &door,
        ADMIN,
        AT,
        Outcome::NotHome,
        minter(),
    );
    expect![[r#"
        create conversation #901 @ward-north at=1000ms by=admin kind="doorstep" list=high-street outcome="not_home" person=ann
        create conversation #902 @ward-south at=1000ms by=admin kind="doorstep" list=high-street outcome="not_home" person=bob
    "#]]
    .assert_eq(&render(&steps));
}

#[test]
fn what_waits_is_counted_in_doors_and_conversations_not_records() {
    let mut replica = phone();
    assert!(Waiting::read(&replica).is_empty());
    let door = Door {
        address: "1 High Street".into(),
        postcode: None,
        household: Some(HOUSEHOLD),
        people: vec![ANN, BOB],
    };
    // Not home at a door of two: two records, one door.
    let not_home = outcome_steps(
        &replica,
        &list(),
        &door,
        ADMIN,
        AT,
        Outcome::NotHome,
        minter(),
    );
    change::make(&not_home, &mut replica).unwrap();
    assert_eq!(
        Waiting::read(&replica),
        Waiting {
            doors: 1,
            conversations: 0,
            other: 0
        }
    );
    // A conversation with Ann at the same door, with a story, an issue and her new phone:
    // one conversation, still one door.
    let talk = ConversationDraft {
        story: "The bus stopped running.".into(),
        new_issue: "Buses".into(),
        phone: "07700 900321".into(),
        ..draft()
    }
    .steps(
        &list(),
        None,
        &offered(&replica),
        &ann(&replica),
        ADMIN,
        Timestamp(2_000),
        {
            let mut n = 0x950;
            move || {
                n += 1;
                RecordId::from_u128(n)
            }
        },
    )
    .unwrap();
    change::make(&talk, &mut replica).unwrap();
    assert_eq!(
        Waiting::read(&replica),
        Waiting {
            doors: 1,
            conversations: 1,
            other: 0
        }
    );
    // An edit elsewhere is one other change, however many fields; an undone one is none.
    let list_renamed = replica.one::<List>(LIST.0).unwrap();
    replica
        .set_field(
            RecordKey {
                collection: Collection::List,
                id: list_renamed.id.0,
            },
            "name",
            Value::Text("High Street, again".into()),
        )
        .unwrap();
    change::undo(&talk, &mut replica);
    assert_eq!(
        Waiting::read(&replica),
        Waiting {
            doors: 1,
            conversations: 0,
            other: 1
        }
    );
}

#[test]
fn someone_met_at_a_door_lives_there_in_the_area_of_whoever_else_does() {
    let door = Door {
        address: "1 High Street".into(),
        postcode: Some("EX1 1AA".into()),
        household: Some(HOUSEHOLD),
        people: vec![BOB],
    };
    let [_, bob] = people();
    let id = RecordId::from_u128(0x901);
    let met = met_at_door(&door, &list(), Some(&bob), " Cai  Example ", ADMIN, id).unwrap();
    expect![[r#"person #901 @ward-south address="1 High Street" household=#400 name="Cai Example" postcode="EX1 1AA" source="doorstep""#]]
        .assert_eq(&names().record(&met.to_record()));
    let alone = met_at_door(&door, &list(), None, "Cai Example", ADMIN, id).unwrap();
    assert_eq!(
        alone.area, CONSTITUENCY,
        "nobody else there: the list's area"
    );
    let problems: Vec<String> = met_at_door(&door, &list(), None, "Cai 2", ADMIN, id)
        .unwrap_err()
        .iter()
        .map(|p| p.field.to_string())
        .collect();
    assert_eq!(problems, ["name"]);
}

#[test]
fn question_keys_come_from_the_prompts_unique_and_stable() {
    let drafts: Vec<QuestionDraft> = [
        ("Do you use the bus?", "Daily\n  Weekly \n\nNever"),
        ("  ", "Orphan choice"),
        ("Do you use the bus?", ""),
        ("¿Qué línea?", ""),
        ("!!!", ""),
        (
            "What would make the walk to the bus stop safer at night for you?",
            "",
        ),
    ]
    .map(|(prompt, choices)| QuestionDraft {
        prompt: prompt.into(),
        choices: choices.into(),
    })
    .into();
    let rendered = |questions: Vec<Question>| {
        questions
            .iter()
            .map(|q| format!("{} {:?} {:?}\n", q.key, q.prompt, q.choices))
            .collect::<String>()
    };
    let first = rendered(questions(&drafts));
    expect![[r#"
        do_you_use_the_bus "Do you use the bus?" ["Daily", "Weekly", "Never"]
        do_you_use_the_bus_2 "Do you use the bus?" []
        qué_línea "¿Qué línea?" []
        question "!!!" []
        what_would_make_the_walk_to_the_bus_stop "What would make the walk to the bus stop safer at night for you?" []
    "#]]
    .assert_eq(&first);
    assert_eq!(
        rendered(questions(&drafts)),
        first,
        "the same drafts, the same keys"
    );
    let taken = ["question", "question_2"].map(str::to_owned).into();
    assert_eq!(question_key("", &taken), "question_3");
}

#[test]
fn a_survey_draft_saves_the_survey_and_makes_it_the_lists() {
    let replica = phone();
    let draft = SurveyDraft {
        title: " Parks ".into(),
        questions: vec![QuestionDraft {
            prompt: "Which park?".into(),
            choices: String::new(),
        }],
    };
    let steps = draft.steps(&list(), ADMIN, minter()).unwrap();
    expect![[r#"
        create survey #901 @constituency questions=[{choices: [], key: "which_park", prompt: "Which park?"}] title="Parks"
        set list high-street survey: buses -> #901
    "#]]
    .assert_eq(&render(&steps));
    let mut after = replica.clone();
    change::make(&steps, &mut after).unwrap();
    assert_eq!(
        ListSetup::read(&after, LIST, &[CONSTITUENCY])
            .unwrap()
            .list
            .survey,
        Some(SurveyId::from_u128(0x901))
    );

    let empty = SurveyDraft {
        title: String::new(),
        questions: vec![QuestionDraft::default()],
    };
    let problems: Vec<(String, Problem)> = empty
        .steps(&list(), ADMIN, minter())
        .unwrap_err()
        .into_iter()
        .map(|p| (p.field.to_string(), p.problem))
        .collect();
    assert_eq!(
        problems,
        [
            ("title".to_owned(), Problem::Empty),
            ("questions".to_owned(), Problem::Empty)
        ]
    );
    let script = ScriptDraft {
        title: "Buses first".into(),
        body: String::new(),
    };
    assert!(script.steps(&list(), ADMIN, minter()).is_err());
}

/// Issue 13: every refusal beside its field. A survey's rule names its questions as one
/// field; the draft names the question, by its place in the form, and whether its prompt or
/// its choices are at fault.
#[test]
fn a_survey_drafts_problems_name_the_question_they_are_in() {
    let long = "x".repeat(MAX_SHORT_TEXT + 1);
    let draft = SurveyDraft {
        title: "Parks".into(),
        questions: [
            ("Which park?", "North\nSouth".to_owned()),
            ("", String::new()),
            (long.as_str(), String::new()),
            ("Which gate?", format!("Front\n{long}")),
        ]
        .map(|(prompt, choices)| QuestionDraft {
            prompt: prompt.into(),
            choices,
        })
        .into(),
    };
    let problems: Vec<(String, Problem)> = draft
        .steps(&list(), ADMIN, minter())
        .unwrap_err()
        .into_iter()
        .map(|p| (p.field.to_string(), p.problem))
        .collect();
    let too_long = Problem::TooLong {
        max: MAX_SHORT_TEXT,
    };
    assert_eq!(
        problems,
        [
            ("questions.2.prompt".to_owned(), too_long.clone()),
            ("questions.3.choices".to_owned(), too_long),
        ]
    );
}

#[test]
fn list_setup_is_for_organisers_of_the_lists_area_and_gives_and_takes_the_list() {
    let mut replica = phone();
    assert!(ListSetup::read(&replica, LIST, &[WARD_NORTH]).is_none());
    let setup = ListSetup::read(&replica, LIST, &[CONSTITUENCY]).unwrap();
    assert!(setup.assigned.is_empty());
    let (volunteer, _) = setup.others[0].clone();
    let give = organise_core::canvass::setup::give(&setup.list, volunteer);
    change::make(std::slice::from_ref(&give), &mut replica).unwrap();
    let given = ListSetup::read(&replica, LIST, &[CONSTITUENCY]).unwrap();
    assert_eq!(given.assigned, [setup.others[0].clone()]);
    assert!(!given.others.contains(&setup.others[0]));
    let take_off = organise_core::canvass::setup::take_off(&given.list, volunteer);
    change::make(std::slice::from_ref(&take_off), &mut replica).unwrap();
    assert_eq!(
        ListSetup::read(&replica, LIST, &[CONSTITUENCY]).unwrap(),
        setup
    );
    change::undo(&[take_off], &mut replica);
    assert_eq!(
        ListSetup::read(&replica, LIST, &[CONSTITUENCY]).unwrap(),
        given
    );
}
