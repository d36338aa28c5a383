//! Notifications e-mailed at once, for the kinds a person wants that way (mentions and accepted
//! answers by default). The worker looks through new notifications a few minutes after they
//! were made — long enough for someone on the site to have seen them — and queues one job per
//! notification; the job sends it only if the person may still read it and has not read it,
//! claiming the delivery (`note:<id>`) so it goes once.

use askama::Template;
use copse_core::OrInternal;
use copse_core::Result;
use copse_core::domain::AccountId;
use copse_core::domain::NotificationKind;
use copse_core::domain::email::{EmailMode, modes_from};

use copse_store::Write;

use crate::app::App;
use crate::jobs::{Job, MessageEmail, NoteEmail};
use crate::mail::{Delivery, OutgoingMail, Postman};

/// How long after a notification is made it may be e-mailed: if it was read by then, it is not.
pub const GRACE_MS: i64 = 2 * 60 * 1000;
const CURSOR: &str = "notifications";

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
    /// The picture of whoever did it, when they have one.
    picture: Option<&'a str>,
}

/// Whoever did it, as the e-mail names and shows them.
struct Doer {
    /// "Maya Okafor (@maya)".
    who: String,
    /// The absolute address of their picture, when they uploaded one (mail programs do not
    /// all show the generated initials, an SVG image).
    picture: Option<String>,
}

async fn doer(state: &App, name: &str, handle: &str) -> Result<Doer> {
    if handle.is_empty() {
        return Ok(Doer {
            who: name.to_string(),
            picture: None,
        });
    }
    let account = state.store.account_by_handle(handle).await?;
    let uploaded = match account {
        Some(a) => state.store.avatar_of(a.id).await?.is_some(),
        None => false,
    };
    Ok(Doer {
        who: format!("{name} (@{handle})"),
        picture: uploaded.then(|| state.absolute(&format!("/u/{handle}/avatar/96"))),
    })
}

/// One e-mail about one thing (a notification, a message), with its kind's unsubscribe link.
async fn compose(
    state: &App,
    person: &copse_core::domain::Account,
    kind: NotificationKind,
    doer: &Doer,
    title: &str,
    url: &str,
) -> Result<OutgoingMail> {
    let (who, picture) = (doer.who.as_str(), doer.picture.as_deref());
    let token = state.store.unsubscribe_token(person.id).await?;
    let unsubscribe = state.absolute(&format!("/unsubscribe/{token}?list={}", kind.as_str()));
    let settings = state.absolute("/settings/email");
    let what = kind.verb();
    let name = &person.profile.display_name;
    let render = |r: askama::Result<String>| r.or_internal();
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
            picture,
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

/// Queues a job for each notification made since the last pass that its person wants e-mailed
/// at once, then moves the pass on — in that order, so a failure repeats work (harmless: the
/// delivery is claimed once) rather than skipping it.
pub async fn queue_due(state: &App) -> Result<()> {
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
            let job = Job::NoteEmail(NoteEmail {
                notification: id,
                account,
                retry: 0,
            });
            job.queue(state, state.now()).await?;
        }
    }
    store.advance_email_cursor(CURSOR, last).await
}

/// Sends one notification, if its person may still read it, has not read it, and still wants
/// it at once.
pub async fn send(state: &App, postman: &Postman, job: &NoteEmail) -> Result<()> {
    let (notification, account) = (job.notification, job.account);
    let store = &state.store;
    let Some(person) = store.account(account).await? else {
        return Ok(());
    };
    if person.is_suspended() || !person.email_verified {
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
    let who = doer(state, &n.actor_name, &n.actor_handle).await?;
    let mail = compose(
        state,
        &person,
        n.kind,
        &who,
        &n.title,
        &state.absolute(&n.url()),
    )
    .await?;
    let delivery = Delivery {
        key: format!("note:{notification}"),
        run: "notifications".into(),
        account,
        kind: "notification",
        items: 1,
    };
    postman.deliver_one(state, &delivery, &mail).await
}

/// Queues the e-mail of a new message to each other person in the conversation, to go after
/// the grace period unless they read it by then — in the transaction that adds the message.
pub async fn queue_message(
    w: &mut Write,
    conversation: i64,
    message: i64,
    author: AccountId,
    people: &[AccountId],
) -> Result<()> {
    let run_at = w.now() + GRACE_MS;
    for person in people.iter().filter(|p| **p != author) {
        let job = Job::MessageEmail(MessageEmail {
            conversation,
            message,
            account: *person,
            retry: 0,
        });
        job.add(w, run_at).await?;
    }
    Ok(())
}

/// Sends the e-mail of a message if its person is still in the conversation, has not read it,
/// is not blocked by or blocking its author, and wants messages at once.
pub async fn send_message(state: &App, postman: &Postman, job: &MessageEmail) -> Result<()> {
    let (conversation, message, account) = (job.conversation, job.message, job.account);
    let store = &state.store;
    let Some(person) = store.account(account).await? else {
        return Ok(());
    };
    if person.is_suspended() || !person.email_verified {
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
    let who = doer(state, &author.display_name, &author.handle).await?;
    let mail = compose(
        state,
        &person,
        NotificationKind::Message,
        &who,
        &c.subject,
        &state.absolute(&format!("/conversations/{conversation}")),
    )
    .await?;
    let delivery = Delivery {
        key: format!("message:{message}:{account}"),
        run: "messages".into(),
        account,
        kind: "message",
        items: 1,
    };
    postman.deliver_one(state, &delivery, &mail).await
}
