//! The rule table this matrix checks, written out by hand from what the product promises
//! (README, "Moderation and posting limits", and the policy's documentation) — never read from
//! the policy itself.

use super::actors::W;
use super::ops::Op;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Refused {
    /// 401: sign in first (visitors; a suspended account is no one).
    SignIn,
    /// 403: seen, but not yours to do.
    Forbidden,
    /// 404: not yours to know of.
    Hidden,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Answer {
    Allowed,
    Refused(Refused),
}

/// Who may do `op` in the public, open community "ipc" — to the author's thread or reply where
/// the write needs one.
pub(super) fn answer(op: Op, who: W) -> Answer {
    use W::*;
    if matches!(who, Anonymous | Suspended) {
        return Answer::Refused(Refused::SignIn);
    }
    let allowed: &[W] = match op {
        // Members post and reply; a silenced member does not; site admins may.
        Op::CreateThread | Op::Reply | Op::PageReply => {
            &[Member, Author, CircleMember, Leader, Coordinator, Admin]
        }
        // Changing what was written: its author, and the moderators (coordinators, site admins;
        // leaders only where the community lets them, which "ipc" does not).
        Op::EditThread
        | Op::DeleteThread
        | Op::PageDelete
        | Op::EditReply
        | Op::DeleteReply
        | Op::Accept => &[Author, Coordinator, Admin],
        // Helpful: members who can post, never on their own reply.
        Op::Helpful => &[Member, CircleMember, Leader, Coordinator, Admin],
        // Flags: members (silenced ones too: a flag publishes nothing), never on one's own.
        Op::FlagThread | Op::FlagReply | Op::PageFlag => {
            &[Member, CircleMember, Leader, Coordinator, Silenced, Admin]
        }
        // Moderating and running the community.
        Op::Pin
        | Op::CloseQuestion
        | Op::Merge
        | Op::PageModerate
        | Op::HideReply
        | Op::Silence
        | Op::Warn => &[Coordinator, Admin],
        Op::Settings | Op::EditCommunity | Op::ChangeRole | Op::CreateTopic => {
            &[Coordinator, Admin]
        }
        // Leaders invite and plan events too.
        Op::Invite | Op::CreateEvent => &[Leader, Coordinator, Admin],
        // Answering an event: whoever belongs, observers included; a site admin who does not
        // belong answers nothing.
        Op::Rsvp => &[
            Observer,
            Member,
            Author,
            CircleMember,
            Leader,
            Coordinator,
            Silenced,
        ],
    };
    if allowed.contains(&who) {
        Answer::Allowed
    } else {
        Answer::Refused(Refused::Forbidden)
    }
}
