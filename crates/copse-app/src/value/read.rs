//! Reading value stories through the policy: one story, a community's stories for a period,
//! those that credit a person or a thing, and what a story credits as the reader may see it.

use copse_core::clock::Millis;
use copse_core::domain::AccountId;
use copse_core::domain::value::Story;
use copse_core::domain::{Community, CommunityId};
use copse_core::policy::{
    self, Actor, CircleAction, CommunityAction, StoryAction, StoryFacts, ThreadAction,
};
use copse_core::{Error, Result};

use crate::access::{Gated, gate};
use crate::app::App;

/// A story the reader may read, with whether they may see its teller.
pub struct ReadStory {
    pub story: Story,
    pub teller_shown: bool,
}

/// The facts the policy reads about a story, for one reader, in its community.
async fn facts(
    state: &App,
    actor: &Actor,
    story: &Story,
    community: &Community,
) -> Result<StoryFacts> {
    let in_circle = match story.circle_id {
        Some(c) => state
            .store
            .circle_role(c, actor.account_id())
            .await?
            .is_some(),
        None => false,
    };
    Ok(StoryFacts {
        visibility: story.visibility,
        in_circle,
        is_author: actor.account_id() == Some(story.author.id),
        anonymous: story.anonymous,
        hidden: story.hidden.is_some(),
        leaders_moderate: community.moderation.leaders_moderate,
        archived: community.archived.is_some(),
    })
}

/// Filters stories through the policy for one reader.
async fn readable(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    stories: Vec<Story>,
) -> Result<Vec<ReadStory>> {
    let mut out = Vec::new();
    for story in stories {
        let f = facts(state, actor, &story, &gated.community).await?;
        if policy::decide_story(actor, &gated.standing, &f).allowed() {
            out.push(ReadStory {
                teller_shown: policy::story_teller_shown(actor, &gated.standing, &f),
                story,
            });
        }
    }
    Ok(out)
}

/// What a credit is, for a reader who may read it: its community and its title. Things the
/// reader may not read and things that do not exist are both `None`.
pub async fn resolve_credit(
    state: &App,
    actor: &Actor,
    kind: &str,
    id: i64,
) -> Result<Option<(CommunityId, String)>> {
    let found = match kind {
        "thread" => crate::access::gate_thread(state, actor, id, ThreadAction::Read)
            .await
            .map(|t| (t.thread.community_id, t.thread.title.clone())),
        "event" => crate::access::gate_event(state, actor, id)
            .await
            .map(|(_, e)| (e.community_id, e.title.clone())),
        "circle" => crate::access::gate_circle(state, actor, id, CircleAction::Read)
            .await
            .map(|c| (c.circle.community_id, c.circle.name.clone())),
        _ => return Ok(None),
    };
    match found {
        Ok(f) => Ok(Some(f)),
        Err(Error::NotFound | Error::Forbidden(_) | Error::Unauthenticated) => Ok(None),
        Err(e) => Err(e),
    }
}

/// One story, for whoever may read it (others: not found).
pub async fn get(state: &App, actor: &Actor, id: i64) -> Result<ReadStory> {
    Ok(story_to(state, actor, id, StoryAction::Read).await?.1)
}

/// Loads a story with its community and asks the policy about `action`: a story the actor may
/// not read is "not found", like one that does not exist.
pub async fn story_to(
    state: &App,
    actor: &Actor,
    id: i64,
    action: StoryAction,
) -> Result<(Gated, ReadStory)> {
    let story = state.store.story(id).await?.ok_or(Error::NotFound)?;
    let community = community_of(state, &story).await?;
    let gated = gate(state, actor, &community.slug, CommunityAction::ReadPublic)
        .await
        .map_err(|_| Error::NotFound)?;
    let facts = facts(state, actor, &story, &gated.community).await?;
    policy::check_story(actor, &gated.standing, &facts, action)?;
    let teller_shown = policy::story_teller_shown(actor, &gated.standing, &facts);
    Ok((
        gated,
        ReadStory {
            story,
            teller_shown,
        },
    ))
}

/// The community's stories the reader may read, created in `[from, to)`.
pub async fn list(
    state: &App,
    actor: &Actor,
    slug: &str,
    from: Millis,
    to: Millis,
) -> Result<(Gated, Vec<ReadStory>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadMembersOnly).await?;
    let stories = state.store.stories(gated.community.id, from, to).await?;
    let list = readable(state, actor, &gated, stories).await?;
    Ok((gated, list))
}

/// Stories the reader may read that credit a person's threads or the events they host — the
/// credit shown on their profile.
pub async fn credited_to(state: &App, actor: &Actor, person: AccountId) -> Result<Vec<ReadStory>> {
    let mut out = Vec::new();
    for id in state.store.stories_crediting_person(person).await? {
        if let Ok(r) = get(state, actor, id).await {
            out.push(r);
        }
    }
    Ok(out)
}

/// How many stories the reader may read credit a thread or an event ("helped N people").
pub async fn helped(state: &App, actor: &Actor, kind: &str, id: i64) -> Result<usize> {
    let mut n = 0;
    for story in state.store.stories_crediting(kind, id).await? {
        if get(state, actor, story).await.is_ok() {
            n += 1;
        }
    }
    Ok(n)
}

/// Whether the actor endorsed the story ("this also happened for me").
pub async fn endorsed_by(state: &App, actor: &Actor, story: i64) -> Result<bool> {
    match actor.account_id() {
        Some(me) => state.store.endorsed(story, me).await,
        None => Ok(false),
    }
}

/// The community a story belongs to, gated as readable by the actor (for the story page).
pub async fn story_community(state: &App, actor: &Actor, story: &Story) -> Result<Gated> {
    let community = state
        .store
        .community_by_id(story.community_id)
        .await?
        .ok_or(Error::NotFound)?;
    crate::access::gate(state, actor, &community.slug, CommunityAction::ReadPublic).await
}

pub(crate) async fn community_of(
    state: &App,
    story: &Story,
) -> Result<copse_core::domain::Community> {
    state
        .store
        .community_by_id(story.community_id)
        .await?
        .ok_or(Error::NotFound)
}
