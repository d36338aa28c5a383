//! Date-time values as iCalendar writes them: local (with the zone's TZID) or UTC.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use copse_core::clock::Millis;
use ics::components::{Parameter, Property};

pub(super) fn local_stamp(t: NaiveDateTime) -> String {
    t.format("%Y%m%dT%H%M%S").to_string()
}

pub(super) fn utc_stamp(ms: Millis) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y%m%dT%H%M%SZ")
        .to_string()
}

pub(super) fn local_of(tz: Tz, ms: Millis) -> NaiveDateTime {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .naive_local()
}

pub(super) fn zoned<'a>(name: &'a str, tz: Tz, local: NaiveDateTime) -> Property<'a> {
    let mut p = Property::new(name, local_stamp(local));
    p.add(Parameter::new("TZID", tz.name()));
    p
}
