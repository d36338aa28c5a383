//! Mailing a single-use link: the worker makes the secret, keeps only its hash with an expiry,
//! and mails the link — so the secret exists in the e-mail alone, never in a job's payload. The
//! verification link and the password-reset link are the two kinds.

use askama::Template;
use chrono::TimeZone;
use copse_core::clock::Millis;
use copse_core::domain::Account;
use copse_core::{OrInternal, Result};
use copse_store::TokenPurpose;

use crate::app::App;
use crate::mail::{Delivery, OutgoingMail, Postman};
use crate::secrets;

/// What a kind of link says and where it leads.
pub struct LinkKind {
    /// The delivery's kind, as admins see it in the e-mail runs.
    pub name: &'static str,
    pub purpose: TokenPurpose,
    /// The secret's prefix (`cpv`, `cpr`), which tells what it is when found in a log.
    pub prefix: &'static str,
    pub lifetime_ms: Millis,
    /// The page the link opens; the secret follows as `?token=`.
    pub path: &'static str,
    pub subject: &'static str,
    pub action: &'static str,
    /// Why the mail came, and what to do if the reader did not ask for it.
    pub lead: fn(&Account) -> String,
    pub ignore: &'static str,
}

#[derive(Template)]
#[template(path = "mail/link.txt")]
struct LinkText<'a> {
    name: &'a str,
    lead: &'a str,
    action: &'a str,
    url: &'a str,
    until: &'a str,
    ignore: &'a str,
}

#[derive(Template)]
#[template(path = "mail/link.html")]
struct LinkHtml<'a> {
    subject: &'a str,
    name: &'a str,
    lead: &'a str,
    action: &'a str,
    url: &'a str,
    until: &'a str,
    ignore: &'a str,
}

/// Makes a secret of `kind` for `person`'s address, keeps its hash and mails the link.
pub async fn send(app: &App, postman: &Postman, person: &Account, kind: &LinkKind) -> Result<()> {
    let secret = secrets::new_secret(kind.prefix);
    let expires_at = app.now() + kind.lifetime_ms;
    let mut w = app.store.write().await?;
    let added = w
        .add_email_token(
            person.id,
            kind.purpose,
            &person.email,
            &secrets::hash_secret(&secret),
            expires_at,
        )
        .await;
    let token = w.finish(added).await?;
    let mail = compose(app, person, kind, &secret, expires_at)?;
    let delivery = Delivery {
        key: format!("email-token:{token}"),
        run: "account".into(),
        account: person.id,
        kind: kind.name,
        items: 1,
    };
    postman.deliver_one(app, &delivery, &mail).await
}

fn compose(
    app: &App,
    person: &Account,
    kind: &LinkKind,
    secret: &str,
    until: Millis,
) -> Result<OutgoingMail> {
    let url = app.absolute(&format!("{}?token={secret}", kind.path));
    let until = chrono::Utc
        .timestamp_millis_opt(until)
        .single()
        .map(|t| t.format("%-d %B %Y, %H:%M UTC").to_string())
        .unwrap_or_default();
    let name = &person.profile.display_name;
    let lead = (kind.lead)(person);
    let text = LinkText {
        name,
        lead: &lead,
        action: kind.action,
        url: &url,
        until: &until,
        ignore: kind.ignore,
    }
    .render()
    .or_internal()?;
    let html = LinkHtml {
        subject: kind.subject,
        name,
        lead: &lead,
        action: kind.action,
        url: &url,
        until: &until,
        ignore: kind.ignore,
    }
    .render()
    .or_internal()?;
    Ok(OutgoingMail {
        to_name: name.clone(),
        to_address: person.email.clone(),
        subject: kind.subject.into(),
        text,
        html,
        unsubscribe: None,
        calendar: None,
    })
}
