//! What a backup needs of the database: a consistent copy of a running SQLite site, and the
//! schema versions that say whether a copy can be restored by this build.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{Context, bail};

use crate::db::{Backend, Store, migrator};

/// The newest schema this build knows for `backend`: a copy made by a newer copse has a
/// higher one and is refused, since an older build cannot read what it has never seen.
pub fn known_schema_version(backend: Backend) -> i64 {
    migrator(backend)
        .iter()
        .map(|m| m.version)
        .max()
        .unwrap_or(0)
}

/// The database file a SQLite URL names (`None` for an in-memory database).
pub fn sqlite_file(url: &str) -> anyhow::Result<Option<PathBuf>> {
    let options = sqlx::sqlite::SqliteConnectOptions::from_str(url)
        .with_context(|| "reading the SQLite database URL")?;
    let file = options.get_filename();
    Ok((file != Path::new(":memory:") && !file.as_os_str().is_empty()).then(|| file.to_owned()))
}

impl Store {
    /// The newest migration applied to this database.
    pub async fn schema_version(&self) -> anyhow::Result<i64> {
        let version: Option<i64> =
            sqlx::query_scalar("SELECT MAX(version) FROM _sqlx_migrations WHERE success = TRUE")
                .fetch_one(&self.pool)
                .await
                .context("reading the schema version")?;
        Ok(version.unwrap_or(0))
    }

    /// Writes a consistent copy of the whole database to `target` (a file that must not exist)
    /// while the site keeps running: `VACUUM INTO` reads one snapshot, so writers that commit
    /// meanwhile are either wholly in the copy or wholly out of it, and they never wait for
    /// it (WAL mode lets them write while it reads). SQLite only: a PostgreSQL site is backed
    /// up with `pg_dump`.
    pub async fn copy_into(&self, target: &Path) -> anyhow::Result<()> {
        if self.backend != Backend::Sqlite {
            bail!(
                "copse backup copies the embedded SQLite database; back up PostgreSQL with pg_dump (see the README)"
            );
        }
        if target.exists() {
            bail!("{} already exists", target.display());
        }
        let target = target
            .to_str()
            .context("the backup's working folder must have a UTF-8 path")?;
        sqlx::query("VACUUM INTO $1")
            .bind(target)
            .execute(&self.pool)
            .await
            .context("copying the database (VACUUM INTO)")?;
        Ok(())
    }
}
