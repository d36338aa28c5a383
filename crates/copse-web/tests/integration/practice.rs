//! Threads, replies, answers and topics through HTTP, on every backend under test. Each allowed
//! case is paired with the refused one.

use crate::common::*;
use serde_json::json;

async fn setup(app: &TestApp) -> (Api, Api, Api, Api) {
    let coord = app.api().person("coord").await;
    let ada = app.api().person("ada").await;
    let bob = app.api().person("bob").await;
    let obs = app.api().person("obs").await;
    coord.community("ipc", "public", true, "open").await;
    assert_eq!(
        ada.post_empty("/api/v1/communities/ipc/join").await.status,
        200
    );
    assert_eq!(
        bob.post_empty("/api/v1/communities/ipc/join").await.status,
        200
    );
    assert_eq!(
        obs.post_empty("/api/v1/communities/ipc/follow")
            .await
            .status,
        204
    );
    (coord, ada, bob, obs)
}

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
        // Observers read but do not post; anonymous readers read public threads.
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
        // Only the asker (or a coordinator) accepts.
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

        // Helpful: once per member, never your own.
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

        // Filters: answered and unanswered questions.
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
        app.finish().await;
    }
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
async fn edits_keep_history_and_deletion_removes_text() {
    for app in apps().await {
        let (coord, ada, bob, _obs) = setup(&app).await;
        let id = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Gloves policy", "body": "First version"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            bob.patch(
                &format!("/api/v1/threads/{id}"),
                json!({"body": "Hijacked"})
            )
            .await
            .status,
            403
        );
        let edited = ada
            .patch(
                &format!("/api/v1/threads/{id}"),
                json!({"body": "Second version"}),
            )
            .await;
        assert_eq!(edited.status, 200);
        assert!(edited.body["edited_at"].is_string());
        let versions = app.db.store.edits(id, None).await.unwrap();
        assert_eq!(versions[0].body, "First version");
        assert_eq!(
            ada.patch(&format!("/api/v1/threads/{id}"), json!({"canonical": true}))
                .await
                .status,
            403
        );
        assert_eq!(
            coord
                .patch(&format!("/api/v1/threads/{id}"), json!({"canonical": true}))
                .await
                .body["canonical"],
            true
        );
        let library = app
            .api()
            .get("/api/v1/communities/ipc/threads?library=true")
            .await;
        assert_eq!(library.body["items"].as_array().unwrap().len(), 1);

        let r = bob
            .post(
                &format!("/api/v1/threads/{id}/replies"),
                json!({"body": "REPLY-MARKER text"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        assert_eq!(
            ada.delete(&format!("/api/v1/replies/{r}")).await.status,
            403,
            "not the author"
        );
        assert_eq!(
            bob.patch(
                &format!("/api/v1/replies/{r}"),
                json!({"body": "REPLY-MARKER v2"})
            )
            .await
            .status,
            204
        );
        assert_eq!(
            coord.delete(&format!("/api/v1/replies/{r}")).await.status,
            204,
            "coordinators moderate"
        );
        let view = app.api().get(&format!("/api/v1/threads/{id}")).await;
        assert_eq!(view.body["replies"][0]["deleted"], true);
        assert!(!view.text.contains("REPLY-MARKER"), "the text is gone");
        let page = app
            .browser()
            .get(app.url(&format!("/t/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("This reply was deleted.") && !page.contains("REPLY-MARKER"));
        assert_eq!(
            bob.delete(&format!("/api/v1/threads/{id}")).await.status,
            403
        );
        assert_eq!(
            ada.delete(&format!("/api/v1/threads/{id}")).await.status,
            204
        );
        assert_eq!(
            app.api().get(&format!("/api/v1/threads/{id}")).await.status,
            404
        );

        // Bad input: over-long bodies, bad links, unknown topics, announcements by members.
        let big = "x".repeat(64 * 1024 + 1);
        let r = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Too long", "body": big}),
            )
            .await;
        assert_eq!(
            (r.status, r.body["error"]["field"].as_str()),
            (422, Some("body"))
        );
        let r = ada.post("/api/v1/communities/ipc/threads", json!({"kind": "resource", "title": "A link", "body": "b", "link": "javascript:alert(1)"})).await;
        assert_eq!(r.body["error"]["field"], "link");
        let r = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Tagged", "body": "b", "topics": ["nope"]}),
            )
            .await;
        assert_eq!(r.body["error"]["field"], "topics");
        assert_eq!(
            ada.post(
                "/api/v1/communities/ipc/threads",
                json!({"kind": "announcement", "title": "News!", "body": "b"})
            )
            .await
            .status,
            403
        );
        assert_eq!(
            coord
                .post(
                    "/api/v1/communities/ipc/threads",
                    json!({"kind": "announcement", "title": "News!", "body": "b"})
                )
                .await
                .status,
            201
        );
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

#[tokio::test]
async fn search_returns_only_what_the_reader_may_read() {
    for app in apps().await {
        let (coord, ada, _bob, obs) = setup(&app).await;
        ada.post(
            "/api/v1/communities/ipc/threads",
            json!({"kind": "question", "title": "Chlorhexidine wipes for line care?", "body": "Do you use chlorhexidine daily?"}),
        )
        .await;
        ada.post(
            "/api/v1/communities/ipc/threads",
            json!({"space": "members", "title": "Chlorhexidine incident SECRETMARK", "body": "Internal chlorhexidine review"}),
        )
        .await;
        let hits = |r: &Reply| {
            r.body["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["title"].as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        };
        let anon = app.api().get("/api/v1/search?q=chlorhexidine").await;
        assert_eq!(anon.status, 200, "{}", anon.text);
        assert_eq!(hits(&anon), vec!["Chlorhexidine wipes for line care?"]);
        assert!(
            anon.body["items"][0]["snippet_html"]
                .as_str()
                .unwrap()
                .contains("<mark>")
        );
        assert!(!anon.text.contains("SECRETMARK"));
        assert!(
            !obs.get("/api/v1/search?q=chlorhexidine")
                .await
                .text
                .contains("SECRETMARK")
        );
        assert!(
            !app.api()
                .get("/api/v1/search?q=secretmark")
                .await
                .text
                .contains("SECRETMARK")
        );
        assert_eq!(
            hits(&coord.get("/api/v1/search?q=chlorhexidine").await).len(),
            2
        );
        let page = app
            .browser()
            .get(app.url("/search?q=chlorhexidine"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("Chlorhexidine wipes") && !page.contains("SECRETMARK"));
        // Syntax of the databases is text; an empty query is a clear 422; never a 500.
        for raw in [
            "NEAR(x",
            "chlor*",
            "%25",
            "%27",
            "%22unclosed",
            "a:b",
            "(x%20OR%20y)",
        ] {
            let r = app.api().get(&format!("/api/v1/search?q={raw}")).await;
            assert!(
                r.status == 200 || r.status == 422,
                "{raw}: {} {}",
                r.status,
                r.text
            );
        }
        let empty = app.api().get("/api/v1/search?q=%2A%2A").await;
        assert_eq!(
            (empty.status, empty.body["error"]["field"].as_str()),
            (422, Some("q"))
        );
        assert_eq!(
            app.api()
                .get("/api/v1/search?q=x&from=yesterday")
                .await
                .status,
            422
        );
        assert_eq!(app.api().get("/api/v1/search?q=x&page=0").await.status, 422);
        assert_eq!(
            app.api()
                .get("/api/v1/search?q=chlorhexidine&community=no-such")
                .await
                .body["items"]
                .as_array()
                .unwrap()
                .len(),
            0
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn notifications_for_replies_mentions_answers_and_followed_topics() {
    for app in apps().await {
        let (coord, ada, bob, obs) = setup(&app).await;
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "line-care", "name": "Line care"}),
            )
            .await;
        assert_eq!(
            obs.post_empty("/api/v1/communities/ipc/topics/line-care/follow")
                .await
                .status,
            204,
            "observers may follow topics"
        );
        assert_eq!(
            app.api()
                .person("stranger")
                .await
                .post_empty("/api/v1/communities/ipc/topics/line-care/follow")
                .await
                .status,
            403
        );
        let q = ada
            .post("/api/v1/communities/ipc/threads", json!({"kind": "question", "title": "PICC dressing changes?", "body": "How often? cc @bob", "topics": ["line-care"]}))
            .await;
        let id = q.body["id"].as_i64().unwrap();
        let r = bob
            .post(
                &format!("/api/v1/threads/{id}/replies"),
                json!({"body": "Weekly, or when soiled. @coord agrees?"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        ada.post(
            &format!("/api/v1/threads/{id}/accept"),
            json!({"reply_id": r}),
        )
        .await;
        let kinds = |api: &Api| {
            let api = api.clone();
            async move {
                let page = api.get("/api/v1/notifications").await;
                assert_eq!(page.status, 200, "{}", page.text);
                page.body["items"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n["kind"].as_str().unwrap().to_string())
                    .collect::<Vec<_>>()
            }
        };
        assert_eq!(kinds(&obs).await, vec!["topic"]);
        assert_eq!(kinds(&bob).await, vec!["accepted", "mention"]);
        assert_eq!(kinds(&ada).await, vec!["reply"]);
        assert_eq!(kinds(&coord).await, vec!["mention"]);
        assert_eq!(ada.get("/api/v1/notifications").await.body["unread"], 1);
        assert_eq!(
            ada.post_empty("/api/v1/notifications/read").await.status,
            204
        );
        assert_eq!(ada.get("/api/v1/notifications").await.body["unread"], 0);
        assert_eq!(app.api().get("/api/v1/notifications").await.status, 401);

        // A members-only thread mentioning the observer never shows up for them.
        ada.post("/api/v1/communities/ipc/threads", json!({"space": "members", "title": "Internal review", "body": "@obs should not see this", "topics": ["line-care"]}))
            .await;
        let obs_view = obs.get("/api/v1/notifications").await;
        assert!(
            !obs_view.text.contains("Internal review"),
            "{}",
            obs_view.text
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn renamed_and_merged_topics_redirect() {
    for app in apps().await {
        let (coord, ada, _bob, _obs) = setup(&app).await;
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "hygiene", "name": "Hygiene"}),
            )
            .await;
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "hand-hygiene", "name": "Hand hygiene"}),
            )
            .await;
        ada.post(
            "/api/v1/communities/ipc/threads",
            json!({"title": "Alcohol rub brands", "body": "Which?", "topics": ["hygiene"]}),
        )
        .await;
        assert_eq!(
            ada.patch(
                "/api/v1/communities/ipc/topics/hygiene",
                json!({"slug": "cleaning"})
            )
            .await
            .status,
            403
        );
        let renamed = coord
            .patch(
                "/api/v1/communities/ipc/topics/hygiene",
                json!({"slug": "cleaning", "name": "Cleaning"}),
            )
            .await;
        assert_eq!(renamed.status, 200, "{}", renamed.text);
        let merged = coord
            .post(
                "/api/v1/communities/ipc/topics/cleaning/merge",
                json!({"into": "hand-hygiene"}),
            )
            .await;
        assert_eq!(merged.body["slug"], "hand-hygiene");
        let browser = app.browser();
        for old in ["hygiene", "cleaning"] {
            let r = browser
                .get(app.url(&format!("/c/ipc/topics/{old}")))
                .send()
                .await
                .unwrap();
            assert_eq!(r.status(), 308, "{old}");
            assert_eq!(r.headers()["location"], "/c/ipc/topics/hand-hygiene");
        }
        let page = browser
            .get(app.url("/c/ipc/topics/hand-hygiene"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("Alcohol rub brands"),
            "threads moved with the merge"
        );
        let old_filter = app
            .api()
            .get("/api/v1/communities/ipc/threads?topic=hygiene")
            .await;
        assert_eq!(
            old_filter.body["items"].as_array().unwrap().len(),
            1,
            "old addresses filter too"
        );
        assert_eq!(
            browser
                .get(app.url("/c/ipc/topics/never-was"))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn feeds_show_public_threads_only() {
    for app in apps().await {
        let (coord, ada, _bob, _obs) = setup(&app).await;
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "isolation", "name": "Isolation"}),
            )
            .await;
        ada.post("/api/v1/communities/ipc/threads", json!({"title": "Side rooms in winter", "body": "PUBLIC-FEED-MARK", "topics": ["isolation"]})).await;
        ada.post("/api/v1/communities/ipc/threads", json!({"space": "members", "title": "Members only", "body": "MEMBERS-FEED-MARK", "topics": ["isolation"]})).await;
        let gone = ada
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "To be deleted", "body": "DELETED-FEED-MARK"}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        ada.delete(&format!("/api/v1/threads/{gone}")).await;
        for path in ["/c/ipc/feed.atom", "/c/ipc/topics/isolation/feed.atom"] {
            let r = app.browser().get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 200, "{path}");
            let xml = r.text().await.unwrap();
            assert!(xml.contains("PUBLIC-FEED-MARK"), "{path}");
            assert!(
                !xml.contains("MEMBERS-FEED-MARK") && !xml.contains("DELETED-FEED-MARK"),
                "{path}"
            );
            assert!(!xml.contains("<script"));
        }
        coord
            .community("closed", "private", false, "invitation")
            .await;
        let hidden = app
            .browser()
            .get(app.url("/c/closed/feed.atom"))
            .send()
            .await
            .unwrap();
        assert_eq!(
            hidden.status(),
            404,
            "an unlisted private community has no feed, and no hint of one"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn library_experts_and_unanswered_pages() {
    for app in apps().await {
        let (coord, ada, bob, _obs) = setup(&app).await;
        coord
            .post(
                "/api/v1/communities/ipc/topics",
                json!({"slug": "audits", "name": "Audits"}),
            )
            .await;
        let q = ada.post("/api/v1/communities/ipc/threads", json!({"kind": "question", "title": "Audit tools?", "body": "Which?", "topics": ["audits"]})).await.body["id"].as_i64().unwrap();
        let r = bob
            .post(
                &format!("/api/v1/threads/{q}/replies"),
                json!({"body": "Try the WHO app."}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        ada.post(
            &format!("/api/v1/threads/{q}/accept"),
            json!({"reply_id": r}),
        )
        .await;
        ada.post(
            "/api/v1/communities/ipc/threads",
            json!({"kind": "question", "title": "Still waiting here", "body": "Anyone?"}),
        )
        .await;
        ada.post("/api/v1/communities/ipc/threads", json!({"kind": "resource", "title": "WHO hand hygiene guide", "body": "The guide", "link": "https://www.who.int/", "topics": ["audits"]})).await;

        let browser = app.browser();
        let library = browser
            .get(app.url("/c/ipc/library"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(library.contains("WHO hand hygiene guide") && library.contains("<h3>Audits</h3>"));
        let experts_anon = browser.get(app.url("/c/ipc/experts")).send().await.unwrap();
        assert_eq!(
            experts_anon.status(),
            401,
            "people are for signed-in people"
        );
        browser
            .post(app.url("/signin"))
            .form(&[("email", "coord@example.org"), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        let experts = browser
            .get(app.url("/c/ipc/experts"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            experts.contains("bob") && experts.contains("1 accepted"),
            "{experts}"
        );
        let home = browser
            .get(app.url("/c/ipc"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            home.contains("Questions waiting for an answer") && home.contains("Still waiting here")
        );
        assert!(
            !home.contains(">Audit tools?<"),
            "answered questions are not waiting"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_private_community_refuses_outsiders_on_every_practice_surface() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let outsider = app.api().person("outsider").await;
        coord.community("guild", "private", true, "approval").await;
        coord
            .post(
                "/api/v1/communities/guild/topics",
                json!({"slug": "contracts", "name": "Contracts"}),
            )
            .await;
        let id = coord
            .post("/api/v1/communities/guild/threads", json!({"title": "GUILD-SECRET plans", "body": "GUILD-SECRET body", "topics": ["contracts"]}))
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        // Allowed for the member, refused for the outsider, on the same setup.
        for path in [
            "/api/v1/communities/guild/threads",
            "/api/v1/communities/guild/topics",
            "/api/v1/communities/guild/experts",
        ] {
            assert_eq!(coord.get(path).await.status, 200, "{path}");
            assert_eq!(outsider.get(path).await.status, 403, "{path}");
        }
        assert_eq!(
            coord.get(&format!("/api/v1/threads/{id}")).await.status,
            200
        );
        assert_eq!(
            outsider.get(&format!("/api/v1/threads/{id}")).await.status,
            404
        );
        assert!(
            coord
                .get("/api/v1/search?q=guild")
                .await
                .text
                .contains("GUILD-SECRET")
        );
        assert!(
            !outsider
                .get("/api/v1/search?q=guild")
                .await
                .text
                .contains("GUILD-SECRET")
        );
        let browser = app.browser();
        for path in [
            "/c/guild/threads",
            "/c/guild/library",
            "/c/guild/topics",
            "/c/guild/topics/contracts",
            "/c/guild/feed.atom",
        ] {
            let r = browser.get(app.url(path)).send().await.unwrap();
            assert_eq!(r.status(), 403, "{path}");
            assert!(!r.text().await.unwrap().contains("GUILD-SECRET"), "{path}");
        }
        assert_eq!(
            browser
                .get(app.url(&format!("/t/{id}")))
                .send()
                .await
                .unwrap()
                .status(),
            404
        );
        app.finish().await;
    }
}
