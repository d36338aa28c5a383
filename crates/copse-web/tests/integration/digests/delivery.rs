//! Delivery that survives failure: a crash mid-batch, two workers, bounces sent again.

use super::*;

#[tokio::test]
async fn a_crash_mid_batch_resumes_and_two_workers_send_each_digest_once() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        let mut people = Vec::new();
        for i in 0..24 {
            let p = app.api().person(&format!("p{i:02}")).await;
            p.post_empty("/api/v1/communities/ipc/join").await;
            people.push(p);
        }
        // The welcomes go first, so that the counts below are the digests'.
        send_welcomes(&app.state, port).await;
        clock.advance(DAY);
        coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "News", "body": "x"}),
            )
            .await;
        clock.set(MONDAY);
        let before = caught(&smtp).len();
        // The first node crashes after 7 messages: its job stays claimed.
        worker(&app.state, port, "a", Some(7)).tick().await.unwrap();
        assert_eq!(caught(&smtp).len() - before, 7);
        // Another node cannot take the job while its lease runs…
        worker(&app.state, port, "b", None).tick().await.unwrap();
        assert_eq!(caught(&smtp).len() - before, 7);
        // …and resumes it once the lease ran out, skipping whoever has theirs.
        clock.advance(301_000);
        let (b, c) = (
            worker(&app.state, port, "b", None),
            worker(&app.state, port, "c", None),
        );
        let (x, y) = tokio::join!(b.tick(), c.tick());
        x.unwrap();
        y.unwrap();
        b.tick().await.unwrap();
        let messages = without_welcomes(&caught(&smtp));
        let count = to_whom(&messages);
        assert_eq!(
            count.len(),
            25,
            "everyone (newcomers to welcome for the author): {count:?}"
        );
        assert!(
            count.values().all(|n| *n == 1),
            "exactly one each: {count:?}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn bounces_are_recorded_and_admins_send_them_again() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        let mut members = Vec::new();
        for h in ["ada", "bob", "cy"] {
            let m = app.api().person(h).await;
            m.post_empty("/api/v1/communities/ipc/join").await;
            members.push(m);
        }
        // The welcomes go first, so that what fails below is the digests.
        send_welcomes(&app.state, port).await;
        let welcomed = caught(&smtp).len();
        clock.advance(DAY);
        coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "News", "body": "x"}),
            )
            .await;
        clock.set(MONDAY);
        // The mail server is down: every message fails, the batch goes on, nothing crashes.
        let dead = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        worker(&app.state, dead, "a", None).tick().await.unwrap();
        assert_eq!(caught(&smtp).len(), welcomed);
        let admin = app.admin("root").await;
        let overview = admin.get("/api/v1/admin/email").await;
        assert_eq!(overview.status, 200, "{}", overview.text);
        let run = &overview.body["runs"][0];
        assert_eq!(run["run"], "weekly-2029-12-31");
        assert_eq!(
            (run["sent"].as_i64(), run["failed"].as_i64()),
            (Some(0), Some(4))
        );
        let failures = overview.body["failures"].as_array().unwrap();
        assert_eq!(failures.len(), 4);
        assert!(
            failures
                .iter()
                .all(|f| !f["error"].as_str().unwrap().is_empty())
        );
        admins_send_them_again(&members, &app, &admin, port, &smtp).await;
        app.finish().await;
    }
}

/// Admins only.
async fn admins_send_them_again(
    members: &[Api],
    app: &TestApp,
    admin: &Api,
    port: u16,
    smtp: &Smtp,
) {
    assert_eq!(members[0].get("/api/v1/admin/email").await.status, 403);
    assert_eq!(
        app.api()
            .anonymous()
            .get("/api/v1/admin/email")
            .await
            .status,
        401
    );
    let again = json!({"run": "weekly-2029-12-31"});
    assert_eq!(
        members[0]
            .post("/api/v1/admin/email/retry", again.clone())
            .await
            .status,
        403
    );
    assert_eq!(
        admin
            .post(
                "/api/v1/admin/email/retry",
                json!({"run": "weekly-2029-12-30"})
            )
            .await
            .status,
        422,
        "not a period"
    );
    // Sent again once the server is back: one each.
    let r = admin.post("/api/v1/admin/email/retry", again).await;
    assert_eq!(r.body["queued"], 1, "{}", r.text);
    worker(&app.state, port, "a", None).tick().await.unwrap();
    let count = to_whom(&without_welcomes(&caught(smtp)));
    assert_eq!(count.len(), 4, "{count:?}");
    assert!(count.values().all(|n| *n == 1));
    let overview = admin.get("/api/v1/admin/email").await;
    let run = &overview.body["runs"][0];
    assert_eq!(
        (run["sent"].as_i64(), run["failed"].as_i64()),
        (Some(4), Some(0))
    );
}

#[tokio::test]
async fn failed_notification_and_message_emails_are_sent_again_by_an_admin() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        ada.post(
            "/api/v1/conversations",
            json!({"people": ["bob"], "subject": "Night checks", "body": "Can we talk?"}),
        )
        .await;
        bob.post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Audit forms", "body": "@ada has the template."}),
        )
        .await;
        clock.advance(3 * MINUTE);
        let dead = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        worker(&app.state, dead, "a", None).tick().await.unwrap();
        let admin = app.admin("root").await;
        let overview = admin.get("/api/v1/admin/email").await;
        let failed: BTreeMap<String, i64> = overview.body["runs"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["run"].as_str().unwrap().to_string(),
                    r["failed"].as_i64().unwrap(),
                )
            })
            .collect();
        assert_eq!(failed.get("messages"), Some(&1), "{failed:?}");
        assert_eq!(failed.get("notifications"), Some(&1), "{failed:?}");
        for run in ["messages", "notifications"] {
            let r = admin
                .post("/api/v1/admin/email/retry", json!({"run": run}))
                .await;
            assert_eq!(r.body["queued"], 1, "{run}: {}", r.text);
        }
        worker(&app.state, port, "a", None).tick().await.unwrap();
        let subjects: Vec<String> = caught(&smtp)
            .iter()
            .map(|m| m["subject"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(subjects.len(), 2, "{subjects:?}");
        assert!(
            subjects
                .iter()
                .any(|s| s.contains("wrote to you in Night checks"))
        );
        assert!(
            subjects
                .iter()
                .any(|s| s.contains("mentioned you in Audit forms"))
        );
        app.finish().await;
    }
}
