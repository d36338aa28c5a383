//! Threads and replies brought in from a mailing list archive, at their authors' and dates,
//! each message recorded by its Message-ID so that a second import of a longer archive adds
//! only what is new.

use copse_core::clock::Millis;
use copse_core::domain::{AccountId, CommunityId, Space, ThreadId};
use copse_core::{OrInternal, Result};

use crate::Write;
use crate::threads::MAX_REPLIES_PER_THREAD;

/// One message as the archive had it, ready to be written.
#[derive(Debug, Clone)]
pub struct ArchivedPost<'a> {
    pub message_id: &'a str,
    /// The thread's subject reduced (no "Re:", no "[list]"), to find it by.
    pub subject: &'a str,
    pub author: AccountId,
    pub body: &'a str,
    pub at: Millis,
}

impl Write {
    /// The thread a message already imported into the community became part of.
    pub async fn imported_thread(
        &mut self,
        community: CommunityId,
        message_id: &str,
    ) -> Result<Option<ThreadId>> {
        let row: Option<(ThreadId,)> = sqlx::query_as(
            "SELECT thread_id FROM imported_messages WHERE community_id = $1 AND message_id = $2",
        )
        .bind(community)
        .bind(message_id)
        .fetch_optional(self.conn())
        .await
        .or_internal()?;
        Ok(row.map(|(t,)| t))
    }

    /// The newest imported thread whose subject, reduced, is `subject`.
    pub async fn imported_thread_by_subject(
        &mut self,
        community: CommunityId,
        subject: &str,
    ) -> Result<Option<ThreadId>> {
        let row: Option<(ThreadId,)> = sqlx::query_as(
            "SELECT i.thread_id FROM imported_messages i JOIN threads t ON t.id = i.thread_id \
             WHERE i.community_id = $1 AND i.subject = $2 AND i.reply_id IS NULL \
             AND t.deleted_at IS NULL ORDER BY i.thread_id DESC LIMIT 1",
        )
        .bind(community)
        .bind(subject)
        .fetch_optional(self.conn())
        .await
        .or_internal()?;
        Ok(row.map(|(t,)| t))
    }

    /// A new thread in `space`, titled `title`, from the message.
    pub async fn import_thread(
        &mut self,
        community: CommunityId,
        space: Space,
        title: &str,
        post: &ArchivedPost<'_>,
    ) -> Result<ThreadId> {
        let (id,): (ThreadId,) = sqlx::query_as(
            "INSERT INTO threads (community_id, space, kind, title, body, author_id, created_at, \
             last_activity_at) VALUES ($1, $2, 'discussion', $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(community)
        .bind(space.as_str())
        .bind(title)
        .bind(post.body)
        .bind(post.author)
        .bind(post.at)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        self.record_import(community, post, id, None).await?;
        Ok(id)
    }

    /// A reply to `thread` from the message; `None` when the thread is full (the caller goes
    /// on in a new one).
    pub async fn import_reply(
        &mut self,
        community: CommunityId,
        thread: ThreadId,
        post: &ArchivedPost<'_>,
    ) -> Result<Option<i64>> {
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM replies WHERE thread_id = $1")
            .bind(thread)
            .fetch_one(self.conn())
            .await
            .or_internal()?;
        if count >= MAX_REPLIES_PER_THREAD {
            return Ok(None);
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO replies (thread_id, community_id, author_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(thread)
        .bind(community)
        .bind(post.author)
        .bind(post.body)
        .bind(post.at)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        // An archive's replies may come out of order: the thread's activity is its latest.
        sqlx::query(
            "UPDATE threads SET reply_count = reply_count + 1, \
             last_activity_at = CASE WHEN last_activity_at < $1 THEN $1 ELSE last_activity_at END \
             WHERE id = $2",
        )
        .bind(post.at)
        .bind(thread)
        .execute(self.conn())
        .await
        .or_internal()?;
        self.record_import(community, post, thread, Some(id))
            .await?;
        Ok(Some(id))
    }

    async fn record_import(
        &mut self,
        community: CommunityId,
        post: &ArchivedPost<'_>,
        thread: ThreadId,
        reply: Option<i64>,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO imported_messages (community_id, message_id, thread_id, reply_id, \
             subject, created_at) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(community)
        .bind(post.message_id)
        .bind(thread)
        .bind(reply)
        .bind(post.subject)
        .bind(self.now())
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}
