//! Who may read a record and who may apply a mutation: the [`Actor`] (a user with their
//! roles and what is assigned to them) and the pure rules in [`Permissions`].
//!
//! The server evaluates these on every push and every pull; the client may evaluate them to
//! grey out what the user cannot do, but never relies on them.
//!
//! The rules, by role (each role is held in an area and covers everything within it):
//! - **admin**: everything, including areas, users, roles and erasure.
//! - **organiser**: every record in their areas; may give and remove volunteer and host roles
//!   there, and create user accounts.
//! - **volunteer**: the lists assigned to them, the people on those lists and the
//!   conversations and attendance about those people (so they see "do not knock"), the
//!   meetings of their area, the campaigns, issues, scripts and surveys of their area and of
//!   the areas above and below it (as every role sees those), and whatever they created. They may add people in their area, edit the people they can see and record
//!   conversations, stories, survey answers and attendance about them. They may propose a
//!   meeting they host, which waits for an organiser's approval.
//! - **host** (a trusted host): the meetings they host, attendance at them and the attendees,
//!   plus the same reference records as volunteers; their own meetings need no approval.
//!   Whoever hosts a meeting records attendance at it, counts people under 16 or without
//!   consent with no person at all, and changes only its time and place.
//!
//! One-to-ones hold what an organiser learnt about someone's life: organisers and admins of
//! the person's area create, read and edit them, and whoever held one reads and edits it while
//! they organise anywhere. Volunteers and hosts never see one, however they reach its person.
//! Moves on the ladder, links on the community map (who leads an organisation, who knows
//! whom) and trainings (who was trained in what) are held the same way, and a link's maker
//! may also delete it while they organise anywhere. Campaigns and their actions are made and
//! changed by organisers and admins of the campaign's area, and read by every role near it. A weekly target is set by an organiser or admin of the organiser's home area,
//! never by an organiser for themselves (an admin may), and read by the organiser it is for.
//!
//! Merging duplicate people is organisers' work: a merge is made and read by organisers and
//! admins of the kept person's area who also organise the gone person's, and only ever
//! marked undone, never changed or deleted; whom a person is merged into is set by the same.
//!
//! Everyone signed in may read the areas (reference data) and their own user record and role
//! assignments.

use crate::area::AreaTree;
use crate::id::{AreaId, ListId, MeetingId, PersonId, RecordId, UserId};
use crate::model::{HOST_FIELDS, MeetingStatus, Role};
use crate::order;
use crate::record::{Choice, Collection, FieldName, Record, Value};
use crate::sync::{Mutation, Op};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// A person's fields that only an organiser of their area writes: whom they were merged into,
/// and whom they were set apart from as not the same person.
const PERSON_ORGANISER_FIELDS: [&str; 2] = ["merged_into", "not_same_as"];

/// A role held in an area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoleGrant {
    /// The role.
    pub role: Role,
    /// The area it covers (and everything within it).
    pub area: AreaId,
}

/// Who is acting, with everything the permission rules need to know about them. Derived from
/// the records by [`Actor::derive`], or from a store's indexed queries by
/// [`Actor::from_facts`]; the server derives it afresh for each request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Actor {
    /// The user.
    pub user: UserId,
    /// Their roles.
    pub roles: Vec<RoleGrant>,
    /// The lists assigned to them.
    pub lists: BTreeSet<ListId>,
    /// The meetings they host.
    pub meetings: BTreeSet<MeetingId>,
    /// The people within their reach: members of their lists, attendees of their meetings,
    /// and people they created.
    pub people: BTreeSet<PersonId>,
}

impl Actor {
    /// A user with no roles and nothing assigned.
    pub fn new(user: UserId) -> Self {
        Self {
            user,
            roles: Vec::new(),
            lists: BTreeSet::new(),
            meetings: BTreeSet::new(),
            people: BTreeSet::new(),
        }
    }

    /// An actor with the given roles and nothing assigned (for tests and fixtures).
    pub fn with_roles(user: UserId, roles: impl IntoIterator<Item = (Role, AreaId)>) -> Self {
        Self {
            user,
            roles: roles
                .into_iter()
                .map(|(role, area)| RoleGrant { role, area })
                .collect(),
            ..Self::new(user)
        }
    }

    /// Derives a user's actor from the live records: their role assignments, the lists
    /// assigned to them and their members, the meetings they host and those meetings'
    /// attendees, and the people they created. Picks out the [`ActorFacts`] and hands them
    /// to [`Actor::from_facts`], so this and the server's indexed queries agree.
    pub fn derive<'a, I>(user: UserId, records: I) -> Self
    where
        I: IntoIterator<Item = &'a Record>,
        I::IntoIter: Clone,
    {
        let records = records.into_iter();
        let mut facts = ActorFacts::default();
        for record in records.clone() {
            match record.collection {
                Collection::RoleAssignment if ActorFacts::is_role_of(record, user) => {
                    facts.role_assignments.push(record.clone());
                }
                Collection::List if ActorFacts::is_list_of(record, user) => {
                    facts.lists.push(record.clone());
                }
                Collection::Meeting if ActorFacts::is_meeting_of(record, user) => {
                    facts.meetings.push(record.id.into());
                }
                Collection::Person if record.created_by == user => {
                    facts.people_created.push(record.id.into());
                }
                _ => {}
            }
        }
        let meetings: BTreeSet<MeetingId> = facts.meetings.iter().copied().collect();
        for record in records {
            if record.collection == Collection::Attendance
                && let (Some(meeting), Some(person)) =
                    (record.get_id("meeting"), record.get_id("person"))
                && meetings.contains(&MeetingId(meeting))
            {
                facts.attendees.push(PersonId(person));
            }
        }
        Self::from_facts(user, facts)
    }

    /// Builds a user's actor from the records that define it, as the server's store answers
    /// them one indexed query each (see [`ActorFacts`]).
    pub fn from_facts(user: UserId, facts: ActorFacts) -> Self {
        let mut actor = Actor::new(user);
        for record in &facts.role_assignments {
            if let Value::Text(role) = record.get("role")
                && let Some(role) = Role::parse(role)
            {
                actor.roles.push(RoleGrant {
                    role,
                    area: record.area,
                });
            }
        }
        for list in &facts.lists {
            actor.lists.insert(list.id.into());
            if let Value::Ids(members) = list.get("members") {
                actor.people.extend(members.iter().map(|&id| PersonId(id)));
            }
        }
        actor.meetings.extend(facts.meetings);
        actor.people.extend(facts.people_created);
        actor.people.extend(facts.attendees);
        order::sort(&mut actor.roles);
        actor
    }
}

/// Everything [`Actor::from_facts`] needs about one user: a few small sets of live records,
/// each of which a database answers with one indexed query instead of a scan of every record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ActorFacts {
    /// The role assignments whose `user` is the user.
    pub role_assignments: Vec<Record>,
    /// The lists whose `assignees` include the user (their `members` are within reach).
    pub lists: Vec<Record>,
    /// The meetings whose `host` is the user.
    pub meetings: Vec<MeetingId>,
    /// The people the user created.
    pub people_created: Vec<PersonId>,
    /// The `person` of each attendance at a meeting the user hosts.
    pub attendees: Vec<PersonId>,
}

impl ActorFacts {
    /// Whether `record` is a role assignment held by `user`.
    pub fn is_role_of(record: &Record, user: UserId) -> bool {
        record.collection == Collection::RoleAssignment && record.get_id("user") == Some(user.0)
    }

    /// Whether `record` is a list assigned to `user`.
    pub fn is_list_of(record: &Record, user: UserId) -> bool {
        record.collection == Collection::List
            && matches!(record.get("assignees"), Value::Ids(ids) if ids.contains(&user.0))
    }

    /// Whether `record` is a meeting hosted by `user`.
    pub fn is_meeting_of(record: &Record, user: UserId) -> bool {
        record.collection == Collection::Meeting && record.get_id("host") == Some(user.0)
    }
}

/// Why a mutation was not allowed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Denied {
    /// The record is outside everything the user's roles and assignments cover.
    #[error("this record is outside what you may change")]
    OutsideScope,
    /// Only an admin of the area may do this (areas, roles other than volunteer and host).
    #[error("only an admin of this area may do this")]
    AdminOnly,
    /// Only an organiser of the area may do this (deleting, moving to another area).
    #[error("only an organiser of this area may do this")]
    OrganiserOnly,
    /// A record's author must be whoever sends it (a conversation's `by`).
    #[error("a record can only be written in your own name")]
    NotTheAuthor,
    /// Areas are never deleted: people and records in them would drop out of everyone's
    /// sight.
    #[error("areas are never deleted; rename the area or move what is in it instead")]
    AreasAreKept,
    /// The ladder's rungs are never deleted nor moved out of the root area: people's moves
    /// name them, and the ladder is the whole organisation's.
    #[error("rungs of the ladder are never deleted or moved; retire the rung instead")]
    RungsAreKept,
    /// A merge is kept as it was made, and only ever marked undone: it is what an undo reads
    /// to take the merge back.
    #[error("a merge is never changed or deleted; undo it instead")]
    MergesAreKept,
}

/// The permission rules for one actor, given the area tree.
#[derive(Clone, Copy, Debug)]
pub struct Permissions<'a> {
    /// Who is acting.
    pub actor: &'a Actor,
    /// The areas.
    pub tree: &'a AreaTree,
}

impl<'a> Permissions<'a> {
    /// The rules for `actor`.
    pub fn new(actor: &'a Actor, tree: &'a AreaTree) -> Self {
        Self { actor, tree }
    }

    fn holds(&self, roles: &[Role], area: AreaId) -> bool {
        self.actor
            .roles
            .iter()
            .any(|g| roles.contains(&g.role) && self.tree.is_within(area, g.area))
    }

    /// Whether the actor is an admin of `area`.
    pub fn is_admin_of(&self, area: AreaId) -> bool {
        self.holds(&[Role::Admin], area)
    }

    /// Whether the actor organises `area` (admins do too).
    pub fn is_organiser_of(&self, area: AreaId) -> bool {
        self.holds(&[Role::Admin, Role::Organiser], area)
    }

    /// Whether the actor is a volunteer or host in `area`.
    fn works_in(&self, area: AreaId) -> bool {
        self.holds(&[Role::Volunteer, Role::Host], area)
    }

    /// Whether the actor holds any role in `area`, in an area within it, or in one
    /// containing it. Organisers count as much as volunteers: a ward's organiser works from
    /// the constituency's issues and surveys as its volunteers do (and giving themselves a
    /// volunteer role must not show them more).
    fn works_near(&self, area: AreaId) -> bool {
        self.actor
            .roles
            .iter()
            .any(|g| self.tree.is_near(area, g.area))
    }

    fn reaches(&self, person: Option<RecordId>) -> bool {
        person.is_some_and(|p| self.actor.people.contains(&PersonId(p)))
    }

    /// Whether the actor may see `record`. Also decides what a pull sends and what a scope
    /// change purges.
    pub fn can_read(&self, record: &Record) -> bool {
        if self.is_organiser_of(record.area) {
            return true;
        }
        let actor = self.actor;
        match record.collection {
            Collection::Area => return true,
            Collection::User => return record.id == actor.user.0,
            Collection::RoleAssignment => return record.get_id("user") == Some(actor.user.0),
            // Not whoever created it, nor whoever reaches its person: an organiser who became
            // a volunteer reads their one-to-ones no longer.
            Collection::OneToOne
            | Collection::LadderMove
            | Collection::Link
            | Collection::Training => {
                return self.made_while_organising(record);
            }
            Collection::WeeklyTarget => return record.get_id("organiser") == Some(actor.user.0),
            // Only the organisers of the kept person's area (above).
            Collection::Merge => return false,
            _ => {}
        }
        if actor.roles.is_empty() {
            return false;
        }
        if record.created_by == actor.user {
            return true;
        }
        match record.collection {
            Collection::Person => actor.people.contains(&PersonId(record.id)),
            Collection::Conversation => self.reaches(record.get_id("person")),
            Collection::Attendance => {
                self.reaches(record.get_id("person"))
                    || record
                        .get_id("meeting")
                        .is_some_and(|m| actor.meetings.contains(&MeetingId(m)))
            }
            Collection::List => actor.lists.contains(&ListId(record.id)),
            Collection::Meeting => {
                actor.meetings.contains(&MeetingId(record.id)) || self.works_in(record.area)
            }
            // What a campaign is about is shared down and up the tree: a ward's volunteers
            // pick from their constituency's issues too.
            Collection::Issue
            | Collection::Campaign
            | Collection::CampaignAction
            | Collection::Script
            | Collection::Survey
            | Collection::Rung => self.works_near(record.area),
            _ => false,
        }
    }

    /// Whether the actor may edit `record` in place: set a field, add to or remove from a
    /// set, resolve a conflict on it. Editors of a record also see its conflicts.
    pub fn can_edit(&self, record: &Record) -> bool {
        match record.collection {
            Collection::Area | Collection::RoleAssignment => return self.is_admin_of(record.area),
            Collection::User => return self.is_organiser_of(record.area),
            Collection::OneToOne
            | Collection::LadderMove
            | Collection::Link
            | Collection::Training => {
                return self.is_organiser_of(record.area) || self.made_while_organising(record);
            }
            Collection::Rung => return self.is_admin_of(record.area),
            Collection::WeeklyTarget => return self.may_set_target(record).is_ok(),
            Collection::Merge => return self.is_organiser_of(record.area),
            _ => {}
        }
        if self.is_organiser_of(record.area) {
            return true;
        }
        if !self.works_in_any() {
            return false;
        }
        match record.collection {
            Collection::Person => self.actor.people.contains(&PersonId(record.id)),
            Collection::Meeting => self.actor.meetings.contains(&MeetingId(record.id)),
            c if c.is_append_only() => record.created_by == self.actor.user,
            _ => false,
        }
    }

    fn works_in_any(&self) -> bool {
        self.actor
            .roles
            .iter()
            .any(|g| matches!(g.role, Role::Volunteer | Role::Host))
    }

    /// Whether the actor organises (or administers) any area at all.
    fn organises_any(&self) -> bool {
        self.actor
            .roles
            .iter()
            .any(|g| matches!(g.role, Role::Admin | Role::Organiser))
    }

    /// Whether the actor made `record` (a one-to-one they held, a move on the ladder, a link
    /// on the community map, a training they recorded) and still organises somewhere, so it stays in their week if its
    /// person moves to an area they do not organise.
    fn made_while_organising(&self, record: &Record) -> bool {
        record.created_by == self.actor.user && self.organises_any()
    }

    /// Whether the actor may set (or take back) the weekly target `record`: an organiser or
    /// admin of its area (the organiser's home area), for someone else; an admin, for
    /// themselves too. Organisers' targets are set by a lead organiser, not by themselves.
    fn may_set_target(&self, record: &Record) -> Result<(), Denied> {
        if !self.is_organiser_of(record.area) {
            return Err(Denied::OrganiserOnly);
        }
        let own = record.get_id("organiser") == Some(self.actor.user.0);
        if own && !self.is_admin_of(record.area) {
            return Err(Denied::AdminOnly);
        }
        Ok(())
    }

    /// Whether the actor may apply `mutation` to `current` (the record as the server holds
    /// it; `None` for a create). The server re-authorises every mutation with this, so an
    /// offline edit made before a role was removed is rejected, visibly, when it arrives.
    pub fn can_apply(&self, mutation: &Mutation, current: Option<&Record>) -> Result<(), Denied> {
        let allow = |ok: bool, denied: Denied| if ok { Ok(()) } else { Err(denied) };
        match (&mutation.op, current) {
            (Op::Void, _) => Ok(()),
            (Op::Create { area, fields }, _) => {
                let record = Record {
                    collection: mutation.collection,
                    id: mutation.record_id,
                    area: *area,
                    created_by: self.actor.user,
                    fields: fields.clone(),
                };
                self.can_create(&record)
            }
            (_, None) => Err(Denied::OutsideScope),
            // A merge is only ever marked undone (by an organiser of its area), never moved,
            // changed or deleted.
            (Op::SetField { field, .. }, Some(current))
                if current.collection == Collection::Merge && field.as_str() != "undone" =>
            {
                Err(Denied::MergesAreKept)
            }
            (Op::Delete { .. }, Some(current)) if current.collection == Collection::Merge => {
                Err(Denied::MergesAreKept)
            }
            // Merging someone away, or taking it back, is an organiser's, as a merge is, and so
            // is saying two people who look alike are not one; whom they are merged into or set
            // apart from the reference rule holds to an area the writer organises.
            (
                Op::SetField { field, .. }
                | Op::AddToSet { field, .. }
                | Op::RemoveFromSet { field, .. },
                Some(current),
            ) if current.collection == Collection::Person
                && PERSON_ORGANISER_FIELDS.contains(&field.as_str()) =>
            {
                allow(self.is_organiser_of(current.area), Denied::OrganiserOnly)
            }
            (Op::Delete { .. }, Some(current)) if current.collection == Collection::Rung => {
                Err(Denied::RungsAreKept)
            }
            (Op::SetField { field, .. }, Some(current))
                if current.collection == Collection::Rung && field.as_str() == FieldName::AREA =>
            {
                Err(Denied::RungsAreKept)
            }
            (Op::SetField { field, value, .. }, Some(current))
                if field.as_str() == FieldName::AREA =>
            {
                // Moving a record needs authority over both the place it leaves and the
                // place it goes to.
                let to = match value {
                    Value::Id(id) => AreaId(*id),
                    _ => return Err(Denied::OutsideScope),
                };
                let ok = match current.collection {
                    Collection::Area | Collection::RoleAssignment | Collection::User => {
                        self.is_admin_of(current.area) && self.is_admin_of(to)
                    }
                    _ => self.is_organiser_of(current.area) && self.is_organiser_of(to),
                };
                allow(ok, Denied::OrganiserOnly)
            }
            (Op::SetField { field, value, .. }, Some(current))
                if current.collection == Collection::Area
                    && matches!(field.as_str(), "parent" | "kind") =>
            {
                // Where an area sits decides who oversees everything in it, so placing it
                // needs authority over the place it leaves and the place it goes to.
                let parent_of = |record: &Record| record.get_id("parent").map(AreaId);
                let old_parent = parent_of(current);
                let new_parent = match (field.as_str(), value) {
                    ("parent", Value::Id(id)) => Some(AreaId(*id)),
                    ("parent", _) => None,
                    _ => old_parent,
                };
                // A parent that does not exist is refused with its own problem, as placing
                // the area is checked after this.
                let over = |parent: Option<AreaId>| {
                    parent.is_some_and(|p| !self.tree.contains(p))
                        || self.is_admin_of(parent.unwrap_or(current.area))
                };
                allow(over(old_parent) && over(new_parent), Denied::AdminOnly)
            }
            // A host who does not organise the area changes only their meeting's time and
            // place: its title, kind, status (approval) and host are the organisers'. (A
            // conflict's resolution is judged as the write of its field it becomes.)
            (Op::SetField { field, .. }, Some(current))
                if current.collection == Collection::Meeting
                    && !self.is_organiser_of(current.area) =>
            {
                allow(
                    self.can_edit(current) && HOST_FIELDS.contains(&field.as_str()),
                    Denied::OrganiserOnly,
                )
            }
            (
                Op::SetField { .. }
                | Op::AddToSet { .. }
                | Op::RemoveFromSet { .. }
                | Op::ResolveConflict { .. },
                Some(current),
            ) => match current.collection {
                Collection::Area | Collection::RoleAssignment => {
                    allow(self.is_admin_of(current.area), Denied::AdminOnly)
                }
                _ => allow(self.can_edit(current), Denied::OutsideScope),
            },
            (Op::Delete { .. }, Some(current)) => match current.collection {
                Collection::Area => Err(Denied::AreasAreKept),
                Collection::User => allow(self.is_admin_of(current.area), Denied::AdminOnly),
                Collection::RoleAssignment => allow(
                    self.is_admin_of(current.area)
                        || (self.is_organiser_of(current.area) && Self::is_field_role(current)),
                    Denied::AdminOnly,
                ),
                // Taking a target back sets another: the same authority as setting one.
                Collection::WeeklyTarget => self.may_set_target(current),
                // A wrong link is deleted by whoever may edit it.
                Collection::Link => allow(self.can_edit(current), Denied::OrganiserOnly),
                // Whoever recorded a conversation, story or answer may take it back (the
                // undo after a mistaken tap at a door); append-only records are never edited,
                // so a correction is a retraction and a new record.
                c if c.is_append_only()
                    && current.created_by == self.actor.user
                    && self.works_in_any() =>
                {
                    Ok(())
                }
                _ => allow(self.is_organiser_of(current.area), Denied::OrganiserOnly),
            },
        }
    }

    fn is_field_role(record: &Record) -> bool {
        matches!(record.get("role"), Value::Text(role) if matches!(Role::parse(role), Some(Role::Volunteer | Role::Host)))
    }

    /// Whether the actor may create `record` (as a push of a `Create` would).
    pub fn can_create(&self, record: &Record) -> Result<(), Denied> {
        let area = record.area;
        let allow = |ok: bool, denied: Denied| if ok { Ok(()) } else { Err(denied) };
        match record.collection {
            // An area is created by an admin of the area it goes into; the country itself is
            // created when the organisation is set up, never through sync.
            Collection::Area => {
                let parent = record.get_id("parent").map(AreaId);
                allow(
                    parent.is_some_and(|p| self.is_admin_of(p)),
                    Denied::AdminOnly,
                )
            }
            Collection::User => allow(self.is_organiser_of(area), Denied::OrganiserOnly),
            Collection::RoleAssignment => allow(
                self.is_admin_of(area)
                    || (self.is_organiser_of(area) && Self::is_field_role(record)),
                Denied::AdminOnly,
            ),
            Collection::WeeklyTarget => self.may_set_target(record),
            // The ladder is the organisation's: set at the root, by its admins.
            Collection::Rung => allow(
                self.tree.is_root(area) && self.is_admin_of(area),
                Denied::AdminOnly,
            ),
            _ if self.is_organiser_of(area) => Ok(()),
            Collection::OneToOne
            | Collection::LadderMove
            | Collection::Link
            | Collection::Training
            | Collection::Campaign
            | Collection::CampaignAction
            | Collection::Merge => Err(Denied::OrganiserOnly),
            // Someone merged into another, or set apart from others, is an organiser's to
            // record.
            Collection::Person
                if PERSON_ORGANISER_FIELDS
                    .iter()
                    .any(|field| !record.get(field).ids().is_empty()) =>
            {
                Err(Denied::OrganiserOnly)
            }
            Collection::Person => allow(self.works_in(area), Denied::OutsideScope),
            Collection::Conversation | Collection::Story | Collection::SurveyResponse => allow(
                self.works_in_any() && self.reaches(record.get_id("person")),
                Denied::OutsideScope,
            ),
            // Someone counted without a record (under 16, no consent) names no person.
            Collection::Attendance => {
                let meeting_ok = record
                    .get_id("meeting")
                    .is_some_and(|m| self.actor.meetings.contains(&MeetingId(m)))
                    || self.works_in(area);
                let person = record.get_id("person");
                allow(
                    (person.is_none() || self.reaches(person)) && meeting_ok,
                    Denied::OutsideScope,
                )
            }
            // A volunteer proposes a meeting they host, which waits for an organiser's
            // approval; a trusted host (the host role in the area) needs none.
            Collection::Meeting => {
                let own = record.get_id("host") == Some(self.actor.user.0);
                let proposed = matches!(record.get("status"), Value::Text(s) if s == MeetingStatus::Proposed.as_str());
                allow(
                    own && (self.holds(&[Role::Host], area) || (self.works_in(area) && proposed)),
                    Denied::OutsideScope,
                )
            }
            // A volunteer at a door may add an issue nobody has listed yet; organisers tidy
            // the list (an issue's `parent` merges a duplicate into another).
            Collection::Issue => allow(self.works_in(area), Denied::OutsideScope),
            _ => Err(Denied::OutsideScope),
        }
    }

    /// Whether the actor may merge a person in `gone` into one in `kept` (see
    /// [`crate::merge`]): they organise both areas. The server holds a merge's writer to this
    /// (the reference rule), so a screen offers a merge only where it holds.
    pub fn can_merge(&self, kept: AreaId, gone: AreaId) -> bool {
        self.is_organiser_of(kept) && self.is_organiser_of(gone)
    }

    /// Whether the actor may erase `person` (remove them and everything about them for good).
    pub fn can_erase(&self, person: &Record) -> bool {
        person.collection == Collection::Person && self.is_admin_of(person.area)
    }
}
