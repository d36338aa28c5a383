//! The issue's page as a coordinator uses it: deleting a draft asks first, on a page of its
//! own, and only that page's button deletes.

use crate::common::*;

/// GET a page as `browser`: (status, Location, text).
async fn page(app: &TestApp, browser: &reqwest::Client, path: &str) -> (u16, String, String) {
    let r = browser.get(app.url(path)).send().await.unwrap();
    let location = r
        .headers()
        .get("location")
        .map_or(String::new(), |l| l.to_str().unwrap().to_string());
    (r.status().as_u16(), location, r.text().await.unwrap())
}

#[tokio::test]
async fn deleting_a_draft_asks_first_and_only_its_button_deletes() {
    for app in apps().await {
        let coord = app.api().person("coord").await;
        let member = app.api().person("member").await;
        coord.community("ipc", "public", true, "open").await;
        member.post_empty("/api/v1/communities/ipc/join").await;
        let drafted = coord
            .post_empty("/api/v1/communities/ipc/newsletters")
            .await;
        assert_eq!(drafted.status, 201, "{}", drafted.text);
        let browser = app.signed_in("coord@example.org").await;

        let (_, issue, text) = page(&app, &browser, "/c/ipc/newsletter/1").await;
        assert!(issue.is_empty());
        assert!(
            text.contains(r#"href="/c/ipc/newsletter/1/delete""#),
            "{text}"
        );
        assert!(
            !text.contains(r#"action="/c/ipc/newsletter/1/delete""#),
            "no one-click delete"
        );
        let (status, _, asked) = page(&app, &browser, "/c/ipc/newsletter/1/delete").await;
        assert_eq!(status, 200, "{asked}");
        assert!(
            asked.contains("”?</h2>") && asked.contains(r#"action="/c/ipc/newsletter/1/delete""#)
        );
        let member_browser = app.signed_in("member@example.org").await;
        let (status, _, _) = page(&app, &member_browser, "/c/ipc/newsletter/1/delete").await;
        assert_eq!(status, 404, "a draft is the coordinators' alone");
        assert_eq!(
            coord
                .get("/api/v1/communities/ipc/newsletters/1")
                .await
                .status,
            200,
            "asking deleted nothing"
        );

        let deleted = browser
            .post(app.url("/c/ipc/newsletter/1/delete"))
            .send()
            .await
            .unwrap();
        assert_eq!(deleted.status(), 303);
        assert_eq!(
            deleted.headers()["location"],
            "/c/ipc/newsletter?notice=newsletter-deleted"
        );
        assert_eq!(
            coord
                .get("/api/v1/communities/ipc/newsletters/1")
                .await
                .status,
            404
        );
        let (status, _, _) = page(&app, &browser, "/c/ipc/newsletter/1/delete").await;
        assert_eq!(status, 404, "nothing left to delete");
        app.finish().await;
    }
}
