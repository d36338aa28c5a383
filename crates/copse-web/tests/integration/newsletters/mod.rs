//! The community newsletter end to end: copse drafts an issue on the community's cadence
//! through the job queue; the coordinator edits, previews as each kind of reader and sends it;
//! every reader's copy — caught by a real SMTP server (aiosmtpd) and parsed by Python's e-mail
//! package — has only what that reader may read at sending time; the archive, its pages and
//! its Atom feed (read by feedparser) show the same to each reader; opting out and one-click
//! unsubscribe stop the next issue; scheduling; a crash mid-batch resumes with exactly one
//! copy each, across two workers.

mod delivery;
mod issue;
mod pages;

use std::process::Command;

use crate::common::*;
use copse_app::worker::Worker;
use copse_core::clock::FixedClock;
use serde_json::{Value, json};

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
/// Tuesday 2030-01-01, 08:00 UTC: the first monthly draft was due at 07:00.
const NEW_YEAR: i64 = 1_893_484_800_000;
const HOUR: i64 = 3_600_000;
const BASE: &str = MAIL_BASE;

async fn apps() -> Vec<(TestApp, copse_core::clock::FixedClock)> {
    mail_apps(START).await
}

/// The messages whose subject is `subject`.
fn issue_mail(smtp: &Smtp, subject: &str) -> Vec<Value> {
    caught(smtp)
        .into_iter()
        .filter(|m| m["subject"] == subject)
        .collect()
}

/// The feed as Python's feedparser reads it (`tests/interop/parse_feed.py`, shared with the
/// binary's feed check).
fn parse_feed(xml: &str) -> Value {
    use std::io::Write;
    let mut child = Command::new(python())
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/interop/parse_feed.py"
        ))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("running python");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(xml.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "feedparser failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

async fn created(who: &Api, path: &str, body: Value) -> i64 {
    let r = who.post(path, body).await;
    assert_eq!(r.status, 201, "{path}: {}", r.text);
    r.body["id"].as_i64().unwrap()
}

/// The coordinator saves issue #1 with this subject and body.
async fn edit_issue(coord: &Api, subject: &str, body: String) -> Reply {
    coord
        .put(
            "/api/v1/communities/ipc/newsletters/1",
            json!({"subject": subject, "body": body}),
        )
        .await
}

/// Issue #1's text as `who` (member, observer, visitor) would read it: the coordinators' preview.
async fn preview_as(coord: &Api, who: &str) -> String {
    let r = coord
        .get(&format!("/api/v1/communities/ipc/newsletters/1?as={who}"))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["text"].as_str().unwrap().to_string()
}
