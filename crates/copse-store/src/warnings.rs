//! Warnings: a moderator's message to a member, which they acknowledge before they post in
//! that community again.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::domain::{AccountId, CommunityId, Warning};

use crate::{Store, Write};

impl Write {
    /// Writes a moderator's warning to a member.
    pub async fn add_warning(
        &mut self,
        community: CommunityId,
        account: AccountId,
        moderator: AccountId,
        message: &str,
    ) -> Result<i64> {
        let now = self.now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO warnings (community_id, account_id, moderator_id, message, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(community)
        .bind(account)
        .bind(moderator)
        .bind(message)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(id)
    }

    /// Marks the account's own warning read; false when it is not theirs or was read already.
    pub async fn acknowledge_warning(&mut self, id: i64, account: AccountId) -> Result<bool> {
        let now = self.now();
        let done = sqlx::query(
            "UPDATE warnings SET acknowledged_at = $1 WHERE id = $2 AND account_id = $3 \
               AND acknowledged_at IS NULL",
        )
        .bind(now)
        .bind(id)
        .bind(account)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(done.rows_affected() == 1)
    }

    /// Whether the account has a warning in the community it has not acknowledged.
    pub async fn unread_warning(
        &mut self,
        account: AccountId,
        community: CommunityId,
    ) -> Result<bool> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM warnings WHERE account_id = $1 AND community_id = $2 \
               AND acknowledged_at IS NULL",
        )
        .bind(account)
        .bind(community)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(count > 0)
    }
}

impl Store {
    /// The account's warnings it has not acknowledged, oldest first (at most 20).
    pub async fn open_warnings(&self, account: AccountId) -> Result<Vec<Warning>> {
        let rows: Vec<(i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT w.id, c.slug, c.name, w.message, w.created_at FROM warnings w \
             JOIN communities c ON c.id = w.community_id \
             WHERE w.account_id = $1 AND w.acknowledged_at IS NULL ORDER BY w.id LIMIT 20",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(
                |(id, community_slug, community_name, message, created_at)| Warning {
                    id,
                    community_slug,
                    community_name,
                    message,
                    created_at,
                },
            )
            .collect())
    }
}
