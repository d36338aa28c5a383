//! Who may read a file is who may read its post — and nobody else, with the same 404.

use serde_json::json;

use super::*;

#[tokio::test]
async fn a_members_only_threads_files_are_404_to_outsiders_like_a_missing_file() {
    for app in apps().await {
        let (_coord, member, outsider) = setup(&app).await;
        let pdf = uploaded(&member, "Audit checklist.pdf", PDF).await;
        let image = uploaded(&member, "hand-rub station.png", &png(8, 6)).await;
        let thread = thread_with(&member, "members", &[&pdf, &image]).await;

        let listed = member.get(&format!("/api/v1/threads/{thread}/files")).await;
        assert_eq!(listed.status, 200, "{}", listed.text);
        let urls: Vec<&str> = listed
            .body
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["url"].as_str().unwrap())
            .collect();
        assert_eq!(urls.len(), 2, "{}", listed.text);
        assert!(urls[0].ends_with("/Audit-checklist.pdf"), "{urls:?}");

        let r = fetch(&member, urls[0], &[]).await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "content-type"), "application/pdf");
        assert_eq!(header(&r, "cache-control"), "private, no-cache");
        assert_eq!(r.bytes().await.unwrap(), PDF);

        let missing = fetch(&member, &format!("/files/{}/x.pdf", "0".repeat(32)), &[]).await;
        assert_eq!(missing.status(), 404);
        let missing_body = missing.text().await.unwrap();
        for reader in [&outsider, &app.api().anonymous()] {
            for url in &urls {
                let r = fetch(reader, url, &[]).await;
                assert_eq!(r.status(), 404, "{url}");
                assert_eq!(
                    r.text().await.unwrap(),
                    missing_body,
                    "the same body as a missing file"
                );
            }
            let listed = reader.get(&format!("/api/v1/threads/{thread}/files")).await;
            assert_eq!(listed.status, 404);
        }
        // A browser reads them with its session, as the page's <img> does.
        let browser = app.signed_in("member@example.org").await;
        let r = browser.get(app.url(urls[1])).send().await.unwrap();
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "content-type"), "image/png");
        app.finish().await;
    }
}

#[tokio::test]
async fn a_circles_files_are_for_the_circle_and_a_public_threads_for_anyone() {
    for app in apps().await {
        let (coord, member, _outsider) = setup(&app).await;
        let circle = member
            .post(
                "/api/v1/communities/ipc/circles",
                json!({"name": "Ward 4B", "purpose": "Our ward.", "listed": false}),
            )
            .await
            .body["id"]
            .as_i64()
            .unwrap();
        let pdf = uploaded(&member, "handover.pdf", PDF).await;
        member
            .thread("ipc", json!({"title": "Handover notes", "body": "x", "space": "circle", "circle": circle, "files": [pdf]}))
            .await;
        let url = format!("/files/{pdf}/handover.pdf");
        assert_eq!(fetch(&member, &url, &[]).await.status(), 200);
        // The coordinator is not in the circle: a 404, as for everyone outside it.
        assert_eq!(fetch(&coord, &url, &[]).await.status(), 404);

        let image = uploaded(&member, "station.png", &png(4, 4)).await;
        thread_with(&member, "public", &[&image]).await;
        let r = fetch(
            &app.api().anonymous(),
            &format!("/files/{image}/station.png"),
            &[],
        )
        .await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "cache-control"), "public, max-age=300");
        app.finish().await;
    }
}

#[tokio::test]
async fn an_upload_is_its_owners_alone_until_attached_and_only_its_owner_attaches_it() {
    for app in apps().await {
        let (coord, member, outsider) = setup(&app).await;
        let pdf = uploaded(&member, "draft.pdf", PDF).await;
        let url = format!("/files/{pdf}/draft.pdf");
        assert_eq!(fetch(&member, &url, &[]).await.status(), 200);
        assert_eq!(fetch(&coord, &url, &[]).await.status(), 404);
        assert_eq!(fetch(&outsider, &url, &[]).await.status(), 404);

        // Someone else's upload cannot be attached: the post is refused and not written.
        let before = app.api().get("/api/v1/communities/ipc/threads").await.body["items"]
            .as_array()
            .unwrap()
            .len();
        let r = coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Taking it", "body": "x", "files": [pdf]}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        assert_eq!(error_code(&r), "invalid");
        let after = app.api().get("/api/v1/communities/ipc/threads").await.body["items"]
            .as_array()
            .unwrap()
            .len();
        assert_eq!(before, after, "no half-written thread");
        let r = coord
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "Bad id", "body": "x", "files": ["../../etc"]}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.text);

        // Attached once, it cannot be attached to a second post.
        let thread = thread_with(&member, "public", &[&pdf]).await;
        let r = member
            .post(
                &format!("/api/v1/threads/{thread}/replies"),
                json!({"body": "again", "files": [pdf]}),
            )
            .await;
        assert_eq!(r.status, 422, "{}", r.text);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_deleted_posts_files_answer_404_at_once_and_the_worker_removes_their_bytes() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let thread = thread_with(&member, "public", &[]).await;
        let pdf = uploaded(&member, "minutes.pdf", PDF).await;
        let r = member
            .post(
                &format!("/api/v1/threads/{thread}/replies"),
                json!({"body": "Minutes attached.", "files": [pdf]}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        let reply = r.body["id"].as_i64().unwrap();
        let url = format!("/files/{pdf}/minutes.pdf");
        assert_eq!(fetch(&app.api().anonymous(), &url, &[]).await.status(), 200);
        assert!(app.files_dir.path().join("files").join(&pdf).exists());

        assert_eq!(
            member
                .delete(&format!("/api/v1/replies/{reply}"))
                .await
                .status,
            204
        );
        assert_eq!(
            fetch(&member, &url, &[]).await.status(),
            404,
            "at once, before any clean-up"
        );
        let removed = copse_app::files::remove_unreadable(&app.state)
            .await
            .unwrap();
        assert_eq!(removed, 1);
        assert!(
            !app.files_dir.path().join("files").join(&pdf).exists(),
            "the bytes are gone"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn an_upload_never_attached_is_removed_after_a_day() {
    for (app, clock) in apps_at(1_893_456_000_000).await {
        let member = app.api().person("member").await;
        let pdf = uploaded(&member, "forgotten.pdf", PDF).await;
        let on_disk = app.files_dir.path().join("files").join(&pdf);
        clock.advance(23 * 3_600_000);
        assert_eq!(
            copse_app::files::remove_unreadable(&app.state)
                .await
                .unwrap(),
            0
        );
        assert!(on_disk.exists(), "kept while its post may still be saved");
        clock.advance(2 * 3_600_000);
        assert_eq!(
            copse_app::files::remove_unreadable(&app.state)
                .await
                .unwrap(),
            1
        );
        assert!(!on_disk.exists());
        assert_eq!(
            fetch(&member, &format!("/files/{pdf}/forgotten.pdf"), &[])
                .await
                .status(),
            404
        );
        app.finish().await;
    }
}
