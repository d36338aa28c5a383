//! Topics that are renamed and merged, the library, experts and unanswered questions.

use super::*;

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
        old_addresses_redirect(&app).await;
        app.finish().await;
    }
}

async fn old_addresses_redirect(app: &TestApp) {
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

        the_pages_show_it(&app).await;
        app.finish().await;
    }
}

async fn the_pages_show_it(app: &TestApp) {
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
}
