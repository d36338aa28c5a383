//! A new site's first run: while no account exists, the server prints a one-time setup code
//! (a link to `/setup`) when it starts, and whoever holds it creates the site's first admin.
//! The code, not the order of arrival, decides: a stranger who finds a freshly started site on
//! the internet cannot make themselves its admin. `copse admin create-user --admin` does the
//! same from the shell.

use copse_core::domain::Account;
use copse_core::{Error, Result};

use crate::accounts::{SignupInput, new_account};
use crate::app::App;
use crate::secrets;

/// True while the site has no account at all.
pub async fn is_first_run(app: &App) -> Result<bool> {
    Ok(!app.store.has_accounts().await?)
}

/// On a site without accounts: a new setup code (replacing any earlier one; only its hash is
/// kept). `None` once the site has accounts.
pub async fn issue_code(app: &App) -> Result<Option<String>> {
    if !is_first_run(app).await? {
        return Ok(None);
    }
    let code = secrets::new_secret("cpsetup");
    app.store
        .replace_setup_code(&secrets::hash_secret(&code))
        .await?;
    Ok(Some(code))
}

/// Creates the first admin with the setup code. The operator who holds the code types the
/// address, so it counts as verified (as with `create-user`). The code is used up in the same
/// transaction, and refused once any account exists.
pub async fn create_first_admin(app: &App, code: &str, input: SignupInput) -> Result<Account> {
    let new = new_account(input, true, true).await?;
    let hash = secrets::hash_secret(code.trim());
    let mut w = app.store.write().await?;
    let created = async {
        if !w.take_setup_code(&hash).await? {
            return Err(Error::invalid(
                "code",
                "is not the setup code the server printed last (or the site has its admin already)",
            ));
        }
        w.create_account(&new).await
    }
    .await;
    let id = w.finish(created).await?;
    app.store.account(id).await?.ok_or(Error::NotFound)
}
