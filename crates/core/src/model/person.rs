//! People: who we are in contact with, how to reach them and what they have consented to.
//! (Where they are on the ladder of engagement is their latest move: see
//! [`crate::model::LadderMove`].)

use crate::id::{AreaId, HouseholdId, PersonId, RecordId, Timestamp, UserId};
use crate::model::normalise_tags;
use crate::record::{Choice, Collection, Entity, Reader, Record, Value, choice};
use crate::validate::{
    FieldProblem, MAX_SHORT_TEXT, Problem, Problems, normalise_email, normalise_name,
    normalise_phone, normalise_postcode,
};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

choice! {
    /// How a person first came to us.
    pub enum Source {
        /// Met on the doorstep.
        Doorstep = "doorstep",
        /// Phoned, or phoned us.
        Phone = "phone",
        /// At a meeting or event.
        Meeting = "meeting",
        /// Filled in a form online.
        OnlineForm = "online_form",
        /// Introduced by someone.
        Referral = "referral",
        /// Through a community organisation.
        Organisation = "organisation",
        /// Anything else.
        Other = "other",
    }
}

choice! {
    /// What a consent is for: a channel we may contact them on, or a purpose.
    pub enum ConsentTopic {
        /// Calls.
        Phone = "phone",
        /// Text messages.
        Sms = "sms",
        /// Email.
        Email = "email",
        /// Being contacted at all about the organisation's work.
        Contact = "contact",
        /// Keeping their story on record.
        StoreStory = "store_story",
        /// Sharing their story beyond the organisers.
        ShareStory = "share_story",
    }
}

impl ConsentTopic {
    /// The record field holding this consent (`"consent_sms"`).
    pub fn field(self) -> &'static str {
        match self {
            ConsentTopic::Phone => "consent_phone",
            ConsentTopic::Sms => "consent_sms",
            ConsentTopic::Email => "consent_email",
            ConsentTopic::Contact => "consent_contact",
            ConsentTopic::StoreStory => "consent_store_story",
            ConsentTopic::ShareStory => "consent_share_story",
        }
    }
}

choice! {
    /// How a consent was given or refused.
    pub enum ConsentMethod {
        /// Said so on the doorstep.
        Doorstep = "doorstep",
        /// Signed a paper or online form.
        Form = "form",
        /// Said so at a meeting.
        Meeting = "meeting",
        /// Said so on the phone.
        Phone = "phone",
        /// Replied by email.
        Email = "email",
        /// Replied by text message.
        Sms = "sms",
        /// Withdrew it themselves, through a link the organisation sent them.
        Link = "link",
    }
}

/// A person's answer about one consent topic: given or refused, when and how. A topic with
/// no answer has no `Consent` (never asked), which is not the same as refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    /// Given (true) or refused or withdrawn (false).
    pub given: bool,
    /// When they said so.
    pub at: Timestamp,
    /// How they said so.
    pub method: ConsentMethod,
}

impl Consent {
    fn to_value(self) -> Value {
        Value::Map(BTreeMap::from([
            ("given".to_owned(), Value::Bool(self.given)),
            ("at".to_owned(), Value::Time(self.at)),
            ("method".to_owned(), self.method.into()),
        ]))
    }

    fn from_value(map: &BTreeMap<String, Value>) -> Option<Self> {
        let (Some(Value::Bool(given)), Some(Value::Time(at)), Some(Value::Text(method))) =
            (map.get("given"), map.get("at"), map.get("method"))
        else {
            return None;
        };
        (map.len() == 3).then_some(())?;
        Some(Consent {
            given: *given,
            at: *at,
            method: ConsentMethod::parse(method)?,
        })
    }
}

/// A person we are in contact with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Their id.
    pub id: PersonId,
    /// The area they live or work in (usually a ward).
    pub area: AreaId,
    /// Who created the record.
    pub created_by: UserId,
    /// Their name as they give it.
    pub name: String,
    /// Phone number, normalised to E.164.
    pub phone: Option<String>,
    /// Email address.
    pub email: Option<String>,
    /// Street address (without the postcode).
    pub address: Option<String>,
    /// Postcode, normalised (`SW1A 1AA`).
    pub postcode: Option<String>,
    /// The household they belong to: people at one address share it.
    pub household: Option<HouseholdId>,
    /// Their consents by topic.
    pub consents: BTreeMap<ConsentTopic, Consent>,
    /// What they can do (set-valued).
    pub skills: BTreeSet<String>,
    /// Free tags (set-valued).
    pub tags: BTreeSet<String>,
    /// How they came to us.
    pub source: Source,
    /// The person they were merged into, if they were: they are kept, hidden from listings,
    /// and everything about them names that person now (see [`crate::merge`]).
    pub merged_into: Option<PersonId>,
    /// The people an organiser said are not this person, though they looked like them (set
    /// apart from the duplicate suggestions on every device; see [`crate::duplicates`]).
    /// Set-valued; each of a pair names the other.
    pub not_same_as: BTreeSet<PersonId>,
}

impl Person {
    /// Someone just met: a name and where they live, with nothing else known yet. The record
    /// still needs [`Entity::normalised`] before it is saved.
    pub fn new(
        id: PersonId,
        area: AreaId,
        created_by: UserId,
        name: impl Into<String>,
        source: Source,
    ) -> Person {
        Person {
            id,
            area,
            created_by,
            name: name.into(),
            phone: None,
            email: None,
            address: None,
            postcode: None,
            household: None,
            consents: BTreeMap::new(),
            skills: BTreeSet::new(),
            tags: BTreeSet::new(),
            source,
            merged_into: None,
            not_same_as: BTreeSet::new(),
        }
    }

    /// Whether they have given (and not withdrawn) consent on `topic`.
    pub fn has_consent(&self, topic: ConsentTopic) -> bool {
        self.consents.get(&topic).is_some_and(|c| c.given)
    }
}

impl Entity for Person {
    const COLLECTION: Collection = Collection::Person;
    const SET_FIELDS: &'static [&'static str] = &["skills", "tags", "not_same_as"];

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        let mut record = Record::new(Collection::Person, self.id.0, self.area, self.created_by)
            .with("name", self.name.clone())
            .with("phone", self.phone.clone())
            .with("email", self.email.clone())
            .with("address", self.address.clone())
            .with("postcode", self.postcode.clone())
            .with("household", self.household.map(|h| h.0))
            .with("skills", Value::Texts(self.skills.clone()))
            .with("tags", Value::Texts(self.tags.clone()))
            .with("source", self.source)
            .with("merged_into", self.merged_into.map(|p| p.0))
            .with(
                "not_same_as",
                Value::Ids(self.not_same_as.iter().map(|p| p.0).collect()),
            );
        for &topic in ConsentTopic::ALL {
            let value = self
                .consents
                .get(&topic)
                .map_or(Value::Null, |c| c.to_value());
            record = record.with(topic.field(), value);
        }
        record
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Person);
        let mut consents = BTreeMap::new();
        for &topic in ConsentTopic::ALL {
            if let Some(map) = r.opt_map(topic.field()) {
                match Consent::from_value(map) {
                    Some(consent) => {
                        consents.insert(topic, consent);
                    }
                    None => r.problem(
                        topic.field(),
                        Problem::WrongType {
                            expected: "a consent: given, at and method".into(),
                        },
                    ),
                }
            }
        }
        // People stored before the ladder became moves carry a fixed `stage`, which no
        // screen ever showed: read past it, and a rewrite drops it.
        r.legacy("stage");
        let person = Person {
            id: record.id.into(),
            area: record.area,
            created_by: record.created_by,
            name: r.text("name"),
            phone: r.opt_text("phone"),
            email: r.opt_text("email"),
            address: r.opt_text("address"),
            postcode: r.opt_text("postcode"),
            household: r.opt_id("household"),
            consents,
            skills: r.texts("skills"),
            tags: r.texts("tags"),
            source: r.choice("source"),
            merged_into: r.opt_id("merged_into"),
            not_same_as: r.ids("not_same_as"),
        };
        r.finish(person)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        if let Some(name) = p.check("name", normalise_name(&self.name)) {
            self.name = name;
        }
        // An empty optional field means "not given", whatever the spaces in it.
        let blank_to_none = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        self.phone = blank_to_none(self.phone.take());
        if let Some(phone) = &self.phone {
            self.phone = p
                .check("phone", normalise_phone(phone))
                .or(self.phone.take());
        }
        self.email = blank_to_none(self.email.take());
        if let Some(email) = &self.email {
            self.email = p
                .check("email", normalise_email(email))
                .or(self.email.take());
        }
        self.postcode = blank_to_none(self.postcode.take());
        if let Some(postcode) = &self.postcode {
            self.postcode = p
                .check("postcode", normalise_postcode(postcode))
                .or(self.postcode.take());
        }
        self.address = blank_to_none(self.address.take()).map(|a| a.trim().to_owned());
        p.optional_text("address", self.address.as_deref(), MAX_SHORT_TEXT);
        self.skills = normalise_tags(&mut p, "skills", self.skills);
        self.tags = normalise_tags(&mut p, "tags", self.tags);
        if self.merged_into == Some(self.id) {
            p.push("merged_into", Problem::SelfReference);
        }
        if self.not_same_as.contains(&self.id) {
            p.push("not_same_as", Problem::SelfReference);
        }
        p.finish().map(|()| self)
    }
}
