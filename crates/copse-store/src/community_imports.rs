//! What loading a community's archive into this site asks of the store besides rows: the
//! verified addresses people may be matched by, whether the community's address is free, and
//! the people who had left the site they come from.

use copse_core::domain::AccountId;
use copse_core::{OrInternal, Result};

use crate::{Store, Write};

impl Store {
    /// Every account's address that its owner has verified, with the account.
    pub async fn verified_addresses(&self) -> Result<Vec<(AccountId, String)>> {
        sqlx::query_as(
            "SELECT id, email FROM accounts \
             WHERE email_verified_at IS NOT NULL AND deleted_at IS NULL ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }
}

impl Write {
    /// Whether a community here has `slug` as its address, or had it before a merge.
    pub async fn community_address_taken(&mut self, slug: &str) -> Result<bool> {
        let (taken,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM communities WHERE slug = $1) \
             + (SELECT COUNT(*) FROM community_redirects WHERE old_slug = $1)",
        )
        .bind(slug)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(taken > 0)
    }

    /// Marks an account made for an archive's person as one who had left (their rows keep
    /// their name; nobody signs in as it).
    pub async fn mark_left(&mut self, account: AccountId) -> Result<()> {
        let now = self.now();
        sqlx::query("UPDATE accounts SET deleted_at = $2 WHERE id = $1")
            .bind(account)
            .bind(now)
            .execute(self.conn())
            .await
            .or_internal()
            .map(|_| ())
    }
}
