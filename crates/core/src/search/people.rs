//! The People screen's filters: a skill, a tag, a rung of the ladder and an area, set beside
//! what is typed and combined with it. [`Filter::query`] turns them into a [`Query`] once per
//! change of filter (the rung asks who stands on it now, which reads every move), and each
//! keystroke then only swaps the words ([`Query::typed`]).

use std::collections::HashSet;
use std::sync::Arc;

use crate::area::{Area, AreaTree};
use crate::id::{AreaId, RecordId, RungId};
use crate::ladder;
use crate::model::LadderMove;
use crate::search::Query;
use crate::sync::replica::Replica;

/// What the filters beside the People search hold: each one set narrows the list.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    /// A skill they have ("Driving" finds "driving").
    pub skill: Option<String>,
    /// A tag they carry.
    pub tag: Option<String>,
    /// The rung they are on now (their latest move).
    pub rung: Option<RungId>,
    /// The area they are filed in, or any area below it.
    pub area: Option<AreaId>,
}

impl Filter {
    /// Whether no filter is set.
    pub fn is_empty(&self) -> bool {
        *self == Filter::default()
    }

    /// A query matching everyone these filters let through (add the words with
    /// [`Query::typed`]), from what `replica` holds.
    pub fn query(&self, replica: &Replica) -> Query {
        let mut query = Query::default();
        if let Some(skill) = self.skill.as_deref().filter(|s| !s.trim().is_empty()) {
            query = query.with_label("skills", skill);
        }
        if let Some(tag) = self.tag.as_deref().filter(|t| !t.trim().is_empty()) {
            query = query.with_label("tags", tag);
        }
        if let Some(area) = self.area {
            query = query.within(AreaTree::new(&replica.all::<Area>()).within(area));
        }
        if let Some(rung) = self.rung {
            let people = on_rung(&replica.all::<LadderMove>(), rung);
            query = query.among(Arc::new(people));
        }
        query
    }
}

/// The people whose latest move put them on `rung`.
pub fn on_rung(moves: &[LadderMove], rung: RungId) -> HashSet<RecordId> {
    ladder::current(moves)
        .into_iter()
        .filter(|(_, step)| step.rung == rung)
        .map(|(person, _)| person.0)
        .collect()
}
