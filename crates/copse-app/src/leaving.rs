//! Leaving for good (GDPR article 17): a person deletes their account — after their
//! password, and once nobody is left without a coordinator or the site without an admin. Their
//! public contributions stay under "a former member" unless they ask otherwise. Taking one's
//! data along first is `personal_export`.

use copse_core::domain::{Account, AccountId};
use copse_core::{Error, Result};
use copse_store::{NewAudit, Write};

use crate::app::App;
use crate::passwords;

/// What the deletion form sends.
#[derive(Debug, Clone, Default)]
pub struct DeleteRequest {
    pub password: String,
    /// Remove the threads, replies, value stories and comments too.
    pub remove_contributions: bool,
}

/// Deletes the signed-in account. A wrong password, the site's last admin, or the only
/// coordinator of a community others belong to is refused with what to do, and nothing changes.
pub async fn delete_account(app: &App, account: &Account, request: &DeleteRequest) -> Result<()> {
    let stored = app.store.password_hash(account.id).await?;
    if !passwords::verify(request.password.clone(), stored).await? {
        return Err(Error::invalid("password", "is not your password"));
    }
    let mut w = app.store.write().await?;
    let done = erase(&mut w, account, request.remove_contributions, None).await;
    w.finish(done).await
}

/// Deletes `account` in the caller's transaction, with its audit entry: by its owner (`by`
/// none) or by a site admin. Refused for the site's last admin and for the only coordinator
/// of a community others belong to, saying what to do first.
pub(crate) async fn erase(
    w: &mut Write,
    account: &Account,
    remove_contributions: bool,
    by: Option<(AccountId, &str)>,
) -> Result<()> {
    if account.is_admin && w.admin_count().await? <= 1 {
        return Err(Error::conflict(
            "This is the site's last admin: make someone else an admin first (Admin → People).",
        ));
    }
    let sole = w.sole_coordinations(account.id).await?;
    if !sole.is_empty() {
        let names: Vec<String> = sole.into_iter().map(|(_, name)| name).collect();
        return Err(Error::conflict(format!(
            "@{} is the only coordinator of {}: make another member a coordinator there first \
             (its Members page), then delete the account.",
            account.handle,
            names.join(", ")
        )));
    }
    let handle = w.erase_account(account.id, remove_contributions).await?;
    let detail = if remove_contributions {
        "with their contributions"
    } else {
        "contributions kept under \"a former member\""
    };
    w.record_audit(&NewAudit {
        actor: by.map(|(id, _)| id),
        actor_label: by.map_or("the account's owner", |(_, label)| label),
        action: "deleted the account",
        target: account.id,
        target_label: &handle,
        detail: Some(detail),
    })
    .await
}
