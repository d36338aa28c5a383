//! Reading threads: a community's lists (kind, answered or not, topic, the library), one thread
//! with its replies, unanswered questions, who knows what, and edit history.

use copse_core::Result;
use copse_core::domain::{Reply, ReplyId, Thread, ThreadId, ThreadKind, ThreadQuery};
use copse_core::page::{Cursor, Page, clamp_limit};
use copse_core::policy::{self, Actor, CommunityAction, ThreadAction};

use crate::access::{Gated, GatedThread, Post, gate, gate_reply, gate_thread};
use crate::app::App;

/// Raw list filters.
#[derive(Debug, Clone, Default)]
pub struct ListInput {
    pub kind: Option<String>,
    /// "answered" or "unanswered".
    pub status: Option<String>,
    pub topic: Option<String>,
    pub library: bool,
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

pub async fn list(
    state: &App,
    actor: &Actor,
    slug: &str,
    input: &ListInput,
) -> Result<(Gated, Page<Thread>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let answered = copse_core::domain::parse_answered(input.status.as_deref())?;
    let topic = match input.topic.as_deref().filter(|t| !t.is_empty()) {
        None => None,
        // An old address of a renamed or merged topic lists the topic it became.
        Some(slug) => Some(
            state
                .store
                .topic_by_slug(gated.community.id, slug)
                .await?
                .map_or_else(|| slug.to_string(), |(t, _)| t.slug),
        ),
    };
    let query = ThreadQuery {
        kind: input
            .kind
            .as_deref()
            .filter(|k| !k.is_empty() && *k != "all")
            .map(ThreadKind::parse)
            .transpose()?,
        answered,
        topic,
        library: input.library,
    };
    let after = Cursor::decode_opt(input.cursor.as_deref())?;
    let page = state
        .store
        .list_threads(
            gated.community.id,
            policy::thread_filter(actor),
            &query,
            clamp_limit(input.limit),
            after.as_ref(),
        )
        .await?;
    Ok((gated, page))
}

/// A thread with all its replies, as the actor may read it.
pub async fn read(state: &App, actor: &Actor, id: ThreadId) -> Result<(GatedThread, Vec<Reply>)> {
    let gt = gate_thread(state, actor, id, ThreadAction::Read).await?;
    let mut replies = state.store.replies(id, actor.account_id()).await?;
    // A hidden reply keeps its place; its text is for its author and the moderators.
    for reply in &mut replies {
        if reply.hidden.is_some() && !gt.may_on(actor, ThreadAction::Read, Post::Reply(reply)) {
            reply.body.clear();
            reply.quoted = None;
        }
    }
    Ok((gt, replies))
}

/// The oldest unanswered questions the actor may read.
pub async fn unanswered(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    limit: i64,
) -> Result<Vec<Thread>> {
    state
        .store
        .unanswered_questions(gated.community.id, policy::thread_filter(actor), limit)
        .await
}

/// Who knows what: people per topic, from accepted answers and helpful marks the actor may see,
/// and the expertise members declare. Needs leave to see people.
pub async fn experts(
    state: &App,
    actor: &Actor,
    slug: &str,
) -> Result<(
    Gated,
    Vec<copse_store::TopicExpert>,
    Vec<(String, String, String)>,
)> {
    let gated = gate(state, actor, slug, CommunityAction::SeeMembers).await?;
    let earned = state
        .store
        .topic_experts(gated.community.id, policy::thread_filter(actor))
        .await?;
    let declared = state.store.declared_expertise(gated.community.id).await?;
    Ok((gated, earned, declared))
}

/// The edit history of a thread, or of one of its replies (then `thread` is ignored), for those
/// who may read it; with the thread's id.
pub async fn history(
    state: &App,
    actor: &Actor,
    thread: ThreadId,
    reply: Option<ReplyId>,
) -> Result<(ThreadId, Vec<copse_core::domain::Edit>)> {
    let gated = match reply {
        Some(reply) => gate_reply(state, actor, reply, ThreadAction::Read).await?.0,
        None => gate_thread(state, actor, thread, ThreadAction::Read).await?,
    };
    let edits = state.store.edits(gated.thread.id, reply).await?;
    Ok((gated.thread.id, edits))
}

/// Where the address of a merged duplicate leads: the thread it was merged into, when the
/// actor may read that one (otherwise nothing, as for any missing thread).
pub async fn merged_home(state: &App, actor: &Actor, id: ThreadId) -> Result<Option<ThreadId>> {
    let Some(into) = state.store.merged_into(id).await? else {
        return Ok(None);
    };
    match gate_thread(state, actor, into, ThreadAction::Read).await {
        Ok(gt) => Ok(Some(gt.thread.id)),
        Err(e) if e.is_refusal() => Ok(None),
        Err(e) => Err(e),
    }
}
