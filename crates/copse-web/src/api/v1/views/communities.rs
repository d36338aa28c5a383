//! Wire types of communities: the directory, one community, its domain revisions and stages,
//! and health.

use copse_core::clock::rfc3339;
use copse_core::domain::{Community, DomainRevision, JoinPolicy, Reach, Role, Stage, Visibility};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
    /// How the community moderates: whether leaders moderate, and how many flags from
    /// established members hide a post until a moderator looks at it.
    pub moderation: copse_core::domain::ModerationSettings,
    /// Set while the community is archived: read-only (writes answer 409) until reopened.
    pub archived: Option<ArchivedView>,
}

/// When, why and by whom a community was archived.
#[derive(Serialize, ToSchema)]
pub struct ArchivedView {
    pub at: String,
    pub reason: String,
    /// The handle of whoever archived it.
    pub by: String,
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
            moderation: c.moderation,
            archived: c.archived.as_ref().map(|a| ArchivedView {
                at: rfc3339(a.at),
                reason: a.reason.clone(),
                by: a.by_handle.clone(),
            }),
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
    /// The community this version was written for, when that one was merged into this.
    pub merged_from: Option<String>,
}

impl From<&DomainRevision> for RevisionView {
    fn from(r: &DomainRevision) -> Self {
        RevisionView {
            id: r.id,
            body: r.body.clone(),
            reason: r.reason.clone(),
            author: r.author_handle.clone(),
            created_at: rfc3339(r.created_at),
            merged_from: r.merged_from.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RevisionList {
    pub items: Vec<RevisionView>,
}

/// Why a community is archived: members read it on every page.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ArchiveCommunity {
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
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
    /// `stage` for a change of stage; `archived`, `reopened`, `merged`, `split_off` or
    /// `split_from` (the stage stays).
    pub kind: copse_core::domain::StageChangeKind,
    /// The reason given for archiving; the name of the community merged in or split off.
    pub note: Option<String>,
    pub author: String,
    pub created_at: String,
    /// The community this entry was logged in, when that one was merged into this.
    pub merged_from: Option<String>,
}

/// Which community to merge this one into (its address).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeCommunity {
    #[schema(min_length = 1, max_length = 64)]
    pub into: String,
}

/// The community that took the merged one in, and what moved.
#[derive(Serialize, ToSchema)]
pub struct MergedView {
    pub community: CommunityView,
    pub threads: i64,
    pub events: i64,
    /// People who were new to the community merged into.
    pub new_people: i64,
    /// People in both, who kept the stronger of their two roles.
    pub people_in_both: i64,
    /// Topics joined to one of the same name; the others moved as they were.
    pub topics_joined: i64,
    pub topics_moved: i64,
    /// The merged community's newsletter issue n is now issue n + this.
    pub newsletter_offset: i64,
    /// Whether the merged community's unsent issue was dropped (the other had one in the works).
    pub dropped_draft: bool,
}

#[derive(Serialize, ToSchema)]
pub struct StageChangeList {
    pub items: Vec<StageChangeView>,
}

/// A new community split off this one: its name, address and statement, the topics (and
/// events) it takes along, and who coordinates it beside you.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitCommunity {
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
    /// Addresses of this community's topics; every thread in them goes along.
    #[schema(min_items = 1, max_items = 100)]
    pub topics: Vec<String>,
    /// Ids of this community's events (outside circles) to take along.
    #[serde(default)]
    #[schema(max_items = 100)]
    pub events: Vec<i64>,
    /// Handles of this community's members who coordinate the new one too.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub coordinators: Vec<String>,
}

/// The new community, and what went into it.
#[derive(Serialize, ToSchema)]
pub struct SplitView {
    pub community: CommunityView,
    pub topics: i64,
    pub threads: i64,
    pub events: i64,
    /// Members of the old community invited to the new one.
    pub invited: i64,
}
