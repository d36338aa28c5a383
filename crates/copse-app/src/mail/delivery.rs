//! Sending each message once: a message is claimed under its key before it is sent and marked
//! after (`email_deliveries`), so two workers, a retried job or a resumed batch never send it
//! twice — and a message whose node died while sending it is sent again once its claim is stale.
//! Between the SMTP server's acceptance and the mark, a crash sends it twice: delivery is
//! at-least-once in that window.

use copse_core::domain::AccountId;
use copse_core::{Error, Result};

use super::transport::{Mailer, OutgoingMail};
use crate::app::App;

/// A delivery left `sending` this long belongs to a node that died: it is sent again.
pub const STALE_MS: i64 = 10 * 60 * 1000;
/// How many people one batch job writes to.
pub const BATCH: i64 = 200;

/// Where the worker's e-mail goes and from whom.
#[derive(Clone)]
pub struct Postman {
    pub mailer: Mailer,
    /// The sender, e.g. `copse <copse@example.org>`.
    pub from: String,
    /// For the crash-and-resume tests only: a batch stops after this many messages, as if the
    /// node crashed there. `None` in every real deployment.
    pub stop_after: Option<usize>,
}

/// One message as it is counted: its key, the run it belongs to (a digest period,
/// `notifications`, `newsletter-<issue>` …), its person, kind and how many items it carries.
pub struct Delivery {
    pub key: String,
    pub run: String,
    pub account: AccountId,
    pub kind: &'static str,
    pub items: i64,
}

/// What became of one message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivered {
    Sent,
    /// The mail server refused it; the reason is recorded for admins.
    Failed(String),
    /// Someone else has it (sent, or being sent).
    Skipped,
}

/// What one batch came to.
#[derive(Debug, Default)]
pub struct BatchOutcome {
    /// The last account of the batch, when there may be more after it.
    pub next_after: Option<AccountId>,
    pub sent: usize,
    pub failed: usize,
    pub skipped: usize,
    /// The run stopped as a crash would (`stop_after`): its job must stay claimed.
    pub crashed: bool,
}

impl Postman {
    /// Claims, sends and records one message.
    pub async fn deliver(
        &self,
        app: &App,
        delivery: &Delivery,
        mail: &OutgoingMail,
    ) -> Result<Delivered> {
        let store = &app.store;
        let claimed = store
            .claim_delivery(
                &delivery.key,
                &delivery.run,
                delivery.account,
                delivery.kind,
                delivery.items,
                STALE_MS,
            )
            .await?;
        if !claimed {
            return Ok(Delivered::Skipped);
        }
        match self.mailer.send(&self.from, mail).await {
            Ok(()) => {
                store.finish_delivery(&delivery.key, None).await?;
                Ok(Delivered::Sent)
            }
            Err(e) => {
                let reason = e.to_string();
                store.finish_delivery(&delivery.key, Some(&reason)).await?;
                Ok(Delivered::Failed(reason))
            }
        }
    }

    /// Like [`Postman::deliver`] for a job of one message: a refused message fails the job, so
    /// the queue tries it again later.
    pub async fn deliver_one(
        &self,
        app: &App,
        delivery: &Delivery,
        mail: &OutgoingMail,
    ) -> Result<()> {
        match self.deliver(app, delivery, mail).await? {
            Delivered::Failed(reason) => Err(Error::internal(format!("sending mail: {reason}"))),
            Delivered::Sent | Delivered::Skipped => Ok(()),
        }
    }

    /// Delivers a batch's messages in order. A refused message is counted and the batch goes
    /// on (one bad address never stops the others).
    pub async fn deliver_batch(
        &self,
        app: &App,
        messages: Vec<(Delivery, OutgoingMail)>,
        next_after: Option<AccountId>,
    ) -> Result<BatchOutcome> {
        let mut outcome = BatchOutcome {
            next_after,
            ..BatchOutcome::default()
        };
        for (delivery, mail) in messages {
            match self.deliver(app, &delivery, &mail).await? {
                Delivered::Sent => outcome.sent += 1,
                Delivered::Skipped => outcome.skipped += 1,
                Delivered::Failed(reason) => {
                    tracing::warn!(to = %delivery.account, kind = delivery.kind, error = %reason, "message not delivered");
                    outcome.failed += 1;
                }
            }
            if self.stop_after.is_some_and(|n| outcome.sent >= n) {
                outcome.crashed = true;
                break;
            }
        }
        Ok(outcome)
    }
}
