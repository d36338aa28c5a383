//! Loading an archive's rows inside one [`Write`], on a site that has rows of its own: a
//! community's archive goes in whole or not at all, and a dry run rolls it all back.
//!
//! New ids are the site's next free ones. On SQLite the write transaction holds the database's
//! write lock, so nobody else takes one meanwhile; on PostgreSQL each numbered table is locked
//! against other writers (readers go on) until the transaction ends, and its counter is moved
//! past the new rows before it does.

use std::collections::HashSet;

use copse_core::{OrInternal, Result};
use sqlx::AssertSqlSafe;

use super::remap::{Remap, numbers_its_rows};
use super::rows::{BATCH, insert_rows, move_counters, quoted, update_deferred};
use super::shape::{Row, TableShape};
use crate::Write;
use crate::db::Backend;

impl Write {
    /// Gives the archive's rows of `shape` — `old`, their ids there — this site's next free ids,
    /// in the same order.
    pub async fn allot_ids(
        &mut self,
        shape: &TableShape,
        old: &mut [i64],
        remap: &mut Remap,
    ) -> Result<()> {
        if !numbers_its_rows(shape) || old.is_empty() {
            return Ok(());
        }
        let mut next = self.largest_id(shape).await? + 1;
        old.sort_unstable();
        for id in old.iter() {
            remap.map(&shape.name, *id, next);
            next += 1;
        }
        Ok(())
    }

    /// The largest id the table holds or its counter has given out.
    async fn largest_id(&mut self, shape: &TableShape) -> Result<i64> {
        let table = quoted(&shape.name);
        let backend = self.backend();
        if backend == Backend::Postgres {
            let lock = format!("LOCK TABLE {table} IN EXCLUSIVE MODE");
            sqlx::query(AssertSqlSafe(lock))
                .execute(self.conn())
                .await
                .or_internal_while(&shape.name)?;
        }
        let max = format!("SELECT CAST(COALESCE(MAX(id), 0) AS BIGINT) FROM {table}");
        let (largest,): (i64,) = sqlx::query_as(AssertSqlSafe(max))
            .fetch_one(self.conn())
            .await
            .or_internal_while(&shape.name)?;
        let counter: Option<(Option<i64>,)> = match backend {
            Backend::Postgres if shape.identity.is_some() => sqlx::query_as(
                "SELECT CAST(pg_sequence_last_value(CAST(pg_get_serial_sequence($1, 'id') AS regclass)) AS BIGINT)",
            )
            .bind(&table)
            .fetch_optional(self.conn())
            .await
            .or_internal_while(&shape.name)?,
            Backend::Sqlite => {
                let (has_counters,): (i64,) = sqlx::query_as(
                    "SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'",
                )
                .fetch_one(self.conn())
                .await
                .or_internal()?;
                if has_counters == 0 {
                    None
                } else {
                    sqlx::query_as("SELECT seq FROM sqlite_sequence WHERE name = $1")
                        .bind(&shape.name)
                        .fetch_optional(self.conn())
                        .await
                        .or_internal_while(&shape.name)?
                }
            }
            Backend::Postgres => None,
        };
        Ok(largest.max(counter.and_then(|(c,)| c).unwrap_or(0)))
    }

    /// The names among `names` that this site's files already have.
    pub async fn file_names_taken(&mut self, names: &[String]) -> Result<HashSet<String>> {
        let mut taken = HashSet::new();
        for chunk in names.chunks(BATCH) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!("SELECT id FROM files WHERE id IN ({})", marks.join(", "));
            let mut query = sqlx::query_as::<_, (String,)>(AssertSqlSafe(sql));
            for name in chunk {
                query = query.bind(name);
            }
            let found = query.fetch_all(self.conn()).await.or_internal()?;
            taken.extend(found.into_iter().map(|(n,)| n));
        }
        Ok(taken)
    }

    /// Inserts rows already rewritten for this site, their deferred columns left empty.
    pub async fn insert_archived_rows(&mut self, shape: &TableShape, rows: &[Row]) -> Result<()> {
        let backend = self.backend();
        insert_rows(backend, self.conn(), shape, rows).await
    }

    /// Writes the deferred columns of rows already in.
    pub async fn fill_archived_deferred(&mut self, shape: &TableShape, rows: &[Row]) -> Result<()> {
        let backend = self.backend();
        update_deferred(backend, self.conn(), shape, rows).await
    }

    /// PostgreSQL's counters of `shapes` moved past the rows loaded (nothing on SQLite).
    pub async fn move_counters(&mut self, shapes: &[TableShape]) -> Result<()> {
        if self.backend() != Backend::Postgres {
            return Ok(());
        }
        move_counters(self.conn(), shapes).await
    }
}
