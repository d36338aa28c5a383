//! What a dump knows of a table: its columns, its key, the columns loaded late, and the
//! foreign keys that decide the order.

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
