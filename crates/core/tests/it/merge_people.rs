//! Merging duplicate people (`organise_core::merge`): two synthetic people, each with their own
//! conversations, one-to-ones, moves on the ladder, attendances, links and lists, merged on an
//! organiser's phone, synced through the reference server to a second device, and undone there.

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, HOST, ORGANISER, ORGANISER_2, OTHER_REGION, VOLUNTEER,
    WARD_NORTH,
};
use organise_core::change::{self, Step};
use organise_core::id::{
    ConversationId, LadderMoveId, LinkId, ListId, OneToOneId, PersonId, RecordId, RungId,
    Timestamp, UserId,
};
use organise_core::merge::{self, Refused};
use organise_core::model::{
    Consent, ConsentMethod, ConsentTopic, Conversation, ConversationKind, LadderMove, Link,
    LinkKind, List, ListKind, Merge, OneToOne, OneToOneKind, Outcome as Said, Person, Role, Rung,
    Source,
};
use organise_core::permission::{Actor, Denied, Permissions};
use organise_core::record::Entity;
use organise_core::sync::{ClientId, Outcome, RecordKey, ReferenceServer, Rejection, Replica};
use organise_core::{Collection, Record, Value};
use std::collections::{BTreeMap, BTreeSet};

const KEPT: PersonId = PersonId::from_u128(0x701);
const GONE: PersonId = PersonId::from_u128(0x702);
const BEN: PersonId = PersonId::from_u128(0x703);
const RUNG: RungId = RungId::from_u128(0x710);
const MEETING: RecordId = RecordId::from_u128(0x711);
const SELF_LINK: LinkId = LinkId::from_u128(0x7A0);

fn consent(given: bool, at: i64) -> Consent {
    Consent {
        given,
        at: Timestamp(at),
        method: ConsentMethod::Doorstep,
    }
}

/// Ann as first met: a phone, skills, a consent to texts given long ago and a recent yes to
/// being contacted.
fn kept() -> Person {
    Person {
        phone: Some("+447700900001".into()),
        skills: ["first aid".to_owned()].into(),
        consents: BTreeMap::from([
            (ConsentTopic::Sms, consent(true, 100)),
            (ConsentTopic::Contact, consent(true, 300)),
        ]),
        ..Person::new(KEPT, WARD_NORTH, ORGANISER, "Ann Example", Source::Doorstep)
    }
}

/// Ann entered again: another phone, an email, an address, more skills, a later no to texts,
/// an older no to being contacted and a yes to calls Ann's first record lacks.
fn gone() -> Person {
    Person {
        phone: Some("+447700900002".into()),
        email: Some("ann@example.org".into()),
        address: Some("1 Synthetic Street".into()),
        postcode: Some("SW1A 1AA".into()),
        skills: ["driving".to_owned(), "first aid".to_owned()].into(),
        tags: ["tenant".to_owned()].into(),
        consents: BTreeMap::from([
            (ConsentTopic::Sms, consent(false, 200)),
            (ConsentTopic::Contact, consent(false, 150)),
            (ConsentTopic::Phone, consent(true, 120)),
        ]),
        ..Person::new(GONE, WARD_NORTH, ORGANISER, "Ann Exampel", Source::Meeting)
    }
}

fn talk(n: u128, person: PersonId) -> Record {
    Conversation {
        id: ConversationId::from_u128(0x720 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        kind: ConversationKind::Doorstep,
        by: ORGANISER,
        person,
        at: Timestamp(1_000 + n as i64),
        outcome: Said::Held,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: None,
    }
    .to_record()
}

fn one_to_one(n: u128, person: PersonId) -> Record {
    let held_on = organise_core::calendar::Day::parse("2026-01-05").unwrap();
    OneToOne {
        id: OneToOneId::from_u128(0x730 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        person,
        held_on,
        recorded_at: Timestamp(organise_core::calendar::london_midnight(held_on).0 + 3_600_000),
        kind: OneToOneKind::Introduction,
        issues: BTreeSet::new(),
        story: None,
        interest: None,
        leadership: None,
        organisation: None,
        next_step: None,
        next_step_due: None,
        next_step_done: None,
    }
    .to_record()
}

fn moved(n: u128, person: PersonId) -> Record {
    LadderMove {
        id: LadderMoveId::from_u128(0x740 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        person,
        rung: RUNG,
        at: Timestamp(2_000 + n as i64),
        why: None,
        one_to_one: None,
        meeting: None,
    }
    .to_record()
}

fn attended(n: u128, person: PersonId) -> Record {
    Record::new(
        Collection::Attendance,
        RecordId::from_u128(0x750 + n),
        WARD_NORTH,
        ORGANISER,
    )
    .with("meeting", MEETING)
    .with("person", person.0)
    .with("status", "came")
}

fn link(id: LinkId, person: PersonId, other: PersonId, kind: LinkKind) -> Record {
    Link {
        id,
        area: WARD_NORTH,
        created_by: ORGANISER,
        person,
        organisation: None,
        other: Some(other),
        kind,
        role: Some("next door".into()),
    }
    .to_record()
}

fn list(n: u128, members: &[PersonId]) -> Record {
    List {
        id: ListId::from_u128(0x760 + n),
        area: WARD_NORTH,
        created_by: ORGANISER,
        name: format!("Synthetic list {n}"),
        kind: ListKind::Walk,
        members: members.iter().copied().collect(),
        assignees: BTreeSet::new(),
        campaign: None,
        script: None,
        survey: None,
    }
    .to_record()
}

/// Each person's own history: one of everything apiece, a link each to Ben, a link between
/// the two, a list holding each and one holding both.
fn history() -> Vec<Record> {
    let mut records = Vec::new();
    for (n, who) in [(0, KEPT), (1, GONE)] {
        records.extend([
            talk(n, who),
            one_to_one(n, who),
            moved(n, who),
            attended(n, who),
            link(LinkId::from_u128(0x7B0 + n), who, BEN, LinkKind::Neighbour),
            list(n, &[who, BEN]),
        ]);
    }
    records.push(link(SELF_LINK, GONE, KEPT, LinkKind::Family));
    records.push(list(2, &[KEPT, GONE]));
    records
}

fn world() -> ReferenceServer {
    let mut records = support::seed();
    records.extend([
        kept().to_record(),
        gone().to_record(),
        support::person(BEN.0, "Ben Sample", WARD_NORTH, ORGANISER),
        Rung {
            id: RUNG,
            area: COUNTRY,
            created_by: ADMIN,
            name: "Supporter".into(),
            position: 1,
            retired: false,
        }
        .to_record(),
        Record::new(Collection::Meeting, MEETING, WARD_NORTH, ORGANISER)
            .with("kind", "house_meeting")
            .with("title", "A synthetic meeting")
            .with("host", ORGANISER.0)
            .with("place", "A synthetic hall")
            .with("starts", Timestamp(1_767_225_600_000))
            .with("status", "approved"),
    ]);
    records.extend(history());
    ReferenceServer::seeded(records)
}

fn sync(server: &mut ReferenceServer, phone: &mut Replica) {
    let user = phone.user();
    while let Some(request) = phone.push_request(100) {
        let response = server.push(user, &request).unwrap();
        let report = phone.apply_push_response(&response);
        assert!(
            phone.rejected().next().is_none(),
            "{report:?}: {:?}",
            phone.rejected().collect::<Vec<_>>()
        );
    }
    loop {
        let response = server.pull(user, &phone.pull_request(500)).unwrap();
        if !phone.apply_pull_response(&response).unwrap() {
            break;
        }
    }
}

fn phone(n: u128, user: UserId, server: &mut ReferenceServer) -> Replica {
    let mut phone = Replica::new(ClientId::from_u128(n), user);
    sync(server, &mut phone);
    phone
}

fn mint_from(start: u128) -> impl FnMut() -> RecordId {
    let mut n = start;
    move || {
        n += 1;
        RecordId::from_u128(n)
    }
}

fn merge_on(phone: &mut Replica) -> merge::Merged {
    let kept = phone.one::<Person>(KEPT.0);
    let gone = phone.one::<Person>(GONE.0);
    let referring = merge::referring(phone, GONE);
    let merged = merge::merge(
        kept.as_ref(),
        gone.as_ref(),
        &referring,
        phone.user(),
        Timestamp(5_000),
        mint_from(0x9000),
    )
    .unwrap();
    change::make(&merged.steps, phone).unwrap();
    merged
}

fn undo_on(phone: &mut Replica, merge: &Merge) -> merge::Undone {
    let kept = phone.one::<Person>(KEPT.0);
    let gone = phone.one::<Person>(GONE.0);
    let current = merge::repointed(phone, merge);
    let undone = merge::undo(
        merge,
        kept.as_ref(),
        gone.as_ref(),
        &current,
        phone.user(),
        Timestamp(6_000),
        mint_from(0x9100),
    )
    .unwrap();
    change::make(&undone.steps, phone).unwrap();
    undone
}

/// Who each person-naming field of every record names, with the record's other fields.
fn named(phone: &Replica, person: PersonId) -> BTreeSet<(Collection, RecordId)> {
    merge::referring(phone, person)
        .into_iter()
        .map(|r| (r.collection, r.id))
        .collect()
}

/// Everything but merges, with links by what they say rather than their id (an undo makes a
/// deleted link anew).
fn state(phone: &Replica) -> (BTreeMap<RecordKey, Record>, BTreeSet<String>) {
    let mut records = phone.visible();
    records.retain(|key, _| key.collection != Collection::Merge);
    let links: BTreeSet<String> = records
        .iter()
        .filter(|(key, _)| key.collection == Collection::Link)
        .map(|(_, r)| format!("{:?}", (r.area, &r.fields)))
        .collect();
    records.retain(|key, _| key.collection != Collection::Link);
    (records, links)
}

#[test]
fn a_merge_keeps_every_field_consent_and_history_entry_and_syncs_to_a_second_device() {
    let mut server = world();
    let mut organiser = phone(1, ORGANISER, &mut server);
    let mut admin = phone(2, ADMIN, &mut server);
    let gone_history = named(&organiser, GONE);
    let kept_history = named(&organiser, KEPT);
    let before = admin.visible();

    let merged = merge_on(&mut organiser);
    sync(&mut server, &mut organiser);
    sync(&mut server, &mut admin);

    // On the second device: everything that named either names Ann's first record now, but the
    // link between the two, deleted, and the merges.
    let all: BTreeSet<_> = gone_history.union(&kept_history).copied().collect();
    let self_link = (Collection::Link, SELF_LINK.0);
    let expected: BTreeSet<_> = all.iter().copied().filter(|k| *k != self_link).collect();
    let now_kept: BTreeSet<_> = named(&admin, KEPT)
        .into_iter()
        .filter(|(c, _)| *c != Collection::Person)
        .collect();
    assert_eq!(now_kept, expected);
    assert_eq!(
        named(&admin, GONE),
        BTreeSet::new(),
        "nothing names her second record"
    );
    assert!(gone_history.len() >= 8, "{gone_history:?}");
    // Nothing lost: every record is still there but the one link, and the merge is new.
    let after = admin.visible();
    let lost: Vec<_> = before.keys().filter(|k| !after.contains_key(k)).collect();
    assert_eq!(
        lost,
        vec![&RecordKey {
            collection: Collection::Link,
            id: SELF_LINK.0
        }]
    );
    let merge = admin
        .one::<Merge>(merged.merge.id.0)
        .expect("the merge synced");
    assert_eq!(merge, merged.merge);
    assert_eq!(merge.deleted_links.len(), 1);

    let kept_now = admin.one::<Person>(KEPT.0).unwrap();
    let gone_now = admin.one::<Person>(GONE.0).unwrap();
    // Blanks filled, never a value overwritten; sets unioned; per topic the later statement.
    assert_eq!(kept_now.phone.as_deref(), Some("+447700900001"));
    assert_eq!(kept_now.email.as_deref(), Some("ann@example.org"));
    assert_eq!(kept_now.address.as_deref(), Some("1 Synthetic Street"));
    assert_eq!(kept_now.postcode.as_deref(), Some("SW1A 1AA"));
    assert_eq!(kept_now.name, "Ann Example");
    assert_eq!(kept_now.source, Source::Doorstep);
    assert_eq!(
        kept_now.skills,
        ["driving".to_owned(), "first aid".to_owned()].into()
    );
    assert_eq!(kept_now.tags, ["tenant".to_owned()].into());
    assert_eq!(kept_now.consents[&ConsentTopic::Sms], consent(false, 200));
    assert_eq!(
        kept_now.consents[&ConsentTopic::Contact],
        consent(true, 300)
    );
    assert_eq!(kept_now.consents[&ConsentTopic::Phone], consent(true, 120));
    assert_eq!(kept_now.merged_into, None);
    // The gone record is kept with its own values, pointing at Ann's first.
    assert_eq!(
        gone_now,
        Person {
            merged_into: Some(KEPT),
            ..gone()
        }
    );
    // A list that held both holds Ann once.
    let both = admin.one::<List>(RecordId::from_u128(0x762)).unwrap();
    assert_eq!(both.members, [KEPT].into());
}

#[test]
fn an_undo_on_another_device_restores_exactly_and_syncs_back() {
    let mut server = world();
    let mut organiser = phone(1, ORGANISER, &mut server);
    let mut admin = phone(2, ADMIN, &mut server);
    let before = state(&admin);
    let before_organiser = state(&organiser);

    let merged = merge_on(&mut organiser);
    sync(&mut server, &mut organiser);
    sync(&mut server, &mut admin);
    assert_ne!(state(&admin), before);

    let undone = undo_on(&mut admin, &merged.merge);
    assert_eq!(undone.kept_edits, Vec::<&str>::new());
    assert_eq!(undone.left, Vec::new());
    sync(&mut server, &mut admin);
    sync(&mut server, &mut organiser);
    assert_eq!(state(&admin), before);
    assert_eq!(state(&organiser), before_organiser);
    let merge = organiser.one::<Merge>(merged.merge.id.0).unwrap();
    assert_eq!(merge.undone, Some(Timestamp(6_000)));
    // Taken back once only.
    let refused = merge::undo(
        &merge,
        organiser.one::<Person>(KEPT.0).as_ref(),
        organiser.one::<Person>(GONE.0).as_ref(),
        &[],
        ORGANISER,
        Timestamp(7_000),
        mint_from(0x9200),
    );
    assert_eq!(refused, Err(Refused::AlreadyUndone));
}

#[test]
fn an_undo_after_a_later_edit_keeps_the_edit_and_says_so() {
    let mut server = world();
    let mut organiser = phone(1, ORGANISER, &mut server);
    let merged = merge_on(&mut organiser);
    sync(&mut server, &mut organiser);
    let key = RecordKey {
        collection: Collection::Person,
        id: KEPT.0,
    };
    organiser
        .set_field(key, "email", Value::Text("ann.new@example.org".into()))
        .unwrap();
    organiser
        .remove_from_set(
            RecordKey {
                collection: Collection::List,
                id: RecordId::from_u128(0x761),
            },
            "members",
            organise_core::Element::Id(KEPT.0),
        )
        .unwrap();
    sync(&mut server, &mut organiser);

    let undone = undo_on(&mut organiser, &merged.merge);
    assert_eq!(undone.kept_edits, vec!["email"]);
    assert_eq!(undone.left.len(), 1, "the list Ann was taken off since");
    sync(&mut server, &mut organiser);
    let kept_now = organiser.one::<Person>(KEPT.0).unwrap();
    assert_eq!(kept_now.email.as_deref(), Some("ann.new@example.org"));
    // The rest went back.
    assert_eq!(kept_now.address, None);
    assert_eq!(kept_now.consents[&ConsentTopic::Sms], consent(true, 100));
    assert_eq!(organiser.one::<Person>(GONE.0).unwrap().merged_into, None);
    assert_eq!(
        named(&organiser, GONE).len(),
        named(&organiser, KEPT).len() - 1,
        "her second record has its history back, less the list she left"
    );
}

#[test]
fn a_link_between_the_two_is_deleted_and_made_anew_on_undo() {
    let mut server = world();
    let mut organiser = phone(1, ORGANISER, &mut server);
    let merged = merge_on(&mut organiser);
    assert!(
        merged
            .steps
            .iter()
            .any(|s| matches!(s, Step::Deleted { record, .. } if record.id == SELF_LINK.0))
    );
    sync(&mut server, &mut organiser);
    let links = organiser.all::<Link>();
    assert!(links.iter().all(|l| l.other != Some(l.person)), "{links:?}");
    assert!(links.iter().all(|l| l.id != SELF_LINK));

    undo_on(&mut organiser, &merged.merge);
    sync(&mut server, &mut organiser);
    let again: Vec<Link> = organiser
        .all::<Link>()
        .into_iter()
        .filter(|l| l.person == GONE && l.other == Some(KEPT))
        .collect();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].kind, LinkKind::Family);
    assert_eq!(again[0].role.as_deref(), Some("next door"));
}

#[test]
fn merges_that_cannot_be_are_refused_by_type() {
    let (kept, gone) = (kept(), gone());
    let try_merge = |k: Option<&Person>, g: Option<&Person>| {
        merge::merge(k, g, &[], ORGANISER, Timestamp(1), mint_from(0x9000)).map(|_| ())
    };
    assert_eq!(
        try_merge(Some(&kept), Some(&kept)),
        Err(Refused::SamePerson)
    );
    assert_eq!(try_merge(None, Some(&gone)), Err(Refused::KeptMissing));
    assert_eq!(try_merge(Some(&kept), None), Err(Refused::GoneMissing));
    let merged_away = Person {
        merged_into: Some(BEN),
        ..kept.clone()
    };
    assert_eq!(
        try_merge(Some(&merged_away), Some(&gone)),
        Err(Refused::KeptMerged)
    );
    let already = Person {
        merged_into: Some(BEN),
        ..gone.clone()
    };
    assert_eq!(
        try_merge(Some(&kept), Some(&already)),
        Err(Refused::GoneMerged)
    );
    assert_eq!(try_merge(Some(&kept), Some(&gone)), Ok(()));

    // Someone erased is no longer on the phone: missing.
    let mut server = world();
    server.erase(ADMIN, GONE).unwrap();
    let organiser = phone(1, ORGANISER, &mut server);
    assert_eq!(
        try_merge(
            organiser.one::<Person>(KEPT.0).as_ref(),
            organiser.one::<Person>(GONE.0).as_ref()
        ),
        Err(Refused::GoneMissing)
    );
}

#[test]
fn fill_blanks_never_overwrites_a_value_the_kept_person_holds() {
    let full = Person {
        email: Some("ann.first@example.org".into()),
        address: Some("2 Example Road".into()),
        postcode: Some("SW1A 2AA".into()),
        ..kept()
    };
    let merged = merge::merge(
        Some(&full),
        Some(&gone()),
        &[],
        ORGANISER,
        Timestamp(1),
        mint_from(1),
    )
    .unwrap();
    let changed: Vec<&str> = merged.merge.kept_changes.iter().map(|c| c.field).collect();
    // Only the sets grew and the consents moved where gone's statement is later or new.
    assert_eq!(
        changed,
        vec!["consent_phone", "consent_sms", "skills", "tags"]
    );
    for step in &merged.steps {
        if let Step::Set {
            key, field, before, ..
        } = step
            && key.id == KEPT.0
        {
            assert!(
                *before == Value::Null || field.starts_with("consent_"),
                "{field} overwritten"
            );
        }
    }
}

fn rejection(outcome: &Outcome) -> Rejection {
    match outcome {
        Outcome::Rejected { rejection } => rejection.clone(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The steps of a merge as a crafted push: creates, sets and set changes, in order.
fn as_ops(steps: &[Step]) -> Vec<(RecordKey, organise_core::sync::Op)> {
    use organise_core::sync::{Op, Version};
    steps
        .iter()
        .map(|step| match step {
            Step::Created(record) => support::creating(record),
            Step::Set {
                key, field, after, ..
            } => (
                *key,
                Op::SetField {
                    field: (*field).into(),
                    value: after.clone(),
                    base_version: Version(0),
                },
            ),
            Step::Added {
                key,
                field,
                element,
            } => (
                *key,
                Op::AddToSet {
                    field: (*field).into(),
                    element: element.clone(),
                },
            ),
            Step::Removed {
                key,
                field,
                element,
            } => (
                *key,
                Op::RemoveFromSet {
                    field: (*field).into(),
                    element: element.clone(),
                },
            ),
            Step::Deleted { record, .. } => (
                RecordKey {
                    collection: record.collection,
                    id: record.id,
                },
                Op::Delete {
                    base_version: Version(0),
                },
            ),
        })
        .collect()
}

#[test]
fn only_organisers_of_both_people_merge_them() {
    // Volunteers and hosts cannot, though they reach both.
    let tree = support::tree();
    let merged = merge::merge(
        Some(&kept()),
        Some(&gone()),
        &[],
        VOLUNTEER,
        Timestamp(1),
        mint_from(1),
    )
    .unwrap();
    let record = merged.merge.to_record();
    for (user, role) in [(VOLUNTEER, Role::Volunteer), (HOST, Role::Host)] {
        let mut actor = Actor::with_roles(user, [(role, WARD_NORTH)]);
        actor.people.extend([KEPT, GONE]);
        let rules = Permissions::new(&actor, &tree);
        assert_eq!(
            rules.can_apply(&support::create(&record), None),
            Err(Denied::OrganiserOnly)
        );
        assert!(!rules.can_read(&record));
        let gone = gone().to_record();
        assert_eq!(
            rules.can_apply(
                &support::set(&gone, "merged_into", Value::Id(KEPT.0)),
                Some(&gone)
            ),
            Err(Denied::OrganiserOnly)
        );
        assert!(!rules.can_merge(WARD_NORTH, WARD_NORTH));
    }
    let organiser = Actor::with_roles(ORGANISER, [(Role::Organiser, CONSTITUENCY)]);
    let rules = Permissions::new(&organiser, &tree);
    assert!(rules.can_read(&record));
    assert!(rules.can_merge(WARD_NORTH, WARD_NORTH));
    assert!(!rules.can_merge(WARD_NORTH, OTHER_REGION));
    // A merge is only ever marked undone.
    assert_eq!(
        rules.can_apply(
            &support::set(&record, "gone", Value::Id(BEN.0)),
            Some(&record)
        ),
        Err(Denied::MergesAreKept)
    );
    assert_eq!(
        rules.can_apply(&support::delete(&record), Some(&record)),
        Err(Denied::MergesAreKept)
    );
    assert!(
        rules
            .can_apply(
                &support::set(&record, "undone", Value::Time(Timestamp(2))),
                Some(&record)
            )
            .is_ok()
    );

    // Through the server: a volunteer's push of a whole merge is refused and changes nothing;
    // so is an organiser's naming someone in an area they do not organise, though they see
    // them (a list of the other region is theirs to walk), and the other region's organiser's,
    // who organises only that someone. An admin of both merges them.
    let far = PersonId::from_u128(0x7F0);
    let mut server = world();
    let far_person = Person::new(far, OTHER_REGION, ADMIN, "Ann Example", Source::Doorstep);
    let far_list = List {
        area: OTHER_REGION,
        assignees: [ORGANISER].into(),
        ..List::read(&list(9, &[far])).unwrap()
    };
    let created = support::push_as(
        &mut server,
        ADMIN,
        vec![
            support::creating(&far_person.to_record()),
            support::creating(&far_list.to_record()),
        ],
    );
    assert!(
        created.iter().all(|o| matches!(o, Outcome::Applied { .. })),
        "{created:?}"
    );
    let organiser = server.actor(ORGANISER);
    let tree = server.area_tree();
    assert!(Permissions::new(&organiser, &tree).can_read(&far_person.to_record()));
    let merge_far = |by| {
        merge::merge(
            Some(&kept()),
            Some(&far_person),
            &[],
            by,
            Timestamp(1),
            mint_from(0x9300),
        )
        .unwrap()
    };
    let volunteer_merge = merge::merge(
        Some(&kept()),
        Some(&gone()),
        &[],
        VOLUNTEER,
        Timestamp(1),
        mint_from(0x9400),
    )
    .unwrap();
    let ops = as_ops(&volunteer_merge.steps);
    let outcomes = support::push_as(&mut server, VOLUNTEER, ops);
    let merge_outcome = outcomes.last().unwrap();
    assert!(
        matches!(
            rejection(merge_outcome),
            Rejection::Unauthorised { .. } | Rejection::NotFound
        ),
        "{outcomes:?}"
    );
    for by in [ORGANISER, ORGANISER_2] {
        let merged = merge_far(by);
        let merge_record = merged.merge.to_record();
        let outcomes = support::push_as(&mut server, by, vec![support::creating(&merge_record)]);
        assert!(
            matches!(
                rejection(&outcomes[0]),
                Rejection::Unauthorised {
                    reason: Denied::OrganiserOnly
                } | Rejection::Invalid { .. }
            ),
            "{by:?}: {outcomes:?}"
        );
        let far_key = RecordKey {
            collection: Collection::Person,
            id: far.0,
        };
        let outcomes = support::push_as(
            &mut server,
            by,
            vec![(
                far_key,
                organise_core::sync::Op::SetField {
                    field: "merged_into".into(),
                    value: Value::Id(KEPT.0),
                    base_version: organise_core::sync::Version(0),
                },
            )],
        );
        assert!(
            matches!(
                rejection(&outcomes[0]),
                Rejection::Unauthorised {
                    reason: Denied::OrganiserOnly
                } | Rejection::Invalid { .. }
                    | Rejection::NotFound
            ),
            "{by:?}: {outcomes:?}"
        );
    }
    let merged = merge_far(ADMIN);
    let ops = as_ops(&merged.steps);
    let outcomes = support::push_as(&mut server, ADMIN, ops);
    // (A conflict is a write too: these crafted changes were made on no version.)
    assert!(
        outcomes
            .iter()
            .all(|o| matches!(o, Outcome::Applied { .. } | Outcome::Conflicted { .. })),
        "{outcomes:?}"
    );
    let merged_far = server
        .visible_to(ADMIN)
        .0
        .into_values()
        .find(|s| s.id == far.0)
        .map(|s| s.fields["merged_into"].value.clone());
    assert_eq!(merged_far, Some(Value::Id(KEPT.0)));
}

#[test]
fn erasing_the_kept_person_erases_everyone_merged_into_them_and_the_merges() {
    let mut server = world();
    let mut organiser = phone(1, ORGANISER, &mut server);
    let merged = merge_on(&mut organiser);
    sync(&mut server, &mut organiser);
    server.erase(ADMIN, KEPT).unwrap();
    sync(&mut server, &mut organiser);
    assert!(organiser.one::<Person>(GONE.0).is_none());
    assert!(organiser.one::<Merge>(merged.merge.id.0).is_none());
    assert!(organiser.erased().contains(&GONE.0));
    assert_eq!(named(&organiser, GONE), BTreeSet::new());
}
