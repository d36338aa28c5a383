//! Changing what was posted: edits with history, soft deletion, accepted answers, helpful marks
//! and the library — each change with its ledger entries (and notification) in one transaction.

use copse_core::domain::participation::{Act, private_in};
use copse_core::domain::{
    ModAction, NotificationKind, ReplyId, Target, Thread, ThreadId, parse_body, parse_link,
    parse_reason, parse_title,
};
use copse_core::policy::{Actor, ThreadAction};
use copse_core::{Error, Result};
use copse_store::{NewActivity, NewNotification};

use super::post::{ThreadInput, parse_topics};
use crate::access::{Gated, gate_reply, gate_thread};
use crate::app::App;
use crate::moderation::{deed, summary_of_reply};

pub async fn edit(state: &App, actor: &Actor, id: ThreadId, input: &ThreadInput) -> Result<Thread> {
    let gt = gate_thread(state, actor, id, ThreadAction::Edit).await?;
    if input.kind.is_some() || input.space.is_some() {
        return Err(Error::invalid(
            if input.kind.is_some() {
                "kind"
            } else {
                "space"
            },
            "cannot be changed after posting",
        ));
    }
    let title = match &input.title {
        Some(t) => parse_title(t)?,
        None => gt.thread.title.clone(),
    };
    let body = match &input.body {
        Some(b) => parse_body(b)?,
        None => gt.thread.body.clone(),
    };
    let link = match &input.link {
        Some(l) => parse_link(Some(l))?,
        None => gt.thread.link.clone(),
    };
    let topics = input.topics.as_deref().map(parse_topics).transpose()?;
    let editor = actor.account_id().ok_or(Error::Unauthenticated)?;
    state
        .store
        .edit_thread(
            &gt.thread,
            editor,
            &title,
            &body,
            link.as_deref(),
            topics.as_deref(),
        )
        .await?;
    state.store.thread(id).await?.ok_or(Error::NotFound)
}

/// Deletes a thread softly; it no longer counts in the ledger.
pub async fn delete(state: &App, actor: &Actor, id: ThreadId) -> Result<Gated> {
    delete_with_reason(state, actor, id, None).await
}

/// [`delete`], with the reason a moderator gives: a deletion by anyone but the author goes into
/// the moderation log. The thread's open flags close with it.
pub async fn delete_with_reason(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    reason: Option<&str>,
) -> Result<Gated> {
    let gt = gate_thread(state, actor, id, ThreadAction::Delete).await?;
    let reason = parse_reason(reason)?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let thread = &gt.thread;
    let entry = (by != thread.author.id).then(|| {
        deed(
            thread.community_id,
            Some(by),
            ModAction::Delete,
            (Target::Thread, id),
            Some(thread.author.id),
            thread.title.clone(),
            reason,
        )
    });
    let mut w = state.store.write().await?;
    let deleted = async {
        w.delete_thread(id).await?;
        w.resolve_flags(Target::Thread, id).await?;
        if let Some(entry) = &entry {
            w.log_moderation(entry).await?;
        }
        w.forget_activity(&format!("thread:{id}")).await
    }
    .await;
    w.finish(deleted).await?;
    Ok(gt.gated)
}

pub async fn edit_reply(state: &App, actor: &Actor, id: ReplyId, body: &str) -> Result<ThreadId> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::Edit).await?;
    let body = parse_body(body)?;
    let editor = actor.account_id().ok_or(Error::Unauthenticated)?;
    state
        .store
        .edit_reply(&gt.thread, &reply, editor, &body)
        .await?;
    Ok(gt.thread.id)
}

/// Deletes a reply softly; it no longer counts as a reply or an accepted answer.
pub async fn delete_reply(state: &App, actor: &Actor, id: ReplyId) -> Result<ThreadId> {
    delete_reply_with_reason(state, actor, id, None).await
}

/// [`delete_reply`], with a moderator's reason, logged as for a thread.
pub async fn delete_reply_with_reason(
    state: &App,
    actor: &Actor,
    id: ReplyId,
    reason: Option<&str>,
) -> Result<ThreadId> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::Delete).await?;
    let reason = parse_reason(reason)?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let entry = (by != reply.author.id).then(|| {
        deed(
            gt.thread.community_id,
            Some(by),
            ModAction::Delete,
            (Target::Reply, id),
            Some(reply.author.id),
            summary_of_reply(&gt.thread, &reply),
            reason,
        )
    });
    let mut w = state.store.write().await?;
    let deleted = async {
        w.delete_reply(&gt.thread, reply.id).await?;
        w.resolve_flags(Target::Reply, id).await?;
        if let Some(entry) = &entry {
            w.log_moderation(entry).await?;
        }
        w.forget_activity(&format!("reply:{}", reply.id)).await?;
        w.forget_activity(&format!("accepted:{}", reply.id)).await
    }
    .await;
    w.finish(deleted).await?;
    Ok(gt.thread.id)
}

/// Accepts a reply as the answer to a question (or none): the ledger moves to the new answer and
/// its author is told — all in one transaction.
pub async fn accept(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    reply: Option<ReplyId>,
) -> Result<()> {
    let gt = gate_thread(state, actor, id, ThreadAction::Accept).await?;
    let acceptor = actor.account_id().ok_or(Error::Unauthenticated)?;
    // A reply that is not one of this question's is refused by the store's `accept`.
    let accepted = match reply {
        Some(r) => state.store.reply(r).await?,
        None => None,
    };
    let thread = &gt.thread;
    let mut w = state.store.write().await?;
    let done = async {
        w.accept(thread, reply).await?;
        // The ledger keeps the answer that is accepted now.
        if let Some(previous) = thread.accepted_reply_id {
            w.forget_activity(&format!("accepted:{previous}")).await?;
        }
        let Some(answer) = &accepted else {
            return Ok(());
        };
        let act = NewActivity {
            community: thread.community_id,
            account: answer.author.id,
            kind: Act::AnswerAccepted,
            private: private_in(thread.space),
            at: w.now(),
            source: format!("accepted:{}", answer.id),
        };
        w.record_activity(&[act]).await?;
        if answer.author.id != acceptor {
            let note = NewNotification::thread(
                answer.author.id,
                thread.community_id,
                NotificationKind::Accepted,
                thread.id,
                Some(answer.id),
                acceptor,
            );
            w.notify(&[note]).await?;
        }
        Ok(())
    }
    .await;
    w.finish(done).await
}

/// Marks a reply helpful (or takes the mark back); its author's ledger counts the marks.
pub async fn helpful(state: &App, actor: &Actor, id: ReplyId, helpful: bool) -> Result<ThreadId> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::MarkHelpful).await?;
    if reply.deleted {
        return Err(Error::conflict("This reply was deleted."));
    }
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    let thread = &gt.thread;
    let source = format!("helpful:{}:{account}", reply.id);
    let mut w = state.store.write().await?;
    let marked = async {
        w.set_helpful(thread, reply.id, account, helpful).await?;
        if helpful {
            let act = NewActivity {
                community: thread.community_id,
                account: reply.author.id,
                kind: Act::HelpfulReceived,
                private: private_in(thread.space),
                at: w.now(),
                source,
            };
            w.record_activity(&[act]).await
        } else {
            w.forget_activity(&source).await
        }
    }
    .await;
    w.finish(marked).await?;
    Ok(thread.id)
}

pub async fn set_canonical(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    canonical: bool,
) -> Result<()> {
    gate_thread(state, actor, id, ThreadAction::Curate).await?;
    state.store.set_canonical(id, canonical).await
}
