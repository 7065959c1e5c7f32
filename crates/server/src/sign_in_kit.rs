//! *Prepare sign-in*: the sign-in kit a meeting's host (or an organiser of its area) takes
//! while they have signal, so their device recognises on the night people of the meeting's
//! area whom it does not hold ([`organise_core::sign_in_kit`]).
//!
//! A kit holds, for each live person placed in the meeting's area or an area below it who
//! has a phone or an email, their id, their first name, digests of their phone and email
//! salted afresh for this kit, and a token signed for this meeting and this person
//! (`links::sign_for_kit`), which the store checks when an attendance of the meeting names
//! them as `matched` (`SqlStore`'s `ServerStore::vouched`). Nothing else about them: no
//! phone, email, surname or postcode. It is given to the same people as the meeting's links
//! and refused in the same words (`meeting_links::meeting_for` and `no_links`), and audited
//! (`meeting.sign_in_kit`, the meeting as subject, how many people it holds as the detail).
//!
//! When a push creates an attendance whose `matched` the store vouched for, the channels the
//! person ticked at the kiosk are recorded on their person as given at the meeting
//! ([`record_consents`]), in the push's transaction: the host cannot write a person they
//! cannot see, so the server writes it, as the person's own word.
//!
//! The people are read in a read-only transaction, so a ward's thousands never hold the
//! writers' lock; the key is taken (made on first use) and the kit audited in a short write
//! transaction after.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, State};
use organise_core::id::{MeetingId, PersonId, RecordId};
use organise_core::meetings::SIGN_IN_CONSENTS;
use organise_core::model::{Attendance, Consent, ConsentMethod, ConsentTopic, Meeting, Person};
use organise_core::record::{Collection, Entity};
use organise_core::sign_in_kit::{
    DIGEST_HEX, KitPerson, MAX_KIT_PEOPLE, SignInKit, digest_input, email_key, first_name,
    phone_key,
};
use organise_core::sync::server::{self as protocol, ServerStore};
use organise_core::sync::wire::RecordKey;
use sha2::{Digest, Sha256};

use crate::audit::AuditEntry;
use crate::auth::{self, Session};
use crate::error::{AppError, AppResult};
use crate::links::{self, Purpose};
use crate::meeting_links;
use crate::sync_store::{self, Access, SqlStore, StoreError};
use crate::{AppState, Timestamp};

/// `POST /api/meetings/{id}/sign-in-kit`: the meeting's sign-in kit, for its host and the
/// organisers of its area; anyone else is answered as if there were no such meeting.
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> AppResult<Json<SignInKit>> {
    let meeting = meeting_links::meeting_id(&id)?;
    let user = session.user.id;
    let (meeting, mut people) =
        sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
            let Some(meeting) = meeting_links::meeting_for(store, user, meeting)? else {
                return Ok((Err(AppError::NotFound), false));
            };
            if let Some(refusal) = meeting_links::no_links(&meeting) {
                return Ok((Err(refusal), false));
            }
            let people = people_for(store, &meeting)?;
            Ok((Ok((meeting, people)), false))
        })
        .await??;
    let complete = people.len() <= MAX_KIT_PEOPLE;
    people.truncate(MAX_KIT_PEOPLE);
    let now = state.clock.now();
    let entry = AuditEntry {
        at: now,
        actor: Some(user),
        action: "meeting.sign_in_kit",
        subject: Some(meeting.id.0),
        area: Some(meeting.area),
        detail: if complete {
            format!("people: {}", people.len())
        } else {
            format!("people: {}, not all", people.len())
        },
    };
    let key = sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        let key = links::key(store, Purpose::Kit)?;
        store.audit(&entry)?;
        Ok((key, true))
    })
    .await?;
    let salt = auth::random_token();
    let people = people
        .iter()
        .map(|person| kit_person(&key, meeting.id, &salt, person))
        .collect();
    Ok(Json(SignInKit {
        meeting: meeting.id,
        prepared_at: now,
        salt,
        people,
        complete,
    }))
}

/// The people a kit for `meeting` may hold: live, placed in its area or below it, with a
/// phone or an email a kit can compare. One more than [`MAX_KIT_PEOPLE`] at most, to tell
/// whether the kit holds them all.
fn people_for(store: &mut SqlStore<'_>, meeting: &Meeting) -> Result<Vec<Person>, StoreError> {
    let tree = protocol::area_tree(store)?;
    let areas = meeting_links::areas_within(&tree, meeting.area);
    Ok(store
        .people_with_contact_in(&areas, MAX_KIT_PEOPLE + 1)?
        .iter()
        .filter_map(|record| Person::read(record).ok())
        .filter(|person| contact_keys(person) != (None, None))
        .collect())
}

/// `person`'s phone and email as a kit compares them.
fn contact_keys(person: &Person) -> (Option<String>, Option<String>) {
    (
        person.phone.as_deref().and_then(phone_key),
        person.email.as_deref().and_then(email_key),
    )
}

/// What a kit for `meeting`, salted with `salt`, holds of `person`.
fn kit_person(key: &[u8; 32], meeting: MeetingId, salt: &str, person: &Person) -> KitPerson {
    let (phone, email) = contact_keys(person);
    KitPerson {
        person: person.id,
        token: links::sign_for_kit(key, meeting, person.id),
        first_name: first_name(&person.name),
        phone: phone.map(|phone| digest(salt, &phone)),
        email: email.map(|email| digest(salt, &email)),
    }
}

/// The kit's digest of `value` under `salt`: the first [`DIGEST_HEX`] hex digits of the
/// SHA-256 of [`digest_input`].
fn digest(salt: &str, value: &str) -> String {
    let mut hex = auth::hex(&Sha256::digest(digest_input(salt, value)));
    hex.truncate(DIGEST_HEX);
    hex
}

/// Records, on the person whom the attendance `id` (just created by a push) names as
/// `matched`, the channels they agreed at sign-in to be contacted by, as given at the meeting
/// when they signed in (or `now`, if the device did not say when). Only on the store's word
/// (a kit's token for that meeting and person), and only the channels a sign-in offers. A
/// consent they have given keeps its date, and an answer of theirs later than the sign-in (a
/// withdrawal through a link while the phone was offline) stands: this never withdraws or
/// overwrites. Someone no longer held (deleted or erased) is left alone.
pub(crate) fn record_consents(
    store: &mut SqlStore<'_>,
    id: RecordId,
    now: Timestamp,
) -> Result<(), StoreError> {
    let key = RecordKey {
        collection: Collection::Attendance,
        id,
    };
    let Some(stored) = store.record(key)? else {
        return Ok(());
    };
    let Ok(attendance) = Attendance::read(&stored.record) else {
        return Err(StoreError::Corrupt {
            what: "attendance",
            detail: id.to_string(),
        });
    };
    let (Some(person), Some(token)) = (attendance.matched, &attendance.returning) else {
        return Ok(());
    };
    if attendance.consents.is_empty() || !store.vouched(token, attendance.meeting, person)? {
        return Ok(());
    }
    let at = attendance.signed_in_at.unwrap_or(now);
    give_consents(store, person, &attendance.consents, at)
}

/// Gives `person` each of `topics` (of the sign-in's channels) they have not given, at `at`
/// at a meeting, unless they answered it later than that.
fn give_consents(
    store: &mut SqlStore<'_>,
    person: PersonId,
    topics: &BTreeSet<ConsentTopic>,
    at: Timestamp,
) -> Result<(), StoreError> {
    let topics: Vec<ConsentTopic> = topics
        .iter()
        .copied()
        .filter(|topic| SIGN_IN_CONSENTS.contains(topic))
        .collect();
    let given = Consent {
        given: true,
        at,
        method: ConsentMethod::Meeting,
    };
    links::answer_consents(store, person, &topics, given, |held| {
        !held.given && held.at < at
    })?;
    Ok(())
}
