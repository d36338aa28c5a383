//! What e-mail went out, for site admins: each run (a digest period, a newsletter issue, or
//! the notifications e-mailed at once) with how many were sent and failed, the failures with their reasons, and
//! sending a run's failures again.

use copse_core::domain::AccountId;
use copse_core::domain::email::period_of_key;
use copse_core::policy::Actor;
use copse_core::{Error, Result};
use copse_store::{DeliveryRun, FailedDelivery};

use crate::app::App;
use crate::calendar::require_admin;
use crate::jobs::{DigestBatch, Job, MessageEmail, NewsletterBatch, NoteEmail};

pub async fn overview(
    state: &App,
    actor: &Actor,
) -> Result<(Vec<DeliveryRun>, Vec<FailedDelivery>)> {
    require_admin(actor)?;
    Ok((
        state.store.delivery_runs(50).await?,
        state.store.failed_deliveries(100).await?,
    ))
}

/// Queues a run's failed messages again: a digest period or a newsletter issue is run again
/// (whoever has theirs is skipped); failed notification and message e-mails are queued one by
/// one, all in one transaction. Returns how many jobs.
pub async fn retry(state: &App, actor: &Actor, run: &str) -> Result<usize> {
    require_admin(actor)?;
    let jobs = retry_jobs(state, run, state.now()).await?;
    let mut w = state.store.write().await?;
    let added = async {
        let now = w.now();
        for job in &jobs {
            job.add(&mut w, now).await?;
        }
        Ok(jobs.len())
    }
    .await;
    w.finish(added).await
}

/// The jobs that send a run's failures again, each under a key of its own (`retry`).
async fn retry_jobs(state: &App, run: &str, retry: i64) -> Result<Vec<Job>> {
    if run == "notifications" || run == "messages" {
        let mut jobs = Vec::new();
        for f in state.store.failed_deliveries(1000).await? {
            if f.run != run {
                continue;
            }
            let mut parts = f.key.split(':').skip(1).map(|p| p.parse::<i64>().ok());
            let account = f.account_id;
            match (run, parts.next().flatten()) {
                ("notifications", Some(notification)) => jobs.push(Job::NoteEmail(NoteEmail {
                    notification,
                    account,
                    retry,
                })),
                ("messages", Some(message)) => {
                    // A message whose conversation is gone is not sent again.
                    if let Some(conversation) = state.store.conversation_of_message(message).await?
                    {
                        jobs.push(Job::MessageEmail(MessageEmail {
                            conversation,
                            message,
                            account,
                            retry,
                        }));
                    }
                }
                _ => {}
            }
        }
        return Ok(jobs);
    }
    if let Some(issue) = run
        .strip_prefix("newsletter-")
        .and_then(|id| id.parse::<i64>().ok())
    {
        let published = state
            .store
            .newsletter_by_id(issue)
            .await?
            .is_some_and(|n| n.status.published());
        if !published {
            return Err(Error::invalid(
                "run",
                "no newsletter issue went out as this run",
            ));
        }
        let batch = NewsletterBatch {
            issue,
            after: AccountId(0),
            retry,
        };
        return Ok(vec![Job::Newsletter(batch)]);
    }
    let period = period_of_key(run).ok_or_else(|| {
        Error::invalid(
            "run",
            "must be `notifications`, `messages`, `newsletter-<issue>` or a digest period",
        )
    })?;
    let batch = DigestBatch {
        retry,
        ..DigestBatch::new(&period, AccountId(0))
    };
    Ok(vec![Job::Digest(batch)])
}
