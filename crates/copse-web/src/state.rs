//! What every handler shares: the store and the web settings, loaded once by the binary.

use std::sync::Arc;

use copse_store::{Store, ThrottleRule};

/// Settings of the web layer. Built by the binary from flags, environment and config file.
#[derive(Debug, Clone)]
pub struct WebConfig {
    /// Mark cookies `Secure`: set when copse is served over HTTPS (directly or behind a proxy).
    pub secure_cookies: bool,
    /// The public address of the site, e.g. `https://copse.example.org`; used for invitation
    /// links and, when set, for the strict Origin check of form posts.
    pub base_url: Option<String>,
    /// How long a browser session lasts.
    pub session_ttl_ms: i64,
    /// Whether anyone may sign up (otherwise accounts come from `copse admin create-user`).
    pub allow_signup: bool,
    /// Sign-in failures allowed per account (e-mail) and per client address.
    pub throttle_account: ThrottleRule,
    pub throttle_ip: ThrottleRule,
    /// New accounts per client address, and new communities per account (admins exempt).
    pub throttle_signup: ThrottleRule,
    pub throttle_new_community: ThrottleRule,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            secure_cookies: false,
            base_url: None,
            session_ttl_ms: 30 * 24 * 3600 * 1000,
            allow_signup: true,
            throttle_account: ThrottleRule {
                max_failures: 5,
                window_ms: 15 * 60 * 1000,
            },
            throttle_ip: ThrottleRule {
                max_failures: 50,
                window_ms: 15 * 60 * 1000,
            },
            throttle_signup: ThrottleRule {
                max_failures: 20,
                window_ms: 3600 * 1000,
            },
            throttle_new_community: ThrottleRule {
                max_failures: 10,
                window_ms: 24 * 3600 * 1000,
            },
            max_body_bytes: 256 * 1024,
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<WebConfig>,
}

impl AppState {
    pub fn new(store: Store, config: WebConfig) -> Self {
        AppState {
            store,
            config: Arc::new(config),
        }
    }

    /// An absolute link for things that leave the site (invitation links).
    pub fn absolute(&self, path: &str) -> String {
        match &self.config.base_url {
            Some(base) => format!("{}{path}", base.trim_end_matches('/')),
            None => path.to_string(),
        }
    }
}
