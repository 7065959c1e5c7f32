//! The generic record every collection travels as on the wire: [`Record`] with its
//! [`Value`]s, the [`Collection`]s and what each declares (set-valued fields, append-only),
//! and the [`Entity`] conversions between a record and its typed struct.
//!
//! One representation for every collection lets one sync protocol serve them all: the
//! protocol merges fields and set elements without knowing what a person or a meeting is.
//! Conversions from a record to a typed struct validate and normalise, so a record that
//! passes through the server is always canonical.

use crate::calendar::Day;
use crate::id::{AreaId, RecordId, Timestamp, UserId};
use crate::model;
use crate::validate::{FieldProblem, Problem, Problems};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The name of a field in a record (`"name"`, `"skills"`). Names written in the code are
/// borrowed, not allocated: records are built and copied constantly, and their field names
/// are almost always these static ones.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct FieldName(pub Cow<'static, str>);

impl FieldName {
    /// The pseudo-field naming a record's area: a `SetField` on it moves the record, with
    /// the same conflict rule as any other field.
    pub const AREA: &'static str = "area";

    /// The name as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

// Lets maps keyed by field name be looked up with a plain `&str`; sound because the derived
// ordering and equality are those of the inner string.
impl std::borrow::Borrow<str> for FieldName {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl FieldName {
    /// A name written in the code.
    pub const fn fixed(name: &'static str) -> Self {
        Self(Cow::Borrowed(name))
    }
}

impl From<&str> for FieldName {
    fn from(name: &str) -> Self {
        Self(Cow::Owned(name.to_owned()))
    }
}

impl fmt::Display for FieldName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A field's value. Small on purpose: every collection's fields fit these shapes, and the
/// sync protocol needs to understand only two of them specially (the sets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// No value (an optional field left empty, or a field cleared).
    Null,
    /// Yes or no.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// Text; also the spelling of enumerated choices (`"doorstep"`).
    Text(String),
    /// A reference to another record.
    Id(RecordId),
    /// A moment (display data; never used for ordering).
    Time(Timestamp),
    /// A set of texts (skills, tags). Set-valued: merged element by element.
    Texts(BTreeSet<String>),
    /// A set of references (list members). Set-valued: merged element by element.
    Ids(BTreeSet<RecordId>),
    /// A small structure (a consent: given, when, how). Replaced as a whole.
    Map(BTreeMap<String, Value>),
    /// A sequence (follow-ups, survey questions). Replaced as a whole.
    List(Vec<Value>),
}

impl Value {
    /// The type of the value, in words, for error messages.
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "nothing",
            Value::Bool(_) => "yes or no",
            Value::Int(_) => "a number",
            Value::Text(_) => "text",
            Value::Id(_) => "a reference",
            Value::Time(_) => "a time",
            Value::Texts(_) => "a set of texts",
            Value::Ids(_) => "a set of references",
            Value::Map(_) => "a structure",
            Value::List(_) => "a list",
        }
    }

    /// Whether the value refers to `id` anywhere inside it. Erasure uses this to find every
    /// trace of an erased person.
    pub fn mentions(&self, id: RecordId) -> bool {
        match self {
            Value::Id(x) => *x == id,
            Value::Ids(xs) => xs.contains(&id),
            Value::Map(map) => map.values().any(|v| v.mentions(id)),
            Value::List(list) => list.iter().any(|v| v.mentions(id)),
            Value::Null
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Text(_)
            | Value::Time(_)
            | Value::Texts(_) => false,
        }
    }

    /// Every reference inside the value.
    pub fn ids(&self) -> Vec<RecordId> {
        match self {
            Value::Id(id) => vec![*id],
            Value::Ids(ids) => ids.iter().copied().collect(),
            Value::Map(map) => map.values().flat_map(Value::ids).collect(),
            Value::List(list) => list.iter().flat_map(Value::ids).collect(),
            Value::Null
            | Value::Bool(_)
            | Value::Int(_)
            | Value::Text(_)
            | Value::Time(_)
            | Value::Texts(_) => Vec::new(),
        }
    }

    /// Whether the value is one of the two set shapes.
    pub fn is_set(&self) -> bool {
        matches!(self, Value::Texts(_) | Value::Ids(_))
    }

    /// Adds `element` to a set value (or to `Null`, which stands for the empty set). Returns
    /// `None` when the value is not a set of the element's kind.
    pub fn with_element(&self, element: &Element) -> Option<Value> {
        let mut value = self.clone();
        match (&mut value, element) {
            (Value::Null, Element::Text(t)) => return Some(Value::Texts([t.clone()].into())),
            (Value::Null, Element::Id(id)) => return Some(Value::Ids([*id].into())),
            (Value::Texts(set), Element::Text(t)) => {
                set.insert(t.clone());
            }
            (Value::Ids(set), Element::Id(id)) => {
                set.insert(*id);
            }
            _ => return None,
        }
        Some(value)
    }

    /// Removes `element` from a set value. Returns `None` when the value is not a set of the
    /// element's kind.
    pub fn without_element(&self, element: &Element) -> Option<Value> {
        let mut value = self.clone();
        match (&mut value, element) {
            (Value::Null, _) => {}
            (Value::Texts(set), Element::Text(t)) => {
                set.remove(t);
            }
            (Value::Ids(set), Element::Id(id)) => {
                set.remove(id);
            }
            _ => return None,
        }
        Some(value)
    }
}

/// One element of a set-valued field, for `AddToSet` and `RemoveFromSet`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Element {
    /// An element of a set of texts.
    Text(String),
    /// An element of a set of references.
    Id(RecordId),
}

impl Element {
    /// Whether the element is a reference to `id`.
    pub fn mentions(&self, id: RecordId) -> bool {
        matches!(self, Element::Id(x) if *x == id)
    }
}

/// The collections, one per kind of record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Collection {
    /// Nations and regions, constituencies and wards.
    Area,
    /// People we are in contact with.
    Person,
    /// Community organisations.
    Organisation,
    /// Conversations (append-only).
    Conversation,
    /// Issues, a taxonomy per area.
    Issue,
    /// Stories (append-only).
    Story,
    /// Meetings.
    Meeting,
    /// Attendance entries (append-only).
    Attendance,
    /// Campaigns.
    Campaign,
    /// Walk lists and call lists.
    List,
    /// Scripts.
    Script,
    /// Surveys.
    Survey,
    /// Answers to surveys (append-only).
    SurveyResponse,
    /// Users of the app.
    User,
    /// Roles given to users in areas.
    RoleAssignment,
    /// An organiser's one-to-ones with people.
    OneToOne,
    /// Organisers' weekly targets of one-to-ones (append-only).
    WeeklyTarget,
    /// The rungs of the organisation's ladder of engagement.
    Rung,
    /// People's moves on the ladder (append-only).
    LadderMove,
    /// The community map's links: a person's tie to an organisation or to another person.
    Link,
    /// Campaigns' logs of actions done and planned.
    CampaignAction,
    /// Who was trained in which module, and when (append-only).
    Training,
    /// One person merged into another, with what it changed, so it can be undone.
    Merge,
}

impl Collection {
    /// Every collection.
    pub const ALL: [Collection; 23] = [
        Collection::Area,
        Collection::Person,
        Collection::Organisation,
        Collection::Conversation,
        Collection::Issue,
        Collection::Story,
        Collection::Meeting,
        Collection::Attendance,
        Collection::Campaign,
        Collection::List,
        Collection::Script,
        Collection::Survey,
        Collection::SurveyResponse,
        Collection::User,
        Collection::RoleAssignment,
        Collection::OneToOne,
        Collection::WeeklyTarget,
        Collection::Rung,
        Collection::LadderMove,
        Collection::Link,
        Collection::CampaignAction,
        Collection::Training,
        Collection::Merge,
    ];

    /// Whether records of this collection are only ever created, never edited field by field.
    ///
    /// Conversations, attendance, stories and survey responses are facts about something
    /// that happened; many volunteers record them at once, offline. Because nobody edits them
    /// in place their creation can never conflict. Their set-valued fields still accept
    /// `AddToSet`/`RemoveFromSet` (tagging a conversation with an issue afterwards), which
    /// merge by element and never conflict either; a mistaken entry is deleted.
    ///
    /// A weekly target is one too: a new target is a new record from a later week, so the
    /// targets of past weeks stay as they were. So is a move on the ladder: a person's rung
    /// is their latest move, and the moves before it are their history. So is a training:
    /// someone was trained on a day, and a mistaken record is deleted.
    pub fn is_append_only(self) -> bool {
        matches!(
            self,
            Collection::Conversation
                | Collection::Attendance
                | Collection::Story
                | Collection::SurveyResponse
                | Collection::WeeklyTarget
                | Collection::LadderMove
                | Collection::Training
        )
    }

    /// The set-valued fields of this collection: `AddToSet` and `RemoveFromSet` apply to
    /// these and only these, and they merge element by element instead of conflicting.
    pub fn set_fields(self) -> &'static [&'static str] {
        match self {
            Collection::Person => model::Person::SET_FIELDS,
            Collection::Organisation => model::Organisation::SET_FIELDS,
            Collection::Conversation => model::Conversation::SET_FIELDS,
            Collection::Campaign => model::Campaign::SET_FIELDS,
            Collection::List => model::List::SET_FIELDS,
            Collection::Attendance => model::Attendance::SET_FIELDS,
            Collection::OneToOne => model::OneToOne::SET_FIELDS,
            Collection::Area
            | Collection::Issue
            | Collection::Story
            | Collection::Meeting
            | Collection::Script
            | Collection::Survey
            | Collection::SurveyResponse
            | Collection::User
            | Collection::RoleAssignment
            | Collection::WeeklyTarget
            | Collection::Rung
            | Collection::LadderMove
            | Collection::Link
            | Collection::CampaignAction
            | Collection::Training
            | Collection::Merge => &[],
        }
    }

    /// Whether `field` is one of this collection's set-valued fields.
    pub fn is_set_field(self, field: &str) -> bool {
        self.set_fields().contains(&field)
    }

    /// Every field of this collection that holds ids, with what the ids name. A written
    /// record may hold ids only in these fields, and every id that names a record must name
    /// one its writer may see: see [`crate::reference`].
    pub fn reference_fields(self) -> &'static [(&'static str, RefersTo)] {
        use Collection as C;
        use RefersTo::{Nothing, Record as R};
        match self {
            C::Area => &[("parent", R(C::Area))],
            C::Person => &[
                ("household", Nothing),
                ("merged_into", R(C::Person)),
                ("not_same_as", R(C::Person)),
            ],
            C::Organisation => &[],
            C::Conversation => &[
                ("by", R(C::User)),
                ("person", R(C::Person)),
                ("issues", R(C::Issue)),
                ("list", R(C::List)),
            ],
            C::Issue => &[("parent", R(C::Issue))],
            C::Story => &[("person", R(C::Person)), ("issue", R(C::Issue))],
            C::Meeting => &[
                ("host", R(C::User)),
                ("speaker", R(C::Person)),
                ("campaign", R(C::Campaign)),
                ("grew_from", R(C::Meeting)),
                ("from_conversation", R(C::Conversation)),
            ],
            C::Attendance => &[
                ("meeting", R(C::Meeting)),
                ("person", R(C::Person)),
                ("matched", R(C::Person)),
                ("issues", R(C::Issue)),
            ],
            C::Campaign => &[
                ("issues", R(C::Issue)),
                ("people", R(C::Person)),
                ("organisations", R(C::Organisation)),
                ("meetings", R(C::Meeting)),
                ("lists", R(C::List)),
            ],
            C::List => &[
                ("members", R(C::Person)),
                ("assignees", R(C::User)),
                ("campaign", R(C::Campaign)),
                ("script", R(C::Script)),
                ("survey", R(C::Survey)),
            ],
            C::Script => &[("campaign", R(C::Campaign))],
            C::Survey => &[],
            C::SurveyResponse => &[("survey", R(C::Survey)), ("person", R(C::Person))],
            C::User => &[("person", R(C::Person))],
            C::RoleAssignment => &[("user", R(C::User))],
            C::OneToOne => &[
                ("person", R(C::Person)),
                ("issues", R(C::Issue)),
                ("story", R(C::Story)),
                ("organisation", R(C::Organisation)),
            ],
            C::WeeklyTarget => &[("organiser", R(C::User))],
            C::Rung => &[],
            C::LadderMove => &[
                ("person", R(C::Person)),
                ("rung", R(C::Rung)),
                ("one_to_one", R(C::OneToOne)),
                ("meeting", R(C::Meeting)),
            ],
            C::Link => &[
                ("person", R(C::Person)),
                ("organisation", R(C::Organisation)),
                ("other", R(C::Person)),
            ],
            C::CampaignAction => &[("campaign", R(C::Campaign))],
            C::Training => &[("person", R(C::Person)), ("meeting", R(C::Meeting))],
            // What a merge changed and repointed holds ids only to be taken back: the server
            // judges each repointed record when it follows the merge.
            C::Merge => &[
                ("kept", R(C::Person)),
                ("gone", R(C::Person)),
                ("kept_changes", Nothing),
                ("repointed", Nothing),
                ("deleted_links", Nothing),
            ],
        }
    }

    /// What the ids in `field` name, if the field may hold ids at all.
    pub fn refers_to(self, field: &str) -> Option<RefersTo> {
        self.reference_fields()
            .iter()
            .find(|(name, _)| *name == field)
            .map(|&(_, to)| to)
    }

    /// The most elements the set field `field` may hold. Stated so that no record grows
    /// without bound: a walk or call list holds up to 5,000 people; any other set, 100.
    pub fn max_set_len(self, field: &str) -> usize {
        match (self, field) {
            (Collection::List, "members") => MAX_LIST_MEMBERS,
            _ => MAX_SET_LEN,
        }
    }

    /// For records about one person (a conversation with them, their attendance, their
    /// story, their survey answers, a one-to-one with them, their moves on the ladder, their
    /// links on the community map, their trainings, and a merge of someone into them), the
    /// field holding that person. Erasing the person erases these records with them.
    pub fn person_field(self) -> Option<&'static str> {
        match self {
            Collection::Conversation
            | Collection::Attendance
            | Collection::Story
            | Collection::SurveyResponse
            | Collection::OneToOne
            | Collection::LadderMove
            | Collection::Link
            | Collection::Training => Some("person"),
            Collection::Merge => Some("kept"),
            _ => None,
        }
    }

    /// Whether records of this collection may be about a person ([`Record::about`]): those
    /// with a person field, and people, who are about whoever they were merged into.
    pub fn may_be_about(self) -> bool {
        self == Collection::Person || self.person_field().is_some()
    }

    /// Validates and normalises a record of this collection by converting it to its typed
    /// struct and back: the result is the canonical record (phone numbers in E.164, every
    /// field present).
    pub fn normalise(self, record: &Record) -> Result<Record, Vec<FieldProblem>> {
        fn via<T: Entity>(record: &Record) -> Result<Record, Vec<FieldProblem>> {
            T::from_record(record).map(|typed| typed.to_record())
        }
        match self {
            Collection::Area => via::<crate::area::Area>(record),
            Collection::Person => via::<model::Person>(record),
            Collection::Organisation => via::<model::Organisation>(record),
            Collection::Conversation => via::<model::Conversation>(record),
            Collection::Issue => via::<model::Issue>(record),
            Collection::Story => via::<model::Story>(record),
            Collection::Meeting => via::<model::Meeting>(record),
            Collection::Attendance => via::<model::Attendance>(record),
            Collection::Campaign => via::<model::Campaign>(record),
            Collection::List => via::<model::List>(record),
            Collection::Script => via::<model::Script>(record),
            Collection::Survey => via::<model::Survey>(record),
            Collection::SurveyResponse => via::<model::SurveyResponse>(record),
            Collection::User => via::<model::User>(record),
            Collection::RoleAssignment => via::<model::RoleAssignment>(record),
            Collection::OneToOne => via::<model::OneToOne>(record),
            Collection::WeeklyTarget => via::<model::WeeklyTarget>(record),
            Collection::Rung => via::<model::Rung>(record),
            Collection::LadderMove => via::<model::LadderMove>(record),
            Collection::Link => via::<model::Link>(record),
            Collection::CampaignAction => via::<model::CampaignAction>(record),
            Collection::Training => via::<model::Training>(record),
            Collection::Merge => via::<model::Merge>(record),
        }
    }

    /// The set fields of `record` that hold more than [`Collection::max_set_len`]. Checked
    /// when a set is created or grows, never when it shrinks, so a set that is somehow too
    /// big can always be made smaller.
    pub fn oversized_sets(self, record: &Record) -> Vec<FieldProblem> {
        self.set_fields()
            .iter()
            .filter_map(|&field| {
                let len = match record.get(field) {
                    Value::Texts(set) => set.len(),
                    Value::Ids(set) => set.len(),
                    _ => 0,
                };
                let max = self.max_set_len(field);
                (len > max).then(|| {
                    FieldProblem::new(
                        field,
                        Problem::TooMany {
                            max: i64::try_from(max).unwrap_or(i64::MAX),
                        },
                    )
                })
            })
            .collect()
    }
}

/// The most people one list holds.
pub const MAX_LIST_MEMBERS: usize = 5_000;
/// The most elements any other set field holds (tags, skills, issues, assignees).
pub const MAX_SET_LEN: usize = 100;

/// What the ids in a reference field name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RefersTo {
    /// Records of this collection.
    Record(Collection),
    /// No record: an id that only groups records (a household groups people), and so opens
    /// no door to anything.
    Nothing,
}

impl fmt::Display for Collection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Collection::Area => "area",
            Collection::Person => "person",
            Collection::Organisation => "organisation",
            Collection::Conversation => "conversation",
            Collection::Issue => "issue",
            Collection::Story => "story",
            Collection::Meeting => "meeting",
            Collection::Attendance => "attendance",
            Collection::Campaign => "campaign",
            Collection::List => "list",
            Collection::Script => "script",
            Collection::Survey => "survey",
            Collection::SurveyResponse => "survey_response",
            Collection::User => "user",
            Collection::RoleAssignment => "role_assignment",
            Collection::OneToOne => "one_to_one",
            Collection::WeeklyTarget => "weekly_target",
            Collection::Rung => "rung",
            Collection::LadderMove => "ladder_move",
            Collection::Link => "link",
            Collection::CampaignAction => "campaign_action",
            Collection::Training => "training",
            Collection::Merge => "merge",
        };
        f.write_str(name)
    }
}

/// A record of any collection, as it travels and is stored by the sync protocol.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Record {
    /// Which collection it belongs to.
    pub collection: Collection,
    /// Its id, minted by the device that created it.
    pub id: RecordId,
    /// The area it belongs to; every record belongs to one, and permissions follow it.
    pub area: AreaId,
    /// The user who created it (stamped by the server from the authenticated user).
    pub created_by: UserId,
    /// Its fields by name.
    pub fields: BTreeMap<FieldName, Value>,
}

impl Record {
    /// An empty record.
    pub fn new(collection: Collection, id: RecordId, area: AreaId, created_by: UserId) -> Self {
        Self {
            collection,
            id,
            area,
            created_by,
            fields: BTreeMap::new(),
        }
    }

    /// Sets a field, returning the record (for building records in one expression).
    pub fn with(mut self, field: &'static str, value: impl Into<Value>) -> Self {
        self.fields.insert(FieldName::fixed(field), value.into());
        self
    }

    /// A field's value; an absent field reads as `Null`.
    pub fn get(&self, field: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.fields.get(field).unwrap_or(&NULL)
    }

    /// A reference field's value, if it holds one.
    pub fn get_id(&self, field: &str) -> Option<RecordId> {
        match self.get(field) {
            Value::Id(id) => Some(*id),
            _ => None,
        }
    }

    /// The person the record is about, for collections that have one: whom its person field
    /// names, or for an attendance of someone a sign-in kit recognised, whom it matched. A
    /// person merged into another is about the person kept, so they go with them when that
    /// person is erased and are in their export.
    pub fn about(&self) -> Option<RecordId> {
        if self.collection == Collection::Person {
            return self.get_id("merged_into");
        }
        let field = self.collection.person_field()?;
        self.get_id(field).or_else(|| match self.collection {
            Collection::Attendance => self.get_id("matched"),
            _ => None,
        })
    }

    /// A text field's value, if it holds one.
    pub fn get_text(&self, field: &str) -> Option<&str> {
        match self.get(field) {
            Value::Text(text) => Some(text),
            _ => None,
        }
    }

    /// Whether any field refers to `id`, or the record is `id` itself.
    pub fn mentions(&self, id: RecordId) -> bool {
        self.id == id || self.fields.values().any(|v| v.mentions(id))
    }
}

impl From<&str> for Value {
    fn from(text: &str) -> Self {
        Value::Text(text.to_owned())
    }
}
impl From<String> for Value {
    fn from(text: String) -> Self {
        Value::Text(text)
    }
}
impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}
impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Int(n)
    }
}
impl From<Timestamp> for Value {
    fn from(t: Timestamp) -> Self {
        Value::Time(t)
    }
}
/// A day is stored as its date, `"YYYY-MM-DD"`, so records stay readable and sort by text.
impl From<Day> for Value {
    fn from(day: Day) -> Self {
        Value::Text(day.to_string())
    }
}
impl From<RecordId> for Value {
    fn from(id: RecordId) -> Self {
        Value::Id(id)
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(value: Option<T>) -> Self {
        value.map_or(Value::Null, Into::into)
    }
}

/// A typed record: a struct with its own fields that converts to and from a [`Record`].
pub trait Entity: Sized + Clone {
    /// The collection it belongs to.
    const COLLECTION: Collection;
    /// Its set-valued fields (see [`Collection::set_fields`]).
    const SET_FIELDS: &'static [&'static str] = &[];

    /// Its id.
    fn id(&self) -> RecordId;

    /// Converts to the generic record, with every field present (optional ones as `Null`).
    fn to_record(&self) -> Record;

    /// Reads the typed struct from fields, reporting every missing, mistyped or unknown
    /// field, without validating values. Use [`Entity::from_record`].
    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>>;

    /// Validates every field and returns the struct with its values normalised (phone in
    /// E.164, postcode in canonical form, names trimmed), or every problem found.
    fn normalised(self) -> Result<Self, Vec<FieldProblem>>;

    /// Reads, validates and normalises a record.
    fn from_record(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        Self::read(record)?.normalised()
    }

    /// Every problem with the struct's values; empty when it is valid.
    fn validate(&self) -> Vec<FieldProblem> {
        self.clone().normalised().err().unwrap_or_default()
    }
}

/// An enumerated choice stored as text (`"doorstep"`, `"volunteer"`).
pub trait Choice: Sized + Copy + 'static {
    /// Every choice, in the order a form offers them.
    const ALL: &'static [Self];
    /// The stored spelling.
    fn as_str(self) -> &'static str;
    /// Parses the stored spelling.
    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.as_str() == text)
    }
    /// The allowed spellings, for [`Problem::NotAChoice`].
    fn allowed() -> Vec<String> {
        Self::ALL.iter().map(|c| c.as_str().to_owned()).collect()
    }
}

/// Declares an enumerated choice with its stored spellings.
macro_rules! choice {
    ($(#[$doc:meta])* pub enum $name:ident { $($(#[$vdoc:meta])* $variant:ident = $text:literal,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant,)*
        }

        impl $crate::record::Choice for $name {
            const ALL: &'static [Self] = &[$($name::$variant,)*];
            fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)*
                }
            }
        }

        impl From<$name> for $crate::record::Value {
            fn from(choice: $name) -> Self {
                $crate::record::Value::Text($crate::record::Choice::as_str(choice).to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::record::Choice::as_str(*self))
            }
        }
    };
}
pub(crate) use choice;

/// Reads typed values out of a record's fields, collecting every problem. A missing or
/// mistyped required field reads as a default value and records a problem, so reading goes
/// on and reports everything at once; [`Reader::finish`] then fails.
pub struct Reader<'a> {
    record: &'a Record,
    read: BTreeSet<&'static str>,
    problems: Problems,
}

impl<'a> Reader<'a> {
    /// Starts reading `record`, which should belong to `collection`.
    pub fn new(record: &'a Record, collection: Collection) -> Self {
        let mut problems = Problems::default();
        if record.collection != collection {
            problems.push(
                "collection",
                Problem::WrongType {
                    expected: format!("a {collection} record"),
                },
            );
        }
        Self {
            record,
            read: BTreeSet::new(),
            problems,
        }
    }

    fn value(&mut self, field: &'static str) -> &'a Value {
        self.read.insert(field);
        self.record.get(field)
    }

    fn wrong(&mut self, field: &'static str, expected: &str) {
        self.problems.push(
            field,
            Problem::WrongType {
                expected: expected.to_owned(),
            },
        );
    }

    /// An optional text field.
    pub fn opt_text(&mut self, field: &'static str) -> Option<String> {
        match self.value(field) {
            Value::Null => None,
            Value::Text(t) => Some(t.clone()),
            _ => {
                self.wrong(field, "text");
                None
            }
        }
    }

    /// A required text field.
    pub fn text(&mut self, field: &'static str) -> String {
        let text = self.opt_text(field);
        self.required(field, text).unwrap_or_default()
    }

    /// An optional yes-or-no field (absent reads as no).
    pub fn flag(&mut self, field: &'static str) -> bool {
        match self.value(field) {
            Value::Null => false,
            Value::Bool(b) => *b,
            _ => {
                self.wrong(field, "yes or no");
                false
            }
        }
    }

    /// An optional whole number.
    pub fn opt_int(&mut self, field: &'static str) -> Option<i64> {
        match self.value(field) {
            Value::Null => None,
            Value::Int(n) => Some(*n),
            _ => {
                self.wrong(field, "a number");
                None
            }
        }
    }

    /// A required whole number.
    pub fn int(&mut self, field: &'static str) -> i64 {
        let n = self.opt_int(field);
        self.required(field, n).unwrap_or_default()
    }

    /// An optional time.
    pub fn opt_time(&mut self, field: &'static str) -> Option<Timestamp> {
        match self.value(field) {
            Value::Null => None,
            Value::Time(t) => Some(*t),
            _ => {
                self.wrong(field, "a time");
                None
            }
        }
    }

    /// A required time.
    pub fn time(&mut self, field: &'static str) -> Timestamp {
        let time = self.opt_time(field);
        self.required(field, time).unwrap_or_default()
    }

    /// An optional day, written `"YYYY-MM-DD"`.
    pub fn opt_day(&mut self, field: &'static str) -> Option<Day> {
        let text = self.opt_text(field)?;
        let day = Day::parse(&text);
        if day.is_none() {
            self.wrong(field, "a date (YYYY-MM-DD)");
        }
        day
    }

    /// A required day; a missing one reads as 1970-01-01.
    pub fn day(&mut self, field: &'static str) -> Day {
        let day = self.opt_day(field);
        self.required(field, day).unwrap_or(Day::EPOCH)
    }

    /// An optional reference.
    pub fn opt_id<T: From<RecordId>>(&mut self, field: &'static str) -> Option<T> {
        match self.value(field) {
            Value::Null => None,
            Value::Id(id) => Some(T::from(*id)),
            _ => {
                self.wrong(field, "a reference");
                None
            }
        }
    }

    /// A required reference.
    pub fn id<T: From<RecordId>>(&mut self, field: &'static str) -> T {
        let id = self.opt_id::<RecordId>(field);
        T::from(self.required(field, id).unwrap_or(RecordId::from_u128(0)))
    }

    /// A set of texts (absent reads as empty).
    pub fn texts(&mut self, field: &'static str) -> BTreeSet<String> {
        match self.value(field) {
            Value::Null => BTreeSet::new(),
            Value::Texts(set) => set.clone(),
            _ => {
                self.wrong(field, "a set of texts");
                BTreeSet::new()
            }
        }
    }

    /// A set of enumerated choices, kept as their spellings (absent reads as empty).
    pub fn choices<C: Choice + Ord>(&mut self, field: &'static str) -> BTreeSet<C> {
        let texts = self.texts(field);
        let mut choices = BTreeSet::new();
        for text in &texts {
            match C::parse(text) {
                Some(choice) => {
                    choices.insert(choice);
                }
                None => self.problems.push(
                    field,
                    Problem::NotAChoice {
                        allowed: C::allowed(),
                    },
                ),
            }
        }
        choices
    }

    /// A set of references (absent reads as empty).
    pub fn ids<T: From<RecordId> + Ord>(&mut self, field: &'static str) -> BTreeSet<T> {
        match self.value(field) {
            Value::Null => BTreeSet::new(),
            Value::Ids(set) => set.iter().map(|id| T::from(*id)).collect(),
            _ => {
                self.wrong(field, "a set of references");
                BTreeSet::new()
            }
        }
    }

    /// An optional enumerated choice.
    pub fn opt_choice<C: Choice>(&mut self, field: &'static str) -> Option<C> {
        let text = self.opt_text(field)?;
        let choice = C::parse(&text);
        if choice.is_none() {
            self.problems.push(
                field,
                Problem::NotAChoice {
                    allowed: C::allowed(),
                },
            );
        }
        choice
    }

    /// A required enumerated choice; a missing one reads as the first choice.
    pub fn choice<C: Choice>(&mut self, field: &'static str) -> C {
        let choice = self.opt_choice(field);
        self.required(field, choice).unwrap_or(C::ALL[0])
    }

    /// An optional structure.
    pub fn opt_map(&mut self, field: &'static str) -> Option<&'a BTreeMap<String, Value>> {
        match self.value(field) {
            Value::Null => None,
            Value::Map(map) => Some(map),
            _ => {
                self.wrong(field, "a structure");
                None
            }
        }
    }

    /// A list (absent reads as empty).
    pub fn list(&mut self, field: &'static str) -> &'a [Value] {
        match self.value(field) {
            Value::Null => &[],
            Value::List(list) => list,
            _ => {
                self.wrong(field, "a list");
                &[]
            }
        }
    }

    /// A field this collection no longer has, accepted on records stored before it was
    /// dropped and ignored; the record as written back no longer holds it.
    pub fn legacy(&mut self, field: &'static str) {
        self.read.insert(field);
    }

    /// Records a problem found while interpreting a field's value.
    pub fn problem(&mut self, field: &'static str, problem: Problem) {
        self.problems.push(field, problem);
    }

    fn required<T>(&mut self, field: &'static str, value: Option<T>) -> Option<T> {
        if value.is_none() && matches!(self.record.get(field), Value::Null) {
            self.problems.push(field, Problem::Missing);
        }
        value
    }

    /// Ends reading: every field not read is unknown to the collection and reported, then
    /// `value` is returned if there was no problem.
    pub fn finish<T>(mut self, value: T) -> Result<T, Vec<FieldProblem>> {
        for field in self.record.fields.keys() {
            if !self.read.contains(field.as_str()) {
                self.problems
                    .0
                    .push(FieldProblem::new(field.clone(), Problem::UnknownField));
            }
        }
        self.problems.finish().map(|()| value)
    }
}
