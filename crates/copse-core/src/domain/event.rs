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
        let first_start = time_zone
            .from_local_datetime(&start_local)
            .earliest()
            .ok_or_else(|| {
                Error::invalid(
                    "start",
                    "does not exist in this time zone (a daylight-saving gap)",
                )
            })?
            .timestamp_millis();
        let rule = match input
            .rule
            .as_deref()
            .map(str::trim)
            .filter(|r| !r.is_empty())
        {
            Some(r) => Some(Recurrence::parse(r, first_start)?),
            None => None,
        };
        let capacity = match input.capacity {
            Some(c) if !(1..=100_000).contains(&c) => {
                return Err(Error::invalid("capacity", "must be from 1 to 100000"));
            }
            c => c,
        };
        Ok(NewEvent {
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

/// An event as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: EventId,
    pub community_id: CommunityId,
    pub space: Space,
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
}

/// One occurrence: when it starts and ends, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occurrence {
    pub start: Millis,
    pub end: Millis,
}

impl Event {
    /// The occurrences starting in `[from, to)`, at most `cap`.
    pub fn occurrences(&self, from: Millis, to: Millis, cap: usize) -> Result<Vec<Occurrence>> {
        let duration = (self.end_local - self.start_local).num_milliseconds();
        let starts = match &self.rule {
            Some(rule) => rule.occurrences(self.start_local, self.time_zone, from, to, cap)?,
            None if self.first_start >= from && self.first_start < to => vec![self.first_start],
            None => Vec::new(),
        };
        // Each occurrence keeps its local duration; across a DST change the UTC length follows.
        Ok(starts
            .into_iter()
            .map(|start| Occurrence {
                start,
                end: start + duration,
            })
            .collect())
    }
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
