//! Warnings: a moderator writes to a member, who reads it at the top of every page and
//! acknowledges it; until then they do not post in that community. The log records that a
//! warning was written, never its words.

use copse_core::domain::{ModAction, Target, Warning, parse_warning};
use copse_core::policy::{Actor, CommunityAction};
use copse_core::{Error, Result};
use copse_store::Write;

use super::log::deed;
use crate::access::gate;
use crate::app::App;

/// Writes a warning to the member with `handle`; answers its id.
pub async fn warn(
    state: &App,
    actor: &Actor,
    slug: &str,
    handle: &str,
    message: &str,
) -> Result<i64> {
    let gated = gate(state, actor, slug, CommunityAction::Moderate).await?;
    let message = parse_warning(message)?;
    let moderator = actor.account_id().ok_or(Error::Unauthenticated)?;
    let person = state
        .store
        .account_by_handle(handle.trim().trim_start_matches('@'))
        .await?
        .filter(|a| !a.deleted)
        .ok_or_else(|| Error::invalid("handle", "no one has this handle"))?;
    if person.id == moderator {
        return Err(Error::invalid("handle", "you cannot warn yourself"));
    }
    let entry = deed(
        gated.community.id,
        Some(moderator),
        ModAction::Warn,
        (Target::Account, person.id.get()),
        Some(person.id),
        format!("@{}", person.handle),
        None,
    );
    let mut w = state.store.write().await?;
    let done = async {
        let id = w
            .add_warning(gated.community.id, person.id, moderator, &message)
            .await?;
        w.log_moderation(&entry).await?;
        Ok(id)
    }
    .await;
    w.finish(done).await
}

/// The signed-in person's warnings they have not acknowledged.
pub async fn my_warnings(state: &App, actor: &Actor) -> Result<Vec<Warning>> {
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    state.store.open_warnings(me).await
}

/// Acknowledges one of one's own warnings; anyone else's, or one read already, is not found.
pub async fn acknowledge(state: &App, actor: &Actor, id: i64) -> Result<()> {
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    let mut w = state.store.write().await?;
    let done = async {
        if w.acknowledge_warning(id, me).await? {
            Ok(())
        } else {
            Err(Error::NotFound)
        }
    }
    .await;
    w.finish(done).await
}

/// Refuses a post while its author has a warning in the community they have not acknowledged.
pub(crate) async fn check_warnings(
    w: &mut Write,
    author: copse_core::domain::AccountId,
    community: copse_core::domain::CommunityId,
) -> Result<()> {
    if w.unread_warning(author, community).await? {
        return Err(Error::forbidden(
            "A moderator of this community wrote to you: read it at the top of the page and \
             acknowledge it, then post again.",
        ));
    }
    Ok(())
}
