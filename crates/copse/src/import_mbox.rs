//! `copse import mbox FILE --community SLUG [--space members|public] [--dry-run]`: a mailing
//! list's archive becomes the community's threads and replies (see `copse_app::mail_import`).
//! It works on a running site: its writes go in batches, and a second run on a longer archive
//! adds only what is new.

use std::path::Path;

use anyhow::{Context, bail};
use copse_app::{App, AppConfig};
use copse_core::domain::Space;

use crate::config::Settings;

/// An archive larger than this is refused: it is read into memory whole.
const MAX_ARCHIVE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

pub async fn import_mbox(
    settings: &Settings,
    file: &Path,
    community: &str,
    space: &str,
    dry_run: bool,
) -> anyhow::Result<()> {
    let space =
        Space::parse(space).map_err(|_| anyhow::anyhow!("--space must be members or public"))?;
    let size = std::fs::metadata(file)
        .with_context(|| format!("reading {}", file.display()))?
        .len();
    if size > MAX_ARCHIVE_BYTES {
        bail!(
            "{} is over 2 GiB: split the archive by year and import each part",
            file.display()
        );
    }
    let mbox = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let store = crate::open(settings).await?;
    crate::migrate_if_embedded(&store).await?;
    let app = App::new(store, crate::open_files(settings)?, AppConfig::default());
    let r = match copse_app::mail_import::import_mbox(&app, community, &mbox, space, dry_run).await
    {
        Ok(r) => r,
        Err(e) => bail!("could not import {}: {e}", file.display()),
    };
    let verb = if dry_run { "would add" } else { "added" };
    println!(
        "{} messages read: {verb} {} threads and {} replies ({} threads continued because they were full); \
         {} imported before; {} unreadable; {} senders matched to accounts, {} unclaimed profiles made; \
         {} attachments kept, {} left out (a kind copse does not keep, or too large)",
        r.messages,
        r.threads,
        r.replies,
        r.continued,
        r.already,
        r.unreadable,
        r.people_matched,
        r.people_created,
        r.attachments,
        r.attachments_refused
    );
    if dry_run {
        println!("dry run: nothing was changed");
    }
    Ok(())
}
