//! Replies: writing, quoting, deleting softly, accepted answers and helpful marks.

use copse_core::OrInternal;
use copse_core::domain::{AccountId, Person, Quoted, Reply, ReplyId, Thread, ThreadId};
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::threads::MAX_REPLIES_PER_THREAD;
use crate::{Store, Write};

#[derive(sqlx::FromRow)]
struct ReplyRow {
    id: i64,
    thread_id: i64,
    author_id: AccountId,
    handle: String,
    display_name: String,
    body: String,
    quoted_reply_id: Option<i64>,
    quoted_handle: Option<String>,
    quoted_body: Option<String>,
    helpful: i64,
    marked: i64,
    created_at: i64,
    edited_at: Option<i64>,
    deleted_at: Option<i64>,
    hidden_at: Option<i64>,
    hidden_reason: Option<String>,
}

impl From<ReplyRow> for Reply {
    fn from(r: ReplyRow) -> Self {
        Reply {
            id: r.id,
            thread_id: r.thread_id,
            author: Person {
                id: r.author_id,
                handle: r.handle,
                display_name: r.display_name,
            },
            body: r.body,
            quoted: r.quoted_reply_id.map(|id| Quoted {
                id,
                author_handle: r.quoted_handle.unwrap_or_default(),
                body: r.quoted_body.unwrap_or_default(),
            }),
            helpful: r.helpful,
            marked_by_viewer: r.marked > 0,
            created_at: r.created_at,
            edited_at: r.edited_at,
            deleted: r.deleted_at.is_some(),
            hidden: r.hidden_at.map(|_| r.hidden_reason.unwrap_or_default()),
        }
    }
}

const REPLY_SELECT: &str = "SELECT r.id, r.thread_id, r.author_id, a.handle, a.display_name, r.body, \
    r.quoted_reply_id, qa.handle AS quoted_handle, \
    CASE WHEN q.hidden_at IS NULL THEN q.body ELSE '' END AS quoted_body, \
    (SELECT COUNT(*) FROM helpful_marks h WHERE h.reply_id = r.id) AS helpful, \
    (SELECT COUNT(*) FROM helpful_marks h WHERE h.reply_id = r.id AND h.account_id = $1) AS marked, \
    r.created_at, r.edited_at, r.deleted_at, r.hidden_at, r.hidden_reason \
    FROM replies r JOIN accounts a ON a.id = r.author_id \
    LEFT JOIN replies q ON q.id = r.quoted_reply_id \
    LEFT JOIN accounts qa ON qa.id = q.author_id";

impl Store {
    /// Every reply of a thread in order, with quotes and helpful counts, in one query.
    pub async fn replies(&self, thread: ThreadId, viewer: Option<AccountId>) -> Result<Vec<Reply>> {
        let sql = format!("{REPLY_SELECT} WHERE r.thread_id = $2 ORDER BY r.id LIMIT $3");
        let rows: Vec<ReplyRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(viewer.unwrap_or(AccountId(-1)))
            .bind(thread)
            .bind(MAX_REPLIES_PER_THREAD)
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        Ok(rows.into_iter().map(Reply::from).collect())
    }

    /// One reply (deleted ones too, as placeholders).
    pub async fn reply(&self, id: ReplyId) -> Result<Option<Reply>> {
        let sql = format!("{REPLY_SELECT} WHERE r.id = $2");
        let row: Option<ReplyRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(-1_i64)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        Ok(row.map(Reply::from))
    }
}

impl Write {
    /// Adds a reply, optionally quoting another reply of the same thread.
    pub async fn create_reply(
        &mut self,
        thread: &Thread,
        author: AccountId,
        body: &str,
        quoted: Option<ReplyId>,
    ) -> Result<ReplyId> {
        let now = self.now();
        let (count,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM replies WHERE thread_id = $1")
            .bind(thread.id)
            .fetch_one(self.conn())
            .await
            .or_internal()?;
        if count >= MAX_REPLIES_PER_THREAD {
            return Err(Error::conflict("This thread is full; start a new one."));
        }
        if let Some(q) = quoted {
            let found: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM replies WHERE id = $1 AND thread_id = $2 AND deleted_at IS NULL",
            )
            .bind(q)
            .bind(thread.id)
            .fetch_optional(self.conn())
            .await
            .or_internal()?;
            if found.is_none() {
                return Err(Error::invalid("quote", "must be a reply of this thread"));
            }
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO replies (thread_id, community_id, author_id, body, quoted_reply_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(thread.id)
        .bind(thread.community_id)
        .bind(author)
        .bind(body)
        .bind(quoted)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        sqlx::query(
            "UPDATE threads SET reply_count = reply_count + 1, last_activity_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(thread.id)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(id)
    }

    /// Deletes a reply softly: a placeholder keeps its place; its text and history are gone,
    /// and it stops being the accepted answer.
    pub async fn delete_reply(&mut self, thread: &Thread, reply: ReplyId) -> Result<()> {
        let done = sqlx::query(
            "UPDATE replies SET deleted_at = $1, body = '' WHERE id = $2 AND thread_id = $3 AND deleted_at IS NULL",
        )
        .bind(self.now())
        .bind(reply)
        .bind(thread.id)
        .execute(self.conn())
        .await
        .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::conflict("This reply is already deleted."));
        }
        for sql in [
            "DELETE FROM edits WHERE reply_id = $1",
            "DELETE FROM helpful_marks WHERE reply_id = $1",
            "UPDATE threads SET accepted_reply_id = NULL, accepted_at = NULL WHERE accepted_reply_id = $1",
        ] {
            sqlx::query(sql)
                .bind(reply)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        sqlx::query("UPDATE threads SET reply_count = reply_count - 1 WHERE id = $1")
            .bind(thread.id)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// Marks (or unmarks) a reply helpful; marking twice counts once.
    pub async fn set_helpful(
        &mut self,
        thread: &Thread,
        reply: ReplyId,
        account: AccountId,
        helpful: bool,
    ) -> Result<()> {
        if helpful {
            sqlx::query(
                "INSERT INTO helpful_marks (reply_id, account_id, community_id, created_at) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (reply_id, account_id) DO NOTHING",
            )
            .bind(reply)
            .bind(account)
            .bind(thread.community_id)
            .bind(self.now())
            .execute(self.conn())
            .await
            .or_internal()?;
        } else {
            sqlx::query("DELETE FROM helpful_marks WHERE reply_id = $1 AND account_id = $2")
                .bind(reply)
                .bind(account)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        Ok(())
    }
}

crate::write::write_alone! {
    /// Adds a reply, optionally quoting another reply of the same thread.
    fn create_reply(&self, thread: &Thread, author: AccountId, body: &str, quoted: Option<ReplyId>) -> ReplyId;

    /// Deletes a reply softly: a placeholder keeps its place; its text and history are gone,
    /// and it stops being the accepted answer.
    fn delete_reply(&self, thread: &Thread, reply: ReplyId) -> ();

    /// Marks (or unmarks) a reply helpful; marking twice counts once.
    fn set_helpful(&self, thread: &Thread, reply: ReplyId, account: AccountId, helpful: bool) -> ();
}

impl Write {
    /// Accepts a reply of the thread as its answer, or clears the answer with `None`.
    pub async fn accept(&mut self, thread: &Thread, reply: Option<ReplyId>) -> Result<()> {
        if let Some(r) = reply {
            let found: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM replies WHERE id = $1 AND thread_id = $2 AND deleted_at IS NULL",
            )
            .bind(r)
            .bind(thread.id)
            .fetch_optional(self.conn())
            .await
            .or_internal()?;
            if found.is_none() {
                return Err(Error::invalid(
                    "reply_id",
                    "must be a reply of this question",
                ));
            }
        }
        // Re-accepting the same reply keeps when it was first accepted.
        sqlx::query(
            "UPDATE threads SET accepted_at = CASE WHEN $1 = 0 THEN NULL \
             WHEN accepted_reply_id = $2 THEN accepted_at ELSE $3 END, \
             accepted_reply_id = CASE WHEN $1 = 0 THEN NULL ELSE $2 END WHERE id = $4",
        )
        .bind(i64::from(reply.is_some()))
        .bind(reply.unwrap_or(0))
        .bind(self.now())
        .bind(thread.id)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Accepts a reply of the thread as its answer, or clears the answer with `None`.
    fn accept(&self, thread: &Thread, reply: Option<ReplyId>) -> ();
}
