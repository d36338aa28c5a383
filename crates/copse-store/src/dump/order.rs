//! The order a load follows: each table after the tables its foreign keys point to. A key into
//! the table itself, or one that closes a cycle, is deferred — loaded empty and filled in once
//! every table is there — which needs the column to be nullable.

use std::collections::{BTreeMap, BTreeSet};

use copse_core::{Error, Result};

use super::shape::{ForeignKey, TableShape};

pub(super) fn load_order(tables: Vec<TableShape>, keys: &[ForeignKey]) -> Result<Vec<TableShape>> {
    let mut waiting: BTreeMap<String, TableShape> =
        tables.into_iter().map(|t| (t.name.clone(), t)).collect();
    let mut loaded: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    while !waiting.is_empty() {
        // The tables whose every key points somewhere already loaded (or into themselves).
        let ready: Vec<String> = waiting
            .keys()
            .filter(|name| unmet(name, keys, &loaded, &waiting).is_empty())
            .cloned()
            .collect();
        let next = match ready.first() {
            Some(name) => name.clone(),
            // A cycle: take a table whose unmet keys may all wait (are nullable), the one
            // with the fewest, and defer those.
            None => waiting
                .values()
                .filter(|t| {
                    unmet(&t.name, keys, &loaded, &waiting)
                        .iter()
                        .all(|c| t.columns.iter().any(|col| col.name == *c && col.nullable))
                })
                .min_by_key(|t| unmet(&t.name, keys, &loaded, &waiting).len())
                .map(|t| t.name.clone())
                .ok_or_else(|| Error::internal("a cycle of foreign keys none of which may wait"))?,
        };
        let mut table = waiting
            .remove(&next)
            .ok_or_else(|| Error::internal("lost a table"))?;
        let late = unmet(&next, keys, &loaded, &waiting);
        let own: Vec<&str> = keys
            .iter()
            .filter(|k| k.table == next && k.target == next)
            .map(|k| k.column.as_str())
            .collect();
        for column in late.iter().map(String::as_str).chain(own) {
            defer(&mut table, column)?;
        }
        loaded.insert(next);
        out.push(table);
    }
    Ok(out)
}

/// The columns of `table` whose keys point into tables not loaded yet (other than itself).
fn unmet(
    table: &str,
    keys: &[ForeignKey],
    loaded: &BTreeSet<String>,
    waiting: &BTreeMap<String, TableShape>,
) -> Vec<String> {
    keys.iter()
        .filter(|k| k.table == table && k.target != table)
        .filter(|k| !loaded.contains(&k.target) && waiting.contains_key(&k.target))
        .map(|k| k.column.clone())
        .collect()
}

fn defer(table: &mut TableShape, column: &str) -> Result<()> {
    if table.deferred.iter().any(|c| c == column) {
        return Ok(());
    }
    let nullable = table.columns.iter().any(|c| c.name == column && c.nullable);
    if !nullable {
        return Err(Error::internal(format!(
            "{}.{column} closes a cycle of foreign keys but may not be empty",
            table.name
        )));
    }
    table.deferred.push(column.to_string());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::shape::{Column, ColumnKind};

    fn table(name: &str, columns: &[&str]) -> TableShape {
        TableShape {
            name: name.into(),
            columns: columns
                .iter()
                .map(|c| Column {
                    name: c.to_string(),
                    kind: ColumnKind::Integer,
                    nullable: *c != "id" && *c != "thread_id",
                })
                .collect(),
            key: vec!["id".into()],
            deferred: Vec::new(),
            identity: None,
            references: Vec::new(),
        }
    }

    fn key(table: &str, column: &str, target: &str) -> ForeignKey {
        ForeignKey {
            table: table.into(),
            column: column.into(),
            target: target.into(),
        }
    }

    #[test]
    fn parents_first_and_cycles_deferred() {
        let tables = vec![
            table("replies", &["id", "thread_id", "parent_id"]),
            table("threads", &["id", "accepted_reply_id", "author_id"]),
            table("accounts", &["id"]),
        ];
        let keys = [
            key("replies", "thread_id", "threads"),
            key("replies", "parent_id", "replies"),
            key("threads", "accepted_reply_id", "replies"),
            key("threads", "author_id", "accounts"),
        ];
        let order = load_order(tables, &keys).unwrap();
        let names: Vec<&str> = order.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names[0], "accounts");
        let replies = order.iter().find(|t| t.name == "replies").unwrap();
        let threads = order.iter().find(|t| t.name == "threads").unwrap();
        assert!(replies.deferred.contains(&"parent_id".to_string()));
        // The side of the cycle that may be empty waits for the other.
        assert!(threads.deferred.contains(&"accepted_reply_id".to_string()));
        assert!(!replies.deferred.contains(&"thread_id".to_string()));
    }
}
