//! A community's topics: the taxonomy that can change — created, followed, renamed (old
//! addresses redirect) and merged.

use copse_core::domain::{Slug, Topic};
use copse_core::policy::{Actor, CommunityAction};
use copse_core::{Error, Result};

use crate::access::{Gated, gate};
use crate::app::App;

pub async fn topics(state: &App, actor: &Actor, slug: &str) -> Result<(Gated, Vec<Topic>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let topics = state.store.topics(gated.community.id).await?;
    Ok((gated, topics))
}

pub async fn create_topic(
    state: &App,
    actor: &Actor,
    slug: &str,
    topic_slug: &str,
    name: &str,
    description: Option<&str>,
) -> Result<Topic> {
    let gated = gate(state, actor, slug, CommunityAction::ManageTopics).await?;
    let topic_slug = Slug::parse(topic_slug)?;
    let name = copse_core::domain::text::single_line("name", name, 2, 60)?;
    let description = match description {
        Some(d) if !d.trim().is_empty() => Some(copse_core::domain::text::single_line(
            "description",
            d,
            1,
            300,
        )?),
        _ => None,
    };
    state
        .store
        .create_topic(
            gated.community.id,
            topic_slug.as_str(),
            &name,
            description.as_deref(),
        )
        .await
}

/// A topic of a community; the flag says the address was an old one that now redirects.
pub async fn topic(
    state: &App,
    actor: &Actor,
    slug: &str,
    topic: &str,
) -> Result<(Gated, Topic, bool)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let (topic, redirected) = state
        .store
        .topic_by_slug(gated.community.id, topic)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((gated, topic, redirected))
}

/// Follows (or stops following) a topic: new threads in it are notified. Members and observers.
pub async fn follow_topic(
    state: &App,
    actor: &Actor,
    slug: &str,
    topic_slug: &str,
    follow: bool,
) -> Result<Topic> {
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    let (gated, topic, _) = topic(state, actor, slug, topic_slug).await?;
    gated.check(actor, CommunityAction::FollowTopics)?;
    state
        .store
        .set_topic_follow(gated.community.id, topic.id, account, follow)
        .await?;
    Ok(topic)
}

/// Whether the actor follows the topic.
pub async fn follows_topic(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    topic: &Topic,
) -> Result<bool> {
    match actor.account_id() {
        None => Ok(false),
        Some(a) => Ok(state
            .store
            .followed_topics(gated.community.id, a)
            .await?
            .contains(&topic.id)),
    }
}

/// Renames a topic; a new address leaves the old one redirecting. Coordinators.
pub async fn rename_topic(
    state: &App,
    actor: &Actor,
    slug: &str,
    topic_slug: &str,
    name: Option<&str>,
    new_slug: Option<&str>,
) -> Result<Topic> {
    let gated = gate(state, actor, slug, CommunityAction::ManageTopics).await?;
    let (topic, _) = state
        .store
        .topic_by_slug(gated.community.id, topic_slug)
        .await?
        .ok_or(Error::NotFound)?;
    let name = match name {
        Some(n) => copse_core::domain::text::single_line("name", n, 2, 60)?,
        None => topic.name.clone(),
    };
    let new_slug = match new_slug {
        Some(s) => Slug::parse(s)?.as_str().to_string(),
        None => topic.slug.clone(),
    };
    state
        .store
        .rename_topic(gated.community.id, &topic, &name, &new_slug)
        .await?;
    Ok(Topic {
        name,
        slug: new_slug,
        ..topic
    })
}

/// Merges a topic into another: its threads and followers move, its address redirects.
pub async fn merge_topic(
    state: &App,
    actor: &Actor,
    slug: &str,
    from: &str,
    into: &str,
) -> Result<Topic> {
    let gated = gate(state, actor, slug, CommunityAction::ManageTopics).await?;
    let (from, _) = state
        .store
        .topic_by_slug(gated.community.id, from)
        .await?
        .ok_or(Error::NotFound)?;
    let (into, _) = state
        .store
        .topic_by_slug(gated.community.id, into)
        .await?
        .ok_or_else(|| Error::invalid("into", "this community has no such topic"))?;
    state
        .store
        .merge_topics(gated.community.id, &from, &into)
        .await?;
    Ok(into)
}
