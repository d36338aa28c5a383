//! An issue of a community's newsletter as stored, where it is on its way out, and the cadence
//! that drafts it.

use chrono::{DateTime, Datelike, Months, TimeZone, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::clock::Millis;
use crate::domain::CommunityId;
use crate::domain::checkin::Cadence;
use crate::domain::community::text_enum;
use crate::error::{Error, Result};

/// Where an issue is on its way out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Being edited; only the coordinators see it.
    Draft,
    /// Will be sent at its `send_at`; still editable.
    Scheduled,
    /// Going out in batches.
    Sending,
    /// Out, and in the archive.
    Sent,
}

/// A community's newsletter cadence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewsletterSettings {
    pub cadence: Cadence,
    /// When copse drafts the next issue; `None` when it drafts none.
    pub next_at: Option<Millis>,
}

/// One issue of a community's newsletter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Newsletter {
    pub id: i64,
    pub community_id: CommunityId,
    pub number: i64,
    pub subject: String,
    pub body: String,
    pub period_since: Millis,
    pub period_until: Millis,
    pub status: Status,
    pub send_at: Option<Millis>,
    pub sent_at: Option<Millis>,
    pub updated_at: Millis,
}

text_enum!(Status, "status", {
    Draft => "draft", Scheduled => "scheduled", Sending => "sending", Sent => "sent",
});

impl Status {
    /// Drafts and scheduled issues can still be changed; what is going out cannot.
    pub fn editable(self) -> bool {
        matches!(self, Status::Draft | Status::Scheduled)
    }

    /// Issues that went out (or are going) are in the archive, for every reader.
    pub fn published(self) -> bool {
        matches!(self, Status::Sending | Status::Sent)
    }
}

/// When a community that never set its newsletter drafts its first issue: the first day of
/// the next month, 07:00 UTC (monthly is the default cadence).
pub fn first_draft_after(now: Millis) -> Millis {
    let Some(now) = DateTime::<Utc>::from_timestamp_millis(now) else {
        return now;
    };
    let first = Utc
        .with_ymd_and_hms(
            now.year(),
            now.month(),
            1,
            crate::domain::email::SEND_HOUR_UTC,
            0,
            0,
        )
        .single()
        .and_then(|d| d.checked_add_months(Months::new(1)));
    first.map_or(now.timestamp_millis(), |d| d.timestamp_millis())
}

/// "October 2026" for a calendar month, else "19 October – 25 October 2026" (the last day
/// included).
pub fn period_label(since: Millis, until: Millis) -> String {
    // Periods run from send time to send time (07:00 UTC): a day is counted from that hour.
    let shift = i64::from(crate::domain::email::SEND_HOUR_UTC) * 3_600_000;
    let (Some(a), Some(b)) = (
        DateTime::<Utc>::from_timestamp_millis(since - shift),
        DateTime::<Utc>::from_timestamp_millis(until - shift - 1),
    ) else {
        return String::new();
    };
    let whole_month = a.day() == 1
        && a.month() == b.month()
        && a.year() == b.year()
        && b.date_naive().succ_opt().is_some_and(|d| d.day() == 1);
    if whole_month {
        a.format("%B %Y").to_string()
    } else if a.year() == b.year() {
        format!("{} – {}", a.format("%-d %B"), b.format("%-d %B %Y"))
    } else {
        format!("{} – {}", a.format("%-d %B %Y"), b.format("%-d %B %Y"))
    }
}
