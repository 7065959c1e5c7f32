//! The typed records: one struct per collection, each converting to and from the generic
//! [`crate::Record`] through [`crate::record::Entity`], validating and normalising as it
//! does.

mod campaign;
mod conversation;
mod ladder;
mod link;
mod meeting;
mod merge;
mod one_to_one;
mod organisation;
mod person;
mod target;
mod training;
mod user;

pub use campaign::{
    Campaign, CampaignAction, CampaignStatus, List, ListKind, Question, Script, Survey,
    SurveyResponse, WINNABLE_SCALE,
};
pub use conversation::{
    Conversation, ConversationKind, FollowUp, Interest, Issue, Outcome, Story, StoryConsent,
};
pub use ladder::{LadderMove, MAX_RUNG_POSITION, Rung};
pub use link::{Link, LinkKind};
pub use meeting::{
    Anonymous, Attendance, AttendanceStatus, HOST_FIELDS, Meeting, MeetingKind, MeetingStatus,
};
pub use merge::{DeletedLink, KeptChange, MAX_REPOINTED, MERGED_FIELDS, Merge, Repointed};
pub use one_to_one::{LATE_AFTER_DAYS, OneToOne, OneToOneKind, RATING_SCALE};
pub use organisation::{Organisation, OrganisationKind, Relationship};
pub use person::{Consent, ConsentMethod, ConsentTopic, Person, Source};
pub use target::{DEFAULT_WEEKLY_TARGET, MAX_WEEKLY_TARGET, WeeklyTarget};
pub use training::Training;
pub use user::{Role, RoleAssignment, User};

use crate::record::{Choice, Value};
use crate::validate::{MAX_SHORT_TEXT, Problem, Problems, check_text};
use std::collections::BTreeSet;

/// Checks a set of free-text tags (skills, tags): each one kept by [`normalise_tag`], and the
/// first problem among them reported.
pub(crate) fn normalise_tags(
    p: &mut Problems,
    field: &str,
    tags: BTreeSet<String>,
) -> BTreeSet<String> {
    let mut problem = None;
    let tags = tags
        .iter()
        .map(|text| {
            normalise_tag(text).unwrap_or_else(|found| {
                problem.get_or_insert(found);
                text.trim().to_owned()
            })
        })
        .collect();
    if let Some(problem) = problem {
        p.push(field, problem);
    }
    tags
}

/// One free-text tag as every tag is kept (a person's skill or tag, a training's module):
/// trimmed, so "first aid" and "first aid " are one, then non-empty and short.
pub fn normalise_tag(text: &str) -> Result<String, Problem> {
    let tag = text.trim().to_owned();
    check_text(&tag, MAX_SHORT_TEXT)?;
    Ok(tag)
}

/// A set of choices as a set-of-texts value.
pub(crate) fn choice_set<C: Choice>(set: &BTreeSet<C>) -> Value {
    Value::Texts(set.iter().map(|c| c.as_str().to_owned()).collect())
}

/// A set of typed ids as a set-of-references value.
pub(crate) fn id_set<T: Copy + Into<crate::RecordId>>(set: &BTreeSet<T>) -> Value {
    Value::Ids(set.iter().map(|&id| id.into()).collect())
}
