//! The page forms without JavaScript: a file field on the thread and reply forms and on
//! Settings, sent as multipart.

use reqwest::multipart::{Form, Part};

use super::*;

fn file(name: &str, bytes: &[u8]) -> Part {
    Part::bytes(bytes.to_vec()).file_name(name.to_string())
}

/// Posts a multipart form and follows the 303 the page answers with, as a browser does.
async fn submit(
    app: &TestApp,
    browser: &reqwest::Client,
    path: &str,
    form: Form,
) -> reqwest::Response {
    let r = browser
        .post(app.url(path))
        .multipart(form)
        .send()
        .await
        .unwrap();
    if r.status() != 303 {
        return r;
    }
    let to = header(&r, "location");
    browser.get(app.url(&to)).send().await.unwrap()
}

#[tokio::test]
async fn a_member_attaches_a_pdf_and_an_image_to_a_question_on_the_page() {
    for app in apps().await {
        let (_coord, _member, _outsider) = setup(&app).await;
        let browser = app.signed_in("member@example.org").await;
        let form = Form::new()
            .text("kind", "question")
            .text("space", "public")
            .text("title", "How do you audit hand-rub stations?")
            .text("body", "Our checklist and a photo are attached.")
            .part("files", file("audit checklist.pdf", PDF))
            .part("files", file("station.png", &png(12, 8)));
        let r = submit(&app, &browser, "/c/ipc/threads/new", form).await;
        assert_eq!(r.status(), 200, "followed to the thread");
        let page = r.text().await.unwrap();
        assert!(page.contains("How do you audit hand-rub stations?"));
        let img = page
            .find("<img src=\"/files/")
            .expect("the image is shown in the post");
        let src = &page[img + 10..][..page[img + 10..].find('"').unwrap()];
        let shown = browser.get(app.url(src)).send().await.unwrap();
        assert_eq!(header(&shown, "content-type"), "image/png");
        let link = page
            .find("audit-checklist.pdf\" download>audit checklist.pdf</a>")
            .expect("the PDF is a download");
        assert!(page[link..].contains("PDF"), "with its type");

        // A reply carries a file too; a form with no file chosen posts as before.
        let thread: i64 = page
            .split("action=\"/t/")
            .nth(1)
            .unwrap()
            .split('/')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let form = Form::new()
            .text("body", "Ours, for comparison.")
            .part("files", file("ours.pdf", PDF));
        let r = submit(&app, &browser, &format!("/t/{thread}/replies"), form).await;
        assert!(r.text().await.unwrap().contains("ours.pdf"));
        let form = Form::new()
            .text("body", "No file this time.")
            .part("files", Part::bytes(Vec::new()).file_name(""));
        let r = submit(&app, &browser, &format!("/t/{thread}/replies"), form).await;
        assert_eq!(r.status(), 200);
        assert_eq!(app.db.count("SELECT COUNT(*) FROM files").await, 3);
        app.finish().await;
    }
}

#[tokio::test]
async fn a_refused_file_shows_the_form_again_with_the_draft_kept() {
    let tight = || {
        let mut config = Config::default();
        config.app.files.max_file_bytes = 16 * 1024;
        config
    };
    for app in apps_with(tight).await {
        let (_coord, _member, _outsider) = setup(&app).await;
        let browser = app.signed_in("member@example.org").await;
        let form = Form::new()
            .text("title", "Slides from the meeting")
            .text("body", "Here are the slides.")
            .part("files", file("slides.txt", &vec![b'z'; 40 * 1024]));
        let r = browser
            .post(app.url("/c/ipc/threads/new"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 413);
        let page = r.text().await.unwrap();
        assert!(
            page.contains("a file may be at most 16 KiB"),
            "the limit is named next to the form"
        );
        assert!(
            page.contains("value=\"Slides from the meeting\""),
            "the draft is kept"
        );
        let html = Form::new().text("title", "Page").text("body", "x").part(
            "files",
            file("page.png", b"<html><script>x</script></html>"),
        );
        let r = browser
            .post(app.url("/c/ipc/threads/new"))
            .multipart(html)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        assert_eq!(app.db.count("SELECT COUNT(*) FROM threads").await, 0);
        app.finish().await;
    }
}

#[tokio::test]
async fn settings_take_a_picture_and_the_thread_shows_it_beside_the_reply() {
    for app in apps().await {
        let (_coord, member, _outsider) = setup(&app).await;
        let thread = thread_with(&member, "public", &[]).await;
        member
            .post(
                &format!("/api/v1/threads/{thread}/replies"),
                json!({"body": "Hello"}),
            )
            .await;
        let browser = app.signed_in("member@example.org").await;
        let form = Form::new().part("avatar", file("me.png", &png(30, 30)));
        let r = submit(&app, &browser, "/settings/avatar", form).await;
        assert_eq!(r.status(), 200);
        assert!(r.text().await.unwrap().contains("Your picture is saved."));
        let avatar = app
            .api()
            .http
            .get(app.url("/u/member/avatar/48"))
            .send()
            .await
            .unwrap();
        assert_eq!(header(&avatar, "content-type"), "image/jpeg");
        let page = app
            .api()
            .http
            .get(app.url(&format!("/t/{thread}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("src=\"/u/member/avatar/48\""),
            "the picture beside the reply"
        );
        let form = Form::new().part("avatar", file("me.pdf", PDF));
        let r = browser
            .post(app.url("/settings/avatar"))
            .multipart(form)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 422);
        app.finish().await;
    }
}
