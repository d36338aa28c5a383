//! New ids for one community's archive loaded into a site that has others. Every row with an id
//! of its own is given the site's next free one before any row is written (so a row can point
//! at one that comes later); then each row's references are rewritten — its foreign keys, the
//! [`IMPLICIT`] ids no key declares, the ids inside an activity entry's `source`, and the names
//! of files that had to be renamed because the site already holds one by that name.
//!
//! A reference the archive cannot resolve (a row it does not hold) is emptied where the column
//! may be empty; otherwise the row stays out, and so does everything that hangs from it. An id
//! of 0 — a column's "none" where it may not be empty — stays 0.

use std::collections::HashMap;

use serde_json::Value;

use super::community::{IMPLICIT, Points};
use super::shape::{ColumnKind, Row, TableShape};

/// What each `:`-separated part of an activity entry's `source` names, by its first part: a
/// table whose id it is, or `None` for a value kept as it is (an occurrence's start, a day).
/// The use cases that record acts write these (`copse_app`: threads, events, rhythm, value,
/// conversations, participation).
const SOURCES: &[(&str, &[Option<&str>])] = &[
    ("thread", &[Some("threads")]),
    ("reply", &[Some("replies")]),
    ("accepted", &[Some("replies")]),
    ("helpful", &[Some("replies"), Some("accounts")]),
    ("hosted", &[Some("events"), Some("accounts")]),
    ("rsvp", &[Some("events"), None, Some("accounts")]),
    ("attended", &[Some("events"), None, Some("accounts")]),
    ("message", &[Some("messages")]),
    ("story", &[Some("value_stories")]),
    ("visit", &[Some("communities"), Some("accounts"), None]),
];

/// The length of a file's name: 16 random bytes in hex.
const FILE_NAME_LEN: usize = 32;

/// The ids an archive's rows get on this site.
#[derive(Debug, Default)]
pub struct Remap {
    ids: HashMap<String, HashMap<i64, i64>>,
    /// Files whose name the site already had, and the name each gets here.
    renamed_files: HashMap<String, String>,
    /// Rows that could not go in (a reference to nothing the archive holds).
    pub rows_left_out: u64,
}

/// Whether the table's rows have an id of their own (a single integer key that points nowhere).
pub fn numbers_its_rows(shape: &TableShape) -> bool {
    shape.key.len() == 1
        && shape.key[0] == "id"
        && shape
            .columns
            .iter()
            .any(|c| c.name == "id" && matches!(c.kind, ColumnKind::Integer))
        && !shape.references.iter().any(|(c, _)| c == "id")
}

impl Remap {
    pub fn new() -> Remap {
        Remap::default()
    }

    /// Records that the archive's `old` row of `table` is `new` here.
    pub fn map(&mut self, table: &str, old: i64, new: i64) {
        self.ids
            .entry(table.to_string())
            .or_default()
            .insert(old, new);
    }

    /// The id here of the archive's `old` row of `table`, when it has one.
    pub fn get(&self, table: &str, old: i64) -> Option<i64> {
        self.ids.get(table).and_then(|ids| ids.get(&old)).copied()
    }

    /// Gives the file the archive names `old` the name `new` here.
    pub fn rename_file(&mut self, old: &str, new: &str) {
        self.renamed_files.insert(old.to_string(), new.to_string());
    }

    /// The name here of the archive's file `old`.
    pub fn file_name(&self, old: &str) -> String {
        self.renamed_files
            .get(old)
            .cloned()
            .unwrap_or_else(|| old.to_string())
    }

    /// Rewrites the row's own id and references (all but the deferred columns, which
    /// [`Remap::rewrite_late`] does once every row is in). False when it cannot go in; then
    /// its id is forgotten, so that what hangs from it stays out too.
    pub fn rewrite(&mut self, shape: &TableShape, row: &mut Row) -> bool {
        let old = row.get("id").and_then(Value::as_i64);
        let kept = self.rewrite_references(shape, row);
        if !kept {
            self.rows_left_out += 1;
            if numbers_its_rows(shape)
                && let Some(old) = old
                && let Some(ids) = self.ids.get_mut(&shape.name)
            {
                ids.remove(&old);
            }
        }
        kept
    }

    fn rewrite_references(&mut self, shape: &TableShape, row: &mut Row) -> bool {
        if numbers_its_rows(shape) {
            let Some(new) = row
                .get("id")
                .and_then(Value::as_i64)
                .and_then(|old| self.get(&shape.name, old))
            else {
                return false;
            };
            row.insert("id".into(), Value::from(new));
        }
        let declared = shape
            .references
            .iter()
            .filter(|(column, _)| !shape.deferred.contains(column))
            .map(|(column, target)| (column.clone(), Some(target.clone())));
        let implicit: Vec<(String, Option<String>)> = IMPLICIT
            .iter()
            .filter(|(table, _, _)| *table == shape.name)
            .map(|(_, column, points)| (column.to_string(), target_of(points, row)))
            .collect();
        for (column, target) in declared.chain(implicit) {
            if !self.rewrite_column(shape, row, &column, target.as_deref()) {
                return false;
            }
        }
        if shape.name == "activity" && !self.rewrite_source(row) {
            return false;
        }
        self.rename_files_in(shape, row);
        true
    }

    /// Points one reference at its row here; empties it when that row is not here and the
    /// column may be empty. False when neither can be done.
    fn rewrite_column(
        &self,
        shape: &TableShape,
        row: &mut Row,
        column: &str,
        target: Option<&str>,
    ) -> bool {
        let Some(value) = row.get(column) else {
            return true;
        };
        let new = match value {
            Value::Null => return true,
            // Ids start at 1: a 0 is a column's way of saying "none" (no message read yet).
            Value::Number(n) if n.as_i64().is_some_and(|n| n <= 0) => return true,
            Value::String(name) if target == Some("files") => {
                Some(Value::from(self.file_name(name)))
            }
            v => v
                .as_i64()
                .zip(target)
                .and_then(|(old, target)| self.get(target, old))
                .map(Value::from),
        };
        match new {
            Some(v) => {
                row.insert(column.to_string(), v);
                true
            }
            None if shape.columns.iter().any(|c| c.name == column && c.nullable) => {
                row.insert(column.to_string(), Value::Null);
                true
            }
            None => false,
        }
    }

    /// The ids inside an activity entry's `source` (`reply:42` → `reply:9042`).
    fn rewrite_source(&self, row: &mut Row) -> bool {
        let Some(source) = row.get("source").and_then(Value::as_str) else {
            return false;
        };
        let mut parts = source.split(':');
        let kind = parts.next().unwrap_or_default();
        let Some((_, names)) = SOURCES.iter().find(|(k, _)| *k == kind) else {
            return false;
        };
        let values: Vec<&str> = parts.collect();
        if values.len() != names.len() {
            return false;
        }
        let mut rewritten = vec![kind.to_string()];
        for (value, names) in values.iter().zip(names.iter()) {
            match names {
                None => rewritten.push(value.to_string()),
                Some(table) => match value.parse().ok().and_then(|id| self.get(table, id)) {
                    Some(id) => rewritten.push(id.to_string()),
                    None => return false,
                },
            }
        }
        row.insert("source".into(), Value::from(rewritten.join(":")));
        true
    }

    /// A renamed file's name wherever a text names it: its own row, a later version's
    /// `supersedes`, a link in a post's body.
    fn rename_files_in(&self, shape: &TableShape, row: &mut Row) {
        if self.renamed_files.is_empty() {
            return;
        }
        for column in shape
            .columns
            .iter()
            .filter(|c| matches!(c.kind, ColumnKind::Text))
        {
            if let Some(Value::String(text)) = row.get(&column.name)
                && let Some(renamed) = rename_in_text(text, &self.renamed_files)
            {
                row.insert(column.name.clone(), Value::from(renamed));
            }
        }
    }

    /// Rewrites a row's deferred columns, now that every row is in: the key's values are
    /// already this site's; a reference to a row not here is emptied.
    pub fn rewrite_late(&self, shape: &TableShape, row: &mut Row) {
        for (column, target) in &shape.references {
            if !shape.deferred.contains(column) {
                continue;
            }
            let new = row
                .get(column)
                .and_then(Value::as_i64)
                .and_then(|old| self.get(target, old));
            row.insert(column.clone(), new.map_or(Value::Null, Value::from));
        }
    }
}

fn target_of(points: &Points, row: &Row) -> Option<String> {
    match points {
        Points::Into(table) => Some(table.to_string()),
        Points::ByKind(kind, kinds) => {
            let kind = row.get(*kind).and_then(Value::as_str)?;
            kinds
                .iter()
                .find(|(k, _)| *k == kind)
                .map(|(_, t)| t.to_string())
        }
    }
}

/// `text` with each renamed file's name replaced, when it names one: a file's name is a run of
/// 32 hexadecimal digits that no other letter or digit touches.
fn rename_in_text(text: &str, renamed: &HashMap<String, String>) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let (mut copied, mut i) = (0, 0);
    while i < bytes.len() {
        if !bytes[i].is_ascii_hexdigit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && bytes[i].is_ascii_alphanumeric() {
            i += 1;
        }
        if i - start == FILE_NAME_LEN
            && (start == 0 || !bytes[start - 1].is_ascii_alphanumeric())
            && let Some(new) = renamed.get(&text[start..i])
        {
            out.push_str(&text[copied..start]);
            out.push_str(new);
            copied = i;
        }
    }
    if copied == 0 {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dump::shape::Column;

    fn shape(
        name: &str,
        columns: &[(&str, ColumnKind, bool)],
        refs: &[(&str, &str)],
    ) -> TableShape {
        TableShape {
            name: name.into(),
            columns: columns
                .iter()
                .map(|(n, kind, nullable)| Column {
                    name: n.to_string(),
                    kind: *kind,
                    nullable: *nullable,
                })
                .collect(),
            key: vec!["id".into()],
            deferred: vec![],
            identity: None,
            references: refs
                .iter()
                .map(|(c, t)| (c.to_string(), t.to_string()))
                .collect(),
        }
    }

    fn row(json: Value) -> Row {
        json.as_object().cloned().unwrap()
    }

    #[test]
    fn references_follow_their_rows_and_orphans_stay_out() {
        use ColumnKind::*;
        let replies = shape(
            "replies",
            &[
                ("id", Integer, false),
                ("thread_id", Integer, false),
                ("author_id", Integer, false),
                ("quoted_reply_id", Integer, true),
            ],
            &[("thread_id", "threads"), ("author_id", "accounts")],
        );
        let mut remap = Remap::new();
        remap.map("threads", 1, 101);
        remap.map("accounts", 7, 70);
        remap.map("replies", 5, 205);
        remap.map("replies", 6, 206);
        let mut kept = row(
            serde_json::json!({"id": 5, "thread_id": 1, "author_id": 7, "quoted_reply_id": 99}),
        );
        assert!(remap.rewrite(&replies, &mut kept));
        assert_eq!(
            Value::Object(kept),
            serde_json::json!({"id": 205, "thread_id": 101, "author_id": 70, "quoted_reply_id": null})
        );
        // A reply in a thread the archive does not hold stays out, and its id is forgotten.
        let mut orphan = row(serde_json::json!({"id": 6, "thread_id": 2, "author_id": 7}));
        assert!(!remap.rewrite(&replies, &mut orphan));
        assert_eq!(remap.get("replies", 6), None);
        assert_eq!(remap.rows_left_out, 1);
    }

    #[test]
    fn activity_sources_and_file_names_are_rewritten() {
        use ColumnKind::*;
        let activity = shape(
            "activity",
            &[("id", Integer, false), ("source", Text, false)],
            &[],
        );
        let mut remap = Remap::new();
        remap.map("activity", 1, 11);
        remap.map("events", 3, 33);
        remap.map("accounts", 4, 44);
        let mut rsvp = row(serde_json::json!({"id": 1, "source": "rsvp:3:1700000000000:4"}));
        assert!(remap.rewrite(&activity, &mut rsvp));
        assert_eq!(rsvp["source"], "rsvp:33:1700000000000:44");
        remap.map("activity", 2, 12);
        let mut unknown = row(serde_json::json!({"id": 2, "source": "reply:9"}));
        assert!(!remap.rewrite(&activity, &mut unknown));

        let old = "0123456789abcdef0123456789abcdef";
        let new = "fedcba9876543210fedcba9876543210";
        remap.rename_file(old, new);
        let renamed = HashMap::from([(old.to_string(), new.to_string())]);
        let body = format!("see [the plan](/files/{old}) and x{old} and {old}0");
        assert_eq!(
            rename_in_text(&body, &renamed).unwrap(),
            format!("see [the plan](/files/{new}) and x{old} and {old}0")
        );
        assert_eq!(rename_in_text("nothing here", &renamed), None);
    }
}
