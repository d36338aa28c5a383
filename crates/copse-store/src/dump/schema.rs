//! Reading the tables, columns and foreign keys from the database itself (SQLite's pragmas,
//! PostgreSQL's information schema).

use copse_core::{OrInternal, Result};

use super::order;
use super::shape::{Column, ForeignKey, TableShape, kind_of};
use crate::db::{Backend, Store};

impl Store {
    /// Every table a dump carries, in the order a load must follow.
    pub async fn table_shapes(&self) -> Result<Vec<TableShape>> {
        let mut tables = Vec::new();
        for name in self.table_names().await? {
            let (columns, key, identity) = self.columns_of(&name).await?;
            tables.push(TableShape {
                name,
                columns,
                key,
                deferred: Vec::new(),
                identity,
                references: Vec::new(),
            });
        }
        let keys = self.foreign_keys(&tables).await?;
        for t in &mut tables {
            t.references = keys
                .iter()
                .filter(|k| k.table == t.name)
                .map(|k| (k.column.clone(), k.target.clone()))
                .collect();
        }
        order::load_order(tables, &keys)
    }

    async fn table_names(&self) -> Result<Vec<String>> {
        let names: Vec<(String,)> = match self.backend {
            Backend::Sqlite => {
                // A virtual table's shadow tables are named after it.
                sqlx::query_as(
                    "SELECT t.name FROM sqlite_master t WHERE t.type = 'table' \
                     AND t.name NOT LIKE 'sqlite_%' AND t.name <> '_sqlx_migrations' \
                     AND t.sql NOT LIKE 'CREATE VIRTUAL TABLE%' \
                     AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.type = 'table' \
                        AND v.sql LIKE 'CREATE VIRTUAL TABLE%' AND t.name LIKE v.name || '_%') \
                     ORDER BY t.name",
                )
                .fetch_all(&self.pool)
                .await
            }
            Backend::Postgres => {
                sqlx::query_as(
                    "SELECT table_name::text FROM information_schema.tables \
                     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
                     AND table_name <> '_sqlx_migrations' ORDER BY table_name",
                )
                .fetch_all(&self.pool)
                .await
            }
        }
        .or_internal()?;
        Ok(names.into_iter().map(|(n,)| n).collect())
    }

    /// The table's stored columns, its key and (PostgreSQL) its identity column.
    async fn columns_of(&self, table: &str) -> Result<(Vec<Column>, Vec<String>, Option<String>)> {
        // (name, declared type, nullable, position in the key (0: not in it), identity)
        let rows: Vec<(String, String, i64, i64, i64)> = match self.backend {
            Backend::Sqlite => sqlx::query_as(
                "SELECT name, type, CASE WHEN \"notnull\" = 0 AND pk = 0 THEN 1 ELSE 0 END, pk, 0 \
                 FROM pragma_table_xinfo($1) WHERE hidden = 0 ORDER BY cid",
            ),
            Backend::Postgres => sqlx::query_as(
                "SELECT c.column_name::text, c.data_type::text, \
                   CASE WHEN c.is_nullable = 'YES' THEN 1 ELSE 0 END, \
                   COALESCE((SELECT k.ordinal_position FROM information_schema.key_column_usage k \
                     JOIN information_schema.table_constraints tc \
                       ON tc.constraint_name = k.constraint_name AND tc.table_schema = k.table_schema \
                     WHERE tc.constraint_type = 'PRIMARY KEY' AND k.table_schema = c.table_schema \
                       AND k.table_name = c.table_name AND k.column_name = c.column_name), 0)::bigint, \
                   CASE WHEN c.is_identity = 'YES' THEN 1 ELSE 0 END \
                 FROM information_schema.columns c \
                 WHERE c.table_schema = current_schema() AND c.table_name = $1 \
                   AND c.is_generated = 'NEVER' ORDER BY c.ordinal_position",
            ),
        }
        .bind(table)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let mut keyed: Vec<(i64, String)> = rows
            .iter()
            .filter(|r| r.3 > 0)
            .map(|r| (r.3, r.0.clone()))
            .collect();
        keyed.sort();
        let columns: Vec<Column> = rows
            .iter()
            .map(|(name, declared, nullable, _, _)| Column {
                name: name.clone(),
                kind: kind_of(declared),
                nullable: *nullable == 1,
            })
            .collect();
        let key = if keyed.is_empty() {
            columns.iter().map(|c| c.name.clone()).collect()
        } else {
            keyed.into_iter().map(|(_, n)| n).collect()
        };
        let identity = rows.iter().find(|r| r.4 == 1).map(|r| r.0.clone());
        Ok((columns, key, identity))
    }

    async fn foreign_keys(&self, tables: &[TableShape]) -> Result<Vec<ForeignKey>> {
        let mut keys = Vec::new();
        match self.backend {
            Backend::Sqlite => {
                for t in tables {
                    let rows: Vec<(String, String)> = sqlx::query_as(
                        "SELECT \"table\", \"from\" FROM pragma_foreign_key_list($1)",
                    )
                    .bind(&t.name)
                    .fetch_all(&self.pool)
                    .await
                    .or_internal()?;
                    keys.extend(rows.into_iter().map(|(target, column)| ForeignKey {
                        table: t.name.clone(),
                        column,
                        target,
                    }));
                }
            }
            Backend::Postgres => {
                let rows: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT kcu.table_name::text, kcu.column_name::text, ccu.table_name::text \
                     FROM information_schema.table_constraints tc \
                     JOIN information_schema.key_column_usage kcu \
                       ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema \
                     JOIN information_schema.constraint_column_usage ccu \
                       ON ccu.constraint_name = tc.constraint_name AND ccu.table_schema = tc.table_schema \
                     WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()",
                )
                .fetch_all(&self.pool)
                .await
                .or_internal()?;
                keys.extend(rows.into_iter().map(|(table, column, target)| ForeignKey {
                    table,
                    column,
                    target,
                }));
            }
        }
        Ok(keys)
    }

    /// True when the site has no accounts and no communities: what a whole-site load needs.
    pub async fn is_empty_site(&self) -> Result<bool> {
        let (accounts, communities): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM accounts), (SELECT COUNT(*) FROM communities)",
        )
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(accounts == 0 && communities == 0)
    }

    /// How many rows a table holds (for a dump's progress).
    pub async fn row_count(&self, table: &TableShape) -> Result<u64> {
        let sql = format!(
            "SELECT COUNT(*) FROM \"{}\"",
            table.name.replace('"', "\"\"")
        );
        let (n,): (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .fetch_one(&self.pool)
            .await
            .or_internal()?;
        Ok(n.max(0) as u64)
    }
}
