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
    /// 409: the community is archived, read-only until it is reopened.
    Archived,
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
    if let Some(answer) = beyond_threads(op, who) {
        return answer;
    }
    let allowed: &[W] = match op {
        // Members post and reply; a silenced member does not; site admins may. A file goes
        // where its post may.
        Op::CreateThread | Op::Reply | Op::PageReply | Op::AttachFile => {
            &[Member, Author, CircleMember, Leader, Coordinator, Admin]
        }
        // Changing what was written: its author, and the moderators (coordinators, site admins;
        // leaders only where the community lets them, which "ipc" does not).
        Op::EditThread
        | Op::DeleteThread
        | Op::PageDelete
        | Op::EditReply
        | Op::DeleteReply
        | Op::Accept
        | Op::AddVersion => &[Author, Coordinator, Admin],
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
        _ => unreachable!("{op:?} is answered by beyond_threads"),
    };
    if allowed.contains(&who) {
        Answer::Allowed
    } else {
        Answer::Refused(Refused::Forbidden)
    }
}

/// Who may do `op` while "ipc" is archived: no one. Whoever may do it, or sees it but may not,
/// is told the community is archived; through the API, whoever must sign in, or may not know of
/// the thing, is told that as before. Writes about other things than "ipc" (a conversation, a profile, the
/// community "wapprove") are as when it is open.
pub(super) fn answer_archived(op: Op, who: W) -> Answer {
    let open = answer(op, who);
    let elsewhere = matches!(
        op,
        Op::SendMessage | Op::FlagMessage | Op::FlagProfile | Op::ApproveJoin
    );
    // An archived community's coordinators may still take its archive along.
    if op == Op::ExportCommunity {
        return open;
    }
    // A page form answers whoever sends it, signed in or not: signing in would change nothing.
    let page = matches!(
        op,
        Op::PageReply | Op::PageDelete | Op::PageFlag | Op::PageModerate
    );
    if page && matches!(who, W::Anonymous | W::Suspended) {
        return Answer::Refused(Refused::Archived);
    }
    match open {
        Answer::Allowed | Answer::Refused(Refused::Forbidden) if !elsewhere => {
            Answer::Refused(Refused::Archived)
        }
        other => other,
    }
}

/// The rules for value stories, conversation messages, profiles, and moving or splitting a
/// thread (`None` for the writes above). Stories of the community are read by its members only:
/// others do not learn they exist.
fn beyond_threads(op: Op, who: W) -> Option<Answer> {
    use W::*;
    let outside = matches!(who, Stranger | Observer | OtherModerator);
    let allowed: &[W] = match op {
        // Telling and starting a circle are posting.
        Op::TellStory | Op::CreateCircle => {
            &[Member, Author, CircleMember, Leader, Coordinator, Admin]
        }
        Op::CommentStory
        | Op::FlagStory
        | Op::FlagComment
        | Op::DeleteStory
        | Op::DeleteComment
        | Op::PinStory
        | Op::EndorseStory
            if outside =>
        {
            return Some(Answer::Refused(Refused::Hidden));
        }
        // The teller's or the comment's author's own, and the coordinators' to moderate.
        Op::DeleteStory | Op::DeleteComment => &[Author, Coordinator, Admin],
        Op::PinStory => &[Coordinator, Admin],
        // "This also happened for me": whoever reads it but its teller (it publishes nothing,
        // so a silenced member may).
        Op::EndorseStory => &[Member, CircleMember, Leader, Coordinator, Silenced, Admin],
        Op::CommentStory => &[Member, Author, CircleMember, Leader, Coordinator, Admin],
        // Flags, as on threads: members (silenced ones too) and site admins, never one's own.
        Op::FlagStory | Op::FlagComment => {
            &[Member, CircleMember, Leader, Coordinator, Silenced, Admin]
        }
        // A message is flagged by the others in its conversation only; to anyone else it is
        // not there.
        Op::FlagMessage if who == Author => &[],
        Op::FlagMessage if who != Member => return Some(Answer::Refused(Refused::Hidden)),
        Op::FlagMessage => &[Member],
        // A conversation is its people's: to anyone else it is not there.
        Op::SendMessage if !matches!(who, Author | Member) => {
            return Some(Answer::Refused(Refused::Hidden));
        }
        Op::SendMessage => &[Author, Member],
        // Anyone signed in flags a profile but its owner.
        Op::FlagProfile => &[
            Stranger,
            Observer,
            Member,
            CircleMember,
            Leader,
            Coordinator,
            OtherModerator,
            Silenced,
            Admin,
        ],
        // Moving needs both communities' moderation (the coordinator runs "wound" too; its own
        // coordinator does not run "ipc"); splitting is the community's moderators'.
        Op::MoveThread | Op::SplitReplies | Op::DecideQueue => &[Coordinator, Admin],
        // Running a community: its coordinators (of "wapprove" too) and the site admins.
        Op::ApproveJoin | Op::SendNewsletter => &[Coordinator, Admin],
        // Merging a community into "ipc": a coordinator of both (the coordinator runs the
        // merged one too), or a site admin.
        // Splitting a topic of "ipc" off into a new community: its coordinators.
        // Asking for an archive of the community: its coordinators and the site admins.
        Op::MergeCommunity | Op::SplitCommunity | Op::ExportCommunity => &[Coordinator, Admin],
        // Check-ins are asked of the members (not observers); others do not see the round. An
        // answer is taking part like a post: a silence stops it, and site admins may, as they
        // may post.
        Op::AnswerCheckin if outside => return Some(Answer::Refused(Refused::Hidden)),
        Op::AnswerCheckin => &[Member, Author, CircleMember, Leader, Coordinator, Admin],
        _ => return None,
    };
    Some(if allowed.contains(&who) {
        Answer::Allowed
    } else {
        Answer::Refused(Refused::Forbidden)
    })
}
