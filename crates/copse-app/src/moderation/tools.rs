//! The thread tools of a moderator: pin, lock and hide a thread; hide a reply. Hiding keeps the
//! post for its author and the moderators, with the reason, and closes its open flags.

use copse_core::domain::{ModAction, ReplyId, Target, Thread, ThreadId, ThreadKind, parse_reason};
use copse_core::policy::{Actor, ThreadAction};
use copse_core::{Error, Result};
use copse_store::ThreadSwitch;

use super::log::{deed, summary_of_reply};
use crate::access::{gate_reply, gate_thread};
use crate::app::App;

/// What a moderator does to a thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadTool {
    Pin,
    Unpin,
    Lock,
    Unlock,
    Hide,
    Unhide,
    /// Close a question to new answers (questions only), or open it again.
    Close,
    Reopen,
}

impl ThreadTool {
    /// The tool named in a form or an API path: pin, unpin, lock, unlock, hide, unhide.
    pub fn parse(raw: &str) -> Result<ThreadTool> {
        Ok(match raw {
            "pin" => ThreadTool::Pin,
            "unpin" => ThreadTool::Unpin,
            "lock" => ThreadTool::Lock,
            "unlock" => ThreadTool::Unlock,
            "hide" => ThreadTool::Hide,
            "unhide" => ThreadTool::Unhide,
            "close" => ThreadTool::Close,
            "reopen" => ThreadTool::Reopen,
            _ => {
                return Err(Error::invalid(
                    "action",
                    "must be one of: pin, unpin, lock, unlock, hide, unhide, close, reopen",
                ));
            }
        })
    }

    fn action(self) -> ModAction {
        match self {
            ThreadTool::Pin => ModAction::Pin,
            ThreadTool::Unpin => ModAction::Unpin,
            ThreadTool::Lock => ModAction::Lock,
            ThreadTool::Unlock => ModAction::Unlock,
            ThreadTool::Hide => ModAction::Hide,
            ThreadTool::Unhide => ModAction::Unhide,
            ThreadTool::Close => ModAction::Close,
            ThreadTool::Reopen => ModAction::Reopen,
        }
    }
}

/// What a moderator does to a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplyTool {
    Hide,
    Unhide,
}

/// The words a post hidden by a moderator shows, when they gave no reason.
pub(super) const HIDDEN_BY_MODERATOR: &str = "Hidden by a moderator.";

/// Uses a tool on a thread, with a reason for the log (and, for hiding, for the page).
pub async fn thread_tool(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    tool: ThreadTool,
    reason: Option<&str>,
) -> Result<Thread> {
    let gt = gate_thread(state, actor, id, ThreadAction::Moderate).await?;
    let reason = parse_reason(reason)?;
    let closing = matches!(tool, ThreadTool::Close | ThreadTool::Reopen);
    if closing && gt.thread.kind != ThreadKind::Question {
        return Err(Error::invalid(
            "action",
            "only questions are closed; lock a discussion instead",
        ));
    }
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let thread = &gt.thread;
    let entry = deed(
        thread.community_id,
        Some(moderator),
        tool.action(),
        (Target::Thread, id),
        Some(thread.author.id),
        thread.title.clone(),
        reason.clone(),
    );
    let mut w = state.store.write().await?;
    let done = async {
        match tool {
            ThreadTool::Pin | ThreadTool::Unpin => {
                w.switch_thread(id, ThreadSwitch::Pinned, tool == ThreadTool::Pin)
                    .await?
            }
            ThreadTool::Lock | ThreadTool::Unlock => {
                w.switch_thread(id, ThreadSwitch::Locked, tool == ThreadTool::Lock)
                    .await?
            }
            ThreadTool::Close | ThreadTool::Reopen => {
                w.switch_thread(id, ThreadSwitch::Closed, tool == ThreadTool::Close)
                    .await?
            }
            ThreadTool::Hide => {
                let shown = reason.as_deref().unwrap_or(HIDDEN_BY_MODERATOR);
                w.set_hidden(Target::Thread, id, Some(shown)).await?;
                w.resolve_flags(Target::Thread, id).await?;
            }
            ThreadTool::Unhide => {
                w.set_hidden(Target::Thread, id, None).await?;
                w.resolve_flags(Target::Thread, id).await?;
            }
        }
        w.log_moderation(&entry).await
    }
    .await;
    w.finish(done).await?;
    state.store.thread(id).await?.ok_or(Error::NotFound)
}

/// Hides a reply (or shows it again), closing its open flags; answers its thread.
pub async fn reply_tool(
    state: &App,
    actor: &Actor,
    id: ReplyId,
    tool: ReplyTool,
    reason: Option<&str>,
) -> Result<ThreadId> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::Moderate).await?;
    if reply.deleted {
        return Err(Error::conflict("This reply was deleted."));
    }
    let reason = parse_reason(reason)?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let (action, shown) = match tool {
        ReplyTool::Hide => (
            ModAction::Hide,
            Some(reason.as_deref().unwrap_or(HIDDEN_BY_MODERATOR)),
        ),
        ReplyTool::Unhide => (ModAction::Unhide, None),
    };
    let entry = deed(
        gt.thread.community_id,
        Some(moderator),
        action,
        (Target::Reply, id),
        Some(reply.author.id),
        summary_of_reply(&gt.thread, &reply),
        reason.clone(),
    );
    let mut w = state.store.write().await?;
    let done = async {
        w.set_hidden(Target::Reply, id, shown).await?;
        w.resolve_flags(Target::Reply, id).await?;
        w.log_moderation(&entry).await
    }
    .await;
    w.finish(done).await?;
    Ok(gt.thread.id)
}

/// Merges the duplicate thread `id` into the thread `into` of the same community: its opening
/// post and replies move there, and its old address leads there. Answers the thread merged into.
pub async fn merge(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    into: ThreadId,
    reason: Option<&str>,
) -> Result<Thread> {
    if id == into {
        return Err(Error::invalid("into", "must be another thread"));
    }
    let from = gate_thread(state, actor, id, ThreadAction::Moderate).await?;
    let to = gate_thread(state, actor, into, ThreadAction::Moderate)
        .await
        .map_err(|_| Error::invalid("into", "must be a thread you moderate in this community"))?;
    if from.thread.community_id != to.thread.community_id {
        return Err(Error::invalid(
            "into",
            "must be a thread of the same community",
        ));
    }
    let reason = parse_reason(reason)?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let entry = deed(
        to.thread.community_id,
        Some(moderator),
        ModAction::Merge,
        (Target::Thread, into),
        Some(from.thread.author.id),
        to.thread.title.clone(),
        reason.or_else(|| Some(format!("“{}” was a duplicate", from.thread.title))),
    );
    let mut w = state.store.write().await?;
    let done = async {
        w.merge_thread(&from.thread, &to.thread).await?;
        w.resolve_flags(Target::Thread, id).await?;
        w.log_moderation(&entry).await
    }
    .await;
    w.finish(done).await?;
    state.store.thread(into).await?.ok_or(Error::NotFound)
}
