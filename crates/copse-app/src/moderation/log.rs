//! The moderation log: every deed with who, when, what and why — never who flagged. Members
//! read their community's; site admins read every community's.

use copse_core::Result;
use copse_core::domain::value::{Story, StoryComment};
use copse_core::domain::{
    AccountId, CommunityId, LogEntry, ModAction, NewLogEntry, Reply, Target, Thread,
};
use copse_core::policy::{self, Actor, CommunityAction, ThreadAction};

use crate::access::{Gated, Post, gate, gate_reply, gate_thread};
use crate::app::App;

/// At most this many entries are read at once.
const PAGE: i64 = 100;

/// A log entry about a post or a person, for [`copse_store::Write::log_moderation`].
pub(crate) fn deed(
    community: CommunityId,
    moderator: Option<AccountId>,
    action: ModAction,
    target: (Target, i64),
    subject: Option<AccountId>,
    summary: String,
    reason: Option<String>,
) -> NewLogEntry {
    NewLogEntry {
        community: Some(community),
        moderator,
        action,
        target: target.0,
        target_id: target.1,
        subject,
        summary,
        reason,
    }
}

/// How the log names a reply: by its thread.
pub(crate) fn summary_of_reply(thread: &Thread, reply: &Reply) -> String {
    format!("a reply by @{} in “{}”", reply.author.handle, thread.title)
}

/// How the log names a value story: by the start of what its teller took from it.
pub(crate) fn summary_of_story(story: &Story) -> String {
    format!("a value story: “{}”", gist(&story.took))
}

/// How the log names a comment: by its author and its story.
pub(crate) fn summary_of_comment(comment: &StoryComment, story: &Story) -> String {
    format!(
        "a comment by @{} on “{}”",
        comment.author.handle,
        gist(&story.took)
    )
}

/// How the log names a message: never by its conversation, which is private.
pub(crate) const SUMMARY_OF_MESSAGE: &str = "a message in a private conversation";

pub(crate) fn summary_of_profile(handle: &str) -> String {
    format!("the profile of @{handle}")
}

/// At most this much of a story's gist names it in the log.
fn gist(took: &str) -> String {
    took.chars().take(80).collect()
}

/// A community's log, newest first, before the entry `before`. What an entry says of a post is
/// for those who may read the post (its moderators also of posts deleted outside circles).
pub async fn community_log(
    state: &App,
    actor: &Actor,
    slug: &str,
    before: Option<i64>,
) -> Result<(Gated, Vec<LogEntry>)> {
    let gated = gate(state, actor, slug, CommunityAction::SeeModerationLog).await?;
    let mut entries = state
        .store
        .moderation_log(Some(gated.community.id), before, PAGE)
        .await?;
    let moderator = gated.moderates(actor);
    mask(state, actor, &mut entries, moderator).await?;
    Ok((gated, entries))
}

/// Replaces what an entry says of a post the reader may not read.
async fn mask(state: &App, actor: &Actor, entries: &mut [LogEntry], moderator: bool) -> Result<()> {
    for entry in entries {
        let shown = may_read_target(state, actor, entry, moderator).await?
            || (moderator
                && state
                    .store
                    .deleted_in_the_open(entry.target, entry.target_id)
                    .await?);
        if !shown {
            entry.summary = UNSEEN.to_string();
        }
    }
    Ok(())
}

/// What the log says of a post the reader may not read (hidden, deleted, or in a circle).
const UNSEEN: &str = "a post you cannot see";

/// Whether the reader may read the post an entry is about. A person is always named, and a
/// message or a profile only ever as "a message in a private conversation" or by its owner.
async fn may_read_target(
    state: &App,
    actor: &Actor,
    entry: &LogEntry,
    moderator: bool,
) -> Result<bool> {
    let read = match entry.target {
        Target::Account | Target::Message | Target::Profile => return Ok(true),
        Target::Story => crate::value::get(state, actor, entry.target_id)
            .await
            .map(drop),
        Target::StoryComment => match state.store.story_comment(entry.target_id).await? {
            Some(c) if c.hidden.is_none() || moderator => {
                crate::value::get(state, actor, c.story_id).await.map(drop)
            }
            _ => return Ok(false),
        },
        Target::Thread => gate_thread(state, actor, entry.target_id, ThreadAction::Read)
            .await
            .map(drop),
        Target::Reply => gate_reply(state, actor, entry.target_id, ThreadAction::Read)
            .await
            .and_then(|(gt, reply)| {
                if reply.deleted {
                    Err(copse_core::Error::NotFound)
                } else {
                    gt.check_on(actor, ThreadAction::Read, Post::Reply(&reply))
                }
            }),
    };
    match read {
        Ok(()) => Ok(true),
        Err(e) if e.is_refusal() => Ok(false),
        Err(e) => Err(e),
    }
}

/// Every community's log, for site admins.
pub async fn site_log(state: &App, actor: &Actor, before: Option<i64>) -> Result<Vec<LogEntry>> {
    policy::check_site_admin(actor)?;
    let mut entries = state.store.moderation_log(None, before, PAGE).await?;
    mask(state, actor, &mut entries, true).await?;
    Ok(entries)
}
