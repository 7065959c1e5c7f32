//! Changes through the sync engine, against a real IndexedDB in headless Chromium: a change
//! of several mutations is saved whole or not at all.
#![cfg(target_arch = "wasm32")]

use organise::sync::{self, SyncContext, WriteError};
use organise_core::Value;
use organise_core::id::{AreaId, PersonId, UserId};
use organise_core::model::{Person, Role, Source};
use organise_core::record::{Collection, Entity, Record};
use organise_core::session::{RoleInArea, SessionInfo, SessionUser};
use organise_core::sync::{ConflictId, LocalRefusal, RecordKey};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const WARD: AreaId = AreaId::from_u128(0xA3);
const VOLUNTEER: UserId = UserId::from_u128(0xB2);

fn person(n: u128) -> Record {
    Person::new(
        PersonId::from_u128(0x300 + n),
        WARD,
        VOLUNTEER,
        // A name, not a number: the replica refuses names with digits, as the server does.
        format!(
            "Sample Person {}",
            ["Ann", "Bea", "Cal", "Dee", "Eli"][n as usize % 5]
        ),
        Source::Doorstep,
    )
    .to_record()
}

fn key(record: &Record) -> RecordKey {
    RecordKey {
        collection: Collection::Person,
        id: record.id,
    }
}

async fn signed_in() {
    // The engine schedules its syncs as tasks, as it does in the app.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    sync::open(SyncContext::new())
        .await
        .expect("opening the device");
    sync::wipe().await.expect("wiping the device");
    let session = SessionInfo {
        user: SessionUser {
            id: VOLUNTEER,
            email: "volunteer@example.invalid".into(),
            display_name: "Sample Volunteer".into(),
            roles: vec![RoleInArea {
                role: Role::Volunteer,
                area: WARD,
            }],
        },
        csrf_token: "test".into(),
        expires_at: web_sys::js_sys::Date::now() as i64 + 24 * 60 * 60 * 1000,
    };
    sync::start(&session).await.expect("starting on the device");
}

fn outbox_len() -> usize {
    sync::read(|replica| replica.outbox().count()).expect("a loaded replica")
}

#[wasm_bindgen_test]
async fn a_change_refused_part_way_leaves_nothing_behind() {
    signed_in().await;
    let first = person(1);
    let refused = sync::write(|replica| {
        replica.create(&first)?;
        replica.resolve_conflict(ConflictId(999), Value::Null)
    })
    .await;
    assert_eq!(
        refused,
        Err(WriteError::Refused(LocalRefusal::NoSuchConflict))
    );
    assert_eq!(sync::read(|r| r.get(key(&first))), Some(None));
    assert_eq!(outbox_len(), 0);

    // The next change saves only itself: the refused creation does not ride along with it.
    let second = person(2);
    sync::write(|replica| replica.create(&second))
        .await
        .expect("saving a person");
    assert_eq!(outbox_len(), 1);
    assert!(sync::read(|r| r.get(key(&first))).flatten().is_none());
    assert!(sync::read(|r| r.get(key(&second))).flatten().is_some());
}

#[wasm_bindgen_test]
async fn a_change_of_several_mutations_is_saved_together() {
    signed_in().await;
    let (a, b) = (person(3), person(4));
    sync::write(|replica| {
        replica.create(&a)?;
        replica.create(&b)?;
        replica.set_field(key(&a), "phone", Value::Text("07700 900123".into()))
    })
    .await
    .expect("saving two people");
    assert_eq!(outbox_len(), 3);
}
