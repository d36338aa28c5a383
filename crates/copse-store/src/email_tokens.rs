//! Single-use secrets sent by e-mail, kept as SHA-256 hashes: verifying an address, resetting a
//! password. Taking a secret checks it is known, unused and unexpired and marks
//! it used in the transaction of what it allows, so it works once.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::AccountId;
use copse_core::{Error, Result};

use crate::{Write, is_unique_violation};

/// What a secret was sent for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenPurpose {
    VerifyEmail,
    ResetPassword,
}

impl TokenPurpose {
    fn as_str(self) -> &'static str {
        match self {
            TokenPurpose::VerifyEmail => "verify",
            TokenPurpose::ResetPassword => "reset",
        }
    }
}

/// A secret that was taken: whose it is and the address it was sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TakenToken {
    pub account: AccountId,
    pub email: String,
}

impl Write {
    /// Keeps the hash of a new secret sent to `email`, valid until `expires_at`; returns its id.
    pub async fn add_email_token(
        &mut self,
        account: AccountId,
        purpose: TokenPurpose,
        email: &str,
        token_hash: &str,
        expires_at: Millis,
    ) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO email_tokens (account_id, purpose, email, token_hash, created_at, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(account)
        .bind(purpose.as_str())
        .bind(email)
        .bind(token_hash)
        .bind(self.now())
        .bind(expires_at)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(id)
    }

    /// Takes the secret behind `token_hash` for `purpose`: an unknown, used or expired secret
    /// is refused with what is wrong, and nothing changes.
    pub async fn take_email_token(
        &mut self,
        purpose: TokenPurpose,
        token_hash: &str,
    ) -> Result<TakenToken> {
        let row: Option<(AccountId, String, Millis, Option<Millis>)> = sqlx::query_as(
            "SELECT account_id, email, expires_at, used_at FROM email_tokens \
             WHERE token_hash = $1 AND purpose = $2",
        )
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_optional(self.conn())
        .await
        .or_internal()?;
        let Some((account, email, expires_at, used_at)) = row else {
            return Err(Error::invalid("token", "this link is not one of ours"));
        };
        if used_at.is_some() {
            return Err(Error::invalid("token", "this link was used already"));
        }
        if expires_at <= self.now() {
            return Err(Error::invalid(
                "token",
                "this link has expired: ask for a new one",
            ));
        }
        sqlx::query("UPDATE email_tokens SET used_at = $2 WHERE token_hash = $1")
            .bind(token_hash)
            .bind(self.now())
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(TakenToken { account, email })
    }

    /// Sets a new password hash after a reset: every session ends and every API token is
    /// revoked, so whoever held the old password or a stolen token is out.
    pub async fn reset_password(&mut self, account: AccountId, hash: &str) -> Result<()> {
        self.set_password(account, hash).await?;
        let now = self.now();
        sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(account)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// Makes `email` the account's verified address. An address another account has taken
    /// since is a conflict.
    pub async fn set_verified_email(&mut self, account: AccountId, email: &str) -> Result<()> {
        let done = sqlx::query(
            "UPDATE accounts SET email = $2, email_verified_at = $3, updated_at = $3 WHERE id = $1",
        )
        .bind(account)
        .bind(email.to_lowercase())
        .bind(self.now())
        .execute(self.conn())
        .await;
        match done {
            Ok(r) if r.rows_affected() == 1 => Ok(()),
            Ok(_) => Err(Error::NotFound),
            Err(e) if is_unique_violation(&e) => Err(Error::conflict_on(
                "email",
                "another account uses this address now",
            )),
            Err(e) => Err(crate::db_err(e)),
        }
    }
}
