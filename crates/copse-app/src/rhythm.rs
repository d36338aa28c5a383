//! Keeping the rhythm: editing and deleting events, "this and following" splits, changing one
//! occurrence (moved, cancelled, notes), answering for a whole series, check-ins, recaps, and the
//! rhythm view (planned against kept cadence).

use chrono::{DateTime, Datelike, NaiveDateTime, Utc};
use copse_core::clock::Millis;
use copse_core::domain::event::parse_local;
use copse_core::domain::participation::{Act, private_in};
use copse_core::domain::recurrence::MAX_OCCURRENCES;
use copse_core::domain::text::multi_line;
use copse_core::domain::{
    AccountId, AttendanceEntry, Attendee, Event, EventId, EventInput, NewEvent, Occurrence,
    RsvpOutcome,
};
use copse_core::policy::{self, Actor, CommunityAction, CommunityFacts};
use copse_core::{Error, Result};
use copse_store::{NewActivity, OccurrenceChange, Write};

use crate::access::{Gated, gate, gate_event};
use crate::app::App;
use copse_core::clock::DAY;

/// How far ahead an answer for a whole series reaches, and how many occurrences at most.
pub const SERIES_ANSWER_DAYS: i64 = 365;
pub const SERIES_ANSWER_MAX: usize = 100;
/// Check-ins open this long before an occurrence starts.
const CHECK_IN_OPENS_BEFORE: Millis = 3600 * 1000;

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

fn local_format(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S").to_string()
}

fn local_of(event: &Event, ms: Millis) -> NaiveDateTime {
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
        Some(h) => Some(super::events::member_ids(state, &gated, h).await?),
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
    let Some(key) = split else {
        let new = NewEvent::parse(&merged(&event, patch, event.start_local, event.end_local))?;
        let map = mapping(state, &event, &preview(&event, &new), i64::MIN).await?;
        let mut w = state.store.write().await?;
        let updated = async {
            w.update_event(&event, &new, hosts.as_deref(), &map).await?;
            fill_places(&mut w, &event).await
        }
        .await;
        w.finish(updated).await?;
        return state.store.event(id).await?.ok_or(Error::NotFound);
    };
    if !event.is_scheduled(key)? {
        return Err(Error::invalid(
            "from_occurrence",
            "is not the start of an occurrence of this event",
        ));
    }
    if hosts.is_some() {
        return Err(Error::invalid(
            "hosts",
            "change hosts for the whole series, not from one occurrence",
        ));
    }
    let rule = event.rule.clone().expect("a split needs a series");
    let before = event
        .scheduled_starts(event.first_start, key, MAX_OCCURRENCES)?
        .len() as u32;
    let start = local_of(&event, key);
    let mut input = merged(
        &event,
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
    let map = mapping(state, &event, &preview(&event, &new), key).await?;
    let mut w = state.store.write().await?;
    let split = async {
        let new_id = w.split_event(&event, key, &old_rule, &new, &map).await?;
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

async fn scheduled(event: &Event, key: Millis) -> Result<Occurrence> {
    event.occurrence(key)?.ok_or_else(|| {
        Error::invalid(
            "occurrence",
            "is not the start of an occurrence of this event",
        )
    })
}

/// What can be done to one occurrence.
#[derive(Debug, Clone)]
pub enum OccurrenceEdit {
    Cancel,
    Restore,
    /// New local start and end (`2026-03-10T18:00`), or None to put it back on schedule.
    Move(Option<(String, String)>),
    Notes(Option<String>),
}

/// Moves, cancels or annotates one occurrence of a series without touching the others.
pub async fn edit_occurrence(
    state: &App,
    actor: &Actor,
    id: EventId,
    key: Millis,
    edit: &OccurrenceEdit,
) -> Result<Occurrence> {
    let (_, event) = manage(state, actor, id).await?;
    scheduled(&event, key).await?;
    let change = match edit {
        OccurrenceEdit::Cancel => OccurrenceChange::Cancel(true),
        OccurrenceEdit::Restore => OccurrenceChange::Cancel(false),
        OccurrenceEdit::Move(None) => OccurrenceChange::Move(None),
        OccurrenceEdit::Move(Some((start, end))) => {
            let start = parse_local("start", start)?;
            let end = parse_local("end", end)?;
            if end <= start {
                return Err(Error::invalid("end", "must be after the start"));
            }
            if (end - start).num_hours() > 7 * 24 {
                return Err(Error::invalid(
                    "end",
                    "an occurrence may last at most 7 days",
                ));
            }
            copse_core::domain::local_to_utc("start", event.time_zone, start)?;
            copse_core::domain::local_to_utc("end", event.time_zone, end)?;
            OccurrenceChange::Move(Some((start, end)))
        }
        OccurrenceEdit::Notes(notes) => {
            OccurrenceChange::Notes(match notes.as_deref().map(str::trim) {
                None | Some("") => None,
                Some(n) => Some(multi_line("notes", n, 1, 5_000)?),
            })
        }
    };
    state.store.change_occurrence(id, key, &change).await?;
    let event = state.store.event(id).await?.ok_or(Error::NotFound)?;
    scheduled(&event, key).await
}

/// Answers for every upcoming occurrence of a series in the next year (at most 100); each answer
/// goes through the same capacity and waitlist as a single one.
pub async fn rsvp_series(
    state: &App,
    actor: &Actor,
    id: EventId,
    status: &str,
) -> Result<Vec<(Millis, RsvpOutcome)>> {
    let account = actor.account_id().ok_or(Error::Unauthenticated)?;
    let (gated, event) = gate_event(state, actor, id).await?;
    let wanted = crate::events::wanted_answer(actor, &gated, status)?;
    let now = state.now();
    let keys: Vec<Millis> = event
        .occurrences(now + 1, now + SERIES_ANSWER_DAYS * DAY, SERIES_ANSWER_MAX)?
        .into_iter()
        .filter(|o| !o.cancelled)
        .map(|o| o.key)
        .collect();
    if keys.is_empty() {
        return Err(Error::conflict(
            "This event has no upcoming occurrences to answer.",
        ));
    }
    // Every answer or none.
    let mut w = state.store.write().await?;
    let answered = async {
        let mut out = Vec::with_capacity(keys.len());
        for key in keys {
            let outcome = crate::events::answer(&mut w, &event, key, account, wanted).await?;
            out.push((key, outcome));
        }
        Ok(out)
    }
    .await;
    w.finish(answered).await
}

/// Checks someone in to an occurrence (from an hour before it starts): a member by handle, or
/// a walk-in by name. `present = false` takes the check-in back.
pub async fn check_in(
    state: &App,
    actor: &Actor,
    id: EventId,
    key: Millis,
    handle: Option<&str>,
    walk_in: Option<&str>,
    present: bool,
) -> Result<Vec<AttendanceEntry>> {
    let (gated, event) = manage(state, actor, id).await?;
    let occurrence = scheduled(&event, key).await?;
    if occurrence.cancelled {
        return Err(Error::conflict("This occurrence was cancelled."));
    }
    if occurrence.start - CHECK_IN_OPENS_BEFORE > state.store.now() {
        return Err(Error::conflict(
            "Check-in opens an hour before the occurrence starts.",
        ));
    }
    let who = match (
        handle.map(str::trim).filter(|h| !h.is_empty()),
        walk_in.map(str::trim).filter(|w| !w.is_empty()),
    ) {
        (Some(handle), None) => {
            let handle = handle.trim_start_matches('@');
            let account = state
                .store
                .account_by_handle(handle)
                .await?
                .ok_or_else(|| {
                    Error::invalid("handle", format!("nobody has the handle @{handle}"))
                })?;
            let standing = state
                .store
                .standing(gated.community.id, Some(account.id))
                .await?;
            if standing.role.is_none() {
                return Err(Error::invalid(
                    "handle",
                    format!("@{handle} is not in this community; check them in as a walk-in"),
                ));
            }
            Attendee::Member(account.id)
        }
        (None, Some(name)) => Attendee::WalkIn(copse_core::domain::text::single_line(
            "walk_in", name, 1, 100,
        )?),
        _ => {
            return Err(Error::invalid(
                "handle",
                "give either a member's handle or a walk-in's name",
            ));
        }
    };
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let mut w = state.store.write().await?;
    let checked = record_attendance(&mut w, &event, key, &who, by, present).await;
    w.finish(checked).await?;
    state.store.attendance(id, key).await
}

/// Checks someone in (or takes it back) with the member's ledger entry, in one transaction.
async fn record_attendance(
    w: &mut Write,
    event: &Event,
    key: Millis,
    who: &Attendee,
    by: AccountId,
    present: bool,
) -> Result<()> {
    if present {
        w.check_in(event, key, who, by).await?;
    } else {
        w.undo_check_in(event.id, key, who).await?;
    }
    if let Attendee::Member(account) = who {
        let source = format!("attended:{}:{key}:{account}", event.id);
        if present {
            let act = NewActivity {
                community: event.community_id,
                account: *account,
                kind: Act::EventAttended,
                private: private_in(event.space),
                at: w.now(),
                source,
            };
            w.record_activity(&[act]).await?;
        } else {
            w.forget_activity(&source).await?;
        }
    }
    Ok(())
}

/// Who was checked in to an occurrence: hosts, coordinators and leaders see names.
pub async fn attendance(
    state: &App,
    actor: &Actor,
    id: EventId,
    key: Millis,
) -> Result<(Event, Occurrence, Vec<AttendanceEntry>)> {
    let (_, event) = manage(state, actor, id).await?;
    let occurrence = scheduled(&event, key).await?;
    let list = state.store.attendance(id, key).await?;
    Ok((event, occurrence, list))
}

/// Writes the recap of a past occurrence: notes (Markdown) and/or a thread of the same community.
pub async fn recap(
    state: &App,
    actor: &Actor,
    id: EventId,
    key: Millis,
    text: Option<&str>,
    thread: Option<i64>,
) -> Result<Occurrence> {
    let (gated, event) = manage(state, actor, id).await?;
    let occurrence = scheduled(&event, key).await?;
    if occurrence.start > state.store.now() {
        return Err(Error::conflict(
            "A recap can be written once the occurrence has started.",
        ));
    }
    let text = match text.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => Some(multi_line("recap", t, 1, 20_000)?),
        None => None,
    };
    if let Some(thread_id) = thread {
        let found = state.store.thread(thread_id).await?;
        if found.is_none_or(|t| t.community_id != gated.community.id) {
            return Err(Error::invalid(
                "thread",
                "must be a thread of this community",
            ));
        }
    }
    if text.is_none() && thread.is_none() {
        return Err(Error::invalid("recap", "write notes or link a thread"));
    }
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    state
        .store
        .change_occurrence(id, key, &OccurrenceChange::Recap { text, thread, by })
        .await?;
    let event = state.store.event(id).await?.ok_or(Error::NotFound)?;
    scheduled(&event, key).await
}

/// What happened to a past occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kept {
    /// Someone was checked in or a recap was written.
    Held,
    Cancelled,
    /// Neither cancelled nor recorded.
    NotRecorded,
}

/// One occurrence in the rhythm view.
#[derive(Debug, Clone)]
pub struct RhythmEntry {
    pub event: EventId,
    pub title: String,
    pub occurrence: Occurrence,
    pub attended: i64,
    pub kept: Option<Kept>,
    /// The month it falls in, in the event's zone: `2026-10`.
    pub month: String,
    pub time_zone: chrono_tz::Tz,
}

/// One month of the kept cadence.
#[derive(Debug, Clone, Default)]
pub struct MonthKept {
    /// `2026-10`.
    pub month: String,
    pub planned: usize,
    pub held: usize,
    pub cancelled: usize,
    pub not_recorded: usize,
    pub attended: i64,
}

/// A community's rhythm: what is planned, and how it was kept over the last months.
pub struct Rhythm {
    pub gated: Gated,
    /// Series with their rule in words.
    pub series: Vec<(Event, String)>,
    pub upcoming: Vec<RhythmEntry>,
    pub past: Vec<RhythmEntry>,
    pub months: Vec<MonthKept>,
}

pub const RHYTHM_MONTHS: i64 = 6;
const UPCOMING_DAYS: i64 = 60;

pub async fn rhythm(state: &App, actor: &Actor, slug: &str) -> Result<Rhythm> {
    let gated = gate(state, actor, slug, CommunityAction::ReadPublic).await?;
    let events = state
        .store
        .list_events(gated.community.id, policy::thread_filter(actor))
        .await?;
    let now = state.store.now();
    let since = now - RHYTHM_MONTHS * 31 * DAY;
    let ids: Vec<EventId> = events.iter().map(|e| e.id).collect();
    // Keys of moved occurrences can sit a little outside the window; a week covers moves.
    let counts = state
        .store
        .attendance_counts(&ids, since - 7 * DAY, now + 7 * DAY)
        .await?;
    let mut upcoming = Vec::new();
    let mut past = Vec::new();
    for e in &events {
        for o in e.occurrences(since, now + UPCOMING_DAYS * DAY, 400)? {
            let attended = counts.get(&(e.id, o.key)).copied().unwrap_or(0);
            let is_past = o.start <= now;
            let kept = is_past.then(|| {
                if o.cancelled {
                    Kept::Cancelled
                } else if attended > 0 || o.recap.is_some() || o.recap_thread.is_some() {
                    Kept::Held
                } else {
                    Kept::NotRecorded
                }
            });
            let local = DateTime::<Utc>::from_timestamp_millis(o.start)
                .unwrap_or_default()
                .with_timezone(&e.time_zone);
            let entry = RhythmEntry {
                month: format!("{}-{:02}", local.year(), local.month()),
                time_zone: e.time_zone,
                event: e.id,
                title: e.title.clone(),
                occurrence: o,
                attended,
                kept,
            };
            if is_past {
                past.push(entry)
            } else {
                upcoming.push(entry)
            }
        }
    }
    upcoming.sort_by_key(|r| r.occurrence.start);
    past.sort_by_key(|r| std::cmp::Reverse(r.occurrence.start));
    let mut months: Vec<MonthKept> = Vec::new();
    for entry in past.iter().rev() {
        if months.last().is_none_or(|m| m.month != entry.month) {
            months.push(MonthKept {
                month: entry.month.clone(),
                ..MonthKept::default()
            });
        }
        let m = months.last_mut().expect("just pushed");
        m.planned += 1;
        m.attended += entry.attended;
        match entry.kept {
            Some(Kept::Held) => m.held += 1,
            Some(Kept::Cancelled) => m.cancelled += 1,
            _ => m.not_recorded += 1,
        }
    }
    months.reverse();
    let series = events
        .iter()
        .filter_map(|e| e.rule.as_ref().map(|r| (e.clone(), r.describe())))
        .collect();
    upcoming.truncate(50);
    past.truncate(100);
    Ok(Rhythm {
        gated,
        series,
        upcoming,
        past,
        months,
    })
}
