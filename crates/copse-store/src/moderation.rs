//! Moderation: the thread tools (pin, lock, hide), flags and the review queue they fill,
//! silences, and the moderation log. Every deed is written with its log entry in the caller's
//! transaction.

use copse_core::OrInternal;
use copse_core::domain::{
    AWAITING_APPROVAL, AccountId, CommunityId, FlagReason, LogEntry, ModAction, ModerationSettings,
    NewFlag, NewLogEntry, Person, QueueItem, Silence, Target, ThreadId,
};
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::{Store, Write, unique_or};

/// A thread's switch a moderator turns on or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ThreadSwitch {
    Pinned,
    Locked,
    Closed,
}

/// A new flag, with what the store cannot know: the flagged post's place and author, and
/// whether the flagger counts as established.
pub struct FlagRow<'a> {
    pub community: CommunityId,
    pub target: Target,
    pub target_id: i64,
    pub thread: ThreadId,
    pub author: AccountId,
    pub flagger: AccountId,
    pub established: bool,
    pub flag: &'a NewFlag,
}

impl Write {
    /// Turns a thread's pin or lock on (now) or off.
    pub async fn switch_thread(
        &mut self,
        thread: ThreadId,
        switch: ThreadSwitch,
        on: bool,
    ) -> Result<()> {
        let column = match switch {
            ThreadSwitch::Pinned => "pinned_at",
            ThreadSwitch::Locked => "locked_at",
            ThreadSwitch::Closed => "closed_at",
        };
        let sql = format!("UPDATE threads SET {column} = $1 WHERE id = $2");
        let now = self.now();
        sqlx::query(AssertSqlSafe(sql))
            .bind(on.then_some(now))
            .bind(thread)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// Hides a thread or reply with its reason (`Some`), or shows it again (`None`).
    pub async fn set_hidden(
        &mut self,
        target: Target,
        id: i64,
        reason: Option<&str>,
    ) -> Result<()> {
        let table = match target {
            Target::Thread => "threads",
            Target::Reply => "replies",
            Target::Account => return Err(Error::internal("an account is not hidden")),
        };
        let sql = format!("UPDATE {table} SET hidden_at = $1, hidden_reason = $2 WHERE id = $3");
        let now = self.now();
        sqlx::query(AssertSqlSafe(sql))
            .bind(reason.map(|_| now))
            .bind(reason)
            .bind(id)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// Records a flag; a second flag by the same person on the same post is a conflict.
    /// Answers how many open flags from established members the post now has.
    pub async fn add_flag(&mut self, row: &FlagRow<'_>) -> Result<i64> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO flags (community_id, target_kind, target_id, thread_id, author_id, \
               flagger_id, established, reason, note, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(row.community)
        .bind(row.target.as_str())
        .bind(row.target_id)
        .bind(row.thread)
        .bind(row.author)
        .bind(row.flagger)
        .bind(i64::from(row.established))
        .bind(row.flag.reason.as_str())
        .bind(&row.flag.note)
        .bind(now)
        .execute(self.conn())
        .await
        .map_err(|e| unique_or(e, Error::conflict("You have already flagged this.")))?;
        let (count,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM flags WHERE target_kind = $1 AND target_id = $2 \
               AND resolved_at IS NULL AND established = 1",
        )
        .bind(row.target.as_str())
        .bind(row.target_id)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(count)
    }

    /// Closes the open flags on a post (a moderator looked at it).
    pub async fn resolve_flags(&mut self, target: Target, id: i64) -> Result<u64> {
        let now = self.now();
        let done = sqlx::query(
            "UPDATE flags SET resolved_at = $1 WHERE target_kind = $2 AND target_id = $3 \
               AND resolved_at IS NULL",
        )
        .bind(now)
        .bind(target.as_str())
        .bind(id)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(done.rows_affected())
    }

    /// Silences someone in a community until `until` (replacing an earlier silence), or lifts
    /// it (`None`).
    pub async fn set_silence(
        &mut self,
        community: CommunityId,
        account: AccountId,
        until: Option<i64>,
        reason: Option<&str>,
        moderator: AccountId,
    ) -> Result<()> {
        let now = self.now();
        let Some(until) = until else {
            sqlx::query("DELETE FROM silences WHERE community_id = $1 AND account_id = $2")
                .bind(community)
                .bind(account)
                .execute(self.conn())
                .await
                .or_internal()?;
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO silences (community_id, account_id, until_at, reason, moderator_id, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community_id, account_id) DO UPDATE SET \
               until_at = $3, reason = $4, moderator_id = $5, created_at = $6",
        )
        .bind(community)
        .bind(account)
        .bind(until)
        .bind(reason)
        .bind(moderator)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// Changes how a community moderates.
    pub async fn set_moderation_settings(
        &mut self,
        community: CommunityId,
        settings: ModerationSettings,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE communities SET leaders_moderate = $1, flags_to_hide = $2, \
             approve_first_posts = $3 WHERE id = $4",
        )
        .bind(i64::from(settings.leaders_moderate))
        .bind(settings.flags_to_hide)
        .bind(settings.approve_first_posts)
        .bind(community)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// Writes one deed into the moderation log.
    pub async fn log_moderation(&mut self, entry: &NewLogEntry) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO moderation_log (community_id, moderator_id, action, target_kind, target_id, \
               subject_id, summary, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(entry.community)
        .bind(entry.moderator)
        .bind(entry.action.as_str())
        .bind(entry.target.as_str())
        .bind(entry.target_id)
        .bind(entry.subject)
        .bind(&entry.summary)
        .bind(&entry.reason)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// How many of the author's posts in the community are out of the approval queue (shown,
    /// or hidden for another reason): a new member's first posts wait until there are enough.
    pub async fn approved_posts(
        &mut self,
        author: AccountId,
        community: CommunityId,
    ) -> Result<i64> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM threads WHERE author_id = $1 AND community_id = $2 \
                       AND deleted_at IS NULL AND (hidden_reason IS NULL OR hidden_reason <> $3)) \
                  + (SELECT COUNT(*) FROM replies WHERE author_id = $1 AND community_id = $2 \
                       AND deleted_at IS NULL AND (hidden_reason IS NULL OR hidden_reason <> $3))",
        )
        .bind(author)
        .bind(community)
        .bind(AWAITING_APPROVAL)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(count)
    }

    /// How many threads (or replies) the author wrote since `since`, and when the oldest of
    /// them was: what a posting limit counts, inside the write that would add one more.
    pub async fn posts_since(
        &mut self,
        author: AccountId,
        replies: bool,
        since: i64,
    ) -> Result<(i64, Option<i64>)> {
        let table = if replies { "replies" } else { "threads" };
        let sql = format!(
            "SELECT COUNT(*), MIN(created_at) FROM {table} WHERE author_id = $1 AND created_at > $2"
        );
        sqlx::query_as(AssertSqlSafe(sql))
            .bind(author)
            .bind(since)
            .fetch_one(self.conn())
            .await
            .or_internal()
    }
}

crate::write::write_alone! {
    /// Writes one deed into the moderation log.
    fn log_moderation(&self, entry: &NewLogEntry) -> ();
}

type LogRow = (
    i64,
    CommunityId,
    Option<AccountId>,
    Option<String>,
    Option<String>,
    String,
    String,
    i64,
    String,
    Option<String>,
    i64,
);

/// kind, post, thread, author, community, open flags, first flagged.
type QueueRow = (String, i64, i64, i64, i64, i64, i64);

impl Store {
    /// A community's moderation log (every community's for `None`), newest first, before the
    /// entry `before` (for paging).
    pub async fn moderation_log(
        &self,
        community: Option<CommunityId>,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<LogEntry>> {
        let rows: Vec<LogRow> = sqlx::query_as(
            "SELECT l.id, l.community_id, l.moderator_id, a.handle, a.display_name, l.action, \
               l.target_kind, l.target_id, l.summary, l.reason, l.created_at \
             FROM moderation_log l LEFT JOIN accounts a ON a.id = l.moderator_id \
             WHERE ($1 = -1 OR l.community_id = $1) AND l.id < $2 ORDER BY l.id DESC LIMIT $3",
        )
        .bind(community.map_or(-1, CommunityId::get))
        .bind(before.unwrap_or(i64::MAX))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(log_entry).collect()
    }

    /// The posts with open flags in a community (every community's for `None`), the most
    /// flagged first. The flaggers are never read.
    pub async fn review_queue(
        &self,
        community: Option<CommunityId>,
        limit: i64,
    ) -> Result<Vec<QueueItem>> {
        let rows: Vec<QueueRow> = sqlx::query_as(
            "SELECT f.target_kind, f.target_id, f.thread_id, f.author_id, \
               CAST(MIN(f.community_id) AS BIGINT), CAST(COUNT(*) AS BIGINT), MIN(f.created_at) \
             FROM flags f WHERE f.resolved_at IS NULL AND ($1 = -1 OR f.community_id = $1) \
             GROUP BY f.target_kind, f.target_id, f.thread_id, f.author_id \
             ORDER BY 6 DESC, 7 LIMIT $2",
        )
        .bind(community.map_or(-1, CommunityId::get))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let mut rows = rows;
        for row in self.awaiting_rows(community, limit).await? {
            if !rows.iter().any(|r| r.0 == row.0 && r.1 == row.1) {
                rows.push(row);
            }
        }
        rows.truncate(limit as usize * 2);
        let mut items = Vec::with_capacity(rows.len());
        for row in rows {
            items.push(self.queue_item(row).await?);
        }
        Ok(items.into_iter().flatten().collect())
    }

    /// New members' posts that wait for approval, oldest first, as queue rows without flags.
    async fn awaiting_rows(
        &self,
        community: Option<CommunityId>,
        limit: i64,
    ) -> Result<Vec<QueueRow>> {
        sqlx::query_as(
            "SELECT * FROM ( \
               SELECT 'thread' AS kind, t.id, t.id AS thread_id, t.author_id, t.community_id, \
                      CAST(0 AS BIGINT) AS flags, t.created_at FROM threads t \
               WHERE t.hidden_reason = $1 AND t.deleted_at IS NULL AND ($2 = -1 OR t.community_id = $2) \
               UNION ALL \
               SELECT 'reply', r.id, r.thread_id, r.author_id, r.community_id, CAST(0 AS BIGINT), r.created_at \
               FROM replies r JOIN threads t ON t.id = r.thread_id \
               WHERE r.hidden_reason = $1 AND r.deleted_at IS NULL AND t.deleted_at IS NULL \
                 AND ($2 = -1 OR r.community_id = $2) \
             ) w ORDER BY 7, 2 LIMIT $3",
        )
        .bind(AWAITING_APPROVAL)
        .bind(community.map_or(-1, CommunityId::get))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// One flagged post with its text, its flags' reasons and its author's record.
    async fn queue_item(&self, row: QueueRow) -> Result<Option<QueueItem>> {
        let (kind, target_id, thread_id, author, community, flags, first) = row;
        let target = Target::parse(&kind)?;
        let sql = match target {
            Target::Reply => {
                "SELECT t.title, r.body, r.hidden_reason FROM replies r JOIN threads t ON t.id = r.thread_id \
                 WHERE r.id = $1 AND r.deleted_at IS NULL AND t.deleted_at IS NULL"
            }
            _ => {
                "SELECT t.title, t.body, t.hidden_reason FROM threads t WHERE t.id = $1 AND t.deleted_at IS NULL"
            }
        };
        let post: Option<(String, String, Option<String>)> = sqlx::query_as(sql)
            .bind(target_id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        let Some((title, body, hidden)) = post else {
            return Ok(None);
        };
        let reasons: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT reason, note FROM flags WHERE target_kind = $1 AND target_id = $2 \
               AND resolved_at IS NULL ORDER BY id LIMIT 50",
        )
        .bind(&kind)
        .bind(target_id)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let (handle, display_name, slug): (String, String, String) = sqlx::query_as(
            "SELECT a.handle, a.display_name, c.slug FROM accounts a, communities c \
             WHERE a.id = $1 AND c.id = $2",
        )
        .bind(author)
        .bind(community)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        let (posts, actions): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM threads WHERE author_id = $1 AND community_id = $2) \
                  + (SELECT COUNT(*) FROM replies WHERE author_id = $1 AND community_id = $2), \
                    (SELECT COUNT(*) FROM moderation_log WHERE subject_id = $1 AND community_id = $2)",
        )
        .bind(author)
        .bind(community)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        let mut kinds: Vec<FlagReason> = Vec::new();
        for (reason, _) in &reasons {
            let reason = FlagReason::parse(reason)?;
            if !kinds.contains(&reason) {
                kinds.push(reason);
            }
        }
        Ok(Some(QueueItem {
            community: slug,
            target,
            target_id,
            thread_id,
            thread_title: title,
            body,
            author: Person {
                id: AccountId(author),
                handle,
                display_name,
            },
            flags,
            reasons: kinds,
            notes: reasons.into_iter().filter_map(|(_, n)| n).collect(),
            awaiting: hidden.as_deref() == Some(AWAITING_APPROVAL),
            hidden: hidden.is_some(),
            first_flagged_at: first,
            author_posts: posts,
            author_actions: actions,
        }))
    }

    /// Whether a post was deleted outside any circle or conversation: what a moderator may
    /// still read the log's words about.
    pub async fn deleted_in_the_open(&self, target: Target, id: i64) -> Result<bool> {
        let sql = match target {
            Target::Reply => {
                "SELECT COUNT(*) FROM replies r JOIN threads t ON t.id = r.thread_id \
                 WHERE r.id = $1 AND (r.deleted_at IS NOT NULL OR t.deleted_at IS NOT NULL) \
                   AND t.space IN ('public', 'members')"
            }
            _ => {
                "SELECT COUNT(*) FROM threads t WHERE t.id = $1 AND t.deleted_at IS NOT NULL \
                   AND t.space IN ('public', 'members')"
            }
        };
        let (count,): (i64,) = sqlx::query_as(sql)
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .or_internal()?;
        Ok(count > 0)
    }

    /// How many posts of a community wait for a moderator: with open flags, or for approval.
    pub async fn open_flag_count(&self, community: CommunityId) -> Result<i64> {
        let (count,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(DISTINCT target_kind || ':' || CAST(target_id AS TEXT)) FROM flags \
                      WHERE community_id = $1 AND resolved_at IS NULL) \
                  + (SELECT COUNT(*) FROM threads WHERE community_id = $1 AND hidden_reason = $2 \
                      AND deleted_at IS NULL) \
                  + (SELECT COUNT(*) FROM replies WHERE community_id = $1 AND hidden_reason = $2 \
                      AND deleted_at IS NULL)",
        )
        .bind(community)
        .bind(AWAITING_APPROVAL)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(count)
    }

    /// The running silence of someone in a community.
    pub async fn silence(
        &self,
        community: CommunityId,
        account: AccountId,
    ) -> Result<Option<Silence>> {
        let row: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT until_at, reason FROM silences WHERE community_id = $1 AND account_id = $2 \
               AND until_at > $3",
        )
        .bind(community)
        .bind(account)
        .bind(self.now())
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.map(|(until, reason)| Silence { until, reason }))
    }
}

fn log_entry(row: LogRow) -> Result<LogEntry> {
    let (id, community, moderator, handle, name, action, target, target_id, summary, reason, at) =
        row;
    Ok(LogEntry {
        id,
        community_id: Some(community),
        moderator: moderator.map(|id| Person {
            id,
            handle: handle.unwrap_or_default(),
            display_name: name.unwrap_or_default(),
        }),
        action: ModAction::parse(&action)?,
        target: Target::parse(&target)?,
        target_id,
        summary,
        reason,
        created_at: at,
    })
}
