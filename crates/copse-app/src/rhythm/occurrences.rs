//! One occurrence at a time: moving, cancelling or noting it, answering a whole series, check-ins
//! (with the ledger) and recaps.

use copse_core::clock::Millis;
use copse_core::domain::event::parse_local;
use copse_core::domain::participation::{Act, private_in};
use copse_core::domain::text::multi_line;
use copse_core::domain::uploads::AttachedTo;
use copse_core::domain::{
    AccountId, AttendanceEntry, Attendee, Event, EventId, Occurrence, RsvpOutcome,
};
use copse_core::policy::Actor;
use copse_core::{Error, Result};
use copse_store::{NewActivity, OccurrenceChange, Write};

use crate::access::gate_event;
use crate::app::App;
use copse_core::clock::DAY;

use super::edit::{manage, scheduled};

/// How far ahead an answer for a whole series reaches, and how many occurrences at most.
pub const SERIES_ANSWER_DAYS: i64 = 365;

pub const SERIES_ANSWER_MAX: usize = 100;

/// Check-ins open this long before an occurrence starts.
const CHECK_IN_OPENS_BEFORE: Millis = 3600 * 1000;

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

/// Writes the recap of a past occurrence: notes (Markdown) and/or a thread of the same
/// community, with the writer's uploads (`files`, ids) attached to it.
pub async fn recap(
    state: &App,
    actor: &Actor,
    id: EventId,
    key: Millis,
    text: Option<&str>,
    thread: Option<i64>,
    files: &[String],
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
    let files = crate::files::file_ids(files)?;
    if text.is_none() && thread.is_none() && files.is_empty() {
        return Err(Error::invalid(
            "recap",
            "write notes, link a thread or attach files",
        ));
    }
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let body = text.clone().unwrap_or_default();
    let mut w = state.store.write().await?;
    let written = async {
        let change = OccurrenceChange::Recap { text, thread, by };
        w.change_occurrence(id, key, &change).await?;
        let (to, community) = (AttachedTo::Recap { event: id, key }, event.community_id);
        crate::files::attach(state, &mut w, by, &files, &body, to, community).await
    }
    .await;
    w.finish(written).await?;
    let event = state.store.event(id).await?.ok_or(Error::NotFound)?;
    scheduled(&event, key).await
}
