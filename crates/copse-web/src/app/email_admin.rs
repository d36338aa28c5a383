//! What e-mail went out, for site admins: each run (a digest period, or the notifications
//! e-mailed at once) with how many were sent and failed, the failures with their reasons, and
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
    if run == "notifications" {
        let mut queued = 0;
        for f in state.store.failed_deliveries(1000).await? {
            let Some(id) = f
                .key
                .strip_prefix("note:")
                .and_then(|n| n.parse::<i64>().ok())
            else {
                continue;
            };
            state
                .store
                .enqueue(&NewJob {
                    kind: "note_email",
                    key: &format!("note:{id}:retry-{now}"),
                    payload: &format!("{{\"notification\":{id},\"account\":{}}}", f.account_id),
                    run_at: now,
                    max_attempts: 5,
                })
                .await?;
            queued += 1;
        }
        return Ok(queued);
    }
    let period = period_of_key(run)
        .ok_or_else(|| Error::invalid("run", "must be `notifications` or a digest period"))?;
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
