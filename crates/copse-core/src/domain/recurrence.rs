//! Recurrence of event series: a documented subset of RFC 5545 RRULE, validated here with errors
//! that name the problem, and expanded by the `rrule` crate in the series' own time zone, so that
//! a meeting at 18:00 in Berlin stays at 18:00 local time across daylight-saving changes.
//!
//! The subset: `FREQ` = DAILY | WEEKLY | MONTHLY | YEARLY; `INTERVAL` 1–99; `BYDAY` with weekdays
//! (`TU`) and, for MONTHLY and YEARLY, ordinals (`2TU`, `-1FR`); `BYMONTHDAY` (±1–31); `COUNT`
//! 1–1000; `UNTIL` (a UTC time, at most 10 years after the first occurrence). Any expansion is
//! capped at [`MAX_OCCURRENCES`].

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc, Weekday};
use chrono_tz::Tz;

use crate::clock::Millis;
use crate::error::{Error, Result};

pub const MAX_OCCURRENCES: usize = 1000;
const MAX_YEARS: i64 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frequency {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A validated recurrence rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    pub frequency: Frequency,
    pub interval: u16,
    /// Weekdays, each with an optional ordinal within the month or year (`2TU` = second Tuesday).
    pub by_day: Vec<(Option<i8>, Weekday)>,
    pub by_month_day: Vec<i8>,
    pub count: Option<u32>,
    /// The last moment an occurrence may start, UTC.
    pub until: Option<Millis>,
}

fn invalid(message: impl std::fmt::Display) -> Error {
    Error::invalid("rule", message)
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Mon,
        "TU" => Weekday::Tue,
        "WE" => Weekday::Wed,
        "TH" => Weekday::Thu,
        "FR" => Weekday::Fri,
        "SA" => Weekday::Sat,
        "SU" => Weekday::Sun,
        _ => return None,
    })
}

fn weekday_code(d: Weekday) -> &'static str {
    match d {
        Weekday::Mon => "MO",
        Weekday::Tue => "TU",
        Weekday::Wed => "WE",
        Weekday::Thu => "TH",
        Weekday::Fri => "FR",
        Weekday::Sat => "SA",
        Weekday::Sun => "SU",
    }
}

fn parse_frequency(value: &str) -> Result<Frequency> {
    match value.to_ascii_uppercase().as_str() {
        "DAILY" => Ok(Frequency::Daily),
        "WEEKLY" => Ok(Frequency::Weekly),
        "MONTHLY" => Ok(Frequency::Monthly),
        "YEARLY" => Ok(Frequency::Yearly),
        "SECONDLY" | "MINUTELY" | "HOURLY" => Err(invalid(
            "FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY: events do not repeat within a day",
        )),
        other => Err(invalid(format!("unknown FREQ \"{other}\""))),
    }
}

/// `20271231T235959Z`, or a date (the end of that day, UTC).
fn parse_until(value: &str) -> Result<Millis> {
    let until = NaiveDateTime::parse_from_str(value.trim_end_matches('Z'), "%Y%m%dT%H%M%S")
        .or_else(|_| {
            chrono::NaiveDate::parse_from_str(value, "%Y%m%d")
                .map(|d| d.and_hms_opt(23, 59, 59).expect("valid time"))
        })
        .map_err(|_| invalid("UNTIL must be a UTC time like 20271231T235959Z"))?;
    Ok(Utc.from_utc_datetime(&until).timestamp_millis())
}

/// `TU`, `2TU`, `-1FR`.
fn parse_by_day(item: &str) -> Result<(Option<i8>, Weekday)> {
    let item = item.trim().to_ascii_uppercase();
    if item.len() < 2 {
        return Err(invalid(format!("BYDAY \"{item}\" is not a weekday")));
    }
    let (ordinal, code) = item.split_at(item.len() - 2);
    let day = weekday(code).ok_or_else(|| invalid(format!("BYDAY \"{item}\" is not a weekday")))?;
    if ordinal.is_empty() {
        return Ok((None, day));
    }
    let n = ordinal
        .trim_start_matches('+')
        .parse::<i8>()
        .ok()
        .filter(|n| *n != 0 && (-5..=5).contains(n))
        .ok_or_else(|| {
            invalid(format!(
                "BYDAY \"{item}\": the ordinal must be 1–5 or -1 to -5"
            ))
        })?;
    Ok((Some(n), day))
}

/// `15`, `-1` (the last day).
fn parse_by_month_day(item: &str) -> Result<i8> {
    item.trim()
        .parse()
        .ok()
        .filter(|d: &i8| *d != 0 && (-31..=31).contains(d))
        .ok_or_else(|| invalid(format!("BYMONTHDAY \"{item}\" must be 1–31 or -1 to -31")))
}

impl Recurrence {
    /// Parses `FREQ=…;…` (an optional `RRULE:` prefix is allowed) for a series whose first
    /// occurrence starts at `first_start` (UTC milliseconds).
    pub fn parse(raw: &str, first_start: Millis) -> Result<Recurrence> {
        let text = raw.trim();
        let text = text.strip_prefix("RRULE:").unwrap_or(text);
        if text.is_empty() || text.len() > 300 {
            return Err(invalid(
                "must be a recurrence rule such as FREQ=WEEKLY;BYDAY=TU",
            ));
        }
        let mut frequency = None;
        let mut rule = Recurrence {
            frequency: Frequency::Weekly,
            interval: 1,
            by_day: Vec::new(),
            by_month_day: Vec::new(),
            count: None,
            until: None,
        };
        for part in text.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| invalid(format!("\"{part}\" is not NAME=VALUE")))?;
            match key.to_ascii_uppercase().as_str() {
                "FREQ" => frequency = Some(parse_frequency(value)?),
                "INTERVAL" => {
                    rule.interval = value
                        .parse()
                        .ok()
                        .filter(|i| (1..=99).contains(i))
                        .ok_or_else(|| invalid("INTERVAL must be a whole number from 1 to 99"))?
                }
                "COUNT" => {
                    rule.count = Some(
                        value
                            .parse()
                            .ok()
                            .filter(|c| (1..=MAX_OCCURRENCES as u32).contains(c))
                            .ok_or_else(|| {
                                invalid(format!("COUNT must be from 1 to {MAX_OCCURRENCES}"))
                            })?,
                    )
                }
                "UNTIL" => rule.until = Some(parse_until(value)?),
                "BYDAY" => {
                    for item in value.split(',') {
                        rule.by_day.push(parse_by_day(item)?);
                    }
                }
                "BYMONTHDAY" => {
                    for item in value.split(',') {
                        rule.by_month_day.push(parse_by_month_day(item)?);
                    }
                }
                other => {
                    return Err(invalid(format!(
                        "{other} is not supported; use FREQ, INTERVAL, BYDAY, BYMONTHDAY, COUNT and UNTIL"
                    )));
                }
            }
        }
        rule.frequency = frequency.ok_or_else(|| invalid("FREQ is required"))?;
        rule.check(first_start)?;
        Ok(rule)
    }

    /// The rules that concern the parts together: COUNT or UNTIL, ordinal weekdays only monthly
    /// or yearly, UNTIL after the first occurrence and within the years a series may last.
    fn check(&self, first_start: Millis) -> Result<()> {
        if self.count.is_some() && self.until.is_some() {
            return Err(invalid("use COUNT or UNTIL, not both"));
        }
        if self.by_day.iter().any(|(n, _)| n.is_some())
            && !matches!(self.frequency, Frequency::Monthly | Frequency::Yearly)
        {
            return Err(invalid(
                "ordinal weekdays such as 2TU need FREQ=MONTHLY or YEARLY",
            ));
        }
        if let Some(until) = self.until {
            if until < first_start {
                return Err(invalid("UNTIL is before the first occurrence"));
            }
            if until - first_start > MAX_YEARS * 366 * 24 * 3600 * 1000 {
                return Err(invalid(format!(
                    "UNTIL is more than {MAX_YEARS} years after the first occurrence"
                )));
            }
        }
        Ok(())
    }

    /// The rule as RRULE text, in a canonical order (for calendar feeds).
    /// The rule in words, e.g. "monthly on the 2nd Tuesday" or "every 2 weeks on Monday".
    pub fn describe(&self) -> String {
        fn day_name(d: Weekday) -> &'static str {
            match d {
                Weekday::Mon => "Monday",
                Weekday::Tue => "Tuesday",
                Weekday::Wed => "Wednesday",
                Weekday::Thu => "Thursday",
                Weekday::Fri => "Friday",
                Weekday::Sat => "Saturday",
                Weekday::Sun => "Sunday",
            }
        }
        fn ordinal(n: i8) -> String {
            match n {
                -1 => "last".to_string(),
                -2 => "second to last".to_string(),
                1 => "1st".to_string(),
                2 => "2nd".to_string(),
                3 => "3rd".to_string(),
                n if n < 0 => format!("{}th from last", -n),
                n => format!("{n}th"),
            }
        }
        let (unit, adverb) = match self.frequency {
            Frequency::Daily => ("days", "daily"),
            Frequency::Weekly => ("weeks", "weekly"),
            Frequency::Monthly => ("months", "monthly"),
            Frequency::Yearly => ("years", "yearly"),
        };
        let mut text = if self.interval == 1 {
            adverb.to_string()
        } else {
            format!("every {} {unit}", self.interval)
        };
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|(n, d)| match n {
                    Some(n) => format!("the {} {}", ordinal(*n), day_name(*d)),
                    None => day_name(*d).to_string(),
                })
                .collect();
            text.push_str(&format!(" on {}", days.join(", ")));
        }
        if !self.by_month_day.is_empty() {
            let days: Vec<String> = self
                .by_month_day
                .iter()
                .map(|d| {
                    if *d < 0 {
                        ordinal(*d) + " day"
                    } else {
                        format!("day {d}")
                    }
                })
                .collect();
            text.push_str(&format!(" on {}", days.join(", ")));
        }
        if let Some(c) = self.count {
            text.push_str(&format!(", {c} times"));
        }
        if let Some(u) = self.until {
            let until = DateTime::<Utc>::from_timestamp_millis(u).unwrap_or_default();
            text.push_str(&format!(", until {}", until.format("%Y-%m-%d")));
        }
        text
    }

    pub fn to_rrule(&self) -> String {
        let mut parts = vec![format!(
            "FREQ={}",
            match self.frequency {
                Frequency::Daily => "DAILY",
                Frequency::Weekly => "WEEKLY",
                Frequency::Monthly => "MONTHLY",
                Frequency::Yearly => "YEARLY",
            }
        )];
        if self.interval != 1 {
            parts.push(format!("INTERVAL={}", self.interval));
        }
        if !self.by_day.is_empty() {
            let days: Vec<String> = self
                .by_day
                .iter()
                .map(|(n, d)| {
                    format!(
                        "{}{}",
                        n.map(|n| n.to_string()).unwrap_or_default(),
                        weekday_code(*d)
                    )
                })
                .collect();
            parts.push(format!("BYDAY={}", days.join(",")));
        }
        if !self.by_month_day.is_empty() {
            let days: Vec<String> = self.by_month_day.iter().map(i8::to_string).collect();
            parts.push(format!("BYMONTHDAY={}", days.join(",")));
        }
        if let Some(c) = self.count {
            parts.push(format!("COUNT={c}"));
        }
        if let Some(u) = self.until {
            let until = DateTime::<Utc>::from_timestamp_millis(u).unwrap_or_default();
            parts.push(format!("UNTIL={}", until.format("%Y%m%dT%H%M%SZ")));
        }
        parts.join(";")
    }

    /// Start times (UTC milliseconds) of the occurrences that start in `[from, to)`, for a series
    /// whose first occurrence starts at `first_local` wall-clock time in `tz`. At most `cap`
    /// (itself at most [`MAX_OCCURRENCES`]).
    pub fn occurrences(
        &self,
        first_local: NaiveDateTime,
        tz: Tz,
        from: Millis,
        to: Millis,
        cap: usize,
    ) -> Result<Vec<Millis>> {
        use rrule::{Frequency as F, NWeekday, RRule};
        let start = tz
            .from_local_datetime(&first_local)
            .earliest()
            .ok_or_else(|| {
                Error::invalid(
                    "start",
                    "does not exist in this time zone (a daylight-saving gap)",
                )
            })?;
        let rtz = rrule::Tz::Tz(tz);
        let dt_start = start.with_timezone(&rtz);
        let mut rule = RRule::new(match self.frequency {
            Frequency::Daily => F::Daily,
            Frequency::Weekly => F::Weekly,
            Frequency::Monthly => F::Monthly,
            Frequency::Yearly => F::Yearly,
        })
        .interval(self.interval);
        if !self.by_day.is_empty() {
            rule = rule.by_weekday(
                self.by_day
                    .iter()
                    .map(|(n, d)| match n {
                        Some(n) => NWeekday::Nth(*n as i16, *d),
                        None => NWeekday::Every(*d),
                    })
                    .collect(),
            );
        }
        if !self.by_month_day.is_empty() {
            rule = rule.by_month_day(self.by_month_day.clone());
        }
        if let Some(c) = self.count {
            rule = rule.count(c);
        }
        if let Some(u) = self.until {
            // RFC 5545 (and the rrule crate) want UNTIL in UTC when DTSTART has a zone.
            let until = DateTime::<Utc>::from_timestamp_millis(u)
                .unwrap_or_default()
                .with_timezone(&rrule::Tz::UTC);
            rule = rule.until(until);
        }
        let to_rtz = |m: Millis| {
            DateTime::<Utc>::from_timestamp_millis(m)
                .unwrap_or_default()
                .with_timezone(&rtz)
        };
        // `after`/`before` are inclusive in rrule; the window is half-open, so drop `to` itself.
        let set = rule
            .build(dt_start)
            .map_err(|e| invalid(e.to_string()))?
            .after(to_rtz(from))
            .before(to_rtz(to));
        let cap = cap.min(MAX_OCCURRENCES);
        let result = set.all(cap as u16 + 1);
        Ok(result
            .dates
            .into_iter()
            .map(|d| d.timestamp_millis())
            .filter(|m| *m < to)
            .take(cap)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Datelike, NaiveDate, Timelike};

    fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    fn utc(ms: Millis) -> DateTime<Utc> {
        DateTime::<Utc>::from_timestamp_millis(ms).unwrap()
    }

    fn ms(y: i32, m: u32, d: u32) -> Millis {
        Utc.with_ymd_and_hms(y, m, d, 0, 0, 0)
            .unwrap()
            .timestamp_millis()
    }

    #[test]
    fn weekly_stays_at_local_time_across_daylight_saving() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let rule = Recurrence::parse("FREQ=WEEKLY;BYDAY=TU", ms(2026, 3, 17)).unwrap();
        // Tuesdays 18:00 in Berlin from 17 March 2026: DST starts on 29 March.
        let starts = rule
            .occurrences(
                local(2026, 3, 17, 18, 0),
                berlin,
                ms(2026, 3, 1),
                ms(2026, 4, 8),
                50,
            )
            .unwrap();
        let hours: Vec<u32> = starts.iter().map(|m| utc(*m).hour()).collect();
        assert_eq!(
            hours,
            vec![17, 17, 16, 16],
            "18:00 CET is 17:00 UTC, 18:00 CEST is 16:00 UTC"
        );
        for m in &starts {
            assert_eq!(utc(*m).with_timezone(&berlin).hour(), 18);
        }
        // And back in October (DST ends 25 October).
        let autumn = rule
            .occurrences(
                local(2026, 3, 17, 18, 0),
                berlin,
                ms(2026, 10, 13),
                ms(2026, 11, 4),
                50,
            )
            .unwrap();
        assert_eq!(
            autumn.iter().map(|m| utc(*m).hour()).collect::<Vec<_>>(),
            vec![16, 16, 17, 17]
        );
    }

    #[test]
    fn monthly_second_tuesday_and_last_friday() {
        let london: Tz = "Europe/London".parse().unwrap();
        let second_tuesday =
            Recurrence::parse("FREQ=MONTHLY;BYDAY=2TU;COUNT=3", ms(2026, 1, 1)).unwrap();
        let days: Vec<u32> = second_tuesday
            .occurrences(
                local(2026, 1, 13, 14, 0),
                london,
                ms(2026, 1, 1),
                ms(2027, 1, 1),
                50,
            )
            .unwrap()
            .iter()
            .map(|m| utc(*m).with_timezone(&london).day())
            .collect();
        assert_eq!(
            days,
            vec![13, 10, 10],
            "13 Jan, 10 Feb, 10 Mar 2026; COUNT stops it"
        );
        let last_friday =
            Recurrence::parse("RRULE:FREQ=MONTHLY;BYDAY=-1FR", ms(2026, 1, 1)).unwrap();
        let fridays: Vec<u32> = last_friday
            .occurrences(
                local(2026, 1, 30, 9, 0),
                london,
                ms(2026, 1, 1),
                ms(2026, 4, 1),
                50,
            )
            .unwrap()
            .iter()
            .map(|m| utc(*m).day())
            .collect();
        assert_eq!(fridays, vec![30, 27, 27]);
        assert_eq!(last_friday.to_rrule(), "FREQ=MONTHLY;BYDAY=-1FR");
    }

    #[test]
    fn until_in_utc_stops_a_zoned_series() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let rule = Recurrence::parse(
            "FREQ=WEEKLY;BYDAY=TU;UNTIL=20260317T170000Z",
            ms(2026, 3, 1),
        )
        .unwrap();
        let got = rule
            .occurrences(
                local(2026, 3, 3, 18, 0),
                berlin,
                ms(2026, 1, 1),
                ms(2027, 1, 1),
                50,
            )
            .unwrap();
        // 3, 10 and 17 March at 18:00 CET (17:00 UTC): UNTIL is inclusive.
        assert_eq!(got.len(), 3, "{got:?}");
        assert_eq!(*got.last().unwrap(), ms(2026, 3, 17) + 17 * 3600 * 1000);
    }

    #[test]
    fn expansion_is_capped_and_windows_are_half_open() {
        let utc_tz: Tz = "UTC".parse().unwrap();
        let daily = Recurrence::parse("FREQ=DAILY", ms(2026, 1, 1)).unwrap();
        let many = daily
            .occurrences(
                local(2026, 1, 1, 9, 0),
                utc_tz,
                ms(2026, 1, 1),
                ms(2036, 1, 1),
                5000,
            )
            .unwrap();
        assert_eq!(many.len(), MAX_OCCURRENCES);
        let two = daily
            .occurrences(
                local(2026, 1, 1, 9, 0),
                utc_tz,
                ms(2026, 1, 1),
                ms(2026, 1, 2) + 9 * 3600 * 1000,
                50,
            )
            .unwrap();
        assert_eq!(
            two.len(),
            1,
            "an occurrence starting exactly at `to` is outside"
        );
    }

    #[test]
    fn rules_outside_the_subset_are_refused_with_the_reason() {
        let start = ms(2026, 1, 1);
        for (raw, says) in [
            ("FREQ=HOURLY", "events do not repeat within a day"),
            ("FREQ=MINUTELY", "DAILY, WEEKLY"),
            ("FREQ=WEEKLY;COUNT=1001", "COUNT must be from 1 to 1000"),
            ("FREQ=WEEKLY;UNTIL=20400101T000000Z", "more than 10 years"),
            (
                "FREQ=WEEKLY;UNTIL=20250101T000000Z",
                "before the first occurrence",
            ),
            ("FREQ=WEEKLY;BYDAY=2TU", "need FREQ=MONTHLY"),
            ("FREQ=MONTHLY;BYDAY=0TU", "ordinal"),
            ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY"),
            ("FREQ=WEEKLY;BYSETPOS=1", "not supported"),
            ("BYDAY=TU", "FREQ is required"),
            ("FREQ=WEEKLY;COUNT=3;UNTIL=20260301T000000Z", "not both"),
            ("nonsense", "NAME=VALUE"),
        ] {
            let err = Recurrence::parse(raw, start).unwrap_err();
            match err {
                Error::Invalid { field, message } => {
                    assert_eq!(field, "rule");
                    assert!(message.contains(says), "{raw}: {message}");
                }
                other => panic!("{raw}: {other:?}"),
            }
        }
    }
}
