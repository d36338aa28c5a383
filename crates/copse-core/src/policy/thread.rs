//! The rules for threads and replies (and events, which live in spaces like threads): whoever
//! may not read a thread's space may not know it exists; the filter lists and search apply.

use super::actor::{Actor, Decision, Refusal, Standing};
use super::community::{CommunityAction, CommunityFacts, allow_if, decide, moderates};
use crate::domain::{AccountId, Role, Space, ThreadKind, Visibility};
use crate::error::Result;

/// The facts about a thread (or, for reply actions, a reply in it) that the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThreadFacts {
    pub space: Space,
    pub kind: ThreadKind,
    /// The author of the thread — or of the reply, for `Edit` and `Delete` of a reply.
    pub author: AccountId,
    /// For circle and direct spaces: the actor belongs to the circle or conversation.
    pub private_member: bool,
    /// The thread (or, for reply actions, the reply) is hidden: only its author and the
    /// moderators see it.
    pub hidden: bool,
    /// The thread is locked: no new replies (moderators may still answer).
    pub locked: bool,
}

/// What an actor may try to do with a thread or one of its replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ThreadAction {
    Read,
    Reply,
    /// Edit the thread or reply (its author, or a coordinator).
    Edit,
    /// Delete it softly (its author, or a coordinator).
    Delete,
    /// Accept a reply as the answer (the asker, or a coordinator).
    Accept,
    MarkHelpful,
    /// Mark canonical for the library.
    Curate,
    /// Pin, lock, hide or delete it as a moderator.
    Moderate,
    /// Flag it for the moderators: members, never their own post.
    Flag,
}

impl ThreadAction {
    pub const ALL: &'static [ThreadAction] = &[
        ThreadAction::Read,
        ThreadAction::Reply,
        ThreadAction::Edit,
        ThreadAction::Delete,
        ThreadAction::Accept,
        ThreadAction::MarkHelpful,
        ThreadAction::Curate,
        ThreadAction::Moderate,
        ThreadAction::Flag,
    ];
}

/// The rules for a thread: whoever may not read its space may not know it exists.
pub fn decide_thread(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    thread: &ThreadFacts,
    action: ThreadAction,
) -> Decision {
    if !thread_filter(actor).admits(standing, community, thread.space, thread.private_member) {
        return Decision::Deny(Refusal::Hidden);
    }
    // Site admins may moderate circles, but post only where they belong.
    if matches!(thread.space, Space::Circle | Space::Direct)
        && !thread.private_member
        && action != ThreadAction::Read
        && action != ThreadAction::Delete
    {
        return Decision::Deny(Refusal::Forbidden(
            "Only the circle's members take part here.",
        ));
    }
    let is_author = actor.account_id() == Some(thread.author) && standing.is_member();
    let moderator = moderates(actor, standing, community);
    if thread.hidden && !moderator && !is_author {
        return Decision::Deny(Refusal::Hidden);
    }
    if community.archived && action != ThreadAction::Read {
        return Decision::Deny(Refusal::Archived);
    }
    let coordinator = actor.is_admin() || standing.has_role_at_least(Role::Coordinator);
    match action {
        ThreadAction::Read => Decision::Allow,
        ThreadAction::Reply if thread.locked && !moderator => Decision::Deny(Refusal::Forbidden(
            "This thread is locked, or the question closed: it takes no new replies.",
        )),
        ThreadAction::Moderate | ThreadAction::Flag => {
            moderating(actor, standing, thread, action, moderator)
        }
        ThreadAction::MarkHelpful if actor.account_id() == Some(thread.author) => Decision::Deny(
            Refusal::Forbidden("You cannot mark your own reply helpful."),
        ),
        ThreadAction::Reply | ThreadAction::MarkHelpful => {
            decide(actor, standing, community, CommunityAction::Post)
        }
        ThreadAction::Curate => decide(actor, standing, community, CommunityAction::Curate),
        ThreadAction::Edit | ThreadAction::Delete => {
            if is_author || moderator {
                Decision::Allow
            } else if actor.account_id().is_none() {
                Decision::Deny(Refusal::SignIn)
            } else {
                Decision::Deny(Refusal::Forbidden(
                    "Only the author or a moderator can change this.",
                ))
            }
        }
        ThreadAction::Accept => {
            if thread.kind != ThreadKind::Question {
                Decision::Deny(Refusal::Forbidden(
                    "Only questions have an accepted answer.",
                ))
            } else if is_author || coordinator {
                Decision::Allow
            } else if actor.account_id().is_none() {
                Decision::Deny(Refusal::SignIn)
            } else {
                Decision::Deny(Refusal::Forbidden(
                    "Only the person who asked, or a coordinator, can accept an answer.",
                ))
            }
        }
    }
}

/// Moderating a post (its community's moderators) and flagging it (members, never their own).
fn moderating(
    actor: &Actor,
    standing: &Standing,
    thread: &ThreadFacts,
    action: ThreadAction,
    moderator: bool,
) -> Decision {
    if action == ThreadAction::Moderate {
        return allow_if(
            moderator,
            actor,
            "Only the community's moderators can do this.",
        );
    }
    if actor.account_id() == Some(thread.author) {
        return Decision::Deny(Refusal::Forbidden("You cannot flag your own post."));
    }
    allow_if(
        standing.is_member() || actor.is_admin(),
        actor,
        "Join the community to flag its posts.",
    )
}

/// [`decide_thread`], as a `Result` for `?`.
pub fn check_thread(
    actor: &Actor,
    standing: &Standing,
    community: &CommunityFacts,
    thread: &ThreadFacts,
    action: ThreadAction,
) -> Result<()> {
    match decide_thread(actor, standing, community, thread, action) {
        Decision::Allow => Ok(()),
        Decision::Deny(r) => Err(r.into()),
    }
}

/// Which threads a list or search may return: the SQL form of `decide_thread(.., Read)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadFilter {
    All,
    /// Public-space threads of public communities, plus every thread of the communities the
    /// account is a member of.
    Visible {
        account: Option<AccountId>,
    },
}

pub fn thread_filter(actor: &Actor) -> ThreadFilter {
    if actor.is_admin() {
        ThreadFilter::All
    } else {
        ThreadFilter::Visible {
            account: actor.account_id(),
        }
    }
}

impl ThreadFilter {
    /// The filter evaluated in memory; must agree with the store's SQL. `private_member`: the
    /// reader belongs to the thing's circle or conversation.
    ///
    /// Circles are for their members while they are members of the community; site admins see
    /// them too, to moderate. Direct conversations are for their people only — admins included.
    pub fn admits(
        &self,
        standing: &Standing,
        c: &CommunityFacts,
        space: Space,
        private_member: bool,
    ) -> bool {
        let member =
            matches!(self, ThreadFilter::Visible { account: Some(_) }) && standing.is_member();
        match (self, space) {
            (_, Space::Direct) => {
                private_member && !matches!(self, ThreadFilter::Visible { account: None })
            }
            (ThreadFilter::All, _) => true,
            (ThreadFilter::Visible { .. }, Space::Public) => {
                c.visibility == Visibility::Public || member
            }
            (ThreadFilter::Visible { .. }, Space::Members) => member,
            (ThreadFilter::Visible { .. }, Space::Circle) => member && private_member,
        }
    }
}
