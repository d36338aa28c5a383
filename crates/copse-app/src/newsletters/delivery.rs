//! Sending a community newsletter: one job per issue and batch of readers. Each reader's copy
//! is expanded for them through the policy at sending time — so someone removed between
//! drafting and sending is not sent anything, and an observer gets public-space content only —
//! and has a delivery key (`newsletter:<issue>:<account>`) claimed before it is sent and marked
//! after, exactly as digests (see `digests::mail`): a repeated, resumed or parallel batch skips
//! whoever has theirs.

use copse_core::OrInternal;
use copse_core::domain::AccountId;
use std::collections::{HashMap, HashSet};

use askama::Template;
use copse_core::domain::newsletter::{self, Block, Reader};
use copse_core::policy::{Actor, CommunityFacts, Standing};
use copse_core::{Error, Result};

use super::read::{self as newsletters, Rendered};
use crate::app::App;
use crate::jobs::{Job, NewsletterBatch};
use crate::mail::delivery::BATCH;
use crate::mail::{BatchOutcome, Delivery, OutgoingMail, Postman};

#[derive(Template)]
#[template(path = "mail/newsletter.txt")]
struct NewsletterText<'a> {
    community: &'a str,
    number: i64,
    subject: &'a str,
    body: &'a str,
    web: &'a str,
    settings: &'a str,
    unsubscribe: &'a str,
}

#[derive(Template)]
#[template(path = "mail/newsletter.html")]
struct NewsletterHtml<'a> {
    community: &'a str,
    number: i64,
    subject: &'a str,
    body: &'a str,
    web: &'a str,
    settings: &'a str,
    unsubscribe: &'a str,
}

/// Inline styles on the sanitized HTML's elements: many mail clients drop `<style>` blocks.
/// (ammonia's output is normalised — lower-case tags, no attributes but the allowed ones —
/// so plain replacements are enough.)
fn inline_styles(html: &str) -> String {
    html.replace("<h1>", r#"<h1 style="font-size:20px;margin:16px 0 6px 0;">"#)
        .replace(
            "<h2>",
            r#"<h2 style="font-size:18px;margin:16px 0 6px 0;border-bottom:2px solid #3f8f6b;padding-bottom:4px;">"#,
        )
        .replace("<h3>", r#"<h3 style="font-size:15px;margin:12px 0 4px 0;">"#)
        .replace("<p>", r#"<p style="margin:0 0 10px 0;">"#)
        .replace("<ul>", r#"<ul style="margin:0 0 10px 0;padding-left:20px;">"#)
        .replace("<li>", r#"<li style="margin:0 0 4px 0;">"#)
        .replace("<a ", r#"<a style="color:#1f4e3d;" "#)
}

/// One reader's message.
pub fn render_mail(
    state: &App,
    community: &copse_core::domain::Community,
    issue: &copse_core::domain::newsletter::Newsletter,
    to: &copse_store::Recipient,
    rendered: &Rendered,
    token: &str,
) -> Result<OutgoingMail> {
    let unsubscribe = state.absolute(&format!(
        "/unsubscribe/{token}?list=newsletter:{}",
        community.slug
    ));
    let settings = state.absolute("/settings/email");
    let web = state.absolute(&format!(
        "/c/{}/newsletter/{}",
        community.slug, issue.number
    ));
    let render = |r: askama::Result<String>| r.or_internal();
    let text = render(
        NewsletterText {
            community: &community.name,
            number: issue.number,
            subject: &issue.subject,
            body: &rendered.text,
            web: &web,
            settings: &settings,
            unsubscribe: &unsubscribe,
        }
        .render(),
    )?;
    let html = render(
        NewsletterHtml {
            community: &community.name,
            number: issue.number,
            subject: &issue.subject,
            body: &inline_styles(&rendered.html),
            web: &web,
            settings: &settings,
            unsubscribe: &unsubscribe,
        }
        .render(),
    )?;
    Ok(OutgoingMail {
        to_name: to.display_name.clone(),
        to_address: to.email.clone(),
        subject: issue.subject.clone(),
        text,
        html,
        unsubscribe: Some(unsubscribe),
        calendar: None,
    })
}

/// One reader's copy of an issue, ready to send.
pub struct Copy {
    pub to: copse_store::Recipient,
    /// How many references the reader gets.
    pub items: usize,
    pub mail: OutgoingMail,
}

/// The copies of a batch of an issue's readers (the next after `after`), each expanded for its
/// reader through the policy as things stand now; and where the next batch starts, if there
/// may be one. Reads a fixed number of times whatever the batch's size: the community, the
/// readers, their circles, their unsubscribe tokens and what the references stand for (one
/// query per kind of reference, and the community's events).
pub async fn copies(
    state: &App,
    issue: &copse_core::domain::newsletter::Newsletter,
    after: AccountId,
) -> Result<(Vec<Copy>, Option<AccountId>)> {
    let store = &state.store;
    let Some(community) = store.community_by_id(issue.community_id).await? else {
        return Ok((Vec::new(), None));
    };
    let readers = store
        .newsletter_recipients(community.id, after, BATCH)
        .await?;
    let next_after = (readers.len() as i64 == BATCH)
        .then(|| readers.last().map(|(r, _)| r.id))
        .flatten();
    let (Some((first, _)), Some((last, _))) = (readers.first(), readers.last()) else {
        return Ok((Vec::new(), next_after));
    };
    let mut circles: HashMap<AccountId, HashSet<i64>> = HashMap::new();
    for (account, circle) in store
        .circle_memberships_between(community.id, first.id, last.id)
        .await?
    {
        circles.entry(account).or_default().insert(circle);
    }
    let ids: Vec<AccountId> = readers.iter().map(|(r, _)| r.id).collect();
    let tokens = store.unsubscribe_tokens(&ids).await?;
    let from_time = issue.sent_at.unwrap_or_else(|| store.now());
    let referenced = newsletters::referenced(state, community.id, &issue.body, from_time).await?;
    let facts = CommunityFacts::from(&community);
    let none = HashSet::new();
    let mut out = Vec::with_capacity(readers.len());
    for (to, role) in readers {
        let reader = Reader {
            actor: Actor::Account {
                id: to.id,
                is_admin: to.is_admin != 0,
                must_verify: false,
            },
            standing: Standing {
                role: Some(role),
                invited: false,
                silenced_until: None,
            },
            community: facts,
            circles: circles.get(&to.id).unwrap_or(&none),
        };
        let blocks = newsletter::expand(&issue.body, &referenced, &reader);
        let items = blocks
            .iter()
            .filter(|b| matches!(b, Block::Item { .. }))
            .count();
        let token = tokens
            .get(&to.id)
            .ok_or_else(|| Error::internal("no unsubscribe token"))?;
        let mail = render_mail(
            state,
            &community,
            issue,
            &to,
            &newsletters::render(state, &blocks),
            token,
        )?;
        out.push(Copy { to, items, mail });
    }
    Ok((out, next_after))
}

/// Sends one batch of an issue: each copy is claimed (`newsletter:<issue>:<account>`) before
/// it is sent and marked after; whoever has theirs is skipped. Then adds the next batch's job,
/// or — after the last batch — marks the issue sent.
pub async fn run_batch(
    app: &App,
    postman: &Postman,
    batch: &NewsletterBatch,
) -> Result<BatchOutcome> {
    let store = &app.store;
    let Some(issue) = store.newsletter_by_id(batch.issue).await? else {
        return Ok(BatchOutcome::default()); // deleted
    };
    if !issue.status.published() {
        return Ok(BatchOutcome::default()); // never a draft
    }
    let (copies, next_after) = copies(app, &issue, batch.after).await?;
    let run = NewsletterBatch::run(issue.id);
    let messages = copies
        .into_iter()
        .map(|copy| {
            let delivery = Delivery {
                key: format!("newsletter:{}:{}", issue.id, copy.to.id),
                run: run.clone(),
                account: copy.to.id,
                kind: "newsletter",
                items: copy.items as i64,
            };
            (delivery, copy.mail)
        })
        .collect();
    let outcome = postman.deliver_batch(app, messages, next_after).await?;
    if outcome.crashed {
        return Ok(outcome);
    }
    match outcome.next_after {
        Some(after) => {
            let next = NewsletterBatch {
                after,
                ..batch.clone()
            };
            Job::Newsletter(next).queue(app, app.now()).await?;
        }
        None => store.finish_newsletter(issue.id).await?,
    }
    Ok(outcome)
}
