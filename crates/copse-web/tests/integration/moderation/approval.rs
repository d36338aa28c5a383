//! A community that holds new members' first posts: they wait, hidden, in the review queue
//! until a moderator approves them; leaders never wait; after enough approved posts nothing does.

use super::*;

#[tokio::test]
async fn a_new_members_first_post_waits_for_approval() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "newbie"]).await;
        let (ada, newbie) = (&m[0], &m[1]);
        let settings =
            json!({"leaders_moderate": false, "flags_to_hide": 3, "approve_first_posts": 1});
        let r = coord
            .put("/api/v1/communities/ipc/moderation/settings", settings)
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        let community = ada.get("/api/v1/communities/ipc").await;
        assert_eq!(community.body["moderation"]["approve_first_posts"], 1);

        let first = newbie
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Hello from ward 3", "body": "zzfirstpost"}),
            )
            .await;
        assert_eq!(first.status, 201, "{}", first.text);
        assert!(
            first.body["hidden"].as_str().unwrap().contains("approval"),
            "{}",
            first.text
        );
        let id = first.body["id"].as_i64().unwrap();
        assert_eq!(
            ada.get(&format!("/api/v1/threads/{id}")).await.status,
            404,
            "others wait too"
        );
        let found = ada.get("/api/v1/search?q=zzfirstpost").await;
        assert_eq!(found.body["items"], json!([]), "{}", found.text);
        let page = app.signed_in("newbie@example.org").await;
        let html = page
            .get(app.url(&format!("/t/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("Waiting for a moderator"),
            "its author is told: {html}"
        );

        the_coordinator_approves_it(&coord, ada, id).await;
        let reply = newbie
            .post(
                &format!("/api/v1/threads/{id}/replies"),
                json!({"body": "One approved post is enough here."}),
            )
            .await;
        assert_eq!(reply.status, 201);
        let seen = reply_seen(ada, id, reply.body["id"].as_i64().unwrap()).await;
        assert_eq!(
            seen["hidden"],
            Value::Null,
            "after one approved post, nothing waits: {seen}"
        );
        let own = coord
            .thread(
                "ipc",
                json!({"title": "Coordinators never wait", "body": "x"}),
            )
            .await;
        assert_eq!(ada.get(&format!("/api/v1/threads/{own}")).await.status, 200);
        app.finish().await;
    }
}

/// The post waits in the queue without flags; a member may not know of it, the coordinator
/// approves it once, and the log says so.
async fn the_coordinator_approves_it(coord: &Api, ada: &Api, id: i64) {
    let queue = coord.get("/api/v1/communities/ipc/moderation/queue").await;
    assert_eq!(queue.body[0]["awaiting_approval"], true, "{}", queue.text);
    assert_eq!(
        (queue.body[0]["id"].clone(), queue.body[0]["flags"].clone()),
        (json!(id), json!(0))
    );
    let decide = |action: &str| json!({"target": "thread", "id": id, "action": action});
    assert_eq!(
        ada.post(
            "/api/v1/communities/ipc/moderation/queue",
            decide("approve")
        )
        .await
        .status,
        403,
        "members do not moderate: refused at the queue, before anything of the post is read"
    );
    let approved = coord
        .post(
            "/api/v1/communities/ipc/moderation/queue",
            decide("approve"),
        )
        .await;
    assert_eq!(approved.status, 204, "{}", approved.text);
    assert_eq!(
        ada.get(&format!("/api/v1/threads/{id}")).await.status,
        200,
        "approved: shown"
    );
    assert_eq!(
        coord
            .post(
                "/api/v1/communities/ipc/moderation/queue",
                decide("approve")
            )
            .await
            .status,
        409
    );
    let log = ada.get("/api/v1/communities/ipc/moderation/log").await;
    assert_eq!(log.body[0]["action"], "approve", "{}", log.text);
}
