//! Connections: a member asks another for a conversation about a topic; an accepted request
//! opens a conversation where either may propose meeting times and the other picks one, which
//! becomes a private event in both members' calendars. And "people to meet".

use std::collections::{HashMap, HashSet};

use copse_core::clock::Millis;
use copse_core::domain::Connection;
use copse_core::domain::Proposal;
use copse_core::domain::text::{multi_line, single_line};
use copse_core::domain::{AccountId, EventInput, MemberEntry, NewEvent, Role, RsvpStatus, Space};
use copse_core::policy::{
    Actor, CommunityAction, ConnectionAction, ConnectionFacts, check_connection,
};
use copse_core::{Error, Result};

use crate::access::gate;
use crate::app::App;
use copse_core::clock::DAY;

/// Connection requests one member may send per day.
pub const MAX_REQUESTS_PER_DAY: i64 = 10;
const MAX_PROPOSALS: usize = 5;

fn me(actor: &Actor) -> Result<AccountId> {
    actor.account_id().ok_or(Error::Unauthenticated)
}

/// Asks `handle` for a conversation about `topic`.
pub async fn request(
    state: &App,
    actor: &Actor,
    handle: &str,
    topic: &str,
    message: &str,
) -> Result<Connection> {
    let me = me(actor)?;
    copse_core::policy::may_publish(actor)?;
    let topic = single_line("topic", topic, 3, 200)?;
    let message = multi_line("message", message, 1, 2_000)?;
    let (to, community) = super::conversations::reachable(state, me, handle)
        .await
        .map_err(|e| match e {
            Error::Invalid { message, .. } => Error::Invalid {
                field: "handle".into(),
                message,
            },
            other => other,
        })?;
    if state.store.pending_connection(me, to).await? {
        return Err(Error::conflict(
            "You already asked them; wait for their answer.",
        ));
    }
    if state
        .store
        .connections_sent_since(me, state.store.now() - DAY)
        .await?
        >= MAX_REQUESTS_PER_DAY
    {
        return Err(Error::too_many(
            "You have sent many connection requests today; try again tomorrow.",
            None,
        ));
    }
    let id = state
        .store
        .create_connection(community, me, to, &topic, &message)
        .await?;
    state.store.connection(id).await?.ok_or(Error::NotFound)
}

/// The actor's requests, sent and received.
pub async fn list(state: &App, actor: &Actor) -> Result<Vec<Connection>> {
    state.store.connections_of(me(actor)?).await
}

/// One request, for the two people in it only.
pub async fn get(state: &App, actor: &Actor, id: i64) -> Result<(Connection, Vec<Proposal>)> {
    let me = me(actor)?;
    let c = state.store.connection(id).await?.ok_or(Error::NotFound)?;
    if c.from.id != me && c.to.id != me {
        return Err(Error::NotFound);
    }
    let proposals = state.store.proposals(id).await?;
    Ok((c, proposals))
}

/// The person asked accepts (a conversation opens with the request as its first message) or
/// declines; the person who asked may withdraw.
pub async fn answer(state: &App, actor: &Actor, id: i64, answer: &str) -> Result<Connection> {
    let me = me(actor)?;
    let (c, _) = get(state, actor, id).await?;
    let facts = ConnectionFacts {
        actor_asked: c.from.id == me,
        actor_was_asked: c.to.id == me,
        blocked: answer == "accept" && state.store.blocked_between(c.from.id, c.to.id).await?,
    };
    match answer {
        "accept" | "decline" => check_connection(&facts, ConnectionAction::Answer)?,
        "withdraw" => check_connection(&facts, ConnectionAction::Withdraw)?,
        _ => {}
    }
    match answer {
        "accept" => {
            // The conversation and the answer commit together.
            let mut w = state.store.write().await?;
            let accepted = async {
                let (conversation, _) = w
                    .create_conversation(
                        c.community_id,
                        c.from.id,
                        &[c.from.id, c.to.id],
                        &c.topic,
                        &c.message,
                    )
                    .await?;
                w.decide_connection(id, "accepted", Some(conversation))
                    .await
            }
            .await;
            w.finish(accepted).await?;
            state.store.connection(id).await?.ok_or(Error::NotFound)
        }
        "decline" | "withdraw" => {
            let status = if answer == "decline" {
                "declined"
            } else {
                "withdrawn"
            };
            state.store.decide_connection(id, status, None).await?;
            state.store.connection(id).await?.ok_or(Error::NotFound)
        }
        _ => Err(Error::invalid(
            "answer",
            "must be one of: accept, decline, withdraw",
        )),
    }
}

/// Proposes a meeting time (local, in a named zone) for an accepted request; at most five.
pub async fn propose(
    state: &App,
    actor: &Actor,
    id: i64,
    time_zone: &str,
    start: &str,
    end: &str,
) -> Result<Vec<Proposal>> {
    let me = me(actor)?;
    let (c, proposals) = get(state, actor, id).await?;
    if c.status != "accepted" {
        return Err(Error::conflict("Meeting times follow an accepted request."));
    }
    if c.event_id.is_some() {
        return Err(Error::conflict("A meeting time was already picked."));
    }
    if proposals.len() >= MAX_PROPOSALS {
        return Err(Error::invalid("start", "at most five proposed times"));
    }
    // The same rules as any event: a real zone, an end after the start, at most a week.
    let checked = NewEvent::parse(&EventInput {
        title: "Meeting".into(),
        time_zone: time_zone.into(),
        start: start.into(),
        end: end.into(),
        ..EventInput::default()
    })?;
    if checked.first_start <= state.store.now() {
        return Err(Error::invalid("start", "must be in the future"));
    }
    state
        .store
        .add_proposal(
            id,
            me,
            checked.time_zone.name(),
            checked.start_local,
            checked.end_local,
            checked.first_start,
        )
        .await?;
    state.store.proposals(id).await
}

/// The other person picks one proposed time: it becomes a private event of the conversation,
/// hosted by both, in both people's calendars.
pub async fn pick(state: &App, actor: &Actor, id: i64, proposal: i64) -> Result<i64> {
    let me = me(actor)?;
    let (c, proposals) = get(state, actor, id).await?;
    let p = proposals
        .iter()
        .find(|p| p.id == proposal)
        .ok_or_else(|| Error::invalid("proposal", "is not a time proposed for this request"))?;
    let facts = ConnectionFacts {
        actor_asked: c.from.id == me,
        actor_was_asked: c.to.id == me,
        blocked: false,
    };
    let pick = ConnectionAction::PickTime {
        proposed_by_actor: p.proposed_by == me,
    };
    check_connection(&facts, pick)?;
    if c.event_id.is_some() {
        return Err(Error::conflict("A meeting time was already picked."));
    }
    let conversation = c
        .conversation_id
        .ok_or_else(|| Error::conflict("Meeting times follow an accepted request."))?;
    if p.starts_at <= state.store.now() {
        return Err(Error::conflict("This time has passed; propose another."));
    }
    let mut new = NewEvent::parse(&EventInput {
        space: Some(Space::Members.as_str().into()),
        title: format!("Conversation: {}", c.topic),
        description: format!(
            "{} and {} meet to talk about: {}",
            c.from.display_name, c.to.display_name, c.topic
        ),
        time_zone: p.time_zone.clone(),
        start: p.start_local.format("%Y-%m-%dT%H:%M").to_string(),
        end: p.end_local.format("%Y-%m-%dT%H:%M").to_string(),
        ..EventInput::default()
    })?;
    new.space = Space::Direct;
    new.conversation_id = Some(conversation);
    let other = if c.from.id == me { c.to.id } else { c.from.id };
    // The meeting, its link to the request and both people's answers commit together: someone
    // who picked at the same moment wins, and nothing of this pick is left.
    let mut w = state.store.write().await?;
    let picked = async {
        let event = w.create_event(c.community_id, me, &new, &[other]).await?;
        w.set_connection_event(id, event).await?;
        let created = w.event(event).await?.ok_or(Error::NotFound)?;
        // Both are going, so both get the usual reminders.
        for who in [c.from.id, c.to.id] {
            w.rsvp(&created, created.first_start, who, RsvpStatus::Going)
                .await?;
        }
        Ok(event)
    }
    .await;
    w.finish(picked).await
}

/// Why `me` might meet `m`: shared expertise (or theirs, when `me` declared none), another
/// organisation or department, and a newcomer meeting someone experienced. `None` when there is
/// no reason.
fn suggestion(
    mine: &MemberEntry,
    m: &MemberEntry,
    my_expertise: &HashSet<String>,
    theirs: &HashSet<String>,
    now: Millis,
) -> Option<Suggestion> {
    let mut reasons = Vec::new();
    let mut score = 0;
    let shared: Vec<&String> = my_expertise.intersection(theirs).collect();
    if !shared.is_empty() {
        score += 3 * shared.len() as i64;
        let mut names: Vec<&str> = shared.iter().map(|s| s.as_str()).collect();
        names.sort_unstable();
        reasons.push(format!("you both know {}", names.join(", ")));
    } else if !theirs.is_empty() && my_expertise.is_empty() {
        score += 1;
        let mut names: Vec<&str> = theirs.iter().map(|s| s.as_str()).take(3).collect();
        names.sort_unstable();
        reasons.push(format!("knows {}", names.join(", ")));
    }
    if m.organisation.is_some() && m.organisation != mine.organisation {
        score += 2;
        reasons.push(format!(
            "works at {}",
            m.organisation.clone().unwrap_or_default()
        ));
    } else if m.department.is_some() && m.department != mine.department {
        score += 1;
        reasons.push(format!(
            "works in {}",
            m.department.clone().unwrap_or_default()
        ));
    }
    let newcomer = |joined: i64| now - joined < NEWCOMER_DAYS * DAY;
    let experienced = |x: &MemberEntry| !newcomer(x.joined_at) || x.role >= Role::Leader;
    if newcomer(mine.joined_at) && experienced(m) {
        score += 2;
        reasons.push("has been here a long time".into());
    } else if newcomer(m.joined_at) && experienced(mine) {
        score += 2;
        reasons.push("is new here".into());
    }
    (score > 0).then(|| Suggestion {
        handle: m.handle.clone(),
        display_name: m.display_name.clone(),
        organisation: m.organisation.clone(),
        reasons,
        score,
    })
}

/// Someone worth meeting, and why.
#[derive(Debug, Clone)]
pub struct Suggestion {
    pub handle: String,
    pub display_name: String,
    pub organisation: Option<String>,
    pub reasons: Vec<String>,
    pub score: i64,
}

const NEWCOMER_DAYS: i64 = 90;

/// People to meet in a community: members who share the actor's expertise or topics, favouring
/// other organisations and departments, and newcomers meeting experienced members. Members only;
/// blocked people and people already asked are left out.
pub async fn people_to_meet(state: &App, actor: &Actor, slug: &str) -> Result<Vec<Suggestion>> {
    let me = me(actor)?;
    let gated = gate(state, actor, slug, CommunityAction::ReadMembersOnly).await?;
    gated.check(actor, CommunityAction::SeePeopleToMeet)?;
    let members = state
        .store
        .members(gated.community.id, false, 200, None)
        .await?
        .items;
    let Some(mine) = members.iter().find(|m| m.account_id == me).cloned() else {
        return Ok(Vec::new());
    };
    let mut expertise: HashMap<String, HashSet<String>> = HashMap::new();
    for (label, handle, _) in state.store.declared_expertise(gated.community.id).await? {
        expertise
            .entry(handle)
            .or_default()
            .insert(label.to_lowercase());
    }
    let asked: HashSet<AccountId> = state
        .store
        .connections_of(me)
        .await?
        .iter()
        .filter(|c| c.status == "pending" || c.status == "accepted")
        .flat_map(|c| [c.from.id, c.to.id])
        .collect();
    let now = state.store.now();
    let my_expertise = expertise.get(&mine.handle).cloned().unwrap_or_default();
    let mut out = Vec::new();
    for m in members
        .iter()
        .filter(|m| m.account_id != me && !asked.contains(&m.account_id))
    {
        if state.store.blocked_between(me, m.account_id).await? {
            continue;
        }
        let theirs = expertise.get(&m.handle).cloned().unwrap_or_default();
        out.extend(suggestion(&mine, m, &my_expertise, &theirs, now));
    }
    out.sort_by(|a, b| {
        b.score
            .cmp(&a.score)
            .then(a.display_name.cmp(&b.display_name))
    });
    out.truncate(12);
    Ok(out)
}

/// Proposal times, for pages: local start in its zone.
pub fn proposal_text(p: &Proposal) -> String {
    format!(
        "{} – {} ({})",
        p.start_local.format("%a %-d %b %Y, %H:%M"),
        p.end_local.format("%H:%M"),
        p.time_zone
    )
}

/// The meeting times proposed for one of the actor's connections (none until it is accepted).
pub async fn proposals(state: &App, actor: &Actor, c: &Connection) -> Result<Vec<Proposal>> {
    let me = actor.account_id().ok_or(Error::Unauthenticated)?;
    if c.from.id != me && c.to.id != me {
        return Err(Error::NotFound);
    }
    if c.status != "accepted" {
        return Ok(Vec::new());
    }
    state.store.proposals(c.id).await
}
