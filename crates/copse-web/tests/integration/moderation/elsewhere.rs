//! Flags beyond threads and replies: a value story, a comment on one, a message of a private
//! conversation and a profile — each once per person, never one's own, hidden at the
//! threshold from everyone but its author and the moderators, and decided from the queue
//! (a community's for the first three, the site's for profiles).

use super::*;

/// The queue item about `target` `id`, as `who` reads the queue at `path`.
async fn queued(who: &Api, path: &str, target: &str, id: i64) -> Option<Value> {
    let q = who.get(path).await;
    assert_eq!(q.status, 200, "{}", q.text);
    q.body
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["target"] == target && i["id"] == id)
        .cloned()
}

const QUEUE: &str = "/api/v1/communities/ipc/moderation/queue";

/// Two members' flags on `path` hide it (the community's threshold is 2): the first does
/// not, a second by the same person conflicts, the second person's does.
async fn two_flags_hide(first: &Api, second: &Api, path: &str) {
    let r = first.post(path, flag("spam")).await;
    assert_eq!(
        (r.status, &r.body["hidden"]),
        (201, &json!(false)),
        "{}",
        r.text
    );
    let again = first.post(path, flag("off_topic")).await;
    assert_eq!(
        again.status, 409,
        "a person flags a thing once: {}",
        again.text
    );
    let r = second.post(path, flag("inappropriate")).await;
    assert_eq!(
        (r.status, &r.body["hidden"]),
        (201, &json!(true)),
        "{}",
        r.text
    );
}

#[tokio::test]
async fn a_flagged_story_hides_until_a_moderator_deletes_it() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob", "cat", "dan"]).await;
        let (ada, bob, cat, dan) = (&m[0], &m[1], &m[2], &m[3]);
        let settings = json!({"leaders_moderate": false, "flags_to_hide": 2});
        coord
            .put("/api/v1/communities/ipc/moderation/settings", settings)
            .await;
        let outsider = app.api().person("eve").await;
        let told = dan
            .post(
                "/api/v1/communities/ipc/stories",
                json!({"happened": "A link", "took": "Cheap watches zzqwatch", "cycles": ["immediate"]}),
            )
            .await;
        assert_eq!(told.status, 201, "{}", told.text);
        let id = told.body["id"].as_i64().unwrap();
        let path = format!("/api/v1/stories/{id}/flags");
        let own = dan.post(&path, flag("spam")).await;
        assert_eq!(
            own.status, 403,
            "nobody flags their own story: {}",
            own.text
        );
        let stranger = outsider.post(&path, flag("spam")).await;
        assert_eq!(
            stranger.status, 404,
            "a story's outsiders do not learn it: {}",
            stranger.text
        );
        two_flags_hide(ada, bob, &path).await;

        let story = format!("/api/v1/stories/{id}");
        assert_eq!(
            cat.get(&story).await.status,
            404,
            "hidden from other members"
        );
        let teller = dan.get(&story).await;
        assert_eq!(
            teller.status, 200,
            "its teller still reads it: {}",
            teller.text
        );
        assert!(
            teller.body["hidden"]
                .as_str()
                .unwrap()
                .contains("moderator")
        );
        let item = queued(&coord, QUEUE, "story", id)
            .await
            .expect("in the queue");
        assert_eq!(
            (item["flags"].clone(), item["story_id"].clone()),
            (json!(2), json!(id))
        );
        assert_eq!(item["about"], "Cheap watches zzqwatch");
        assert!(item.to_string().contains("zzqwatch") && !item.to_string().contains("\"ada\""));

        only_moderators_decide_and_deleting_is_logged(&coord, ada, cat, dan, id).await;
        app.finish().await;
    }
}

/// A member's decision is refused and changes nothing; the coordinator deletes the story, and
/// the log shows the flags' deed and the deletion to members.
async fn only_moderators_decide_and_deleting_is_logged(
    coord: &Api,
    ada: &Api,
    cat: &Api,
    dan: &Api,
    id: i64,
) {
    let story = format!("/api/v1/stories/{id}");
    let not_yours = ada
        .post(
            QUEUE,
            json!({"target": "story", "id": id, "action": "delete"}),
        )
        .await;
    assert_eq!(
        not_yours.status, 403,
        "members do not decide: {}",
        not_yours.text
    );
    assert_eq!(
        dan.get(&story).await.status,
        200,
        "a refused decision changed nothing"
    );
    let done = coord
        .post(
            QUEUE,
            json!({"target": "story", "id": id, "action": "delete", "reason": "spam"}),
        )
        .await;
    assert_eq!(done.status, 204, "{}", done.text);
    assert_eq!(dan.get(&story).await.status, 404, "deleted");
    assert!(queued(coord, QUEUE, "story", id).await.is_none());
    let log = cat.get("/api/v1/communities/ipc/moderation/log").await;
    let entries = log.text;
    assert!(
        entries.contains("hidden_by_flags") && entries.contains("\"delete\""),
        "the log shows both deeds: {entries}"
    );
}

#[tokio::test]
async fn a_flagged_comment_is_shown_again_when_the_flags_are_dismissed() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob", "cat", "dan"]).await;
        let (ada, bob, cat, dan) = (&m[0], &m[1], &m[2], &m[3]);
        let settings = json!({"leaders_moderate": false, "flags_to_hide": 2});
        coord
            .put("/api/v1/communities/ipc/moderation/settings", settings)
            .await;
        let told = ada
            .post(
                "/api/v1/communities/ipc/stories",
                json!({"happened": "The audit", "took": "A shorter checklist", "cycles": ["applied"]}),
            )
            .await;
        let story = told.body["id"].as_i64().unwrap();
        let said = dan
            .post(
                &format!("/api/v1/stories/{story}/comments"),
                json!({"body": "Rude words zzqrude"}),
            )
            .await;
        assert_eq!(said.status, 201, "{}", said.text);
        let id = said.body["id"].as_i64().unwrap();
        two_flags_hide(ada, bob, &format!("/api/v1/story-comments/{id}/flags")).await;

        let comments = format!("/api/v1/stories/{story}/comments");
        let seen = |r: &Reply| {
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["id"] == id)
        };
        assert!(
            !seen(&cat.get(&comments).await),
            "hidden from other members"
        );
        assert!(seen(&dan.get(&comments).await), "its author still reads it");
        assert!(seen(&coord.get(&comments).await), "the moderators read it");
        let item = queued(&coord, QUEUE, "story_comment", id)
            .await
            .expect("queued");
        assert_eq!(item["story_id"], story);

        let done = coord
            .post(
                QUEUE,
                json!({"target": "story_comment", "id": id, "action": "dismiss"}),
            )
            .await;
        assert_eq!(done.status, 204, "{}", done.text);
        assert!(
            seen(&cat.get(&comments).await),
            "shown again once dismissed"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_flagged_message_keeps_its_words_from_the_others_and_is_hidden_not_deleted() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob", "cat", "dan"]).await;
        let (ada, bob, cat, dan) = (&m[0], &m[1], &m[2], &m[3]);
        let settings = json!({"leaders_moderate": false, "flags_to_hide": 2});
        coord
            .put("/api/v1/communities/ipc/moderation/settings", settings)
            .await;
        let c = ada
            .post(
                "/api/v1/conversations",
                json!({"people": ["bob", "dan"], "subject": "Audits", "body": "Hello"}),
            )
            .await;
        assert_eq!(c.status, 201, "{}", c.text);
        let conv = c.body["id"].as_i64().unwrap();
        let sent = dan
            .post(
                &format!("/api/v1/conversations/{conv}/messages"),
                json!({"body": "Threats zzqthreat"}),
            )
            .await;
        assert_eq!(sent.status, 201, "{}", sent.text);
        let id = sent.body["id"].as_i64().unwrap();
        let path = format!("/api/v1/messages/{id}/flags");
        let outside = cat.post(&path, flag("spam")).await;
        assert_eq!(
            outside.status, 404,
            "only those in the conversation flag it: {}",
            outside.text
        );
        two_flags_hide(bob, ada, &path).await;

        let open = format!("/api/v1/conversations/{conv}");
        assert_eq!(
            words(&bob.get(&open).await, id),
            "",
            "the others no longer read it"
        );
        assert_eq!(
            words(&dan.get(&open).await, id),
            "Threats zzqthreat",
            "its author does"
        );
        let item = queued(&coord, QUEUE, "message", id).await.expect("queued");
        assert_eq!(
            item["body"], "Threats zzqthreat",
            "the moderators read the flagged message"
        );

        hidden_not_deleted_by_its_own_community(&app, &coord, ada, bob, id, &open).await;
        app.finish().await;
    }
}

/// Another community's coordinator cannot decide about the message; its own hides it (a
/// message is not deleted), and the log does not name the conversation.
async fn hidden_not_deleted_by_its_own_community(
    app: &TestApp,
    coord: &Api,
    ada: &Api,
    bob: &Api,
    id: i64,
    open: &str,
) {
    let other = app.api().person("olga").await;
    other.community("other", "public", true, "open").await;
    let elsewhere = other
        .post(
            "/api/v1/communities/other/moderation/queue",
            json!({"target": "message", "id": id, "action": "dismiss"}),
        )
        .await;
    assert_eq!(
        elsewhere.status, 404,
        "another community's coordinator: {}",
        elsewhere.text
    );
    let delete = coord
        .post(
            QUEUE,
            json!({"target": "message", "id": id, "action": "delete"}),
        )
        .await;
    assert_eq!(
        delete.status, 422,
        "a message is hidden, not deleted: {}",
        delete.text
    );
    let hide = coord
        .post(
            QUEUE,
            json!({"target": "message", "id": id, "action": "hide", "reason": "threats"}),
        )
        .await;
    assert_eq!(hide.status, 204, "{}", hide.text);
    assert_eq!(words(&bob.get(open).await, id), "");
    assert!(
        queued(coord, QUEUE, "message", id).await.is_none(),
        "decided"
    );
    let log = ada.get("/api/v1/communities/ipc/moderation/log").await;
    assert!(
        !log.text.contains("Audits") && log.text.contains("a message in a private conversation"),
        "the log never names a private conversation: {}",
        log.text
    );
}

/// The words of message `id` in a conversation as `r` shows it.
fn words(r: &Reply, id: i64) -> String {
    let msg = r.body["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == id);
    msg.unwrap()["body"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_flagged_profile_goes_to_the_site_admins() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob", "cat", "dan"]).await;
        let (ada, bob, cat, dan) = (&m[0], &m[1], &m[2], &m[3]);
        let r = dan
            .patch("/api/v1/me", json!({"bio": "Cheap watches at zzqshop"}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let path = "/api/v1/users/dan/flags";
        assert_eq!(
            dan.post(path, flag("spam")).await.status,
            403,
            "not one's own"
        );
        for (who, hides) in [(ada, false), (bob, false), (cat, true)] {
            let r = who.post(path, flag("spam")).await;
            assert_eq!(
                (r.status, &r.body["hidden"]),
                (201, &json!(hides)),
                "{}",
                r.text
            );
        }
        let seen = bob.get("/api/v1/users/dan").await;
        assert_eq!(
            seen.body["bio"],
            Value::Null,
            "others no longer read it: {}",
            seen.text
        );
        let own = dan.get("/api/v1/me").await;
        assert_eq!(own.body["bio"], "Cheap watches at zzqshop");
        assert!(own.body["profile_hidden"].is_string(), "{}", own.text);
        let dan_id = own.body["id"].as_i64().unwrap();
        assert!(
            queued(&coord, QUEUE, "profile", dan_id).await.is_none(),
            "not a community's"
        );

        let site = "/api/v1/admin/moderation/queue";
        let refused = coord
            .post(
                site,
                json!({"target": "profile", "id": dan_id, "action": "dismiss"}),
            )
            .await;
        assert_eq!(
            refused.status, 403,
            "only site admins decide here: {}",
            refused.text
        );
        let admin = app.admin("root").await;
        let item = queued(&admin, site, "profile", dan_id)
            .await
            .expect("in the site's queue");
        assert_eq!(
            (item["flags"].clone(), item["community"].clone()),
            (json!(3), Value::Null)
        );
        let done = admin
            .post(
                site,
                json!({"target": "profile", "id": dan_id, "action": "dismiss"}),
            )
            .await;
        assert_eq!(done.status, 204, "{}", done.text);
        let seen = bob.get("/api/v1/users/dan").await;
        assert_eq!(seen.body["bio"], "Cheap watches at zzqshop", "shown again");
        let log = admin.get("/api/v1/admin/moderation/log").await;
        assert!(log.text.contains("the profile of @dan"), "{}", log.text);
        app.finish().await;
    }
}
