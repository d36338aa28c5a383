//! Events: creating one-off events and recurring series, listing them, and their occurrences.
//! An event lives in a space like a thread, and the same policy decides who may see it.

use copse_core::clock::Millis;
use copse_core::domain::participation::{Act, private_in};
use copse_core::domain::{
    AccountId, Event, EventId, EventInput, NewEvent, Occurrence, RsvpOutcome, RsvpStatus,
};
use copse_core::policy::{self, Actor, CommunityAction};
use copse_core::{Error, Result};

use copse_store::{NewActivity, Write};

use crate::access::{Gated, gate, gate_event};
use crate::app::App;
use crate::jobs::{Job, Seat};

/// The longest window one occurrences request may cover.
pub const MAX_WINDOW_DAYS: i64 = 3 * 366;

/// Creates an event; coordinators and leaders organise events. Hosts are given by handle and
/// must be members.
pub async fn create(
    state: &App,
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
            let gc = crate::access::gate_circle(state, actor, circle, policy::CircleAction::Post)
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
    let community = gated.community.id;
    let mut w = state.store.write().await?;
    let created = async {
        let id = w.create_event(community, author, &new, &host_ids).await?;
        let hosted: Vec<NewActivity> = host_ids
            .iter()
            .map(|host| NewActivity {
                community,
                account: *host,
                kind: Act::EventHosted,
                private: private_in(new.space),
                at: w.now(),
                source: format!("hosted:{id}:{host}"),
            })
            .collect();
        w.record_activity(&hosted).await?;
        Ok(id)
    }
    .await;
    let id = w.finish(created).await?;
    state.store.event(id).await?.ok_or(Error::NotFound)
}

/// The accounts behind hosts' handles (at most 10), each a member of the community.
pub(crate) async fn member_ids(
    state: &App,
    gated: &Gated,
    handles: &[String],
) -> Result<Vec<AccountId>> {
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
pub async fn list(state: &App, actor: &Actor, slug: &str) -> Result<(Gated, Vec<Event>)> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let events = state
        .store
        .list_events(gated.community.id, policy::thread_filter(actor))
        .await?;
    Ok((gated, events))
}

/// Occurrences of an event starting in `[from, to)` (at most 1,000; windows up to 3 years).
pub async fn occurrences(
    state: &App,
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
    let (_, event) = gate_event(state, actor, id).await?;
    let occurrences =
        event.occurrences(from, to, copse_core::domain::recurrence::MAX_OCCURRENCES)?;
    Ok((event, occurrences))
}

/// Answers for one occurrence (RFC 3339 start). Members and observers may answer; an occurrence
/// that has started, or that is not one of the event's, is refused.
pub async fn rsvp(
    state: &App,
    actor: &Actor,
    id: EventId,
    occurrence: Millis,
    status: &str,
) -> Result<RsvpOutcome> {
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    let (gated, event) = gate_event(state, actor, id).await?;
    let wanted = wanted_answer(actor, &gated, status)?;
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
    let mut w = state.store.write().await?;
    let answered = answer(&mut w, &event, occurrence, account, wanted).await;
    w.finish(answered).await
}

/// The answer someone asks for, if they may answer: members and observers may.
pub(crate) fn wanted_answer(actor: &Actor, gated: &Gated, status: &str) -> Result<RsvpStatus> {
    gated.check(actor, CommunityAction::Answer)?;
    let wanted = RsvpStatus::parse(status)?;
    if wanted == RsvpStatus::Waitlisted {
        return Err(Error::invalid(
            "status",
            "must be one of: going, maybe, not_going",
        ));
    }
    Ok(wanted)
}

/// Records an answer with what it implies, in one transaction: the ledger's RSVP (or taking it
/// back) and a job telling each person who got a place.
pub(crate) async fn answer(
    w: &mut Write,
    event: &Event,
    occurrence: Millis,
    account: AccountId,
    wanted: RsvpStatus,
) -> Result<RsvpOutcome> {
    let outcome = w.rsvp(event, occurrence, account, wanted).await?;
    let source = format!("rsvp:{}:{occurrence}:{account}", event.id);
    if outcome.status == RsvpStatus::Going {
        let act = NewActivity {
            community: event.community_id,
            account,
            kind: Act::Rsvp,
            private: private_in(event.space),
            at: w.now(),
            source,
        };
        w.record_activity(&[act]).await?;
    } else {
        w.forget_activity(&source).await?;
    }
    tell_promoted(w, event, &[(occurrence, outcome.promoted.clone())]).await?;
    Ok(outcome)
}

/// Queues the e-mail to each person who moved up from a waitlist, in the transaction that moved
/// them: (occurrence, people).
pub(crate) async fn tell_promoted(
    w: &mut Write,
    event: &Event,
    promoted: &[(Millis, Vec<AccountId>)],
) -> Result<()> {
    let now = w.now();
    for (key, people) in promoted {
        for account in people {
            let seat = Seat {
                event: event.id,
                key: *key,
                account: *account,
                minutes: 0,
                at: now,
            };
            Job::WaitlistPromoted(seat).add(w, now).await?;
        }
    }
    Ok(())
}

/// Who is coming to one occurrence: counts for every reader, names for those who may see people.
pub async fn rsvps(
    state: &App,
    actor: &Actor,
    id: EventId,
    occurrence: Millis,
) -> Result<(copse_core::domain::RsvpSummary, bool)> {
    let (gated, _) = gate_event(state, actor, id).await?;
    let summary = state.store.rsvps(id, occurrence).await?;
    let names = gated.may(actor, CommunityAction::SeeMembers);
    Ok((summary, names))
}

/// Who answered what for one occurrence of an event already gated as readable.
pub async fn summary(
    state: &App,
    _gated: &Gated,
    event: &Event,
    occurrence: Millis,
) -> Result<copse_core::domain::RsvpSummary> {
    state.store.rsvps(event.id, occurrence).await
}
