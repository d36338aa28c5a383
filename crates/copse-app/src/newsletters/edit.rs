//! Changing an issue before it goes out: editing (references checked as the editor reads them),
//! sending now or at a set time (the first batch queued with it), back to draft, deleting.

use copse_core::clock::{DAY, Millis};
use copse_core::domain::AccountId;
use copse_core::domain::newsletter::Newsletter;
use copse_core::domain::newsletter::{self, Reader, Status, parse_body, parse_subject};
use copse_core::policy::{Actor, CommunityAction, CommunityFacts};
use copse_core::{Error, Result};

use super::read::{circles_of, referenced};
use crate::access::{Gated, gate};
use crate::app::App;
use crate::jobs::{Job, NewsletterBatch};

async fn editable(
    state: &App,
    actor: &Actor,
    slug: &str,
    number: i64,
) -> Result<(Gated, Newsletter)> {
    let gated = gate(state, actor, slug, CommunityAction::Edit).await?;
    let issue = state
        .store
        .newsletter(gated.community.id, number)
        .await?
        .ok_or(Error::NotFound)?;
    Ok((gated, issue))
}

fn not_editable(issue: &Newsletter) -> Error {
    Error::conflict(format!(
        "Issue #{} has gone out; it can no longer be changed.",
        issue.number
    ))
}

/// Changes an issue's subject and body. Every reference must be to something of this
/// community that the editor may read (the same answer for a missing thing and a hidden one).
pub async fn update(
    state: &App,
    actor: &Actor,
    slug: &str,
    number: i64,
    subject: &str,
    body: &str,
) -> Result<Newsletter> {
    let (gated, issue) = editable(state, actor, slug, number).await?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let subject = parse_subject(subject)?;
    let body = parse_body(body)?;
    if !issue.status.editable() {
        return Err(not_editable(&issue));
    }
    let circles = circles_of(state, &gated, actor).await?;
    let refs = referenced(state, gated.community.id, &body, state.store.now()).await?;
    let reader = Reader {
        actor: *actor,
        standing: gated.standing,
        community: CommunityFacts::from(&gated.community),
        circles: &circles,
    };
    for (line, r) in newsletter::references(&body)? {
        if refs.item(r, &reader).is_none() {
            return Err(Error::invalid(
                "body",
                format!(
                    "line {line}: there is no {} {} in this community that you may read",
                    r.kind(),
                    r.id()
                ),
            ));
        }
    }
    if !state
        .store
        .update_newsletter(issue.id, &subject, &body, by)
        .await?
    {
        return Err(not_editable(&issue));
    }
    state
        .store
        .newsletter_by_id(issue.id)
        .await?
        .ok_or(Error::NotFound)
}

/// Sends an issue now, or schedules it for `at` (from now to a year ahead).
pub async fn send(
    state: &App,
    actor: &Actor,
    slug: &str,
    number: i64,
    at: Option<Millis>,
) -> Result<Newsletter> {
    let (_, issue) = editable(state, actor, slug, number).await?;
    let now = state.store.now();
    if !issue.status.editable() {
        return Err(not_editable(&issue));
    }
    match at {
        Some(at) if at > now + 60_000 => {
            if at > now + 366 * DAY {
                return Err(Error::invalid("at", "must be within a year"));
            }
            if !state.store.schedule_newsletter(issue.id, Some(at)).await? {
                return Err(not_editable(&issue));
            }
        }
        Some(at) if at < now - 60_000 => {
            return Err(Error::invalid("at", "must not be in the past"));
        }
        _ => {
            // The issue starts going out and its first batch is queued in one transaction.
            let mut w = state.store.write().await?;
            let started = async {
                if !w.start_newsletter(issue.id).await? {
                    return Err(not_editable(&issue));
                }
                let first = NewsletterBatch {
                    issue: issue.id,
                    after: AccountId(0),
                    retry: 0,
                };
                Job::Newsletter(first).add(&mut w, now).await?;
                Ok(())
            }
            .await;
            w.finish(started).await?;
        }
    }
    state
        .store
        .newsletter_by_id(issue.id)
        .await?
        .ok_or(Error::NotFound)
}

/// Takes a scheduled issue back to a draft.
pub async fn unschedule(state: &App, actor: &Actor, slug: &str, number: i64) -> Result<Newsletter> {
    let (_, issue) = editable(state, actor, slug, number).await?;
    if issue.status != Status::Scheduled || !state.store.schedule_newsletter(issue.id, None).await?
    {
        return Err(Error::conflict(format!(
            "Issue #{} is not scheduled.",
            issue.number
        )));
    }
    state
        .store
        .newsletter_by_id(issue.id)
        .await?
        .ok_or(Error::NotFound)
}

/// Deletes an issue that has not gone out.
pub async fn delete(state: &App, actor: &Actor, slug: &str, number: i64) -> Result<()> {
    let (_, issue) = editable(state, actor, slug, number).await?;
    if !state.store.delete_newsletter(issue.id).await? {
        return Err(not_editable(&issue));
    }
    Ok(())
}
