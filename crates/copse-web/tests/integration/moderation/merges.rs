//! Merging a duplicate question into another: its opening post and replies move there, its old
//! addresses (page and API) lead there with 308, and only the community's moderators may do it.

use super::*;

#[tokio::test]
async fn a_duplicate_merged_into_another_leads_there() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob"]).await;
        let (ada, bob) = (&m[0], &m[1]);
        let ask = |who: &Api, title: &'static str| {
            let who = who.clone();
            async move {
                who.thread(
                    "ipc",
                    json!({"title": title, "body": "How often?", "kind": "question"}),
                )
                .await
            }
        };
        let original = ask(ada, "How often do you audit hand hygiene?").await;
        let duplicate = ask(bob, "Hand hygiene audit frequency?").await;
        reply(ada, duplicate, "Monthly on our ward.").await;
        let merge = json!({"action": "merge", "into": original, "reason": "Same question"});
        let path = format!("/api/v1/threads/{duplicate}/moderation");
        assert_eq!(
            bob.post(&path, merge.clone()).await.status,
            403,
            "members do not merge"
        );
        let other = app.api().person("other").await;
        other.community("wound", "public", true, "open").await;
        let elsewhere = other
            .thread(
                "wound",
                json!({"title": "Another community's", "body": "x"}),
            )
            .await;
        let across = coord
            .post(&path, json!({"action": "merge", "into": elsewhere}))
            .await;
        assert_eq!(across.status, 422, "{}", across.text);
        let merged = coord.post(&path, merge).await;
        assert_eq!(
            (merged.status, merged.body["id"].clone()),
            (200, json!(original)),
            "{}",
            merged.text
        );

        the_old_addresses_lead_there(&app, bob, duplicate, original).await;
        let log = bob.get("/api/v1/communities/ipc/moderation/log").await;
        assert_eq!(
            (
                log.body[0]["action"].clone(),
                log.body[0]["target_id"].clone()
            ),
            (json!("merge"), json!(original))
        );
        app.finish().await;
    }
}

/// The duplicate's opening and replies are in the original; its page and API addresses answer
/// 308 to the original's.
async fn the_old_addresses_lead_there(app: &TestApp, bob: &Api, duplicate: i64, original: i64) {
    let thread = bob.get(&format!("/api/v1/threads/{original}")).await;
    let bodies: Vec<&str> = thread.body["replies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["body"].as_str().unwrap())
        .collect();
    assert!(bodies.contains(&"Monthly on our ward."), "{bodies:?}");
    assert!(
        bodies
            .iter()
            .any(|b| b.contains("Hand hygiene audit frequency?")),
        "the duplicate's opening is kept: {bodies:?}"
    );
    assert_eq!(thread.body["reply_count"], 2);
    let no_redirects = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let old = no_redirects
        .get(format!("{}/api/v1/threads/{duplicate}", bob.base))
        .bearer_auth(bob.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(old.status(), 308);
    assert_eq!(
        old.headers()["location"],
        format!("/api/v1/threads/{original}").as_str()
    );
    let page = app
        .browser()
        .get(app.url(&format!("/t/{duplicate}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 308, "the old page address too");
    assert_eq!(
        page.headers()["location"],
        format!("/t/{original}").as_str()
    );
    assert_eq!(
        bob.get("/api/v1/threads/999999").await.status,
        404,
        "a missing thread stays missing"
    );
}
