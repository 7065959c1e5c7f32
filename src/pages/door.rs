//! The door screen: one door at a time, in walking order. One tap records *not home*,
//! *refused*, *moved* or *do not knock* for everyone at the door and moves to the next door;
//! a conversation records the issues raised, a note, a story with its consent, contact
//! details with consent per channel, interests, skills, a follow-up, and the answers to the
//! list's survey; the list's script is a tap away. Everything is saved on the phone first,
//! in one transaction per door; an undo takes back what was just saved.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_navigate, use_params_map};
use organise_core::canvass::{self, ConversationDraft, Walk};
use organise_core::change;
use organise_core::id::{IssueId, ListId, PersonId, RecordId, UserId};
use organise_core::model::{
    ConsentTopic, Conversation, Interest, Issue, List, Outcome, Person, Question, Script,
    StoryConsent, Survey,
};
use organise_core::record::Entity;
use organise_core::validate::FieldProblem;
use organise_core::walk::Door;

use crate::change::{Step, make_all};
use crate::components::field_problems::FieldProblems;
use crate::i18n::{self, t};
use crate::pages::lists::record_outcome;
use crate::pages::now;
use crate::session::require_session;
use crate::sync::{self, SyncContext};

/// What was just saved at a door, so it can be taken back.
#[derive(Clone, Debug, PartialEq)]
pub struct JustSaved {
    /// A sentence saying what was saved.
    pub what: String,
    /// What the save did, in order.
    pub steps: Vec<Step>,
    /// The list and door it was saved at.
    pub list: ListId,
    /// The door's place in walking order.
    pub door: usize,
}

/// The last thing saved at a door, shared between door screens. Provided by the app shell.
#[derive(Clone, Copy)]
pub struct LastSaved(pub RwSignal<Option<JustSaved>>);

/// What the door screen shows of the door itself: it changes when the door or the people at
/// it do, not when a knock elsewhere on the list lands, so an open form stays as it is.
#[derive(Clone, Debug)]
struct DoorView {
    /// The list's walk, as [`sync::walk`] keeps it: the same one until the list or its
    /// people change.
    walk: Arc<Walk>,
    door: Door,
    count: usize,
    people: Vec<Person>,
    /// The latest conversation with each person at the door, from any list.
    last: BTreeMap<PersonId, Conversation>,
    issues: Vec<Issue>,
    /// The list's script and survey, when it has them and they are on the phone.
    script: Option<Script>,
    survey: Option<Survey>,
}

impl DoorView {
    fn list(&self) -> &List {
        &self.walk.list
    }
}

impl PartialEq for DoorView {
    fn eq(&self, other: &Self) -> bool {
        // The walk is compared by identity: a list of a thousand doors is not walked on
        // every tap to find it unchanged.
        let DoorView {
            walk,
            door,
            count,
            people,
            last,
            issues,
            script,
            survey,
        } = self;
        Arc::ptr_eq(walk, &other.walk)
            && *door == other.door
            && *count == other.count
            && *people == other.people
            && *last == other.last
            && *issues == other.issues
            && *script == other.script
            && *survey == other.survey
    }
}

/// How far the list has gone: it moves with every knock on it, from any phone.
#[derive(Clone, Copy, Debug, PartialEq)]
struct DoorProgress {
    done: usize,
    /// The next door not yet done, in walking order.
    next: Option<usize>,
}

pub(crate) fn outcome_words(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Held => t::door_outcome_held(),
        Outcome::NotHome => t::door_outcome_not_home(),
        Outcome::Refused => t::door_outcome_refused(),
        Outcome::Moved => t::door_outcome_moved(),
        Outcome::DoNotKnock => t::door_outcome_do_not_knock(),
        Outcome::WrongNumber => t::door_outcome_wrong_number(),
    }
}

/// The form's fields that can show a problem beside them, by the names core's draft gives
/// its problems (a survey answer's is `answers.<key>`).
const FORM_FIELDS: &[&str] = &[
    "new_issue",
    "note",
    "story",
    "phone",
    "email",
    "skills",
    "follow_up",
];

fn beside_a_field(field: &str) -> bool {
    FORM_FIELDS.contains(&field) || field.starts_with("answers.")
}

fn load(list: ListId, n: usize) -> Option<(DoorView, DoorProgress)> {
    sync::read(|replica| {
        let walk = sync::walk(replica, list)?;
        let door = walk.doors.get(n)?.clone();
        let progress = walk.progress(replica);
        let people = door
            .people
            .iter()
            .filter_map(|id| replica.one::<Person>(id.0))
            .collect();
        let list = &walk.list;
        let view = DoorView {
            last: canvass::last_visits(replica, &door.people),
            issues: canvass::issues_near(replica, list.area),
            script: list.script.and_then(|id| replica.one::<Script>(id.0)),
            survey: list.survey.and_then(|id| replica.one::<Survey>(id.0)),
            count: walk.doors.len(),
            walk: walk.clone(),
            door,
            people,
        };
        let progress = DoorProgress {
            done: progress.done(&walk),
            next: progress.next_after(&walk, n),
        };
        Some((view, progress))
    })
    .flatten()
}

/// The conversation form's state.
#[derive(Clone, Copy)]
struct Form {
    person: RwSignal<Option<PersonId>>,
    issues: RwSignal<BTreeSet<IssueId>>,
    new_issue: RwSignal<String>,
    note: RwSignal<String>,
    story: RwSignal<String>,
    story_consent: RwSignal<StoryConsent>,
    phone: RwSignal<String>,
    email: RwSignal<String>,
    consents: RwSignal<BTreeSet<ConsentTopic>>,
    interests: RwSignal<BTreeSet<Interest>>,
    skills: RwSignal<String>,
    follow_up: RwSignal<String>,
    /// The survey's answers by question key.
    answers: RwSignal<BTreeMap<String, String>>,
    /// What the last save refused, as sentences by field, shown beside each field.
    problems: FieldProblems,
}

impl Form {
    fn new() -> Form {
        Form {
            person: RwSignal::new(None),
            issues: RwSignal::new(BTreeSet::new()),
            new_issue: RwSignal::new(String::new()),
            note: RwSignal::new(String::new()),
            story: RwSignal::new(String::new()),
            story_consent: RwSignal::new(StoryConsent::Private),
            phone: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            consents: RwSignal::new(BTreeSet::new()),
            interests: RwSignal::new(BTreeSet::new()),
            skills: RwSignal::new(String::new()),
            follow_up: RwSignal::new(String::new()),
            answers: RwSignal::new(BTreeMap::new()),
            problems: FieldProblems::new(),
        }
    }

    /// Opens the form for `person`, as core's fresh draft for them holds it.
    fn open_for(&self, person: &Person) {
        let ConversationDraft {
            person,
            issues,
            new_issue,
            note,
            story,
            story_consent,
            phone,
            email,
            consents,
            interests,
            skills,
            follow_up,
            answers,
        } = ConversationDraft::for_person(person);
        self.person.set(Some(person));
        self.issues.set(issues);
        self.new_issue.set(new_issue);
        self.note.set(note);
        self.story.set(story);
        self.story_consent.set(story_consent);
        self.phone.set(phone);
        self.email.set(email);
        self.consents.set(consents);
        self.interests.set(interests);
        self.skills.set(skills);
        self.follow_up.set(follow_up);
        self.answers.set(answers);
        self.problems.clear();
    }

    /// What the form holds, for core to check and turn into steps.
    fn draft(&self, person: PersonId) -> ConversationDraft {
        ConversationDraft {
            person,
            issues: self.issues.get_untracked(),
            new_issue: self.new_issue.get_untracked(),
            note: self.note.get_untracked(),
            story: self.story.get_untracked(),
            story_consent: self.story_consent.get_untracked(),
            phone: self.phone.get_untracked(),
            email: self.email.get_untracked(),
            consents: self.consents.get_untracked(),
            interests: self.interests.get_untracked(),
            skills: self.skills.get_untracked(),
            follow_up: self.follow_up.get_untracked(),
            answers: self.answers.get_untracked(),
        }
    }
}

/// Why a conversation was not saved.
enum NotSaved {
    /// Core's draft refused some of the form's values; nothing was saved.
    Problems(Vec<FieldProblem>),
    /// The phone could not save it, in words.
    Unsaved(String),
}

/// Saves a conversation with `person` from the form, in one change, as core's draft says
/// (see [`ConversationDraft::steps`]): everything is checked before anything is saved.
/// Returns the steps made, for an undo.
async fn save_conversation(
    form: Form,
    view: &DoorView,
    person: &Person,
    by: UserId,
) -> Result<Vec<Step>, NotSaved> {
    let steps = form
        .draft(person.id)
        .steps(
            view.list(),
            view.survey.as_ref(),
            &view.issues,
            person,
            by,
            now(),
            sync::mint_id,
        )
        .map_err(NotSaved::Problems)?;
    make_all(&steps)
        .await
        .map_err(|e| NotSaved::Unsaved(e.to_string()))?;
    Ok(steps)
}

/// The door screen.
#[component]
pub fn DoorPage() -> impl IntoView {
    let session = require_session();
    let SyncContext { revision, .. } = expect_context();
    let LastSaved(last_saved) = expect_context();
    let params = use_params_map();
    let navigate = use_navigate();
    let place = move || {
        params.with(|p| {
            let list = p.get("id")?.parse::<RecordId>().ok().map(ListId)?;
            let n = p.get("n")?.parse::<usize>().ok()?;
            Some((list, n))
        })
    };
    let loaded = Memo::new(move |_| {
        revision.track();
        place().and_then(|(list, n)| load(list, n))
    });
    // Split, so that the door is drawn again only when it changed, and a knock elsewhere
    // redraws the progress line alone.
    let view_state = Memo::new(move |_| loaded.with(|l| l.as_ref().map(|l| l.0.clone())));
    let progress = Memo::new(move |_| loaded.with(|l| l.as_ref().map(|l| l.1)));
    let me = move || session.user_id_untracked();
    let form = Form::new();
    let adding = RwSignal::new(false);
    let new_name = RwSignal::new(String::new());
    let new_problem = RwSignal::new(None::<String>);
    let error = RwSignal::new(None::<String>);
    // A save in progress: a second tap meanwhile does nothing. Not a signal: disabling the
    // buttons would redraw the door while its save is being written, and the save takes
    // less time than a person needs to tap twice.
    let busy = StoredValue::new(false);
    // A new door: close any open form.
    Effect::new(move |_| {
        place();
        form.person.set(None);
        adding.set(false);
        error.set(None);
    });

    // After a save: remember it for an undo, and go on to the next door.
    let saved = {
        let navigate = navigate.clone();
        move |view: &DoorView, what: String, steps: Vec<Step>| {
            last_saved.set(Some(JustSaved {
                what,
                steps,
                list: view.list().id,
                door: place().map(|p| p.1).unwrap_or(0),
            }));
            let next = progress.get_untracked().and_then(|p| p.next);
            let target = match next {
                Some(next) => format!("/lists/{}/doors/{next}", view.list().id),
                None => format!("/lists/{}", view.list().id),
            };
            navigate(&target, Default::default());
        }
    };

    let quick = {
        let saved = saved.clone();
        move |outcome: Outcome| {
            let (Some(view), Some(by)) = (view_state.get_untracked(), me()) else {
                return;
            };
            if busy.get_value() {
                return;
            }
            busy.set_value(true);
            let saved = saved.clone();
            spawn_local(async move {
                match record_outcome(std::slice::from_ref(&view.door), view.list(), by, outcome)
                    .await
                {
                    Ok(steps) => {
                        let what =
                            t::door_saved_outcome(&view.door.address, outcome_words(outcome));
                        saved(&view, what, steps);
                    }
                    Err(e) => error.set(Some(e.to_string())),
                }
                busy.set_value(false);
            });
        }
    };

    let save = {
        let saved = saved.clone();
        move |event: leptos::ev::SubmitEvent| {
            event.prevent_default();
            let (Some(view), Some(by), Some(person_id)) = (
                view_state.get_untracked(),
                me(),
                form.person.get_untracked(),
            ) else {
                return;
            };
            let Some(person) = view.people.iter().find(|p| p.id == person_id).cloned() else {
                return;
            };
            if busy.get_value() {
                return;
            }
            busy.set_value(true);
            let saved = saved.clone();
            spawn_local(async move {
                match save_conversation(form, &view, &person, by).await {
                    Ok(steps) => {
                        form.person.set(None);
                        error.set(None);
                        saved(&view, t::door_saved_conversation(&person.name), steps);
                    }
                    Err(NotSaved::Problems(problems)) => {
                        // Each problem beside its field; any other in words here.
                        let mut said = t::door_check_fields().to_owned();
                        if let Some(elsewhere) = form.problems.show(&problems, beside_a_field) {
                            said.push(' ');
                            said.push_str(&elsewhere);
                        }
                        error.set(Some(said));
                    }
                    Err(NotSaved::Unsaved(e)) => error.set(Some(e)),
                }
                busy.set_value(false);
            });
        }
    };

    let add_person = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let (Some(view), Some(by)) = (view_state.get_untracked(), me()) else {
            return;
        };
        let person = match canvass::met_at_door(
            &view.door,
            view.list(),
            view.people.first(),
            &new_name.get_untracked(),
            by,
            sync::mint_id(),
        ) {
            Ok(person) => person,
            Err(problems) => {
                new_problem.set(Some(
                    problems
                        .iter()
                        .map(|p| i18n::problem(&p.problem))
                        .collect::<Vec<_>>()
                        .join(" "),
                ));
                return;
            }
        };
        let record = person.to_record();
        spawn_local(async move {
            match sync::write(|replica| replica.create(&record)).await {
                Ok(_) => {
                    new_name.set(String::new());
                    new_problem.set(None);
                    adding.set(false);
                    error.set(None);
                    form.open_for(&person);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };

    let undo = {
        let navigate = navigate.clone();
        move |_| {
            let Some(saved) = last_saved.get_untracked() else {
                return;
            };
            let navigate = navigate.clone();
            spawn_local(async move {
                let undone = sync::write(|replica| {
                    change::undo(&saved.steps, replica);
                    Ok(())
                })
                .await;
                if let Err(e) = undone {
                    error.set(Some(e.to_string()));
                    return;
                }
                last_saved.set(None);
                navigate(
                    &format!("/lists/{}/doors/{}", saved.list, saved.door),
                    Default::default(),
                );
            });
        }
    };

    view! {
        <Show when=move || view_state.get().is_some() fallback=|| view! {
            <h1>{t::door_not_found()}</h1>
            <p>{t::door_not_on_phone()}</p>
            <A href="/lists">{t::door_back_to_lists()}</A>
        }>
            {
                let quick = quick.clone();
                let save = save.clone();
                let undo = undo.clone();
                move || view_state.get().map(|view| {
                    let quick = quick.clone();
                    let save = save.clone();
                    let undo = undo.clone();
                    let n = place().map(|p| p.1).unwrap_or(0);
                    let list_id = view.list().id;
                    let outcomes = [
                        (Outcome::NotHome, t::door_not_home()),
                        (Outcome::Refused, t::door_refused()),
                        (Outcome::Moved, t::door_moved()),
                        (Outcome::DoNotKnock, t::door_do_not_knock()),
                    ];
                    view! {
                        <Show when=move || last_saved.with(|s| s.as_ref().is_some_and(|s| s.list == list_id))>
                            <div class="toast" role="status">
                                <span>{move || last_saved.with(|s| s.as_ref().map(|s| s.what.clone()))}</span>
                                <button type="button" class="toast__button" on:click=undo.clone()>{t::door_undo()}</button>
                            </div>
                        </Show>
                        <p class="door__progress">{move || progress.get().map(|p| t::door_progress(n + 1, view.count, p.done))}</p>
                        <h1 class="door__address">{if view.door.address.is_empty() { t::door_no_address().to_owned() } else { view.door.address.clone() }}</h1>
                        <p class="muted">{view.door.postcode.clone().unwrap_or_default()}</p>
                        {view.script.clone().map(|script| view! {
                            <details class="script">
                                <summary>{t::door_script(&script.title)}</summary>
                                <p class="script__body">{script.body}</p>
                            </details>
                        })}
                        <div class="door__quick" role="group" aria-label=t::door_nobody()>
                            {outcomes.into_iter().map(|(outcome, label)| {
                                let quick = quick.clone();
                                view! {
                                    <button type="button" class="button door__outcome"
                                        on:click=move |_| quick(outcome)>{label}</button>
                                }
                            }).collect_view()}
                        </div>
                        <ul class="list" aria-label=t::door_people_here()>
                            {view.people.iter().map(|person| {
                                let recap = view.last.get(&person.id).map(|c| {
                                    let issues: Vec<String> = c.issues.iter()
                                        .filter_map(|i| view.issues.iter().find(|x| x.id == *i).map(|x| x.name.clone()))
                                        .collect();
                                    if issues.is_empty() {
                                        t::door_last_visit(c.at, outcome_words(c.outcome))
                                    } else {
                                        t::door_last_visit_issues(c.at, outcome_words(c.outcome), &issues.join(", "))
                                    }
                                }).unwrap_or_else(|| t::door_not_visited().to_owned());
                                let p = person.clone();
                                let id = person.id;
                                let (issues, survey, save) = (view.issues.clone(), view.survey.clone(), save.clone());
                                let name = person.name.clone();
                                view! {
                                    <li class="list__item">
                                        <p class="list__title">{person.name.clone()}</p>
                                        <p class="list__detail">{recap}</p>
                                        <Show when=move || form.person.get() != Some(id)>
                                            <button type="button" class="button"
                                                on:click={
                                                    let p = p.clone();
                                                    move |_| form.open_for(&p)
                                                }>
                                                {t::door_talk_to(&p.name)}
                                            </button>
                                        </Show>
                                        // The form opens where the person is looking, named for
                                        // whom it is, its heading focused for a screen reader.
                                        <Show when=move || form.person.get() == Some(id)>
                                            <ConversationForm form=form name=name.clone() issues=issues.clone()
                                                survey=survey.clone() on_save=save.clone() />
                                        </Show>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                        <p class="form__error" role="alert">{move || error.get()}</p>
                        <Show when=move || adding.get() fallback=move || view! {
                            <button type="button" class="button button--secondary" on:click=move |_| adding.set(true)>
                                {t::door_add_someone()}
                            </button>
                        }>
                            <form class="form" on:submit=add_person novalidate>
                                <label for="new-person">{t::door_new_person()}</label>
                                <input id="new-person" bind:value=new_name autocomplete="off"
                                    aria-describedby="new-person-problem"
                                    aria-invalid=move || new_problem.with(Option::is_some).to_string() />
                                <p id="new-person-problem" class="form__error">{move || new_problem.get()}</p>
                                <button type="submit" class="button">{t::door_add()}</button>
                            </form>
                        </Show>
                        <nav class="door__nav" aria-label=t::door_nav()>
                            {(n > 0).then(|| view! {
                                <A href=format!("/lists/{list_id}/doors/{}", n - 1) attr:class="button button--secondary">{t::door_previous()}</A>
                            })}
                            {(n + 1 < view.count).then(|| view! {
                                <A href=format!("/lists/{list_id}/doors/{}", n + 1) attr:class="button button--secondary">{t::door_skip()}</A>
                            })}
                            <A href=format!("/lists/{list_id}") attr:class="button button--secondary">{t::door_all()}</A>
                        </nav>
                    }
                })
            }
        </Show>
    }
}

/// Adds `value` to the set, or takes it out if it is there.
pub fn toggle<T: Ord + Send + Sync + 'static>(set: RwSignal<BTreeSet<T>>, value: T) {
    set.update(|set| {
        if !set.remove(&value) {
            set.insert(value);
        }
    });
}

/// A fieldset of checkboxes, one per option, kept in `set`.
fn checkbox_set<T: Ord + Copy + Send + Sync + 'static>(
    legend: &'static str,
    set: RwSignal<BTreeSet<T>>,
    options: [(T, &'static str); 3],
) -> impl IntoView {
    let boxes = options
        .into_iter()
        .map(|(value, label)| {
            view! {
                <label class="choice">
                    <input type="checkbox"
                        prop:checked=move || set.with(|s| s.contains(&value))
                        on:change=move |_| toggle(set, value) />
                    {label}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="choices">
            <legend>{legend}</legend>
            {boxes}
        </fieldset>
    }
}

/// One survey question: its choices as buttons (a second tap clears the answer), or a text
/// box for a free answer.
fn survey_question(form: Form, n: usize, question: Question) -> AnyView {
    let answers = form.answers;
    let key = question.key;
    let problem_id = format!("survey-{n}-problem");
    let described_by = problem_id.clone();
    let field = format!("answers.{key}");
    let (problem, invalid) = (form.problems.message(&field), form.problems.invalid(&field));
    if question.choices.is_empty() {
        let id = format!("survey-{n}");
        let current = key.clone();
        return view! {
            <label for=id.clone()>{question.prompt}</label>
            <input id=id autocomplete="off" aria-describedby=described_by aria-invalid=invalid
                prop:value=move || answers.with(|a| a.get(&current).cloned().unwrap_or_default())
                on:input=move |event| {
                    let text = event_target_value(&event);
                    answers.update(|a| { a.insert(key.clone(), text); });
                } />
            <p id=problem_id class="form__error">{problem}</p>
        }
        .into_any();
    }
    let chips = question
        .choices
        .into_iter()
        .map(|choice| {
            let (pressed_key, pressed_choice) = (key.clone(), choice.clone());
            let (key, value) = (key.clone(), choice.clone());
            view! {
                <button type="button" class="chip"
                    aria-pressed=move || answers.with(|a| a.get(&pressed_key) == Some(&pressed_choice)).to_string()
                    on:click=move |_| answers.update(|a| {
                        if a.get(&key) == Some(&value) {
                            a.remove(&key);
                        } else {
                            a.insert(key.clone(), value.clone());
                        }
                    })>{choice}</button>
            }
        })
        .collect_view();
    let label = question.prompt.clone();
    view! {
        <div class="survey__question" role="group" aria-label=label aria-describedby=described_by
            aria-invalid=invalid>
            <p class="survey__prompt">{question.prompt}</p>
            <div class="chips">{chips}</div>
            <p id=problem_id class="form__error">{problem}</p>
        </div>
    }
    .into_any()
}

/// The conversation form: quick-pick issues, a note, a story with consent, contact details
/// with consent per channel, interests, skills and a follow-up.
#[component]
fn ConversationForm<F>(
    form: Form,
    name: String,
    issues: Vec<Issue>,
    survey: Option<Survey>,
    on_save: F,
) -> impl IntoView
where
    F: Fn(leptos::ev::SubmitEvent) + Clone + 'static,
{
    let heading = NodeRef::<leptos::html::H2>::new();
    Effect::new(move || {
        if let Some(heading) = heading.get() {
            heading.scroll_into_view();
            let _ = heading.focus();
        }
    });
    view! {
        <h2 id="conversation-heading" class="conversation__heading" tabindex="-1" node_ref=heading>
            {t::door_conversation(&name)}
        </h2>
        <form class="form conversation" on:submit=on_save aria-labelledby="conversation-heading" novalidate>
            <fieldset class="choices">
                <legend>{t::door_issues_raised()}</legend>
                <div class="chips">
                    {issues.into_iter().map(|issue| {
                        let id = issue.id;
                        view! {
                            <button type="button" class="chip"
                                aria-pressed=move || form.issues.with(|s| s.contains(&id)).to_string()
                                on:click=move |_| toggle(form.issues, id)>{issue.name.clone()}</button>
                        }
                    }).collect_view()}
                </div>
                <label for="new-issue">{t::door_another_issue()}</label>
                <input id="new-issue" bind:value=form.new_issue autocomplete="off"
                    aria-describedby="new-issue-problem" aria-invalid=form.problems.invalid("new_issue") />
                <p id="new-issue-problem" class="form__error">{form.problems.message("new_issue")}</p>
            </fieldset>
            {survey.map(|survey| view! {
                <fieldset class="choices survey">
                    <legend>{survey.title}</legend>
                    {survey.questions.into_iter().enumerate()
                        .map(|(n, question)| survey_question(form, n, question))
                        .collect_view()}
                </fieldset>
            })}
            <label for="note">{t::door_note()}</label>
            <textarea id="note" rows="3" bind:value=form.note aria-describedby="note-problem"
                aria-invalid=form.problems.invalid("note")></textarea>
            <p id="note-problem" class="form__error">{form.problems.message("note")}</p>
            <label for="story">{t::door_story()}</label>
            <textarea id="story" rows="3" bind:value=form.story aria-describedby="story-problem"
                aria-invalid=form.problems.invalid("story")></textarea>
            <p id="story-problem" class="form__error">{form.problems.message("story")}</p>
            <fieldset class="choices">
                <legend>{t::door_story_consent()}</legend>
                {[
                    (StoryConsent::Private, t::door_story_private()),
                    (StoryConsent::Anonymised, t::door_story_anonymised()),
                    (StoryConsent::Named, t::door_story_named()),
                ].into_iter().map(|(consent, label)| view! {
                    <label class="choice">
                        <input type="radio" name="story-consent"
                            prop:checked=move || form.story_consent.get() == consent
                            on:change=move |_| form.story_consent.set(consent) />
                        {label}
                    </label>
                }).collect_view()}
            </fieldset>
            <label for="phone">{t::door_phone()}</label>
            <input id="phone" type="tel" bind:value=form.phone autocomplete="off"
                aria-describedby="phone-problem" aria-invalid=form.problems.invalid("phone") />
            <p id="phone-problem" class="form__error">{form.problems.message("phone")}</p>
            <label for="email">{t::door_email()}</label>
            <input id="email" type="email" bind:value=form.email autocomplete="off"
                aria-describedby="email-problem" aria-invalid=form.problems.invalid("email") />
            <p id="email-problem" class="form__error">{form.problems.message("email")}</p>
            {checkbox_set(t::door_contact_by(), form.consents, [
                (ConsentTopic::Phone, t::door_by_phone()),
                (ConsentTopic::Sms, t::door_by_text()),
                (ConsentTopic::Email, t::door_by_email()),
            ])}
            {checkbox_set(t::door_interested(), form.interests, [
                (Interest::Volunteer, t::door_volunteering()),
                (Interest::HostHouseMeeting, t::door_hosting()),
                (Interest::ComeToMeeting, t::door_coming()),
            ])}
            <label for="skills">{t::door_skills()}</label>
            <input id="skills" bind:value=form.skills autocomplete="off"
                aria-describedby="skills-problem" aria-invalid=form.problems.invalid("skills") />
            <p id="skills-problem" class="form__error">{form.problems.message("skills")}</p>
            <label for="follow-up">{t::door_follow_up()}</label>
            <input id="follow-up" bind:value=form.follow_up autocomplete="off"
                aria-describedby="follow-up-problem" aria-invalid=form.problems.invalid("follow_up") />
            <p id="follow-up-problem" class="form__error">{form.problems.message("follow_up")}</p>
            <div class="button-row">
                <button type="submit" class="button">{t::door_save()}</button>
                <button type="button" class="button button--secondary" on:click=move |_| form.person.set(None)>{t::door_cancel()}</button>
            </div>
        </form>
    }
}
