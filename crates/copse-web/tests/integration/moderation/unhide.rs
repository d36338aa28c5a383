//! What a moderator hid from the queue is shown again with `unhide` — through the API, and
//! from the story page's form — and the log says so; what is not hidden cannot be.

use super::*;

#[tokio::test]
async fn a_hidden_story_is_shown_again_from_its_page() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob"]).await;
        let (ada, bob) = (&m[0], &m[1]);
        let told = ada
            .post(
                "/api/v1/communities/ipc/stories",
                json!({"happened": "A huddle", "took": "Shorter handovers", "cycles": ["applied"]}),
            )
            .await;
        let id = told.body["id"].as_i64().unwrap();
        let queue = "/api/v1/communities/ipc/moderation/queue";
        let decide = |action: &str| json!({"target": "story", "id": id, "action": action});
        let early = coord.post(queue, decide("unhide")).await;
        assert_eq!(early.status, 409, "not hidden: {}", early.text);
        assert_eq!(coord.post(queue, decide("hide")).await.status, 204);
        let story = format!("/api/v1/stories/{id}");
        assert_eq!(bob.get(&story).await.status, 404, "hidden from members");
        let refused = bob.post(queue, decide("unhide")).await;
        assert_eq!(refused.status, 403, "members do not: {}", refused.text);

        let page = app.signed_in("coord@example.org").await;
        let html = page
            .get(app.url(&format!("/stories/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("Show it again"), "{html}");
        let r = page
            .post(app.url("/c/ipc/moderation/decide"))
            .form(&[
                ("target", "story"),
                ("id", &id.to_string()),
                ("action", "unhide"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303);
        assert_eq!(bob.get(&story).await.status, 200, "shown again");
        let log = bob.get("/api/v1/communities/ipc/moderation/log").await;
        assert!(log.text.contains("\"unhide\""), "{}", log.text);
        app.finish().await;
    }
}
