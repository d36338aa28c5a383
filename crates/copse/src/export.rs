//! `copse export FILE`: the whole site as a documented, versioned archive that `copse import`
//! loads into an empty site on either database — how a site moves from SQLite to PostgreSQL.
//!
//! The archive is a `.tar.gz` holding, in order:
//! - `copse-export.json`, the manifest: `kind` ("copse-export"), `format` (this layout's
//!   version, 1), `copse_version`, `schema_version` (the newest migration of the database it
//!   came from: an import needs a copse that knows it), `source` ("sqlite" or "postgres"),
//!   `created_at`, and `tables` — each table's name and row count;
//! - `data/<table>.jsonl`, one JSON object per row, named by column (numbers, text, null), in
//!   the table's key order — the database's own tables, so every kind copse keeps is there;
//! - `files/<name>`, each upload's bytes, under the name the database knows it by.
//!
//! A new column in a later copse is simply a new key; a table or column an importing copse
//! does not know makes it refuse the archive rather than drop what it holds.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use copse_files::Location;
use copse_store::{Backend, Store};
use serde::{Deserialize, Serialize};

use crate::backup::{object_names, with_suffix};
use crate::config::Settings;
use crate::progress::Progress;

pub const FORMAT: u32 = 1;
pub const KIND: &str = "copse-export";
pub const MANIFEST: &str = "copse-export.json";

#[derive(Serialize, Deserialize)]
pub struct Manifest {
    pub kind: String,
    pub format: u32,
    pub copse_version: String,
    pub schema_version: i64,
    pub source: String,
    pub created_at: String,
    pub tables: Vec<TableCount>,
    pub files: u64,
}

#[derive(Serialize, Deserialize, Clone)]
pub struct TableCount {
    pub name: String,
    pub rows: u64,
}

/// `copse export FILE`.
pub async fn export(settings: &Settings, target: &Path) -> anyhow::Result<()> {
    if target.exists() {
        bail!("{} already exists: name a new file", target.display());
    }
    let store = crate::open(settings).await?;
    let parts = with_suffix(target, ".parts");
    let _ = fs::remove_dir_all(&parts);
    fs::create_dir_all(parts.join("data"))?;
    let made = write_parts(&store, settings, &parts).await;
    store.close().await;
    let result = match made {
        Ok(manifest) => {
            let (folder, out) = (parts.clone(), target.to_path_buf());
            tokio::task::spawn_blocking(move || pack(&out, &folder, manifest)).await?
        }
        Err(e) => Err(e),
    };
    let _ = fs::remove_dir_all(&parts);
    let manifest = result?;
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    println!(
        "exported {} tables ({rows} rows) and {} files to {}",
        manifest.tables.len(),
        manifest.files,
        target.display()
    );
    Ok(())
}

/// Writes every table's rows and copies the uploads into `parts`; answers the manifest.
async fn write_parts(store: &Store, settings: &Settings, parts: &Path) -> anyhow::Result<Manifest> {
    let mut tables = Vec::new();
    let shapes = store.table_shapes().await.map_err(report)?;
    let mut total = 0;
    for shape in &shapes {
        total += store.row_count(shape).await.map_err(report)?;
    }
    let progress = Progress::rows(total);
    for shape in shapes {
        let path = parts.join("data").join(format!("{}.jsonl", shape.name));
        let mut out = BufWriter::new(File::create(&path)?);
        progress.table(&shape.name);
        let rows = store
            .read_rows(&shape, |row| {
                progress.add(1);
                serde_json::to_writer(&mut out, &row)
                    .and_then(|()| out.write_all(b"\n").map_err(serde_json::Error::io))
                    .map_err(|e| copse_core::Error::internal(e.to_string()))
            })
            .await
            .map_err(report)?;
        out.flush()?;
        progress.line(&format!("  {:<28} {rows:>9} rows", shape.name));
        tables.push(TableCount {
            name: shape.name,
            rows,
        });
    }
    progress.done();
    let mut files = 0;
    if let Location::Folder(dir) = &settings.files {
        fs::create_dir_all(parts.join("files"))?;
        for name in object_names(dir)? {
            // An upload removed since the rows were read is not there to copy.
            if fs::copy(dir.join(&name), parts.join("files").join(&name)).is_ok() {
                files += 1;
            }
        }
        eprintln!("  {:<28} {files:>9}", "files");
    } else {
        eprintln!("  uploads live in S3-compatible storage and stay there: not in the export");
    }
    Ok(Manifest {
        kind: KIND.into(),
        format: FORMAT,
        copse_version: env!("CARGO_PKG_VERSION").into(),
        schema_version: store.schema_version().await?,
        source: match store.backend() {
            Backend::Sqlite => "sqlite".into(),
            Backend::Postgres => "postgres".into(),
        },
        created_at: chrono::Utc::now().to_rfc3339(),
        tables,
        files,
    })
}

fn pack(out: &Path, parts: &Path, manifest: Manifest) -> anyhow::Result<Manifest> {
    let partial = with_suffix(out, ".partial");
    let written = (|| -> anyhow::Result<()> {
        let file = File::create_new(&partial)?;
        let gzip = flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::fast());
        let mut archive = tar::Builder::new(gzip);
        let json = serde_json::to_vec_pretty(&manifest)?;
        copse_app::community_export::archive::append_bytes(&mut archive, MANIFEST, &json)?;
        for table in &manifest.tables {
            let name = format!("data/{}.jsonl", table.name);
            archive.append_path_with_name(parts.join(&name), &name)?;
        }
        for entry in sorted(&parts.join("files"))? {
            let name = format!(
                "files/{}",
                entry.file_name().unwrap_or_default().to_string_lossy()
            );
            archive.append_path_with_name(&entry, &name)?;
        }
        let file = archive
            .into_inner()?
            .finish()?
            .into_inner()
            .map_err(|e| e.into_error())?;
        file.sync_all()?;
        Ok(())
    })();
    if let Err(e) = written {
        let _ = fs::remove_file(&partial);
        return Err(e);
    }
    fs::rename(&partial, out).with_context(|| format!("naming {}", out.display()))?;
    Ok(manifest)
}

fn sorted(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = match fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(|e| e.ok().map(|e| e.path())).collect(),
        Err(_) => Vec::new(),
    };
    paths.sort();
    Ok(paths)
}

/// A store error in words, with its causes.
pub fn report(e: copse_core::Error) -> anyhow::Error {
    anyhow::anyhow!(e.report())
}
