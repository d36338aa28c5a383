//! In-app notifications: replies to your threads, mentions, accepted answers, new threads in
//! topics you follow — only those you may still read.

use copse_core::domain::{Account, Notification};
use copse_core::page::{Cursor, Page, clamp_limit};
use copse_core::policy::Actor;
use copse_core::{Error, Result};

use crate::app::App;

pub async fn list(
    state: &App,
    actor: &Actor,
    limit: Option<i64>,
    cursor: Option<&str>,
) -> Result<(Page<Notification>, i64)> {
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    let after = Cursor::decode_opt(cursor)?;
    let page = state
        .store
        .notifications(account, clamp_limit(limit), after.as_ref())
        .await?;
    let unread = state.store.unread_notifications(account).await?;
    Ok((page, unread))
}

pub async fn mark_read(state: &App, actor: &Actor, only: Option<i64>) -> Result<()> {
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    state.store.mark_notifications_read(account, only).await
}

/// What waits for a person, for the counters in the site's header.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Waiting {
    pub invitations: usize,
    pub notifications: i64,
    pub conversations: i64,
    /// Moderators' warnings to acknowledge, shown at the top of every page.
    pub warnings: Vec<copse_core::domain::Warning>,
}

pub async fn waiting(state: &App, account: &Account) -> Result<Waiting> {
    Ok(Waiting {
        invitations: state
            .store
            .invitations_for(
                account.id,
                account.email_verified.then_some(account.email.as_str()),
            )
            .await?
            .len(),
        notifications: state.store.unread_notifications(account.id).await?,
        conversations: state.store.unread_conversations(account.id).await?,
        warnings: state.store.open_warnings(account.id).await?,
    })
}
