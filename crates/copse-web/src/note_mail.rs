//! Notifications e-mailed at once, for the kinds a person wants that way (mentions and accepted
//! answers by default). The worker looks through new notifications a few minutes after they
//! were made — long enough for someone on the site to have seen them — and queues one job per
//! notification; the job sends it only if the person may still read it and has not read it,
//! claiming the delivery (`note:<id>`) so it goes once.

use askama::Template;
use copse_core::domain::NotificationKind;
use copse_core::domain::email::{EmailMode, modes_from};
use copse_core::{Error, Result};

use crate::mail::{Mailer, OutgoingMail};
use crate::state::AppState;

/// How long after a notification is made it may be e-mailed: if it was read by then, it is not.
pub const GRACE_MS: i64 = 2 * 60 * 1000;
const CURSOR: &str = "notifications";
const STALE_MS: i64 = 10 * 60 * 1000;

#[derive(Template)]
#[template(path = "mail/notification.txt")]
struct NoteText<'a> {
    name: &'a str,
    who: &'a str,
    what: &'a str,
    title: &'a str,
    url: &'a str,
    settings: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "mail/notification.html")]
struct NoteHtml<'a> {
    name: &'a str,
    who: &'a str,
    what: &'a str,
    title: &'a str,
    url: &'a str,
    settings: &'a str,
    unsubscribe: &'a str,
}

/// One e-mail about one thing (a notification, a message), with its kind's unsubscribe link.
async fn compose(
    state: &AppState,
    person: &copse_core::domain::Account,
    kind: NotificationKind,
    who: &str,
    title: &str,
    url: &str,
) -> Result<OutgoingMail> {
    let token = state.store.unsubscribe_token(person.id).await?;
    let unsubscribe = state.absolute(&format!("/unsubscribe/{token}?list={}", kind.as_str()));
    let settings = state.absolute("/settings/email");
    let what = kind.verb();
    let name = &person.profile.display_name;
    let render = |r: askama::Result<String>| r.map_err(|e| Error::internal(e.to_string()));
    let text = render(
        NoteText {
            name,
            who,
            what,
            title,
            url,
            settings: &settings,
            unsubscribe: &unsubscribe,
        }
        .render(),
    )?;
    let html = render(
        NoteHtml {
            name,
            who,
            what,
            title,
            url,
            settings: &settings,
            unsubscribe: &unsubscribe,
        }
        .render(),
    )?;
    Ok(OutgoingMail {
        to_name: name.clone(),
        to_address: person.email.clone(),
        subject: format!("{who} {what} {title}"),
        text,
        html,
        unsubscribe: Some(unsubscribe),
        calendar: None,
    })
}

/// Sends a claimed message and records how it went; a refusal is recorded with its reason
/// and fails the job, which retries with backoff.
async fn deliver(
    state: &AppState,
    mailer: &Mailer,
    from: &str,
    key: &str,
    mail: &OutgoingMail,
) -> Result<()> {
    match mailer.send(from, mail).await {
        Ok(()) => state.store.finish_delivery(key, None).await,
        Err(e) => {
            state
                .store
                .finish_delivery(key, Some(&e.to_string()))
                .await?;
            Err(Error::internal(format!("sending mail: {e}")))
        }
    }
}

/// Queues the job that e-mails one notification, keyed by it (queueing twice queues once);
/// `retry` gives it a key of its own, for an admin's retry of a failure.
pub async fn queue_notification(
    state: &AppState,
    notification: i64,
    account: i64,
    retry: bool,
) -> Result<()> {
    let now = state.store.now();
    let key = if retry {
        format!("note:{notification}:retry-{now}")
    } else {
        format!("note:{notification}")
    };
    state
        .store
        .enqueue(&copse_store::NewJob {
            kind: "note_email",
            key: &key,
            payload: &format!("{{\"notification\":{notification},\"account\":{account}}}"),
            run_at: now,
            max_attempts: 5,
        })
        .await?;
    Ok(())
}

/// Queues a job for each notification made since the last pass that its person wants e-mailed
/// at once, then moves the pass on — in that order, so a failure repeats work (harmless: the
/// delivery is claimed once) rather than skipping it.
pub async fn queue_due(state: &AppState) -> Result<()> {
    let store = &state.store;
    let after = store.email_cursor(CURSOR).await?;
    let rows = store
        .notifications_to_mail(after, store.now() - GRACE_MS, 1000)
        .await?;
    let Some(last) = rows.last().map(|r| r.0) else {
        return Ok(());
    };
    for (id, account, kind, stored) in rows {
        let immediate = NotificationKind::parse(&kind).is_ok_and(|k| {
            modes_from(&stored)
                .iter()
                .any(|(mk, m)| *mk == k && *m == EmailMode::Immediate)
        });
        if immediate {
            queue_notification(state, id, account, false).await?;
        }
    }
    store.advance_email_cursor(CURSOR, last).await
}

/// Sends one notification, if its person may still read it, has not read it, and still wants
/// it at once.
pub async fn send(
    state: &AppState,
    mailer: &Mailer,
    from: &str,
    notification: i64,
    account: i64,
) -> Result<()> {
    let store = &state.store;
    let Some(person) = store.account(account).await? else {
        return Ok(());
    };
    if person.suspended {
        return Ok(());
    }
    let Some(n) = store.notification_for(account, notification).await? else {
        return Ok(()); // no longer theirs to read
    };
    let wanted = modes_from(&store.email_kinds(account).await?)
        .iter()
        .any(|(k, m)| *k == n.kind && *m == EmailMode::Immediate);
    if n.read || !wanted {
        return Ok(());
    }
    let key = format!("note:{notification}");
    if !store
        .claim_delivery(&key, "notifications", account, "notification", 1, STALE_MS)
        .await?
    {
        return Ok(());
    }
    let who = if n.actor_handle.is_empty() {
        n.actor_name.clone()
    } else {
        format!("{} (@{})", n.actor_name, n.actor_handle)
    };
    let mail = compose(
        state,
        &person,
        n.kind,
        &who,
        &n.title,
        &state.absolute(&n.url()),
    )
    .await?;
    deliver(state, mailer, from, &key, &mail).await
}

/// Queues the e-mail of a new message to each other person in the conversation, to go after
/// the grace period unless they read it by then.
pub async fn queue_message(
    state: &AppState,
    conversation: i64,
    message: i64,
    author: i64,
    people: &[i64],
) -> Result<()> {
    for person in people.iter().filter(|p| **p != author) {
        queue_message_to(state, conversation, message, *person, false).await?;
    }
    Ok(())
}

/// Queues the e-mail of one message to one person (`retry`: now, under a key of its own).
pub async fn queue_message_to(
    state: &AppState,
    conversation: i64,
    message: i64,
    account: i64,
    retry: bool,
) -> Result<()> {
    let now = state.store.now();
    let (key, run_at) = if retry {
        (format!("message:{message}:{account}:retry-{now}"), now)
    } else {
        (format!("message:{message}:{account}"), now + GRACE_MS)
    };
    state
        .store
        .enqueue(&copse_store::NewJob {
            kind: "message_email",
            key: &key,
            payload: &format!(
                "{{\"conversation\":{conversation},\"message\":{message},\"account\":{account}}}"
            ),
            run_at,
            max_attempts: 5,
        })
        .await?;
    Ok(())
}

/// Sends the e-mail of a message if its person is still in the conversation, has not read it,
/// is not blocked by or blocking its author, and wants messages at once.
pub async fn send_message(
    state: &AppState,
    mailer: &Mailer,
    from: &str,
    conversation: i64,
    message: i64,
    account: i64,
) -> Result<()> {
    let store = &state.store;
    let Some(person) = store.account(account).await? else {
        return Ok(());
    };
    if person.suspended {
        return Ok(());
    }
    let Some((author, read)) = store.message_for(conversation, message, account).await? else {
        return Ok(()); // left the conversation
    };
    let wanted = modes_from(&store.email_kinds(account).await?)
        .iter()
        .any(|(k, m)| *k == NotificationKind::Message && *m == EmailMode::Immediate);
    if read || !wanted || store.blocked_between(author.id, account).await? {
        return Ok(());
    }
    let Some(c) = store.conversation_for(conversation, account).await? else {
        return Ok(());
    };
    let key = format!("message:{message}:{account}");
    if !store
        .claim_delivery(&key, "messages", account, "message", 1, STALE_MS)
        .await?
    {
        return Ok(());
    }
    let who = format!("{} (@{})", author.display_name, author.handle);
    let mail = compose(
        state,
        &person,
        NotificationKind::Message,
        &who,
        &c.subject,
        &state.absolute(&format!("/conversations/{conversation}")),
    )
    .await?;
    deliver(state, mailer, from, &key, &mail).await
}
