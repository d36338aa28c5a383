//! A use case's writes commit together or not at all. Each test makes one of the later writes
//! fail (a trigger refuses it, as a full disk or a broken constraint would), sees the request
//! answer 500 and finds none of the use case's rows; then heals the database and sees the same
//! request write all of them.

use serde_json::json;

use crate::common::*;

/// Rows a reply leaves behind: the reply, its ledger entry, the notification to the thread's
/// author.
async fn reply_rows(app: &TestApp) -> (i64, i64, i64) {
    let db = &app.db;
    (
        db.count("SELECT COUNT(*) FROM replies").await,
        db.count("SELECT COUNT(*) FROM activity WHERE source LIKE 'reply:%'")
            .await,
        db.count("SELECT COUNT(*) FROM notifications WHERE kind = 'reply'")
            .await,
    )
}

#[tokio::test]
async fn a_reply_its_ledger_row_and_its_notification_commit_together() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        ada.community("ipc", "public", true, "open").await;
        assert_eq!(
            bob.post_empty("/api/v1/communities/ipc/join").await.status,
            200
        );
        let thread = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"kind": "question", "title": "Audit rhythm?", "body": "How often do you audit?"}),
            )
            .await;
        assert_eq!(thread.status, 201, "{}", thread.text);
        let replies = format!("/api/v1/threads/{}/replies", thread.body["id"]);

        // The second write (the ledger) fails: neither the reply nor anything after it stays.
        app.db.fail_inserts("activity", "source", "reply:").await;
        let refused = bob.post(&replies, json!({"body": "Monthly."})).await;
        assert_eq!(refused.status, 500, "{}", refused.text);
        assert_eq!(error_code(&refused), "internal");
        assert_eq!(reply_rows(&app).await, (0, 0, 0));
        app.db.heal("activity").await;

        // The last write (the notification) fails: the reply and its ledger row go too.
        app.db.fail_inserts("notifications", "kind", "reply").await;
        let refused = bob.post(&replies, json!({"body": "Monthly."})).await;
        assert_eq!(refused.status, 500, "{}", refused.text);
        assert_eq!(reply_rows(&app).await, (0, 0, 0));
        let ada_notes = ada.get("/api/v1/notifications").await;
        assert_eq!(ada_notes.body["items"].as_array().unwrap().len(), 0);
        app.db.heal("notifications").await;

        // Healed, the same reply writes all three.
        let posted = bob.post(&replies, json!({"body": "Monthly."})).await;
        assert_eq!(posted.status, 201, "{}", posted.text);
        assert_eq!(reply_rows(&app).await, (1, 1, 1));
        let ada_notes = ada.get("/api/v1/notifications").await;
        assert_eq!(ada_notes.body["items"].as_array().unwrap().len(), 1);
        app.finish().await;
    }
}

#[tokio::test]
async fn an_answer_and_the_promotion_it_implies_commit_together() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        coord.community("gis", "public", true, "open").await;
        let created = coord
            .post(
                "/api/v1/communities/gis/events",
                json!({"title": "Projection clinic", "time_zone": "Europe/London",
                       "start": "2027-03-09T18:00", "end": "2027-03-09T19:00", "capacity": 1}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let rsvp = format!("/api/v1/events/{}/rsvp", created.body["id"]);
        let occ = "2027-03-09T18:00:00Z";
        let mut people = Vec::new();
        for h in ["first", "second"] {
            let p = app.api().person(h).await;
            p.post_empty("/api/v1/communities/gis/join").await;
            let going = json!({"occurrence": occ, "status": "going"});
            assert_eq!(p.post(&rsvp, going).await.status, 200);
            people.push(p);
        }
        let going = || {
            app.db
                .count("SELECT COUNT(*) FROM rsvps WHERE status = 'going'")
        };
        let promotions = || {
            app.db
                .count("SELECT COUNT(*) FROM jobs WHERE kind = 'waitlist_promoted'")
        };
        assert_eq!((going().await, promotions().await), (1, 0));

        // The first gives up their place; queueing the e-mail to the second fails: the place
        // stays theirs, and nobody moved up without being told.
        app.db
            .fail_inserts("jobs", "kind", "waitlist_promoted")
            .await;
        let not_going = json!({"occurrence": occ, "status": "not_going"});
        let refused = people[0].post(&rsvp, not_going.clone()).await;
        assert_eq!(refused.status, 500, "{}", refused.text);
        let first_still = app
            .db
            .count("SELECT COUNT(*) FROM rsvps r JOIN accounts a ON a.id = r.account_id WHERE a.handle = 'first' AND r.status = 'going'")
            .await;
        assert_eq!((first_still, going().await, promotions().await), (1, 1, 0));
        app.db.heal("jobs").await;

        let answered = people[0].post(&rsvp, not_going).await;
        assert_eq!(answered.status, 200, "{}", answered.text);
        assert_eq!((going().await, promotions().await), (1, 1));
        app.finish().await;
    }
}
