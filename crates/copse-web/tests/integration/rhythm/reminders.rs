//! Reminders go once to those going; waitlisters hear of their place; the job queue.

use super::*;

#[tokio::test]
async fn reminders_go_once_to_those_going_and_waitlisters_hear_of_their_place() {
    for (app, clock) in apps_at(NOW).await {
        let outbox = tempfile::tempdir().unwrap();
        let worker = outbox_worker(&app.state, outbox.path().to_path_buf());
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cy = app.api().person("cy").await;
        let dee = app.api().person("dee").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &cy, &dee] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        // Members-only, weekly on Tuesday at 18:00 Berlin, first on 3 March.
        let id = coord
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Office hour", "time_zone": "Europe/Berlin", "start": "2026-03-03T18:00",
                       "end": "2026-03-03T19:00", "rule": "FREQ=WEEKLY;BYDAY=TU", "space": "members",
                       "place": "Room 4"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let first = "2026-03-03T17:00:00Z";
        let first_ms = NOW + 2 * DAY + 17 * HOUR;
        for m in [&ada, &cy, &dee] {
            let r = m
                .post(
                    &format!("/api/v1/events/{id}/rsvp"),
                    json!({"occurrence": first, "status": "going"}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
        bob.post(
            &format!("/api/v1/events/{id}/rsvp"),
            json!({"occurrence": first, "status": "maybe"}),
        )
        .await;
        cy_wants_none_and_dee_leaves(&cy, &ada, &dee).await;
        a_day_and_an_hour_before(&clock, first_ms, &worker, &outbox, &ada, id, &coord).await;
        waitlist_and_one_click(&coord, &ada, &bob, &worker, &outbox, &app).await;
        the_queue_is_for_admins(&app, &ada).await;
        app.finish().await;
    }
}

/// Cy wants no reminders; Dee leaves the community (and so may no longer see the event).
async fn cy_wants_none_and_dee_leaves(cy: &Api, ada: &Api, dee: &Api) {
    let r = cy.put("/api/v1/me/reminders", json!({"minutes": []})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    for bad in [
        json!({"minutes": [1]}),
        json!({"minutes": [60, 120, 180, 240, 300, 360]}),
        json!({"minutes": [20000]}),
    ] {
        let r = ada.put("/api/v1/me/reminders", bad).await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("minutes")),
            "{}",
            r.text
        );
    }
    assert_eq!(
        ada.get("/api/v1/me/reminders").await.body["minutes"],
        json!([1440, 60])
    );
    dee.post_empty("/api/v1/communities/ipc/leave").await;
}

/// A day before: one reminder, to Ada only, and a second round sends nothing new; an hour
/// before, the second; a cancelled occurrence reminds nobody.
async fn a_day_and_an_hour_before(
    clock: &FixedClock,
    first_ms: i64,
    worker: &Worker,
    outbox: &TempDir,
    ada: &Api,
    id: i64,
    coord: &Api,
) {
    clock.advance(first_ms - DAY - NOW + 10_000);
    worker.tick().await.unwrap();
    worker.tick().await.unwrap();
    let sent = outbox_messages(outbox.path());
    assert_eq!(sent.len(), 1, "{sent:?}");
    let mail = &sent[0];
    assert!(mail.contains("To: ada <ada@example.org>"), "{mail}");
    assert!(mail.contains("Subject: Reminder: Office hour tomorrow"));
    assert!(mail.contains("List-Unsubscribe: <"));
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"));
    assert!(
        mail.contains("multipart/alternative")
            && mail.contains("text/html")
            && mail.contains("text/plain")
    );
    assert!(mail.contains("text/calendar"));
    assert!(mail.contains("Tuesday 3 March 2026, 18:00"));

    // An hour before: the second reminder.
    clock.advance(DAY - HOUR);
    worker.tick().await.unwrap();
    let sent = outbox_messages(outbox.path());
    assert_eq!(sent.len(), 2);
    assert!(
        sent.iter()
            .filter(|m| m.contains("Subject: Reminder: Office hour in an hour"))
            .count()
            == 1
    );

    // A cancelled occurrence reminds nobody.
    let next = "2026-03-10T17:00:00Z";
    ada.post(
        &format!("/api/v1/events/{id}/rsvp"),
        json!({"occurrence": next, "status": "going"}),
    )
    .await;
    coord
        .post(
            &format!("/api/v1/events/{id}/occurrence"),
            json!({"occurrence": next, "action": "cancel"}),
        )
        .await;
    clock.advance(7 * DAY - HOUR + 60_000);
    worker.tick().await.unwrap();
    assert_eq!(outbox_messages(outbox.path()).len(), 2);
}

/// A waitlisted member hears when a place frees.
async fn waitlist_and_one_click(
    coord: &Api,
    ada: &Api,
    bob: &Api,
    worker: &Worker,
    outbox: &TempDir,
    app: &TestApp,
) {
    let small = coord
        .post(
            "/api/v1/communities/ipc/events",
            json!({"title": "Site visit", "time_zone": "Europe/Berlin", "start": "2026-04-20T10:00",
                   "end": "2026-04-20T12:00", "capacity": 1}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let visit = "2026-04-20T08:00:00Z";
    ada.post(
        &format!("/api/v1/events/{small}/rsvp"),
        json!({"occurrence": visit, "status": "going"}),
    )
    .await;
    let r = bob
        .post(
            &format!("/api/v1/events/{small}/rsvp"),
            json!({"occurrence": visit, "status": "going"}),
        )
        .await;
    assert_eq!(r.body["status"], "waitlisted");
    ada.post(
        &format!("/api/v1/events/{small}/rsvp"),
        json!({"occurrence": visit, "status": "not_going"}),
    )
    .await;
    worker.tick().await.unwrap();
    let sent = outbox_messages(outbox.path());
    let notice = sent
        .iter()
        .find(|m| m.contains("Subject: You have a place: Site visit"))
        .expect("bob is told");
    assert!(notice.contains("To: bob <bob@example.org>"));

    // One click in the mail turns reminders off, without a session or an Origin header.
    let link = mail_link(sent.iter().find(|m| m.contains("To: ada")).unwrap());
    let r = reqwest::Client::new()
        .post(app.url(&link))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        ada.get("/api/v1/me/reminders").await.body["minutes"],
        json!([])
    );
}

/// Admins see the queue; others may not.
async fn the_queue_is_for_admins(app: &TestApp, ada: &Api) {
    assert_eq!(app.api().get("/api/v1/admin/jobs").await.status, 401);
    assert_eq!(ada.get("/api/v1/admin/jobs").await.status, 403);
    let admin = app.admin("root").await;
    let jobs = admin.get("/api/v1/admin/jobs?status=done").await;
    assert_eq!(jobs.status, 200, "{}", jobs.text);
    assert!(jobs.body["counts"]["done"].as_i64().unwrap() >= 3);
    assert_eq!(
        admin.get("/api/v1/admin/jobs?status=weird").await.status,
        422
    );
    // The same queue as a page, for admins only.
    let page = app
        .signed_in("root@example.org")
        .await
        .get(app.url("/admin/jobs?status=done"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("waitlist_promoted"));
    let member = app.signed_in("ada@example.org").await;
    assert_eq!(
        member
            .get(app.url("/admin/jobs"))
            .send()
            .await
            .unwrap()
            .status(),
        403
    );
    let anonymous = app
        .browser()
        .get(app.url("/admin/jobs"))
        .send()
        .await
        .unwrap();
    assert!(anonymous.status().is_redirection() || anonymous.status() == 401);
}

/// The unsubscribe path from a message's List-Unsubscribe header.
fn mail_link(mail: &str) -> String {
    let start = mail.find("List-Unsubscribe: <").unwrap() + "List-Unsubscribe: <".len();
    let url = &mail[start..start + mail[start..].find('>').unwrap()];
    url[url.find("/unsubscribe/").unwrap()..].to_string()
}
