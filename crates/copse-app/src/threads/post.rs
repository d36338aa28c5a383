//! Starting threads and replying, with what posting implies: the author's ledger entry and
//! the notifications (topic followers, a circle's members, the thread's author, mentions),
//! written in one transaction with the post.

use copse_core::domain::participation::{Act, private_in};
use copse_core::domain::uploads::AttachedTo;
use copse_core::domain::{
    AWAITING_APPROVAL, AccountId, CommunityId, MAX_TOPICS_PER_THREAD, NewThread, NotificationKind,
    ReplyId, Space, Target, Thread, ThreadId, ThreadKind, mentioned_handles, parse_body,
    parse_link, parse_title,
};
use copse_core::policy::{self, Actor, CommunityAction, ThreadAction};
use copse_core::{Error, Result};
use copse_store::{NewActivity, NewNotification};

use crate::access::{Gated, gate, gate_thread};
use crate::app::App;
use crate::moderation::{PostKind, check_posting, check_warnings, held_for_approval};

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
    /// The author's uploads to attach (ids); files the body links to are attached as well.
    pub files: Vec<String>,
}

pub(super) fn parse_topics(raw: &[String]) -> Result<Vec<String>> {
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

/// The thread the input describes, checked: an announcement needs leave to announce, a circle
/// thread a circle of this community where the actor may post.
async fn parse_new(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    input: &ThreadInput,
) -> Result<NewThread> {
    let kind = input
        .kind
        .as_deref()
        .map(ThreadKind::parse)
        .transpose()?
        .unwrap_or(ThreadKind::Discussion);
    if matches!(kind, ThreadKind::Announcement) {
        gated.check(actor, CommunityAction::Announce)?;
    }
    let space = input
        .space
        .as_deref()
        .map(Space::parse)
        .transpose()?
        .unwrap_or(Space::Public);
    let circle_id = circle_of(state, actor, gated, space, input.circle).await?;
    Ok(NewThread {
        kind,
        space,
        circle_id,
        title: parse_title(input.title.as_deref().unwrap_or(""))?,
        body: parse_body(input.body.as_deref().unwrap_or(""))?,
        link: parse_link(input.link.as_deref())?,
        topics: parse_topics(input.topics.as_deref().unwrap_or_default())?,
    })
}

pub async fn create(state: &App, actor: &Actor, slug: &str, input: &ThreadInput) -> Result<Thread> {
    let gated = gate(state, actor, slug, CommunityAction::Post).await?;
    let new = parse_new(state, actor, &gated, input).await?;
    let files = crate::files::file_ids(&input.files)?;
    let (kind, space, circle_id) = (new.kind, new.space, new.circle_id);
    let author = actor.account_id().ok_or(Error::Unauthenticated)?;
    let community = gated.community.id;
    // Read before the write begins: who the circle's members are, who is mentioned.
    let circle_members = match circle_id {
        Some(circle) => state.store.circle_members(circle).await?,
        None => Vec::new(),
    };
    let mentioned = mentioned_people(state, &new.body, author).await?;
    let account = state
        .store
        .account(author)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let text = format!("{} {}", new.body, new.link.as_deref().unwrap_or(""));
    let mut w = state.store.write().await?;
    let posted = async {
        check_posting(
            &mut w,
            &state.config.posting,
            &account,
            PostKind::Thread,
            &text,
        )
        .await?;
        check_warnings(&mut w, author, community).await?;
        let held = held_for_approval(&mut w, &gated, &account).await?;
        let id = w.create_thread(community, author, &new).await?;
        let to = AttachedTo::Thread(id);
        crate::files::attach(state, &mut w, author, &files, &new.body, to, community).await?;
        let act = NewActivity {
            community,
            account: author,
            kind: if matches!(kind, ThreadKind::Resource) {
                Act::ResourceShared
            } else {
                Act::ThreadStarted
            },
            private: private_in(space),
            at: w.now(),
            source: format!("thread:{id}"),
        };
        w.record_activity(&[act]).await?;
        // Held after its ledger entry is written, so that the entry waits with it.
        if held {
            w.set_hidden(Target::Thread, id, Some(AWAITING_APPROVAL))
                .await?;
        }
        let mut notes = Notes::new(community, id, None, author);
        for follower in w.topic_followers(id, author).await? {
            notes.add(follower, NotificationKind::Topic);
        }
        // A circle's members hear of its new threads (the policy still decides, when they read
        // the notification, that they are in the circle).
        for (person, _) in &circle_members {
            notes.add(person.id, NotificationKind::Circle);
        }
        for person in &mentioned {
            notes.add(*person, NotificationKind::Mention);
        }
        w.notify(&notes.list).await?;
        Ok(id)
    }
    .await;
    let id = w.finish(posted).await?;
    state.store.thread(id).await?.ok_or(Error::NotFound)
}

/// The circle a thread in `space` belongs to: one of this community's where the actor may post,
/// for circle threads; none for the others.
async fn circle_of(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    space: Space,
    circle: Option<i64>,
) -> Result<Option<i64>> {
    match (space, circle) {
        (Space::Circle, Some(circle)) => {
            let gc = crate::access::gate_circle(state, actor, circle, policy::CircleAction::Post)
                .await?;
            if gc.circle.community_id != gated.community.id {
                return Err(Error::invalid(
                    "circle",
                    "must be a circle of this community",
                ));
            }
            Ok(Some(circle))
        }
        (Space::Circle, None) => Err(Error::invalid("circle", "a circle thread needs its circle")),
        (Space::Direct, _) => Err(Error::invalid(
            "space",
            "must be one of: public, members, circle",
        )),
        (_, Some(_)) => Err(Error::invalid(
            "circle",
            "only circle threads belong to a circle",
        )),
        _ => Ok(None),
    }
}

/// At most this many people are notified by the mentions of one text.
const MAX_MENTIONS: usize = 10;

/// The notifications a post makes: one per person (the first reason wins), never to its author.
struct Notes {
    community: CommunityId,
    thread: ThreadId,
    reply: Option<ReplyId>,
    author: AccountId,
    list: Vec<NewNotification>,
}

impl Notes {
    fn new(
        community: CommunityId,
        thread: ThreadId,
        reply: Option<ReplyId>,
        author: AccountId,
    ) -> Notes {
        Notes {
            community,
            thread,
            reply,
            author,
            list: Vec::new(),
        }
    }

    fn add(&mut self, to: AccountId, kind: NotificationKind) {
        if to != self.author && !self.list.iter().any(|n| n.account == to) {
            self.list.push(NewNotification::thread(
                to,
                self.community,
                kind,
                self.thread,
                self.reply,
                self.author,
            ));
        }
    }
}

/// The accounts behind the @handles in `text` (at most [`MAX_MENTIONS`]), the author left out.
/// Whether they may read the thread is decided when they read their notifications.
async fn mentioned_people(state: &App, text: &str, author: AccountId) -> Result<Vec<AccountId>> {
    let mut people = Vec::new();
    for handle in mentioned_handles(text, MAX_MENTIONS) {
        if let Some(person) = state.store.account_by_handle(&handle).await?
            && person.id != author
            && !people.contains(&person.id)
        {
            people.push(person.id);
        }
    }
    Ok(people)
}

/// What a reply says, whom it quotes, and the author's uploads it carries (ids).
#[derive(Debug, Clone, Default)]
pub struct ReplyInput {
    pub body: String,
    pub quote: Option<ReplyId>,
    pub files: Vec<String>,
}

pub async fn reply(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    input: &ReplyInput,
) -> Result<ReplyId> {
    let gt = gate_thread(state, actor, id, ThreadAction::Reply).await?;
    let body = parse_body(&input.body)?;
    let (quote, files) = (input.quote, crate::files::file_ids(&input.files)?);
    let author = actor.account_id().ok_or(Error::Unauthenticated)?;
    let thread = &gt.thread;
    let mentioned = mentioned_people(state, &body, author).await?;
    let account = state
        .store
        .account(author)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let mut w = state.store.write().await?;
    let posted = async {
        check_posting(
            &mut w,
            &state.config.posting,
            &account,
            PostKind::Reply,
            &body,
        )
        .await?;
        check_warnings(&mut w, author, thread.community_id).await?;
        let held = held_for_approval(&mut w, &gt.gated, &account).await?;
        let reply = w.create_reply(thread, author, &body, quote).await?;
        let to = AttachedTo::Reply(reply);
        crate::files::attach(
            state,
            &mut w,
            author,
            &files,
            &body,
            to,
            thread.community_id,
        )
        .await?;
        let act = NewActivity {
            community: thread.community_id,
            account: author,
            kind: Act::Reply,
            private: private_in(thread.space),
            at: w.now(),
            source: format!("reply:{reply}"),
        };
        w.record_activity(&[act]).await?;
        if held {
            w.set_hidden(Target::Reply, reply, Some(AWAITING_APPROVAL))
                .await?;
        }
        let mut notes = Notes::new(thread.community_id, thread.id, Some(reply), author);
        notes.add(thread.author.id, NotificationKind::Reply);
        for person in &mentioned {
            notes.add(*person, NotificationKind::Mention);
        }
        w.notify(&notes.list).await?;
        Ok(reply)
    }
    .await;
    w.finish(posted).await
}
