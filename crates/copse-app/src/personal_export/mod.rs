//! Taking one's data along (GDPR articles 15 and 20). A person with a few thousand things gets
//! the document at once; a larger one is prepared by the worker — no request waits while a
//! prolific member's years are read —, kept for a week, announced by e-mail, and downloaded
//! from Settings → Your data or the API by its owner alone.

mod document;

use copse_core::clock::{Millis, rfc3339};
use copse_core::domain::Account;
use copse_core::{Error, OrInternal, Result};
use copse_store::{DataExport, ThrottleRule};
use serde_json::Value;

use crate::app::App;
use crate::email_links::{self, LinkMail};
use crate::jobs::{Job, PreparedExport};
use crate::mail::{Delivery, Postman};

/// A prepared export is kept this long, then removed.
pub const KEPT_FOR: Millis = 7 * 24 * 3600 * 1000;
/// An export not ready this long after it was asked for has failed for good (its job gave up
/// after its attempts): it is removed, and asking again starts a new one.
pub const GIVEN_UP_AFTER: Millis = 24 * 3600 * 1000;

/// Exports one account may ask for: five an hour (each reads everything it wrote).
const EXPORTS: ThrottleRule = ThrottleRule {
    max_failures: 5,
    window_ms: 3600 * 1000,
};

/// What asking for one's data gives.
#[derive(Debug, Clone)]
pub enum Export {
    /// The document, at once.
    Ready(Value),
    /// Too large to answer at once: the worker prepares it and e-mails when it is ready.
    Preparing,
}

/// The person's data: at once when they have few things, otherwise asked of the worker (one
/// export at a time is prepared; asking again while it is waiting adds nothing).
pub async fn export(app: &App, account: &Account) -> Result<Export> {
    let key = format!("export:account:{}", account.id);
    if let Some(wait) = app.store.throttled_for(&key, EXPORTS).await? {
        return Err(Error::too_many(
            "You asked for your data several times in the last hour; try again later.",
            Some(wait),
        ));
    }
    app.store.record_hit(&key, EXPORTS).await?;
    let at_once = app.config.export_at_once;
    if app.store.personal_data_size(account.id, at_once).await? <= at_once {
        return document::document(app, account).await.map(Export::Ready);
    }
    let mut w = app.store.write().await?;
    let asked = async {
        let given_up_before = w.now() - GIVEN_UP_AFTER;
        let (id, new) = w.ask_data_export(account.id, given_up_before).await?;
        if new {
            let now = w.now();
            Job::DataExport(PreparedExport { export: id })
                .add(&mut w, now)
                .await?;
        }
        Ok(())
    }
    .await;
    w.finish(asked).await?;
    Ok(Export::Preparing)
}

/// The account's exports being prepared or ready to download, newest first.
pub async fn exports(app: &App, account: &Account) -> Result<Vec<DataExport>> {
    app.store.data_exports(account.id).await
}

/// A prepared export's document, for its owner; anyone else's, or one expired, is not found.
pub async fn download(app: &App, account: &Account, id: i64) -> Result<String> {
    app.store
        .data_export_body(account.id, id)
        .await?
        .ok_or(Error::NotFound)
}

/// The worker's part: reads everything, keeps the document for a week and tells its owner.
/// A retry after the mail failed finds the document kept and only mails (once: the delivery's
/// key is the export's).
pub async fn prepare(app: &App, postman: &Postman, job: &PreparedExport) -> Result<()> {
    let Some((owner, ready_at)) = app.store.data_export_state(job.export).await? else {
        return Ok(());
    };
    let Some(account) = app.store.account(owner).await? else {
        return Ok(());
    };
    if ready_at.is_none() {
        let document = document::document(app, &account).await?;
        let body = serde_json::to_string(&document).or_internal()?;
        app.store
            .finish_data_export(job.export, &body, app.now() + KEPT_FOR)
            .await?;
    }
    tell_owner(app, postman, &account, job.export).await
}

async fn tell_owner(app: &App, postman: &Postman, account: &Account, id: i64) -> Result<()> {
    if account.is_suspended() || account.deleted || !account.email_verified {
        return Ok(());
    }
    let validity = format!(
        "You can download it, signed in, until {} (UTC); then it is removed.",
        rfc3339(app.now() + KEPT_FOR)
    );
    let mail = email_links::compose(&LinkMail {
        to_name: &account.profile.display_name,
        to_address: &account.email,
        subject: "Your copse data is ready",
        lead: "The export of your data you asked for is ready: everything you gave the site, \
               as one JSON document.",
        action: "Download it",
        url: &app.absolute("/settings/account#exports"),
        validity: &validity,
        ignore: "If you did not ask for it, someone signed in as you did: change your password.",
    })?;
    let delivery = Delivery {
        key: format!("data-export:{id}"),
        run: "data exports".into(),
        account: account.id,
        kind: "data_export",
        items: 1,
    };
    postman.deliver_one(app, &delivery, &mail).await
}

/// Removes the exports whose week is over, and those that failed for good (a step of the
/// worker's rounds).
pub async fn remove_expired(app: &App) -> Result<()> {
    app.store
        .remove_expired_exports(app.now() - GIVEN_UP_AFTER)
        .await
        .map(|_| ())
}
