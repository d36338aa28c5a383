//! Moving a site from SQLite to PostgreSQL: the demo exported from its embedded database with
//! `copse export`, loaded into an empty PostgreSQL database with `copse import`, and both sites
//! answering every list the same to each demo person and to a visitor. Needs PostgreSQL
//! (`COPSE_TEST_DATABASE_URL`); skipped without it, failed under CI.

use std::sync::Arc;

use copse_core::clock::SystemClock;
use serde_json::Value;

use crate::support::{Copse, Reader, SignedIn, copse, printed, start_copse_with, write_with_extra};

async fn token(site: &Copse, email: &str) -> String {
    SignedIn::new(&site.url, email, "copse-demo-2026")
        .await
        .token
}

/// The lists a reader sees of every community, and of its first threads.
async fn paths(reader: &Reader, site: &Copse) -> Vec<String> {
    let mut paths = vec!["/api/v1/communities?limit=100".to_string()];
    let (_, list) = reader.get(site, "/api/v1/communities?limit=100").await;
    for c in list["items"].as_array().unwrap() {
        let slug = c["slug"].as_str().unwrap();
        for tail in [
            "",
            "/threads?limit=200",
            "/members?limit=200",
            "/topics",
            "/events",
        ] {
            paths.push(format!("/api/v1/communities/{slug}{tail}"));
        }
        paths.push(format!("/api/v1/communities/{slug}/stories"));
        let (_, threads) = reader
            .get(site, &format!("/api/v1/communities/{slug}/threads?limit=5"))
            .await;
        for t in threads["items"].as_array().into_iter().flatten() {
            paths.push(format!("/api/v1/threads/{}", t["id"]));
        }
    }
    paths.push("/api/v1/search?q=hand".to_string());
    paths
}

/// What a search found, in id order.
fn found(page: &Value) -> Vec<(i64, i64)> {
    let mut hits: Vec<(i64, i64)> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["thread_id"].as_i64().unwrap(),
                h["reply_id"].as_i64().unwrap_or(0),
            )
        })
        .collect();
    hits.sort();
    hits
}

#[tokio::test]
async fn the_demo_moves_from_sqlite_to_postgres_and_answers_the_same() {
    let Some(admin_url) = copse_store::testing::postgres_url() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI needs COPSE_TEST_DATABASE_URL"
        );
        eprintln!("skipping: COPSE_TEST_DATABASE_URL is not set");
        return;
    };
    let embedded = tempfile::tempdir().unwrap();
    let quiet = ["--job-poll-seconds", "3600"];
    let demo = start_copse_with("demo", embedded.path(), &quiet);
    let (maya, tom) = (
        token(&demo, "maya.okafor@northfield.example").await,
        token(&demo, "tom.becker@riverside.example").await,
    );
    drop(demo);

    let archive = embedded.path().join("site.tar.gz");
    let data = embedded.path().to_str().unwrap();
    let exported = copse(&["export", archive.to_str().unwrap(), "--data-dir", data]);
    assert!(exported.status.success(), "{}", printed(&exported));

    let target = copse_store::testing::TestDb::postgres(&admin_url, Arc::new(SystemClock))
        .await
        .unwrap();
    let moved = tempfile::tempdir().unwrap();
    let into = [
        "--database-url",
        target.url.as_str(),
        "--data-dir",
        moved.path().to_str().unwrap(),
    ];
    let file = archive.to_str().unwrap();
    let imported = copse(&[&["import", file][..], &into].concat());
    assert!(imported.status.success(), "{}", printed(&imported));
    let again = copse(&[&["import", file][..], &into].concat());
    assert!(!again.status.success(), "a site is never imported over");
    let dry = copse(&[&["import", file, "--dry-run"][..], &into].concat());
    assert!(
        printed(&dry).contains("this site is not empty"),
        "{}",
        printed(&dry)
    );

    let original = start_copse_with("serve", embedded.path(), &quiet);
    let copy = start_copse_with("serve", moved.path(), &[&into[..2], &quiet[..]].concat());
    let http = reqwest::Client::new();
    for token in [Some(maya), Some(tom), None] {
        let reader = Reader {
            http: http.clone(),
            token,
        };
        let paths = paths(&reader, &original).await;
        assert!(paths.len() > 20, "{paths:?}");
        for path in paths {
            let (a, b) = (
                reader.get(&original, &path).await,
                reader.get(&copy, &path).await,
            );
            if path.starts_with("/api/v1/search") {
                // Each database ranks and cuts snippets its own way: the same things are found.
                assert_eq!(
                    (a.0, found(&a.1)),
                    (b.0, found(&b.1)),
                    "{path} finds the same"
                );
            } else {
                assert_eq!(a, b, "{path} answers the same on both");
            }
        }
    }
    drop(copy);
    target.finish().await;
}

/// An export carrying what this copse does not know, or a broken row, is refused before a row
/// is written; an empty site stays empty.
#[tokio::test]
async fn an_export_this_copse_cannot_read_is_refused_and_writes_nothing() {
    let source = tempfile::tempdir().unwrap();
    let data = source.path().to_str().unwrap();
    assert!(copse(&["migrate", "--data-dir", data]).status.success());
    let whole = source.path().join("site.tar.gz");
    let exported = copse(&["export", whole.to_str().unwrap(), "--data-dir", data]);
    assert!(exported.status.success(), "{}", printed(&exported));
    let bytes = std::fs::read(&whole).unwrap();
    let cases = [
        (
            "data/telepathy.jsonl",
            &b"{\"id\":1}\n"[..],
            "which its manifest does not list",
        ),
        (
            "data/communities.jsonl",
            &b"{\"id\": \"one\"}\n"[..],
            "appears twice",
        ),
        ("../../etc/passwd", &b"x"[..], "not part of a copse export"),
    ];
    for (n, (extra, content, complaint)) in cases.iter().enumerate() {
        let archive = source.path().join(format!("odd-{n}.tar.gz"));
        write_with_extra(&archive, &bytes, extra, content);
        let target = tempfile::tempdir().unwrap();
        let into = target.path().to_str().unwrap();
        let refused = copse(&["import", archive.to_str().unwrap(), "--data-dir", into]);
        assert!(!refused.status.success(), "{extra}");
        assert!(
            printed(&refused).contains(complaint),
            "{}",
            printed(&refused)
        );
        let dry = copse(&[
            "import",
            whole.to_str().unwrap(),
            "--data-dir",
            into,
            "--dry-run",
        ]);
        assert!(
            printed(&dry).contains("this site is empty"),
            "{}",
            printed(&dry)
        );
    }
}
