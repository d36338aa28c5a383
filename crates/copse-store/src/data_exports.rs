//! Personal data exports prepared in the background: asked for (one at a time per person),
//! filled in by the worker, downloaded by their owner alone until they expire.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::AccountId;

use crate::{Store, Write};

/// One export as its owner's settings list it (the document itself is read on download).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DataExport {
    pub id: i64,
    pub requested_at: Millis,
    /// None while it is being prepared.
    pub ready_at: Option<Millis>,
    pub expires_at: Option<Millis>,
    pub size_bytes: Option<i64>,
}

impl Write {
    /// Asks for an export of `account`, unless one is being prepared already: returns its id
    /// and whether it is new. One asked for before `given_up_before` that never got ready (its
    /// job failed for good) is removed first, so it cannot block the next ask.
    pub async fn ask_data_export(
        &mut self,
        account: AccountId,
        given_up_before: Millis,
    ) -> Result<(i64, bool)> {
        sqlx::query(
            "DELETE FROM data_exports WHERE account_id = $1 AND ready_at IS NULL \
             AND requested_at < $2",
        )
        .bind(account)
        .bind(given_up_before)
        .execute(self.conn())
        .await
        .or_internal()?;
        let pending: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM data_exports WHERE account_id = $1 AND ready_at IS NULL",
        )
        .bind(account)
        .fetch_optional(self.conn())
        .await
        .or_internal()?;
        if let Some(id) = pending {
            return Ok((id, false));
        }
        let now = self.now();
        let id = sqlx::query_scalar(
            "INSERT INTO data_exports (account_id, requested_at) VALUES ($1, $2) RETURNING id",
        )
        .bind(account)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok((id, true))
    }
}

impl Store {
    /// The account's exports being prepared or still downloadable, newest first.
    pub async fn data_exports(&self, account: AccountId) -> Result<Vec<DataExport>> {
        sqlx::query_as(
            "SELECT id, requested_at, ready_at, expires_at, size_bytes FROM data_exports \
             WHERE account_id = $1 AND (expires_at IS NULL OR expires_at > $2) \
             ORDER BY requested_at DESC, id DESC LIMIT 10",
        )
        .bind(account)
        .bind(self.now())
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// The document of a ready, unexpired export of `account` (none for anyone else's).
    pub async fn data_export_body(&self, account: AccountId, id: i64) -> Result<Option<String>> {
        sqlx::query_scalar(
            "SELECT body FROM data_exports WHERE id = $1 AND account_id = $2 \
             AND ready_at IS NOT NULL AND expires_at > $3",
        )
        .bind(id)
        .bind(account)
        .bind(self.now())
        .fetch_optional(&self.pool)
        .await
        .or_internal()
    }

    /// The export `id`'s owner and when it got ready (none while waiting), if it is kept.
    pub async fn data_export_state(&self, id: i64) -> Result<Option<(AccountId, Option<Millis>)>> {
        sqlx::query_as("SELECT account_id, ready_at FROM data_exports WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()
    }

    /// Keeps the prepared document until `expires_at`.
    pub async fn finish_data_export(&self, id: i64, body: &str, expires_at: Millis) -> Result<()> {
        let size = i64::try_from(body.len()).unwrap_or(i64::MAX);
        sqlx::query(
            "UPDATE data_exports SET body = $1, size_bytes = $2, ready_at = $3, expires_at = $4 \
             WHERE id = $5",
        )
        .bind(body)
        .bind(size)
        .bind(self.now())
        .bind(expires_at)
        .bind(id)
        .execute(&self.pool)
        .await
        .or_internal()
        .map(|_| ())
    }

    /// Removes the exports whose time is up, and those asked for before `given_up_before`
    /// that never got ready; returns how many.
    pub async fn remove_expired_exports(&self, given_up_before: Millis) -> Result<u64> {
        sqlx::query(
            "DELETE FROM data_exports WHERE expires_at <= $1 \
             OR (ready_at IS NULL AND requested_at < $2)",
        )
        .bind(self.now())
        .bind(given_up_before)
        .execute(&self.pool)
        .await
        .or_internal()
        .map(|r| r.rows_affected())
    }
}
