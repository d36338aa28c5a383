//! The community newsletter: copse drafts an issue per period from what happened (the
//! worker's `newsletter_draft` job, or a coordinator's "draft now"); coordinators edit it,
//! preview it as each kind of reader gets it, and send it now or at a set time. Sent issues
//! are the community's archive. Every reader — a recipient, a visitor of the archive, the feed
//! — gets the issue expanded for them through the policy (`domain::newsletter::expand`).

use std::collections::HashSet;

use copse_core::clock::Millis;
use copse_core::domain::checkin::Cadence;
use copse_core::domain::newsletter::Newsletter;
use copse_core::domain::newsletter::NewsletterSettings;
use copse_core::domain::newsletter::{
    self, Block, EventRef, Reader, Reference, Referenced, Status, parse_body, parse_subject,
    period_label,
};
use copse_core::domain::{Community, CommunityId, Role, Space};
use copse_core::policy::{self, Actor, CommunityAction, CommunityFacts, Standing};
use copse_core::{Error, Result};
use copse_store::NewNewsletter;

use crate::access::{Gated, gate};
use crate::app::App;
use crate::jobs::{Job, NewsletterBatch};

/// How far ahead "Coming up" looks, and an event reference's next occurrence.
const COMING_DAYS: i64 = 45;
const DAY: Millis = 86_400_000;

/// The issue as one reader gets it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// Sanitized HTML.
    pub html: String,
    /// Plain text (Markdown as written, links spelled out).
    pub text: String,
}

/// Whom a coordinator previews an issue as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The coordinator themself.
    Me,
    /// A member in no circle.
    Member,
    Observer,
    /// Someone not signed in (the archive and the feed of a public community).
    Visitor,
}

impl Audience {
    pub fn parse(raw: &str) -> Result<Audience> {
        match raw.trim() {
            "" | "me" => Ok(Audience::Me),
            "member" => Ok(Audience::Member),
            "observer" => Ok(Audience::Observer),
            "visitor" => Ok(Audience::Visitor),
            _ => Err(Error::invalid(
                "as",
                "must be one of: me, member, observer, visitor",
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Audience::Me => "me",
            Audience::Member => "member",
            Audience::Observer => "observer",
            Audience::Visitor => "visitor",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Settings.

/// A community's newsletter cadence, for its coordinators (monthly from the first of next
/// month when never set).
pub async fn settings(
    state: &App,
    actor: &Actor,
    slug: &str,
) -> Result<(Gated, NewsletterSettings)> {
    let gated = gate(state, actor, slug, CommunityAction::Edit).await?;
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

// ---------------------------------------------------------------------------------------------
// Drafting.

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
    let now = state.store.now();
    let from = until.max(now);
    let mut coming: Vec<(Millis, i64)> = Vec::new();
    for e in state
        .store
        .list_events(c.id, policy::ThreadFilter::All)
        .await?
    {
        if matches!(e.space, Space::Circle | Space::Direct) {
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
    section(
        "Coming up",
        coming
            .into_iter()
            .take(8)
            .map(|(_, id)| Reference::Event(id))
            .collect(),
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
            .map(Reference::Member)
            .collect(),
    );
    Ok(body)
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

// ---------------------------------------------------------------------------------------------
// Reading.

/// A community's issues for this reader: those sent, and for coordinators those being
/// prepared too.
pub async fn list(state: &App, actor: &Actor, slug: &str) -> Result<(Gated, Vec<Newsletter>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let editor = gated.may(actor, CommunityAction::Edit);
    let issues = state.store.newsletters(gated.community.id, editor).await?;
    Ok((gated, issues))
}

/// One issue, if this reader may see it: a sent one for whoever may read the community, one
/// being prepared for its coordinators only (to anyone else it does not exist).
pub async fn issue(
    state: &App,
    actor: &Actor,
    slug: &str,
    number: i64,
) -> Result<(Gated, Newsletter)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let issue = state
        .store
        .newsletter(gated.community.id, number)
        .await?
        .ok_or(Error::NotFound)?;
    if !issue.status.published() && !gated.may(actor, CommunityAction::Edit) {
        return Err(Error::NotFound);
    }
    Ok((gated, issue))
}

/// What an issue's references stand for (the same for every reader of a batch). Events come
/// with their next occurrence after `from`.
pub async fn referenced(
    state: &App,
    community: CommunityId,
    body: &str,
    from: Millis,
) -> Result<Referenced> {
    let mut all = referenced_many(state, community, &[(body, from)]).await?;
    Ok(all.pop().unwrap_or_default())
}

/// What the references of several issues stand for — each issue's events with their next
/// occurrence after its own `from` — read once for all of them (the archive's feed).
pub async fn referenced_many(
    state: &App,
    community: CommunityId,
    issues: &[(&str, Millis)],
) -> Result<Vec<Referenced>> {
    let per_issue: Vec<Vec<Reference>> = issues
        .iter()
        .map(|(body, _)| {
            newsletter::references(body)
                .unwrap_or_default()
                .into_iter()
                .map(|(_, r)| r)
                .collect()
        })
        .collect();
    let union: Vec<Reference> = per_issue
        .iter()
        .flatten()
        .copied()
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    let shared = state.store.newsletter_referenced(community, &union).await?;
    let wants_events = union.iter().any(|r| matches!(r, Reference::Event(_)));
    let events = if wants_events {
        state
            .store
            .list_events(community, policy::ThreadFilter::All)
            .await?
    } else {
        Vec::new()
    };
    let mut out = Vec::with_capacity(issues.len());
    for ((_, from), refs) in issues.iter().zip(&per_issue) {
        let mut one = shared.clone();
        let wanted: HashSet<i64> = refs
            .iter()
            .filter_map(|r| match r {
                Reference::Event(id) => Some(*id),
                _ => None,
            })
            .collect();
        for e in events.iter().filter(|e| wanted.contains(&e.id)) {
            let when = e
                .occurrences(*from, from + 366 * DAY, 4)?
                .into_iter()
                .find(|o| !o.cancelled)
                .map(|o| copse_core::domain::when_text(e, &o))
                .unwrap_or_default();
            one.events.insert(
                e.id,
                EventRef {
                    id: e.id,
                    space: e.space,
                    circle_id: e.circle_id,
                    title: e.title.clone(),
                    when,
                },
            );
        }
        out.push(one);
    }
    Ok(out)
}

/// The issue's blocks rendered as HTML and text, links absolute.
pub fn render(state: &App, blocks: &[Block]) -> Rendered {
    let abs = |p: &str| state.absolute(p);
    Rendered {
        html: crate::markdown::to_html(&newsletter::to_markdown(blocks, abs)),
        text: newsletter::to_text(blocks, abs),
    }
}

/// The circles of this community the actor is in.
async fn circles_of(state: &App, gated: &Gated, actor: &Actor) -> Result<HashSet<i64>> {
    Ok(match actor.account_id() {
        Some(id) => state
            .store
            .circle_memberships_between(gated.community.id, id, id)
            .await?
            .into_iter()
            .map(|(_, c)| c)
            .collect(),
        None => HashSet::new(),
    })
}

/// When an issue's events are told from: when it went out, or now for one being prepared.
fn from_time(state: &App, issue: &Newsletter) -> Millis {
    issue.sent_at.unwrap_or_else(|| state.store.now())
}

/// The issue as this viewer reads it on the site.
pub async fn read_as_viewer(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    issue: &Newsletter,
) -> Result<Rendered> {
    Ok(
        read_all_as_viewer(state, actor, gated, std::slice::from_ref(issue))
            .await?
            .pop()
            .unwrap_or_else(|| render(state, &[])),
    )
}

/// Several issues as this viewer reads them, their references read once for all (the feed).
pub async fn read_all_as_viewer(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    issues: &[Newsletter],
) -> Result<Vec<Rendered>> {
    let circles = circles_of(state, gated, actor).await?;
    let bodies: Vec<(&str, Millis)> = issues
        .iter()
        .map(|i| (i.body.as_str(), from_time(state, i)))
        .collect();
    let all = referenced_many(state, gated.community.id, &bodies).await?;
    let reader = Reader {
        actor: *actor,
        standing: gated.standing,
        community: CommunityFacts::from(&gated.community),
        circles: &circles,
    };
    Ok(issues
        .iter()
        .zip(&all)
        .map(|(issue, refs)| render(state, &newsletter::expand(&issue.body, refs, &reader)))
        .collect())
}

/// A coordinator's preview of an issue (found by its community and number) as a kind of
/// reader gets it.
pub async fn preview(
    state: &App,
    actor: &Actor,
    slug: &str,
    number: i64,
    audience: Audience,
) -> Result<(Gated, Newsletter, Rendered)> {
    let (gated, issue) = issue(state, actor, slug, number).await?;
    let rendered = preview_issue(state, actor, &gated, &issue, audience).await?;
    Ok((gated, issue, rendered))
}

/// A coordinator's preview of an issue already gated: as themself, or as a made-up member
/// (in no circle), observer or visitor — no account of theirs matches any author or circle.
pub async fn preview_issue(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    issue: &Newsletter,
    audience: Audience,
) -> Result<Rendered> {
    policy::check(
        actor,
        &gated.standing,
        &CommunityFacts::from(&gated.community),
        CommunityAction::Edit,
    )?;
    let nobody = Actor::Account {
        id: i64::MIN,
        is_admin: false,
    };
    let (reader_actor, role) = match audience {
        Audience::Me => return read_as_viewer(state, actor, gated, issue).await,
        Audience::Member => (nobody, Some(Role::Member)),
        Audience::Observer => (nobody, Some(Role::Observer)),
        Audience::Visitor => (Actor::Anonymous, None),
    };
    let refs = referenced(
        state,
        gated.community.id,
        &issue.body,
        from_time(state, issue),
    )
    .await?;
    let none = HashSet::new();
    let reader = Reader {
        actor: reader_actor,
        standing: Standing {
            role,
            invited: false,
        },
        community: CommunityFacts::from(&gated.community),
        circles: &none,
    };
    Ok(render(
        state,
        &newsletter::expand(&issue.body, &refs, &reader),
    ))
}

// ---------------------------------------------------------------------------------------------
// Editing and sending (coordinators).

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
                    after: 0,
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

// ---------------------------------------------------------------------------------------------
// Subscriptions.

/// One community's newsletter as a person gets it.
#[derive(Debug, Clone)]
pub struct Subscription {
    pub community: CommunityId,
    pub slug: String,
    pub name: String,
    pub subscribed: bool,
}

/// The newsletters of the communities this person is in or follows.
pub async fn subscriptions(state: &App, account: i64) -> Result<Vec<Subscription>> {
    Ok(state
        .store
        .newsletter_choices(account)
        .await?
        .into_iter()
        .map(|(community, slug, name, subscribed)| Subscription {
            community,
            slug,
            name,
            subscribed,
        })
        .collect())
}

/// Subscribes to or leaves the newsletters named by community slug; a community the person is
/// not in is refused.
pub async fn set_subscriptions(
    state: &App,
    account: i64,
    choices: &[(String, bool)],
) -> Result<()> {
    let mine = subscriptions(state, account).await?;
    let mut changes = Vec::with_capacity(choices.len());
    for (slug, on) in choices {
        let s = mine.iter().find(|s| &s.slug == slug).ok_or_else(|| {
            Error::invalid(
                "newsletters",
                format!(
                    "you are not in a community `{}`",
                    slug.chars().take(64).collect::<String>()
                ),
            )
        })?;
        changes.push((s.community, *on));
    }
    for (community, on) in changes {
        state
            .store
            .set_newsletter_optout(account, community, !on)
            .await?;
    }
    Ok(())
}

/// How many copies of a sent issue went out, failed, or are being sent — for those who may edit
/// the community's newsletter; `None` for others and for unsent issues.
pub async fn delivery_counts(
    state: &App,
    actor: &Actor,
    gated: &Gated,
    issue: &Newsletter,
) -> Result<Option<(i64, i64, i64)>> {
    if !gated.may(actor, CommunityAction::Edit) || !issue.status.published() {
        return Ok(None);
    }
    let run = crate::jobs::NewsletterBatch::run(issue.id);
    Ok(Some(state.store.delivery_counts(&run).await?))
}
