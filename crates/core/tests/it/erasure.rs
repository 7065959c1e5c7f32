//! Erasure as a phone sees it before asking the server: who may erase a person, and what
//! erasing them takes with them.

use crate::support::{self, ADMIN, CONSTITUENCY, COUNTRY, OTHER_REGION, WARD_NORTH, WARD_SOUTH};
use organise_core::area::AreaTree;
use organise_core::change::{self, Step};
use organise_core::erasure::{ErasureReason, records_about};
use organise_core::id::{AreaId, ConversationId, PersonId, RecordId, Timestamp, UserId};
use organise_core::model::{Conversation, ConversationKind, Outcome, Role};
use organise_core::record::{Collection, Entity};
use organise_core::session::{RoleInArea, SessionUser};
use organise_core::sync::{ClientId, RecordKey, ReferenceServer, Replica};
use std::collections::BTreeSet;

fn signed_in(id: UserId, roles: &[(Role, AreaId)]) -> SessionUser {
    SessionUser {
        id,
        email: "someone@example.org".into(),
        display_name: "Someone".into(),
        roles: roles
            .iter()
            .map(|&(role, area)| RoleInArea { role, area })
            .collect(),
    }
}

/// The admin's `n`th doorstep conversation, with `person`.
fn talk(n: u128, person: PersonId) -> Conversation {
    Conversation {
        id: ConversationId::from_u128(0x500 + n),
        area: WARD_NORTH,
        created_by: ADMIN,
        kind: ConversationKind::Doorstep,
        by: ADMIN,
        person,
        at: Timestamp(10 + n as i64),
        outcome: Outcome::NotHome,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: None,
    }
}

#[test]
fn only_an_admin_of_an_area_holding_the_person_may_erase_them() {
    let tree = AreaTree::new(&support::areas());
    let person = support::person(RecordId::from_u128(0x301), "Ann Example", WARD_NORTH, ADMIN);
    let cases = [
        (Role::Admin, COUNTRY, true),
        (Role::Admin, CONSTITUENCY, true),
        (Role::Admin, WARD_NORTH, true),
        (Role::Admin, WARD_SOUTH, false),
        (Role::Admin, OTHER_REGION, false),
        (Role::Organiser, CONSTITUENCY, false),
        (Role::Volunteer, WARD_NORTH, false),
    ];
    for (role, area, may) in cases {
        let user = signed_in(ADMIN, &[(role, area)]);
        assert_eq!(user.may_erase(&person, &tree), may, "{role:?} of {area:?}");
    }
    // Only people are erased this way.
    let admin = signed_in(ADMIN, &[(Role::Admin, COUNTRY)]);
    let area = support::areas()[0].to_record();
    assert!(!admin.may_erase(&area, &tree));
}

#[test]
fn erasing_someone_takes_the_records_about_them_and_nobody_else_s() {
    let mut replica = Replica::new(ClientId::from_u128(0xC1), ADMIN);
    let ann = PersonId::from_u128(0x301);
    let bob = PersonId::from_u128(0x302);
    for (id, name) in [(ann, "Ann Example"), (bob, "Bob Example")] {
        replica
            .create(&support::person(id.0, name, WARD_NORTH, ADMIN))
            .unwrap();
    }
    for (n, person) in [(1, ann), (2, ann), (3, bob)] {
        replica.create(&talk(n, person).to_record()).unwrap();
    }
    assert_eq!(
        records_about(&replica, ann),
        [(Collection::Conversation, 2)]
    );
    assert_eq!(
        records_about(&replica, bob),
        [(Collection::Conversation, 1)]
    );
    assert!(records_about(&replica, PersonId::from_u128(0x3FF)).is_empty());
}

#[test]
fn reasons_are_written_as_the_api_and_the_audit_log_spell_them() {
    for reason in ErasureReason::ALL {
        let json = serde_json::to_value(reason).unwrap();
        assert_eq!(json, reason.as_str());
        assert_eq!(
            serde_json::from_value::<ErasureReason>(json).unwrap(),
            reason
        );
    }
}

/// A door saved just before the person was erased: once the erasure reaches the phone, the
/// save's undo (and the line saying it was saved) no longer stands, since it names someone who
/// is gone; a save about somebody else still does.
#[test]
fn a_save_about_someone_erased_since_no_longer_stands() {
    let mut server = ReferenceServer::seeded(support::seed());
    let mut phone = Replica::new(ClientId::from_u128(0xC1), ADMIN);
    let ann = PersonId::from_u128(0x301);
    let bob = PersonId::from_u128(0x302);
    for (id, name) in [(ann, "Ann Example"), (bob, "Bob Example")] {
        phone
            .create(&support::person(id.0, name, WARD_NORTH, ADMIN))
            .unwrap();
    }
    let sync = |server: &mut ReferenceServer, phone: &mut Replica| {
        if let Some(request) = phone.push_request(100) {
            let response = server.push(ADMIN, &request).unwrap();
            phone.apply_push_response(&response);
        }
        let response = server.pull(ADMIN, &phone.pull_request(500)).unwrap();
        phone.apply_pull_response(&response).unwrap();
    };
    sync(&mut server, &mut phone);
    let saved_about = |phone: &mut Replica, n: u128, person: PersonId| {
        let steps = vec![
            Step::Created(talk(n, person).to_record()),
            Step::Set {
                key: RecordKey {
                    collection: Collection::Person,
                    id: person.0,
                },
                field: "phone",
                before: organise_core::record::Value::Null,
                after: organise_core::record::Value::Text("+447700900123".into()),
            },
        ];
        change::make(&steps, phone).unwrap();
        steps
    };
    let about_ann = saved_about(&mut phone, 1, ann);
    let about_bob = saved_about(&mut phone, 2, bob);
    sync(&mut server, &mut phone);
    assert!(change::stands(&about_ann, &phone));
    assert!(change::stands(&about_bob, &phone));

    server.erase(ADMIN, ann).unwrap();
    sync(&mut server, &mut phone);
    assert!(!change::stands(&about_ann, &phone), "Ann was erased");
    assert!(change::stands(&about_bob, &phone), "Bob was not");
}

/// Changes a phone made about someone erased before it could send them are dropped, not left
/// to be rejected: the outbox keeps their seqs as `Void`, nothing of the person is sent, and the
/// phone can say how many went, once.
#[test]
fn unsent_changes_naming_someone_erased_since_are_dropped_and_counted_once() {
    let mut server = ReferenceServer::seeded(support::seed());
    let mut phone = Replica::new(ClientId::from_u128(0xC1), ADMIN);
    let ann = PersonId::from_u128(0x301);
    let bob = PersonId::from_u128(0x302);
    for (id, name) in [(ann, "Ann Example"), (bob, "Bob Example")] {
        phone
            .create(&support::person(id.0, name, WARD_NORTH, ADMIN))
            .unwrap();
    }
    let request = phone.push_request(100).unwrap();
    let response = server.push(ADMIN, &request).unwrap();
    phone.apply_push_response(&response);

    // Offline: two changes about Ann and one about Bob wait to be sent.
    phone.create(&talk(1, ann).to_record()).unwrap();
    let key = |person: PersonId| RecordKey {
        collection: Collection::Person,
        id: person.0,
    };
    phone
        .set_field(
            key(ann),
            "phone",
            organise_core::record::Value::Text("+447700900123".into()),
        )
        .unwrap();
    phone
        .set_field(
            key(bob),
            "phone",
            organise_core::record::Value::Text("+447700900124".into()),
        )
        .unwrap();

    // Ann is erased meanwhile; the phone hears of it before it sends.
    server.erase(ADMIN, ann).unwrap();
    let response = server.pull(ADMIN, &phone.pull_request(500)).unwrap();
    phone.apply_pull_response(&response).unwrap();
    assert_eq!(phone.take_dropped(), 2, "both changes about Ann");
    assert_eq!(phone.take_dropped(), 0, "said once");
    let request = phone.push_request(100).unwrap();
    assert!(
        !serde_json::to_string(&request)
            .unwrap()
            .contains(&ann.0.to_string()),
        "nothing naming Ann is sent"
    );
    let response = server.push(ADMIN, &request).unwrap();
    phone.apply_push_response(&response);
    assert_eq!(phone.rejected().count(), 0, "nothing left to be rejected");
    assert_eq!(phone.outbox().count(), 0);
    assert_eq!(
        phone.get(key(bob)).unwrap().get("phone"),
        &organise_core::record::Value::Text("+447700900124".into())
    );
}
