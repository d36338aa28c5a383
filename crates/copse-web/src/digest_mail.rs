//! Sending personal digests: one job per period and batch of people. Each message has a
//! delivery key (`digest:<period>:<account>`) claimed in the database before it is sent and
//! marked sent or failed after, so a repeated or resumed batch — another node, a retry, a
//! restart after a crash — skips whoever already has theirs. A message the SMTP server refuses
//! (a bounce) is recorded as failed with the reason; the batch goes on.

use askama::Template;
use copse_core::domain::email::{DigestCadence, DigestPeriod};
use copse_core::{Error, Result};
use serde::{Deserialize, Serialize};

use crate::app::digests::{self, Digest};
use crate::mail::{Mailer, OutgoingMail};
use crate::state::AppState;

/// People per batch (one job each).
pub const BATCH: i64 = 200;
/// A delivery left `sending` this long belongs to a node that died: it is sent again.
pub(crate) const STALE_MS: i64 = 10 * 60 * 1000;

/// The payload of a `digest` job: a period and where the batch starts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DigestJob {
    pub cadence: DigestCadence,
    pub key: String,
    pub since: i64,
    pub until: i64,
    /// The batch is the next people after this account id.
    pub after: i64,
    /// Non-zero for a run an admin asked for again (its job key differs from the first's).
    #[serde(default)]
    pub retry: i64,
}

impl DigestJob {
    pub fn new(period: &DigestPeriod, after: i64) -> DigestJob {
        DigestJob {
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

    /// The job key: one job per period and batch start, however many nodes add it.
    pub fn job_key(&self) -> String {
        if self.retry == 0 {
            format!("digest:{}:{}", self.key, self.after)
        } else {
            format!("digest:{}:{}:retry-{}", self.key, self.after, self.retry)
        }
    }
}

/// What a batch did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// The last account of the batch, when there may be more after it.
    pub next_after: Option<i64>,
    pub sent: usize,
    pub failed: usize,
    pub skipped: usize,
    /// The run stopped as a crash would (`stop_after`): its job must stay claimed.
    pub crashed: bool,
}

#[derive(Template)]
#[template(path = "mail/digest.txt")]
struct DigestText<'a> {
    d: &'a Digest,
    period: &'a str,
    cadence: &'a str,
    settings: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "mail/digest.html")]
struct DigestHtml<'a> {
    d: &'a Digest,
    period: &'a str,
    cadence: &'a str,
    settings: &'a str,
    unsubscribe: &'a str,
}

/// Renders a person's digest as a message, with their unsubscribe token.
pub fn render(
    state: &AppState,
    period: &DigestPeriod,
    d: &Digest,
    token: &str,
) -> Result<OutgoingMail> {
    let unsubscribe = state.absolute(&format!("/unsubscribe/{token}?list=digest"));
    let settings = state.absolute("/settings/email");
    let (period_text, cadence) = match period.cadence {
        DigestCadence::Daily => ("in the last day", "daily"),
        _ => ("in the last week", "weekly"),
    };
    let render = |r: askama::Result<String>| r.map_err(|e| Error::internal(e.to_string()));
    let text = render(
        DigestText {
            d,
            period: period_text,
            cadence,
            settings: &settings,
            unsubscribe: &unsubscribe,
        }
        .render(),
    )?;
    let html = render(
        DigestHtml {
            d,
            period: period_text,
            cadence,
            settings: &settings,
            unsubscribe: &unsubscribe,
        }
        .render(),
    )?;
    let names: Vec<&str> = d.communities.iter().map(|c| c.name.as_str()).collect();
    Ok(OutgoingMail {
        to_name: d.recipient.display_name.clone(),
        to_address: d.recipient.email.clone(),
        subject: format!("Your {cadence} digest: {}", names.join(", ")),
        text,
        html,
        unsubscribe: Some(unsubscribe),
        calendar: None,
    })
}

/// Builds and sends one batch. `stop_after` ends the run after that many messages, as a crash
/// would — nothing after them is recorded (for the crash-and-resume test).
pub async fn run_batch(
    state: &AppState,
    mailer: &Mailer,
    from: &str,
    job: &DigestJob,
    stop_after: Option<usize>,
) -> Result<BatchOutcome> {
    let period = job.period();
    let recipients = state
        .store
        .digest_recipients(job.cadence, job.after, BATCH)
        .await?;
    let mut outcome = BatchOutcome {
        next_after: (recipients.len() as i64 == BATCH)
            .then(|| recipients.last().map(|r| r.id))
            .flatten(),
        ..BatchOutcome::default()
    };
    let ids: Vec<i64> = recipients.iter().map(|r| r.id).collect();
    let tokens = state.store.unsubscribe_tokens(&ids).await?;
    for d in digests::build(state, &period, recipients).await? {
        let items = d.items();
        if items == 0 {
            outcome.skipped += 1;
            continue;
        }
        let key = format!("digest:{}:{}", period.key, d.recipient.id);
        if !state
            .store
            .claim_delivery(
                &key,
                &period.key,
                d.recipient.id,
                "digest",
                items as i64,
                STALE_MS,
            )
            .await?
        {
            outcome.skipped += 1;
            continue;
        }
        let token = tokens
            .get(&d.recipient.id)
            .ok_or_else(|| Error::internal("no unsubscribe token"))?;
        let mail = render(state, &period, &d, token)?;
        match mailer.send(from, &mail).await {
            Ok(()) => {
                state.store.finish_delivery(&key, None).await?;
                outcome.sent += 1;
            }
            Err(e) => {
                tracing::warn!(to = d.recipient.id, error = %e, "digest not delivered");
                state
                    .store
                    .finish_delivery(&key, Some(&e.to_string()))
                    .await?;
                outcome.failed += 1;
            }
        }
        if stop_after.is_some_and(|n| outcome.sent >= n) {
            outcome.crashed = true;
            return Ok(outcome);
        }
    }
    Ok(outcome)
}
