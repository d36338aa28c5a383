//! Keeping the rhythm through HTTP: editing and splitting series, single occurrences, answers for
//! a whole series with the waitlist, check-ins, recaps, the rhythm view, calendar feeds and
//! reminders — on every backend under test, each on a clock the test moves.

mod attendance;
mod calendars;
mod refusals;
mod reminders;
mod series;

use crate::common::*;
use copse_app::worker::Worker;
use copse_core::clock::FixedClock;
use serde_json::{Value, json};
use tempfile::TempDir;

/// 2026-03-01T00:00:00Z.
const NOW: i64 = 1_772_323_200_000;
const HOUR: i64 = 3600 * 1000;
const DAY: i64 = 24 * HOUR;

fn keys(list: &Reply) -> Vec<String> {
    list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["occurrence"].as_str().unwrap().to_string())
        .collect()
}

async fn occurrences(api: &Api, id: i64, from: &str, to: &str) -> Reply {
    let r = api
        .get(&format!(
            "/api/v1/events/{id}/occurrences?from={from}&to={to}"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

async fn status_of(api: &Api, id: i64, occurrence: &str) -> Value {
    let r = api
        .get(&format!(
            "/api/v1/events/{id}/rsvps?occurrence={occurrence}"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

fn handles(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["handle"].as_str().unwrap())
        .collect()
}

/// A check-in at the occurrence `occurrence`, of `who` (`{"handle"}` or `{"walk_in"}`).
fn check_in_of(occurrence: &str, who: Value) -> Value {
    let mut body = json!({ "occurrence": occurrence });
    for (k, v) in who.as_object().unwrap() {
        body[k] = v.clone();
    }
    body
}

/// An event in Berlin from 10 March 2026, 18:00–19:30, in `space`, repeating by `rule`.
fn event_body(title: &str, space: &str, rule: Option<&str>) -> Value {
    let mut b = json!({"title": title, "time_zone": "Europe/Berlin", "start": "2026-03-10T18:00",
                       "end": "2026-03-10T19:30", "space": space,
                       "place": "Room 4; Building B, 2nd floor", "description": "Line one\nLine two"});
    if let Some(r) = rule {
        b["rule"] = json!(r);
    }
    b
}

fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "")
}

/// The reminders and waitlist messages in the outbox (digests, which the worker also sends
/// when the clock passes a Monday morning, are tested in tests/digests.rs).
fn outbox_messages(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|m| {
            !m.contains("\r\nSubject: Your weekly digest")
                && !m.contains("\r\nSubject: Your daily digest")
                && !m.contains("\r\nSubject: Welcome to")
        })
        .collect()
}
