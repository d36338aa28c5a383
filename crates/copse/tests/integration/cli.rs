//! The `copse` binary as an operator uses it: migrate, create and suspend accounts, serve the demo,
//! read a config file.

use crate::support::{Copse, printed as out, run_copse as copse};
use std::process::{Command, Stdio};

/// Someone signed in to the demo through the API.
struct Reader {
    http: reqwest::Client,
    url: String,
    secret: String,
}

impl Reader {
    async fn get(&self, path: &str) -> serde_json::Value {
        self.http
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.secret)
            .send()
            .await
            .unwrap()
            .json::<serde_json::Value>()
            .await
            .unwrap()
    }
}

async fn token(url: &str, email: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{url}/api/v1/auth/tokens"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn accounts_from_the_command_line_and_suspension() {
    let data = tempfile::tempdir().unwrap();
    let migrated = copse(&["migrate"], data.path(), "");
    assert!(migrated.status.success(), "{}", out(&migrated));
    assert!(out(&migrated).contains("migrations applied"));

    create_users(&data);

    let path = data.path().to_path_buf();
    let server = crate::support::start_copse(&path);
    let ok = token(&server.url, "root@example.org", "correct horse battery").await;
    assert_eq!(ok.status(), 201);
    let secret = ok.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let me = |secret: String| {
        let url = server.url.clone();
        async move {
            reqwest::Client::new()
                .get(format!("{url}/api/v1/me"))
                .bearer_auth(secret)
                .send()
                .await
                .unwrap()
        }
    };
    let admin: serde_json::Value = me(secret.clone()).await.json().await.unwrap();
    assert_eq!(admin["is_admin"], true);

    let suspended = copse(&["admin", "suspend-user", "--handle", "root"], &path, "");
    assert!(suspended.status.success(), "{}", out(&suspended));
    assert_eq!(
        me(secret.clone()).await.status(),
        401,
        "the token stops at once"
    );
    assert_eq!(
        token(&server.url, "root@example.org", "correct horse battery")
            .await
            .status(),
        401
    );
    let restored = copse(&["admin", "restore-user", "--handle", "root"], &path, "");
    assert!(restored.status.success());
    assert_eq!(me(secret).await.status(), 200);
    let nobody = copse(&["admin", "suspend-user", "--handle", "nobody"], &path, "");
    assert!(!nobody.status.success());
}

/// An admin account from the command line; a taken handle and a weak password are refused.
fn create_users(data: &tempfile::TempDir) {
    let created = copse(
        &[
            "admin",
            "create-user",
            "--email",
            "root@example.org",
            "--handle",
            "root",
            "--admin",
        ],
        data.path(),
        "correct horse battery\n",
    );
    assert!(created.status.success(), "{}", out(&created));
    assert!(out(&created).contains("created @root <root@example.org> (admin)"));
    let again = copse(
        &[
            "admin",
            "create-user",
            "--email",
            "other@example.org",
            "--handle",
            "root",
        ],
        data.path(),
        "correct horse battery\n",
    );
    assert!(!again.status.success());
    assert!(
        out(&again).contains("this handle is taken"),
        "{}",
        out(&again)
    );
    let weak = copse(
        &[
            "admin",
            "create-user",
            "--email",
            "w@example.org",
            "--handle",
            "weak",
        ],
        data.path(),
        "short\n",
    );
    assert!(!weak.status.success());
    assert!(out(&weak).contains("password: must be at least 10 characters"));
}

#[tokio::test]
async fn the_demo_fills_an_empty_database_once() {
    let data = tempfile::tempdir().unwrap();
    let path = data.path().to_path_buf();
    let demo = crate::support::start_copse_with("demo", &path, &[]);
    let http = reqwest::Client::new();
    let anonymous: serde_json::Value = http
        .get(format!("{}/api/v1/communities", demo.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let slugs: Vec<&str> = anonymous["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, vec!["data-engineering", "ipc-nurses", "open-gis"]);

    // The printed sign-ins work, and the coordinator sees pending requests and a wide reach.
    let coordinator = token(
        &demo.url,
        "maya.okafor@northfield.example",
        "copse-demo-2026",
    )
    .await;
    assert_eq!(coordinator.status(), 201);
    let secret = coordinator.json::<serde_json::Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_string();
    let coordinator = Reader {
        http: http.clone(),
        url: demo.url.clone(),
        secret,
    };
    coordinator_sees_reach_requests_and_people(&coordinator).await;
    practice_is_there(&coordinator, &http, &demo).await;
    // The data engineers' community is private: one of its coordinators reads it.
    let lena = token(&demo.url, "lena@alder.example", "copse-demo-2026").await;
    let lena = Reader {
        http: http.clone(),
        url: demo.url.clone(),
        secret: lena.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string(),
    };
    the_demo_is_fresh_and_says_each_reply_once(&[
        (&coordinator, "ipc-nurses"),
        (&lena, "data-engineering"),
        (&coordinator, "open-gis"),
    ])
    .await;

    value_is_there(&coordinator).await;

    newsletter_is_there(&coordinator).await;

    let member = token(&demo.url, "tom.becker@riverside.example", "copse-demo-2026").await;
    assert_eq!(member.status(), 201);
    let member = Reader {
        http: http.clone(),
        url: demo.url.clone(),
        secret: member.json::<serde_json::Value>().await.unwrap()["token"]
            .as_str()
            .unwrap()
            .to_string(),
    };
    notifications_are_of_the_past_and_each_round_told_once(&member).await;
    drop(demo);

    // A second start keeps the data and adds nothing.
    let first = log_until_serving("demo", &path, &[]);
    assert!(first.contains("already has accounts"), "{first}");
    assert!(!first.contains("The demo is ready"), "{first}");
}

/// The coordinator sees pending requests, a wide reach, the domain's history and 30 people or more.
async fn coordinator_sees_reach_requests_and_people(coordinator: &Reader) {
    let ipc = coordinator.get("/api/v1/communities/ipc-nurses").await;
    assert_eq!(ipc["your_role"], "coordinator");
    assert!(ipc["reach"]["organisations"].as_i64().unwrap() >= 5);
    assert!(ipc["reach"]["countries"].as_i64().unwrap() >= 4);
    assert!(ipc["reach"]["observers"].as_i64().unwrap() >= 1);
    let requests = coordinator
        .get("/api/v1/communities/ipc-nurses/join-requests")
        .await;
    assert!(
        !requests["items"].as_array().unwrap().is_empty(),
        "pending join requests"
    );
    let history = coordinator
        .get("/api/v1/communities/ipc-nurses/domain-revisions")
        .await;
    assert_eq!(history["items"].as_array().unwrap().len(), 2);
    let mut people = std::collections::HashSet::new();
    for slug in ["ipc-nurses", "open-gis"] {
        for observers in [false, true] {
            let page = coordinator
                .get(&format!(
                    "/api/v1/communities/{slug}/members?limit=200&observers={observers}"
                ))
                .await;
            for m in page["items"].as_array().unwrap() {
                people.insert(m["handle"].as_str().unwrap().to_string());
            }
        }
    }
    assert!(people.len() >= 30, "{} people seen", people.len());
}

/// Practice: threads with accepted answers and a library, members-only ones hidden outside.
async fn practice_is_there(coordinator: &Reader, http: &reqwest::Client, demo: &Copse) {
    let threads = coordinator
        .get("/api/v1/communities/ipc-nurses/threads?limit=200")
        .await;
    let threads = threads["items"].as_array().unwrap();
    assert!(threads.len() >= 50, "{} threads", threads.len());
    assert!(threads.iter().any(|t| t["accepted_reply_id"].is_i64()));
    assert!(threads.iter().any(|t| t["space"] == "members"));
    let public: serde_json::Value = http
        .get(format!(
            "{}/api/v1/communities/ipc-nurses/threads?limit=200",
            demo.url
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        public["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|t| t["space"] == "public")
    );
    let library = coordinator
        .get("/api/v1/communities/open-gis/threads?library=true")
        .await;
    assert!(!library["items"].as_array().unwrap().is_empty());
    let found = coordinator.get("/api/v1/search?q=chlorhexidine").await;
    assert!(!found["items"].as_array().unwrap().is_empty());
}

/// Fresh on any day: each community's newest thread was started less than a week ago (the
/// everyday threads run up to yesterday from whatever day the demo is made), and no reply is
/// said twice in a community.
async fn the_demo_is_fresh_and_says_each_reply_once(readers: &[(&Reader, &str)]) {
    let now = chrono::Utc::now();
    let parse = |at: &str| chrono::DateTime::parse_from_rfc3339(at).unwrap();
    for &(coordinator, slug) in readers {
        let threads = coordinator
            .get(&format!("/api/v1/communities/{slug}/threads?limit=200"))
            .await;
        let threads = threads["items"]
            .as_array()
            .unwrap_or_else(|| panic!("{threads}"));
        let newest = threads
            .iter()
            .map(|t| parse(t["created_at"].as_str().unwrap()))
            .max()
            .unwrap();
        let age = now.signed_duration_since(newest);
        assert!(
            age > chrono::TimeDelta::zero() && age < chrono::TimeDelta::days(7),
            "{slug}: the newest thread is from {newest}"
        );
        let mut said = std::collections::HashSet::new();
        for t in threads {
            let thread = coordinator
                .get(&format!("/api/v1/threads/{}", t["id"]))
                .await;
            for reply in thread["replies"].as_array().unwrap() {
                let at = reply["created_at"].as_str().unwrap();
                assert!(parse(at) < now, "{slug}: a reply dated in the future, {at}");
                let body = reply["body"].as_str().unwrap();
                assert!(said.insert(body.to_string()), "{slug}: said twice: {body}");
            }
        }
    }
}

/// A member's notifications are all dated before now, and each check-in round is told on its
/// own day: the closed round and the open one are not two notices of the same moment.
async fn notifications_are_of_the_past_and_each_round_told_once(member: &Reader) {
    let now = chrono::Utc::now();
    let page = member.get("/api/v1/notifications?limit=100").await;
    let items = page["items"].as_array().unwrap_or_else(|| panic!("{page}"));
    let mut rounds = std::collections::HashSet::new();
    for n in items {
        let at = n["created_at"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(at).unwrap() < now,
            "{n}"
        );
        if n["kind"] == "check_in" {
            assert!(
                rounds.insert((n["community"].to_string(), at.to_string())),
                "told twice: {n}"
            );
        }
    }
    assert!(rounds.len() >= 2, "both rounds are told: {items:?}");
}

/// Value: 20+ stories across all five cycles, credited to real threads and events, some
/// measured, with topics, spread over months; a closed check-in with answers and an open one.
async fn value_is_there(coordinator: &Reader) {
    let stories = coordinator
        .get("/api/v1/communities/ipc-nurses/stories")
        .await;
    let stories = stories["items"].as_array().unwrap();
    assert!(stories.len() >= 20, "{} stories", stories.len());
    for cycle in ["immediate", "potential", "applied", "realized", "reframing"] {
        assert!(
            stories
                .iter()
                .any(|s| s["cycles"].as_array().unwrap().iter().any(|c| c == cycle)),
            "a story reaches {cycle}"
        );
    }
    assert!(stories.iter().any(|s| s["effect"].is_object()));
    assert!(
        stories
            .iter()
            .any(|s| s["topics"].as_array().is_some_and(|t| !t.is_empty()))
    );
    for kind in ["thread", "event"] {
        assert!(
            stories.iter().any(|s| s["credits"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["kind"] == kind)),
            "stories credit a {kind}"
        );
    }
    let report = coordinator
        .get("/api/v1/communities/ipc-nurses/value-report")
        .await;
    assert!(
        report["per_month"].as_array().unwrap().len() >= 4,
        "{}",
        report["per_month"]
    );
    let rounds = coordinator
        .get("/api/v1/communities/ipc-nurses/checkins")
        .await;
    let rounds = rounds["items"].as_array().unwrap();
    assert_eq!(rounds.len(), 2);
    assert_eq!(
        rounds
            .iter()
            .map(|r| r["open"].as_bool().unwrap())
            .collect::<Vec<_>>(),
        [true, false],
        "the newest is open"
    );
    assert!(
        rounds
            .iter()
            .all(|r| r["checkin"]["answers"].as_i64().unwrap() >= 3)
    );
}

/// The newsletter: last month's issue in the archive, with the coordinator's word and what
/// the month brought; this month's draft waits for the coordinator.
async fn newsletter_is_there(coordinator: &Reader) {
    let issues = coordinator
        .get("/api/v1/communities/ipc-nurses/newsletters")
        .await;
    let issues = issues["items"].as_array().unwrap();
    assert_eq!(
        issues
            .iter()
            .map(|i| (i["number"].as_i64().unwrap(), i["status"].as_str().unwrap()))
            .collect::<Vec<_>>(),
        [(2, "draft"), (1, "sent")]
    );
    let sent = coordinator
        .get("/api/v1/communities/ipc-nurses/newsletters/1")
        .await;
    let text = sent["text"].as_str().unwrap();
    assert!(text.contains("Thank you for another month"), "{text}");
    assert!(
        text.contains("## Coming up") && text.contains("## Value stories"),
        "{text}"
    );
    assert!(text.matches("\n- ").count() >= 4, "{text}");
}

#[tokio::test]
async fn a_config_file_sets_what_flags_do_not() {
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("copse.toml");
    std::fs::write(&config, "allow_signup = false\n").unwrap();
    let config = config.to_str().unwrap().to_string();
    let server = crate::support::start_copse_with("serve", data.path(), &["--config", &config]);
    let refused = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/signup", server.url))
        .json(&serde_json::json!({"handle": "ada", "email": "ada@example.org", "password": "correct horse battery"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let bad = tempfile::tempdir().unwrap();
    let typo = bad.path().join("bad.toml");
    std::fs::write(&typo, "alow_signup = false\n").unwrap();
    let o = copse(
        &["migrate", "--config", typo.to_str().unwrap()],
        bad.path(),
        "",
    );
    assert!(!o.status.success());
    assert!(out(&o).contains("unknown field"), "{}", out(&o));
}

/// What `copse <command>` logs before it says where it is serving, with stdout a pipe.
fn log_until_serving(command: &str, data: &std::path::Path, extra: &[&str]) -> String {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_copse"))
        .args([command, "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .args(extra)
        .env_remove("COPSE_DATABASE_URL")
        .env_remove("COPSE_CONFIG")
        .env_remove("NO_COLOR")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let mut log = String::new();
    for line in lines.map_while(Result::ok) {
        log.push_str(&line);
        log.push('\n');
        if line.starts_with("copse is serving at ") {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    log
}

#[test]
fn a_piped_log_is_plain_text_and_warns_without_a_base_url() {
    let data = tempfile::tempdir().unwrap();
    let log = log_until_serving("serve", data.path(), &[]);
    assert!(log.contains("copse is serving address="), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "no colour codes in a pipe: {log:?}"
    );
    assert!(
        log.contains("WARN") && log.contains("no base_url set"),
        "{log}"
    );
    let log = log_until_serving(
        "serve",
        data.path(),
        &["--base-url", "https://copse.example.org"],
    );
    assert!(log.contains("copse is serving address="), "{log}");
    assert!(!log.contains("base_url"), "{log}");
}

#[test]
fn log_lines_can_be_json_objects_for_a_collector() {
    let data = tempfile::tempdir().unwrap();
    let log = log_until_serving("serve", data.path(), &["--log-format", "json"]);
    let objects: Vec<serde_json::Value> = log
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let said = |level: &str, message: &str| {
        objects.iter().any(|o| {
            o["level"] == level
                && o["fields"]["message"]
                    .as_str()
                    .is_some_and(|m| m.contains(message))
        })
    };
    assert!(said("INFO", "copse is serving"), "{log}");
    assert!(said("WARN", "no base_url set"), "{log}");
    assert!(objects.iter().all(|o| o["timestamp"].is_string()), "{log}");
}
