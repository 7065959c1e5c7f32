//! Two people who look alike but are not one: an organiser sets them apart on one phone, the
//! pair is no longer suggested on a second organiser's phone after it syncs, and taking it back
//! there brings the suggestion back on the first. Only an organiser of both people may do it,
//! however the change is crafted.

use crate::support::{self, ADMIN, ORGANISER, ORGANISER_2, OTHER_REGION, VOLUNTEER, WARD_NORTH};
use organise_core::change::{self, Step};
use organise_core::duplicates::{self, Suggestion};
use organise_core::id::PersonId;
use organise_core::merge;
use organise_core::model::{Person, Source};
use organise_core::permission::Denied;
use organise_core::record::{Element, Entity};
use organise_core::sync::{ClientId, Op, Outcome, RecordKey, ReferenceServer, Rejection, Replica};
use organise_core::{Collection, Value};

const ANN: PersonId = PersonId::from_u128(0x801);
const ANNA: PersonId = PersonId::from_u128(0x802);
const FAR: PersonId = PersonId::from_u128(0x803);

/// Two people in the north ward who share a phone, both met at the door by its volunteer (who
/// therefore reaches them), and one in the other region.
fn world() -> ReferenceServer {
    let alike = |id, name: &str| {
        Person {
            phone: Some("+447700900801".into()),
            ..Person::new(id, WARD_NORTH, VOLUNTEER, name, Source::Doorstep)
        }
        .to_record()
    };
    let mut records = support::seed();
    records.extend([
        alike(ANN, "Ann Example"),
        alike(ANNA, "Anna Example"),
        Person::new(FAR, OTHER_REGION, ADMIN, "Ann Sample", Source::Doorstep).to_record(),
    ]);
    ReferenceServer::seeded(records)
}

fn sync(server: &mut ReferenceServer, phone: &mut Replica) {
    let user = phone.user();
    while let Some(request) = phone.push_request(100) {
        let response = server.push(user, &request).unwrap();
        phone.apply_push_response(&response);
        assert!(phone.rejected().next().is_none(), "nothing refused");
    }
    loop {
        let response = server.pull(user, &phone.pull_request(500)).unwrap();
        if !phone.apply_pull_response(&response).unwrap() {
            break;
        }
    }
}

fn phone(n: u128, user: organise_core::id::UserId, server: &mut ReferenceServer) -> Replica {
    let mut phone = Replica::new(ClientId::from_u128(n), user);
    sync(server, &mut phone);
    phone
}

/// The suggestions among the people on `phone`, as the duplicates screen finds them.
fn suggested(phone: &Replica) -> Vec<Suggestion> {
    duplicates::suggestions(&phone.all::<Person>())
}

fn person(phone: &Replica, id: PersonId) -> Person {
    phone.one::<Person>(id.0).expect("on the phone")
}

#[test]
fn a_pair_set_apart_on_one_organisers_phone_is_set_apart_on_every_phone() {
    let mut server = world();
    let mut first = phone(1, ORGANISER, &mut server);
    let mut second = phone(2, ADMIN, &mut server);
    assert_eq!(suggested(&first).len(), 1);
    assert_eq!(
        (suggested(&first)[0].a, suggested(&first)[0].b),
        (ANN, ANNA)
    );

    // Each names the other.
    let steps = duplicates::set_apart(ANNA, ANN);
    let added = |holder: PersonId, other: PersonId| Step::Added {
        key: RecordKey {
            collection: Collection::Person,
            id: holder.0,
        },
        field: "not_same_as",
        element: Element::Id(other.0),
    };
    assert_eq!(steps, vec![added(ANNA, ANN), added(ANN, ANNA)]);
    change::make(&steps, &mut first).unwrap();
    assert!(
        suggested(&first).is_empty(),
        "gone at once, before any sync"
    );
    sync(&mut server, &mut first);
    assert_eq!(suggested(&second).len(), 1, "not yet synced");
    sync(&mut server, &mut second);
    assert!(suggested(&second).is_empty());
    assert_eq!(
        duplicates::pairs_set_apart(&second.all::<Person>()),
        [(ANN, ANNA)].into()
    );

    // Taken back on the second phone, the pair is suggested again on the first.
    let again = duplicates::suggest_again(&person(&second, ANNA), &person(&second, ANN));
    assert_eq!(again.len(), 2, "both let go");
    change::make(&again, &mut second).unwrap();
    assert_eq!(suggested(&second).len(), 1);
    sync(&mut server, &mut second);
    sync(&mut server, &mut first);
    assert_eq!(suggested(&first).len(), 1);
    assert!(person(&first, ANN).not_same_as.is_empty());
    assert!(person(&first, ANNA).not_same_as.is_empty());
    // Nothing to take back now.
    assert!(duplicates::suggest_again(&person(&first, ANN), &person(&first, ANNA)).is_empty());
}

/// The outcome of `user`'s crafted push of one change to `id`'s record.
fn pushed(
    server: &mut ReferenceServer,
    user: organise_core::id::UserId,
    id: PersonId,
    op: Op,
) -> Outcome {
    let key = RecordKey {
        collection: Collection::Person,
        id: id.0,
    };
    support::push_as(server, user, vec![(key, op)]).remove(0)
}

fn adding(other: PersonId) -> Op {
    Op::AddToSet {
        field: "not_same_as".into(),
        element: Element::Id(other.0),
    }
}

#[test]
fn only_an_organiser_of_both_people_sets_them_apart() {
    let mut server = world();
    // The ward's volunteer reaches both, having met them; setting them apart is not theirs.
    let outcome = pushed(&mut server, VOLUNTEER, ANN, adding(ANNA));
    assert_eq!(
        outcome,
        Outcome::Rejected {
            rejection: Rejection::Unauthorised {
                reason: Denied::OrganiserOnly
            }
        }
    );
    // Nor is a new person arriving already set apart from someone.
    let made = Person {
        not_same_as: [ANN].into(),
        ..Person::new(
            PersonId::from_u128(0x804),
            WARD_NORTH,
            VOLUNTEER,
            "Ann Example",
            Source::Doorstep,
        )
    };
    let outcome = support::push_as(
        &mut server,
        VOLUNTEER,
        vec![support::creating(&made.to_record())],
    )
    .remove(0);
    assert_eq!(
        outcome,
        Outcome::Rejected {
            rejection: Rejection::Unauthorised {
                reason: Denied::OrganiserOnly
            }
        }
    );
    // An organiser of the constituency cannot name someone in a region they do not organise,
    // and the other region's organiser cannot write on the ward's people.
    let outcome = pushed(&mut server, ORGANISER, ANN, adding(FAR));
    assert!(
        matches!(
            &outcome,
            Outcome::Rejected {
                rejection: Rejection::Invalid { .. } | Rejection::Unauthorised { .. }
            }
        ),
        "{outcome:?}"
    );
    let outcome = pushed(&mut server, ORGANISER_2, FAR, adding(ANN));
    assert!(matches!(&outcome, Outcome::Rejected { .. }), "{outcome:?}");
    let held = |server: &mut ReferenceServer, id: PersonId| {
        server
            .visible_to(ADMIN)
            .0
            .into_values()
            .find(|r| r.id == id.0)
            .map(|r| r.fields["not_same_as"].value.clone())
    };
    for id in [ANN, FAR] {
        assert_eq!(
            held(&mut server, id),
            Some(Value::Ids([].into())),
            "{id:?} unchanged"
        );
    }
    // The organiser of both does it.
    let outcome = pushed(&mut server, ORGANISER, ANN, adding(ANNA));
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    assert_eq!(held(&mut server, ANN), Some(Value::Ids([ANNA.0].into())));
    // And only an organiser takes it back: the volunteer's crafted removal names nobody new,
    // and is refused all the same.
    let removing = Op::RemoveFromSet {
        field: "not_same_as".into(),
        element: Element::Id(ANNA.0),
    };
    let outcome = pushed(&mut server, VOLUNTEER, ANN, removing.clone());
    assert_eq!(
        outcome,
        Outcome::Rejected {
            rejection: Rejection::Unauthorised {
                reason: Denied::OrganiserOnly
            }
        }
    );
    assert_eq!(held(&mut server, ANN), Some(Value::Ids([ANNA.0].into())));
    let outcome = pushed(&mut server, ORGANISER, ANN, removing);
    assert!(matches!(outcome, Outcome::Applied { .. }), "{outcome:?}");
    assert_eq!(held(&mut server, ANN), Some(Value::Ids([].into())));
}

#[test]
fn a_mark_outlives_a_merge_of_either_into_someone_else() {
    // Cal shares the phone too. Anna is marked as not Cal; then Anna turns out to be Ann, and
    // is merged into her: Ann is not Cal either, so Ann and Cal are not suggested.
    const CAL: PersonId = PersonId::from_u128(0x805);
    let mut server = world();
    let cal = Person {
        phone: Some("+447700900801".into()),
        ..Person::new(CAL, WARD_NORTH, ORGANISER, "Cal Example", Source::Doorstep)
    };
    let outcome = support::push_as(
        &mut server,
        ORGANISER,
        vec![support::creating(&cal.to_record())],
    );
    assert!(matches!(outcome[0], Outcome::Applied { .. }), "{outcome:?}");
    let mut phone = phone(3, ORGANISER, &mut server);
    assert_eq!(suggested(&phone).len(), 3, "every pair of the three");
    change::make(&duplicates::set_apart(ANNA, CAL), &mut phone).unwrap();
    assert_eq!(suggested(&phone).len(), 2);
    let merged = merge::merge(
        Some(&person(&phone, ANN)),
        Some(&person(&phone, ANNA)),
        &merge::referring(&phone, ANNA),
        ORGANISER,
        organise_core::id::Timestamp(1),
        {
            let mut n = 0x900;
            move || {
                n += 1;
                organise_core::id::RecordId::from_u128(n)
            }
        },
    )
    .unwrap();
    change::make(&merged.steps, &mut phone).unwrap();
    sync(&mut server, &mut phone);
    let people: Vec<Person> = phone
        .all::<Person>()
        .into_iter()
        .filter(|p| p.merged_into.is_none())
        .collect();
    assert!(
        duplicates::suggestions(&people).is_empty(),
        "Ann and Cal are set apart"
    );
    assert_eq!(person(&phone, CAL).not_same_as, [ANN].into());
}
