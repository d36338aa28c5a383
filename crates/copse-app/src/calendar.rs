//! Calendars and reminders: the community feed (public events, read as an anonymous reader), the
//! personal feed at a secret address (everything the member may see, with their answers), single
//! event downloads, reminder settings, and the job queue for admins.

use copse_core::clock::Millis;
use copse_core::domain::{AccountId, Event, EventId};
use copse_core::policy::{self, Actor, CommunityAction};
use copse_core::{Error, Result};

use crate::access::gate;
use crate::app::App;
use crate::ical::{FeedEvent, calendar, uid_host};
use crate::jobs::QueuedJob;
use crate::reminders::MAX_REMINDER_MINUTES;
use crate::secrets::{hash_secret, new_secret};

/// At most this many reminder times per member.
const MAX_REMINDERS: usize = 5;
/// A personal feed gathers at most this many communities.
const MAX_FEED_COMMUNITIES: usize = 200;

pub async fn reminder_minutes(state: &App, account: AccountId) -> Result<Vec<i64>> {
    state.store.reminder_minutes(account).await
}

/// Sets reminder times: each from 5 minutes to a week, at most five; empty turns them off.
pub async fn set_reminder_minutes(
    state: &App,
    account: AccountId,
    minutes: &[i64],
) -> Result<Vec<i64>> {
    if minutes.len() > MAX_REMINDERS {
        return Err(Error::invalid("minutes", "at most 5 reminder times"));
    }
    if let Some(bad) = minutes
        .iter()
        .find(|m| !(5..=MAX_REMINDER_MINUTES).contains(*m))
    {
        return Err(Error::invalid(
            "minutes",
            format!("{bad} is not between 5 minutes and a week (10080)"),
        ));
    }
    let mut sorted = minutes.to_vec();
    sorted.sort_unstable_by(|a, b| b.cmp(a));
    sorted.dedup();
    state.store.set_reminder_minutes(account, &sorted).await?;
    Ok(sorted)
}

/// The address of a member's personal feed.
pub fn feed_path(token: &str) -> String {
    format!("/calendar/{token}.ics")
}

/// Makes a new personal feed secret (256 random bits), replacing any earlier one; returns its
/// path.
pub async fn new_feed(state: &App, account: AccountId) -> Result<String> {
    let token = new_secret("cal");
    state
        .store
        .set_calendar_token(account, &hash_secret(&token))
        .await?;
    Ok(feed_path(&token))
}

/// When the member's personal feed address was made, if they have one.
pub async fn feed_created(state: &App, account: AccountId) -> Result<Option<Millis>> {
    state.store.calendar_token_created(account).await
}

/// Ends the member's personal feed: its address answers "not found" from now on.
pub async fn revoke_feed(state: &App, account: AccountId) -> Result<()> {
    state.store.revoke_calendar_token(account).await
}

fn event_url(site: &str, id: EventId) -> String {
    format!("{site}/e/{id}")
}

fn host(state: &App) -> String {
    uid_host(state.config.base_url.as_deref())
}

/// The community's public events as a calendar, as an anonymous visitor sees them.
pub async fn community_feed(state: &App, slug: &str, site: &str) -> Result<String> {
    let actor = Actor::Anonymous;
    let gated = gate(state, &actor, slug, CommunityAction::ReadPublic).await?;
    let events = state
        .store
        .list_events(gated.community.id, policy::thread_filter(&actor))
        .await?;
    let items: Vec<FeedEvent<'_>> = events
        .iter()
        .map(|e| FeedEvent {
            event: e,
            url: event_url(site, e.id),
            answers: Vec::new(),
        })
        .collect();
    Ok(calendar(
        &gated.community.name,
        &items,
        &host(state),
        state.store.now(),
    ))
}

/// A member's personal calendar, found by its secret: the events of every community they
/// belong to or follow that they may see, with their answers. Unknown or revoked secrets, and
/// suspended accounts, are "not found".
pub async fn personal_feed(state: &App, token: &str, site: &str) -> Result<String> {
    let account = state
        .store
        .calendar_token_owner(&hash_secret(token))
        .await?
        .ok_or(Error::NotFound)?;
    let account = state
        .store
        .account(account)
        .await?
        .filter(|a| !a.is_suspended())
        .ok_or(Error::NotFound)?;
    let actor = Actor::Account {
        id: account.id,
        is_admin: account.is_admin,
        must_verify: false,
    };
    let mut events: Vec<Event> = Vec::new();
    for (slug, _, _) in state
        .store
        .memberships_of(account.id)
        .await?
        .into_iter()
        .take(MAX_FEED_COMMUNITIES)
    {
        match super::events::list(state, &actor, &slug).await {
            Ok((_, list)) => events.extend(list),
            Err(Error::NotFound | Error::Forbidden(_)) => {}
            Err(e) => return Err(e),
        }
    }
    let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
    let now = state.store.now();
    let answers = state
        .store
        .answers_of(account.id, &ids, now - 90 * 24 * 3600 * 1000)
        .await?;
    let items: Vec<FeedEvent<'_>> = events
        .iter()
        .map(|e| FeedEvent {
            event: e,
            url: event_url(site, e.id),
            answers: answers
                .iter()
                .filter(|(id, _, _)| *id == e.id)
                .map(|(_, k, s)| (*k, *s))
                .collect(),
        })
        .collect();
    Ok(calendar(
        &format!("copse — {}", account.profile.display_name),
        &items,
        &host(state),
        now,
    ))
}

/// One event as a calendar file, for whoever may see it.
pub async fn event_file(
    state: &App,
    actor: &Actor,
    id: EventId,
    site: &str,
) -> Result<(String, String)> {
    let (_, event) = crate::access::gate_event(state, actor, id).await?;
    let items = [FeedEvent {
        event: &event,
        url: event_url(site, id),
        answers: Vec::new(),
    }];
    Ok((
        event.title.clone(),
        calendar(&event.title, &items, &host(state), state.store.now()),
    ))
}

pub(crate) fn require_admin(actor: &Actor) -> Result<()> {
    policy::check_site_admin(actor)
}

/// Jobs in one status with the counts per status. Site admins.
pub async fn jobs(
    state: &App,
    actor: &Actor,
    status: &str,
    limit: i64,
) -> Result<(Vec<(String, i64)>, Vec<QueuedJob>)> {
    require_admin(actor)?;
    if !["failed", "pending", "running", "done"].contains(&status) {
        return Err(Error::invalid(
            "status",
            "must be one of: failed, pending, running, done",
        ));
    }
    Ok((
        state.store.job_counts().await?,
        state.store.jobs_with_status(status, limit).await?,
    ))
}

pub async fn retry_job(state: &App, actor: &Actor, id: i64) -> Result<()> {
    require_admin(actor)?;
    state.store.retry_job(id).await
}
