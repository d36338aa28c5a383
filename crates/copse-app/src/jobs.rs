//! The background jobs, as one typed enum. A use case that implies later work adds a [`Job`]
//! in the same transaction as its own writes ([`Job::add`]); the worker's scheduler adds the
//! jobs that time makes due; the worker's runner is the only place that runs them.
//!
//! Every job has a key that says which piece of work it is (a reminder is its event,
//! occurrence, member and lead time), so adding the same work twice — from two nodes, or a
//! retried round — keeps one job. In the database a job is its `kind` (the variant's name) and
//! its `payload` (the variant's fields as JSON): [`Job::parse`] reads them back and is the one
//! place that says a payload is bad.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::email::{DigestCadence, DigestPeriod};
use copse_core::domain::{AccountId, CommunityId, EventId};
use copse_core::{Error, Result};
use copse_store::{JobRow, NewJob, Write};
use serde::{Deserialize, Serialize};

use crate::app::App;

/// How many times a job is tried before it is kept as failed for admins to see.
pub const MAX_ATTEMPTS: i64 = 5;

/// A piece of background work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "payload", rename_all = "snake_case")]
pub enum Job {
    /// Remind someone going to an occurrence, `minutes` before it starts.
    Reminder(Seat),
    /// Tell someone they moved up from the waitlist.
    WaitlistPromoted(Seat),
    /// Recompute a community's participation levels (once a day).
    Levels(CommunityDay),
    /// Open a community's check-in round due at `at`.
    Checkin(CommunityDue),
    /// Draft a community's newsletter issue due at `at`.
    NewsletterDraft(CommunityDue),
    /// Send one batch of a newsletter issue.
    Newsletter(NewsletterBatch),
    /// Send one batch of a period's personal digests.
    Digest(DigestBatch),
    /// E-mail one notification at once.
    NoteEmail(NoteEmail),
    /// E-mail one conversation message to one person.
    MessageEmail(MessageEmail),
    /// Mail a link that verifies an account's e-mail address.
    VerifyEmail(EmailLink),
    /// Mail a link that confirms a new address (and tell the old one).
    ChangeEmail(EmailLink),
    /// Mail a link that lets an account choose a new password.
    PasswordReset(EmailLink),
    /// Mail an invitation to the person (or the address) it is for.
    InvitationEmail(InvitationMail),
    /// Welcome a new member by e-mail, once per person and community.
    Welcome(Welcome),
    /// Prepare a personal data export too large to answer at once.
    DataExport(PreparedExport),
    /// Prepare a community's archive.
    CommunityExport(PreparedCommunityExport),
}

/// A community archive asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparedCommunityExport {
    pub export: i64,
}

/// A personal data export asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreparedExport {
    pub export: i64,
}

/// A new member of a community, to welcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Welcome {
    pub community: CommunityId,
    pub account: AccountId,
}

/// Someone's place at an occurrence of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Seat {
    pub event: EventId,
    /// The occurrence's key (its original start).
    pub key: Millis,
    pub account: AccountId,
    /// For reminders: how long before the start.
    #[serde(default)]
    pub minutes: i64,
    /// For promotions: when the place came free (two promotions of one person are two jobs).
    #[serde(default)]
    pub at: Millis,
}

/// A community and a day (days since the epoch, UTC).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityDay {
    pub community: CommunityId,
    #[serde(default)]
    pub day: i64,
}

/// Something a community has due at a time (a check-in round, a newsletter draft).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommunityDue {
    pub community: CommunityId,
    pub at: Millis,
}

/// One batch of a newsletter issue's readers: the next after `after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsletterBatch {
    pub issue: i64,
    pub after: AccountId,
    /// Non-zero for a run an admin asked for again (its key differs from the first's).
    #[serde(default)]
    pub retry: i64,
}

/// One batch of a digest period's recipients: the next after `after`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DigestBatch {
    pub cadence: DigestCadence,
    /// The period's key, e.g. `weekly-2026-11-23`.
    pub key: String,
    pub since: Millis,
    pub until: Millis,
    pub after: AccountId,
    /// Non-zero for a run an admin asked for again.
    #[serde(default)]
    pub retry: i64,
}

/// One notification to e-mail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoteEmail {
    pub notification: i64,
    pub account: AccountId,
    /// Non-zero for an admin's retry of a failure.
    #[serde(default)]
    pub retry: i64,
}

/// One conversation message to e-mail to one person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageEmail {
    pub conversation: i64,
    pub message: i64,
    pub account: AccountId,
    /// Non-zero for an admin's retry of a failure.
    #[serde(default)]
    pub retry: i64,
}

/// A link (to verify the address, or to reset the password) to send to `email` for `account`,
/// asked for at `asked_at` (a link asked for again is another job).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmailLink {
    pub account: AccountId,
    pub email: String,
    pub asked_at: Millis,
}

/// An invitation to mail, asked for at `asked_at` (a re-send is another job).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationMail {
    pub invitation: i64,
    pub asked_at: Millis,
}

impl NewsletterBatch {
    /// The delivery run an issue's messages are counted under (the admin view's).
    pub fn run(issue: i64) -> String {
        format!("newsletter-{issue}")
    }
}

impl DigestBatch {
    pub fn new(period: &DigestPeriod, after: AccountId) -> DigestBatch {
        DigestBatch {
            cadence: period.cadence,
            key: period.key.clone(),
            since: period.since,
            until: period.until,
            after,
            retry: 0,
        }
    }

    pub fn period(&self) -> DigestPeriod {
        DigestPeriod {
            cadence: self.cadence,
            since: self.since,
            until: self.until,
            key: self.key.clone(),
        }
    }
}

/// `base`, or `base:retry-<n>` for an admin's retry.
fn with_retry(base: String, retry: i64) -> String {
    if retry == 0 {
        base
    } else {
        format!("{base}:retry-{retry}")
    }
}

impl Job {
    /// Which piece of work this is: adding a job whose key is queued already keeps one.
    pub fn key(&self) -> String {
        match self {
            Job::Reminder(s) => {
                format!("reminder:{}:{}:{}:{}", s.event, s.key, s.account, s.minutes)
            }
            Job::WaitlistPromoted(s) => {
                format!("promoted:{}:{}:{}:{}", s.event, s.key, s.account, s.at)
            }
            Job::Levels(d) => format!("levels:{}:{}", d.community, d.day),
            Job::Checkin(d) => format!("checkin:{}:{}", d.community, d.at),
            Job::NewsletterDraft(d) => format!("newsletter-draft:{}:{}", d.community, d.at),
            Job::Newsletter(b) => {
                with_retry(format!("newsletter:{}:{}", b.issue, b.after), b.retry)
            }
            Job::Digest(b) => with_retry(format!("digest:{}:{}", b.key, b.after), b.retry),
            Job::NoteEmail(n) => with_retry(format!("note:{}", n.notification), n.retry),
            Job::MessageEmail(m) => {
                with_retry(format!("message:{}:{}", m.message, m.account), m.retry)
            }
            Job::VerifyEmail(l) => format!("verify-email:{}:{}", l.account, l.asked_at),
            Job::PasswordReset(l) => format!("password-reset:{}:{}", l.account, l.asked_at),
            Job::ChangeEmail(l) => format!("change-email:{}:{}", l.account, l.asked_at),
            Job::InvitationEmail(i) => format!("invitation:{}:{}", i.invitation, i.asked_at),
            Job::Welcome(w) => format!("welcome:{}:{}", w.community.get(), w.account.get()),
            Job::DataExport(e) => format!("data-export:{}", e.export),
            Job::CommunityExport(e) => format!("community-export:{}", e.export),
        }
    }

    /// The kind and payload as stored.
    fn to_row(&self) -> Result<(String, String)> {
        let value = serde_json::to_value(self).or_internal()?;
        let kind = value["kind"].as_str().unwrap_or_default().to_string();
        Ok((kind, value["payload"].to_string()))
    }

    /// Reads a stored job back. A kind nobody knows or a payload that does not fit is an error
    /// of the job (it fails and is kept for admins), never of the round.
    pub fn parse(row: &JobRow) -> Result<Job> {
        let payload: serde_json::Value =
            serde_json::from_str(&row.payload).or_internal_while("bad job payload")?;
        serde_json::from_value(serde_json::json!({ "kind": row.kind, "payload": payload }))
            .map_err(|e| Error::internal(format!("bad job payload for `{}`: {e}", row.kind)))
    }

    /// Adds the job, to run at `run_at`, in the transaction of the write that implies it.
    /// Returns whether it was added (false when its key was queued already).
    pub async fn add(&self, w: &mut Write, run_at: Millis) -> Result<bool> {
        let (kind, payload) = self.to_row()?;
        w.enqueue(&NewJob {
            kind: &kind,
            key: &self.key(),
            payload: &payload,
            run_at,
            max_attempts: MAX_ATTEMPTS,
        })
        .await
    }

    /// Adds the job on its own (for the scheduler, which has nothing else to write).
    pub async fn queue(&self, app: &App, run_at: Millis) -> Result<bool> {
        let mut w = app.store.write().await?;
        let added = self.add(&mut w, run_at).await;
        w.finish(added).await
    }
}

/// What running a job came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// Not yet: run again at this time (the occurrence was moved later).
    Later(Millis),
    /// The run stopped as a crash would: the job stays claimed until its lease runs out.
    Abandoned,
}

/// A job as admins see it in the queue.
pub type QueuedJob = JobRow;

#[cfg(test)]
mod tests {
    use super::*;

    fn row(kind: &str, payload: &str) -> JobRow {
        JobRow {
            id: 1,
            kind: kind.into(),
            key: String::new(),
            payload: payload.into(),
            status: "running".into(),
            run_at: 0,
            attempts: 1,
            max_attempts: MAX_ATTEMPTS,
            last_error: None,
            updated_at: 0,
        }
    }

    #[test]
    fn every_job_reads_back_as_it_was_written() {
        let jobs = [
            Job::Reminder(Seat {
                event: 3,
                key: 1_000,
                account: AccountId(7),
                minutes: 60,
                at: 0,
            }),
            Job::Levels(CommunityDay {
                community: CommunityId(2),
                day: 20_000,
            }),
            Job::NoteEmail(NoteEmail {
                notification: 9,
                account: AccountId(7),
                retry: 0,
            }),
            Job::DataExport(PreparedExport { export: 4 }),
            Job::CommunityExport(PreparedCommunityExport { export: 5 }),
        ];
        for job in jobs {
            let (kind, payload) = job.to_row().unwrap();
            assert_eq!(Job::parse(&row(&kind, &payload)).unwrap(), job);
        }
    }

    #[test]
    fn payloads_queued_before_the_typed_jobs_still_read() {
        // Rows written by earlier versions: no `at`, `day` or `retry` fields.
        let promoted = Job::parse(&row(
            "waitlist_promoted",
            r#"{"event":1,"key":2,"account":3,"minutes":0}"#,
        ))
        .unwrap();
        assert!(matches!(
            promoted,
            Job::WaitlistPromoted(Seat {
                account: AccountId(3),
                ..
            })
        ));
        let levels = Job::parse(&row("levels", r#"{"community":4}"#)).unwrap();
        assert_eq!(
            levels,
            Job::Levels(CommunityDay {
                community: CommunityId(4),
                day: 0
            })
        );
    }

    #[test]
    fn unknown_kinds_and_bad_payloads_are_errors_of_the_job() {
        assert!(Job::parse(&row("teleport", "{}")).is_err());
        assert!(Job::parse(&row("checkin", r#"{"community":"x"}"#)).is_err());
        assert!(Job::parse(&row("checkin", "not json")).is_err());
    }

    #[test]
    fn keys_are_those_of_jobs_already_queued() {
        let digest = Job::Digest(DigestBatch {
            cadence: DigestCadence::Weekly,
            key: "weekly-2026-11-23".into(),
            since: 0,
            until: 1,
            after: AccountId(40),
            retry: 0,
        });
        assert_eq!(digest.key(), "digest:weekly-2026-11-23:40");
        let retried = Job::NoteEmail(NoteEmail {
            notification: 5,
            account: AccountId(1),
            retry: 99,
        });
        assert_eq!(retried.key(), "note:5:retry-99");
    }
}
