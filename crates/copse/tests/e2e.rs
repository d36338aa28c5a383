//! Runs the browser journeys of `tests/e2e` (Playwright driving Debian's Chromium) against the
//! real `copse` binary serving a fresh data folder.
//!
//! Needs Node.js, `npm ci` in `tests/e2e` and `/usr/bin/chromium` (`.ci/run` installs them).
//! Without them the test says so and passes locally; under CI (`CI` set) it fails instead, so
//! the journeys can never silently stop running there.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn e2e_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/e2e")
}

fn missing_tools() -> Option<String> {
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !PathBuf::from(&chromium).exists() {
        return Some(format!("{chromium} is missing (apt-get install chromium)"));
    }
    if !e2e_dir().join("node_modules/playwright-core").exists() {
        return Some("tests/e2e/node_modules is missing (npm ci in tests/e2e)".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is missing".into());
    }
    None
}

/// Kills the server when the test ends, however it ends.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn browser_journeys() {
    if let Some(why) = missing_tools() {
        assert!(
            std::env::var_os("CI").is_none(),
            "browser journeys cannot run under CI: {why}"
        );
        eprintln!("skipping the browser journeys: {why}");
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_copse"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .env_remove("COPSE_DATABASE_URL")
        .env_remove("COPSE_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("starting copse");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let url = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| l.strip_prefix("copse is serving at ").map(str::to_string))
        .expect("copse printed its address");
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .current_dir(e2e_dir())
        .env("COPSE_URL", &url)
        .status()
        .expect("running node --test");
    drop(server);
    assert!(status.success(), "browser journeys failed");
}
