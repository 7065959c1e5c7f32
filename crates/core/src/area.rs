//! Areas: the country, its nations and regions, constituencies and wards, and the
//! [`AreaTree`] that answers "is area X within area Y", which every permission rule asks.

use crate::id::{AreaId, RecordId, UserId};
use crate::order;
use crate::record::{Choice, Collection, Entity, Reader, Record, choice};
use crate::validate::{FieldProblem, MAX_SHORT_TEXT, Problem, Problems};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

choice! {
    /// What level of the map an area is.
    pub enum AreaKind {
        /// The whole organisation's territory: the root of the tree.
        Country = "country",
        /// Scotland, Wales (a nation is at the same level as an English region).
        Nation = "nation",
        /// One of the English regions.
        Region = "region",
        /// A parliamentary constituency.
        Constituency = "constituency",
        /// A local-authority ward.
        Ward = "ward",
    }
}

impl AreaKind {
    /// The kinds an area of this kind may sit directly under (none for the country).
    pub fn parent_kinds(self) -> &'static [AreaKind] {
        match self {
            AreaKind::Country => &[],
            AreaKind::Nation | AreaKind::Region => &[AreaKind::Country],
            AreaKind::Constituency => &[AreaKind::Nation, AreaKind::Region],
            AreaKind::Ward => &[AreaKind::Constituency],
        }
    }
}

/// An area. Its record's `area` is the area itself, so permissions on the record follow the
/// place it names.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Area {
    /// Its id.
    pub id: AreaId,
    /// Who created it.
    pub created_by: UserId,
    /// Its name ("Cardiff Central", "Splott").
    pub name: String,
    /// Its level.
    pub kind: AreaKind,
    /// The area it sits in; `None` only for the country.
    pub parent: Option<AreaId>,
}

impl Entity for Area {
    const COLLECTION: Collection = Collection::Area;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Area, self.id.0, self.id, self.created_by)
            .with("name", self.name.clone())
            .with("kind", self.kind)
            .with("parent", self.parent.map(|p| p.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Area);
        let area = Area {
            id: record.id.into(),
            created_by: record.created_by,
            name: r.text("name"),
            kind: r.choice("kind"),
            parent: r.opt_id("parent"),
        };
        if record.area.0 != record.id {
            r.problem(
                "area",
                Problem::WrongType {
                    expected: "the area itself".into(),
                },
            );
        }
        r.finish(area)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.name = self.name.trim().to_owned();
        p.text("name", &self.name, MAX_SHORT_TEXT);
        if self.parent == Some(self.id) {
            p.push("parent", Problem::SelfReference);
        }
        match (self.kind, self.parent) {
            (AreaKind::Country, Some(_)) => p.push(
                "parent",
                Problem::WrongParent {
                    expected: "empty: the country has no parent".into(),
                },
            ),
            (AreaKind::Country, None) => {}
            (_, None) => p.push("parent", Problem::Missing),
            (_, Some(_)) => {}
        }
        p.finish().map(|()| self)
    }
}

/// The areas as a tree, built from a flat list. Pure and cheap to build; the server rebuilds
/// it when an area changes.
///
/// It is lenient: an area whose parent is unknown is treated as a root, and a cycle (which
/// concurrent moves could create) ends the walk instead of looping, so a bad tree can make an
/// area unreachable but never hangs a permission check. [`AreaTree::problems`] reports such
/// faults so an admin can fix them.
#[derive(Clone, Debug, Default)]
pub struct AreaTree {
    areas: BTreeMap<AreaId, (AreaKind, Option<AreaId>)>,
}

impl AreaTree {
    /// Builds the tree from areas in any order.
    pub fn new<'a>(areas: impl IntoIterator<Item = &'a Area>) -> Self {
        Self {
            areas: areas
                .into_iter()
                .map(|a| (a.id, (a.kind, a.parent)))
                .collect(),
        }
    }

    /// Whether the tree knows `area`.
    pub fn contains(&self, area: AreaId) -> bool {
        self.areas.contains_key(&area)
    }

    /// Whether `area` is a known area with no parent: the whole organisation.
    pub fn is_root(&self, area: AreaId) -> bool {
        self.areas
            .get(&area)
            .is_some_and(|(_, parent)| parent.is_none())
    }

    /// The kind of `area`, if known.
    pub fn kind(&self, area: AreaId) -> Option<AreaKind> {
        self.areas.get(&area).map(|(kind, _)| *kind)
    }

    /// `area` and then each area above it, up to the root.
    pub fn ancestors(&self, area: AreaId) -> impl Iterator<Item = AreaId> + '_ {
        let mut next = Some(area);
        // One step per known area is enough to reach any root; more means a cycle.
        let mut budget = self.areas.len() + 1;
        std::iter::from_fn(move || {
            let current = next?;
            if budget == 0 {
                return None;
            }
            budget -= 1;
            next = self.areas.get(&current).and_then(|(_, parent)| *parent);
            Some(current)
        })
    }

    /// `area`, the areas above it and the areas below it: where anyone who reads a record in
    /// `area` because of where it is holds their role.
    pub fn related(&self, area: AreaId) -> Vec<AreaId> {
        let mut related: Vec<AreaId> = self.ancestors(area).collect();
        related.extend(
            self.areas
                .keys()
                .copied()
                .filter(|&other| other != area && self.is_within(other, area)),
        );
        related
    }

    /// `area` and every area somewhere below it: what "in a constituency" covers.
    pub fn within(&self, area: AreaId) -> Vec<AreaId> {
        self.areas
            .keys()
            .copied()
            .filter(|&other| self.is_within(other, area))
            .collect()
    }

    /// Whether `inner` is `outer` or lies somewhere below it.
    pub fn is_within(&self, inner: AreaId, outer: AreaId) -> bool {
        self.ancestors(inner).any(|a| a == outer)
    }

    /// Whether `a` and `b` are near: one lies within the other. Someone with a role in a ward
    /// works from its constituency's issues and surveys, and a constituency's organiser gives
    /// lists to its wards' volunteers.
    pub fn is_near(&self, a: AreaId, b: AreaId) -> bool {
        self.is_within(a, b) || self.is_within(b, a)
    }

    /// What is wrong with putting `area` where it says, in this tree (which may hold it
    /// where it was): its parent must be a known area of a kind it may sit under and not the
    /// area itself or one inside it, and the areas directly under it must still fit under
    /// its kind. Checked whenever an area is created or its parent or kind changes, so the
    /// tree stays whole and everything in it stays within sight of the country's admins.
    pub fn placement_problems(&self, area: &Area) -> Vec<FieldProblem> {
        let mut problems = Problems::default();
        if let Some(parent) = area.parent {
            match self.areas.get(&parent) {
                None => problems.push("parent", Problem::UnknownReference),
                Some(_) if parent == area.id || self.is_within(parent, area.id) => {
                    problems.push("parent", Problem::Cycle);
                }
                Some((parent_kind, _)) if !area.kind.parent_kinds().contains(parent_kind) => {
                    problems.push("parent", wrong_parent(area.kind));
                }
                Some(_) => {}
            }
        } else if self
            .areas
            .iter()
            .any(|(&id, &(_, parent))| id != area.id && parent.is_none())
        {
            // There is one country; a second root would be out of its admins' sight.
            problems.push("parent", Problem::Missing);
        }
        let misfit = self.areas.iter().any(|(&id, &(kind, parent))| {
            id != area.id && parent == Some(area.id) && !kind.parent_kinds().contains(&area.kind)
        });
        if misfit {
            problems.push(
                "kind",
                Problem::WrongParent {
                    expected: "a kind the areas under it may sit under".into(),
                },
            );
        }
        problems.0
    }

    /// Faults in the tree: parents that do not exist, parents of the wrong kind, cycles.
    pub fn problems(&self) -> Vec<(AreaId, Problem)> {
        let mut problems = Vec::new();
        for (&id, &(kind, parent)) in &self.areas {
            let Some(parent) = parent else { continue };
            match self.areas.get(&parent) {
                None => problems.push((
                    id,
                    Problem::WrongParent {
                        expected: "a known area".into(),
                    },
                )),
                Some((parent_kind, _)) if !kind.parent_kinds().contains(parent_kind) => {
                    problems.push((id, wrong_parent(kind)));
                }
                Some(_) => {}
            }
            if self.ancestors(id).skip(1).any(|a| a == id) {
                problems.push((id, Problem::SelfReference));
            }
        }
        problems
    }
}

/// An area in an outline of the tree, with how far below the outline's top it sits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outlined {
    /// The area.
    pub area: Area,
    /// 0 for a top, 1 for an area directly under one, and so on.
    pub depth: usize,
}

/// `tops` and every area within them, in the order a tree is drawn: each area followed by
/// the areas directly under it, siblings by name. A top that lies within another top is
/// drawn once, under it. Pickers show this, so that a region, its constituencies and their
/// wards read as the map they are.
pub fn outline(areas: &[Area], tops: &[AreaId]) -> Vec<Outlined> {
    let tree = AreaTree::new(areas);
    let by_name = |a: &&Area, b: &&Area| a.name.cmp(&b.name).then(a.id.cmp(&b.id));
    let mut under: BTreeMap<AreaId, Vec<&Area>> = BTreeMap::new();
    for area in areas {
        if let Some(parent) = area.parent {
            under.entry(parent).or_default().push(area);
        }
    }
    for children in under.values_mut() {
        order::sort_by(children, by_name);
    }
    let mut roots: Vec<&Area> = areas
        .iter()
        .filter(|a| tops.contains(&a.id))
        .filter(|a| {
            !tops
                .iter()
                .any(|&top| top != a.id && tree.is_within(a.id, top))
        })
        .collect();
    order::sort_by(&mut roots, by_name);
    let mut drawn = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    // Depth first, the last pushed drawn next; `seen` ends a cycle.
    let mut stack: Vec<(&Area, usize)> = roots.into_iter().rev().map(|a| (a, 0)).collect();
    while let Some((area, depth)) = stack.pop() {
        if !seen.insert(area.id) {
            continue;
        }
        drawn.push(Outlined {
            area: area.clone(),
            depth,
        });
        if let Some(children) = under.get(&area.id) {
            stack.extend(children.iter().rev().map(|&child| (child, depth + 1)));
        }
    }
    drawn
}

/// The problem with an area of `kind` under a parent of a kind it may not sit under.
fn wrong_parent(kind: AreaKind) -> Problem {
    let expected = kind
        .parent_kinds()
        .iter()
        .map(|k| k.as_str())
        .collect::<Vec<_>>();
    Problem::WrongParent {
        expected: format!("a {}", expected.join(" or ")),
    }
}
