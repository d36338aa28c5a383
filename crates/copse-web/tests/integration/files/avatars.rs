//! A person's picture: cropped square in three sizes, their initials without one.

use serde_json::json;

use super::*;

async fn picture(app: &TestApp, path: &str) -> reqwest::Response {
    app.api().http.get(app.url(path)).send().await.unwrap()
}

#[tokio::test]
async fn a_picture_is_cropped_square_at_each_size_and_initials_show_without_one() {
    for app in apps().await {
        let member = app.api().person("member").await;
        let r = picture(&app, "/u/member/avatar/48").await;
        assert_eq!(r.status(), 200);
        assert_eq!(header(&r, "content-type"), "image/svg+xml");
        assert_eq!(header(&r, "x-content-type-options"), "nosniff");
        assert!(header(&r, "content-security-policy").contains("sandbox"));
        let svg = r.text().await.unwrap();
        assert!(svg.contains(">M<"), "the initials of @member: {svg}");

        let put = member
            .http
            .put(app.url("/api/v1/me/avatar"))
            .bearer_auth(member.token.as_deref().unwrap())
            .body(png(40, 20))
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 204, "{}", put.text().await.unwrap());
        for (asked, px) in [(48, 48), (96, 96), (200, 256), (20, 48)] {
            let r = picture(&app, &format!("/u/member/avatar/{asked}")).await;
            assert_eq!(header(&r, "content-type"), "image/jpeg");
            let image = image::load_from_memory(&r.bytes().await.unwrap()).unwrap();
            assert_eq!((image.width(), image.height()), (px, px), "asked {asked}");
        }
        let etag = header(&picture(&app, "/u/member/avatar/48").await, "etag");
        let again = app
            .api()
            .http
            .get(app.url("/u/member/avatar/48"))
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 304);

        // Not an image: refused, and the picture stays.
        let bad = member
            .http
            .put(app.url("/api/v1/me/avatar"))
            .bearer_auth(member.token.as_deref().unwrap())
            .body(PDF.to_vec())
            .send()
            .await
            .unwrap();
        assert_eq!(bad.status(), 422);
        assert_eq!(
            header(&picture(&app, "/u/member/avatar/48").await, "content-type"),
            "image/jpeg"
        );

        assert_eq!(member.delete("/api/v1/me/avatar").await.status, 204);
        assert_eq!(
            header(&picture(&app, "/u/member/avatar/48").await, "content-type"),
            "image/svg+xml"
        );
        assert_eq!(
            copse_app::files::remove_unreadable(&app.state)
                .await
                .unwrap(),
            1,
            "the old picture's bytes go"
        );
        assert_eq!(picture(&app, "/u/nobody/avatar/48").await.status(), 404);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_deleted_accounts_picture_and_files_go_with_it() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let put = member
            .http
            .put(app.url("/api/v1/me/avatar"))
            .bearer_auth(member.token.as_deref().unwrap())
            .body(png(20, 20))
            .send()
            .await
            .unwrap();
        assert_eq!(put.status(), 204);
        let pdf = uploaded(&member, "mine.pdf", PDF).await;
        thread_with(&member, "public", &[&pdf]).await;
        let body = json!({"password": PASSWORD, "remove_contributions": true});
        let r = member.delete_with("/api/v1/me", body).await;
        assert_eq!(r.status, 204, "{}", r.text);
        assert_eq!(
            fetch(
                &app.api().anonymous(),
                &format!("/files/{pdf}/mine.pdf"),
                &[]
            )
            .await
            .status(),
            404
        );
        assert_eq!(
            copse_app::files::remove_unreadable(&app.state)
                .await
                .unwrap(),
            2,
            "the picture and the file"
        );
        let left: Vec<_> = std::fs::read_dir(app.files_dir.path().join("files"))
            .unwrap()
            .collect();
        assert!(left.is_empty(), "no byte of theirs is kept: {left:?}");
        app.finish().await;
    }
}
