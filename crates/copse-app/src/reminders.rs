//! Reminders and "you got a place" e-mails for an occurrence, each with the occurrence as an
//! `.ics` attachment. A job checks again, when it runs, that its member may still see the event,
//! is still going, still wants that reminder, and that the occurrence is still on.

use askama::Template;
use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::{Account, Event, Occurrence, RsvpStatus, when_text};
use copse_core::policy::Actor;
use copse_core::{Error, Result};

use crate::app::App;
use crate::ical::{FeedEvent, occurrence_calendar, uid_host};
use crate::jobs::{Outcome, Seat};
use crate::mail::{OutgoingMail, Postman};

const MINUTE: Millis = 60 * 1000;
/// The longest reminder lead a member may choose: a week.
pub const MAX_REMINDER_MINUTES: i64 = 7 * 24 * 60;
/// A reminder whose time passed longer ago than this (copse was down) is not sent late.
pub const LATE_GRACE: Millis = 15 * MINUTE;

/// What an occurrence e-mail says; rendered as plain text and as HTML.
struct MailView<'a> {
    greeting: String,
    intro: &'a str,
    title: &'a str,
    when: String,
    place: Option<&'a str>,
    online_url: Option<&'a str>,
    notes: Option<&'a str>,
    link: String,
    settings: String,
}

#[derive(Template)]
#[template(path = "mail/occurrence.txt")]
struct MailText<'a> {
    m: &'a MailView<'a>,
}

#[derive(Template)]
#[template(path = "mail/occurrence.html")]
struct MailHtml<'a> {
    m: &'a MailView<'a>,
}

/// The member's event and occurrence, if they may still see it and are still going.
async fn still_going(app: &App, p: &Seat) -> Result<Option<(Account, Event, Occurrence)>> {
    let store = &app.store;
    let Some(account) = store.account(p.account).await? else {
        return Ok(None);
    };
    if account.is_suspended() || !account.email_verified {
        return Ok(None);
    }
    let actor = Actor::Account {
        id: account.id,
        is_admin: account.is_admin,
        must_verify: false,
    };
    let event = match crate::access::gate_event(app, &actor, p.event).await {
        Ok((_, event)) => event,
        Err(Error::NotFound | Error::Forbidden(_)) => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some(o) = event.occurrence(p.key)? else {
        return Ok(None);
    };
    if o.cancelled || o.start <= store.now() {
        return Ok(None);
    }
    if store.rsvp_of(p.event, p.key, p.account).await? != Some(RsvpStatus::Going) {
        return Ok(None);
    }
    Ok(Some((account, event, o)))
}

/// Sends a reminder if it still applies; a reminder whose occurrence moved later waits.
pub async fn remind(app: &App, postman: &Postman, p: &Seat) -> Result<Outcome> {
    let Some((account, event, o)) = still_going(app, p).await? else {
        return Ok(Outcome::Done);
    };
    if !app
        .store
        .reminder_minutes(account.id)
        .await?
        .contains(&p.minutes)
    {
        return Ok(Outcome::Done);
    }
    let due = o.start - p.minutes * MINUTE;
    if due > app.now() + MINUTE {
        return Ok(Outcome::Later(due));
    }
    let lead = lead_text(p.minutes);
    send(
        app,
        postman,
        &account,
        &event,
        &o,
        &format!("Reminder: {} {lead}", event.title),
        &format!("This is your reminder: you said you are going, and it starts {lead}."),
    )
    .await?;
    Ok(Outcome::Done)
}

/// Tells someone who moved up from the waitlist, if they are still going.
pub async fn tell_promoted(app: &App, postman: &Postman, p: &Seat) -> Result<Outcome> {
    let Some((account, event, o)) = still_going(app, p).await? else {
        return Ok(Outcome::Done);
    };
    send(
        app,
        postman,
        &account,
        &event,
        &o,
        &format!("You have a place: {}", event.title),
        "A place came free and you were next on the waitlist: you are now going.",
    )
    .await?;
    Ok(Outcome::Done)
}

async fn send(
    app: &App,
    postman: &Postman,
    account: &Account,
    event: &Event,
    o: &Occurrence,
    subject: &str,
    intro: &str,
) -> Result<()> {
    let store = &app.store;
    let link = app.absolute(&format!("/e/{}", event.id));
    let token = store.unsubscribe_token(account.id).await?;
    let unsubscribe = app.absolute(&format!("/unsubscribe/{token}"));
    let view = MailView {
        greeting: format!("Hello {},", account.profile.display_name),
        intro,
        title: &event.title,
        when: when_text(event, o),
        place: event.place.as_deref(),
        online_url: event.online_url.as_deref(),
        notes: o.notes.as_deref(),
        link: link.clone(),
        settings: app.absolute("/settings/reminders"),
    };
    let render = |r: askama::Result<String>| r.or_internal();
    let text = render(MailText { m: &view }.render())?;
    let html = render(MailHtml { m: &view }.render())?;
    let host = uid_host(app.config.base_url.as_deref());
    let ics = occurrence_calendar(
        &FeedEvent {
            event,
            url: link.clone(),
            answers: vec![(o.key, RsvpStatus::Going)],
        },
        o,
        &host,
        store.now(),
    );
    let mail = OutgoingMail {
        to_name: account.profile.display_name.clone(),
        to_address: account.email.clone(),
        subject: subject.to_string(),
        text,
        html,
        unsubscribe: Some(unsubscribe),
        calendar: Some(("event.ics".to_string(), ics)),
    };
    // The job's key makes the message once; it is not counted as a delivery run.
    postman
        .mailer
        .send(&postman.from, &mail)
        .await
        .map_err(|e| Error::internal_boxed("sending mail", e.into()))
}

/// "tomorrow", "in 2 hours", "in 15 minutes".
fn lead_text(minutes: i64) -> String {
    if minutes % (24 * 60) == 0 {
        let days = minutes / (24 * 60);
        if days == 1 {
            "tomorrow".to_string()
        } else {
            format!("in {days} days")
        }
    } else if minutes % 60 == 0 {
        let hours = minutes / 60;
        if hours == 1 {
            "in an hour".to_string()
        } else {
            format!("in {hours} hours")
        }
    } else {
        format!("in {} minutes", minutes)
    }
}
