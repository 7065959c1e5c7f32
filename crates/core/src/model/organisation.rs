//! Community organisations, for mapping the power in an area: who they are and how far our
//! relationship with them has come. Who leads them, who is our contact there and who belongs
//! to them are [`crate::model::Link`]s, one source of truth read by [`crate::community`].

use crate::id::{AreaId, OrganisationId, RecordId, UserId};
use crate::record::{Collection, Entity, Reader, Record, choice};
use crate::validate::{FieldProblem, MAX_LONG_TEXT, MAX_SHORT_TEXT, Problems};
use serde::{Deserialize, Serialize};

choice! {
    /// What kind of organisation it is.
    pub enum OrganisationKind {
        /// A school.
        School = "school",
        /// A church, mosque, gurdwara, synagogue, temple…
        FaithGroup = "faith_group",
        /// A trade union branch.
        Union = "union",
        /// A tenants' or residents' association.
        TenantsAssociation = "tenants_association",
        /// A charity.
        Charity = "charity",
        /// A community group: a residents' network, a sports club, a parents' group…
        CommunityGroup = "community_group",
        /// A local political party.
        LocalParty = "local_party",
        /// Anything else.
        Other = "other",
    }
}

choice! {
    /// How far our relationship with an organisation has come: the stages organisers use.
    pub enum Relationship {
        /// We know it exists and have not reached out yet.
        NotContacted = "not_contacted",
        /// We have reached out.
        Contacted = "contacted",
        /// We have met its leaders.
        Met = "met",
        /// It works with us.
        Partner = "partner",
        /// It has declined, for now.
        Declined = "declined",
    }
}

/// A community organisation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    /// Its id.
    pub id: OrganisationId,
    /// The area it is based in.
    pub area: AreaId,
    /// Who created the record.
    pub created_by: UserId,
    /// Its name.
    pub name: String,
    /// Its kind.
    pub kind: OrganisationKind,
    /// Where our relationship stands.
    pub relationship: Relationship,
    /// Notes.
    pub notes: Option<String>,
}

impl Entity for Organisation {
    const COLLECTION: Collection = Collection::Organisation;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        Record::new(
            Collection::Organisation,
            self.id.0,
            self.area,
            self.created_by,
        )
        .with("name", self.name.clone())
        .with("kind", self.kind)
        .with("relationship", self.relationship)
        .with("notes", self.notes.clone())
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Organisation);
        let organisation = Organisation {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            name: r.text("name"),
            kind: r.choice("kind"),
            relationship: r.choice("relationship"),
            notes: r.opt_text("notes"),
        };
        r.finish(organisation)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        self.name = self.name.trim().to_owned();
        p.text("name", &self.name, MAX_SHORT_TEXT);
        p.optional_text("notes", self.notes.as_deref(), MAX_LONG_TEXT);
        p.finish().map(|()| self)
    }
}
