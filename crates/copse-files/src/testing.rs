//! For tests (the `testing` feature): a real S3-compatible server — moto's `moto_server`,
//! installed in the workspace's `.venv` by `.ci/run` — one per test, on a free port, with a
//! bucket made for it.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use crate::{Location, S3Settings};

pub struct S3Server {
    child: Child,
    _port: u16,
}

impl Drop for S3Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn program() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin/moto_server")
}

/// A bucket name of its own for each caller in a process.
pub fn bucket(name: &str) -> String {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    format!("{name}-{n}")
}

/// The server and a location in a fresh bucket on it, or None when moto is not installed
/// (a failure under CI).
pub async fn start(bucket: &str) -> Option<(S3Server, Location)> {
    if !program().exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "moto_server missing in .venv under CI"
        );
        eprintln!("skipping the S3 adapter: moto_server missing in .venv");
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let child = Command::new(program())
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let server = S3Server { child, _port: port };
    let endpoint = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    for _ in 0..300 {
        // Making the bucket is the readiness check: it answers once the server listens.
        if let Ok(r) = client.put(format!("{endpoint}/{bucket}")).send().await {
            assert!(
                r.status().is_success(),
                "creating the bucket: {}",
                r.status()
            );
            let settings = S3Settings {
                endpoint: Some(endpoint),
                region: "us-east-1".into(),
                access_key_id: "copse-test".into(),
                secret_access_key: "copse-test-secret".into(),
            };
            let location = Location::S3 {
                bucket: bucket.into(),
                prefix: "site".into(),
                settings,
            };
            return Some((server, location));
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("moto_server did not start");
}
