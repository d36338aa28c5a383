//! `copse backup FILE` and `copse restore FILE`: a whole embedded site — its SQLite database and
//! its files folder — in one `.tar.gz`, made while the site keeps serving.
//!
//! The archive holds, in this order: `copse-backup.json` (the manifest: what made it and the
//! database's schema version, read before anything is unpacked), `copse.db` (a `VACUUM INTO`
//! copy: one consistent snapshot, taken without stopping writers) and `files/<name>` for each
//! upload. The database is copied before the files, so every upload the copy knows of is on
//! disk by the time the folder is read; an upload deleted in between is the one thing that can
//! be missing. Restore writes only into an empty data folder, accepts only those entries and
//! leaves nothing behind when it fails.

use copse_app::community_export::archive::append_bytes;
use std::fs::{self, File};
use std::io::{self, BufReader, BufWriter, Read};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use copse_files::{Location, is_object_name};
use copse_store::{Backend, known_schema_version, sqlite_file};
use serde::{Deserialize, Serialize};

use crate::config::Settings;

/// The archive's layout version; a restore refuses a format it does not know.
const FORMAT: u32 = 1;
const KIND: &str = "copse-backup";
const MANIFEST: &str = "copse-backup.json";
const DATABASE: &str = "copse.db";
const FILES: &str = "files/";

#[derive(Serialize, Deserialize)]
struct Manifest {
    kind: String,
    format: u32,
    copse_version: String,
    created_at: String,
    /// The newest migration the database had; a build that knows fewer cannot restore it.
    schema_version: i64,
    /// False when uploads live in S3-compatible storage (they stay in the bucket).
    files_included: bool,
}

/// What went into or came out of an archive.
struct Counted {
    database_bytes: u64,
    files: u64,
    file_bytes: u64,
}

/// `copse backup FILE`.
pub async fn backup(settings: &Settings, target: &Path) -> anyhow::Result<()> {
    if target.exists() {
        bail!("{} already exists: name a new file", target.display());
    }
    let store = crate::open(settings).await?;
    if store.backend() != Backend::Sqlite {
        bail!(
            "copse backup copies the embedded SQLite site; back up PostgreSQL with pg_dump and \
             the files folder or bucket (see Backups in the README)"
        );
    }
    let partial = with_suffix(target, ".partial");
    let database_copy = with_suffix(target, ".db-partial");
    let _ = fs::remove_file(&database_copy);
    let made = async {
        store.copy_into(&database_copy).await?;
        let manifest = Manifest {
            kind: KIND.into(),
            format: FORMAT,
            copse_version: env!("CARGO_PKG_VERSION").into(),
            created_at: chrono::Utc::now().to_rfc3339(),
            schema_version: store.schema_version().await?,
            files_included: matches!(settings.files, Location::Folder(_)),
        };
        let folder = match &settings.files {
            Location::Folder(dir) => Some(dir.clone()),
            Location::S3 { .. } => None,
        };
        let (copy, out) = (database_copy.clone(), partial.clone());
        tokio::task::spawn_blocking(move || write_archive(&out, &manifest, &copy, folder)).await?
    }
    .await;
    store.close().await;
    let _ = fs::remove_file(&database_copy);
    let counted = match made {
        Ok(counted) => counted,
        Err(e) => {
            let _ = fs::remove_file(&partial);
            return Err(e);
        }
    };
    fs::rename(&partial, target).with_context(|| format!("naming {}", target.display()))?;
    println!(
        "backed up the database ({}) and {} files ({}) to {}",
        megabytes(counted.database_bytes),
        counted.files,
        megabytes(counted.file_bytes),
        target.display()
    );
    if let Location::S3 { .. } = settings.files {
        println!("uploads live in S3-compatible storage and are not in this backup");
    }
    Ok(())
}

fn write_archive(
    out: &Path,
    manifest: &Manifest,
    database_copy: &Path,
    folder: Option<PathBuf>,
) -> anyhow::Result<Counted> {
    let file = File::create_new(out).with_context(|| format!("creating {}", out.display()))?;
    let gzip = flate2::write::GzEncoder::new(BufWriter::new(file), flate2::Compression::fast());
    let mut archive = tar::Builder::new(gzip);
    let json = serde_json::to_vec_pretty(manifest)?;
    append_bytes(&mut archive, MANIFEST, &json)?;
    let mut database = File::open(database_copy)?;
    let database_bytes = database.metadata()?.len();
    archive.append_file(DATABASE, &mut database)?;
    let mut counted = Counted {
        database_bytes,
        files: 0,
        file_bytes: 0,
    };
    if let Some(dir) = folder {
        for name in object_names(&dir)? {
            // An upload deleted since the listing is simply not there any more.
            let Ok(mut file) = File::open(dir.join(&name)) else {
                continue;
            };
            counted.file_bytes += file.metadata()?.len();
            counted.files += 1;
            archive.append_file(format!("{FILES}{name}"), &mut file)?;
        }
    }
    let gzip = archive.into_inner()?;
    let file = gzip.finish()?.into_inner().map_err(|e| e.into_error())?;
    file.sync_all()?;
    Ok(counted)
}

/// The stored objects in a files folder, sorted; the storage adapter's staging files and
/// anything else that is not an object name are left out.
pub(crate) fn object_names(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut names = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(names),
        Err(e) => return Err(e).with_context(|| format!("reading {}", dir.display())),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if entry.file_type()?.is_file() && is_object_name(&name) {
            names.push(name);
        }
    }
    names.sort();
    Ok(names)
}

/// `copse restore FILE`: into an empty data folder only.
pub async fn restore(settings: &Settings, source: &Path) -> anyhow::Result<()> {
    if Backend::from_url(&settings.database_url)? != Backend::Sqlite {
        bail!("copse restore fills an embedded SQLite site; restore PostgreSQL with pg_restore");
    }
    let database = sqlite_file(&settings.database_url)?
        .context("the database URL names no file to restore into")?;
    if has_content(&database) || has_content(&with_suffix(&database, "-wal")) {
        bail!(
            "{} already holds a site: restore into an empty data folder, or move that one away",
            database.display()
        );
    }
    let folder = match &settings.files {
        Location::Folder(dir) => {
            if !object_names(dir)?.is_empty() {
                bail!("the files folder {} is not empty", dir.display());
            }
            Some(dir.clone())
        }
        Location::S3 { .. } => None,
    };
    if let Some(parent) = database.parent() {
        fs::create_dir_all(parent)?;
    }
    let (from, into) = (source.to_path_buf(), database.clone());
    let (manifest, counted) =
        tokio::task::spawn_blocking(move || unpack(&from, &into, folder.as_deref())).await??;
    // An older backup is brought up to this build's schema, as a start would.
    let store = crate::open(settings).await?;
    store.migrate().await.context("applying migrations")?;
    store.close().await;
    println!(
        "restored the site backed up at {} by copse {}: the database ({}) and {} files ({})",
        manifest.created_at,
        manifest.copse_version,
        megabytes(counted.database_bytes),
        counted.files,
        megabytes(counted.file_bytes)
    );
    Ok(())
}

fn has_content(path: &Path) -> bool {
    fs::metadata(path).is_ok_and(|m| m.len() > 0)
}

/// Unpacks into `database` and `folder`; on any failure removes what it wrote.
fn unpack(
    source: &Path,
    database: &Path,
    folder: Option<&Path>,
) -> anyhow::Result<(Manifest, Counted)> {
    let mut written = Vec::new();
    let partial = with_suffix(database, ".restoring");
    let result = unpack_entries(source, &partial, folder, &mut written).and_then(|done| {
        fs::rename(&partial, database)?;
        Ok(done)
    });
    if result.is_err() {
        let _ = fs::remove_file(&partial);
        for path in written {
            let _ = fs::remove_file(path);
        }
    }
    result.with_context(|| format!("restoring {}", source.display()))
}

fn unpack_entries(
    source: &Path,
    partial_database: &Path,
    folder: Option<&Path>,
    written: &mut Vec<PathBuf>,
) -> anyhow::Result<(Manifest, Counted)> {
    let file = File::open(source).with_context(|| format!("opening {}", source.display()))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(BufReader::new(file)));
    let mut entries = archive.entries().context("not a copse backup (.tar.gz)")?;
    let manifest = read_manifest(entries.next())?;
    let mut counted = Counted {
        database_bytes: 0,
        files: 0,
        file_bytes: 0,
    };
    for entry in entries {
        let mut entry = entry.context("the backup is damaged")?;
        if !entry.header().entry_type().is_file() {
            bail!("the backup holds something other than files");
        }
        let path = entry.path()?.to_string_lossy().into_owned();
        let target = if path == DATABASE {
            partial_database.to_path_buf()
        } else if let Some(name) = path.strip_prefix(FILES) {
            let Some(dir) = folder else {
                bail!(
                    "the backup holds uploads, but this site keeps them in S3-compatible storage: restore into a files folder and copy it to the bucket"
                );
            };
            if !is_object_name(name) {
                bail!("the backup names a file {name:?}, which copse never writes");
            }
            fs::create_dir_all(dir)?;
            dir.join(name)
        } else {
            bail!("the backup holds {path:?}, which is not part of a copse backup");
        };
        let mut out = File::create_new(&target)
            .with_context(|| format!("{path} appears twice in the backup, or cannot be written"))?;
        written.push(target);
        let bytes = io::copy(&mut entry, &mut out).context("the backup is damaged")?;
        out.sync_all()?;
        if path == DATABASE {
            counted.database_bytes = bytes;
        } else {
            counted.files += 1;
            counted.file_bytes += bytes;
        }
    }
    if counted.database_bytes == 0 {
        bail!("the backup holds no database");
    }
    // Reading to the end checks the gzip trailer, so a cut-off backup is refused.
    io::copy(&mut archive.into_inner(), &mut io::sink()).context("the backup is damaged")?;
    Ok((manifest, counted))
}

fn read_manifest<R: Read>(
    first: Option<io::Result<tar::Entry<'_, R>>>,
) -> anyhow::Result<Manifest> {
    let not_ours = || anyhow::anyhow!("not a copse backup: it does not begin with {MANIFEST}");
    let mut entry = first.ok_or_else(not_ours)?.map_err(|_| not_ours())?;
    if entry.path()?.to_string_lossy() != MANIFEST || entry.size() > 64 * 1024 {
        return Err(not_ours());
    }
    let mut json = Vec::new();
    entry.read_to_end(&mut json)?;
    let manifest: Manifest = serde_json::from_slice(&json).map_err(|_| not_ours())?;
    if manifest.kind != KIND {
        return Err(not_ours());
    }
    if manifest.format != FORMAT {
        bail!(
            "the backup's format is {}; this copse reads format {FORMAT}",
            manifest.format
        );
    }
    let known = known_schema_version(Backend::Sqlite);
    if manifest.schema_version > known {
        bail!(
            "the backup was made by copse {} with a newer database schema ({}) than this copse \
             knows ({known}): restore it with that version or later",
            manifest.copse_version,
            manifest.schema_version
        );
    }
    Ok(manifest)
}

pub(crate) fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
