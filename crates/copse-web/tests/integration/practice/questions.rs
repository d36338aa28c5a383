//! Questions and answers: ask, answer, accept, mark helpful; members-only threads; the pages.

use super::*;

#[tokio::test]
async fn ask_answer_accept_and_mark_helpful() {
    for app in apps().await {
        let (coord, ada, bob, obs) = setup(&app).await;
        let t = coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "hand-hygiene", "name": "Hand hygiene"}),
            )
            .await;
        assert_eq!(t.status, 201, "{}", t.text);
        assert_eq!(
            ada.post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "x1", "name": "X1"})
            )
            .await
            .status,
            403
        );

        let q = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"kind": "question", "title": "How do you run hand hygiene audits?",
                       "body": "We audit **monthly**. <script>alert(1)</script>", "topics": ["hand-hygiene"]}),
            )
            .await;
        assert_eq!(q.status, 201, "{}", q.text);
        let id = q.body["id"].as_i64().unwrap();
        assert_eq!(q.body["topics"][0]["slug"], "hand-hygiene");
        let (r1, r2) =
            observers_read_and_anonymous_readers_see_public_threads(&obs, id, &app, &bob, &coord)
                .await;
        only_the_asker_accepts(&bob, id, r1, &app, &ada).await;
        helpful_once_never_your_own(&ada, r1, &bob, &obs, id, r2).await;
        answered_and_unanswered(&ada, &app).await;
        app.finish().await;
    }
}

/// Observers read but do not post; anonymous readers read public threads. Returns the two
/// replies (bob's, then coord's).
async fn observers_read_and_anonymous_readers_see_public_threads(
    obs: &Api,
    id: i64,
    app: &TestApp,
    bob: &Api,
    coord: &Api,
) -> (i64, i64) {
    let obs_post = obs
        .post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Hello there", "body": "x"}),
        )
        .await;
    assert_eq!(obs_post.status, 403);
    assert_eq!(
        obs.post(
            &format!("/api/v1/threads/{id}/replies"),
            json!({"body": "me too"})
        )
        .await
        .status,
        403
    );
    let anon = app.api().get(&format!("/api/v1/threads/{id}")).await;
    assert_eq!(anon.status, 200);
    assert!(
        anon.body["body_html"]
            .as_str()
            .unwrap()
            .contains("<strong>monthly</strong>")
    );
    assert!(
        !anon.body["body_html"].as_str().unwrap().contains("<script"),
        "the rendering is sanitized"
    );

    let r1 = bob
        .post(
            &format!("/api/v1/threads/{id}/replies"),
            json!({"body": "We use the WHO five moments."}),
        )
        .await;
    assert_eq!(r1.status, 201);
    let r1 = r1.body["id"].as_i64().unwrap();
    let r2 = coord
        .post(
            &format!("/api/v1/threads/{id}/replies"),
            json!({"body": "Seconded.", "quote": r1}),
        )
        .await
        .body["id"]
        .as_i64()
        .unwrap();
    (r1, r2)
}

/// Only the asker (or a coordinator) accepts.
async fn only_the_asker_accepts(bob: &Api, id: i64, r1: i64, app: &TestApp, ada: &Api) {
    assert_eq!(
        bob.post(
            &format!("/api/v1/threads/{id}/accept"),
            json!({"reply_id": r1})
        )
        .await
        .status,
        403
    );
    assert_eq!(
        app.api()
            .post(
                &format!("/api/v1/threads/{id}/accept"),
                json!({"reply_id": r1})
            )
            .await
            .status,
        401
    );
    assert_eq!(
        ada.post(
            &format!("/api/v1/threads/{id}/accept"),
            json!({"reply_id": r1})
        )
        .await
        .status,
        204
    );
    assert_eq!(
        ada.post(
            &format!("/api/v1/threads/{id}/accept"),
            json!({"reply_id": 999999})
        )
        .await
        .status,
        422
    );
}

/// Helpful: once per member, never your own.
async fn helpful_once_never_your_own(ada: &Api, r1: i64, bob: &Api, obs: &Api, id: i64, r2: i64) {
    assert_eq!(
        ada.post_empty(&format!("/api/v1/replies/{r1}/helpful"))
            .await
            .status,
        204
    );
    assert_eq!(
        ada.post_empty(&format!("/api/v1/replies/{r1}/helpful"))
            .await
            .status,
        204
    );
    assert_eq!(
        bob.post_empty(&format!("/api/v1/replies/{r1}/helpful"))
            .await
            .status,
        403
    );
    assert_eq!(
        obs.post_empty(&format!("/api/v1/replies/{r1}/helpful"))
            .await
            .status,
        403
    );
    let full = ada.get(&format!("/api/v1/threads/{id}")).await;
    assert_eq!(full.body["accepted_reply_id"], r1);
    let replies = full.body["replies"].as_array().unwrap();
    assert_eq!(
        (
            replies[0]["helpful"].as_i64(),
            replies[0]["accepted"].as_bool()
        ),
        (Some(1), Some(true))
    );
    assert_eq!(replies[1]["quoted"]["author"], "bob");
    assert_eq!(replies[1]["id"], r2);
}

/// Filters: answered and unanswered questions.
async fn answered_and_unanswered(ada: &Api, app: &TestApp) {
    ada.post(
        "/api/v1/communities/ipc/threads",
        json!({"kind": "question", "title": "Open question?", "body": "Anyone?"}),
    )
    .await;
    let unanswered = app
        .api()
        .get("/api/v1/communities/ipc/threads?status=unanswered")
        .await;
    let titles: Vec<&str> = unanswered.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Open question?"]);
    let answered = app
        .api()
        .get("/api/v1/communities/ipc/threads?status=answered&topic=hand-hygiene")
        .await;
    assert_eq!(answered.body["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        app.api()
            .get("/api/v1/communities/ipc/threads?status=maybe")
            .await
            .status,
        422
    );
    assert_eq!(
        app.api()
            .get("/api/v1/communities/ipc/threads?cursor=nonsense")
            .await
            .status,
        400
    );
}

#[tokio::test]
async fn members_only_threads_are_invisible_outside() {
    for app in apps().await {
        let (coord, ada, _bob, obs) = setup(&app).await;
        let secret = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"space": "members", "title": "Our ward's outbreak", "body": "MARKER-members-only"}),
            )
            .await;
        let id = secret.body["id"].as_i64().unwrap();
        let missing = app.api().get("/api/v1/threads/999999").await;
        for reader in [app.api(), obs.clone(), app.api().person("stranger").await] {
            let r = reader.get(&format!("/api/v1/threads/{id}")).await;
            assert_eq!((r.status, &r.text), (404, &missing.text));
            let list = reader.get("/api/v1/communities/ipc/threads").await;
            assert!(!list.text.contains("MARKER"), "lists never show it");
            assert_eq!(
                reader
                    .post(
                        &format!("/api/v1/threads/{id}/replies"),
                        json!({"body": "x"})
                    )
                    .await
                    .status,
                // Anonymous writes are refused before anything is looked up.
                if reader.token.is_none() { 401 } else { 404 }
            );
        }
        let page = app
            .browser()
            .get(app.url(&format!("/t/{id}")))
            .send()
            .await
            .unwrap();
        assert_eq!(page.status(), 404);
        assert!(!page.text().await.unwrap().contains("MARKER"));
        assert_eq!(
            coord.get(&format!("/api/v1/threads/{id}")).await.status,
            200
        );
        assert!(
            coord
                .get("/api/v1/communities/ipc/threads")
                .await
                .text
                .contains("MARKER")
        );
        // A member who leaves loses access at once.
        assert_eq!(
            ada.post_empty("/api/v1/communities/ipc/leave").await.status,
            204
        );
        assert_eq!(ada.get(&format!("/api/v1/threads/{id}")).await.status, 404);
        app.finish().await;
    }
}

#[tokio::test]
async fn thread_pages_post_reply_and_accept() {
    for app in apps().await {
        let (_coord, _ada, bob, _obs) = setup(&app).await;
        let browser = app.browser();
        let signin = browser
            .post(app.url("/signin"))
            .form(&[("email", "ada@example.org"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(signin.status(), 303);
        let posted = browser
            .post(app.url("/c/ipc/threads/new"))
            .form(&[
                ("kind", "question"),
                ("space", "public"),
                ("title", "Alcohol rub or soap?"),
                ("body", "When do you *prefer* soap?"),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 303);
        let location = posted.headers()["location"].to_str().unwrap().to_string();
        let id: i64 = location.trim_start_matches("/t/").parse().unwrap();
        let reply = bob
            .post(
                &format!("/api/v1/threads/{id}/replies"),
                json!({"body": "Soap for C. diff."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let accept = browser
            .post(app.url(&format!("/t/{id}/accept")))
            .form(&[("reply_id", reply.to_string())])
            .send()
            .await
            .unwrap();
        assert_eq!(accept.status(), 303);
        let page = browser
            .get(app.url(&format!("/t/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Accepted answer") && page.contains("Soap for C. diff."));
        assert!(page.contains("<em>prefer</em>"));
        let empty = browser
            .post(app.url(&format!("/t/{id}/replies")))
            .form(&[("body", "   ")])
            .send()
            .await
            .unwrap();
        assert_eq!(empty.status(), 422);
        let list = browser
            .get(app.url("/c/ipc/threads?status=answered"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(list.contains("Alcohol rub or soap?"));
        app.finish().await;
    }
}
