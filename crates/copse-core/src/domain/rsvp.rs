//! Answers to an occurrence (RSVPs with capacity and a waitlist) and attendance.

use crate::clock::Millis;
use crate::domain::{AccountId, Person};
use crate::{Error, Result};

/// An answer to an occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RsvpStatus {
    Going,
    Maybe,
    NotGoing,
    /// Wanted to go when the occurrence was full; promoted in order when a place frees up.
    Waitlisted,
}

impl RsvpStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            RsvpStatus::Going => "going",
            RsvpStatus::Maybe => "maybe",
            RsvpStatus::NotGoing => "not_going",
            RsvpStatus::Waitlisted => "waitlisted",
        }
    }

    pub fn parse(raw: &str) -> Result<RsvpStatus> {
        match raw {
            "going" => Ok(RsvpStatus::Going),
            "maybe" => Ok(RsvpStatus::Maybe),
            "not_going" => Ok(RsvpStatus::NotGoing),
            "waitlisted" => Ok(RsvpStatus::Waitlisted),
            _ => Err(Error::invalid(
                "status",
                "must be one of: going, maybe, not_going",
            )),
        }
    }
}

/// What an answer came to, and who got a place because of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RsvpOutcome {
    pub status: RsvpStatus,
    /// Accounts moved from the waitlist to going by this answer, in order.
    pub promoted: Vec<AccountId>,
}

/// Counts and people of one occurrence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RsvpSummary {
    pub going: Vec<Person>,
    pub maybe: Vec<Person>,
    /// In the order places will be offered.
    pub waitlisted: Vec<Person>,
}

/// Someone checked in to an occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Attendee {
    Member(AccountId),
    WalkIn(String),
}

impl Attendee {
    /// A key that makes one person or walk-in checked in once.
    pub fn key(&self) -> String {
        match self {
            Attendee::Member(id) => format!("a:{id}"),
            Attendee::WalkIn(name) => format!("w:{}", name.to_lowercase()),
        }
    }
}

/// One line of an attendance list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttendanceEntry {
    pub id: i64,
    /// The member, or `None` for a walk-in.
    pub person: Option<Person>,
    pub walk_in_name: Option<String>,
    pub checked_in_at: Millis,
}
