//! The `copse` binary: `serve` runs everything, `demo` serves a filled demo, `migrate` applies
//! migrations, `backup` and `restore` copy a whole embedded site, `admin create-user` makes an
//! account.

mod backup;
mod config;
mod demo;
mod export;
mod export_community;
mod files_config;
mod import;
mod import_community;
mod import_mbox;
mod progress;

use std::io::{IsTerminal, Read};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use copse_app::accounts::{SignupInput, create_account};
use copse_app::mail::{Mailer, Postman};
use copse_app::worker::{Worker, WorkerConfig};
use copse_app::{App, AppConfig};
use copse_core::clock::SystemClock;
use copse_files::FileStore;
use copse_store::{Backend, Store};
use copse_web::{WebConfig, WebState};
use tracing::info;

use config::{CommonArgs, ServeArgs, Settings};

#[derive(Parser)]
#[command(
    name = "copse",
    version,
    about = "A self-hosted platform for communities of practice"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// How log lines are written: `text` for people, `json` (one object a line) for a log
    /// collector.
    #[arg(
        long,
        global = true,
        env = "COPSE_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    log_format: LogFormat,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

/// Log lines to standard output, at the levels `RUST_LOG` names (copse's crates at info by
/// default).
fn start_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        "copse=info,copse_app=info,copse_web=info,copse_store=info,tower_http=warn".into()
    });
    let lines = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Json => lines.json().init(),
        // Colour only on a terminal: piped into a file or a journal, codes are noise.
        LogFormat::Text => lines
            .with_ansi(std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none())
            .init(),
    }
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web pages and the JSON API.
    Serve(ServeArgs),
    /// Fill an empty database with a demo community, then serve it.
    Demo(ServeArgs),
    /// Apply database migrations and exit.
    Migrate(CommonArgs),
    /// Copy the embedded site (database and files folder) into FILE, a .tar.gz, while it runs.
    Backup {
        #[command(flatten)]
        common: CommonArgs,
        /// The backup file to write; it must not exist yet.
        file: std::path::PathBuf,
    },
    /// Fill an empty data folder from a backup that `copse backup` made.
    Restore {
        #[command(flatten)]
        common: CommonArgs,
        /// The backup file to read.
        file: std::path::PathBuf,
    },
    /// Write the whole site (every table as JSON Lines, and the uploads) into FILE, a .tar.gz;
    /// with --community, one community's archive.
    Export {
        #[command(flatten)]
        common: CommonArgs,
        /// The export file to write; it must not exist yet.
        file: std::path::PathBuf,
        /// Write only this community (everything of it, as a site admin's archive).
        #[arg(long, value_name = "SLUG")]
        community: Option<String>,
    },
    /// Load a whole-site export into an empty site (SQLite or PostgreSQL): `import FILE`; a
    /// community's archive into this site beside its others: `import FILE [--community SLUG]`.
    /// Or bring a mailing list's archive into a community: `import mbox FILE --community SLUG`.
    Import {
        #[command(flatten)]
        common: CommonArgs,
        /// The export file to read, or `mbox` and the list archive to read.
        #[arg(value_name = "[mbox] FILE", num_args = 1..=2, required = true)]
        what: Vec<std::path::PathBuf>,
        /// For an mbox: the community whose threads the messages become. For a community's
        /// archive: the address it gets here (the archive's, when not given).
        #[arg(long)]
        community: Option<String>,
        /// For an mbox: where its threads go, `members` (the default) or `public`.
        #[arg(long, default_value = "members")]
        space: String,
        /// Read and check everything and say what would be loaded; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Administration tasks.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

// The subcommands read as `admin create-user`, `admin suspend-user`: the shared suffix is the point.
#[allow(clippy::enum_variant_names)]
#[derive(Subcommand)]
enum AdminCommand {
    /// Create an account; the password is read from standard input.
    CreateUser {
        #[command(flatten)]
        common: CommonArgs,
        #[arg(long)]
        email: String,
        #[arg(long)]
        handle: String,
        #[arg(long, default_value = "")]
        name: String,
        /// Make the account a site administrator.
        #[arg(long)]
        admin: bool,
    },
    /// Suspend an account at once: its sessions end and its API tokens stop working.
    SuspendUser {
        #[command(flatten)]
        common: CommonArgs,
        #[arg(long)]
        handle: String,
    },
    /// Lift a suspension.
    RestoreUser {
        #[command(flatten)]
        common: CommonArgs,
        #[arg(long)]
        handle: String,
    },
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    start_logging(cli.log_format);
    match cli.command {
        Command::Serve(args) => serve(Settings::from_serve(&args)?, false).await,
        Command::Demo(args) => serve(Settings::from_serve(&args)?, true).await,
        Command::Migrate(common) => {
            let store = open(&Settings::from_common(&common)?).await?;
            store.migrate().await.context("applying migrations")?;
            println!("migrations applied");
            Ok(())
        }
        Command::Backup { common, file } => {
            backup::backup(&Settings::from_common(&common)?, &file).await
        }
        Command::Restore { common, file } => {
            backup::restore(&Settings::from_common(&common)?, &file).await
        }
        Command::Export {
            common,
            file,
            community: None,
        } => export::export(&Settings::from_common(&common)?, &file).await,
        Command::Export {
            common,
            file,
            community: Some(slug),
        } => export_community::export(&Settings::from_common(&common)?, &slug, &file).await,
        Command::Import {
            common,
            what,
            community,
            space,
            dry_run,
        } => run_import(&common, &what, community, &space, dry_run).await,
        Command::Admin {
            command:
                AdminCommand::CreateUser {
                    common,
                    email,
                    handle,
                    name,
                    admin,
                },
        } => create_user(&common, email, handle, name, admin).await,
        Command::Admin {
            command: AdminCommand::SuspendUser { common, handle },
        } => set_suspended(&common, &handle, true).await,
        Command::Admin {
            command: AdminCommand::RestoreUser { common, handle },
        } => set_suspended(&common, &handle, false).await,
    }
}

/// `copse admin create-user`: the password is read from standard input.
async fn create_user(
    common: &CommonArgs,
    email: String,
    handle: String,
    name: String,
    admin: bool,
) -> anyhow::Result<()> {
    let settings = Settings::from_common(common)?;
    let store = open(&settings).await?;
    migrate_if_embedded(&store).await?;
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .context("reading the password from stdin")?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    let app = App::new(store, open_files(&settings)?, AppConfig::default());
    let input = SignupInput {
        handle,
        email,
        password,
        display_name: name,
    };
    match create_account(&app, input, admin).await {
        Ok(account) => {
            println!(
                "created @{} <{}>{}",
                account.handle,
                account.email,
                if admin { " (admin)" } else { "" }
            );
            Ok(())
        }
        Err(e) => bail!("could not create the account: {e}"),
    }
}

/// `copse import FILE` (a whole site) or `copse import mbox FILE --community SLUG`.
async fn run_import(
    common: &CommonArgs,
    what: &[std::path::PathBuf],
    community: Option<String>,
    space: &str,
    dry_run: bool,
) -> anyhow::Result<()> {
    let settings = Settings::from_common(common)?;
    match (what, community) {
        ([file], slug) if file.as_os_str() != "mbox" => {
            import::import(&settings, file, slug.as_deref(), dry_run).await
        }
        ([kind, file], Some(slug)) if kind.as_os_str() == "mbox" => {
            import_mbox::import_mbox(&settings, file, &slug, space, dry_run).await
        }
        ([kind, _], None) if kind.as_os_str() == "mbox" => {
            bail!("name the community the archive goes into: --community SLUG")
        }
        _ => bail!(
            "use `copse import FILE [--community SLUG]` or `copse import mbox FILE --community SLUG`"
        ),
    }
}

async fn set_suspended(common: &CommonArgs, handle: &str, suspended: bool) -> anyhow::Result<()> {
    let settings = Settings::from_common(common)?;
    let store = open(&settings).await?;
    migrate_if_embedded(&store).await?;
    let app = App::new(store, open_files(&settings)?, AppConfig::default());
    let handle = handle.trim_start_matches('@');
    let account = match copse_app::user_admin::from_command_line(&app, handle, suspended).await {
        Err(copse_core::Error::NotFound) => anyhow::bail!("no account has the handle @{handle}"),
        other => other?,
    };
    println!(
        "@{} is {}",
        account.handle,
        if suspended { "suspended" } else { "restored" }
    );
    Ok(())
}

/// The file storage the settings name (nothing is sent to an S3 service yet).
fn open_files(settings: &Settings) -> anyhow::Result<FileStore> {
    FileStore::open(&settings.files).map_err(|e| {
        anyhow::anyhow!(
            "opening the file storage ({}): {}",
            settings.files.describe(),
            e.report()
        )
    })
}

async fn open(settings: &Settings) -> anyhow::Result<Store> {
    if Backend::from_url(&settings.database_url)? == Backend::Sqlite {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("creating data folder {}", settings.data_dir.display()))?;
    }
    Store::connect(&settings.database_url, Arc::new(SystemClock))
        .await
        .with_context(|| format!("opening database {}", redact(&settings.database_url)))
}

/// The embedded database migrates itself on start; PostgreSQL deployments run `copse migrate`
/// once per upgrade, so that many nodes starting together do not race.
async fn migrate_if_embedded(store: &Store) -> anyhow::Result<()> {
    if store.backend() == Backend::Sqlite {
        store.migrate().await.context("applying migrations")?;
    }
    Ok(())
}

/// A database URL without its password, for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => format!("{}://…{}", &url[..s], &url[at..]),
        _ => url.to_string(),
    }
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    check_sso(&settings)?;
    warn_without_base_url(&settings);
    let store = open(&settings).await?;
    migrate_if_embedded(&store).await?;
    let files = open_files(&settings)?;
    if demo {
        demo::fill_if_empty(&store, &files).await?;
    }
    info!(files = %settings.files.describe(), "uploads are kept here");
    let app = App::new(store.clone(), files, app_config(&settings));
    let web = WebConfig {
        secure_cookies: settings.secure_cookies,
        ..WebConfig::default()
    };
    Mailer::check_from(&settings.mail_from)?;
    let mailer = Mailer::new(
        settings.smtp_url.as_deref(),
        settings.data_dir.join("outbox"),
    )?;
    match &mailer {
        Mailer::Outbox(dir) => {
            info!(outbox = %dir.display(), "no smtp_url set: e-mail goes to the outbox folder")
        }
        Mailer::Smtp(_) => info!("e-mail goes over SMTP"),
    }
    let postman = Postman {
        mailer,
        from: settings.mail_from.clone(),
        stop_after: None,
    };
    let (stop_worker, worker_stopped) = tokio::sync::watch::channel(false);
    let worker = Worker::new(
        app.clone(),
        postman,
        WorkerConfig {
            node: settings.node_name.clone(),
            poll: std::time::Duration::from_secs(settings.job_poll_seconds),
            ..WorkerConfig::default()
        },
    );
    let worker = tokio::spawn(worker.run(worker_stopped));
    let purger = app.clone();
    tokio::spawn(async move {
        // Expired sessions are harmless (they no longer sign anyone in) but take space.
        let mut every_hour = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            every_hour.tick().await;
            if let Err(e) = copse_app::sessions::purge_expired(&purger).await {
                tracing::warn!(error = %e, "purging expired sessions failed");
            }
        }
    });
    let listener = tokio::net::TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("listening on {}", settings.listen))?;
    let address = listener.local_addr()?;
    info!(%address, database = %redact(&settings.database_url), "copse is serving");
    println!("copse is serving at http://{address}");
    print_setup_link(&app, &settings, address).await?;
    axum::serve(
        listener,
        copse_web::router(WebState::new(app, web))
            .into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    let _ = stop_worker.send(true);
    let _ = worker.await;
    store.close().await;
    Ok(())
}

/// The use cases' settings from the merged settings.
fn app_config(settings: &Settings) -> AppConfig {
    AppConfig {
        base_url: settings.base_url.clone(),
        allow_signup: settings.allow_signup,
        require_verified_email: settings.require_verified_email,
        password_sign_in: settings.password_sign_in,
        sso: settings.sso.clone(),
        posting: settings.posting,
        files: settings.file_limits.clone(),
        throttle_signup: copse_store::ThrottleRule {
            max_failures: i64::from(settings.signups_per_hour),
            window_ms: 3600 * 1000,
        },
        ..AppConfig::default()
    }
}

/// Without the site's public address, links in e-mail and feeds' ids are made from each
/// request's `Host` header (relative, in e-mail sent by the worker): fine on a laptop, wrong
/// behind a proxy, and a cache could be fed another host's links.
fn warn_without_base_url(settings: &Settings) {
    if settings.base_url.is_none() {
        tracing::warn!(
            "no base_url set: links in e-mail are relative and feeds follow each request's Host \
             header; set --base-url (or base_url in the config file) to the site's public address"
        );
    }
}

/// Single sign-on settings that cannot work are refused at start, not at the first sign-in.
fn check_sso(settings: &Settings) -> anyhow::Result<()> {
    if !settings.password_sign_in && settings.sso.is_empty() {
        bail!("password_sign_in = false needs at least one [[sso]] provider in the config file");
    }
    let mut seen = std::collections::HashSet::new();
    for p in &settings.sso {
        let ok = !p.id.is_empty()
            && p.id.len() <= 32
            && p.id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !ok || !seen.insert(p.id.clone()) {
            bail!(
                "[[sso]] id {:?} must be unique, 1–32 of a–z, 0–9 and -",
                p.id
            );
        }
        if p.label.trim().is_empty() || p.client_id.is_empty() || p.issuer.is_empty() {
            bail!("[[sso]] {} needs a label, an issuer and a client_id", p.id);
        }
    }
    Ok(())
}

/// On a site without accounts, the one-time link that creates its first administrator.
async fn print_setup_link(
    app: &App,
    settings: &Settings,
    address: std::net::SocketAddr,
) -> anyhow::Result<()> {
    if let Some(code) = copse_app::setup::issue_code(app).await? {
        let base = settings
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{address}"));
        let base = base.trim_end_matches('/');
        println!(
            "This site has no accounts yet. Create its first administrator at \
             {base}/setup?code={code} (or run `copse admin create-user --admin`)."
        );
    }
    Ok(())
}

/// Ctrl-C or SIGTERM (what service managers and container runtimes send) end the server after
/// the requests in flight.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = terminate => {},
    }
    info!("shutting down");
}
