//! Merges of duplicate people: the record of one person (`gone`) merged into another
//! (`kept`), holding what the merge changed so that it can be undone.
//!
//! A merge is about the person kept: it sits in their area, goes when they are erased and is
//! read and made by organisers and admins of that area who also organise the gone person's
//! ([`crate::permission::Permissions`], [`crate::reference`]). It is never edited but to mark
//! it undone, and never deleted. [`crate::merge`] makes one, and takes one back.

use crate::id::{AreaId, MergeId, PersonId, RecordId, Timestamp, UserId};
use crate::model::{ConsentTopic, LinkKind};
use crate::record::{Choice, Collection, Entity, Reader, Record, RefersTo, Value};
use crate::validate::{FieldProblem, MAX_SHORT_TEXT, Problem, Problems};
use std::collections::BTreeMap;

/// The kept person's fields a merge may change: the blanks it fills from the gone person,
/// the sets it unions and the consents it takes where the gone person's statement is later.
pub const MERGED_FIELDS: [&str; 13] = [
    "phone",
    "email",
    "address",
    "postcode",
    "household",
    "skills",
    "tags",
    "consent_phone",
    "consent_sms",
    "consent_email",
    "consent_contact",
    "consent_store_story",
    "consent_share_story",
];

/// The most records one merge repoints: more than anyone's history holds, and a bound on the
/// record's size.
pub const MAX_REPOINTED: usize = 10_000;

/// One field of the kept person that a merge changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeptChange {
    /// The field (one of [`MERGED_FIELDS`]).
    pub field: &'static str,
    /// Its value before the merge.
    pub before: Value,
    /// The value the merge put there.
    pub after: Value,
}

/// One reference to the gone person that a merge turned to the kept one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Repointed {
    /// The record's collection.
    pub collection: Collection,
    /// The record.
    pub record: RecordId,
    /// The field that named the gone person and now names the kept one.
    pub field: &'static str,
    /// For a set, whether it already held the kept person: the merge only took the gone one
    /// out, and an undo puts them back and leaves the kept one.
    pub kept_already: bool,
}

/// A link between the two people, deleted by the merge because it would have named one person
/// at both ends; an undo makes it anew.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletedLink {
    /// The link's id when it was deleted (a deleted id is never used again).
    pub id: RecordId,
    /// Whom it was about.
    pub person: PersonId,
    /// The other person.
    pub other: PersonId,
    /// What the tie was.
    pub kind: LinkKind,
    /// Their role, if one was given.
    pub role: Option<String>,
}

/// One person merged into another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Merge {
    /// Its id.
    pub id: MergeId,
    /// The kept person's area, where it is visible.
    pub area: AreaId,
    /// Who merged them (stamped by the server).
    pub made_by: UserId,
    /// The person kept, who holds everything now.
    pub kept: PersonId,
    /// The person merged away: kept, hidden, pointing at the kept one.
    pub gone: PersonId,
    /// When, by the device's clock.
    pub at: Timestamp,
    /// The kept person's fields the merge changed, with their values before and after, in
    /// field order.
    pub kept_changes: Vec<KeptChange>,
    /// Every reference to the gone person the merge turned to the kept one.
    pub repointed: Vec<Repointed>,
    /// The links between the two it deleted.
    pub deleted_links: Vec<DeletedLink>,
    /// When it was undone, if it was.
    pub undone: Option<Timestamp>,
}

impl Merge {
    /// What the merge changed of the kept person's `field`, if anything.
    pub fn kept_change(&self, field: &str) -> Option<&KeptChange> {
        self.kept_changes.iter().find(|c| c.field == field)
    }
}

/// `field` as one of the static names `names` holds.
fn known(names: &[&'static str], field: &str) -> Option<&'static str> {
    names.iter().copied().find(|&name| name == field)
}

fn map(entries: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    Value::Map(
        entries
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
    )
}

impl KeptChange {
    fn to_value(&self) -> Value {
        map([
            ("before", self.before.clone()),
            ("after", self.after.clone()),
        ])
    }
}

impl Repointed {
    fn to_value(self) -> Value {
        map([
            ("collection", Value::Text(self.collection.to_string())),
            ("record", Value::Id(self.record)),
            ("field", Value::Text(self.field.to_owned())),
            ("kept_already", Value::Bool(self.kept_already)),
        ])
    }

    fn from_value(value: &Value) -> Option<Self> {
        let Value::Map(m) = value else { return None };
        let (
            Some(Value::Text(collection)),
            Some(Value::Id(record)),
            Some(Value::Text(field)),
            Some(Value::Bool(kept_already)),
        ) = (
            m.get("collection"),
            m.get("record"),
            m.get("field"),
            m.get("kept_already"),
        )
        else {
            return None;
        };
        (m.len() == 4).then_some(())?;
        let collection = Collection::ALL
            .into_iter()
            .find(|c| c.to_string() == *collection)?;
        let field = collection
            .reference_fields()
            .iter()
            .find(|(name, to)| name == field && *to == RefersTo::Record(Collection::Person))?
            .0;
        Some(Repointed {
            collection,
            record: *record,
            field,
            kept_already: *kept_already,
        })
    }
}

impl DeletedLink {
    fn to_value(&self) -> Value {
        map([
            ("id", Value::Id(self.id)),
            ("person", Value::Id(self.person.0)),
            ("other", Value::Id(self.other.0)),
            ("kind", self.kind.into()),
            ("role", self.role.clone().into()),
        ])
    }

    fn from_value(value: &Value) -> Option<Self> {
        let Value::Map(m) = value else { return None };
        let (Some(Value::Id(id)), Some(Value::Id(person)), Some(Value::Id(other))) =
            (m.get("id"), m.get("person"), m.get("other"))
        else {
            return None;
        };
        let kind = match m.get("kind") {
            Some(Value::Text(kind)) => LinkKind::parse(kind)?,
            _ => return None,
        };
        let role = match m.get("role") {
            Some(Value::Text(role)) => Some(role.clone()),
            Some(Value::Null) | None => None,
            _ => return None,
        };
        (m.keys()
            .all(|k| ["id", "person", "other", "kind", "role"].contains(&k.as_str())))
        .then_some(())?;
        Some(DeletedLink {
            id: *id,
            person: PersonId(*person),
            other: PersonId(*other),
            kind,
            role,
        })
    }
}

impl Entity for Merge {
    const COLLECTION: Collection = Collection::Merge;

    fn id(&self) -> RecordId {
        self.id.0
    }

    fn to_record(&self) -> Record {
        let changes: BTreeMap<String, Value> = self
            .kept_changes
            .iter()
            .map(|c| (c.field.to_owned(), c.to_value()))
            .collect();
        Record::new(Collection::Merge, self.id.0, self.area, self.made_by)
            .with("kept", self.kept.0)
            .with("gone", self.gone.0)
            .with("at", self.at)
            .with("kept_changes", Value::Map(changes))
            .with(
                "repointed",
                Value::List(self.repointed.iter().map(|r| r.to_value()).collect()),
            )
            .with(
                "deleted_links",
                Value::List(
                    self.deleted_links
                        .iter()
                        .map(DeletedLink::to_value)
                        .collect(),
                ),
            )
            .with("undone", self.undone)
    }

    fn read(record: &Record) -> Result<Self, Vec<FieldProblem>> {
        let mut r = Reader::new(record, Collection::Merge);
        let wrong = |expected: &str| Problem::WrongType {
            expected: expected.to_owned(),
        };
        let mut kept_changes = Vec::new();
        for (field, value) in r.opt_map("kept_changes").into_iter().flatten() {
            let change = match (known(&MERGED_FIELDS, field), value) {
                (Some(field), Value::Map(m)) if m.len() == 2 => m
                    .get("before")
                    .zip(m.get("after"))
                    .map(|(before, after)| KeptChange {
                        field,
                        before: before.clone(),
                        after: after.clone(),
                    }),
                _ => None,
            };
            match change {
                Some(change) => kept_changes.push(change),
                None => r.problem(
                    "kept_changes",
                    wrong("a change of a merged field: before and after"),
                ),
            }
        }
        let mut repointed = Vec::new();
        for value in r.list("repointed") {
            match Repointed::from_value(value) {
                Some(entry) => repointed.push(entry),
                None => r.problem(
                    "repointed",
                    wrong("a collection, record and field that names a person"),
                ),
            }
        }
        let mut deleted_links = Vec::new();
        for value in r.list("deleted_links") {
            match DeletedLink::from_value(value) {
                Some(link) => deleted_links.push(link),
                None => r.problem(
                    "deleted_links",
                    wrong("a link: id, person, other, kind and role"),
                ),
            }
        }
        let merge = Merge {
            id: record.id.into(),
            area: record.area,
            made_by: record.created_by,
            kept: r.id("kept"),
            gone: r.id("gone"),
            at: r.time("at"),
            kept_changes,
            repointed,
            deleted_links,
            undone: r.opt_time("undone"),
        };
        r.finish(merge)
    }

    fn normalised(mut self) -> Result<Self, Vec<FieldProblem>> {
        let mut p = Problems::default();
        if self.kept == self.gone {
            p.push("gone", Problem::SelfReference);
        }
        let consent = |field: &str| ConsentTopic::ALL.iter().any(|t| t.field() == field);
        let fits = |change: &KeptChange| match change.field {
            "household" => matches!(change.after, Value::Id(_)),
            "skills" | "tags" => matches!(change.after, Value::Texts(_)),
            field if consent(field) => matches!(change.after, Value::Map(_)),
            _ => matches!(&change.after, Value::Text(t) if t.chars().count() <= MAX_SHORT_TEXT),
        };
        if !self.kept_changes.iter().all(fits) {
            p.push(
                "kept_changes",
                Problem::WrongType {
                    expected: "the value a merge puts in the field".into(),
                },
            );
        }
        let both = [self.kept, self.gone];
        if self.deleted_links.iter().any(|l| {
            l.kind.is_to_organisation()
                || l.person == l.other
                || !both.contains(&l.person)
                || !both.contains(&l.other)
        }) {
            p.push(
                "deleted_links",
                Problem::OnlyWhen {
                    condition: "the link ties the two people merged".into(),
                },
            );
        }
        if self
            .repointed
            .iter()
            .any(|r| r.collection == Collection::Merge)
        {
            p.push(
                "repointed",
                Problem::OnlyWhen {
                    condition: "the record is not another merge".into(),
                },
            );
        }
        if self.repointed.len() > MAX_REPOINTED {
            p.push(
                "repointed",
                Problem::TooMany {
                    max: MAX_REPOINTED as i64,
                },
            );
        }
        crate::order::sort_by_key(&mut self.kept_changes, |c| c.field);
        self.kept_changes.dedup_by_key(|c| c.field);
        p.finish().map(|()| self)
    }
}
