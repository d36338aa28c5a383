//! A community's archive (see [`crate::community_export::archive`]) brought into a site that
//! has communities of its own — another copse, or this one as a copy. Every row gets a new id
//! and every reference follows it (`copse_store::Remap`); the archive's people are matched by
//! their verified address or made unclaimed profiles (`people`); files keep their names unless
//! this site uses one already. It all goes in one transaction, so a failure leaves nothing
//! behind and a dry run — the same work, rolled back — reports exactly what would go in.
//!
//! The operator runs it (`copse import FILE --community SLUG`). On SQLite the site's other
//! writers wait while it runs; on PostgreSQL they wait to write the tables it loads.

mod people;
mod tables;

use std::path::Path;

use copse_core::domain::{CommunityId, Slug};
use copse_core::{Error, Result};
use copse_store::{Backend, Remap, known_schema_version};
use serde_json::Value;

use crate::app::App;
use crate::community_export::archive::{FORMAT, KIND, Manifest};
pub use people::PeopleCount;
use tables::Tables;

/// How to bring the archive in.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The community's address here; the archive's when not given.
    pub slug: Option<String>,
    /// Do everything, report it, and take it all back.
    pub dry_run: bool,
}

/// What an import did (or, in a dry run, would do).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub slug: String,
    pub name: String,
    /// Rows that went in, by table.
    pub tables: Vec<(String, u64)>,
    pub people: PeopleCount,
    /// Rows the archive holds that could not go in (they pointed at nothing it holds).
    pub rows_left_out: u64,
    pub files: u64,
    pub dry_run: bool,
}

/// Checks that this copse reads the archive.
pub fn check_manifest(m: &Manifest) -> Result<()> {
    if m.kind != KIND {
        return Err(Error::invalid(
            "archive",
            format!("it is not a community's archive (its kind is {:?})", m.kind),
        ));
    }
    if m.format != FORMAT {
        return Err(Error::invalid(
            "archive",
            format!(
                "its format is {}; this copse reads format {FORMAT}",
                m.format
            ),
        ));
    }
    // Both backends' migrations are numbered alike.
    let known = known_schema_version(Backend::Sqlite);
    if m.schema_version > known {
        return Err(Error::invalid(
            "archive",
            format!(
                "copse {} made it with a newer schema ({}) than this copse knows ({known}): \
                 import it with that version or later",
                m.copse_version, m.schema_version
            ),
        ));
    }
    Ok(())
}

/// Brings the unpacked archive in `parts` (its `data/`, `people.jsonl` and `files/`) into the
/// site. `on_rows` hears of each batch of rows as it goes in.
pub async fn import_community(
    app: &App,
    parts: &Path,
    manifest: &Manifest,
    options: &ImportOptions,
    on_rows: &(dyn Fn(&str, u64) + Sync),
) -> Result<ImportReport> {
    check_manifest(manifest)?;
    let shapes = app.store.table_shapes().await?;
    if let Some(t) = manifest
        .tables
        .iter()
        .find(|t| !shapes.iter().any(|s| s.name == t.name))
    {
        return Err(Error::invalid(
            "archive",
            format!(
                "it holds a table this copse does not know ({}): import it with copse {} or later",
                t.name, manifest.copse_version
            ),
        ));
    }
    let data = parts.join("data");
    let community = tables::community_row(&data)?;
    let text = |k: &str| community.get(k).and_then(Value::as_str).unwrap_or_default();
    let slug = Slug::parse(options.slug.as_deref().unwrap_or(text("slug")))?;
    let mut report = ImportReport {
        slug: slug.as_str().to_string(),
        name: text("name").to_string(),
        dry_run: options.dry_run,
        ..ImportReport::default()
    };
    let tables = Tables {
        data,
        shapes: &shapes,
    };
    let mut w = app.store.write().await?;
    let mut remap = Remap::new();
    let loaded = async {
        if w.community_address_taken(slug.as_str()).await? {
            return Err(Error::conflict_on(
                "community",
                format!(
                    "a community here has the address {slug} (or had it): give the imported one \
                     another with --community",
                    slug = slug.as_str()
                ),
            ));
        }
        report.people = people::bring(app, &mut w, &parts.join("people.jsonl"), &mut remap).await?;
        tables.allot(&mut w, &mut remap).await?;
        tables
            .load(&mut w, &mut remap, slug.as_str(), on_rows)
            .await
    }
    .await;
    let loaded = match loaded {
        Ok(loaded) if !options.dry_run => w.finish(Ok(loaded)).await?,
        other => {
            w.roll_back().await;
            other?
        }
    };
    report.tables = loaded.tables;
    report.rows_left_out = remap.rows_left_out;
    report.files = loaded.files.len() as u64;
    if options.dry_run {
        return Ok(report);
    }
    report.files = keep_files(app, parts, &loaded.files, &remap).await?;
    let community = CommunityId(loaded.community);
    if let Err(e) = crate::participation::recompute(app, community).await {
        tracing::warn!(community = %report.slug, error = %e, "levels after an import");
    }
    Ok(report)
}

/// Puts the bytes of each file whose row went in into the site's file storage, under its name
/// here; answers how many. A file whose bytes the archive lacks keeps its row (it answers 404,
/// as it did there).
async fn keep_files(
    app: &App,
    parts: &Path,
    names: &std::collections::BTreeSet<String>,
    remap: &Remap,
) -> Result<u64> {
    let mut kept = 0;
    for name in names {
        let Ok(bytes) = tokio::fs::read(parts.join("files").join(name)).await else {
            continue;
        };
        app.files
            .put_bytes(&remap.file_name(name), bytes.into())
            .await?;
        kept += 1;
    }
    Ok(kept)
}
