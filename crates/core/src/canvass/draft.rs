//! What a save at a door writes. A [`ConversationDraft`] holds the conversation form's values
//! and turns them into the [`Step`]s of one change: a new issue if one was named, the
//! conversation, a story with its consent, the survey's answers, and the person's new
//! contact details, consents and skills. [`outcome_steps`] is one tap's worth: *not home*
//! (or refused, moved, do not knock) for everyone at a door; [`met_at_door`] is someone new
//! met there.
//!
//! Everything is checked before anything is made, and every problem is reported with its
//! field, named as the form names it (`new_issue`, `note`, `story`, `phone`…).

use std::collections::{BTreeMap, BTreeSet};

use crate::change::Step;
use crate::id::{
    ConversationId, IssueId, PersonId, RecordId, StoryId, SurveyResponseId, Timestamp, UserId,
};
use crate::model::{
    Consent, ConsentMethod, ConsentTopic, Conversation, ConversationKind, FollowUp, Interest,
    Issue, List, Outcome, Person, Source, Story, StoryConsent, Survey, SurveyResponse,
};
use crate::record::{Element, Entity, FieldName};
use crate::sync::{RecordKey, Replica};
use crate::validate::{FieldProblem, Problem};
use crate::walk::Door;

/// The consent topics the door asks about: the channels we may contact someone on.
pub const DOOR_CONSENTS: [ConsentTopic; 3] =
    [ConsentTopic::Phone, ConsentTopic::Sms, ConsentTopic::Email];

/// The conversation form's values, as typed: nothing here is checked until
/// [`ConversationDraft::steps`].
#[derive(Clone, Debug, PartialEq)]
pub struct ConversationDraft {
    /// The person talked to.
    pub person: PersonId,
    /// The issues they raised, from those offered.
    pub issues: BTreeSet<IssueId>,
    /// Issues not picked from those offered, by name, separated by commas or semicolons;
    /// blank for none. A name that is an offered issue's (as [`Issue::same_name`] compares
    /// them) raises that issue rather than making another.
    pub new_issue: String,
    /// A note; blank for none.
    pub note: String,
    /// Their story; blank for none.
    pub story: String,
    /// How far their story may travel.
    pub story_consent: StoryConsent,
    /// Their phone number; blank for none.
    pub phone: String,
    /// Their email address; blank for none.
    pub email: String,
    /// The channels (of [`DOOR_CONSENTS`]) they agree to be contacted by.
    pub consents: BTreeSet<ConsentTopic>,
    /// What they are interested in doing.
    pub interests: BTreeSet<Interest>,
    /// Their skills, separated by commas.
    pub skills: String,
    /// Something to do next; blank for nothing.
    pub follow_up: String,
    /// The survey's answers by question key.
    pub answers: BTreeMap<String, String>,
}

impl ConversationDraft {
    /// A fresh form for `person`: their contact details and the channels they agreed to as
    /// they stand, everything else empty and their story private.
    pub fn for_person(person: &Person) -> ConversationDraft {
        ConversationDraft {
            person: person.id,
            issues: BTreeSet::new(),
            new_issue: String::new(),
            note: String::new(),
            story: String::new(),
            story_consent: StoryConsent::Private,
            phone: person.phone.clone().unwrap_or_default(),
            email: person.email.clone().unwrap_or_default(),
            consents: DOOR_CONSENTS
                .into_iter()
                .filter(|&topic| person.has_consent(topic))
                .collect(),
            interests: BTreeSet::new(),
            skills: String::new(),
            follow_up: String::new(),
            answers: BTreeMap::new(),
        }
    }

    /// The steps that save this conversation with `person` (the record the draft is for, as
    /// the replica holds it now), had by `by` at `at` from `list`, with `survey`'s answers.
    /// `mint` gives each new record its id. Either every step, or every problem found.
    ///
    /// A consent is recorded only when it changes (given, or withdrawn after being given),
    /// as said on the doorstep at `at`; the person's phone and email are set only when they
    /// change; skills are split at commas, normalised by the person's own rule (the one the
    /// server runs), and only those they do not hold already are added. `offered` are the
    /// issues the form offered: a typed issue with one of their names raises it.
    #[allow(clippy::too_many_arguments)]
    pub fn steps(
        &self,
        list: &List,
        survey: Option<&Survey>,
        offered: &[Issue],
        person: &Person,
        by: UserId,
        at: Timestamp,
        mut mint: impl FnMut() -> RecordId,
    ) -> Result<Vec<Step>, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        if person.id != self.person {
            problems.push(FieldProblem::new("person", Problem::UnknownReference));
        }
        let mut steps = Vec::new();
        let mut issues = self.issues.clone();
        let mut made: Vec<Issue> = Vec::new();
        for name in self.new_issue.split([',', ';', '\n']) {
            if name.trim().is_empty() {
                continue;
            }
            if let Some(known) = offered
                .iter()
                .chain(&made)
                .find(|issue| Issue::same_name(&issue.name, name))
            {
                issues.insert(known.id);
                continue;
            }
            let issue = Issue {
                id: IssueId(mint()),
                area: list.area,
                created_by: by,
                name: name.to_owned(),
                parent: None,
            };
            issues.insert(issue.id);
            match issue.normalised() {
                Ok(issue) => {
                    steps.push(Step::Created(issue.to_record()));
                    made.push(issue);
                }
                Err(found) => problems.extend(renamed(found, &[("name", "new_issue")])),
            }
        }
        let conversation = Conversation {
            issues: issues.clone(),
            interests: self.interests.clone(),
            notes: Some(self.note.clone()),
            follow_ups: if self.follow_up.trim().is_empty() {
                Vec::new()
            } else {
                vec![FollowUp {
                    action: self.follow_up.clone(),
                    due: None,
                }]
            },
            ..at_the_door(person, list, by, at, Outcome::Held, ConversationId(mint()))
        };
        match conversation.normalised() {
            Ok(conversation) => steps.push(Step::Created(conversation.to_record())),
            Err(found) => problems.extend(renamed(
                found,
                &[("notes", "note"), ("follow_ups", "follow_up")],
            )),
        }
        if !self.story.trim().is_empty() {
            let story = Story {
                id: StoryId(mint()),
                area: person.area,
                created_by: by,
                person: person.id,
                text: self.story.clone(),
                issue: issues.iter().next().copied(),
                consent: self.story_consent,
            };
            match story.normalised() {
                Ok(story) => steps.push(Step::Created(story.to_record())),
                Err(found) => problems.extend(renamed(found, &[("text", "story")])),
            }
        }
        if let Some(survey) = survey {
            match survey.answers(self.answers.clone()) {
                Ok(answers) if answers.is_empty() => {}
                Ok(answers) => {
                    let response = SurveyResponse {
                        id: SurveyResponseId(mint()),
                        area: person.area,
                        created_by: by,
                        survey: survey.id,
                        person: person.id,
                        at,
                        answers,
                    };
                    match response.normalised() {
                        Ok(response) => steps.push(Step::Created(response.to_record())),
                        Err(found) => problems.extend(found),
                    }
                }
                Err(found) => problems.extend(found),
            }
        }
        match self.person_steps(person, at) {
            Ok(person_steps) => steps.extend(person_steps),
            Err(found) => problems.extend(found),
        }
        if problems.is_empty() {
            Ok(steps)
        } else {
            Err(problems)
        }
    }

    /// The steps that bring `person`'s record up to date with what they said: contact
    /// details and consents set where they changed, new skills added.
    fn person_steps(&self, person: &Person, at: Timestamp) -> Result<Vec<Step>, Vec<FieldProblem>> {
        contact_steps(
            person,
            Said {
                phone: &self.phone,
                email: &self.email,
                consents: &self.consents,
                method: ConsentMethod::Doorstep,
                at,
                skills: &self.skills,
            },
        )
    }
}

/// What someone said about how to reach them, as a form took it down.
pub(crate) struct Said<'a> {
    /// Their phone number as typed; blank for none.
    pub phone: &'a str,
    /// Their email address as typed; blank for none.
    pub email: &'a str,
    /// The channels (of [`DOOR_CONSENTS`]) they agree to be contacted by.
    pub consents: &'a BTreeSet<ConsentTopic>,
    /// How they said it.
    pub method: ConsentMethod,
    /// When.
    pub at: Timestamp,
    /// Their skills, separated by commas; blank for none.
    pub skills: &'a str,
}

/// The steps that bring `person`'s record up to date with what they `said`: phone and email
/// set where they changed; a consent recorded only when it changes (given, or withdrawn
/// after being given); skills split at commas, normalised by the person's own rule (the one
/// the server runs), and only those they do not hold already added.
pub(crate) fn contact_steps(person: &Person, said: Said) -> Result<Vec<Step>, Vec<FieldProblem>> {
    let mut consents = person.consents.clone();
    for topic in DOOR_CONSENTS {
        let given = said.consents.contains(&topic);
        let before = person.consents.get(&topic).map(|c| c.given);
        // Never asked and still not given is no answer: nothing to record.
        if before != Some(given) && (given || before.is_some()) {
            consents.insert(
                topic,
                Consent {
                    given,
                    at: said.at,
                    method: said.method,
                },
            );
        }
    }
    let mut skills = person.skills.clone();
    skills.extend(
        said.skills
            .split(',')
            .filter(|skill| !skill.trim().is_empty())
            .map(str::to_owned),
    );
    // The person's own normalisation, so the form keeps the rule the server keeps.
    let updated = Person {
        phone: Some(said.phone.to_owned()),
        email: Some(said.email.to_owned()),
        consents,
        skills,
        ..person.clone()
    }
    .normalised()?;
    let key = RecordKey {
        collection: Person::COLLECTION,
        id: person.id.0,
    };
    let (old, new) = (person.to_record(), updated.to_record());
    let fields = ["phone", "email"]
        .into_iter()
        .chain(DOOR_CONSENTS.map(ConsentTopic::field));
    let mut steps: Vec<Step> = fields
        .filter(|field| old.get(field) != new.get(field))
        .map(|field| Step::Set {
            key,
            field,
            before: old.get(field).clone(),
            after: new.get(field).clone(),
        })
        .collect();
    steps.extend(
        updated
            .skills
            .difference(&person.skills)
            .map(|skill| Step::Added {
                key,
                field: "skills",
                element: Element::Text(skill.clone()),
            }),
    );
    Ok(steps)
}

/// `problems` with each field named as the record names it renamed as the form does
/// (`renames` pairs the record's name with the form's).
fn renamed(
    problems: Vec<FieldProblem>,
    renames: &[(&str, &'static str)],
) -> impl Iterator<Item = FieldProblem> {
    problems.into_iter().map(move |mut problem| {
        if let Some((_, to)) = renames
            .iter()
            .find(|(from, _)| problem.field.as_str() == *from)
        {
            problem.field = FieldName::fixed(to);
        }
        problem
    })
}

/// The steps that record `outcome` (a knock with nobody to talk to: not home, refused, moved,
/// do not knock) for everyone at `door` on `list`, by `by` at `at`: one conversation each,
/// filed in the area of its person, as the server requires. Someone no longer on the phone
/// is left out. A screen makes each door's steps as one change.
pub fn outcome_steps(
    replica: &Replica,
    list: &List,
    door: &Door,
    by: UserId,
    at: Timestamp,
    outcome: Outcome,
    mut mint: impl FnMut() -> RecordId,
) -> Vec<Step> {
    door.people
        .iter()
        .filter_map(|&id| replica.one::<Person>(id.0))
        .map(|person| {
            Step::Created(
                at_the_door(&person, list, by, at, outcome, ConversationId(mint())).to_record(),
            )
        })
        .collect()
}

/// A doorstep conversation with `person`, on `list`, with nothing said yet: filed in the
/// person's own area (the server refuses any other), by `by` at `at`.
fn at_the_door(
    person: &Person,
    list: &List,
    by: UserId,
    at: Timestamp,
    outcome: Outcome,
    id: ConversationId,
) -> Conversation {
    Conversation {
        id,
        area: person.area,
        created_by: by,
        kind: ConversationKind::Doorstep,
        by,
        person: person.id,
        at,
        outcome,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: Some(list.id),
    }
}

/// Someone new met at `door` on `list`, named `name`, with the id `id`: they live behind the
/// door (its address, postcode and household) and are filed in the area of `neighbour`, one
/// of the people already there, or the list's when there is nobody. Checked as the server
/// checks a new person; a problem names its field (`name`).
pub fn met_at_door(
    door: &Door,
    list: &List,
    neighbour: Option<&Person>,
    name: &str,
    by: UserId,
    id: RecordId,
) -> Result<Person, Vec<FieldProblem>> {
    Person {
        address: (!door.address.is_empty()).then(|| door.address.clone()),
        postcode: door.postcode.clone(),
        household: door.household,
        ..Person::new(
            PersonId(id),
            neighbour.map_or(list.area, |p| p.area),
            by,
            name,
            Source::Doorstep,
        )
    }
    .normalised()
}
