//! What time makes due: each step adds the jobs that have come due since the last round. Steps
//! only add jobs (keyed, so every node adds the same ones) and never run them — except ending
//! suspensions whose end has passed and removing expired data exports, single conditional
//! statements that every node may try.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::time::Duration;

use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::email::{DigestCadence, latest_period};
use copse_core::domain::newsletter::{self, Status};
use copse_core::domain::{AccountId, Event, EventId};

use crate::app::App;
use crate::jobs::{CommunityDay, CommunityDue, DigestBatch, Job, NewsletterBatch, Seat};
use crate::note_mail;
use crate::reminders::{LATE_GRACE, MAX_REMINDER_MINUTES};

const MINUTE: Millis = 60 * 1000;
const DAY: Millis = 24 * 60 * MINUTE;
/// A digest more than this late (copse was down) is not sent.
const DIGEST_FRESH_FOR: Millis = 12 * 60 * MINUTE;

/// One step of a round.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Reminders,
    Levels,
    Checkins,
    Digests,
    Newsletters,
    NotificationMail,
    Suspensions,
    ExpiredExports,
    /// Files no one may read any more (orphaned uploads, deleted posts' files) are removed.
    UnreadableFiles,
}

impl Step {
    /// Every step, in the order a round takes them.
    pub const ALL: [Step; 9] = [
        Step::Reminders,
        Step::Levels,
        Step::Checkins,
        Step::Digests,
        Step::Newsletters,
        Step::NotificationMail,
        Step::Suspensions,
        Step::ExpiredExports,
        Step::UnreadableFiles,
    ];

    /// Adds the jobs this step finds due. A failing step is the caller's to log; the others
    /// still run.
    pub async fn run(self, app: &App, poll: Duration) -> Result<()> {
        match self {
            Step::Reminders => reminders(app, poll).await,
            Step::Levels => levels(app).await,
            Step::Checkins => checkins(app).await,
            Step::Digests => digests(app).await,
            Step::Newsletters => newsletters(app).await,
            Step::NotificationMail => note_mail::queue_due(app).await,
            Step::Suspensions => crate::user_admin::end_ended_suspensions(app)
                .await
                .map(|_| ()),
            Step::ExpiredExports => {
                crate::personal_export::remove_expired(app).await?;
                crate::community_export::remove_expired(app).await
            }
            Step::UnreadableFiles => crate::files::remove_unreadable(app).await.map(|_| ()),
        }
    }
}

/// A job for every reminder due before the next round, for everyone going.
async fn reminders(app: &App, poll: Duration) -> Result<()> {
    let store = &app.store;
    let now = store.now();
    let poll = i64::try_from(poll.as_millis()).unwrap_or(30_000);
    let horizon = now + 2 * poll + MINUTE;
    // Keys of moved occurrences may differ from their start; a day either way covers moves.
    let going = store
        .going_between(now - DAY, horizon + MAX_REMINDER_MINUTES * MINUTE + DAY)
        .await?;
    let mut events: HashMap<EventId, Option<Event>> = HashMap::new();
    let mut minutes: HashMap<AccountId, Vec<i64>> = HashMap::new();
    for entry in going {
        if let Entry::Vacant(slot) = events.entry(entry.event) {
            slot.insert(store.event(entry.event).await?);
        }
        let Some(Some(event)) = events.get(&entry.event) else {
            continue;
        };
        let Some(o) = event.occurrence(entry.key)? else {
            continue;
        };
        if o.cancelled || o.start <= now {
            continue;
        }
        if let Entry::Vacant(slot) = minutes.entry(entry.account) {
            slot.insert(store.reminder_minutes(entry.account).await?);
        }
        for m in &minutes[&entry.account] {
            let due = o.start - m * MINUTE;
            if due > horizon || due < now - LATE_GRACE {
                continue;
            }
            let seat = Seat {
                event: entry.event,
                key: entry.key,
                account: entry.account,
                minutes: *m,
                at: 0,
            };
            Job::Reminder(seat).queue(app, due).await?;
        }
    }
    Ok(())
}

/// Once a day per community: recompute participation levels.
async fn levels(app: &App) -> Result<()> {
    let now = app.now();
    let day = now / DAY;
    for community in app.store.community_ids().await? {
        Job::Levels(CommunityDay { community, day })
            .queue(app, now)
            .await?;
    }
    Ok(())
}

/// A job for every check-in round that is due; the job opens it and asks the members.
async fn checkins(app: &App) -> Result<()> {
    for (community, at) in app.store.due_checkins(app.now()).await? {
        Job::Checkin(CommunityDue { community, at })
            .queue(app, at)
            .await?;
    }
    Ok(())
}

/// The first batch of each cadence's latest digest period, while it is fresh. Each batch adds
/// the next.
async fn digests(app: &App) -> Result<()> {
    let now = app.now();
    for cadence in [DigestCadence::Daily, DigestCadence::Weekly] {
        let Some(period) = latest_period(cadence, now) else {
            continue;
        };
        if now - period.until > DIGEST_FRESH_FOR {
            continue;
        }
        Job::Digest(DigestBatch::new(&period, AccountId(0)))
            .queue(app, now)
            .await?;
    }
    Ok(())
}

/// Newsletters: the default cadence for communities without one, a draft job for each
/// community whose draft is due, and the first batch of each issue whose time to go out has
/// come. Issues already going out are queued again — the key makes that a no-op unless a node
/// died between starting an issue and queueing it.
async fn newsletters(app: &App) -> Result<()> {
    let store = &app.store;
    let now = store.now();
    store
        .ensure_newsletter_settings(newsletter::first_draft_after(now))
        .await?;
    for (community, at) in store.due_newsletter_drafts(now).await? {
        Job::NewsletterDraft(CommunityDue { community, at })
            .queue(app, at)
            .await?;
    }
    for (issue, status) in store.newsletters_to_send(now).await? {
        let first = Job::Newsletter(NewsletterBatch {
            issue,
            after: AccountId(0),
            retry: 0,
        });
        if status == Status::Scheduled {
            // Starting the issue and queueing its first batch commit together.
            let mut w = store.write().await?;
            let started = async {
                if w.start_newsletter(issue).await? {
                    first.add(&mut w, now).await?;
                }
                Ok(())
            }
            .await;
            w.finish(started).await?;
        } else {
            first.queue(app, now).await?;
        }
    }
    Ok(())
}
