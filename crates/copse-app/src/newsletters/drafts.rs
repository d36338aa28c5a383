//! Drafting an issue: each community's cadence, and the draft composed from the period's
//! activity — on schedule (the worker's `newsletter_draft` job) or when a coordinator asks.

use copse_core::clock::Millis;
use copse_core::domain::checkin::Cadence;
use copse_core::domain::newsletter::Newsletter;
use copse_core::domain::newsletter::NewsletterSettings;
use copse_core::domain::newsletter::{self, Reference, period_label};
use copse_core::domain::{Community, CommunityId};
use copse_core::policy::{self, Actor, CommunityAction};
use copse_core::{Error, Result};
use copse_store::NewNewsletter;

use crate::access::{Gated, gate};
use crate::app::App;
use copse_core::clock::DAY;
use copse_core::domain::participation::private_in;

/// How far ahead "Coming up" looks, and an event reference's next occurrence.
const COMING_DAYS: i64 = 45;

/// A community's newsletter cadence, for its coordinators (monthly from the first of next
/// month when never set).
pub async fn settings(
    state: &App,
    actor: &Actor,
    slug: &str,
) -> Result<(Gated, NewsletterSettings)> {
    let gated = crate::access::gate_reading(state, actor, slug, CommunityAction::Edit).await?;
    let settings = state
        .store
        .newsletter_settings(gated.community.id)
        .await?
        .unwrap_or(NewsletterSettings {
            cadence: Cadence::Monthly,
            next_at: Some(newsletter::first_draft_after(state.store.now())),
        });
    Ok((gated, settings))
}

/// Coordinators set how often copse drafts an issue and when the next draft is made (`None`:
/// copse drafts none; they may still draft one themselves).
pub async fn set_settings(
    state: &App,
    actor: &Actor,
    slug: &str,
    cadence: &str,
    next_at: Option<Millis>,
) -> Result<NewsletterSettings> {
    let gated = gate(state, actor, slug, CommunityAction::Edit).await?;
    let now = state.store.now();
    if let Some(at) = next_at
        && (at < now - 60_000 || at > now + 366 * DAY)
    {
        return Err(Error::invalid(
            "next_at",
            "must be from now to a year ahead",
        ));
    }
    let settings = NewsletterSettings {
        cadence: Cadence::parse(cadence)?,
        next_at,
    };
    state
        .store
        .set_newsletter_settings(gated.community.id, settings)
        .await?;
    Ok(settings)
}

/// The draft of an issue covering `[since, until)`: the coordinator's word to write, then
/// what the period brought as reference lines, a section each (empty ones left out).
async fn compose(state: &App, c: &Community, since: Millis, until: Millis) -> Result<String> {
    let activity = state.store.newsletter_activity(c.id, since, until).await?;
    let mut body = format!(
        "<!-- Drafted by copse from what happened in {period}. Edit freely: each line like [[thread:42]] \
         becomes a link for every reader who may read it and is left out for the others (observers get \
         public spaces only). Comments like this one are never sent. -->\n\n\
         ## A word from the coordinator\n\n<!-- Write a few lines to the community here. -->\n",
        period = period_label(since, until)
    );
    let mut section = |title: &str, refs: Vec<Reference>| {
        if refs.is_empty() {
            return;
        }
        body.push_str(&format!("\n## {title}\n\n"));
        for r in refs {
            body.push_str(&r.line());
            body.push('\n');
        }
    };
    section(
        "Highlights",
        activity
            .highlights
            .into_iter()
            .map(Reference::Thread)
            .collect(),
    );
    section(
        "Most helpful answers",
        activity
            .answers
            .into_iter()
            .map(Reference::Answer)
            .collect(),
    );
    section(
        "New in the library",
        activity
            .library
            .into_iter()
            .map(Reference::Thread)
            .collect(),
    );
    section(
        "Coming up",
        coming_up(state, c, until.max(state.now())).await?,
    );
    section(
        "Value stories",
        activity.stories.into_iter().map(Reference::Story).collect(),
    );
    section(
        "Welcome to our new members",
        activity
            .newcomers
            .into_iter()
            .map(|a| Reference::Member(a.get()))
            .collect(),
    );
    Ok(body)
}

/// The next occurrences of the community's shared events from `from` on (at most eight, each
/// event once): circles and conversations are not news.
async fn coming_up(state: &App, c: &Community, from: Millis) -> Result<Vec<Reference>> {
    let mut coming: Vec<(Millis, i64)> = Vec::new();
    for e in state
        .store
        .list_events(c.id, policy::ThreadFilter::All)
        .await?
    {
        if private_in(e.space) {
            continue;
        }
        if let Some(o) = e
            .occurrences(from, from + COMING_DAYS * DAY, 4)?
            .into_iter()
            .find(|o| !o.cancelled)
        {
            coming.push((o.start, e.id));
        }
    }
    coming.sort();
    Ok(coming
        .into_iter()
        .take(8)
        .map(|(_, id)| Reference::Event(id))
        .collect())
}

fn default_subject(c: &Community, since: Millis, until: Millis) -> String {
    let subject = format!("{} — {}", c.name, period_label(since, until));
    subject.chars().take(200).collect()
}

/// A coordinator drafts an issue now, covering the time since the last issue's period (or one
/// month back). Only one issue is prepared at a time.
pub async fn draft_now(state: &App, actor: &Actor, slug: &str) -> Result<Newsletter> {
    let gated = gate(state, actor, slug, CommunityAction::Edit).await?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let c = &gated.community;
    if let Some(open) = state.store.open_newsletter(c.id).await? {
        return Err(Error::conflict(format!(
            "Issue #{} is still being prepared: send or delete it first.",
            open.number
        )));
    }
    let until = state.store.now();
    let since = match state.store.last_newsletter_until(c.id).await? {
        Some(last) if last < until => last,
        _ => Cadence::Monthly.previous(until),
    };
    let body = compose(state, c, since, until).await?;
    state
        .store
        .create_newsletter(&NewNewsletter {
            community: c.id,
            subject: &default_subject(c, since, until),
            body: &body,
            since,
            until,
            by: Some(by),
            schedule: None,
        })
        .await?
        .ok_or_else(|| Error::conflict("Another issue is being prepared already."))
}

/// The scheduled draft due at `at` (the worker's `newsletter_draft` job): drafted once however
/// often it runs, and the schedule moves past now (after an outage: one draft, not one per
/// missed period). When an earlier issue is still being prepared, none is drafted.
pub async fn draft_scheduled(state: &App, community: CommunityId, at: Millis) -> Result<()> {
    let Some(settings) = state.store.newsletter_settings(community).await? else {
        return Ok(());
    };
    if settings.next_at != Some(at) {
        return Ok(()); // changed or turned off since the job was queued
    }
    let Some(c) = state.store.community_by_id(community).await? else {
        return Ok(());
    };
    let now = state.store.now();
    let mut next = settings.cadence.next(at);
    while next <= now {
        next = settings.cadence.next(next);
    }
    let since = settings.cadence.previous(at);
    let body = compose(state, &c, since, at).await?;
    state
        .store
        .create_newsletter(&NewNewsletter {
            community,
            subject: &default_subject(&c, since, at),
            body: &body,
            since,
            until: at,
            by: None,
            schedule: Some((at, next)),
        })
        .await?;
    Ok(())
}
