//! Edits keep history, deletion removes text; notifications of replies, mentions, answers
//! and followed topics.

use super::*;

#[tokio::test]
async fn edits_keep_history_and_deletion_removes_text() {
    for app in apps().await {
        let (coord, ada, bob, _obs) = setup(&app).await;
        let id = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Gloves policy", "body": "First version"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            bob.patch(
                &format!("/api/v1/threads/{id}"),
                json!({"body": "Hijacked"})
            )
            .await
            .status,
            403
        );
        edits_keep_their_history(&ada, id, &app, &coord).await;

        deleted_replies_lose_their_text(&bob, id, &ada, &coord, &app).await;

        bad_posts_are_refused(&ada, &coord).await;
        app.finish().await;
    }
}

async fn edits_keep_their_history(ada: &Api, id: i64, app: &TestApp, coord: &Api) {
    let edited = ada
        .patch(
            &format!("/api/v1/threads/{id}"),
            json!({"body": "Second version"}),
        )
        .await;
    assert_eq!(edited.status, 200);
    assert!(edited.body["edited_at"].is_string());
    let versions = app.db.store.edits(id, None).await.unwrap();
    assert_eq!(versions[0].body, "First version");
    assert_eq!(
        ada.patch(&format!("/api/v1/threads/{id}"), json!({"canonical": true}))
            .await
            .status,
        403
    );
    assert_eq!(
        coord
            .patch(&format!("/api/v1/threads/{id}"), json!({"canonical": true}))
            .await
            .body["canonical"],
        true
    );
    let library = app
        .api()
        .get("/api/v1/communities/ipc/threads?library=true")
        .await;
    assert_eq!(library.body["items"].as_array().unwrap().len(), 1);
}

async fn deleted_replies_lose_their_text(
    bob: &Api,
    id: i64,
    ada: &Api,
    coord: &Api,
    app: &TestApp,
) {
    let r = bob
        .post(
            &format!("/api/v1/threads/{id}/replies"),
            json!({"body": "REPLY-MARKER text"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        ada.delete(&format!("/api/v1/replies/{r}")).await.status,
        403,
        "not the author"
    );
    assert_eq!(
        bob.patch(
            &format!("/api/v1/replies/{r}"),
            json!({"body": "REPLY-MARKER v2"})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        coord.delete(&format!("/api/v1/replies/{r}")).await.status,
        204,
        "coordinators moderate"
    );
    let view = app.api().get(&format!("/api/v1/threads/{id}")).await;
    assert_eq!(view.body["replies"][0]["deleted"], true);
    assert!(!view.text.contains("REPLY-MARKER"), "the text is gone");
    let page = app
        .browser()
        .get(app.url(&format!("/t/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("This reply was deleted.") && !page.contains("REPLY-MARKER"));
    assert_eq!(
        bob.delete(&format!("/api/v1/threads/{id}")).await.status,
        403
    );
    assert_eq!(
        ada.delete(&format!("/api/v1/threads/{id}")).await.status,
        204
    );
    assert_eq!(
        app.api().get(&format!("/api/v1/threads/{id}")).await.status,
        404
    );
}

/// Bad input: over-long bodies, bad links, unknown topics, announcements by members.
async fn bad_posts_are_refused(ada: &Api, coord: &Api) {
    let big = "x".repeat(64 * 1024 + 1);
    let r = ada
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Too long", "body": big}),
        )
        .await;
    assert_eq!(
        (r.status, r.body["error"]["field"].as_str()),
        (422, Some("body"))
    );
    let r = ada.post("/api/v1/communities/ipc/threads", json!({"kind": "resource", "title": "A link", "body": "b", "link": "javascript:alert(1)"})).await;
    assert_eq!(r.body["error"]["field"], "link");
    let r = ada
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Tagged", "body": "b", "topics": ["nope"]}),
        )
        .await;
    assert_eq!(r.body["error"]["field"], "topics");
    assert_eq!(
        ada.post(
            "/api/v1/communities/ipc/threads",
            json!({"kind": "announcement", "title": "News!", "body": "b"})
        )
        .await
        .status,
        403
    );
    assert_eq!(
        coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"kind": "announcement", "title": "News!", "body": "b"})
            )
            .await
            .status,
        201
    );
}

#[tokio::test]
async fn notifications_for_replies_mentions_answers_and_followed_topics() {
    for app in apps().await {
        let (coord, ada, bob, obs) = setup(&app).await;
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "line-care", "name": "Line care"}),
            )
            .await;
        assert_eq!(
            obs.post_empty("/api/v1/communities/ipc/topics/line-care/follow")
                .await
                .status,
            204,
            "observers may follow topics"
        );
        assert_eq!(
            app.api()
                .person("stranger")
                .await
                .post_empty("/api/v1/communities/ipc/topics/line-care/follow")
                .await
                .status,
            403
        );
        let q = ada
            .post("/api/v1/communities/ipc/threads", json!({"kind": "question", "title": "PICC dressing changes?", "body": "How often? cc @bob", "topics": ["line-care"]}))
            .await;
        let id = q.body["id"].as_i64().unwrap();
        let r = bob
            .post(
                &format!("/api/v1/threads/{id}/replies"),
                json!({"body": "Weekly, or when soiled. @coord agrees?"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        ada.post(
            &format!("/api/v1/threads/{id}/accept"),
            json!({"reply_id": r}),
        )
        .await;
        let kinds = |api: &Api| {
            let api = api.clone();
            async move {
                let page = api.get("/api/v1/notifications").await;
                assert_eq!(page.status, 200, "{}", page.text);
                page.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["kind"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(kinds(&obs).await, vec!["topic"]);
        assert_eq!(kinds(&bob).await, vec!["accepted", "mention"]);
        assert_eq!(kinds(&ada).await, vec!["reply"]);
        assert_eq!(kinds(&coord).await, vec!["mention"]);
        assert_eq!(ada.get("/api/v1/notifications").await.body["unread"], 1);
        assert_eq!(
            ada.post_empty("/api/v1/notifications/read").await.status,
            204
        );
        assert_eq!(ada.get("/api/v1/notifications").await.body["unread"], 0);
        assert_eq!(app.api().get("/api/v1/notifications").await.status, 401);

        // A members-only thread mentioning the observer never shows up for them.
        ada.post("/api/v1/communities/ipc/threads", json!({"space": "members", "title": "Internal review", "body": "@obs should not see this", "topics": ["line-care"]}))
            .await;
        let obs_view = obs.get("/api/v1/notifications").await;
        assert!(
            !obs_view.text.contains("Internal review"),
            "{}",
            obs_view.text
        );
        app.finish().await;
    }
}
