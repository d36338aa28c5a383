//! E-mail preferences and the periods of personal digests. A member chooses how often a digest
//! comes (daily, weekly — the default — or never); each digest covers the period that ended at
//! its sending time, and has a key so that it is sent once per member and period.

use chrono::{DateTime, Datelike, Duration, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::Millis;
use crate::error::{Error, Result};

/// How often a member's personal digest comes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DigestCadence {
    Daily,
    Weekly,
    Off,
}

impl DigestCadence {
    pub fn as_str(self) -> &'static str {
        match self {
            DigestCadence::Daily => "daily",
            DigestCadence::Weekly => "weekly",
            DigestCadence::Off => "off",
        }
    }

    pub fn parse(raw: &str) -> Result<DigestCadence> {
        match raw.trim() {
            "daily" => Ok(DigestCadence::Daily),
            "weekly" => Ok(DigestCadence::Weekly),
            "off" => Ok(DigestCadence::Off),
            _ => Err(Error::invalid(
                "digest",
                "must be one of: daily, weekly, off",
            )),
        }
    }
}

/// The hour (UTC) at which digests go out: a daily digest covers the 24 hours before it, a
/// weekly one (on Mondays) the seven days before it.
pub const SEND_HOUR_UTC: u32 = 7;

/// One digest period: what it covers and its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestPeriod {
    pub cadence: DigestCadence,
    pub since: Millis,
    pub until: Millis,
    /// `weekly-2026-11-23`, the first day of the week it was sent in; `daily-2026-11-28`.
    pub key: String,
}

/// The latest period of a cadence that has ended by `now` (None for `Off`).
pub fn latest_period(cadence: DigestCadence, now: Millis) -> Option<DigestPeriod> {
    let now = DateTime::<Utc>::from_timestamp_millis(now)?;
    let today = Utc
        .with_ymd_and_hms(now.year(), now.month(), now.day(), SEND_HOUR_UTC, 0, 0)
        .single()?;
    let last_send = if now >= today {
        today
    } else {
        today - Duration::days(1)
    };
    let (until, length) = match cadence {
        DigestCadence::Off => return None,
        DigestCadence::Daily => (last_send, Duration::days(1)),
        DigestCadence::Weekly => {
            let back = i64::from(last_send.weekday().num_days_from_monday());
            (last_send - Duration::days(back), Duration::days(7))
        }
    };
    Some(DigestPeriod {
        cadence,
        since: (until - length).timestamp_millis(),
        until: until.timestamp_millis(),
        key: format!("{}-{}", cadence.as_str(), until.format("%Y-%m-%d")),
    })
}

/// The period a key names (`weekly-2026-11-23`), for running it again.
pub fn period_of_key(key: &str) -> Option<DigestPeriod> {
    let (cadence, date) = key.split_once('-')?;
    let cadence = DigestCadence::parse(cadence).ok()?;
    let day = chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let until = Utc
        .from_utc_datetime(&day.and_hms_opt(SEND_HOUR_UTC, 0, 0)?)
        .timestamp_millis();
    let period = latest_period(cadence, until)?;
    (period.key == key).then_some(period)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Millis {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn periods_end_at_the_last_sending_time() {
        // Saturday 2026-11-28, 15:00: the daily digest of this morning, the weekly of Monday.
        let now = at("2026-11-28T15:00:00Z");
        let d = latest_period(DigestCadence::Daily, now).unwrap();
        assert_eq!(
            (d.since, d.until),
            (at("2026-11-27T07:00:00Z"), at("2026-11-28T07:00:00Z"))
        );
        assert_eq!(d.key, "daily-2026-11-28");
        let w = latest_period(DigestCadence::Weekly, now).unwrap();
        assert_eq!(
            (w.since, w.until),
            (at("2026-11-16T07:00:00Z"), at("2026-11-23T07:00:00Z"))
        );
        assert_eq!(w.key, "weekly-2026-11-23");
        // Before 07:00 the day's digest has not gone out yet.
        let early = latest_period(DigestCadence::Daily, at("2026-11-28T06:59:00Z")).unwrap();
        assert_eq!(early.key, "daily-2026-11-27");
        // Monday 07:00 exactly starts a new week.
        let monday = latest_period(DigestCadence::Weekly, at("2026-11-30T07:00:00Z")).unwrap();
        assert_eq!(monday.key, "weekly-2026-11-30");
        assert!(latest_period(DigestCadence::Off, now).is_none());
        assert_eq!(period_of_key("weekly-2026-11-23"), Some(w));
        assert_eq!(period_of_key("daily-2026-11-28"), Some(d));
        for bad in ["weekly-2026-11-24", "off-2026-11-23", "weekly", "x-y"] {
            assert_eq!(period_of_key(bad), None, "{bad}");
        }
        assert!(DigestCadence::parse("hourly").is_err());
    }
}

/// How a kind of notification reaches someone by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum EmailMode {
    /// Its own e-mail, a few minutes after it happened, unless it was seen on the site.
    Immediate,
    /// A line in the next digest.
    Digest,
    Off,
}

impl EmailMode {
    pub fn as_str(self) -> &'static str {
        match self {
            EmailMode::Immediate => "immediate",
            EmailMode::Digest => "digest",
            EmailMode::Off => "off",
        }
    }

    pub fn parse(raw: &str) -> Result<EmailMode> {
        match raw.trim() {
            "immediate" => Ok(EmailMode::Immediate),
            "digest" => Ok(EmailMode::Digest),
            "off" => Ok(EmailMode::Off),
            _ => Err(Error::invalid(
                "kinds",
                "each mode is one of: immediate, digest, off",
            )),
        }
    }
}

use super::NotificationKind as K;

/// Every kind of notification with its default: quiet — only what is addressed to you alone
/// (a message, a mention, your answer accepted, a join request to answer, a request declined)
/// comes at once; the rest waits for the digest. An approval waits too: the welcome e-mail
/// says it at once.
pub const DEFAULT_MODES: [(K, EmailMode); 13] = [
    (K::Message, EmailMode::Immediate),
    (K::Mention, EmailMode::Immediate),
    (K::Accepted, EmailMode::Immediate),
    (K::Reply, EmailMode::Digest),
    (K::Circle, EmailMode::Digest),
    (K::Topic, EmailMode::Digest),
    (K::Credited, EmailMode::Digest),
    (K::StoryComment, EmailMode::Digest),
    (K::CheckIn, EmailMode::Digest),
    (K::JoinRequest, EmailMode::Immediate),
    (K::JoinDeclined, EmailMode::Immediate),
    (K::JoinApproved, EmailMode::Digest),
    (K::Merged, EmailMode::Immediate),
];

/// A person's modes, every kind present: their choices over the defaults.
pub fn modes_from(stored: &str) -> Vec<(K, EmailMode)> {
    let chosen: Vec<(K, EmailMode)> = stored
        .split(',')
        .filter_map(|pair| {
            let (k, m) = pair.split_once('=')?;
            Some((K::parse(k).ok()?, EmailMode::parse(m).ok()?))
        })
        .collect();
    DEFAULT_MODES
        .iter()
        .map(|(k, default)| {
            let mode = chosen
                .iter()
                .find(|(c, _)| c == k)
                .map_or(*default, |(_, m)| *m);
            (*k, mode)
        })
        .collect()
}

/// The stored form of a person's modes (only what differs from the defaults).
pub fn modes_to(modes: &[(K, EmailMode)]) -> String {
    modes
        .iter()
        .filter(|(k, m)| DEFAULT_MODES.iter().any(|(dk, dm)| dk == k && dm != m))
        .map(|(k, m)| format!("{}={}", k.as_str(), m.as_str()))
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod mode_tests {
    use super::*;

    #[test]
    fn modes_keep_defaults_and_store_only_choices() {
        let modes = modes_from("reply=immediate,mention=off,nonsense,topic=sometimes");
        assert_eq!(modes.len(), DEFAULT_MODES.len());
        assert!(modes.contains(&(K::Reply, EmailMode::Immediate)));
        assert!(modes.contains(&(K::Mention, EmailMode::Off)));
        assert!(
            modes.contains(&(K::Topic, EmailMode::Digest)),
            "bad values keep the default"
        );
        assert_eq!(modes_to(&modes), "mention=off,reply=immediate");
        assert_eq!(modes_to(&modes_from("")), "");
    }
}
