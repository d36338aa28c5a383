//! Sign-in state that must be shared by every node: sessions, API tokens and the sign-in throttle.
//! Secrets are never stored: the web layer hands in SHA-256 hashes of session ids and tokens.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::{Account, AccountId, Scopes};
use copse_core::{Error, Result};

use crate::Store;
use copse_core::domain::ApiTokenInfo;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    pub account: Account,
    pub expires_at: Millis,
}

/// A throttle: at most `max_failures` events within `window_ms` per key.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleRule {
    pub max_failures: i64,
    pub window_ms: Millis,
}

/// How often `last_used_at` of a token is refreshed; writing it on every request would turn
/// each API read into a write.
const TOKEN_TOUCH_INTERVAL_MS: Millis = 60_000;

/// A listed token: id, name, scopes, created, last used, expires.
type TokenRow = (i64, String, String, i64, Option<i64>, Option<i64>);

/// A token to record: its name, the hash of its secret, its scopes and expiry.
pub struct NewApiToken<'a> {
    pub name: &'a str,
    pub token_hash: &'a str,
    pub scopes: Scopes,
    pub expires_at: Option<Millis>,
}

impl Store {
    pub async fn create_session(
        &self,
        id_hash: &str,
        account: AccountId,
        ttl_ms: Millis,
    ) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO sessions (id_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(id_hash)
        .bind(account)
        .bind(now)
        .bind(now + ttl_ms)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// The live session with this id hash, if its account is not suspended.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionInfo>> {
        let row: Option<(i64, i64)> = sqlx::query_as(
            "SELECT s.account_id, s.expires_at FROM sessions s JOIN accounts a ON a.id = s.account_id \
             WHERE s.id_hash = $1 AND s.expires_at > $2 AND a.suspended_at IS NULL",
        )
        .bind(id_hash)
        .bind(self.now())
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        let Some((account_id, expires_at)) = row else {
            return Ok(None);
        };
        Ok(self
            .account(AccountId(account_id))
            .await?
            .map(|account| SessionInfo {
                account,
                expires_at,
            }))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }

    /// Removes expired sessions; called now and then so the table does not grow without bound.
    pub async fn purge_expired_sessions(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(self.now())
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(done.rows_affected())
    }

    pub async fn create_api_token(
        &self,
        account: AccountId,
        new: &NewApiToken<'_>,
    ) -> Result<ApiTokenInfo> {
        let now = self.now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO api_tokens (account_id, name, token_hash, scopes, expires_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(account)
        .bind(new.name)
        .bind(new.token_hash)
        .bind(new.scopes.to_stored())
        .bind(new.expires_at)
        .bind(now)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(ApiTokenInfo {
            id,
            name: new.name.to_string(),
            scopes: new.scopes.clone(),
            created_at: now,
            last_used_at: None,
            expires_at: new.expires_at,
        })
    }

    /// The account a live token belongs to, with the token's scopes; an expired, revoked or
    /// unknown token finds nobody. Notes the use at most once a minute.
    pub async fn api_token_account(&self, token_hash: &str) -> Result<Option<(Account, Scopes)>> {
        let row: Option<(i64, i64, Option<i64>, String)> = sqlx::query_as(
            "SELECT t.id, t.account_id, t.last_used_at, t.scopes FROM api_tokens t \
             JOIN accounts a ON a.id = t.account_id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND a.suspended_at IS NULL \
             AND (t.expires_at IS NULL OR t.expires_at > $2)",
        )
        .bind(token_hash)
        .bind(self.now())
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        let Some((token_id, account_id, last_used, scopes)) = row else {
            return Ok(None);
        };
        let now = self.now();
        if last_used.is_none_or(|t| now - t > TOKEN_TOUCH_INTERVAL_MS) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(token_id)
                .execute(&self.pool)
                .await
                .or_internal()?;
        }
        let account = self.account(AccountId(account_id)).await?;
        Ok(account.map(|a| (a, Scopes::from_stored(&scopes))))
    }

    pub async fn api_tokens(&self, account: AccountId) -> Result<Vec<ApiTokenInfo>> {
        let rows: Vec<TokenRow> = sqlx::query_as(
            "SELECT id, name, scopes, created_at, last_used_at, expires_at FROM api_tokens \
             WHERE account_id = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > $2) \
             ORDER BY id",
        )
        .bind(account)
        .bind(self.now())
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(
                |(id, name, scopes, created_at, last_used_at, expires_at)| ApiTokenInfo {
                    id,
                    name,
                    scopes: Scopes::from_stored(&scopes),
                    created_at,
                    last_used_at,
                    expires_at,
                },
            )
            .collect())
    }

    /// Revokes one of the account's own tokens; someone else's token is "not found".
    pub async fn revoke_api_token(&self, account: AccountId, token_id: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL",
        )
        .bind(self.now())
        .bind(token_id)
        .bind(account)
        .execute(&self.pool)
        .await
        .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// Milliseconds until the key may try again, if it has used up its failures in the window.
    pub async fn throttled_for(&self, key: &str, rule: ThrottleRule) -> Result<Option<Millis>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT window_start, failures FROM auth_throttle WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        let now = self.now();
        Ok(match row {
            Some((start, failures))
                if failures >= rule.max_failures && now - start < rule.window_ms =>
            {
                Some(rule.window_ms - (now - start))
            }
            _ => None,
        })
    }

    /// Counts one event (a failed sign-in, a sign-up, a new community) for the key, starting a new
    /// window when the old one has passed.
    pub async fn record_hit(&self, key: &str, rule: ThrottleRule) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO auth_throttle (key, window_start, failures) VALUES ($1, $2, 1) \
             ON CONFLICT (key) DO UPDATE SET \
               failures = CASE WHEN auth_throttle.window_start <= $3 THEN 1 ELSE auth_throttle.failures + 1 END, \
               window_start = CASE WHEN auth_throttle.window_start <= $3 THEN $2 ELSE auth_throttle.window_start END",
        )
        .bind(key)
        .bind(now)
        .bind(now - rule.window_ms)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    pub async fn clear_hits(&self, key: &str) -> Result<()> {
        sqlx::query("DELETE FROM auth_throttle WHERE key = $1")
            .bind(key)
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }
}
