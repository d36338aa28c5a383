//! Personal digests end to end: built for each person through the access policy, sent through
//! the worker's job queue to a real SMTP server (aiosmtpd), parsed by Python's e-mail parser;
//! one-click unsubscribe without signing in stops the next digest; a crash mid-batch resumes
//! with exactly one digest per person; two workers on one database send each digest once.

mod delivery;
mod notifications;
mod pictures;
mod weekly;

use std::collections::BTreeMap;

use crate::common::*;
use copse_app::worker::Worker;
use copse_core::clock::FixedClock;
use serde_json::{Value, json};

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
/// Monday 2029-12-31, 08:00 UTC: the weekly digest of the week before has gone out at 07:00.
const MONDAY: i64 = 1_893_398_400_000;
const DAY: i64 = 86_400_000;
const BASE: &str = MAIL_BASE;

async fn apps() -> Vec<(TestApp, copse_core::clock::FixedClock)> {
    mail_apps(START).await
}

const MINUTE: i64 = 60_000;

/// The mode of one kind of notification in the e-mail settings `body`.
fn mode_of(body: &Value, kind: &str) -> Value {
    body["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap()["mode"]
        .clone()
}

/// The messages caught so far whose subject contains `needle`.
fn mails(smtp: &Smtp, needle: &str) -> Vec<Value> {
    caught(smtp)
        .into_iter()
        .filter(|m| m["subject"].as_str().unwrap().contains(needle))
        .collect()
}

/// The kinds of `who`'s notifications, newest first.
async fn notification_kinds(who: &Api) -> Vec<String> {
    who.get("/api/v1/notifications").await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap().to_string())
        .collect()
}
