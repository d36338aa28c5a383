//! Practice: topics, threads, replies, edit history, accepted answers and helpful marks.
//! Lists fetch a page and then its topics in one more query, whatever the page size.

use copse_core::domain::{
    AccountId, CommunityId, Edit, NewThread, Person, Quoted, Reply, ReplyId, Space, Thread,
    ThreadId, ThreadKind, ThreadQuery, Topic, TopicRef,
};
use copse_core::page::{Cursor, Page};
use copse_core::policy::ThreadFilter;
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::{Store, Write, db_err, flag, unique_or};

/// At most this many replies are shown on one thread page (and so kept per thread).
pub const MAX_REPLIES_PER_THREAD: i64 = 5000;

#[derive(sqlx::FromRow)]
struct ThreadRow {
    id: i64,
    community_id: i64,
    space: String,
    circle_id: Option<i64>,
    kind: String,
    title: String,
    body: String,
    link: Option<String>,
    author_id: i64,
    handle: String,
    display_name: String,
    accepted_reply_id: Option<i64>,
    canonical: i64,
    reply_count: i64,
    created_at: i64,
    edited_at: Option<i64>,
    last_activity_at: i64,
}

const THREAD_SELECT: &str = "SELECT t.id, t.community_id, t.space, t.circle_id, t.kind, t.title, t.body, t.link, \
    t.author_id, a.handle, a.display_name, t.accepted_reply_id, t.canonical, t.reply_count, \
    t.created_at, t.edited_at, t.last_activity_at \
    FROM threads t JOIN accounts a ON a.id = t.author_id";

impl ThreadRow {
    fn into_thread(self, topics: Vec<TopicRef>) -> Result<Thread> {
        Ok(Thread {
            id: self.id,
            community_id: self.community_id,
            space: Space::parse(&self.space)?,
            circle_id: self.circle_id,
            kind: ThreadKind::parse(&self.kind)?,
            title: self.title,
            body: self.body,
            link: self.link,
            author: Person {
                id: self.author_id,
                handle: self.handle,
                display_name: self.display_name,
            },
            accepted_reply_id: self.accepted_reply_id,
            canonical: self.canonical != 0,
            reply_count: self.reply_count,
            topics,
            created_at: self.created_at,
            edited_at: self.edited_at,
            last_activity_at: self.last_activity_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ReplyRow {
    id: i64,
    thread_id: i64,
    author_id: i64,
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
        }
    }
}

const REPLY_SELECT: &str = "SELECT r.id, r.thread_id, r.author_id, a.handle, a.display_name, r.body, \
    r.quoted_reply_id, qa.handle AS quoted_handle, q.body AS quoted_body, \
    (SELECT COUNT(*) FROM helpful_marks h WHERE h.reply_id = r.id) AS helpful, \
    (SELECT COUNT(*) FROM helpful_marks h WHERE h.reply_id = r.id AND h.account_id = $1) AS marked, \
    r.created_at, r.edited_at, r.deleted_at \
    FROM replies r JOIN accounts a ON a.id = r.author_id \
    LEFT JOIN replies q ON q.id = r.quoted_reply_id \
    LEFT JOIN accounts qa ON qa.id = q.author_id";

impl Store {
    pub async fn create_topic(
        &self,
        community: CommunityId,
        slug: &str,
        name: &str,
        description: Option<&str>,
    ) -> Result<Topic> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO topics (community_id, slug, name, description, created_at) \
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(community)
        .bind(slug)
        .bind(name)
        .bind(description)
        .bind(self.now())
        .fetch_one(&self.pool)
        .await
        .map_err(|e| {
            unique_or(
                e,
                Error::conflict_on("slug", "this community already has a topic with this slug"),
            )
        })?;
        Ok(Topic {
            id,
            slug: slug.to_string(),
            name: name.to_string(),
            description: description.map(str::to_string),
        })
    }

    /// The community's topics by name (at most 500).
    pub async fn topics(&self, community: CommunityId) -> Result<Vec<Topic>> {
        let rows: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, slug, name, description FROM topics WHERE community_id = $1 ORDER BY name LIMIT 500",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .map(|(id, slug, name, description)| Topic {
                id,
                slug,
                name,
                description,
            })
            .collect())
    }

    /// The threads of a circle, newest activity first (deleted ones left out).
    pub async fn circle_threads(&self, circle: i64, limit: i64) -> Result<Vec<Thread>> {
        let sql = format!(
            "{THREAD_SELECT} WHERE t.circle_id = $1 AND t.space = 'circle' AND t.deleted_at IS NULL \
             ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $2"
        );
        let rows: Vec<ThreadRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(circle)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut topics = self.topics_of(&ids).await?;
        rows.into_iter()
            .map(|r| {
                let t = topics.remove(&r.id).unwrap_or_default();
                r.into_thread(t)
            })
            .collect()
    }

    /// A thread that is not deleted.
    pub async fn thread(&self, id: ThreadId) -> Result<Option<Thread>> {
        let sql = format!("{THREAD_SELECT} WHERE t.id = $1 AND t.deleted_at IS NULL");
        let row: Option<ThreadRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        let Some(row) = row else { return Ok(None) };
        let mut topics = self.topics_of(&[row.id]).await?;
        let t = topics.remove(&row.id).unwrap_or_default();
        row.into_thread(t).map(Some)
    }

    async fn topics_of(
        &self,
        threads: &[ThreadId],
    ) -> Result<std::collections::HashMap<ThreadId, Vec<TopicRef>>> {
        let mut out: std::collections::HashMap<ThreadId, Vec<TopicRef>> = Default::default();
        if threads.is_empty() {
            return Ok(out);
        }
        let placeholders: Vec<String> = (1..=threads.len()).map(|i| format!("${i}")).collect();
        let sql = format!(
            "SELECT tt.thread_id, tp.slug, tp.name FROM thread_topics tt JOIN topics tp ON tp.id = tt.topic_id \
             WHERE tt.thread_id IN ({}) ORDER BY tp.name",
            placeholders.join(", ")
        );
        let mut query = sqlx::query_as::<_, (i64, String, String)>(AssertSqlSafe(sql));
        for id in threads {
            query = query.bind(*id);
        }
        for (thread, slug, name) in query.fetch_all(&self.pool).await.map_err(db_err)? {
            out.entry(thread).or_default().push(TopicRef { slug, name });
        }
        Ok(out)
    }

    /// A page of a community's threads that `filter` (from the access policy) admits for
    /// `viewer`, most recently active first.
    pub async fn list_threads(
        &self,
        community: CommunityId,
        filter: ThreadFilter,
        query: &ThreadQuery,
        limit: i64,
        after: Option<&Cursor>,
    ) -> Result<Page<Thread>> {
        let (all, account) = crate::visibility::binds(filter);
        let (visible, join) = (
            crate::visibility::readable("$3"),
            crate::visibility::reader_join("$2"),
        );
        let after_key: i64 = match after {
            Some(c) => c
                .key
                .parse()
                .map_err(|_| Error::invalid("cursor", "is not a cursor returned by this API"))?,
            None => i64::MAX,
        };
        let sql = format!(
            "{THREAD_SELECT} {join} \
             WHERE t.community_id = $1 AND t.deleted_at IS NULL \
               AND {visible} \
               AND ($4 = '' OR t.kind = $4) \
               AND ($5 = -1 OR ($5 = 1 AND t.accepted_reply_id IS NOT NULL) OR ($5 = 0 AND t.kind = 'question' AND t.accepted_reply_id IS NULL)) \
               AND ($6 = '' OR t.id IN (SELECT tt.thread_id FROM thread_topics tt JOIN topics tp ON tp.id = tt.topic_id \
                                        WHERE tp.community_id = $1 AND tp.slug = $6)) \
               AND ($7 = 0 OR t.canonical = 1 OR t.kind = 'resource') \
               AND (t.last_activity_at < $8 OR (t.last_activity_at = $8 AND t.id < $9)) \
             ORDER BY t.last_activity_at DESC, t.id DESC LIMIT $10"
        );
        let rows: Vec<ThreadRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .bind(account)
            .bind(all)
            .bind(query.kind.map(ThreadKind::as_str).unwrap_or(""))
            .bind(query.answered.map_or(-1, i64::from))
            .bind(query.topic.clone().unwrap_or_default())
            .bind(flag(query.library))
            .bind(after_key)
            .bind(after.map_or(i64::MAX, |c| c.id))
            .bind(limit + 1)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut topics = self.topics_of(&ids).await?;
        let threads = rows
            .into_iter()
            .map(|r| {
                let t = topics.remove(&r.id).unwrap_or_default();
                r.into_thread(t)
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(threads, limit, |t| {
            Cursor::new(t.last_activity_at.to_string(), t.id)
        }))
    }

    /// Every reply of a thread in order, with quotes and helpful counts, in one query.
    pub async fn replies(&self, thread: ThreadId, viewer: Option<AccountId>) -> Result<Vec<Reply>> {
        let sql = format!("{REPLY_SELECT} WHERE r.thread_id = $2 ORDER BY r.id LIMIT $3");
        let rows: Vec<ReplyRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(viewer.unwrap_or(-1))
            .bind(thread)
            .bind(MAX_REPLIES_PER_THREAD)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
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
            .map_err(db_err)?;
        Ok(row.map(Reply::from))
    }

    pub async fn set_canonical(&self, thread: ThreadId, canonical: bool) -> Result<()> {
        sqlx::query("UPDATE threads SET canonical = $1 WHERE id = $2")
            .bind(flag(canonical))
            .bind(thread)
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

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
        .map_err(db_err)?;
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
    .map_err(db_err)?;
    Ok(())
}

async fn set_topics(
    tx: &mut sqlx::AnyConnection,
    community: CommunityId,
    thread: ThreadId,
    topics: &[i64],
) -> Result<()> {
    for topic in topics {
        sqlx::query(
            "INSERT INTO thread_topics (thread_id, topic_id, community_id) VALUES ($1, $2, $3) \
             ON CONFLICT (thread_id, topic_id) DO NOTHING",
        )
        .bind(thread)
        .bind(*topic)
        .bind(community)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
    }
    Ok(())
}

/// Per topic, who gave accepted answers and received helpful marks there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicExpert {
    pub topic_slug: String,
    pub topic_name: String,
    pub handle: String,
    pub display_name: String,
    pub accepted: i64,
    pub helpful: i64,
}

impl Store {
    /// The oldest unanswered questions of a community that `filter` admits.
    pub async fn unanswered_questions(
        &self,
        community: CommunityId,
        filter: ThreadFilter,
        limit: i64,
    ) -> Result<Vec<Thread>> {
        let (all, account) = crate::visibility::binds(filter);
        let (visible, join) = (
            crate::visibility::readable("$3"),
            crate::visibility::reader_join("$2"),
        );
        let sql = format!(
            "{THREAD_SELECT} {join} \
             WHERE t.community_id = $1 AND t.deleted_at IS NULL AND t.kind = 'question' AND t.accepted_reply_id IS NULL \
               AND {visible} \
             ORDER BY t.created_at, t.id LIMIT $4"
        );
        let rows: Vec<ThreadRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .bind(account)
            .bind(all)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.into_iter()
            .map(|r| r.into_thread(Vec::new()))
            .collect()
    }

    /// Who knows what: per topic, the people whose replies were accepted or marked helpful, counted
    /// only over the threads `filter` admits — so counts never reveal members-only activity to
    /// outsiders.
    pub async fn topic_experts(
        &self,
        community: CommunityId,
        filter: ThreadFilter,
    ) -> Result<Vec<TopicExpert>> {
        let (all, account) = crate::visibility::binds(filter);
        let (visible, join) = (
            crate::visibility::readable("$3"),
            crate::visibility::reader_join("$2"),
        );
        let sql = format!(
            "SELECT tp.slug, tp.name, a.handle, a.display_name, \
                    CAST(SUM(CASE WHEN t.accepted_reply_id = r.id THEN 1 ELSE 0 END) AS BIGINT) AS accepted, \
                    CAST(SUM((SELECT COUNT(*) FROM helpful_marks h WHERE h.reply_id = r.id)) AS BIGINT) AS helpful \
             FROM replies r JOIN threads t ON t.id = r.thread_id \
             JOIN thread_topics tt ON tt.thread_id = t.id JOIN topics tp ON tp.id = tt.topic_id \
             JOIN accounts a ON a.id = r.author_id \
             {join} \
             WHERE t.community_id = $1 AND t.deleted_at IS NULL AND r.deleted_at IS NULL AND a.suspended_at IS NULL \
               AND {visible} \
             GROUP BY tp.slug, tp.name, a.handle, a.display_name \
             ORDER BY tp.name, 5 DESC, 6 DESC, a.handle LIMIT 2000"
        );
        let rows: Vec<(String, String, String, String, i64, i64)> =
            sqlx::query_as(AssertSqlSafe(sql))
                .bind(community)
                .bind(account)
                .bind(all)
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(rows
            .into_iter()
            .filter(|r| r.4 + r.5 > 0)
            .map(
                |(topic_slug, topic_name, handle, display_name, accepted, helpful)| TopicExpert {
                    topic_slug,
                    topic_name,
                    handle,
                    display_name,
                    accepted,
                    helpful,
                },
            )
            .collect())
    }

    /// Members' declared expertise: label and the people who declared it.
    pub async fn declared_expertise(
        &self,
        community: CommunityId,
    ) -> Result<Vec<(String, String, String)>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT e.label, a.handle, a.display_name FROM account_expertise e \
             JOIN memberships m ON m.account_id = e.account_id AND m.community_id = $1 AND m.role <> 'observer' \
             JOIN accounts a ON a.id = e.account_id WHERE a.suspended_at IS NULL \
             ORDER BY LOWER(e.label), a.handle LIMIT 2000",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows)
    }
}

impl Write {
    /// Creates a thread with its topics (slugs of this community's topics).
    pub async fn create_thread(
        &mut self,
        community: CommunityId,
        author: AccountId,
        new: &NewThread,
    ) -> Result<ThreadId> {
        let now = self.now();
        let topics = topic_ids(self.conn(), community, &new.topics).await?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO threads (community_id, space, kind, title, body, link, author_id, created_at, last_activity_at, circle_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) RETURNING id",
        )
        .bind(community)
        .bind(new.space.as_str())
        .bind(new.kind.as_str())
        .bind(&new.title)
        .bind(&new.body)
        .bind(&new.link)
        .bind(author)
        .bind(now)
        .bind(new.circle_id)
        .fetch_one(self.conn())
        .await
        .map_err(db_err)?;
        set_topics(self.conn(), community, id, &topics).await?;
        Ok(id)
    }

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
            .map_err(db_err)?;
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
            .map_err(db_err)?;
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
        .map_err(db_err)?;
        sqlx::query(
            "UPDATE threads SET reply_count = reply_count + 1, last_activity_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(thread.id)
        .execute(self.conn())
        .await
        .map_err(db_err)?;
        Ok(id)
    }

    /// Deletes a thread softly: it disappears, and its text and history go with it.
    pub async fn delete_thread(&mut self, thread: ThreadId) -> Result<()> {
        sqlx::query(
            "UPDATE threads SET deleted_at = $1, title = '', body = '', link = NULL WHERE id = $2",
        )
        .bind(self.now())
        .bind(thread)
        .execute(self.conn())
        .await
        .map_err(db_err)?;
        sqlx::query("DELETE FROM edits WHERE thread_id = $1")
            .bind(thread)
            .execute(self.conn())
            .await
            .map_err(db_err)?;
        Ok(())
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
        .map_err(db_err)?;
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
                .map_err(db_err)?;
        }
        sqlx::query("UPDATE threads SET reply_count = reply_count - 1 WHERE id = $1")
            .bind(thread.id)
            .execute(self.conn())
            .await
            .map_err(db_err)?;
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
            .map_err(db_err)?;
        } else {
            sqlx::query("DELETE FROM helpful_marks WHERE reply_id = $1 AND account_id = $2")
                .bind(reply)
                .bind(account)
                .execute(self.conn())
                .await
                .map_err(db_err)?;
        }
        Ok(())
    }
}

crate::write::write_alone! {
    /// Creates a thread with its topics (slugs of this community's topics).
    fn create_thread(&self, community: CommunityId, author: AccountId, new: &NewThread) -> ThreadId;
    /// Adds a reply, optionally quoting another reply of the same thread.
    fn create_reply(&self, thread: &Thread, author: AccountId, body: &str, quoted: Option<ReplyId>) -> ReplyId;
    /// Deletes a thread softly: it disappears, and its text and history go with it.
    fn delete_thread(&self, thread: ThreadId) -> ();
    /// Deletes a reply softly: a placeholder keeps its place; its text and history are gone,
    /// and it stops being the accepted answer.
    fn delete_reply(&self, thread: &Thread, reply: ReplyId) -> ();
    /// Marks (or unmarks) a reply helpful; marking twice counts once.
    fn set_helpful(&self, thread: &Thread, reply: ReplyId, account: AccountId, helpful: bool) -> ();
}

/// The ids of the community's topics at these addresses (old addresses redirect); an unknown one
/// is invalid input, and the write it belongs to writes nothing.
async fn topic_ids(
    conn: &mut sqlx::AnyConnection,
    community: CommunityId,
    slugs: &[String],
) -> Result<Vec<i64>> {
    let mut ids = Vec::with_capacity(slugs.len());
    for slug in slugs {
        let (topic, _) = crate::notifications::topic_by_slug_on(conn, community, slug)
            .await?
            .ok_or_else(|| {
                Error::invalid("topics", format!("this community has no topic \"{slug}\""))
            })?;
        if !ids.contains(&topic.id) {
            ids.push(topic.id);
        }
    }
    Ok(ids)
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
        .map_err(db_err)?;
        if let Some(topics) = &topics {
            sqlx::query("DELETE FROM thread_topics WHERE thread_id = $1")
                .bind(thread.id)
                .execute(self.conn())
                .await
                .map_err(db_err)?;
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
            .map_err(db_err)?;
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
        .map_err(db_err)?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Accepts a reply of the thread as its answer, or clears the answer with `None`.
    fn accept(&self, thread: &Thread, reply: Option<ReplyId>) -> ();
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
            .map_err(db_err)?;
        Ok(())
    }
}

crate::write::write_alone! {
    fn edit_reply(&self, thread: &Thread, reply: &Reply, editor: AccountId, body: &str) -> ();
}
