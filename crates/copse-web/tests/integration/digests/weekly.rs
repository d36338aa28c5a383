//! The weekly digest: each reader's share, the message's form, one-click unsubscribe.

use super::*;

#[tokio::test]
async fn weekly_digests_follow_the_policy_and_unsubscribe_stops_them() {
    for (app, clock) in apps().await {
        let Some((smtp, port)) = smtp().await else {
            return;
        };
        let coord = app.api().person("coord").await;
        let ada = app.api().person("ada").await;
        let bob = app.api().person("bob").await;
        let obs = app.api().person("obs").await;
        let cat = app.api().person("cat").await;
        let dan = app.api().person("dan").await;
        let rem = app.api().person("rem").await;
        let stranger = app.api().person("stranger").await;
        coord.community("ipc", "public", true, "open").await;
        for m in [&ada, &bob, &cat, &dan, &rem] {
            m.post_empty("/api/v1/communities/ipc/join").await;
        }
        obs.post_empty("/api/v1/communities/ipc/follow").await;
        let circle = everyone_chooses(&stranger, &cat, &dan, &bob, &coord, &ada).await;
        let members = a_week_of_activity(&clock, &coord, &ada, circle, &bob).await;

        clock.set(MONDAY);
        let w = worker(&app.state, port, "a", None);
        w.tick().await.unwrap();
        w.tick().await.unwrap();
        let messages = caught(&smtp);
        let ours: Vec<Value> = messages
            .iter()
            .filter(|m| m["subject"].as_str().unwrap().contains("weekly digest"))
            .cloned()
            .collect();
        let count = to_whom(&ours);
        assert_eq!(
            count.keys().map(String::as_str).collect::<Vec<_>>(),
            ["ada", "bob", "coord", "obs"],
            "cat is daily, dan off, rem removed, the stranger in no community: {count:?}"
        );
        assert!(count.values().all(|n| *n == 1), "one each: {count:?}");
        let ada_mail = each_reads_their_share(&ours);
        let unsubscribe = the_message_is_well_formed(&ada_mail, members, &ada).await;
        sent_once_and_unsubscribed_in_one_click(&w, &smtp, &messages, &app, &unsubscribe, &ada)
            .await;
        the_next_week(&clock, &coord, &w, &smtp).await;
        app.finish().await;
    }
}

/// Cadences (cat daily, dan none; a made-up one refused), bob's expertise and followed topic,
/// and a hidden circle of ada's. Returns the circle.
async fn everyone_chooses(
    stranger: &Api,
    cat: &Api,
    dan: &Api,
    bob: &Api,
    coord: &Api,
    ada: &Api,
) -> i64 {
    let _ = stranger;
    assert_eq!(
        cat.put("/api/v1/me/email", json!({"digest": "daily"}))
            .await
            .status,
        200
    );
    assert_eq!(
        dan.put("/api/v1/me/email", json!({"digest": "off"}))
            .await
            .status,
        200
    );
    assert_eq!(
        dan.put("/api/v1/me/email", json!({"digest": "hourly"}))
            .await
            .status,
        422
    );
    bob.patch("/api/v1/me", json!({"expertise": ["sepsis"]}))
        .await;
    coord
        .post(
            "/api/v1/communities/ipc/topics",
            json!({"slug": "audits", "name": "Audits"}),
        )
        .await;
    bob.post_empty("/api/v1/communities/ipc/topics/audits/follow")
        .await;
    ada.post(
        "/api/v1/communities/ipc/circles",
        json!({"name": "Ward 4B", "purpose": "Our ward.", "listed": false}),
    )
    .await
    .body["id"]
        .as_i64()
        .unwrap()
}

/// A week: threads in every space, two questions answered by ada (bob follows the first's
/// topic and replied to the second), a story, an event, and a member removed before sending.
async fn a_week_of_activity(
    clock: &FixedClock,
    coord: &Api,
    ada: &Api,
    circle: i64,
    bob: &Api,
) -> i64 {
    clock.advance(DAY);
    let public = coord
        .thread(
            "ipc",
            json!({"title": "Public dgpublic", "body": "x", "topics": ["audits"]}),
        )
        .await;
    let members = coord
        .thread(
            "ipc",
            json!({"title": "Members dgmembers", "body": "x", "space": "members"}),
        )
        .await;
    let in_circle = ada
        .thread(
            "ipc",
            json!({"title": "Circle dgcircle", "body": "x", "space": "circle", "circle": circle}),
        )
        .await;
    let question = coord.thread("ipc", json!({"title": "Sepsis screening at night dgquestion?", "body": "x", "kind": "question"})).await;
    let _ = (members, in_circle, question);
    two_questions_answered(coord, bob, ada).await;
    let story = coord
        .post(
            "/api/v1/communities/ipc/stories",
            json!({"happened": "x", "took": "dgstory checklist", "cycles": ["applied"], "credits": [format!("thread:{public}")]}),
        )
        .await;
    assert_eq!(story.status, 201, "{}", story.text);
    let event = coord
        .post(
            "/api/v1/communities/ipc/events",
            json!({"title": "Clinic dgevent", "time_zone": "UTC", "start": "2030-01-03T10:00", "end": "2030-01-03T11:00", "space": "members"}),
        )
        .await;
    assert_eq!(event.status, 201, "{}", event.text);
    // Removed between the activity and the sending: nothing goes to them.
    assert_eq!(
        coord
            .delete("/api/v1/communities/ipc/members/rem")
            .await
            .status,
        204
    );
    members
}

/// Two questions answered in the week: bob follows the first's topic and replied to
/// the second; ada wrote both accepted answers.
async fn two_questions_answered(coord: &Api, bob: &Api, ada: &Api) {
    let by_topic = coord.thread("ipc", json!({"title": "Glove changes dgbytopic?", "body": "x", "kind": "question", "topics": ["audits"]}),
    )
    .await;
    let by_reply = coord
        .thread(
            "ipc",
            json!({"title": "Hand rub dgbyreply?", "body": "x", "kind": "question"}),
        )
        .await;
    bob.post(
        &format!("/api/v1/threads/{by_reply}/replies"),
        json!({"body": "Following this one."}),
    )
    .await;
    for q in [by_topic, by_reply] {
        let answer = ada
            .post(
                &format!("/api/v1/threads/{q}/replies"),
                json!({"body": "Every two hours."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let r = coord
            .post(
                &format!("/api/v1/threads/{q}/accept"),
                json!({"reply_id": answer}),
            )
            .await;
        assert_eq!(r.status, 204, "{}", r.text);
    }
}

/// Everyone sees only what the policy lets them read. Returns ada's message.
fn each_reads_their_share(ours: &[Value]) -> Value {
    let ada_mail = mail_to(ours, "ada");
    let text = ada_mail["text"].as_str().unwrap();
    for word in ["dgpublic", "dgmembers", "dgquestion", "dgstory", "dgevent"] {
        assert!(text.contains(word), "ada's digest has {word}: {text}");
    }
    assert!(
        !text.contains("dgcircle"),
        "her own thread is not news to her"
    );
    assert!(text.contains("Say welcome to"), "members welcome newcomers");
    assert!(
        !text.contains("Answered questions"),
        "she wrote the answers: {text}"
    );
    let bob_mail = mail_to(ours, "bob");
    let text = bob_mail["text"].as_str().unwrap();
    assert!(!text.contains("dgcircle"), "not in the circle");
    assert!(text.contains("in a topic you follow"));
    assert!(
        text.contains("Answered questions you follow:\n- Hand rub dgbyreply?")
            && text.contains("- Glove changes dgbytopic?\n  https://copse.example/t/"),
        "{text}"
    );
    assert!(
        text.contains("Questions you could answer:\n- Sepsis screening at night dgquestion?"),
        "{text}"
    );
    let obs_text = mail_to(ours, "obs")["text"].as_str().unwrap().to_string();
    assert!(obs_text.contains("dgpublic"));
    for word in ["dgmembers", "dgcircle", "dgevent", "dgstory", "Say welcome"] {
        assert!(
            !obs_text.contains(word),
            "observers read public spaces only: {word}"
        );
    }
    ada_mail
}

/// The message: text and HTML alternatives, RFC 8058 headers, working links.
async fn the_message_is_well_formed(ada_mail: &Value, members: i64, ada: &Api) -> String {
    assert_eq!(
        ada_mail["structure"],
        json!({"multipart/alternative": ["text/plain", "text/html"]})
    );
    assert_eq!(
        ada_mail["list_unsubscribe_post"],
        "List-Unsubscribe=One-Click"
    );
    let unsubscribe = ada_mail["list_unsubscribe"]
        .as_str()
        .unwrap()
        .trim_matches(['<', '>', ' '])
        .to_string();
    assert!(
        unsubscribe.starts_with(&format!("{BASE}/unsubscribe/")),
        "{unsubscribe}"
    );
    let links: Vec<&str> = ada_mail["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(links.iter().all(|l| l.starts_with(BASE)), "{links:?}");
    let thread_link = links
        .iter()
        .find(|l| l.ends_with(&format!("/t/{members}")))
        .expect("a link to the members thread");
    let path = thread_link.trim_start_matches(BASE);
    assert_eq!(
        ada.get(&format!("/api/v1/threads/{}", &path[3..]))
            .await
            .status,
        200
    );
    assert!(ada_mail["html"].as_str().unwrap().contains("<table"));
    assert!(!ada_mail["html"].as_str().unwrap().contains("<script"));

    unsubscribe
}

/// Running again sends nothing more; one-click unsubscribe (as a mail client does it: no
/// session, no Origin) stops ada's digests.
async fn sent_once_and_unsubscribed_in_one_click(
    w: &Worker,
    smtp: &Smtp,
    messages: &[Value],
    app: &TestApp,
    unsubscribe: &str,
    ada: &Api,
) {
    w.tick().await.unwrap();
    assert_eq!(caught(smtp).len(), messages.len());

    // One-click unsubscribe, as a mail client does it: no session, no Origin.
    let r = reqwest::Client::new()
        .post(app.url(unsubscribe.trim_start_matches(BASE)))
        .form(&[("List-Unsubscribe", "One-Click")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(ada.get("/api/v1/me/email").await.body["digest"], "off");
}

/// The next week: bob gets his next digest, ada none; cat her daily one.
async fn the_next_week(clock: &FixedClock, coord: &Api, w: &Worker, smtp: &Smtp) {
    clock.set(MONDAY + 6 * DAY + 12 * 3_600_000);
    coord
        .thread("ipc", json!({"title": "Next week dgnext", "body": "x"}))
        .await;
    clock.set(MONDAY + 7 * DAY);
    w.tick().await.unwrap();
    let next: Vec<Value> = caught(smtp)
        .into_iter()
        .filter(|m| m["text"].as_str().unwrap_or("").contains("dgnext"))
        .collect();
    let count = to_whom(&next);
    assert!(
        count.contains_key("bob") && !count.contains_key("ada"),
        "{count:?}"
    );
    // The daily digest went to cat, on her cadence.
    assert!(
        caught(smtp)
            .iter()
            .any(|m| m["to"].as_str().unwrap().contains("<cat@")
                && m["subject"].as_str().unwrap().contains("daily digest"))
    );
}
