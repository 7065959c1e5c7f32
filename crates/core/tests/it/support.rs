//! Shared fixtures: a small synthetic organisation (areas, users, roles), a renderer that
//! prints ids by name, so snapshots read as prose, and saving a replica to the in-memory
//! device store; and the small pieces the permission tests build changes from (a mutation
//! that creates, edits or deletes a record, a crafted push by a user, a refusal's problems).

use organise_core::id::{AreaId, PersonId, RecordId, UserId};
use organise_core::model::{Person, Role, RoleAssignment, Source, User};
use organise_core::record::Entity;
use organise_core::sync::{
    ClientId, LocalStore, MemoryLocalStore, Mutation, Op, Outcome, RecordKey, ReferenceServer,
    Rejection, Replica, Seq, Version, schema,
};
use organise_core::{Area, AreaKind, AreaTree, FieldProblem, Record, Value};
use std::collections::BTreeMap;
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll, Waker};

pub const COUNTRY: AreaId = AreaId::from_u128(0xA0);
pub const REGION: AreaId = AreaId::from_u128(0xA1);
pub const CONSTITUENCY: AreaId = AreaId::from_u128(0xA2);
pub const WARD_NORTH: AreaId = AreaId::from_u128(0xA3);
pub const WARD_SOUTH: AreaId = AreaId::from_u128(0xA4);
pub const OTHER_REGION: AreaId = AreaId::from_u128(0xA5);

pub const ADMIN: UserId = UserId::from_u128(0xB0);
pub const ORGANISER: UserId = UserId::from_u128(0xB1);
pub const VOLUNTEER: UserId = UserId::from_u128(0xB2);
pub const HOST: UserId = UserId::from_u128(0xB3);
pub const ORGANISER_2: UserId = UserId::from_u128(0xB4);

fn area(id: AreaId, name: &str, kind: AreaKind, parent: Option<AreaId>) -> Area {
    Area {
        id,
        created_by: ADMIN,
        name: name.into(),
        kind,
        parent,
    }
}

/// The areas: a country with two regions; one region has a constituency with two wards.
pub fn areas() -> Vec<Area> {
    vec![
        area(COUNTRY, "Testland", AreaKind::Country, None),
        area(REGION, "North Testshire", AreaKind::Region, Some(COUNTRY)),
        area(
            OTHER_REGION,
            "South Testshire",
            AreaKind::Region,
            Some(COUNTRY),
        ),
        area(
            CONSTITUENCY,
            "Exampleton",
            AreaKind::Constituency,
            Some(REGION),
        ),
        area(
            WARD_NORTH,
            "Exampleton North",
            AreaKind::Ward,
            Some(CONSTITUENCY),
        ),
        area(
            WARD_SOUTH,
            "Exampleton South",
            AreaKind::Ward,
            Some(CONSTITUENCY),
        ),
    ]
}

/// The tree of [`areas`], as the permission rules take it.
pub fn tree() -> AreaTree {
    AreaTree::new(&areas())
}

fn user(id: UserId, name: &str, area: AreaId) -> Record {
    User {
        id,
        area,
        created_by: ADMIN,
        name: name.into(),
        email: format!("{}@example.org", name.to_lowercase().replace(' ', ".")),
        person: None,
    }
    .to_record()
}

/// A role assignment with a deterministic id derived from the user and role.
pub fn role(user: UserId, role: Role, area: AreaId) -> Record {
    let n = user.0.0.as_u128() * 16 + role as u128;
    RoleAssignment {
        id: RecordId::from_u128(0xC000 + n).into(),
        area,
        created_by: ADMIN,
        user,
        role,
    }
    .to_record()
}

/// The whole seed: areas, users and their roles (admin of the country, organiser of the
/// constituency, volunteer and host in the north ward, a second organiser of the other
/// region).
pub fn seed() -> Vec<Record> {
    let mut records: Vec<Record> = areas().iter().map(Entity::to_record).collect();
    records.extend([
        user(ADMIN, "Ada Admin", COUNTRY),
        user(ORGANISER, "Olu Organiser", CONSTITUENCY),
        user(VOLUNTEER, "Vic Volunteer", WARD_NORTH),
        user(HOST, "Hal Host", WARD_NORTH),
        user(ORGANISER_2, "Ola Organiser", OTHER_REGION),
        role(ADMIN, Role::Admin, COUNTRY),
        role(ORGANISER, Role::Organiser, CONSTITUENCY),
        role(VOLUNTEER, Role::Volunteer, WARD_NORTH),
        role(HOST, Role::Host, WARD_NORTH),
        role(ORGANISER_2, Role::Organiser, OTHER_REGION),
    ]);
    records
}

/// A valid person in `area`, created by `by`.
pub fn person(id: RecordId, name: &str, area: AreaId, by: UserId) -> Record {
    Person::new(PersonId(id), area, by, name, Source::Doorstep).to_record()
}

/// A push request from `client_id` carrying `ops` in order from seq 1, as a crafted request
/// would (no replica checks them first).
pub fn crafted_push(
    client_id: organise_core::sync::ClientId,
    ops: impl IntoIterator<Item = (organise_core::sync::RecordKey, organise_core::sync::Op)>,
) -> organise_core::sync::PushRequest {
    use organise_core::sync::{Mutation, ProtocolVersion, PushRequest, Seq, schema};
    PushRequest {
        protocol: ProtocolVersion::CURRENT,
        client_id,
        acknowledged: Seq(0),
        mutations: ops
            .into_iter()
            .enumerate()
            .map(|(n, (key, op))| Mutation {
                client_id,
                seq: Seq(n as u64 + 1),
                schema_version: schema::CURRENT,
                collection: key.collection,
                record_id: key.id,
                op,
            })
            .collect(),
    }
}

/// A change creating `record` as it stands, as the first change of device 1.
pub fn create(record: &Record) -> Mutation {
    Mutation {
        client_id: ClientId::from_u128(1),
        seq: Seq(1),
        schema_version: schema::CURRENT,
        collection: record.collection,
        record_id: record.id,
        op: Op::Create {
            area: record.area,
            fields: record.fields.clone(),
        },
    }
}

/// A change setting `record`'s `field` to `value`, made on its first version.
pub fn set(record: &Record, field: &str, value: Value) -> Mutation {
    Mutation {
        op: Op::SetField {
            field: field.into(),
            value,
            base_version: Version(0),
        },
        ..create(record)
    }
}

/// A change deleting `record`, made on its first version.
pub fn delete(record: &Record) -> Mutation {
    Mutation {
        op: Op::Delete {
            base_version: Version(0),
        },
        ..create(record)
    }
}

/// The key and operation creating `record`, for [`crafted_push`] and [`push_as`].
pub fn creating(record: &Record) -> (RecordKey, Op) {
    (
        RecordKey {
            collection: record.collection,
            id: record.id,
        },
        Op::Create {
            area: record.area,
            fields: record.fields.clone(),
        },
    )
}

/// The outcomes of a push by `user` of `ops` through the reference server's checks, each push
/// from a new device (a crafted push numbers its changes from 1).
pub fn push_as(
    server: &mut ReferenceServer,
    user: UserId,
    ops: Vec<(RecordKey, Op)>,
) -> Vec<Outcome> {
    static DEVICES: AtomicU64 = AtomicU64::new(1);
    let device = DEVICES.fetch_add(1, Ordering::Relaxed);
    server
        .push(
            user,
            &crafted_push(ClientId::from_u128(0xA_0000 + u128::from(device)), ops),
        )
        .expect("a well-formed push")
        .outcomes
        .into_iter()
        .map(|o| o.outcome)
        .collect()
}

/// The problems `outcome` was refused for; panics if it was not refused as invalid.
pub fn refused_for(outcome: &Outcome) -> Vec<FieldProblem> {
    match outcome {
        Outcome::Rejected {
            rejection: Rejection::Invalid { problems },
        } => problems.clone(),
        other => panic!("expected a refusal for problems, got {other:?}"),
    }
}

/// Names for ids, so rendered output says `alice` rather than a UUID.
#[derive(Clone, Debug, Default)]
pub struct Names(pub BTreeMap<RecordId, String>);

impl Names {
    /// The fixture's well-known ids.
    pub fn standard() -> Self {
        let mut names = Names::default();
        for (id, name) in [
            (COUNTRY.0, "country"),
            (REGION.0, "region"),
            (OTHER_REGION.0, "other-region"),
            (CONSTITUENCY.0, "constituency"),
            (WARD_NORTH.0, "ward-north"),
            (WARD_SOUTH.0, "ward-south"),
            (ADMIN.0, "admin"),
            (ORGANISER.0, "organiser"),
            (VOLUNTEER.0, "volunteer"),
            (HOST.0, "host"),
            (ORGANISER_2.0, "organiser-2"),
        ] {
            names.0.insert(id, name.to_owned());
        }
        names
    }

    pub fn name(&self, id: RecordId) -> String {
        self.0
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("#{:x}", id.0.as_u128()))
    }

    pub fn value(&self, value: &Value) -> String {
        match value {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Text(t) => format!("{t:?}"),
            Value::Id(id) => self.name(*id),
            Value::Time(t) => t.to_string(),
            Value::Texts(set) => {
                format!("{{{}}}", set.iter().cloned().collect::<Vec<_>>().join(", "))
            }
            Value::Ids(set) => format!(
                "{{{}}}",
                set.iter()
                    .map(|id| self.name(*id))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::Map(map) => format!(
                "{{{}}}",
                map.iter()
                    .map(|(k, v)| format!("{k}: {}", self.value(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            Value::List(list) => format!(
                "[{}]",
                list.iter()
                    .map(|v| self.value(v))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// A record on one line, with only the fields that are not null or empty.
    pub fn record(&self, record: &Record) -> String {
        let fields: Vec<String> = record
            .fields
            .iter()
            .filter(|(_, v)| match v {
                Value::Null => false,
                Value::Texts(s) => !s.is_empty(),
                Value::Ids(s) => !s.is_empty(),
                Value::List(l) => !l.is_empty(),
                _ => true,
            })
            .map(|(k, v)| format!("{k}={}", self.value(v)))
            .collect();
        format!(
            "{} {} @{} {}",
            record.collection,
            self.name(record.id),
            self.name(record.area.0),
            fields.join(" ")
        )
    }
}

/// The output of a future that is ready at once, as the memory store's are, without an
/// async runtime.
pub fn ready<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    match future
        .as_mut()
        .poll(&mut Context::from_waker(Waker::noop()))
    {
        Poll::Ready(output) => output,
        Poll::Pending => panic!("the memory store's futures are ready at once"),
    }
}

/// Writes what changed in `replica` to `store`, as the browser does after each step.
pub fn save(replica: &mut Replica, store: &MemoryLocalStore) {
    let Ok(()) = ready(store.apply(&replica.take_changes()));
}

/// The replica rebuilt from what `store` holds, as at the app's start.
pub fn reload(store: &MemoryLocalStore) -> Option<Replica> {
    let Ok(parts) = ready(store.load());
    parts.map(Replica::from_parts)
}
