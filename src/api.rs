//! Calls to the server's JSON API, and the errors a screen can show from them.

use std::time::Duration;

use gloo_net::http::{Request, RequestBuilder, Response};
use leptos::prelude::{TimeoutHandle, set_timeout_with_handle};
use organise_core::audit::AuditPage;
use organise_core::erasure::{EraseRequest, ErasureReason};
use organise_core::id::{AreaId, MeetingId, PersonId, RecordId};
use organise_core::invite::{
    Acceptance, CreatedInvite, Invite, InviteStatus, InviteSummary, NewInvite,
};
use organise_core::retention::{
    RetentionErase, RetentionErased, RetentionReview, RetentionRule, SetRetention,
};
use organise_core::rsvp::{
    MeetingLinks, PublicMeeting, PublicSignIn, RsvpAnswer, RsvpForm, SelfSignIn, SignedInAnswer,
};
use organise_core::session::{Credentials, ErrorBody, SessionInfo};
use organise_core::sign_in_kit::SignInKit;
use organise_core::sync::wire::{
    PullRefusal, PullRequest, PullResponse, PushRefusal, PushRequest, PushResponse,
};
use organise_core::validate::FieldProblem;
use organise_core::withdrawal::{ConsentLink, LinkOffer, Withdrawal, Withdrawn};
use serde::Deserialize;
use serde::Serialize;
use web_sys::{AbortController, AbortSignal};

use crate::i18n::t;

/// How long a call may take, its answer read to the end included, before it is given up. A
/// phone on one bar of signal can send a request and never hear back: without a limit the
/// sync bar would say "Syncing…" until the app was closed, and nothing would be tried again.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// Why a call failed, worded for the person holding the phone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ApiError {
    /// No connection to the server.
    Offline,
    /// The server did not answer within [`TIME_LIMIT`].
    TimedOut,
    /// The server no longer knows the session (it expired, or was ended elsewhere).
    SignedOut,
    /// The server refused with a message meant for the user.
    Refused {
        /// The HTTP status.
        status: u16,
        /// The server's sentence.
        message: String,
        /// What was wrong with each field, when the values were the trouble.
        fields: Vec<FieldProblem>,
        /// Where an invitation stands, when the refusal is a link that no longer works.
        invite: Option<InviteStatus>,
    },
    /// The server answered with something the app did not understand.
    Unexpected,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ApiError::Offline => f.write_str(t::app_error_offline()),
            ApiError::TimedOut => f.write_str(t::app_error_timed_out()),
            ApiError::SignedOut => f.write_str(t::app_error_signed_out()),
            ApiError::Refused { message, .. } => {
                let mut chars = message.chars();
                match chars.next() {
                    Some(first) => write!(f, "{}{}.", first.to_uppercase(), chars.as_str()),
                    None => f.write_str(t::app_error_refused()),
                }
            }
            ApiError::Unexpected => f.write_str(t::app_error_unexpected()),
        }
    }
}

/// The JSON body of `response`, read as bytes. Read as text, a pull page would be decoded into
/// a JavaScript string and encoded back into the wasm's memory: about a twentieth of a first
/// sync's time.
async fn json_body<T: for<'de> Deserialize<'de>>(response: Response) -> Result<T, ApiError> {
    let bytes = response.binary().await.map_err(|_| ApiError::Unexpected)?;
    serde_json::from_slice(&bytes).map_err(|_| ApiError::Unexpected)
}

async fn read<T: for<'de> Deserialize<'de>>(response: Response) -> Result<T, ApiError> {
    if response.ok() {
        return json_body(response).await;
    }
    let status = response.status();
    match json_body::<ErrorBody>(response).await {
        Ok(body) => Err(ApiError::Refused {
            status,
            message: body.error,
            fields: body.fields,
            invite: body.invite,
        }),
        Err(_) => Err(ApiError::Unexpected),
    }
}

/// A call's [`TIME_LIMIT`]: aborts the request (and the reading of its answer) when it
/// passes. Browsers without `AbortController` have no limit.
struct TimeLimit {
    controller: Option<AbortController>,
    timer: Option<TimeoutHandle>,
}

impl TimeLimit {
    fn start() -> TimeLimit {
        let controller = AbortController::new().ok();
        let timer = controller.clone().and_then(|controller| {
            set_timeout_with_handle(move || controller.abort(), TIME_LIMIT).ok()
        });
        TimeLimit { controller, timer }
    }

    fn signal(&self) -> Option<AbortSignal> {
        self.controller.as_ref().map(AbortController::signal)
    }

    fn passed(&self) -> bool {
        self.signal().is_some_and(|signal| signal.aborted())
    }
}

impl Drop for TimeLimit {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            timer.clear();
        }
    }
}

/// Sends `request`, with `body` as JSON, and reads its answer with `answer`, within
/// [`TIME_LIMIT`]. No answer at all is [`ApiError::Offline`]; one that took too long,
/// [`ApiError::TimedOut`].
async fn call<T>(
    request: RequestBuilder,
    body: Option<&impl Serialize>,
    answer: impl AsyncFnOnce(Response) -> Result<T, ApiError>,
) -> Result<T, ApiError> {
    let limit = TimeLimit::start();
    let request = request.abort_signal(limit.signal().as_ref());
    let request = match body {
        Some(body) => request.json(body),
        None => request.build(),
    }
    .map_err(|_| ApiError::Unexpected)?;
    let outcome = match request.send().await {
        Ok(response) => answer(response).await,
        Err(_) => Err(ApiError::Offline),
    };
    match outcome {
        Err(_) if limit.passed() => Err(ApiError::TimedOut),
        outcome => outcome,
    }
}

/// An answer that needs the session: 401 says it is gone.
async fn read_signed_in<T: for<'de> Deserialize<'de>>(response: Response) -> Result<T, ApiError> {
    if response.status() == 401 {
        return Err(ApiError::SignedOut);
    }
    read(response).await
}

/// An answer with nothing in it but success or a refusal.
async fn read_done(response: Response) -> Result<(), ApiError> {
    match response.status() {
        401 => Err(ApiError::SignedOut),
        _ if response.ok() => Ok(()),
        _ => read::<serde_json::Value>(response).await.map(|_| ()),
    }
}

/// Signs in; the server sets the session cookie.
pub async fn sign_in(email: &str, password: &str) -> Result<SessionInfo, ApiError> {
    let credentials = Credentials {
        email: email.to_owned(),
        password: password.to_owned(),
    };
    call(Request::post("/api/session"), Some(&credentials), read).await
}

/// The current session, if the cookie holds a valid one ([`ApiError::SignedOut`] if not).
pub async fn current_session() -> Result<SessionInfo, ApiError> {
    call(Request::get("/api/session"), None::<&()>, read_signed_in).await
}

/// Signs out on the server.
pub async fn sign_out(csrf_token: &str) -> Result<(), ApiError> {
    let request = Request::delete("/api/session").header("x-csrf-token", csrf_token);
    call(request, None::<&()>, async |response: Response| {
        if response.ok() {
            Ok(())
        } else {
            read::<serde_json::Value>(response).await.map(|_| ())
        }
    })
    .await
}

/// A sync call's answer: the protocol's response, or its refusal of the whole request.
pub type SyncAnswer<T, R> = Result<Result<T, R>, ApiError>;

async fn sync_call<B: Serialize, T, R>(path: &str, csrf_token: &str, body: &B) -> SyncAnswer<T, R>
where
    T: for<'de> Deserialize<'de>,
    R: for<'de> Deserialize<'de>,
{
    let request = Request::post(path).header("x-csrf-token", csrf_token);
    call(
        request,
        Some(body),
        async |response: Response| match response.status() {
            401 => Err(ApiError::SignedOut),
            409 => json_body::<R>(response).await.map(Err),
            _ => read(response).await.map(Ok),
        },
    )
    .await
}

/// Sends a batch of the outbox.
pub async fn push(
    csrf_token: &str,
    request: &PushRequest,
) -> SyncAnswer<PushResponse, PushRefusal> {
    sync_call("/api/sync/push", csrf_token, request).await
}

/// Asks for a page of changes.
pub async fn pull(
    csrf_token: &str,
    request: &PullRequest,
) -> SyncAnswer<PullResponse, PullRefusal> {
    sync_call("/api/sync/pull", csrf_token, request).await
}

/// Sends a request the session's CSRF token guards, and reads its answer.
async fn guarded<T: for<'de> Deserialize<'de>>(
    request: RequestBuilder,
    csrf_token: &str,
    body: Option<&impl Serialize>,
) -> Result<T, ApiError> {
    call(
        request.header("x-csrf-token", csrf_token),
        body,
        read_signed_in,
    )
    .await
}

/// The latest invitations into the areas the signed-in user organises, newest first.
pub async fn invites(csrf_token: &str) -> Result<Vec<Invite>, ApiError> {
    guarded(Request::get("/api/invites"), csrf_token, None::<&()>).await
}

/// Makes an invitation, with the link to send (shown only now).
pub async fn invite(csrf_token: &str, new: &NewInvite) -> Result<CreatedInvite, ApiError> {
    guarded(Request::post("/api/invites"), csrf_token, Some(new)).await
}

/// A new link for a pending or expired invitation; the old link stops working.
pub async fn renew_invite(csrf_token: &str, id: RecordId) -> Result<CreatedInvite, ApiError> {
    let path = format!("/api/invites/{id}/link");
    guarded(Request::post(&path), csrf_token, None::<&()>).await
}

/// Withdraws a pending invitation, so that its link stops working.
pub async fn withdraw_invite(csrf_token: &str, id: RecordId) -> Result<(), ApiError> {
    let request = Request::delete(&format!("/api/invites/{id}")).header("x-csrf-token", csrf_token);
    call(request, None::<&()>, read_done).await
}

/// What an invitation link offers, to someone who is not signed in.
pub async fn join_link(token: &str) -> Result<InviteSummary, ApiError> {
    call(
        Request::get(&format!("/api/join/{token}")),
        None::<&()>,
        read,
    )
    .await
}

/// Accepts an invitation: the server makes the account and signs it in.
pub async fn join(token: &str, acceptance: &Acceptance) -> Result<SessionInfo, ApiError> {
    call(
        Request::post(&format!("/api/join/{token}")),
        Some(acceptance),
        read,
    )
    .await
}

/// Everything the server holds about `person`, as the JSON the server wrote it (for a subject
/// access request: saved as a file, unchanged).
pub async fn export_person(csrf_token: &str, person: PersonId) -> Result<Vec<u8>, ApiError> {
    let request =
        Request::get(&format!("/api/people/{person}/export")).header("x-csrf-token", csrf_token);
    call(
        request,
        None::<&()>,
        async |response: Response| match response.status() {
            401 => Err(ApiError::SignedOut),
            _ if response.ok() => response.binary().await.map_err(|_| ApiError::Unexpected),
            _ => read::<serde_json::Value>(response)
                .await
                .map(|_| Vec::new()),
        },
    )
    .await
}

/// Erases `person` for good, for `reason`; every phone purges them at its next sync.
pub async fn erase_person(
    csrf_token: &str,
    person: PersonId,
    reason: ErasureReason,
) -> Result<(), ApiError> {
    let request =
        Request::post(&format!("/api/people/{person}/erase")).header("x-csrf-token", csrf_token);
    call(request, Some(&EraseRequest { reason }), read_done).await
}

/// A link for `person` to withdraw their consent without an account.
pub async fn consent_link(csrf_token: &str, person: PersonId) -> Result<ConsentLink, ApiError> {
    let path = format!("/api/people/{person}/consent-link");
    guarded(Request::post(&path), csrf_token, None::<&()>).await
}

/// What a consent link offers, to someone who is not signed in.
pub async fn consent_offer(token: &str) -> Result<LinkOffer, ApiError> {
    call(
        Request::get(&format!("/api/consent/{token}")),
        None::<&()>,
        read,
    )
    .await
}

/// Withdraws the consents chosen through a consent link.
pub async fn withdraw_consent(token: &str, withdrawal: &Withdrawal) -> Result<Withdrawn, ApiError> {
    call(
        Request::post(&format!("/api/consent/{token}")),
        Some(withdrawal),
        read,
    )
    .await
}

/// The organisation's retention rule and whom it catches in the signed-in admin's areas.
pub async fn retention_review(csrf_token: &str) -> Result<RetentionReview, ApiError> {
    guarded(
        Request::get("/api/retention/review"),
        csrf_token,
        None::<&()>,
    )
    .await
}

/// Sets the retention rule's period, or removes the rule (national admins).
pub async fn set_retention(
    csrf_token: &str,
    months: Option<u32>,
) -> Result<Option<RetentionRule>, ApiError> {
    guarded(
        Request::put("/api/retention"),
        csrf_token,
        Some(&SetRetention { months }),
    )
    .await
}

/// Erases those of `people` the rule still catches, or only counts them (`dry_run`).
pub async fn retention_erase(
    csrf_token: &str,
    people: Vec<PersonId>,
    dry_run: bool,
) -> Result<RetentionErased, ApiError> {
    guarded(
        Request::post("/api/retention/erase"),
        csrf_token,
        Some(&RetentionErase { people, dry_run }),
    )
    .await
}

/// Which audit entries to read: a page before `before`, narrowed by the filters given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// Entries before this one (the `next` of the page before).
    pub before: Option<i64>,
    /// Only this action.
    pub action: Option<String>,
    /// Only what this user did.
    pub actor: Option<RecordId>,
    /// Only entries about this record or user.
    pub subject: Option<RecordId>,
    /// Only entries concerning this area or one within it.
    pub area: Option<AreaId>,
    /// Only entries at or after this time.
    pub from: Option<i64>,
    /// Only entries before this time.
    pub until: Option<i64>,
}

/// A page of the audit log, latest first, within what the signed-in admin may read.
pub async fn audit(csrf_token: &str, filter: &AuditFilter) -> Result<AuditPage, ApiError> {
    let mut query: Vec<(&str, String)> = Vec::new();
    let mut add = |name, value: Option<String>| {
        if let Some(value) = value {
            query.push((name, value));
        }
    };
    add("before", filter.before.map(|n| n.to_string()));
    add("action", filter.action.clone());
    add("actor", filter.actor.map(|id| id.to_string()));
    add("subject", filter.subject.map(|id| id.to_string()));
    add("area", filter.area.map(|id| id.to_string()));
    add("from", filter.from.map(|n| n.to_string()));
    add("until", filter.until.map(|n| n.to_string()));
    let request = Request::get("/api/audit").query(query.iter().map(|(k, v)| (*k, v.as_str())));
    guarded(request, csrf_token, None::<&()>).await
}

/// A meeting's public links (its RSVP link and its self sign-in link), for its host or an
/// organiser of its area.
pub async fn meeting_links(csrf_token: &str, meeting: MeetingId) -> Result<MeetingLinks, ApiError> {
    let path = format!("/api/meetings/{}/links", meeting.0);
    guarded(Request::post(&path), csrf_token, None::<&()>).await
}

/// What the device needs on the night to recognise people of the meeting's area who have
/// met us before, for its host or an organiser of its area.
pub async fn sign_in_kit(csrf_token: &str, meeting: MeetingId) -> Result<SignInKit, ApiError> {
    let path = format!("/api/meetings/{}/sign-in-kit", meeting.0);
    guarded(Request::post(&path), csrf_token, None::<&()>).await
}

/// The meeting an RSVP link is for, to someone who is not signed in.
pub async fn rsvp_offer(token: &str) -> Result<PublicMeeting, ApiError> {
    call(
        Request::get(&format!("/api/rsvp/{token}")),
        None::<&()>,
        read,
    )
    .await
}

/// Replies to a meeting through its RSVP link.
pub async fn rsvp(token: &str, form: &RsvpForm) -> Result<RsvpAnswer, ApiError> {
    call(
        Request::post(&format!("/api/rsvp/{token}")),
        Some(form),
        read,
    )
    .await
}

/// The meeting a self sign-in link is for, with the issues its form offers.
pub async fn sign_in_offer(token: &str) -> Result<PublicSignIn, ApiError> {
    call(
        Request::get(&format!("/api/sign-in-at/{token}")),
        None::<&()>,
        read,
    )
    .await
}

/// Signs oneself in to a meeting through its sign-in link.
pub async fn self_sign_in(token: &str, form: &SelfSignIn) -> Result<SignedInAnswer, ApiError> {
    call(
        Request::post(&format!("/api/sign-in-at/{token}")),
        Some(form),
        read,
    )
    .await
}
