//! What a dump knows of a table: its columns, its key, the columns loaded late, and the
//! foreign keys that decide the order.

/// One row: column name → value (number, text or null).
pub type Row = serde_json::Map<String, serde_json::Value>;

/// What a column holds, as far as moving it needs to know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    Integer,
    Real,
    Text,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    pub name: String,
    pub kind: ColumnKind,
    pub nullable: bool,
}

/// One table as a dump reads and loads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableShape {
    pub name: String,
    pub columns: Vec<Column>,
    /// The primary key's columns (all columns when the table has none).
    pub key: Vec<String>,
    /// Columns loaded in the second pass: they point into the table itself or into a table
    /// loaded after it.
    pub deferred: Vec<String>,
    /// The column PostgreSQL numbers by itself, whose counter a load moves past the rows.
    pub identity: Option<String>,
    /// Its foreign keys: (column, the table it points into).
    pub references: Vec<(String, String)>,
}

impl TableShape {
    /// Whether the table has a column of that name.
    pub fn has(&self, column: &str) -> bool {
        self.columns.iter().any(|c| c.name == column)
    }

    /// The row's key and deferred columns, when one of those has a value: what
    /// [`crate::Store::fill_deferred`] writes after every table is loaded.
    pub fn late_part(&self, row: &Row) -> Option<Row> {
        let waits = self
            .deferred
            .iter()
            .any(|c| row.get(c).is_some_and(|v| !v.is_null()));
        waits.then(|| {
            row.iter()
                .filter(|(k, _)| self.key.contains(k) || self.deferred.contains(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect()
        })
    }
}

/// A foreign key: `table.column` points into `target`.
#[derive(Debug, Clone)]
pub(crate) struct ForeignKey {
    pub table: String,
    pub column: String,
    pub target: String,
}

pub(super) fn kind_of(declared: &str) -> ColumnKind {
    let t = declared.to_ascii_lowercase();
    if t.contains("int") {
        ColumnKind::Integer
    } else if t.contains("real") || t.contains("double") || t.contains("float") {
        ColumnKind::Real
    } else {
        ColumnKind::Text
    }
}
