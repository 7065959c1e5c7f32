//! Merging duplicate people through the server: a merge made on one organiser's phone reaches
//! a second organiser's, history included (which the server turns, as it is never edited in
//! place), and so does its undo, made on the second phone.

use crate::support::{TestApp, person, replica};
use organise_core::change;
use organise_core::id::{ConversationId, PersonId, RecordId, Timestamp};
use organise_core::merge;
use organise_core::model::{Conversation, ConversationKind, Merge, Outcome, Person};
use organise_core::record::Entity;
use std::collections::BTreeSet;

fn mint() -> impl FnMut() -> RecordId {
    || RecordId::from_u128(crate::support::rand_u128())
}

#[tokio::test]
async fn a_merge_and_its_undo_reach_a_second_organisers_phone() {
    let app = TestApp::new().await;
    let london = app.area("London").await;
    let first = app
        .user("first@test.organise.invalid", "organiser", "London")
        .await;
    let second = app
        .user("second@test.organise.invalid", "organiser", "London")
        .await;
    let mut phone = replica(&first);
    let kept = person("Ann Example", london, first.user);
    let gone = Person {
        email: Some("ann@example.org".into()),
        ..Person::read(&person("Ann Exampel", london, first.user)).unwrap()
    }
    .to_record();
    let talk = Conversation {
        id: ConversationId(RecordId::from_u128(crate::support::rand_u128())),
        area: london,
        created_by: first.user,
        kind: ConversationKind::Doorstep,
        by: first.user,
        person: PersonId(gone.id),
        at: Timestamp(1_767_225_600_000),
        outcome: Outcome::Held,
        issues: BTreeSet::new(),
        interests: BTreeSet::new(),
        notes: None,
        follow_ups: Vec::new(),
        list: None,
    }
    .to_record();
    for record in [&kept, &gone, &talk] {
        phone.create(record).unwrap();
    }
    first.push_all(&app, &mut phone).await;
    first.pull_all(&app, &mut phone).await;
    let mut other = replica(&second);
    second.pull_all(&app, &mut other).await;

    // The first organiser merges Ann's second record into her first.
    let (kept_id, gone_id) = (PersonId(kept.id), PersonId(gone.id));
    let merged = merge::merge(
        phone.one::<Person>(kept.id).as_ref(),
        phone.one::<Person>(gone.id).as_ref(),
        &merge::referring(&phone, gone_id),
        first.user,
        Timestamp(1_767_225_700_000),
        mint(),
    )
    .unwrap();
    change::make(&merged.steps, &mut phone).unwrap();
    first.push_all(&app, &mut phone).await;
    assert_eq!(phone.rejected().count(), 0);
    second.pull_all(&app, &mut other).await;

    let merge_record = other
        .one::<Merge>(merged.merge.id.0)
        .expect("the merge reached them");
    assert_eq!(merge_record.undone, None);
    assert_eq!(
        other.one::<Person>(gone.id).unwrap().merged_into,
        Some(kept_id)
    );
    assert_eq!(
        other.one::<Person>(kept.id).unwrap().email.as_deref(),
        Some("ann@example.org")
    );
    assert_eq!(
        other.one::<Conversation>(talk.id).unwrap().person,
        kept_id,
        "the conversation, turned by the server"
    );

    // The second organiser undoes it; the first hears of it.
    let undone = merge::undo(
        &merge_record,
        other.one::<Person>(kept.id).as_ref(),
        other.one::<Person>(gone.id).as_ref(),
        &merge::repointed(&other, &merge_record),
        second.user,
        Timestamp(1_767_225_800_000),
        mint(),
    )
    .unwrap();
    change::make(&undone.steps, &mut other).unwrap();
    second.push_all(&app, &mut other).await;
    assert_eq!(other.rejected().count(), 0);
    first.pull_all(&app, &mut phone).await;

    assert_eq!(
        phone.one::<Merge>(merged.merge.id.0).unwrap().undone,
        Some(Timestamp(1_767_225_800_000))
    );
    assert_eq!(phone.one::<Person>(gone.id).unwrap().merged_into, None);
    assert_eq!(phone.one::<Person>(kept.id).unwrap().email, None);
    assert_eq!(
        phone.one::<Conversation>(talk.id).unwrap().person,
        gone_id,
        "the conversation, turned back"
    );
    app.remove().await;
}
