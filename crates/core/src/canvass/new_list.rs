//! Building a new walk list: [`NewListDraft`] holds the form's values (a name, an area, a
//! street, whom to knock, a tag, the volunteers to give it to); [`NewListDraft::matching`]
//! reads whom it would hold (its people, and the doors they are behind, as the list's walk
//! will group them) and what it can be narrowed by, and [`NewListDraft::list`] builds
//! the list, or names every problem by the form's field. [`areas_on_offer`] says which areas
//! an organiser can build one in.
//!
//! Whom a list knocks is [`Knocks`]'s rule: never anyone whose latest knock was *do not knock
//! again* or *moved away* (they are counted, so the organiser knows why the list is shorter),
//! and optionally only those nobody has talked to yet, or nobody was home for last time, or
//! who carry a tag.

use crate::order;
use std::collections::{BTreeMap, BTreeSet, HashSet};

use crate::area::{Area, AreaTree, Outlined, outline};
use crate::id::{AreaId, ListId, PersonId, UserId};
use crate::model::{Conversation, List, ListKind, Person};
use crate::record::{Collection, Entity};
use crate::sync::Replica;
use crate::validate::{FieldProblem, Problem};
use crate::walk::{self, Choice, DoorKey, Knocks, Reach};

/// A new walk list as its form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NewListDraft {
    /// Its name.
    pub name: String,
    /// The area whose people it holds (with every area within it); `None` until one is chosen.
    pub area: Option<AreaId>,
    /// Only the people on this street (as [`walk::parse_address`] reads their address);
    /// empty for every street.
    pub street: String,
    /// Whom it knocks, judged from past knocks.
    pub reach: Reach,
    /// Only the people carrying this tag; empty for any tag or none.
    pub tag: String,
    /// The volunteers it is given to.
    pub assignees: BTreeSet<UserId>,
}

/// Whom a new list would hold, and what it can be narrowed by.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Matching {
    /// The people it holds, in id order.
    pub chosen: Vec<PersonId>,
    /// The doors they are behind, counted as the list's walk will show them (households
    /// together, see [`DoorKey`]): what the list's page will count once it is made.
    pub doors: usize,
    /// How many of those the area, street and tag hold were left out because their latest
    /// knock was *do not knock again* or *moved away*.
    pub left_out: usize,
    /// The streets in the area, in order, each once however its addresses capitalise it
    /// (whatever street is chosen, so another can be). A draft's street matches any
    /// capitalisation.
    pub streets: Vec<String>,
    /// The tags people in the area carry, in order.
    pub tags: Vec<String>,
}

impl NewListDraft {
    /// Whom the list would hold from `replica`, and the streets and tags of its area; nobody
    /// without an area.
    ///
    /// It goes through the conversations, then the people, one record at a time
    /// ([`Replica::each`]) and keeps only ids, door keys, streets and tags: a ward holds twenty thousand
    /// people, and a lookup by area would hold every one of them at once.
    pub fn matching(&self, replica: &Replica) -> Matching {
        let Some(area) = self.area else {
            return Matching::default();
        };
        let areas: Vec<Area> = replica.all();
        let tree = AreaTree::new(&areas);
        let mut knocks = Knocks::default();
        replica.each::<Conversation>(|conversation| knocks.note(&conversation));
        let tag = (!self.tag.is_empty()).then_some(self.tag.as_str());
        // A street is the same street however its people's addresses capitalise it (the
        // walk orders doors the same way): by its lower-cased name, each spelling counted.
        let street = self.street.to_lowercase();
        let mut streets: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        let mut tags = BTreeSet::new();
        let mut chosen = Vec::new();
        let mut doors = HashSet::new();
        let mut left_out = 0;
        replica.each::<Person>(|person| {
            if !tree.is_within(person.area, area) {
                return;
            }
            let their_street = person
                .address
                .as_deref()
                .map(|a| walk::parse_address(a).street)
                .filter(|s| !s.is_empty());
            let their_key = their_street.as_deref().map(str::to_lowercase);
            if street.is_empty() || their_key.as_deref() == Some(street.as_str()) {
                match knocks.choice(&person, self.reach, tag) {
                    Choice::Knock => {
                        chosen.push(person.id);
                        doors.insert(DoorKey::of(&person));
                    }
                    Choice::LeftOut => left_out += 1,
                    Choice::NotWanted => {}
                }
            }
            tags.extend(person.tags);
            if let (Some(key), Some(spelling)) = (their_key, their_street) {
                *streets.entry(key).or_default().entry(spelling).or_default() += 1;
            }
        });
        // `each` hands records over in no set order; sorted, the same people read the same.
        order::sort(&mut chosen);
        Matching {
            chosen,
            doors: doors.len(),
            left_out,
            // Each street as most of its people's addresses write it (the first such
            // spelling in order, should two be as common).
            streets: streets
                .into_values()
                .filter_map(|spellings| {
                    let most = spellings.values().copied().max()?;
                    spellings
                        .into_iter()
                        .find(|(_, n)| *n == most)
                        .map(|(s, _)| s)
                })
                .collect(),
            tags: tags.into_iter().collect(),
        }
    }

    /// The list, with id `id` and created by `created_by`, holding whom `matching` (what
    /// [`NewListDraft::matching`] read for this draft) chose; or every problem, by the
    /// form's field: the name's by the list's own rule on `name`, no area on `area`, nobody
    /// to knock on `members` (said only when an area is chosen: without one nobody could
    /// be), and too many people or volunteers for a list on `members` or `assignees`.
    pub fn list(
        &self,
        matching: &Matching,
        id: ListId,
        created_by: UserId,
    ) -> Result<List, Vec<FieldProblem>> {
        let list = List {
            id,
            // Without an area the list is never built; the nil id stands in so that its name
            // is still checked by the list's own rule, and every problem is named at once.
            area: self.area.unwrap_or(AreaId::from_u128(0)),
            created_by,
            name: self.name.clone(),
            kind: ListKind::Walk,
            members: matching.chosen.iter().copied().collect(),
            assignees: self.assignees.clone(),
            campaign: None,
            script: None,
            survey: None,
        }
        .normalised();
        let mut problems = list.as_ref().err().cloned().unwrap_or_default();
        if self.area.is_none() {
            problems.push(FieldProblem::new("area", Problem::Missing));
        } else if matching.chosen.is_empty() {
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
}

/// The areas someone who organises `organises` can build a list in: those areas and every
/// area within them, as the tree is drawn ([`outline`]; areas are few, so all are read).
pub fn areas_on_offer(replica: &Replica, organises: &[AreaId]) -> Vec<Outlined> {
    outline(&replica.all::<Area>(), organises)
}
