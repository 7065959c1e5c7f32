use organise_core::id::{AreaId, PersonId, RecordId, Timestamp, UserId};
use organise_core::model::{Consent, ConsentMethod, ConsentTopic, Person, Source};
use organise_core::retention::{RetentionRule, catches, last_contact};

const DAY: i64 = 24 * 60 * 60 * 1000;
const NOW: Timestamp = Timestamp(1_796_256_000_000);

fn rule(months: u32) -> RetentionRule {
    RetentionRule {
        months,
        set_by: UserId(RecordId::from_u128(1)),
        set_at: NOW,
    }
}

/// A UUIDv7 minted `days_ago` days before [`NOW`].
fn minted(days_ago: i64) -> RecordId {
    RecordId::new_v7(Timestamp(NOW.0 - days_ago * DAY), [9; 10])
}

fn met(days_ago: i64) -> Person {
    Person::new(
        PersonId(minted(days_ago)),
        AreaId(RecordId::from_u128(2)),
        UserId(RecordId::from_u128(3)),
        "Sam Synthetic",
        Source::Doorstep,
    )
}

fn consent(person: &mut Person, topic: ConsentTopic, given: bool, days_ago: i64) {
    person.consents.insert(
        topic,
        Consent {
            given,
            at: Timestamp(NOW.0 - days_ago * DAY),
            method: ConsentMethod::Doorstep,
        },
    );
}

#[test]
fn a_uuid_v7_says_when_it_was_minted_and_no_other_uuid_does() {
    assert_eq!(minted(3).minted_at(), Some(Timestamp(NOW.0 - 3 * DAY)));
    assert_eq!(RecordId::from_u128(5).minted_at(), None);
}

#[test]
fn someone_met_long_ago_with_no_consent_and_nothing_since_is_caught() {
    let person = met(800);
    let last = last_contact(&person, []);
    assert_eq!(last, Some(Timestamp(NOW.0 - 800 * DAY)));
    assert!(catches(&rule(24), &person, last, NOW));
    assert!(
        !catches(&rule(36), &person, last, NOW),
        "36 months is longer ago"
    );
}

#[test]
fn a_later_record_about_them_or_a_later_answer_about_consent_is_contact() {
    let person = met(800);
    let last = last_contact(&person, [minted(900), minted(100)]);
    assert_eq!(last, Some(Timestamp(NOW.0 - 100 * DAY)));
    assert!(!catches(&rule(24), &person, last, NOW));

    // Refusing consent a month ago was contact too, though it keeps nothing.
    let mut refused = met(800);
    consent(&mut refused, ConsentTopic::Email, false, 30);
    let last = last_contact(&refused, []);
    assert!(!catches(&rule(24), &refused, last, NOW));
    let mut refused_long_ago = met(800);
    consent(&mut refused_long_ago, ConsentTopic::Email, false, 790);
    let last = last_contact(&refused_long_ago, []);
    assert!(catches(&rule(24), &refused_long_ago, last, NOW));
}

#[test]
fn anyone_who_consented_to_be_contacted_is_kept_however_long_ago() {
    for topic in [
        ConsentTopic::Contact,
        ConsentTopic::Email,
        ConsentTopic::Sms,
        ConsentTopic::Phone,
    ] {
        let mut person = met(2000);
        consent(&mut person, topic, true, 1990);
        let last = last_contact(&person, []);
        assert!(!catches(&rule(24), &person, last, NOW), "{topic:?}");
    }
    // Keeping their story is not consent to be contacted.
    let mut person = met(2000);
    consent(&mut person, ConsentTopic::StoreStory, true, 1990);
    assert!(catches(&rule(24), &person, last_contact(&person, []), NOW));
}

#[test]
fn nobody_is_caught_when_their_last_contact_is_unknown() {
    let mut person = met(800);
    person.id = PersonId(RecordId::from_u128(77));
    assert_eq!(last_contact(&person, [RecordId::from_u128(78)]), None);
    assert!(!catches(&rule(6), &person, None, NOW));
}
