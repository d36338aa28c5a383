//! The real `copse` binary, started for a test on a free port over a fresh data folder, and the
//! rule for external test tools: missing locally means "skip and say so"; missing under CI
//! (`CI` set) means failure, so a check can never silently stop running there.

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Returns `true` when the test should go on; `false` (after saying why) when a tool is missing
/// outside CI. Panics under CI.
pub fn tools_present(missing: Option<String>) -> bool {
    match missing {
        None => true,
        Some(why) => {
            assert!(
                std::env::var_os("CI").is_none(),
                "cannot run under CI: {why}"
            );
            eprintln!("skipping: {why}");
            false
        }
    }
}

/// What a finished command printed, standard output then standard error.
pub fn printed(o: &std::process::Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Writes to `out` a copy of the `.tar.gz` `archive` with one more entry, named `extra` (any
/// name, `..` included: written into the header by hand, as the tar crate refuses to).
pub fn write_with_extra(out: &std::path::Path, archive: &[u8], extra: &str, bytes: &[u8]) {
    let mut source = tar::Archive::new(flate2::read::GzDecoder::new(archive));
    let gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut copy = tar::Builder::new(gzip);
    for entry in source.entries().unwrap() {
        let mut entry = entry.unwrap();
        let mut header = entry.header().clone();
        let path = entry.path().unwrap().into_owned();
        copy.append_data(&mut header, path, &mut entry).unwrap();
    }
    let mut header = tar::Header::new_gnu();
    header.as_gnu_mut().unwrap().name[..extra.len()].copy_from_slice(extra.as_bytes());
    header.set_size(bytes.len() as u64);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    copy.append(&header, bytes).unwrap();
    std::fs::write(out, copy.into_inner().unwrap().finish().unwrap()).unwrap();
}

/// A running copse; killed when dropped, however the test ends.
pub struct Copse {
    child: Child,
    pub url: String,
    /// The first-run link copse prints when it starts on a site without accounts.
    setup_link: std::sync::mpsc::Receiver<String>,
}

impl Copse {
    /// The setup link copse printed, waiting a little for the line after its address.
    pub fn setup_link(&self) -> Option<String> {
        self.setup_link
            .recv_timeout(std::time::Duration::from_secs(10))
            .ok()
    }
}

impl Drop for Copse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `copse serve` on the embedded database in the given (fresh) data folder. Its worker
/// looks for due jobs every second, so a sign-up's verification link is soon in the outbox.
/// Posting limits no test reaches (config-file form).
pub const ROOMY_LIMITS: &str = "[posting_limits]\nnew_account_hours = 0\nthreads_per_hour = 100000\nreplies_per_hour = 100000\nmessages_per_hour = 100000\nstories_per_hour = 100000\n";

pub fn start_copse(data: &std::path::Path) -> Copse {
    start_copse_with("serve", data, &["--job-poll-seconds", "1"])
}

/// Starts `copse <command>` (serve or demo) on the data folder, with extra arguments.
pub fn start_copse_with(command: &str, data: &std::path::Path, extra: &[&str]) -> Copse {
    start_copse_listening(command, data, "127.0.0.1:0", extra)
}

/// Starts `copse <command>` listening on `listen` (when the address must be known before it
/// starts, as a single sign-on provider's registered callback must).
pub fn start_copse_listening(
    command: &str,
    data: &std::path::Path,
    listen: &str,
    extra: &[&str],
) -> Copse {
    // Tests post far more, from accounts seconds old, than the product's limits allow; the
    // flood test in copse-web checks those limits. A test with its own config file adds
    // [`ROOMY_LIMITS`] to it.
    let mut extra: Vec<String> = extra.iter().map(|a| a.to_string()).collect();
    if !extra.iter().any(|a| a == "--config") {
        let config = data.join("roomy-limits.toml");
        std::fs::write(&config, ROOMY_LIMITS).unwrap();
        extra.extend(["--config".to_string(), config.display().to_string()]);
    }
    let mut child = Command::new(env!("CARGO_BIN_EXE_copse"))
        .args([command, "--listen", listen, "--data-dir"])
        .arg(data)
        .args(&extra)
        .env_remove("COPSE_DATABASE_URL")
        .env_remove("COPSE_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("starting copse");
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("copse is serving at ").map(str::to_string))
        .expect("copse printed its address");
    // Keep reading, so that copse's later log lines do not hit a closed pipe; pass on the
    // first-run link when there is one.
    let (send, setup_link) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in lines.map_while(Result::ok) {
            if let Some(link) = line
                .split(" at ")
                .nth(1)
                .filter(|_| line.contains("first administrator"))
                .and_then(|rest| rest.split_whitespace().next())
            {
                let _ = send.send(link.to_string());
            }
        }
    });
    Copse {
        child,
        url,
        setup_link,
    }
}

/// The secret of the verification link copse mailed to `email`, read from the messages under
/// `folder` (an outbox of `.eml` files, or a maildir), waiting for the worker to send it.
pub async fn verification_secret(folder: &std::path::Path, email: &str) -> String {
    for _ in 0..300 {
        if let Some(secret) = mails_under(folder)
            .iter()
            .filter(|m| m.contains(&format!("<{email}>")))
            .find_map(|m| secret_in(m))
        {
            return secret;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "no verification link for {email} under {}",
        folder.display()
    );
}

/// Follows the link in the sign-up e-mail of `email`, as its owner would.
pub async fn verify_email(base: &str, folder: &std::path::Path, email: &str) {
    let secret = verification_secret(folder, email).await;
    let r = reqwest::Client::new()
        .post(format!("{base}/api/v1/auth/verify-email"))
        .json(&serde_json::json!({ "token": secret }))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "verifying {email}");
}

/// Every message under `folder` and its subfolders, quoted-printable soft breaks undone.
fn mails_under(folder: &std::path::Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(mails_under(&path));
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            out.push(
                text.replace("=\r\n", "")
                    .replace("=\n", "")
                    .replace("=3D", "="),
            );
        }
    }
    out
}

fn secret_in(mail: &str) -> Option<String> {
    let start = mail.find("verify-email?token=cpv_")? + "verify-email?token=".len();
    let secret: String = mail[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    (secret.len() == 4 + 64).then_some(secret)
}

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A real OpenID Connect provider (npm `oidc-provider`, `tests/e2e/oidc/provider.mjs`) on
/// `port`, with one client whose callback is `redirect`; killed when dropped. A `conforming`
/// one puts the e-mail address in user info only, not in the ID token.
pub struct OpenIdProvider(Child);

impl OpenIdProvider {
    pub fn start(port: u16, redirect: &str, code_ttl_seconds: u32, conforming: bool) -> Self {
        let mut child = Command::new("node")
            .arg("oidc/provider.mjs")
            .arg(port.to_string())
            .arg(redirect)
            .env("CODE_TTL", code_ttl_seconds.to_string())
            .env("CONFORM", if conforming { "1" } else { "0" })
            .current_dir(workspace_root().join("tests/e2e"))
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting the OpenID provider");
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        lines
            .by_ref()
            .map_while(Result::ok)
            .find(|l| l.starts_with("ready "))
            .expect("the OpenID provider started");
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        OpenIdProvider(child)
    }
}

impl Drop for OpenIdProvider {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Runs `copse ARGS --data-dir DATA` to its end with `stdin` as its input, as an operator would.
pub fn run_copse(args: &[&str], data: &std::path::Path, stdin: &str) -> std::process::Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_copse"))
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env_remove("COPSE_DATABASE_URL")
        .env_remove("COPSE_CONFIG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// Someone signed in to a running copse through the API, with a token.
pub struct SignedIn {
    pub http: reqwest::Client,
    pub url: String,
    pub token: String,
}

impl SignedIn {
    /// Asks the site at `url` for a token with the account's e-mail and password.
    pub async fn new(url: &str, email: &str, password: &str) -> SignedIn {
        let http = reqwest::Client::new();
        let answer: serde_json::Value = http
            .post(format!("{url}/api/v1/auth/tokens"))
            .json(&serde_json::json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let token = answer["token"]
            .as_str()
            .unwrap_or_else(|| panic!("{answer}"));
        SignedIn {
            http,
            url: url.to_string(),
            token: token.to_string(),
        }
    }

    /// GET `path`, which must answer 200, as JSON.
    pub async fn get(&self, path: &str) -> serde_json::Value {
        let answer = self
            .http
            .get(format!("{}{path}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "GET {path}");
        answer.json().await.unwrap()
    }
}

/// Runs `copse ARGS` to its end, without the environment's database or configuration.
pub fn copse(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_copse"))
        .args(args)
        .env_remove("COPSE_DATABASE_URL")
        .env_remove("COPSE_CONFIG")
        .output()
        .unwrap()
}

/// Someone reading a site through the API; a visitor has no token.
pub struct Reader {
    pub http: reqwest::Client,
    pub token: Option<String>,
}

impl Reader {
    pub async fn get(&self, site: &Copse, path: &str) -> (u16, serde_json::Value) {
        let mut request = self.http.get(format!("{}{path}", site.url));
        if let Some(t) = &self.token {
            request = request.bearer_auth(t);
        }
        let answer = request.send().await.unwrap();
        let status = answer.status().as_u16();
        (
            status,
            answer.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn bytes(&self, site: &Copse, path: &str) -> Vec<u8> {
        let mut request = self.http.get(format!("{}{path}", site.url));
        if let Some(t) = &self.token {
            request = request.bearer_auth(t);
        }
        let answer = request.send().await.unwrap();
        assert_eq!(answer.status(), 200, "GET {path}");
        answer.bytes().await.unwrap().to_vec()
    }
}
