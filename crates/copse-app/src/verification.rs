//! Verifying an e-mail address: a sign-up queues a job (in its own transaction) that mails a
//! single-use link, good for two days ([`email_links`]); following it proves the address, and
//! only then does copse send anything else to it or let it take an invitation.

use copse_core::clock::{DAY, Millis};
use copse_core::domain::{Account, AccountId};
use copse_core::policy::Actor;
use copse_core::{Error, Result};
use copse_store::{ThrottleRule, TokenPurpose, Write};

use crate::app::App;
use crate::email_links::{self, LinkKind, LinkMail};
use crate::jobs::{EmailLink, Job};
use crate::mail::{Delivery, Postman};
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
    lead: |_, address| {
        format!(
            "Please confirm that {address} is your address, so that copse may send you \
             invitations, notifications and digests there."
        )
    },
    ignore: "If you did not sign up at copse, ignore this e-mail: nothing will be sent to this \
             address.",
};

/// The link a new address is mailed: the same page confirms it, and only then does it
/// replace the old one.
const CHANGE: LinkKind = LinkKind {
    name: "new address",
    purpose: TokenPurpose::VerifyEmail,
    prefix: "cpv",
    lifetime_ms: LINK_LIFETIME_MS,
    path: "/verify-email",
    subject: "Confirm your new e-mail address",
    action: "Confirm my new address",
    lead: |person, address| {
        format!(
            "Please confirm that {address} is the new address of your copse account @{}. \
             Until you do, copse keeps writing to {}.",
            person.handle, person.email
        )
    },
    ignore: "If you did not ask for this, ignore this e-mail: the account keeps its address.",
};

/// Asks to change the account's address: the new one gets a link and counts once it is
/// followed; the old one is told at once (with the way to a new password, should it not be
/// its owner asking). Five asks an hour, as for new links.
pub async fn request_change(app: &App, account: &Account, new: &str, password: &str) -> Result<()> {
    let stored = app.store.password_hash(account.id).await?;
    if !crate::passwords::verify(password.to_string(), stored).await? {
        return Err(Error::invalid("password", "is not your password"));
    }
    let new = copse_core::domain::Email::parse(new)?;
    if new.as_str() == account.email {
        return Err(Error::conflict_on("email", "this is your address already"));
    }
    if app.store.account_by_email(new.as_str()).await?.is_some() {
        return Err(Error::conflict_on(
            "email",
            "an account with this e-mail already exists",
        ));
    }
    count_link(app, account.id).await?;
    let job = Job::ChangeEmail(EmailLink {
        account: account.id,
        email: new.as_str().to_string(),
        asked_at: app.now(),
    });
    job.queue(app, app.now()).await.map(|_| ())
}

/// The worker's side of a change: the link to the new address, and the word to the old one —
/// unless the address changed since.
pub async fn send_change(app: &App, postman: &Postman, job: &EmailLink) -> Result<()> {
    let Some(person) = app.store.account(job.account).await? else {
        return Ok(());
    };
    if person.is_suspended() || person.deleted || person.email == job.email {
        return Ok(());
    }
    email_links::send_to(app, postman, &person, &job.email, &CHANGE).await?;
    if !person.email_verified {
        return Ok(()); // nothing but its own link goes to an unverified address
    }
    let lead = format!(
        "Someone — we hope you — asked to change the address of your copse account @{} to {}. \
         It changes once that address is confirmed.",
        person.handle, job.email
    );
    let mail = email_links::compose(&LinkMail {
        to_name: &person.profile.display_name,
        to_address: &person.email,
        subject: "Your copse address is changing",
        lead: &lead,
        action: "Not you? Choose a new password",
        url: &app.absolute("/forgot-password"),
        validity: "Choosing a new password signs everyone out of your account.",
        ignore: "If it was you, there is nothing to do.",
    })?;
    let delivery = Delivery {
        key: format!("email-change:{}:{}", person.id, job.asked_at),
        run: "address changes".into(),
        account: person.id,
        kind: "address change",
        items: 1,
    };
    postman.deliver_one(app, &delivery, &mail).await
}

/// Counts one more link asked for by the account (a new one, or one to a new address), and
/// refuses the sixth in an hour.
async fn count_link(app: &App, id: AccountId) -> Result<()> {
    let key = format!("verify:account:{id}");
    if let Some(wait) = app.store.throttled_for(&key, RESEND).await? {
        return Err(Error::too_many(
            "We sent you several links in the last hour; look for them in your inbox (and its \
             spam folder), or try again later.",
            Some(wait),
        ));
    }
    app.store.record_hit(&key, RESEND).await
}

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
    count_link(app, id).await?;
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
