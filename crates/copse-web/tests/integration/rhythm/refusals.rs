//! Outsiders and removed members are refused on every rhythm surface.

use super::*;

#[tokio::test]
async fn outsiders_and_removed_members_are_refused_on_every_rhythm_surface() {
    for (app, clock) in apps_at(NOW).await {
        let coord = app.api().person("coord").await;
        let member = app.api().person("member").await;
        let outsider = app.api().person("outsider").await;
        coord.community("guild", "private", true, "approval").await;
        let req = member
            .post(
                "/api/v1/communities/guild/join",
                json!({"answers": ["Ward 3B"]}),
            )
            .await;
        let rid = req.body["request"]["id"].as_i64().unwrap();
        let ok = coord
            .post_empty(&format!(
                "/api/v1/communities/guild/join-requests/{rid}/approve"
            ))
            .await;
        assert_eq!(ok.status, 204, "{}", ok.text);
        let id = coord
            .post(
                "/api/v1/communities/guild/events",
                json!({"title": "GUILD-RHYTHM-MARK", "time_zone": "UTC", "start": "2026-03-02T10:00",
                       "end": "2026-03-02T11:00", "rule": "FREQ=WEEKLY;BYDAY=MO", "place": "GUILD-PLACE-MARK"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let first = "2026-03-02T10:00:00Z";
        let first_ms = NOW + DAY + 10 * HOUR;
        member
            .post(
                &format!("/api/v1/events/{id}/rsvp"),
                json!({"occurrence": first, "status": "going"}),
            )
            .await;
        let feed = member.post_empty("/api/v1/me/calendar-feed").await.body["url"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            reqwest::get(&feed)
                .await
                .unwrap()
                .text()
                .await
                .unwrap()
                .contains("GUILD-RHYTHM-MARK")
        );
        clock.advance(first_ms - NOW + HOUR);

        let e = outsiders_are_refused_everywhere(id, &outsider, first, &app, first_ms).await;
        the_coordinator_reaches_them_and_removal_is_at_once(&coord, &e, first, &member, &feed)
            .await;
        app.finish().await;
    }
}

async fn outsiders_are_refused_everywhere(
    id: i64,
    outsider: &Api,
    first: &str,
    app: &TestApp,
    first_ms: i64,
) -> String {
    let e = format!("/api/v1/events/{id}");
    let missing = outsider.get("/api/v1/events/999999").await;
    let api: Vec<Reply> = vec![
        outsider.patch(&e, json!({"title": "x y z"})).await,
        outsider.delete(&e).await,
        outsider
            .post(
                &format!("{e}/occurrence"),
                json!({"occurrence": first, "action": "cancel"}),
            )
            .await,
        outsider
            .post(
                &format!("{e}/attendance"),
                json!({"occurrence": first, "handle": "outsider"}),
            )
            .await,
        outsider
            .get(&format!("{e}/attendance?occurrence={first}"))
            .await,
        outsider
            .post(
                &format!("{e}/recap"),
                json!({"occurrence": first, "notes": "x"}),
            )
            .await,
        outsider
            .post(
                &format!("{e}/rsvp"),
                json!({"series": true, "status": "going"}),
            )
            .await,
        outsider.get(&format!("{e}/occurrences")).await,
    ];
    for r in &api {
        assert_eq!(
            (r.status, &r.text),
            (404, &missing.text),
            "hidden like a missing event"
        );
    }
    let rhythm = outsider.get("/api/v1/communities/guild/rhythm").await;
    assert_eq!(
        rhythm.status, 403,
        "a listed private community: known, closed"
    );
    assert!(!rhythm.text.contains("MARK"));
    let browser = app.browser();
    for path in [
        format!("/e/{id}/o/{first_ms}"),
        format!("/e/{id}/edit"),
        format!("/e/{id}/calendar.ics"),
        "/c/guild/calendar.ics".to_string(),
        "/c/guild/rhythm".to_string(),
    ] {
        let r = browser.get(app.url(&path)).send().await.unwrap();
        let status = r.status().as_u16();
        let body = r.text().await.unwrap();
        assert!(matches!(status, 403 | 404), "{path}: {status}");
        assert!(
            !body.contains("GUILD-RHYTHM-MARK") && !body.contains("GUILD-PLACE-MARK"),
            "{path}"
        );
    }
    e
}

/// The coordinator, on the same setup, reaches each of them.
async fn the_coordinator_reaches_them_and_removal_is_at_once(
    coord: &Api,
    e: &str,
    first: &str,
    member: &Api,
    feed: &str,
) {
    let r = coord
        .post(
            &format!("{e}/attendance"),
            json!({"occurrence": first, "handle": "member"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(
        coord.get("/api/v1/communities/guild/rhythm").await.status,
        200
    );

    // A removed member loses the event at once: API, personal feed, reminders' recipients.
    let removed = coord
        .delete("/api/v1/communities/guild/members/member")
        .await;
    assert!(
        removed.status == 200 || removed.status == 204,
        "{}",
        removed.text
    );
    assert_eq!(member.get(e).await.status, 404);
    let after = reqwest::get(feed).await.unwrap().text().await.unwrap();
    assert!(after.starts_with("BEGIN:VCALENDAR") && !after.contains("GUILD-RHYTHM-MARK"));
}
