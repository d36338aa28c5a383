//! Circles: small invitation-only groups inside a community, and a person's place in one.

use crate::clock::Millis;
use crate::domain::{AccountId, CommunityId, Person};

pub type CircleId = i64;

/// A circle as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Circle {
    pub id: CircleId,
    pub community_id: CommunityId,
    pub name: String,
    pub purpose: String,
    /// Listed to the community's members (name and purpose), or hidden.
    pub listed: bool,
    pub ends_at: Option<Millis>,
    pub created_by: AccountId,
    pub created_at: Millis,
    pub member_count: i64,
}

impl Circle {
    /// Whether the circle has ended (it stays readable; nothing new is added).
    pub fn ended(&self, now: Millis) -> bool {
        self.ends_at.is_some_and(|e| e <= now)
    }
}

/// Someone's place in a circle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircleRole {
    Host,
    Member,
}

impl CircleRole {
    pub fn as_str(self) -> &'static str {
        match self {
            CircleRole::Host => "host",
            CircleRole::Member => "member",
        }
    }
}

/// A pending request or invitation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CircleRequest {
    pub person: Person,
    /// `request` (they asked) or `invitation` (a host asked them).
    pub kind: String,
    pub message: Option<String>,
    pub created_at: Millis,
}
