//! Moving a thread to another community the moderator also moderates (its flags and ledger
//! follow it, both logs say so), and splitting replies off into a new thread — through the API
//! and the page's form; whoever may not do it changes nothing.

use super::*;

/// The thread as `who` reads it through the API.
async fn thread_seen(who: &Api, id: i64) -> Value {
    let t = who.get(&format!("/api/v1/threads/{id}")).await;
    assert_eq!(t.status, 200, "{}", t.text);
    t.body
}

#[tokio::test]
async fn a_thread_moves_to_another_community_its_moderator_runs() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob"]).await;
        let (ada, bob) = (&m[0], &m[1]);
        coord.community("other", "public", true, "open").await;
        let olga = app.api().person("olga").await;
        olga.community("far", "public", true, "open").await;
        let id = ada
            .thread(
                "ipc",
                json!({"title": "Dog grooming tips", "body": "Off topic here"}),
            )
            .await;
        let answer = reply(bob, id, "Brush daily").await;
        let flagged = ada
            .post(&format!("/api/v1/replies/{answer}/flags"), flag("spam"))
            .await;
        assert_eq!(flagged.status, 201, "{}", flagged.text);
        let path = format!("/api/v1/threads/{id}/moderation");
        let to = |slug: &str| json!({"action": "move", "to": slug, "reason": "Belongs there"});
        for (who, slug, status, why) in [
            (ada, "other", 403, "members do not move threads"),
            (
                &olga,
                "far",
                403,
                "a coordinator of another community has no power here",
            ),
            (
                &coord,
                "far",
                422,
                "only to a community the mover moderates",
            ),
            (&coord, "ipc", 422, "not to where it is"),
        ] {
            let r = who.post(&path, to(slug)).await;
            assert_eq!(r.status, status, "{why}: {}", r.text);
            assert_eq!(
                thread_seen(bob, id).await["community"],
                "ipc",
                "{why}: nothing moved"
            );
        }
        let moved = coord.post(&path, to("other")).await;
        assert_eq!(
            (moved.status, &moved.body["community"]),
            (200, &json!("other")),
            "{}",
            moved.text
        );
        it_is_where_it_moved(&coord, bob, answer).await;
        app.finish().await;
    }
}

/// Listed, queued and logged where it now is.
async fn it_is_where_it_moved(coord: &Api, bob: &Api, answer: i64) {
    let listed = |slug: &'static str| {
        let bob = bob.clone();
        async move {
            let l = bob
                .get(&format!("/api/v1/communities/{slug}/threads"))
                .await;
            l.text.contains("Dog grooming tips")
        }
    };
    assert!(
        !listed("ipc").await && listed("other").await,
        "listed where it now is"
    );
    let queue = |slug: &str| format!("/api/v1/communities/{slug}/moderation/queue");
    let in_queue = |r: Reply| r.body.as_array().unwrap().iter().any(|i| i["id"] == answer);
    assert!(
        in_queue(coord.get(&queue("other")).await),
        "its flags follow it"
    );
    assert!(!in_queue(coord.get(&queue("ipc")).await));
    for slug in ["ipc", "other"] {
        let log = coord
            .get(&format!("/api/v1/communities/{slug}/moderation/log"))
            .await;
        assert!(
            log.text.contains("\"move\""),
            "{slug}'s log says so: {}",
            log.text
        );
    }
}

#[tokio::test]
async fn replies_split_off_into_a_new_thread() {
    for app in apps().await {
        let (coord, m) = community_of(&app, &["ada", "bob", "cat"]).await;
        let (ada, bob, cat) = (&m[0], &m[1], &m[2]);
        let id = ada
            .thread(
                "ipc",
                json!({"title": "Hand rub audits", "body": "How often?", "kind": "question"}),
            )
            .await;
        let aside = reply(bob, id, "By the way, which gloves do you buy?").await;
        let answer = reply(cat, id, "Monthly, on every ward.").await;
        let follow = reply(cat, id, "We use nitrile ones.").await;
        let path = format!("/api/v1/threads/{id}/moderation");
        let split = |replies: Value, title: &str| json!({"action": "split", "replies": replies, "title": title});
        for (who, body, status, why) in [
            (
                bob,
                split(json!([aside]), "Gloves"),
                403,
                "members do not split",
            ),
            (
                &coord,
                split(json!([]), "Gloves"),
                422,
                "at least one reply",
            ),
            (
                &coord,
                split(json!([aside, 999_999]), "Gloves"),
                422,
                "only this thread's replies",
            ),
            (&coord, split(json!([aside]), "G"), 422, "a real title"),
        ] {
            let r = who.post(&path, body).await;
            assert_eq!(r.status, status, "{why}: {}", r.text);
            assert_eq!(
                thread_seen(cat, id).await["replies"]
                    .as_array()
                    .unwrap()
                    .len(),
                3,
                "{why}"
            );
        }
        let r = coord
            .post(&path, split(json!([follow, aside]), "Which gloves?"))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let new = r.body["id"].as_i64().unwrap();
        let t = thread_seen(cat, new).await;
        assert_eq!(
            (t["title"].clone(), t["author"]["handle"].clone()),
            (json!("Which gloves?"), json!("bob"))
        );
        assert_eq!(
            t["body"], "By the way, which gloves do you buy?",
            "the oldest opens it"
        );
        let moved: Vec<i64> = t["replies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(moved, vec![follow]);
        let old = thread_seen(cat, id).await;
        let left: Vec<i64> = old["replies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        assert_eq!(left, vec![answer], "the rest stays");
        a_page_form_splits_too(&app, &coord, id, answer).await;
        app.finish().await;
    }
}

/// The thread page's form: the ticked replies (`reply-<id>`) and a title.
async fn a_page_form_splits_too(app: &TestApp, coord: &Api, id: i64, answer: i64) {
    let page = app.signed_in("coord@example.org").await;
    let html = page
        .get(app.url(&format!("/t/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        html.contains(&format!("name=\"reply-{answer}\"")) && html.contains("Split the ticked"),
        "{html}"
    );
    let r = page
        .post(app.url(&format!("/t/{id}/split")))
        .form(&[
            ("title", "Audit frequency"),
            (format!("reply-{answer}").as_str(), "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let to = r.headers()["location"].to_str().unwrap().to_string();
    assert!(
        to.starts_with("/t/") && !to.starts_with(&format!("/t/{id}?")),
        "to the new thread: {to}"
    );
    let old = thread_seen(coord, id).await;
    assert_eq!(old["replies"].as_array().unwrap().len(), 0, "{old}");
}
