//! The worker's round: a scheduling step that fails is logged with its cause and the line of
//! copse that raised it, and the rest of the round goes on — the later steps and the jobs.

use std::sync::{Arc, Mutex};

use serde_json::json;

use crate::common::*;

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
const MINUTE: i64 = 60_000;

/// A log that keeps what was written to it.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Captured;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()).into_owned()
    }
}

#[tokio::test]
async fn a_failing_scheduling_step_is_logged_and_the_round_goes_on() {
    for (app, clock) in mail_apps(START).await {
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        ada.community("ipc", "public", true, "open").await;
        bob.post_empty("/api/v1/communities/ipc/join").await;
        // Tomorrow's huddle, which bob is going to: the reminders step reads it.
        let event = ada
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Huddle", "time_zone": "UTC", "start": "2029-12-27T10:00", "end": "2029-12-27T10:30"}),
            )
            .await;
        assert_eq!(event.status, 201, "{}", event.text);
        let rsvp = bob
            .post(
                &format!("/api/v1/events/{}/rsvp", event.body["id"]),
                json!({"occurrence": event.body["first_start"], "status": "going"}),
            )
            .await;
        assert_eq!(rsvp.status, 200, "{}", rsvp.text);
        // A message to bob: the later notification step queues its e-mail, a job of the round.
        let message = ada
            .post(
                "/api/v1/conversations",
                json!({"people": ["bob"], "subject": "Checklists", "body": "Shall we compare?"}),
            )
            .await;
        assert_eq!(message.status, 201, "{}", message.text);
        // The stored event breaks behind copse's back: the reminders step cannot read it.
        app.db
            .run_sql("UPDATE events SET time_zone = 'Nowhere/Land'")
            .await
            .unwrap();
        clock.advance(3 * MINUTE);

        let outbox = tempfile::tempdir().unwrap();
        let worker = outbox_worker(&app.state, outbox.path().to_path_buf());
        let log = Captured::default();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(log.clone())
            .with_ansi(false)
            .finish();
        let round = {
            let _logging = tracing::subscriber::set_default(subscriber);
            worker.tick().await
        };
        let ran = round.expect("a failing step does not fail the round");
        assert!(ran >= 1, "the round ran its jobs: {ran}");
        let sent: Vec<String> = std::fs::read_dir(outbox.path())
            .unwrap()
            .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
            .collect();
        assert!(
            sent.iter()
                .any(|m| m.contains("Checklists") && m.contains("bob@")),
            "the message's e-mail went out: {sent:?}"
        );
        let text = log.text();
        assert!(
            text.contains("scheduling step failed") && text.contains("Reminders"),
            "{text}"
        );
        assert!(
            text.contains("has an invalid time zone"),
            "the cause: {text}"
        );
        assert!(
            text.contains("copse-store/src/events.rs"),
            "where copse raised it: {text}"
        );
        app.finish().await;
    }
}
