//! Who knows what: unanswered questions, the members who answer most per topic, and declared
//! expertise.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::domain::{CommunityId, Thread};
use copse_core::policy::ThreadFilter;
use sqlx::AssertSqlSafe;

use crate::Store;
use crate::threads::{THREAD_SELECT, ThreadRow};

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
             WHERE t.community_id = $1 AND t.deleted_at IS NULL AND t.kind = 'question' AND t.accepted_reply_id IS NULL AND t.closed_at IS NULL \
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
            .or_internal()?;
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
             WHERE t.community_id = $1 AND t.deleted_at IS NULL AND r.deleted_at IS NULL AND r.hidden_at IS NULL AND a.suspended_at IS NULL \
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
                .or_internal()?;
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
        .or_internal()?;
        Ok(rows)
    }
}
