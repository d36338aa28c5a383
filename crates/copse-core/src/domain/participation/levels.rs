//! Levels of participation: core, active, peripheral, inactive — computed from the activity
//! ledger over a rolling window with thresholds a community can tune, and explained.
//!
//! The defaults and why (docs/PARTICIPATION.md has the long form): a window of 90 days follows a
//! community's rhythm of monthly meetings (three cycles); `active` needs 8 points — about four
//! replies, or a question, a reply and an event attended — so one visit or one RSVP is not yet
//! active; `core` needs 30 points — regular answering, hosting or starting threads most weeks.
//! Coordinators and leaders count as core while they act as such: at least the active threshold.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::acts::kind;
use crate::clock::DAY;
use crate::clock::Millis;
use crate::domain::membership::Role;
use crate::error::{Error, Result};

/// A level of participation.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Inactive,
    Peripheral,
    Active,
    Core,
}

impl Level {
    pub const ALL: [Level; 4] = [
        Level::Core,
        Level::Active,
        Level::Peripheral,
        Level::Inactive,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Core => "core",
            Level::Active => "active",
            Level::Peripheral => "peripheral",
            Level::Inactive => "inactive",
        }
    }

    pub fn parse(raw: &str) -> Result<Level> {
        match raw {
            "core" => Ok(Level::Core),
            "active" => Ok(Level::Active),
            "peripheral" => Ok(Level::Peripheral),
            "inactive" => Ok(Level::Inactive),
            _ => Err(Error::invalid(
                "level",
                "must be core, active, peripheral or inactive",
            )),
        }
    }
}

/// A community's thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Thresholds {
    pub window_days: i64,
    pub core_points: i64,
    pub active_points: i64,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            window_days: 90,
            core_points: 30,
            active_points: 8,
        }
    }
}

impl Thresholds {
    pub fn validate(self) -> Result<Thresholds> {
        if !(7..=365).contains(&self.window_days) {
            return Err(Error::invalid("window_days", "must be from 7 to 365"));
        }
        if !(1..=10_000).contains(&self.active_points) {
            return Err(Error::invalid("active_points", "must be from 1 to 10000"));
        }
        if self.core_points <= self.active_points || self.core_points > 100_000 {
            return Err(Error::invalid(
                "core_points",
                "must be more than active_points and at most 100000",
            ));
        }
        Ok(self)
    }

    /// The first moment inside the window ending at `now`.
    pub fn since(self, now: Millis) -> Millis {
        now - self.window_days * DAY
    }
}

/// A member's acts in the window, counted per kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub counts: BTreeMap<String, i64>,
}

impl Tally {
    pub fn add(&mut self, kind: &str, count: i64) {
        *self.counts.entry(kind.to_string()).or_default() += count;
    }

    pub fn points(&self) -> i64 {
        self.counts
            .iter()
            .map(|(k, n)| kind(k).map_or(0, |k| k.weight) * n)
            .sum()
    }
}

/// The level that a tally and a role come to.
pub fn level(tally: &Tally, role: Role, t: Thresholds) -> Level {
    let points = tally.points();
    let leads = matches!(role, Role::Coordinator | Role::Leader);
    if points >= t.core_points || (leads && points >= t.active_points) {
        Level::Core
    } else if points >= t.active_points {
        Level::Active
    } else if points > 0 {
        Level::Peripheral
    } else {
        Level::Inactive
    }
}

/// Why a member is at their level, in words: "active: 6 replies, 1 event hosted in the last
/// 90 days (16 points); core needs 30 points."
pub fn explain(tally: &Tally, role: Role, t: Thresholds) -> String {
    let l = level(tally, role, t);
    let points = tally.points();
    let mut parts: Vec<(i64, String)> = tally
        .counts
        .iter()
        .filter(|(_, n)| **n > 0)
        .filter_map(|(k, n)| {
            kind(k).map(|k| {
                (
                    k.weight * n,
                    format!("{n} {}", if *n == 1 { k.one } else { k.many }),
                )
            })
        })
        .collect();
    parts.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let did = if parts.is_empty() {
        format!("nothing recorded in the last {} days", t.window_days)
    } else {
        format!(
            "{} in the last {} days ({points} points)",
            parts
                .into_iter()
                .map(|(_, s)| s)
                .collect::<Vec<_>>()
                .join(", "),
            t.window_days
        )
    };
    let next = match l {
        Level::Core if points < t.core_points => format!(
            "; counts as core as a {} who is active (core needs {} points otherwise)",
            role.as_str(),
            t.core_points
        ),
        Level::Core => String::new(),
        Level::Active => format!("; core needs {} points", t.core_points),
        Level::Peripheral => format!("; active needs {} points", t.active_points),
        Level::Inactive => format!(
            "; any reply, RSVP or visit makes it peripheral, {} points active",
            t.active_points
        ),
    };
    format!("{}: {did}{next}.", l.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tally(pairs: &[(&str, i64)]) -> Tally {
        let mut t = Tally::default();
        for (k, n) in pairs {
            t.add(k, *n);
        }
        t
    }

    #[test]
    fn thresholds_decide_levels_at_their_boundaries() {
        let t = Thresholds::default();
        assert_eq!(level(&tally(&[]), Role::Member, t), Level::Inactive);
        assert_eq!(
            level(&tally(&[("visit", 1)]), Role::Member, t),
            Level::Peripheral
        );
        // 7 points: still peripheral; 8: active.
        assert_eq!(
            level(&tally(&[("reply", 3), ("rsvp", 1)]), Role::Member, t),
            Level::Peripheral
        );
        assert_eq!(
            level(&tally(&[("reply", 4)]), Role::Member, t),
            Level::Active
        );
        // 29 points: active; 30: core.
        assert_eq!(
            level(&tally(&[("reply", 14), ("rsvp", 1)]), Role::Member, t),
            Level::Active
        );
        assert_eq!(
            level(&tally(&[("reply", 15)]), Role::Member, t),
            Level::Core
        );
        // Leaders count as core while they act (active threshold), not otherwise.
        assert_eq!(level(&tally(&[("reply", 4)]), Role::Leader, t), Level::Core);
        assert_eq!(
            level(&tally(&[("reply", 3)]), Role::Coordinator, t),
            Level::Peripheral
        );
        assert_eq!(
            level(&tally(&[("unknown", 50)]), Role::Member, t),
            Level::Inactive
        );
    }

    #[test]
    fn the_window_starts_exactly_window_days_before_now() {
        let t = Thresholds {
            window_days: 90,
            ..Thresholds::default()
        };
        let now = 1_800_000_000_000;
        assert_eq!(t.since(now), now - 90 * DAY);
        assert!(
            Thresholds {
                window_days: 6,
                ..t
            }
            .validate()
            .is_err()
        );
        assert!(
            Thresholds {
                core_points: 8,
                active_points: 8,
                ..t
            }
            .validate()
            .is_err()
        );
        assert!(t.validate().is_ok());
    }

    #[test]
    fn explanations_say_what_counted_and_what_is_next() {
        let t = Thresholds::default();
        assert_eq!(
            explain(
                &tally(&[("reply", 6), ("event_hosted", 1)]),
                Role::Member,
                t
            ),
            "active: 6 replies, 1 event hosted in the last 90 days (16 points); core needs 30 points."
        );
        assert_eq!(
            explain(&tally(&[]), Role::Member, t),
            "inactive: nothing recorded in the last 90 days; any reply, RSVP or visit makes it peripheral, 8 points active."
        );
        assert!(explain(&tally(&[("reply", 4)]), Role::Leader, t).starts_with("core: 4 replies"));
    }
}
