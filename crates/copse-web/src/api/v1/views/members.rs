//! Wire types of membership: members, joining, requests, invitations and roles.

use copse_core::clock::rfc3339;
use copse_core::domain::{Invitation, JoinAnswer, JoinRequest, MemberEntry, RequestStatus, Role};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct MemberView {
    pub handle: String,
    pub display_name: String,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub role: Role,
    pub joined_at: String,
}

impl From<&MemberEntry> for MemberView {
    fn from(m: &MemberEntry) -> Self {
        MemberView {
            handle: m.handle.clone(),
            display_name: m.display_name.clone(),
            organisation: m.organisation.clone(),
            department: m.department.clone(),
            country: m.country.clone(),
            role: m.role,
            joined_at: rfc3339(m.joined_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MemberPage {
    pub items: Vec<MemberView>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct JoinBody {
    /// Answers to the community's join questions, in order (approval communities).
    #[schema(max_items = 5)]
    pub answers: Option<Vec<String>>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum JoinStatus {
    Joined,
    Requested,
}

#[derive(Serialize, ToSchema)]
pub struct JoinResult {
    pub status: JoinStatus,
    /// The pending request, when the community admits on approval.
    pub request: Option<JoinRequestView>,
}

#[derive(Serialize, ToSchema)]
pub struct JoinRequestView {
    pub id: i64,
    pub handle: String,
    pub display_name: String,
    pub organisation: Option<String>,
    pub answers: Vec<JoinAnswer>,
    pub status: RequestStatus,
    pub created_at: String,
}

impl From<&JoinRequest> for JoinRequestView {
    fn from(r: &JoinRequest) -> Self {
        JoinRequestView {
            id: r.id,
            handle: r.handle.clone(),
            display_name: r.display_name.clone(),
            organisation: r.organisation.clone(),
            answers: r.answers.clone(),
            status: r.status,
            created_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct JoinRequestList {
    pub items: Vec<JoinRequestView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    /// An `@handle` or an e-mail address.
    #[schema(min_length = 1, max_length = 254)]
    pub invitee: String,
    /// `member` (default), `leader` or `coordinator`; the latter two need a coordinator.
    pub role: Option<MemberRole>,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationView {
    pub id: i64,
    pub community: String,
    pub community_name: String,
    pub invited_by: String,
    pub invitee: String,
    pub role: Role,
    pub created_at: String,
    pub expires_at: String,
}

impl From<&Invitation> for InvitationView {
    fn from(i: &Invitation) -> Self {
        InvitationView {
            id: i.id,
            community: i.community_slug.clone(),
            community_name: i.community_name.clone(),
            invited_by: i.invited_by_handle.clone(),
            invitee: i.invitee_label.clone(),
            role: i.role,
            created_at: rfc3339(i.created_at),
            expires_at: rfc3339(i.expires_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InvitationCreated {
    pub invitation: InvitationView,
    /// The link to send to the invitee. Shown only once.
    pub link: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationList {
    pub items: Vec<InvitationView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBody {
    pub role: MemberRole,
}

/// The roles a member can be given. (Observers are not given a role: they follow.)
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Member,
    Leader,
    Coordinator,
}

impl MemberRole {
    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Member => "member",
            MemberRole::Leader => "leader",
            MemberRole::Coordinator => "coordinator",
        }
    }
}
