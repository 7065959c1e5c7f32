//! Volunteers from listening: the people who raised an issue and offered to help, or who have
//! a skill, in a ward, found from what the phone holds, and saved as a list to call or visit.
//!
//! "Raised an issue" counts a held conversation, a one-to-one or a meeting attendance naming
//! the issue or one under it; "offered to help" counts a held conversation where they said
//! they would volunteer or host, and a meeting where they said they would host.

use std::collections::{BTreeMap, BTreeSet};

use crate::id::{AreaId, IssueId, ListId, PersonId, UserId};
use crate::model::{Attendance, Conversation, Interest, Issue, List, ListKind, OneToOne, Person};
use crate::record::{Collection, Entity};
use crate::search::fold;
use crate::validate::{FieldProblem, Problem};

/// What an organiser asks for: any of an issue, a skill and some areas, combined.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ask {
    /// People who raised this issue (or one under it) and offered to help.
    pub issue: Option<IssueId>,
    /// People with this skill (compared folded).
    pub skill: Option<String>,
    /// People filed in these areas (a ward, or a constituency with its wards).
    pub areas: Option<BTreeSet<AreaId>>,
}

/// Someone found, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    /// Who.
    pub person: PersonId,
    /// Their name.
    pub name: String,
    /// Whether they raised the issue asked about (false when none was).
    pub raised: bool,
    /// What they offered: volunteering, hosting.
    pub offered: BTreeSet<Interest>,
    /// Whether they have a phone number on record (for a call list).
    pub has_phone: bool,
}

/// What the phone holds that the finding reads.
pub struct Held<'a> {
    /// People.
    pub people: &'a [Person],
    /// Conversations.
    pub conversations: &'a [Conversation],
    /// One-to-ones.
    pub one_to_ones: &'a [OneToOne],
    /// Meeting attendances.
    pub attendances: &'a [Attendance],
    /// Issues, so that asking about one finds those under it too.
    pub issues: &'a [Issue],
}

/// Who `ask` finds among `held`, by name. Nothing is asked (no issue, no skill): nobody.
pub fn find(ask: &Ask, held: &Held) -> Vec<Found> {
    if ask.issue.is_none() && ask.skill.as_deref().is_none_or(|s| s.trim().is_empty()) {
        return Vec::new();
    }
    let wanted_issues = ask.issue.map(|issue| under(issue, held.issues));
    let raises = |issues: &BTreeSet<IssueId>| {
        wanted_issues
            .as_ref()
            .is_some_and(|wanted| issues.iter().any(|i| wanted.contains(i)))
    };
    let mut raised: BTreeSet<PersonId> = BTreeSet::new();
    let mut offered: BTreeMap<PersonId, BTreeSet<Interest>> = BTreeMap::new();
    for conversation in held.conversations.iter().filter(|c| c.was_held()) {
        if raises(&conversation.issues) {
            raised.insert(conversation.person);
        }
        let help: BTreeSet<Interest> = conversation
            .interests
            .iter()
            .copied()
            .filter(|i| matches!(i, Interest::Volunteer | Interest::HostHouseMeeting))
            .collect();
        if !help.is_empty() {
            offered.entry(conversation.person).or_default().extend(help);
        }
    }
    for one_to_one in held.one_to_ones {
        if raises(&one_to_one.issues) {
            raised.insert(one_to_one.person);
        }
    }
    for attendance in held.attendances {
        let Some(person) = attendance.person.or(attendance.matched) else {
            continue;
        };
        if raises(&attendance.issues) {
            raised.insert(person);
        }
        if attendance.would_host {
            offered
                .entry(person)
                .or_default()
                .insert(Interest::HostHouseMeeting);
        }
    }
    let skill = ask
        .skill
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(fold);
    let mut found: Vec<Found> = held
        .people
        .iter()
        .filter(|p| p.merged_into.is_none())
        .filter(|p| {
            ask.areas
                .as_ref()
                .is_none_or(|areas| areas.contains(&p.area))
        })
        .filter(|p| {
            skill
                .as_ref()
                .is_none_or(|skill| p.skills.iter().any(|s| fold(s.trim()) == *skill))
        })
        .filter(|p| ask.issue.is_none() || (raised.contains(&p.id) && offered.contains_key(&p.id)))
        .map(|p| Found {
            person: p.id,
            name: p.name.clone(),
            raised: raised.contains(&p.id),
            offered: offered.get(&p.id).cloned().unwrap_or_default(),
            has_phone: p.phone.is_some(),
        })
        .collect();
    found.sort_by(|a, b| {
        fold(&a.name)
            .cmp(&fold(&b.name))
            .then(a.person.cmp(&b.person))
    });
    found
}

/// `issue` and every issue under it.
fn under(issue: IssueId, issues: &[Issue]) -> BTreeSet<IssueId> {
    let mut wanted = BTreeSet::from([issue]);
    // Each pass adds the children of what is wanted; issues nest a few levels at most.
    loop {
        let before = wanted.len();
        for i in issues {
            if i.parent.is_some_and(|p| wanted.contains(&p)) {
                wanted.insert(i.id);
            }
        }
        if wanted.len() == before {
            return wanted;
        }
    }
}

/// Those found, saved as a list named `name` of `kind` in `area`: every problem by the
/// form's field (the name by the list's own rule, nobody found on `members`, too many).
pub fn to_list(
    found: &[Found],
    name: &str,
    kind: ListKind,
    area: AreaId,
    id: ListId,
    created_by: UserId,
) -> Result<List, Vec<FieldProblem>> {
    let list = List {
        id,
        area,
        created_by,
        name: name.to_owned(),
        kind,
        members: found.iter().map(|f| f.person).collect(),
        assignees: BTreeSet::new(),
        campaign: None,
        script: None,
        survey: None,
    }
    .normalised();
    let mut problems = list.as_ref().err().cloned().unwrap_or_default();
    if found.is_empty() {
        problems.push(FieldProblem::new("members", Problem::Empty));
    }
    if let Ok(list) = &list {
        problems.extend(Collection::List.oversized_sets(&list.to_record()));
    }
    match list {
        Ok(list) if problems.is_empty() => Ok(list),
        _ => Err(problems),
    }
}
