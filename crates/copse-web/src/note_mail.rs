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

/// The notifications to e-mail at once since the last pass: (notification, account). Moves
/// the pass on; the caller queues a job for each (keyed by notification, so twice is once).
pub async fn due(state: &AppState) -> Result<Vec<(i64, i64)>> {
    let store = &state.store;
    let after = store.email_cursor(CURSOR).await?;
    let rows = store
        .notifications_to_mail(after, store.now() - GRACE_MS, 1000)
        .await?;
    let Some(last) = rows.last().map(|r| r.0) else {
        return Ok(Vec::new());
    };
    let due = rows
        .into_iter()
        .filter(|(_, _, kind, stored)| {
            NotificationKind::parse(kind).is_ok_and(|k| {
                modes_from(stored)
                    .iter()
                    .any(|(mk, m)| *mk == k && *m == EmailMode::Immediate)
            })
        })
        .map(|(id, account, _, _)| (id, account))
        .collect();
    store.advance_email_cursor(CURSOR, last).await?;
    Ok(due)
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
    match mailer.send(from, &mail).await {
        Ok(()) => store.finish_delivery(&key, None).await,
        Err(e) => {
            store.finish_delivery(&key, Some(&e.to_string())).await?;
            Err(Error::internal(format!("sending mail: {e}")))
        }
    }
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
    let run_at = state.store.now() + GRACE_MS;
    for person in people.iter().filter(|p| **p != author) {
        state
            .store
            .enqueue(&copse_store::NewJob {
                kind: "message_email",
                key: &format!("message:{message}:{person}"),
                payload: &format!(
                    "{{\"conversation\":{conversation},\"message\":{message},\"account\":{person}}}"
                ),
                run_at,
                max_attempts: 5,
            })
            .await?;
    }
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
    match mailer.send(from, &mail).await {
        Ok(()) => store.finish_delivery(&key, None).await,
        Err(e) => {
            store.finish_delivery(&key, Some(&e.to_string())).await?;
            Err(Error::internal(format!("sending mail: {e}")))
        }
    }
}
