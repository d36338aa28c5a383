//! What a moderator acts on from the review queue, checked against the policy: whoever may not
//! moderate the thing gets the same answer as if it did not exist. Threads and replies go
//! through their thread's rules; stories and comments through the story's; messages through
//! their conversation's community (its moderators see a flagged message in the queue only);
//! profiles are the site admins'.

use copse_core::domain::{AccountId, CommunityId, ModAction, NewLogEntry, Target};
use copse_core::policy::{self, Actor, CommunityAction, StoryAction, ThreadAction};
use copse_core::{Error, Result};

use super::log::{
    SUMMARY_OF_MESSAGE, summary_of_comment, summary_of_profile, summary_of_reply, summary_of_story,
};
use crate::access::{gate, gate_reply, gate_thread};
use crate::app::App;
use crate::value::story_to;

/// A thing a moderator may act on: where it is, whose it is, how the log names it, and why it
/// is hidden (if it is).
pub(super) struct Moderated {
    pub community: Option<CommunityId>,
    pub author: AccountId,
    pub summary: String,
    pub hidden: Option<String>,
}

impl Moderated {
    /// The log entry of a moderator's deed about it.
    pub fn deed(
        self,
        moderator: AccountId,
        action: ModAction,
        target: (Target, i64),
        reason: Option<String>,
    ) -> NewLogEntry {
        NewLogEntry {
            community: self.community,
            moderator: Some(moderator),
            action,
            target: target.0,
            target_id: target.1,
            subject: Some(self.author),
            summary: self.summary,
            reason,
        }
    }
}

/// The thing, if the actor may moderate it.
pub(super) async fn moderated(
    state: &App,
    actor: &Actor,
    target: Target,
    id: i64,
) -> Result<Moderated> {
    match target {
        Target::Thread => {
            let t = gate_thread(state, actor, id, ThreadAction::Moderate)
                .await?
                .thread;
            Ok(Moderated {
                community: Some(t.community_id),
                author: t.author.id,
                summary: t.title,
                hidden: t.hidden,
            })
        }
        Target::Reply => {
            let (gt, reply) = gate_reply(state, actor, id, ThreadAction::Moderate).await?;
            Ok(Moderated {
                community: Some(gt.thread.community_id),
                author: reply.author.id,
                summary: summary_of_reply(&gt.thread, &reply),
                hidden: reply.hidden,
            })
        }
        Target::Story => {
            let (gated, read) = story_to(state, actor, id, StoryAction::Moderate).await?;
            Ok(Moderated {
                community: Some(gated.community.id),
                author: read.story.author.id,
                summary: summary_of_story(&read.story),
                hidden: read.story.hidden,
            })
        }
        Target::StoryComment => comment(state, actor, id).await,
        Target::Message => message(state, actor, id).await,
        Target::Profile => profile(state, actor, id).await,
        Target::Account => Err(Error::invalid(
            "target",
            "must be a thread, reply, story, story_comment, message or profile",
        )),
    }
}

/// The community a thing belongs to, without asking who may see it (none for a profile, or
/// for a thing that is gone).
pub(super) async fn home_of(state: &App, target: Target, id: i64) -> Result<Option<CommunityId>> {
    let store = &state.store;
    let story_home = |story: Option<i64>| async move {
        match story {
            Some(s) => Ok::<_, Error>(store.story(s).await?.map(|s| s.community_id)),
            None => Ok(None),
        }
    };
    Ok(match target {
        Target::Thread => store.thread(id).await?.map(|t| t.community_id),
        Target::Reply => match store.reply(id).await?.map(|r| r.thread_id) {
            Some(t) => store.thread(t).await?.map(|t| t.community_id),
            None => None,
        },
        Target::Story => story_home(Some(id)).await?,
        Target::StoryComment => {
            story_home(store.story_comment(id).await?.map(|c| c.story_id)).await?
        }
        Target::Message => store.message_home(id).await?.map(|m| m.community),
        Target::Profile | Target::Account => None,
    })
}

async fn comment(state: &App, actor: &Actor, id: i64) -> Result<Moderated> {
    let c = state
        .store
        .story_comment(id)
        .await?
        .ok_or(Error::NotFound)?;
    let (gated, read) = story_to(state, actor, c.story_id, StoryAction::Moderate).await?;
    Ok(Moderated {
        community: Some(gated.community.id),
        author: c.author.id,
        summary: summary_of_comment(&c, &read.story),
        hidden: c.hidden,
    })
}

async fn message(state: &App, actor: &Actor, id: i64) -> Result<Moderated> {
    let home = state.store.message_home(id).await?.ok_or(Error::NotFound)?;
    let slug = state
        .store
        .community_by_id(home.community)
        .await?
        .ok_or(Error::NotFound)?
        .slug;
    // Conversations stay open while their community is archived, and so does their moderation.
    let gated = gate(state, actor, &slug, CommunityAction::SeeListing)
        .await
        .map_err(|_| Error::NotFound)?;
    if !gated.moderates(actor) {
        return Err(Error::NotFound);
    }
    Ok(Moderated {
        community: Some(gated.community.id),
        author: home.author,
        summary: SUMMARY_OF_MESSAGE.to_string(),
        hidden: home.hidden,
    })
}

async fn profile(state: &App, actor: &Actor, id: i64) -> Result<Moderated> {
    policy::check_site_admin(actor).map_err(|_| Error::NotFound)?;
    let person = state
        .store
        .account(AccountId(id))
        .await?
        .filter(|a| !a.deleted)
        .ok_or(Error::NotFound)?;
    Ok(Moderated {
        community: None,
        author: person.id,
        summary: summary_of_profile(&person.handle),
        hidden: person.profile_hidden,
    })
}
