//! iCalendar (RFC 5545) output: the community feed, the personal feed and single-event
//! downloads. The `ics` crate writes the lines (folding at 75 octets); text values are escaped
//! here with its `escape_text`.
//!
//! A series is one VEVENT with its RRULE in the series' own time zone (so 18:00 stays 18:00
//! across daylight-saving changes), cancelled occurrences as EXDATE, and one VEVENT with a
//! RECURRENCE-ID for each occurrence that was moved, has its own notes, or — in a personal feed —
//! has the member's answer. Every zone used gets a VTIMEZONE built from the tz database.
//! UIDs are stable (`event-<id>@<host>`) and SEQUENCE grows with every change.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use copse_core::clock::Millis;
use copse_core::domain::RsvpStatus;
use copse_core::domain::recurrence::Recurrence;
use copse_core::domain::{Event, Occurrence};
use ics::components::{Parameter, Property};
use ics::{Daylight, ICalendar, Standard, TimeZone as VTimeZone, escape_text};

/// The years before the earliest event and after now that zone definitions cover.
const ZONE_YEARS_BEFORE: i32 = 1;
const ZONE_YEARS_AFTER: i32 = 11;

/// One event in a feed, with what the reader answered (personal feeds only).
pub struct FeedEvent<'a> {
    pub event: &'a Event,
    /// The event page, absolute when the site's address is known.
    pub url: String,
    /// The reader's answers by occurrence key.
    pub answers: Vec<(Millis, RsvpStatus)>,
}

fn local_stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

fn utc_stamp(ms: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

fn local_of(tz: Tz, ms: Millis) -> NaiveDateTime {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .naive_local()
}

fn zoned<'a>(name: &'a str, tz: Tz, local: NaiveDateTime) -> Property<'a> {
    let mut p = Property::new(name, local_stamp(local));
    p.add(Parameter::new("TZID", tz.name()));
    p
}

fn partstat(status: RsvpStatus) -> &'static str {
    match status {
        RsvpStatus::Going => "ACCEPTED",
        RsvpStatus::Maybe => "TENTATIVE",
        RsvpStatus::NotGoing => "DECLINED",
        RsvpStatus::Waitlisted => "NEEDS-ACTION",
    }
}

fn answer_line(status: RsvpStatus) -> &'static str {
    match status {
        RsvpStatus::Going => "Your answer: going.",
        RsvpStatus::Maybe => "Your answer: maybe.",
        RsvpStatus::NotGoing => "Your answer: not going.",
        RsvpStatus::Waitlisted => "Your answer: going — you are on the waitlist.",
    }
}

/// The host part of UIDs: the site's host name, or `copse` when it is not configured.
pub fn uid_host(base_url: Option<&str>) -> String {
    base_url
        .and_then(|u| u.split("://").nth(1))
        .map(|rest| rest.split(['/', ':']).next().unwrap_or("copse").to_string())
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "copse".to_string())
}

/// Builds a whole calendar.
pub fn calendar(name: &str, items: &[FeedEvent<'_>], host: &str, now: Millis) -> String {
    let mut cal = ICalendar::new("2.0", "-//copse//copse calendar//EN");
    cal.push(Property::new("CALSCALE", "GREGORIAN"));
    cal.push(Property::new("METHOD", "PUBLISH"));
    cal.push(Property::new("X-WR-CALNAME", escape_text(name.to_string())));
    let mut zones: BTreeSet<&str> = BTreeSet::new();
    let mut earliest = now;
    for item in items {
        zones.insert(item.event.time_zone.name());
        earliest = earliest.min(item.event.first_start);
    }
    for zone in zones {
        if let Ok(tz) = zone.parse::<Tz>() {
            cal.add_timezone(vtimezone(tz, earliest, now));
        }
    }
    for item in items {
        for vevent in vevents(item, host, now) {
            cal.add_event(vevent);
        }
    }
    cal.to_string()
}

/// A calendar with one occurrence only (a mail attachment): the event itself for a one-off, or
/// the occurrence as an override (same UID, RECURRENCE-ID) of a series.
pub fn occurrence_calendar(
    item: &FeedEvent<'_>,
    occurrence: &Occurrence,
    host: &str,
    now: Millis,
) -> String {
    let event = item.event;
    let tz = event.time_zone;
    let mut cal = ICalendar::new("2.0", "-//copse//copse calendar//EN");
    cal.push(Property::new("CALSCALE", "GREGORIAN"));
    cal.push(Property::new("METHOD", "PUBLISH"));
    cal.add_timezone(vtimezone(tz, event.first_start.min(occurrence.key), now));
    let mut v = ics::Event::new(format!("event-{}@{host}", event.id), utc_stamp(now));
    if event.rule.is_some() {
        v.push(zoned("RECURRENCE-ID", tz, local_of(tz, occurrence.key)));
    }
    v.push(zoned("DTSTART", tz, local_of(tz, occurrence.start)));
    v.push(zoned("DTEND", tz, local_of(tz, occurrence.end)));
    let sequence = event.sequence
        + event
            .overrides
            .iter()
            .find(|x| x.key == occurrence.key)
            .map_or(0, |x| x.sequence);
    v.push(Property::new("SEQUENCE", sequence.to_string()));
    v.push(Property::new(
        "STATUS",
        if occurrence.cancelled {
            "CANCELLED"
        } else {
            "CONFIRMED"
        },
    ));
    common(&mut v, item, Some(occurrence));
    cal.add_event(v);
    cal.to_string()
}

fn description(
    event: &Event,
    url: &str,
    notes: Option<&str>,
    answer: Option<RsvpStatus>,
    cancelled_by_archive: bool,
) -> String {
    let mut parts = Vec::new();
    if cancelled_by_archive {
        parts.push(
            "Cancelled: the community was archived, so this will not take place.".to_string(),
        );
    }
    if let Some(a) = answer {
        parts.push(answer_line(a).to_string());
    }
    if let Some(n) = notes {
        parts.push(format!("Notes for this occurrence: {n}"));
    }
    if !event.description.is_empty() {
        parts.push(event.description.clone());
    }
    if let Some(link) = &event.online_url {
        parts.push(format!("Join online: {link}"));
    }
    parts.push(url.to_string());
    parts.join("\n\n")
}

fn common<'a>(e: &mut ics::Event<'a>, item: &FeedEvent<'_>, occurrence: Option<&Occurrence>) {
    let event = item.event;
    e.push(Property::new("SUMMARY", escape_text(event.title.clone())));
    let answer = occurrence.and_then(|o| {
        item.answers
            .iter()
            .find(|(k, _)| *k == o.key)
            .map(|(_, s)| *s)
    });
    e.push(Property::new(
        "DESCRIPTION",
        escape_text(description(
            event,
            &item.url,
            occurrence.and_then(|o| o.notes.as_deref()),
            answer,
            occurrence.is_some_and(|o| event.archived_at(o.start)),
        )),
    ));
    let location = event.place.clone().or_else(|| event.online_url.clone());
    if let Some(l) = location {
        e.push(Property::new("LOCATION", escape_text(l)));
    }
    e.push(Property::new("URL", item.url.clone()));
    if let Some(a) = answer {
        let mut p = Property::new("ATTENDEE", "urn:copse:you");
        p.add(Parameter::new("PARTSTAT", partstat(a)));
        e.push(p);
    }
}

fn vevents<'a>(item: &FeedEvent<'_>, host: &str, now: Millis) -> Vec<ics::Event<'a>> {
    let event = item.event;
    let tz = event.time_zone;
    let uid = format!("event-{}@{host}", event.id);
    let stamp = utc_stamp(now);
    let mut out = Vec::new();
    let mut master = ics::Event::new(uid.clone(), stamp.clone());
    master.push(zoned("DTSTART", tz, event.start_local));
    master.push(zoned("DTEND", tz, event.end_local));
    master.push(Property::new("SEQUENCE", event.sequence.to_string()));
    let Some(rule) = &event.rule else {
        // A one-off: its only occurrence is the event itself.
        let only = event.occurrence(event.first_start).ok().flatten();
        if let Some(o) = &only {
            if o.start != event.first_start {
                master = ics::Event::new(uid, stamp);
                master.push(zoned("DTSTART", tz, local_of(tz, o.start)));
                master.push(zoned("DTEND", tz, local_of(tz, o.end)));
                master.push(Property::new("SEQUENCE", event.sequence.to_string()));
            }
            master.push(Property::new(
                "STATUS",
                if o.cancelled {
                    "CANCELLED"
                } else {
                    "CONFIRMED"
                },
            ));
        }
        common(&mut master, item, only.as_ref());
        out.push(master);
        return out;
    };
    let archived_tail = archived_tail(event);
    master.push(Property::new(
        "RRULE",
        ending_at(rule, archived_tail.last()).to_rrule(),
    ));
    for over in event.overrides.iter().filter(|o| o.cancelled) {
        master.push(zoned("EXDATE", tz, local_of(tz, over.key)));
    }
    master.push(Property::new("STATUS", "CONFIRMED"));
    common(&mut master, item, None);
    out.push(master);
    out.extend(called_off(item, &uid, &stamp, &archived_tail));
    // Occurrences with something of their own: moved, notes, or the reader's answer.
    let mut keys: BTreeSet<Millis> = event
        .overrides
        .iter()
        .filter(|o| !o.cancelled && (o.moved.is_some() || o.notes.is_some()))
        .map(|o| o.key)
        .collect();
    keys.extend(item.answers.iter().map(|(k, _)| *k));
    for key in keys {
        let Ok(Some(o)) = event.occurrence(key) else {
            continue;
        };
        if o.cancelled {
            continue;
        }
        let sequence = event.sequence
            + event
                .overrides
                .iter()
                .find(|x| x.key == key)
                .map_or(0, |x| x.sequence);
        let mut v = ics::Event::new(uid.clone(), stamp.clone());
        v.push(zoned("RECURRENCE-ID", tz, local_of(tz, key)));
        v.push(zoned("DTSTART", tz, local_of(tz, o.start)));
        v.push(zoned("DTEND", tz, local_of(tz, o.end)));
        v.push(Property::new("SEQUENCE", sequence.to_string()));
        v.push(Property::new("STATUS", "CONFIRMED"));
        common(&mut v, item, Some(&o));
        out.push(v);
    }
    out
}

/// How far ahead an archived community's series shows its occurrences as cancelled, and at
/// most how many: calendars that had them see them called off, and the series ends there.
const ARCHIVED_HORIZON: Millis = 366 * 24 * 3600 * 1000;
const ARCHIVED_MAX: usize = 60;

/// The occurrences of a series that its community's archiving cancelled, within the horizon;
/// empty while the community is open (or when none were left to come).
fn archived_tail(event: &Event) -> Vec<Millis> {
    let Some(from) = event.cancelled_from else {
        return Vec::new();
    };
    event
        .scheduled_starts(from, from + ARCHIVED_HORIZON, ARCHIVED_MAX)
        .unwrap_or_default()
}

/// The rule, ending with `last` when archiving cut it short: the occurrences it had after that
/// simply are no more.
fn ending_at(rule: &Recurrence, last: Option<&Millis>) -> Recurrence {
    match last {
        Some(last) => Recurrence {
            count: None,
            until: Some(*last),
            ..rule.clone()
        },
        None => rule.clone(),
    }
}

/// One cancelled VEVENT for each occurrence the archiving called off, saying why.
fn called_off<'a>(
    item: &FeedEvent<'_>,
    uid: &str,
    stamp: &str,
    keys: &[Millis],
) -> Vec<ics::Event<'a>> {
    let event = item.event;
    let tz = event.time_zone;
    let mut out = Vec::new();
    for &key in keys {
        let Ok(Some(o)) = event.occurrence(key) else {
            continue;
        };
        let mut v = ics::Event::new(uid.to_string(), stamp.to_string());
        v.push(zoned("RECURRENCE-ID", tz, local_of(tz, key)));
        v.push(zoned("DTSTART", tz, local_of(tz, o.start)));
        v.push(zoned("DTEND", tz, local_of(tz, o.end)));
        v.push(Property::new("SEQUENCE", (event.sequence + 1).to_string()));
        v.push(Property::new("STATUS", "CANCELLED"));
        common(&mut v, item, Some(&o));
        out.push(v);
    }
    out
}

fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let s = seconds.abs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if sec == 0 {
        format!("{sign}{h:02}{m:02}")
    } else {
        format!("{sign}{h:02}{m:02}{sec:02}")
    }
}

/// The zone's offset (seconds), whether it is daylight time, and its abbreviation at `t`.
fn zone_at(tz: Tz, t: i64) -> (i32, bool, String) {
    let utc = DateTime::<Utc>::from_timestamp(t, 0).unwrap_or_default();
    let offset = tz.offset_from_utc_datetime(&utc.naive_utc());
    (
        offset.fix().local_minus_utc(),
        !offset.dst_offset().is_zero(),
        offset.abbreviation().unwrap_or("").to_string(),
    )
}

/// A VTIMEZONE for `tz` listing each offset change from a year before `earliest` to eleven
/// years after `now`, each as its own observance (no rules to misread).
fn vtimezone<'a>(tz: Tz, earliest: Millis, now: Millis) -> VTimeZone<'a> {
    use chrono::Datelike;
    let year_of = |ms: Millis| {
        DateTime::<Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .year()
    };
    let start = Utc
        .with_ymd_and_hms(year_of(earliest) - ZONE_YEARS_BEFORE, 1, 1, 0, 0, 0)
        .single()
        .map_or(0, |t| t.timestamp());
    let end = Utc
        .with_ymd_and_hms(year_of(now) + ZONE_YEARS_AFTER, 1, 1, 0, 0, 0)
        .single()
        .map_or(0, |t| t.timestamp());
    let observance = |at: i64, from: i32, to: (i32, bool, String)| {
        let local = DateTime::<Utc>::from_timestamp(at + i64::from(from), 0)
            .unwrap_or_default()
            .naive_utc();
        let (offset, dst, name) = to;
        (
            local_stamp(local),
            offset_text(from),
            offset_text(offset),
            dst,
            name,
        )
    };
    let first = zone_at(tz, start);
    let mut observances = vec![observance(start, first.0, first.clone())];
    let mut current = first;
    // Walk in steps of a day and find each change to the second by bisection.
    let mut t = start;
    while t < end {
        let next = t + 86_400;
        let there = zone_at(tz, next);
        if there.0 != current.0 || there.1 != current.1 {
            let (mut lo, mut hi) = (t, next);
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                let z = zone_at(tz, mid);
                if z.0 == current.0 && z.1 == current.1 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let changed = zone_at(tz, hi);
            observances.push(observance(hi, current.0, changed.clone()));
            current = changed;
        }
        t = next;
    }
    let mut zone: Option<VTimeZone<'a>> = None;
    for (dtstart, from, to, dst, name) in observances {
        let tzname = Property::new("TZNAME", escape_text(name));
        if dst {
            let mut d = Daylight::new(dtstart, from, to);
            d.push(tzname);
            match zone.as_mut() {
                Some(z) => z.add_daylight(d),
                None => zone = Some(VTimeZone::daylight(tz.name(), d)),
            }
        } else {
            let mut s = Standard::new(dtstart, from, to);
            s.push(tzname);
            match zone.as_mut() {
                Some(z) => z.add_standard(s),
                None => zone = Some(VTimeZone::standard(tz.name(), s)),
            }
        }
    }
    zone.expect("a zone has at least its first observance")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn berlin_changes_offset_twice_a_year() {
        let now = 1_790_000_000_000; // 2026-09
        let zone = vtimezone(chrono_tz::Europe::Berlin, now, now).to_string();
        assert!(
            zone.contains("DTSTART:20260329T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200"),
            "{zone}"
        );
        assert!(
            zone.contains("DTSTART:20261025T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100"),
            "{zone}"
        );
        assert_eq!(zone.matches("BEGIN:DAYLIGHT").count(), 12);
    }

    #[test]
    fn zones_without_changes_have_one_observance() {
        let zone =
            vtimezone(chrono_tz::Asia::Tokyo, 1_790_000_000_000, 1_790_000_000_000).to_string();
        assert_eq!(zone.matches("BEGIN:STANDARD").count(), 1);
        assert!(zone.contains("TZOFFSETTO:+0900"));
    }
}
