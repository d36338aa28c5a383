//! Fresh databases for tests: a temporary SQLite file always, and a new PostgreSQL database when
//! `COPSE_TEST_DATABASE_URL` names a server. Every test gets its own database, so tests run in
//! parallel and never see each other's rows.

use std::path::PathBuf;
use std::sync::Arc;

use copse_core::clock::Clock;
use sqlx::Connection;

use crate::{Backend, Store};

/// A database made for one test; removed again when dropped (best effort).
pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

fn random_suffix() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl TestDb {
    /// A migrated SQLite database in a temporary file.
    pub async fn sqlite(clock: Arc<dyn Clock>) -> anyhow::Result<TestDb> {
        let path = std::env::temp_dir().join(format!("copse-test-{}.db", random_suffix()));
        let url = format!("sqlite://{}?mode=rwc", path.display());
        let store = Store::connect(&url, clock).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            url,
            cleanup: Cleanup::File(path),
        })
    }

    /// A migrated PostgreSQL database created afresh on the server at `admin_url`.
    pub async fn postgres(admin_url: &str, clock: Arc<dyn Clock>) -> anyhow::Result<TestDb> {
        sqlx::any::install_default_drivers();
        let name = format!("copse_test_{}", random_suffix());
        let mut admin = sqlx::AnyConnection::connect(admin_url).await?;
        sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
            .execute(&mut admin)
            .await?;
        admin.close().await?;
        let url = with_database(admin_url, &name);
        let store = Store::connect(&url, clock).await?;
        store.migrate().await?;
        Ok(TestDb {
            store,
            url,
            cleanup: Cleanup::Database {
                admin_url: admin_url.to_string(),
                name,
            },
        })
    }

    /// One database per backend under test: SQLite always, PostgreSQL when configured.
    pub async fn each_backend(clock: impl Fn() -> Arc<dyn Clock>) -> anyhow::Result<Vec<TestDb>> {
        let mut dbs = vec![TestDb::sqlite(clock()).await?];
        if let Some(url) = postgres_url() {
            dbs.push(TestDb::postgres(&url, clock()).await?);
        }
        Ok(dbs)
    }

    /// One database per backend under test, each with its own fixed clock starting at `start`.
    pub async fn each_backend_with_clock(
        start: i64,
    ) -> anyhow::Result<Vec<(TestDb, copse_core::clock::FixedClock)>> {
        use copse_core::clock::FixedClock;
        let clock = FixedClock::at(start);
        let mut dbs = vec![(TestDb::sqlite(Arc::new(clock.clone())).await?, clock)];
        if let Some(url) = postgres_url() {
            let clock = FixedClock::at(start);
            dbs.push((
                TestDb::postgres(&url, Arc::new(clock.clone())).await?,
                clock,
            ));
        }
        Ok(dbs)
    }

    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// Closes the pool and removes the database.
    pub async fn finish(self) {
        self.store.close().await;
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                if let Ok(mut admin) = sqlx::AnyConnection::connect(admin_url).await {
                    let _ = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                    )))
                    .execute(&mut admin)
                    .await;
                }
            }
        }
    }
}

/// The PostgreSQL server tests should also run on, if any.
pub fn postgres_url() -> Option<String> {
    std::env::var("COPSE_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map_or(0, |i| i + 3);
    let host_part = match base[scheme_end..].find('/') {
        Some(i) => &base[..scheme_end + i],
        None => base,
    };
    match query {
        Some(q) => format!("{host_part}/{name}?{q}"),
        None => format!("{host_part}/{name}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/test", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/test?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
