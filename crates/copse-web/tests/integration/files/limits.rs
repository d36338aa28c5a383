//! The limits a stranger meets: one file's size (413, the limit named), an account's day of
//! uploads (429, when to try again) and a community's total (the post is refused whole).

use super::*;

fn tight(daily: u64, community: u64) -> Config {
    let mut config = Config::default();
    config.app.files.max_file_bytes = 64 * 1024;
    config.app.files.daily_bytes_per_account = daily;
    config.app.files.bytes_per_community = community;
    config
}

#[tokio::test]
async fn a_file_over_the_size_limit_is_413_with_the_limit_named() {
    for app in apps_with(|| tight(10 * 1024 * 1024, 10 * 1024 * 1024)).await {
        let visitor = upload(&app.api().anonymous(), "minutes.txt", b"Minutes").await;
        assert_eq!(
            visitor.status, 401,
            "a visitor uploads nothing: {}",
            visitor.text
        );
        let member = app.api().person("member").await;
        let mut text = b"Minutes of the audit meeting.\n".repeat(3000);
        text.truncate(64 * 1024 + 1);
        let r = upload(&member, "minutes.txt", &text).await;
        assert_eq!(r.status, 413, "{}", r.text);
        assert_eq!(r.body["error"]["message"], "a file may be at most 64 KiB");
        text.truncate(64 * 1024);
        assert_eq!(
            upload(&member, "minutes.txt", &text).await.status,
            201,
            "at the limit is fine"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn an_accounts_day_of_uploads_is_limited() {
    for app in apps_with(|| tight(100 * 1024, 10 * 1024 * 1024)).await {
        let member = app.api().person("member").await;
        let text = vec![b'x'; 60 * 1024];
        assert_eq!(upload(&member, "one.txt", &text).await.status, 201);
        let r = upload(&member, "two.txt", &text).await;
        assert_eq!(r.status, 429, "{}", r.text);
        assert!(r.text.contains("100 KiB"), "{}", r.text);
        assert_eq!(
            app.db.count("SELECT COUNT(*) FROM files").await,
            1,
            "the refused one is not kept"
        );
        let other = app.api().person("other").await;
        assert_eq!(
            upload(&other, "two.txt", &text).await.status,
            201,
            "the day is per account"
        );
        app.finish().await;
    }
}

#[tokio::test]
async fn a_communitys_files_are_limited_and_the_post_is_refused_whole() {
    for app in apps_with(|| tight(10 * 1024 * 1024, 100 * 1024)).await {
        let (_coord, member, _outsider) = setup(&app).await;
        let text = vec![b'y'; 60 * 1024];
        let first = uploaded(&member, "first.txt", &text).await;
        thread_with(&member, "public", &[&first]).await;
        let second = uploaded(&member, "second.txt", &text).await;
        let r = member
            .post(
                "/api/v1/communities/ipc/threads",
                json!({"title": "One more", "body": "x", "files": [second]}),
            )
            .await;
        assert_eq!(r.status, 413, "{}", r.text);
        assert!(r.text.contains("100 KiB"), "{}", r.text);
        let threads = member.get("/api/v1/communities/ipc/threads").await;
        assert_eq!(
            threads.body["items"].as_array().unwrap().len(),
            1,
            "no thread without its file"
        );
        app.finish().await;
    }
}
