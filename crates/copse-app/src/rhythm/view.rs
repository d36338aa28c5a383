//! The rhythm view: the cadence a community planned against the one it kept, month by month,
//! and what is coming.

use chrono::{DateTime, Datelike, Utc};
use copse_core::Result;
use copse_core::domain::{Event, EventId, Occurrence};
use copse_core::policy::{self, Actor, CommunityAction};

use crate::access::{Gated, gate};
use crate::app::App;
use copse_core::clock::DAY;

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
            let kept = is_past.then(|| kept(&o, attended));
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
    let months = months_kept(&past);
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

/// Whether a past occurrence was held: cancelled, held (someone checked in, or a recap), or not
/// recorded.
fn kept(o: &Occurrence, attended: i64) -> Kept {
    if o.cancelled {
        Kept::Cancelled
    } else if attended > 0 || o.recap.is_some() || o.recap_thread.is_some() {
        Kept::Held
    } else {
        Kept::NotRecorded
    }
}

/// Planned against kept, month by month, newest first (`past` is newest first).
fn months_kept(past: &[RhythmEntry]) -> Vec<MonthKept> {
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
    months
}
