//! Connections: a request opens a conversation, a picked time is a meeting in both calendars.

use super::*;

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
        let id = a_request_accepted_opens_a_conversation(&ada, &cy, &bob).await;

        a_time_picked_is_in_both_calendars(&ada, id, &bob, &cy, &app).await;
        blocks_limits_and_people_to_meet(&cy, &ada, &app, &loner).await;
        app.finish().await;
    }
}

/// Requests to strangers and to oneself are refused; bob accepts ada's, which opens their
/// conversation with her message in it. Returns the request.
async fn a_request_accepted_opens_a_conversation(ada: &Api, cy: &Api, bob: &Api) -> i64 {
    let r = ada.post("/api/v1/connections", request_to("loner")).await;
    assert_eq!(
        (r.status, r.body["error"]["field"].as_str()),
        (422, Some("handle"))
    );
    let r = ada.post("/api/v1/connections", request_to("ada")).await;
    assert_eq!(r.status, 422);
    let c = ada.post("/api/v1/connections", request_to("bob")).await;
    assert_eq!(c.status, 201, "{}", c.text);
    let id = c.body["id"].as_i64().unwrap();
    assert_eq!(
        ada.post("/api/v1/connections", request_to("bob"))
            .await
            .status,
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
    id
}

/// Ada proposes two times; Bob picks one; it is a private event in both calendars only.
async fn a_time_picked_is_in_both_calendars(
    ada: &Api,
    id: i64,
    bob: &Api,
    cy: &Api,
    app: &TestApp,
) {
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
    the_meeting_is_private_and_in_both_calendars(bob, id, proposal, ada, event, cy, app).await;
}

async fn the_meeting_is_private_and_in_both_calendars(
    bob: &Api,
    id: i64,
    proposal: i64,
    ada: &Api,
    event: i64,
    cy: &Api,
    app: &TestApp,
) {
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
    assert!(!names_the_conversation(
        &cy.get("/api/v1/communities/ipc/events").await
    ));
    assert!(names_the_conversation(
        &ada.get("/api/v1/communities/ipc/events").await
    ));
    for who in [ada, bob] {
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
}

/// Blocks stop requests; ten a day at most.
async fn blocks_limits_and_people_to_meet(cy: &Api, ada: &Api, app: &TestApp, loner: &Api) {
    assert_eq!(cy.put("/api/v1/me/blocks/ada", json!({})).await.status, 204);
    let r = ada.post("/api/v1/connections", request_to("cy")).await;
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
            .post("/api/v1/connections", request_to(&format!("extra{i}")))
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
}
