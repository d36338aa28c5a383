//! VTIMEZONE components from the tz database: each offset change from a year before the
//! earliest event to eleven years after now as its own observance, and then the zone's
//! current yearly rule as RRULE observances, so that open-ended series stay right in every
//! client for ever (ical.js was an hour off once the listed changes ran out).

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::{OffsetComponents, OffsetName, Tz};
use copse_core::clock::Millis;
use ics::components::Property;
use ics::{Daylight, Standard, TimeZone as VTimeZone, escape_text};

use super::stamps::local_stamp;

/// The years before the earliest event and after now that listed changes cover.
const ZONE_YEARS_BEFORE: i32 = 1;
const ZONE_YEARS_AFTER: i32 = 11;

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

/// One observance: from its local start (wall time before the change), the offsets either
/// side, daylight or not, its abbreviation, and the yearly rule that repeats it, if any.
struct Observance {
    local: NaiveDateTime,
    from: i32,
    to: i32,
    dst: bool,
    name: String,
    rule: Option<String>,
}

/// A VTIMEZONE for `tz`: each offset change from a year before `earliest` to eleven years
/// after `now`, and the last year's two changes as yearly rules from then on.
pub(super) fn vtimezone<'a>(tz: Tz, earliest: Millis, now: Millis) -> VTimeZone<'a> {
    let year_of = |ms: Millis| {
        DateTime::<Utc>::from_timestamp_millis(ms)
            .unwrap_or_default()
            .year()
    };
    let first_of = |year: i32| {
        Utc.with_ymd_and_hms(year, 1, 1, 0, 0, 0)
            .single()
            .map_or(0, |t| t.timestamp())
    };
    let start = first_of(year_of(earliest) - ZONE_YEARS_BEFORE);
    let end = first_of(year_of(now) + ZONE_YEARS_AFTER);
    let mut observances = changes(tz, start, end);
    repeat_last_year(tz, &mut observances);
    let mut zone: Option<VTimeZone<'a>> = None;
    for o in observances {
        let (dtstart, from, to) = (local_stamp(o.local), offset_text(o.from), offset_text(o.to));
        let mut props = vec![Property::new("TZNAME", escape_text(o.name))];
        if let Some(rule) = o.rule {
            props.push(Property::new("RRULE", rule));
        }
        if o.dst {
            let mut d = Daylight::new(dtstart, from, to);
            props.into_iter().for_each(|p| d.push(p));
            match zone.as_mut() {
                Some(z) => z.add_daylight(d),
                None => zone = Some(VTimeZone::daylight(tz.name(), d)),
            }
        } else {
            let mut s = Standard::new(dtstart, from, to);
            props.into_iter().for_each(|p| s.push(p));
            match zone.as_mut() {
                Some(z) => z.add_standard(s),
                None => zone = Some(VTimeZone::standard(tz.name(), s)),
            }
        }
    }
    zone.expect("a zone has at least its first observance")
}

/// The zone as it is at `start` and each change until `end` (seconds), found by walking a day
/// at a time and bisecting to the second.
fn changes(tz: Tz, start: i64, end: i64) -> Vec<Observance> {
    let observance = |at: i64, from: i32, to: (i32, bool, String)| Observance {
        local: DateTime::<Utc>::from_timestamp(at + i64::from(from), 0)
            .unwrap_or_default()
            .naive_utc(),
        from,
        to: to.0,
        dst: to.1,
        name: to.2,
        rule: None,
    };
    let first = zone_at(tz, start);
    let mut out = vec![observance(start, first.0, first.clone())];
    let mut current = first;
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
            out.push(observance(hi, current.0, changed.clone()));
            current = changed;
        }
        t = next;
    }
    out
}

/// Gives the last two changes (into and out of daylight time, in the same year) the yearly
/// rule they follow, when the year before followed it too; a zone without daylight time, or
/// with a rule RRULE's BYDAY cannot say, keeps its plain list.
fn repeat_last_year(tz: Tz, observances: &mut [Observance]) {
    let n = observances.len();
    if n < 5 {
        return;
    }
    let (last, before) = (&observances[n - 2..], &observances[n - 4..n - 2]);
    let year = last[0].local.year();
    if last[1].local.year() != year || last[0].dst == last[1].dst {
        return;
    }
    let rules: Vec<Option<String>> = last
        .iter()
        .zip(before)
        .map(|(this, prev)| yearly_rule(tz, this.local, prev.local))
        .collect();
    if rules.iter().all(Option::is_some) {
        for (o, rule) in observances[n - 2..].iter_mut().zip(rules) {
            o.rule = rule;
        }
    }
}

/// "FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU" for a change at `this`, if the same rule gave the
/// change a year earlier (`prev`) at the same time of day, and the tz database changes the
/// offset on the rule's day in each of the next 40 years too.
fn yearly_rule(tz: Tz, this: NaiveDateTime, prev: NaiveDateTime) -> Option<String> {
    if this.month() != prev.month()
        || this.time() != prev.time()
        || this.weekday() != prev.weekday()
    {
        return None;
    }
    let weekday = this.weekday();
    let nth = i64::from((this.day() - 1) / 7 + 1);
    let rule = [-1, nth].into_iter().find(|&n| {
        let same = |d: NaiveDate| nth_weekday(d.year(), d.month(), weekday, n) == Some(d);
        same(this.date())
            && same(prev.date())
            && (1..=40).all(|ahead| {
                nth_weekday(this.year() + ahead, this.month(), weekday, n)
                    .is_some_and(|day| changes_on(tz, day))
            })
    })?;
    let code = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][weekday.num_days_from_monday() as usize];
    Some(format!(
        "FREQ=YEARLY;BYMONTH={};BYDAY={rule}{code}",
        this.month()
    ))
}

/// Whether the zone's offset differs either side of `day`.
fn changes_on(tz: Tz, day: NaiveDate) -> bool {
    let noon = |d: Option<NaiveDate>| {
        d.and_then(|d| d.and_hms_opt(12, 0, 0))
            .map_or(0, |t| t.and_utc().timestamp())
    };
    zone_at(tz, noon(day.pred_opt())).0 != zone_at(tz, noon(day.succ_opt())).0
}

/// The `n`-th `weekday` of the month (negative: counted from its end).
fn nth_weekday(year: i32, month: u32, weekday: chrono::Weekday, n: i64) -> Option<NaiveDate> {
    if n > 0 {
        let u8n = u8::try_from(n).ok()?;
        NaiveDate::from_weekday_of_month_opt(year, month, weekday, u8n)
    } else {
        let (next_year, next_month) = if month == 12 {
            (year + 1, 1)
        } else {
            (year, month + 1)
        };
        let last = NaiveDate::from_ymd_opt(next_year, next_month, 1)?.pred_opt()?;
        let back = (7 + last.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
        last.checked_sub_days(chrono::Days::new(u64::from(back)))
    }
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
    fn the_last_years_changes_repeat_by_rule() {
        let now = 1_790_000_000_000; // 2026-09
        let berlin = vtimezone(chrono_tz::Europe::Berlin, now, now).to_string();
        assert!(
            berlin.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"),
            "{berlin}"
        );
        assert!(
            berlin.contains("RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU"),
            "{berlin}"
        );
        assert_eq!(berlin.matches("RRULE:").count(), 2, "only the last two");
        let new_york = vtimezone(chrono_tz::America::New_York, now, now).to_string();
        assert!(
            new_york.contains("RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU"),
            "{new_york}"
        );
        assert!(new_york.contains("RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU"));
        let tokyo = vtimezone(chrono_tz::Asia::Tokyo, now, now).to_string();
        assert!(!tokyo.contains("RRULE"), "no daylight time, no rule");
    }

    #[test]
    fn zones_without_changes_have_one_observance() {
        let zone =
            vtimezone(chrono_tz::Asia::Tokyo, 1_790_000_000_000, 1_790_000_000_000).to_string();
        assert_eq!(zone.matches("BEGIN:STANDARD").count(), 1);
        assert!(zone.contains("TZOFFSETTO:+0900"));
    }
}
