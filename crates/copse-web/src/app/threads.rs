//! Practice: starting and reading threads, replying, editing with history, deleting softly,
//! accepting answers, marking replies helpful, curating the library, and topics.

use copse_core::domain::{
    AccountId, MAX_TOPICS_PER_THREAD, NewThread, NotificationKind, Reply, ReplyId, Slug, Space,
    Thread, ThreadId, ThreadKind, ThreadQuery, Topic, mentioned_handles, parse_body, parse_link,
    parse_title,
};
use copse_core::page::{Cursor, Page, clamp_limit};
use copse_core::policy::{self, Actor, CommunityAction, CommunityFacts, ThreadAction, ThreadFacts};
use copse_core::{Error, Result};
use copse_store::NewNotification;

use super::communities::{Gated, gate};
use crate::state::AppState;

/// A thread the actor was allowed to act on, with its community and the actor's standing.
pub struct GatedThread {
    pub gated: Gated,
    pub thread: Thread,
    /// The actor belongs to the thread's circle.
    pub private_member: bool,
}

impl GatedThread {
    fn facts(&self, author: i64) -> ThreadFacts {
        ThreadFacts {
            space: self.thread.space,
            kind: self.thread.kind,
            author,
            private_member: self.private_member,
        }
    }

    /// Whether the actor may also do `action` to the thread (for buttons).
    pub fn may(&self, actor: &Actor, action: ThreadAction) -> bool {
        self.may_on(actor, action, self.thread.author.id)
    }

    /// Whether the actor may do `action` to a reply by `author` in this thread.
    pub fn may_on(&self, actor: &Actor, action: ThreadAction, author: i64) -> bool {
        let community = CommunityFacts::from(&self.gated.community);
        policy::decide_thread(
            actor,
            &self.gated.standing,
            &community,
            &self.facts(author),
            action,
        )
        .allowed()
    }

    fn check_on(&self, actor: &Actor, action: ThreadAction, author: i64) -> Result<()> {
        let community = CommunityFacts::from(&self.gated.community);
        policy::check_thread(
            actor,
            &self.gated.standing,
            &community,
            &self.facts(author),
            action,
        )
    }
}

/// Loads a thread and asks the policy whether the actor may do `action` to it. A thread the
/// actor may not read is `NotFound`, like one that does not exist.
pub async fn gate_thread(
    state: &AppState,
    actor: &Actor,
    id: ThreadId,
    action: ThreadAction,
) -> Result<GatedThread> {
    let thread = state.store.thread(id).await?.ok_or(Error::NotFound)?;
    let community = state
        .store
        .community_by_id(thread.community_id)
        .await?
        .ok_or(Error::NotFound)?;
    let standing = state
        .store
        .standing(community.id, actor.account_id())
        .await?;
    let private_member = match thread.circle_id {
        Some(circle) => state
            .store
            .circle_role(circle, actor.account_id())
            .await?
            .is_some(),
        None => false,
    };
    let gt = GatedThread {
        gated: Gated {
            community,
            standing,
        },
        thread,
        private_member,
    };
    gt.check_on(actor, action, gt.thread.author.id)?;
    Ok(gt)
}

/// Loads a reply with its thread, checking `action` against the reply's author.
pub async fn gate_reply(
    state: &AppState,
    actor: &Actor,
    id: ReplyId,
    action: ThreadAction,
) -> Result<(GatedThread, Reply)> {
    let reply = state.store.reply(id).await?.ok_or(Error::NotFound)?;
    let gt = gate_thread(state, actor, reply.thread_id, ThreadAction::Read).await?;
    gt.check_on(actor, action, reply.author.id)?;
    Ok((gt, reply))
}

/// Raw thread fields from a form or JSON body.
#[derive(Debug, Clone, Default)]
pub struct ThreadInput {
    pub kind: Option<String>,
    pub space: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub link: Option<String>,
    pub topics: Option<Vec<String>>,
    /// The circle, for a thread in the circle space.
    pub circle: Option<i64>,
}

fn parse_topics(raw: &[String]) -> Result<Vec<String>> {
    if raw.len() > MAX_TOPICS_PER_THREAD {
        return Err(Error::invalid(
            "topics",
            format!("at most {MAX_TOPICS_PER_THREAD} topics"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for t in raw.iter().filter(|t| !t.trim().is_empty()) {
        let slug = t.trim().to_string();
        if slug.len() > 64 {
            return Err(Error::invalid(
                "topics",
                "a topic slug is at most 64 characters",
            ));
        }
        if !out.contains(&slug) {
            out.push(slug);
        }
    }
    Ok(out)
}

pub async fn create(
    state: &AppState,
    actor: &Actor,
    slug: &str,
    input: &ThreadInput,
) -> Result<Thread> {
    let gated = gate(state, actor, slug, CommunityAction::Post).await?;
    let kind = input
        .kind
        .as_deref()
        .map(ThreadKind::parse)
        .transpose()?
        .unwrap_or(ThreadKind::Discussion);
    if kind == ThreadKind::Announcement {
        gate(state, actor, slug, CommunityAction::Announce).await?;
    }
    let space = input
        .space
        .as_deref()
        .map(Space::parse)
        .transpose()?
        .unwrap_or(Space::Public);
    let circle_id = match (space, input.circle) {
        (Space::Circle, Some(circle)) => {
            let gc = super::circles::gate_circle(state, actor, circle, policy::CircleAction::Post)
                .await?;
            if gc.circle.community_id != gated.community.id {
                return Err(Error::invalid(
                    "circle",
                    "must be a circle of this community",
                ));
            }
            Some(circle)
        }
        (Space::Circle, None) => {
            return Err(Error::invalid("circle", "a circle thread needs its circle"));
        }
        (Space::Direct, _) => {
            return Err(Error::invalid(
                "space",
                "must be one of: public, members, circle",
            ));
        }
        (_, Some(_)) => {
            return Err(Error::invalid(
                "circle",
                "only circle threads belong to a circle",
            ));
        }
        _ => None,
    };
    let new = NewThread {
        kind,
        space,
        circle_id,
        title: parse_title(input.title.as_deref().unwrap_or(""))?,
        body: parse_body(input.body.as_deref().unwrap_or(""))?,
        link: parse_link(input.link.as_deref())?,
        topics: parse_topics(input.topics.as_deref().unwrap_or_default())?,
    };
    let author = actor.account_id().ok_or(Error::Unauthenticated)?;
    let id = state
        .store
        .create_thread(gated.community.id, author, &new)
        .await?;
    let thread = state.store.thread(id).await?.ok_or(Error::NotFound)?;
    super::participation::record(
        state,
        copse_store::NewActivity {
            community: thread.community_id,
            account: author,
            kind: if thread.kind == ThreadKind::Resource {
                "resource_shared"
            } else {
                "thread_started"
            },
            private: thread.space == Space::Circle,
            at: thread.created_at,
            source: format!("thread:{id}"),
        },
    )
    .await;
    let mut notes = Vec::new();
    for follower in state.store.topic_followers(id, author).await? {
        notes.push(note(
            &thread,
            follower,
            NotificationKind::Topic,
            None,
            author,
        ));
    }
    // A circle's members hear of its new threads (the policy still decides, when they read
    // the notification, that they are in the circle).
    if let Some(circle) = thread.circle_id {
        for (person, _) in state.store.circle_members(circle).await? {
            if person.id != author && !notes.iter().any(|n| n.account == person.id) {
                notes.push(note(
                    &thread,
                    person.id,
                    NotificationKind::Circle,
                    None,
                    author,
                ));
            }
        }
    }
    add_mentions(state, &mut notes, &thread, &thread.body, None, author).await?;
    state.store.notify(&notes).await?;
    Ok(thread)
}

/// At most this many people are notified by the mentions of one text.
const MAX_MENTIONS: usize = 10;

fn note(
    thread: &Thread,
    to: AccountId,
    kind: NotificationKind,
    reply: Option<ReplyId>,
    actor: AccountId,
) -> NewNotification {
    NewNotification::thread(to, thread.community_id, kind, thread.id, reply, actor)
}

/// Adds a mention notification for each @handle in `text` not already notified. Whether the
/// person may read the thread is decided when they read their notifications, by the policy.
async fn add_mentions(
    state: &AppState,
    notes: &mut Vec<NewNotification>,
    thread: &Thread,
    text: &str,
    reply: Option<ReplyId>,
    actor: AccountId,
) -> Result<()> {
    for handle in mentioned_handles(text, MAX_MENTIONS) {
        let Some(person) = state.store.account_by_handle(&handle).await? else {
            continue;
        };
        if person.id != actor && !notes.iter().any(|n| n.account == person.id) {
            notes.push(note(
                thread,
                person.id,
                NotificationKind::Mention,
                reply,
                actor,
            ));
        }
    }
    Ok(())
}

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
    state: &AppState,
    actor: &Actor,
    slug: &str,
    input: &ListInput,
) -> Result<(Gated, Page<Thread>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let answered = match input.status.as_deref().map(str::trim) {
        None | Some("") | Some("all") => None,
        Some("answered") => Some(true),
        Some("unanswered") => Some(false),
        Some(_) => {
            return Err(Error::invalid(
                "status",
                "must be one of: all, answered, unanswered",
            ));
        }
    };
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
pub async fn read(
    state: &AppState,
    actor: &Actor,
    id: ThreadId,
) -> Result<(GatedThread, Vec<Reply>)> {
    let gt = gate_thread(state, actor, id, ThreadAction::Read).await?;
    let replies = state.store.replies(id, actor.account_id()).await?;
    Ok((gt, replies))
}

pub async fn reply(
    state: &AppState,
    actor: &Actor,
    id: ThreadId,
    body: &str,
    quote: Option<ReplyId>,
) -> Result<ReplyId> {
    let gt = gate_thread(state, actor, id, ThreadAction::Reply).await?;
    let body = parse_body(body)?;
    let author = actor.account_id().ok_or(Error::Unauthenticated)?;
    let reply = state
        .store
        .create_reply(&gt.thread, author, &body, quote)
        .await?;
    super::participation::record(
        state,
        copse_store::NewActivity {
            community: gt.thread.community_id,
            account: author,
            kind: "reply",
            private: gt.thread.space == Space::Circle,
            at: state.store.now(),
            source: format!("reply:{reply}"),
        },
    )
    .await;
    let mut notes = Vec::new();
    if gt.thread.author.id != author {
        notes.push(note(
            &gt.thread,
            gt.thread.author.id,
            NotificationKind::Reply,
            Some(reply),
            author,
        ));
    }
    add_mentions(state, &mut notes, &gt.thread, &body, Some(reply), author).await?;
    state.store.notify(&notes).await?;
    Ok(reply)
}

pub async fn edit(
    state: &AppState,
    actor: &Actor,
    id: ThreadId,
    input: &ThreadInput,
) -> Result<Thread> {
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

pub async fn delete(state: &AppState, actor: &Actor, id: ThreadId) -> Result<Gated> {
    let gt = gate_thread(state, actor, id, ThreadAction::Delete).await?;
    state.store.delete_thread(id).await?;
    super::participation::forget(state, &format!("thread:{id}")).await;
    Ok(gt.gated)
}

pub async fn edit_reply(
    state: &AppState,
    actor: &Actor,
    id: ReplyId,
    body: &str,
) -> Result<ThreadId> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::Edit).await?;
    let body = parse_body(body)?;
    let editor = actor.account_id().ok_or(Error::Unauthenticated)?;
    state
        .store
        .edit_reply(&gt.thread, &reply, editor, &body)
        .await?;
    Ok(gt.thread.id)
}

pub async fn delete_reply(state: &AppState, actor: &Actor, id: ReplyId) -> Result<ThreadId> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::Delete).await?;
    state.store.delete_reply(&gt.thread, reply.id).await?;
    super::participation::forget(state, &format!("reply:{}", reply.id)).await;
    super::participation::forget(state, &format!("accepted:{}", reply.id)).await;
    Ok(gt.thread.id)
}

pub async fn accept(
    state: &AppState,
    actor: &Actor,
    id: ThreadId,
    reply: Option<ReplyId>,
) -> Result<()> {
    let gt = gate_thread(state, actor, id, ThreadAction::Accept).await?;
    state.store.accept(&gt.thread, reply).await?;
    // The ledger keeps the answer that is accepted now.
    if let Some(previous) = gt.thread.accepted_reply_id {
        super::participation::forget(state, &format!("accepted:{previous}")).await;
    }
    if let Some(r) = reply
        && let Some(accepted) = state.store.reply(r).await?
    {
        super::participation::record(
            state,
            copse_store::NewActivity {
                community: gt.thread.community_id,
                account: accepted.author.id,
                kind: "answer_accepted",
                private: gt.thread.space == Space::Circle,
                at: state.store.now(),
                source: format!("accepted:{r}"),
            },
        )
        .await;
    }
    let acceptor = actor.account_id().ok_or(Error::Unauthenticated)?;
    if let Some(r) = reply
        && let Some(accepted) = state.store.reply(r).await?
        && accepted.author.id != acceptor
    {
        let n = note(
            &gt.thread,
            accepted.author.id,
            NotificationKind::Accepted,
            Some(r),
            acceptor,
        );
        state.store.notify(&[n]).await?;
    }
    Ok(())
}

pub async fn helpful(
    state: &AppState,
    actor: &Actor,
    id: ReplyId,
    helpful: bool,
) -> Result<ThreadId> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::MarkHelpful).await?;
    if reply.deleted {
        return Err(Error::conflict("This reply was deleted."));
    }
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    if account == reply.author.id {
        return Err(Error::forbidden("You cannot mark your own reply helpful."));
    }
    state
        .store
        .set_helpful(&gt.thread, reply.id, account, helpful)
        .await?;
    let source = format!("helpful:{}:{account}", reply.id);
    if helpful {
        super::participation::record(
            state,
            copse_store::NewActivity {
                community: gt.thread.community_id,
                account: reply.author.id,
                kind: "helpful_received",
                private: gt.thread.space == Space::Circle,
                at: state.store.now(),
                source,
            },
        )
        .await;
    } else {
        super::participation::forget(state, &source).await;
    }
    Ok(gt.thread.id)
}

pub async fn set_canonical(
    state: &AppState,
    actor: &Actor,
    id: ThreadId,
    canonical: bool,
) -> Result<()> {
    gate_thread(state, actor, id, ThreadAction::Curate).await?;
    state.store.set_canonical(id, canonical).await
}

pub async fn topics(state: &AppState, actor: &Actor, slug: &str) -> Result<(Gated, Vec<Topic>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let topics = state.store.topics(gated.community.id).await?;
    Ok((gated, topics))
}

pub async fn create_topic(
    state: &AppState,
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
    state: &AppState,
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
    state: &AppState,
    actor: &Actor,
    slug: &str,
    topic_slug: &str,
    follow: bool,
) -> Result<Topic> {
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    let (gated, topic, _) = topic(state, actor, slug, topic_slug).await?;
    if gated.standing.role.is_none() {
        return Err(Error::forbidden(
            "Join or follow the community to follow its topics.",
        ));
    }
    state
        .store
        .set_topic_follow(gated.community.id, topic.id, account, follow)
        .await?;
    Ok(topic)
}

/// Whether the actor follows the topic.
pub async fn follows_topic(
    state: &AppState,
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
    state: &AppState,
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
    state: &AppState,
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

/// The oldest unanswered questions the actor may read.
pub async fn unanswered(
    state: &AppState,
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
    state: &AppState,
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
