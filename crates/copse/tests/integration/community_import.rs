//! A community's archive brought into a site that has others: the demo's ipc-nurses exported
//! with `copse export --community`, imported with `copse import` into another site (PostgreSQL
//! when the tests have it) where one person already has an account, and — from the coordinator's
//! archive the export page prepares — into the demo itself as a copy. Both read the same to the
//! same people: every list and thread of the community, with new ids; files keep their bytes.

use std::sync::Arc;

use copse_core::clock::SystemClock;
use serde_json::Value;

use crate::support::{Copse, Reader, SignedIn, copse, printed, run_copse, start_copse_with};

const DEMO_PASSWORD: &str = "copse-demo-2026";
const MAYA: &str = "maya.okafor@northfield.example";
const QUIET: [&str; 2] = ["--job-poll-seconds", "3600"];

/// The community's lists and every one of its threads, as the reader sees them.
async fn community_paths(reader: &Reader, site: &Copse, slug: &str) -> Vec<String> {
    let base = format!("/api/v1/communities/{slug}");
    let mut paths: Vec<String> = [
        "",
        "/threads?limit=200",
        "/members?limit=200",
        "/topics",
        "/events",
        "/stories",
        "/circles",
        "/newsletters",
        "/rhythm",
        "/experts",
        "/participation",
    ]
    .iter()
    .map(|tail| format!("{base}{tail}"))
    .collect();
    let (_, threads) = reader.get(site, &format!("{base}/threads?limit=200")).await;
    for t in threads["items"].as_array().into_iter().flatten() {
        paths.push(format!("/api/v1/threads/{}", t["id"]));
        paths.push(format!("/api/v1/threads/{}/files", t["id"]));
    }
    paths
}

/// Keys that name a row by its id alone.
const ID_KEYS: &[&str] = &[
    "event",
    "thread",
    "reply",
    "story",
    "recap_thread",
    "circle",
];

/// An answer with what an import changes taken out: ids (and the numbers and file names in
/// addresses and in what a file is attached to), the community's address, and when its levels
/// were last worked out (the import works them out again).
fn without_ids(v: &Value, slug: &str, original: &str) -> Value {
    let changes = |k: &str, v: &Value| {
        k == "id"
            || k.ends_with("_id")
            || k.ends_with("_ids")
            || k == "computed_at"
            || (v.is_number() && ID_KEYS.contains(&k))
    };
    match v {
        Value::Object(map) => Value::Object(
            map.iter()
                .filter(|(k, v)| !changes(k, v))
                .map(|(k, v)| match (k.as_str(), v) {
                    ("attached_to", Value::String(s)) => (k.clone(), without_numbers(s)),
                    _ => (k.clone(), without_ids(v, slug, original)),
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|i| without_ids(i, slug, original))
                .collect(),
        ),
        Value::String(s) if s.contains('/') || s.contains('@') => {
            without_numbers(&s.replace(slug, original))
        }
        Value::String(s) => Value::from(s.replace(slug, original)),
        other => other.clone(),
    }
}

/// An address with its numbers and file names (32 hexadecimal digits) taken out.
fn without_numbers(s: &str) -> Value {
    let mut out = String::new();
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        let is_number = !word.is_empty() && word.bytes().all(|b| b.is_ascii_digit());
        let is_file = word.len() == 32 && word.bytes().all(|b| b.is_ascii_hexdigit());
        out.push_str(if is_number || is_file { "#" } else { word });
        word.clear();
    };
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    Value::from(out)
}

/// A thread's files in name order: files uploaded at the same instant are listed by their
/// (random) names, which an import may change.
fn by_name(mut answer: Value) -> Value {
    if let Some(files) = answer.as_array_mut() {
        files.sort_by_key(|f| f["name"].as_str().unwrap_or_default().to_string());
    }
    answer
}

/// What went into the archive a copy was made from.
#[derive(Clone, Copy, PartialEq)]
enum Archive {
    /// The command line's: everything in the community.
    Whole,
    /// The coordinator's: conversations left out, and with them their acts in the ledger.
    WithoutConversations,
}

/// The weekly chart of a copy made without the community's conversations: every week has at
/// most the acts it had in the original, and the demo's conversations make the whole fewer.
fn fewer_acts_without_conversations(original: &mut Value, copy: &mut Value) {
    let weeks = |v: &mut Value| -> Option<Vec<(String, i64)>> {
        let taken = v.as_object_mut()?.remove("weekly_activity")?;
        let week = |w: &Value| {
            (
                w["week"].as_str().unwrap().to_string(),
                w["acts"].as_i64().unwrap(),
            )
        };
        Some(taken.as_array().unwrap().iter().map(week).collect())
    };
    let (Some(before), Some(after)) = (weeks(original), weeks(copy)) else {
        // A reader who is not shown the chart (a visitor) is shown it for neither.
        return assert_eq!(original.get("weekly_activity"), copy.get("weekly_activity"));
    };
    assert!(!after.is_empty(), "the copy has a weekly chart");
    for (week, acts) in &after {
        let had = before.iter().find(|(w, _)| w == week).map(|(_, n)| *n);
        assert!(
            had.is_some_and(|n| n >= *acts),
            "{week}: {acts} acts, {had:?} before"
        );
    }
    let total = |weeks: &[(String, i64)]| weeks.iter().map(|(_, n)| n).sum::<i64>();
    assert!(
        total(&after) < total(&before),
        "{after:?} without {before:?}'s conversations"
    );
}

/// The community `copy` on `there` reads to one reader as `original` on `here` to another
/// (the same person, or a visitor, on each site).
async fn reads_the_same(
    (reader, here, original): (&Reader, &Copse, &str),
    (other, there, copy): (&Reader, &Copse, &str),
    archive: Archive,
) {
    let (a, b) = (
        community_paths(reader, here, original).await,
        community_paths(other, there, copy).await,
    );
    assert_eq!(a.len(), b.len(), "as many threads");
    assert!(a.len() > 20, "{a:?}");
    for (pa, pb) in a.iter().zip(&b) {
        let (x, y) = (reader.get(here, pa).await, other.get(there, pb).await);
        assert_eq!(x.0, y.0, "{pa} and {pb} answer alike");
        let (mut x, mut y) = (x, y);
        if archive == Archive::WithoutConversations && pa.ends_with("/participation") {
            fewer_acts_without_conversations(&mut x.1, &mut y.1);
        }
        assert_eq!(
            without_ids(&by_name(x.1), copy, original),
            without_ids(&by_name(y.1), copy, original),
            "{pb} reads as {pa}"
        );
    }
}

/// The bytes of every file of the community's threads, in order.
async fn file_bytes(reader: &Reader, site: &Copse, slug: &str) -> Vec<Vec<u8>> {
    let (_, threads) = reader
        .get(
            site,
            &format!("/api/v1/communities/{slug}/threads?limit=200"),
        )
        .await;
    let mut all = Vec::new();
    for t in threads["items"].as_array().unwrap() {
        let (_, files) = reader
            .get(site, &format!("/api/v1/threads/{}/files", t["id"]))
            .await;
        for f in files.as_array().into_iter().flatten() {
            let name = f["id"].as_str().unwrap();
            all.push(reader.bytes(site, &format!("/files/{name}")).await);
        }
    }
    all.sort();
    all
}

async fn token(site: &Copse, email: &str, password: &str) -> String {
    SignedIn::new(&site.url, email, password).await.token
}

/// The demo's ipc-nurses, exported from the command line (a site admin's archive).
fn export_ipc(source: &std::path::Path) -> std::path::PathBuf {
    drop(start_copse_with("demo", source, &QUIET));
    let archive = source.join("ipc.tar.gz");
    let exported = copse(&[
        "export",
        archive.to_str().unwrap(),
        "--community",
        "ipc-nurses",
        "--data-dir",
        source.to_str().unwrap(),
    ]);
    assert!(exported.status.success(), "{}", printed(&exported));
    archive
}

/// A site to move into: PostgreSQL when the tests have it, where Maya already has an account.
async fn other_site(folder: &std::path::Path) -> Option<copse_store::testing::TestDb> {
    let postgres = match copse_store::testing::postgres_url() {
        Some(url) => Some(
            copse_store::testing::TestDb::postgres(&url, Arc::new(SystemClock))
                .await
                .unwrap(),
        ),
        None => {
            assert!(std::env::var_os("CI").is_none(), "CI needs PostgreSQL");
            None
        }
    };
    let on = database_args(&postgres);
    let migrated = run_copse(&[&["migrate"][..], &on].concat(), folder, "");
    assert!(migrated.status.success(), "{}", printed(&migrated));
    let create = ["admin", "create-user", "--email", MAYA, "--handle", "maya"];
    let made = run_copse(
        &[&create[..], &on].concat(),
        folder,
        "another-password-2026\n",
    );
    assert!(made.status.success(), "{}", printed(&made));
    postgres
}

fn database_args(db: &Option<copse_store::testing::TestDb>) -> Vec<&str> {
    match db {
        Some(db) => vec!["--database-url", db.url.as_str()],
        None => vec![],
    }
}

/// Maya's account on `there` gets the profile she has `here` (a matched account keeps its own),
/// so that the community's reach (organisations, departments) can be compared too.
async fn same_profile(here: &Copse, there: &Copse, token_there: &str) {
    let profile = SignedIn::new(&here.url, MAYA, DEMO_PASSWORD)
        .await
        .get("/api/v1/me")
        .await;
    let patched = reqwest::Client::new()
        .patch(format!("{}/api/v1/me", there.url))
        .bearer_auth(token_there)
        .json(&serde_json::json!({
            "display_name": profile["display_name"],
            "organisation": profile["organisation"],
            "department": profile["department"],
            "country": profile["country"],
            "time_zone": profile["time_zone"],
            "expertise": profile["expertise"],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(patched.status(), 200, "{}", patched.text().await.unwrap());
}

#[tokio::test]
async fn a_community_moves_into_another_site_and_reads_the_same() {
    let source = tempfile::tempdir().unwrap();
    let archive = export_ipc(source.path());
    let target = tempfile::tempdir().unwrap();
    let postgres = other_site(target.path()).await;
    let on = database_args(&postgres);
    let file = archive.to_str().unwrap();
    let import = |extra: &[&str]| {
        run_copse(
            &[&["import", file][..], &on, extra].concat(),
            target.path(),
            "",
        )
    };
    let dry = printed(&import(&["--dry-run"]));
    assert!(
        dry.contains("would bring") && dry.contains("1 people matched"),
        "{dry}"
    );
    assert!(dry.contains("dry run: nothing was changed"), "{dry}");
    // Nothing of it stays, people included: the import after it makes the same 17 profiles.
    a_damaged_copy_is_refused(&archive, target.path(), &on);
    let brought = import(&[]);
    let said = printed(&brought);
    assert!(brought.status.success(), "{said}");
    assert!(said.contains("1 people matched"), "{said}");
    assert!(said.contains("17 unclaimed profiles made"), "{said}");
    assert!(said.contains("3 files, 0 rows left out"), "{said}");
    let again = import(&[]);
    assert!(!again.status.success());
    assert!(printed(&again).contains("has the address ipc-nurses"));

    let here = start_copse_with("serve", source.path(), &QUIET);
    let there = start_copse_with("serve", target.path(), &[&on[..], &QUIET[..]].concat());
    let http = reqwest::Client::new();
    let reader = |token: Option<String>| Reader {
        http: http.clone(),
        token,
    };
    let maya_here = reader(Some(token(&here, MAYA, DEMO_PASSWORD).await));
    let maya_there = reader(Some(token(&there, MAYA, "another-password-2026").await));
    same_profile(&here, &there, maya_there.token.as_deref().unwrap()).await;
    let visitor = reader(None);
    let ipc = "ipc-nurses";
    let whole = Archive::Whole;
    reads_the_same((&visitor, &here, ipc), (&visitor, &there, ipc), whole).await;
    // Maya is matched by her verified address: the coordinator there too, with her threads.
    reads_the_same((&maya_here, &here, ipc), (&maya_there, &there, ipc), whole).await;
    let files = file_bytes(&maya_there, &there, ipc).await;
    assert_eq!(files, file_bytes(&maya_here, &here, ipc).await);
    assert!(!files.is_empty());

    // Everyone else is an unclaimed profile: their name, no way in with the old password.
    let (status, henrik) = maya_there.get(&there, "/api/v1/users/henrik").await;
    assert_eq!(status, 200, "{henrik}");
    assert_eq!(
        henrik["display_name"], "Henrik Dahl",
        "and the handle is still free"
    );
    assert_eq!(henrik["organisation"], "Riverside University Hospital");
    let refused = http
        .post(format!("{}/api/v1/auth/tokens", there.url))
        .json(&serde_json::json!({"email": "henrik@riverside.example", "password": DEMO_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 401);
    drop(there);
    if let Some(db) = postgres {
        db.finish().await;
    }
}

/// A damaged row stops the import before it commits.
fn a_damaged_copy_is_refused(archive: &std::path::Path, data: &std::path::Path, on: &[&str]) {
    let damaged = damaged_copy(archive);
    let refused = run_copse(
        &[&["import", damaged.to_str().unwrap()][..], on].concat(),
        data,
        "",
    );
    assert!(!refused.status.success());
    let said = printed(&refused);
    assert!(said.contains("data/replies.jsonl line"), "{said}");
}

/// A copy of the archive whose last reply is cut off in the middle.
fn damaged_copy(archive: &std::path::Path) -> std::path::PathBuf {
    let bytes = std::fs::read(archive).unwrap();
    let broken = with_entry_changed(&bytes, "data/replies.jsonl", |mut rows| {
        rows.extend_from_slice(b"{\"id\": 999999, \"thread_id\": \n");
        rows
    });
    let damaged = archive.with_extension("damaged.gz");
    std::fs::write(&damaged, broken).unwrap();
    damaged
}

/// The coordinator's archive, as the export page prepares it (the worker) and downloads it.
async fn coordinators_archive(site: &Copse, maya: &Reader) -> Vec<u8> {
    let asked = maya
        .http
        .post(format!(
            "{}/api/v1/communities/ipc-nurses/exports",
            site.url
        ))
        .bearer_auth(maya.token.as_deref().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), 202);
    let id = asked.json::<Value>().await.unwrap()["id"].clone();
    for _ in 0..120 {
        let (_, one) = maya
            .get(
                site,
                &format!("/api/v1/communities/ipc-nurses/exports/{id}"),
            )
            .await;
        if one["status"] == "ready" {
            let download = one["download"].as_str().unwrap();
            return maya.bytes(site, download).await;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    panic!("the archive was never ready");
}

/// `archive` (a .tar.gz) with the entry `name` changed by `change`.
fn with_entry_changed(archive: &[u8], name: &str, change: impl Fn(Vec<u8>) -> Vec<u8>) -> Vec<u8> {
    use std::io::Read;
    let mut source = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    let gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut copy = tar::Builder::new(gzip);
    for entry in source.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if path == name {
            bytes = change(bytes);
        }
        let mut header = entry.header().clone();
        header.set_size(bytes.len() as u64);
        header.set_cksum();
        copy.append_data(&mut header, &path, &bytes[..]).unwrap();
    }
    copy.into_inner().unwrap().finish().unwrap()
}

#[tokio::test]
async fn a_coordinators_archive_makes_a_copy_beside_the_original_on_a_running_site() {
    let data = tempfile::tempdir().unwrap();
    let site = start_copse_with("demo", data.path(), &["--job-poll-seconds", "1"]);
    let http = reqwest::Client::new();
    let maya = Reader {
        http: http.clone(),
        token: Some(token(&site, MAYA, DEMO_PASSWORD).await),
    };
    let archive = data.path().join("ipc-by-maya.tar.gz");
    std::fs::write(&archive, coordinators_archive(&site, &maya).await).unwrap();
    let file = archive.to_str().unwrap();
    let import =
        |args: &[&str]| run_copse(&[&["import", file][..], args].concat(), data.path(), "");

    // Into the running site, beside the original: everyone is matched by their address's
    // digest, the files are renamed (the site has them), and the copy reads as the original.
    let copied = import(&["--community", "ipc-copy"]);
    let said = printed(&copied);
    assert!(copied.status.success(), "{said}");
    assert!(said.contains(", 0 unclaimed profiles made"), "{said}");
    let visitor = Reader {
        http: http.clone(),
        token: None,
    };
    let (original, copy, partial) = ("ipc-nurses", "ipc-copy", Archive::WithoutConversations);
    reads_the_same(
        (&visitor, &site, original),
        (&visitor, &site, copy),
        partial,
    )
    .await;
    reads_the_same((&maya, &site, original), (&maya, &site, copy), partial).await;
    let (originals, copies) = (
        file_bytes(&maya, &site, "ipc-nurses").await,
        file_bytes(&maya, &site, "ipc-copy").await,
    );
    assert_eq!(originals, copies);
    let (_, threads) = maya
        .get(&site, "/api/v1/communities/ipc-copy/threads?limit=200")
        .await;
    let ids: Vec<i64> = threads["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    let (_, original) = maya
        .get(&site, "/api/v1/communities/ipc-nurses/threads?limit=200")
        .await;
    assert!(
        original["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| !ids.contains(&t["id"].as_i64().unwrap())),
        "the copy's threads have ids of their own"
    );
}
