//! Runs the browser journeys of `tests/e2e` (Playwright driving Debian's Chromium) against the
//! real `copse` binary serving a fresh data folder, and the screen journey (`screens.mjs`:
//! every main page at 390 and 1280 px, no overflow, no serious axe finding) against `copse demo`. Needs Node.js, `npm ci` in `tests/e2e` and
//! `/usr/bin/chromium`, which `.ci/run` installs.

use std::path::PathBuf;
use std::process::Command;

fn missing_tools() -> Option<String> {
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !PathBuf::from(&chromium).exists() {
        return Some(format!("{chromium} is missing (apt-get install chromium)"));
    }
    if !crate::support::workspace_root()
        .join("tests/e2e/node_modules/playwright-core")
        .exists()
    {
        return Some("tests/e2e/node_modules is missing (npm ci in tests/e2e)".into());
    }
    if Command::new("node").arg("--version").output().is_err() {
        return Some("node is missing".into());
    }
    None
}

#[test]
fn browser_journeys() {
    if !crate::support::tools_present(missing_tools()) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    // Every journey signs its people up from this one address.
    // The worker looks for due jobs every second, so a verification link is in the outbox
    // by the time the journey looks for it.
    // A real OpenID provider for the single sign-on journey; its codes last five seconds, so
    // that one can be seen to expire. "foreign" names the same provider under another issuer
    // name, which its discovery document contradicts. "lean" is a second provider that gives
    // the e-mail address in user info only.
    let copse_port = crate::support::free_port();
    let (op_port, lean_port) = (crate::support::free_port(), crate::support::free_port());
    let callback = |id| format!("http://127.0.0.1:{copse_port}/auth/sso/{id}/callback");
    let _provider = crate::support::OpenIdProvider::start(op_port, &callback("test"), 5, false);
    let _lean = crate::support::OpenIdProvider::start(lean_port, &callback("lean"), 60, true);
    let config = data.path().join("copse.toml");
    std::fs::write(&config, sso_config(op_port, lean_port)).unwrap();
    let copse = crate::support::start_copse_listening(
        "serve",
        data.path(),
        &format!("127.0.0.1:{copse_port}"),
        &[
            "--signups-per-hour",
            "200",
            "--job-poll-seconds",
            "1",
            "--config",
            config.to_str().unwrap(),
        ],
    );
    // The first journey creates the site's admin with the link copse printed.
    let setup = copse.setup_link().expect("copse printed a first-run link");
    let status = Command::new("node")
        .args(["--test", "--test-concurrency=1"])
        .current_dir(crate::support::workspace_root().join("tests/e2e"))
        .env("COPSE_URL", &copse.url)
        .env("COPSE_SETUP_LINK", setup)
        .env("COPSE_OUTBOX", data.path().join("outbox"))
        .env("COPSE_OP_URL", format!("http://127.0.0.1:{op_port}"))
        .status()
        .expect("running node --test");
    assert!(status.success(), "browser journeys failed");
}

/// Every main page of the demo at a phone's and a desktop's width. `COPSE_SCREENSHOTS=DIR`
/// keeps the screenshots to look at.
#[test]
fn screen_journey_over_the_demo() {
    if !crate::support::tools_present(missing_tools()) {
        return;
    }
    let data = tempfile::tempdir().unwrap();
    let copse = crate::support::start_copse_with("demo", data.path(), &[]);
    let shots = std::env::var("COPSE_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| data.path().join("screens"));
    std::fs::create_dir_all(&shots).unwrap();
    let status = Command::new("node")
        .args(["--test", "screens.mjs"])
        .current_dir(crate::support::workspace_root().join("tests/e2e"))
        .env("COPSE_URL", &copse.url)
        .env("COPSE_SCREENSHOTS", &shots)
        .status()
        .expect("running node --test screens.mjs");
    assert!(status.success(), "the screen journey failed");
}

fn sso_config(op_port: u16, lean_port: u16) -> String {
    format!(
        "[[sso]]\nid = \"test\"\nlabel = \"Test SSO\"\nissuer = \"http://127.0.0.1:{op_port}\"\n\
         client_id = \"copse\"\nclient_secret = \"copse-test-secret\"\ncreate_accounts = true\n\n\
         [[sso]]\nid = \"foreign\"\nlabel = \"Foreign SSO\"\nissuer = \"http://localhost:{op_port}\"\n\
         client_id = \"copse\"\nclient_secret = \"copse-test-secret\"\n\n\
         [[sso]]\nid = \"lean\"\nlabel = \"Lean SSO\"\nissuer = \"http://127.0.0.1:{lean_port}\"\n\
         client_id = \"copse\"\nclient_secret = \"copse-test-secret\"\ncreate_accounts = true\n\n{}",
        crate::support::ROOMY_LIMITS
    )
}
