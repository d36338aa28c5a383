//! Series edited whole, split, and changed one occurrence at a time.

use super::*;

#[tokio::test]
async fn series_are_edited_split_and_changed_one_occurrence_at_a_time() {
    for (app, _clock) in apps_at(NOW).await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cy = app.api().person("cy").await;
        let stranger = app.api().person("stranger").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &cy] {
            assert_eq!(
                m.post_empty("/api/v1/communities/ipc/join").await.status,
                200
            );
        }
        let created = coord
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Monthly meeting", "time_zone": "Europe/Berlin", "start": "2026-03-10T18:00",
                       "end": "2026-03-10T19:30", "rule": "FREQ=MONTHLY;BYDAY=2TU", "capacity": 2}),
            )
            .await;
        assert_eq!(created.status, 201, "{}", created.text);
        let id = created.body["id"].as_i64().unwrap();
        let path = format!("/api/v1/events/{id}");
        let k =
            keys(&occurrences(&coord, id, "2026-03-01T00:00:00Z", "2026-07-01T00:00:00Z").await);
        assert_eq!(
            k,
            [
                "2026-03-10T17:00:00Z",
                "2026-04-14T16:00:00Z",
                "2026-05-12T16:00:00Z",
                "2026-06-09T16:00:00Z"
            ]
        );

        who_may_change_and_one_occurrence_at_a_time(&app, &path, &stranger, &ada, &k, &coord).await;
        answers_for_the_whole_series(&ada, &bob, &path, &k, &cy).await;
        a_place_freed_moves_the_next_up(&ada, &path, &k, &coord, id, &app).await;
        whole_series_edits(&coord, &path, &app, id).await;
        split_from_june_then_delete(&coord, &path, &k, id, &app).await;
        app.finish().await;
    }
}

/// Who may change it; April cancelled (its answers closed); May moved to Wednesday 19:00,
/// keeping its identity.
async fn who_may_change_and_one_occurrence_at_a_time(
    app: &TestApp,
    path: &str,
    stranger: &Api,
    ada: &Api,
    k: &[String],
    coord: &Api,
) {
    assert_eq!(
        app.api()
            .patch(path, json!({"title": "Hijacked"}))
            .await
            .status,
        401
    );
    assert_eq!(
        stranger
            .patch(path, json!({"title": "Hijacked"}))
            .await
            .status,
        403
    );
    assert_eq!(
        ada.patch(path, json!({"title": "Hijacked"})).await.status,
        403
    );
    let change =
        |action: &str, occurrence: &str| json!({"occurrence": occurrence, "action": action});
    assert_eq!(
        ada.post(&format!("{path}/occurrence"), change("cancel", &k[1]))
            .await
            .status,
        403
    );
    assert_eq!(ada.delete(path).await.status, 403);

    // Cancel April: answers to it are closed.
    let r = coord
        .post(&format!("{path}/occurrence"), change("cancel", &k[1]))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["cancelled"], true);
    let r = ada
        .post(
            &format!("{path}/rsvp"),
            json!({"occurrence": k[1], "status": "going"}),
        )
        .await;
    assert_eq!(r.status, 409, "{}", r.text);
    assert!(r.text.contains("cancelled"), "{}", r.text);
    // Move May to Wednesday 19:00; it keeps its identity.
    let r = coord
        .post(&format!("{path}/occurrence"),
              json!({"occurrence": k[2], "action": "move", "start": "2026-05-13T19:00", "end": "2026-05-13T20:30"}))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["start"], "2026-05-13T17:00:00Z");
    assert_eq!(r.body["occurrence"], k[2]);
    let bad = coord
        .post(&format!("{path}/occurrence"),
              json!({"occurrence": k[2], "action": "move", "start": "2026-05-13T19:00", "end": "2026-05-13T18:00"}))
        .await;
    assert_eq!((bad.status, error_code(&bad)), (422, "invalid"));
    let r = coord
        .post(
            &format!("{path}/occurrence"),
            json!({"occurrence": k[3], "action": "notes", "notes": "Guest: **Ana**"}),
        )
        .await;
    assert_eq!(r.body["notes"], "Guest: **Ana**");
    let not_one = coord
        .post(
            &format!("{path}/occurrence"),
            change("cancel", "2026-03-11T17:00:00Z"),
        )
        .await;
    assert_eq!(not_one.status, 422);
}

/// Answers for the whole series: two places, the third waits (cancelled April skipped).
async fn answers_for_the_whole_series(ada: &Api, bob: &Api, path: &str, k: &[String], cy: &Api) {
    for m in [ada, bob] {
        let r = m
            .post(
                &format!("{path}/rsvp"),
                json!({"series": true, "status": "going"}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(
            r.body["answers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["status"] == "going")
        );
        assert!(
            r.body["answers"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| a["occurrence"] != k[1])
        );
    }
    let r = cy
        .post(
            &format!("{path}/rsvp"),
            json!({"series": true, "status": "going"}),
        )
        .await;
    assert_eq!(r.body["status"], "waitlisted", "{}", r.text);
    let both = ada
        .post(
            &format!("{path}/rsvp"),
            json!({"series": true, "occurrence": k[0], "status": "going"}),
        )
        .await;
    assert_eq!(both.status, 422);
}

/// Ada cannot come in March: Cy moves up and is told (a job for the e-mail).
async fn a_place_freed_moves_the_next_up(
    ada: &Api,
    path: &str,
    k: &[String],
    coord: &Api,
    id: i64,
    app: &TestApp,
) {
    ada.post(
        &format!("{path}/rsvp"),
        json!({"occurrence": k[0], "status": "not_going"}),
    )
    .await;
    let march = status_of(coord, id, &k[0]).await;
    assert_eq!(handles(&march["going_people"]), ["bob", "cy"]);
    let pending = app.db.store.jobs_with_status("pending", 50).await.unwrap();
    assert_eq!(
        pending
            .iter()
            .filter(|j| j.kind == "waitlist_promoted")
            .count(),
        1
    );
}

/// Edit the whole series: SEQUENCE goes up in the calendar.
async fn whole_series_edits(coord: &Api, path: &str, app: &TestApp, id: i64) {
    let before = sequence_of(&event_ics(app, id).await);
    let r = coord
        .patch(
            path,
            json!({"title": "Monthly practice meeting", "capacity": null}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["capacity"], Value::Null);
    let after = sequence_of(&event_ics(app, id).await);
    assert!(after > before, "SEQUENCE {before} → {after}");
    // Bad edits name the field and change nothing.
    let r = coord.patch(path, json!({"rule": "FREQ=MINUTELY"})).await;
    assert_eq!(
        (r.status, r.body["error"]["field"].as_str()),
        (422, Some("rule"))
    );
    let r = coord.patch(path, json!({"hosts": ["nobody-here"]})).await;
    assert_eq!(
        (r.status, r.body["error"]["field"].as_str()),
        (422, Some("hosts"))
    );
    assert_eq!(coord.get(path).await.body["rule"], "FREQ=MONTHLY;BYDAY=2TU");
}

async fn event_ics(app: &TestApp, id: i64) -> String {
    let r = app
        .browser()
        .get(app.url(&format!("/e/{id}/calendar.ics")))
        .send()
        .await
        .unwrap();
    r.text().await.unwrap()
}

/// The SEQUENCE of the first VEVENT (the series itself).
fn sequence_of(ics: &str) -> i64 {
    let at = ics.find("SEQUENCE:").expect("a SEQUENCE") + "SEQUENCE:".len();
    ics[at..ics[at..].find('\r').unwrap() + at].parse().unwrap()
}

/// From June on, the meeting is at 19:00: a new series carrying June's answers and notes.
async fn split_from_june_then_delete(
    coord: &Api,
    path: &str,
    k: &[String],
    id: i64,
    app: &TestApp,
) {
    let r = coord.patch(path, json!({"from_occurrence": k[3], "start": "2026-06-09T19:00", "end": "2026-06-09T20:30"})).await;
    assert_eq!(r.status, 200, "{}", r.text);
    let new_id = r.body["id"].as_i64().unwrap();
    assert_ne!(new_id, id);
    let old = keys(&occurrences(coord, id, "2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z").await);
    assert_eq!(old, k[..3].to_vec(), "the old series stops before June");
    let new = occurrences(
        coord,
        new_id,
        "2026-06-01T00:00:00Z",
        "2026-08-01T00:00:00Z",
    )
    .await;
    assert_eq!(keys(&new), ["2026-06-09T17:00:00Z", "2026-07-14T17:00:00Z"]);
    assert_eq!(new.body["items"][0]["notes"], "Guest: **Ana**");
    let june = status_of(coord, new_id, "2026-06-09T17:00:00Z").await;
    assert_eq!(
        handles(&june["going_people"]),
        ["ada", "bob", "cy"],
        "capacity was lifted"
    );

    // Deleting takes it away everywhere.
    assert_eq!(
        coord
            .delete(&format!("/api/v1/events/{new_id}"))
            .await
            .status,
        204
    );
    assert_eq!(
        coord.get(&format!("/api/v1/events/{new_id}")).await.status,
        404
    );
    assert_eq!(app.api().get(&format!("/e/{new_id}")).await.status, 404);
}
