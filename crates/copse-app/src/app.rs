//! The use cases' handle on storage and settings, shared by every area of this crate.

use std::sync::Arc;

use copse_core::clock::Millis;
use copse_core::domain::uploads::FileLimits;
use copse_files::FileStore;
use copse_store::{Store, ThrottleRule};

use crate::moderation::PostingLimits;
use crate::sso::discovery::Discovery;

/// Settings of the use cases. Built by the binary from flags, environment and config file.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// The public address of the site, e.g. `https://copse.example.org`; used for links that
    /// leave the site (e-mails, invitations, calendars) and for the strict Origin check.
    pub base_url: Option<String>,
    /// How long a browser session lasts.
    pub session_ttl_ms: i64,
    /// Whether anyone may sign up (otherwise accounts come from `copse admin create-user`).
    pub allow_signup: bool,
    /// Whether an account must verify its e-mail address before it posts (reading and editing
    /// one's profile never wait). Nothing is ever mailed to an unverified address but its link.
    pub require_verified_email: bool,
    /// Sign-in failures allowed per account (e-mail) and per client address.
    pub throttle_account: ThrottleRule,
    pub throttle_ip: ThrottleRule,
    /// New accounts per client address, and new communities per account (admins exempt).
    pub throttle_signup: ThrottleRule,
    pub throttle_new_community: ThrottleRule,
    /// The OpenID Connect providers people may sign in with.
    pub sso: Vec<SsoProvider>,
    /// Whether people may sign in with a password (off: single sign-on only).
    pub password_sign_in: bool,
    /// A personal data export of at most this many things is answered at once; a larger one
    /// is prepared in the background.
    pub export_at_once: i64,
    /// How much an account may post in a while, stricter in its first day.
    pub posting: PostingLimits,
    /// What one upload, an account's day and a community may hold, and the kinds allowed.
    pub files: FileLimits,
}

/// One configured single sign-on provider (the flows are in `sso`).
#[derive(Debug, Clone, Default)]
pub struct SsoProvider {
    /// In addresses: `/auth/sso/<id>/…`.
    pub id: String,
    /// On the button: "Sign in with <label>".
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// When not empty, only addresses at these domains sign in.
    pub allowed_domains: Vec<String>,
    /// Make an account on a first sign-in (with a verified address); otherwise people link
    /// the provider from their account first.
    pub create_accounts: bool,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            base_url: None,
            session_ttl_ms: 30 * 24 * 3600 * 1000,
            allow_signup: true,
            require_verified_email: true,
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
            sso: Vec::new(),
            password_sign_in: true,
            export_at_once: 5_000,
            posting: PostingLimits::default(),
            files: FileLimits::default(),
        }
    }
}

/// The use cases' handle on storage and settings. Cheap to clone; the store inside is this
/// crate's alone, so adapters go through the use cases.
#[derive(Clone)]
pub struct App {
    pub(crate) store: Store,
    /// Where uploaded files' bytes are kept.
    pub(crate) files: FileStore,
    pub config: Arc<AppConfig>,
    /// The single sign-on providers' discovery documents, kept between sign-ins.
    pub(crate) sso_discovery: Arc<Discovery>,
}

impl App {
    pub fn new(store: Store, files: FileStore, config: AppConfig) -> Self {
        App {
            store,
            files,
            sso_discovery: Arc::new(Discovery::new(config.sso.iter().map(|p| p.id.as_str()))),
            config: Arc::new(config),
        }
    }

    /// The current time from the store's clock (a fixed clock in tests).
    pub fn now(&self) -> Millis {
        self.store.now()
    }

    /// True when the database answers.
    pub async fn healthy(&self) -> bool {
        self.store.ping().await
    }

    /// An absolute link for things that leave the site (e-mails, invitation links).
    pub fn absolute(&self, path: &str) -> String {
        match &self.config.base_url {
            Some(base) => format!("{}{path}", base.trim_end_matches('/')),
            None => path.to_string(),
        }
    }
}
