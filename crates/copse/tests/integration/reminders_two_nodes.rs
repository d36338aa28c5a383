//! Two copse nodes on one PostgreSQL database, a real SMTP server (aiosmtpd, writing a maildir)
//! and a dozen members going to a meeting: every reminder must arrive exactly once, however the
//! two nodes' workers interleave.

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::support::Copse;
use copse_core::clock::{Clock, SystemClock};
use copse_store::testing::{TestDb, postgres_url};
use serde_json::{Value, json};

const MEMBERS: usize = 12;

struct Smtp(Child);

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn missing_tools() -> Option<String> {
    if postgres_url().is_none() {
        return Some("COPSE_TEST_DATABASE_URL is not set (PostgreSQL)".into());
    }
    let ok = Command::new(crate::support::workspace_root().join(".venv/bin/python"))
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    (!ok).then(|| "aiosmtpd missing in .venv (see .ci/run)".into())
}

/// The reminders caught (on a Monday morning the nodes also send weekly digests, which are
/// tested in crates/copse-web/tests/digests.rs).
fn messages(maildir: &std::path::Path) -> Vec<String> {
    ["new", "cur"]
        .iter()
        .filter_map(|d| std::fs::read_dir(maildir.join(d)).ok())
        .flatten()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .filter(|m| {
            !m.contains("digest: ")
                && !m.contains("Confirm your e-mail address")
                && !m.contains("Subject: Welcome to")
        })
        .collect()
}

async fn call(token: Option<&str>, method: reqwest::Method, url: String, body: Value) -> Value {
    let mut rb = reqwest::Client::new().request(method, &url).json(&body);
    if let Some(t) = token {
        rb = rb.bearer_auth(t);
    }
    let r = rb.send().await.unwrap();
    let status = r.status();
    let text = r.text().await.unwrap();
    assert!(status.is_success(), "{url}: {status} {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Signs `handle` up and follows the verification link that reached the maildir.
async fn sign_up(base: &str, maildir: &std::path::Path, handle: &str) -> String {
    let email = format!("{handle}@example.org");
    let password = "correct horse battery";
    call(
        None,
        reqwest::Method::POST,
        format!("{base}/api/v1/auth/signup"),
        json!({"handle": handle, "email": email, "password": password}),
    )
    .await;
    crate::support::verify_email(base, maildir, &email).await;
    let t = call(
        None,
        reqwest::Method::POST,
        format!("{base}/api/v1/auth/tokens"),
        json!({"email": email, "password": password}),
    )
    .await;
    t["token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn two_nodes_send_each_reminder_exactly_once() {
    if !crate::support::tools_present(missing_tools()) {
        return;
    }
    let db = TestDb::postgres(
        &postgres_url().unwrap(),
        Arc::new(SystemClock) as Arc<dyn Clock>,
    )
    .await
    .unwrap();
    let mail_root = tempfile::tempdir().unwrap();
    // aiosmtpd's Mailbox handler makes the maildir (tmp, new, cur) when it does not exist.
    let maildir = mail_root.path().join("maildir");
    let (smtp_url, smtp) = start_smtp(&maildir).await;
    let (data_a, data_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let node = |name: &'static str, data: &std::path::Path| {
        crate::support::start_copse_with(
            "serve",
            data,
            &[
                "--database-url",
                &db.url,
                "--smtp-url",
                &smtp_url,
                "--node-name",
                name,
                "--job-poll-seconds",
                "1",
                "--mail-from",
                "copse <copse@example.org>",
            ],
        )
    };
    let a = node("node-a", data_a.path());
    let b = node("node-b", data_b.path());

    plan_a_meeting(&a, &b, &maildir).await;

    each_reminder_arrives_once(&maildir).await;
    drop((a, b, smtp));
    db.finish().await;
}

/// A real SMTP server (aiosmtpd) that files every message it receives in `maildir`.
async fn start_smtp(maildir: &std::path::Path) -> (String, Smtp) {
    let port = free_port();
    let smtp = Smtp(
        Command::new(crate::support::workspace_root().join(".venv/bin/python"))
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("starting aiosmtpd"),
    );
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "aiosmtpd did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let smtp_url = format!("smtp://127.0.0.1:{port}");
    (smtp_url, smtp)
}

/// A meeting ten minutes from now; everyone wants a reminder 15 minutes before, which is due
/// at once (copse still sends reminders up to 15 minutes late). Half the members talk to one
/// node, half to the other.
async fn plan_a_meeting(a: &Copse, b: &Copse, maildir: &std::path::Path) {
    let coord = sign_up(&a.url, maildir, "coord").await;
    call(Some(&coord), reqwest::Method::POST, format!("{}/api/v1/communities", a.url),
         json!({"name": "Two nodes", "slug": "two-nodes", "domain_statement": "Reminders, once.",
                "visibility": "public", "listed": true, "join_policy": "open", "join_questions": []})).await;
    // A meeting ten minutes from now; everyone wants a reminder 15 minutes before, which is due
    // at once (copse still sends reminders up to 15 minutes late).
    let start = chrono::Utc::now() + chrono::Duration::minutes(10);
    let end = start + chrono::Duration::minutes(45);
    let event = call(Some(&coord), reqwest::Method::POST, format!("{}/api/v1/communities/two-nodes/events", a.url),
        json!({"title": "Quick huddle", "time_zone": "UTC", "start": start.format("%Y-%m-%dT%H:%M").to_string(),
               "end": end.format("%Y-%m-%dT%H:%M").to_string()})).await;
    let id = event["id"].as_i64().unwrap();
    let occurrence = event["first_start"].as_str().unwrap().to_string();
    for i in 0..MEMBERS {
        // Half the members talk to one node, half to the other.
        let base = if i % 2 == 0 { &a.url } else { &b.url };
        let token = sign_up(base, maildir, &format!("member{i}")).await;
        call(
            Some(&token),
            reqwest::Method::PUT,
            format!("{base}/api/v1/me/reminders"),
            json!({"minutes": [15]}),
        )
        .await;
        call(
            Some(&token),
            reqwest::Method::POST,
            format!("{base}/api/v1/communities/two-nodes/join"),
            json!({}),
        )
        .await;
        call(
            Some(&token),
            reqwest::Method::POST,
            format!("{base}/api/v1/events/{id}/rsvp"),
            json!({"occurrence": occurrence, "status": "going"}),
        )
        .await;
    }
}

/// Every member's reminder arrives, once, with its unsubscribe header and calendar.
async fn each_reminder_arrives_once(maildir: &std::path::Path) {
    let waited = Instant::now();
    while messages(maildir).len() < MEMBERS {
        assert!(
            waited.elapsed() < Duration::from_secs(90),
            "only {} reminders arrived",
            messages(maildir).len()
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // Several more rounds of both workers: nothing more may arrive.
    tokio::time::sleep(Duration::from_secs(4)).await;
    let sent = messages(maildir);
    assert_eq!(sent.len(), MEMBERS, "each reminder exactly once");
    let mut recipients: Vec<String> = sent
        .iter()
        .map(|m| {
            m.lines()
                .find_map(|l| l.strip_prefix("To: "))
                .unwrap()
                .to_string()
        })
        .collect();
    recipients.sort();
    recipients.dedup();
    assert_eq!(recipients.len(), MEMBERS, "{recipients:?}");
    for m in &sent {
        assert!(
            m.contains("Subject: Reminder: Quick huddle in 15 minutes"),
            "{m}"
        );
        assert!(m.contains("List-Unsubscribe: <"));
        assert!(m.contains("text/calendar"));
    }
}
