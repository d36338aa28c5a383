//! What e-mail went out, for site admins: each run (a digest period, a newsletter issue, or
//! the notifications e-mailed at once) with how many were sent and failed, the failures with their reasons, and
//! sending a run's failures again.

use copse_core::domain::email::period_of_key;
use copse_core::policy::Actor;
use copse_core::{Error, Result};
use copse_store::{DeliveryRun, FailedDelivery, NewJob};

use super::calendar::require_admin;
use crate::digest_mail::DigestJob;
use crate::state::AppState;

pub async fn overview(
    state: &AppState,
    actor: &Actor,
) -> Result<(Vec<DeliveryRun>, Vec<FailedDelivery>)> {
    require_admin(actor)?;
    Ok((
        state.store.delivery_runs(50).await?,
        state.store.failed_deliveries(100).await?,
    ))
}

/// Queues a run's failed messages again: a digest period is run again (whoever has theirs is
/// skipped); failed notification e-mails are queued one by one. Returns how many jobs.
pub async fn retry(state: &AppState, actor: &Actor, run: &str) -> Result<usize> {
    require_admin(actor)?;
    let now = state.store.now();
    if run == "notifications" || run == "messages" {
        let mut queued = 0;
        for f in state.store.failed_deliveries(1000).await? {
            if f.run != run {
                continue;
            }
            let mut parts = f.key.split(':').skip(1).map(|p| p.parse::<i64>().ok());
            match (run, parts.next().flatten()) {
                ("notifications", Some(id)) => {
                    crate::note_mail::queue_notification(state, id, f.account_id, true).await?
                }
                ("messages", Some(message)) => {
                    let Some(conversation) = state.store.conversation_of_message(message).await?
                    else {
                        continue; // the conversation is gone
                    };
                    crate::note_mail::queue_message_to(
                        state,
                        conversation,
                        message,
                        f.account_id,
                        true,
                    )
                    .await?
                }
                _ => continue,
            }
            queued += 1;
        }
        return Ok(queued);
    }
    if let Some(issue) = run
        .strip_prefix("newsletter-")
        .and_then(|id| id.parse::<i64>().ok())
    {
        // The whole issue again: whoever has theirs is skipped.
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
        crate::newsletter_mail::queue(
            state,
            &crate::newsletter_mail::NewsletterJob {
                issue,
                after: 0,
                retry: now,
            },
        )
        .await?;
        return Ok(1);
    }
    let period = period_of_key(run).ok_or_else(|| {
        Error::invalid(
            "run",
            "must be `notifications`, `messages`, `newsletter-<issue>` or a digest period",
        )
    })?;
    let job = DigestJob {
        retry: now,
        ..DigestJob::new(&period, 0)
    };
    let payload = serde_json::to_string(&job).map_err(|e| Error::internal(e.to_string()))?;
    state
        .store
        .enqueue(&NewJob {
            kind: "digest",
            key: &job.job_key(),
            payload: &payload,
            run_at: now,
            max_attempts: 5,
        })
        .await?;
    Ok(1)
}
