//! The background worker that every `copse serve` runs: it schedules reminders into the job
//! queue and performs due jobs (reminder e-mails, "you got a place" notices).
//!
//! Scheduling is idempotent — a reminder's job key is (event, occurrence, member, minutes) — so
//! any number of nodes may schedule the same reminders; the queue's leases make one node send
//! each. Every job checks again, when it runs, that it still applies: the member is still going,
//! may still see the event, still wants that reminder, and the occurrence is still on.

use std::collections::HashMap;
use std::time::Duration;

use askama::Template;
use copse_core::clock::Millis;
use copse_core::domain::email::{DigestCadence, latest_period};
use copse_core::domain::{AccountId, Event, EventId, Occurrence};
use copse_core::policy::Actor;
use copse_core::{Error, Result};
use copse_store::{Job, NewJob, RsvpStatus};
use serde::{Deserialize, Serialize};

use crate::calendar::{FeedEvent, occurrence_calendar, uid_host};
use crate::digest_mail::DigestJob;
use crate::mail::{Mailer, OutgoingMail};
use crate::state::AppState;

const MINUTE: Millis = 60 * 1000;
/// The longest reminder lead a member may choose: a week.
pub const MAX_REMINDER_MINUTES: i64 = 7 * 24 * 60;
/// A reminder whose time passed longer ago than this (copse was down) is not sent late.
const LATE_GRACE: Millis = 15 * MINUTE;
const MAX_ATTEMPTS: i64 = 5;

/// Settings of the worker.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// A name for this node, unique among nodes sharing a database (in job leases).
    pub node: String,
    /// How often to look for due work.
    pub poll: Duration,
    /// How long a claimed job is this node's before another may take it over.
    pub lease: Duration,
    /// The sender of e-mail, e.g. `copse <copse@example.org>`.
    pub mail_from: String,
    /// The first retry waits this long; each further one twice as long.
    pub backoff: Duration,
    /// For the crash-and-resume tests only: a digest or newsletter batch stops after this many messages,
    /// as if the node crashed there. `None` in every real deployment.
    pub crash_after_digests: Option<usize>,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        WorkerConfig {
            node: "copse".into(),
            poll: Duration::from_secs(30),
            lease: Duration::from_secs(300),
            mail_from: "copse <copse@localhost>".into(),
            backoff: Duration::from_secs(60),
            crash_after_digests: None,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct OccurrenceJob {
    event: EventId,
    key: Millis,
    account: AccountId,
    /// For reminders: how long before the start.
    #[serde(default)]
    minutes: i64,
}

/// The payload of a job about something a community has due at a time (a check-in round to
/// open, a newsletter issue to draft).
#[derive(Serialize, Deserialize)]
struct CommunityDue {
    community: i64,
    at: Millis,
}

/// Tells a member who moved up from the waitlist; called when an answer frees a place.
pub async fn enqueue_promotion(
    state: &AppState,
    event: EventId,
    key: Millis,
    account: AccountId,
    now: Millis,
) -> Result<()> {
    let payload = serde_json::to_string(&OccurrenceJob {
        event,
        key,
        account,
        minutes: 0,
    })
    .map_err(|e| Error::internal(e.to_string()))?;
    state
        .store
        .enqueue(&NewJob {
            kind: "waitlist_promoted",
            key: &format!("promoted:{event}:{key}:{account}:{now}"),
            payload: &payload,
            run_at: now,
            max_attempts: MAX_ATTEMPTS,
        })
        .await?;
    Ok(())
}

/// What running a job came to.
enum Outcome {
    Done,
    /// Not yet: run again at this time (the occurrence was moved later).
    Later(Millis),
    /// The run stopped as a crash would: the job stays claimed until its lease runs out.
    Abandoned,
}

pub struct Worker {
    state: AppState,
    mailer: Mailer,
    config: WorkerConfig,
}

/// What an occurrence e-mail says; rendered as plain text and as HTML.
struct MailView<'a> {
    greeting: String,
    intro: &'a str,
    title: &'a str,
    when: String,
    place: Option<&'a str>,
    online_url: Option<&'a str>,
    notes: Option<&'a str>,
    link: String,
    settings: String,
}

#[derive(Template)]
#[template(path = "mail/occurrence.txt")]
struct MailText<'a> {
    m: &'a MailView<'a>,
}

#[derive(Template)]
#[template(path = "mail/occurrence.html")]
struct MailHtml<'a> {
    m: &'a MailView<'a>,
}

/// "Tuesday 10 March 2026, 18:00–19:30 (Europe/Berlin)".
pub fn when_text(event: &Event, o: &Occurrence) -> String {
    let tz = event.time_zone;
    let at = |ms: Millis| {
        chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&tz)
    };
    let (start, end) = (at(o.start), at(o.end));
    let end_text = if start.date_naive() == end.date_naive() {
        end.format("%H:%M").to_string()
    } else {
        end.format("%A %-d %B %Y, %H:%M").to_string()
    };
    format!(
        "{}–{} ({})",
        start.format("%A %-d %B %Y, %H:%M"),
        end_text,
        tz.name()
    )
}

impl Worker {
    pub fn new(state: AppState, mailer: Mailer, config: WorkerConfig) -> Worker {
        Worker {
            state,
            mailer,
            config,
        }
    }

    /// Runs until `shutdown` turns true.
    pub async fn run(self, mut shutdown: tokio::sync::watch::Receiver<bool>) {
        tracing::info!(node = %self.config.node, "worker started");
        loop {
            if let Err(e) = self.tick().await {
                tracing::warn!(error = %e, "worker round failed");
            }
            tokio::select! {
                _ = tokio::time::sleep(self.config.poll) => {}
                _ = shutdown.changed() => break,
            }
        }
    }

    /// One round: schedule reminders, then run the jobs that are due. Returns how many ran.
    pub async fn tick(&self) -> Result<usize> {
        self.schedule_reminders().await?;
        self.schedule_levels().await?;
        self.schedule_checkins().await?;
        self.schedule_digests().await?;
        self.schedule_newsletters().await?;
        self.schedule_notification_mail().await?;
        let lease = i64::try_from(self.config.lease.as_millis()).unwrap_or(300_000);
        let jobs = self
            .state
            .store
            .claim_jobs(&self.config.node, 20, lease)
            .await?;
        let count = jobs.len();
        for job in jobs {
            self.run_job(&job).await?;
        }
        Ok(count)
    }

    async fn run_job(&self, job: &Job) -> Result<()> {
        let store = &self.state.store;
        match self.perform(job).await {
            Ok(Outcome::Done) => store.complete_job(job.id, &self.config.node).await,
            Ok(Outcome::Later(at)) => store.postpone_job(job.id, &self.config.node, at).await,
            Ok(Outcome::Abandoned) => Ok(()),
            Err(e) => {
                let base = i64::try_from(self.config.backoff.as_millis()).unwrap_or(60_000);
                let backoff = base.saturating_mul(1 << job.attempts.clamp(0, 10));
                tracing::warn!(job = job.id, kind = %job.kind, attempt = job.attempts, error = %e, "job failed");
                store
                    .fail_job(job.id, &self.config.node, &e.to_string(), backoff)
                    .await
            }
        }
    }

    /// Once a day per community: recompute participation levels (one job per community and day,
    /// however many nodes schedule it).
    async fn schedule_levels(&self) -> Result<()> {
        let store = &self.state.store;
        let now = store.now();
        let day = now / (24 * 60 * MINUTE);
        for community in store.community_ids().await? {
            store
                .enqueue(&NewJob {
                    kind: "levels",
                    key: &format!("levels:{community}:{day}"),
                    payload: &format!("{{\"community\":{community}}}"),
                    run_at: now,
                    max_attempts: MAX_ATTEMPTS,
                })
                .await?;
        }
        Ok(())
    }

    /// A job for every check-in round that is due (one per community and opening time,
    /// however many nodes schedule it); the job opens the round and asks the members.
    async fn schedule_checkins(&self) -> Result<()> {
        let store = &self.state.store;
        for (community, at) in store.due_checkins(store.now()).await? {
            self.enqueue_due("checkin", "checkin", community, at)
                .await?;
        }
        Ok(())
    }

    /// A job of `kind` for what a community has due at `at`, keyed `<prefix>:<community>:<at>`
    /// so that every node adds the same one.
    async fn enqueue_due(
        &self,
        kind: &str,
        prefix: &str,
        community: i64,
        at: Millis,
    ) -> Result<()> {
        let payload = serde_json::to_string(&CommunityDue { community, at })
            .map_err(|e| Error::internal(e.to_string()))?;
        self.state
            .store
            .enqueue(&NewJob {
                kind,
                key: &format!("{prefix}:{community}:{at}"),
                payload: &payload,
                run_at: at,
                max_attempts: MAX_ATTEMPTS,
            })
            .await?;
        Ok(())
    }

    /// The first batch of each cadence's latest digest period, while it is fresh (a digest
    /// more than half a day late — copse was down — is not sent). Each batch adds the next.
    async fn schedule_digests(&self) -> Result<()> {
        let store = &self.state.store;
        let now = store.now();
        for cadence in [DigestCadence::Daily, DigestCadence::Weekly] {
            let Some(period) = latest_period(cadence, now) else {
                continue;
            };
            if now - period.until > 12 * 60 * MINUTE {
                continue;
            }
            self.enqueue_digest(&DigestJob::new(&period, 0), now)
                .await?;
        }
        Ok(())
    }

    /// Newsletters: a `newsletter_draft` job for each community whose draft is due (one per
    /// community and due time), and the first batch of each issue whose time to go out has
    /// come. Issues already going out are queued again — the key makes that a no-op unless a
    /// node died between starting an issue and queueing it.
    async fn schedule_newsletters(&self) -> Result<()> {
        let store = &self.state.store;
        let now = store.now();
        store
            .ensure_newsletter_settings(copse_core::domain::newsletter::first_draft_after(now))
            .await?;
        for (community, at) in store.due_newsletter_drafts(now).await? {
            self.enqueue_due("newsletter_draft", "newsletter-draft", community, at)
                .await?;
        }
        for (issue, status) in store.newsletters_to_send(now).await? {
            if status == copse_core::domain::newsletter::Status::Scheduled
                && !store.start_newsletter(issue).await?
            {
                continue;
            }
            crate::newsletter_mail::queue_first_batch(&self.state, issue).await?;
        }
        Ok(())
    }

    /// A job for each new notification someone wants e-mailed at once.
    async fn schedule_notification_mail(&self) -> Result<()> {
        crate::note_mail::queue_due(&self.state).await
    }

    async fn enqueue_digest(&self, job: &DigestJob, run_at: Millis) -> Result<()> {
        let payload = serde_json::to_string(job).map_err(|e| Error::internal(e.to_string()))?;
        self.state
            .store
            .enqueue(&NewJob {
                kind: "digest",
                key: &job.job_key(),
                payload: &payload,
                run_at,
                max_attempts: MAX_ATTEMPTS,
            })
            .await?;
        Ok(())
    }

    async fn send_digests(&self, job: &Job) -> Result<Outcome> {
        let p: DigestJob = serde_json::from_str(&job.payload)
            .map_err(|e| Error::internal(format!("bad job payload: {e}")))?;
        let outcome = crate::digest_mail::run_batch(
            &self.state,
            &self.mailer,
            &self.config.mail_from,
            &p,
            self.config.crash_after_digests,
        )
        .await?;
        if outcome.crashed {
            return Ok(Outcome::Abandoned);
        }
        if let Some(after) = outcome.next_after {
            self.enqueue_digest(&DigestJob { after, ..p }, self.state.store.now())
                .await?;
        }
        tracing::info!(
            sent = outcome.sent,
            failed = outcome.failed,
            "digest batch done"
        );
        Ok(Outcome::Done)
    }

    /// Adds a job for every reminder due before the next round, for everyone going.
    async fn schedule_reminders(&self) -> Result<()> {
        let store = &self.state.store;
        let now = store.now();
        let poll = i64::try_from(self.config.poll.as_millis()).unwrap_or(30_000);
        let horizon = now + 2 * poll + MINUTE;
        // Keys of moved occurrences may differ from their start; a day either way covers moves.
        let going = store
            .going_between(
                now - 24 * 60 * MINUTE,
                horizon + MAX_REMINDER_MINUTES * MINUTE + 24 * 60 * MINUTE,
            )
            .await?;
        let mut events: HashMap<EventId, Option<Event>> = HashMap::new();
        let mut minutes: HashMap<AccountId, Vec<i64>> = HashMap::new();
        for entry in going {
            if let std::collections::hash_map::Entry::Vacant(slot) = events.entry(entry.event) {
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
            if let std::collections::hash_map::Entry::Vacant(slot) = minutes.entry(entry.account) {
                slot.insert(store.reminder_minutes(entry.account).await?);
            }
            for m in &minutes[&entry.account] {
                let due = o.start - m * MINUTE;
                if due > horizon || due < now - LATE_GRACE {
                    continue;
                }
                let payload = serde_json::to_string(&OccurrenceJob {
                    event: entry.event,
                    key: entry.key,
                    account: entry.account,
                    minutes: *m,
                })
                .map_err(|e| Error::internal(e.to_string()))?;
                store
                    .enqueue(&NewJob {
                        kind: "reminder",
                        key: &format!(
                            "reminder:{}:{}:{}:{m}",
                            entry.event, entry.key, entry.account
                        ),
                        payload: &payload,
                        run_at: due,
                        max_attempts: MAX_ATTEMPTS,
                    })
                    .await?;
            }
        }
        Ok(())
    }

    async fn perform(&self, job: &Job) -> Result<Outcome> {
        if job.kind == "levels" {
            #[derive(Deserialize)]
            struct Levels {
                community: i64,
            }
            let p: Levels = serde_json::from_str(&job.payload)
                .map_err(|e| Error::internal(format!("bad job payload: {e}")))?;
            crate::app::participation::recompute(&self.state, p.community).await?;
            return Ok(Outcome::Done);
        }
        if job.kind == "message_email" {
            #[derive(Deserialize)]
            struct MessageMail {
                conversation: i64,
                message: i64,
                account: i64,
            }
            let p: MessageMail = serde_json::from_str(&job.payload)
                .map_err(|e| Error::internal(format!("bad job payload: {e}")))?;
            crate::note_mail::send_message(
                &self.state,
                &self.mailer,
                &self.config.mail_from,
                p.conversation,
                p.message,
                p.account,
            )
            .await?;
            return Ok(Outcome::Done);
        }
        if job.kind == "note_email" {
            #[derive(Deserialize)]
            struct Note {
                notification: i64,
                account: i64,
            }
            let p: Note = serde_json::from_str(&job.payload)
                .map_err(|e| Error::internal(format!("bad job payload: {e}")))?;
            crate::note_mail::send(
                &self.state,
                &self.mailer,
                &self.config.mail_from,
                p.notification,
                p.account,
            )
            .await?;
            return Ok(Outcome::Done);
        }
        if job.kind == "digest" {
            return self.send_digests(job).await;
        }
        if job.kind == "newsletter" {
            let p: crate::newsletter_mail::NewsletterJob = serde_json::from_str(&job.payload)
                .map_err(|e| Error::internal(format!("bad job payload: {e}")))?;
            let outcome = crate::newsletter_mail::run_batch(
                &self.state,
                &self.mailer,
                &self.config.mail_from,
                &p,
                self.config.crash_after_digests,
            )
            .await?;
            if outcome.crashed {
                return Ok(Outcome::Abandoned);
            }
            tracing::info!(
                sent = outcome.sent,
                failed = outcome.failed,
                "newsletter batch done"
            );
            return Ok(Outcome::Done);
        }
        if job.kind == "newsletter_draft" {
            let p: CommunityDue = serde_json::from_str(&job.payload)
                .map_err(|e| Error::internal(format!("bad job payload: {e}")))?;
            crate::app::newsletters::draft_scheduled(&self.state, p.community, p.at).await?;
            return Ok(Outcome::Done);
        }
        if job.kind == "checkin" {
            let p: CommunityDue = serde_json::from_str(&job.payload)
                .map_err(|e| Error::internal(format!("bad job payload: {e}")))?;
            crate::app::checkins::open_scheduled(&self.state, p.community, p.at).await?;
            return Ok(Outcome::Done);
        }
        let payload: OccurrenceJob = serde_json::from_str(&job.payload)
            .map_err(|e| Error::internal(format!("bad job payload: {e}")))?;
        match job.kind.as_str() {
            "reminder" => self.remind(&payload).await,
            "waitlist_promoted" => self.tell_promoted(&payload).await,
            other => Err(Error::internal(format!("unknown job kind {other}"))),
        }
    }

    /// The member's event and occurrence, if they may still see it and are still going.
    async fn still_going(
        &self,
        p: &OccurrenceJob,
    ) -> Result<Option<(copse_core::domain::Account, Event, Occurrence)>> {
        let store = &self.state.store;
        let Some(account) = store.account(p.account).await? else {
            return Ok(None);
        };
        if account.suspended {
            return Ok(None);
        }
        let actor = Actor::Account {
            id: account.id,
            is_admin: account.is_admin,
        };
        let event = match crate::app::events::get(&self.state, &actor, p.event).await {
            Ok((_, event)) => event,
            Err(Error::NotFound | Error::Forbidden(_)) => return Ok(None),
            Err(e) => return Err(e),
        };
        let Some(o) = event.occurrence(p.key)? else {
            return Ok(None);
        };
        if o.cancelled || o.start <= store.now() {
            return Ok(None);
        }
        if store.rsvp_of(p.event, p.key, p.account).await? != Some(RsvpStatus::Going) {
            return Ok(None);
        }
        Ok(Some((account, event, o)))
    }

    async fn remind(&self, p: &OccurrenceJob) -> Result<Outcome> {
        let Some((account, event, o)) = self.still_going(p).await? else {
            return Ok(Outcome::Done);
        };
        if !self
            .state
            .store
            .reminder_minutes(account.id)
            .await?
            .contains(&p.minutes)
        {
            return Ok(Outcome::Done);
        }
        let due = o.start - p.minutes * MINUTE;
        if due > self.state.store.now() + MINUTE {
            return Ok(Outcome::Later(due));
        }
        let lead = if p.minutes % (24 * 60) == 0 {
            let days = p.minutes / (24 * 60);
            if days == 1 {
                "tomorrow".to_string()
            } else {
                format!("in {days} days")
            }
        } else if p.minutes % 60 == 0 {
            let hours = p.minutes / 60;
            if hours == 1 {
                "in an hour".to_string()
            } else {
                format!("in {hours} hours")
            }
        } else {
            format!("in {} minutes", p.minutes)
        };
        self.send(
            &account,
            &event,
            &o,
            &format!("Reminder: {} {lead}", event.title),
            &format!("This is your reminder: you said you are going, and it starts {lead}."),
        )
        .await?;
        Ok(Outcome::Done)
    }

    async fn tell_promoted(&self, p: &OccurrenceJob) -> Result<Outcome> {
        let Some((account, event, o)) = self.still_going(p).await? else {
            return Ok(Outcome::Done);
        };
        self.send(
            &account,
            &event,
            &o,
            &format!("You have a place: {}", event.title),
            "A place came free and you were next on the waitlist: you are now going.",
        )
        .await?;
        Ok(Outcome::Done)
    }

    async fn send(
        &self,
        account: &copse_core::domain::Account,
        event: &Event,
        o: &Occurrence,
        subject: &str,
        intro: &str,
    ) -> Result<()> {
        let store = &self.state.store;
        let link = self.state.absolute(&format!("/e/{}", event.id));
        let token = store.unsubscribe_token(account.id).await?;
        let unsubscribe = self.state.absolute(&format!("/unsubscribe/{token}"));
        let view = MailView {
            greeting: format!("Hello {},", account.profile.display_name),
            intro,
            title: &event.title,
            when: when_text(event, o),
            place: event.place.as_deref(),
            online_url: event.online_url.as_deref(),
            notes: o.notes.as_deref(),
            link: link.clone(),
            settings: self.state.absolute("/settings/reminders"),
        };
        let render = |r: askama::Result<String>| r.map_err(|e| Error::internal(e.to_string()));
        let text = render(MailText { m: &view }.render())?;
        let html = render(MailHtml { m: &view }.render())?;
        let host = uid_host(self.state.config.base_url.as_deref());
        let ics = occurrence_calendar(
            &FeedEvent {
                event,
                url: link.clone(),
                answers: vec![(o.key, RsvpStatus::Going)],
            },
            o,
            &host,
            store.now(),
        );
        let mail = OutgoingMail {
            to_name: account.profile.display_name.clone(),
            to_address: account.email.clone(),
            subject: subject.to_string(),
            text,
            html,
            unsubscribe: Some(unsubscribe),
            calendar: Some(("event.ics".to_string(), ics)),
        };
        self.mailer
            .send(&self.config.mail_from, &mail)
            .await
            .map_err(|e| Error::internal(format!("sending mail: {e}")))
    }
}
