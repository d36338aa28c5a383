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

/// A running copse; killed when dropped, however the test ends.
pub struct Copse {
    child: Child,
    pub url: String,
}

impl Drop for Copse {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `copse serve` on the embedded database in the given (fresh) data folder.
pub fn start_copse(data: &std::path::Path) -> Copse {
    start_copse_with("serve", data, &[])
}

/// Starts `copse <command>` (serve or demo) on the data folder, with extra arguments.
pub fn start_copse_with(command: &str, data: &std::path::Path, extra: &[&str]) -> Copse {
    let mut child = Command::new(env!("CARGO_BIN_EXE_copse"))
        .args([command, "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data)
        .args(extra)
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
    // Keep reading, so that copse's later log lines do not hit a closed pipe.
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    Copse { child, url }
}
