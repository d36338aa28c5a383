//! Reading issues: the archive, one issue, and every reader's own expansion of it through the
//! policy — a member's, an observer's, a visitor's, or the coordinator's preview as one of them.

use copse_core::domain::AccountId;
use std::collections::HashSet;

use copse_core::clock::{DAY, Millis};
use copse_core::domain::newsletter::Newsletter;
use copse_core::domain::newsletter::{self, Block, EventRef, Reader, Reference, Referenced};
use copse_core::domain::{CommunityId, Role};
use copse_core::policy::{self, Actor, CommunityAction, CommunityFacts, Standing};
use copse_core::{Error, Result};

use crate::access::{Gated, gate};
use crate::app::App;

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
        html: crate::markdown::to_html_linking(&newsletter::to_markdown(blocks, abs), &abs),
        text: newsletter::to_text(blocks, abs),
    }
}

/// The circles of this community the actor is in.
pub(super) async fn circles_of(state: &App, gated: &Gated, actor: &Actor) -> Result<HashSet<i64>> {
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
        id: AccountId(i64::MIN),
        is_admin: false,
        must_verify: false,
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
            silenced_until: None,
        },
        community: CommunityFacts::from(&gated.community),
        circles: &none,
    };
    Ok(render(
        state,
        &newsletter::expand(&issue.body, &refs, &reader),
    ))
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
