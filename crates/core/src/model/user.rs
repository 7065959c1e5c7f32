//! Users of the app and the roles they hold, each role scoped to an area.

use crate::id::{AreaId, PersonId, RecordId, RoleAssignmentId, UserId};
use crate::record::{Collection, Entity, Reader, Record, choice};
use crate::validate::{FieldProblem, Problems, normalise_email, normalise_name};
use serde::{Deserialize, Serialize};

/// A user: a member of staff or a volunteer who signs in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Their id.
    pub id: UserId,
    /// Their home area.
    pub area: AreaId,
    /// Who created the account.
    pub created_by: UserId,
    /// Their name.
    pub name: String,
    /// Their sign-in email address.
    pub email: String,
    /// Their own person record, if they are also a contact.
    pub person: Option<PersonId>,
}

impl Entity for User {
    const COLLECTION: Collection = Collection::User;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::User, self.id.0, self.area, self.created_by)
            .with("name", self.name.clone())
            .with("email", self.email.clone())
            .with("person", self.person.map(|p| p.0))
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::User);
        let user = User {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            name: r.text("name"),
            email: r.text("email"),
            person: r.opt_id("person"),
        };
        r.finish(user)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        if let Some(name) = p.check("name", normalise_name(&self.name)) {
            self.name = name;
        }
        if let Some(email) = p.check("email", normalise_email(&self.email)) {
            self.email = email;
        }
        p.finish().map(|()| self)
    }
}

choice! {
    /// What a user may do, within the area of the assignment.
    pub enum Role {
        /// Everything, including managing users and erasing people.
        Admin = "admin",
        /// Everything about the records in their area and below.
        Organiser = "organiser",
        /// Their assigned lists' people, and recording conversations with them.
        Volunteer = "volunteer",
        /// Their own meetings and the people attending them.
        Host = "host",
    }
}

/// A role given to a user. The record's area is the area the role covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleAssignment {
    /// Its id.
    pub id: RoleAssignmentId,
    /// The area the role covers (and everything within it).
    pub area: AreaId,
    /// Who gave the role.
    pub created_by: UserId,
    /// Who holds it.
    pub user: UserId,
    /// The role.
    pub role: Role,
}

impl Entity for RoleAssignment {
    const COLLECTION: Collection = Collection::RoleAssignment;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(
            Collection::RoleAssignment,
            self.id.0,
            self.area,
            self.created_by,
        )
        .with("user", self.user.0)
        .with("role", self.role)
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::RoleAssignment);
        let assignment = RoleAssignment {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            user: r.id("user"),
            role: r.choice("role"),
        };
        r.finish(assignment)
    }

    fn normalised(self) -> Result<Self, Vec<FieldProblem>> {
        Problems::default().finish().map(|()| self)
    }
}
