//! Moderation: the thread tools (pin, lock, hide), flags and the review queue they fill,
//! silences, and the moderation log. Every deed is written with its log entry in the caller's
//! transaction.

use copse_core::OrInternal;
use copse_core::domain::{
    AWAITING_APPROVAL, AccountId, CommunityId, LogEntry, ModAction, ModerationSettings, NewFlag,
    NewLogEntry, Person, Silence, Target, ThreadId,
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
    /// The community whose moderators review it; none for a profile (site admins do).
    pub community: Option<CommunityId>,
    pub target: Target,
    pub target_id: i64,
    /// The thread of a thread or reply.
    pub thread: Option<ThreadId>,
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

    /// Hides a post, story, comment, message or profile's words with its reason (`Some`), or shows it again (`None`).
    pub async fn set_hidden(
        &mut self,
        target: Target,
        id: i64,
        reason: Option<&str>,
    ) -> Result<()> {
        let (table, prefix) = match target {
            Target::Thread => ("threads", ""),
            Target::Reply => ("replies", ""),
            Target::Story => ("value_stories", ""),
            Target::StoryComment => ("story_comments", ""),
            Target::Message => ("messages", ""),
            Target::Profile => ("accounts", "profile_"),
            Target::Account => return Err(Error::internal("an account is not hidden")),
        };
        let sql = format!(
            "UPDATE {table} SET {prefix}hidden_at = $1, {prefix}hidden_reason = $2 WHERE id = $3"
        );
        let now = self.now();
        sqlx::query(AssertSqlSafe(sql))
            .bind(reason.map(|_| now))
            .bind(reason)
            .bind(id)
            .execute(self.conn())
            .await
            .or_internal()?;
        // What is hidden counts for nobody's participation until it is shown again.
        let source = match target {
            Target::Thread => format!("thread:{id}"),
            Target::Reply => format!("reply:{id}"),
            Target::Story => format!("story:{id}"),
            Target::Message => format!("message:{id}"),
            _ => return Ok(()),
        };
        sqlx::query("UPDATE activity SET withheld = $1 WHERE source = $2")
            .bind(i64::from(reason.is_some()))
            .bind(source)
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

    /// How many posts of a kind (the table it is written to: `threads`, `replies`, `messages`
    /// or `value_stories`) the author wrote since `since`, and when the oldest of them was:
    /// what a posting limit counts, inside the write that would add one more.
    pub async fn posts_since(
        &mut self,
        author: AccountId,
        table: &str,
        since: i64,
    ) -> Result<(i64, Option<i64>)> {
        let table = match table {
            "threads" | "replies" | "messages" | "value_stories" => table,
            _ => return Err(Error::internal("no posts are counted there")),
        };
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
    Option<CommunityId>,
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
        community_id: community,
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
