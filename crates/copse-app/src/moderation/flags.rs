//! Flags: a member tells the moderators about a thread, reply, value story, comment on a story,
//! conversation message or profile — once per thing, with a reason. The author never learns
//! who flagged. When enough established members have flagged a thing (the community's setting;
//! for profiles, the site's), it is hidden at once until a moderator looks at it.

use copse_core::domain::{
    AccountId, CommunityId, HIDDEN_BY_FLAGS, ModAction, NewFlag, NewLogEntry, ReplyId, Role,
    Target, ThreadId,
};
use copse_core::policy::{Actor, Standing, ThreadAction};
use copse_core::{Error, Result};
use copse_store::FlagRow;

use super::log::summary_of_reply;
use crate::access::{gate_reply, gate_thread};
use crate::app::App;

/// A flag as a form or JSON body gives it.
#[derive(Debug, Clone, Default)]
pub struct FlagInput {
    pub reason: Option<String>,
    pub note: Option<String>,
}

/// Flags a thread; answers whether the flag hid it.
pub async fn flag_thread(
    state: &App,
    actor: &Actor,
    id: ThreadId,
    input: &FlagInput,
) -> Result<bool> {
    let gt = gate_thread(state, actor, id, ThreadAction::Flag).await?;
    let c = &gt.gated.community;
    let flagged = Flagged {
        home: Home::Community(c.id, c.moderation.flags_to_hide),
        standing: gt.gated.standing,
        target: (Target::Thread, id),
        thread: Some(id),
        author: gt.thread.author.id,
        hidden: gt.thread.hidden.is_some(),
        summary: gt.thread.title.clone(),
    };
    record(state, actor, flagged, input).await
}

/// Flags a reply; answers whether the flag hid it, and the reply's thread (which the flagger
/// may no longer be allowed to look up through the reply, once it is hidden).
pub async fn flag_reply(
    state: &App,
    actor: &Actor,
    id: ReplyId,
    input: &FlagInput,
) -> Result<(bool, ThreadId)> {
    let (gt, reply) = gate_reply(state, actor, id, ThreadAction::Flag).await?;
    if reply.deleted {
        return Err(Error::conflict("This reply was deleted."));
    }
    let c = &gt.gated.community;
    let flagged = Flagged {
        home: Home::Community(c.id, c.moderation.flags_to_hide),
        standing: gt.gated.standing,
        target: (Target::Reply, id),
        thread: Some(gt.thread.id),
        author: reply.author.id,
        hidden: reply.hidden.is_some(),
        summary: summary_of_reply(&gt.thread, &reply),
    };
    let hidden = record(state, actor, flagged, input).await?;
    Ok((hidden, gt.thread.id))
}

/// Whose moderators review a flag, and how many established flags hide the thing.
#[derive(Debug, Clone, Copy)]
pub(super) enum Home {
    Community(CommunityId, i64),
    /// A profile: the site's admins, at [`PROFILE_FLAGS_TO_HIDE`].
    Site,
}

/// Flags from established members that hide a profile's words until a site admin looks.
const PROFILE_FLAGS_TO_HIDE: i64 = 3;

/// The flagged thing, as the store, the log and the threshold need it.
pub(super) struct Flagged {
    pub home: Home,
    /// The flagger's standing in the thing's community (none for a profile).
    pub standing: Standing,
    pub target: (Target, i64),
    pub thread: Option<ThreadId>,
    pub author: AccountId,
    pub hidden: bool,
    pub summary: String,
}

/// Records the flag and, at the threshold, hides the thing with its log entry — together.
pub(super) async fn record(
    state: &App,
    actor: &Actor,
    thing: Flagged,
    input: &FlagInput,
) -> Result<bool> {
    let flag = NewFlag::parse(input.reason.as_deref(), input.note.as_deref())?;
    // Whether the flagger may flag it at all (never their own) is the policy's, asked by the
    // caller for each kind of thing.
    let flagger = actor.account_id().ok_or(Error::Unauthenticated)?;
    let established = established(state, &thing.standing, flagger).await?;
    let (community, threshold) = match thing.home {
        Home::Community(id, threshold) => (Some(id), threshold),
        Home::Site => (None, PROFILE_FLAGS_TO_HIDE),
    };
    let row = FlagRow {
        community,
        target: thing.target.0,
        target_id: thing.target.1,
        thread: thing.thread,
        author: thing.author,
        flagger,
        established,
        flag: &flag,
    };
    let entry = NewLogEntry {
        community,
        moderator: None,
        action: ModAction::HiddenByFlags,
        target: thing.target.0,
        target_id: thing.target.1,
        subject: Some(thing.author),
        summary: thing.summary,
        reason: None,
    };
    let mut w = state.store.write().await?;
    let done = async {
        let count = w.add_flag(&row).await?;
        if thing.hidden || count < threshold {
            return Ok(false);
        }
        w.set_hidden(thing.target.0, thing.target.1, Some(HIDDEN_BY_FLAGS))
            .await?;
        let entry = NewLogEntry {
            reason: Some(format!("{count} members flagged it")),
            ..entry
        };
        w.log_moderation(&entry).await?;
        Ok(true)
    }
    .await;
    w.finish(done).await
}

/// Whether a flag counts toward hiding the thing: the flagger's account is past its first days
/// (new accounts are the spammers' own), or they lead the community.
async fn established(state: &App, standing: &Standing, flagger: AccountId) -> Result<bool> {
    if standing.role.is_some_and(|r| r >= Role::Leader) {
        return Ok(true);
    }
    let account = state
        .store
        .account(flagger)
        .await?
        .ok_or(Error::Unauthenticated)?;
    let age = state.store.now() - account.created_at;
    Ok(age >= state.config.posting.new_account_ms)
}
