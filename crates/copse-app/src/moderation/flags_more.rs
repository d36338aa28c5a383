//! Flags on what is not a thread or reply: value stories and their comments (the story's
//! community's moderators review them), conversation messages (the conversation's community's
//! moderators — flagging is how a participant shows them a message) and profiles (site admins).

use copse_core::domain::Target;
use copse_core::policy::{self, Actor, StoryAction};
use copse_core::{Error, Result};

use super::flags::{FlagInput, Flagged, Home, record};
use super::log::{SUMMARY_OF_MESSAGE, summary_of_comment, summary_of_profile, summary_of_story};
use crate::app::App;
use crate::value::story_to;

/// Flags a value story; answers whether the flag hid it.
pub async fn flag_story(state: &App, actor: &Actor, id: i64, input: &FlagInput) -> Result<bool> {
    let (gated, read) = story_to(state, actor, id, StoryAction::Flag).await?;
    let c = &gated.community;
    let story = &read.story;
    let flagged = Flagged {
        home: Home::Community(c.id, c.moderation.flags_to_hide),
        standing: gated.standing,
        target: (Target::Story, id),
        thread: None,
        author: story.author.id,
        hidden: story.hidden.is_some(),
        summary: summary_of_story(story),
    };
    record(state, actor, flagged, input).await
}

/// Flags a comment on a story; answers whether the flag hid it, and the story's id.
pub async fn flag_story_comment(
    state: &App,
    actor: &Actor,
    id: i64,
    input: &FlagInput,
) -> Result<(bool, i64)> {
    let comment = state
        .store
        .story_comment(id)
        .await?
        .ok_or(Error::NotFound)?;
    let (gated, read) = story_to(state, actor, comment.story_id, StoryAction::Read).await?;
    let me = actor.account_id();
    // A hidden comment is not shown to others: they cannot flag what they cannot read.
    let moderator = gated.moderates(actor);
    if comment.hidden.is_some() && me != Some(comment.author.id) && !moderator {
        return Err(Error::NotFound);
    }
    if gated.community.archived.is_some() {
        return Err(policy::Refusal::Archived.into());
    }
    policy::check_flag_comment(actor, &gated.standing, me == Some(comment.author.id))?;
    let c = &gated.community;
    let flagged = Flagged {
        home: Home::Community(c.id, c.moderation.flags_to_hide),
        standing: gated.standing,
        target: (Target::StoryComment, id),
        thread: None,
        author: comment.author.id,
        hidden: comment.hidden.is_some(),
        summary: summary_of_comment(&comment, &read.story),
    };
    Ok((
        record(state, actor, flagged, input).await?,
        comment.story_id,
    ))
}

/// Flags a message of a conversation the flagger is in; answers whether the flag hid it, and
/// the conversation's id. The log never names the conversation: it is private.
pub async fn flag_message(
    state: &App,
    actor: &Actor,
    id: i64,
    input: &FlagInput,
) -> Result<(bool, i64)> {
    policy::may_publish(actor)?;
    let home = state.store.message_home(id).await?.ok_or(Error::NotFound)?;
    if !state
        .store
        .in_conversation(home.conversation, actor.account_id())
        .await?
    {
        return Err(Error::NotFound);
    }
    policy::check_flag_own(actor, home.author)?;
    let community = state
        .store
        .community_by_id(home.community)
        .await?
        .ok_or(Error::NotFound)?;
    let standing = state
        .store
        .standing(community.id, actor.account_id())
        .await?;
    let flagged = Flagged {
        home: Home::Community(community.id, community.moderation.flags_to_hide),
        standing,
        target: (Target::Message, id),
        thread: None,
        author: home.author,
        hidden: home.hidden.is_some(),
        summary: SUMMARY_OF_MESSAGE.to_string(),
    };
    Ok((
        record(state, actor, flagged, input).await?,
        home.conversation,
    ))
}

/// Flags what a person says about themselves on their profile; site admins review it.
pub async fn flag_profile(
    state: &App,
    actor: &Actor,
    handle: &str,
    input: &FlagInput,
) -> Result<bool> {
    policy::may_publish(actor)?;
    let person = crate::accounts::profile_of(state, actor, handle).await?;
    policy::check_flag_own(actor, person.id)?;
    let flagged = Flagged {
        home: Home::Site,
        standing: Default::default(),
        target: (Target::Profile, person.id.get()),
        thread: None,
        author: person.id,
        hidden: person.profile_hidden.is_some(),
        summary: summary_of_profile(&person.handle),
    };
    record(state, actor, flagged, input).await
}
