//! A person's e-mail settings: how often their digest comes, how each kind of notification
//! reaches them, and which community newsletters they get — read together, saved together in
//! one transaction, and turned off one list at a time from an e-mail's unsubscribe link.

use copse_core::domain::email::{DigestCadence, EmailMode, modes_from, modes_to};
use copse_core::domain::{AccountId, NotificationKind};
use copse_core::{Error, Result};

use crate::app::App;
use crate::newsletters::{Subscription, subscriptions};

/// At most this many newsletter choices in one save.
const MAX_NEWSLETTER_CHOICES: usize = 500;

/// Everything a person chose about e-mail.
pub struct EmailSettings {
    pub digest: DigestCadence,
    /// Every kind of notification with how it reaches the person.
    pub modes: Vec<(NotificationKind, EmailMode)>,
    /// The newsletters of the communities they are in or follow.
    pub newsletters: Vec<Subscription>,
}

/// What a save sets: kinds left out get their default, newsletters left out keep their choice.
pub struct EmailChoice {
    pub digest: DigestCadence,
    pub modes: Vec<(NotificationKind, EmailMode)>,
    /// (community slug, subscribed).
    pub newsletters: Vec<(String, bool)>,
}

pub async fn settings(app: &App, account: AccountId) -> Result<EmailSettings> {
    Ok(EmailSettings {
        digest: app.store.digest_cadence(account).await?,
        modes: modes_from(&app.store.email_kinds(account).await?),
        newsletters: subscriptions(app, account).await?,
    })
}

/// Saves the choice in one transaction. Every newsletter must be one of the person's
/// communities; a refused choice changes nothing.
pub async fn save(app: &App, account: AccountId, choice: &EmailChoice) -> Result<()> {
    if choice.newsletters.len() > MAX_NEWSLETTER_CHOICES {
        return Err(Error::invalid(
            "newsletters",
            format!("at most {MAX_NEWSLETTER_CHOICES}"),
        ));
    }
    let mine = subscriptions(app, account).await?;
    let mut optouts = Vec::with_capacity(choice.newsletters.len());
    for (slug, on) in &choice.newsletters {
        let community = mine.iter().find(|s| &s.slug == slug).ok_or_else(|| {
            Error::invalid(
                "newsletters",
                format!(
                    "you are not in a community `{}`",
                    slug.chars().take(64).collect::<String>()
                ),
            )
        })?;
        optouts.push((community.community, !on));
    }
    let mut modes = modes_from("");
    for (kind, mode) in &mut modes {
        if let Some((_, chosen)) = choice.modes.iter().find(|(k, _)| k == kind) {
            *mode = *chosen;
        }
    }
    let mut w = app.store.write().await?;
    let saved = async {
        w.set_digest_cadence(account, choice.digest).await?;
        w.set_email_kinds(account, &modes_to(&modes)).await?;
        for (community, out) in optouts {
            w.set_newsletter_optout(account, community, out).await?;
        }
        Ok(())
    }
    .await;
    w.finish(saved).await
}

/// Turns one list off for the person an e-mail's unsubscribe token belongs to: `reminders`,
/// `digest`, `newsletter:<community slug>` or a kind of notification. An unknown community or
/// kind changes nothing and answers the same, so made-up lists learn nothing.
pub async fn unsubscribe(app: &App, token: &str, list: &str) -> Result<()> {
    if list == "reminders" {
        app.store.unsubscribe(token).await?;
        return Ok(());
    }
    let account = app.store.account_of_unsubscribe_token(token).await?;
    if let Some(slug) = list.strip_prefix("newsletter:") {
        if let Some(c) = app.store.community_by_slug(slug).await? {
            app.store.set_newsletter_optout(account, c.id, true).await?;
        }
    } else if list == "digest" {
        app.store
            .set_digest_cadence(account, DigestCadence::Off)
            .await?;
    } else {
        let mut modes = modes_from(&app.store.email_kinds(account).await?);
        for (kind, mode) in &mut modes {
            if kind.as_str() == list {
                *mode = EmailMode::Off;
            }
        }
        app.store
            .set_email_kinds(account, &modes_to(&modes))
            .await?;
    }
    Ok(())
}
