//! Communities: the directory, creation, settings, and the gate every community surface passes.

use copse_core::domain::{
    Community, CommunityChange, DomainRevision, JoinPolicy, MemberEntry, NewCommunity, Reach, Slug,
    Stage, StageChange, Topic, Visibility, parse_change_reason, parse_domain_statement,
    parse_join_questions, parse_name,
};
use copse_core::page::{Cursor, Page, clamp_limit};
use copse_core::policy::{self, Actor, CommunityAction};
use copse_core::{Error, Result};
use copse_store::{DirectoryEntry, DirectoryQuery};

use crate::access::{Gated, gate};
use crate::app::App;

/// Raw community fields from a form or JSON body.
#[derive(Debug, Clone, Default)]
pub struct CommunityInput {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub domain_statement: Option<String>,
    pub reason: Option<String>,
    pub visibility: Option<String>,
    pub listed: Option<bool>,
    pub join_policy: Option<String>,
    pub join_questions: Option<Vec<String>>,
    pub stage: Option<String>,
}

fn required<'a>(field: &str, value: &'a Option<String>) -> Result<&'a str> {
    value
        .as_deref()
        .ok_or_else(|| Error::invalid(field, "is required"))
}

pub fn parse_new(input: &CommunityInput) -> Result<NewCommunity> {
    Ok(NewCommunity {
        name: parse_name(required("name", &input.name)?)?,
        slug: Slug::parse(required("slug", &input.slug)?)?,
        domain_statement: parse_domain_statement(required(
            "domain_statement",
            &input.domain_statement,
        )?)?,
        visibility: input
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()?
            .unwrap_or(Visibility::Public),
        listed: input.listed.unwrap_or(true),
        join_policy: input
            .join_policy
            .as_deref()
            .map(JoinPolicy::parse)
            .transpose()?
            .unwrap_or(JoinPolicy::Open),
        join_questions: parse_join_questions(input.join_questions.as_deref().unwrap_or_default())?,
        stage: input
            .stage
            .as_deref()
            .map(Stage::parse)
            .transpose()?
            .unwrap_or(Stage::Potential),
    })
}

fn parse_change(input: &CommunityInput) -> Result<CommunityChange> {
    if input.slug.is_some() {
        return Err(Error::invalid(
            "slug",
            "cannot be changed: links to the community would break",
        ));
    }
    Ok(CommunityChange {
        name: input.name.as_deref().map(parse_name).transpose()?,
        domain_statement: input
            .domain_statement
            .as_deref()
            .map(parse_domain_statement)
            .transpose()?,
        reason: parse_change_reason(input.reason.as_deref())?,
        visibility: input
            .visibility
            .as_deref()
            .map(Visibility::parse)
            .transpose()?,
        listed: input.listed,
        join_policy: input
            .join_policy
            .as_deref()
            .map(JoinPolicy::parse)
            .transpose()?,
        join_questions: input
            .join_questions
            .as_deref()
            .map(parse_join_questions)
            .transpose()?,
        stage: input.stage.as_deref().map(Stage::parse).transpose()?,
    })
}

pub async fn create(state: &App, actor: &Actor, input: &CommunityInput) -> Result<Community> {
    policy::may_create_community(actor)?;
    let new = parse_new(input)?;
    let creator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let is_admin = matches!(actor, Actor::Account { is_admin: true, .. });
    let key = format!("new-community:{creator}");
    let rule = state.config.throttle_new_community;
    if !is_admin && let Some(wait) = state.store.throttled_for(&key, rule).await? {
        return Err(Error::too_many(
            "You have started many communities today; try again tomorrow.",
            Some(wait),
        ));
    }
    let community = state.store.create_community(&new, creator).await?;
    state.store.record_hit(&key, rule).await?;
    Ok(community)
}

pub async fn update(
    state: &App,
    actor: &Actor,
    slug: &str,
    input: &CommunityInput,
) -> Result<Community> {
    let gated = gate(state, actor, slug, CommunityAction::Edit).await?;
    let change = parse_change(input)?;
    if change.is_empty() {
        return Ok(gated.community);
    }
    let author = actor.account_id().ok_or(Error::Unauthenticated)?;
    state
        .store
        .update_community(gated.community.id, &change, author)
        .await
}

/// Archives the community (its coordinators, site admins): it becomes read-only everywhere,
/// with the reason shown, until it is reopened. The stage log records it.
pub async fn archive(state: &App, actor: &Actor, slug: &str, reason: &str) -> Result<Community> {
    let gated = gate(state, actor, slug, CommunityAction::Archive).await?;
    let reason = copse_core::domain::archive_reason(reason)?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    state
        .store
        .archive_community(gated.community.id, &reason, by)
        .await
}

/// Reopens an archived community (its coordinators, site admins).
pub async fn reopen(state: &App, actor: &Actor, slug: &str) -> Result<Community> {
    let gated = gate(state, actor, slug, CommunityAction::Archive).await?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    state.store.reopen_community(gated.community.id, by).await
}

/// One page of the directory, as the policy's filter admits it for the actor.
pub async fn directory(
    state: &App,
    actor: &Actor,
    text: Option<String>,
    mine: bool,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<Page<DirectoryEntry>> {
    if mine && actor.account_id().is_none() {
        return Err(Error::Unauthenticated);
    }
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(Error::invalid("q", "must be at most 200 characters"));
    }
    let query = DirectoryQuery {
        text,
        member_of: if mine { actor.account_id() } else { None },
        viewer: actor.account_id(),
        limit: clamp_limit(limit),
        after: Cursor::decode_opt(cursor)?,
    };
    state
        .store
        .list_communities(policy::community_filter(actor), &query)
        .await
}

/// How many organisations, departments and countries take part — for those who may read the
/// community's public side, `None` for others.
pub async fn reach(state: &App, actor: &Actor, gated: &Gated) -> Result<Option<Reach>> {
    if !gated.may(actor, CommunityAction::ReadPublic) {
        return Ok(None);
    }
    Ok(Some(state.store.reach(gated.community.id).await?))
}

/// The core group (coordinators and leaders), for those who may see the members; empty for
/// others.
pub async fn core_group(state: &App, actor: &Actor, gated: &Gated) -> Result<Vec<MemberEntry>> {
    if !gated.may(actor, CommunityAction::SeeMembers) {
        return Ok(Vec::new());
    }
    state.store.core_group(gated.community.id).await
}

/// The history of the domain statement, newest first.
pub async fn domain_revisions(
    state: &App,
    actor: &Actor,
    gated: &Gated,
) -> Result<Vec<DomainRevision>> {
    gated.check(actor, CommunityAction::SeeHistory)?;
    state.store.domain_revisions(gated.community.id).await
}

/// The log of the community's stages, newest first.
pub async fn stage_changes(state: &App, actor: &Actor, gated: &Gated) -> Result<Vec<StageChange>> {
    gated.check(actor, CommunityAction::SeeHistory)?;
    state.store.stage_changes(gated.community.id).await
}

/// The community's topics by name (at most 500).
pub async fn topics(state: &App, gated: &Gated) -> Result<Vec<Topic>> {
    state.store.topics(gated.community.id).await
}
