//! Flags: a member tells the moderators about a thread or reply, once per post, with a reason.
//! The author never learns who flagged. When enough established members have flagged a post
//! (the community's setting), it is hidden at once until a moderator looks at it.

use copse_core::domain::{
    AccountId, HIDDEN_BY_FLAGS, ModAction, NewFlag, ReplyId, Role, Target, ThreadId,
};
use copse_core::policy::{Actor, ThreadAction};
use copse_core::{Error, Result};
use copse_store::FlagRow;

use super::log::{deed, summary_of_reply};
use crate::access::{GatedThread, gate_reply, gate_thread};
use crate::app::App;

/// A flag as a form or JSON body gives it.
#[derive(Debug, Clone, Default)]
pub struct FlagInput {
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// Flags a thread; answers whether the flag hid it.
pub async fn flag_thread(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    input: &FlagInput,
) -> Result<bool> {
    let gt = gate_thread(state, actor, id, ThreadAction::Flag).await?;
    let post = Flagged {
        target: (Target::Thread, id),
        author: gt.thread.author.id,
        hidden: gt.thread.hidden.is_some(),
        summary: gt.thread.title.clone(),
    };
    record(state, actor, &gt, post, input).await
}

/// Flags a reply; answers whether the flag hid it, and the reply's thread (which the flagger
/// may no longer be allowed to look up through the reply, once it is hidden).
pub async fn flag_reply(
    state: &App,
    actor: &Actor,
    id: ReplyId,
    input: &FlagInput,
) -> Result<(bool, ThreadId)> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::Flag).await?;
    if reply.deleted {
        return Err(Error::conflict("This reply was deleted."));
    }
    let post = Flagged {
        target: (Target::Reply, id),
        author: reply.author.id,
        hidden: reply.hidden.is_some(),
        summary: summary_of_reply(&gt.thread, &reply),
    };
    let hidden = record(state, actor, &gt, post, input).await?;
    Ok((hidden, gt.thread.id))
}

/// The flagged post, as the log and the threshold need it.
struct Flagged {
    target: (Target, i64),
    author: AccountId,
    hidden: bool,
    summary: String,
}

async fn record(
    state: &App,
    actor: &Actor,
    gt: &GatedThread,
    post: Flagged,
    input: &FlagInput,
) -> Result<bool> {
    let flag = NewFlag::parse(input.reason.as_deref(), input.note.as_deref())?;
    let flagger = actor.account_id().ok_or(Error::Unauthenticated)?;
    let established = established(state, gt, flagger).await?;
    let community = &gt.gated.community;
    let row = FlagRow {
        community: community.id,
        target: post.target.0,
        target_id: post.target.1,
        thread: gt.thread.id,
        author: post.author,
        flagger,
        established,
        flag: &flag,
    };
    let threshold = community.moderation.flags_to_hide;
    let mut w = state.store.write().await?;
    let done = async {
        let count = w.add_flag(&row).await?;
        if post.hidden || count < threshold {
            return Ok(false);
        }
        w.set_hidden(post.target.0, post.target.1, Some(HIDDEN_BY_FLAGS))
            .await?;
        let entry = deed(
            community.id,
            None,
            ModAction::HiddenByFlags,
            post.target,
            Some(post.author),
            post.summary,
            Some(format!("{count} members flagged it")),
        );
        w.log_moderation(&entry).await?;
        Ok(true)
    }
    .await;
    w.finish(done).await
}

/// Whether a flag counts toward hiding the post: the flagger's account is past its first days
/// (new accounts are the spammers' own), or they lead the community.
async fn established(state: &App, gt: &GatedThread, flagger: AccountId) -> Result<bool> {
    if gt.gated.standing.role.is_some_and(|r| r >= Role::Leader) {
        return Ok(true);
    }
    let account = state
        .store
        .account(flagger)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let age = state.store.now() - account.created_at;
    Ok(age >= state.config.posting.new_account_ms)
}
