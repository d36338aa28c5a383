//! `copse import FILE`: loads an archive `copse export` made into an empty site, on SQLite or
//! PostgreSQL, keeping every id (nothing needs remapping in an empty site). `--dry-run` reads
//! the whole archive and says what would be loaded, changing nothing. A community's archive
//! goes into a site that has others instead (`import_community`).
//!
//! The archive is read to the end and checked before the first row is written: its manifest
//! (kind, format, schema), every entry's name, every table known to this copse. Tables are
//! loaded in the order their foreign keys need; a failure part-way leaves a partly filled
//! database, which the message says to remove before trying again.

use std::collections::BTreeSet;
use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{Context, bail};
use copse_files::is_object_name;
use copse_store::{Row, Store, TableShape, known_schema_version};

use crate::backup::with_suffix;
use crate::config::Settings;
use crate::export::{FORMAT, KIND, MANIFEST, Manifest, report};
use crate::progress::Progress;

/// `copse import FILE [--community SLUG] [--dry-run]`: a whole site, or one community.
pub async fn import(
    settings: &Settings,
    source: &Path,
    slug: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let parts = with_suffix(source, &format!(".import-{}", std::process::id()));
    let _ = fs::remove_dir_all(&parts);
    let (from, into) = (source.to_path_buf(), parts.clone());
    let unpacked = tokio::task::spawn_blocking(move || unpack(&from, &into)).await?;
    let result = match unpacked {
        Ok(Archive::Site(manifest)) if slug.is_none() => {
            import_site(settings, &parts, &manifest, dry_run).await
        }
        Ok(Archive::Site(_)) => Err(anyhow::anyhow!(
            "this is a whole site's export: it goes into an empty site, without --community"
        )),
        Ok(Archive::Community(manifest)) => {
            crate::import_community::import(settings, &parts, &manifest, slug, dry_run).await
        }
        Err(e) => Err(e),
    };
    let _ = fs::remove_dir_all(&parts);
    result
}

async fn import_site(
    settings: &Settings,
    parts: &Path,
    manifest: &Manifest,
    dry_run: bool,
) -> anyhow::Result<()> {
    let store = crate::open(settings).await?;
    store.migrate().await.context("applying migrations")?;
    let empty = store.is_empty_site().await.map_err(report)?;
    let result = if !empty && !dry_run {
        Err(anyhow::anyhow!(
            "this site already has accounts or communities: import a whole site into an empty one"
        ))
    } else {
        load(&store, settings, parts, manifest, dry_run, empty).await
    };
    store.close().await;
    result
}

/// What an archive is, by its manifest.
enum Archive {
    Site(Manifest),
    Community(Box<copse_app::community_export::Manifest>),
}

/// Unpacks the archive into `parts` (data/, files/ and a community's people.jsonl), checking
/// every entry; answers its manifest.
fn unpack(source: &Path, parts: &Path) -> anyhow::Result<Archive> {
    let file = File::open(source).with_context(|| format!("opening {}", source.display()))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(io::BufReader::new(file)));
    let mut entries = archive.entries().context("not a copse export (.tar.gz)")?;
    let not_ours = || anyhow::anyhow!("not a copse export: it does not begin with {MANIFEST}");
    let mut first = entries
        .next()
        .ok_or_else(not_ours)?
        .map_err(|_| not_ours())?;
    if first.path()?.to_string_lossy() != MANIFEST || first.size() > 4 * 1024 * 1024 {
        return Err(not_ours());
    }
    let mut json = Vec::new();
    first.read_to_end(&mut json)?;
    let (manifest, tables) = read_manifest(&json)?;
    let is_community = matches!(manifest, Archive::Community(_));
    fs::create_dir_all(parts.join("data"))?;
    fs::create_dir_all(parts.join("files"))?;
    for entry in entries {
        let mut entry = entry.context("the export is damaged")?;
        if !entry.header().entry_type().is_file() {
            bail!("the export holds something other than files");
        }
        let path = entry.path()?.to_string_lossy().into_owned();
        let target = match (path.strip_prefix("data/"), path.strip_prefix("files/")) {
            (Some(name), _) if table_file(name) => {
                let table = name.trim_end_matches(".jsonl");
                if !tables.contains(table) {
                    bail!("the export holds rows of {table}, which its manifest does not list");
                }
                parts.join("data").join(name)
            }
            (_, Some(name)) if is_object_name(name) => parts.join("files").join(name),
            _ if is_community && path == "people.jsonl" => parts.join(&path),
            _ => bail!("the export holds {path:?}, which is not part of a copse export"),
        };
        let mut out = File::create_new(&target).with_context(|| format!("{path} appears twice"))?;
        io::copy(&mut entry, &mut out).context("the export is damaged")?;
    }
    io::copy(&mut archive.into_inner(), &mut io::sink()).context("the export is damaged")?;
    Ok(manifest)
}

/// The manifest, checked, and the tables it lists.
fn read_manifest(json: &[u8]) -> anyhow::Result<(Archive, BTreeSet<String>)> {
    let not_ours = || anyhow::anyhow!("not a copse export: its {MANIFEST} cannot be read");
    let value: serde_json::Value = serde_json::from_slice(json).map_err(|_| not_ours())?;
    // An archive's kind (not a job's) decides how it is read.
    let community = copse_app::community_export::archive::KIND;
    if value.get("kind").and_then(|k| k.as_str()) == Some(community) {
        let m: copse_app::community_export::Manifest =
            serde_json::from_value(value).map_err(|_| not_ours())?;
        copse_app::community_import::check_manifest(&m).map_err(report)?;
        let tables = m.tables.iter().map(|t| t.name.clone()).collect();
        return Ok((Archive::Community(Box::new(m)), tables));
    }
    let m: Manifest = serde_json::from_value(value).map_err(|_| not_ours())?;
    check_manifest(&m)?;
    let tables = m.tables.iter().map(|t| t.name.clone()).collect();
    Ok((Archive::Site(m), tables))
}

fn table_file(name: &str) -> bool {
    name.strip_suffix(".jsonl").is_some_and(|t| {
        !t.is_empty()
            && t.len() <= 64
            && t.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    })
}

fn check_manifest(m: &Manifest) -> anyhow::Result<()> {
    if m.kind != KIND {
        bail!("not a copse export (its kind is {:?})", m.kind);
    }
    if m.format != FORMAT {
        bail!(
            "the export's format is {}; this copse reads format {FORMAT}",
            m.format
        );
    }
    // Both backends' migrations are numbered alike.
    let known = known_schema_version(copse_store::Backend::Sqlite);
    if m.schema_version > known {
        bail!(
            "the export was made by copse {} with a newer schema ({}) than this copse knows \
             ({known}): import it with that version or later",
            m.copse_version,
            m.schema_version
        );
    }
    Ok(())
}

/// Loads every table in the order the target needs, then the deferred columns, the counters
/// and the files. With `dry_run`, only says what it would do.
async fn load(
    store: &Store,
    settings: &Settings,
    parts: &Path,
    manifest: &Manifest,
    dry_run: bool,
    empty: bool,
) -> anyhow::Result<()> {
    let shapes = store.table_shapes().await.map_err(report)?;
    let known: BTreeSet<&str> = shapes.iter().map(|s| s.name.as_str()).collect();
    if let Some(t) = manifest
        .tables
        .iter()
        .find(|t| !known.contains(t.name.as_str()))
    {
        bail!(
            "the export holds a table this copse does not know ({}): import it with copse {} or later",
            t.name,
            manifest.copse_version
        );
    }
    if dry_run {
        return dry_run_report(parts, manifest, empty);
    }
    let mut deferred = Vec::new();
    let progress = Progress::rows(manifest.tables.iter().map(|t| t.rows).sum());
    for shape in &shapes {
        let path = parts.join("data").join(format!("{}.jsonl", shape.name));
        progress.table(&shape.name);
        let (count, late) = load_table(store, shape, &path, &progress).await?;
        progress.line(&format!("  {:<28} {count:>9} rows", shape.name));
        if !late.is_empty() {
            deferred.push((shape, late));
        }
    }
    progress.done();
    for (shape, rows) in deferred {
        store
            .fill_deferred(shape, &rows)
            .await
            .map_err(|e| half_done(report(e)))?;
    }
    store.finish_load(&shapes).await.map_err(report)?;
    let files = store_files(settings, &parts.join("files")).await?;
    println!(
        "imported the site exported at {} from copse {} ({}): {} tables, {files} files",
        manifest.created_at,
        manifest.copse_version,
        manifest.source,
        manifest.tables.len()
    );
    Ok(())
}

fn half_done(e: anyhow::Error) -> anyhow::Error {
    e.context("the import stopped part-way: empty this database (or remove the data folder) before importing again")
}

fn dry_run_report(parts: &Path, manifest: &Manifest, empty: bool) -> anyhow::Result<()> {
    println!(
        "dry run: the export of {} (copse {}, {}, schema {}) holds:",
        manifest.created_at, manifest.copse_version, manifest.source, manifest.schema_version
    );
    for t in &manifest.tables {
        let rows = count_rows(&parts.join("data").join(format!("{}.jsonl", t.name)))?;
        println!("  {:<28} {rows:>9} rows", t.name);
    }
    let files = fs::read_dir(parts.join("files"))
        .map(|d| d.count())
        .unwrap_or(0);
    println!("  {:<28} {files:>9}", "files");
    if empty {
        println!("this site is empty: `copse import` without --dry-run would load all of it");
    } else {
        println!(
            "this site is not empty: a whole-site import needs an empty one, so it would refuse"
        );
    }
    Ok(())
}

/// Loads one table's rows from its file (none when the archive has none: a table added
/// since), a batch at a time; answers how many there were and, of the rows with a value in a
/// deferred column, their key and those values, for the second pass.
async fn load_table(
    store: &Store,
    shape: &TableShape,
    path: &Path,
    progress: &Progress,
) -> anyhow::Result<(u64, Vec<Row>)> {
    const BATCH: usize = 500;
    let Ok(file) = File::open(path) else {
        return Ok((0, Vec::new()));
    };
    let (mut batch, mut late, mut count) = (Vec::with_capacity(BATCH), Vec::new(), 0u64);
    let mut lines = BufReader::new(file).lines();
    loop {
        let line = lines.next().transpose()?;
        if let Some(line) = &line {
            let row: Row = serde_json::from_str(line).with_context(|| {
                format!("{} line {} is not a JSON object", path.display(), count + 1)
            })?;
            if let Some(kept) = shape.late_part(&row) {
                late.push(kept);
            }
            batch.push(row);
            count += 1;
        }
        if batch.len() == BATCH || (line.is_none() && !batch.is_empty()) {
            store
                .load_rows(shape, &batch)
                .await
                .map_err(|e| half_done(report(e)))?;
            progress.add(batch.len() as u64);
            batch.clear();
        }
        if line.is_none() {
            return Ok((count, late));
        }
    }
}

/// How many rows a table's file holds.
fn count_rows(path: &Path) -> anyhow::Result<usize> {
    match File::open(path) {
        Ok(file) => Ok(BufReader::new(file).lines().count()),
        Err(_) => Ok(0),
    }
}

/// Puts each upload into the site's file storage (folder or bucket).
async fn store_files(settings: &Settings, dir: &Path) -> anyhow::Result<u64> {
    let files = crate::open_files(settings)?;
    let mut count = 0;
    let Ok(entries) = fs::read_dir(dir) else {
        return Ok(0);
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let bytes = fs::read(entry.path())?;
        files.put_bytes(&name, bytes.into()).await.map_err(report)?;
        count += 1;
    }
    Ok(count)
}
