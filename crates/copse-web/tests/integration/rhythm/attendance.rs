//! Check-ins, recaps and the rhythm view; event text escaped on pages.

use super::*;

#[tokio::test]
async fn check_ins_recaps_and_the_rhythm_view() {
    for (app, _clock) in apps_at(NOW).await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let host = app.api().person("host").await;
        let stranger = app.api().person("stranger").await;
        coord.community("ipc", "public", true, "open").await;
        coord.community("other", "public", true, "open").await;
        ada.post_empty("/api/v1/communities/ipc/join").await;
        host.post_empty("/api/v1/communities/ipc/join").await;
        // A weekly office hour since January, hosted by a member.
        let created = coord
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Office hour", "time_zone": "Europe/Berlin", "start": "2026-01-06T17:00",
                       "end": "2026-01-06T18:00", "rule": "FREQ=WEEKLY;BYDAY=TU", "hosts": ["host"]}),
            )
            .await;
        let id = created.body["id"].as_i64().unwrap();
        let path = format!("/api/v1/events/{id}");
        let feb24 = "2026-02-24T16:00:00Z";
        let feb17 = "2026-02-17T16:00:00Z";
        let mar3 = "2026-03-03T16:00:00Z";
        hosts_check_people_in(&host, &path, mar3, feb24, &ada, &stranger, &coord).await;
        recaps(&coord, &host, &path, mar3, feb24, feb17).await;
        the_rhythm_planned_and_kept(&app, mar3).await;
        app.finish().await;
    }
}

/// Hosts check people in, after the start (or within the hour before).
async fn hosts_check_people_in(
    host: &Api,
    path: &str,
    mar3: &str,
    feb24: &str,
    ada: &Api,
    stranger: &Api,
    coord: &Api,
) {
    let r = host
        .post(
            &format!("{path}/attendance"),
            json!({"occurrence": mar3, "handle": "ada"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    let r = host
        .post(
            &format!("{path}/attendance"),
            check_in_of(feb24, json!({"handle": "ada"})),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let r = host
        .post(
            &format!("{path}/attendance"),
            check_in_of(feb24, json!({"walk_in": "Gil Guest"})),
        )
        .await;
    assert_eq!(r.body["count"], 2, "{}", r.text);
    let r = host
        .post(
            &format!("{path}/attendance"),
            check_in_of(feb24, json!({"handle": "stranger"})),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["field"].as_str()),
        (422, Some("handle"))
    );
    let r = host
        .post(
            &format!("{path}/attendance"),
            check_in_of(feb24, json!({"handle": "ada", "walk_in": "x"})),
        )
        .await;
    assert_eq!(r.status, 422);
    assert_eq!(
        ada.post(
            &format!("{path}/attendance"),
            check_in_of(feb24, json!({"handle": "ada"}))
        )
        .await
        .status,
        403
    );
    assert_eq!(
        stranger
            .get(&format!("{path}/attendance?occurrence={feb24}"))
            .await
            .status,
        403
    );
    let list = coord
        .get(&format!("{path}/attendance?occurrence={feb24}"))
        .await;
    assert_eq!(list.body["count"], 2);
    assert_eq!(list.body["items"][0]["person"]["handle"], "ada");
    assert_eq!(list.body["items"][1]["walk_in"], "Gil Guest");
}

/// Recaps: after the start, with notes and/or a thread of the same community.
async fn recaps(coord: &Api, host: &Api, path: &str, mar3: &str, feb24: &str, feb17: &str) {
    let thread = coord
        .post("/api/v1/communities/ipc/threads", json!({"kind": "discussion", "title": "Notes from the office hour", "body": "What we covered."}))
        .await;
    assert_eq!(thread.status, 201, "{}", thread.text);
    let tid = thread.body["id"].as_i64().unwrap();
    let elsewhere = coord
        .post(
            "/api/v1/communities/other/threads",
            json!({"kind": "discussion", "title": "Elsewhere thread", "body": "x"}),
        )
        .await;
    let r = host
        .post(
            &format!("{path}/recap"),
            json!({"occurrence": mar3, "notes": "too early"}),
        )
        .await;
    assert_eq!(r.status, 409);
    let r = host
        .post(
            &format!("{path}/recap"),
            json!({"occurrence": feb24, "thread": elsewhere.body["id"]}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["field"].as_str()),
        (422, Some("thread"))
    );
    let r = host
        .post(
            &format!("{path}/recap"),
            json!({"occurrence": feb24, "notes": "We compared audit forms.", "thread": tid}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["recap"], "We compared audit forms.");
    assert_eq!(r.body["recap_thread"], tid);
    coord
        .post(
            &format!("{path}/occurrence"),
            json!({"occurrence": feb17, "action": "cancel"}),
        )
        .await;
}

/// The rhythm: planned weekly, kept: January unrecorded, February one held, one cancelled.
async fn the_rhythm_planned_and_kept(app: &TestApp, mar3: &str) {
    let r = app.api().get("/api/v1/communities/ipc/rhythm").await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["series"][0]["cadence"], "weekly on Tuesday");
    let months = r.body["months"].as_array().unwrap();
    let feb = months.iter().find(|m| m["month"] == "2026-02").unwrap();
    assert_eq!(
        (
            feb["planned"].as_i64(),
            feb["held"].as_i64(),
            feb["cancelled"].as_i64(),
            feb["not_recorded"].as_i64(),
            feb["attended"].as_i64()
        ),
        (Some(4), Some(1), Some(1), Some(2), Some(2)),
        "{feb}"
    );
    let jan = months.iter().find(|m| m["month"] == "2026-01").unwrap();
    assert_eq!(
        (jan["planned"].as_i64(), jan["not_recorded"].as_i64()),
        (Some(4), Some(4))
    );
    assert_eq!(r.body["upcoming"][0]["occurrence"], mar3);
    assert_eq!(r.body["past"][0]["kept"], "held");
    assert_eq!(r.body["past"][0]["attended"], 2);
    let page = app
        .browser()
        .get(app.url("/c/ipc/rhythm"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("weekly on Tuesday") && page.contains("kept-table"),
        "{page}"
    );
}

#[tokio::test]
async fn event_text_is_escaped_on_pages() {
    for (app, _clock) in apps_at(NOW).await {
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        let r = coord
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "<script>alert(1)</script> & \"tea\"", "time_zone": "UTC",
                       "start": "2026-03-10T10:00", "end": "2026-03-10T11:00", "place": "<b>Room</b>; 4, B"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let id = r.body["id"].as_i64().unwrap();
        let bad = coord
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Line\r\nBcc: x@example.org", "time_zone": "UTC",
                       "start": "2026-03-10T10:00", "end": "2026-03-10T11:00"}),
            )
            .await;
        assert_eq!(
            (bad.status, bad.body["error"]["field"].as_str()),
            (422, Some("title"))
        );
        let page = app
            .browser()
            .get(app.url(&format!("/e/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!page.contains("<script>alert(1)</script>") && !page.contains("<b>Room</b>"));
        assert!(page.contains("&#60;b&#62;Room&#60;/b&#62;; 4, B"));
        assert!(
            page.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;tea&#34;"),
            "{page}"
        );
        app.finish().await;
    }
}
