//! `copse export FILE --community SLUG`: one community as the archive its coordinators
//! download from its export page (the layout is documented in
//! `copse_app::community_export::archive`), written by the operator: everything of the
//! community, conversations and people's e-mail addresses included, as for a site admin.

use std::fs;
use std::path::Path;

use anyhow::{Context, bail};
use copse_app::community_export::{ArchiveWriter, Exporter};
use copse_files::FileStore;
use copse_store::CommunityCut;
use serde_json::json;

use crate::backup::with_suffix;
use crate::config::Settings;
use crate::export::report;
use crate::progress::Progress;

/// `copse export FILE --community SLUG`.
pub async fn export(settings: &Settings, slug: &str, target: &Path) -> anyhow::Result<()> {
    if target.exists() {
        bail!("{} already exists: name a new file", target.display());
    }
    let store = crate::open(settings).await?;
    let written = write(&store, settings, slug, target).await;
    store.close().await;
    written
}

async fn write(
    store: &copse_store::Store,
    settings: &Settings,
    slug: &str,
    target: &Path,
) -> anyhow::Result<()> {
    let community = store
        .community_by_slug(slug)
        .await
        .map_err(report)?
        .with_context(|| format!("there is no community {slug:?}"))?;
    let files = FileStore::open(&settings.files).map_err(report)?;
    let parts = with_suffix(target, ".parts");
    let _ = fs::remove_dir_all(&parts);
    let cut = CommunityCut {
        community: community.id,
        circles: None,
        private_exchanges: true,
    };
    let result = async {
        let mut writer = ArchiveWriter::begin(store, &files, cut, true, parts.clone())
            .await
            .map_err(report)?;
        let progress = Progress::rows(writer.rows_to_read().await.map_err(report)?);
        for i in 0..writer.table_count() {
            let name = writer.table_name(i);
            progress.table(&name);
            let rows = writer.write_table(i).await.map_err(report)?;
            progress.add(rows);
            progress.line(&format!("  {name:<28} {rows:>9} rows"));
        }
        progress.done();
        let about = json!({ "slug": community.slug.as_str(), "name": community.name });
        let by = Exporter {
            handle: "(command line)".into(),
            site_admin: true,
        };
        writer.finish(about, by, target).await.map_err(report)
    }
    .await;
    let _ = fs::remove_dir_all(&parts);
    let manifest = result?;
    let rows: u64 = manifest.tables.iter().map(|t| t.rows).sum();
    println!(
        "exported {} ({rows} rows in {} tables, {} people, {} files) to {}",
        slug,
        manifest.tables.len(),
        manifest.people,
        manifest.files,
        target.display()
    );
    Ok(())
}
