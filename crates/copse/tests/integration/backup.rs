//! `copse backup` while people write, `copse restore` into a new folder, and the restored site
//! answering as the original did; damaged and foreign archives are refused and leave nothing.

use std::path::Path;
use std::process::{Command, Output};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use serde_json::{Value, json};

use crate::support::{SignedIn as Site, printed as said, start_copse_with, write_with_extra};

fn run(args: &[&str], data: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_copse"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("COPSE_DATABASE_URL")
        .env_remove("COPSE_CONFIG")
        .output()
        .unwrap()
}

impl Site {
    async fn bytes(&self, path: &str) -> Vec<u8> {
        let answer = self
            .http
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "GET {path}");
        answer.bytes().await.unwrap().to_vec()
    }

    async fn start_community(&self, slug: &str) {
        let made = self
            .http
            .post(format!("{}/api/v1/communities", self.url))
            .bearer_auth(&self.token)
            .json(&json!({"name": "Night shift", "slug": slug, "domain_statement": "Nights."}))
            .send()
            .await
            .unwrap();
        assert_eq!(made.status(), 201, "{}", made.text().await.unwrap());
    }

    /// Posts a thread and answers its id once the site has acknowledged it.
    async fn post(&self, title: &str) -> i64 {
        let answer = self
            .http
            .post(format!(
                "{}/api/v1/communities/night-shift/threads",
                self.url
            ))
            .bearer_auth(&self.token)
            .json(&json!({"title": title, "body": "Written while a backup ran."}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 201, "{}", answer.text().await.unwrap());
        answer.json::<Value>().await.unwrap()["id"]
            .as_i64()
            .unwrap()
    }

    /// The writers' community's thread ids, every page of them, in the list's order.
    async fn thread_ids(&self) -> Vec<i64> {
        let mut ids = Vec::new();
        let mut cursor = String::new();
        loop {
            let page = self
                .get(&format!(
                    "/api/v1/communities/night-shift/threads?limit=200{cursor}"
                ))
                .await;
            let items = page["items"].as_array().unwrap();
            ids.extend(items.iter().map(|t| t["id"].as_i64().unwrap()));
            match page["next_cursor"].as_str() {
                Some(next) => cursor = format!("&cursor={next}"),
                None => return ids,
            }
        }
    }
}

/// Everything but the community the writers write in, which the test compares on its own.
fn without_writes(mut directory: Value) -> Value {
    let items = directory["items"].as_array_mut().unwrap();
    items.retain(|c| c["slug"] != "night-shift");
    directory
}

async fn sign_in(url: &str) -> Site {
    Site::new(url, "maya.okafor@northfield.example", "copse-demo-2026").await
}

/// Two writers post threads before, during and after the backup; each write is stamped with
/// whether the backup had started or finished when the site acknowledged it.
async fn write_during_backup(site: &Arc<Site>, data: &Path, file: &Path) -> (Vec<i64>, Vec<i64>) {
    let started = Arc::new(AtomicBool::new(false));
    let finished = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for writer in 0..2 {
        let (site, started, finished) = (site.clone(), started.clone(), finished.clone());
        writers.push(tokio::spawn(async move {
            let (mut before, mut after) = (Vec::new(), Vec::new());
            for n in 0.. {
                let was_finished = finished.load(Ordering::SeqCst);
                let id = site.post(&format!("Writer {writer}, thread {n}")).await;
                if !started.load(Ordering::SeqCst) {
                    before.push(id);
                }
                if was_finished {
                    after.push(id);
                    if after.len() >= 3 {
                        break;
                    }
                }
            }
            (before, after)
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    started.store(true, Ordering::SeqCst);
    let (data, file) = (data.to_path_buf(), file.to_path_buf());
    let made = tokio::task::spawn_blocking(move || run(&["backup", file.to_str().unwrap()], &data))
        .await
        .unwrap();
    finished.store(true, Ordering::SeqCst);
    assert!(made.status.success(), "{}", said(&made));
    assert!(
        said(&made).contains("backed up the database"),
        "{}",
        said(&made)
    );
    let (mut before, mut after) = (Vec::new(), Vec::new());
    for writer in writers {
        let (b, a) = writer.await.unwrap();
        before.extend(b);
        after.extend(a);
    }
    (before, after)
}

/// Every file attached to the community's threads, by its address, with its bytes.
async fn files_of(site: &Site, threads: &[i64]) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for id in threads {
        let list = site.get(&format!("/api/v1/threads/{id}/files")).await;
        for file in list.as_array().unwrap() {
            let url = file["url"].as_str().unwrap().to_string();
            let bytes = site.bytes(&url).await;
            files.push((url, bytes));
        }
    }
    files
}

#[tokio::test]
async fn a_backup_made_while_writing_restores_an_identical_site() {
    let original_dir = tempfile::tempdir().unwrap();
    let original = start_copse_with("demo", original_dir.path(), &["--job-poll-seconds", "1"]);
    let site = Arc::new(sign_in(&original.url).await);
    site.start_community("night-shift").await;
    let backups = tempfile::tempdir().unwrap();
    let file = backups.path().join("site.tar.gz");

    let (before, after) = write_during_backup(&site, original_dir.path(), &file).await;
    assert!(!before.is_empty() && after.len() >= 6);
    let again = run(&["backup", file.to_str().unwrap()], original_dir.path());
    assert!(
        !again.status.success(),
        "an existing backup is never overwritten"
    );
    assert!(said(&again).contains("already exists"), "{}", said(&again));

    let restored_dir = tempfile::tempdir().unwrap();
    let restored = run(&["restore", file.to_str().unwrap()], restored_dir.path());
    assert!(restored.status.success(), "{}", said(&restored));
    let twice = run(&["restore", file.to_str().unwrap()], restored_dir.path());
    assert!(!twice.status.success(), "a site is never restored over");
    assert!(
        said(&twice).contains("already holds a site"),
        "{}",
        said(&twice)
    );

    let copy = start_copse_with("serve", restored_dir.path(), &[]);
    // The session token made on the original signs in on the copy: accounts and sessions came too.
    let restored_site = Site {
        http: reqwest::Client::new(),
        url: copy.url.clone(),
        token: site.token.clone(),
    };
    let now = site.thread_ids().await;
    let kept = restored_site.thread_ids().await;
    for id in &before {
        assert!(
            kept.contains(id),
            "thread {id}, written before the backup, is in it"
        );
    }
    for id in &after {
        assert!(
            !kept.contains(id),
            "thread {id}, written after the backup, is not"
        );
    }
    let expected: Vec<i64> = now.iter().copied().filter(|id| kept.contains(id)).collect();
    assert_eq!(
        kept, expected,
        "the copy holds a prefix of the original, in its order"
    );

    same_answers(&site, &restored_site).await;
}

/// The lists the writers did not touch answer the same on both, and so do the demo's files.
async fn same_answers(site: &Site, restored_site: &Site) {
    for path in [
        "/api/v1/communities/ipc-nurses",
        "/api/v1/communities/ipc-nurses/threads?limit=200",
        "/api/v1/communities/ipc-nurses/members",
        "/api/v1/communities/ipc-nurses/topics",
        "/api/v1/communities/ipc-nurses/events",
    ] {
        assert_eq!(
            site.get(path).await,
            restored_site.get(path).await,
            "{path}"
        );
    }
    assert_eq!(
        without_writes(site.get("/api/v1/communities").await),
        without_writes(restored_site.get("/api/v1/communities").await)
    );
    let ipc = restored_site
        .get("/api/v1/communities/ipc-nurses/threads?limit=200")
        .await;
    let ipc: Vec<i64> = ipc["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    let files = files_of(site, &ipc).await;
    assert!(files.len() >= 2, "the demo's photo and document");
    assert_eq!(files, files_of(restored_site, &ipc).await);
}

#[tokio::test]
async fn damaged_and_foreign_archives_are_refused_and_leave_nothing() {
    let source = tempfile::tempdir().unwrap();
    assert!(run(&["migrate"], source.path()).status.success());
    let backups = tempfile::tempdir().unwrap();
    let whole = backups.path().join("whole.tar.gz");
    let made = run(&["backup", whole.to_str().unwrap()], source.path());
    assert!(made.status.success(), "{}", said(&made));

    let bytes = std::fs::read(&whole).unwrap();
    let cut = backups.path().join("cut.tar.gz");
    std::fs::write(&cut, &bytes[..bytes.len() * 2 / 3]).unwrap();
    let traversal = backups.path().join("traversal.tar.gz");
    write_with_extra(&traversal, &bytes, "files/../copse.db", b"evil");
    let stranger = backups.path().join("stranger.tar.gz");
    write_with_extra(&stranger, &bytes, "etc/cron.d/evil", b"evil");

    for (archive, complaint) in [
        (&cut, "damaged"),
        (&traversal, "which copse never writes"),
        (&stranger, "not part of a copse backup"),
    ] {
        let target = tempfile::tempdir().unwrap();
        let refused = run(&["restore", archive.to_str().unwrap()], target.path());
        assert!(!refused.status.success(), "{}", archive.display());
        assert!(said(&refused).contains(complaint), "{}", said(&refused));
        let left: Vec<_> = std::fs::read_dir(target.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .filter(|name| name != "files")
            .collect();
        assert!(left.is_empty(), "{} left {left:?}", archive.display());
    }
    let not_a_backup = backups.path().join("notes.tar.gz");
    std::fs::write(&not_a_backup, b"plain words").unwrap();
    let target = tempfile::tempdir().unwrap();
    let refused = run(&["restore", not_a_backup.to_str().unwrap()], target.path());
    assert!(
        said(&refused).contains("not a copse backup"),
        "{}",
        said(&refused)
    );
}
