//! Time as the core sees it: unix milliseconds from a [`Clock`] that is passed in, so that rules
//! depending on "now" (session expiry, throttle windows, later participation windows) are tested
//! with a fixed clock.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Milliseconds since the unix epoch, UTC. Stored as a plain integer on both backends.
pub type Millis = i64;

/// A minute, an hour and a day, in milliseconds.
pub const MINUTE: Millis = 60 * 1000;
pub const HOUR: Millis = 60 * MINUTE;
pub const DAY: Millis = 24 * HOUR;

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Millis;
}

#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Millis {
        chrono::Utc::now().timestamp_millis()
    }
}

/// A clock that stands still until told to move; for tests.
#[derive(Debug, Clone, Default)]
pub struct FixedClock(Arc<AtomicI64>);

impl FixedClock {
    pub fn at(millis: Millis) -> Self {
        FixedClock(Arc::new(AtomicI64::new(millis)))
    }

    pub fn advance(&self, by: Millis) {
        self.0.fetch_add(by, Ordering::SeqCst);
    }

    /// Moves to a later time (never back: time only moves forward).
    pub fn set(&self, to: Millis) {
        self.0.fetch_max(to, Ordering::SeqCst);
    }
}

impl Clock for FixedClock {
    fn now(&self) -> Millis {
        self.0.load(Ordering::SeqCst)
    }
}

/// RFC 3339 text for a millisecond timestamp, as the API shows times.
pub fn rfc3339(millis: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A short human date ("3 Mar 2026") for pages.
pub fn human_date(millis: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .format("%-d %b %Y")
        .to_string()
}
