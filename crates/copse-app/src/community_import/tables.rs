//! The archive's rows, table by table in this site's load order: first every row with an id
//! of its own is given one here (and every file whose name the site already uses a new name),
//! then the rows go in with their references rewritten, then the columns that had to wait.

use std::collections::BTreeSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Lines};
use std::path::{Path, PathBuf};

use copse_core::domain::uploads::FileId;
use copse_core::{Error, OrInternal, Result};
use copse_store::{Remap, Row, TableShape, Write, numbers_its_rows};
use serde_json::Value;

/// Rows inserted per statement batch.
const BATCH: usize = 500;

/// What went in, table by table.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub tables: Vec<(String, u64)>,
    /// The files whose rows went in, by their name in the archive.
    pub files: BTreeSet<String>,
    /// The community's id here.
    pub community: i64,
}

/// An archive's folder of tables.
pub struct Tables<'a> {
    pub data: PathBuf,
    pub shapes: &'a [TableShape],
}

impl Tables<'_> {
    fn rows(&self, shape: &TableShape) -> Result<Option<RowReader>> {
        let path = self.data.join(format!("{}.jsonl", shape.name));
        match File::open(&path) {
            Ok(file) => Ok(Some(RowReader {
                lines: BufReader::new(file).lines(),
                table: shape.name.clone(),
                line: 0,
            })),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(Error::internal(format!("reading {}: {e}", path.display()))),
        }
    }

    /// Pass one: ids here for every numbered row, new names for files whose name is taken.
    pub async fn allot(&self, w: &mut Write, remap: &mut Remap) -> Result<()> {
        for shape in self.shapes {
            let Some(rows) = self.rows(shape)? else {
                continue;
            };
            let (mut ids, mut names) = (Vec::new(), Vec::new());
            for row in rows {
                let row = row?;
                if let Some(id) = row.get("id") {
                    match id {
                        Value::Number(n) => ids.extend(n.as_i64()),
                        Value::String(s) if shape.name == "files" => names.push(s.clone()),
                        _ => {}
                    }
                }
            }
            if numbers_its_rows(shape) {
                w.allot_ids(shape, &mut ids, remap).await?;
            }
            for taken in w.file_names_taken(&names).await? {
                let name = FileId::from_random(crate::secrets::random_bytes()).to_string();
                remap.rename_file(&taken, &name);
            }
        }
        Ok(())
    }

    /// Pass two: every row in, its references rewritten; the community's row gets `slug`.
    pub async fn load(
        &self,
        w: &mut Write,
        remap: &mut Remap,
        slug: &str,
        on_rows: &(dyn Fn(&str, u64) + Sync),
    ) -> Result<Loaded> {
        let mut loaded = Loaded::default();
        let mut waiting = Vec::new();
        for shape in self.shapes {
            let Some(rows) = self.rows(shape)? else {
                continue;
            };
            let (mut batch, mut late, mut count) = (Vec::with_capacity(BATCH), Vec::new(), 0);
            for row in rows {
                let mut row = row?;
                let name = row.get("id").and_then(Value::as_str).map(str::to_string);
                if shape.name == "communities" {
                    row.insert("slug".into(), Value::from(slug));
                }
                if !remap.rewrite(shape, &mut row) {
                    continue;
                }
                if shape.name == "communities" {
                    loaded.community = row.get("id").and_then(Value::as_i64).unwrap_or(0);
                }
                if shape.name == "files" {
                    loaded.files.extend(name);
                }
                late.extend(shape.late_part(&row));
                batch.push(row);
                count += 1;
                if batch.len() == BATCH {
                    w.insert_archived_rows(shape, &batch).await?;
                    on_rows(&shape.name, batch.len() as u64);
                    batch.clear();
                }
            }
            w.insert_archived_rows(shape, &batch).await?;
            on_rows(&shape.name, batch.len() as u64);
            loaded.tables.push((shape.name.clone(), count));
            if !late.is_empty() {
                waiting.push((shape, late));
            }
        }
        for (shape, mut rows) in waiting {
            for row in &mut rows {
                remap.rewrite_late(shape, row);
            }
            w.fill_archived_deferred(shape, &rows).await?;
        }
        w.move_counters(self.shapes).await?;
        Ok(loaded)
    }
}

/// The rows of one table's file, each a JSON object.
struct RowReader {
    lines: Lines<BufReader<File>>,
    table: String,
    line: usize,
}

impl Iterator for RowReader {
    type Item = Result<Row>;

    fn next(&mut self) -> Option<Result<Row>> {
        let line = self.lines.next()?;
        self.line += 1;
        Some(line.or_internal().and_then(|line| {
            serde_json::from_str(&line).map_err(|e| {
                Error::invalid(
                    "archive",
                    format!("data/{}.jsonl line {}: {e}", self.table, self.line),
                )
            })
        }))
    }
}

/// The one community row of an archive's `communities.jsonl`.
pub fn community_row(data: &Path) -> Result<Row> {
    let path = data.join("communities.jsonl");
    let file = File::open(&path)
        .map_err(|_| Error::invalid("archive", "it holds no community (data/communities.jsonl)"))?;
    let mut reader = RowReader {
        lines: BufReader::new(file).lines(),
        table: "communities".into(),
        line: 0,
    };
    let row = reader
        .next()
        .ok_or_else(|| Error::invalid("archive", "data/communities.jsonl is empty"))??;
    if reader.next().is_some() {
        return Err(Error::invalid(
            "archive",
            "it holds more than one community: import a whole site into an empty one instead",
        ));
    }
    Ok(row)
}
