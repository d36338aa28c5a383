//! What is hidden counts for nobody's participation: a reply hidden by a moderator, and a new
//! member's post while it waits for approval, leave the author's level until they are shown.

use super::*;

/// The member's explanation of their level, after the coordinator recomputes the levels.
async fn explanation(coord: &Api, member: &Api) -> String {
    let r = coord
        .post_empty("/api/v1/communities/ipc/participation/recompute")
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    let mine = member.get("/api/v1/communities/ipc/participation").await;
    assert_eq!(mine.status, 200, "{}", mine.text);
    mine.body["you"]["explanation"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn hidden_posts_leave_the_ledger_until_they_are_shown() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada"]).await;
        let ada = &m[0];
        let thread = coord
            .thread("ipc", json!({"title": "Night shifts", "body": "Tips?"}))
            .await;
        let mut replies = Vec::new();
        for i in 0..4 {
            replies.push(reply(ada, thread, &format!("Tip {i}")).await);
        }
        assert!(explanation(&coord, ada).await.contains("4 replies"));
        for id in &replies[..2] {
            let path = format!("/api/v1/replies/{id}/moderation");
            let r = coord.post(&path, json!({"action": "hide"})).await;
            assert_eq!(r.status, 204, "{}", r.text);
        }
        let hidden = explanation(&coord, ada).await;
        assert!(
            hidden.contains("2 replies"),
            "hidden replies do not count: {hidden}"
        );
        let path = format!("/api/v1/replies/{}/moderation", replies[0]);
        coord.post(&path, json!({"action": "unhide"})).await;
        let shown = explanation(&coord, ada).await;
        assert!(
            shown.contains("3 replies"),
            "shown again, it counts: {shown}"
        );

        // A new member's first post waits for approval, and counts once approved.
        let settings =
            json!({"leaders_moderate": false, "flags_to_hide": 3, "approve_first_posts": 1});
        coord
            .put("/api/v1/communities/ipc/moderation/settings", settings)
            .await;
        let newcomer = app.api().person("newcomer").await;
        newcomer.post_empty("/api/v1/communities/ipc/join").await;
        let first = reply(&newcomer, thread, "Hello all").await;
        let waiting = explanation(&coord, &newcomer).await;
        assert!(
            !waiting.contains("1 reply"),
            "a waiting post does not count: {waiting}"
        );
        let approve = json!({"target": "reply", "id": first, "action": "approve"});
        let r = coord
            .post("/api/v1/communities/ipc/moderation/queue", approve)
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        let approved = explanation(&coord, &newcomer).await;
        assert!(
            approved.contains("1 reply"),
            "approved, it counts: {approved}"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_reply_split_off_keeps_counting_and_so_does_the_next_one() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob"]).await;
        let (ada, bob) = (&m[0], &m[1]);
        let thread = coord
            .thread("ipc", json!({"title": "Night shifts", "body": "Tips?"}))
            .await;
        let newest = reply(ada, thread, "An aside about gloves").await;
        let split = json!({"action": "split", "replies": [newest], "title": "Gloves"});
        let r = coord
            .post(&format!("/api/v1/threads/{thread}/moderation"), split)
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        assert!(
            explanation(&coord, ada).await.contains("1 reply"),
            "the split reply counts"
        );
        // The next reply may get the split reply's id again (SQLite reuses the highest).
        reply(bob, thread, "Rest between shifts").await;
        let bobs = explanation(&coord, bob).await;
        assert!(
            bobs.contains("1 reply"),
            "the next reply counts too: {bobs}"
        );
        app.finish().await;
    }
}
