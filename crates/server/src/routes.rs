//! Every endpoint of the JSON API, once: its handler and its documentation side by side. The
//! router and the OpenAPI document are both built from [`api`], so they cannot drift apart.

use axum::extract::DefaultBodyLimit;
use axum::routing::{MethodRouter, delete, get, post, put};
use organise_core::session::{Credentials, SessionInfo};
use organise_core::sync::wire::{
    PullRefusal, PullRequest, PullResponse, PushRefusal, PushRequest, PushResponse,
};

use crate::openapi::{Answer, Caller, Endpoint, QueryParam, schema};
use crate::sync_api::Refused;
use crate::{
    AppState, audit, auth, invites, links, meeting_links, people, retention, sign_in_kit, sync_api,
};

const OK: &str = "Done.";

/// A meeting link the server did not sign (for that purpose).
const LINK_FORGED: Answer = Answer {
    status: 404,
    description: "Not a link the server signed for this (mistyped, cut short, altered, or another kind of link).",
    body: Some(schema::<organise_core::session::ErrorBody>),
};

/// Too many meeting links used from one address.
const LINK_LIMITED: Answer = Answer {
    status: 429,
    description: "Too many meeting links used from this address; `Retry-After` says when to try again.",
    body: Some(schema::<organise_core::session::ErrorBody>),
};

/// A public form too large to be one.
const FORM_TOO_LARGE: Answer = Answer {
    status: 413,
    description: "The form is larger than any a person fills in.",
    body: Some(schema::<organise_core::session::ErrorBody>),
};

/// A public form whose values were refused.
const FORM_REFUSED: Answer = Answer {
    status: 422,
    description: "Some values were refused (`fields`, named as the form names them: name, phone, email, postcode, consents, issues); nothing was stored.",
    body: Some(schema::<organise_core::session::ErrorBody>),
};

/// A sign-in link that worked once.
const SIGN_IN_GONE: Answer = Answer {
    status: 410,
    description: "Sign-in has closed (two hours after the meeting ended), or the meeting is not going ahead.",
    body: Some(schema::<organise_core::session::ErrorBody>),
};

/// A meeting that is not the caller's to prepare for.
const NOT_HOSTED: Answer = Answer {
    status: 404,
    description: "No such meeting, or one the caller neither hosts nor organises.",
    body: Some(schema::<organise_core::session::ErrorBody>),
};

/// A reply link that worked once.
const RSVP_GONE: Answer = Answer {
    status: 410,
    description: "Replies have closed (the meeting has started), or the meeting is not going ahead.",
    body: Some(schema::<organise_core::session::ErrorBody>),
};

/// The API's endpoints (paths below `/api`) with their handlers.
pub fn api() -> Vec<(Endpoint, MethodRouter<AppState>)> {
    vec![
        (
            Endpoint {
                method: "get",
                path: "/health",
                summary: "The server is up and its database answers.",
                caller: Caller::Anyone,
                query: &[],
                request: None,
                answers: &[Answer {
                    status: 200,
                    description: "Healthy.",
                    body: Some(schema::<crate::Health>),
                }],
            },
            get(crate::health),
        ),
        (
            Endpoint {
                method: "get",
                path: "/openapi.json",
                summary: "This document.",
                caller: Caller::Anyone,
                query: &[],
                request: None,
                answers: &[Answer {
                    status: 200,
                    description: "The OpenAPI 3.1 document.",
                    body: None,
                }],
            },
            get(crate::openapi_document),
        ),
        (
            Endpoint {
                method: "get",
                path: "/session",
                summary: "Who is signed in, and the CSRF token to send with writes.",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[Answer {
                    status: 200,
                    description: "The session.",
                    body: Some(schema::<SessionInfo>),
                }],
            },
            get(auth::current),
        ),
        (
            Endpoint {
                method: "post",
                path: "/session",
                summary: "Signs in with email and password; sets the session cookie.",
                caller: Caller::Anyone,
                query: &[],
                request: Some(schema::<Credentials>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "Signed in.",
                        body: Some(schema::<SessionInfo>),
                    },
                    Answer {
                        status: 401,
                        description: "The email and password do not match an account.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 429,
                        description: "Too many attempts from this address or at this account; see Retry-After.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 503,
                        description: "Too many passwords are being checked; see Retry-After.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(auth::sign_in),
        ),
        (
            Endpoint {
                method: "post",
                path: "/session/password",
                summary: "Changes the caller's password, given the current one, and ends every other session of theirs.",
                caller: Caller::SignedIn,
                query: &[],
                request: Some(schema::<auth::PasswordChange>),
                answers: &[
                    Answer {
                        status: 204,
                        description: "Changed; this session stays signed in, every other one is ended.",
                        body: None,
                    },
                    Answer {
                        status: 400,
                        description: "The current password is not right, or the new one is too short, too long or too easy to guess (per field in `fields`).",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 429,
                        description: "Too many attempts; see Retry-After.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 503,
                        description: "Too many passwords are being checked; see Retry-After.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(auth::change_password),
        ),
        (
            Endpoint {
                method: "delete",
                path: "/sessions",
                summary: "Signs out everywhere: ends every session of the caller, this one too, and clears the cookie.",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[Answer {
                    status: 204,
                    description: "Signed out everywhere.",
                    body: None,
                }],
            },
            delete(auth::sign_out_everywhere),
        ),
        (
            Endpoint {
                method: "delete",
                path: "/session",
                summary: "Signs out: ends the session and clears the cookie.",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[Answer {
                    status: 204,
                    description: "Signed out.",
                    body: None,
                }],
            },
            delete(auth::sign_out),
        ),
        (
            Endpoint {
                method: "post",
                path: "/sync/push",
                summary: "Applies a batch of mutations, all or nothing; replays are answered as before.",
                caller: Caller::SignedIn,
                query: &[],
                request: Some(schema::<PushRequest>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "Each mutation's outcome; all of them are durable.",
                        body: Some(schema::<PushResponse>),
                    },
                    Answer {
                        status: 409,
                        description: "The batch was refused as a whole (a gap, another user's client id, an old protocol); nothing was applied.",
                        body: Some(schema::<Refused<PushRefusal>>),
                    },
                ],
            },
            post(sync_api::push),
        ),
        (
            Endpoint {
                method: "post",
                path: "/sync/pull",
                summary: "One page of the changes the caller may see after their cursor.",
                caller: Caller::SignedIn,
                query: &[],
                request: Some(schema::<PullRequest>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "A page of changes.",
                        body: Some(schema::<PullResponse>),
                    },
                    Answer {
                        status: 409,
                        description: "The pull was refused (another user's client id, an old protocol).",
                        body: Some(schema::<Refused<PullRefusal>>),
                    },
                ],
            },
            post(sync_api::pull),
        ),
        (
            Endpoint {
                method: "post",
                path: "/people/{id}/erase",
                summary: "Erases a person for good, with everything about them (admins of their area); the reason is audited.",
                caller: Caller::SignedIn,
                query: &[],
                request: Some(schema::<organise_core::erasure::EraseRequest>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "Erased; every device purges them on its next pull.",
                        body: Some(schema::<people::Erased>),
                    },
                    Answer {
                        status: 400,
                        description: "No reason, or one that is not `request`, `retention` or `mistake`.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 404,
                        description: "No such person, or one outside what the caller may see.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(people::erase),
        ),
        (
            Endpoint {
                method: "get",
                path: "/people/{id}/export",
                summary: "Everything held about a person, for a subject access request (admins of their area).",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The export.",
                        body: Some(schema::<organise_core::erasure::Export>),
                    },
                    Answer {
                        status: 404,
                        description: "No such person, or one outside what the caller may see.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            get(people::export),
        ),
        (
            Endpoint {
                method: "post",
                path: "/people/{id}/consent-link",
                summary: "A signed link for the person to withdraw their consent without an account (anyone who may read them).",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The link's path and expiry.",
                        body: Some(schema::<organise_core::withdrawal::ConsentLink>),
                    },
                    Answer {
                        status: 404,
                        description: "No such person, or one outside what the caller may see.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(links::create),
        ),
        (
            Endpoint {
                method: "get",
                path: "/consent/{token}",
                summary: "What a consent link offers to withdraw; nothing about the person. Limited per address.",
                caller: Caller::Anyone,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The link works.",
                        body: Some(schema::<organise_core::withdrawal::LinkOffer>),
                    },
                    Answer {
                        status: 404,
                        description: "Not a link the server signed (mistyped, cut short or altered).",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 410,
                        description: "The link has expired.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 429,
                        description: "Too many links tried from this address; `Retry-After` says when to try again.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            get(links::show),
        ),
        (
            Endpoint {
                method: "post",
                path: "/consent/{token}",
                summary: "Withdraws the person's consent on the channels chosen, as they asked through the link; audited. Limited per address.",
                caller: Caller::Anyone,
                query: &[],
                request: Some(schema::<organise_core::withdrawal::Withdrawal>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "Withdrawn (also when nothing is held about them any more).",
                        body: Some(schema::<organise_core::withdrawal::Withdrawn>),
                    },
                    Answer {
                        status: 400,
                        description: "Nothing chosen, or a consent a link cannot withdraw.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 404,
                        description: "Not a link the server signed.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 410,
                        description: "The link has expired.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 429,
                        description: "Too many links tried from this address.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(links::withdraw),
        ),
        (
            Endpoint {
                method: "post",
                path: "/meetings/{id}/links",
                summary: "The meeting's public links: one to share for replies until it starts, one to show as a QR code for signing in on the night (its host and the organisers of its area).",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The links' paths and expiries.",
                        body: Some(schema::<organise_core::rsvp::MeetingLinks>),
                    },
                    NOT_HOSTED,
                    Answer {
                        status: 409,
                        description: "The meeting is not approved yet, or was cancelled: it has no links.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(meeting_links::create),
        ),
        (
            Endpoint {
                method: "post",
                path: "/meetings/{id}/sign-in-kit",
                summary: "The meeting's sign-in kit, to recognise on the night people of its area (and the areas below it) whom the device does not hold: for each, a first name, salted digests of their phone and email, and a token for this meeting; nothing else about them (its host and the organisers of its area). Audited.",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The kit; `complete` is false if the area holds more people than a kit does.",
                        body: Some(schema::<organise_core::sign_in_kit::SignInKit>),
                    },
                    NOT_HOSTED,
                    Answer {
                        status: 409,
                        description: "The meeting is not approved yet, or was cancelled: nobody signs in at it.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(sign_in_kit::create),
        ),
        (
            Endpoint {
                method: "get",
                path: "/rsvp/{token}",
                summary: "The meeting a reply link is for: its title, kind, times, place and whether it is full; nothing about who is coming. Limited per address.",
                caller: Caller::Anyone,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The link works.",
                        body: Some(schema::<organise_core::rsvp::PublicMeeting>),
                    },
                    LINK_FORGED,
                    RSVP_GONE,
                    LINK_LIMITED,
                ],
            },
            get(meeting_links::show_rsvp),
        ),
        (
            Endpoint {
                method: "post",
                path: "/rsvp/{token}",
                summary: "Replies to a meeting: a place, or the waiting list when it is full; never says whether the person was known. Audited; limited per address.",
                caller: Caller::Anyone,
                query: &[],
                request: Some(schema::<organise_core::rsvp::RsvpForm>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "Replied.",
                        body: Some(schema::<organise_core::rsvp::RsvpAnswer>),
                    },
                    Answer {
                        status: 400,
                        description: "Not a JSON reply.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    LINK_FORGED,
                    RSVP_GONE,
                    FORM_TOO_LARGE,
                    FORM_REFUSED,
                    LINK_LIMITED,
                ],
            },
            post(meeting_links::rsvp).layer(DefaultBodyLimit::max(meeting_links::MAX_FORM_BYTES)),
        ),
        (
            Endpoint {
                method: "get",
                path: "/sign-in-at/{token}",
                summary: "The meeting a sign-in link is for, and the issues its page offers; nothing about who came. Limited per address.",
                caller: Caller::Anyone,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The link works.",
                        body: Some(schema::<organise_core::rsvp::PublicSignIn>),
                    },
                    LINK_FORGED,
                    SIGN_IN_GONE,
                    LINK_LIMITED,
                ],
            },
            get(meeting_links::show_sign_in),
        ),
        (
            Endpoint {
                method: "post",
                path: "/sign-in-at/{token}",
                summary: "Signs someone in at a meeting on their own phone: counted only when under 16 or agreeing to no contact, else as a person; never says whether they were known. Audited; limited per address.",
                caller: Caller::Anyone,
                query: &[],
                request: Some(schema::<organise_core::rsvp::SelfSignIn>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "Signed in (or counted).",
                        body: Some(schema::<organise_core::rsvp::SignedInAnswer>),
                    },
                    Answer {
                        status: 400,
                        description: "Not a JSON sign-in.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    LINK_FORGED,
                    SIGN_IN_GONE,
                    FORM_TOO_LARGE,
                    FORM_REFUSED,
                    LINK_LIMITED,
                ],
            },
            post(meeting_links::sign_in)
                .layer(DefaultBodyLimit::max(meeting_links::MAX_FORM_BYTES)),
        ),
        (
            Endpoint {
                method: "get",
                path: "/retention",
                summary: "The organisation's retention rule, or null when none is set (admins).",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The rule.",
                        body: Some(schema::<Option<organise_core::retention::RetentionRule>>),
                    },
                    Answer {
                        status: 403,
                        description: "The caller is no admin.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            get(retention::show),
        ),
        (
            Endpoint {
                method: "put",
                path: "/retention",
                summary: "Sets the retention rule's period, or removes the rule (national admins); audited.",
                caller: Caller::SignedIn,
                query: &[],
                request: Some(schema::<organise_core::retention::SetRetention>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "The rule as it now stands.",
                        body: Some(schema::<Option<organise_core::retention::RetentionRule>>),
                    },
                    Answer {
                        status: 400,
                        description: "A period outside 6 to 120 months (`fields` names `months`).",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 403,
                        description: "The caller is no admin of the country.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            put(retention::set),
        ),
        (
            Endpoint {
                method: "get",
                path: "/retention/review",
                summary: "Whom the retention rule catches in the areas the caller administers (admins).",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The review.",
                        body: Some(schema::<organise_core::retention::RetentionReview>),
                    },
                    Answer {
                        status: 403,
                        description: "The caller is no admin.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            get(retention::review),
        ),
        (
            Endpoint {
                method: "post",
                path: "/retention/erase",
                summary: "Erases (or counts, in a dry run) those of the people given whom the rule still catches in the caller's areas; each erasure audited as retention.",
                caller: Caller::SignedIn,
                query: &[],
                request: Some(schema::<organise_core::retention::RetentionErase>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "Who was erased, or would be.",
                        body: Some(schema::<organise_core::retention::RetentionErased>),
                    },
                    Answer {
                        status: 400,
                        description: "No retention rule is set.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 403,
                        description: "The caller is no admin.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(retention::erase),
        ),
        (
            Endpoint {
                method: "get",
                path: "/audit",
                summary: "The audit log, latest first, for admins (scoped to the areas they administer).",
                caller: Caller::SignedIn,
                query: &[
                    QueryParam {
                        name: "before",
                        description: "Entries before this id: the `next` of the previous page.",
                        schema: schema::<i64>,
                    },
                    QueryParam {
                        name: "limit",
                        description: "The most entries to return (at most 200).",
                        schema: schema::<u32>,
                    },
                    QueryParam {
                        name: "action",
                        description: "Only this action (`person.erase`, `person.export`, `login`, …).",
                        schema: schema::<String>,
                    },
                    QueryParam {
                        name: "actor",
                        description: "Only what this user did (their id).",
                        schema: schema::<organise_core::id::UserId>,
                    },
                    QueryParam {
                        name: "subject",
                        description: "Only what was done to this record or user (its id).",
                        schema: schema::<organise_core::id::RecordId>,
                    },
                    QueryParam {
                        name: "area",
                        description: "Only entries concerning this area or an area within it.",
                        schema: schema::<organise_core::id::AreaId>,
                    },
                    QueryParam {
                        name: "from",
                        description: "Only entries at or after this time (milliseconds since the Unix epoch).",
                        schema: schema::<i64>,
                    },
                    QueryParam {
                        name: "until",
                        description: "Only entries before this time (milliseconds since the Unix epoch).",
                        schema: schema::<i64>,
                    },
                ],
                request: None,
                answers: &[Answer {
                    status: 200,
                    description: "A page of entries.",
                    body: Some(schema::<audit::AuditPage>),
                }],
            },
            get(audit::read),
        ),
        (
            Endpoint {
                method: "get",
                path: "/invites",
                summary: "The latest invitations into the areas the caller organises.",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[Answer {
                    status: 200,
                    description: "The invitations.",
                    body: Some(schema::<Vec<invites::Invite>>),
                }],
            },
            get(invites::list),
        ),
        (
            Endpoint {
                method: "post",
                path: "/invites",
                summary: "Makes an invitation link for someone to join with a role in an area.",
                caller: Caller::SignedIn,
                query: &[],
                request: Some(schema::<invites::NewInvite>),
                answers: &[Answer {
                    status: 201,
                    description: "The invitation and its link, shown only now.",
                    body: Some(schema::<invites::CreatedInvite>),
                }],
            },
            post(invites::create),
        ),
        (
            Endpoint {
                method: "delete",
                path: "/invites/{id}",
                summary: "Withdraws a pending invitation, so its link stops working.",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 204,
                        description: OK,
                        body: None,
                    },
                    Answer {
                        status: 404,
                        description: "No such invitation in the caller's areas.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            delete(invites::withdraw),
        ),
        (
            Endpoint {
                method: "post",
                path: "/invites/{id}/link",
                summary: "Makes a new link for a pending or expired invitation; the old link stops working.",
                caller: Caller::SignedIn,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The invitation and its new link, shown only now.",
                        body: Some(schema::<invites::CreatedInvite>),
                    },
                    Answer {
                        status: 400,
                        description: "The invitation was used or withdrawn.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 404,
                        description: "No such invitation in the caller's areas.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(invites::renew),
        ),
        (
            Endpoint {
                method: "get",
                path: "/join/{token}",
                summary: "What an invitation link offers.",
                caller: Caller::Anyone,
                query: &[],
                request: None,
                answers: &[
                    Answer {
                        status: 200,
                        description: "The invitation.",
                        body: Some(schema::<invites::InviteSummary>),
                    },
                    Answer {
                        status: 404,
                        description: "The link is not an invitation's.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 410,
                        description: "The invitation was used, withdrawn or has expired; `invite` says which.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            get(invites::show),
        ),
        (
            Endpoint {
                method: "post",
                path: "/join/{token}",
                summary: "Accepts an invitation: creates the account and signs in.",
                caller: Caller::Anyone,
                query: &[],
                request: Some(schema::<invites::Acceptance>),
                answers: &[
                    Answer {
                        status: 200,
                        description: "Signed in to the new account.",
                        body: Some(schema::<SessionInfo>),
                    },
                    Answer {
                        status: 404,
                        description: "The link is not an invitation's.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                    Answer {
                        status: 410,
                        description: "The invitation was used, withdrawn or has expired; `invite` says which.",
                        body: Some(schema::<organise_core::session::ErrorBody>),
                    },
                ],
            },
            post(invites::accept),
        ),
    ]
}

/// The documented endpoints alone.
pub fn endpoints() -> Vec<Endpoint> {
    api().into_iter().map(|(endpoint, _)| endpoint).collect()
}
