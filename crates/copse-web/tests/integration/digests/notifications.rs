//! Notification and message e-mails: at once or in the digest, as each person chooses.

use super::*;

#[tokio::test]
async fn notifications_are_emailed_at_once_or_in_the_digest_as_each_person_chooses() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let w = worker(&app.state, port, "a", None);
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let thread = defaults_and_a_mention(&ada, &bob).await;
        let mentioned = at_once_or_in_the_digest(&clock, &w, &smtp, &bob, thread, &ada).await;
        one_click_stops_mentions(&mentioned, &app, &ada, &bob, &clock, &w, &smtp).await;
        the_digest_has_the_rest(&coord, &bob, &clock, &w, &smtp).await;
        app.finish().await;
    }
}

/// Defaults: mentions and accepted answers at once, the rest in the digest; a made-up mode is
/// refused. Then bob mentions ada. Returns ada's thread.
async fn defaults_and_a_mention(ada: &Api, bob: &Api) -> i64 {
    let settings = ada.get("/api/v1/me/email").await;
    assert_eq!(settings.body["digest"], "weekly");
    assert_eq!(mode_of(&settings.body, "mention"), "immediate");
    assert_eq!(mode_of(&settings.body, "reply"), "digest");
    let bad = ada
        .put(
            "/api/v1/me/email",
            json!({"digest": "weekly", "notifications": [{"kind": "reply", "mode": "sometimes"}]}),
        )
        .await;
    assert_eq!(bad.status, 422, "{}", bad.text);
    let thread = ada
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Night checks", "body": "How do you do them?"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    bob.post(
        "/api/v1/communities/ipc/threads",
        json!({"title": "Audit forms", "body": "@ada has the template."}),
    )
    .await;
    thread
}

/// Not before the grace period; a reply waits for the digest unless she wants replies at once;
/// read on the site first, no e-mail. Returns the mention e-mail.
async fn at_once_or_in_the_digest(
    clock: &FixedClock,
    w: &Worker,
    smtp: &Smtp,
    bob: &Api,
    thread: i64,
    ada: &Api,
) -> Vec<Value> {
    clock.advance(MINUTE);
    w.tick().await.unwrap();
    assert!(mails(smtp, "mentioned you").is_empty());
    clock.advance(2 * MINUTE);
    w.tick().await.unwrap();
    w.tick().await.unwrap();
    let mentioned = mails(smtp, "mentioned you");
    assert_eq!(mentioned.len(), 1, "once");
    assert!(mentioned[0]["to"].as_str().unwrap().contains("<ada@"));
    assert!(
        mentioned[0]["text"]
            .as_str()
            .unwrap()
            .contains(&format!("{BASE}/t/"))
    );
    assert_eq!(
        mentioned[0]["list_unsubscribe_post"],
        "List-Unsubscribe=One-Click"
    );
    // A reply waits for the digest by default …
    bob.post(
        &format!("/api/v1/threads/{thread}/replies"),
        json!({"body": "We do them at 2 am."}),
    )
    .await;
    clock.advance(3 * MINUTE);
    w.tick().await.unwrap();
    assert!(mails(smtp, "replied to").is_empty());
    // … unless she wants replies at once.
    let set = ada
        .put(
            "/api/v1/me/email",
            json!({"digest": "weekly", "notifications": [{"kind": "reply", "mode": "immediate"}]}),
        )
        .await;
    assert_eq!(mode_of(&set.body, "reply"), "immediate", "{}", set.text);
    assert_eq!(
        mode_of(&set.body, "mention"),
        "immediate",
        "left out: the default"
    );
    bob.post(
        &format!("/api/v1/threads/{thread}/replies"),
        json!({"body": "And at 5 am."}),
    )
    .await;
    clock.advance(3 * MINUTE);
    w.tick().await.unwrap();
    assert_eq!(mails(smtp, "replied to").len(), 1);
    // Read on the site before the e-mail would go: no e-mail.
    bob.post(
        &format!("/api/v1/threads/{thread}/replies"),
        json!({"body": "Or never."}),
    )
    .await;
    assert_eq!(
        ada.post_empty("/api/v1/notifications/read").await.status,
        204
    );
    clock.advance(3 * MINUTE);
    w.tick().await.unwrap();
    assert_eq!(mails(smtp, "replied to").len(), 1, "seen on the site");
    mentioned
}

/// One click in the mention e-mail stops mention e-mails, without signing in.
async fn one_click_stops_mentions(
    mentioned: &[Value],
    app: &TestApp,
    ada: &Api,
    bob: &Api,
    clock: &FixedClock,
    w: &Worker,
    smtp: &Smtp,
) {
    let link = mentioned[0]["list_unsubscribe"]
        .as_str()
        .unwrap()
        .trim_matches(['<', '>', ' '])
        .trim_start_matches(BASE)
        .to_string();
    let r = reqwest::Client::new()
        .post(app.url(&link))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(
        mode_of(&ada.get("/api/v1/me/email").await.body, "mention"),
        "off"
    );
    bob.post(
        "/api/v1/communities/ipc/threads",
        json!({"title": "Again", "body": "@ada once more."}),
    )
    .await;
    clock.advance(3 * MINUTE);
    w.tick().await.unwrap();
    assert_eq!(
        mails(smtp, "mentioned you").len(),
        1,
        "mentions are off now"
    );
}

/// The digest carries the unread notifications of digest kinds: coord's reply.
async fn the_digest_has_the_rest(
    coord: &Api,
    bob: &Api,
    clock: &FixedClock,
    w: &Worker,
    smtp: &Smtp,
) {
    let coord_thread = coord
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Coordinators' corner", "body": "x"}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    bob.post(
        &format!("/api/v1/threads/{coord_thread}/replies"),
        json!({"body": "Hello."}),
    )
    .await;
    clock.set(MONDAY);
    w.tick().await.unwrap();
    let digest = mails(smtp, "weekly digest")
        .into_iter()
        .find(|m| m["to"].as_str().unwrap().contains("<coord@"))
        .expect("coord's digest");
    let text = digest["text"].as_str().unwrap();
    assert!(
        text.contains("For you:\n- @bob replied to Coordinators' corner"),
        "{text}"
    );
}

#[tokio::test]
async fn messages_are_emailed_unless_read_first() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let w = worker(&app.state, port, "a", None);
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let started = ada
            .post(
                "/api/v1/conversations",
                json!({"people": ["bob"], "subject": "Night checks", "body": "Can we talk?"}),
            )
            .await;
        assert_eq!(started.status, 201, "{}", started.text);
        let id = started.body["id"].as_i64().unwrap();
        w.tick().await.unwrap();
        assert!(
            mails(&smtp, "wrote to you in").is_empty(),
            "not before the grace period"
        );
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        let sent = mails(&smtp, "wrote to you in");
        assert_eq!(sent.len(), 1);
        assert!(
            sent[0]["to"].as_str().unwrap().contains("<bob@"),
            "not to its author"
        );
        assert!(
            sent[0]["text"]
                .as_str()
                .unwrap()
                .contains(&format!("{BASE}/conversations/{id}"))
        );
        read_first_off_or_in_the_digest(&ada, id, &bob, &clock, &w, &smtp).await;
        app.finish().await;
    }
}

/// Read on the site first: no e-mail.
async fn read_first_off_or_in_the_digest(
    ada: &Api,
    id: i64,
    bob: &Api,
    clock: &FixedClock,
    w: &Worker,
    smtp: &Smtp,
) {
    ada.post(
        &format!("/api/v1/conversations/{id}/messages"),
        json!({"body": "Tomorrow?"}),
    )
    .await;
    assert_eq!(
        bob.get(&format!("/api/v1/conversations/{id}")).await.status,
        200
    );
    clock.advance(3 * MINUTE);
    w.tick().await.unwrap();
    assert_eq!(
        mails(smtp, "wrote to you in").len(),
        1,
        "bob read it on the site"
    );
    // Messages off: nothing more.
    bob.put(
        "/api/v1/me/email",
        json!({"digest": "weekly", "notifications": [{"kind": "message", "mode": "off"}]}),
    )
    .await;
    ada.post(
        &format!("/api/v1/conversations/{id}/messages"),
        json!({"body": "Hello?"}),
    )
    .await;
    clock.advance(3 * MINUTE);
    w.tick().await.unwrap();
    assert_eq!(mails(smtp, "wrote to you in").len(), 1, "off");
    in_the_digest_not_at_once(bob, ada, id, clock, w, smtp).await;
}

/// In the digest: no e-mail of its own; the weekly digest counts what is unread.
async fn in_the_digest_not_at_once(
    bob: &Api,
    ada: &Api,
    id: i64,
    clock: &FixedClock,
    w: &Worker,
    smtp: &Smtp,
) {
    bob.put(
        "/api/v1/me/email",
        json!({"digest": "weekly", "notifications": [{"kind": "message", "mode": "digest"}]}),
    )
    .await;
    ada.post(
        &format!("/api/v1/conversations/{id}/messages"),
        json!({"body": "Still there?"}),
    )
    .await;
    clock.advance(3 * MINUTE);
    w.tick().await.unwrap();
    assert_eq!(
        mails(smtp, "wrote to you in").len(),
        1,
        "in the digest, not at once"
    );
    clock.set(MONDAY);
    w.tick().await.unwrap();
    let digests: Vec<Value> = caught(smtp)
        .into_iter()
        .filter(|m| m["subject"].as_str().unwrap().contains("weekly digest"))
        .collect();
    let bob_digest = digests
        .iter()
        .find(|m| m["to"].as_str().unwrap().contains("<bob@"))
        .expect("bob's digest");
    let text = bob_digest["text"].as_str().unwrap();
    assert!(
        text.contains(&format!(
            "For you:\n- 2 unread messages in Night checks\n  {BASE}/conversations/{id}"
        )),
        "{text}"
    );
    assert!(
        digests
            .iter()
            .filter(|m| m["to"].as_str().unwrap().contains("<ada@"))
            .all(|m| !m["text"].as_str().unwrap().contains("unread message")),
        "ada wrote them, and wants messages at once"
    );
}

#[tokio::test]
async fn new_circle_threads_reach_the_circles_members_as_they_choose() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let w = worker(&app.state, port, "a", None);
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let cat = app.api().person("cat").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &cat] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let circle = ada
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Ward 4B", "purpose": "Our ward.", "listed": false}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        ada.post(
            &format!("/api/v1/circles/{circle}/invitations"),
            json!({"handle": "bob"}),
        )
        .await;
        let r = bob
            .post(
                &format!("/api/v1/circles/{circle}/invitation"),
                json!({"accept": true}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
        bob_wants_them_at_once(&bob, &ada, circle, &cat, &clock, &w, &smtp).await;
        app.finish().await;
    }
}

/// Quiet by default (the digest); bob wants them at once.
async fn bob_wants_them_at_once(
    bob: &Api,
    ada: &Api,
    circle: i64,
    cat: &Api,
    clock: &FixedClock,
    w: &Worker,
    smtp: &Smtp,
) {
    assert_eq!(
        mode_of(&bob.get("/api/v1/me/email").await.body, "circle"),
        "digest"
    );
    let r = bob
        .put(
            "/api/v1/me/email",
            json!({"digest": "weekly", "notifications": [{"kind": "circle", "mode": "immediate"}]}),
        )
        .await;
    assert_eq!(mode_of(&r.body, "circle"), "immediate");
    let r = ada
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Handover notes cxcircle", "body": "x", "space": "circle", "circle": circle}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    assert_eq!(notification_kinds(bob).await, ["circle"]);
    assert!(
        notification_kinds(cat).await.is_empty(),
        "not in the circle"
    );
    assert!(notification_kinds(ada).await.is_empty(), "her own thread");
    clock.advance(3 * MINUTE);
    w.tick().await.unwrap();
    let mails: Vec<Value> = caught(smtp)
        .into_iter()
        .filter(|m| m["text"].as_str().unwrap_or("").contains("cxcircle"))
        .collect();
    assert_eq!(
        to_whom(&mails)
            .keys()
            .map(String::as_str)
            .collect::<Vec<_>>(),
        ["bob"]
    );
    assert!(
        mails[0]["subject"]
            .as_str()
            .unwrap()
            .contains("posted in your circle"),
        "{}",
        mails[0]["subject"]
    );
}

#[tokio::test]
async fn a_message_hidden_by_flags_before_its_email_is_not_emailed() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let w = worker(&app.state, port, "a", None);
        let coord = app.api().person("coord").await;
        coord.community("ipc", "public", true, "open").await;
        let settings = json!({"leaders_moderate": false, "flags_to_hide": 2});
        coord
            .put("/api/v1/communities/ipc/moderation/settings", settings)
            .await;
        let [ada, bob, cat] = [
            app.api().person("ada").await,
            app.api().person("bob").await,
            app.api().person("cat").await,
        ];
        for m in [&ada, &bob, &cat] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        let started = ada
            .post(
                "/api/v1/conversations",
                json!({"people": ["bob", "cat"], "subject": "Night checks", "body": "Hello"}),
            )
            .await;
        let id = started.body["id"].as_i64().unwrap();
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert_eq!(
            mails(&smtp, "wrote to you in").len(),
            2,
            "the first message goes out"
        );
        let sent = ada
            .post(
                &format!("/api/v1/conversations/{id}/messages"),
                json!({"body": "Rude words"}),
            )
            .await;
        let message = sent.body["id"].as_i64().unwrap();
        for who in [&bob, &cat] {
            let r = who
                .post(
                    &format!("/api/v1/messages/{message}/flags"),
                    json!({"reason": "inappropriate"}),
                )
                .await;
            assert_eq!(r.status, 201, "{}", r.text);
        }
        clock.advance(3 * MINUTE);
        w.tick().await.unwrap();
        assert_eq!(
            mails(&smtp, "wrote to you in").len(),
            2,
            "no e-mail tells of a message hidden before it went"
        );
        app.finish().await;
    }
}
