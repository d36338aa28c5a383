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
    /// Why the mail came (given the person and the address the link goes to).
    pub lead: fn(&Account, &str) -> String,
    pub ignore: &'static str,
}

/// One message that leads to one page: who it is for, what it says, the button.
pub struct LinkMail<'a> {
    pub to_name: &'a str,
    pub to_address: &'a str,
    pub subject: &'a str,
    pub lead: &'a str,
    pub action: &'a str,
    pub url: &'a str,
    /// How long the link or what it leads to lasts, as a sentence.
    pub validity: &'a str,
    pub ignore: &'a str,
}

#[derive(Template)]
#[template(path = "mail/link.txt")]
struct LinkText<'a> {
    name: &'a str,
    lead: &'a str,
    action: &'a str,
    url: &'a str,
    validity: &'a str,
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
    validity: &'a str,
    ignore: &'a str,
}

/// The text and HTML of a message with one link.
pub fn compose(m: &LinkMail<'_>) -> Result<OutgoingMail> {
    let text = LinkText {
        name: m.to_name,
        lead: m.lead,
        action: m.action,
        url: m.url,
        validity: m.validity,
        ignore: m.ignore,
    }
    .render()
    .or_internal()?;
    let html = LinkHtml {
        subject: m.subject,
        name: m.to_name,
        lead: m.lead,
        action: m.action,
        url: m.url,
        validity: m.validity,
        ignore: m.ignore,
    }
    .render()
    .or_internal()?;
    Ok(OutgoingMail {
        to_name: m.to_name.to_string(),
        to_address: m.to_address.to_string(),
        subject: m.subject.to_string(),
        text,
        html,
        unsubscribe: None,
        calendar: None,
    })
}

/// A time as people read it in an e-mail: "2 January 2030, 08:00 UTC".
pub fn readable_time(at: Millis) -> String {
    chrono::Utc
        .timestamp_millis_opt(at)
        .single()
        .map(|t| t.format("%-d %B %Y, %H:%M UTC").to_string())
        .unwrap_or_default()
}

/// Makes a secret of `kind` for `person`'s address, keeps its hash and mails the link.
pub async fn send(app: &App, postman: &Postman, person: &Account, kind: &LinkKind) -> Result<()> {
    send_to(app, postman, person, &person.email, kind).await
}

/// The same, to another address than the account's (a new address, before it counts): the
/// secret is kept with that address, which is the one following the link makes count.
pub async fn send_to(
    app: &App,
    postman: &Postman,
    person: &Account,
    address: &str,
    kind: &LinkKind,
) -> Result<()> {
    let secret = secrets::new_secret(kind.prefix);
    let expires_at = app.now() + kind.lifetime_ms;
    let mut w = app.store.write().await?;
    let added = w
        .add_email_token(
            person.id,
            kind.purpose,
            address,
            &secrets::hash_secret(&secret),
            expires_at,
        )
        .await;
    let token = w.finish(added).await?;
    let mail = message(app, person, address, kind, &secret, expires_at)?;
    let delivery = Delivery {
        key: format!("email-token:{token}"),
        run: "account".into(),
        account: person.id,
        kind: kind.name,
        items: 1,
    };
    postman.deliver_one(app, &delivery, &mail).await
}

fn message(
    app: &App,
    person: &Account,
    address: &str,
    kind: &LinkKind,
    secret: &str,
    until: Millis,
) -> Result<OutgoingMail> {
    let url = app.absolute(&format!("{}?token={secret}", kind.path));
    let validity = format!("The link works once, until {}.", readable_time(until));
    compose(&LinkMail {
        to_name: &person.profile.display_name,
        to_address: address,
        subject: kind.subject,
        lead: &(kind.lead)(person, address),
        action: kind.action,
        url: &url,
        validity: &validity,
        ignore: kind.ignore,
    })
}
