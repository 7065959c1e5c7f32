//! Links on the community map: a person's tie to an organisation (its leader, our contact
//! there, a member) or to another person (they know each other, are family, neighbours or
//! colleagues, or the person introduced the other).
//!
//! A link is about its person: it sits in their area, goes when they are erased and, like a
//! one-to-one, is read and written only by organisers and admins, never by volunteers or
//! hosts who reach the person ([`crate::permission::Permissions`]). Its role is edited in
//! place; a wrong link is deleted. [`crate::community`] reads the links into a ward's map,
//! its gaps and its graph.

use crate::id::{AreaId, LinkId, OrganisationId, PersonId, RecordId, UserId};
use crate::record::{Choice, Collection, Entity, Reader, Record, choice};
use crate::validate::{FieldProblem, MAX_SHORT_TEXT, Problem, Problems};
use serde::{Deserialize, Serialize};

choice! {
    /// What a link says: the first three tie a person to an organisation, the rest tie two
    /// people.
    pub enum LinkKind {
        /// They lead the organisation (a head teacher, an imam, a branch secretary).
        Leader = "leader",
        /// They are our contact there.
        Contact = "contact",
        /// They belong to it.
        Member = "member",
        /// The two know each other.
        Knows = "knows",
        /// The two are family.
        Family = "family",
        /// The two are neighbours.
        Neighbour = "neighbour",
        /// The two work together.
        Colleague = "colleague",
        /// The person introduced the other to us.
        Introduced = "introduced",
    }
}

impl LinkKind {
    /// The kinds that tie a person to an organisation.
    pub const TO_ORGANISATION: [LinkKind; 3] =
        [LinkKind::Leader, LinkKind::Contact, LinkKind::Member];

    /// The kinds that tie two people.
    pub const TO_PERSON: [LinkKind; 5] = [
        LinkKind::Knows,
        LinkKind::Family,
        LinkKind::Neighbour,
        LinkKind::Colleague,
        LinkKind::Introduced,
    ];

    /// Whether this kind ties a person to an organisation (rather than to another person).
    pub fn is_to_organisation(self) -> bool {
        Self::TO_ORGANISATION.contains(&self)
    }
}

/// A person's tie to an organisation or to another person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Its id.
    pub id: LinkId,
    /// The person's area, where it is visible.
    pub area: AreaId,
    /// Who recorded it (stamped by the server).
    pub created_by: UserId,
    /// Whom it is about.
    pub person: PersonId,
    /// The organisation they are tied to; exactly one of this and `other` is set.
    pub organisation: Option<OrganisationId>,
    /// The other person they are tied to; exactly one of this and `organisation` is set.
    pub other: Option<PersonId>,
    /// What the tie is.
    pub kind: LinkKind,
    /// Their role, in the organiser's words ("chair", "head of year 7").
    pub role: Option<String>,
}

impl Entity for Link {
    const COLLECTION: Collection = Collection::Link;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(Collection::Link, self.id.0, self.area, self.created_by)
            .with("person", self.person.0)
            .with("organisation", self.organisation.map(|o| o.0))
            .with("other", self.other.map(|o| o.0))
            .with("kind", self.kind)
            .with("role", self.role.clone())
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Link);
        let link = Link {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            person: r.id("person"),
            organisation: r.opt_id("organisation"),
            other: r.opt_id("other"),
            kind: r.choice("kind"),
            role: r.opt_text("role"),
        };
        r.finish(link)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        let allowed = |kinds: &[LinkKind]| Problem::NotAChoice {
            allowed: kinds.iter().map(|k| k.as_str().to_owned()).collect(),
        };
        match (self.organisation, self.other) {
            (None, None) => p.push("organisation", Problem::Missing),
            (Some(_), Some(_)) => p.push(
                "other",
                Problem::OnlyWhen {
                    condition: "there is no organisation".into(),
                },
            ),
            (Some(_), None) if !self.kind.is_to_organisation() => {
                p.push("kind", allowed(&LinkKind::TO_ORGANISATION));
            }
            (None, Some(_)) if self.kind.is_to_organisation() => {
                p.push("kind", allowed(&LinkKind::TO_PERSON));
            }
            _ => {}
        }
        if self.other == Some(self.person) {
            p.push("other", Problem::SelfReference);
        }
        self.role = self
            .role
            .map(|role| role.trim().to_owned())
            .filter(|role| !role.is_empty());
        p.optional_text("role", self.role.as_deref(), MAX_SHORT_TEXT);
        p.finish().map(|()| self)
    }
}
