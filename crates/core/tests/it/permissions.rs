//! The area tree and the permission rules, role by role.

use crate::support::{
    self, ADMIN, CONSTITUENCY, COUNTRY, HOST, ORGANISER, OTHER_REGION, REGION, VOLUNTEER,
    WARD_NORTH, WARD_SOUTH,
};
use organise_core::id::{AreaId, RecordId};
use organise_core::model::Role;
use organise_core::permission::{Actor, Denied, Permissions};
use organise_core::sync::{ClientId, Mutation, Op, Seq, Version, schema};
use organise_core::{Area, AreaKind, AreaTree, Collection, Problem, Record};

fn tree() -> AreaTree {
    AreaTree::new(&support::areas())
}

#[test]
fn the_tree_answers_within() {
    let tree = tree();
    assert!(tree.is_within(WARD_NORTH, CONSTITUENCY));
    assert!(tree.is_within(WARD_NORTH, COUNTRY));
    assert!(tree.is_within(WARD_NORTH, WARD_NORTH));
    assert!(!tree.is_within(CONSTITUENCY, WARD_NORTH));
    assert!(!tree.is_within(WARD_NORTH, WARD_SOUTH));
    assert!(!tree.is_within(WARD_NORTH, OTHER_REGION));
    assert!(tree.problems().is_empty());
}

#[test]
fn a_bad_tree_is_reported_and_never_hangs() {
    let a = AreaId::from_u128(1);
    let b = AreaId::from_u128(2);
    let orphan = AreaId::from_u128(3);
    let mut areas = support::areas();
    areas.extend([
        Area {
            id: a,
            created_by: ADMIN,
            name: "Loop A".into(),
            kind: AreaKind::Ward,
            parent: Some(b),
        },
        Area {
            id: b,
            created_by: ADMIN,
            name: "Loop B".into(),
            kind: AreaKind::Ward,
            parent: Some(a),
        },
        Area {
            id: orphan,
            created_by: ADMIN,
            name: "Orphan".into(),
            kind: AreaKind::Ward,
            parent: Some(REGION),
        },
    ]);
    let tree = AreaTree::new(&areas);
    assert!(!tree.is_within(a, COUNTRY));
    let problems = tree.problems();
    assert!(problems.contains(&(a, Problem::SelfReference)));
    assert!(problems.contains(&(
        orphan,
        Problem::WrongParent {
            expected: "a constituency".into()
        }
    )));
}

fn person(area: AreaId, by: organise_core::id::UserId) -> Record {
    support::person(RecordId::from_u128(0x99), "Jo Sample", area, by)
}

fn set_name(record: &Record) -> Mutation {
    Mutation {
        client_id: ClientId::from_u128(1),
        seq: Seq(1),
        schema_version: schema::CURRENT,
        collection: record.collection,
        record_id: record.id,
        op: Op::SetField {
            field: "name".into(),
            value: "Jo Test".into(),
            base_version: Version(0),
        },
    }
}

#[test]
fn organisers_see_and_change_their_areas_only() {
    let (tree, organiser) = (
        tree(),
        Actor::with_roles(ORGANISER, [(Role::Organiser, CONSTITUENCY)]),
    );
    let rules = Permissions::new(&organiser, &tree);
    let inside = person(WARD_SOUTH, ADMIN);
    let outside = person(OTHER_REGION, ADMIN);
    assert!(rules.can_read(&inside) && rules.can_apply(&set_name(&inside), Some(&inside)).is_ok());
    assert!(!rules.can_read(&outside));
    assert_eq!(
        rules.can_apply(&set_name(&outside), Some(&outside)),
        Err(Denied::OutsideScope)
    );
    let admin_role = support::role(VOLUNTEER, Role::Admin, WARD_NORTH);
    let create = |record: &Record| Mutation {
        op: Op::Create {
            area: record.area,
            fields: record.fields.clone(),
        },
        ..set_name(record)
    };
    assert_eq!(
        rules.can_apply(&create(&admin_role), None),
        Err(Denied::AdminOnly)
    );
    let volunteer_role = support::role(VOLUNTEER, Role::Volunteer, WARD_NORTH);
    assert!(rules.can_apply(&create(&volunteer_role), None).is_ok());
}

#[test]
fn volunteers_see_their_lists_people_and_what_they_created() {
    let tree = tree();
    let on_list = person(WARD_NORTH, ADMIN);
    let list = Record::new(
        Collection::List,
        RecordId::from_u128(0x50),
        WARD_NORTH,
        ADMIN,
    )
    .with("name", "Walk list")
    .with("kind", "walk")
    .with("members", organise_core::Value::Ids([on_list.id].into()))
    .with("assignees", organise_core::Value::Ids([VOLUNTEER.0].into()));
    let role = support::role(VOLUNTEER, Role::Volunteer, WARD_NORTH);
    let stranger = support::person(RecordId::from_u128(0x98), "Sam Example", WARD_NORTH, ADMIN);
    let own = support::person(
        RecordId::from_u128(0x97),
        "Chris Fake",
        WARD_NORTH,
        VOLUNTEER,
    );
    let records = [
        on_list.clone(),
        list.clone(),
        role,
        stranger.clone(),
        own.clone(),
    ];
    let volunteer = Actor::derive(VOLUNTEER, &records);
    let rules = Permissions::new(&volunteer, &tree);
    assert!(rules.can_read(&list));
    assert!(
        rules.can_read(&on_list) && rules.can_apply(&set_name(&on_list), Some(&on_list)).is_ok()
    );
    assert!(rules.can_read(&own));
    assert!(!rules.can_read(&stranger));
    assert_eq!(
        rules.can_apply(&set_name(&stranger), Some(&stranger)),
        Err(Denied::OutsideScope)
    );
    let delete = Mutation {
        op: Op::Delete {
            base_version: Version(0),
        },
        ..set_name(&on_list)
    };
    assert_eq!(
        rules.can_apply(&delete, Some(&on_list)),
        Err(Denied::OrganiserOnly)
    );
    let conversation = Record::new(
        Collection::Conversation,
        RecordId::from_u128(0x60),
        WARD_NORTH,
        ADMIN,
    )
    .with("person", on_list.id);
    assert!(
        rules.can_read(&conversation),
        "volunteers see who asked not to be knocked again"
    );
}

#[test]
fn hosts_see_their_meetings_and_attendees() {
    let tree = tree();
    let meeting = Record::new(
        Collection::Meeting,
        RecordId::from_u128(0x70),
        WARD_NORTH,
        ADMIN,
    )
    .with("host", HOST.0);
    let attendee = person(WARD_NORTH, ADMIN);
    let attendance = Record::new(
        Collection::Attendance,
        RecordId::from_u128(0x71),
        WARD_NORTH,
        ADMIN,
    )
    .with("meeting", meeting.id)
    .with("person", attendee.id);
    let role = support::role(HOST, Role::Host, WARD_NORTH);
    let host = Actor::derive(
        HOST,
        &[meeting.clone(), attendee.clone(), attendance.clone(), role],
    );
    let rules = Permissions::new(&host, &tree);
    assert!(rules.can_read(&meeting) && rules.can_edit(&meeting));
    assert!(rules.can_read(&attendance) && rules.can_read(&attendee));
    let nobody = Actor::new(HOST);
    assert!(
        !Permissions::new(&nobody, &tree).can_read(&attendee),
        "a host without a role sees nobody"
    );
}

#[test]
fn only_admins_erase() {
    let tree = tree();
    let target = person(WARD_NORTH, ADMIN);
    assert!(
        Permissions::new(&Actor::with_roles(ADMIN, [(Role::Admin, COUNTRY)]), &tree)
            .can_erase(&target)
    );
    assert!(
        !Permissions::new(
            &Actor::with_roles(ORGANISER, [(Role::Organiser, CONSTITUENCY)]),
            &tree
        )
        .can_erase(&target)
    );
}

#[test]
fn whoever_recorded_a_conversation_may_take_it_back_and_nobody_else_but_organisers() {
    use organise_core::id::{ConversationId, PersonId, Timestamp};
    use organise_core::model::{Conversation, ConversationKind, Outcome};
    use organise_core::record::Entity;
    let tree = tree();
    let conversation = |by| {
        Conversation {
            id: ConversationId(RecordId::from_u128(0xC0)),
            area: WARD_NORTH,
            created_by: by,
            kind: ConversationKind::Doorstep,
            by,
            person: PersonId(RecordId::from_u128(0x99)),
            at: Timestamp(0),
            outcome: Outcome::NotHome,
            issues: Default::default(),
            interests: Default::default(),
            notes: None,
            follow_ups: Vec::new(),
            list: None,
        }
        .to_record()
    };
    let delete = |record: &Record| Mutation {
        op: Op::Delete {
            base_version: Version(1),
        },
        ..set_name(record)
    };
    let volunteer = Actor::with_roles(VOLUNTEER, [(Role::Volunteer, WARD_NORTH)]);
    let rules = Permissions::new(&volunteer, &tree);
    let own = conversation(VOLUNTEER);
    assert_eq!(rules.can_apply(&delete(&own), Some(&own)), Ok(()));
    let someone_elses = conversation(HOST);
    assert_eq!(
        rules.can_apply(&delete(&someone_elses), Some(&someone_elses)),
        Err(Denied::OrganiserOnly)
    );
    // Without a role any more, not even their own.
    let former = Actor::new(VOLUNTEER);
    assert!(
        Permissions::new(&former, &tree)
            .can_apply(&delete(&own), Some(&own))
            .is_err()
    );
    // Still never edited in place: a person is not append-only, a conversation is.
    assert!(Collection::Conversation.is_append_only());
}

#[test]
fn volunteers_see_the_issues_of_their_ward_and_of_every_area_around_it() {
    use organise_core::id::IssueId;
    use organise_core::model::Issue;
    use organise_core::record::Entity;
    let tree = tree();
    let issue = |area| {
        Issue {
            id: IssueId(RecordId::from_u128(0x15)),
            area,
            created_by: ORGANISER,
            name: "Housing".into(),
            parent: None,
        }
        .to_record()
    };
    let volunteer = Actor::with_roles(VOLUNTEER, [(Role::Volunteer, WARD_NORTH)]);
    let rules = Permissions::new(&volunteer, &tree);
    assert!(rules.can_read(&issue(WARD_NORTH)));
    assert!(
        rules.can_read(&issue(CONSTITUENCY)),
        "the constituency's issues"
    );
    assert!(rules.can_read(&issue(COUNTRY)), "the national issues");
    assert!(
        !rules.can_read(&issue(WARD_SOUTH)),
        "not the next ward's own"
    );
    assert!(!rules.can_read(&issue(OTHER_REGION)));
    // And a volunteer may add one at the door, in their own ward only.
    let create = |record: &Record| Mutation {
        op: Op::Create {
            area: record.area,
            fields: record.fields.clone(),
        },
        ..set_name(record)
    };
    assert!(rules.can_apply(&create(&issue(WARD_NORTH)), None).is_ok());
    assert!(
        rules
            .can_apply(&create(&issue(CONSTITUENCY)), None)
            .is_err()
    );
}
