//! Files on value stories, conversation messages and event recaps: each read by whoever reads
//! what it is attached to, listed with it, and gone with it.

use serde_json::{Value, json};

use super::*;

/// The `attached_to` of each file a list answers.
fn attached(list: &Reply) -> Vec<String> {
    assert_eq!(list.status, 200, "{}", list.text);
    list.body
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["attached_to"].as_str().unwrap_or("none").to_string())
        .collect()
}

async fn story_with(teller: &Api, visibility: &str, files: &[&str]) -> Reply {
    teller
        .post(
            "/api/v1/communities/ipc/stories",
            json!({"happened": "The audit kit from the library", "took": "A checklist we now use",
                   "cycles": ["applied"], "visibility": visibility, "files": files}),
        )
        .await
}

#[tokio::test]
async fn a_storys_files_are_read_by_its_readers_and_go_with_it() {
    for app in apps().await {
        let (coord, member, outsider) = setup(&app).await;
        let other = app.api().person("other").await;
        other.post_empty("/api/v1/communities/ipc/join").await;
        let pdf = uploaded(&member, "before-after.pdf", PDF).await;
        let told = story_with(&member, "coordinators", &[&pdf]).await;
        assert_eq!(told.status, 201, "{}", told.text);
        let story = told.body["id"].as_i64().unwrap();
        let url = format!("/files/{pdf}/before-after.pdf");
        let list = format!("/api/v1/stories/{story}/files");
        // A story for the coordinators: its teller and the coordinator read its file.
        for reader in [&member, &coord] {
            assert_eq!(fetch(reader, &url, &[]).await.status(), 200);
            assert_eq!(
                attached(&reader.get(&list).await),
                [format!("story:{story}")]
            );
        }
        for reader in [&other, &outsider, &app.api().anonymous()] {
            assert_eq!(fetch(reader, &url, &[]).await.status(), 404);
            assert_eq!(reader.get(&list).await.status, 404);
        }
        // Someone else's upload cannot be attached: the story is refused and not told.
        let theirs = uploaded(&other, "theirs.pdf", PDF).await;
        let refused = story_with(&member, "community", &[&theirs]).await;
        assert_eq!(refused.status, 422, "{}", refused.text);
        let stories = coord.get("/api/v1/communities/ipc/stories").await;
        assert_eq!(
            stories.body["items"].as_array().unwrap().len(),
            1,
            "{}",
            stories.text
        );
        // Deleted: its file is a 404 at once, to its teller too.
        let gone = member.delete(&format!("/api/v1/stories/{story}")).await;
        assert_eq!(gone.status, 204, "{}", gone.text);
        assert_eq!(fetch(&member, &url, &[]).await.status(), 404);
        app.finish().await;
    }
}

async fn conversation_with_file(from: &Api, to: &str, file: &str) -> Reply {
    from.post(
        "/api/v1/conversations",
        json!({"people": [to], "subject": "The ward photo", "body": "Here it is.", "files": [file]}),
    )
    .await
}

#[tokio::test]
async fn a_messages_files_are_for_the_conversations_people_alone() {
    for app in apps().await {
        let (coord, member, outsider) = setup(&app).await;
        let image = uploaded(&member, "station.png", &png(6, 6)).await;
        let started = conversation_with_file(&member, "coord", &image).await;
        assert_eq!(started.status, 201, "{}", started.text);
        let id = started.body["id"].as_i64().unwrap();
        let pdf = uploaded(&coord, "reply.pdf", PDF).await;
        let sent = coord
            .post(
                &format!("/api/v1/conversations/{id}/messages"),
                json!({"body": "Thanks, and mine.", "files": [pdf]}),
            )
            .await;
        assert_eq!(sent.status, 201, "{}", sent.text);
        let list = format!("/api/v1/conversations/{id}/files");
        for person in [&member, &coord] {
            let kinds = attached(&person.get(&list).await);
            assert_eq!(kinds.len(), 2, "{kinds:?}");
            assert!(kinds.iter().all(|k| k.starts_with("message:")), "{kinds:?}");
            for url in [
                format!("/files/{image}/station.png"),
                format!("/files/{pdf}/reply.pdf"),
            ] {
                let r = fetch(person, &url, &[]).await;
                assert_eq!(r.status(), 200, "{url}");
                assert_eq!(header(&r, "cache-control"), "private, no-cache");
            }
        }
        for reader in [&outsider, &app.api().anonymous()] {
            let r = fetch(reader, &format!("/files/{image}/station.png"), &[]).await;
            assert_eq!(r.status(), 404);
            assert!(matches!(reader.get(&list).await.status, 401 | 404));
        }
        // The page shows the picture under its message.
        let browser = app.signed_in("coord@example.org").await;
        let page = browser
            .get(app.url(&format!("/conversations/{id}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains(&format!("<img src=\"/files/{image}/station.png\"")),
            "{page}"
        );
        assert!(page.contains("reply.pdf"), "{page}");
        app.finish().await;
    }
}

/// A past event of `ipc` in `space`, by the coordinator.
async fn past_event(coord: &Api, space: &str) -> i64 {
    let r = coord
        .post(
            "/api/v1/communities/ipc/events",
            json!({"title": "Audit clinic", "time_zone": "UTC", "start": "2026-01-05T10:00",
                   "end": "2026-01-05T11:00", "space": space}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_i64().unwrap()
}

#[tokio::test]
async fn a_recaps_files_are_read_by_whoever_sees_the_event() {
    for app in apps().await {
        let (coord, member, outsider) = setup(&app).await;
        let event = past_event(&coord, "members").await;
        let occurrence = "2026-01-05T10:00:00Z";
        let slides = uploaded(&coord, "slides.pdf", PDF).await;
        let r = coord
            .post(
                &format!("/api/v1/events/{event}/recap"),
                json!({"occurrence": occurrence, "files": [slides]}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        let list = format!("/api/v1/events/{event}/recap/files?occurrence={occurrence}");
        let url = format!("/files/{slides}/slides.pdf");
        for reader in [&coord, &member] {
            assert_eq!(
                attached(&reader.get(&list).await),
                [format!("recap:{event}")]
            );
            assert_eq!(fetch(reader, &url, &[]).await.status(), 200);
        }
        for reader in [&outsider, &app.api().anonymous()] {
            assert_eq!(reader.get(&list).await.status, 404);
            assert_eq!(fetch(reader, &url, &[]).await.status(), 404);
        }
        // Another occurrence's recap has no files; the page of this one lists the slides.
        let other = format!("/api/v1/events/{event}/recap/files?occurrence=2026-01-12T10:00:00Z");
        assert_eq!(attached(&member.get(&other).await), Vec::<String>::new());
        let key = 1_767_607_200_000_i64;
        let browser = app.signed_in("member@example.org").await;
        let page = browser
            .get(app.url(&format!("/e/{event}/o/{key}")))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(page.contains("slides.pdf"), "{page}");
        // The event deleted, its recap's files go at once.
        assert_eq!(
            coord
                .delete(&format!("/api/v1/events/{event}"))
                .await
                .status,
            204
        );
        assert_eq!(fetch(&coord, &url, &[]).await.status(), 404);
        app.finish().await;
    }
}

#[tokio::test]
async fn coordinators_see_how_much_of_the_files_limit_is_used_and_exports_list_uploads() {
    for app in apps().await {
        let (coord, member, _outsider) = setup(&app).await;
        let pdf = uploaded(&member, "audit.pdf", PDF).await;
        let thread = thread_with(&member, "public", &[&pdf]).await;
        let usage = coord.get("/api/v1/communities/ipc/files/usage").await;
        assert_eq!(usage.status, 200, "{}", usage.text);
        assert_eq!(usage.body["files"], 1);
        assert_eq!(usage.body["bytes"], PDF.len());
        assert_eq!(usage.body["limit_bytes"], 5_u64 * 1024 * 1024 * 1024);
        assert_eq!(
            member
                .get("/api/v1/communities/ipc/files/usage")
                .await
                .status,
            403
        );
        let browser = app.signed_in("coord@example.org").await;
        let settings = browser
            .get(app.url("/c/ipc/settings"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            settings.contains("1 file, 48 bytes of 5 GiB (1%)"),
            "{settings}"
        );

        let export = member.get("/api/v1/me/export").await;
        assert_eq!(export.status, 200, "{}", export.text);
        let uploads: &Vec<Value> = export.body["uploads"].as_array().unwrap();
        assert_eq!(uploads.len(), 1, "{}", export.text);
        assert_eq!(uploads[0]["name"], "audit.pdf");
        assert_eq!(uploads[0]["type"], "application/pdf");
        assert!(
            uploads[0]["url"]
                .as_str()
                .unwrap()
                .ends_with(&format!("/files/{pdf}/audit.pdf"))
        );
        files_count_where_their_thread_moves(&coord, thread).await;
        app.finish().await;
    }
}

/// A thread moved to another community takes its files' share of the limit along.
async fn files_count_where_their_thread_moves(coord: &Api, thread: i64) {
    coord.community("audits", "public", true, "open").await;
    let path = format!("/api/v1/threads/{thread}/moderation");
    let moved = coord
        .post(
            &path,
            json!({"action": "move", "to": "audits", "reason": "Its own place"}),
        )
        .await;
    assert_eq!(moved.status, 200, "{}", moved.text);
    for (slug, files) in [("ipc", 0), ("audits", 1)] {
        let usage = coord
            .get(&format!("/api/v1/communities/{slug}/files/usage"))
            .await;
        assert_eq!(usage.body["files"], files, "{slug}: {}", usage.text);
    }
}
