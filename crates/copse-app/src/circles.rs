//! Circles: creating them, seeing and reading them, asking to join, invitations, admitting,
//! removing and leaving, and moving a thread into one. Every check goes through
//! `policy::decide_circle`.

use copse_core::clock::Millis;
use copse_core::domain::AccountId;
use copse_core::domain::Circle;
use copse_core::domain::CircleId;
use copse_core::domain::CircleRequest;
use copse_core::domain::CircleRole;
use copse_core::domain::text::{multi_line, single_line};
use copse_core::domain::{Event, Space, Thread};
use copse_core::policy::{self, Actor, CircleAction, CommunityAction};
use copse_core::{Error, Result};

use crate::access::{Gated, GatedCircle, facts, gate, gate_circle};
use crate::app::App;

/// A circle's page: the circle if the actor may see it, or — for someone invited to a hidden
/// circle, who may not see it yet but may answer — the circle with no role. Also says whether
/// the actor has a pending `request` or `invitation`.
pub async fn for_page(
    state: &App,
    actor: &Actor,
    id: CircleId,
) -> Result<(GatedCircle, Option<String>)> {
    let me = actor.account_id();
    let pending = match me {
        Some(me) => state.store.circle_request_of(id, me).await?,
        None => None,
    };
    match gate_circle(state, actor, id, CircleAction::See).await {
        Ok(gc) => Ok((gc, pending)),
        Err(Error::NotFound) if pending.as_deref() == Some("invitation") => {
            let circle = state.store.circle(id).await?.ok_or(Error::NotFound)?;
            let community = state
                .store
                .community_by_id(circle.community_id)
                .await?
                .ok_or(Error::NotFound)?;
            let standing = state.store.standing(community.id, me).await?;
            let gated = Gated {
                community,
                standing,
            };
            let gc = GatedCircle {
                gated,
                circle,
                role: None,
            };
            Ok((gc, pending))
        }
        Err(e) => Err(e),
    }
}

/// The actor's place in each of these circles.
pub async fn roles_in(
    state: &App,
    actor: &Actor,
    circles: &[Circle],
) -> Result<Vec<Option<CircleRole>>> {
    let mut roles = Vec::with_capacity(circles.len());
    for c in circles {
        roles.push(state.store.circle_role(c.id, actor.account_id()).await?);
    }
    Ok(roles)
}

/// Raw circle fields.
#[derive(Debug, Clone, Default)]
pub struct CircleInput {
    pub name: String,
    pub purpose: String,
    pub listed: bool,
    /// RFC 3339 or a date `2027-06-30`; the circle ends at its start (UTC).
    pub ends: Option<String>,
}

fn parse_end(raw: Option<&str>, now: Millis) -> Result<Option<Millis>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let at = chrono::DateTime::parse_from_rfc3339(raw)
        .map(|t| t.timestamp_millis())
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d").map(|d| {
                d.and_hms_opt(0, 0, 0)
                    .expect("midnight")
                    .and_utc()
                    .timestamp_millis()
            })
        })
        .map_err(|_| Error::invalid("ends", "must be a date like 2027-06-30"))?;
    if at <= now {
        return Err(Error::invalid("ends", "must be in the future"));
    }
    if at - now > 10 * 366 * 24 * 3600 * 1000 {
        return Err(Error::invalid("ends", "must be within ten years"));
    }
    Ok(Some(at))
}

/// Starts a circle; any member of the community may, and becomes its host.
pub async fn create(state: &App, actor: &Actor, slug: &str, input: &CircleInput) -> Result<Circle> {
    let gated = gate(state, actor, slug, CommunityAction::Post).await?;
    let name = single_line("name", &input.name, 3, 80)?;
    let purpose = multi_line("purpose", &input.purpose, 3, 2_000)?;
    let ends = parse_end(input.ends.as_deref(), state.store.now())?;
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    let id = state
        .store
        .create_circle(gated.community.id, me, &name, &purpose, input.listed, ends)
        .await?;
    state.store.circle(id).await?.ok_or(Error::NotFound)
}

/// The circles of a community the actor may know of: listed ones for members, and their own.
pub async fn list(state: &App, actor: &Actor, slug: &str) -> Result<(Gated, Vec<Circle>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let member = gated.may(actor, CommunityAction::ReadMembersOnly) && actor.account_id().is_some();
    let admin = matches!(actor, Actor::Account { is_admin: true, .. });
    // Observers and outsiders see no circle, even their own after leaving the community.
    let circles = if member || admin {
        state
            .store
            .circles_of(gated.community.id, actor.account_id(), member, admin)
            .await?
    } else {
        Vec::new()
    };
    Ok((gated, circles))
}

/// A circle's threads and events, for those who may read it.
pub async fn contents(
    state: &App,
    actor: &Actor,
    id: CircleId,
) -> Result<(GatedCircle, Vec<Thread>, Vec<Event>)> {
    let gc = gate_circle(state, actor, id, CircleAction::Read).await?;
    let threads = state.store.circle_threads(id, 100).await?;
    let events = state
        .store
        .list_events(gc.gated.community.id, policy::thread_filter(actor))
        .await?
        .into_iter()
        .filter(|e| e.circle_id == Some(id))
        .collect();
    Ok((gc, threads, events))
}

async fn account_in_community(state: &App, gated: &Gated, handle: &str) -> Result<AccountId> {
    let handle = handle.trim().trim_start_matches('@');
    let account = state
        .store
        .account_by_handle(handle)
        .await?
        .filter(|a| !a.is_suspended())
        .ok_or_else(|| Error::invalid("handle", format!("nobody has the handle @{handle}")))?;
    let standing = state
        .store
        .standing(gated.community.id, Some(account.id))
        .await?;
    if !standing.role.is_some_and(|r| r.is_member()) {
        return Err(Error::invalid(
            "handle",
            format!("@{handle} is not a member of this community"),
        ));
    }
    Ok(account.id)
}

/// Asks to join a listed circle.
pub async fn request(
    state: &App,
    actor: &Actor,
    id: CircleId,
    message: Option<&str>,
) -> Result<()> {
    gate_circle(state, actor, id, CircleAction::RequestToJoin).await?;
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    let message = match message.map(str::trim).filter(|m| !m.is_empty()) {
        Some(m) => Some(multi_line("message", m, 1, 1_000)?),
        None => None,
    };
    state
        .store
        .add_circle_request(id, me, "request", message.as_deref(), me)
        .await
}

/// A host invites a member of the community.
pub async fn invite(state: &App, actor: &Actor, id: CircleId, handle: &str) -> Result<()> {
    let gc = gate_circle(state, actor, id, CircleAction::Manage).await?;
    let who = account_in_community(state, &gc.gated, handle).await?;
    if state.store.circle_role(id, Some(who)).await?.is_some() {
        return Err(Error::conflict("They are already in this circle."));
    }
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    state
        .store
        .add_circle_request(id, who, "invitation", None, me)
        .await
}

/// A host admits someone who asked (or declines, with `admit = false`).
pub async fn answer_request(
    state: &App,
    actor: &Actor,
    id: CircleId,
    handle: &str,
    admit: bool,
) -> Result<()> {
    let gc = gate_circle(state, actor, id, CircleAction::Manage).await?;
    let who = account_in_community(state, &gc.gated, handle).await?;
    if state.store.circle_request_of(id, who).await?.as_deref() != Some("request") {
        return Err(Error::NotFound);
    }
    if admit {
        state
            .store
            .add_circle_member(&gc.circle, who, CircleRole::Member)
            .await
    } else {
        state.store.drop_circle_request(id, who).await
    }
}

/// The invited person accepts or declines. Someone without an invitation learns nothing.
pub async fn answer_invitation(
    state: &App,
    actor: &Actor,
    id: CircleId,
    accept: bool,
) -> Result<()> {
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    if state.store.circle_request_of(id, me).await?.as_deref() != Some("invitation") {
        return Err(Error::NotFound);
    }
    let circle = state.store.circle(id).await?.ok_or(Error::NotFound)?;
    let standing = state.store.standing(circle.community_id, Some(me)).await?;
    if !standing.role.is_some_and(|r| r.is_member()) {
        return Err(Error::NotFound);
    }
    if accept {
        state
            .store
            .add_circle_member(&circle, me, CircleRole::Member)
            .await
    } else {
        state.store.drop_circle_request(id, me).await
    }
}

/// A host removes someone, or a member leaves (`handle` = their own). The last host cannot leave.
pub async fn remove(state: &App, actor: &Actor, id: CircleId, handle: &str) -> Result<()> {
    let gc = gate_circle(state, actor, id, CircleAction::See).await?;
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    let who = state
        .store
        .account_by_handle(handle.trim().trim_start_matches('@'))
        .await?
        .ok_or(Error::NotFound)?;
    if who.id != me {
        policy::check_circle(
            actor,
            &gc.gated.standing,
            &facts(&gc.circle, &gc.gated.community, gc.role, state.store.now()),
            CircleAction::Manage,
        )?;
    }
    let members = state.store.circle_members(id).await?;
    let hosts: Vec<_> = members
        .iter()
        .filter(|(_, r)| *r == CircleRole::Host)
        .collect();
    if hosts.len() == 1 && hosts[0].0.id == who.id {
        return Err(Error::conflict(
            "The circle's only host cannot leave; make someone else a host first.",
        ));
    }
    if !members.iter().any(|(p, _)| p.id == who.id) {
        return Err(Error::NotFound);
    }
    state.store.remove_circle_member(id, who.id).await
}

/// A host makes a member a host too.
pub async fn make_host(state: &App, actor: &Actor, id: CircleId, handle: &str) -> Result<()> {
    let gc = gate_circle(state, actor, id, CircleAction::Manage).await?;
    let who = account_in_community(state, &gc.gated, handle).await?;
    if state.store.circle_role(id, Some(who)).await?.is_none() {
        return Err(Error::invalid(
            "handle",
            "only members of the circle can be hosts",
        ));
    }
    state
        .store
        .add_circle_member(&gc.circle, who, CircleRole::Host)
        .await
}

/// Members and pending requests, for those who may read the circle (requests for hosts only).
pub async fn people(
    state: &App,
    actor: &Actor,
    id: CircleId,
) -> Result<(
    GatedCircle,
    Vec<(copse_core::domain::Person, CircleRole)>,
    Vec<CircleRequest>,
)> {
    let gc = gate_circle(state, actor, id, CircleAction::Read).await?;
    let members = state.store.circle_members(id).await?;
    let requests = if gc.may(actor, CircleAction::Manage, state.store.now()) {
        state.store.circle_requests(id).await?
    } else {
        Vec::new()
    };
    Ok((gc, members, requests))
}

/// Moves a thread into a circle of its community: from then on only the circle reads it. The
/// thread's author or a coordinator, who must also be in the circle.
pub async fn move_thread(
    state: &App,
    actor: &Actor,
    thread: i64,
    circle: CircleId,
) -> Result<Thread> {
    let gt = crate::access::gate_thread(state, actor, thread, policy::ThreadAction::Edit).await?;
    let gc = gate_circle(state, actor, circle, CircleAction::Post).await?;
    if gc.circle.community_id != gt.thread.community_id {
        return Err(Error::invalid(
            "circle",
            "must be a circle of the thread's community",
        ));
    }
    state
        .store
        .move_thread(thread, Space::Circle.as_str(), Some(circle))
        .await?;
    state.store.thread(thread).await?.ok_or(Error::NotFound)
}

/// The circles of a community the actor is in, by name (for choosing one on a form).
pub async fn mine_in(state: &App, actor: &Actor, gated: &Gated) -> Result<Vec<Circle>> {
    match actor.account_id() {
        Some(me) => {
            state
                .store
                .circles_of(gated.community.id, Some(me), false, false)
                .await
        }
        None => Ok(Vec::new()),
    }
}
