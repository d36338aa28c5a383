//! Edits with history: a thread's or reply's previous versions are kept when they change.

use copse_core::OrInternal;
use copse_core::domain::{AccountId, CommunityId, Edit, Reply, ReplyId, Thread, ThreadId};
use copse_core::{Error, Result};

use crate::threads::{set_topics, topic_ids};
use crate::{Store, Write};

impl Store {
    /// Earlier versions of a thread (`reply` = None) or of one of its replies, newest first.
    pub async fn edits(&self, thread: ThreadId, reply: Option<ReplyId>) -> Result<Vec<Edit>> {
        let rows: Vec<(Option<String>, String, String, i64)> = sqlx::query_as(
            "SELECT e.title, e.body, a.handle, e.created_at FROM edits e JOIN accounts a ON a.id = e.editor_id \
             WHERE e.thread_id = $1 AND (($2 = -1 AND e.reply_id IS NULL) OR e.reply_id = $2) \
             ORDER BY e.id DESC LIMIT 200",
        )
        .bind(thread)
        .bind(reply.unwrap_or(-1))
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(|(title, body, editor_handle, created_at)| Edit {
                title,
                body,
                editor_handle,
                created_at,
            })
            .collect())
    }
}

#[allow(clippy::too_many_arguments)]
async fn record_edit(
    tx: &mut sqlx::AnyConnection,
    community: CommunityId,
    thread: ThreadId,
    reply: Option<ReplyId>,
    title: Option<&str>,
    body: &str,
    editor: AccountId,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO edits (community_id, thread_id, reply_id, title, body, editor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(community)
    .bind(thread)
    .bind(reply)
    .bind(title)
    .bind(body)
    .bind(editor)
    .bind(now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    Ok(())
}

impl Write {
    /// Changes a thread, keeping the previous version in its history.
    pub async fn edit_thread(
        &mut self,
        thread: &Thread,
        editor: AccountId,
        title: &str,
        body: &str,
        link: Option<&str>,
        topics: Option<&[String]>,
    ) -> Result<()> {
        let now = self.now();
        let topics = match topics {
            Some(slugs) => Some(topic_ids(self.conn(), thread.community_id, slugs).await?),
            None => None,
        };
        if title != thread.title || body != thread.body {
            record_edit(
                self.conn(),
                thread.community_id,
                thread.id,
                None,
                Some(&thread.title),
                &thread.body,
                editor,
                now,
            )
            .await?;
        }
        sqlx::query(
            "UPDATE threads SET title = $1, body = $2, link = $3, edited_at = $4 WHERE id = $5",
        )
        .bind(title)
        .bind(body)
        .bind(link)
        .bind(now)
        .bind(thread.id)
        .execute(self.conn())
        .await
        .or_internal()?;
        if let Some(topics) = &topics {
            sqlx::query("DELETE FROM thread_topics WHERE thread_id = $1")
                .bind(thread.id)
                .execute(self.conn())
                .await
                .or_internal()?;
            set_topics(self.conn(), thread.community_id, thread.id, topics).await?;
        }
        Ok(())
    }
}

crate::write::write_alone! {
    /// Changes a thread, keeping the previous version in its history.
    fn edit_thread(&self, thread: &Thread, editor: AccountId, title: &str, body: &str, link: Option<&str>, topics: Option<&[String]>) -> ();
}

impl Write {
    pub async fn edit_reply(
        &mut self,
        thread: &Thread,
        reply: &Reply,
        editor: AccountId,
        body: &str,
    ) -> Result<()> {
        if reply.deleted {
            return Err(Error::conflict("A deleted reply cannot be edited."));
        }
        let now = self.now();
        record_edit(
            self.conn(),
            thread.community_id,
            thread.id,
            Some(reply.id),
            None,
            &reply.body,
            editor,
            now,
        )
        .await?;
        sqlx::query("UPDATE replies SET body = $1, edited_at = $2 WHERE id = $3")
            .bind(body)
            .bind(now)
            .bind(reply.id)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    fn edit_reply(&self, thread: &Thread, reply: &Reply, editor: AccountId, body: &str) -> ();
}
