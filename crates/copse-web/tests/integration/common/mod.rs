//! A real copse server per test: the full router on a free port, over a fresh database — SQLite
//! always, PostgreSQL too when `COPSE_TEST_DATABASE_URL` is set — driven through HTTP as a client
//! or a browser would.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use copse_app::mail::{Mailer, Postman};
use copse_app::worker::{Worker, WorkerConfig};
use copse_app::{App, AppConfig};
use copse_core::clock::{Clock, SystemClock};
use copse_store::testing::TestDb;
use copse_web::{WebConfig, WebState};
use reqwest::header::{HeaderMap, HeaderValue, ORIGIN};
use serde_json::{Value, json};

pub struct TestApp {
    pub base: String,
    pub db: TestDb,
    /// The use cases the server runs (for workers and fixtures the API has no door for).
    pub state: App,
    server: tokio::task::JoinHandle<()>,
    /// The folder uploads are kept in (the embedded default), removed with the test.
    pub files_dir: Arc<tempfile::TempDir>,
}

/// How a test's server is set up: the use cases' settings and the web layer's.
#[derive(Debug, Clone)]
pub struct Config {
    pub app: AppConfig,
    pub web: WebConfig,
    /// Where uploads go: None for a folder of the test's own.
    pub files: Option<copse_files::Location>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            app: roomy_app_config(),
            web: WebConfig::default(),
            files: None,
        }
    }
}

/// The product's settings, but with posting limits no test reaches: tests post far more, from
/// accounts seconds old, than a person would. `moderation.rs` tests the real limits.
pub fn roomy_app_config() -> AppConfig {
    let roomy = copse_app::moderation::Rate {
        max: 100_000,
        per_ms: 3_600_000,
    };
    AppConfig {
        posting: copse_app::moderation::PostingLimits {
            new_account_ms: 0,
            threads: roomy,
            replies: roomy,
            messages: roomy,
            stories: roomy,
            ..Default::default()
        },
        ..AppConfig::default()
    }
}

impl TestApp {
    pub async fn start(db: TestDb, config: Config) -> TestApp {
        // Internal errors are logged, never shown: print them with the failing test's output.
        let _ = tracing_subscriber::fmt()
            .with_test_writer()
            .with_env_filter("copse_app=warn,copse_web=warn,copse_store=warn")
            .try_init();
        let files_dir = Arc::new(tempfile::tempdir().unwrap());
        let location = config
            .files
            .clone()
            .unwrap_or_else(|| copse_files::Location::Folder(files_dir.path().join("files")));
        let files = copse_files::FileStore::open(&location).unwrap();
        let state = App::new(db.store.clone(), files, config.app);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let app = copse_web::router(WebState::new(state.clone(), config.web))
            .into_make_service_with_connect_info::<SocketAddr>();
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        TestApp {
            base: format!("http://{addr}"),
            db,
            state,
            server,
            files_dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client without cookies, as an API script.
    pub fn api(&self) -> Api {
        Api {
            base: self.base.clone(),
            http: reqwest::Client::new(),
            token: None,
            store: Some(self.db.store.clone()),
        }
    }

    /// A cookie-keeping client that sends the site's Origin on posts, as a browser does (the
    /// configured base URL's, when there is one).
    pub fn browser(&self) -> reqwest::Client {
        let configured = self.state.absolute("");
        let origin = if configured.is_empty() {
            &self.base
        } else {
            &configured
        };
        let mut headers = HeaderMap::new();
        headers.insert(ORIGIN, HeaderValue::from_str(origin).unwrap());
        reqwest::Client::builder()
            .cookie_store(true)
            .default_headers(headers)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub async fn finish(self) {
        self.server.abort();
        self.db.finish().await;
    }
}

/// One app per backend under test.
pub async fn apps() -> Vec<TestApp> {
    apps_with(Config::default).await
}

pub async fn apps_with(config: impl Fn() -> Config) -> Vec<TestApp> {
    let dbs = TestDb::each_backend(|| Arc::new(SystemClock) as Arc<dyn Clock>)
        .await
        .unwrap();
    let mut apps = Vec::new();
    for db in dbs {
        apps.push(TestApp::start(db, config()).await);
    }
    apps
}

pub const PASSWORD: &str = "correct horse battery";

#[derive(Clone)]
pub struct Api {
    pub base: String,
    pub http: reqwest::Client,
    pub token: Option<String>,
    /// The server's database, for the one step of [`Api::person`] a test about something else
    /// does not walk through: following the verification link in the sign-up e-mail (the tests
    /// in `verification.rs` walk it).
    pub store: Option<copse_store::Store>,
}

pub struct Reply {
    pub status: u16,
    pub body: Value,
    pub text: String,
}

impl Api {
    fn auth(&self, rb: reqwest::RequestBuilder) -> reqwest::RequestBuilder {
        match &self.token {
            Some(t) => rb.bearer_auth(t),
            None => rb,
        }
    }

    async fn reply(rb: reqwest::RequestBuilder) -> Reply {
        let response = rb.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, body, text }
    }

    pub async fn get(&self, path: &str) -> Reply {
        Self::reply(self.auth(self.http.get(format!("{}{path}", self.base)))).await
    }

    pub async fn post(&self, path: &str, body: Value) -> Reply {
        Self::reply(self.auth(self.http.post(format!("{}{path}", self.base)).json(&body))).await
    }

    pub async fn post_empty(&self, path: &str) -> Reply {
        Self::reply(self.auth(self.http.post(format!("{}{path}", self.base)))).await
    }

    pub async fn patch(&self, path: &str, body: Value) -> Reply {
        Self::reply(self.auth(self.http.patch(format!("{}{path}", self.base)).json(&body))).await
    }

    pub async fn put(&self, path: &str, body: Value) -> Reply {
        Self::reply(self.auth(self.http.put(format!("{}{path}", self.base)).json(&body))).await
    }

    pub async fn delete(&self, path: &str) -> Reply {
        Self::reply(self.auth(self.http.delete(format!("{}{path}", self.base)))).await
    }

    pub async fn delete_with(&self, path: &str, body: Value) -> Reply {
        Self::reply(self.auth(self.http.delete(format!("{}{path}", self.base)).json(&body))).await
    }

    pub async fn raw_post(&self, path: &str, content_type: &str, body: Vec<u8>) -> Reply {
        Self::reply(
            self.auth(
                self.http
                    .post(format!("{}{path}", self.base))
                    .header("content-type", content_type)
                    .body(body),
            ),
        )
        .await
    }

    /// Signs up `handle` and returns a client holding a token for the new account.
    pub async fn person(&self, handle: &str) -> Api {
        let r = self
            .post(
                "/api/v1/auth/signup",
                json!({"handle": handle, "email": format!("{handle}@example.org"), "password": PASSWORD}),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        assert_eq!(
            r.body["email_verified"], false,
            "a sign-up's address waits for its link"
        );
        if let Some(store) = &self.store {
            copse_store::testing::verify_email(store, handle).await;
        }
        let t = self
            .post(
                "/api/v1/auth/tokens",
                json!({"email": format!("{handle}@example.org"), "password": PASSWORD}),
            )
            .await;
        assert_eq!(t.status, 201, "{}", t.text);
        Api {
            token: Some(t.body["token"].as_str().unwrap().to_string()),
            ..self.clone()
        }
    }

    pub fn anonymous(&self) -> Api {
        Api {
            token: None,
            ..self.clone()
        }
    }

    /// Creates a community with the given settings; the caller becomes its coordinator.
    pub async fn community(&self, slug: &str, visibility: &str, listed: bool, join: &str) -> Value {
        let r = self
            .post(
                "/api/v1/communities",
                json!({
                    "name": format!("Community {slug}"),
                    "slug": slug,
                    "domain_statement": format!("We learn about {slug} together."),
                    "visibility": visibility,
                    "listed": listed,
                    "join_policy": join,
                    "join_questions": if join == "approval" { json!(["Where do you work?"]) } else { json!([]) },
                }),
            )
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body
    }

    /// Posts a thread in community `slug`; it must be created. Returns its id.
    pub async fn thread(&self, slug: &str, body: Value) -> i64 {
        let r = self
            .post(&format!("/api/v1/communities/{slug}/threads"), body)
            .await;
        assert_eq!(r.status, 201, "{}", r.text);
        r.body["id"].as_i64().unwrap()
    }
}

pub fn error_code(r: &Reply) -> &str {
    r.body["error"]["code"].as_str().unwrap_or("")
}

/// One app per backend under test, each on its own fixed clock starting at `start`.
pub async fn apps_at(start: i64) -> Vec<(TestApp, copse_core::clock::FixedClock)> {
    let mut apps = Vec::new();
    for (db, clock) in TestDb::each_backend_with_clock(start).await.unwrap() {
        apps.push((TestApp::start(db, Config::default()).await, clock));
    }
    apps
}

impl TestApp {
    /// A browser signed in with the page form as the account with this e-mail.
    pub async fn signed_in(&self, email: &str) -> reqwest::Client {
        let browser = self.browser();
        let r = browser
            .post(self.url("/signin"))
            .form(&[("email", email), ("password", PASSWORD)])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 303, "sign-in of {email}");
        browser
    }

    /// Makes a site admin (as `copse admin create-user --admin` does) and signs them in.
    pub async fn admin(&self, handle: &str) -> Api {
        copse_app::accounts::create_account(
            &self.state,
            copse_app::accounts::SignupInput {
                handle: handle.into(),
                email: format!("{handle}@example.org"),
                password: PASSWORD.into(),
                display_name: handle.into(),
            },
            true,
        )
        .await
        .unwrap();
        let t = self
            .api()
            .post(
                "/api/v1/auth/tokens",
                json!({"email": format!("{handle}@example.org"), "password": PASSWORD}),
            )
            .await;
        assert_eq!(t.status, 201, "{}", t.text);
        Api {
            token: Some(t.body["token"].as_str().unwrap().to_string()),
            ..self.api()
        }
    }
}

/// A real SMTP server (aiosmtpd) writing into a maildir in its temporary folder.
pub struct Smtp(pub std::process::Child, pub tempfile::TempDir);

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub fn python() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/python")
}

/// A real SMTP server (aiosmtpd) writing a maildir, or None when it is not installed (then the
/// test fails under CI and skips the e-mail surface locally).
pub async fn smtp() -> Option<(Smtp, u16)> {
    let ok = std::process::Command::new(python())
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        assert!(
            std::env::var_os("CI").is_none(),
            "aiosmtpd missing in .venv under CI"
        );
        eprintln!("skipping the e-mail surface: aiosmtpd missing in .venv");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let server = Smtp(
        std::process::Command::new(python())
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(dir.path().join("maildir"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap(),
        dir,
    );
    for _ in 0..200 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some((server, port));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("aiosmtpd did not start");
}

/// A worker sending through the SMTP server on `port`; `crash_after` stops a digest or
/// newsletter batch after that many messages, as a crash would.
pub fn worker(state: &App, port: u16, node: &str, crash_after: Option<usize>) -> Worker {
    let postman = Postman {
        mailer: Mailer::new(
            Some(&format!("smtp://127.0.0.1:{port}")),
            std::path::PathBuf::new(),
        )
        .unwrap(),
        from: "copse <copse@example.org>".into(),
        stop_after: crash_after,
    };
    let config = WorkerConfig {
        node: node.into(),
        ..WorkerConfig::default()
    };
    Worker::new(state.clone(), postman, config)
}

/// The messages caught so far, parsed by Python's e-mail package.
pub fn caught(smtp: &Smtp) -> Vec<Value> {
    let out = std::process::Command::new(python())
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../tests/interop/parse_mail.py"
        ))
        .arg(smtp.1.path().join("maildir"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let messages: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    every_message_is_well_formed(&messages);
    messages
}

/// What every message copse sends carries, whatever it is: a unique `Message-ID` (mail without
/// one is refused by large providers) and `Auto-Submitted: auto-generated` (RFC 3834).
fn every_message_is_well_formed(messages: &[Value]) {
    let mut ids = std::collections::HashSet::new();
    for m in messages {
        let id = m["message_id"].as_str().unwrap_or_default();
        assert!(
            id.starts_with('<') && id.ends_with('>') && id.contains('@'),
            "Message-ID {id:?} of {:?}",
            m["subject"]
        );
        assert!(ids.insert(id.to_string()), "Message-ID {id} used twice");
        assert_eq!(m["auto_submitted"], "auto-generated", "{:?}", m["subject"]);
    }
}

/// The one message of `messages` addressed to `handle` (at any domain).
pub fn mail_to(messages: &[Value], handle: &str) -> Value {
    messages
        .iter()
        .find(|m| m["to"].as_str().unwrap().contains(&format!("<{handle}@")))
        .unwrap_or_else(|| panic!("no message to {handle}"))
        .clone()
}

/// Runs the worker until no job is left: the welcomes of new members go out, so that a test
/// about other mail counts only that.
pub async fn send_welcomes(state: &App, port: u16) {
    let w = worker(state, port, "welcomes", None);
    for _ in 0..20 {
        if w.tick().await.unwrap() == 0 {
            return;
        }
    }
    panic!("the worker kept finding jobs");
}

/// The messages but the welcomes of new members.
pub fn without_welcomes(messages: &[Value]) -> Vec<Value> {
    messages
        .iter()
        .filter(|m| {
            !m["subject"]
                .as_str()
                .unwrap_or("")
                .starts_with("Welcome to ")
        })
        .cloned()
        .collect()
}

pub fn to_whom(messages: &[Value]) -> BTreeMap<String, usize> {
    let mut by = BTreeMap::new();
    for m in messages {
        let to = m["to"].as_str().unwrap();
        let handle = to
            .split('<')
            .nth(1)
            .and_then(|a| a.split('@').next())
            .unwrap_or(to)
            .to_string();
        *by.entry(handle).or_default() += 1;
    }
    by
}

/// The public address the e-mail tests configure: every link in a message starts with it.
pub const MAIL_BASE: &str = "https://copse.example";

/// An app per backend for e-mail tests, on a fixed clock from `start`: links made absolute
/// with [`MAIL_BASE`], and room for the dozens of sign-ups a test makes from one address.
pub async fn mail_apps(start: i64) -> Vec<(TestApp, copse_core::clock::FixedClock)> {
    mail_apps_with(start, |_| {}).await
}

/// The same, with the use cases' settings changed by `change`.
pub async fn mail_apps_with(
    start: i64,
    change: impl Fn(&mut AppConfig),
) -> Vec<(TestApp, copse_core::clock::FixedClock)> {
    let mut apps = Vec::new();
    for (db, clock) in TestDb::each_backend_with_clock(start).await.unwrap() {
        let mut app = AppConfig {
            base_url: Some(MAIL_BASE.into()),
            throttle_signup: copse_store::ThrottleRule {
                max_failures: 100,
                window_ms: 3_600_000,
            },
            ..roomy_app_config()
        };
        change(&mut app);
        let config = Config {
            app,
            ..Config::default()
        };
        apps.push((TestApp::start(db, config).await, clock));
    }
    apps
}

/// A worker whose e-mail goes to an outbox folder (for tests that read no message).
pub fn outbox_worker(state: &App, outbox: std::path::PathBuf) -> Worker {
    let postman = Postman {
        mailer: Mailer::new(None, outbox).unwrap(),
        from: "copse <copse@localhost>".into(),
        stop_after: None,
    };
    Worker::new(state.clone(), postman, WorkerConfig::default())
}
