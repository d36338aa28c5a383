//! Moving a thread to another community the moderator also moderates, and splitting replies
//! off into a new thread — each with its log entries, in one transaction.

use copse_core::domain::{
    ModAction, ReplyId, Space, Target, Thread, ThreadId, parse_reason, parse_title,
};
use copse_core::policy::{Actor, CommunityAction, ThreadAction};
use copse_core::{Error, Result};

use super::log::deed;
use crate::access::{gate, gate_thread};
use crate::app::App;

/// At most this many replies are split off at once.
const MAX_SPLIT: usize = 200;

/// The other communities the actor could move a thread of `here` to: those of theirs they
/// moderate, as (address, name).
pub async fn move_destinations(
    state: &App,
    actor: &Actor,
    here: copse_core::domain::CommunityId,
) -> Result<Vec<(String, String)>> {
    let Some(me) = actor.account_id() else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (slug, name, _) in state.store.memberships_of(me).await? {
        match gate(state, actor, &slug, CommunityAction::Moderate).await {
            Ok(g) if g.community.id != here => out.push((slug, name)),
            Ok(_) => {}
            // An archived community takes no threads.
            Err(e) if e.is_refusal() || e.is_archived() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

/// Moves thread `id` to the community `to`: the actor moderates both. A thread of a circle or
/// a conversation stays where it is (its people are that community's).
pub async fn move_to_community(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    to: &str,
    reason: Option<&str>,
) -> Result<Thread> {
    let from = gate_thread(state, actor, id, ThreadAction::Moderate).await?;
    let thread = &from.thread;
    if !matches!(thread.space, Space::Public | Space::Members) {
        return Err(Error::invalid(
            "to",
            "a circle's or a conversation's thread stays in its community",
        ));
    }
    let dest = gate(state, actor, to.trim(), CommunityAction::Moderate)
        .await
        .map_err(|_| Error::invalid("to", "must be another community you moderate"))?;
    if dest.community.id == thread.community_id {
        return Err(Error::invalid("to", "must be another community"));
    }
    let reason = parse_reason(reason)?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let (old, new) = (&from.gated.community, &dest.community);
    let entry = |community, summary| {
        deed(
            community,
            Some(moderator),
            ModAction::Move,
            (Target::Thread, id),
            Some(thread.author.id),
            summary,
            reason.clone(),
        )
    };
    let left = entry(old.id, format!("“{}” to {}", thread.title, new.name));
    let arrived = entry(new.id, format!("“{}” here from {}", thread.title, old.name));
    let mut w = state.store.write().await?;
    let done = async {
        w.move_thread(id, new.id).await?;
        w.log_moderation(&left).await?;
        w.log_moderation(&arrived).await
    }
    .await;
    w.finish(done).await?;
    state.store.thread(id).await?.ok_or(Error::NotFound)
}

/// Splits the replies `ids` of thread `id` off into a new thread titled `title` in the same
/// community and space; the oldest of them becomes its opening post. Answers the new thread.
pub async fn split(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    ids: &[ReplyId],
    title: &str,
    reason: Option<&str>,
) -> Result<Thread> {
    let gt = gate_thread(state, actor, id, ThreadAction::Moderate).await?;
    if ids.is_empty() || ids.len() > MAX_SPLIT {
        return Err(Error::invalid(
            "replies",
            format!("choose between 1 and {MAX_SPLIT} replies of this thread"),
        ));
    }
    let title = parse_title(title)?;
    let reason = parse_reason(reason)?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let mut chosen: Vec<_> = state
        .store
        .replies(id, None)
        .await?
        .into_iter()
        .filter(|r| ids.contains(&r.id) && !r.deleted)
        .collect();
    if chosen.len() != ids.len() {
        return Err(Error::invalid(
            "replies",
            "must be replies of this thread that are not deleted",
        ));
    }
    chosen.sort_by_key(|r| (r.created_at, r.id));
    let mut w = state.store.write().await?;
    let done = async {
        let new = w.split_thread(&gt.thread, &chosen, &title).await?;
        let entry = deed(
            gt.thread.community_id,
            Some(moderator),
            ModAction::Split,
            (Target::Thread, new),
            Some(chosen[0].author.id),
            title.clone(),
            reason.or_else(|| Some(format!("from “{}”", gt.thread.title))),
        );
        w.log_moderation(&entry).await?;
        Ok(new)
    }
    .await;
    let new = w.finish(done).await?;
    state.store.thread(new).await?.ok_or(Error::NotFound)
}
