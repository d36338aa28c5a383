//! Accounts and profiles: who a person is across every community they take part in.

use serde::Serialize;

use super::text::{multi_line, optional_line, single_line};
use crate::clock::Millis;
use crate::error::{Error, Result};

pub use super::ids::AccountId;

/// A unique public name used in URLs and mentions: `[a-z0-9_]{2,32}`, stored lower-case.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Handle(String);

impl Handle {
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim().trim_start_matches('@').to_ascii_lowercase();
        let ok_chars = value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !(2..=32).contains(&value.len()) || !ok_chars {
            return Err(Error::invalid(
                "handle",
                "must be 2–32 characters: lower-case letters, digits and _",
            ));
        }
        Ok(Handle(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An e-mail address, lower-cased. Only its shape is checked; ownership is not (yet) verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self> {
        let value = raw.trim().to_lowercase();
        let shape_ok = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains('@')
            }
            None => false,
        };
        if value.len() > 254
            || !shape_ok
            || value.chars().any(|c| c.is_whitespace() || c.is_control())
        {
            return Err(Error::invalid("email", "must be an e-mail address"));
        }
        Ok(Email(value))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password. Long passphrases are welcome; the upper bound keeps hashing cost bounded.
pub struct Password(String);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 256;

    pub fn parse(raw: &str) -> Result<Self> {
        let len = raw.chars().count();
        if len < Self::MIN {
            return Err(Error::invalid(
                "password",
                format!("must be at least {} characters", Self::MIN),
            ));
        }
        if len > Self::MAX {
            return Err(Error::invalid(
                "password",
                format!("must be at most {} characters", Self::MAX),
            ));
        }
        Ok(Password(raw.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(****)")
    }
}

/// What a person tells the community about themselves. Every field but the display name is
/// optional; organisation, department and country are what make cross-organisation reach visible.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    pub display_name: String,
    pub bio: Option<String>,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub expertise: Vec<String>,
}

/// Raw profile input as it arrives from a form or JSON body; `None` means "leave unchanged".
#[derive(Debug, Clone, Default)]
pub struct ProfileInput {
    pub display_name: Option<String>,
    pub bio: Option<String>,
    pub organisation: Option<String>,
    pub department: Option<String>,
    pub country: Option<String>,
    pub time_zone: Option<String>,
    pub expertise: Option<Vec<String>>,
}

pub const MAX_EXPERTISE: usize = 20;

pub fn parse_display_name(raw: &str) -> Result<String> {
    single_line("display_name", raw, 1, 80)
}

pub fn parse_time_zone(raw: &str) -> Result<Option<String>> {
    let value = raw.trim();
    if value.is_empty() {
        return Ok(None);
    }
    value
        .parse::<chrono_tz::Tz>()
        .map(|tz| Some(tz.name().to_string()))
        .map_err(|_| {
            Error::invalid(
                "time_zone",
                "must be an IANA time zone such as Europe/Berlin",
            )
        })
}

pub fn parse_expertise(raw: &[String]) -> Result<Vec<String>> {
    if raw.len() > MAX_EXPERTISE {
        return Err(Error::invalid(
            "expertise",
            format!("at most {MAX_EXPERTISE} topics"),
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for item in raw {
        if item.trim().is_empty() {
            continue;
        }
        let label = single_line("expertise", item, 1, 50)?;
        if !out.iter().any(|l| l.eq_ignore_ascii_case(&label)) {
            out.push(label);
        }
    }
    if out.len() > MAX_EXPERTISE {
        return Err(Error::invalid(
            "expertise",
            format!("at most {MAX_EXPERTISE} topics"),
        ));
    }
    Ok(out)
}

/// Splits "a, b; c" into topics, as typed in one form field.
pub fn split_expertise(raw: &str) -> Vec<String> {
    raw.split([',', ';', '\n'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Profile {
    /// Applies an input on top of this profile, validating every given field.
    pub fn apply(&self, input: ProfileInput) -> Result<Profile> {
        let mut next = self.clone();
        if let Some(v) = input.display_name {
            next.display_name = parse_display_name(&v)?;
        }
        if let Some(v) = input.bio {
            next.bio = if v.trim().is_empty() {
                None
            } else {
                Some(multi_line("bio", &v, 1, 2000)?)
            };
        }
        if let Some(v) = input.organisation {
            next.organisation = optional_line("organisation", &v, 120)?;
        }
        if let Some(v) = input.department {
            next.department = optional_line("department", &v, 120)?;
        }
        if let Some(v) = input.country {
            next.country = optional_line("country", &v, 60)?;
        }
        if let Some(v) = input.time_zone {
            next.time_zone = parse_time_zone(&v)?;
        }
        if let Some(v) = input.expertise {
            next.expertise = parse_expertise(&v)?;
        }
        Ok(next)
    }
}

/// A validated sign-up.
#[derive(Debug)]
pub struct NewAccount {
    pub handle: Handle,
    pub email: Email,
    pub password_hash: String,
    pub profile: Profile,
    pub is_admin: bool,
    /// Whether the address counts at once: an admin's `create-user` and the demo vouch for it;
    /// a sign-up must follow the link sent to it.
    pub email_verified: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: AccountId,
    pub handle: String,
    pub email: String,
    pub profile: Profile,
    pub is_admin: bool,
    /// Set while a site admin keeps the account out: no sign-in, no session, no token works.
    pub suspension: Option<Suspension>,
    /// The owner followed a link sent to `email`: only then is anything addressed to it
    /// delivered or accepted (invitations, digests, notifications).
    pub email_verified: bool,
    /// Its owner deleted it: the row stays, scrubbed, under "a former member".
    pub deleted: bool,
    pub created_at: Millis,
    /// Why the profile's own words are hidden from others (flagged, or by a site admin).
    pub profile_hidden: Option<String>,
}

impl Account {
    pub fn is_suspended(&self) -> bool {
        self.suspension.is_some()
    }
}

/// Why and until when an account is kept out. Without an end it lasts until restored; with one
/// the worker restores it when the end has passed (and signing in after the end restores it at
/// once, so nobody waits for the worker's round).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suspension {
    pub since: Millis,
    pub reason: Option<String>,
    pub until: Option<Millis>,
}

impl Suspension {
    /// A suspension from `now` with the reason an admin gave (required: the person is told it)
    /// and an optional end — a date (`2026-12-24`, restored at the start of that day, UTC) or
    /// an RFC 3339 instant — which must lie ahead and within ten years.
    pub fn parse(now: Millis, reason: &str, until: Option<&str>) -> Result<Suspension> {
        let reason = super::text::multi_line("reason", reason, 3, 500)?;
        let until = match until.map(str::trim).filter(|u| !u.is_empty()) {
            None => None,
            Some(text) => Some(parse_end(now, text)?),
        };
        Ok(Suspension {
            since: now,
            reason: Some(reason),
            until,
        })
    }

    /// Ended: it had an end date and that has passed.
    pub fn has_ended(&self, now: Millis) -> bool {
        self.until.is_some_and(|until| until <= now)
    }
}

fn parse_end(now: Millis, text: &str) -> Result<Millis> {
    let at = if let Ok(day) = chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        day.and_hms_opt(0, 0, 0)
            .map(|t| t.and_utc().timestamp_millis())
    } else {
        chrono::DateTime::parse_from_rfc3339(text)
            .ok()
            .map(|t| t.timestamp_millis())
    };
    let Some(at) = at else {
        return Err(Error::invalid(
            "until",
            "is not a date (2026-12-24) or an RFC 3339 time",
        ));
    };
    const TEN_YEARS: Millis = 10 * 366 * 24 * 3600 * 1000;
    if at <= now {
        return Err(Error::invalid("until", "must be in the future"));
    }
    if at > now + TEN_YEARS {
        return Err(Error::invalid("until", "must be within ten years"));
    }
    Ok(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suspension_needs_a_reason_and_an_end_ahead() {
        let now = 1_767_225_600_000; // 2026-01-01T00:00:00Z
        let s = Suspension::parse(now, "posted spam", Some("2026-01-08")).unwrap();
        assert_eq!(s.until, Some(now + 7 * 24 * 3600 * 1000));
        assert_eq!(s.reason.as_deref(), Some("posted spam"));
        assert!(!s.has_ended(now) && s.has_ended(now + 7 * 24 * 3600 * 1000));
        assert_eq!(
            Suspension::parse(now, "posted spam", Some(" "))
                .unwrap()
                .until,
            None
        );
        assert!(Suspension::parse(now, "", None).is_err());
        assert!(Suspension::parse(now, "spam", Some("2025-12-31")).is_err());
        assert!(Suspension::parse(now, "spam", Some("2040-01-01")).is_err());
        assert!(Suspension::parse(now, "spam", Some("next week")).is_err());
        let exact = Suspension::parse(now, "spam", Some("2026-01-01T12:00:00+01:00")).unwrap();
        assert_eq!(exact.until, Some(now + 11 * 3600 * 1000));
    }

    #[test]
    fn handles_are_lower_case_and_bounded() {
        assert_eq!(Handle::parse("@Ada_L").unwrap().as_str(), "ada_l");
        assert!(Handle::parse("a").is_err());
        assert!(Handle::parse("has space").is_err());
        assert!(Handle::parse(&"a".repeat(33)).is_err());
    }

    #[test]
    fn emails_need_a_domain_with_a_dot() {
        assert_eq!(Email::parse(" A@B.org ").unwrap().as_str(), "a@b.org");
        for bad in ["", "a", "a@b", "@b.org", "a@.org", "a b@c.org", "a@b@c.org"] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn profile_apply_validates_each_field() {
        let base = Profile {
            display_name: "Ada".into(),
            ..Profile::default()
        };
        let next = base
            .apply(ProfileInput {
                time_zone: Some("Europe/Berlin".into()),
                expertise: Some(vec![
                    "Hand hygiene".into(),
                    "hand hygiene".into(),
                    " ".into(),
                ]),
                organisation: Some("  ".into()),
                ..ProfileInput::default()
            })
            .unwrap();
        assert_eq!(next.time_zone.as_deref(), Some("Europe/Berlin"));
        assert_eq!(next.expertise, vec!["Hand hygiene".to_string()]);
        assert_eq!(next.organisation, None);
        let err = base
            .apply(ProfileInput {
                time_zone: Some("Mars/Olympus".into()),
                ..ProfileInput::default()
            })
            .unwrap_err();
        assert!(matches!(err, Error::Invalid { ref field, .. } if field == "time_zone"));
    }
}
