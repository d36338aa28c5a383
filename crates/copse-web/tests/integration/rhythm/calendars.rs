//! Calendar feeds show each reader what they may see.

use super::*;

#[tokio::test]
async fn calendar_feeds_show_each_reader_what_they_may_see() {
    for (app, _clock) in apps_at(NOW).await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let stranger = app.api().person("stranger").await;
        coord.community("ipc", "public", true, "open").await;
        coord
            .community("hidden", "private", false, "invitation")
            .await;
        ada.post_empty("/api/v1/communities/ipc/join").await;
        let public = coord
            .post(
                "/api/v1/communities/ipc/events",
                event_body(
                    "Audit; forms, and you",
                    "public",
                    Some("FREQ=MONTHLY;BYDAY=2TU;COUNT=6"),
                ),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        coord
            .post(
                "/api/v1/communities/ipc/events",
                event_body("MEMBERS-ONLY-MARKER", "members", None),
            )
            .await;
        let hidden = coord
            .post(
                "/api/v1/communities/hidden/events",
                event_body("PRIVATE-MARKER", "public", None),
            )
            .await;
        let hidden = hidden.body["id"].as_i64().unwrap();
        coord
            .post(
                &format!("/api/v1/events/{public}/occurrence"),
                json!({"occurrence": "2026-04-14T16:00:00Z", "action": "cancel"}),
            )
            .await;
        coord.post(&format!("/api/v1/events/{public}/occurrence"),
                   json!({"occurrence": "2026-05-12T16:00:00Z", "action": "move", "start": "2026-05-13T18:00", "end": "2026-05-13T19:30"})).await;
        ada.post(
            &format!("/api/v1/events/{public}/rsvp"),
            json!({"occurrence": "2026-03-10T17:00:00Z", "status": "going"}),
        )
        .await;

        the_community_feed(&app, public, hidden).await;
        personal_feeds(&app, &ada, &coord, &stranger).await;
        app.finish().await;
    }
}

/// The community feed: valid iCalendar with the series, its exceptions and escaped text, and
/// nothing members-only or private.
async fn the_community_feed(app: &TestApp, public: i64, hidden: i64) {
    let r = app
        .browser()
        .get(app.url("/c/ipc/calendar.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(r.headers()["content-type"], "text/calendar; charset=utf-8");
    let raw = r.text().await.unwrap();
    assert!(
        raw.lines().all(|l| l.len() <= 75),
        "lines are folded at 75 octets"
    );
    let ics = unfold(&raw);
    assert!(
        ics.contains("SUMMARY:Audit\\; forms\\, and you\r\n"),
        "{ics}"
    );
    assert!(ics.contains("LOCATION:Room 4\\; Building B\\, 2nd floor\r\n"));
    assert!(ics.contains("Line one\\nLine two"));
    assert!(ics.contains("BEGIN:VTIMEZONE\r\nTZID:Europe/Berlin"));
    assert!(ics.contains("RRULE:FREQ=MONTHLY;BYDAY=2TU;COUNT=6\r\n"));
    assert!(ics.contains("EXDATE;TZID=Europe/Berlin:20260414T180000\r\n"));
    assert!(ics.contains("RECURRENCE-ID;TZID=Europe/Berlin:20260512T180000\r\n"));
    assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20260513T180000\r\n"));
    assert!(ics.contains(&format!("UID:event-{public}@copse\r\n")));
    assert!(!ics.contains("MEMBERS-ONLY-MARKER") && !ics.contains("PRIVATE-MARKER"));
    assert!(
        !ics.contains("PARTSTAT"),
        "no one's answers in the community feed"
    );
    assert_eq!(
        app.browser()
            .get(app.url("/c/hidden/calendar.ics"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        app.browser()
            .get(app.url(&format!("/e/{hidden}/calendar.ics")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

/// Personal feeds: a secret address per member, with what they may see and their answers.
async fn personal_feeds(app: &TestApp, ada: &Api, coord: &Api, stranger: &Api) {
    assert_eq!(
        app.api()
            .post_empty("/api/v1/me/calendar-feed")
            .await
            .status,
        401
    );
    let feed = ada.post_empty("/api/v1/me/calendar-feed").await;
    assert_eq!(feed.status, 201, "{}", feed.text);
    let url = feed.body["url"].as_str().unwrap().to_string();
    let token = url
        .rsplit('/')
        .next()
        .unwrap()
        .trim_end_matches(".ics")
        .to_string();
    assert!(token.len() >= 4 + 32, "at least 128 bits: {token}");
    let mine = unfold(
        &reqwest::get(url.clone())
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
    );
    assert!(mine.contains("MEMBERS-ONLY-MARKER"), "{mine}");
    assert!(!mine.contains("PRIVATE-MARKER"));
    assert!(mine.contains("RECURRENCE-ID;TZID=Europe/Berlin:20260310T180000\r\n"));
    assert!(mine.contains("ATTENDEE;PARTSTAT=ACCEPTED:urn:copse:you"));
    let coords = unfold(
        &reqwest::get(format!(
            "{}{}",
            app.base,
            coord.post_empty("/api/v1/me/calendar-feed").await.body["url"]
                .as_str()
                .unwrap()
                .trim_start_matches(&app.base)
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap(),
    );
    assert!(
        coords.contains("PRIVATE-MARKER"),
        "the coordinator sees their private community"
    );
    let strangers = stranger.post_empty("/api/v1/me/calendar-feed").await.body["url"]
        .as_str()
        .unwrap()
        .to_string();
    let strangers = reqwest::get(strangers).await.unwrap().text().await.unwrap();
    assert!(
        !strangers.contains("MEMBERS-ONLY-MARKER") && !strangers.contains("Audit"),
        "not a member of anything"
    );
    // A new address stops the old one; revoking stops it at once.
    let again = ada.post_empty("/api/v1/me/calendar-feed").await.body["url"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(reqwest::get(url).await.unwrap().status(), 404);
    assert_eq!(reqwest::get(again.clone()).await.unwrap().status(), 200);
    assert_eq!(
        ada.get("/api/v1/me/calendar-feed").await.body["active"],
        true
    );
    assert_eq!(ada.delete("/api/v1/me/calendar-feed").await.status, 204);
    assert_eq!(reqwest::get(again).await.unwrap().status(), 404);
    assert_eq!(
        reqwest::get(app.url("/calendar/cal_0000.ics"))
            .await
            .unwrap()
            .status(),
        404
    );
}
