//! Forgetting a password: someone gives an address and, if an account has it, a single-use link
//! good for an hour is mailed there ([`email_links`]). The answer is the same whether or not the
//! address is known, and asking is throttled per address and per client, so the form tells a
//! stranger nothing and cannot be used to flood a mailbox. Choosing the new password ends every
//! session and revokes every API token of the account; it also proves the address, which then
//! counts as verified.

use std::net::IpAddr;

use copse_core::clock::MINUTE;
use copse_core::domain::{Account, Email, Password};
use copse_core::{Error, Result};
use copse_store::{ThrottleRule, TokenPurpose};

use crate::app::App;
use crate::email_links::{self, LinkKind};
use crate::jobs::{EmailLink, Job};
use crate::mail::Postman;
use crate::{passwords, secrets};

/// How long a reset link works.
pub const LINK_LIFETIME_MS: i64 = 60 * MINUTE;
/// Links asked for one address: three an hour; from one client: twenty an hour.
const PER_ADDRESS: ThrottleRule = ThrottleRule {
    max_failures: 3,
    window_ms: 3600 * 1000,
};
const PER_CLIENT: ThrottleRule = ThrottleRule {
    max_failures: 20,
    window_ms: 3600 * 1000,
};

const LINK: LinkKind = LinkKind {
    name: "password-reset",
    purpose: TokenPurpose::ResetPassword,
    prefix: "cpr",
    lifetime_ms: LINK_LIFETIME_MS,
    path: "/reset-password",
    subject: "Choose a new password",
    action: "Choose a new password",
    lead: |person, _| {
        format!(
            "Someone — we hope you — asked to choose a new password for your copse account \
             @{}. Choosing one signs you out everywhere.",
            person.handle
        )
    },
    ignore: "If you did not ask, ignore this e-mail: your password stays as it is.",
};

/// Asks for a reset link to `email`. `Ok` means "if an account has this address, a link is on
/// its way" — for known and unknown addresses alike.
pub async fn request(app: &App, email: &str, client: Option<IpAddr>) -> Result<()> {
    let email = Email::parse(email)?;
    let keys = [
        Some((format!("reset:email:{}", email.as_str()), PER_ADDRESS)),
        client.map(|ip| (format!("reset:ip:{ip}"), PER_CLIENT)),
    ];
    for (key, rule) in keys.iter().flatten() {
        if let Some(wait) = app.store.throttled_for(key, *rule).await? {
            return Err(Error::too_many(
                "Several links were asked for lately; look in your inbox (and its spam folder), \
                 or try again in an hour.",
                Some(wait),
            ));
        }
    }
    for (key, rule) in keys.iter().flatten() {
        app.store.record_hit(key, *rule).await?;
    }
    let Some(account) = app.store.account_by_email(email.as_str()).await? else {
        return Ok(());
    };
    if account.is_suspended() {
        return Ok(());
    }
    let mut w = app.store.write().await?;
    let job = Job::PasswordReset(EmailLink {
        account: account.id,
        email: account.email.clone(),
        asked_at: w.now(),
    });
    let now = w.now();
    let queued = job.add(&mut w, now).await;
    w.finish(queued).await.map(|_| ())
}

/// The worker's side: mails the link, unless the account's address changed since.
pub async fn send_link(app: &App, postman: &Postman, job: &EmailLink) -> Result<()> {
    let Some(person) = app.store.account(job.account).await? else {
        return Ok(());
    };
    if person.is_suspended() || person.email != job.email {
        return Ok(());
    }
    email_links::send(app, postman, &person, &LINK).await
}

/// Sets the new password of the account behind `secret`. A weak password, or a link that is
/// unknown, used or expired, is refused with what is wrong and changes nothing.
pub async fn reset(app: &App, secret: &str, new_password: &str) -> Result<Account> {
    let password = Password::parse(new_password).map_err(|e| match e {
        Error::Invalid { message, .. } => Error::invalid("new_password", message),
        other => other,
    })?;
    if secret.len() > 200 {
        return Err(Error::invalid("token", "this link is not one of ours"));
    }
    let hash = passwords::hash(password.expose().to_string()).await?;
    let token = secrets::hash_secret(secret.trim());
    let mut w = app.store.write().await?;
    let done = async {
        let taken = w
            .take_email_token(TokenPurpose::ResetPassword, &token)
            .await?;
        w.reset_password(taken.account, &hash).await?;
        w.set_verified_email(taken.account, &taken.email).await?;
        Ok(taken.account)
    }
    .await;
    let account = w.finish(done).await?;
    app.store.account(account).await?.ok_or(Error::NotFound)
}
