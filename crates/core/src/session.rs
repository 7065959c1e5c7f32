//! The account wire types: signing in, the session a client holds, and the error body every
//! API error response carries.

use crate::area::AreaTree;
use crate::id::{AreaId, UserId};
use crate::model::Role;
use crate::permission::{Actor, Permissions};
use crate::record::Record;
use serde::{Deserialize, Serialize};

/// The body of `POST /api/session`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// The account's email, in any case and with any surrounding spaces.
    pub email: String,
    /// The password.
    pub password: String,
}

/// One role held in one area (and every area within it).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RoleInArea {
    /// The role.
    pub role: Role,
    /// The area it covers.
    pub area: AreaId,
}

/// Who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionUser {
    /// The user's id.
    pub id: UserId,
    /// Their sign-in email.
    pub email: String,
    /// The name shown in the app.
    pub display_name: String,
    /// Their roles.
    pub roles: Vec<RoleInArea>,
}

impl SessionUser {
    /// Whether this user may erase `person`, by the server's own rule
    /// ([`Permissions::can_erase`]: an admin of an area holding theirs) over `tree`.
    pub fn may_erase(&self, person: &Record, tree: &AreaTree) -> bool {
        let actor = Actor::with_roles(self.id, self.roles.iter().map(|r| (r.role, r.area)));
        Permissions::new(&actor, tree).can_erase(person)
    }

    /// The areas this user organises: those where they are an organiser or an admin.
    pub fn organised_areas(&self) -> Vec<AreaId> {
        self.roles
            .iter()
            .filter(|r| matches!(r.role, Role::Organiser | Role::Admin))
            .map(|r| r.area)
            .collect()
    }
}

/// What `POST /api/session` and `GET /api/session` return.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SessionInfo {
    /// Who is signed in.
    pub user: SessionUser,
    /// Sent in the `x-csrf-token` header with every state-changing request.
    pub csrf_token: String,
    /// When the session ends, in milliseconds since the Unix epoch.
    pub expires_at: i64,
}

/// The body of every error response: a sentence to show, and per-field problems when the
/// request was well formed but its values were not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ErrorBody {
    /// What went wrong, as a sentence.
    pub error: String,
    /// Problems with particular fields, if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<crate::validate::FieldProblem>,
    /// Where the invitation stands, when the error is a link that no longer works.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub invite: Option<crate::invite::InviteStatus>,
}
