//! Sending personal digests: one job per period and batch of people. Each message has a
//! delivery key (`digest:<period>:<account>`) claimed in the database before it is sent and
//! marked sent or failed after, so a repeated or resumed batch — another node, a retry, a
//! restart after a crash — skips whoever already has theirs. A message the SMTP server refuses
//! (a bounce) is recorded as failed with the reason; the batch goes on.

use askama::Template;
use copse_core::OrInternal;
use copse_core::domain::AccountId;
use copse_core::domain::email::{DigestCadence, DigestPeriod};
use copse_core::{Error, Result};

use super::{Digest, build};
use crate::app::App;
use crate::jobs::{DigestBatch, Job};
use crate::mail::delivery::BATCH;
use crate::mail::{BatchOutcome, Delivery, OutgoingMail, Postman};

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
pub fn render(state: &App, period: &DigestPeriod, d: &Digest, token: &str) -> Result<OutgoingMail> {
    let unsubscribe = state.absolute(&format!("/unsubscribe/{token}?list=digest"));
    let settings = state.absolute("/settings/email");
    let (period_text, cadence) = match period.cadence {
        DigestCadence::Daily => ("in the last day", "daily"),
        _ => ("in the last week", "weekly"),
    };
    let render = |r: askama::Result<String>| r.or_internal();
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

/// Builds and sends one batch, then adds the next batch's job (if there may be more people).
/// Whoever has their digest already is skipped; an empty digest is not sent.
pub async fn run_batch(app: &App, postman: &Postman, batch: &DigestBatch) -> Result<BatchOutcome> {
    let period = batch.period();
    let recipients = app
        .store
        .digest_recipients(batch.cadence, batch.after, BATCH)
        .await?;
    let next_after = (recipients.len() as i64 == BATCH)
        .then(|| recipients.last().map(|r| r.id))
        .flatten();
    let ids: Vec<AccountId> = recipients.iter().map(|r| r.id).collect();
    let tokens = app.store.unsubscribe_tokens(&ids).await?;
    let mut messages = Vec::new();
    let mut empty = 0;
    for d in build(app, &period, recipients).await? {
        let items = d.items();
        if items == 0 {
            empty += 1;
            continue;
        }
        let token = tokens
            .get(&d.recipient.id)
            .ok_or_else(|| Error::internal("no unsubscribe token"))?;
        let delivery = Delivery {
            key: format!("digest:{}:{}", period.key, d.recipient.id),
            run: period.key.clone(),
            account: d.recipient.id,
            kind: "digest",
            items: items as i64,
        };
        messages.push((delivery, render(app, &period, &d, token)?));
    }
    let mut outcome = postman.deliver_batch(app, messages, next_after).await?;
    outcome.skipped += empty;
    if let (false, Some(after)) = (outcome.crashed, outcome.next_after) {
        let next = DigestBatch {
            after,
            ..batch.clone()
        };
        Job::Digest(next).queue(app, app.now()).await?;
    }
    Ok(outcome)
}
