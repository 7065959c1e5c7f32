//! A meeting's public links: a host (or an organiser of its area) gets a link to share for
//! replies until the meeting starts, and one to show as a QR code on the night, so people reply
//! and sign in on their own phones without an account. The tokens are signed as every link
//! is ([`crate::links`]: `Purpose::Rsvp` and `Purpose::SignIn`, each with its own key), and
//! each names its meeting, so it works for no other meeting and no other purpose.
//!
//! The public endpoints read nothing but the meeting's title, kind, times, place, whether it
//! is full, and the issues near it. What someone sends is checked by core's rules
//! ([`organise_core::rsvp`]) before anything is looked up, and the answer is the same whether
//! or not they were known. A reply is matched to a person held only among the people in the
//! meeting's area its host may already see (same name, and same phone or email): the records
//! are written in the host's name, and a public form must not hand a host someone they could
//! not see (the reference rule). Everything is written through core's protocol as the
//! organisation ([`protocol::create_for_organisation`], [`protocol::write_for_organisation`]),
//! in one transaction under the writers' lock, and audited (`meeting.rsvp`,
//! `meeting.sign_in`, the meeting as subject, nothing about the person).

use axum::Json;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use organise_core::area::AreaTree;
use organise_core::change::Step;
use organise_core::id::{AreaId, MeetingId, RecordId, UserId};
use organise_core::meetings::SignedIn;
use organise_core::model::{Anonymous, Attendance, Issue, Meeting, MeetingStatus, Person};
use organise_core::permission::Permissions;
use organise_core::record::{Choice, Collection, Entity};
use organise_core::rsvp::{
    self, CheckedSignIn, IssueChoice, MeetingLinks, PublicMeeting, PublicSignIn, RsvpAnswer,
    RsvpForm, SelfSignIn, SignedInAnswer,
};
use organise_core::sync::server::{self as protocol, ServerStore};
use organise_core::sync::wire::RecordKey;

use crate::audit::AuditEntry;
use crate::auth::Session;
use crate::demo::new_id;
use crate::error::{AppError, AppResult};
use crate::json::ApiJson;
use crate::links::{self, Broken, Purpose};
use crate::sync_store::{self, Access, SqlStore, StoreError};
use crate::{AppState, Timestamp, throttle};

/// Uses of meeting links one address may make at once, and how often it earns another.
/// Roomier than consent links: everyone at a house meeting signs in over its host's Wi-Fi,
/// and at a launch over the hall's, each with a page read and a form sent; and phone networks
/// put many strangers behind one address. Guessing a 128-bit tag is hopeless at any rate.
pub const MEETING_LINK_LIMITS: throttle::SourceLimits = throttle::SourceLimits {
    burst: 60,
    refill: std::time::Duration::from_secs(2),
};

/// The largest form a public meeting page may send: a name, a phone, an email, a postcode,
/// three consents and a few dozen issues fit with room to spare.
pub const MAX_FORM_BYTES: usize = 8 * 1024;

/// An extractor that counts one use of a meeting link against the request's source, refusing
/// it with `429` when the source has none left.
#[derive(Clone, Copy, Debug)]
pub struct MeetingLinkUse;

impl FromRequestParts<AppState> for MeetingLinkUse {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        state
            .meeting_link_sources
            .check(throttle::client_source(parts, state.config.behind_proxy))?;
        Ok(MeetingLinkUse)
    }
}

pub(crate) fn meeting_id(text: &str) -> AppResult<MeetingId> {
    text.parse()
        .map(MeetingId)
        .map_err(|_| AppError::bad_request(format!("{text:?} is not a meeting id")))
}

fn meeting_key(meeting: MeetingId) -> RecordKey {
    RecordKey {
        collection: Collection::Meeting,
        id: meeting.0,
    }
}

fn read_meeting(record: &organise_core::Record) -> Result<Meeting, StoreError> {
    Meeting::read(record).map_err(|_| StoreError::Corrupt {
        what: "meeting",
        detail: record.id.to_string(),
    })
}

/// `POST /api/meetings/{id}/links`: the meeting's reply and sign-in links, for its host and
/// the organisers of its area; anyone else is answered as if there were no such meeting.
pub async fn create(
    State(state): State<AppState>,
    session: Session,
    Path(id): Path<String>,
) -> AppResult<Json<MeetingLinks>> {
    let meeting = meeting_id(&id)?;
    let user = session.user.id;
    // Read only, as a pull is: the writers' lock is taken just once, to make the keys.
    let (meeting, keys) = sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let Some(meeting) = meeting_for(store, user, meeting)? else {
            return Ok((Err(AppError::NotFound), false));
        };
        if let Some(refusal) = no_links(&meeting) {
            return Ok((Err(refusal), false));
        }
        let keys = (
            links::existing_key(store, Purpose::Rsvp)?,
            links::existing_key(store, Purpose::SignIn)?,
        );
        Ok((Ok((meeting, keys)), false))
    })
    .await??;
    let (rsvp_key, sign_in_key) = match keys {
        (Some(rsvp_key), Some(sign_in_key)) => (rsvp_key, sign_in_key),
        _ => {
            sync_store::run(&state.db, &state.trees, Access::Write, |store| {
                Ok((
                    (
                        links::key(store, Purpose::Rsvp)?,
                        links::key(store, Purpose::SignIn)?,
                    ),
                    true,
                ))
            })
            .await?
        }
    };
    let rsvp_expires = rsvp::replies_close(&meeting);
    let sign_in_expires = rsvp::sign_in_closes(&meeting);
    Ok(Json(MeetingLinks {
        rsvp: format!(
            "/rsvp/{}",
            links::sign(&rsvp_key, Purpose::Rsvp, meeting.id.0, rsvp_expires)
        ),
        rsvp_expires,
        sign_in: format!(
            "/sign-in-at/{}",
            links::sign(&sign_in_key, Purpose::SignIn, meeting.id.0, sign_in_expires)
        ),
        sign_in_expires,
    }))
}

/// The meeting `id`, if `user` may see it and hosts it or organises its area.
pub(crate) fn meeting_for(
    store: &mut SqlStore<'_>,
    user: UserId,
    id: MeetingId,
) -> Result<Option<Meeting>, StoreError> {
    let Some(stored) = store.record(meeting_key(id))? else {
        return Ok(None);
    };
    let actor = protocol::actor_for(store, user, &[])?;
    let tree = protocol::area_tree(store)?;
    let rules = Permissions::new(&actor, &tree);
    if !rules.can_read(&stored.record) {
        return Ok(None);
    }
    let meeting = read_meeting(&stored.record)?;
    Ok((meeting.host == user || rules.is_organiser_of(meeting.area)).then_some(meeting))
}

/// Why `meeting` has no links, if it has none.
pub(crate) fn no_links(meeting: &Meeting) -> Option<AppError> {
    match meeting.status {
        MeetingStatus::Approved => None,
        MeetingStatus::Proposed => Some(AppError::Conflict(
            "this meeting is not approved yet, so it has no links",
        )),
        MeetingStatus::Cancelled => Some(AppError::Conflict(
            "this meeting was cancelled, so it has no links",
        )),
    }
}

/// The meeting a `purpose` link's `token` names, while the link works: signed by us for
/// that purpose, before its expiry and before the meeting's as it stands now (a meeting moved
/// earlier closes its replies earlier), and the meeting still going ahead with a host who
/// still works for the organisation.
fn linked_meeting(
    store: &mut SqlStore<'_>,
    purpose: Purpose,
    token: &str,
    now: Timestamp,
) -> Result<Result<Meeting, AppError>, StoreError> {
    let closed = || match purpose {
        Purpose::SignIn => AppError::SignInClosed,
        _ => AppError::RepliesClosed,
    };
    let key = links::existing_key(store, purpose)?;
    let id = match links::check(key.as_ref(), purpose, token, now) {
        Ok(id) => MeetingId(id),
        Err(Broken::Forged) => return Ok(Err(AppError::InvalidLink)),
        Err(Broken::Expired) => return Ok(Err(closed())),
    };
    let Some(stored) = store.record(meeting_key(id))? else {
        return Ok(Err(AppError::MeetingGone));
    };
    let meeting = read_meeting(&stored.record)?;
    if !rsvp::has_links(&meeting) {
        return Ok(Err(AppError::MeetingGone));
    }
    let closes = match purpose {
        Purpose::SignIn => rsvp::sign_in_closes(&meeting),
        _ => rsvp::replies_close(&meeting),
    };
    if closes <= now {
        return Ok(Err(closed()));
    }
    // Records are written in the host's name: a host who no longer holds any role could not
    // see them, and their meeting is not going ahead.
    if protocol::actor_for(store, meeting.host, &[])?
        .roles
        .is_empty()
    {
        return Ok(Err(AppError::MeetingGone));
    }
    Ok(Ok(meeting))
}

/// Every attendance at `meeting`.
fn attendances_of(
    store: &mut SqlStore<'_>,
    meeting: &Meeting,
) -> Result<Vec<Attendance>, StoreError> {
    let keys: Vec<RecordKey> = store
        .records_mentioning(meeting.id.0)?
        .into_iter()
        .filter(|k| k.collection == Collection::Attendance)
        .collect();
    store.prefetch(&keys, &[])?;
    let mut attendances = Vec::with_capacity(keys.len());
    for key in keys {
        let Some(stored) = store.record(key)? else {
            continue;
        };
        let attendance = Attendance::read(&stored.record).map_err(|_| StoreError::Corrupt {
            what: "attendance",
            detail: key.id.to_string(),
        })?;
        if attendance.meeting == meeting.id {
            attendances.push(attendance);
        }
    }
    Ok(attendances)
}

/// The issues the sign-in page offers at `meeting`: those the door offers in its area.
fn offered_issues(
    store: &mut SqlStore<'_>,
    meeting: &Meeting,
) -> Result<Vec<IssueChoice>, StoreError> {
    let tree = protocol::area_tree(store)?;
    let issues: Vec<Issue> = store
        .records_in_areas(Collection::Issue, &tree.related(meeting.area))?
        .iter()
        .filter_map(|record| Issue::read(record).ok())
        .collect();
    Ok(rsvp::issues_near(&tree, issues, meeting.area))
}

/// The people a reply with `phone` or `email` may be from: placed in the meeting's area (or
/// within it), and already within its host's sight.
fn people_the_host_sees(
    store: &mut SqlStore<'_>,
    meeting: &Meeting,
    phone: Option<&str>,
    email: Option<&str>,
) -> Result<Vec<Person>, StoreError> {
    let tree = protocol::area_tree(store)?;
    let records = store.people_reached_by(&areas_within(&tree, meeting.area), phone, email)?;
    if records.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<RecordId> = records.iter().map(|r| r.id).collect();
    let host = protocol::actor_for(store, meeting.host, &ids)?;
    let rules = Permissions::new(&host, &tree);
    Ok(records
        .iter()
        .filter(|record| rules.can_read(record))
        .filter_map(|record| Person::read(record).ok())
        .collect())
}

/// `area` and every area below it: where the people a meeting placed there is for live.
pub(crate) fn areas_within(tree: &AreaTree, area: AreaId) -> Vec<AreaId> {
    tree.related(area)
        .into_iter()
        .filter(|&other| tree.is_within(other, area))
        .collect()
}

/// Writes `steps` as the organisation: records made in `host`'s name (see
/// [`protocol::create_for_organisation`]), fields set as no user (the person said so
/// themselves). A refusal is a fault here (core made the steps by the same rules), answered
/// as an internal error, and the caller rolls back.
fn write_steps(
    store: &mut SqlStore<'_>,
    host: UserId,
    steps: &[Step],
) -> Result<Result<(), AppError>, StoreError> {
    let nobody = UserId(RecordId(uuid::Uuid::nil()));
    for step in steps {
        match step {
            Step::Created(record) => {
                if let Err(rejection) =
                    protocol::create_for_organisation(store, host, record.clone())?
                {
                    // The rejection names fields and rules, never what was typed.
                    return Ok(Err(AppError::Internal(anyhow::anyhow!(
                        "the organisation's new {} was refused: {rejection:?}",
                        record.collection
                    ))));
                }
            }
            Step::Set {
                key, field, after, ..
            } => {
                protocol::write_for_organisation(store, *key, nobody, &[(field, after.clone())])?;
            }
            Step::Added { .. } | Step::Removed { .. } | Step::Deleted { .. } => {
                return Ok(Err(AppError::Internal(anyhow::anyhow!(
                    "a public form changed a set or deleted a record"
                ))));
            }
        }
    }
    Ok(Ok(()))
}

/// `GET /api/rsvp/{token}`: the meeting a reply link is for, while replies are open.
pub async fn show_rsvp(
    State(state): State<AppState>,
    _use: MeetingLinkUse,
    Path(token): Path<String>,
) -> AppResult<Json<PublicMeeting>> {
    let now = state.clock.now();
    sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let meeting = match linked_meeting(store, Purpose::Rsvp, &token, now)? {
            Ok(meeting) => meeting,
            Err(refused) => return Ok((Err(refused), false)),
        };
        let attendances = attendances_of(store, &meeting)?;
        Ok((Ok(PublicMeeting::of(&meeting, &attendances)), false))
    })
    .await?
    .map(Json)
}

/// `POST /api/rsvp/{token}`: a reply. Checked first, then matched to someone the host sees or
/// made someone new, given a place or put on the waiting list, and audited.
pub async fn rsvp(
    State(state): State<AppState>,
    _use: MeetingLinkUse,
    Path(token): Path<String>,
    ApiJson(form): ApiJson<RsvpForm>,
) -> AppResult<Json<RsvpAnswer>> {
    let contact = form.checked().map_err(AppError::unprocessable)?;
    let now = state.clock.now();
    let clock = state.clock.clone();
    sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        store.lock_version()?;
        let meeting = match linked_meeting(store, Purpose::Rsvp, &token, now)? {
            Ok(meeting) => meeting,
            Err(refused) => return Ok((Err(refused), false)),
        };
        let attendances = attendances_of(store, &meeting)?;
        let known = people_the_host_sees(
            store,
            &meeting,
            contact.phone.as_deref(),
            contact.email.as_deref(),
        )?;
        let returning = contact.returning(&known);
        let (status, steps) = match rsvp::rsvp_steps(
            &meeting,
            &contact,
            returning,
            &attendances,
            meeting.host,
            now,
            || new_id(&clock),
        ) {
            Ok(made) => made,
            Err(problems) => return Ok((Err(AppError::unprocessable(problems)), false)),
        };
        if let Err(refused) = write_steps(store, meeting.host, &steps)? {
            return Ok((Err(refused), false));
        }
        if !steps.is_empty() {
            let replied = steps.iter().any(|step| {
                matches!(step, Step::Created(record) if record.collection == Collection::Attendance)
            });
            store.audit(&AuditEntry {
                at: now,
                actor: None,
                action: "meeting.rsvp",
                subject: Some(meeting.id.0),
                area: Some(meeting.area),
                detail: if replied {
                    format!("through its link: {}", status_name(status))
                } else {
                    "through its link: consents given".into()
                },
            })?;
        }
        Ok((Ok(RsvpAnswer { status }), true))
    })
    .await?
    .map(Json)
}

fn status_name(status: rsvp::RsvpStatus) -> &'static str {
    match status {
        rsvp::RsvpStatus::Rsvp => organise_core::model::AttendanceStatus::Rsvp.as_str(),
        rsvp::RsvpStatus::Waiting => organise_core::model::AttendanceStatus::Waiting.as_str(),
    }
}

/// `GET /api/sign-in-at/{token}`: the meeting a sign-in link is for, and the issues its page
/// offers, while sign-in is open.
pub async fn show_sign_in(
    State(state): State<AppState>,
    _use: MeetingLinkUse,
    Path(token): Path<String>,
) -> AppResult<Json<PublicSignIn>> {
    let now = state.clock.now();
    sync_store::run(&state.db, &state.trees, Access::Read, move |store| {
        let meeting = match linked_meeting(store, Purpose::SignIn, &token, now)? {
            Ok(meeting) => meeting,
            Err(refused) => return Ok((Err(refused), false)),
        };
        let attendances = attendances_of(store, &meeting)?;
        let issues = offered_issues(store, &meeting)?;
        Ok((
            Ok(PublicSignIn {
                meeting: PublicMeeting::of(&meeting, &attendances),
                issues,
            }),
            false,
        ))
    })
    .await?
    .map(Json)
}

/// `POST /api/sign-in-at/{token}`: someone signing in on their own phone, by core's sign-in
/// rules: counted only (under 16, or agreeing to no contact), signed in as someone the host
/// sees, or someone new met at the meeting; nothing new for someone signed in already.
pub async fn sign_in(
    State(state): State<AppState>,
    _use: MeetingLinkUse,
    Path(token): Path<String>,
    ApiJson(form): ApiJson<SelfSignIn>,
) -> AppResult<Json<SignedInAnswer>> {
    let now = state.clock.now();
    let clock = state.clock.clone();
    let counted_only = form.counted_only();
    sync_store::run(&state.db, &state.trees, Access::Write, move |store| {
        store.lock_version()?;
        let meeting = match linked_meeting(store, Purpose::SignIn, &token, now)? {
            Ok(meeting) => meeting,
            Err(refused) => return Ok((Err(refused), false)),
        };
        let offered = offered_issues(store, &meeting)?;
        let checked = match form.checked(&offered) {
            Ok(checked) => checked,
            Err(problems) => return Ok((Err(AppError::unprocessable(problems)), false)),
        };
        let attendances = attendances_of(store, &meeting)?;
        let known = match &checked {
            CheckedSignIn::Counted => Vec::new(),
            CheckedSignIn::Someone(contact) => people_the_host_sees(
                store,
                &meeting,
                contact.phone.as_deref(),
                contact.email.as_deref(),
            )?,
        };
        let returning = match &checked {
            CheckedSignIn::Counted => None,
            CheckedSignIn::Someone(contact) => contact.returning(&known),
        };
        let (signed_in, steps) =
            match form.steps(&meeting, returning, &attendances, meeting.host, now, || {
                new_id(&clock)
            }) {
                Ok(made) => made,
                Err(problems) => return Ok((Err(AppError::unprocessable(problems)), false)),
            };
        if let Err(refused) = write_steps(store, meeting.host, &steps)? {
            return Ok((Err(refused), false));
        }
        if !steps.is_empty() {
            let detail = match signed_in {
                SignedIn::Counted(Anonymous::UnderSixteen) => "counted: under 16",
                SignedIn::Counted(Anonymous::NoConsent) => "counted: no consent",
                SignedIn::Welcomed(_) | SignedIn::New(_) | SignedIn::AlreadyHere(_) => "signed in",
            };
            store.audit(&AuditEntry {
                at: now,
                actor: None,
                action: "meeting.sign_in",
                subject: Some(meeting.id.0),
                area: Some(meeting.area),
                detail: format!("through its link: {detail}"),
            })?;
        }
        Ok((Ok(SignedInAnswer { counted_only }), true))
    })
    .await?
    .map(Json)
}
