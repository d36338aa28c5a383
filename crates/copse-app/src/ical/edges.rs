//! Occurrences at a daylight-saving edge, which calendar apps would read differently from a
//! local time: one that starts in the hour a fall-back repeats (RFC 5545 3.3.5 means the first
//! of the two; ical.js takes the second), and one whose length in local time is not its real
//! length because the clocks change inside it (RFC 5545 3.8.5.3 keeps the exact length;
//! recurring-ical-events counts wall-clock time). Such occurrences are written with UTC times,
//! which every reader takes the same way.

use chrono::{LocalResult, TimeZone, Timelike};
use chrono_tz::Tz;
use copse_core::clock::Millis;
use copse_core::domain::{Event, Occurrence};
use ics::components::Property;

use super::stamps::{local_of, utc_stamp, zoned};

const DAY: Millis = 24 * 3600 * 1000;

/// True when `o`'s local times would be read differently by different clients.
pub(super) fn at_edge(tz: Tz, o: &Occurrence) -> bool {
    let (start, end) = (local_of(tz, o.start), local_of(tz, o.end));
    let ambiguous = matches!(tz.from_local_datetime(&start), LocalResult::Ambiguous(..));
    ambiguous || (end - start).num_milliseconds() != o.end - o.start
}

/// DTSTART and DTEND of `o`: in the event's zone, or in UTC at an edge.
pub(super) fn push_times(v: &mut ics::Event<'_>, tz: Tz, o: &Occurrence) {
    if at_edge(tz, o) {
        v.push(Property::new("DTSTART", utc_stamp(o.start)));
        v.push(Property::new("DTEND", utc_stamp(o.end)));
    } else {
        v.push(zoned("DTSTART", tz, local_of(tz, o.start)));
        v.push(zoned("DTEND", tz, local_of(tz, o.end)));
    }
}

/// The occurrences of a series from a year ago to two years ahead that sit at an edge, and
/// so need a VEVENT of their own. Changes of the clock happen at night (00:00–04:00 local in
/// the tz database), so a series that never touches the night is not looked through.
pub(super) fn edge_keys(event: &Event, now: Millis) -> Vec<Millis> {
    if event.rule.is_none() || !touches_the_night(event) {
        return Vec::new();
    }
    event
        .scheduled_starts(now - 366 * DAY, now + 732 * DAY, 1200)
        .unwrap_or_default()
        .into_iter()
        .filter(|&key| {
            event
                .occurrence(key)
                .ok()
                .flatten()
                .is_some_and(|o| at_edge(event.time_zone, &o))
        })
        .collect()
}

fn touches_the_night(event: &Event) -> bool {
    let (start, end) = (event.start_local, event.end_local);
    start.hour() < 4 || start.hour() >= 22 || end.hour() < 4 || end.date() != start.date()
}
