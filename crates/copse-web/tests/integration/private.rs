//! Private life through HTTP: circles, conversations, blocks and connections with meeting
//! times — the flows, the limits and the bad input — on every backend under test.

use crate::common::*;
use serde_json::json;

#[tokio::test]
async fn circles_invite_admit_post_and_hide() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let obs = app.api().person("obs").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        obs.post_empty("/api/v1/communities/ipc/follow").await;

        // Observers and outsiders cannot start circles; members can.
        let body = json!({"name": "Mentoring circle", "purpose": "New link nurses meet experienced ones."});
        assert_eq!(
            obs.post("/api/v1/communities/ipc/circles", body.clone())
                .await
                .status,
            403
        );
        let listed = ada.post("/api/v1/communities/ipc/circles", body).await;
        assert_eq!(listed.status, 201, "{}", listed.text);
        let listed_id = listed.body["id"].as_i64().unwrap();
        let hidden = ada
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Audit working group", "purpose": "Rewrite the audit form.", "listed": false, "ends": "2031-12-31"}),
            )
            .await;
        let hidden_id = hidden.body["id"].as_i64().unwrap();
        for bad in [
            json!({"name": "x", "purpose": "Fine purpose"}),
            json!({"name": "Fine name", "purpose": "Fine purpose", "ends": "2001-01-01"}),
            json!({"name": "Fine name", "purpose": "Fine purpose", "ends": "someday"}),
        ] {
            assert_eq!(
                ada.post("/api/v1/communities/ipc/circles", bad)
                    .await
                    .status,
                422
            );
        }

        // Bob sees the listed circle, not the hidden one; guessing its id looks like nothing.
        let names = |r: &Reply| {
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["name"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&bob.get("/api/v1/communities/ipc/circles").await),
            ["Mentoring circle"]
        );
        assert!(names(&obs.get("/api/v1/communities/ipc/circles").await).is_empty());
        let missing = bob.get("/api/v1/circles/999999").await;
        let guessed = bob.get(&format!("/api/v1/circles/{hidden_id}")).await;
        assert_eq!((guessed.status, &guessed.text), (404, &missing.text));
        let r = bob
            .post(&format!("/api/v1/circles/{hidden_id}/requests"), json!({}))
            .await;
        assert_eq!((r.status, &r.text), (404, &missing.text));

        // Bob asks to join the listed one; he sees its name but not what is inside until admitted.
        let seen = bob.get(&format!("/api/v1/circles/{listed_id}")).await;
        assert_eq!(seen.status, 200);
        assert!(seen.body["members"].as_array().unwrap().is_empty());
        assert_eq!(
            bob.post(
                &format!("/api/v1/circles/{listed_id}/requests"),
                json!({"message": "I am new"})
            )
            .await
            .status,
            204
        );
        assert_eq!(
            bob.post(&format!("/api/v1/circles/{listed_id}/requests"), json!({}))
                .await
                .status,
            409
        );
        assert_eq!(
            bob.post(
                &format!("/api/v1/circles/{listed_id}/requests/bob"),
                json!({"accept": true})
            )
            .await
            .status,
            403
        );
        let detail = ada.get(&format!("/api/v1/circles/{listed_id}")).await;
        assert_eq!(detail.body["requests"][0]["message"], "I am new");
        assert_eq!(
            ada.post(
                &format!("/api/v1/circles/{listed_id}/requests/bob"),
                json!({"accept": true})
            )
            .await
            .status,
            204
        );

        // Posting in the circle: members only; the thread is invisible to others.
        let t = bob
            .post("/api/v1/communities/ipc/threads", json!({"title": "My first audit", "body": "How do I start?", "space": "circle", "circle": listed_id}))
            .await;
        assert_eq!(t.status, 201, "{}", t.text);
        let tid = t.body["id"].as_i64().unwrap();
        assert_eq!(
            coord.get(&format!("/api/v1/threads/{tid}")).await.status,
            404,
            "coordinators are not in every circle"
        );
        assert_eq!(bob.get(&format!("/api/v1/threads/{tid}")).await.status, 200);
        let r = coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Sneaky", "body": "x", "space": "circle", "circle": hidden_id}),
            )
            .await;
        assert_eq!(r.status, 404);
        let r = coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "No circle", "body": "x", "space": "circle"}),
            )
            .await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("circle"))
        );
        // A circle event, planned by a circle member.
        let e = bob
            .post(
                "/api/v1/communities/ipc/events",
                json!({"title": "Circle coffee", "time_zone": "UTC", "start": "2030-01-07T10:00",
                   "end": "2030-01-07T11:00", "space": "circle", "circle": listed_id}),
            )
            .await;
        assert_eq!(e.status, 201, "{}", e.text);
        assert_eq!(
            coord
                .get(&format!("/api/v1/events/{}", e.body["id"]))
                .await
                .status,
            404
        );

        // Invitations: hosts invite members; the invited accept; the last host cannot leave.
        assert_eq!(
            ada.post(
                &format!("/api/v1/circles/{hidden_id}/invitations"),
                json!({"handle": "obs"})
            )
            .await
            .status,
            422
        );
        assert_eq!(
            ada.post(
                &format!("/api/v1/circles/{hidden_id}/invitations"),
                json!({"handle": "bob"})
            )
            .await
            .status,
            204
        );
        assert_eq!(
            coord
                .post(
                    &format!("/api/v1/circles/{hidden_id}/invitation"),
                    json!({"accept": true})
                )
                .await
                .status,
            404
        );
        assert_eq!(
            bob.post(
                &format!("/api/v1/circles/{hidden_id}/invitation"),
                json!({"accept": true})
            )
            .await
            .status,
            204
        );
        assert_eq!(
            bob.get(&format!("/api/v1/circles/{hidden_id}"))
                .await
                .status,
            200
        );
        assert_eq!(
            ada.delete(&format!("/api/v1/circles/{hidden_id}/members/ada"))
                .await
                .status,
            409
        );
        assert_eq!(
            bob.delete(&format!("/api/v1/circles/{hidden_id}/members/ada"))
                .await
                .status,
            403
        );
        assert_eq!(
            ada.delete(&format!("/api/v1/circles/{hidden_id}/members/bob"))
                .await
                .status,
            204
        );
        assert_eq!(
            bob.get(&format!("/api/v1/circles/{hidden_id}"))
                .await
                .status,
            404,
            "removal takes effect at once"
        );

        // Circle events can be planned from the circle's page too (members of the circle only).
        let form = [
            ("title", "Circle walk"),
            ("start", "2030-02-01T10:00"),
            ("end", "2030-02-01T11:00"),
            ("time_zone", "UTC"),
        ];
        let r = app
            .signed_in("bob@example.org")
            .await
            .post(app.url(&format!("/circles/{listed_id}/events")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert!(r.headers()["location"].to_str().unwrap().starts_with("/e/"));
        let r = app
            .signed_in("coord@example.org")
            .await
            .post(app.url(&format!("/circles/{listed_id}/events")))
            .form(&form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 403, "not in the circle");

        // A public thread moved into the circle leaves public view at once.
        let public = coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Audit form draft", "body": "Draft attached."}),
            )
            .await;
        let pid = public.body["id"].as_i64().unwrap();
        assert_eq!(
            app.api()
                .get(&format!("/api/v1/threads/{pid}"))
                .await
                .status,
            200
        );
        let moved = coord
            .patch(
                &format!("/api/v1/threads/{pid}"),
                json!({"move_to_circle": listed_id}),
            )
            .await;
        assert_eq!(
            moved.status, 403,
            "the coordinator is not in that (listed) circle: {}",
            moved.text
        );
        assert_eq!(
            ada.put(
                &format!("/api/v1/circles/{listed_id}/members/coord"),
                json!({"role": "host"})
            )
            .await
            .status,
            422,
            "not in it"
        );
        ada.post(
            &format!("/api/v1/circles/{listed_id}/invitations"),
            json!({"handle": "coord"}),
        )
        .await;
        coord
            .post(
                &format!("/api/v1/circles/{listed_id}/invitation"),
                json!({"accept": true}),
            )
            .await;
        let moved = coord
            .patch(
                &format!("/api/v1/threads/{pid}"),
                json!({"move_to_circle": listed_id}),
            )
            .await;
        assert_eq!(moved.status, 200, "{}", moved.text);
        assert_eq!(
            app.api()
                .get(&format!("/api/v1/threads/{pid}"))
                .await
                .status,
            404
        );
        let search = app.api().get("/api/v1/search?q=draft").await;
        assert!(!search.text.contains("Audit form draft"));
        app.finish().await;
    }
}

#[tokio::test]
async fn conversations_blocks_and_limits() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cy = app.api().person("cy").await;
        let loner = app.api().person("loner").await;
        ada.community("ipc", "public", true, "open").await;
        for m in [&bob, &cy] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let start = |to: Vec<&str>, body: &str| json!({"people": to, "subject": "Hand hygiene audits", "body": body});
        let c = ada
            .post(
                "/api/v1/conversations",
                start(vec!["bob", "cy"], "Hello **both**"),
            )
            .await;
        assert_eq!(c.status, 201, "{}", c.text);
        let id = c.body["id"].as_i64().unwrap();
        assert_eq!(c.body["people"].as_array().unwrap().len(), 3);
        // Unread for Bob until he reads it.
        assert_eq!(bob.get("/api/v1/conversations").await.body["unread"], 1);
        let opened = bob.get(&format!("/api/v1/conversations/{id}")).await;
        assert_eq!(opened.body["messages"][0]["body"], "Hello **both**");
        assert_eq!(bob.get("/api/v1/conversations").await.body["unread"], 0);
        let r = bob
            .post(
                &format!("/api/v1/conversations/{id}/messages"),
                json!({"body": "Hi!"}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(ada.get("/api/v1/conversations").await.body["unread"], 1);
        // Outsiders: 404, the same as a missing conversation.
        let missing = loner.get("/api/v1/conversations/999999").await;
        let hidden = loner.get(&format!("/api/v1/conversations/{id}")).await;
        assert_eq!((hidden.status, &hidden.text), (404, &missing.text));
        assert_eq!(
            loner
                .post(
                    &format!("/api/v1/conversations/{id}/messages"),
                    json!({"body": "x"})
                )
                .await
                .status,
            404
        );
        assert_eq!(app.api().get("/api/v1/conversations").await.status, 401);

        // Someone who shares no community, and someone who blocked you, read the same.
        let not_shared = ada
            .post("/api/v1/conversations", start(vec!["loner"], "hi"))
            .await;
        assert_eq!(
            (
                not_shared.status,
                not_shared.body["error"]["field"].as_str()
            ),
            (422, Some("people"))
        );
        assert_eq!(cy.put("/api/v1/me/blocks/ada", json!({})).await.status, 204);
        let blocked = ada
            .post("/api/v1/conversations", start(vec!["cy"], "hi"))
            .await;
        assert_eq!(blocked.status, 422);
        assert_eq!(
            blocked.body["error"]["message"]
                .as_str()
                .unwrap()
                .replace("@cy", "@x"),
            not_shared.body["error"]["message"]
                .as_str()
                .unwrap()
                .replace("@loner", "@x"),
        );
        // A block stops new messages in the shared conversation too, both ways.
        assert_eq!(
            ada.post(
                &format!("/api/v1/conversations/{id}/messages"),
                json!({"body": "still?"})
            )
            .await
            .status,
            403
        );
        assert_eq!(
            cy.post(
                &format!("/api/v1/conversations/{id}/messages"),
                json!({"body": "bye"})
            )
            .await
            .status,
            403
        );
        assert_eq!(
            cy.get("/api/v1/me/blocks").await.body["items"][0]["handle"],
            "ada"
        );
        assert_eq!(cy.delete("/api/v1/me/blocks/ada").await.status, 204);
        assert_eq!(
            ada.post(
                &format!("/api/v1/conversations/{id}/messages"),
                json!({"body": "again"})
            )
            .await
            .status,
            201
        );

        // Limits: too many people, too long, empty; and leaving.
        let many: Vec<String> = (0..20).map(|i| format!("p{i}")).collect();
        let r = ada
            .post(
                "/api/v1/conversations",
                json!({"people": many, "subject": "s", "body": "b"}),
            )
            .await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("people"))
        );
        let r = ada
            .post(
                &format!("/api/v1/conversations/{id}/messages"),
                json!({"body": "x".repeat(70_000)}),
            )
            .await;
        assert!(r.status == 422 || r.status == 413, "{}", r.status);
        assert_eq!(
            ada.post(
                &format!("/api/v1/conversations/{id}/messages"),
                json!({"body": "  "})
            )
            .await
            .status,
            422
        );
        assert_eq!(
            bob.delete(&format!("/api/v1/conversations/{id}"))
                .await
                .status,
            204
        );
        assert_eq!(
            bob.get(&format!("/api/v1/conversations/{id}")).await.status,
            404
        );
        // At most 20 new conversations a day.
        for i in 0..19 {
            let r = ada
                .post(
                    "/api/v1/conversations",
                    start(vec!["bob"], &format!("n{i}")),
                )
                .await;
            assert_eq!(r.status, 201, "{i}: {}", r.text);
        }
        let r = ada
            .post("/api/v1/conversations", start(vec!["bob"], "one too many"))
            .await;
        assert_eq!(r.status, 429, "{}", r.text);
        app.finish().await;
    }
}

#[tokio::test]
async fn connections_open_a_conversation_and_a_meeting_in_both_calendars() {
    for app in apps().await {
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cy = app.api().person("cy").await;
        let loner = app.api().person("loner").await;
        ada.community("ipc", "public", true, "open").await;
        for m in [&bob, &cy] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let ask = |to: &str| json!({"handle": to, "topic": "hand-hygiene audits", "message": "I'd like to learn how your ward runs them."});
        let r = ada.post("/api/v1/connections", ask("loner")).await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("handle"))
        );
        let r = ada.post("/api/v1/connections", ask("ada")).await;
        assert_eq!(r.status, 422);
        let c = ada.post("/api/v1/connections", ask("bob")).await;
        assert_eq!(c.status, 201, "{}", c.text);
        let id = c.body["id"].as_i64().unwrap();
        assert_eq!(
            ada.post("/api/v1/connections", ask("bob")).await.status,
            409
        );
        assert_eq!(
            cy.get(&format!("/api/v1/connections/{id}")).await.status,
            404
        );
        assert_eq!(
            ada.post(
                &format!("/api/v1/connections/{id}/answer"),
                json!({"answer": "accept"})
            )
            .await
            .status,
            403
        );
        let accepted = bob
            .post(
                &format!("/api/v1/connections/{id}/answer"),
                json!({"answer": "accept"}),
            )
            .await;
        assert_eq!(accepted.body["status"], "accepted", "{}", accepted.text);
        let conversation = accepted.body["conversation"].as_i64().unwrap();
        let conv = bob
            .get(&format!("/api/v1/conversations/{conversation}"))
            .await;
        assert_eq!(
            conv.body["messages"][0]["body"],
            "I'd like to learn how your ward runs them."
        );
        assert_eq!(
            bob.post(
                &format!("/api/v1/connections/{id}/answer"),
                json!({"answer": "decline"})
            )
            .await
            .status,
            409
        );

        // Ada proposes two times; Bob picks one; it is a private event in both calendars only.
        for (start, end) in [
            ("2031-03-04T10:00", "2031-03-04T10:30"),
            ("2031-03-05T15:00", "2031-03-05T15:30"),
        ] {
            let r = ada
                .post(
                    &format!("/api/v1/connections/{id}/proposals"),
                    json!({"time_zone": "Europe/Berlin", "start": start, "end": end}),
                )
                .await;
            assert_eq!(r.status, 200, "{}", r.text);
        }
        let bad = ada.post(&format!("/api/v1/connections/{id}/proposals"),
                           json!({"time_zone": "Mars/Base", "start": "2031-03-04T10:00", "end": "2031-03-04T10:30"})).await;
        assert_eq!(
            (bad.status, bad.body["error"]["field"].as_str()),
            (422, Some("time_zone"))
        );
        let past = ada
            .post(
                &format!("/api/v1/connections/{id}/proposals"),
                json!({"time_zone": "UTC", "start": "2001-03-04T10:00", "end": "2001-03-04T10:30"}),
            )
            .await;
        assert_eq!(past.status, 422);
        let view = bob.get(&format!("/api/v1/connections/{id}")).await;
        let proposal = view.body["proposals"][1]["id"].as_i64().unwrap();
        assert_eq!(
            ada.post(
                &format!("/api/v1/connections/{id}/pick"),
                json!({"proposal": proposal})
            )
            .await
            .status,
            403
        );
        let picked = bob
            .post(
                &format!("/api/v1/connections/{id}/pick"),
                json!({"proposal": proposal}),
            )
            .await;
        assert_eq!(picked.status, 200, "{}", picked.text);
        let event = picked.body["event"].as_i64().unwrap();
        assert_eq!(
            bob.post(
                &format!("/api/v1/connections/{id}/pick"),
                json!({"proposal": proposal})
            )
            .await
            .status,
            409
        );
        assert_eq!(
            ada.get(&format!("/api/v1/events/{event}")).await.status,
            200
        );
        let going = ada
            .get(&format!(
                "/api/v1/events/{event}/rsvps?occurrence=2031-03-05T14:00:00Z"
            ))
            .await;
        assert_eq!(
            going.body["going"], 2,
            "both are going, so both are reminded: {}",
            going.text
        );
        assert_eq!(
            cy.get(&format!("/api/v1/events/{event}")).await.status,
            404,
            "not even other members"
        );
        let titles = |r: &Reply| r.text.contains("Conversation: hand-hygiene audits");
        assert!(!titles(&cy.get("/api/v1/communities/ipc/events").await));
        assert!(titles(&ada.get("/api/v1/communities/ipc/events").await));
        for who in [&ada, &bob] {
            let url = who.post_empty("/api/v1/me/calendar-feed").await.body["url"]
                .as_str()
                .unwrap()
                .to_string();
            let ics = reqwest::get(url).await.unwrap().text().await.unwrap();
            assert!(
                ics.contains("SUMMARY:Conversation: hand-hygiene audits"),
                "{ics}"
            );
            assert!(ics.contains("DTSTART;TZID=Europe/Berlin:20310305T150000"));
        }
        let community = reqwest::get(app.url("/c/ipc/calendar.ics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(!community.contains("hand-hygiene"));

        // Blocks stop requests; ten a day at most.
        assert_eq!(cy.put("/api/v1/me/blocks/ada", json!({})).await.status, 204);
        let r = ada.post("/api/v1/connections", ask("cy")).await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("handle"))
        );
        cy.delete("/api/v1/me/blocks/ada").await;
        let mut sent = 1;
        let mut last = 0;
        for i in 0..12 {
            let who = app.api().person(&format!("extra{i}")).await;
            who.post_empty("/api/v1/communities/ipc/join").await;
            last = ada
                .post("/api/v1/connections", ask(&format!("extra{i}")))
                .await
                .status;
            if last == 201 {
                sent += 1;
            }
        }
        assert_eq!((sent, last), (10, 429));
        // People to meet: members only, and it leaves out people already asked.
        assert_eq!(
            loner
                .get("/api/v1/communities/ipc/people-to-meet")
                .await
                .status,
            403
        );
        let people = cy.get("/api/v1/communities/ipc/people-to-meet").await;
        assert_eq!(people.status, 200, "{}", people.text);
        app.finish().await;
    }
}
