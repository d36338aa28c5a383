//! The export itself: everything the site keeps that a person gave it, as one JSON document
//! (GDPR articles 15 and 20).

use std::collections::HashMap;

use copse_core::clock::rfc3339;
use copse_core::domain::Account;
use copse_core::policy::{Actor, ThreadAction};
use copse_core::{Error, Result};
use copse_store::{PersonalData, PersonalModeration};
use serde_json::{Value, json};

use crate::access::{gate_event, gate_thread};
use crate::app::App;

/// Everything the site keeps that the person gave it, as one JSON document. What others wrote
/// — the title of a thread they replied to, of an event they answered — is named only while
/// they may still read it (someone removed from a community keeps their replies, not its titles).
pub(super) async fn document(app: &App, account: &Account) -> Result<Value> {
    let mut data = app.store.personal_data(account.id).await?;
    hide_unreadable_titles(app, account, &mut data).await?;
    let memberships = app.store.memberships_of(account.id).await?;
    let tokens = app.store.api_tokens(account.id).await?;
    let moderation = app.store.personal_moderation(account.id).await?;
    let p = &account.profile;
    Ok(json!({
        "format": "copse personal data export, version 1",
        "exported_at": rfc3339(app.now()),
        "account": {
            "handle": account.handle,
            "email": account.email,
            "email_verified": account.email_verified,
            "is_admin": account.is_admin,
            "created_at": rfc3339(account.created_at),
        },
        "profile": {
            "display_name": p.display_name,
            "bio": p.bio,
            "organisation": p.organisation,
            "department": p.department,
            "country": p.country,
            "time_zone": p.time_zone,
            "expertise": p.expertise,
        },
        "memberships": memberships.iter().map(|(slug, name, role)| json!({
            "community": slug, "name": name, "role": role.as_str(),
        })).collect::<Vec<_>>(),
        "api_tokens": tokens.iter().map(|t| json!({
            "name": t.name, "created_at": rfc3339(t.created_at),
        })).collect::<Vec<_>>(),
        "email_choices": email_choices(&data),
        "reminder_minutes": data.reminder_minutes,
        "writing": writing(&data),
        "rsvps": data.rsvps.iter().map(|r| json!({
            "event": r.event_id, "event_title": r.event_title,
            "occurrence_start": rfc3339(r.occurrence_start), "status": r.status,
            "updated_at": rfc3339(r.updated_at),
        })).collect::<Vec<_>>(),
        "messages_sent": data.messages_sent.iter().map(|m| json!({
            "conversation": m.conversation_id, "subject": m.subject, "body": m.body,
            "sent_at": rfc3339(m.created_at),
        })).collect::<Vec<_>>(),
        "moderation": moderation_records(&moderation),
        "uploads": uploads(app, account).await?,
    }))
}

/// Uploads the export lists at most (a person's whole allowance for weeks).
const UPLOADS_LISTED: i64 = 10_000;

/// The person's uploads they may still read — unattached ones, and those whose post they
/// still read: name, type, size, when, what it is attached to and the address to download it
/// from, signed in. A file of a post gone or out of their reach is left out, as the post's
/// title is. The bytes are not in the document.
async fn uploads(app: &App, account: &Account) -> Result<Vec<Value>> {
    let actor = Actor::of(account, false);
    let mut out = Vec::new();
    for file in app.store.files_of_owner(account.id, UPLOADS_LISTED).await? {
        match crate::files::open(app, &actor, file.id.as_str()).await {
            Ok(_) => {}
            Err(Error::NotFound) => continue,
            Err(e) => return Err(e),
        }
        let attached = file.attached.map(|to| {
            let (kind, id, _) = to.parts();
            format!("{kind}:{id}")
        });
        out.push(json!({
            "name": file.name, "type": file.kind.mime(), "size": file.size,
            "uploaded_at": rfc3339(file.created_at), "attached_to": attached,
            "url": app.absolute(&file.url()),
        }));
    }
    Ok(out)
}

/// The flags the person made, the warnings and silences they were given, and what the
/// moderation logs record about them (never who else flagged them).
fn moderation_records(m: &PersonalModeration) -> Value {
    let at = |t: Option<i64>| t.map(rfc3339);
    json!({
        "flags_made": m.flags_made.iter().map(|f| json!({
            "target": f.target_kind, "id": f.target_id, "reason": f.reason, "note": f.note,
            "created_at": rfc3339(f.created_at), "resolved_at": at(f.resolved_at),
        })).collect::<Vec<_>>(),
        "warnings": m.warnings.iter().map(|w| json!({
            "community": w.community, "message": w.message, "created_at": rfc3339(w.created_at),
            "acknowledged_at": at(w.acknowledged_at),
        })).collect::<Vec<_>>(),
        "silences": m.silences.iter().map(|s| json!({
            "community": s.community, "until": rfc3339(s.until_at), "reason": s.reason,
            "created_at": rfc3339(s.created_at),
        })).collect::<Vec<_>>(),
        "deeds_about_me": m.deeds_about.iter().map(|d| json!({
            "community": d.community, "action": d.action, "target": d.target_kind,
            "reason": d.reason, "at": rfc3339(d.created_at),
        })).collect::<Vec<_>>(),
    })
}

async fn hide_unreadable_titles(
    app: &App,
    account: &Account,
    data: &mut PersonalData,
) -> Result<()> {
    let actor = Actor::of(account, false);
    let mut threads: HashMap<i64, bool> = HashMap::new();
    for reply in &mut data.replies {
        let seen = match threads.get(&reply.thread_id) {
            Some(seen) => *seen,
            None => {
                let read = gate_thread(app, &actor, reply.thread_id, ThreadAction::Read).await;
                *threads.entry(reply.thread_id).or_insert(readable(read)?)
            }
        };
        if !seen {
            reply.thread_title = String::new();
        }
    }
    let mut events: HashMap<i64, bool> = HashMap::new();
    for rsvp in &mut data.rsvps {
        let seen = match events.get(&rsvp.event_id) {
            Some(seen) => *seen,
            None => {
                let read = gate_event(app, &actor, rsvp.event_id).await;
                *events.entry(rsvp.event_id).or_insert(readable(read)?)
            }
        };
        if !seen {
            rsvp.event_title = String::new();
        }
    }
    Ok(())
}

/// Whether a gate let the actor in; a failure of the database is passed on.
fn readable<T>(gated: Result<T>) -> Result<bool> {
    match gated {
        Ok(_) => Ok(true),
        Err(e @ Error::Internal(_)) => Err(e),
        Err(_) => Ok(false),
    }
}

fn email_choices(data: &PersonalData) -> Value {
    match &data.email_choices {
        Some((digest, kinds)) => json!({ "digest": digest, "notifications": kinds }),
        None => json!({ "digest": "the site's default", "notifications": "the defaults" }),
    }
}

/// Threads, replies, value stories and comments.
fn writing(data: &PersonalData) -> Value {
    json!({
        "threads": data.threads.iter().map(|t| json!({
            "id": t.id, "community": t.community, "kind": t.kind, "title": t.title,
            "body": t.body, "link": t.link, "created_at": rfc3339(t.created_at),
        })).collect::<Vec<_>>(),
        "replies": data.replies.iter().map(|r| json!({
            "id": r.id, "thread": r.thread_id, "thread_title": r.thread_title, "body": r.body,
            "created_at": rfc3339(r.created_at),
        })).collect::<Vec<_>>(),
        "value_stories": data.stories.iter().map(|s| json!({
            "id": s.id, "community": s.community, "what_happened": s.happened,
            "what_i_took": s.took, "what_i_did": s.did, "the_difference": s.difference,
            "created_at": rfc3339(s.created_at),
        })).collect::<Vec<_>>(),
        "story_comments": data.story_comments.iter().map(|c| json!({
            "story": c.story_id, "body": c.body, "created_at": rfc3339(c.created_at),
        })).collect::<Vec<_>>(),
    })
}
