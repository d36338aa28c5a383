//! Single sign-on: identities (a provider's subject linked to an account) and the sign-ins
//! under way between leaving for the provider and coming back.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::AccountId;
use copse_core::{Error, Result};

use crate::{Store, Write, is_unique_violation};

/// A sign-in under way: what the callback needs to finish it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SsoLogin {
    pub provider: String,
    pub nonce: String,
    pub pkce_verifier: String,
    /// Set when a signed-in account links this provider, rather than signing in with it.
    pub link_account: Option<AccountId>,
    pub expires_at: Millis,
}

/// One linked identity, as its owner's settings show it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct LinkedIdentity {
    pub provider: String,
    pub email: Option<String>,
    pub created_at: Millis,
}

impl Store {
    /// Keeps a sign-in under way under the hash of its state; old ones are cleared on the way.
    pub async fn start_sso_login(&self, state_hash: &str, login: &SsoLogin) -> Result<()> {
        let mut w = self.write().await?;
        let started = async {
            sqlx::query("DELETE FROM sso_logins WHERE expires_at < $1")
                .bind(w.now())
                .execute(w.conn())
                .await
                .or_internal()?;
            sqlx::query(
                "INSERT INTO sso_logins (state_hash, provider, nonce, pkce_verifier, link_account, \
                 created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(state_hash)
            .bind(&login.provider)
            .bind(&login.nonce)
            .bind(&login.pkce_verifier)
            .bind(login.link_account)
            .bind(w.now())
            .bind(login.expires_at)
            .execute(w.conn())
            .await
            .or_internal()?;
            Ok(())
        }
        .await;
        w.finish(started).await
    }

    /// Takes the sign-in under way with this state hash, once: a second callback finds none.
    pub async fn take_sso_login(&self, state_hash: &str) -> Result<Option<SsoLogin>> {
        let mut w = self.write().await?;
        let taken = async {
            let login: Option<SsoLogin> = sqlx::query_as(
                "DELETE FROM sso_logins WHERE state_hash = $1 \
                 RETURNING provider, nonce, pkce_verifier, link_account, expires_at",
            )
            .bind(state_hash)
            .fetch_optional(w.conn())
            .await
            .or_internal()?;
            Ok(login)
        }
        .await;
        w.finish(taken).await
    }

    /// The account this provider's subject is linked to.
    pub async fn identity_account(
        &self,
        provider: &str,
        subject: &str,
    ) -> Result<Option<AccountId>> {
        let row: Option<(AccountId,)> = sqlx::query_as(
            "SELECT account_id FROM account_identities WHERE provider = $1 AND subject = $2",
        )
        .bind(provider)
        .bind(subject)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.map(|(id,)| id))
    }

    pub async fn identities_of(&self, account: AccountId) -> Result<Vec<LinkedIdentity>> {
        sqlx::query_as(
            "SELECT provider, email, created_at FROM account_identities WHERE account_id = $1 \
             ORDER BY provider",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Removes the account's identity at this provider; false when there was none.
    pub async fn unlink_identity(&self, account: AccountId, provider: &str) -> Result<bool> {
        let done =
            sqlx::query("DELETE FROM account_identities WHERE account_id = $1 AND provider = $2")
                .bind(account)
                .bind(provider)
                .execute(&self.pool)
                .await
                .or_internal()?;
        Ok(done.rows_affected() > 0)
    }
}

impl Write {
    /// Links a provider's subject to an account. A subject linked to another account, or a
    /// second identity at the same provider, is a conflict.
    pub async fn link_identity(
        &mut self,
        provider: &str,
        subject: &str,
        account: AccountId,
        email: Option<&str>,
    ) -> Result<()> {
        let (already,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM account_identities WHERE account_id = $1 AND provider = $2",
        )
        .bind(account)
        .bind(provider)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        if already > 0 {
            return Err(Error::conflict(
                "Your account is linked to another sign-in at this provider already.",
            ));
        }
        let inserted = sqlx::query(
            "INSERT INTO account_identities (provider, subject, account_id, email, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(provider)
        .bind(subject)
        .bind(account)
        .bind(email)
        .bind(self.now())
        .execute(self.conn())
        .await;
        match inserted {
            Ok(_) => Ok(()),
            Err(e) if is_unique_violation(&e) => Err(Error::conflict(
                "This sign-in is linked to another account here.",
            )),
            Err(e) => Err(crate::db_err(e)),
        }
    }
}
