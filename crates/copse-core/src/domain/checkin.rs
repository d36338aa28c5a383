//! Check-ins: a short question a community asks its members on a rhythm ("What did you learn
//! here this month? Did you apply anything?"). Answers stay between the member and the
//! coordinators until the member turns one into a value story.

use chrono::{DateTime, Months, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::text::multi_line;
use crate::clock::Millis;
use crate::domain::{CommunityId, Person};
use crate::error::{Error, Result};

/// How often a community's check-in opens a new round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Weekly,
    Monthly,
    Quarterly,
}

impl Cadence {
    pub fn as_str(self) -> &'static str {
        match self {
            Cadence::Weekly => "weekly",
            Cadence::Monthly => "monthly",
            Cadence::Quarterly => "quarterly",
        }
    }

    pub fn parse(raw: &str) -> Result<Cadence> {
        match raw.trim() {
            "weekly" => Ok(Cadence::Weekly),
            "monthly" => Ok(Cadence::Monthly),
            "quarterly" => Ok(Cadence::Quarterly),
            _ => Err(Error::invalid(
                "cadence",
                "must be one of: weekly, monthly, quarterly",
            )),
        }
    }

    /// When the round after one opened `at` opens: a week, or the same day of the month one or
    /// three months later (the month's last day when it is shorter).
    pub fn next(self, at: Millis) -> Millis {
        let Some(start) = DateTime::<Utc>::from_timestamp_millis(at) else {
            return at;
        };
        let next = match self {
            Cadence::Weekly => Some(start + chrono::Duration::days(7)),
            Cadence::Monthly => start.checked_add_months(Months::new(1)),
            Cadence::Quarterly => start.checked_add_months(Months::new(3)),
        };
        next.map_or(at, |n| n.timestamp_millis())
    }
}

impl Cadence {
    /// When the period that ends at `at` began: one cadence back.
    pub fn previous(self, at: Millis) -> Millis {
        let Some(end) = DateTime::<Utc>::from_timestamp_millis(at) else {
            return at;
        };
        let start = match self {
            Cadence::Weekly => Some(end - chrono::Duration::days(7)),
            Cadence::Monthly => end.checked_sub_months(Months::new(1)),
            Cadence::Quarterly => end.checked_sub_months(Months::new(3)),
        };
        start.map_or(at, |s| s.timestamp_millis())
    }
}

/// The prompt members see, as suggested when a coordinator first sets up a check-in.
pub const DEFAULT_PROMPT: &str =
    "What did you learn here this month? Did you apply anything in your work?";

/// A check-in prompt: 1–500 characters.
pub fn parse_prompt(raw: &str) -> Result<String> {
    multi_line("prompt", raw, 1, 500)
}

/// A member's answer: what they learned (required) and what they applied (optional).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub learned: String,
    pub applied: String,
}

impl Answer {
    pub fn parse(learned: &str, applied: &str) -> Result<Answer> {
        Ok(Answer {
            learned: multi_line("learned", learned, 1, 5_000)?,
            applied: if applied.trim().is_empty() {
                String::new()
            } else {
                multi_line("applied", applied, 1, 5_000)?
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Millis {
        DateTime::parse_from_rfc3339(s).unwrap().timestamp_millis()
    }

    #[test]
    fn rounds_follow_the_cadence_and_month_ends() {
        let jan31 = at("2027-01-31T09:00:00Z");
        assert_eq!(Cadence::Weekly.next(jan31), at("2027-02-07T09:00:00Z"));
        assert_eq!(Cadence::Monthly.next(jan31), at("2027-02-28T09:00:00Z"));
        assert_eq!(Cadence::Quarterly.next(jan31), at("2027-04-30T09:00:00Z"));
        assert!(Cadence::parse("daily").is_err());
    }

    #[test]
    fn answers_need_what_was_learned() {
        assert!(Answer::parse(" ", "x").is_err());
        assert_eq!(Answer::parse("a", " ").unwrap().applied, "");
        assert!(Answer::parse("a", &"x".repeat(5_001)).is_err());
        assert!(parse_prompt(&"p".repeat(501)).is_err());
    }
}

/// A community's check-in schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinSchedule {
    pub prompt: String,
    pub cadence: Cadence,
    /// When the next round opens; `None` when paused.
    pub next_at: Option<Millis>,
}

/// One round of a check-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkin {
    pub id: i64,
    pub community_id: CommunityId,
    pub prompt: String,
    pub opened_at: Millis,
    pub closes_at: Millis,
    pub answers: i64,
}

/// A member's answer to a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckinAnswer {
    pub checkin_id: i64,
    pub member: Person,
    pub learned: String,
    pub applied: String,
    /// The story it became, if any.
    pub story_id: Option<i64>,
    pub updated_at: Millis,
}
