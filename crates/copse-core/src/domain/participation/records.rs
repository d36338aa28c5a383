//! What the store keeps of levels: each member's level with its reasons, the changes between
//! levels, and daily snapshots of the distribution.

use std::collections::BTreeMap;

use super::levels::Level;
use crate::clock::Millis;
use crate::domain::{AccountId, Role};

/// A member's stored level.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberLevel {
    pub account: AccountId,
    pub handle: String,
    pub display_name: String,
    pub role: Role,
    pub level: Level,
    pub points: i64,
    pub counts: BTreeMap<String, i64>,
    pub computed_at: Millis,
    pub since: Millis,
    pub joined_at: Millis,
}

/// A level change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LevelChange {
    pub account: AccountId,
    pub from: Option<Level>,
    pub to: Level,
    pub at: Millis,
}

/// Members per level on one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Snapshot {
    pub day: String,
    pub core: i64,
    pub active: i64,
    pub peripheral: i64,
    pub inactive: i64,
}
