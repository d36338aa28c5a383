//! The review queue: what members flagged, for the community's moderators (every community's
//! for site admins), and what a moderator decides about it — dismiss, hide, delete — plus
//! silencing a member and the community's moderation settings.

use copse_core::domain::{
    AWAITING_APPROVAL, HIDDEN_BY_FLAGS, ModAction, ModerationSettings, QueueItem, Role, Silence,
    Target, parse_reason, parse_silence_days,
};
use copse_core::policy::{self, Actor, CommunityAction};
use copse_core::{Error, Result};

use super::log::deed;
use super::moderated::{home_of, moderated};
use super::tools::HIDDEN_BY_MODERATOR;
use crate::access::{Gated, gate};
use crate::app::App;

/// At most this many flagged posts are listed at once.
const QUEUE_LENGTH: i64 = 100;

/// A community's queue, for its moderators.
pub async fn community_queue(
    state: &App,
    actor: &Actor,
    slug: &str,
) -> Result<(Gated, Vec<QueueItem>)> {
    let gated = crate::access::gate_reading(state, actor, slug, CommunityAction::Moderate).await?;
    let items = state
        .store
        .review_queue(Some(gated.community.id), QUEUE_LENGTH)
        .await?;
    Ok((gated, moderatable(state, actor, items).await?))
}

/// The items the actor may moderate: a moderator of the community who is not in a circle
/// does not read its posts, even flagged; profiles are for site admins.
async fn moderatable(state: &App, actor: &Actor, items: Vec<QueueItem>) -> Result<Vec<QueueItem>> {
    let mut kept = Vec::with_capacity(items.len());
    for item in items {
        match moderated(state, actor, item.target, item.target_id).await {
            Ok(_) => kept.push(item),
            // An archived community's flags wait until it is reopened.
            Err(e) if e.is_refusal() || e.is_archived() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(kept)
}

/// How many flagged posts wait in the community's queue (none for whoever does not moderate).
pub async fn waiting(state: &App, actor: &Actor, gated: &Gated) -> Result<i64> {
    if !gated.may(actor, CommunityAction::Moderate) {
        return Ok(0);
    }
    state.store.open_flag_count(gated.community.id).await
}

/// The actor's own running silence in the community, with its reason.
pub async fn my_silence(state: &App, actor: &Actor, gated: &Gated) -> Result<Option<Silence>> {
    match (actor.account_id(), gated.standing.silenced_until) {
        (Some(me), Some(_)) => state.store.silence(gated.community.id, me).await,
        _ => Ok(None),
    }
}

/// Every community's queue, for site admins.
pub async fn site_queue(state: &App, actor: &Actor) -> Result<Vec<QueueItem>> {
    policy::check_site_admin(actor)?;
    let items = state.store.review_queue(None, QUEUE_LENGTH).await?;
    moderatable(state, actor, items).await
}

/// What a moderator decides about a flagged post.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueueAction {
    /// Nothing wrong: the flags close, and a post the flags hid is shown again.
    Dismiss,
    /// Keep it hidden (or hide it): its author and the moderators still see it.
    Hide,
    /// Delete it.
    Delete,
    /// Let a new member's post that waits for approval through.
    Approve,
    /// Show again what a moderator (or flags) hid.
    Unhide,
}

impl QueueAction {
    pub fn parse(raw: &str) -> Result<QueueAction> {
        match raw {
            "dismiss" => Ok(QueueAction::Dismiss),
            "hide" => Ok(QueueAction::Hide),
            "delete" => Ok(QueueAction::Delete),
            "approve" => Ok(QueueAction::Approve),
            "unhide" => Ok(QueueAction::Unhide),
            _ => Err(Error::invalid(
                "action",
                "must be one of: dismiss, hide, delete, approve, unhide",
            )),
        }
    }
}

/// Decides about a flagged thing from a community's queue.
pub async fn resolve(
    state: &App,
    actor: &Actor,
    slug: &str,
    target: Target,
    id: i64,
    action: QueueAction,
    reason: Option<&str>,
) -> Result<()> {
    // The decision is taken from this community's queue: a thing of another community is not
    // in it, whatever the actor moderates elsewhere.
    let gated = gate(state, actor, slug, CommunityAction::Moderate).await?;
    if home_of(state, target, id).await? != Some(gated.community.id) {
        return Err(Error::NotFound);
    }
    decide(state, actor, target, id, action, reason).await
}

/// Decides about a flagged thing from the site's queue (site admins): profiles, and anything
/// of any community.
pub async fn resolve_on_site(
    state: &App,
    actor: &Actor,
    target: Target,
    id: i64,
    action: QueueAction,
    reason: Option<&str>,
) -> Result<()> {
    policy::check_site_admin(actor)?;
    decide(state, actor, target, id, action, reason).await
}

async fn decide(
    state: &App,
    actor: &Actor,
    target: Target,
    id: i64,
    action: QueueAction,
    reason: Option<&str>,
) -> Result<()> {
    match (action, target) {
        (QueueAction::Delete, Target::Thread) => {
            crate::threads::delete_with_reason(state, actor, id, reason)
                .await
                .map(drop)
        }
        (QueueAction::Delete, Target::Reply) => {
            crate::threads::delete_reply_with_reason(state, actor, id, reason)
                .await
                .map(drop)
        }
        (QueueAction::Hide, Target::Thread) => {
            super::thread_tool(state, actor, id, super::ThreadTool::Hide, reason)
                .await
                .map(drop)
        }
        (QueueAction::Hide, Target::Reply) => {
            super::reply_tool(state, actor, id, super::ReplyTool::Hide, reason)
                .await
                .map(drop)
        }
        (QueueAction::Unhide, Target::Thread) => {
            super::thread_tool(state, actor, id, super::ThreadTool::Unhide, reason)
                .await
                .map(drop)
        }
        (QueueAction::Unhide, Target::Reply) => {
            super::reply_tool(state, actor, id, super::ReplyTool::Unhide, reason)
                .await
                .map(drop)
        }
        (QueueAction::Unhide, _) => {
            change(state, actor, (target, id), reason, Change::Unhide).await
        }
        (QueueAction::Dismiss, _) => dismiss(state, actor, target, id, reason, false).await,
        (QueueAction::Approve, _) => dismiss(state, actor, target, id, reason, true).await,
        (QueueAction::Hide, _) => change(state, actor, (target, id), reason, Change::Hide).await,
        (QueueAction::Delete, Target::Story | Target::StoryComment) => {
            change(state, actor, (target, id), reason, Change::Delete).await
        }
        (QueueAction::Delete, _) => Err(Error::invalid(
            "action",
            "a message or a profile is hidden, not deleted: use hide",
        )),
    }
}

/// What a moderator does to a story, comment, message or profile from the queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    /// Hide it (its author and the moderators still read it).
    Hide,
    /// Show it again.
    Unhide,
    /// Delete it (stories and comments).
    Delete,
}

/// Hides, shows again or deletes a story, comment, message or profile's words; its flags
/// close, and the log says so — in one transaction.
async fn change(
    state: &App,
    actor: &Actor,
    (target, id): (Target, i64),
    reason: Option<&str>,
    change: Change,
) -> Result<()> {
    let reason = parse_reason(reason)?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let thing = moderated(state, actor, target, id).await?;
    if change == Change::Unhide && thing.hidden.is_none() {
        return Err(Error::conflict("It is not hidden."));
    }
    let action = match change {
        Change::Hide => ModAction::Hide,
        Change::Unhide => ModAction::Unhide,
        Change::Delete => ModAction::Delete,
    };
    let entry = thing.deed(moderator, action, (target, id), reason.clone());
    let shown = reason.as_deref().unwrap_or(HIDDEN_BY_MODERATOR);
    let mut w = state.store.write().await?;
    let done = async {
        match (change, target) {
            (Change::Delete, Target::Story) => {
                // As when its teller deletes it: it leaves the ledger too.
                w.delete_story(id).await?;
                w.forget_activity(&format!("story:{id}")).await?;
            }
            (Change::Delete, _) => w.delete_story_comment(id).await?,
            (Change::Hide, _) => w.set_hidden(target, id, Some(shown)).await?,
            (Change::Unhide, _) => w.set_hidden(target, id, None).await?,
        }
        w.resolve_flags(target, id).await?;
        w.log_moderation(&entry).await
    }
    .await;
    w.finish(done).await
}

/// Closes a thing's flags and shows it again if the flags had hidden it (`approve` false); or
/// lets a new member's post that waits for approval through (`approve` true).
async fn dismiss(
    state: &App,
    actor: &Actor,
    target: Target,
    id: i64,
    reason: Option<&str>,
    approve: bool,
) -> Result<()> {
    let reason = parse_reason(reason)?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let thing = moderated(state, actor, target, id).await?;
    let hidden = thing.hidden.clone();
    let waiting = hidden.as_deref() == Some(AWAITING_APPROVAL);
    if approve && !waiting {
        return Err(Error::conflict("This post is not waiting for approval."));
    }
    // Approving shows a waiting post; dismissing shows one only the flags had hidden.
    let unhide = if approve {
        waiting
    } else {
        hidden.as_deref() == Some(HIDDEN_BY_FLAGS)
    };
    let action = if approve {
        ModAction::Approve
    } else {
        ModAction::Dismiss
    };
    let entry = thing.deed(moderator, action, (target, id), reason);
    let mut w = state.store.write().await?;
    let done = async {
        if w.resolve_flags(target, id).await? == 0 && !approve {
            return Err(Error::conflict("This has no open flags."));
        }
        if unhide {
            w.set_hidden(target, id, None).await?;
        }
        w.log_moderation(&entry).await
    }
    .await;
    w.finish(done).await
}

/// Silences a member of the community for `days` days: they read but do not post.
pub async fn silence(
    state: &App,
    actor: &Actor,
    slug: &str,
    handle: &str,
    days: Option<&str>,
    reason: Option<&str>,
) -> Result<i64> {
    let gated = gate(state, actor, slug, CommunityAction::Moderate).await?;
    let length = parse_silence_days(days)?;
    let reason = parse_reason(reason)?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let person = state
        .store
        .account_by_handle(handle.trim().trim_start_matches('@'))
        .await?
        .filter(|a| !a.deleted)
        .ok_or_else(|| Error::invalid("handle", "no one has this handle"))?;
    let role = state
        .store
        .standing(gated.community.id, Some(person.id))
        .await?
        .role;
    if person.is_admin || role.is_some_and(|r| r >= Role::Coordinator) {
        return Err(Error::forbidden(
            "Coordinators and site admins cannot be silenced; change their role first.",
        ));
    }
    let until = state.store.now() + length;
    let entry = deed(
        gated.community.id,
        Some(moderator),
        ModAction::Silence,
        (Target::Account, person.id.get()),
        Some(person.id),
        format!(
            "@{} for {} days",
            person.handle,
            length / copse_core::clock::DAY
        ),
        reason.clone(),
    );
    let mut w = state.store.write().await?;
    let done = async {
        w.set_silence(
            gated.community.id,
            person.id,
            Some(until),
            reason.as_deref(),
            moderator,
        )
        .await?;
        w.log_moderation(&entry).await
    }
    .await;
    w.finish(done).await?;
    Ok(until)
}

/// Lifts someone's silence in the community.
pub async fn unsilence(state: &App, actor: &Actor, slug: &str, handle: &str) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::Moderate).await?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let person = state
        .store
        .account_by_handle(handle.trim().trim_start_matches('@'))
        .await?
        .ok_or_else(|| Error::invalid("handle", "no one has this handle"))?;
    if state
        .store
        .silence(gated.community.id, person.id)
        .await?
        .is_none()
    {
        return Err(Error::conflict("This person is not silenced here."));
    }
    let entry = deed(
        gated.community.id,
        Some(moderator),
        ModAction::Unsilence,
        (Target::Account, person.id.get()),
        Some(person.id),
        format!("@{}", person.handle),
        None,
    );
    let mut w = state.store.write().await?;
    let done = async {
        w.set_silence(gated.community.id, person.id, None, None, moderator)
            .await?;
        w.log_moderation(&entry).await
    }
    .await;
    w.finish(done).await
}

/// Changes how the community moderates (its coordinators).
pub async fn set_settings(
    state: &App,
    actor: &Actor,
    slug: &str,
    settings: ModerationSettings,
) -> Result<()> {
    let gated = gate(state, actor, slug, CommunityAction::Edit).await?;
    let mut w = state.store.write().await?;
    let done = w
        .set_moderation_settings(gated.community.id, settings)
        .await;
    w.finish(done).await
}
