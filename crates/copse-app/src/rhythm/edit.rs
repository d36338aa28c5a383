//! Changing events: editing the whole event or, for a series, "this and following" (a split
//! into a new series), with the places a change frees given to those waiting; deleting.

use chrono::{DateTime, NaiveDateTime, Utc};
use copse_core::clock::Millis;
use copse_core::domain::participation::private_in;
use copse_core::domain::recurrence::MAX_OCCURRENCES;
use copse_core::domain::{AccountId, Event, EventId, EventInput, NewEvent, Occurrence};
use copse_core::policy::{self, Actor, CommunityFacts};
use copse_core::{Error, Result};
use copse_store::Write;

use crate::access::{Gated, gate_event};
use crate::app::App;
use copse_core::clock::DAY;

/// Changes to an event; absent fields keep their value.
#[derive(Debug, Clone, Default)]
pub struct EventPatch {
    pub space: Option<String>,
    pub title: Option<String>,
    pub description: Option<String>,
    pub time_zone: Option<String>,
    pub start: Option<String>,
    pub end: Option<String>,
    /// `Some("")` removes the rule (a one-off).
    pub rule: Option<String>,
    pub online_url: Option<String>,
    pub place: Option<String>,
    /// `Some(None)` removes the capacity.
    pub capacity: Option<Option<i64>>,
    pub hosts: Option<Vec<String>>,
}

/// Hosts, coordinators and leaders manage an event.
pub async fn manage(state: &App, actor: &Actor, id: EventId) -> Result<(Gated, Event)> {
    let (gated, event) = gate_event(state, actor, id).await?;
    let is_host = event.hosts.iter().any(|h| Some(h.id) == actor.account_id());
    policy::check_manage_event(
        actor,
        &gated.standing,
        &CommunityFacts::from(&gated.community),
        is_host,
    )?;
    Ok((gated, event))
}

pub(super) fn local_format(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

pub(super) fn local_of(event: &Event, ms: Millis) -> NaiveDateTime {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&event.time_zone)
        .naive_local()
}

/// The event's current fields with the patch over them.
fn merged(
    event: &Event,
    patch: &EventPatch,
    start: NaiveDateTime,
    end: NaiveDateTime,
) -> EventInput {
    EventInput {
        space: Some(
            patch
                .space
                .clone()
                .unwrap_or_else(|| event.space.as_str().to_string()),
        ),
        title: patch.title.clone().unwrap_or_else(|| event.title.clone()),
        description: patch
            .description
            .clone()
            .unwrap_or_else(|| event.description.clone()),
        time_zone: patch
            .time_zone
            .clone()
            .unwrap_or_else(|| event.time_zone.name().to_string()),
        start: patch.start.clone().unwrap_or_else(|| local_format(start)),
        end: patch.end.clone().unwrap_or_else(|| local_format(end)),
        rule: match &patch.rule {
            Some(r) => Some(r.clone()),
            None => event.rule.as_ref().map(|r| r.to_rrule()),
        },
        online_url: patch
            .online_url
            .clone()
            .or_else(|| event.online_url.clone()),
        place: patch.place.clone().or_else(|| event.place.clone()),
        capacity: match patch.capacity {
            Some(c) => c,
            None => event.capacity,
        },
        circle: event.circle_id,
    }
}

/// An unsaved event with `new`'s schedule, to compute its occurrences.
fn preview(event: &Event, new: &NewEvent) -> Event {
    Event {
        time_zone: new.time_zone,
        start_local: new.start_local,
        end_local: new.end_local,
        first_start: new.first_start,
        rule: new.rule.clone(),
        overrides: Vec::new(),
        cancelled_from: None,
        ..event.clone()
    }
}

/// Old key → new key for the keys in use at or after `since`, by position in each schedule.
async fn mapping(
    state: &App,
    old: &Event,
    new: &Event,
    since: Millis,
) -> Result<Vec<(Millis, Millis)>> {
    let in_use = state.store.occurrence_keys_in_use(old.id, since).await?;
    let Some(last) = in_use.last() else {
        return Ok(Vec::new());
    };
    let old_keys = old.scheduled_starts(since, last + 1, MAX_OCCURRENCES)?;
    // Series end at most ten years after they start (UNTIL) or run on; eleven years covers both.
    let far = new.first_start.max(*last) + 11 * 366 * DAY;
    let new_keys = new.scheduled_starts(new.first_start, far, old_keys.len())?;
    Ok(old_keys
        .iter()
        .zip(new_keys.iter())
        .filter(|(o, _)| in_use.contains(o))
        .map(|(o, n)| (*o, *n))
        .collect())
}

/// Edits the whole event (`from` = None) or, for a series, the occurrence `from` and all after
/// it, which become a new series. Returns the event that now carries the edited occurrences.
pub async fn update(
    state: &App,
    actor: &Actor,
    id: EventId,
    patch: &EventPatch,
    from: Option<Millis>,
) -> Result<Event> {
    let (gated, event) = manage(state, actor, id).await?;
    let hosts = match &patch.hosts {
        Some(h) if h.is_empty() => {
            return Err(Error::invalid("hosts", "an event needs at least one host"));
        }
        Some(h) => Some(crate::events::member_ids(state, &gated, h).await?),
        None => None,
    };
    let split = match (from, &event.rule) {
        (Some(key), Some(_)) if key != event.first_start => Some(key),
        (Some(_), None) => {
            return Err(Error::invalid(
                "from_occurrence",
                "only a series can be split; edit the event itself",
            ));
        }
        _ => None,
    };
    if let Some(space) = patch.space.as_deref() {
        let space = copse_core::domain::Space::parse(space)?;
        if space != event.space && (private_in(space) || private_in(event.space)) {
            return Err(Error::invalid(
                "space",
                "an event cannot move into or out of a circle or a conversation",
            ));
        }
    }
    match split {
        None => update_whole(state, &event, patch, hosts.as_deref()).await,
        Some(key) => split_from(state, &event, patch, key, hosts.is_some()).await,
    }
}

/// Edits the whole event, in one transaction with the places it frees.
async fn update_whole(
    state: &App,
    event: &Event,
    patch: &EventPatch,
    hosts: Option<&[AccountId]>,
) -> Result<Event> {
    let new = NewEvent::parse(&merged(event, patch, event.start_local, event.end_local))?;
    let map = mapping(state, event, &preview(event, &new), i64::MIN).await?;
    let mut w = state.store.write().await?;
    let updated = async {
        w.update_event(event, &new, hosts, &map).await?;
        fill_places(&mut w, event).await
    }
    .await;
    w.finish(updated).await?;
    state.store.event(event.id).await?.ok_or(Error::NotFound)
}

/// "This and following": the series ends before `key` and a new one starts there, carrying the
/// answers, attendance and notes of the occurrences it takes over.
async fn split_from(
    state: &App,
    event: &Event,
    patch: &EventPatch,
    key: Millis,
    changes_hosts: bool,
) -> Result<Event> {
    if !event.is_scheduled(key)? {
        return Err(Error::invalid(
            "from_occurrence",
            "is not the start of an occurrence of this event",
        ));
    }
    if changes_hosts {
        return Err(Error::invalid(
            "hosts",
            "change hosts for the whole series, not from one occurrence",
        ));
    }
    let rule = event.rule.clone().expect("a split needs a series");
    let before = event
        .scheduled_starts(event.first_start, key, MAX_OCCURRENCES)?
        .len() as u32;
    let start = local_of(event, key);
    let mut input = merged(
        event,
        patch,
        start,
        start + (event.end_local - event.start_local),
    );
    if patch.rule.is_none() {
        // The rest of a counted series keeps the count that is left.
        let mut rest = rule.clone();
        rest.count = rule.count.map(|c| c.saturating_sub(before).max(1));
        input.rule = Some(rest.to_rrule());
    }
    let new = NewEvent::parse(&input)?;
    let mut old_rule = rule;
    old_rule.count = None;
    old_rule.until = Some(key - 1000);
    let map = mapping(state, event, &preview(event, &new), key).await?;
    let mut w = state.store.write().await?;
    let split = async {
        let new_id = w.split_event(event, key, &old_rule, &new, &map).await?;
        // The new series may have room for people waiting (a larger capacity).
        let created = Event {
            id: new_id,
            capacity: new.capacity,
            ..event.clone()
        };
        fill_places(&mut w, &created).await?;
        Ok(new_id)
    }
    .await;
    let new_id = w.finish(split).await?;
    state.store.event(new_id).await?.ok_or(Error::NotFound)
}

/// After a change that may have made room (capacity raised or lifted), the waitlists move up
/// and those who got a place are told — in the transaction of the change.
async fn fill_places(w: &mut Write, event: &Event) -> Result<()> {
    let promoted: Vec<(Millis, Vec<AccountId>)> = w
        .fill_from_waitlists(event)
        .await?
        .into_iter()
        .map(|(key, who)| (key, vec![who]))
        .collect();
    crate::events::tell_promoted(w, event, &promoted).await
}

/// Deletes an event with all its occurrences.
pub async fn delete(state: &App, actor: &Actor, id: EventId) -> Result<()> {
    manage(state, actor, id).await?;
    state.store.delete_event(id).await
}

pub(super) async fn scheduled(event: &Event, key: Millis) -> Result<Occurrence> {
    event.occurrence(key)?.ok_or_else(|| {
        Error::invalid(
            "occurrence",
            "is not the start of an occurrence of this event",
        )
    })
}
