//! Threads: creating, reading and listing them (pages of a keyset, with their topics in one
//! more query), the library, and deleting softly.

use copse_core::OrInternal;
use copse_core::domain::{
    AccountId, CommunityId, NewThread, Person, Space, Thread, ThreadId, ThreadKind, ThreadQuery,
    Topic, TopicRef,
};
use copse_core::page::{Cursor, Page};
use copse_core::policy::ThreadFilter;
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::{Store, Write, flag, unique_or};

/// At most this many replies are shown on one thread page (and so kept per thread).
pub const MAX_REPLIES_PER_THREAD: i64 = 5000;

/// At most this many threads of a community are pinned at once.
pub const MAX_PINNED: i64 = 10;

#[derive(sqlx::FromRow)]
pub(crate) struct ThreadRow {
    id: i64,
    community_id: CommunityId,
    space: String,
    circle_id: Option<i64>,
    kind: String,
    title: String,
    body: String,
    link: Option<String>,
    author_id: AccountId,
    handle: String,
    display_name: String,
    accepted_reply_id: Option<i64>,
    canonical: i64,
    reply_count: i64,
    created_at: i64,
    edited_at: Option<i64>,
    last_activity_at: i64,
    pinned_at: Option<i64>,
    locked_at: Option<i64>,
    closed_at: Option<i64>,
    hidden_at: Option<i64>,
    hidden_reason: Option<String>,
}

pub(crate) const THREAD_SELECT: &str = "SELECT t.id, t.community_id, t.space, t.circle_id, t.kind, t.title, t.body, t.link, \
    t.author_id, a.handle, a.display_name, t.accepted_reply_id, t.canonical, t.reply_count, \
    t.created_at, t.edited_at, t.last_activity_at, t.pinned_at, t.locked_at, t.closed_at, t.hidden_at, \
    t.hidden_reason \
    FROM threads t JOIN accounts a ON a.id = t.author_id";

impl ThreadRow {
    pub(crate) fn into_thread(self, topics: Vec<TopicRef>) -> Result<Thread> {
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
            pinned: self.pinned_at.is_some(),
            locked: self.locked_at.is_some(),
            closed: self.closed_at.is_some(),
            hidden: self
                .hidden_at
                .map(|_| self.hidden_reason.unwrap_or_default()),
        })
    }
}

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
        .or_internal()?;
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
            .or_internal()?;
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
            .or_internal()?;
        let Some(row) = row else { return Ok(None) };
        let mut topics = self.topics_of(&[row.id]).await?;
        let t = topics.remove(&row.id).unwrap_or_default();
        row.into_thread(t).map(Some)
    }

    pub(crate) async fn topics_of(
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
        for (thread, slug, name) in query.fetch_all(&self.pool).await.or_internal()? {
            out.entry(thread).or_default().push(TopicRef { slug, name });
        }
        Ok(out)
    }

    /// A page of a community's threads that `filter` (from the access policy) admits for
    /// `viewer`, most recently active first. The first page begins with the pinned threads
    /// (at most [`MAX_PINNED`]), which the pages after it leave out.
    pub async fn list_threads(
        &self,
        community: CommunityId,
        filter: ThreadFilter,
        query: &ThreadQuery,
        limit: i64,
        after: Option<&Cursor>,
    ) -> Result<Page<Thread>> {
        let after_key: i64 = match after {
            Some(c) => c
                .key
                .parse()
                .map_err(|_| Error::invalid("cursor", "is not a cursor returned by this API"))?,
            None => i64::MAX,
        };
        let keyset = (after_key, after.map_or(i64::MAX, |c| c.id));
        let rows = self
            .thread_rows(community, filter, query, false, keyset, limit + 1)
            .await?;
        let mut page = Page::from_rows(rows, limit, |t| {
            Cursor::new(t.last_activity_at.to_string(), t.id)
        });
        if after.is_none() {
            let mut pinned = self
                .thread_rows(
                    community,
                    filter,
                    query,
                    true,
                    (i64::MAX, i64::MAX),
                    MAX_PINNED,
                )
                .await?;
            pinned.append(&mut page.items);
            page.items = pinned;
        }
        Ok(page)
    }

    /// One query of [`Store::list_threads`]: the pinned threads, or the others after `keyset`.
    async fn thread_rows(
        &self,
        community: CommunityId,
        filter: ThreadFilter,
        query: &ThreadQuery,
        pinned: bool,
        keyset: (i64, i64),
        limit: i64,
    ) -> Result<Vec<Thread>> {
        let (all, account) = crate::visibility::binds(filter);
        let (visible, join) = (
            crate::visibility::listed("$3"),
            crate::visibility::reader_join("$2"),
        );
        let pin = if pinned {
            "t.pinned_at IS NOT NULL"
        } else {
            "t.pinned_at IS NULL"
        };
        let sql = format!(
            "{THREAD_SELECT} {join} \
             WHERE t.community_id = $1 AND t.deleted_at IS NULL AND {pin} \
               AND {visible} \
               AND ($4 = '' OR t.kind = $4) \
               AND ($5 = -1 OR ($5 = 1 AND t.accepted_reply_id IS NOT NULL) OR ($5 = 0 AND t.kind = 'question' AND t.accepted_reply_id IS NULL AND t.closed_at IS NULL)) \
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
            .bind(keyset.0)
            .bind(keyset.1)
            .bind(limit)
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut topics = self.topics_of(&ids).await?;
        rows.into_iter()
            .map(|r| {
                let t = topics.remove(&r.id).unwrap_or_default();
                r.into_thread(t)
            })
            .collect()
    }

    pub async fn set_canonical(&self, thread: ThreadId, canonical: bool) -> Result<()> {
        sqlx::query("UPDATE threads SET canonical = $1 WHERE id = $2")
            .bind(flag(canonical))
            .bind(thread)
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }
}

pub(crate) async fn set_topics(
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
        .or_internal()?;
    }
    Ok(())
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
        .or_internal()?;
        set_topics(self.conn(), community, id, &topics).await?;
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
        .or_internal()?;
        sqlx::query("DELETE FROM edits WHERE thread_id = $1")
            .bind(thread)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Creates a thread with its topics (slugs of this community's topics).
    fn create_thread(&self, community: CommunityId, author: AccountId, new: &NewThread) -> ThreadId;

    /// Deletes a thread softly: it disappears, and its text and history go with it.
    fn delete_thread(&self, thread: ThreadId) -> ();
}

/// The ids of the community's topics at these addresses (old addresses redirect); an unknown one
/// is invalid input, and the write it belongs to writes nothing.
pub(crate) async fn topic_ids(
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
