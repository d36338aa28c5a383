//! Access: the one way a use case reaches a community, thread, circle or event. Each gate
//! loads the thing with the actor's standing and asks the policy about one action; a thing the
//! actor may not know of is `NotFound`, exactly like one that does not exist. The gated value
//! remembers what was loaded, so further questions (`may`, `check`) cost no query.

use copse_core::clock::Millis;
use copse_core::domain::AccountId;
use copse_core::domain::{
    Circle, CircleId, CircleRole, Community, Event, EventId, Reply, ReplyId, Thread, ThreadId,
};
use copse_core::policy::{
    self, Actor, CircleAction, CircleFacts, CommunityAction, CommunityFacts, Standing,
    ThreadAction, ThreadFacts,
};
use copse_core::{Error, Result};

use crate::app::App;

/// A community that the actor was allowed to act on, with the actor's standing in it.
pub struct Gated {
    pub community: Community,
    pub standing: Standing,
}

/// Loads a community by slug and asks the policy whether the actor may do `action` to it. A
/// community the actor may not know of is `NotFound`, like one that does not exist.
pub async fn gate(
    state: &App,
    actor: &Actor,
    slug: &str,
    action: CommunityAction,
) -> Result<Gated> {
    let gated = load(state, actor, slug).await?;
    policy::check(
        actor,
        &gated.standing,
        &CommunityFacts::from(&gated.community),
        action,
    )?;
    Ok(gated)
}

/// The community by slug with the actor's standing in it, before any rule is asked.
async fn load(state: &App, actor: &Actor, slug: &str) -> Result<Gated> {
    let community = state
        .store
        .community_by_slug(slug)
        .await?
        .ok_or(Error::NotFound)?;
    let standing = state
        .store
        .standing(community.id, actor.account_id())
        .await?;
    Ok(Gated {
        community,
        standing,
    })
}

impl Gated {
    /// Whether the actor may also do `action` (for showing or hiding buttons).
    /// Whether the actor moderates here — for reading what moderators read (hidden posts), which
    /// an archived community leaves open, unlike `may(.., Moderate)`.
    pub fn moderates(&self, actor: &Actor) -> bool {
        policy::moderates(
            actor,
            &self.standing,
            &CommunityFacts::from(&self.community),
        )
    }

    pub fn may(&self, actor: &Actor, action: CommunityAction) -> bool {
        policy::decide(
            actor,
            &self.standing,
            &CommunityFacts::from(&self.community),
            action,
        )
        .allowed()
    }

    /// Asks the policy again, for a further action on the same community.
    pub fn check(&self, actor: &Actor, action: CommunityAction) -> Result<()> {
        policy::check(
            actor,
            &self.standing,
            &CommunityFacts::from(&self.community),
            action,
        )
    }
}

/// Loads a community for reading what the holders of `action` read (a coordinator's lists of
/// requests, invitations, flags, settings): as [`gate`], except that an archived community
/// still shows them — it refuses changes, not reading.
pub async fn gate_reading(
    state: &App,
    actor: &Actor,
    slug: &str,
    action: CommunityAction,
) -> Result<Gated> {
    let gated = load(state, actor, slug).await?;
    let open = CommunityFacts {
        archived: false,
        ..CommunityFacts::from(&gated.community)
    };
    policy::check(actor, &gated.standing, &open, action)?;
    Ok(gated)
}

/// A thread the actor was allowed to act on, with its community and the actor's standing.
pub struct GatedThread {
    pub gated: Gated,
    pub thread: Thread,
    /// The actor belongs to the thread's circle.
    pub private_member: bool,
}

/// What an action is done to: the thread itself, or one of its replies.
#[derive(Clone, Copy)]
pub enum Post<'a> {
    Thread,
    Reply(&'a Reply),
}

impl GatedThread {
    fn facts(&self, post: Post<'_>) -> ThreadFacts {
        let (author, hidden) = match post {
            Post::Thread => (self.thread.author.id, self.thread.hidden.is_some()),
            Post::Reply(r) => (r.author.id, r.hidden.is_some()),
        };
        ThreadFacts {
            space: self.thread.space,
            kind: self.thread.kind,
            author,
            private_member: self.private_member,
            hidden,
            // A closed question takes no new answers, as a locked thread takes no replies.
            locked: self.thread.locked || self.thread.closed,
        }
    }

    /// Whether the actor may also do `action` to the thread (for buttons).
    pub fn may(&self, actor: &Actor, action: ThreadAction) -> bool {
        self.may_on(actor, action, Post::Thread)
    }

    /// Whether the actor may do `action` to the thread or one of its replies.
    pub fn may_on(&self, actor: &Actor, action: ThreadAction, post: Post<'_>) -> bool {
        self.check_on(actor, action, post).is_ok()
    }

    /// Asks the policy about `action` on the thread or one of its replies.
    pub fn check_on(&self, actor: &Actor, action: ThreadAction, post: Post<'_>) -> Result<()> {
        let community = CommunityFacts::from(&self.gated.community);
        policy::check_thread(
            actor,
            &self.gated.standing,
            &community,
            &self.facts(post),
            action,
        )
    }

    /// Whether an anonymous reader may read the thread or one of its replies (a file of
    /// it may then be cached by anyone on the way).
    pub fn anyone_reads(&self, post: Post<'_>) -> bool {
        let community = CommunityFacts::from(&self.gated.community);
        let facts = ThreadFacts {
            private_member: false,
            ..self.facts(post)
        };
        policy::check_thread(
            &Actor::Anonymous,
            &Default::default(),
            &community,
            &facts,
            ThreadAction::Read,
        )
        .is_ok()
    }

    /// Whether the actor moderates the thread's community.
    pub fn moderates(&self, actor: &Actor) -> bool {
        let community = CommunityFacts::from(&self.gated.community);
        policy::moderates(actor, &self.gated.standing, &community)
    }
}

/// Loads a thread and asks the policy whether the actor may do `action` to it. A thread the
/// actor may not read is `NotFound`, like one that does not exist.
pub async fn gate_thread(
    state: &App,
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
    gt.check_on(actor, action, Post::Thread)?;
    Ok(gt)
}

/// Loads a reply with its thread, checking `action` against the reply's author.
pub async fn gate_reply(
    state: &App,
    actor: &Actor,
    id: ReplyId,
    action: ThreadAction,
) -> Result<(GatedThread, Reply)> {
    let reply = state.store.reply(id).await?.ok_or(Error::NotFound)?;
    let gt = gate_thread(state, actor, reply.thread_id, ThreadAction::Read).await?;
    gt.check_on(actor, action, Post::Reply(&reply))?;
    Ok((gt, reply))
}

/// A circle the actor was allowed to act on, with its community and the actor's place.
pub struct GatedCircle {
    pub gated: Gated,
    pub circle: Circle,
    pub role: Option<CircleRole>,
}

impl GatedCircle {
    pub fn may(&self, actor: &Actor, action: CircleAction, now: Millis) -> bool {
        policy::decide_circle(
            actor,
            &self.gated.standing,
            &facts(&self.circle, &self.gated.community, self.role, now),
            action,
        )
        .allowed()
    }
}

pub(crate) fn facts(
    circle: &Circle,
    community: &Community,
    role: Option<CircleRole>,
    now: Millis,
) -> CircleFacts {
    CircleFacts {
        listed: circle.listed,
        ended: circle.ended(now),
        actor_host: role.map(|r| r == CircleRole::Host),
        archived: community.archived.is_some(),
    }
}

/// Loads a circle and asks the policy about `action`. A circle the actor may not know of is
/// `NotFound`, like one that does not exist.
pub async fn gate_circle(
    state: &App,
    actor: &Actor,
    id: CircleId,
    action: CircleAction,
) -> Result<GatedCircle> {
    let circle = state.store.circle(id).await?.ok_or(Error::NotFound)?;
    let community = state
        .store
        .community_by_id(circle.community_id)
        .await?
        .ok_or(Error::NotFound)?;
    let standing = state
        .store
        .standing(community.id, actor.account_id())
        .await?;
    let role = state.store.circle_role(id, actor.account_id()).await?;
    policy::check_circle(
        actor,
        &standing,
        &facts(&circle, &community, role, state.store.now()),
        action,
    )?;
    Ok(GatedCircle {
        gated: Gated {
            community,
            standing,
        },
        circle,
        role,
    })
}

/// One event, if the actor may see it (its space decides, as for a thread); otherwise "not
/// found".
pub async fn gate_event(state: &App, actor: &Actor, id: EventId) -> Result<(Gated, Event)> {
    let event = state.store.event(id).await?.ok_or(Error::NotFound)?;
    let community = state
        .store
        .community_by_id(event.community_id)
        .await?
        .ok_or(Error::NotFound)?;
    let standing = state
        .store
        .standing(community.id, actor.account_id())
        .await?;
    let private_member = match (event.circle_id, event.conversation_id) {
        (Some(circle), _) => state
            .store
            .circle_role(circle, actor.account_id())
            .await?
            .is_some(),
        (None, Some(conversation)) => {
            state
                .store
                .in_conversation(conversation, actor.account_id())
                .await?
        }
        _ => false,
    };
    let facts = ThreadFacts {
        space: event.space,
        kind: copse_core::domain::ThreadKind::Discussion,
        author: event.hosts.first().map_or(AccountId(-1), |h| h.id),
        private_member,
        hidden: false,
        locked: false,
    };
    policy::check_thread(
        actor,
        &standing,
        &CommunityFacts::from(&community),
        &facts,
        ThreadAction::Read,
    )?;
    Ok((
        Gated {
            community,
            standing,
        },
        event,
    ))
}
