//! Events through HTTP: who may create them, bad rules, occurrences across DST, and members-only
//! events hidden from outsiders — on every backend under test.

use crate::common::*;
use reqwest::Client;
use serde_json::Value;
use serde_json::json;

#[tokio::test]
async fn series_occurrences_and_visibility() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        coord.community("ipc", "public", true, "open").await;
        ada.post_empty("/api/v1/communities/ipc/join").await;
        let body = json!({"title": "Monthly meeting", "time_zone": "Europe/Berlin", "start": "2026-03-10T18:00",
                          "end": "2026-03-10T19:30", "rule": "FREQ=MONTHLY;BYDAY=2TU", "hosts": ["ada"]});
        assert_eq!(
            ada.post("/api/v1/communities/ipc/events", body.clone())
                .await
                .status,
            403,
            "members do not organise"
        );
        let created = coord
            .post("/api/v1/communities/ipc/events", body.clone())
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        assert_eq!(created.body["hosts"].as_array().unwrap().len(), 2);
        let id = created.body["id"].as_i64().unwrap();

        let occ = app
            .api()
            .get(&format!(
                "/api/v1/events/{id}/occurrences?from=2026-03-01T00:00:00Z&to=2026-05-01T00:00:00Z"
            ))
            .await;
        assert_eq!(occ.status, 200, "{}", occ.text);
        let starts: Vec<&str> = occ.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["start"].as_str().unwrap())
            .collect();
        assert_eq!(
            starts,
            vec!["2026-03-10T17:00:00Z", "2026-04-14T16:00:00Z"],
            "18:00 Berlin before and after DST"
        );

        bad_events_and_windows_are_refused(&body, &coord, &app, id).await;

        members_events_are_hidden_from_others(&body, &coord, &app, &ada).await;
        app.finish().await;
    }
}

/// A rule too frequent or too long, an end before the start, an unknown zone or an absurd year
/// is refused with its field named; so is a window of occurrences too wide or unreadable.
async fn bad_events_and_windows_are_refused(body: &Value, coord: &Api, app: &TestApp, id: i64) {
    for (change, field) in [
        (json!({"rule": "FREQ=HOURLY"}), "rule"),
        (json!({"rule": "FREQ=DAILY;COUNT=5000"}), "rule"),
        (json!({"end": "2026-03-10T17:00"}), "end"),
        (json!({"time_zone": "Nowhere/Special"}), "time_zone"),
        (json!({"start": "10000-01-01T10:00"}), "start"),
    ] {
        let mut b = body.clone();
        for (k, v) in change.as_object().unwrap() {
            b[k] = v.clone();
        }
        let r = coord.post("/api/v1/communities/ipc/events", b).await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some(field)),
            "{}",
            r.text
        );
    }
    let bad_window = app
        .api()
        .get(&format!(
            "/api/v1/events/{id}/occurrences?from=2026-01-01T00:00:00Z&to=2036-01-01T00:00:00Z"
        ))
        .await;
    assert_eq!(bad_window.status, 422);
    assert_eq!(
        app.api()
            .get(&format!("/api/v1/events/{id}/occurrences?from=yesterday"))
            .await
            .status,
        422
    );
}

async fn members_events_are_hidden_from_others(
    body: &Value,
    coord: &Api,
    app: &TestApp,
    ada: &Api,
) {
    let mut secret = body.clone();
    secret["space"] = json!("members");
    secret["title"] = json!("MEMBERS-EVENT-MARK");
    let hidden = coord
        .post("/api/v1/communities/ipc/events", secret)
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let missing = app.api().get("/api/v1/events/999999").await;
    let outsider = app.api().person("outsider").await;
    for reader in [app.api(), outsider] {
        let r = reader.get(&format!("/api/v1/events/{hidden}")).await;
        assert_eq!((r.status, &r.text), (404, &missing.text));
        assert!(
            !reader
                .get("/api/v1/communities/ipc/events")
                .await
                .text
                .contains("MEMBERS-EVENT-MARK")
        );
    }
    assert!(
        ada.get("/api/v1/communities/ipc/events")
            .await
            .text
            .contains("MEMBERS-EVENT-MARK")
    );
}

#[tokio::test]
async fn rsvp_capacity_waitlist_and_refusals() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        coord.community("gis", "public", true, "open").await;
        let created = coord
            .post(
                "/api/v1/communities/gis/events",
                json!({"title": "Projection clinic", "time_zone": "Europe/London", "start": "2027-03-09T18:00",
                       "end": "2027-03-09T19:00", "rule": "FREQ=MONTHLY;BYDAY=2TU;COUNT=6", "capacity": 2}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.body["id"].as_i64().unwrap();
        let occ = "2027-03-09T18:00:00Z";
        let mut people = Vec::new();
        for h in ["a1", "a2", "a3", "a4"] {
            let p = app.api().person(h).await;
            p.post_empty("/api/v1/communities/gis/join").await;
            people.push(p);
        }
        let mut statuses = Vec::new();
        for p in &people {
            let r = p
                .post(
                    &format!("/api/v1/events/{id}/rsvp"),
                    json!({"occurrence": occ, "status": "going"}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
            statuses.push(r.body["status"].as_str().unwrap().to_string());
        }
        assert_eq!(statuses, vec!["going", "going", "waitlisted", "waitlisted"]);
        a_place_freed_goes_to_the_waitlist(&people, id, occ, &coord, &app).await;

        refusals(&people, id, &app, occ, &coord).await;
        app.finish().await;
    }
}

/// A place freed goes to the first on the waitlist; names are for members, counts for all.
async fn a_place_freed_goes_to_the_waitlist(
    people: &[Api],
    id: i64,
    occ: &str,
    coord: &Api,
    app: &TestApp,
) {
    people[0]
        .post(
            &format!("/api/v1/events/{id}/rsvp"),
            json!({"occurrence": occ, "status": "not_going"}),
        )
        .await;
    let summary = coord
        .get(&format!("/api/v1/events/{id}/rsvps?occurrence={occ}"))
        .await;
    assert_eq!(
        (
            summary.body["going"].as_i64(),
            summary.body["waitlisted"].as_i64()
        ),
        (Some(2), Some(1))
    );
    let going: Vec<&str> = summary.body["going_people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["handle"].as_str().unwrap())
        .collect();
    assert!(
        going.contains(&"a3"),
        "the first on the waitlist moved up: {going:?}"
    );
    let anon_summary = app
        .api()
        .get(&format!("/api/v1/events/{id}/rsvps?occurrence={occ}"))
        .await;
    assert_eq!(anon_summary.body["going"], 2);
    assert!(
        anon_summary.body["going_people"]
            .as_array()
            .unwrap()
            .is_empty(),
        "no names for anonymous readers"
    );
}

async fn refusals(people: &[Api], id: i64, app: &TestApp, occ: &str, coord: &Api) {
    let not_occurrence = people[1]
        .post(
            &format!("/api/v1/events/{id}/rsvp"),
            json!({"occurrence": "2027-03-10T18:00:00Z", "status": "going"}),
        )
        .await;
    assert_eq!(
        (
            not_occurrence.status,
            not_occurrence.body["error"]["field"].as_str()
        ),
        (422, Some("occurrence"))
    );
    let outsider = app.api().person("outsider").await;
    assert_eq!(
        outsider
            .post(
                &format!("/api/v1/events/{id}/rsvp"),
                json!({"occurrence": occ, "status": "going"})
            )
            .await
            .status,
        403
    );
    assert_eq!(
        app.api()
            .post(
                &format!("/api/v1/events/{id}/rsvp"),
                json!({"occurrence": occ, "status": "going"})
            )
            .await
            .status,
        401
    );

    let past = coord
        .post(
            "/api/v1/communities/gis/events",
            json!({"title": "Last year's clinic", "time_zone": "UTC", "start": "2020-01-01T10:00", "end": "2020-01-01T11:00"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    let late = people[1]
        .post(
            &format!("/api/v1/events/{past}/rsvp"),
            json!({"occurrence": "2020-01-01T10:00:00Z", "status": "going"}),
        )
        .await;
    assert_eq!(late.status, 409);
}

#[tokio::test]
async fn plan_an_event_and_answer_through_pages() {
    for app in apps().await {
        let browser = sign_up_and_create_a_community_in_pages(&app).await;
        let planned = browser
            .post(app.url("/c/gis/events/new"))
            .form(&[
                ("title", "Projection clinic"),
                ("start", "2027-03-09T18:00"),
                ("end", "2027-03-09T19:00"),
                ("time_zone", "Europe/London"),
                ("repeat", "monthly-nth"),
                ("capacity", "10"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(planned.status(), 303);
        let location = planned.headers()["location"].to_str().unwrap().to_string();
        assert!(location.starts_with("/e/"), "{location}");
        let id: i64 = location
            .trim_start_matches("/e/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        answer_the_first_occurrence_in_pages(&app, id, &browser).await;
        app.finish().await;
    }
}

/// A browser signs up, creates a community, and has a bad event form shown again with the
/// problem named. Returns the signed-in browser.
async fn sign_up_and_create_a_community_in_pages(app: &TestApp) -> Client {
    let browser = app.browser();
    let signup = browser
        .post(app.url("/signup"))
        .form(&[
            ("handle", "coord"),
            ("email", "coord@example.org"),
            ("password", PASSWORD),
            ("display_name", "Coord"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), 303);
    copse_store::testing::verify_email(&app.db.store, "coord").await;
    let created = browser
        .post(app.url("/communities/new"))
        .form(&[
            ("name", "Open GIS"),
            ("slug", "gis"),
            ("domain_statement", "Maps"),
            ("visibility", "public"),
            ("listed", "true"),
            ("join_policy", "open"),
            ("stage", "potential"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 303);
    let bad = browser
        .post(app.url("/c/gis/events/new"))
        .form(&[
            ("title", "Clinic"),
            ("start", "2027-03-09T18:00"),
            ("end", "2027-03-09T17:00"),
            ("time_zone", "Europe/London"),
            ("repeat", "monthly-nth"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 422);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("end: must be after the start")
    );
    browser
}

async fn answer_the_first_occurrence_in_pages(app: &TestApp, id: i64, browser: &Client) {
    let event = app.api().get(&format!("/api/v1/events/{id}")).await;
    assert_eq!(
        event.body["rule"], "FREQ=MONTHLY;BYDAY=2TU",
        "the 2nd Tuesday, chosen without typing RRULE"
    );
    let occ = app
        .api()
        .get(&format!(
            "/api/v1/events/{id}/occurrences?from=2027-03-01T00:00:00Z&to=2027-04-30T00:00:00Z"
        ))
        .await;
    let first = occ.body["items"][0]["start"].as_str().unwrap().to_string();
    let first_ms = chrono::DateTime::parse_from_rfc3339(&first)
        .unwrap()
        .timestamp_millis();
    let answer = browser
        .post(app.url(&format!("/e/{id}/rsvp")))
        .form(&[
            ("occurrence", first_ms.to_string()),
            ("status", "going".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), 303);
    let list = app
        .browser()
        .get(app.url("/c/gis/events"))
        .send()
        .await
        .unwrap();
    assert_eq!(list.status(), 200);
}

#[tokio::test]
async fn private_community_events_refuse_outsiders() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let outsider = app.api().person("outsider").await;
        coord.community("guild", "private", true, "approval").await;
        let id = coord
            .post(
                "/api/v1/communities/guild/events",
                json!({"title": "GUILD-EVENT-MARK", "time_zone": "UTC", "start": "2027-01-05T10:00", "end": "2027-01-05T11:00"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        // The coordinator sees it; the outsider is refused on every surface, on the same setup.
        assert_eq!(
            coord.get("/api/v1/communities/guild/events").await.status,
            200
        );
        assert_eq!(coord.get(&format!("/api/v1/events/{id}")).await.status, 200);
        assert_eq!(
            outsider
                .get("/api/v1/communities/guild/events")
                .await
                .status,
            403
        );
        let missing = outsider.get("/api/v1/events/999999").await;
        let hidden = outsider.get(&format!("/api/v1/events/{id}")).await;
        assert_eq!((hidden.status, &hidden.text), (404, &missing.text));
        assert_eq!(
            outsider
                .get(&format!("/api/v1/events/{id}/occurrences"))
                .await
                .status,
            404
        );
        let browser = app.browser();
        let list = browser
            .get(app.url("/c/guild/events"))
            .send()
            .await
            .unwrap();
        assert_eq!(list.status(), 403);
        let page = browser
            .get(app.url(&format!("/e/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);
        assert!(!page.text().await.unwrap().contains("GUILD-EVENT-MARK"));
        app.finish().await;
    }
}
