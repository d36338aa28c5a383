//! Conversations: unread, hidden from others, blocks and limits.

use super::*;

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
        let c = ada
            .post(
                "/api/v1/conversations",
                conversation(vec!["bob", "cy"], "Hello **both**"),
            )
            .await;
        assert_eq!(c.status, 201, "{}", c.text);
        let id = c.body["id"].as_i64().unwrap();
        assert_eq!(c.body["people"].as_array().unwrap().len(), 3);
        unread_then_hidden_from_others(&bob, id, &ada, &loner, &app, &cy).await;
        a_block_stops_messages_both_ways(&ada, id, &cy).await;
        limits_and_leaving(&ada, id, &bob).await;
        app.finish().await;
    }
}

/// Unread for Bob until he reads it; outsiders, someone who shares no community and someone
/// who blocked you all get the 404 of a missing conversation.
async fn unread_then_hidden_from_others(
    bob: &Api,
    id: i64,
    ada: &Api,
    loner: &Api,
    app: &TestApp,
    cy: &Api,
) {
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
        .post("/api/v1/conversations", conversation(vec!["loner"], "hi"))
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
        .post("/api/v1/conversations", conversation(vec!["cy"], "hi"))
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
}

/// A block stops new messages in the shared conversation too, both ways.
async fn a_block_stops_messages_both_ways(ada: &Api, id: i64, cy: &Api) {
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
}

/// Limits: too many people, too long, empty; leaving; at most 20 new conversations a day.
async fn limits_and_leaving(ada: &Api, id: i64, bob: &Api) {
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
                conversation(vec!["bob"], &format!("n{i}")),
            )
            .await;
        assert_eq!(r.status, 201, "{i}: {}", r.text);
    }
    let r = ada
        .post(
            "/api/v1/conversations",
            conversation(vec!["bob"], "one too many"),
        )
        .await;
    assert_eq!(r.status, 429, "{}", r.text);
}
