//! Merging a duplicate thread into another of its community: its opening post becomes a reply
//! of the other (with its author and date), its replies move there with their marks and
//! history, and the duplicate is deleted with a pointer, so its old address leads to the other.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::domain::{Thread, ThreadId};

use crate::{Store, Write};

impl Write {
    /// Merges `from` into `into` (same community; the caller checked both).
    pub async fn merge_thread(&mut self, from: &Thread, into: &Thread) -> Result<()> {
        let now = self.now();
        let opening = format!("**{}**\n\n{}", from.title, from.body);
        sqlx::query(
            "INSERT INTO replies (thread_id, community_id, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(into.id)
        .bind(into.community_id)
        .bind(from.author.id)
        .bind(&opening)
        .bind(from.created_at)
        .execute(self.conn())
        .await
        .or_internal()?;
        for sql in [
            "UPDATE replies SET thread_id = $2 WHERE thread_id = $1",
            "UPDATE edits SET thread_id = $2 WHERE thread_id = $1 AND reply_id IS NOT NULL",
            "UPDATE notifications SET thread_id = $2 WHERE thread_id = $1",
            "UPDATE flags SET thread_id = $2 WHERE thread_id = $1 AND target_kind = 'reply'",
        ] {
            sqlx::query(sql)
                .bind(from.id)
                .bind(into.id)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        // The duplicate's own history goes with its opening text (each statement binds exactly
        // its parameters: PostgreSQL refuses a bind that does not match a shared statement).
        sqlx::query("DELETE FROM edits WHERE thread_id = $1")
            .bind(from.id)
            .execute(self.conn())
            .await
            .or_internal()?;
        sqlx::query(
            "UPDATE threads SET deleted_at = $1, merged_into = $2, title = '', body = '', \
               link = NULL, accepted_reply_id = NULL, reply_count = 0 WHERE id = $3",
        )
        .bind(now)
        .bind(into.id)
        .bind(from.id)
        .execute(self.conn())
        .await
        .or_internal()?;
        sqlx::query(
            "UPDATE threads SET last_activity_at = $1, reply_count = \
               (SELECT COUNT(*) FROM replies r WHERE r.thread_id = $2 AND r.deleted_at IS NULL) \
             WHERE id = $2",
        )
        .bind(now)
        .bind(into.id)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}

impl Store {
    /// The thread a deleted duplicate was merged into, if it was.
    pub async fn merged_into(&self, thread: ThreadId) -> Result<Option<ThreadId>> {
        let row: Option<(Option<i64>,)> =
            sqlx::query_as("SELECT merged_into FROM threads WHERE id = $1")
                .bind(thread)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(row.and_then(|(into,)| into))
    }
}
