//! The Atom feeds of the demo, read by an independent parser (Python's feedparser, which must
//! report `bozo == 0`), and checked to carry nothing from members-only spaces.

use crate::support::Copse;
use reqwest::Client;
use std::path::PathBuf;
use std::process::Command;

fn python() -> PathBuf {
    crate::support::workspace_root().join(".venv/bin/python")
}

fn parse(xml: &[u8]) -> serde_json::Value {
    use std::io::Write;
    let mut child = Command::new(python())
        .arg(crate::support::workspace_root().join("tests/interop/parse_feed.py"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("running python");
    child.stdin.take().unwrap().write_all(xml).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "feedparser failed");
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test]
async fn demo_feeds_are_valid_atom_without_members_only_threads() {
    let has_feedparser = Command::new(python())
        .args(["-c", "import feedparser"])
        .status()
        .is_ok_and(|s| s.success());
    let missing = (!has_feedparser)
        .then(|| "feedparser is missing (pip install feedparser in .venv)".to_string());
    if !crate::support::tools_present(missing) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let demo = crate::support::start_copse_with("demo", data.path(), &[]);
    let http = reqwest::Client::new();
    let get = |path: &str| {
        let url = format!("{}{path}", demo.url);
        let http = http.clone();
        async move { http.get(url).send().await.unwrap() }
    };
    let community = get("/c/ipc-nurses/feed.atom").await;
    assert_eq!(community.status(), 200);
    assert!(
        community.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/atom+xml")
    );
    let feed = parse(&community.bytes().await.unwrap());
    assert_eq!(feed["bozo"], 0, "{feed}");
    assert_eq!(feed["version"], "atom10");
    let entries = feed["entries"].as_array().unwrap();
    assert!(entries.len() >= 5);
    assert!(
        entries
            .iter()
            .all(|e| e["link"].as_str().unwrap().contains("/t/"))
    );

    // The coordinator's view lists the members-only threads; none of them is in the feed.
    let secret = members_only_titles(&http, &demo).await;
    assert!(!secret.is_empty());
    for title in &secret {
        assert!(
            entries.iter().all(|e| e["title"] != title.as_str()),
            "{title} leaked into the feed"
        );
    }

    let topic = get("/c/open-gis/topics/projections/feed.atom").await;
    assert_eq!(topic.status(), 200);
    let topic = parse(&topic.bytes().await.unwrap());
    assert_eq!(topic["bozo"], 0);
    assert!(!topic["entries"].as_array().unwrap().is_empty());
    // A private community has no public feed.
    assert_eq!(get("/c/data-engineering/feed.atom").await.status(), 403);
    assert_eq!(get("/c/no-such/feed.atom").await.status(), 404);
}

/// The titles of the members-only threads, as the coordinator's view lists them.
async fn members_only_titles(http: &Client, demo: &Copse) -> Vec<String> {
    let token: serde_json::Value = http
        .post(format!("{}/api/v1/auth/tokens", demo.url))
        .json(&serde_json::json!({"email": "maya.okafor@northfield.example", "password": "copse-demo-2026"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let all: serde_json::Value = http
        .get(format!(
            "{}/api/v1/communities/ipc-nurses/threads?limit=200",
            demo.url
        ))
        .bearer_auth(token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret: Vec<String> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["space"] == "members")
        .map(|t| t["title"].as_str().unwrap().to_string())
        .collect();
    secret
}
