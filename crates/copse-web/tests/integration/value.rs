//! Value-creation stories through HTTP: credits checked against the access policy, anonymity,
//! endorsements that count once, bad input, and the value report.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn stories_credit_only_what_the_teller_sees_and_add_up_in_the_report() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        coord.community("other", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let thread = coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Audit checklist", "body": "Here it is."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let hidden_circle = coord
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Secret group", "purpose": "Not for you.", "listed": false}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let elsewhere = coord
            .post(
                "/api/v1/communities/other/threads",
                json!({"title": "Elsewhere", "body": "x"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let story = |credits: Vec<String>| {
            json!({"happened": "The audit checklist thread.", "took": "A shorter checklist.", "did": "Used it on 4B.",
                   "difference": "Audits are faster.", "cycles": ["applied", "realized"], "effect_value": 6,
                   "effect_unit": "hours", "effect_period": "per month", "credits": credits})
        };
        // Credits to things the teller cannot see, elsewhere or missing all read the same.
        let mut messages = Vec::new();
        for credit in [
            format!("circle:{hidden_circle}"),
            format!("thread:{elsewhere}"),
            "thread:999999".to_string(),
        ] {
            let r = ada
                .post("/api/v1/communities/ipc/stories", story(vec![credit]))
                .await;
            assert_eq!(
                (r.status, r.body["error"]["field"].as_str()),
                (422, Some("credits")),
                "{}",
                r.text
            );
            messages.push(r.body["error"]["message"].clone());
        }
        assert!(messages.windows(2).all(|w| w[0] == w[1]), "{messages:?}");
        for (bad, field) in [
            (
                json!({"happened": "x", "took": "y", "cycles": []}),
                "cycles",
            ),
            (
                json!({"happened": "x", "took": "y", "cycles": ["applied"], "effect_value": 1e12, "effect_unit": "hours"}),
                "effect_value",
            ),
            (
                json!({"happened": "x", "took": "y", "cycles": ["applied"], "effect_value": 3}),
                "effect_unit",
            ),
            (
                json!({"happened": "x".repeat(5001), "took": "y", "cycles": ["applied"]}),
                "happened",
            ),
            (
                json!({"happened": "x", "took": "y", "cycles": ["applied"], "credits": ["page:1"]}),
                "credits",
            ),
        ] {
            let r = ada.post("/api/v1/communities/ipc/stories", bad).await;
            assert_eq!(
                (r.status, r.body["error"]["field"].as_str()),
                (422, Some(field)),
                "{}",
                r.text
            );
        }
        let told = ada
            .post(
                "/api/v1/communities/ipc/stories",
                story(vec![format!("thread:{thread}")]),
            )
            .await;
        assert_eq!(told.status, 201, "{}", told.text);
        let id = told.body["id"].as_i64().unwrap();
        // An anonymous story: the community does not see who told it; coordinators do.
        let anon = bob
            .post(
                "/api/v1/communities/ipc/stories",
                json!({"happened": "A meetup.", "took": "Contacts at two hospitals.",
                   "cycles": ["potential"], "anonymous": true}),
            )
            .await;
        let anon_id = anon.body["id"].as_i64().unwrap();
        assert_eq!(
            ada.get(&format!("/api/v1/stories/{anon_id}")).await.body["teller"],
            serde_json::Value::Null
        );
        assert_eq!(
            coord.get(&format!("/api/v1/stories/{anon_id}")).await.body["teller"]["handle"],
            "bob"
        );
        assert_eq!(
            bob.get(&format!("/api/v1/stories/{anon_id}")).await.body["teller"]["handle"],
            "bob"
        );
        // Endorsements count once; not your own.
        assert_eq!(
            ada.put(&format!("/api/v1/stories/{id}/endorsement"), json!({}))
                .await
                .status,
            403
        );
        for _ in 0..2 {
            let r = bob
                .put(&format!("/api/v1/stories/{id}/endorsement"), json!({}))
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
        assert_eq!(
            ada.get(&format!("/api/v1/stories/{id}")).await.body["endorsements"],
            1
        );
        // Outsiders see nothing.
        let stranger = app.api().person("stranger").await;
        assert_eq!(
            stranger.get(&format!("/api/v1/stories/{id}")).await.status,
            404
        );
        assert_eq!(
            stranger
                .get("/api/v1/communities/ipc/value-report")
                .await
                .status,
            403
        );
        // The report: cycles, effects summed by unit, what was credited, strongest first.
        let report = coord.get("/api/v1/communities/ipc/value-report").await;
        assert_eq!(report.status, 200, "{}", report.text);
        assert_eq!(report.body["stories"], 2);
        let cycles: Vec<(String, i64)> = report.body["per_cycle"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["cycle"].as_str().unwrap().to_string(),
                    c["stories"].as_i64().unwrap(),
                )
            })
            .collect();
        assert!(
            cycles.contains(&("applied".into(), 1)) && cycles.contains(&("potential".into(), 1)),
            "{cycles:?}"
        );
        assert_eq!(report.body["effects"][0]["unit"], "hours");
        assert_eq!(report.body["effects"][0]["total"], 6.0);
        assert_eq!(report.body["credited"][0]["id"], thread);
        assert_eq!(
            report.body["strongest"][0]["id"], id,
            "the endorsed one first"
        );
        // Coordinators pin stories and write the introduction; members may not.
        assert_eq!(
            ada.put(
                &format!("/api/v1/stories/{anon_id}/pin"),
                json!({"pinned": true})
            )
            .await
            .status,
            403
        );
        let pinned = coord
            .put(
                &format!("/api/v1/stories/{anon_id}/pin"),
                json!({"pinned": true}),
            )
            .await;
        assert_eq!(pinned.body["pinned"], true, "{}", pinned.text);
        let intro = json!({"text": "Our **quarter** in stories."});
        assert_eq!(
            ada.put(
                "/api/v1/communities/ipc/value-report/introduction",
                intro.clone()
            )
            .await
            .status,
            403
        );
        assert_eq!(
            coord
                .put("/api/v1/communities/ipc/value-report/introduction", intro)
                .await
                .status,
            200
        );
        let too_long = coord
            .put(
                "/api/v1/communities/ipc/value-report/introduction",
                json!({"text": "x".repeat(10_001)}),
            )
            .await;
        assert_eq!(too_long.status, 422);
        let report = ada.get("/api/v1/communities/ipc/value-report").await;
        assert_eq!(report.body["introduction"], "Our **quarter** in stories.");
        assert_eq!(report.body["strongest"][0]["id"], anon_id, "pinned first");
        assert_eq!(
            report.body["strongest"][0]["teller"],
            serde_json::Value::Null,
            "still anonymous to members"
        );
        assert_eq!(report.body["per_month"].as_array().unwrap().len(), 1);
        // The CSV: a row per readable story; anonymous tellers stay blank for members.
        let csv = ada
            .get("/api/v1/communities/ipc/value-report?format=csv")
            .await;
        assert_eq!(csv.status, 200);
        assert_eq!(csv.text.lines().count(), 3, "{}", csv.text);
        assert!(!csv.text.contains("\"bob\""), "{}", csv.text);
        assert!(
            coord
                .get("/api/v1/communities/ipc/value-report?format=csv")
                .await
                .text
                .contains("\"bob\"")
        );
        assert_eq!(
            ada.get("/api/v1/communities/ipc/value-report?format=pdf")
                .await
                .status,
            422
        );

        // Threads say how many stories they helped, counting only readable ones.
        let browser = app.signed_in("coord@example.org").await;
        let text = |client: reqwest::Client, url: String| async move {
            client.get(url).send().await.unwrap().text().await.unwrap()
        };
        assert!(
            text(browser, app.url(&format!("/t/{thread}")))
                .await
                .contains("Helped 1 person")
        );
        let anonymous = text(app.browser(), app.url(&format!("/t/{thread}"))).await;
        assert!(
            !anonymous.contains("Helped"),
            "stories are for members: anonymous readers see no count"
        );
        app.finish().await;
    }
}

/// The kinds of a person's notifications about stories, with who they name as the actor.
async fn story_notes(who: &Api) -> Vec<(String, i64, String)> {
    let r = who.get("/api/v1/notifications").await;
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| !n["story_id"].is_null())
        .map(|n| {
            (
                n["kind"].as_str().unwrap().to_string(),
                n["story_id"].as_i64().unwrap(),
                n["actor"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn stories_have_topics_comments_edits_and_credit_people() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cat = app.api().person("cat").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &cat] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "audits", "name": "Audits"}),
            )
            .await;
        let thread = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Audit checklist", "body": "Here it is."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let other_thread = bob
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Night shift tips", "body": "Sensor mats."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let event = coord
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Audit clinic", "time_zone": "Europe/Berlin", "start": "2027-03-10T18:00",
                       "end": "2027-03-10T19:00", "hosts": ["bob"]}),
            )
            .await;
        assert_eq!(event.status, 201, "{}", event.text);
        let event = event.body["id"].as_i64().unwrap();
        let story = |extra: serde_json::Value| {
            let mut s = json!({"happened": "The audit checklist thread and the clinic.", "took": "A shorter checklist.",
                               "cycles": ["applied"], "credits": [format!("thread:{thread}"), format!("event:{event}")],
                               "topics": ["audits"]});
            for (k, v) in extra.as_object().unwrap() {
                s[k] = v.clone();
            }
            s
        };
        let unknown = cat
            .post(
                "/api/v1/communities/ipc/stories",
                story(json!({"topics": ["no-such-topic"]})),
            )
            .await;
        assert_eq!(
            (unknown.status, unknown.body["error"]["field"].as_str()),
            (422, Some("topics"))
        );
        let told = cat
            .post("/api/v1/communities/ipc/stories", story(json!({})))
            .await;
        assert_eq!(told.status, 201, "{}", told.text);
        assert_eq!(told.body["topics"], json!(["audits"]));
        let id = told.body["id"].as_i64().unwrap();

        // The people credited are told: the thread's author and the event's hosts, not the teller.
        assert_eq!(
            story_notes(&ada).await,
            [("credited".to_string(), id, "cat".to_string())]
        );
        assert_eq!(story_notes(&bob).await.len(), 1);
        assert_eq!(
            story_notes(&coord).await.len(),
            1,
            "the event's creator hosts it too"
        );
        assert!(story_notes(&cat).await.is_empty());
        // An anonymous story does not name its teller in the notification, except to coordinators.
        let anon = cat
            .post(
                "/api/v1/communities/ipc/stories",
                story(json!({"anonymous": true})),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let ada_notes = story_notes(&ada).await;
        assert_eq!(ada_notes[0], ("credited".to_string(), anon, String::new()));
        let coord_notes = story_notes(&coord).await;
        assert_eq!(
            coord_notes[0],
            ("credited".to_string(), anon, "cat".to_string())
        );
        // A story for the coordinators only: ada is credited but cannot read it, so she is not told.
        let private = cat
            .post(
                "/api/v1/communities/ipc/stories",
                story(json!({"visibility": "coordinators"})),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        assert!(
            !story_notes(&ada).await.iter().any(|n| n.1 == private),
            "no notification about a story she may not read"
        );
        assert!(story_notes(&coord).await.iter().any(|n| n.1 == private));

        // Profiles show the credit, through the same rules.
        let credits = |who: &Api| {
            let who = who.clone();
            async move {
                let r = who.get("/api/v1/users/ada/credits").await;
                assert_eq!(r.status, 200, "{}", r.text);
                let mut ids: Vec<i64> = r.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|s| s["id"].as_i64().unwrap())
                    .collect();
                ids.sort();
                ids
            }
        };
        assert_eq!(credits(&bob).await, [id, anon]);
        assert_eq!(credits(&coord).await, [id, anon, private]);
        let stranger = app.api().person("stranger").await;
        assert!(credits(&stranger).await.is_empty());
        assert_eq!(
            app.api()
                .anonymous()
                .get("/api/v1/users/ada/credits")
                .await
                .status,
            401
        );
        let page = app
            .signed_in("bob@example.org")
            .await
            .get(app.url("/u/ada"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Credited in value stories") && page.contains("2 stories say"),
            "{page}"
        );

        // The report counts topics and the people whose work the stories credit.
        let report = bob.get("/api/v1/communities/ipc/value-report").await;
        assert_eq!(report.body["per_topic"][0]["topic"], "audits");
        assert_eq!(
            report.body["per_topic"][0]["stories"], 2,
            "the private one is not bob's to count"
        );
        let titles: Vec<&str> = report.body["credited"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["title"].as_str().unwrap())
            .collect();
        assert_eq!(titles.len(), 2, "{titles:?}");
        assert!(titles.contains(&"Audit checklist") && titles.contains(&"Audit clinic"));
        let people: Vec<&str> = report.body["people"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["person"]["handle"].as_str().unwrap())
            .collect();
        assert!(
            people.contains(&"ada") && people.contains(&"bob"),
            "{people:?}"
        );
        assert!(!people.contains(&"cat"), "tellers are not credited people");

        // Comments: readers of the story comment; the teller is told; bad input is named.
        let c = bob
            .post(
                &format!("/api/v1/stories/{id}/comments"),
                json!({"body": "We are trying this **too**."}),
            )
            .await;
        assert_eq!(c.status, 201, "{}", c.text);
        let comment = c.body["id"].as_i64().unwrap();
        assert!(
            story_notes(&cat)
                .await
                .contains(&("story_comment".into(), id, "bob".into()))
        );
        for bad in [json!({"body": " "}), json!({"body": "x".repeat(5001)})] {
            let r = bob
                .post(&format!("/api/v1/stories/{id}/comments"), bad)
                .await;
            assert_eq!(
                (r.status, r.body["error"]["field"].as_str()),
                (422, Some("body"))
            );
        }
        assert_eq!(
            stranger
                .get(&format!("/api/v1/stories/{id}/comments"))
                .await
                .status,
            404
        );
        assert_eq!(
            stranger
                .post(
                    &format!("/api/v1/stories/{id}/comments"),
                    json!({"body": "hi"})
                )
                .await
                .status,
            404
        );
        assert_eq!(
            bob.post(
                &format!("/api/v1/stories/{private}/comments"),
                json!({"body": "hi"})
            )
            .await
            .status,
            404,
            "a story you may not read takes no comments"
        );
        assert_eq!(
            ada.delete(&format!("/api/v1/story-comments/{comment}"))
                .await
                .status,
            403
        );
        assert_eq!(
            ada.get(&format!("/api/v1/stories/{id}")).await.body["comments"],
            1
        );
        assert_eq!(
            coord
                .delete(&format!("/api/v1/story-comments/{comment}"))
                .await
                .status,
            204
        );
        assert_eq!(
            ada.get(&format!("/api/v1/stories/{id}/comments"))
                .await
                .body["items"],
            json!([])
        );

        // Edits: the teller only; everything is checked again; newly credited people are told.
        let mut changed = story(json!({"took": "A much shorter checklist."}));
        changed["credits"]
            .as_array_mut()
            .unwrap()
            .push(json!(format!("thread:{other_thread}")));
        assert_eq!(
            ada.put(&format!("/api/v1/stories/{id}"), changed.clone())
                .await
                .status,
            403
        );
        let bob_before = story_notes(&bob).await.len();
        let edited = cat.put(&format!("/api/v1/stories/{id}"), changed).await;
        assert_eq!(edited.status, 200, "{}", edited.text);
        assert_eq!(edited.body["took"], "A much shorter checklist.");
        assert!(edited.body["updated_at"].is_string());
        assert_eq!(edited.body["credits"].as_array().unwrap().len(), 3);
        assert_eq!(
            story_notes(&bob).await.len(),
            bob_before,
            "bob hosts the event already credited: told once per story"
        );
        let bad_edit = cat
            .put(
                &format!("/api/v1/stories/{id}"),
                story(json!({"credits": ["thread:999999"]})),
            )
            .await;
        assert_eq!(bad_edit.status, 422);
        assert_eq!(
            cat.get(&format!("/api/v1/stories/{id}")).await.body["took"],
            "A much shorter checklist.",
            "a refused edit changes nothing"
        );

        // Deleting: not other members; the teller or a coordinator.
        assert_eq!(
            bob.delete(&format!("/api/v1/stories/{id}")).await.status,
            403
        );
        assert_eq!(
            coord.delete(&format!("/api/v1/stories/{id}")).await.status,
            204
        );
        assert_eq!(cat.get(&format!("/api/v1/stories/{id}")).await.status, 404);
        assert_eq!(
            cat.delete(&format!("/api/v1/stories/{anon}")).await.status,
            204
        );
        assert!(
            !story_notes(&ada)
                .await
                .iter()
                .any(|n| n.1 == id || n.1 == anon),
            "notifications about deleted stories go with them"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn check_ins_open_on_schedule_ask_members_and_become_stories() {
    const HOUR: i64 = 3_600_000;
    let start = 1_798_000_000_000; // 2026-12-23
    for (app, clock) in apps_at(start).await {
        let worker = outbox_worker(&app.state, std::env::temp_dir());
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let obs = app.api().person("obs").await;
        let stranger = app.api().person("stranger").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        obs.post_empty("/api/v1/communities/ipc/follow").await;
        let at = |ms: i64| copse_core::clock::rfc3339(ms);
        let schedule = json!({"prompt": "What did you learn here this month? Did you apply anything?",
                              "cadence": "monthly", "next_at": at(start + HOUR)});
        assert_eq!(
            ada.put("/api/v1/communities/ipc/checkin-schedule", schedule.clone())
                .await
                .status,
            403
        );
        for (bad, field) in [
            (
                json!({"prompt": "x", "cadence": "monthly", "next_at": at(start + 400 * 24 * HOUR)}),
                "next_at",
            ),
            (
                json!({"prompt": "x".repeat(501), "cadence": "monthly"}),
                "prompt",
            ),
            (
                json!({"prompt": "x", "cadence": "monthly", "next_at": "tomorrow"}),
                "next_at",
            ),
        ] {
            let r = coord
                .put("/api/v1/communities/ipc/checkin-schedule", bad)
                .await;
            assert_eq!(
                (r.status, r.body["error"]["field"].as_str()),
                (422, Some(field)),
                "{}",
                r.text
            );
        }
        let daily = coord
            .put(
                "/api/v1/communities/ipc/checkin-schedule",
                json!({"prompt": "x", "cadence": "daily"}),
            )
            .await;
        assert_eq!(daily.status, 422, "{}", daily.text);
        let set = coord
            .put("/api/v1/communities/ipc/checkin-schedule", schedule)
            .await;
        assert_eq!(set.status, 200, "{}", set.text);

        // Nothing before it is due; then one round, however often the worker runs.
        worker.tick().await.unwrap();
        assert_eq!(
            ada.get("/api/v1/communities/ipc/checkins").await.body["items"],
            json!([])
        );
        clock.advance(2 * HOUR);
        for _ in 0..3 {
            worker.tick().await.unwrap();
        }
        let rounds = ada.get("/api/v1/communities/ipc/checkins").await;
        assert_eq!(
            rounds.body["items"].as_array().unwrap().len(),
            1,
            "{}",
            rounds.text
        );
        let round = rounds.body["items"][0]["checkin"]["id"].as_i64().unwrap();
        assert_eq!(rounds.body["items"][0]["open"], true);
        let next = coord.get("/api/v1/communities/ipc/checkin-schedule").await;
        assert_eq!(
            next.body["next_at"],
            at(start + HOUR + 31 * 24 * HOUR),
            "a month on"
        );
        // Members are asked in-app; observers and strangers are not, and cannot see the round.
        let asked = |who: &Api| {
            let who = who.clone();
            async move {
                who.get("/api/v1/notifications").await.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|n| n["kind"] == "check_in" && n["checkin_id"] == round)
                    .count()
            }
        };
        assert_eq!(
            (asked(&ada).await, asked(&bob).await, asked(&obs).await),
            (1, 1, 0)
        );
        assert_eq!(
            obs.get(&format!("/api/v1/checkins/{round}")).await.status,
            404
        );
        assert_eq!(
            stranger
                .get(&format!("/api/v1/checkins/{round}"))
                .await
                .status,
            404
        );
        assert_eq!(
            obs.get("/api/v1/communities/ipc/checkins").await.status,
            403
        );

        // Answers: members only, checked; seen by the member and the coordinators.
        let answer = json!({"learned": "A shorter audit form.", "applied": "Used it twice on 4B."});
        assert_eq!(
            obs.put(&format!("/api/v1/checkins/{round}/answer"), answer.clone())
                .await
                .status,
            404
        );
        let empty = ada
            .put(
                &format!("/api/v1/checkins/{round}/answer"),
                json!({"learned": " "}),
            )
            .await;
        assert_eq!(
            (empty.status, empty.body["error"]["field"].as_str()),
            (422, Some("learned"))
        );
        let saved = ada
            .put(&format!("/api/v1/checkins/{round}/answer"), answer)
            .await;
        assert_eq!(saved.status, 200, "{}", saved.text);
        let listed = ada.get("/api/v1/communities/ipc/checkins").await;
        assert_eq!(
            listed.body["items"][0]["mine"]["learned"],
            "A shorter audit form."
        );
        assert!(
            bob.get("/api/v1/communities/ipc/checkins").await.body["items"][0]["mine"].is_null(),
            "only your own answer is listed"
        );
        let mine = ada.get(&format!("/api/v1/checkins/{round}")).await;
        assert_eq!(mine.body["mine"]["learned"], "A shorter audit form.");
        assert!(
            mine.body["answers"].is_null(),
            "members do not read others' answers"
        );
        assert!(bob.get(&format!("/api/v1/checkins/{round}")).await.body["mine"].is_null());
        let all = coord.get(&format!("/api/v1/checkins/{round}")).await;
        assert_eq!(all.body["answers"].as_array().unwrap().len(), 1);

        // One click: the answer becomes a story (potential + applied), once.
        assert_eq!(
            bob.post_empty(&format!("/api/v1/checkins/{round}/answer/story"))
                .await
                .status,
            422,
            "nothing to turn into a story yet"
        );
        let story = ada
            .post_empty(&format!("/api/v1/checkins/{round}/answer/story"))
            .await;
        assert_eq!(story.status, 201, "{}", story.text);
        assert_eq!(story.body["cycles"], json!(["potential", "applied"]));
        assert_eq!(story.body["took"], "A shorter audit form.");
        assert_eq!(story.body["did"], "Used it twice on 4B.");
        assert_eq!(story.body["visibility"], "community");
        assert_eq!(
            ada.post_empty(&format!("/api/v1/checkins/{round}/answer/story"))
                .await
                .status,
            409
        );
        assert_eq!(
            ada.get(&format!("/api/v1/checkins/{round}")).await.body["mine"]["story"],
            story.body["id"]
        );
        assert_eq!(
            bob.get(&format!("/api/v1/stories/{}", story.body["id"]))
                .await
                .status,
            200,
            "a community story now"
        );

        // Coordinators open a round at once; members may not. Closed rounds take no answers.
        assert_eq!(
            ada.post_empty("/api/v1/communities/ipc/checkins")
                .await
                .status,
            403
        );
        let now_round = coord.post_empty("/api/v1/communities/ipc/checkins").await;
        assert_eq!(now_round.status, 201, "{}", now_round.text);
        clock.advance(40 * 24 * HOUR);
        let late = bob
            .put(
                &format!("/api/v1/checkins/{round}/answer"),
                json!({"learned": "late"}),
            )
            .await;
        assert_eq!(late.status, 409, "{}", late.text);
        app.finish().await;
    }
}
