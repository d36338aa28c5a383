//! Splitting a new community off an old one: when a large community grows a practice of its
//! own. Its coordinators choose topics (their threads and library items go along) and events;
//! the new community gets its own name, address, domain statement and coordinators, keeps the
//! old one's visibility and joining rules, and the old one's members are invited to it.

use copse_core::domain::{
    AccountId, Community, NewCommunity, Role, Slug, Stage, parse_domain_statement, parse_name,
};
use copse_core::policy::{self, Actor, CommunityAction};
use copse_core::{Error, Result};
use copse_store::{SplitPlan, SplitReport};

use crate::access::gate;
use crate::app::App;

/// At most this many topics, events and extra coordinators in one split.
const MAX_CHOSEN: usize = 100;
const MAX_COORDINATORS: usize = 20;

/// Raw split fields from a form or JSON body.
#[derive(Debug, Clone, Default)]
pub struct SplitInput {
    pub name: String,
    pub slug: String,
    pub domain_statement: String,
    /// Slugs of the old community's topics.
    pub topics: Vec<String>,
    /// Ids of the old community's events.
    pub events: Vec<i64>,
    /// Handles of the old community's members who coordinate the new one too.
    pub coordinators: Vec<String>,
}

/// Splits the chosen topics and events of `slug` off into a new community; answers it and
/// what moved.
pub async fn split(
    state: &App,
    actor: &Actor,
    slug: &str,
    input: &SplitInput,
) -> Result<(Community, SplitReport)> {
    let gated = gate(state, actor, slug, CommunityAction::Split).await?;
    policy::may_create_community(actor)?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let old = &gated.community;
    let plan = SplitPlan {
        community: new_community(old, input)?,
        topics: topic_ids(state, old, &input.topics).await?,
        events: chosen_events(&input.events)?,
        coordinators: coordinators(state, old, &input.coordinators, by).await?,
    };
    let is_admin = matches!(actor, Actor::Account { is_admin: true, .. });
    let key = format!("new-community:{by}");
    let rule = state.config.throttle_new_community;
    if !is_admin && let Some(wait) = state.store.throttled_for(&key, rule).await? {
        return Err(Error::too_many(
            "You have started many communities today; try again tomorrow.",
            Some(wait),
        ));
    }
    let mut w = state.store.write().await?;
    let done = async {
        let secret = || crate::secrets::hash_secret(&crate::secrets::new_secret("cpi"));
        let (id, report) = w.split_community(old, &plan, by, secret).await?;
        for invitation in &report.invitations {
            crate::invitation_mail::queue(&mut w, *invitation).await?;
        }
        Ok((id, report))
    }
    .await;
    let (id, report) = w.finish(done).await?;
    state.store.record_hit(&key, rule).await?;
    // Levels follow the ledger that moved; should this fail, the daily recomputation catches up.
    for community in [old.id, id] {
        if let Err(e) = crate::participation::recompute(state, community).await {
            tracing::warn!(community = %community, error = %e, "levels after a split");
        }
    }
    let community = state
        .store
        .community_by_id(id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((community, report))
}

/// The new community: its own name, address and statement; the old one's visibility and
/// joining rules; a new practice's first stage.
fn new_community(old: &Community, input: &SplitInput) -> Result<NewCommunity> {
    Ok(NewCommunity {
        name: parse_name(&input.name)?,
        slug: Slug::parse(&input.slug)?,
        domain_statement: parse_domain_statement(&input.domain_statement)?,
        visibility: old.visibility,
        listed: old.listed,
        join_policy: old.join_policy,
        join_questions: old.join_questions.clone(),
        stage: Stage::Potential,
    })
}

async fn topic_ids(state: &App, old: &Community, slugs: &[String]) -> Result<Vec<i64>> {
    if slugs.is_empty() {
        return Err(Error::invalid(
            "topics",
            "choose at least one topic to take along",
        ));
    }
    if slugs.len() > MAX_CHOSEN {
        return Err(Error::invalid("topics", "choose at most 100 topics"));
    }
    let mut ids = Vec::new();
    for slug in slugs {
        match state.store.topic_by_slug(old.id, slug.trim()).await? {
            Some((topic, false)) => ids.push(topic.id),
            _ => {
                return Err(Error::invalid(
                    "topics",
                    format!("this community has no topic “{}”", slug.trim()),
                ));
            }
        }
    }
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

fn chosen_events(events: &[i64]) -> Result<Vec<i64>> {
    if events.len() > MAX_CHOSEN {
        return Err(Error::invalid("events", "choose at most 100 events"));
    }
    let mut ids = events.to_vec();
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// The other coordinators: members of the old community, by handle.
async fn coordinators(
    state: &App,
    old: &Community,
    handles: &[String],
    creator: AccountId,
) -> Result<Vec<AccountId>> {
    if handles.len() > MAX_COORDINATORS {
        return Err(Error::invalid(
            "coordinators",
            "name at most 20 coordinators",
        ));
    }
    let mut ids = Vec::new();
    for handle in handles.iter().map(|h| h.trim().trim_start_matches('@')) {
        if handle.is_empty() {
            continue;
        }
        let member = match state.store.account_by_handle(handle).await? {
            Some(account) if !account.is_suspended() => {
                let standing = state.store.standing(old.id, Some(account.id)).await?;
                standing
                    .role
                    .is_some_and(Role::is_member)
                    .then_some(account.id)
            }
            _ => None,
        };
        let Some(id) = member else {
            return Err(Error::invalid(
                "coordinators",
                format!("@{handle} is not a member of this community"),
            ));
        };
        if id != creator && !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// The events the actor may take along when splitting `gated`: (id, title).
pub async fn events_to_take(
    state: &App,
    actor: &Actor,
    gated: &crate::access::Gated,
) -> Result<Vec<(i64, String)>> {
    gated.check(actor, CommunityAction::Split)?;
    state.store.events_to_split(gated.community.id).await
}

/// Where a topic split off the community at `slug` lives now, for those who may read its new
/// community: that community's address and the topic's. `None` for everyone else.
pub async fn topic_moved_to(
    state: &App,
    actor: &Actor,
    slug: &str,
    topic: &str,
) -> Result<Option<(String, String)>> {
    let Some((home, topic)) = state.store.moved_topic(slug, topic).await? else {
        return Ok(None);
    };
    match gate(state, actor, &home, CommunityAction::ReadPublic).await {
        Ok(_) => Ok(Some((home, topic))),
        Err(_) => Ok(None),
    }
}

/// The topics the actor may take along when splitting `gated`.
pub async fn topics_to_take(
    state: &App,
    actor: &Actor,
    gated: &crate::access::Gated,
) -> Result<Vec<copse_core::domain::Topic>> {
    gated.check(actor, CommunityAction::Split)?;
    state.store.topics(gated.community.id).await
}
