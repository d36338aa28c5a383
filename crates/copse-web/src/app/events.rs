//! Events: creating one-off events and recurring series, listing them, and their occurrences.
//! An event lives in a space like a thread, and the same policy decides who may see it.

use copse_core::clock::Millis;
use copse_core::domain::{Event, EventId, EventInput, NewEvent, Occurrence};
use copse_core::policy::{self, Actor, CommunityAction, CommunityFacts, ThreadAction, ThreadFacts};
use copse_core::{Error, Result};

use super::communities::{Gated, gate};
use crate::state::AppState;

/// The longest window one occurrences request may cover.
pub const MAX_WINDOW_DAYS: i64 = 3 * 366;

/// Creates an event; coordinators and leaders organise events. Hosts are given by handle and
/// must be members.
pub async fn create(
    state: &AppState,
    actor: &Actor,
    slug: &str,
    input: &EventInput,
    hosts: &[String],
) -> Result<Event> {
    let mut new = NewEvent::parse(input)?;
    // Coordinators and leaders plan the community's events; a circle's members plan its own.
    let gated = match (new.space, input.circle) {
        (copse_core::domain::Space::Circle, Some(circle)) => {
            let gated = gate(state, actor, slug, CommunityAction::ReadMembersOnly).await?;
            let gc = super::circles::gate_circle(state, actor, circle, policy::CircleAction::Post)
                .await?;
            if gc.circle.community_id != gated.community.id {
                return Err(Error::invalid(
                    "circle",
                    "must be a circle of this community",
                ));
            }
            new.circle_id = Some(circle);
            gated
        }
        (copse_core::domain::Space::Circle, None) => {
            return Err(Error::invalid("circle", "a circle event needs its circle"));
        }
        (copse_core::domain::Space::Direct, _) => {
            return Err(Error::invalid(
                "space",
                "must be one of: public, members, circle (meetings between two members come from connections)",
            ));
        }
        (_, Some(_)) => {
            return Err(Error::invalid(
                "circle",
                "only circle events belong to a circle",
            ));
        }
        _ => gate(state, actor, slug, CommunityAction::Announce).await?,
    };
    let host_ids = member_ids(state, &gated, hosts).await?;
    let author = actor.account_id().ok_or(Error::Unauthenticated)?;
    let id = state
        .store
        .create_event(gated.community.id, author, &new, &host_ids)
        .await?;
    let event = state.store.event(id).await?.ok_or(Error::NotFound)?;
    for host in &event.hosts {
        super::participation::record(
            state,
            copse_store::NewActivity {
                community: event.community_id,
                account: host.id,
                kind: "event_hosted",
                private: is_private(event.space),
                at: state.store.now(),
                source: format!("hosted:{id}:{}", host.id),
            },
        )
        .await;
    }
    Ok(event)
}

/// Circle events count toward a level but are never named to others.
fn is_private(space: copse_core::domain::Space) -> bool {
    matches!(
        space,
        copse_core::domain::Space::Circle | copse_core::domain::Space::Direct
    )
}

/// The accounts behind hosts' handles (at most 10), each a member of the community.
pub(crate) async fn member_ids(
    state: &AppState,
    gated: &Gated,
    handles: &[String],
) -> Result<Vec<i64>> {
    if handles.len() > 10 {
        return Err(Error::invalid("hosts", "at most 10 hosts"));
    }
    let mut ids = Vec::new();
    for handle in handles {
        let handle = handle.trim().trim_start_matches('@');
        let account = state
            .store
            .account_by_handle(handle)
            .await?
            .ok_or_else(|| Error::invalid("hosts", format!("nobody has the handle @{handle}")))?;
        let standing = state
            .store
            .standing(gated.community.id, Some(account.id))
            .await?;
        if !standing.role.is_some_and(|r| r.is_member()) {
            return Err(Error::invalid(
                "hosts",
                format!("@{handle} is not a member of this community"),
            ));
        }
        ids.push(account.id);
    }
    Ok(ids)
}

/// The community's events the actor may see.
pub async fn list(state: &AppState, actor: &Actor, slug: &str) -> Result<(Gated, Vec<Event>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let events = state
        .store
        .list_events(gated.community.id, policy::thread_filter(actor))
        .await?;
    Ok((gated, events))
}

/// One event, if the actor may see it; otherwise "not found".
pub async fn get(state: &AppState, actor: &Actor, id: EventId) -> Result<(Gated, Event)> {
    let event = state.store.event(id).await?.ok_or(Error::NotFound)?;
    let community = state
        .store
        .community_by_id(event.community_id)
        .await?
        .ok_or(Error::NotFound)?;
    let standing = state
        .store
        .standing(community.id, actor.account_id())
        .await?;
    let private_member = match (event.circle_id, event.conversation_id) {
        (Some(circle), _) => state
            .store
            .circle_role(circle, actor.account_id())
            .await?
            .is_some(),
        (None, Some(conversation)) => {
            state
                .store
                .in_conversation(conversation, actor.account_id())
                .await?
        }
        _ => false,
    };
    let facts = ThreadFacts {
        space: event.space,
        kind: copse_core::domain::ThreadKind::Discussion,
        author: event.hosts.first().map_or(-1, |h| h.id),
        private_member,
    };
    policy::check_thread(
        actor,
        &standing,
        &CommunityFacts::from(&community),
        &facts,
        ThreadAction::Read,
    )?;
    Ok((
        Gated {
            community,
            standing,
        },
        event,
    ))
}

/// Occurrences of an event starting in `[from, to)` (at most 1,000; windows up to 3 years).
pub async fn occurrences(
    state: &AppState,
    actor: &Actor,
    id: EventId,
    from: Millis,
    to: Millis,
) -> Result<(Event, Vec<Occurrence>)> {
    if to <= from {
        return Err(Error::invalid("to", "must be after from"));
    }
    if to - from > MAX_WINDOW_DAYS * 24 * 3600 * 1000 {
        return Err(Error::invalid("to", "the window may cover at most 3 years"));
    }
    let (_, event) = get(state, actor, id).await?;
    let occurrences =
        event.occurrences(from, to, copse_core::domain::recurrence::MAX_OCCURRENCES)?;
    Ok((event, occurrences))
}

/// Answers for one occurrence (RFC 3339 start). Members and observers may answer; an occurrence
/// that has started, or that is not one of the event's, is refused.
pub async fn rsvp(
    state: &AppState,
    actor: &Actor,
    id: EventId,
    occurrence: Millis,
    status: &str,
) -> Result<copse_store::RsvpOutcome> {
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    let (gated, event) = get(state, actor, id).await?;
    if gated.standing.role.is_none() {
        return Err(Error::forbidden("Join or follow the community to answer."));
    }
    let wanted = copse_store::RsvpStatus::parse(status)?;
    if wanted == copse_store::RsvpStatus::Waitlisted {
        return Err(Error::invalid(
            "status",
            "must be one of: going, maybe, not_going",
        ));
    }
    let Some(found) = event.occurrence(occurrence)? else {
        return Err(Error::invalid(
            "occurrence",
            "is not the start of an occurrence of this event",
        ));
    };
    if found.cancelled {
        return Err(Error::conflict(
            "This occurrence was cancelled; answers are closed.",
        ));
    }
    let now = state.store.now();
    if found.start <= now {
        return Err(Error::conflict(
            "This occurrence has already started; answers are closed.",
        ));
    }
    let outcome = state
        .store
        .rsvp(&event, occurrence, account, wanted)
        .await?;
    let source = format!("rsvp:{}:{occurrence}:{account}", event.id);
    if outcome.status == copse_store::RsvpStatus::Going {
        super::participation::record(
            state,
            copse_store::NewActivity {
                community: event.community_id,
                account,
                kind: "rsvp",
                private: is_private(event.space),
                at: now,
                source,
            },
        )
        .await;
    } else {
        super::participation::forget(state, &source).await;
    }
    // People who got a place are told by e-mail, from the job queue.
    for who in &outcome.promoted {
        crate::worker::enqueue_promotion(state, event.id, occurrence, *who, now).await?;
    }
    Ok(outcome)
}

/// Who is coming to one occurrence: counts for every reader, names for those who may see people.
pub async fn rsvps(
    state: &AppState,
    actor: &Actor,
    id: EventId,
    occurrence: Millis,
) -> Result<(copse_store::RsvpSummary, bool)> {
    let (gated, _) = get(state, actor, id).await?;
    let summary = state.store.rsvps(id, occurrence).await?;
    let names = gated.may(actor, CommunityAction::SeeMembers);
    Ok((summary, names))
}
