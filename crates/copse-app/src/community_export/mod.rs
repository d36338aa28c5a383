//! A community's archive for its coordinators (and site admins): asked for on the export page
//! or the API, prepared by the worker with its progress shown, kept for a week in the file
//! store, downloaded by the one who asked while they may still export the community.
//!
//! Only what the exporter may read goes in: the access policy decides which circles (those
//! the exporter may read), and conversations and introductions between people only go into a
//! site admin's archive; people's e-mail addresses too (a coordinator's carries their digests).

pub mod archive;

use std::collections::BTreeSet;
use std::path::PathBuf;

use copse_core::clock::{Millis, rfc3339};
use copse_core::domain::{Account, Community};
use copse_core::policy::{self, Actor, CircleAction, CommunityAction};
use copse_core::{Error, Result};
pub use copse_files::Fetched;
pub use copse_store::CommunityExport;
use copse_store::{CommunityCut, ThrottleRule};
use serde_json::json;

use crate::access::{Gated, gate};
use crate::app::App;
use crate::email_links::{self, LinkMail};
use crate::jobs::{Job, PreparedCommunityExport};
use crate::mail::{Delivery, Postman};
pub use archive::{ArchiveWriter, Exporter, Manifest};

/// A prepared archive is kept this long, then removed.
pub const KEPT_FOR: Millis = 7 * 24 * 3600 * 1000;
/// An archive not ready this long after it was asked for has failed for good.
pub const GIVEN_UP_AFTER: Millis = 24 * 3600 * 1000;

/// Archives one person may ask for: five an hour (each reads the whole community).
const EXPORTS: ThrottleRule = ThrottleRule {
    max_failures: 5,
    window_ms: 3600 * 1000,
};

/// Asks for an archive of `slug` (one at a time per person: asking while one is being prepared
/// answers that one). The worker prepares it.
pub async fn ask(app: &App, actor: &Actor, slug: &str) -> Result<CommunityExport> {
    let gated = gate(app, actor, slug, CommunityAction::Export).await?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let key = format!("export:community:{by}");
    if let Some(wait) = app.store.throttled_for(&key, EXPORTS).await? {
        return Err(Error::too_many(
            "You asked for several archives in the last hour; try again later.",
            Some(wait),
        ));
    }
    app.store.record_hit(&key, EXPORTS).await?;
    let mut w = app.store.write().await?;
    let asked = async {
        let given_up_before = w.now() - GIVEN_UP_AFTER;
        let (id, new) = w
            .ask_community_export(gated.community.id, by, given_up_before)
            .await?;
        if new {
            let now = w.now();
            Job::CommunityExport(PreparedCommunityExport { export: id })
                .add(&mut w, now)
                .await?;
        }
        Ok(id)
    }
    .await;
    let id = w.finish(asked).await?;
    app.store.community_export(id).await?.ok_or(Error::NotFound)
}

/// The archives of `slug` the actor asked for (a site admin: everyone's, so that they see who
/// took the community's data), being prepared or ready, newest first.
pub async fn list(
    app: &App,
    actor: &Actor,
    slug: &str,
) -> Result<(Community, Vec<CommunityExport>)> {
    let gated = gate(app, actor, slug, CommunityAction::Export).await?;
    let by = actor.account_id().ok_or(Error::Unauthenticated)?;
    let whose = (!site_admin(actor)).then_some(by);
    let exports = app
        .store
        .community_exports(gated.community.id, whose)
        .await?;
    Ok((gated.community, exports))
}

/// One archive the actor asked for (anyone else's is not found, but to site admins).
pub async fn one(app: &App, actor: &Actor, slug: &str, id: i64) -> Result<CommunityExport> {
    let gated = gate(app, actor, slug, CommunityAction::Export).await?;
    own(app, actor, &gated, id).await
}

async fn own(app: &App, actor: &Actor, gated: &Gated, id: i64) -> Result<CommunityExport> {
    let export = app
        .store
        .community_export(id)
        .await?
        .ok_or(Error::NotFound)?;
    let theirs = Some(export.account_id) == actor.account_id() || site_admin(actor);
    if theirs && export.community_id == gated.community.id {
        Ok(export)
    } else {
        Err(Error::NotFound)
    }
}

/// A ready archive's bytes and the name to save it under, for the one who asked, while they
/// may still export the community.
pub async fn download(app: &App, actor: &Actor, slug: &str, id: i64) -> Result<(Fetched, String)> {
    let gated = gate(app, actor, slug, CommunityAction::Export).await?;
    let export = own(app, actor, &gated, id).await?;
    let (Some(object), Some(ready)) = (export.object_name, export.ready_at) else {
        return Err(Error::conflict("This archive is still being prepared."));
    };
    let fetched = app.files.get(&object, None).await?.ok_or(Error::NotFound)?;
    let day = copse_core::clock::rfc3339(ready);
    let name = format!(
        "{}-{}.tar.gz",
        gated.community.slug,
        &day[..10.min(day.len())]
    );
    Ok((fetched, name))
}

/// What of the community the actor's archive holds, as the policy decides.
async fn cut_for(app: &App, actor: &Actor, gated: &Gated) -> Result<CommunityCut> {
    let admin = site_admin(actor);
    let circles = if admin {
        None
    } else {
        let all = app
            .store
            .circles_of(gated.community.id, actor.account_id(), true, true)
            .await?;
        let mut readable = BTreeSet::new();
        for circle in all {
            let role = app.store.circle_role(circle.id, actor.account_id()).await?;
            let facts = crate::access::facts(&circle, &gated.community, role, app.now());
            if policy::decide_circle(actor, &gated.standing, &facts, CircleAction::Read).allowed() {
                readable.insert(circle.id);
            }
        }
        Some(readable)
    };
    Ok(CommunityCut {
        community: gated.community.id,
        circles,
        private_exchanges: admin,
    })
}

/// The worker's part: writes the archive the one who asked may have now, showing its
/// progress, and keeps it for a week. Someone no longer allowed to export gets nothing.
pub async fn prepare(app: &App, postman: &Postman, job: &PreparedCommunityExport) -> Result<()> {
    let Some(export) = app.store.community_export(job.export).await? else {
        return Ok(());
    };
    let account = app.store.account(export.account_id).await?;
    let Some(account) = account.filter(|a| !a.is_suspended() && !a.deleted) else {
        return Ok(());
    };
    let Some(community) = app.store.community_by_id(export.community_id).await? else {
        return Ok(());
    };
    // A retry after the mail failed finds the archive kept, and only mails.
    if export.ready_at.is_none() {
        write_archive(app, &export, &account, &community).await?;
    }
    tell_asker(app, postman, &account, &community, export.id).await
}

/// Writes the archive the asker may have, when they still may export the community.
async fn write_archive(
    app: &App,
    export: &CommunityExport,
    account: &Account,
    community: &Community,
) -> Result<()> {
    let actor = Actor::of(account, false);
    let gated = match gate(
        app,
        &actor,
        community.slug.as_str(),
        CommunityAction::Export,
    )
    .await
    {
        Ok(gated) => gated,
        Err(Error::NotFound | Error::Forbidden(_)) => return Ok(()),
        Err(e) => return Err(e),
    };
    let cut = cut_for(app, &actor, &gated).await?;
    let work = std::env::temp_dir().join(format!(
        "copse-community-export-{}-{}",
        export.id,
        hex::encode(crate::secrets::random_bytes::<8>())
    ));
    let written = write(app, export, &gated, cut, &account.handle, &work).await;
    let _ = tokio::fs::remove_dir_all(&work).await;
    written
}

/// Tells the asker by e-mail that their archive is ready (once: the delivery's key is the
/// archive's); nothing when it is not (they lost the right to export) or their address is not
/// verified.
async fn tell_asker(
    app: &App,
    postman: &Postman,
    account: &Account,
    community: &Community,
    id: i64,
) -> Result<()> {
    let ready = app.store.community_export(id).await?;
    if !account.email_verified || ready.is_none_or(|e| e.ready_at.is_none()) {
        return Ok(());
    }
    let subject = format!("The archive of {} is ready", community.name);
    let lead = format!(
        "The archive of {} you asked for is ready: its threads, library, events, stories, \
         members and files, as JSON Lines with a manifest.",
        community.name
    );
    let validity = format!(
        "You can download it, signed in, until {} (UTC); then it is removed.",
        rfc3339(app.now() + KEPT_FOR)
    );
    let mail = email_links::compose(&LinkMail {
        to_name: &account.profile.display_name,
        to_address: &account.email,
        subject: &subject,
        lead: &lead,
        action: "Download it",
        url: &app.absolute(&format!("/c/{}/export", community.slug.as_str())),
        validity: &validity,
        ignore: "If you did not ask for it, someone signed in as you did: change your password.",
    })?;
    let delivery = Delivery {
        key: format!("community-export:{id}"),
        run: "community exports".into(),
        account: account.id,
        kind: "community_export",
        items: 1,
    };
    postman.deliver_one(app, &delivery, &mail).await
}

async fn write(
    app: &App,
    export: &CommunityExport,
    gated: &Gated,
    cut: CommunityCut,
    handle: &str,
    work: &std::path::Path,
) -> Result<()> {
    let admin = cut.private_exchanges;
    let parts = work.join("parts");
    let mut writer = ArchiveWriter::begin(&app.store, &app.files, cut, admin, parts).await?;
    let total = writer.rows_to_read().await?;
    app.store.note_export_progress(export.id, 0, total).await?;
    let mut done = 0;
    for i in 0..writer.table_count() {
        done += writer.write_table(i).await?;
        app.store
            .note_export_progress(export.id, done, total.max(done))
            .await?;
    }
    let c = &gated.community;
    let about = json!({ "slug": c.slug.as_str(), "name": c.name });
    let by = Exporter {
        handle: handle.to_string(),
        site_admin: admin,
    };
    let packed: PathBuf = work.join("archive.tar.gz");
    let manifest = writer.finish(about, by, &packed).await?;
    let object = format!(
        "community-export-{}",
        hex::encode(crate::secrets::random_bytes::<16>())
    );
    let size = keep(app, &object, &packed).await?;
    let summary = json!({
        "tables": manifest.tables.len(),
        "rows": manifest.tables.iter().map(|t| t.rows).sum::<u64>(),
        "people": manifest.people,
        "files": manifest.files,
        "rows_left_out": manifest.rows_left_out,
    });
    app.store
        .finish_community_export(
            export.id,
            &object,
            size,
            &summary.to_string(),
            app.now() + KEPT_FOR,
        )
        .await
}

/// Puts the packed archive into the file store, read a chunk at a time.
async fn keep(app: &App, object: &str, packed: &std::path::Path) -> Result<u64> {
    use tokio::io::AsyncReadExt;
    let file = tokio::fs::File::open(packed)
        .await
        .map_err(|e| Error::internal(e.to_string()))?;
    let chunks = futures_util::stream::unfold(file, |mut file| async move {
        let mut buffer = vec![0u8; 1 << 20];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(n) => {
                buffer.truncate(n);
                Some((Ok::<_, std::io::Error>(bytes::Bytes::from(buffer)), file))
            }
            Err(e) => Some((Err(e), file)),
        }
    });
    app.files
        .put(object, bytes::Bytes::new(), Box::pin(chunks), u64::MAX)
        .await
}

/// Removes the archives whose week is over and those that failed for good, bytes first (a
/// step of the worker's rounds).
pub async fn remove_expired(app: &App) -> Result<()> {
    let expired = app
        .store
        .expired_community_exports(app.now() - GIVEN_UP_AFTER)
        .await?;
    for (id, object) in expired {
        if let Some(object) = object {
            app.files.delete(&object).await?;
        }
        app.store.remove_community_export(id).await?;
    }
    Ok(())
}

fn site_admin(actor: &Actor) -> bool {
    matches!(actor, Actor::Account { is_admin: true, .. })
}
