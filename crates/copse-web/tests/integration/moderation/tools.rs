//! The thread tools: pin puts a thread first, lock refuses replies (API and page), hide keeps
//! it for its author and the moderators; leaders moderate only where the community says so;
//! silences; and a moderator of one community has no power in another.

use super::*;

#[tokio::test]
async fn pin_lock_and_hide_a_thread() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob"]).await;
        let (ada, bob) = (&m[0], &m[1]);
        let old = ada
            .thread(
                "ipc",
                json!({"title": "Our ground rules", "body": "Be kind."}),
            )
            .await;
        let new = ada
            .thread("ipc", json!({"title": "Newest chat", "body": "Hi"}))
            .await;
        let tool = |action: &str| json!({"action": action, "reason": "for everyone"});
        let path = format!("/api/v1/threads/{old}/moderation");
        assert_eq!(
            bob.post(&path, tool("pin")).await.status,
            403,
            "members do not moderate"
        );
        let pinned = coord.post(&path, tool("pin")).await;
        assert_eq!(
            (pinned.status, pinned.body["pinned"].clone()),
            (200, json!(true)),
            "{}",
            pinned.text
        );
        let list = bob.get("/api/v1/communities/ipc/threads").await;
        let ids: Vec<i64> = list.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [old, new], "the pinned thread comes first");

        locking_refuses_replies(&app, &coord, bob, old).await;
        hiding_keeps_it_for_its_author(&app, &coord, ada, bob, new).await;
        let log = bob.get("/api/v1/communities/ipc/moderation/log").await;
        let actions: Vec<&str> = log
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["action"].as_str().unwrap())
            .collect();
        assert_eq!(actions, ["hide", "lock", "pin"], "{}", log.text);
        app.finish().await;
    }
}

async fn reply_count(who: &Api, thread: i64) -> usize {
    who.get(&format!("/api/v1/threads/{thread}")).await.body["replies"]
        .as_array()
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_silenced_member_reads_but_does_not_post_and_leaders_moderate_when_allowed() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "lee", "troll"]).await;
        let (ada, lee, troll) = (&m[0], &m[1], &m[2]);
        coord
            .put(
                "/api/v1/communities/ipc/members/lee",
                json!({"role": "leader"}),
            )
            .await;
        let thread = ada
            .thread("ipc", json!({"title": "Night shifts", "body": "Tips?"}))
            .await;
        leaders_moderate_once_allowed(&coord, lee).await;
        let silence = json!({"handle": "troll", "days": 7, "reason": "Repeated insults"});
        let done = lee.post("/api/v1/communities/ipc/silences", silence).await;
        assert_eq!(done.status, 201, "{}", done.text);
        let refused = troll
            .post(
                &format!("/api/v1/threads/{thread}/replies"),
                json!({"body": "..."}),
            )
            .await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert!(
            refused.text.contains("silenced you")
                && refused
                    .text
                    .contains(&done.body["until"].as_str().unwrap()[..10]),
            "{}",
            refused.text
        );
        let new = troll
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Still here", "body": "x"}),
            )
            .await;
        assert_eq!(new.status, 403, "no new threads either");
        assert_eq!(
            troll.get(&format!("/api/v1/threads/{thread}")).await.status,
            200,
            "reading goes on"
        );
        the_page_says_why_and_until_when(&app, thread).await;
        let coordinator = json!({"handle": "coord", "days": 1});
        assert_eq!(
            lee.post("/api/v1/communities/ipc/silences", coordinator)
                .await
                .status,
            403,
            "coordinators are not silenced"
        );
        assert_eq!(
            coord
                .delete("/api/v1/communities/ipc/silences/troll")
                .await
                .status,
            204
        );
        assert_eq!(
            troll
                .post(
                    &format!("/api/v1/threads/{thread}/replies"),
                    json!({"body": "Sorry."})
                )
                .await
                .status,
            201
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_moderator_of_one_community_has_no_power_in_another() {
    for app in apps().await {
        let (_coord, m) = community_of(&app, &["ada"]).await;
        let other = app.api().person("other").await;
        other.community("wound", "public", true, "open").await;
        let thread = m[0]
            .thread("ipc", json!({"title": "Catheter care", "body": "x"}))
            .await;
        // Not through their own community's queue either: the post is not in it.
        let decide = json!({"target": "thread", "id": thread, "action": "delete"});
        let through_own = other
            .post("/api/v1/communities/wound/moderation/queue", decide)
            .await;
        assert_eq!(through_own.status, 404, "{}", through_own.text);
        let r = other
            .post(
                &format!("/api/v1/threads/{thread}/moderation"),
                json!({"action": "hide"}),
            )
            .await;
        assert_eq!(r.status, 403, "{}", r.text);
        assert_eq!(
            other
                .get("/api/v1/communities/ipc/moderation/queue")
                .await
                .status,
            403
        );
        assert_eq!(
            other
                .post(
                    "/api/v1/communities/ipc/silences",
                    json!({"handle": "ada", "days": 1})
                )
                .await
                .status,
            403
        );
        assert_eq!(
            other
                .delete(&format!("/api/v1/threads/{thread}"))
                .await
                .status,
            403
        );
        assert_eq!(
            m[0].get(&format!("/api/v1/threads/{thread}")).await.body["hidden"],
            Value::Null
        );
        app.finish().await;
    }
}

/// A locked thread refuses a reply from the API and from the page's form, and writes nothing;
/// its moderators may still answer.
async fn locking_refuses_replies(app: &TestApp, coord: &Api, bob: &Api, old: i64) {
    let tool = |action: &str| json!({"action": action, "reason": "for everyone"});
    let path = format!("/api/v1/threads/{old}/moderation");
    let locked = coord.post(&path, tool("lock")).await;
    assert_eq!(locked.body["locked"], true);
    let refused = bob
        .post(
            &format!("/api/v1/threads/{old}/replies"),
            json!({"body": "me too"}),
        )
        .await;
    assert_eq!(refused.status, 403, "{}", refused.text);
    assert!(refused.text.contains("locked"), "{}", refused.text);
    let page = app.signed_in("bob@example.org").await;
    let html = page
        .get(app.url(&format!("/t/{old}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"thread-locked\"") && html.contains("id=\"reply-closed\""),
        "{html}"
    );
    assert!(
        !html.contains("id=\"reply-form\""),
        "no reply form on a locked thread"
    );
    let posted = page
        .post(app.url(&format!("/t/{old}/replies")))
        .form(&[("body", "through the form")])
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 403, "the form is refused too");
    assert_eq!(reply_count(coord, old).await, 0, "nothing was written");
    assert_eq!(
        coord
            .post(
                &format!("/api/v1/threads/{old}/replies"),
                json!({"body": "Moderators may"})
            )
            .await
            .status,
        201
    );
}

/// A hidden thread is a 404 to members and visitors, and out of the feed; its author reads why.
async fn hiding_keeps_it_for_its_author(
    app: &TestApp,
    coord: &Api,
    ada: &Api,
    bob: &Api,
    new: i64,
) {
    let hidden = coord
        .post(
            &format!("/api/v1/threads/{new}/moderation"),
            json!({"action": "hide", "reason": "Off-topic for this community."}),
        )
        .await;
    assert_eq!(
        hidden.body["hidden"], "Off-topic for this community.",
        "{}",
        hidden.text
    );
    assert_eq!(bob.get(&format!("/api/v1/threads/{new}")).await.status, 404);
    assert_eq!(
        app.api()
            .anonymous()
            .get(&format!("/api/v1/threads/{new}"))
            .await
            .status,
        404
    );
    let author = ada.get(&format!("/api/v1/threads/{new}")).await;
    assert_eq!(
        author.body["hidden"], "Off-topic for this community.",
        "its author sees why"
    );
    let feed = app
        .browser()
        .get(app.url("/c/ipc/feed.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!feed.contains("Newest chat"), "not in the feed: {feed}");
}

/// The silenced member's thread page has no reply form, and says until when and why.
async fn the_page_says_why_and_until_when(app: &TestApp, thread: i64) {
    let page = app.signed_in("troll@example.org").await;
    let html = page
        .get(app.url(&format!("/t/{thread}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("id=\"reply-closed\"")
            && html.contains("silenced you in this community until")
            && html.contains("Repeated insults"),
        "{html}"
    );
}

/// A leader may not silence until the coordinators let leaders moderate.
async fn leaders_moderate_once_allowed(coord: &Api, lee: &Api) {
    let silence = json!({"handle": "troll", "days": 7, "reason": "Repeated insults"});
    assert_eq!(
        lee.post("/api/v1/communities/ipc/silences", silence.clone())
            .await
            .status,
        403,
        "leaders wait for the setting"
    );
    coord
        .put(
            "/api/v1/communities/ipc/moderation/settings",
            json!({"leaders_moderate": true, "flags_to_hide": 3}),
        )
        .await;
}

#[tokio::test]
async fn a_closed_question_takes_no_answers_and_leaves_the_unanswered_list() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob"]).await;
        let question = m[0]
            .thread(
                "ipc",
                json!({"title": "Which wipes for monitors?", "body": "x", "kind": "question"}),
            )
            .await;
        let discussion = m[0]
            .thread("ipc", json!({"title": "Coffee", "body": "x"}))
            .await;
        let unanswered = "/api/v1/communities/ipc/threads?kind=question&status=unanswered";
        assert_eq!(m[1].get(unanswered).await.body["items"][0]["id"], question);
        let close = json!({"action": "close", "reason": "Answered in the library."});
        let not_a_question = coord
            .post(
                &format!("/api/v1/threads/{discussion}/moderation"),
                close.clone(),
            )
            .await;
        assert_eq!(not_a_question.status, 422, "{}", not_a_question.text);
        let closed = coord
            .post(&format!("/api/v1/threads/{question}/moderation"), close)
            .await;
        assert_eq!(closed.body["closed"], true, "{}", closed.text);
        let refused = m[1]
            .post(
                &format!("/api/v1/threads/{question}/replies"),
                json!({"body": "Alcohol wipes"}),
            )
            .await;
        assert_eq!(refused.status, 403, "{}", refused.text);
        assert_eq!(
            m[1].get(unanswered).await.body["items"],
            json!([]),
            "closed is not unanswered"
        );
        let page = app.signed_in("bob@example.org").await;
        let html = page
            .get(app.url(&format!("/t/{question}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("id=\"question-closed\""), "{html}");
        let reopened = coord
            .post(
                &format!("/api/v1/threads/{question}/moderation"),
                json!({"action": "reopen"}),
            )
            .await;
        assert_eq!(reopened.body["closed"], false);
        assert_eq!(
            m[1].post(
                &format!("/api/v1/threads/{question}/replies"),
                json!({"body": "Alcohol wipes"})
            )
            .await
            .status,
            201
        );
        let log = m[1].get("/api/v1/communities/ipc/moderation/log").await;
        assert_eq!(log.body[0]["action"], "reopen");
        assert_eq!(log.body[1]["action"], "close");
        app.finish().await;
    }
}
