//! Row types as the database returns them, and their conversion into domain types. Text columns
//! holding enums are parsed back through the domain's own parsers, so a bad row is an error, not
//! a panic.

use copse_core::OrInternal;
use copse_core::domain::AccountId;
use copse_core::domain::CommunityId;
use copse_core::domain::{
    Account, Archived, Community, DomainRevision, Invitation, JoinAnswer, JoinPolicy, JoinRequest,
    MemberEntry, ModerationSettings, Profile, RequestStatus, Role, Stage, StageChange,
    StageChangeKind, Suspension, Visibility,
};
use copse_core::{Error, Result};

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    pub id: i64,
    pub handle: String,
    pub email: String,
    pub display_name: String,
    pub bio: Option<String>,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub is_admin: i64,
    pub suspended_at: Option<i64>,
    pub suspended_reason: Option<String>,
    pub suspended_until: Option<i64>,
    pub email_verified_at: Option<i64>,
    pub deleted_at: Option<i64>,
    pub created_at: i64,
    pub profile_hidden_reason: Option<String>,
}

pub(crate) const ACCOUNT_COLUMNS: &str = "a.id, a.handle, a.email, a.display_name, a.bio, \
    a.organisation, a.department, a.country, a.time_zone, a.is_admin, a.suspended_at, \
    a.suspended_reason, a.suspended_until, a.email_verified_at, a.deleted_at, a.created_at, \
    a.profile_hidden_reason";

impl AccountRow {
    pub fn into_account(self, expertise: Vec<String>) -> Account {
        Account {
            id: AccountId(self.id),
            handle: self.handle,
            email: self.email,
            profile: Profile {
                display_name: self.display_name,
                bio: self.bio,
                organisation: self.organisation,
                department: self.department,
                country: self.country,
                time_zone: self.time_zone,
                expertise,
            },
            is_admin: self.is_admin != 0,
            suspension: self.suspended_at.map(|since| Suspension {
                since,
                reason: self.suspended_reason,
                until: self.suspended_until,
            }),
            email_verified: self.email_verified_at.is_some(),
            deleted: self.deleted_at.is_some(),
            created_at: self.created_at,
            profile_hidden: self.profile_hidden_reason,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct CommunityRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub domain_statement: String,
    pub visibility: String,
    pub listed: i64,
    pub join_policy: String,
    pub join_questions: String,
    pub stage: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub leaders_moderate: i64,
    pub flags_to_hide: i64,
    pub approve_first_posts: i64,
    pub archived_at: Option<i64>,
    pub archived_reason: Option<String>,
    pub archived_by_handle: Option<String>,
}

pub(crate) const COMMUNITY_COLUMNS: &str = "c.id, c.slug, c.name, c.domain_statement, \
    c.visibility, c.listed, c.join_policy, c.join_questions, c.stage, c.created_at, c.updated_at, \
    c.leaders_moderate, c.flags_to_hide, c.approve_first_posts, c.archived_at, c.archived_reason, \
    (SELECT archiver.handle FROM accounts archiver WHERE archiver.id = c.archived_by) \
    AS archived_by_handle";

fn corrupt(what: &str) -> impl Fn(Error) -> Error + '_ {
    move |e| Error::internal(format!("stored {what} is invalid: {e}"))
}

impl TryFrom<CommunityRow> for Community {
    type Error = Error;

    fn try_from(r: CommunityRow) -> Result<Self> {
        Ok(Community {
            id: CommunityId(r.id),
            slug: r.slug,
            name: r.name,
            domain_statement: r.domain_statement,
            visibility: Visibility::parse(&r.visibility).map_err(corrupt("visibility"))?,
            listed: r.listed != 0,
            join_policy: JoinPolicy::parse(&r.join_policy).map_err(corrupt("join policy"))?,
            join_questions: serde_json::from_str(&r.join_questions)
                .or_internal_while("stored join questions")?,
            stage: Stage::parse(&r.stage).map_err(corrupt("stage"))?,
            created_at: r.created_at,
            updated_at: r.updated_at,
            moderation: ModerationSettings {
                leaders_moderate: r.leaders_moderate != 0,
                flags_to_hide: r.flags_to_hide,
                approve_first_posts: r.approve_first_posts,
            },
            archived: r.archived_at.map(|at| Archived {
                at,
                reason: r.archived_reason.unwrap_or_default(),
                by_handle: r.archived_by_handle.unwrap_or_default(),
            }),
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct RevisionRow {
    pub id: i64,
    pub body: String,
    pub reason: Option<String>,
    pub handle: String,
    pub display_name: String,
    pub created_at: i64,
    pub merged_from: Option<String>,
}

impl From<RevisionRow> for DomainRevision {
    fn from(r: RevisionRow) -> Self {
        DomainRevision {
            id: r.id,
            body: r.body,
            reason: r.reason,
            author_handle: r.handle,
            author_name: r.display_name,
            created_at: r.created_at,
            merged_from: r.merged_from,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct StageChangeRow {
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub kind: String,
    pub note: Option<String>,
    pub handle: String,
    pub created_at: i64,
    pub merged_from: Option<String>,
}

impl TryFrom<StageChangeRow> for StageChange {
    type Error = Error;

    fn try_from(r: StageChangeRow) -> Result<Self> {
        Ok(StageChange {
            from: r
                .from_stage
                .as_deref()
                .map(Stage::parse)
                .transpose()
                .map_err(corrupt("stage"))?,
            to: Stage::parse(&r.to_stage).map_err(corrupt("stage"))?,
            kind: StageChangeKind::parse(&r.kind)?,
            note: r.note,
            author_handle: r.handle,
            created_at: r.created_at,
            merged_from: r.merged_from,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    pub account_id: AccountId,
    pub handle: String,
    pub display_name: String,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub role: String,
    pub joined_at: i64,
}

impl TryFrom<MemberRow> for MemberEntry {
    type Error = Error;

    fn try_from(r: MemberRow) -> Result<Self> {
        Ok(MemberEntry {
            account_id: r.account_id,
            handle: r.handle,
            display_name: r.display_name,
            organisation: r.organisation,
            department: r.department,
            country: r.country,
            role: Role::parse(&r.role).map_err(corrupt("role"))?,
            joined_at: r.joined_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct JoinRequestRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub account_id: AccountId,
    pub handle: String,
    pub display_name: String,
    pub organisation: Option<String>,
    pub answers: String,
    pub status: String,
    pub created_at: i64,
}

impl TryFrom<JoinRequestRow> for JoinRequest {
    type Error = Error;

    fn try_from(r: JoinRequestRow) -> Result<Self> {
        let answers: Vec<JoinAnswer> =
            serde_json::from_str(&r.answers).or_internal_while("stored join answers")?;
        Ok(JoinRequest {
            id: r.id,
            community_id: r.community_id,
            account_id: r.account_id,
            handle: r.handle,
            display_name: r.display_name,
            organisation: r.organisation,
            answers,
            status: RequestStatus::parse(&r.status).map_err(corrupt("status"))?,
            created_at: r.created_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct InvitationRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub slug: String,
    pub name: String,
    pub inviter_handle: String,
    pub invited_by: AccountId,
    pub account_id: Option<AccountId>,
    pub invitee_handle: Option<String>,
    pub email: Option<String>,
    pub role: String,
    pub status: String,
    pub created_at: i64,
    pub expires_at: i64,
}

pub(crate) const INVITATION_SELECT: &str = "SELECT i.id, i.community_id, c.slug, c.name, \
    inviter.handle AS inviter_handle, i.invited_by, i.account_id, invitee.handle AS invitee_handle, i.email, \
    i.role, i.status, i.created_at, i.expires_at \
    FROM invitations i \
    JOIN communities c ON c.id = i.community_id \
    JOIN accounts inviter ON inviter.id = i.invited_by \
    LEFT JOIN accounts invitee ON invitee.id = i.account_id";

impl TryFrom<InvitationRow> for Invitation {
    type Error = Error;

    fn try_from(r: InvitationRow) -> Result<Self> {
        let invitee_label = match (r.invitee_handle, &r.email) {
            (Some(h), _) => format!("@{h}"),
            (None, Some(e)) => e.clone(),
            (None, None) => String::new(),
        };
        Ok(Invitation {
            id: r.id,
            community_id: r.community_id,
            community_slug: r.slug,
            community_name: r.name,
            invited_by_handle: r.inviter_handle,
            invited_by: r.invited_by,
            account_id: r.account_id,
            email: r.email,
            invitee_label,
            role: Role::parse(&r.role).map_err(corrupt("role"))?,
            status: RequestStatus::parse(&r.status).map_err(corrupt("status"))?,
            created_at: r.created_at,
            expires_at: r.expires_at,
        })
    }
}

/// How local date-times (an event's wall-clock start and end) are stored as text.
pub(crate) const LOCAL: &str = "%Y-%m-%dT%H:%M:%S";
