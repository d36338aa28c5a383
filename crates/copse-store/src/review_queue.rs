//! The review queue: what members flagged — threads, replies, value stories, comments on them,
//! conversation messages and profiles — and new members' posts that wait for approval, with
//! what the flags say and the author's record. The flaggers are never read.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::domain::{
    AWAITING_APPROVAL, AccountId, CommunityId, FlagReason, Person, QueueItem, Target,
};

use crate::Store;

/// kind, flagged thing, its parent (thread or story), author, community, open flags, first
/// flagged.
type QueueRow = (String, i64, Option<i64>, i64, Option<i64>, i64, i64);

/// What a flagged thing is about, what it says, and why it is hidden (if it is).
type Shown = (String, String, Option<String>);

impl Store {
    /// The flagged things of a community (every community's and the site's profiles for
    /// `None`), the most flagged first, then the posts that wait for approval.
    pub async fn review_queue(
        &self,
        community: Option<CommunityId>,
        limit: i64,
    ) -> Result<Vec<QueueItem>> {
        let mut rows: Vec<QueueRow> = sqlx::query_as(
            "SELECT f.target_kind, f.target_id, CAST(MIN(f.thread_id) AS BIGINT), f.author_id, \
               CAST(MIN(f.community_id) AS BIGINT), CAST(COUNT(*) AS BIGINT), MIN(f.created_at) \
             FROM flags f WHERE f.resolved_at IS NULL AND ($1 = -1 OR f.community_id = $1) \
             GROUP BY f.target_kind, f.target_id, f.author_id \
             ORDER BY 6 DESC, 7 LIMIT $2",
        )
        .bind(community.map_or(-1, CommunityId::get))
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
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

    /// What a flagged thing is about and says, unless it is gone.
    async fn shown(&self, target: Target, id: i64) -> Result<Option<Shown>> {
        let sql = match target {
            Target::Thread => {
                "SELECT t.title, t.body, t.hidden_reason FROM threads t \
                 WHERE t.id = $1 AND t.deleted_at IS NULL"
            }
            Target::Reply => {
                "SELECT t.title, r.body, r.hidden_reason FROM replies r JOIN threads t ON t.id = r.thread_id \
                 WHERE r.id = $1 AND r.deleted_at IS NULL AND t.deleted_at IS NULL"
            }
            Target::Story => {
                "SELECT s.took, s.happened || ' … ' || s.did || ' … ' || s.difference, s.hidden_reason \
                 FROM value_stories s WHERE s.id = $1"
            }
            Target::StoryComment => {
                "SELECT s.took, m.body, m.hidden_reason FROM story_comments m \
                 JOIN value_stories s ON s.id = m.story_id WHERE m.id = $1 AND m.deleted_at IS NULL"
            }
            Target::Message => {
                "SELECT c.subject, x.body, x.hidden_reason FROM messages x \
                 JOIN conversations c ON c.id = x.conversation_id WHERE x.id = $1"
            }
            Target::Profile => {
                "SELECT a.display_name, COALESCE(a.bio, '') || ' · ' || COALESCE(a.organisation, '') \
                   || ' · ' || COALESCE(a.department, ''), a.profile_hidden_reason \
                 FROM accounts a WHERE a.id = $1 AND a.deleted_at IS NULL"
            }
            Target::Account => return Ok(None),
        };
        sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()
    }

    /// One flagged thing with its text, its flags' reasons and its author's record.
    async fn queue_item(&self, row: QueueRow) -> Result<Option<QueueItem>> {
        let (kind, target_id, thread_id, author, community, flags, first) = row;
        let target = Target::parse(&kind)?;
        let Some((about, body, hidden)) = self.shown(target, target_id).await? else {
            return Ok(None);
        };
        let parent_id = match target {
            Target::StoryComment => self.story_comment(target_id).await?.map(|c| c.story_id),
            Target::Story => Some(target_id),
            _ => thread_id,
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
        let (handle, display_name): (String, String) =
            sqlx::query_as("SELECT handle, display_name FROM accounts WHERE id = $1")
                .bind(author)
                .fetch_one(&self.pool)
                .await
                .or_internal()?;
        let slug = match community {
            Some(c) => self.community_slug(c).await?,
            None => None,
        };
        let (posts, actions) = self.author_record(author, community).await?;
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
            parent_id,
            about,
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

    async fn community_slug(&self, community: i64) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT slug FROM communities WHERE id = $1")
            .bind(community)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        Ok(row.map(|(slug,)| slug))
    }

    /// An author's posts in the community (on the whole site for `None`), and the moderation
    /// deeds about them there.
    async fn author_record(&self, author: i64, community: Option<i64>) -> Result<(i64, i64)> {
        sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM threads WHERE author_id = $1 AND ($2 = -1 OR community_id = $2)) \
                  + (SELECT COUNT(*) FROM replies WHERE author_id = $1 AND ($2 = -1 OR community_id = $2)), \
                    (SELECT COUNT(*) FROM moderation_log WHERE subject_id = $1 \
                      AND ($2 = -1 OR community_id = $2))",
        )
        .bind(author)
        .bind(community.unwrap_or(-1))
        .fetch_one(&self.pool)
        .await
        .or_internal()
    }

    /// How many things of a community wait for a moderator: with open flags, or for approval.
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
}
