//! A table's rows as JSON objects, read a page at a time in key order, and loaded back: first
//! without the deferred columns, then those filled in, then PostgreSQL's counters moved past
//! the ids that came with the rows.

use serde_json::Value;
use sqlx::{AnyConnection, AssertSqlSafe, Row as _};

use super::shape::{Column, ColumnKind, Row, TableShape};
use crate::db::{Backend, Store};
use copse_core::{Error, OrInternal, Result};

const PAGE: i64 = 1000;
/// Rows loaded per transaction.
pub(super) const BATCH: usize = 500;
/// Bind parameters in one statement: well under SQLite's 32,766 and PostgreSQL's 65,535.
const MAX_PARAMETERS: usize = 2_000;

/// Whether two rows name the same columns of the table.
fn same_columns(table: &TableShape, a: &Row, b: &Row) -> bool {
    table
        .columns
        .iter()
        .all(|c| a.contains_key(&c.name) == b.contains_key(&c.name))
}

/// A condition on a table's rows, its one value bound as `$2`.
#[derive(Debug, Clone)]
pub(crate) struct RowFilter {
    pub condition: String,
    pub value: i64,
}

pub(crate) fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Store {
    fn select_list(&self, table: &TableShape) -> String {
        let list: Vec<String> = table
            .columns
            .iter()
            .map(|c| match (self.backend, c.kind) {
                (Backend::Postgres, ColumnKind::Integer) => {
                    format!("CAST({0} AS BIGINT) AS {0}", quoted(&c.name))
                }
                (Backend::Postgres, ColumnKind::Real) => {
                    format!("CAST({0} AS DOUBLE PRECISION) AS {0}", quoted(&c.name))
                }
                _ => quoted(&c.name),
            })
            .collect();
        list.join(", ")
    }

    /// Every row of `table` in key order, handed to `each`; answers how many there were.
    pub async fn read_rows(
        &self,
        table: &TableShape,
        each: impl FnMut(Row) -> Result<()>,
    ) -> Result<u64> {
        self.read_rows_where(table, None, each).await
    }

    /// The rows of `table` that `filter` admits (all when none), in key order, handed to
    /// `each`; answers how many there were.
    pub(crate) async fn read_rows_where(
        &self,
        table: &TableShape,
        filter: Option<&RowFilter>,
        mut each: impl FnMut(Row) -> Result<()>,
    ) -> Result<u64> {
        let by_number = table.key.len() == 1
            && table
                .columns
                .iter()
                .any(|c| c.name == table.key[0] && matches!(c.kind, ColumnKind::Integer));
        let order: Vec<String> = table.key.iter().map(|k| quoted(k)).collect();
        let condition = filter.map_or("TRUE".to_string(), |f| f.condition.clone());
        let (mut after, mut offset, mut count) = (i64::MIN, 0i64, 0u64);
        loop {
            let sql = if by_number {
                format!(
                    "SELECT {} FROM {} WHERE {} > $1 AND ({condition}) ORDER BY {} LIMIT {PAGE}",
                    self.select_list(table),
                    quoted(&table.name),
                    order[0],
                    order[0]
                )
            } else {
                format!(
                    "SELECT {} FROM {} WHERE ({condition}) ORDER BY {} LIMIT {PAGE} OFFSET $1",
                    self.select_list(table),
                    quoted(&table.name),
                    order.join(", ")
                )
            };
            let mut query =
                sqlx::query(AssertSqlSafe(sql)).bind(if by_number { after } else { offset });
            if let Some(f) = filter {
                query = query.bind(f.value);
            }
            let page = query.fetch_all(&self.pool).await.or_internal()?;
            let done = (page.len() as i64) < PAGE;
            for r in &page {
                let row = decode(table, r)?;
                if by_number {
                    after = row
                        .get(&table.key[0])
                        .and_then(Value::as_i64)
                        .unwrap_or(after);
                }
                each(row)?;
                count += 1;
            }
            offset += PAGE;
            if done {
                return Ok(count);
            }
        }
    }

    /// Loads `rows` into `table`, its deferred columns left empty for [`Store::fill_deferred`].
    /// A column the rows do not name takes its default (an archive from an older copse).
    pub async fn load_rows(&self, table: &TableShape, rows: &[Row]) -> Result<()> {
        for batch in rows.chunks(BATCH) {
            let mut tx = self.begin_write().await?;
            insert_rows(self.backend, &mut tx, table, batch).await?;
            tx.commit().await.or_internal()?;
        }
        Ok(())
    }

    /// Writes the deferred columns of the rows that have a value in one.
    pub async fn fill_deferred(&self, table: &TableShape, rows: &[Row]) -> Result<()> {
        let mut tx = self.begin_write().await?;
        update_deferred(self.backend, &mut tx, table, rows).await?;
        tx.commit().await.or_internal()
    }

    /// After a load: PostgreSQL's counters move past the ids that came with the rows.
    pub async fn finish_load(&self, tables: &[TableShape]) -> Result<()> {
        if self.backend != Backend::Postgres {
            return Ok(());
        }
        let mut conn = self.pool.acquire().await.or_internal()?;
        move_counters(&mut conn, tables).await
    }
}

/// PostgreSQL's counters of `tables` moved past the largest id each holds.
pub(super) async fn move_counters(conn: &mut AnyConnection, tables: &[TableShape]) -> Result<()> {
    for t in tables {
        let Some(column) = &t.identity else { continue };
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), \
             COALESCE((SELECT MAX({}) FROM {}), 0) + 1, false)",
            quoted(column),
            quoted(&t.name)
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(quoted(&t.name))
            .bind(column)
            .execute(&mut *conn)
            .await
            .or_internal_while(&t.name)?;
    }
    Ok(())
}

/// The `i`th bind parameter for a column: on PostgreSQL cast to the type it is bound as, so
/// that an `integer` or `real` column takes a 64-bit value (the database narrows it).
fn mark(backend: Backend, kind: ColumnKind, i: usize) -> String {
    match (backend, kind) {
        (Backend::Postgres, ColumnKind::Integer) => format!("CAST(${i} AS BIGINT)"),
        (Backend::Postgres, ColumnKind::Real) => format!("CAST(${i} AS DOUBLE PRECISION)"),
        _ => format!("${i}"),
    }
}

/// Inserts `rows` on `conn`, its deferred columns left empty: rows naming the same columns go
/// in one statement, up to the parameters allowed.
pub(super) async fn insert_rows(
    backend: Backend,
    conn: &mut AnyConnection,
    table: &TableShape,
    rows: &[Row],
) -> Result<()> {
    let mut rest = rows;
    while let Some(first) = rest.first() {
        let columns: Vec<&Column> = table
            .columns
            .iter()
            .filter(|c| first.contains_key(&c.name))
            .collect();
        let most = (MAX_PARAMETERS / columns.len().max(1)).max(1);
        let same = rest
            .iter()
            .take(most)
            .take_while(|r| same_columns(table, first, r))
            .count();
        let (these, later) = rest.split_at(same);
        insert(backend, conn, table, &columns, these).await?;
        rest = later;
    }
    Ok(())
}

/// One multi-row INSERT of `rows`, which all name `columns`.
async fn insert(
    backend: Backend,
    conn: &mut AnyConnection,
    table: &TableShape,
    columns: &[&Column],
    rows: &[Row],
) -> Result<()> {
    let names: Vec<String> = columns.iter().map(|c| quoted(&c.name)).collect();
    let tuples: Vec<String> = (0..rows.len())
        .map(|r| {
            let marks: Vec<String> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| mark(backend, c.kind, r * columns.len() + i + 1))
                .collect();
            format!("({})", marks.join(", "))
        })
        .collect();
    let sql = format!(
        "INSERT INTO {} ({}) VALUES {}",
        quoted(&table.name),
        names.join(", "),
        tuples.join(", ")
    );
    let mut query = sqlx::query(AssertSqlSafe(sql));
    for row in rows {
        for c in columns {
            let value = if table.deferred.contains(&c.name) {
                &Value::Null
            } else {
                &row[&c.name]
            };
            query = bind(query, &table.name, c, value)?;
        }
    }
    query
        .execute(&mut *conn)
        .await
        .or_internal_while(&table.name)?;
    Ok(())
}

/// Writes the deferred columns of the rows that have a value in one, found by their key.
pub(super) async fn update_deferred(
    backend: Backend,
    conn: &mut AnyConnection,
    table: &TableShape,
    rows: &[Row],
) -> Result<()> {
    if table.deferred.is_empty() {
        return Ok(());
    }
    let deferred: Vec<_> = table
        .columns
        .iter()
        .filter(|c| table.deferred.contains(&c.name))
        .collect();
    let key: Vec<_> = table
        .columns
        .iter()
        .filter(|c| table.key.contains(&c.name))
        .collect();
    let sets: Vec<String> = deferred
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{} = {}", quoted(&c.name), mark(backend, c.kind, i + 1)))
        .collect();
    let wheres: Vec<String> = key
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mark = mark(backend, c.kind, deferred.len() + i + 1);
            format!("{} = {mark}", quoted(&c.name))
        })
        .collect();
    let sql = format!(
        "UPDATE {} SET {} WHERE {}",
        quoted(&table.name),
        sets.join(", "),
        wheres.join(" AND ")
    );
    let waiting = rows.iter().filter(|r| {
        deferred
            .iter()
            .any(|c| r.get(&c.name).is_some_and(|v| !v.is_null()))
    });
    for row in waiting {
        let mut query = sqlx::query(AssertSqlSafe(sql.clone()));
        for c in deferred.iter().chain(key.iter()) {
            query = bind(
                query,
                &table.name,
                c,
                row.get(&c.name).unwrap_or(&Value::Null),
            )?;
        }
        query
            .execute(&mut *conn)
            .await
            .or_internal_while(&table.name)?;
    }
    Ok(())
}

type AnyQuery<'q> = sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>;

fn bind<'q>(
    query: AnyQuery<'q>,
    table: &str,
    column: &Column,
    value: &Value,
) -> Result<AnyQuery<'q>> {
    let wrong = || {
        Error::invalid(
            format!("{table}.{}", column.name),
            format!("{value} is not what the column holds"),
        )
    };
    Ok(match (column.kind, value) {
        (ColumnKind::Integer, Value::Null) => query.bind(None::<i64>),
        // sqlx 0.9's Any driver sends a null f64 as a 4-byte float and a null f32 as an
        // 8-byte one; PostgreSQL keeps the first row's parameter types for the statement, so a
        // later row's number would not fit. Bound as f32, the null goes out as the f64 it is.
        (ColumnKind::Real, Value::Null) => query.bind(None::<f32>),
        (ColumnKind::Text, Value::Null) => query.bind(None::<String>),
        (ColumnKind::Integer, v) => query.bind(v.as_i64().ok_or_else(wrong)?),
        (ColumnKind::Real, v) => query.bind(v.as_f64().ok_or_else(wrong)?),
        (ColumnKind::Text, v) => query.bind(v.as_str().ok_or_else(wrong)?.to_string()),
    })
}

fn decode(table: &TableShape, r: &sqlx::any::AnyRow) -> Result<Row> {
    let mut row = Row::new();
    for (i, c) in table.columns.iter().enumerate() {
        let value = match c.kind {
            ColumnKind::Integer => r.try_get::<Option<i64>, _>(i).map(|v| v.map(Value::from)),
            ColumnKind::Real => r.try_get::<Option<f64>, _>(i).map(|v| v.map(Value::from)),
            ColumnKind::Text => r
                .try_get::<Option<String>, _>(i)
                .map(|v| v.map(Value::from)),
        }
        .or_internal_while(&format!("reading {}.{}", table.name, c.name))?;
        row.insert(c.name.clone(), value.unwrap_or(Value::Null));
    }
    Ok(row)
}
