//! A community's archive, as its coordinator and a site admin ask for it: who may, the job's
//! progress, the download (the archive opened and read as another tool would), what a
//! coordinator's archive leaves out (a circle they are not in, conversations, people's
//! addresses) and a site admin's keeps, who else reaches it, and its removal after a week.

use std::collections::BTreeMap;
use std::io::Read;

use copse_app::community_export::KEPT_FOR;
use serde_json::{Value, json};

use crate::common::*;
use crate::files::{PDF, uploaded};

const WARD: &str = "ward-learning";
const START: i64 = 1_892_980_800_000;

struct World {
    coord: Api,
    first: Api,
    second: Api,
    file: String,
}

/// A coordinator, two members; a public thread with a file and a reply, a circle the
/// coordinator is not in with a thread, a conversation between the members, a deleted thread.
async fn world(api: &Api) -> World {
    let coord = api.person("wcoord").await;
    coord.community(WARD, "public", true, "open").await;
    let (first, second) = (api.person("wfirst").await, api.person("wsecond").await);
    for who in [&first, &second] {
        let r = who
            .post_empty(&format!("/api/v1/communities/{WARD}/join"))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
    }
    let file = uploaded(&first, "Audit checklist.pdf", PDF).await;
    let open = first
        .thread(
            WARD,
            json!({"title": "Audit kit (members)", "body": "See attached.", "space": "members",
                   "files": [&file]}),
        )
        .await;
    let r = second
        .post(
            &format!("/api/v1/threads/{open}/replies"),
            json!({"body": "We audit weekly."}),
        )
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    let circle = first
        .post(
            &format!("/api/v1/communities/{WARD}/circles"),
            json!({"name": "Night shift", "purpose": "We cover the night shifts."}),
        )
        .await;
    assert_eq!(circle.status, 201, "{}", circle.text);
    first
        .thread(
            WARD,
            json!({"title": "Night-shift circle notes", "body": "Only for the circle.",
                   "space": "circle", "circle": circle.body["id"]}),
        )
        .await;
    let c = first
        .post(
            "/api/v1/conversations",
            json!({"people": ["wsecond"], "subject": "Rotas between us", "body": "A private word."}),
        )
        .await;
    assert_eq!(c.status, 201, "{}", c.text);
    let gone = first
        .thread(WARD, json!({"title": "Posted by mistake", "body": "Oops."}))
        .await;
    let r = first.delete(&format!("/api/v1/threads/{gone}")).await;
    assert!(r.status < 300, "{}", r.text);
    World {
        coord,
        first,
        second,
        file,
    }
}

/// Runs the worker until no job is left.
async fn work(app: &TestApp, outbox: &std::path::Path) {
    let w = outbox_worker(&app.state, outbox.to_path_buf());
    for _ in 0..20 {
        if w.tick().await.unwrap() == 0 {
            return;
        }
    }
    panic!("the worker kept finding jobs");
}

/// An archive opened: each entry's name and bytes.
fn entries(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    let mut out = BTreeMap::new();
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut body = Vec::new();
        entry.read_to_end(&mut body).unwrap();
        out.insert(name, body);
    }
    out
}

fn lines(entries: &BTreeMap<String, Vec<u8>>, name: &str) -> Vec<Value> {
    let text = String::from_utf8(entries.get(name).cloned().unwrap_or_default()).unwrap();
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn titles(entries: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut t: Vec<String> = lines(entries, "data/threads.jsonl")
        .iter()
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect();
    t.sort();
    t
}

/// Asks for an archive as `who`, lets the worker prepare it, and downloads it.
async fn archive_of(app: &TestApp, who: &Api) -> (i64, BTreeMap<String, Vec<u8>>) {
    let asked = who
        .post_empty(&format!("/api/v1/communities/{WARD}/exports"))
        .await;
    assert_eq!(asked.status, 202, "{}", asked.text);
    assert_eq!(asked.body["status"], "preparing");
    let id = asked.body["id"].as_i64().unwrap();
    // Asking again while it waits answers the same one.
    let again = who
        .post_empty(&format!("/api/v1/communities/{WARD}/exports"))
        .await;
    assert_eq!(again.body["id"], id);
    let early = who
        .get(&format!("/api/v1/communities/{WARD}/exports/{id}/download"))
        .await;
    assert_eq!(early.status, 409, "{}", early.text);
    let outbox = tempfile::tempdir().unwrap();
    work(app, outbox.path()).await;
    // The asker is told, once, where to fetch it.
    let handle = who.get("/api/v1/me").await.body["handle"].clone();
    let told: Vec<String> = std::fs::read_dir(outbox.path())
        .unwrap()
        .map(|f| std::fs::read_to_string(f.unwrap().path()).unwrap())
        .filter(|m| m.contains("Subject: The archive of"))
        .collect();
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0].contains(&format!("{}@example.org", handle.as_str().unwrap()))
            && told[0].contains(&format!("/c/{WARD}/export")),
        "{}",
        told[0]
    );
    let one = who
        .get(&format!("/api/v1/communities/{WARD}/exports/{id}"))
        .await;
    assert_eq!(one.body["status"], "ready", "{}", one.text);
    assert!(
        one.body["rows_total"].as_i64().unwrap() > 20,
        "{}",
        one.text
    );
    assert_eq!(one.body["rows_done"], one.body["rows_total"]);
    let download = one.body["download"].as_str().unwrap().to_string();
    let bytes = app
        .browser()
        .get(app.url(&download))
        .bearer_auth(who.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(bytes.status(), 200);
    assert_eq!(bytes.headers()["content-type"], "application/gzip");
    let body = bytes.bytes().await.unwrap();
    assert_eq!(one.body["size_bytes"].as_u64(), Some(body.len() as u64));
    (id, entries(&body))
}

#[tokio::test]
async fn a_coordinator_archives_what_they_may_read_and_nothing_more() {
    for (app, clock) in apps_at(START).await {
        let api = app.api();
        let w = world(&api).await;
        let asks = format!("/api/v1/communities/{WARD}/exports");
        assert_eq!(
            w.first.post_empty(&asks).await.status,
            403,
            "members may not"
        );
        assert_eq!(api.post_empty(&asks).await.status, 401);
        assert_eq!(
            api.person("wstranger").await.post_empty(&asks).await.status,
            403
        );

        let (id, archive) = archive_of(&app, &w.coord).await;
        let manifest: Value = serde_json::from_slice(&archive["copse-export.json"]).unwrap();
        assert_eq!(manifest["kind"], "copse-community-export");
        assert_eq!(manifest["format"], 1);
        assert_eq!(manifest["community"]["slug"], WARD);
        assert_eq!(manifest["exported_by"]["handle"], "wcoord");
        assert_eq!(manifest["cut"]["conversations"], false);
        // The public thread, its reply and its file are in; the circle the coordinator is
        // not in, the conversation and the deleted thread are not.
        assert_eq!(titles(&archive), vec!["Audit kit (members)".to_string()]);
        let replies = lines(&archive, "data/replies.jsonl");
        assert_eq!(replies.len(), 1);
        assert_eq!(replies[0]["body"], "We audit weekly.");
        assert!(lines(&archive, "data/circles.jsonl").is_empty());
        assert!(!archive.contains_key("data/conversations.jsonl"));
        assert!(!archive.contains_key("data/messages.jsonl"));
        assert_eq!(archive[&format!("files/{}", w.file)], PDF);
        let members = lines(&archive, "data/memberships.jsonl");
        assert_eq!(members.len(), 3, "{members:?}");
        // People are named, without their addresses: a verified one by its digest.
        let people = lines(&archive, "people.jsonl");
        assert!(people.iter().any(|p| p["handle"] == "wsecond"));
        for p in &people {
            assert!(p.get("email").is_none(), "{p}");
            assert!(p.get("password_hash").is_none(), "{p}");
        }
        let everything =
            String::from_utf8_lossy(&archive.values().flatten().copied().collect::<Vec<u8>>())
                .into_owned();
        for secret in [
            "Only for the circle",
            "A private word",
            "Oops.",
            "@example.org",
            "argon2",
        ] {
            assert!(!everything.contains(secret), "{secret} is in the archive");
        }

        someone_else_cannot_reach_it(&app, &w, id).await;
        archived_by_a_site_admin(&app, &w).await;

        // After a week it is gone, its bytes too.
        clock.advance(KEPT_FOR + 1);
        work(&app, &std::env::temp_dir()).await;
        let gone = w
            .coord
            .get(&format!("/api/v1/communities/{WARD}/exports/{id}"))
            .await;
        assert_eq!(gone.status, 404);
        assert_eq!(w.coord.get(&asks).await.body, json!([]));
        app.finish().await;
    }
}

/// Another member, another coordinator and the asker once demoted do not reach the archive.
async fn someone_else_cannot_reach_it(app: &TestApp, w: &World, id: i64) {
    let one = format!("/api/v1/communities/{WARD}/exports/{id}");
    let download = format!("{one}/download");
    assert_eq!(w.second.get(&one).await.status, 403);
    let r = w
        .coord
        .put(
            &format!("/api/v1/communities/{WARD}/members/wsecond"),
            json!({"role": "coordinator"}),
        )
        .await;
    assert!(r.status < 300, "{}", r.text);
    assert_eq!(w.second.get(&one).await.status, 404, "not theirs");
    assert_eq!(w.second.get(&download).await.status, 404, "not theirs");
    assert_eq!(
        w.second
            .get(&format!("/api/v1/communities/{WARD}/exports"))
            .await
            .body,
        json!([])
    );
    // The page lists it for the one who asked, with a link to download it.
    let page = app.signed_in("wcoord@example.org").await;
    let text = page
        .get(app.url(&format!("/c/{WARD}/export")))
        .send()
        .await
        .unwrap();
    assert_eq!(text.status(), 200);
    let text = text.text().await.unwrap();
    assert!(
        text.contains(&format!("/c/{WARD}/export/{id}/download")),
        "{text}"
    );
    let got = page
        .get(app.url(&format!("/c/{WARD}/export/{id}/download")))
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
    // Once no longer a coordinator, the asker cannot download it either.
    let r = w
        .second
        .put(
            &format!("/api/v1/communities/{WARD}/members/wcoord"),
            json!({"role": "member"}),
        )
        .await;
    assert!(r.status < 300, "{}", r.text);
    assert_eq!(w.coord.get(&download).await.status, 403);
    let member_page = page
        .get(app.url(&format!("/c/{WARD}/export")))
        .send()
        .await
        .unwrap();
    assert_eq!(member_page.status(), 403);
    let r = w
        .second
        .put(
            &format!("/api/v1/communities/{WARD}/members/wcoord"),
            json!({"role": "coordinator"}),
        )
        .await;
    assert!(r.status < 300, "{}", r.text);
}

/// A site admin's archive keeps the circle, the conversation and the addresses; they see
/// every archive of the community.
async fn archived_by_a_site_admin(app: &TestApp, w: &World) {
    let admin = app.admin("wadmin").await;
    let (_, archive) = archive_of(app, &admin).await;
    let manifest: Value = serde_json::from_slice(&archive["copse-export.json"]).unwrap();
    assert_eq!(manifest["cut"]["circles"], "all");
    assert_eq!(
        titles(&archive),
        vec![
            "Audit kit (members)".to_string(),
            "Night-shift circle notes".to_string()
        ]
    );
    assert_eq!(
        lines(&archive, "data/messages.jsonl")[0]["body"],
        "A private word."
    );
    let people = lines(&archive, "people.jsonl");
    assert!(
        people.iter().any(|p| p["email"] == "wsecond@example.org"),
        "{people:?}"
    );
    // Deleted things stay out of every archive.
    assert!(!titles(&archive).contains(&"Posted by mistake".to_string()));
    // The site admin sees every archive of the community and who asked; the coordinator
    // sees theirs alone.
    let asks = format!("/api/v1/communities/{WARD}/exports");
    let everyone: Vec<Value> = serde_json::from_value(admin.get(&asks).await.body).unwrap();
    let askers: Vec<&Value> = everyone.iter().map(|e| &e["asked_by"]).collect();
    assert_eq!(askers, vec!["wadmin", "wcoord"], "{everyone:?}");
    let theirs: Vec<Value> = serde_json::from_value(w.coord.get(&asks).await.body).unwrap();
    assert_eq!(theirs.len(), 1, "{theirs:?}");
    assert_eq!(theirs[0]["asked_by"], "wcoord");
    let coordinators = format!("{asks}/{}/download", everyone[1]["id"]);
    let got = app
        .browser()
        .get(app.url(&coordinators))
        .bearer_auth(admin.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(got.status(), 200);
}
