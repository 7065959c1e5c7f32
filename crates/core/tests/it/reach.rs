//! The property that closes the class of cross-area leaks: for random organisations (users
//! with random roles in random areas, people, lists, meetings and records about people
//! anywhere) and random pushes by random users (ordinary edits and crafted ones that name any
//! id at all), no push lets anyone see or change what the rules do not grant.
//!
//! The oracle is a set of rules stated over the records before and after each push, not a
//! second copy of the permission code. With `X` the user who pushed:
//!
//! 1. **Nothing new for the writer.** Every record that existed before and that `X` sees
//!    after, `X` saw before, or it is about a person `X` saw before (what was said to
//!    someone follows them to whoever works with them).
//! 2. **Nothing handed on that the writer could not see.** Every record that existed before
//!    and that another user `Y` newly sees, `X` saw before, or it is about a person `X` saw,
//!    or `Y` held it already through their own standing grants (a list given to them, a
//!    meeting they host, what they created), which a new role wakes.
//! 3. **Oversight is kept.** The area tree stays whole under the country, and an area's
//!    parent changes only by an admin of both the old parent and the new one.
//! 4. **Changes only to what the writer saw.** Every record that existed before and that
//!    the push changed or deleted, `X` saw before.
//! 5. **References only to what the writer saw.** Every id the push wrote into a record that
//!    was not there before names a record `X` saw before, or one the push created.
//! 6. **New records in the writer's name, where they belong.** Every record the push created
//!    has `X` as its creator; a conversation's `by` is `X`; a conversation, story or survey
//!    answer sits in its person's area, an attendance in its meeting's.
//!
//! Run more cases with `PROPTEST_CASES=5000 cargo test -p organise-core --test it reach`.

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, OTHER_REGION, REGION, WARD_NORTH, WARD_SOUTH,
};
use organise_core::id::{AreaId, RecordId, Timestamp, UserId};
use organise_core::model::Role;
use organise_core::record::{Choice, Entity};
use organise_core::sync::{ClientId, Op, Outcome, RecordKey, ReferenceServer, Version};
use organise_core::{Area, AreaKind, AreaTree, Collection, Element, Record, Value};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const OTHER_CONSTITUENCY: AreaId = AreaId::from_u128(0xA6);
const OTHER_WARD: AreaId = AreaId::from_u128(0xA7);

/// Every area, the country first.
const AREAS: [AreaId; 8] = [
    COUNTRY,
    REGION,
    OTHER_REGION,
    CONSTITUENCY,
    WARD_NORTH,
    WARD_SOUTH,
    OTHER_CONSTITUENCY,
    OTHER_WARD,
];

/// The users besides the country's admin, who is always there.
const USERS: [UserId; 5] = [
    UserId::from_u128(0xE1),
    UserId::from_u128(0xE2),
    UserId::from_u128(0xE3),
    UserId::from_u128(0xE4),
    UserId::from_u128(0xE5),
];

const SURVEY: RecordId = RecordId::from_u128(0x5E7);

fn all_users() -> impl Iterator<Item = UserId> {
    std::iter::once(ADMIN).chain(USERS)
}

/// A choice among things not known until the organisation exists: resolved modulo the
/// number of candidates when it is used.
type Pick = u16;

fn pick<T: Copy>(items: &[T], n: Pick) -> T {
    items[usize::from(n) % items.len()]
}

/// A random organisation, before it becomes records.
#[derive(Clone, Debug)]
struct World {
    /// Per user: their roles, as (role, area) picks.
    roles: Vec<Vec<(u8, Pick)>>,
    /// Per person: area and creator picks.
    people: Vec<(Pick, Pick)>,
    /// Per list: area, members, assignees.
    lists: Vec<(Pick, Vec<Pick>, Vec<Pick>)>,
    /// Per meeting: area, host, attendees.
    meetings: Vec<(Pick, Pick, Vec<Pick>)>,
    /// Per conversation: by, person.
    conversations: Vec<(Pick, Pick)>,
}

fn world_strategy() -> impl Strategy<Value = World> {
    let roles = prop::collection::vec(
        prop::collection::vec((0u8..4, any::<Pick>()), 0..3),
        USERS.len(),
    );
    let people = prop::collection::vec((any::<Pick>(), any::<Pick>()), 3..8);
    let lists = prop::collection::vec(
        (
            any::<Pick>(),
            prop::collection::vec(any::<Pick>(), 0..4),
            prop::collection::vec(any::<Pick>(), 0..3),
        ),
        0..3,
    );
    let meetings = prop::collection::vec(
        (
            any::<Pick>(),
            any::<Pick>(),
            prop::collection::vec(any::<Pick>(), 0..3),
        ),
        0..3,
    );
    let conversations = prop::collection::vec((any::<Pick>(), any::<Pick>()), 0..4);
    (roles, people, lists, meetings, conversations).prop_map(
        |(roles, people, lists, meetings, conversations)| World {
            roles,
            people,
            lists,
            meetings,
            conversations,
        },
    )
}

fn id(kind: u128, n: usize) -> RecordId {
    RecordId::from_u128(kind << 16 | n as u128)
}

fn role_of(n: u8) -> Role {
    Role::ALL[usize::from(n) % Role::ALL.len()]
}

fn person(id: RecordId, area: AreaId, by: UserId) -> Record {
    support::person(id, "Pat Example", area, by)
}

fn meeting(id: RecordId, area: AreaId, by: UserId, host: UserId) -> Record {
    Record::new(Collection::Meeting, id, area, by)
        .with("kind", "house_meeting")
        .with("title", "A synthetic meeting")
        .with("host", host.0)
        .with("place", "A synthetic hall")
        .with("starts", Timestamp(1_767_225_600_000))
}

fn attendance(id: RecordId, area: AreaId, by: UserId, meeting: RecordId, who: RecordId) -> Record {
    Record::new(Collection::Attendance, id, area, by)
        .with("meeting", meeting)
        .with("person", who)
        .with("status", "invited")
}

fn conversation(id: RecordId, area: AreaId, by: UserId, author: UserId, who: RecordId) -> Record {
    Record::new(Collection::Conversation, id, area, by)
        .with("kind", "doorstep")
        .with("by", author.0)
        .with("person", who)
        .with("at", Timestamp(1_767_225_600_000))
        .with("outcome", "held")
        .with("notes", "Synthetic notes")
}

fn list(id: RecordId, area: AreaId, by: UserId, members: Value, assignees: Value) -> Record {
    Record::new(Collection::List, id, area, by)
        .with("name", "A synthetic walk")
        .with("kind", "walk")
        .with("members", members)
        .with("assignees", assignees)
}

impl World {
    /// The organisation as records, seeded as the setup would (bypassing the rules, so the
    /// starting point may already hold what the rules would now refuse).
    fn records(&self) -> Vec<Record> {
        let mut records: Vec<Record> = support::areas().iter().map(Entity::to_record).collect();
        records.extend(
            [
                Area {
                    id: OTHER_CONSTITUENCY,
                    created_by: ADMIN,
                    name: "Otherton".into(),
                    kind: AreaKind::Constituency,
                    parent: Some(OTHER_REGION),
                },
                Area {
                    id: OTHER_WARD,
                    created_by: ADMIN,
                    name: "Otherton Central".into(),
                    kind: AreaKind::Ward,
                    parent: Some(OTHER_CONSTITUENCY),
                },
            ]
            .iter()
            .map(Entity::to_record),
        );
        for (n, user) in all_users().enumerate() {
            // A user's home is where their first role is.
            let home = n
                .checked_sub(1)
                .and_then(|n| self.roles[n].first())
                .map_or(COUNTRY, |&(_, area)| pick(&AREAS, area));
            records.push(
                Record::new(Collection::User, user.0, home, ADMIN)
                    .with("name", "Sam Synthetic")
                    .with(
                        "email",
                        format!("{:x}@example.org", user.0.0.as_u128()).as_str(),
                    ),
            );
        }
        records.push(support::role(ADMIN, Role::Admin, COUNTRY));
        for (user, roles) in USERS.iter().zip(&self.roles) {
            for &(role, area) in roles {
                records.push(support::role(*user, role_of(role), pick(&AREAS, area)));
            }
        }
        let users: Vec<UserId> = all_users().collect();
        let people: Vec<RecordId> = (0..self.people.len()).map(|n| id(0x1, n)).collect();
        for (n, &(area, by)) in self.people.iter().enumerate() {
            records.push(person(people[n], pick(&AREAS, area), pick(&users, by)));
        }
        let to_ids = |picks: &[Pick], from: &[RecordId]| {
            Value::Ids(picks.iter().map(|&p| pick(from, p)).collect())
        };
        let user_ids: Vec<RecordId> = users.iter().map(|u| u.0).collect();
        for (n, (area, members, assignees)) in self.lists.iter().enumerate() {
            records.push(list(
                id(0x2, n),
                pick(&AREAS, *area),
                ADMIN,
                to_ids(members, &people),
                to_ids(assignees, &user_ids),
            ));
        }
        for (n, (area, host, attendees)) in self.meetings.iter().enumerate() {
            let area = pick(&AREAS, *area);
            let meeting_id = id(0x3, n);
            records.push(meeting(meeting_id, area, ADMIN, pick(&users, *host)));
            for (k, &who) in attendees.iter().enumerate() {
                records.push(attendance(
                    id(0x4, n * 16 + k),
                    area,
                    ADMIN,
                    meeting_id,
                    pick(&people, who),
                ));
            }
        }
        for (n, &(by, who)) in self.conversations.iter().enumerate() {
            let by = pick(&users, by);
            let who = pick(&people, who);
            let area = pick(&AREAS, self.people[usize::from(who.0.as_u128() as u16)].0);
            records.push(conversation(id(0x5, n), area, by, by, who));
        }
        records.push(
            Record::new(Collection::Survey, SURVEY, CONSTITUENCY, ADMIN)
                .with("title", "Priorities")
                .with("questions", Value::List(Vec::new())),
        );
        records
    }
}

/// One mutation of a push, with its choices still to be resolved against the records.
#[derive(Clone, Debug)]
enum Step {
    /// Creates a record of one of several kinds, naming picked records and areas.
    Create {
        kind: u8,
        area: Pick,
        refs: [Pick; 3],
    },
    /// Sets a reference field of a picked record to a picked id.
    SetReference { record: Pick, field: Pick, to: Pick },
    /// Adds a picked id to a set field of a picked record.
    AddReference { record: Pick, field: Pick, to: Pick },
    /// Moves a picked record to a picked area.
    Relocate { record: Pick, area: Pick },
    /// Places a picked area under a picked parent (or a made-up one).
    Reparent { area: Pick, parent: Pick },
    /// Changes a picked area's kind.
    Rekind { area: Pick, kind: u8 },
    /// Renames a picked person.
    Rename { record: Pick },
    /// Deletes a picked record.
    Delete { record: Pick },
}

fn move_strategy() -> impl Strategy<Value = Step> {
    let p = any::<Pick>;
    prop_oneof![
        3 => (0u8..10, p(), [p(), p(), p()]).prop_map(|(kind, area, refs)| Step::Create { kind, area, refs }),
        3 => (p(), p(), p()).prop_map(|(record, field, to)| Step::SetReference { record, field, to }),
        3 => (p(), p(), p()).prop_map(|(record, field, to)| Step::AddReference { record, field, to }),
        1 => (p(), p()).prop_map(|(record, area)| Step::Relocate { record, area }),
        1 => (p(), p()).prop_map(|(area, parent)| Step::Reparent { area, parent }),
        1 => (p(), 0u8..5).prop_map(|(area, kind)| Step::Rekind { area, kind }),
        1 => p().prop_map(|record| Step::Rename { record }),
        1 => p().prop_map(|record| Step::Delete { record }),
    ]
}

/// A push: who sends it, and its mutations.
fn push_strategy() -> impl Strategy<Value = (Pick, Vec<Step>)> {
    (any::<Pick>(), prop::collection::vec(move_strategy(), 1..6))
}

/// Everything the server holds, by key.
fn snapshot(server: &ReferenceServer) -> BTreeMap<RecordKey, Record> {
    server
        .store
        .records
        .iter()
        .map(|(key, stored)| (*key, stored.record.clone()))
        .collect()
}

fn sees(server: &mut ReferenceServer, user: UserId) -> BTreeSet<RecordKey> {
    server.visible_to(user).0.into_keys().collect()
}

/// The person a record is about, if it is about one.
fn about(record: &Record) -> Option<RecordId> {
    record
        .collection
        .person_field()
        .and_then(|field| record.get_id(field))
}

/// What `user` holds through standing grants: lists given to them and their members,
/// meetings they host and their attendees, and what they created.
fn standing(records: &BTreeMap<RecordKey, Record>, user: UserId) -> BTreeSet<RecordId> {
    let mut held = BTreeSet::new();
    let mut meetings = BTreeSet::new();
    for record in records.values() {
        match record.collection {
            Collection::List if record.get("assignees").ids().contains(&user.0) => {
                held.insert(record.id);
                held.extend(record.get("members").ids());
            }
            Collection::Meeting if record.get_id("host") == Some(user.0) => {
                held.insert(record.id);
                meetings.insert(record.id);
            }
            _ => {}
        }
        if record.created_by == user {
            held.insert(record.id);
        }
    }
    for record in records.values() {
        if record.collection == Collection::Attendance
            && record
                .get_id("meeting")
                .is_some_and(|m| meetings.contains(&m))
        {
            held.insert(record.id);
            held.extend(record.get_id("person"));
        }
    }
    held
}

/// Whether `user` holds the admin role over `area` (read from the role records and the tree,
/// not through the permission code).
fn is_admin(
    records: &BTreeMap<RecordKey, Record>,
    tree: &AreaTree,
    user: UserId,
    area: AreaId,
) -> bool {
    records.values().any(|r| {
        r.collection == Collection::RoleAssignment
            && r.get_id("user") == Some(user.0)
            && r.get("role") == &Value::Text("admin".into())
            && tree.is_within(area, r.area)
    })
}

fn tree_of(records: &BTreeMap<RecordKey, Record>) -> AreaTree {
    let areas: Vec<Area> = records
        .values()
        .filter(|r| r.collection == Collection::Area)
        .filter_map(|r| Area::read(r).ok())
        .collect();
    AreaTree::new(&areas)
}

/// Turns moves into mutations against the records as they are.
struct Crafter<'a> {
    records: &'a BTreeMap<RecordKey, Record>,
    keys: Vec<RecordKey>,
    next: usize,
    writer: UserId,
}

impl Crafter<'_> {
    fn ids_of(&self, collection: Collection) -> Vec<RecordId> {
        let mut ids: Vec<RecordId> = self
            .keys
            .iter()
            .filter(|k| k.collection == collection)
            .map(|k| k.id)
            .collect();
        // A made-up id is always a candidate.
        ids.push(RecordId::from_u128(0xDEAD));
        ids
    }

    fn fresh(&mut self) -> RecordId {
        self.next += 1;
        id(0xF0 + self.writer.0.0.as_u128() % 16, self.next)
    }

    fn mutation(&mut self, step: &Step) -> Option<(RecordKey, Op)> {
        let areas: Vec<RecordId> = AREAS.iter().map(|a| a.0).collect();
        let base_version = Version(u64::MAX >> 1);
        Some(match *step {
            Step::Create { kind, area, refs } => {
                let area = pick(&AREAS, area);
                let people = self.ids_of(Collection::Person);
                let users = self.ids_of(Collection::User);
                let person_of = |n: Pick| pick(&people, n);
                let id = self.fresh();
                let writer = self.writer;
                // Records about a person are mostly filed where the person is, so that the
                // pushes that ought to work are tried too.
                let home = |who: RecordId| {
                    self.records
                        .get(&RecordKey {
                            collection: Collection::Person,
                            id: who,
                        })
                        .filter(|_| refs[2] % 4 != 0)
                        .map_or(area, |p| p.area)
                };
                let record = match kind {
                    0 => person(id, area, writer),
                    1 => list(
                        id,
                        area,
                        writer,
                        Value::Ids([person_of(refs[0])].into()),
                        Value::Ids([pick(&users, refs[1])].into()),
                    ),
                    2 => meeting(
                        id,
                        area,
                        writer,
                        if refs[1] % 2 == 0 {
                            writer
                        } else {
                            UserId(pick(&users, refs[1]))
                        },
                    ),
                    3 => {
                        let meetings = self.ids_of(Collection::Meeting);
                        let meeting = pick(&meetings, refs[1]);
                        let area = self
                            .records
                            .get(&RecordKey {
                                collection: Collection::Meeting,
                                id: meeting,
                            })
                            .filter(|_| refs[2] % 4 != 0)
                            .map_or(area, |m| m.area);
                        attendance(id, area, writer, meeting, person_of(refs[0]))
                    }
                    4 => {
                        let who = person_of(refs[0]);
                        let author = if refs[1] % 4 == 0 {
                            UserId(pick(&users, refs[1]))
                        } else {
                            writer
                        };
                        conversation(id, home(who), writer, author, who)
                    }
                    5 => {
                        let who = person_of(refs[0]);
                        Record::new(Collection::Story, id, home(who), writer)
                            .with("person", who)
                            .with("text", "A synthetic story")
                            .with("consent", "private")
                    }
                    6 => support::role(UserId(pick(&users, refs[0])), role_of(refs[1] as u8), area),
                    7 => Record::new(Collection::Organisation, id, area, writer)
                        .with("name", "Synthetic Tenants")
                        .with("kind", "tenants_association")
                        .with("relationship", "not_contacted"),
                    // A link on the community map: to an organisation or to someone else.
                    8 => {
                        let who = person_of(refs[0]);
                        let link = Record::new(Collection::Link, id, home(who), writer)
                            .with("person", who);
                        if refs[1] % 2 == 0 {
                            let organisations = self.ids_of(Collection::Organisation);
                            link.with("organisation", pick(&organisations, refs[1]))
                                .with("kind", "leader")
                        } else {
                            link.with("other", person_of(refs[1])).with("kind", "knows")
                        }
                    }
                    _ => Area {
                        id: AreaId(id),
                        created_by: writer,
                        name: "Synthetic Ward".into(),
                        kind: AreaKind::ALL[usize::from(refs[0]) % AreaKind::ALL.len()],
                        parent: Some(AreaId(pick(&areas, refs[1]))),
                    }
                    .to_record(),
                };
                (
                    RecordKey {
                        collection: record.collection,
                        id: record.id,
                    },
                    Op::Create {
                        area: record.area,
                        fields: record.fields,
                    },
                )
            }
            Step::SetReference { record, field, to } | Step::AddReference { record, field, to } => {
                let key = pick(&self.keys, record);
                let fields = key.collection.reference_fields();
                let &(name, refers_to) = fields.get(usize::from(field) % fields.len().max(1))?;
                let target = match refers_to {
                    organise_core::record::RefersTo::Record(c) => pick(&self.ids_of(c), to),
                    organise_core::record::RefersTo::Nothing => id(0x6, usize::from(to)),
                };
                let is_set = key.collection.is_set_field(name);
                let op = if is_set {
                    Op::AddToSet {
                        field: name.into(),
                        element: Element::Id(target),
                    }
                } else {
                    Op::SetField {
                        field: name.into(),
                        value: Value::Id(target),
                        base_version,
                    }
                };
                (key, op)
            }
            Step::Relocate { record, area } => (
                pick(&self.keys, record),
                Op::SetField {
                    field: "area".into(),
                    value: Value::Id(pick(&areas, area)),
                    base_version,
                },
            ),
            Step::Reparent { area, parent } => {
                let mut parents = areas.clone();
                parents.push(RecordId::from_u128(0xDEAD));
                (
                    RecordKey {
                        collection: Collection::Area,
                        id: pick(&areas, area),
                    },
                    Op::SetField {
                        field: "parent".into(),
                        value: Value::Id(pick(&parents, parent)),
                        base_version,
                    },
                )
            }
            Step::Rekind { area, kind } => (
                RecordKey {
                    collection: Collection::Area,
                    id: pick(&areas, area),
                },
                Op::SetField {
                    field: "kind".into(),
                    value: AreaKind::ALL[usize::from(kind) % AreaKind::ALL.len()].into(),
                    base_version,
                },
            ),
            Step::Rename { record } => (
                RecordKey {
                    collection: Collection::Person,
                    id: pick(&self.ids_of(Collection::Person), record),
                },
                Op::SetField {
                    field: "name".into(),
                    value: Value::Text("Changed Name".into()),
                    base_version,
                },
            ),
            Step::Delete { record } => (pick(&self.keys, record), Op::Delete { base_version }),
        })
    }
}

/// Checks the six rules for one push by `writer`; `Err` says which broke and how.
///
/// `ever_seen` holds what each user has seen at any point so far: a reference to a record
/// since deleted is allowed when its writer saw it alive.
fn check_push(
    server: &mut ReferenceServer,
    ever_seen: &mut BTreeMap<UserId, BTreeSet<RecordId>>,
    writer: UserId,
    moves: &[Step],
    client: u128,
) -> Result<(), String> {
    let before = snapshot(server);
    let seen_before: BTreeMap<UserId, BTreeSet<RecordKey>> =
        all_users().map(|u| (u, sees(server, u))).collect();
    for (user, keys) in &seen_before {
        let ever = ever_seen.entry(*user).or_default();
        ever.extend(keys.iter().map(|k| k.id));
        ever.insert(user.0);
    }
    let x_ever = ever_seen[&writer].clone();
    let tree_before = tree_of(&before);
    let mut crafter = Crafter {
        records: &before,
        keys: before.keys().copied().collect(),
        next: client as usize * 64,
        writer,
    };
    let client_id = ClientId::from_u128(0xC0 << 64 | client);
    let request = support::crafted_push(
        client_id,
        moves
            .iter()
            .filter_map(|m| crafter.mutation(m))
            .collect::<Vec<_>>(),
    );
    let mutations = request.mutations.clone();
    if mutations.is_empty() {
        return Ok(());
    }
    let response = server
        .push(writer, &request)
        .map_err(|refusal| format!("the push was refused: {refusal:?}"))?;
    let after = snapshot(server);
    let x_saw = &seen_before[&writer];
    let x_saw_ids: BTreeSet<RecordId> = x_saw.iter().map(|k| k.id).collect();
    let created: BTreeSet<RecordKey> = after
        .keys()
        .filter(|k| !before.contains_key(k))
        .copied()
        .collect();
    let created_ids: BTreeSet<RecordId> = created.iter().map(|k| k.id).collect();
    let follows_a_seen_person =
        |record: &Record| about(record).is_some_and(|p| x_saw_ids.contains(&p));
    let trace = || {
        let outcomes: Vec<String> = mutations
            .iter()
            .zip(&response.outcomes)
            .map(|(m, o)| {
                format!(
                    "  {:?} {:?} {:?}\n    -> {:?}",
                    m.collection, m.record_id, m.op, o.outcome
                )
            })
            .collect();
        format!("by {writer:?}:\n{}", outcomes.join("\n"))
    };

    // 1 and 2: nothing new seen that the writer could not see.
    for user in all_users() {
        let now = sees(server, user);
        let held = standing(&before, user);
        for key in now.difference(&seen_before[&user]) {
            let Some(record) = before.get(key) else {
                continue;
            };
            let allowed = x_saw.contains(key)
                || follows_a_seen_person(record)
                || (user != writer
                    && (held.contains(&key.id)
                        || about(record).is_some_and(|p| held.contains(&p))));
            if !allowed {
                return Err(format!(
                    "{user:?} newly sees {key:?}, which the writer could not see\n{}",
                    trace()
                ));
            }
        }
    }

    // 3: oversight kept.
    let tree_after = tree_of(&after);
    for record in after.values().filter(|r| r.collection == Collection::Area) {
        let area = AreaId(record.id);
        if !tree_after.is_within(area, COUNTRY) {
            return Err(format!("{area:?} fell out of the country\n{}", trace()));
        }
        if let Some(old) = before.get(&RecordKey {
            collection: Collection::Area,
            id: record.id,
        }) && old.get("parent") != record.get("parent")
        {
            let parent = |r: &Record| r.get_id("parent").map(AreaId);
            let authorised = [parent(old), parent(record)]
                .into_iter()
                .all(|p| p.is_some_and(|p| is_admin(&before, &tree_before, writer, p)));
            if !authorised {
                return Err(format!(
                    "{area:?} was moved without authority over both parents\n{}",
                    trace()
                ));
            }
        }
    }
    if !tree_after.problems().is_empty() {
        return Err(format!(
            "the tree has faults {:?}\n{}",
            tree_after.problems(),
            trace()
        ));
    }

    // 4: changes only to what the writer saw.
    for (key, old) in &before {
        if after.get(key) != Some(old) && !x_saw.contains(key) {
            return Err(format!(
                "{key:?} changed, which the writer could not see\n{}",
                trace()
            ));
        }
    }

    // 5: references only to what the writer saw.
    for (key, record) in &after {
        let old_ids: BTreeSet<RecordId> = before
            .get(key)
            .map(|r| r.fields.values().flat_map(Value::ids).collect())
            .unwrap_or_default();
        for (field, value) in &record.fields {
            if key.collection.refers_to(field.as_str())
                == Some(organise_core::record::RefersTo::Nothing)
            {
                continue;
            }
            for id in value.ids() {
                if !old_ids.contains(&id) && !x_ever.contains(&id) && !created_ids.contains(&id) {
                    return Err(format!(
                        "{key:?}.{field} now names {id:?}, which the writer could not see\n{}",
                        trace()
                    ));
                }
            }
        }
    }

    // 6: new records in the writer's name, where they belong.
    for key in &created {
        let record = &after[key];
        let expect = |ok: bool, what: &str| {
            if ok {
                Ok(())
            } else {
                Err(format!("new {key:?} {what}\n{}", trace()))
            }
        };
        expect(record.created_by == writer, "is not in the writer's name")?;
        if key.collection == Collection::Conversation {
            expect(record.get_id("by") == Some(writer.0), "is by someone else")?;
        }
        let home = match key.collection {
            Collection::Attendance => record.get_id("meeting").map(|m| (Collection::Meeting, m)),
            _ => about(record).map(|p| (Collection::Person, p)),
        };
        if let Some((collection, id)) = home {
            // What it is about may have moved in the same push, before or after it.
            let home = RecordKey { collection, id };
            let areas: Vec<AreaId> = [before.get(&home), after.get(&home)]
                .into_iter()
                .flatten()
                .map(|r| r.area)
                .collect();
            expect(
                areas.is_empty() || areas.contains(&record.area),
                "is not where what it is about is",
            )?;
        }
    }
    // Applied outcomes are counted so a run that rejects everything is noticed.
    APPLIED.with(|n| {
        *n.borrow_mut() += response
            .outcomes
            .iter()
            .filter(|o| {
                matches!(
                    o.outcome,
                    Outcome::Applied { .. } | Outcome::Conflicted { .. }
                )
            })
            .count()
    });
    Ok(())
}

thread_local! {
    static APPLIED: std::cell::RefCell<usize> = const { std::cell::RefCell::new(0) };
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn no_push_reaches_outside_what_the_rules_grant(
        world in world_strategy(),
        pushes in prop::collection::vec(push_strategy(), 1..5),
    ) {
        let mut server = ReferenceServer::seeded(world.records());
        let users: Vec<UserId> = all_users().collect();
        let mut ever_seen = BTreeMap::new();
        for (n, (who, moves)) in pushes.iter().enumerate() {
            let writer = pick(&users, *who);
            check_push(&mut server, &mut ever_seen, writer, moves, n as u128 + 1)
                .map_err(TestCaseError::fail)?;
        }
    }
}

#[test]
fn the_property_applies_some_pushes_and_refuses_others() {
    // The property above means little if every crafted push is simply refused: a fixed run
    // of it must apply a good share of its mutations.
    use proptest::strategy::ValueTree;
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let strategy = (
        world_strategy(),
        prop::collection::vec(push_strategy(), 1..5),
    );
    APPLIED.with(|n| *n.borrow_mut() = 0);
    let mut mutations = 0;
    for _ in 0..64 {
        let (world, pushes) = strategy.new_tree(&mut runner).unwrap().current();
        let mut server = ReferenceServer::seeded(world.records());
        let users: Vec<UserId> = all_users().collect();
        let mut ever_seen = BTreeMap::new();
        for (n, (who, moves)) in pushes.iter().enumerate() {
            mutations += moves.len();
            let writer = pick(&users, *who);
            check_push(&mut server, &mut ever_seen, writer, moves, n as u128 + 1).unwrap();
        }
    }
    let applied = APPLIED.with(|n| *n.borrow());
    assert!(
        applied * 10 >= mutations,
        "only {applied} of {mutations} mutations applied"
    );
}
