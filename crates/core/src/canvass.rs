//! The canvass read model: what the walk list and door screens show of a walk list, read from
//! the replica by lookups (never a pass over everything the phone holds), so that a tap costs
//! what the list holds.
//!
//! A [`Walk`] is a list's doors in walking order, with everyone the user may see at each door:
//! the list's members and anyone added at the door since (same household, or same address).
//! [`Progress`] says which doors are done from the list's conversations, and which door comes
//! next. [`Walks`] keeps each walk read while the people and lists it was read from stand
//! still: a tap records a conversation, which leaves the doors as they were.
//!
//! What the screens write is here too: [`draft`] turns a conversation form, or one tap's
//! outcome, into the steps of one change (and makes someone new met at a door),
//! [`new_list`] builds a new walk list from an area's people, and [`setup`] holds a list's
//! setup (its volunteers, script and survey, and the survey's questions as drafted).

use crate::order;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use crate::area::{Area, AreaTree};
use crate::id::{AreaId, ListId, PersonId, UserId};
use crate::model::{Conversation, Issue, List, Person, Role, RoleAssignment, User};
use crate::record::{Collection, Entity, Record};
use crate::sync::replica::Replica;
use crate::walk::{self, Door};

pub mod draft;
pub mod new_list;
pub mod setup;
pub mod waiting;

pub use draft::{ConversationDraft, DOOR_CONSENTS, met_at_door, outcome_steps};
pub use new_list::{Matching, NewListDraft, areas_on_offer};
pub use setup::{ListSetup, QuestionDraft, ScriptDraft, SurveyDraft, question_key, questions};
pub use waiting::Waiting;

/// The typed records among `records` that read cleanly.
pub fn typed<T: Entity>(records: Vec<Record>) -> Vec<T> {
    records.iter().filter_map(|r| T::read(r).ok()).collect()
}

/// A walk list's doors in walking order.
#[derive(Clone, Debug, PartialEq)]
pub struct Walk {
    /// The list.
    pub list: List,
    /// Its doors, in walking order.
    pub doors: Vec<Door>,
}

impl Walk {
    /// `list`'s walk, reading only the list's members and the people who share a household
    /// or an address with one of them (looked up, not searched for among everyone).
    pub fn read(replica: &Replica, list: ListId) -> Option<Walk> {
        let list: List = replica.one(list.0)?;
        let mut people: BTreeMap<PersonId, Person> = list
            .members
            .iter()
            .filter_map(|id| replica.one::<Person>(id.0))
            .map(|p| (p.id, p))
            .collect();
        let mut nearby = Vec::new();
        for member in people.values() {
            let sharing = match (member.household, member.address.as_deref()) {
                (Some(household), _) => {
                    replica.holding(Collection::Person, "household", household.0)
                }
                (None, Some(address)) if !address.trim().is_empty() => {
                    replica.with_text(Collection::Person, "address", address)
                }
                _ => continue,
            };
            nearby.extend(typed::<Person>(sharing));
        }
        for person in nearby {
            people.entry(person.id).or_insert(person);
        }
        let people: Vec<Person> = people.into_values().collect();
        Some(Walk::of(list, &people))
    }

    /// `list`'s walk among `people`: its members' doors in walking order, with anyone else
    /// among `people` who shares a household with a door (or, without one, its address and
    /// postcode) added to it.
    pub fn of(list: List, people: &[Person]) -> Walk {
        let mut doors = walk::doors(people.iter().filter(|p| list.members.contains(&p.id)));
        let address_key = |address: &str, postcode: &Option<String>| {
            (address.to_lowercase(), postcode.clone().unwrap_or_default())
        };
        let mut by_household = HashMap::new();
        let mut by_address = HashMap::new();
        for (n, door) in doors.iter().enumerate() {
            match door.household {
                Some(household) => {
                    by_household.insert(household, n);
                }
                None if !door.address.is_empty() => {
                    by_address.insert(address_key(&door.address, &door.postcode), n);
                }
                None => {}
            }
        }
        for person in people.iter().filter(|p| !list.members.contains(&p.id)) {
            let door = match (person.household, person.address.as_deref()) {
                (Some(household), _) => by_household.get(&household),
                (None, Some(address)) => by_address.get(&address_key(address, &person.postcode)),
                (None, None) => None,
            };
            if let Some(&n) = door {
                doors[n].people.push(person.id);
            }
        }
        Walk { list, doors }
    }

    /// How far the walk has gone, from the list's conversations.
    pub fn progress(&self, replica: &Replica) -> Progress {
        Progress::of(conversations_of(replica, self.list.id))
    }
}

/// Which people a walk list has knocked for, from its conversations.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Progress {
    /// The list's conversations, newest first.
    pub conversations: Vec<Conversation>,
    /// Everyone a conversation on the list was with (whatever its outcome).
    pub knocked: BTreeSet<PersonId>,
}

impl Progress {
    /// The progress that `conversations` (all from one list) make.
    pub fn of(mut conversations: Vec<Conversation>) -> Progress {
        order::sort_by_key(&mut conversations, |c| std::cmp::Reverse(c.at));
        let knocked = conversations.iter().map(|c| c.person).collect();
        Progress {
            conversations,
            knocked,
        }
    }

    /// Whether `door` has been knocked: anyone there has a conversation on the list.
    pub fn is_done(&self, door: &Door) -> bool {
        door.people.iter().any(|p| self.knocked.contains(p))
    }

    /// How many of `walk`'s doors are done.
    pub fn done(&self, walk: &Walk) -> usize {
        walk.doors.iter().filter(|d| self.is_done(d)).count()
    }

    /// The next door not yet done after door `n` in walking order, going round to the start.
    pub fn next_after(&self, walk: &Walk, n: usize) -> Option<usize> {
        let count = walk.doors.len();
        (n + 1..count)
            .chain(0..n.min(count))
            .find(|&m| !self.is_done(&walk.doors[m]))
    }
}

/// The conversations recorded from `list` (looked up, see [`Replica::holding`]).
pub fn conversations_of(replica: &Replica, list: ListId) -> Vec<Conversation> {
    typed(replica.holding(Collection::Conversation, "list", list.0))
}

/// The latest conversation with each of `people`, from any list or none.
pub fn last_visits(replica: &Replica, people: &[PersonId]) -> BTreeMap<PersonId, Conversation> {
    people
        .iter()
        .filter_map(|person| {
            typed::<Conversation>(replica.holding(Collection::Conversation, "person", person.0))
                .into_iter()
                .max_by_key(|c| (c.at, c.id))
                .map(|latest| (*person, latest))
        })
        .collect()
}

/// The issues someone working `area` can record: the broad ones (no parent) of the areas
/// near it (see [`AreaTree::is_near`]), by name.
pub fn issues_near(replica: &Replica, area: AreaId) -> Vec<Issue> {
    let areas: Vec<Area> = replica.all();
    broad_issues_near(&AreaTree::new(&areas), replica.all::<Issue>(), area)
}

/// The rule of [`issues_near`] over any `issues` and `tree` (the server's, for a meeting's
/// public sign-in page): the broad ones of the areas near `area`, by name.
pub fn broad_issues_near(
    tree: &AreaTree,
    issues: impl IntoIterator<Item = Issue>,
    area: AreaId,
) -> Vec<Issue> {
    let mut near: Vec<Issue> = issues
        .into_iter()
        .filter(|i| i.parent.is_none() && tree.is_near(i.area, area))
        .collect();
    order::sort_by_key(&mut near, |i| i.name.to_lowercase());
    near
}

/// Who can be given a list in `area`: the volunteers and hosts working near it (see
/// [`AreaTree::is_near`]), with their names, by name. A user whose record is not on the
/// phone is "A volunteer".
pub fn working_near(replica: &Replica, area: AreaId) -> Vec<(UserId, String)> {
    let areas: Vec<Area> = replica.all();
    let tree = AreaTree::new(&areas);
    let users = user_names(replica);
    let mut found: Vec<(UserId, String)> = replica
        .all::<RoleAssignment>()
        .into_iter()
        .filter(|r| matches!(r.role, Role::Volunteer | Role::Host) && tree.is_near(r.area, area))
        .map(|r| (r.user, user_name(&users, r.user)))
        .collect::<BTreeMap<_, _>>()
        .into_iter()
        .collect();
    order::sort_by(&mut found, |a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
    found
}

/// The names of the users whose records are on the phone.
pub fn user_names(replica: &Replica) -> BTreeMap<UserId, String> {
    replica
        .all::<User>()
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect()
}

/// A user's name, when their record is on the phone.
pub fn user_name(users: &BTreeMap<UserId, String>, user: UserId) -> String {
    users
        .get(&user)
        .cloned()
        .unwrap_or_else(|| "A volunteer".into())
}

/// Walks read once and kept while what they were read from stands still: the replica, its
/// lists and its people (see [`Replica::generation_of`]).
#[derive(Debug, Default)]
pub struct Walks {
    held: HashMap<ListId, Held>,
}

#[derive(Debug)]
struct Held {
    /// The [`Replica::instance`] it was read from.
    replica: u64,
    generation: u64,
    walk: Option<Arc<Walk>>,
}

impl Walks {
    /// What [`Walk::read`] reads for `list`, read again only if a list or a person changed
    /// since it was last read (or the replica is another one, even a clone).
    pub fn read(&mut self, replica: &Replica, list: ListId) -> Option<Arc<Walk>> {
        let generation = replica.generation_of(&[Collection::List, Collection::Person]);
        match self.held.get(&list) {
            Some(held) if held.replica == replica.instance() && held.generation == generation => {
                held.walk.clone()
            }
            _ => {
                // Walks read at another generation are stale: drop them all, so the cache
                // holds at most the lists read since the last change.
                self.held.retain(|_, held| {
                    held.replica == replica.instance() && held.generation == generation
                });
                let walk = Walk::read(replica, list).map(Arc::new);
                self.held.insert(
                    list,
                    Held {
                        replica: replica.instance(),
                        generation,
                        walk: walk.clone(),
                    },
                );
                walk
            }
        }
    }
}
