//! iCalendar (RFC 5545) output: the community feed, the personal feed and single-event
//! downloads. The `ics` crate writes the lines (folding at 75 octets); text values are escaped
//! here with its `escape_text`.
//!
//! A series is one VEVENT with its RRULE in the series' own time zone (so 18:00 stays 18:00
//! across daylight-saving changes), cancelled occurrences as EXDATE, and one VEVENT with a
//! RECURRENCE-ID for each occurrence that was moved, has its own notes, or — in a personal feed —
//! has the member's answer. Every zone used gets a VTIMEZONE built from the tz database.
//! UIDs are stable (`event-<id>@<host>`) and SEQUENCE grows with every change. Lines are
//! folded at 75 octets (`fold.rs`); zones are in `zone.rs`.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use chrono_tz::Tz;
use copse_core::clock::Millis;
use copse_core::domain::RsvpStatus;
use copse_core::domain::recurrence::Recurrence;
use copse_core::domain::{Event, Occurrence};
use ics::components::{Parameter, Property};
use ics::{ICalendar, escape_text};

mod edges;
mod fold;
mod stamps;
mod zone;

use stamps::{local_of, utc_stamp, zoned};
use zone::vtimezone;

/// One event in a feed, with what the reader answered (personal feeds only).
pub struct FeedEvent<'a> {
    pub event: &'a Event,
    /// The event page, absolute when the site's address is known.
    pub url: String,
    /// The reader's answers by occurrence key.
    pub answers: Vec<(Millis, RsvpStatus)>,
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

/// The SEQUENCE of every component of an event: the series' own changes plus every change to
/// an occurrence (a cancellation adds an EXDATE to the series, so the series changed too).
/// Both only grow, so the sum does; one number for all keeps no override below its master.
fn sequence(event: &Event) -> i64 {
    event.sequence + event.overrides.iter().map(|o| o.sequence).sum::<i64>()
}

/// The local time by which the rule names an occurrence (its RECURRENCE-ID and EXDATE): the
/// series' time of day on the occurrence's date. It differs from the actual start only in a
/// spring-forward gap, where 02:30 is held at 03:30: clients name that occurrence 02:30.
fn nominal(event: &Event, key: Millis) -> NaiveDateTime {
    let actual = local_of(event.time_zone, key);
    let time = event.start_local.time();
    [Some(actual.date()), actual.date().pred_opt()]
        .into_iter()
        .flatten()
        .map(|date| date.and_time(time))
        .find(|candidate| (actual - *candidate).num_hours().abs() < 3)
        .unwrap_or(actual)
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
    fold::refold(&cal.to_string())
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
        v.push(zoned("RECURRENCE-ID", tz, nominal(event, occurrence.key)));
    }
    edges::push_times(&mut v, tz, occurrence);
    v.push(Property::new("SEQUENCE", sequence(event).to_string()));
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
    fold::refold(&cal.to_string())
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
        // METHOD:PUBLISH with an attendee needs its organizer (RFC 5546 3.2.1).
        let mut organizer = Property::new("ORGANIZER", "urn:copse:organizer");
        organizer.add(Parameter::new("CN", "copse"));
        e.push(organizer);
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
    master.push(Property::new("SEQUENCE", sequence(event).to_string()));
    let Some(rule) = &event.rule else {
        // A one-off: its only occurrence is the event itself.
        let only = event.occurrence(event.first_start).ok().flatten();
        if let Some(o) = &only {
            if o.start != event.first_start {
                master = ics::Event::new(uid, stamp);
                master.push(zoned("DTSTART", tz, local_of(tz, o.start)));
                master.push(zoned("DTEND", tz, local_of(tz, o.end)));
                master.push(Property::new("SEQUENCE", sequence(event).to_string()));
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
        master.push(zoned("EXDATE", tz, nominal(event, over.key)));
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
    // And those at a daylight-saving edge, written in UTC so that every app reads them alike.
    keys.extend(edges::edge_keys(event, now));
    for key in keys {
        let Ok(Some(o)) = event.occurrence(key) else {
            continue;
        };
        if o.cancelled {
            continue;
        }
        let mut v = ics::Event::new(uid.clone(), stamp.clone());
        v.push(zoned("RECURRENCE-ID", tz, nominal(event, key)));
        edges::push_times(&mut v, tz, &o);
        v.push(Property::new("SEQUENCE", sequence(event).to_string()));
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
        v.push(zoned("RECURRENCE-ID", tz, nominal(event, key)));
        edges::push_times(&mut v, tz, &o);
        v.push(Property::new("SEQUENCE", (sequence(event) + 1).to_string()));
        v.push(Property::new("STATUS", "CANCELLED"));
        common(&mut v, item, Some(&o));
        out.push(v);
    }
    out
}
