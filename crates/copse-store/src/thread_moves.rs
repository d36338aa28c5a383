//! Moving a thread to another community, and splitting replies off into a new thread. Both
//! keep every post with its author, date, marks and history; what belongs to a community only
//! (its topics) stays behind, and the ledger follows the posts, so participation counts where
//! the conversation now is.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::domain::{CommunityId, Reply, Thread, ThreadId};

use crate::Write;

impl Write {
    /// Moves a thread with its replies into `to` (the caller checked both communities and that
    /// the thread is outside any circle). Its topics, which were its old community's, are
    /// dropped; open flags go to the new community's queue.
    pub async fn move_thread(&mut self, thread: ThreadId, to: CommunityId) -> Result<()> {
        sqlx::query("DELETE FROM thread_topics WHERE thread_id = $1")
            .bind(thread)
            .execute(self.conn())
            .await
            .or_internal()?;
        self.move_thread_rows(thread, to).await
    }

    /// The thread, its replies and everything recorded about them become `to`'s (its topics
    /// are the caller's to settle).
    pub(crate) async fn move_thread_rows(
        &mut self,
        thread: ThreadId,
        to: CommunityId,
    ) -> Result<()> {
        for sql in [
            "UPDATE threads SET community_id = $2, pinned_at = NULL WHERE id = $1",
            "UPDATE replies SET community_id = $2 WHERE thread_id = $1",
            "UPDATE edits SET community_id = $2 WHERE thread_id = $1",
            "UPDATE helpful_marks SET community_id = $2 \
               WHERE reply_id IN (SELECT id FROM replies WHERE thread_id = $1)",
            "UPDATE notifications SET community_id = $2 WHERE thread_id = $1",
            "UPDATE flags SET community_id = $2 WHERE thread_id = $1",
            // Files count against the limit of the community their post is in.
            "UPDATE files SET community_id = $2 WHERE (attached_kind = 'thread' AND attached_id = $1) \
               OR (attached_kind = 'reply' AND attached_id IN (SELECT id FROM replies WHERE thread_id = $1))",
            "UPDATE activity SET community_id = $2 WHERE source = 'thread:' || CAST($1 AS TEXT) \
               OR source IN (SELECT 'reply:' || CAST(id AS TEXT) FROM replies WHERE thread_id = $1) \
               OR source IN (SELECT 'accepted:' || CAST(id AS TEXT) FROM replies WHERE thread_id = $1)",
        ] {
            sqlx::query(sql)
                .bind(thread)
                .bind(to)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        Ok(())
    }

    /// Splits `replies` (of `from`, oldest first, at least one) off into a new thread titled
    /// `title` in the same community and space: the first becomes its opening post, by its
    /// author and at its time; the others move as they are. Answers the new thread.
    pub async fn split_thread(
        &mut self,
        from: &Thread,
        replies: &[Reply],
        title: &str,
    ) -> Result<ThreadId> {
        let Some((first, rest)) = replies.split_first() else {
            return Err(copse_core::Error::invalid("replies", "choose at least one"));
        };
        let now = self.now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO threads (community_id, space, kind, title, body, author_id, created_at, \
               last_activity_at, circle_id) \
             VALUES ($1, $2, 'discussion', $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(from.community_id)
        .bind(from.space.as_str())
        .bind(title)
        .bind(&first.body)
        .bind(first.author.id)
        .bind(first.created_at)
        .bind(now)
        .bind(from.circle_id)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        for reply in rest {
            self.move_reply(reply.id, from.id, id).await?;
        }
        self.opening_from_reply(first.id, from.id, id).await?;
        for thread in [from.id, id] {
            sqlx::query(
                "UPDATE threads SET reply_count = \
                   (SELECT COUNT(*) FROM replies r WHERE r.thread_id = $1 AND r.deleted_at IS NULL) \
                 WHERE id = $1",
            )
            .bind(thread)
            .execute(self.conn())
            .await
            .or_internal()?;
        }
        Ok(id)
    }

    async fn move_reply(&mut self, reply: i64, from: ThreadId, to: ThreadId) -> Result<()> {
        for sql in [
            "UPDATE replies SET thread_id = $2 WHERE id = $1",
            "UPDATE edits SET thread_id = $2 WHERE reply_id = $1",
            "UPDATE notifications SET thread_id = $2 WHERE reply_id = $1",
            "UPDATE flags SET thread_id = $2 WHERE target_kind = 'reply' AND target_id = $1",
        ] {
            sqlx::query(sql)
                .bind(reply)
                .bind(to)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        self.unaccept(reply, from).await
    }

    /// The reply that became a thread's opening post: its history and flags go to the thread,
    /// its marks and the notifications about it go with it.
    async fn opening_from_reply(&mut self, reply: i64, from: ThreadId, to: ThreadId) -> Result<()> {
        for sql in [
            "UPDATE edits SET thread_id = $2, reply_id = NULL WHERE reply_id = $1",
            "UPDATE flags SET thread_id = $2, target_kind = 'thread', target_id = $2 \
               WHERE target_kind = 'reply' AND target_id = $1",
        ] {
            sqlx::query(sql)
                .bind(reply)
                .bind(to)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        self.unaccept(reply, from).await?;
        // Its ledger entry still counts (it was written as a reply) but is now the opening
        // post's: a later reply may be given this reply's id again (SQLite reuses the
        // highest), and its own entry must not collide with this one.
        sqlx::query("UPDATE activity SET source = $2 WHERE source = $1")
            .bind(format!("reply:{reply}"))
            .bind(format!("thread:{to}"))
            .execute(self.conn())
            .await
            .or_internal()?;
        sqlx::query("DELETE FROM replies WHERE id = $1")
            .bind(reply)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// A reply that leaves its question is no longer its answer.
    async fn unaccept(&mut self, reply: i64, from: ThreadId) -> Result<()> {
        sqlx::query(
            "UPDATE threads SET accepted_reply_id = NULL, accepted_at = NULL \
             WHERE id = $1 AND accepted_reply_id = $2",
        )
        .bind(from)
        .bind(reply)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}
