//! Events of a community: one-off or a recurring series, in a named time zone, online and/or in
//! a place, with hosts and an optional capacity.

use chrono::{NaiveDateTime, TimeZone};
use chrono_tz::Tz;

use super::recurrence::Recurrence;
use super::text::{multi_line, optional_line, single_line};
use super::thread::{Person, Space, parse_link};
use crate::clock::Millis;
use crate::domain::community::CommunityId;
use crate::error::{Error, Result};

pub type EventId = i64;

/// Longest an occurrence may last.
const MAX_DURATION_HOURS: i64 = 7 * 24;

/// A local date and time as typed: `2026-03-10T18:00` (seconds optional).
pub fn parse_local(field: &str, raw: &str) -> Result<NaiveDateTime> {
    let raw = raw.trim();
    NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(raw, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| Error::invalid(field, "must be a local date and time like 2026-03-10T18:00"))
        .and_then(|t| {
            use chrono::Datelike;
            if (1900..=9999).contains(&t.year()) {
                Ok(t)
            } else {
                Err(Error::invalid(
                    field,
                    "must be a year between 1900 and 9999",
                ))
            }
        })
}

/// A validated new event.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub space: Space,
    /// The circle, for an event in the circle space (set by the use case, not parsed).
    pub circle_id: Option<i64>,
    /// The direct conversation, for a meeting two members agreed on.
    pub conversation_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub time_zone: Tz,
    pub start_local: NaiveDateTime,
    pub end_local: NaiveDateTime,
    /// The first start, UTC.
    pub first_start: Millis,
    pub rule: Option<Recurrence>,
    pub online_url: Option<String>,
    pub place: Option<String>,
    pub capacity: Option<i64>,
}

/// Raw event fields as they arrive.
#[derive(Debug, Clone, Default)]
pub struct EventInput {
    pub space: Option<String>,
    pub title: String,
    pub description: String,
    pub time_zone: String,
    pub start: String,
    pub end: String,
    pub rule: Option<String>,
    pub online_url: Option<String>,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    /// With space `circle`: the circle.
    pub circle: Option<i64>,
}

impl NewEvent {
    pub fn parse(input: &EventInput) -> Result<NewEvent> {
        let time_zone: Tz = input.time_zone.trim().parse().map_err(|_| {
            Error::invalid(
                "time_zone",
                "must be an IANA time zone such as Europe/Berlin",
            )
        })?;
        let start_local = parse_local("start", &input.start)?;
        let end_local = parse_local("end", &input.end)?;
        if end_local <= start_local {
            return Err(Error::invalid("end", "must be after the start"));
        }
        if (end_local - start_local).num_hours() > MAX_DURATION_HOURS {
            return Err(Error::invalid(
                "end",
                "an occurrence may last at most 7 days",
            ));
        }
        let first_start = local_to_utc("start", time_zone, start_local)?;
        let rule = match input
            .rule
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(r) => Some(Recurrence::parse(r, first_start)?),
            None => None,
        };
        // Calendar apps always count DTSTART as the first occurrence; copse's expansion only
        // counts what the rule gives. Requiring the start to be one keeps both the same.
        if let Some(rule) = &rule {
            let first =
                rule.occurrences(start_local, time_zone, first_start, first_start + 1, 1)?;
            if first.first() != Some(&first_start) {
                return Err(Error::invalid(
                    "start",
                    "must be an occurrence of the rule (for BYDAY=2TU, a second Tuesday)",
                ));
            }
        }
        let capacity = match input.capacity {
            Some(c) if !(1..=100_000).contains(&c) => {
                return Err(Error::invalid("capacity", "must be from 1 to 100000"));
            }
            c => c,
        };
        Ok(NewEvent {
            circle_id: None,
            conversation_id: None,
            space: input
                .space
                .as_deref()
                .map(Space::parse)
                .transpose()?
                .unwrap_or(Space::Public),
            title: single_line("title", &input.title, 3, 200)?,
            description: if input.description.trim().is_empty() {
                String::new()
            } else {
                multi_line("description", &input.description, 1, 20_000)?
            },
            time_zone,
            start_local,
            end_local,
            first_start,
            rule,
            online_url: parse_link(input.online_url.as_deref()).map_err(|_| {
                Error::invalid("online_url", "must be an http:// or https:// address")
            })?,
            place: input
                .place
                .as_deref()
                .map(|p| optional_line("place", p, 300))
                .transpose()?
                .flatten(),
            capacity,
        })
    }
}

impl NewEvent {
    /// True when the occurrences' starts would differ from `event`'s (zone, start or rule).
    pub fn schedule_differs(&self, event: &Event) -> bool {
        self.time_zone != event.time_zone
            || self.start_local != event.start_local
            || self.rule != event.rule
    }
}

/// An event as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub community_id: CommunityId,
    pub space: Space,
    pub circle_id: Option<i64>,
    pub conversation_id: Option<i64>,
    pub title: String,
    pub description: String,
    pub time_zone: Tz,
    pub start_local: NaiveDateTime,
    pub end_local: NaiveDateTime,
    pub first_start: Millis,
    pub rule: Option<Recurrence>,
    pub online_url: Option<String>,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    pub hosts: Vec<Person>,
    pub sequence: i64,
    /// Occurrences changed on their own, by key.
    pub overrides: Vec<OccurrenceOverride>,
    /// Every occurrence starting at or after this is cancelled: the event's community was
    /// archived then. `None` while the community is open.
    pub cancelled_from: Option<Millis>,
}

/// How one occurrence of a series differs from the rule: keyed by its original start (the
/// RECURRENCE-ID), it may be cancelled, moved, or carry its own notes and, afterwards, a recap.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct OccurrenceOverride {
    /// The start the rule gives, UTC; the occurrence's identity.
    pub key: Millis,
    pub cancelled: bool,
    /// New local start and end, in the event's time zone.
    pub moved: Option<(NaiveDateTime, NaiveDateTime)>,
    pub notes: Option<String>,
    pub recap: Option<String>,
    pub recap_thread: Option<i64>,
    /// Incremented on every change; added to the event's SEQUENCE in calendar feeds.
    pub sequence: i64,
}

/// One occurrence: its identity (the start the rule gives) and when it really starts and ends,
/// UTC, with what was changed for it alone.
#[derive(Debug, Clone, PartialEq)]
pub struct Occurrence {
    /// The original start; RSVPs, attendance and overrides refer to it.
    pub key: Millis,
    pub start: Millis,
    pub end: Millis,
    pub cancelled: bool,
    pub notes: Option<String>,
    pub recap: Option<String>,
    pub recap_thread: Option<i64>,
}

/// Converts a local time of `tz` to UTC milliseconds (the earlier one when ambiguous).
pub fn local_to_utc(field: &str, tz: Tz, local: NaiveDateTime) -> Result<Millis> {
    tz.from_local_datetime(&local)
        .earliest()
        .map(|t| t.timestamp_millis())
        .ok_or_else(|| {
            Error::invalid(
                field,
                "does not exist in this time zone (a daylight-saving gap)",
            )
        })
}

impl Event {
    /// True when an occurrence starting at `start` is cancelled because the community was
    /// archived before it.
    pub fn archived_at(&self, start: Millis) -> bool {
        self.cancelled_from.is_some_and(|from| start >= from)
    }

    /// How long each occurrence lasts in local time.
    fn local_duration(&self) -> chrono::Duration {
        self.end_local - self.start_local
    }

    /// How long the first occurrence lasts in elapsed time (milliseconds): its local length,
    /// unless a daylight-saving change falls inside it.
    fn exact_duration(&self) -> Millis {
        local_to_utc("end", self.time_zone, self.end_local)
            .map(|end| end - self.first_start)
            .unwrap_or_else(|_| self.local_duration().num_milliseconds())
    }

    /// The starts the rule itself gives in `[from, to)`, at most `cap`: the occurrence keys.
    pub fn scheduled_starts(&self, from: Millis, to: Millis, cap: usize) -> Result<Vec<Millis>> {
        match &self.rule {
            Some(rule) => rule.occurrences(self.start_local, self.time_zone, from, to, cap),
            None if self.first_start >= from && self.first_start < to => Ok(vec![self.first_start]),
            None => Ok(Vec::new()),
        }
    }

    /// True when `key` is a start the rule gives.
    pub fn is_scheduled(&self, key: Millis) -> Result<bool> {
        Ok(self.scheduled_starts(key, key + 1, 1)?.first() == Some(&key))
    }

    fn build(&self, key: Millis) -> Result<Occurrence> {
        let over = self.overrides.iter().find(|o| o.key == key);
        let (start, end) = match over.and_then(|o| o.moved) {
            Some((s, e)) => (
                local_to_utc("start", self.time_zone, s)?,
                local_to_utc("end", self.time_zone, e)?,
            ),
            // Every occurrence lasts exactly as long as the first (RFC 5545 3.8.5.3), so one
            // that spans a daylight-saving change keeps its length, as calendar apps show it.
            None => (key, key + self.exact_duration()),
        };
        Ok(Occurrence {
            key,
            start,
            end,
            cancelled: over.is_some_and(|o| o.cancelled) || self.archived_at(start),
            notes: over.and_then(|o| o.notes.clone()),
            recap: over.and_then(|o| o.recap.clone()),
            recap_thread: over.and_then(|o| o.recap_thread),
        })
    }

    /// One occurrence by its key, if the rule gives it.
    pub fn occurrence(&self, key: Millis) -> Result<Option<Occurrence>> {
        if !self.is_scheduled(key)? {
            return Ok(None);
        }
        self.build(key).map(Some)
    }

    /// The occurrences (cancelled ones included, marked) whose actual start is in `[from, to)`,
    /// at most `cap`, by start. A moved occurrence appears where it was moved to.
    pub fn occurrences(&self, from: Millis, to: Millis, cap: usize) -> Result<Vec<Occurrence>> {
        let mut out = Vec::new();
        for key in self.scheduled_starts(from, to, cap)? {
            let o = self.build(key)?;
            if o.start >= from && o.start < to {
                out.push(o);
            }
        }
        for over in self.overrides.iter().filter(|o| o.moved.is_some()) {
            if out.iter().any(|o| o.key == over.key) || !self.is_scheduled(over.key)? {
                continue;
            }
            let o = self.build(over.key)?;
            if o.start >= from && o.start < to {
                out.push(o);
            }
        }
        out.sort_by_key(|o| (o.start, o.key));
        out.truncate(cap);
        Ok(out)
    }
}

/// "Tuesday 10 March 2026, 18:00–19:30 (Europe/Berlin)".
pub fn when_text(event: &Event, o: &Occurrence) -> String {
    let tz = event.time_zone;
    let at = |ms: Millis| {
        chrono::DateTime::<chrono::Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&tz)
    };
    let (start, end) = (at(o.start), at(o.end));
    let end_text = if start.date_naive() == end.date_naive() {
        end.format("%H:%M").to_string()
    } else {
        end.format("%A %-d %B %Y, %H:%M").to_string()
    };
    format!(
        "{}–{} ({})",
        start.format("%A %-d %B %Y, %H:%M"),
        end_text,
        tz.name()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> EventInput {
        EventInput {
            title: "Monthly practice meeting".into(),
            time_zone: "Europe/London".into(),
            start: "2026-01-13T14:00".into(),
            end: "2026-01-13T15:30".into(),
            rule: Some("FREQ=MONTHLY;BYDAY=2TU".into()),
            ..EventInput::default()
        }
    }

    #[test]
    fn events_validate_their_times() {
        let e = NewEvent::parse(&input()).unwrap();
        assert_eq!(e.first_start, 1_768_312_800_000);
        for (change, field) in [
            (
                EventInput {
                    end: "2026-01-13T13:00".into(),
                    ..input()
                },
                "end",
            ),
            (
                EventInput {
                    time_zone: "Mars/Base".into(),
                    ..input()
                },
                "time_zone",
            ),
            (
                EventInput {
                    start: "10000-01-01T10:00".into(),
                    ..input()
                },
                "start",
            ),
            (
                EventInput {
                    rule: Some("FREQ=SECONDLY".into()),
                    ..input()
                },
                "rule",
            ),
            (
                EventInput {
                    start: "2026-01-14T14:00".into(),
                    end: "2026-01-14T15:30".into(),
                    ..input()
                },
                "start",
            ),
            (
                EventInput {
                    capacity: Some(0),
                    ..input()
                },
                "capacity",
            ),
            (
                EventInput {
                    online_url: Some("javascript:x".into()),
                    ..input()
                },
                "online_url",
            ),
            (
                EventInput {
                    start: "2026-03-29T01:30".into(),
                    end: "2026-03-29T03:30".into(),
                    ..input()
                },
                "start",
            ),
            (
                EventInput {
                    end: "2026-01-25T15:30".into(),
                    ..input()
                },
                "end",
            ),
        ] {
            let err = NewEvent::parse(&change).unwrap_err();
            assert!(
                matches!(err, Error::Invalid { field: ref f, .. } if f == field),
                "{field}: {err:?}"
            );
        }
    }
}
