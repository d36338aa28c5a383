//! Flags: once per person, never one's own, hidden at the threshold of established members'
//! flags, kept out of search and notifications while hidden; the queue and its decisions.

use super::*;

#[tokio::test]
async fn enough_flags_hide_a_reply_until_a_moderator_decides() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob", "cat", "spam"]).await;
        let (ada, cat, spammer) = (&m[0], &m[2], &m[3]);
        let settings = json!({"leaders_moderate": false, "flags_to_hide": 2});
        let r = coord
            .put(
                "/api/v1/communities/ipc/moderation/settings",
                settings.clone(),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        assert_eq!(
            ada.put("/api/v1/communities/ipc/moderation/settings", settings)
                .await
                .status,
            403,
            "only coordinators change how the community moderates"
        );
        let thread = ada
            .thread(
                "ipc",
                json!({"title": "Hand rub audits", "body": "How often?"}),
            )
            .await;
        let bad = reply(spammer, thread, "Buy cheap watches zzqspam").await;

        flags_count_once_each_until_the_threshold(&m, thread, bad).await;
        hidden_from_members_but_not_its_author(&coord, &m, thread, bad).await;
        the_queue_shows_it_without_flaggers(&app, &coord, cat, bad).await;
        deleting_it_is_logged_for_members(&app, &coord, cat, thread, bad).await;
        app.finish().await;
    }
}

/// ada flags it (once only, and something else needs a note), the spammer cannot flag their
/// own; bob's is the second flag, which hides it.
async fn flags_count_once_each_until_the_threshold(m: &[Api], thread: i64, bad: i64) {
    let (ada, bob, cat, spammer) = (&m[0], &m[1], &m[2], &m[3]);
    let own = spammer
        .post(&format!("/api/v1/replies/{bad}/flags"), flag("spam"))
        .await;
    assert_eq!(own.status, 403, "nobody flags their own post: {}", own.text);
    let other = ada
        .post(
            &format!("/api/v1/replies/{bad}/flags"),
            json!({"reason": "other"}),
        )
        .await;
    assert_eq!(
        other.status, 422,
        "something else needs a note: {}",
        other.text
    );
    let first = ada
        .post(&format!("/api/v1/replies/{bad}/flags"), flag("spam"))
        .await;
    assert_eq!(
        (first.status, first.body["hidden"].clone()),
        (201, json!(false)),
        "{}",
        first.text
    );
    let again = ada
        .post(&format!("/api/v1/replies/{bad}/flags"), flag("spam"))
        .await;
    assert_eq!(
        again.status, 409,
        "a person flags a thing once: {}",
        again.text
    );
    assert_eq!(reply_seen(cat, thread, bad).await["hidden"], Value::Null);
    let second = bob
        .post(
            &format!("/api/v1/replies/{bad}/flags"),
            json!({"reason": "other", "note": "an advert"}),
        )
        .await;
    assert_eq!(
        second.body["hidden"], true,
        "the second flag reaches the threshold: {}",
        second.text
    );
}

/// Members see the place and why; its author and the coordinator its text; search nothing.
async fn hidden_from_members_but_not_its_author(coord: &Api, m: &[Api], thread: i64, bad: i64) {
    let (cat, spammer) = (&m[2], &m[3]);
    let seen = reply_seen(cat, thread, bad).await;
    assert_eq!(seen["body"], "", "a member no longer reads it: {seen}");
    assert!(
        seen["hidden"].as_str().unwrap().contains("moderator looks"),
        "{seen}"
    );
    assert_eq!(
        reply_seen(spammer, thread, bad).await["body"],
        "Buy cheap watches zzqspam"
    );
    assert_eq!(
        reply_seen(coord, thread, bad).await["body"],
        "Buy cheap watches zzqspam"
    );
    let found = cat.get("/api/v1/search?q=zzqspam").await;
    assert_eq!(
        found.body["items"].as_array().map(Vec::len),
        Some(0),
        "not in search: {}",
        found.text
    );
}

/// The coordinator deletes it from the queue; the log says who did what and why, never who
/// flagged, and is for members only.
async fn deleting_it_is_logged_for_members(
    app: &TestApp,
    coord: &Api,
    cat: &Api,
    thread: i64,
    bad: i64,
) {
    let decided = coord
        .post(
            "/api/v1/communities/ipc/moderation/queue",
            json!({"target": "reply", "id": bad, "action": "delete", "reason": "advert"}),
        )
        .await;
    assert_eq!(decided.status, 204, "{}", decided.text);
    assert_eq!(reply_seen(coord, thread, bad).await["deleted"], true);
    let queue = coord.get("/api/v1/communities/ipc/moderation/queue").await;
    assert_eq!(queue.body, json!([]), "deciding empties the queue");
    let log = cat.get("/api/v1/communities/ipc/moderation/log").await;
    assert_eq!(log.status, 200, "members read the log: {}", log.text);
    let actions: Vec<&str> = log
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["delete", "hidden_by_flags"], "{}", log.text);
    assert_eq!(log.body[0]["moderator"], "coord");
    assert_eq!(log.body[0]["reason"], "advert");
    assert_eq!(
        log.body[1]["moderator"],
        Value::Null,
        "flags acted, not a person"
    );
    for name in ["ada", "bob"] {
        assert!(
            !log.text.contains(name),
            "no flagger is named: {}",
            log.text
        );
    }
    let outsider = app.api().person("outsider").await;
    assert_eq!(
        outsider
            .get("/api/v1/communities/ipc/moderation/log")
            .await
            .status,
        403
    );
}

/// The queue lists the post with its count and reasons, the note but not who wrote it; only
/// moderators see it, and the community page shows them a count.
async fn the_queue_shows_it_without_flaggers(app: &TestApp, coord: &Api, member: &Api, id: i64) {
    let queue = coord.get("/api/v1/communities/ipc/moderation/queue").await;
    assert_eq!(queue.status, 200, "{}", queue.text);
    let item = &queue.body[0];
    assert_eq!(
        (
            item["target"].clone(),
            item["id"].clone(),
            item["flags"].clone()
        ),
        (json!("reply"), json!(id), json!(2))
    );
    assert_eq!(item["reasons"], json!(["spam", "other"]));
    assert_eq!(item["notes"], json!(["an advert"]));
    assert_eq!(item["author"]["handle"], "spam");
    assert!(
        !queue.text.contains("\"ada\"") && !queue.text.contains("\"bob\""),
        "{}",
        queue.text
    );
    assert_eq!(
        member
            .get("/api/v1/communities/ipc/moderation/queue")
            .await
            .status,
        403
    );
    let page = app.signed_in("coord@example.org").await;
    let html = page
        .get(app.url("/c/ipc/moderation"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("Buy cheap watches") && html.contains("Dismiss flags"),
        "{html}"
    );
    assert!(
        html.contains("Remove @spam from the community") && !html.contains("/admin/users/spam"),
        "the coordinator may remove the author; suspending is the site admins': {html}"
    );
    assert!(
        html.contains(&format!("href=\"/r/{id}/edit\"")),
        "the coordinator may edit it from the queue: {html}"
    );
    let admin = app.admin("root").await;
    let site = admin.get("/api/v1/admin/moderation/queue").await;
    assert_eq!(site.body[0]["author"]["handle"], "spam", "{}", site.text);
}

#[tokio::test]
async fn flags_from_new_accounts_do_not_hide_and_dismissing_shows_the_post_again() {
    for (app, clock) in mail_apps_with(1_900_000_000_000, |c| {
        c.posting = copse_app::moderation::PostingLimits::default()
    })
    .await
    {
        let (coord, m) = community_of(&app, &["ada", "bob"]).await;
        let settings = json!({"leaders_moderate": false, "flags_to_hide": 1});
        coord
            .put("/api/v1/communities/ipc/moderation/settings", settings)
            .await;
        let thread = m[0]
            .thread("ipc", json!({"title": "Sharps bins", "body": "Where?"}))
            .await;
        // bob's account is minutes old: his flag is counted in the queue but hides nothing.
        let fresh = m[1]
            .post(
                &format!("/api/v1/threads/{thread}/flags"),
                flag("off_topic"),
            )
            .await;
        assert_eq!(
            (fresh.status, fresh.body["hidden"].clone()),
            (201, json!(false)),
            "{}",
            fresh.text
        );
        clock.advance(2 * 86_400_000);
        let cat = app.api().person("cat").await;
        cat.post_empty("/api/v1/communities/ipc/join").await;
        let still_new = cat
            .post(&format!("/api/v1/threads/{thread}/flags"), flag("spam"))
            .await;
        assert_eq!(
            still_new.body["hidden"], false,
            "cat is new too: {}",
            still_new.text
        );
        let leader = coord
            .post(&format!("/api/v1/threads/{thread}/flags"), flag("spam"))
            .await;
        assert_eq!(
            leader.body["hidden"], true,
            "a coordinator's flag counts: {}",
            leader.text
        );
        assert_eq!(
            cat.get(&format!("/api/v1/threads/{thread}")).await.status,
            404,
            "hidden from members"
        );
        assert_eq!(
            m[0].get(&format!("/api/v1/threads/{thread}")).await.status,
            200,
            "its author still reads it"
        );
        let list = cat.get("/api/v1/communities/ipc/threads").await;
        assert_eq!(
            list.body["items"],
            json!([]),
            "and it leaves the list: {}",
            list.text
        );
        dismissing_shows_it_again(&coord, &cat, thread).await;
        app.finish().await;
    }
}

/// Dismissing the flags shows the thread again; there is nothing left to dismiss after.
async fn dismissing_shows_it_again(coord: &Api, cat: &Api, thread: i64) {
    let dismissed = coord
        .post(
            "/api/v1/communities/ipc/moderation/queue",
            json!({"target": "thread", "id": thread, "action": "dismiss"}),
        )
        .await;
    assert_eq!(dismissed.status, 204, "{}", dismissed.text);
    assert_eq!(
        cat.get(&format!("/api/v1/threads/{thread}")).await.status,
        200,
        "shown again"
    );
    let twice = coord
        .post(
            "/api/v1/communities/ipc/moderation/queue",
            json!({"target": "thread", "id": thread, "action": "dismiss"}),
        )
        .await;
    assert_eq!(twice.status, 409, "nothing left to dismiss: {}", twice.text);
}
