//! Who is asking: browser sessions and API tokens. Both are random 256-bit secrets of which
//! only SHA-256 hashes are kept, so a copy of the database signs nobody in.

use copse_core::Result;
use copse_core::domain::Account;
use copse_core::domain::{ApiTokenInfo, Scopes};

use crate::app::App;
use crate::secrets;

/// A browser session just started: the secret goes into the cookie, the hash ends it later.
pub struct NewSession {
    pub secret: String,
    pub ttl_ms: i64,
}

/// The signed-in account behind a session secret, with the secret's hash (to end it at
/// sign-out). Expired sessions and suspended accounts find nobody.
pub async fn session_account(app: &App, secret: &str) -> Result<(Option<Account>, String)> {
    let hash = secrets::hash_secret(secret);
    let session = app.store.session(&hash).await?;
    Ok((session.map(|s| s.account), hash))
}

/// Starts a new session for the account. A fresh id at every sign-in defeats session fixation.
pub async fn start_session(app: &App, account: &Account) -> Result<NewSession> {
    let secret = secrets::new_secret("cps");
    let ttl_ms = app.config.session_ttl_ms;
    app.store
        .create_session(&secrets::hash_secret(&secret), account.id, ttl_ms)
        .await?;
    Ok(NewSession { secret, ttl_ms })
}

/// Ends the session with this hash (signing out, or replacing it at sign-in).
pub async fn end_session(app: &App, hash: &str) -> Result<()> {
    app.store.delete_session(hash).await
}

/// The account an API token acts for and the token's scopes, if the token is known, not
/// revoked and not expired.
pub async fn token_account(app: &App, token: &str) -> Result<Option<(Account, Scopes)>> {
    app.store
        .api_token_account(&secrets::hash_secret(token))
        .await
}

/// The account's API tokens (never their secrets).
pub async fn api_tokens(app: &App, account: &Account) -> Result<Vec<ApiTokenInfo>> {
    app.store.api_tokens(account.id).await
}

/// Revokes one of the account's tokens; someone else's token is "not found".
pub async fn revoke_api_token(app: &App, account: &Account, token: i64) -> Result<()> {
    app.store.revoke_api_token(account.id, token).await
}

/// Deletes sessions that expired (they sign nobody in, but take space). Returns how many.
pub async fn purge_expired(app: &App) -> Result<u64> {
    app.store.purge_expired_sessions().await
}
