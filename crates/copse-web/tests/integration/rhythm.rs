//! Keeping the rhythm through HTTP: editing and splitting series, single occurrences, answers for
//! a whole series with the waitlist, check-ins, recaps, the rhythm view, calendar feeds and
//! reminders — on every backend under test, each on a clock the test moves.

use crate::common::*;
use serde_json::{Value, json};

/// 2026-03-01T00:00:00Z.
const NOW: i64 = 1_772_323_200_000;
const HOUR: i64 = 3600 * 1000;
const DAY: i64 = 24 * HOUR;

fn keys(list: &Reply) -> Vec<String> {
    list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["occurrence"].as_str().unwrap().to_string())
        .collect()
}

async fn occurrences(api: &Api, id: i64, from: &str, to: &str) -> Reply {
    let r = api
        .get(&format!(
            "/api/v1/events/{id}/occurrences?from={from}&to={to}"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r
}

async fn status_of(api: &Api, id: i64, occurrence: &str) -> Value {
    let r = api
        .get(&format!(
            "/api/v1/events/{id}/rsvps?occurrence={occurrence}"
        ))
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body
}

fn handles(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| p["handle"].as_str().unwrap())
        .collect()
}

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

        // Who may change it.
        assert_eq!(
            app.api()
                .patch(&path, json!({"title": "Hijacked"}))
                .await
                .status,
            401
        );
        assert_eq!(
            stranger
                .patch(&path, json!({"title": "Hijacked"}))
                .await
                .status,
            403
        );
        assert_eq!(
            ada.patch(&path, json!({"title": "Hijacked"})).await.status,
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
        assert_eq!(ada.delete(&path).await.status, 403);

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

        // Answers for the whole series: two places, the third waits (cancelled April skipped).
        for m in [&ada, &bob] {
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
        // Ada cannot come in March: Cy moves up and is told (a job for the e-mail).
        ada.post(
            &format!("{path}/rsvp"),
            json!({"occurrence": k[0], "status": "not_going"}),
        )
        .await;
        let march = status_of(&coord, id, &k[0]).await;
        assert_eq!(handles(&march["going_people"]), ["bob", "cy"]);
        let pending = app.db.store.jobs_with_status("pending", 50).await.unwrap();
        assert_eq!(
            pending
                .iter()
                .filter(|j| j.kind == "waitlist_promoted")
                .count(),
            1
        );

        // Edit the whole series: SEQUENCE goes up in the calendar.
        let r = coord
            .patch(
                &path,
                json!({"title": "Monthly practice meeting", "capacity": null}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert_eq!(r.body["capacity"], Value::Null);
        let ics = app
            .browser()
            .get(app.url(&format!("/e/{id}/calendar.ics")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(ics.contains("SEQUENCE:1\r\n"), "{ics}");
        // Bad edits name the field and change nothing.
        let r = coord.patch(&path, json!({"rule": "FREQ=MINUTELY"})).await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("rule"))
        );
        let r = coord.patch(&path, json!({"hosts": ["nobody-here"]})).await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("hosts"))
        );
        assert_eq!(
            coord.get(&path).await.body["rule"],
            "FREQ=MONTHLY;BYDAY=2TU"
        );

        // From June on, the meeting is at 19:00: a new series carrying June's answers and notes.
        let r = coord.patch(&path, json!({"from_occurrence": k[3], "start": "2026-06-09T19:00", "end": "2026-06-09T20:30"})).await;
        assert_eq!(r.status, 200, "{}", r.text);
        let new_id = r.body["id"].as_i64().unwrap();
        assert_ne!(new_id, id);
        let old =
            keys(&occurrences(&coord, id, "2026-03-01T00:00:00Z", "2027-01-01T00:00:00Z").await);
        assert_eq!(old, k[..3].to_vec(), "the old series stops before June");
        let new = occurrences(
            &coord,
            new_id,
            "2026-06-01T00:00:00Z",
            "2026-08-01T00:00:00Z",
        )
        .await;
        assert_eq!(keys(&new), ["2026-06-09T17:00:00Z", "2026-07-14T17:00:00Z"]);
        assert_eq!(new.body["items"][0]["notes"], "Guest: **Ana**");
        let june = status_of(&coord, new_id, "2026-06-09T17:00:00Z").await;
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
        app.finish().await;
    }
}

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
        let check = |who: Value| {
            let mut body = json!({"occurrence": feb24});
            for (k, v) in who.as_object().unwrap() {
                body[k] = v.clone();
            }
            body
        };

        // Hosts check people in, after the start (or within the hour before).
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
                check(json!({"handle": "ada"})),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let r = host
            .post(
                &format!("{path}/attendance"),
                check(json!({"walk_in": "Gil Guest"})),
            )
            .await;
        assert_eq!(r.body["count"], 2, "{}", r.text);
        let r = host
            .post(
                &format!("{path}/attendance"),
                check(json!({"handle": "stranger"})),
            )
            .await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("handle"))
        );
        let r = host
            .post(
                &format!("{path}/attendance"),
                check(json!({"handle": "ada", "walk_in": "x"})),
            )
            .await;
        assert_eq!(r.status, 422);
        assert_eq!(
            ada.post(
                &format!("{path}/attendance"),
                check(json!({"handle": "ada"}))
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

        // Recaps: after the start, with notes and/or a thread of the same community.
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

        // The rhythm: planned weekly, kept: January unrecorded, February one held, one cancelled.
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
        app.finish().await;
    }
}

fn unfold(ics: &str) -> String {
    ics.replace("\r\n ", "")
}

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
        let event = |title: &str, space: &str, rule: Option<&str>| {
            let mut b = json!({"title": title, "time_zone": "Europe/Berlin", "start": "2026-03-10T18:00",
                               "end": "2026-03-10T19:30", "space": space,
                               "place": "Room 4; Building B, 2nd floor", "description": "Line one\nLine two"});
            if let Some(r) = rule {
                b["rule"] = json!(r);
            }
            b
        };
        let public = coord
            .post(
                "/api/v1/communities/ipc/events",
                event(
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
                event("MEMBERS-ONLY-MARKER", "members", None),
            )
            .await;
        let hidden = coord
            .post(
                "/api/v1/communities/hidden/events",
                event("PRIVATE-MARKER", "public", None),
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

        // Personal feeds: a secret address per member, with what they may see and their answers.
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
        let get = |u: String| async move { reqwest::get(u).await.unwrap() };
        let mine = unfold(&get(url.clone()).await.text().await.unwrap());
        assert!(mine.contains("MEMBERS-ONLY-MARKER"), "{mine}");
        assert!(!mine.contains("PRIVATE-MARKER"));
        assert!(mine.contains("RECURRENCE-ID;TZID=Europe/Berlin:20260310T180000\r\n"));
        assert!(mine.contains("ATTENDEE;PARTSTAT=ACCEPTED:urn:copse:you"));
        let coords = unfold(
            &get(format!(
                "{}{}",
                app.base,
                coord.post_empty("/api/v1/me/calendar-feed").await.body["url"]
                    .as_str()
                    .unwrap()
                    .trim_start_matches(&app.base)
            ))
            .await
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
        let strangers = get(strangers).await.text().await.unwrap();
        assert!(
            !strangers.contains("MEMBERS-ONLY-MARKER") && !strangers.contains("Audit"),
            "not a member of anything"
        );
        // A new address stops the old one; revoking stops it at once.
        let again = ada.post_empty("/api/v1/me/calendar-feed").await.body["url"]
            .as_str()
            .unwrap()
            .to_string();
        assert_eq!(get(url).await.status(), 404);
        assert_eq!(get(again.clone()).await.status(), 200);
        assert_eq!(
            ada.get("/api/v1/me/calendar-feed").await.body["active"],
            true
        );
        assert_eq!(ada.delete("/api/v1/me/calendar-feed").await.status, 204);
        assert_eq!(get(again).await.status(), 404);
        assert_eq!(get(app.url("/calendar/cal_0000.ics")).await.status(), 404);
        app.finish().await;
    }
}

/// The reminders and waitlist messages in the outbox (digests, which the worker also sends
/// when the clock passes a Monday morning, are tested in tests/digests.rs).
fn outbox_messages(dir: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .filter(|m| {
            !m.contains("\r\nSubject: Your weekly digest")
                && !m.contains("\r\nSubject: Your daily digest")
        })
        .collect()
}

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
        // Cy wants no reminders; Dee leaves the community (and so may no longer see the event).
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

        // A day before: one reminder, to Ada only; a second round sends nothing new.
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

        // A waitlisted member hears when a place frees.
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

        // Admins see the queue; others may not.
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
        app.finish().await;
    }
}

/// The unsubscribe path from a message's List-Unsubscribe header.
fn mail_link(mail: &str) -> String {
    let start = mail.find("List-Unsubscribe: <").unwrap() + "List-Unsubscribe: <".len();
    let url = &mail[start..start + mail[start..].find('>').unwrap()];
    url[url.find("/unsubscribe/").unwrap()..].to_string()
}

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
        // The coordinator, on the same setup, reaches each of them.
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
        assert_eq!(member.get(&e).await.status, 404);
        let after = reqwest::get(&feed).await.unwrap().text().await.unwrap();
        assert!(after.starts_with("BEGIN:VCALENDAR") && !after.contains("GUILD-RHYTHM-MARK"));
        app.finish().await;
    }
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
