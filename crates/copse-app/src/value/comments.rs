//! Comments on value stories: by whoever may read the story and post in its community; the
//! teller is told.

use copse_core::domain::value::StoryComment;
use copse_core::policy::{self, Actor, CommunityAction, StoryAction};
use copse_core::{Error, Result};
use copse_store::NewNotification;

use super::read::{get, story_to};
use crate::app::App;

/// At most this many comments per story.
const MAX_COMMENTS: i64 = 500;

/// A member who may read a story comments on it; the teller is told.
pub async fn comment(state: &App, actor: &Actor, id: i64, body: &str) -> Result<StoryComment> {
    let (gated, read) = story_to(state, actor, id, StoryAction::Read).await?;
    gated.check(actor, CommunityAction::Post)?;
    let community = &gated.community;
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    let body = copse_core::domain::text::multi_line("body", body, 1, 5_000)?;
    let mut w = state.store.write().await?;
    let added = async {
        let comment = w.add_story_comment(id, me, &body, MAX_COMMENTS).await?;
        if read.story.author.id != me {
            w.notify(&[NewNotification {
                account: read.story.author.id,
                community: community.id,
                kind: copse_core::domain::NotificationKind::StoryComment,
                thread: None,
                reply: None,
                story: Some(id),
                checkin: None,
                actor: me,
            }])
            .await?;
        }
        Ok(comment)
    }
    .await;
    let comment = w.finish(added).await?;
    state
        .store
        .story_comment(comment)
        .await?
        .ok_or(Error::NotFound)
}

/// A story's comments, for whoever may read the story. A hidden comment is read by its author
/// and the community's moderators only.
pub async fn comments(state: &App, actor: &Actor, id: i64) -> Result<Vec<StoryComment>> {
    let moderator = match story_to(state, actor, id, StoryAction::Moderate).await {
        Ok(_) => true,
        // An archived community's moderators still read what they would moderate.
        Err(e) if e.is_archived() => {
            let (gated, _) = story_to(state, actor, id, StoryAction::Read).await?;
            gated.moderates(actor)
        }
        Err(e) if e.is_refusal() => {
            get(state, actor, id).await?;
            false
        }
        Err(e) => return Err(e),
    };
    let mut comments = state.store.story_comments(id).await?;
    comments.retain(|c| c.hidden.is_none() || policy::reads_hidden(actor, c.author.id, moderator));
    Ok(comments)
}

/// The comment's author or a coordinator deletes a comment. Returns the story's id.
pub async fn delete_comment(state: &App, actor: &Actor, comment: i64) -> Result<i64> {
    let c = state
        .store
        .story_comment(comment)
        .await?
        .ok_or(Error::NotFound)?;
    let (gated, _) = story_to(state, actor, c.story_id, StoryAction::Read).await?;
    if gated.community.archived.is_some() {
        return Err(policy::Refusal::Archived.into());
    }
    policy::check_delete_comment(
        actor,
        &gated.standing,
        actor.account_id() == Some(c.author.id),
    )?;
    state.store.delete_story_comment(comment).await?;
    Ok(c.story_id)
}
