//! Signed links the organisation gives people, so they can act without an account: withdrawing
//! their consent (the link on their data's export, and the one every message will carry), and
//! replying to a meeting or signing in at one on their own phone (`meeting_links`).
//!
//! A link's token is `hex(purpose ‖ record ‖ expiry ‖ tag)`: a purpose byte, the id of the
//! record it is for (the person, the meeting), the expiry in milliseconds, and a 128-bit keyed
//! BLAKE2b tag over them, personalised by the purpose, so a tag made for one purpose never
//! checks for another and a token names the one record it was made for. The key is 32 random
//! bytes per purpose, made on first use and kept in the database (`link_keys`), so every
//! server process checks the same links. Nothing is stored per link: a link works until it
//! expires, as often as its holder uses it, and a changed character breaks it.
//!
//! A sign-in kit's token ([`sign_for_kit`], `crate::sign_in_kit`) is made the same way for a
//! person, and its tag is also over the id of the meeting it was made for, which the token
//! does not carry: it checks only for that meeting. It never expires (a phone offline on the
//! night may push days later), and all it ever does is let that meeting's attendance name
//! that person.
//!
//! The public endpoints show nothing about the person: not their name, nor what they had
//! consented to. Every use from one address counts against a limit ([`LinkUse`]), so tokens
//! cannot be guessed at speed (not that 128 bits could be).

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use blake2::Blake2bMac;
use blake2::digest::consts::U16;
use blake2::digest::{FixedOutput, Mac, Update};
use organise_core::id::{MeetingId, PersonId, RecordId, UserId};
use organise_core::model::{Consent, ConsentMethod, ConsentTopic, Person};
use organise_core::permission::Permissions;
use organise_core::record::{Choice, Collection, Entity};
use organise_core::sync::server::{self as protocol, ServerStore};
use organise_core::sync::wire::RecordKey;
use organise_core::withdrawal::{ConsentLink, LinkOffer, TOPICS, Withdrawal, Withdrawn};
use sqlx::Row;

use crate::audit::AuditEntry;
use crate::auth::{self, Session};
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::sync_store::{self, Access, SqlStore, StoreError};
use crate::{AppState, Timestamp, throttle};

/// How long a consent link works: long enough for a message read weeks later.
pub const CONSENT_LINK_LIFETIME_MS: i64 = 180 * 24 * 60 * 60 * 1000;

/// Uses of links one address may make at once, and how often it earns another.
pub const LINK_LIMITS: throttle::SourceLimits = throttle::SourceLimits {
    burst: 20,
    refill: std::time::Duration::from_secs(6),
};

/// What a link is for. Each purpose has its own key and personalises its tags.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Withdrawing consent: the token names a person.
    Consent,
    /// Replying to a meeting: the token names the meeting.
    Rsvp,
    /// Signing in at a meeting: the token names the meeting.
    SignIn,
    /// Recognising someone at a meeting with its sign-in kit: the token names the person,
    /// and its tag covers the meeting too.
    Kit,
}

impl Purpose {
    fn byte(self) -> u8 {
        match self {
            Purpose::Consent => 1,
            Purpose::Rsvp => 2,
            Purpose::SignIn => 3,
            Purpose::Kit => 4,
        }
    }

    /// The key's name in `link_keys`, and the tag's personalisation (at most 16 bytes).
    fn name(self) -> &'static str {
        match self {
            Purpose::Consent => "consent",
            Purpose::Rsvp => "rsvp",
            Purpose::SignIn => "sign-in",
            Purpose::Kit => "sign-in-kit",
        }
    }
}

const RECORD_AT: usize = 1;
const EXPIRY_AT: usize = RECORD_AT + 16;
const TAG_AT: usize = EXPIRY_AT + 8;
const TOKEN_BYTES: usize = TAG_AT + 16;

/// Why a token does not work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Broken {
    /// Not a link we made for this purpose: mistyped, cut short or tampered with.
    Forged,
    /// Ours, but past its expiry.
    Expired,
}

/// The keyed MAC for `purpose`, fed the token's signed bytes and then `context`: what the tag
/// also covers without the token carrying it (a kit token's meeting; nothing for a link).
fn mac(key: &[u8; 32], purpose: Purpose, signed: &[u8], context: &[u8]) -> Blake2bMac<U16> {
    let mut mac =
        Blake2bMac::<U16>::new_with_salt_and_personal(key, &[], purpose.name().as_bytes())
            .expect("a 32-byte key and a short personalisation fit");
    Update::update(&mut mac, signed);
    Update::update(&mut mac, context);
    mac
}

/// A token for `purpose` naming `record`, working until `expires_at`, signed with `key`.
pub(crate) fn sign(
    key: &[u8; 32],
    purpose: Purpose,
    record: RecordId,
    expires_at: Timestamp,
) -> String {
    sign_over(key, purpose, record, expires_at, &[])
}

/// [`sign`], with the tag also over `context`.
fn sign_over(
    key: &[u8; 32],
    purpose: Purpose,
    record: RecordId,
    expires_at: Timestamp,
    context: &[u8],
) -> String {
    let mut token = Vec::with_capacity(TOKEN_BYTES);
    token.push(purpose.byte());
    token.extend_from_slice(record.0.as_bytes());
    token.extend_from_slice(&expires_at.0.to_be_bytes());
    let tag: [u8; 16] = mac(key, purpose, &token, context).finalize_fixed().into();
    token.extend_from_slice(&tag);
    auth::hex(&token)
}

/// The record a token names, if `key` signed it for `purpose` and it has not expired.
pub(crate) fn check(
    key: Option<&[u8; 32]>,
    purpose: Purpose,
    token: &str,
    now: Timestamp,
) -> Result<RecordId, Broken> {
    opened(key, purpose, token, now).map(|(record, _)| record)
}

/// [`check`], with the link's expiry.
fn opened(
    key: Option<&[u8; 32]>,
    purpose: Purpose,
    token: &str,
    now: Timestamp,
) -> Result<(RecordId, Timestamp), Broken> {
    let (record, expires_at) = verified(key, purpose, token, &[])?;
    if expires_at <= now {
        return Err(Broken::Expired);
    }
    Ok((record, expires_at))
}

/// The record a token names and its expiry, if `key` signed it for `purpose` over `context`,
/// whether or not it has expired.
fn verified(
    key: Option<&[u8; 32]>,
    purpose: Purpose,
    token: &str,
    context: &[u8],
) -> Result<(RecordId, Timestamp), Broken> {
    let bytes = unhex(token).ok_or(Broken::Forged)?;
    let (Some(key), true) = (key, bytes.len() == TOKEN_BYTES) else {
        return Err(Broken::Forged);
    };
    // Compared in constant time.
    mac(key, purpose, &bytes[..TAG_AT], context)
        .verify_slice(&bytes[TAG_AT..])
        .map_err(|_| Broken::Forged)?;
    if bytes[0] != purpose.byte() {
        return Err(Broken::Forged);
    }
    let uuid: [u8; 16] = bytes[RECORD_AT..EXPIRY_AT].try_into().expect("16 bytes");
    let expiry: [u8; 8] = bytes[EXPIRY_AT..TAG_AT].try_into().expect("8 bytes");
    Ok((
        RecordId(uuid::Uuid::from_bytes(uuid)),
        Timestamp(i64::from_be_bytes(expiry)),
    ))
}

/// The token a sign-in kit for `meeting` carries for `person`, signed with the
/// [`Purpose::Kit`] key: it never expires, and checks for no other meeting or person.
pub(crate) fn sign_for_kit(key: &[u8; 32], meeting: MeetingId, person: PersonId) -> String {
    let never = Timestamp(i64::MAX);
    sign_over(key, Purpose::Kit, person.0, never, meeting.0.0.as_bytes())
}

/// Whether `token` is one [`sign_for_kit`] made with `key` for `meeting` and `person`.
pub(crate) fn check_for_kit(
    key: &[u8; 32],
    token: &str,
    meeting: MeetingId,
    person: PersonId,
) -> bool {
    verified(Some(key), Purpose::Kit, token, meeting.0.0.as_bytes())
        .is_ok_and(|(record, _)| record == person.0)
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || !text.is_ascii() {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).ok())
        .collect()
}

/// The key for `purpose`, if one was ever made.
pub(crate) fn existing_key(
    store: &mut SqlStore<'_>,
    purpose: Purpose,
) -> Result<Option<[u8; 32]>, StoreError> {
    let row = store.optional(
        sqlx::query("SELECT secret FROM link_keys WHERE purpose = $1").bind(purpose.name()),
    )?;
    let Some(row) = row else { return Ok(None) };
    let secret: String = row.try_get("secret")?;
    unhex(&secret)
        .and_then(|bytes| <[u8; 32]>::try_from(bytes).ok())
        .map(Some)
        .ok_or(StoreError::Corrupt {
            what: "link key",
            detail: String::new(),
        })
}

/// The key for `purpose`, made now if there is none (in a writing transaction; when two
/// processes race, the first key stored is the one both use).
pub(crate) fn key(store: &mut SqlStore<'_>, purpose: Purpose) -> Result<[u8; 32], StoreError> {
    if let Some(key) = existing_key(store, purpose)? {
        return Ok(key);
    }
    store.execute(
        sqlx::query(
            "INSERT INTO link_keys (purpose, secret) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(purpose.name())
        .bind(auth::random_token()),
    )?;
    existing_key(store, purpose)?.ok_or(StoreError::Corrupt {
        what: "link key",
        detail: "not kept".into(),
    })
}

/// A link for `person` to withdraw their consent, working until [`CONSENT_LINK_LIFETIME_MS`]
/// from `now`, in a writing transaction (the key is made if there is none yet). The caller
/// has checked that the user asking may read them.
pub fn consent_link(
    store: &mut SqlStore<'_>,
    person: PersonId,
    now: Timestamp,
) -> Result<ConsentLink, StoreError> {
    Ok(signed_link(&key(store, Purpose::Consent)?, person, now))
}

fn signed_link(key: &[u8; 32], person: PersonId, now: Timestamp) -> ConsentLink {
    let expires_at = Timestamp(now.0 + CONSENT_LINK_LIFETIME_MS);
    ConsentLink {
        path: format!(
            "/consent/{}",
            sign(key, Purpose::Consent, person.0, expires_at)
        ),
        expires_at,
    }
}

/// An extractor that counts one use of a link against the request's source, refusing it with
/// `429` when the source has none left.
#[derive(Clone, Copy, Debug)]
pub struct LinkUse;

impl FromRequestParts<AppState> for LinkUse {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        state
            .link_sources
            .check(throttle::client_source(parts, state.config.behind_proxy))?;
        Ok(LinkUse)
    }
}

fn refused(broken: Broken) -> AppError {
    match broken {
        Broken::Forged => AppError::InvalidLink,
        Broken::Expired => AppError::ExpiredLink,
    }
}

/// `POST /api/people/{id}/consent-link`: a link for the person to withdraw their consent, for
/// anyone who may read them (to put in a message or a letter).
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> AppResult<Json<ConsentLink>> {
    let person = crate::people::person_id(&id)?;
    let user = session.user.id;
    let now = state.clock.now();
    // Read only, as a pull is: the writers' lock is taken just once, to make the key.
    let readable = sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        if !may_read(store, user, person)? {
            return Ok((None, false));
        }
        Ok((Some(existing_key(store, Purpose::Consent)?), false))
    })
    .await?;
    let key = match readable.ok_or(AppError::NotFound)? {
        Some(key) => key,
        None => {
            sync_store::run(&state.db, &state.trees, Access::Write, |store| {
                Ok((key(store, Purpose::Consent)?, true))
            })
            .await?
        }
    };
    Ok(Json(signed_link(&key, person, now)))
}

fn may_read(store: &mut SqlStore<'_>, user: UserId, person: PersonId) -> Result<bool, StoreError> {
    let key = RecordKey {
        collection: Collection::Person,
        id: person.0,
    };
    let Some(stored) = store.record(key)? else {
        return Ok(false);
    };
    let actor = protocol::actor(store, user)?;
    let tree = protocol::area_tree(store)?;
    Ok(Permissions::new(&actor, &tree).can_read(&stored.record))
}

/// `GET /api/consent/{token}`: what a link offers, if it works. Says nothing of the person.
pub async fn show(
    State(state): State<AppState>,
    _use: LinkUse,
    Path(token): Path<String>,
) -> AppResult<Json<LinkOffer>> {
    let now = state.clock.now();
    let expires_at = sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let key = existing_key(store, Purpose::Consent)?;
        Ok((
            opened(key.as_ref(), Purpose::Consent, &token, now).map(|(_, expires_at)| expires_at),
            false,
        ))
    })
    .await?
    .map_err(refused)?;
    Ok(Json(LinkOffer {
        topics: TOPICS.to_vec(),
        expires_at,
    }))
}

/// `POST /api/consent/{token}`: withdraws the consents asked for, on the person's record, as
/// the person themselves (method `link`), audited. The answer is the same whether or not the
/// organisation still holds them (an erased person has nothing left to withdraw).
pub async fn withdraw(
    State(state): State<AppState>,
    _use: LinkUse,
    Path(token): Path<String>,
    ApiJson(withdrawal): ApiJson<Withdrawal>,
) -> AppResult<Json<Withdrawn>> {
    let mut topics = withdrawal.topics;
    topics.sort();
    topics.dedup();
    if topics.is_empty() {
        return Err(AppError::bad_request("choose at least one way to stop"));
    }
    if let Some(other) = topics.iter().find(|t| !TOPICS.contains(t)) {
        return Err(AppError::bad_request(format!(
            "{} cannot be withdrawn through a link",
            other.as_str()
        )));
    }
    let now = state.clock.now();
    let answer = sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        store.lock_version()?;
        let key = existing_key(store, Purpose::Consent)?;
        let person = match check(key.as_ref(), Purpose::Consent, &token, now) {
            Ok(person) => PersonId(person),
            Err(broken) => return Ok((Err(broken), false)),
        };
        withdraw_consents(store, person, &topics, now)?;
        Ok((Ok(Withdrawn { topics }), true))
    })
    .await?;
    answer.map(Json).map_err(refused)
}

/// Withdraws `topics` of `person`'s consents at `now`, leaving any already withdrawn as they
/// were, and audits what changed. Nothing happens to a person no longer held.
fn withdraw_consents(
    store: &mut SqlStore<'_>,
    person: PersonId,
    topics: &[ConsentTopic],
    now: Timestamp,
) -> Result<(), StoreError> {
    let withdrawal = Consent {
        given: false,
        at: now,
        method: ConsentMethod::Link,
    };
    let Some((area, changed)) =
        answer_consents(store, person, topics, withdrawal, |held| held.given)?
    else {
        return Ok(());
    };
    let names: Vec<&str> = changed.iter().map(|t| t.as_str()).collect();
    store.audit(&AuditEntry {
        at: now,
        actor: None,
        action: "consent.withdraw",
        subject: Some(person.0),
        area: Some(area),
        detail: format!("through a link: {}", names.join(", ")),
    })?;
    Ok(())
}

/// Records `answer` as `person`'s answer for each of `topics` whose answer held is absent or
/// one `replaces` says it replaces, written as no user (the person said so themselves).
/// Returns the person's area and the topics changed, or `None` if nothing changed or the
/// person is no longer held.
pub(crate) fn answer_consents(
    store: &mut SqlStore<'_>,
    person: PersonId,
    topics: &[ConsentTopic],
    answer: Consent,
    replaces: impl Fn(&Consent) -> bool,
) -> Result<Option<(organise_core::id::AreaId, Vec<ConsentTopic>)>, StoreError> {
    let key = RecordKey {
        collection: Collection::Person,
        id: person.0,
    };
    let Some(stored) = store.record(key)? else {
        return Ok(None);
    };
    let Ok(mut held) = Person::read(&stored.record) else {
        return Err(StoreError::Corrupt {
            what: "person",
            detail: key.id.to_string(),
        });
    };
    let changed: Vec<ConsentTopic> = topics
        .iter()
        .copied()
        .filter(|t| held.consents.get(t).is_none_or(&replaces))
        .collect();
    if changed.is_empty() {
        return Ok(None);
    }
    for &topic in &changed {
        held.consents.insert(topic, answer);
    }
    let record = held.to_record();
    let fields: Vec<(&str, _)> = changed
        .iter()
        .map(|t| (t.field(), record.get(t.field()).clone()))
        .collect();
    let nobody = UserId(RecordId(uuid::Uuid::nil()));
    protocol::write_for_organisation(store, key, nobody, &fields)?;
    Ok(Some((stored.record.area, changed)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; 32] = [7; 32];
    const NOW: Timestamp = Timestamp(1_800_000_000_000);

    fn person() -> RecordId {
        RecordId(uuid::Uuid::from_u128(
            0x0123_4567_89ab_7def_8123_4567_89ab_cdef,
        ))
    }

    #[test]
    fn a_signed_link_names_its_person_until_it_expires() {
        let token = sign(&KEY, Purpose::Consent, person(), Timestamp(NOW.0 + 1000));
        assert_eq!(
            check(Some(&KEY), Purpose::Consent, &token, NOW),
            Ok(person())
        );
        assert_eq!(
            check(
                Some(&KEY),
                Purpose::Consent,
                &token,
                Timestamp(NOW.0 + 1000)
            ),
            Err(Broken::Expired)
        );
    }

    #[test]
    fn every_changed_character_breaks_a_link() {
        let token = sign(&KEY, Purpose::Consent, person(), Timestamp(NOW.0 + 1000));
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
            let tampered = String::from_utf8(bytes).unwrap();
            assert_eq!(
                check(Some(&KEY), Purpose::Consent, &tampered, NOW),
                Err(Broken::Forged),
                "character {i}"
            );
        }
        for cut in [0, 1, token.len() - 2, token.len() - 1] {
            assert_eq!(
                check(Some(&KEY), Purpose::Consent, &token[..cut], NOW),
                Err(Broken::Forged)
            );
        }
        let longer = format!("{token}00");
        assert_eq!(
            check(Some(&KEY), Purpose::Consent, &longer, NOW),
            Err(Broken::Forged)
        );
    }

    #[test]
    fn a_link_signed_with_another_key_or_none_is_forged() {
        let token = sign(&KEY, Purpose::Consent, person(), Timestamp(NOW.0 + 1000));
        assert_eq!(
            check(Some(&[8; 32]), Purpose::Consent, &token, NOW),
            Err(Broken::Forged)
        );
        assert_eq!(
            check(None, Purpose::Consent, &token, NOW),
            Err(Broken::Forged)
        );
        assert_eq!(
            check(Some(&KEY), Purpose::Consent, "not hex at all", NOW),
            Err(Broken::Forged)
        );
        assert_eq!(
            check(Some(&KEY), Purpose::Consent, "é", NOW),
            Err(Broken::Forged)
        );
    }

    #[test]
    fn a_later_expiry_written_into_a_link_breaks_its_tag() {
        let token = sign(&KEY, Purpose::Consent, person(), Timestamp(NOW.0 - 1));
        let mut bytes = unhex(&token).unwrap();
        bytes[EXPIRY_AT..TAG_AT].copy_from_slice(&(NOW.0 + 1_000_000).to_be_bytes());
        assert_eq!(
            check(Some(&KEY), Purpose::Consent, &auth::hex(&bytes), NOW),
            Err(Broken::Forged)
        );
    }

    #[test]
    fn a_link_made_for_one_purpose_works_for_no_other() {
        let purposes = [
            Purpose::Consent,
            Purpose::Rsvp,
            Purpose::SignIn,
            Purpose::Kit,
        ];
        for made in purposes {
            let token = sign(&KEY, made, person(), Timestamp(NOW.0 + 1000));
            for asked in purposes {
                let expected = if asked == made {
                    Ok(person())
                } else {
                    Err(Broken::Forged)
                };
                assert_eq!(
                    check(Some(&KEY), asked, &token, NOW),
                    expected,
                    "{made:?} asked as {asked:?}"
                );
            }
            // Not even with its purpose byte rewritten: the tag is personalised by purpose.
            let mut bytes = unhex(&token).unwrap();
            for asked in purposes.into_iter().filter(|p| *p != made) {
                bytes[0] = asked.byte();
                assert_eq!(
                    check(Some(&KEY), asked, &auth::hex(&bytes), NOW),
                    Err(Broken::Forged),
                    "{made:?} relabelled {asked:?}"
                );
            }
        }
    }

    #[test]
    fn a_kit_token_checks_for_its_meeting_and_person_alone_and_as_no_link() {
        let meeting = MeetingId(RecordId::from_u128(0x3EE7));
        let person = PersonId(person());
        let token = sign_for_kit(&KEY, meeting, person);
        assert!(check_for_kit(&KEY, &token, meeting, person));
        // Lower-case hex, short enough for an attendance's `returning`.
        assert_eq!(token.len(), 2 * TOKEN_BYTES);
        assert!(
            token
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
        );
        assert!(token.len() <= 200, "core's longest kit token");

        let other_meeting = MeetingId(RecordId::from_u128(0x3EE8));
        let other_person = PersonId(RecordId::from_u128(0x1234));
        assert!(!check_for_kit(&KEY, &token, other_meeting, person));
        assert!(!check_for_kit(&KEY, &token, meeting, other_person));
        assert!(!check_for_kit(&[8; 32], &token, meeting, person));
        for i in 0..token.len() {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = if bytes[i] == b'0' { b'1' } else { b'0' };
            let tampered = String::from_utf8(bytes).unwrap();
            assert!(
                !check_for_kit(&KEY, &tampered, meeting, person),
                "character {i}"
            );
        }
        // It opens no link, and no link of any purpose is a kit token.
        for purpose in [
            Purpose::Consent,
            Purpose::Rsvp,
            Purpose::SignIn,
            Purpose::Kit,
        ] {
            assert_eq!(
                check(Some(&KEY), purpose, &token, NOW),
                Err(Broken::Forged),
                "{purpose:?}"
            );
            let link = sign(&KEY, purpose, person.0, Timestamp(i64::MAX));
            assert!(!check_for_kit(&KEY, &link, meeting, person), "{purpose:?}");
        }
    }
}
