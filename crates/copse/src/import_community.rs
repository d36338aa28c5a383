//! `copse import FILE [--community SLUG] [--dry-run]` with a community's archive: the community
//! comes into this site beside the others, under the archive's address or SLUG (see
//! `copse_app::community_import`). A dry run does the whole import and takes it back, so what
//! it reports is what would happen.

use std::path::Path;

use anyhow::bail;
use copse_app::community_export::Manifest;
use copse_app::community_import::{ImportOptions, import_community};
use copse_app::{App, AppConfig};

use crate::config::Settings;
use crate::progress::Progress;

pub async fn import(
    settings: &Settings,
    parts: &Path,
    manifest: &Manifest,
    slug: Option<&str>,
    dry_run: bool,
) -> anyhow::Result<()> {
    let store = crate::open(settings).await?;
    crate::migrate_if_embedded(&store).await?;
    let app = App::new(
        store.clone(),
        crate::open_files(settings)?,
        AppConfig::default(),
    );
    let options = ImportOptions {
        slug: slug.map(str::to_string),
        dry_run,
    };
    let progress = Progress::rows(manifest.tables.iter().map(|t| t.rows).sum());
    let on_rows = |table: &str, rows: u64| {
        progress.table(table);
        progress.add(rows);
    };
    let result = import_community(&app, parts, manifest, &options, &on_rows).await;
    progress.done();
    store.close().await;
    let r = match result {
        Ok(r) => r,
        Err(e) => bail!("could not import the community: {}", e.report()),
    };
    for (table, rows) in &r.tables {
        println!("  {table:<28} {rows:>9} rows");
    }
    let verb = if dry_run { "would bring" } else { "brought" };
    println!(
        "{verb} {:?} in at /c/{} from the archive made {} by @{}: {} people matched to accounts \
         here by a verified address, {} unclaimed profiles made, {} files, {} rows left out",
        r.name,
        r.slug,
        manifest.created_at,
        manifest.exported_by.handle,
        r.people.matched,
        r.people.created,
        r.files,
        r.rows_left_out
    );
    if dry_run {
        println!("dry run: nothing was changed");
    }
    Ok(())
}
