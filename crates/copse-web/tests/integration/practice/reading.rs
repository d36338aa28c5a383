//! What each reader finds: search, feeds, and a private community's refusals.

use super::*;

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
        let anon = app.api().get("/api/v1/search?q=chlorhexidine").await;
        assert_eq!(anon.status, 200, "{}", anon.text);
        assert_eq!(titles(&anon), vec!["Chlorhexidine wipes for line care?"]);
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
            titles(&coord.get("/api/v1/search?q=chlorhexidine").await).len(),
            2
        );
        // A reply that matches too does not list its thread twice; the count is of threads.
        let first = anon.body["items"][0]["thread_id"].as_i64().unwrap();
        let replied = coord
            .post(
                &format!("/api/v1/threads/{first}/replies"),
                json!({"body": "Chlorhexidine daily, and we audit it."}),
            )
            .await;
        assert_eq!(replied.status, 201, "{}", replied.text);
        let again = app.api().get("/api/v1/search?q=chlorhexidine").await;
        assert_eq!(titles(&again), vec!["Chlorhexidine wipes for line care?"]);
        assert_eq!(again.body["threads_found"], 1);
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
        assert_eq!(page.matches(r#"<li class="card">"#).count(), 1, "{page}");
        assert!(page.contains("Found in 1 thread."), "{page}");
        any_text_is_a_clear_answer(&app).await;
        app.finish().await;
    }
}

/// Syntax of the databases is text; an empty query is a clear 422; never a 500.
async fn any_text_is_a_clear_answer(app: &TestApp) {
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
