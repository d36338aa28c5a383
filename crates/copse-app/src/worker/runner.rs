//! Running due jobs: claim a few under this node's lease, run each through the one `match` of
//! [`perform`], and record how it went — done, later, or failed with a backoff. A job that
//! cannot even be read (an unknown kind, a bad payload) fails like any other and is kept for
//! admins; it never stops the round.

use copse_core::Result;
use copse_core::clock::Millis;
use copse_store::JobRow;

use crate::app::App;
use crate::jobs::{Job, Outcome};
use crate::mail::Postman;
use crate::{checkins, digests, newsletters, note_mail, participation, reminders};

/// How many jobs one round claims.
const CLAIM: i64 = 20;

/// Who runs the jobs, and on what terms.
pub struct Runner<'a> {
    pub app: &'a App,
    pub postman: &'a Postman,
    /// This node's name in job leases.
    pub node: &'a str,
    pub lease_ms: Millis,
    /// The first retry waits this long; each further one twice as long.
    pub backoff_ms: Millis,
}

impl Runner<'_> {
    /// Claims the jobs that are due and runs them. Returns how many ran.
    pub async fn run_due(&self) -> Result<usize> {
        let jobs = self
            .app
            .store
            .claim_jobs(self.node, CLAIM, self.lease_ms)
            .await?;
        let count = jobs.len();
        for row in jobs {
            // Recording one job's end can fail (its lease ran out and another node took it):
            // that job is the other node's now, and the rest still run.
            if let Err(e) = self.run_one(&row).await {
                tracing::warn!(job = row.id, error = %e.report(), "recording a job's end failed");
            }
        }
        Ok(count)
    }

    async fn run_one(&self, row: &JobRow) -> Result<()> {
        let store = &self.app.store;
        let outcome = match Job::parse(row) {
            Ok(job) => perform(self.app, self.postman, job).await,
            Err(e) => Err(e),
        };
        match outcome {
            Ok(Outcome::Done) => store.complete_job(row.id, self.node).await,
            Ok(Outcome::Later(at)) => store.postpone_job(row.id, self.node, at).await,
            Ok(Outcome::Abandoned) => Ok(()),
            Err(e) => {
                let backoff = self
                    .backoff_ms
                    .saturating_mul(1 << row.attempts.clamp(0, 10));
                tracing::warn!(job = row.id, kind = %row.kind, attempt = row.attempts, error = %e.report(), "job failed");
                store
                    .fail_job(row.id, self.node, &e.to_string(), backoff)
                    .await
            }
        }
    }
}

/// Runs one job: the only place that calls the areas back for background work.
async fn perform(app: &App, postman: &Postman, job: Job) -> Result<Outcome> {
    match job {
        Job::Reminder(seat) => reminders::remind(app, postman, &seat).await,
        Job::WaitlistPromoted(seat) => reminders::tell_promoted(app, postman, &seat).await,
        Job::Levels(day) => {
            participation::recompute(app, day.community).await?;
            Ok(Outcome::Done)
        }
        Job::Checkin(due) => {
            checkins::open_scheduled(app, due.community, due.at).await?;
            Ok(Outcome::Done)
        }
        Job::NewsletterDraft(due) => {
            newsletters::draft_scheduled(app, due.community, due.at).await?;
            Ok(Outcome::Done)
        }
        Job::Newsletter(batch) => {
            let outcome = newsletters::delivery::run_batch(app, postman, &batch).await?;
            tracing::info!(
                issue = batch.issue,
                sent = outcome.sent,
                failed = outcome.failed,
                "newsletter batch done"
            );
            Ok(if outcome.crashed {
                Outcome::Abandoned
            } else {
                Outcome::Done
            })
        }
        Job::Digest(batch) => {
            let outcome = digests::mail::run_batch(app, postman, &batch).await?;
            tracing::info!(period = %batch.key, sent = outcome.sent, failed = outcome.failed, "digest batch done");
            Ok(if outcome.crashed {
                Outcome::Abandoned
            } else {
                Outcome::Done
            })
        }
        Job::NoteEmail(note) => {
            note_mail::send(app, postman, &note).await?;
            Ok(Outcome::Done)
        }
        Job::MessageEmail(message) => {
            note_mail::send_message(app, postman, &message).await?;
            Ok(Outcome::Done)
        }
        Job::VerifyEmail(link) => {
            crate::verification::send_link(app, postman, &link).await?;
            Ok(Outcome::Done)
        }
        Job::ChangeEmail(link) => {
            crate::verification::send_change(app, postman, &link).await?;
            Ok(Outcome::Done)
        }
        Job::PasswordReset(link) => {
            crate::password_reset::send_link(app, postman, &link).await?;
            Ok(Outcome::Done)
        }
        Job::InvitationEmail(mail) => {
            crate::invitation_mail::send(app, postman, &mail).await?;
            Ok(Outcome::Done)
        }
        Job::Welcome(welcome) => {
            crate::welcome::send(app, postman, &welcome).await?;
            Ok(Outcome::Done)
        }
        Job::DataExport(export) => {
            crate::personal_export::prepare(app, postman, &export).await?;
            Ok(Outcome::Done)
        }
        Job::CommunityExport(export) => {
            crate::community_export::prepare(app, postman, &export).await?;
            Ok(Outcome::Done)
        }
    }
}
