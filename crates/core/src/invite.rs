//! The invitation wire types: an organiser names someone, a role and an area, and gets a link
//! (`/join/<token>`) to send by WhatsApp or text; whoever opens it chooses their email and
//! password and is signed in with that role. The server keeps the invitations; these are the
//! shapes the app and the server exchange.

use serde::{Deserialize, Serialize};

use crate::id::{AreaId, RecordId, Timestamp};
use crate::model::Role;

/// `POST /api/invites`: whom to invite, with which role, where.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct NewInvite {
    /// The invitee's name, as the inviter knows it (they confirm it when accepting).
    pub name: String,
    /// The role they will hold.
    pub role: Role,
    /// Where.
    pub area: AreaId,
}

/// Where an invitation stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase")]
pub enum InviteStatus {
    /// Its link works.
    Pending,
    /// Someone joined through it.
    Accepted,
    /// Its inviter (or the loss of the inviter's role) withdrew it.
    Withdrawn,
    /// Its link ran out of time.
    Expired,
}

impl InviteStatus {
    /// The status as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            InviteStatus::Pending => "pending",
            InviteStatus::Accepted => "accepted",
            InviteStatus::Withdrawn => "withdrawn",
            InviteStatus::Expired => "expired",
        }
    }

    /// Whether a new link may be made for it: one that is still pending, or that ran out of
    /// time unused. Joined and withdrawn invitations stay as they are.
    pub fn may_renew(self) -> bool {
        matches!(self, InviteStatus::Pending | InviteStatus::Expired)
    }
}

/// An invitation as its inviter sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Invite {
    /// Its id.
    pub id: RecordId,
    /// The invitee's name.
    pub name: String,
    /// Their role.
    pub role: Role,
    /// Where.
    pub area: AreaId,
    /// When it was made.
    pub created_at: Timestamp,
    /// When the link stops working.
    pub expires_at: Timestamp,
    /// Where it stands.
    pub status: InviteStatus,
}

/// A new link for an invitation, which is shown once and cannot be recovered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CreatedInvite {
    /// The invitation.
    pub invite: Invite,
    /// The link's path (`/join/…`), to put after the app's address.
    pub path: String,
}

/// What the person opening a working link sees before accepting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InviteSummary {
    /// Their name, as the inviter wrote it.
    pub name: String,
    /// The role.
    pub role: Role,
    /// The area's name.
    pub area_name: String,
    /// When the link stops working.
    pub expires_at: Timestamp,
}

/// `POST /api/join/{token}`: the invitee's choice of sign-in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Acceptance {
    /// Their name, corrected if the inviter had it wrong.
    pub name: String,
    /// Their sign-in email.
    pub email: String,
    /// Their password.
    pub password: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_are_written_as_the_api_documents_them() {
        for status in [
            InviteStatus::Pending,
            InviteStatus::Accepted,
            InviteStatus::Withdrawn,
            InviteStatus::Expired,
        ] {
            let json = serde_json::to_string(&status).unwrap();
            assert_eq!(json, format!("\"{}\"", status.as_str()));
            assert_eq!(serde_json::from_str::<InviteStatus>(&json).unwrap(), status);
        }
    }

    #[test]
    fn only_a_pending_or_expired_invitation_gets_a_new_link() {
        assert!(InviteStatus::Pending.may_renew());
        assert!(InviteStatus::Expired.may_renew());
        assert!(!InviteStatus::Accepted.may_renew());
        assert!(!InviteStatus::Withdrawn.may_renew());
    }
}
