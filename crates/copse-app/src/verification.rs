//! Verifying an e-mail address: a sign-up queues a job (in its own transaction) that mails a
//! single-use link, good for two days ([`email_links`]); following it proves the address, and
//! only then does copse send anything else to it or let it take an invitation.

use copse_core::clock::{DAY, Millis};
use copse_core::domain::{Account, AccountId};
use copse_core::policy::Actor;
use copse_core::{Error, Result};
use copse_store::{ThrottleRule, TokenPurpose, Write};

use crate::app::App;
use crate::email_links::{self, LinkKind};
use crate::jobs::{EmailLink, Job};
use crate::mail::Postman;
use crate::secrets;

/// How long a verification link works.
pub const LINK_LIFETIME_MS: Millis = 2 * DAY;
/// New links one account may ask for: five an hour.
const RESEND: ThrottleRule = ThrottleRule {
    max_failures: 5,
    window_ms: 3600 * 1000,
};

/// The link a sign-up is mailed.
const LINK: LinkKind = LinkKind {
    name: "verification",
    purpose: TokenPurpose::VerifyEmail,
    prefix: "cpv",
    lifetime_ms: LINK_LIFETIME_MS,
    path: "/verify-email",
    subject: "Confirm your e-mail address",
    action: "Confirm my address",
    lead: |person| {
        format!(
            "Please confirm that {} is your address, so that copse may send you invitations, \
             notifications and digests there.",
            person.email
        )
    },
    ignore: "If you did not sign up at copse, ignore this e-mail: nothing will be sent to this \
             address.",
};

/// Queues the link to `email`, in the transaction that makes it needed (a sign-up).
pub async fn queue_link(w: &mut Write, account: AccountId, email: &str) -> Result<()> {
    let job = Job::VerifyEmail(EmailLink {
        account,
        email: email.to_string(),
        asked_at: w.now(),
    });
    job.add(w, w.now()).await?;
    Ok(())
}

/// Sends a new link to a signed-in account whose address is not verified yet (five an hour).
pub async fn resend(app: &App, actor: &Actor) -> Result<()> {
    let id = actor.account_id().ok_or(Error::Unauthenticated)?;
    let account = app.store.account(id).await?.ok_or(Error::Unauthenticated)?;
    if account.email_verified {
        return Err(Error::conflict("Your address is verified already."));
    }
    let key = format!("verify:account:{id}");
    if app.store.throttled_for(&key, RESEND).await?.is_some() {
        return Err(Error::TooManyRequests(
            "We sent you several links in the last hour; look for them in your inbox (and its \
             spam folder), or try again later."
                .into(),
        ));
    }
    app.store.record_hit(&key, RESEND).await?;
    let mut w = app.store.write().await?;
    let queued = queue_link(&mut w, id, &account.email).await;
    w.finish(queued).await
}

/// Follows a link: the address it was sent to becomes the account's verified address. A
/// link that is unknown, used or expired says so and changes nothing.
pub async fn confirm(app: &App, secret: &str) -> Result<Account> {
    if secret.len() > 200 {
        return Err(Error::invalid("token", "this link is not one of ours"));
    }
    let hash = secrets::hash_secret(secret.trim());
    let mut w = app.store.write().await?;
    let confirmed = async {
        let taken = w.take_email_token(TokenPurpose::VerifyEmail, &hash).await?;
        w.set_verified_email(taken.account, &taken.email).await?;
        Ok(taken.account)
    }
    .await;
    let account = w.finish(confirmed).await?;
    app.store.account(account).await?.ok_or(Error::NotFound)
}

/// The worker's side of a link: makes the secret, keeps its hash and mails the link — unless
/// the address was verified or changed since it was asked for.
pub async fn send_link(app: &App, postman: &Postman, job: &EmailLink) -> Result<()> {
    let Some(person) = app.store.account(job.account).await? else {
        return Ok(());
    };
    if person.is_suspended() || person.email_verified || person.email != job.email {
        return Ok(());
    }
    email_links::send(app, postman, &person, &LINK).await
}
