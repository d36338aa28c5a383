//! Wire types: what the API sends and accepts. Kept apart from the domain types so the JSON shape
//! is a deliberate contract. Request bodies refuse unknown fields.

use copse_core::clock::rfc3339;
use copse_core::domain::ApiTokenInfo;
use copse_core::domain::{
    Account, Community, DomainRevision, Invitation, JoinAnswer, JoinPolicy, JoinRequest,
    MemberEntry, Reach, RequestStatus, Role, Stage, Visibility,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Your own account, with the private fields only you see.
#[derive(Serialize, ToSchema)]
pub struct MeView {
    pub id: i64,
    pub handle: String,
    pub email: String,
    #[serde(flatten)]
    pub profile: ProfileFields,
    pub is_admin: bool,
    /// RFC 3339 time.
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ProfileFields {
    pub display_name: String,
    pub bio: Option<String>,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub expertise: Vec<String>,
}

/// Another person's public profile. Never carries an e-mail address.
#[derive(Serialize, ToSchema)]
pub struct ProfileView {
    pub handle: String,
    #[serde(flatten)]
    pub profile: ProfileFields,
    pub created_at: String,
}

fn profile_fields(a: &Account) -> ProfileFields {
    let p = &a.profile;
    ProfileFields {
        display_name: p.display_name.clone(),
        bio: p.bio.clone(),
        organisation: p.organisation.clone(),
        department: p.department.clone(),
        country: p.country.clone(),
        time_zone: p.time_zone.clone(),
        expertise: p.expertise.clone(),
    }
}

impl From<&Account> for MeView {
    fn from(a: &Account) -> Self {
        MeView {
            id: a.id,
            handle: a.handle.clone(),
            email: a.email.clone(),
            profile: profile_fields(a),
            is_admin: a.is_admin,
            created_at: rfc3339(a.created_at),
        }
    }
}

impl From<&Account> for ProfileView {
    fn from(a: &Account) -> Self {
        ProfileView {
            handle: a.handle.clone(),
            profile: profile_fields(a),
            created_at: rfc3339(a.created_at),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    /// 2–32 characters: a-z, 0-9 and _.
    #[schema(pattern = "^@?[A-Za-z0-9_]{2,32}$")]
    pub handle: String,
    #[schema(max_length = 254)]
    pub email: String,
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// Defaults to the handle.
    #[schema(max_length = 80)]
    pub display_name: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub email: String,
    pub password: String,
    /// A label to recognise the token by, e.g. "laptop".
    #[schema(max_length = 100)]
    pub name: Option<String>,
}

/// A new API token. `token` is shown only in this response.
#[derive(Serialize, ToSchema)]
pub struct TokenCreated {
    pub id: i64,
    pub name: String,
    pub token: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub last_used_at: Option<String>,
}

impl From<&ApiTokenInfo> for TokenView {
    fn from(t: &ApiTokenInfo) -> Self {
        TokenView {
            id: t.id,
            name: t.name.clone(),
            created_at: rfc3339(t.created_at),
            last_used_at: t.last_used_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TokenList {
    pub items: Vec<TokenView>,
}

/// Profile fields to change; absent fields stay, empty strings clear.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProfilePatch {
    #[schema(min_length = 1, max_length = 80)]
    pub display_name: Option<String>,
    #[schema(max_length = 2000)]
    pub bio: Option<String>,
    #[schema(max_length = 120)]
    pub organisation: Option<String>,
    #[schema(max_length = 120)]
    pub department: Option<String>,
    #[schema(max_length = 60)]
    pub country: Option<String>,
    /// An IANA time zone such as `Europe/Berlin`.
    pub time_zone: Option<String>,
    #[schema(max_items = 20)]
    pub expertise: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    #[schema(min_length = 10, max_length = 256)]
    pub new_password: String,
}

/// A community as the actor may see it. `reach` is present only for those who may read it.
#[derive(Serialize, ToSchema)]
pub struct CommunityView {
    pub slug: String,
    pub name: String,
    /// Markdown: the shared learning need.
    pub domain_statement: String,
    pub visibility: Visibility,
    pub listed: bool,
    pub join_policy: JoinPolicy,
    pub join_questions: Vec<String>,
    pub stage: Stage,
    pub created_at: String,
    pub updated_at: String,
    pub reach: Option<ReachView>,
    /// Your role here, if any.
    pub your_role: Option<Role>,
}

#[derive(Serialize, ToSchema)]
pub struct ReachView {
    pub members: i64,
    pub observers: i64,
    pub organisations: i64,
    pub departments: i64,
    pub countries: i64,
}

impl From<Reach> for ReachView {
    fn from(r: Reach) -> Self {
        ReachView {
            members: r.members,
            observers: r.observers,
            organisations: r.organisations,
            departments: r.departments,
            countries: r.countries,
        }
    }
}

impl CommunityView {
    pub fn new(c: &Community, reach: Option<Reach>, your_role: Option<Role>) -> Self {
        CommunityView {
            slug: c.slug.clone(),
            name: c.name.clone(),
            domain_statement: c.domain_statement.clone(),
            visibility: c.visibility,
            listed: c.listed,
            join_policy: c.join_policy,
            join_questions: c.join_questions.clone(),
            stage: c.stage,
            created_at: rfc3339(c.created_at),
            updated_at: rfc3339(c.updated_at),
            reach: reach.map(ReachView::from),
            your_role,
        }
    }
}

/// A directory entry.
#[derive(Serialize, ToSchema)]
pub struct CommunitySummary {
    pub slug: String,
    pub name: String,
    pub domain_statement: String,
    pub visibility: Visibility,
    pub join_policy: JoinPolicy,
    pub stage: Stage,
    /// Members (not observers). Only for communities whose public spaces you may read.
    pub members: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct CommunityPage {
    pub items: Vec<CommunitySummary>,
    /// Pass as `cursor` to get the next page; null on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCommunity {
    #[schema(min_length = 2, max_length = 100)]
    pub name: String,
    #[schema(
        pattern = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: String,
    #[schema(min_length = 1, max_length = 20000)]
    pub domain_statement: String,
    /// Default `public`.
    pub visibility: Option<Visibility>,
    /// For private communities: shown in the directory to non-members. Default true.
    pub listed: Option<bool>,
    /// Default `open`.
    pub join_policy: Option<JoinPolicy>,
    #[schema(max_items = 5)]
    pub join_questions: Option<Vec<String>>,
    /// Default `potential`.
    pub stage: Option<Stage>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateCommunity {
    #[schema(min_length = 2, max_length = 100)]
    pub name: Option<String>,
    #[schema(min_length = 1, max_length = 20000)]
    pub domain_statement: Option<String>,
    /// Why the domain statement changed; kept in its history.
    #[schema(max_length = 300)]
    pub reason: Option<String>,
    pub visibility: Option<Visibility>,
    pub listed: Option<bool>,
    pub join_policy: Option<JoinPolicy>,
    #[schema(max_items = 5)]
    pub join_questions: Option<Vec<String>>,
    pub stage: Option<Stage>,
}

#[derive(Serialize, ToSchema)]
pub struct RevisionView {
    pub id: i64,
    pub body: String,
    pub reason: Option<String>,
    pub author: String,
    pub created_at: String,
}

impl From<&DomainRevision> for RevisionView {
    fn from(r: &DomainRevision) -> Self {
        RevisionView {
            id: r.id,
            body: r.body.clone(),
            reason: r.reason.clone(),
            author: r.author_handle.clone(),
            created_at: rfc3339(r.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RevisionList {
    pub items: Vec<RevisionView>,
}

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

#[derive(Serialize, ToSchema)]
pub struct Health {
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct StageChangeView {
    /// Null for the stage the community was founded in.
    pub from: Option<Stage>,
    pub to: Stage,
    pub author: String,
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct StageChangeList {
    pub items: Vec<StageChangeView>,
}

#[derive(Serialize, ToSchema)]
pub struct PersonView {
    pub handle: String,
    pub display_name: String,
}

impl From<&copse_core::domain::Person> for PersonView {
    fn from(p: &copse_core::domain::Person) -> Self {
        PersonView {
            handle: p.handle.clone(),
            display_name: p.display_name.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TopicView {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TopicList {
    pub items: Vec<TopicView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTopic {
    #[schema(
        pattern = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: String,
    #[schema(min_length = 2, max_length = 60)]
    pub name: String,
    #[schema(max_length = 300)]
    pub description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TopicTag {
    pub slug: String,
    pub name: String,
}

/// A thread. `body` is the Markdown source.
#[derive(Serialize, ToSchema)]
pub struct ThreadView {
    pub id: i64,
    pub community: String,
    pub space: copse_core::domain::Space,
    pub kind: copse_core::domain::ThreadKind,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub author: PersonView,
    pub topics: Vec<TopicTag>,
    pub accepted_reply_id: Option<i64>,
    pub canonical: bool,
    pub reply_count: i64,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub last_activity_at: String,
}

impl ThreadView {
    pub fn new(t: &copse_core::domain::Thread, community: &str) -> Self {
        ThreadView {
            id: t.id,
            community: community.to_string(),
            space: t.space,
            kind: t.kind,
            title: t.title.clone(),
            body: t.body.clone(),
            link: t.link.clone(),
            author: PersonView::from(&t.author),
            topics: t
                .topics
                .iter()
                .map(|tp| TopicTag {
                    slug: tp.slug.clone(),
                    name: tp.name.clone(),
                })
                .collect(),
            accepted_reply_id: t.accepted_reply_id,
            canonical: t.canonical,
            reply_count: t.reply_count,
            created_at: rfc3339(t.created_at),
            edited_at: t.edited_at.map(rfc3339),
            last_activity_at: rfc3339(t.last_activity_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThreadPage {
    pub items: Vec<ThreadView>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QuotedView {
    pub id: i64,
    pub author: String,
    /// Empty when the quoted reply was deleted.
    pub body: String,
}

/// A reply. Deleted replies keep their place with `deleted: true` and no text.
#[derive(Serialize, ToSchema)]
pub struct ReplyView {
    pub id: i64,
    pub author: PersonView,
    pub body: String,
    pub body_html: String,
    pub quoted: Option<QuotedView>,
    pub helpful: i64,
    pub marked_helpful_by_you: bool,
    pub accepted: bool,
    pub deleted: bool,
    pub created_at: String,
    pub edited_at: Option<String>,
}

impl ReplyView {
    pub fn new(r: &copse_core::domain::Reply, accepted: Option<i64>) -> Self {
        ReplyView {
            id: r.id,
            author: PersonView::from(&r.author),
            body: r.body.clone(),
            body_html: if r.deleted {
                String::new()
            } else {
                copse_app::markdown::to_html(&r.body)
            },
            quoted: r.quoted.as_ref().map(|q| QuotedView {
                id: q.id,
                author: q.author_handle.clone(),
                body: q.body.clone(),
            }),
            helpful: r.helpful,
            marked_helpful_by_you: r.marked_by_viewer,
            accepted: accepted == Some(r.id),
            deleted: r.deleted,
            created_at: rfc3339(r.created_at),
            edited_at: r.edited_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThreadWithReplies {
    #[serde(flatten)]
    pub thread: ThreadView,
    /// The body rendered to sanitized HTML.
    pub body_html: String,
    pub replies: Vec<ReplyView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateThread {
    /// Default `discussion`; `announcement` needs a coordinator or leader.
    pub kind: Option<copse_core::domain::ThreadKind>,
    /// Default `public`.
    pub space: Option<copse_core::domain::Space>,
    #[schema(min_length = 3, max_length = 200)]
    pub title: String,
    /// Markdown, at most 64 KiB.
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
    /// For resources: an http(s) address.
    #[schema(max_length = 2000)]
    pub link: Option<String>,
    /// Slugs of the community's topics.
    #[schema(max_items = 5)]
    pub topics: Option<Vec<String>>,
    /// With `space: circle`: the circle (you must be in it).
    pub circle: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateThread {
    #[schema(min_length = 3, max_length = 200)]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 65536)]
    pub body: Option<String>,
    #[schema(max_length = 2000)]
    pub link: Option<String>,
    #[schema(max_items = 5)]
    pub topics: Option<Vec<String>>,
    /// Library: mark canonical (coordinators and leaders).
    pub canonical: Option<bool>,
    /// Move the thread into this circle of its community (its author or a coordinator, who is
    /// in the circle): from then on only the circle reads it.
    pub move_to_circle: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReply {
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
    /// A reply of the same thread to quote.
    pub quote: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReply {
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The reply to accept; null clears the accepted answer.
    pub reply_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTopic {
    #[schema(min_length = 2, max_length = 60)]
    pub name: Option<String>,
    /// A new address; the old one keeps redirecting.
    #[schema(
        pattern = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeTopic {
    /// The topic to merge into.
    #[schema(min_length = 2, max_length = 64)]
    pub into: String,
}
