//! Listening results: which issues people raised in the conversations of a period and an area,
//! ranked overall and per ward; how many conversations each list and each volunteer had; the
//! stories behind an issue; and how a survey was answered.
//!
//! Everything is counted from the records on the device, which the sync scope already limits
//! to what the user may read. The choices made here:
//!
//! - An issue counts a held conversation that raised it or any issue below it ("damp and
//!   mould" also counts for "housing"), and each conversation once, however many of those
//!   issues it raised. Issues with no record on the device are left out.
//! - A conversation is in an area when its own area is that area or lies within it, and in a
//!   ward when its area is that ward or lies within it. One recorded above ward level has no
//!   ward.
//! - Stories carry no time of their own, so a story belongs to a period through its teller:
//!   it is shown for an issue when it is about that issue (or one below it), comes from the
//!   chosen area, and its teller had a held conversation in the period and area that raised
//!   the issue. A story told where no conversation was recorded does not appear.
//! - A `Private` story's text is shown only to the user who recorded it; a teller's name only
//!   with `Named` consent.
//! - A door knocked is a knock: one list (or none), one door (a household, or a person living
//!   alone as far as the device knows) and one day, however many conversations were recorded
//!   there. It counts once in every figure of doors knocked, and once among the outcomes,
//!   under the furthest any conversation there went (see [`OutcomeCount`]), so the outcomes
//!   add up to the doors knocked.
//! - The areas on offer are drawn as the tree ([`outline`]), the top of what the user may see
//!   first: the results open there.

use crate::area::{Area, AreaKind, AreaTree, Outlined, outline};
use crate::id::{
    AreaId, ConversationId, HouseholdId, IssueId, ListId, PersonId, RecordId, StoryId, Timestamp,
    UserId,
};
use crate::model::{
    Conversation, Issue, List, Outcome, Person, Story, StoryConsent, Survey, SurveyResponse, User,
};
use crate::order;
use crate::record::{Collection, Entity, Record};
use std::collections::{BTreeMap, BTreeSet};

/// One day in milliseconds.
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// A span of time, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    /// The earliest moment that counts.
    pub from: Timestamp,
    /// The latest moment that counts.
    pub to: Timestamp,
}

impl Period {
    /// All time.
    pub const ALL: Period = Period {
        from: Timestamp(i64::MIN),
        to: Timestamp(i64::MAX),
    };

    /// The last `days` days up to `now`, and anything stamped later: conversation times come
    /// from device clocks, and one running a little fast must not hide a fresh conversation.
    pub fn last_days(now: Timestamp, days: u32) -> Period {
        Period {
            from: Timestamp(now.0.saturating_sub(i64::from(days) * DAY_MS)),
            to: Timestamp(i64::MAX),
        }
    }

    /// Whether `at` falls within the period.
    pub fn contains(self, at: Timestamp) -> bool {
        self.from <= at && at <= self.to
    }
}

/// Which conversations count: those in a period and within an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Scope {
    /// When.
    pub period: Period,
    /// Where: this area and every area within it.
    pub area: AreaId,
}

/// How many held conversations raised an issue.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssueCount {
    /// The issue.
    pub issue: IssueId,
    /// Its name.
    pub name: String,
    /// The broader issue it falls under, if any.
    pub parent: Option<IssueId>,
    /// Distinct held conversations that raised it or an issue below it.
    pub conversations: usize,
}

/// The issues raised in one ward.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WardIssues {
    /// The ward; `None` for conversations recorded above ward level.
    pub ward: Option<AreaId>,
    /// The ward's name, if its record is on the device.
    pub name: Option<String>,
    /// Held conversations in the ward.
    pub held: usize,
    /// Its issues, ranked as in [`Listening::issue_ranking`].
    pub issues: Vec<IssueCount>,
}

/// Conversations counted under one key (a list, a volunteer).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally<K> {
    /// What was counted: a list (`None` for conversations recorded from no list) or a user.
    pub key: K,
    /// Its name, if its record is on the device.
    pub name: Option<String>,
    /// Conversations held.
    pub held: usize,
    /// Doors knocked, whatever the outcome: a door (a household, or a person living alone as
    /// far as the device knows) knocked on one day from one list counts once, however many
    /// people were recorded there.
    pub knocked: usize,
}

/// A story as this screen may show it to the user reading it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoryView {
    /// The story.
    pub id: StoryId,
    /// How far the teller agreed it may travel.
    pub consent: StoryConsent,
    /// The story's text; `None` when it is private and the reader did not record it.
    pub text: Option<String>,
    /// The teller's name: only with `Named` consent, and when their record is on the device.
    pub teller: Option<String>,
    /// Who recorded it.
    pub recorded_by: UserId,
}

/// Doors knocked that ended one way.
///
/// A door where several conversations were recorded on one day (a household, or a second
/// visit) counts under the furthest any of them went: someone talked; else someone asked not
/// to be knocked again; else someone refused; else someone had moved away; else nobody was
/// home; else the number was wrong. So a *Not home* tapped for a household and a talk with
/// one of them later that day is one door where someone talked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutcomeCount {
    /// How the doors' knocks ended.
    pub outcome: Outcome,
    /// How many doors knocked ended so.
    pub doors: usize,
}

/// An area the results can be narrowed to, as the tree is drawn.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct AreaChoice {
    /// The area.
    pub id: AreaId,
    /// Its name, if its record is on the device.
    pub name: Option<String>,
    /// Its kind, if its record is on the device.
    pub kind: Option<AreaKind>,
    /// How far below the top of its tree it sits: 0 for an area of one of the user's roles,
    /// 1 for an area directly in one, and so on.
    pub depth: usize,
}

/// The area the results show: the one the user chose while it is on offer, else the first
/// choice (the top of what they may see).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ChosenArea {
    /// The area shown; `None` only when there is nothing to choose.
    pub area: Option<AreaId>,
    /// The user had chosen an area that is no longer on offer, so the results fell back to
    /// the first choice: the screen says so rather than changing area silently.
    pub fell_back: bool,
}

/// Chooses the area to show among `choices` (from [`Listening::area_choices`]) when the user
/// asked for `wanted` (`None` before they chose).
pub fn choose_area(choices: &[AreaChoice], wanted: Option<AreaId>) -> ChosenArea {
    let offered = wanted.filter(|w| choices.iter().any(|c| c.id == *w));
    ChosenArea {
        area: offered.or_else(|| choices.first().map(|c| c.id)),
        fell_back: wanted.is_some() && offered.is_none(),
    }
}

/// A door knocked, as every count of doors counts it: from one list (or none), at one door
/// (a household, or a person living alone as far as the device knows), on one day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Knock {
    list: Option<ListId>,
    door: RecordId,
    day: i64,
}

/// The records the results are counted from, read once.
#[derive(Clone, Debug, Default)]
pub struct Listening {
    conversations: BTreeMap<ConversationId, Conversation>,
    issues: BTreeMap<IssueId, Issue>,
    stories: BTreeMap<StoryId, Story>,
    lists: BTreeMap<ListId, String>,
    users: BTreeMap<UserId, String>,
    people: BTreeMap<PersonId, String>,
    households: BTreeMap<PersonId, HouseholdId>,
    areas: BTreeMap<AreaId, Area>,
    tree: AreaTree,
}

impl Listening {
    /// The collections read whole; of people, only the tellers of the stories and the people
    /// talked to are needed (see [`Listening::people`]).
    pub const COLLECTIONS: [Collection; 6] = [
        Collection::Conversation,
        Collection::Issue,
        Collection::Story,
        Collection::List,
        Collection::User,
        Collection::Area,
    ];

    /// The people the results need among `records`' stories and conversations: the tellers,
    /// whose names the stories show, and the people talked to, whose households say which
    /// conversations were at one door.
    pub fn people<'a>(records: impl IntoIterator<Item = &'a Record>) -> BTreeSet<PersonId> {
        records
            .into_iter()
            .filter_map(|r| match r.collection {
                Collection::Story => Story::read(r).ok().map(|s| s.person),
                Collection::Conversation => Conversation::read(r).ok().map(|c| c.person),
                _ => None,
            })
            .collect()
    }

    /// Reads the conversations, issues, stories, lists, users, people and areas among
    /// `records`. Records of other collections, and records that do not read as their type,
    /// are skipped; a record given twice counts once.
    pub fn from_records<'a>(records: impl IntoIterator<Item = &'a Record>) -> Listening {
        let mut l = Listening::default();
        for record in records {
            match record.collection {
                Collection::Conversation => {
                    if let Ok(c) = Conversation::read(record) {
                        l.conversations.insert(c.id, c);
                    }
                }
                Collection::Issue => {
                    if let Ok(i) = Issue::read(record) {
                        l.issues.insert(i.id, i);
                    }
                }
                Collection::Story => {
                    if let Ok(s) = Story::read(record) {
                        l.stories.insert(s.id, s);
                    }
                }
                Collection::List => {
                    if let Ok(list) = List::read(record) {
                        l.lists.insert(list.id, list.name);
                    }
                }
                Collection::User => {
                    if let Ok(u) = User::read(record) {
                        l.users.insert(u.id, u.name);
                    }
                }
                Collection::Person => {
                    if let Ok(p) = Person::read(record) {
                        if let Some(household) = p.household {
                            l.households.insert(p.id, household);
                        }
                        l.people.insert(p.id, p.name);
                    }
                }
                Collection::Area => {
                    if let Ok(a) = Area::read(record) {
                        l.areas.insert(a.id, a);
                    }
                }
                _ => {}
            }
        }
        l.tree = AreaTree::new(l.areas.values());
        l
    }

    /// An area's name, if its record is on the device.
    pub fn area_name(&self, area: AreaId) -> Option<&str> {
        self.areas.get(&area).map(|a| a.name.as_str())
    }

    /// A user's name, if their record is on the device.
    pub fn user_name(&self, user: UserId) -> Option<&str> {
        self.users.get(&user).map(String::as_str)
    }

    /// The areas to choose from, drawn as the tree: each of `roles` (the areas of the user's
    /// roles) with every area within it, each under the area it sits in, siblings by name
    /// ([`outline`], as every *Area* picker draws them). The broadest of the roles' areas
    /// comes first (a region before a constituency before a ward; equals by name), so the
    /// first choice is the top of what the user may see. A role's area whose record is not
    /// on the device yet is offered last, unnamed.
    pub fn area_choices(&self, roles: &[AreaId]) -> Vec<AreaChoice> {
        let known: Vec<Area> = self.areas.values().cloned().collect();
        let mut trees: Vec<Vec<Outlined>> = Vec::new();
        for drawn in outline(&known, roles) {
            match trees.last_mut() {
                Some(tree) if drawn.depth > 0 => tree.push(drawn),
                _ => trees.push(vec![drawn]),
            }
        }
        // A stable sort: trees of one kind stay in the outline's order, by name.
        order::sort_by_key(&mut trees, |tree| tree[0].area.kind);
        let mut choices: Vec<AreaChoice> = trees
            .into_iter()
            .flatten()
            .map(|drawn| AreaChoice {
                id: drawn.area.id,
                name: Some(drawn.area.name),
                kind: Some(drawn.area.kind),
                depth: drawn.depth,
            })
            .collect();
        let mut seen: BTreeSet<AreaId> = choices.iter().map(|c| c.id).collect();
        for &role in roles {
            if seen.insert(role) {
                choices.push(AreaChoice {
                    id: role,
                    name: None,
                    kind: None,
                    depth: 0,
                });
            }
        }
        choices
    }

    /// Issues by how many held conversations in `scope` raised them, most first; ties by
    /// name. Issues nobody raised are left out.
    pub fn issue_ranking(&self, scope: Scope) -> Vec<IssueCount> {
        self.rank(self.held(scope))
    }

    /// The ranking per ward, wards by name (conversations with no ward last).
    pub fn issues_by_ward(&self, scope: Scope) -> Vec<WardIssues> {
        let mut wards: BTreeMap<Option<AreaId>, Vec<&Conversation>> = BTreeMap::new();
        for conversation in self.held(scope) {
            wards
                .entry(self.ward_of(conversation.area))
                .or_default()
                .push(conversation);
        }
        let mut wards: Vec<WardIssues> = wards
            .into_iter()
            .map(|(ward, conversations)| WardIssues {
                ward,
                name: ward.and_then(|w| self.area_name(w)).map(str::to_owned),
                held: conversations.len(),
                issues: self.rank(conversations.into_iter()),
            })
            .collect();
        order::sort_by(&mut wards, |a, b| {
            a.ward
                .is_none()
                .cmp(&b.ward.is_none())
                .then_with(|| by_name(&a.name, &b.name))
                .then(a.ward.cmp(&b.ward))
        });
        wards
    }

    /// Conversations held and attempted per list in `scope`, busiest first.
    pub fn conversations_by_list(&self, scope: Scope) -> Vec<Tally<Option<ListId>>> {
        self.tally(
            scope,
            |c| c.list,
            |list| list.and_then(|l| self.lists.get(&l)).cloned(),
        )
    }

    /// Conversations held and attempted per user who had them (`by`) in `scope`, busiest
    /// first.
    pub fn conversations_by_volunteer(&self, scope: Scope) -> Vec<Tally<UserId>> {
        self.tally(scope, |c| c.by, |user| self.users.get(&user).cloned())
    }

    /// How the doors knocked in `scope` ended, each door knocked once (see [`OutcomeCount`]
    /// for a door where several conversations were recorded), in `Outcome`'s order (talked
    /// first); outcomes no door ended in are left out. The doors add up to the doors knocked
    /// of [`Listening::conversations_by_list`].
    pub fn outcomes(&self, scope: Scope) -> Vec<OutcomeCount> {
        let mut furthest: BTreeMap<Knock, Outcome> = BTreeMap::new();
        for conversation in self.in_scope(scope) {
            furthest
                .entry(self.knock(conversation))
                .and_modify(|kept| {
                    if reach(conversation.outcome) > reach(*kept) {
                        *kept = conversation.outcome;
                    }
                })
                .or_insert(conversation.outcome);
        }
        let mut doors: BTreeMap<Outcome, usize> = BTreeMap::new();
        for outcome in furthest.into_values() {
            *doors.entry(outcome).or_default() += 1;
        }
        doors
            .into_iter()
            .map(|(outcome, doors)| OutcomeCount { outcome, doors })
            .collect()
    }

    /// The stories behind `issue` in `scope`, as `reader` may see them here, in a stable
    /// order. See the module documentation for which stories belong to a period.
    pub fn stories_for(&self, issue: IssueId, scope: Scope, reader: UserId) -> Vec<StoryView> {
        let about = |raised: IssueId| self.broader(raised).any(|i| i == issue);
        // Each teller's held conversations in scope that raised the issue, by the issues they
        // raised: a story is filed under one issue, but belongs under every issue raised in
        // the conversation it was told in.
        let mut raised_with: BTreeMap<PersonId, BTreeSet<IssueId>> = BTreeMap::new();
        for conversation in self.held(scope) {
            if conversation.issues.iter().any(|&raised| about(raised)) {
                raised_with
                    .entry(conversation.person)
                    .or_default()
                    .extend(conversation.issues.iter().copied());
            }
        }
        self.stories
            .values()
            .filter(|s| {
                s.issue.is_some_and(|filed| {
                    about(filed)
                        || raised_with
                            .get(&s.person)
                            .is_some_and(|raised| raised.contains(&filed))
                })
            })
            .filter(|s| self.tree.is_within(s.area, scope.area))
            .filter(|s| raised_with.contains_key(&s.person))
            .map(|s| StoryView {
                id: s.id,
                consent: s.consent,
                text: (s.consent != StoryConsent::Private || s.created_by == reader)
                    .then(|| s.text.clone()),
                teller: (s.consent == StoryConsent::Named)
                    .then(|| self.people.get(&s.person).cloned())
                    .flatten(),
                recorded_by: s.created_by,
            })
            .collect()
    }

    /// Every conversation in `scope`, whatever its outcome.
    fn in_scope(&self, scope: Scope) -> impl Iterator<Item = &Conversation> {
        self.conversations
            .values()
            .filter(move |c| scope.period.contains(c.at) && self.tree.is_within(c.area, scope.area))
    }

    /// The held conversations in `scope`.
    fn held(&self, scope: Scope) -> impl Iterator<Item = &Conversation> {
        self.in_scope(scope).filter(|c| c.was_held())
    }

    /// The door knocked in `conversation`.
    fn knock(&self, conversation: &Conversation) -> Knock {
        Knock {
            list: conversation.list,
            door: self
                .households
                .get(&conversation.person)
                .map_or(conversation.person.0, |h| h.0),
            day: conversation.at.0.div_euclid(DAY_MS),
        }
    }

    /// The ward `area` is in (or is), if any.
    fn ward_of(&self, area: AreaId) -> Option<AreaId> {
        self.tree
            .ancestors(area)
            .find(|&a| self.tree.kind(a) == Some(AreaKind::Ward))
    }

    /// `issue` and each known issue above it. Like the area tree, it stops at an unknown
    /// parent and at a cycle, which concurrent edits could create.
    fn broader(&self, issue: IssueId) -> impl Iterator<Item = IssueId> + '_ {
        let mut next = self.issues.contains_key(&issue).then_some(issue);
        let mut budget = self.issues.len();
        std::iter::from_fn(move || {
            let current = next?;
            if budget == 0 {
                return None;
            }
            budget -= 1;
            next = self.issues[&current]
                .parent
                .filter(|p| self.issues.contains_key(p));
            Some(current)
        })
    }

    /// Ranks the issues raised in `conversations`.
    fn rank<'a>(&self, conversations: impl Iterator<Item = &'a Conversation>) -> Vec<IssueCount> {
        let mut counts: BTreeMap<IssueId, usize> = BTreeMap::new();
        for conversation in conversations {
            let counted: BTreeSet<IssueId> = conversation
                .issues
                .iter()
                .flat_map(|&raised| self.broader(raised))
                .collect();
            for issue in counted {
                *counts.entry(issue).or_default() += 1;
            }
        }
        let mut ranking: Vec<IssueCount> = counts
            .into_iter()
            .map(|(id, conversations)| {
                let issue = &self.issues[&id];
                IssueCount {
                    issue: id,
                    name: issue.name.clone(),
                    parent: issue.parent,
                    conversations,
                }
            })
            .collect();
        order::sort_by(&mut ranking, |a, b| {
            b.conversations
                .cmp(&a.conversations)
                .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                .then(a.issue.cmp(&b.issue))
        });
        ranking
    }

    /// Counts the conversations in `scope` by `key`, naming each key with `name`.
    fn tally<K: Ord + Copy>(
        &self,
        scope: Scope,
        key: impl Fn(&Conversation) -> K,
        name: impl Fn(K) -> Option<String>,
    ) -> Vec<Tally<K>> {
        let mut counts: BTreeMap<K, (usize, BTreeSet<Knock>)> = BTreeMap::new();
        for conversation in self.in_scope(scope) {
            let (held, knocked) = counts.entry(key(conversation)).or_default();
            knocked.insert(self.knock(conversation));
            if conversation.was_held() {
                *held += 1;
            }
        }
        let mut tallies: Vec<Tally<K>> = counts
            .into_iter()
            .map(|(key, (held, knocked))| Tally {
                key,
                name: name(key),
                held,
                knocked: knocked.len(),
            })
            .collect();
        order::sort_by(&mut tallies, |a, b| {
            b.knocked
                .cmp(&a.knocked)
                .then(b.held.cmp(&a.held))
                .then_with(|| by_name(&a.name, &b.name))
                .then(a.key.cmp(&b.key))
        });
        tallies
    }
}

/// Orders optional names alphabetically, ignoring case, unknown names last.
fn by_name(a: &Option<String>, b: &Option<String>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.to_lowercase().cmp(&b.to_lowercase()),
        _ => a.is_none().cmp(&b.is_none()),
    }
}

/// How far a knock went, for the door's one outcome when several were recorded there on one
/// day (see [`OutcomeCount`]); higher went further.
fn reach(outcome: Outcome) -> u8 {
    match outcome {
        Outcome::Held => 5,
        Outcome::DoNotKnock => 4,
        Outcome::Refused => 3,
        Outcome::Moved => 2,
        Outcome::NotHome => 1,
        Outcome::WrongNumber => 0,
    }
}

/// How one survey question was answered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionTally {
    /// The question's key.
    pub key: String,
    /// The question as asked.
    pub prompt: String,
    /// People who answered it.
    pub answered: usize,
    /// For a multiple-choice question, each choice in the survey's order with how many gave
    /// it, unused choices included; empty for a free answer, whose text is not tallied.
    pub choices: Vec<(String, usize)>,
}

/// The answers to `survey`, question by question. Each person counts once, with their latest
/// response (by its device time; the later-recorded id breaks a tie), so a second visit
/// updates an answer instead of adding one.
pub fn survey_tally<'a>(
    survey: &Survey,
    responses: impl IntoIterator<Item = &'a SurveyResponse>,
) -> Vec<QuestionTally> {
    let mut latest: BTreeMap<PersonId, &SurveyResponse> = BTreeMap::new();
    for response in responses.into_iter().filter(|r| r.survey == survey.id) {
        let newer = latest
            .get(&response.person)
            .is_none_or(|kept| (response.at, response.id) > (kept.at, kept.id));
        if newer {
            latest.insert(response.person, response);
        }
    }
    survey
        .questions
        .iter()
        .map(|question| {
            let answers: Vec<&str> = latest
                .values()
                .filter_map(|r| r.answers.get(&question.key).map(String::as_str))
                .collect();
            QuestionTally {
                key: question.key.clone(),
                prompt: question.prompt.clone(),
                answered: answers.len(),
                choices: question
                    .choices
                    .iter()
                    .map(|choice| {
                        let count = answers.iter().filter(|a| **a == choice).count();
                        (choice.clone(), count)
                    })
                    .collect(),
            }
        })
        .collect()
}
