//! The connection to the database: one `Store` over a pool of SQLite or PostgreSQL
//! connections, its migrations, and the helpers every area uses to map database errors.

use copse_core::OrInternal;
use std::path::Path;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;

use copse_core::Error;
use copse_core::clock::{Clock, Millis, SystemClock};
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, Executor};

/// Which database a store talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn from_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Ok(Backend::Postgres)
        } else {
            anyhow::bail!("database URL must start with sqlite: or postgres:")
        }
    }

    /// Byte-wise collation, so that keyset pagination compares exactly as it sorts on both.
    pub(crate) fn binary_collation(self) -> &'static str {
        match self {
            Backend::Sqlite => "BINARY",
            Backend::Postgres => "\"C\"",
        }
    }
}

/// The backend's migrations, embedded at build time.
pub(crate) fn migrator(backend: Backend) -> sqlx::migrate::Migrator {
    match backend {
        Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
        Backend::Postgres => sqlx::migrate!("migrations/postgres"),
    }
}

/// The handle to storage that every surface shares. Cheap to clone.
#[derive(Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    pub(crate) clock: Arc<dyn Clock>,
    url: Arc<str>,
}

/// The SQLite database file inside a data folder.
pub fn sqlite_url_for_data_dir(data_dir: &Path) -> String {
    format!("sqlite://{}?mode=rwc", data_dir.join("copse.db").display())
}

impl Store {
    /// Opens a pool. SQLite connections use WAL with full sync (an acknowledged write survives a
    /// crash), enforce foreign keys and wait for a busy writer instead of failing at once.
    pub async fn connect(url: &str, clock: Arc<dyn Clock>) -> anyhow::Result<Store> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let options = AnyConnectOptions::from_str(url)?;
        let pool_options = match backend {
            Backend::Sqlite => {
                AnyPoolOptions::new()
                    .max_connections(8)
                    .after_connect(|conn, _meta| {
                        Box::pin(async move {
                            conn.execute(
                                "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                             PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000;",
                            )
                            .await?;
                            Ok(())
                        })
                    })
            }
            Backend::Postgres => AnyPoolOptions::new().max_connections(16),
        };
        let pool = pool_options
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        Ok(Store {
            pool,
            backend,
            clock,
            url: url.into(),
        })
    }

    pub async fn connect_default_clock(url: &str) -> anyhow::Result<Store> {
        Store::connect(url, Arc::new(SystemClock)).await
    }

    /// Applies the backend's pending migrations.
    pub async fn migrate(&self) -> anyhow::Result<()> {
        migrator(self.backend).run(&self.pool).await?;
        // The first migration that brings the activity ledger fills it from what already
        // happened; after that, the use cases record each act as it happens.
        if self.activity_is_empty().await? {
            let added = self.backfill_activity().await?;
            if added > 0 {
                tracing::info!(entries = added, "activity ledger filled from existing data");
            }
        }
        Ok(())
    }

    /// The URL this store was opened with (it may hold a password: do not log it as is).
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    /// Begins a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
    /// IMMEDIATE`), so a transaction that reads, checks and then writes cannot be overtaken by
    /// another writer between its check and its write, and waits its turn instead of failing.
    pub(crate) async fn begin_write(
        &self,
    ) -> copse_core::Result<sqlx::Transaction<'static, sqlx::Any>> {
        match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .or_internal()
    }

    /// True when the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        sqlx::query("SELECT 1").execute(&self.pool).await.is_ok()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Maps a database error to the core's error; unexpected ones become `Internal`, whose text is
/// logged by the web layer and never shown.
#[track_caller]
pub(crate) fn db_err(e: sqlx::Error) -> Error {
    Error::caused_by(e)
}

/// True when the error is a unique-constraint violation on either backend.
pub(crate) fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

/// Result of a unique insert: the conflict is turned into a user-facing error.
#[track_caller]
pub(crate) fn unique_or(e: sqlx::Error, conflict: Error) -> Error {
    if is_unique_violation(&e) {
        conflict
    } else {
        db_err(e)
    }
}

/// Ends a transaction that failed after it wrote, releasing its write lock now rather than when
/// the dropped transaction's rollback gets around to running (on SQLite, a lingering write lock
/// makes the next writer fail with "database is locked").
pub(crate) async fn abort<T>(
    tx: sqlx::Transaction<'_, sqlx::Any>,
    error: Error,
) -> copse_core::Result<T> {
    let _ = tx.rollback().await;
    Err(error)
}

pub(crate) fn flag(b: bool) -> i64 {
    i64::from(b)
}
