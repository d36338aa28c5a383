//! Posting limits on the product's defaults: a new account trying 30 threads in a minute is
//! stopped with 429 and Retry-After (the page says so too), links are limited in its first
//! day, and the digest holds none of what was refused or hidden.

use super::*;

/// Wednesday 2029-12-26, 12:00 UTC.
const START: i64 = 1_892_980_800_000;
/// Monday 2029-12-31, 08:00 UTC: the weekly digest of the week before is due.
const MONDAY: i64 = 1_893_398_400_000;

#[tokio::test]
async fn a_flood_from_a_new_account_is_limited_and_kept_out_of_the_digest() {
    for (app, clock) in mail_apps_with(START, |c| {
        c.posting = copse_app::moderation::PostingLimits::default()
    })
    .await
    {
        let (coord, m) = community_of(&app, &["ada", "spam"]).await;
        let spammer = &m[1];
        coord
            .thread(
                "ipc",
                json!({"title": "Welcome week zzwelcome", "body": "Hello all"}),
            )
            .await;
        let many_links = spammer
            .post("/api/v1/communities/ipc/threads", json!({"title": "Deals", "body": "https://a.example https://b.example https://c.example"}))
            .await;
        assert_eq!(many_links.status, 422, "{}", many_links.text);
        let mut statuses = Vec::new();
        for i in 0..30 {
            let r = spammer
                .post("/api/v1/communities/ipc/threads", json!({"title": format!("Cheap pills zzflood{i}"), "body": "https://pills.example"}))
                .await;
            statuses.push(r.status);
            clock.advance(1_000);
        }
        assert_eq!(
            statuses.iter().filter(|s| **s == 201).count(),
            3,
            "{statuses:?}"
        );
        assert_eq!(
            statuses.iter().filter(|s| **s == 429).count(),
            27,
            "{statuses:?}"
        );
        let raw = spammer
            .http
            .post(format!("{}/api/v1/communities/ipc/threads", spammer.base))
            .bearer_auth(spammer.token.as_deref().unwrap())
            .json(&json!({"title": "One more", "body": "x"}))
            .send()
            .await
            .unwrap();
        assert_eq!(raw.status(), 429);
        let retry: i64 = raw.headers()["retry-after"]
            .to_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!(
            (3_500..=3_600).contains(&retry),
            "the oldest leaves the hour in about an hour: {retry}"
        );
        let page = app.signed_in("spam@example.org").await;
        let form = page
            .post(app.url("/c/ipc/threads/new"))
            .form(&[
                ("title", "Via the form"),
                ("body", "x"),
                ("kind", "discussion"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(form.status(), 429);
        let html = form.text().await.unwrap();
        assert!(html.contains("Try again in"), "the page says when: {html}");
        the_digest_holds_none_of_it(&app, &clock, &coord).await;
        app.finish().await;
    }
}

/// A moderator hides one of the three that got through; the digest shows the two others and
/// the welcome thread, and none of the refused or the hidden.
async fn the_digest_holds_none_of_it(
    app: &TestApp,
    clock: &copse_core::clock::FixedClock,
    coord: &Api,
) {
    let Some((smtp, port)) = smtp().await else {
        return;
    };
    let list = coord.get("/api/v1/communities/ipc/threads?limit=200").await;
    let hide = list.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["title"] == "Cheap pills zzflood1")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = coord
        .post(
            &format!("/api/v1/threads/{hide}/moderation"),
            json!({"action": "hide", "reason": "spam"}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
    clock.set(MONDAY);
    let w = worker(&app.state, port, "a", None);
    w.tick().await.unwrap();
    w.tick().await.unwrap();
    let messages = caught(&smtp);
    let digest = messages
        .iter()
        .find(|m| {
            m["subject"].as_str().unwrap().contains("weekly digest")
                && m["to"].as_str().unwrap_or("").contains("ada")
        })
        .unwrap_or_else(|| panic!("ada's digest: {messages:?}"));
    let text = digest.to_string();
    for shown in ["zzwelcome", "zzflood0", "zzflood2"] {
        assert!(text.contains(shown), "{shown} is in the digest: {text}");
    }
    for absent in ["zzflood1", "zzflood3", "zzflood29", "Deals", "Via the form"] {
        assert!(!text.contains(absent), "{absent} is not: {text}");
    }
}

#[tokio::test]
async fn messages_and_stories_are_limited_too() {
    for (app, clock) in mail_apps_with(START, |c| {
        c.posting = copse_app::moderation::PostingLimits::default()
    })
    .await
    {
        let (_, m) = community_of(&app, &["ada", "spam"]).await;
        let spammer = &m[1];
        let c = spammer
            .post(
                "/api/v1/conversations",
                json!({"people": ["ada"], "subject": "Deals", "body": "Hello"}),
            )
            .await;
        assert_eq!(c.status, 201, "{}", c.text);
        let path = format!("/api/v1/conversations/{}/messages", c.body["id"]);
        let mut sent = Vec::new();
        for i in 0..12 {
            sent.push(
                spammer
                    .post(&path, json!({"body": format!("Buy {i}")}))
                    .await
                    .status,
            );
            clock.advance(1_000);
        }
        // The first message started the conversation: nine more fit in a new account's hour.
        let expected: Vec<u16> = [vec![201; 9], vec![429; 3]].concat();
        assert_eq!(sent, expected, "messages: {sent:?}");
        let story = json!({"happened": "Spam", "took": "Spam", "cycles": ["immediate"]});
        let mut told = Vec::new();
        for _ in 0..4 {
            let r = spammer
                .post("/api/v1/communities/ipc/stories", story.clone())
                .await;
            told.push(r.status);
        }
        assert_eq!(told, vec![201, 201, 429, 429], "stories: {told:?}");
        clock.advance(copse_core::clock::HOUR + 1_000);
        let later = spammer.post(&path, json!({"body": "An hour later"})).await;
        assert_eq!(later.status, 201, "the window moves on: {}", later.text);
        app.finish().await;
    }
}
