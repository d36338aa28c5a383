//! Configuration: command-line flags, each also an environment variable `COPSE_…`, over an
//! optional TOML file (`--config`), over defaults. Loaded once here and passed down; nothing
//! reads configuration globally.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use copse_app::moderation::{PostingLimits, Rate};
use copse_core::clock::HOUR;
use copse_core::domain::uploads::FileLimits;
use copse_files::Location;
use serde::Deserialize;

use crate::files_config::{self, FilesArgs, FilesEntry};

/// Flags shared by every command that opens the database or serves.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Folder for copse's data (the SQLite file, later uploads and the mail outbox).
    #[arg(long, env = "COPSE_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: `sqlite://…` or `postgres://…`. Default: a SQLite file in the data folder.
    #[arg(long, env = "COPSE_DATABASE_URL")]
    pub database_url: Option<String>,
    /// A TOML file with any of the settings below (flags and environment win over it).
    #[arg(long, env = "COPSE_CONFIG")]
    pub config: Option<PathBuf>,
}

/// Flags of `serve` and `demo`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub common: CommonArgs,
    /// Address to listen on.
    #[arg(long, env = "COPSE_LISTEN")]
    pub listen: Option<SocketAddr>,
    /// The public address of the site, e.g. https://copse.example.org (for links and the
    /// Origin check of form posts).
    #[arg(long, env = "COPSE_BASE_URL")]
    pub base_url: Option<String>,
    /// Mark cookies Secure (serve over HTTPS). Default: on when the base URL is https.
    #[arg(long, env = "COPSE_SECURE_COOKIES")]
    pub secure_cookies: Option<bool>,
    /// Let anyone sign up (default true).
    #[arg(long, env = "COPSE_ALLOW_SIGNUP")]
    pub allow_signup: Option<bool>,
    /// Accounts must verify their e-mail address before they post (default true). Nothing but
    /// the verification link is ever mailed to an unverified address, whatever this says.
    #[arg(long, env = "COPSE_REQUIRE_VERIFIED_EMAIL")]
    pub require_verified_email: Option<bool>,
    /// SMTP server for e-mail, `smtp://user:password@host:port`. Without it, messages are
    /// written to the `outbox` folder in the data folder.
    #[arg(long, env = "COPSE_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of e-mail, e.g. `copse <copse@example.org>`.
    #[arg(long, env = "COPSE_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// This node's name in the job queue (default: host name and process id). Must differ
    /// between nodes sharing a database.
    #[arg(long, env = "COPSE_NODE_NAME")]
    pub node_name: Option<String>,
    /// Seconds between the worker's looks for due jobs (default 30).
    #[arg(long, env = "COPSE_JOB_POLL_SECONDS")]
    pub job_poll_seconds: Option<u64>,
    /// How many accounts may be made from one client address in an hour (default 20): raise
    /// it where many people sign up from behind one address, e.g. a hospital's network.
    #[arg(long, env = "COPSE_SIGNUPS_PER_HOUR")]
    pub signups_per_hour: Option<u32>,
    /// Let people sign in with a password (default true); off, they sign in with the single
    /// sign-on providers of the config file only.
    #[arg(long, env = "COPSE_PASSWORD_SIGN_IN")]
    pub password_sign_in: Option<bool>,
    #[command(flatten)]
    pub files: FilesArgs,
}

/// The TOML file's shape. Unknown keys are an error, so a typo does not go unnoticed.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    pub listen: Option<SocketAddr>,
    pub base_url: Option<String>,
    pub secure_cookies: Option<bool>,
    pub allow_signup: Option<bool>,
    pub require_verified_email: Option<bool>,
    pub smtp_url: Option<String>,
    pub mail_from: Option<String>,
    pub node_name: Option<String>,
    pub job_poll_seconds: Option<u64>,
    pub signups_per_hour: Option<u32>,
    pub password_sign_in: Option<bool>,
    /// `[[sso]]` tables: the OpenID Connect providers.
    #[serde(default)]
    pub sso: Vec<SsoEntry>,
    /// `[posting_limits]`: how much an account may post in an hour.
    #[serde(default)]
    pub posting_limits: PostingLimitsEntry,
    /// `[files]`: where uploads are kept and how large they may be.
    #[serde(default)]
    pub files: FilesEntry,
}

/// The `[posting_limits]` table; what it leaves out keeps its default.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostingLimitsEntry {
    /// How long an account counts as new (default 24 hours).
    pub new_account_hours: Option<u32>,
    /// Threads and replies per hour for a new account (defaults 3 and 10) and for others
    /// (defaults 20 and 60).
    pub new_threads_per_hour: Option<u32>,
    pub new_replies_per_hour: Option<u32>,
    pub threads_per_hour: Option<u32>,
    pub replies_per_hour: Option<u32>,
    /// Conversation messages per hour (defaults 10 new, 120 others) and value stories per
    /// hour (defaults 2 new, 10 others).
    pub new_messages_per_hour: Option<u32>,
    pub messages_per_hour: Option<u32>,
    pub new_stories_per_hour: Option<u32>,
    pub stories_per_hour: Option<u32>,
    /// Links a new account may put in one post (default 2).
    pub new_links_per_post: Option<u32>,
}

impl PostingLimitsEntry {
    fn limits(&self) -> PostingLimits {
        let d = PostingLimits::default();
        let hourly = |n: Option<u32>, default: Rate| {
            n.map_or(default, |max| Rate {
                max: i64::from(max),
                per_ms: HOUR,
            })
        };
        PostingLimits {
            new_account_ms: self
                .new_account_hours
                .map_or(d.new_account_ms, |h| i64::from(h) * HOUR),
            new_threads: hourly(self.new_threads_per_hour, d.new_threads),
            new_replies: hourly(self.new_replies_per_hour, d.new_replies),
            threads: hourly(self.threads_per_hour, d.threads),
            replies: hourly(self.replies_per_hour, d.replies),
            new_messages: hourly(self.new_messages_per_hour, d.new_messages),
            messages: hourly(self.messages_per_hour, d.messages),
            new_stories: hourly(self.new_stories_per_hour, d.new_stories),
            stories: hourly(self.stories_per_hour, d.stories),
            new_links_per_post: self
                .new_links_per_post
                .map_or(d.new_links_per_post, |n| n as usize),
        }
    }
}

/// One `[[sso]]` table of the config file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SsoEntry {
    /// Short name used in addresses (`/auth/sso/<id>/callback`): a–z, 0–9, `-`.
    pub id: String,
    pub label: String,
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    #[serde(default)]
    pub allowed_domains: Vec<String>,
    #[serde(default)]
    pub create_accounts: bool,
}

impl From<SsoEntry> for copse_app::sso::SsoProvider {
    fn from(e: SsoEntry) -> Self {
        copse_app::sso::SsoProvider {
            id: e.id,
            label: e.label,
            issuer: e.issuer,
            client_id: e.client_id,
            client_secret: e.client_secret,
            allowed_domains: e.allowed_domains,
            create_accounts: e.create_accounts,
        }
    }
}

impl FileConfig {
    pub fn load(path: Option<&Path>) -> anyhow::Result<FileConfig> {
        let Some(path) = path else {
            return Ok(FileConfig::default());
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("reading config file {}", path.display()))?;
        toml::from_str(&text).with_context(|| format!("parsing config file {}", path.display()))
    }
}

/// Settings after merging flags, environment, file and defaults.
#[derive(Debug, Clone)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub listen: SocketAddr,
    pub base_url: Option<String>,
    pub secure_cookies: bool,
    pub allow_signup: bool,
    pub require_verified_email: bool,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    pub node_name: String,
    pub job_poll_seconds: u64,
    pub signups_per_hour: u32,
    pub password_sign_in: bool,
    pub sso: Vec<copse_app::sso::SsoProvider>,
    pub posting: PostingLimits,
    pub files: Location,
    pub file_limits: FileLimits,
}

impl Settings {
    pub fn from_common(common: &CommonArgs) -> anyhow::Result<Settings> {
        let file = FileConfig::load(common.config.as_deref())?;
        Settings::merge(common, None, file)
    }

    pub fn from_serve(args: &ServeArgs) -> anyhow::Result<Settings> {
        let file = FileConfig::load(args.common.config.as_deref())?;
        Settings::merge(&args.common, Some(args), file)
    }

    fn merge(
        common: &CommonArgs,
        serve: Option<&ServeArgs>,
        file: FileConfig,
    ) -> anyhow::Result<Settings> {
        let data_dir = common
            .data_dir
            .clone()
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./copse-data"));
        let database_url = common
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| copse_store::sqlite_url_for_data_dir(&data_dir));
        let base_url = serve.and_then(|s| s.base_url.clone()).or(file.base_url);
        let no_flags = FilesArgs::default();
        let file_args = serve.map_or(&no_flags, |s| &s.files);
        let (files, file_limits) = files_config::merge(file_args, file.files, &data_dir)?;
        let secure_default = base_url
            .as_deref()
            .is_some_and(|u| u.starts_with("https://"));
        Ok(Settings {
            files,
            file_limits,
            listen: serve
                .and_then(|s| s.listen)
                .or(file.listen)
                .unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 8080))),
            secure_cookies: serve
                .and_then(|s| s.secure_cookies)
                .or(file.secure_cookies)
                .unwrap_or(secure_default),
            allow_signup: serve
                .and_then(|s| s.allow_signup)
                .or(file.allow_signup)
                .unwrap_or(true),
            require_verified_email: serve
                .and_then(|s| s.require_verified_email)
                .or(file.require_verified_email)
                .unwrap_or(true),
            smtp_url: serve.and_then(|s| s.smtp_url.clone()).or(file.smtp_url),
            mail_from: serve
                .and_then(|s| s.mail_from.clone())
                .or(file.mail_from)
                .unwrap_or_else(|| "copse <copse@localhost>".into()),
            node_name: serve
                .and_then(|s| s.node_name.clone())
                .or(file.node_name)
                .unwrap_or_else(default_node_name),
            job_poll_seconds: serve
                .and_then(|s| s.job_poll_seconds)
                .or(file.job_poll_seconds)
                .unwrap_or(30)
                .clamp(1, 3600),
            signups_per_hour: serve
                .and_then(|s| s.signups_per_hour)
                .or(file.signups_per_hour)
                .unwrap_or(20)
                .clamp(1, 100_000),
            password_sign_in: serve
                .and_then(|s| s.password_sign_in)
                .or(file.password_sign_in)
                .unwrap_or(true),
            posting: file.posting_limits.limits(),
            sso: file.sso.into_iter().map(Into::into).collect(),
            base_url,
            data_dir,
            database_url,
        })
    }
}

/// A node name that differs between processes and machines.
fn default_node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname")
        .map(|h| h.trim().to_string())
        .unwrap_or_default();
    format!(
        "{}-{}",
        if host.is_empty() { "copse" } else { &host },
        std::process::id()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn common() -> CommonArgs {
        CommonArgs {
            data_dir: None,
            database_url: None,
            config: None,
        }
    }

    #[test]
    fn defaults_put_sqlite_in_the_data_dir() {
        let s = Settings::merge(&common(), None, FileConfig::default()).unwrap();
        assert_eq!(s.database_url, "sqlite://./copse-data/copse.db?mode=rwc");
        assert_eq!(s.listen.to_string(), "127.0.0.1:8080");
        assert!(!s.secure_cookies && s.allow_signup);
        assert_eq!(s.signups_per_hour, 20);
        let file: FileConfig = toml::from_str("signups_per_hour = 0").unwrap();
        let s = Settings::merge(&common(), None, file).unwrap();
        assert_eq!(
            s.signups_per_hour, 1,
            "never zero: someone must be able to sign up"
        );
    }

    #[test]
    fn flags_win_over_the_file_and_https_implies_secure_cookies() {
        let file: FileConfig = toml::from_str(
            "data_dir = \"/srv/copse\"\nlisten = \"0.0.0.0:9000\"\nbase_url = \"https://c.example.org\"",
        )
        .unwrap();
        let mut args = common();
        args.data_dir = Some(PathBuf::from("/tmp/x"));
        let s = Settings::merge(&args, None, file).unwrap();
        assert_eq!(s.data_dir, PathBuf::from("/tmp/x"));
        assert!(s.secure_cookies);
        assert!(
            toml::from_str::<FileConfig>("listn = \"x\"").is_err(),
            "typos are refused"
        );
    }
}
