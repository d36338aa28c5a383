//! Delivery that survives failure: a crash mid-batch, two workers, bounced copies sent again.

use super::*;

#[tokio::test]
async fn a_crash_mid_batch_resumes_and_two_workers_send_each_copy_once() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        for i in 0..24 {
            let p = app.api().person(&format!("p{i:02}")).await;
            p.post_empty("/api/v1/communities/ipc/join").await;
        }
        // The welcomes go first: the crash below comes after seven copies of the issue.
        send_welcomes(&app.state, port).await;
        let draft = coord
            .post_empty("/api/v1/communities/ipc/newsletters")
            .await;
        assert_eq!(draft.status, 201, "{}", draft.text);
        coord
            .put(
                "/api/v1/communities/ipc/newsletters/1",
                json!({"subject": "Crash test", "body": "Hello all."}),
            )
            .await;
        assert_eq!(
            coord
                .post_empty("/api/v1/communities/ipc/newsletters/1/send")
                .await
                .status,
            200
        );
        // The first node crashes after 7 messages: its job stays claimed.
        worker(&app.state, port, "a", Some(7)).tick().await.unwrap();
        assert_eq!(issue_mail(&smtp, "Crash test").len(), 7);
        worker(&app.state, port, "b", None).tick().await.unwrap();
        assert_eq!(
            issue_mail(&smtp, "Crash test").len(),
            7,
            "the lease still runs"
        );
        clock.advance(301_000);
        let (b, c) = (
            worker(&app.state, port, "b", None),
            worker(&app.state, port, "c", None),
        );
        let (x, y) = tokio::join!(b.tick(), c.tick());
        x.unwrap();
        y.unwrap();
        b.tick().await.unwrap();
        let count = to_whom(&issue_mail(&smtp, "Crash test"));
        assert_eq!(count.len(), 25, "{count:?}");
        assert!(
            count.values().all(|n| *n == 1),
            "exactly one each: {count:?}"
        );
        assert_eq!(
            coord
                .get("/api/v1/communities/ipc/newsletters/1")
                .await
                .body["issue"]["status"],
            "sent"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn bounced_copies_are_recorded_and_an_admin_sends_them_again() {
    for (app, _clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        for h in ["ada", "bob"] {
            let p = app.api().person(h).await;
            p.post_empty("/api/v1/communities/ipc/join").await;
        }
        coord
            .post_empty("/api/v1/communities/ipc/newsletters")
            .await;
        coord
            .put(
                "/api/v1/communities/ipc/newsletters/1",
                json!({"subject": "Bounce test", "body": "Hello all."}),
            )
            .await;
        coord
            .post_empty("/api/v1/communities/ipc/newsletters/1/send")
            .await;
        // The mail server is down: every copy fails, the issue still goes into the archive.
        let dead = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        worker(&app.state, dead, "a", None).tick().await.unwrap();
        assert!(issue_mail(&smtp, "Bounce test").is_empty());
        let issue = coord.get("/api/v1/communities/ipc/newsletters/1").await;
        assert_eq!(issue.body["issue"]["status"], "sent");
        assert_eq!(
            issue.body["delivery"],
            json!({"sent": 0, "failed": 3, "sending": 0})
        );
        an_admin_sends_them_again(&app, port, &smtp, &coord).await;
        app.finish().await;
    }
}

async fn an_admin_sends_them_again(app: &TestApp, port: u16, smtp: &Smtp, coord: &Api) {
    let admin = app.admin("root").await;
    let overview = admin.get("/api/v1/admin/email").await;
    let run = overview.body["runs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "newsletter")
        .expect("the newsletter's run")
        .clone();
    assert_eq!(run["failed"], 3, "{run}");
    let name = run["run"].as_str().unwrap().to_string();
    assert!(name.starts_with("newsletter-"), "{name}");
    assert_eq!(
        admin
            .post(
                "/api/v1/admin/email/retry",
                json!({"run": "newsletter-999999"})
            )
            .await
            .status,
        422
    );
    let r = admin
        .post("/api/v1/admin/email/retry", json!({"run": name}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    worker(&app.state, port, "a", None).tick().await.unwrap();
    worker(&app.state, port, "a", None).tick().await.unwrap();
    let count = to_whom(&issue_mail(smtp, "Bounce test"));
    assert_eq!(
        count.keys().map(String::as_str).collect::<Vec<_>>(),
        ["ada", "bob", "coord"]
    );
    assert!(count.values().all(|n| *n == 1), "{count:?}");
    assert_eq!(
        coord
            .get("/api/v1/communities/ipc/newsletters/1")
            .await
            .body["delivery"],
        json!({"sent": 3, "failed": 0, "sending": 0})
    );
}
