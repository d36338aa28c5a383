//! Merging community B into community A, in the caller's transaction: everything of B becomes
//! A's, B's address leads to A, and B is gone — or, on any error, nothing happened at all.
//!
//! Most of B's rows only change their `community_id`. The ones that cannot (a person in both,
//! a topic of the same name, a newsletter number A already used) are settled first, each by
//! its own rule; then every remaining table with a `community_id` column is moved, read from
//! the schema itself so that a table added later is carried too rather than lost with B.

use copse_core::domain::{AccountId, Community, CommunityId, StageChangeKind};
use copse_core::{OrInternal, Result};

use sqlx::AssertSqlSafe;

use crate::Write;
use crate::db::Backend;

/// What a merge did, for the people who asked for it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    pub threads: i64,
    pub events: i64,
    /// People who came from B and were not in A before.
    pub new_people: i64,
    /// People in both, who keep the stronger of their two roles.
    pub people_in_both: i64,
    /// Topics of B joined to an A topic of the same name; the others moved as they were.
    pub topics_joined: i64,
    pub topics_moved: i64,
    /// B's newsletter issues are numbered after A's: issue n of B is now n + this.
    pub newsletter_offset: i64,
    /// B's unsent newsletter draft, dropped because A has one of its own.
    pub dropped_draft: bool,
}

/// A role's strength, in SQL: who holds the stronger role keeps it when they were in both.
const RANK: &str = "CASE {r} WHEN 'coordinator' THEN 4 WHEN 'leader' THEN 3 \
                    WHEN 'member' THEN 2 ELSE 1 END";

fn rank(column: &str) -> String {
    RANK.replace("{r}", column)
}

impl Write {
    /// Merges `from` into `into` (the caller checked both and that they differ). The stage log
    /// of `into` records it, by `by`.
    pub async fn merge_community(
        &mut self,
        from: &Community,
        into: &Community,
        by: AccountId,
    ) -> Result<MergeReport> {
        let (b, a) = (from.id, into.id);
        let mut report = MergeReport {
            threads: self.rows_of("threads", b).await?,
            events: self.rows_of("events", b).await?,
            ..MergeReport::default()
        };
        self.merge_people(b, a, &mut report).await?;
        self.merge_topics_of(b, a, &mut report).await?;
        self.merge_newsletters(b, a, &mut report).await?;
        self.settle_the_rest(b, a).await?;
        self.mark_history(from, a, by).await?;
        self.move_every_table(b, a).await?;
        self.leave_the_address(from, a, report.newsletter_offset)
            .await?;
        self.merge_step("DELETE FROM communities WHERE id = $1", b, a)
            .await?;
        Ok(report)
    }

    async fn merge_step(&mut self, sql: &str, b: CommunityId, a: CommunityId) -> Result<u64> {
        Ok(sqlx::query(AssertSqlSafe(sql.to_owned()))
            .bind(b)
            .bind(a)
            .execute(self.conn())
            .await
            .or_internal()?
            .rows_affected())
    }

    async fn rows_of(&mut self, table: &str, b: CommunityId) -> Result<i64> {
        let sql = format!("SELECT COUNT(*) FROM {table} WHERE community_id = $1");
        let (n,): (i64,) = sqlx::query_as(AssertSqlSafe(sql))
            .bind(b)
            .fetch_one(self.conn())
            .await
            .or_internal()?;
        Ok(n)
    }

    /// Memberships (the stronger role wins; observers stay observers), participation levels
    /// (recomputed from the merged ledger afterwards), silences, newsletter opt-outs and
    /// pending requests to join: where a person has a row in both, A's stays.
    async fn merge_people(
        &mut self,
        b: CommunityId,
        a: CommunityId,
        report: &mut MergeReport,
    ) -> Result<()> {
        let both = "SELECT account_id FROM memberships WHERE community_id = $2";
        report.people_in_both = self.count_where_both(b, a).await?;
        report.new_people = self.rows_of("memberships", b).await? - report.people_in_both;
        let stronger = format!(
            "UPDATE memberships SET role = (SELECT bm.role FROM memberships bm \
               WHERE bm.community_id = $1 AND bm.account_id = memberships.account_id) \
             WHERE community_id = $2 AND EXISTS (SELECT 1 FROM memberships bm \
               WHERE bm.community_id = $1 AND bm.account_id = memberships.account_id \
               AND {} > {})",
            rank("bm.role"),
            rank("memberships.role"),
        );
        self.merge_step(&stronger, b, a).await?;
        for table in [
            "memberships",
            "participation_levels",
            "silences",
            "newsletter_optouts",
        ] {
            let sql = format!(
                "DELETE FROM {table} WHERE community_id = $1 AND account_id IN \
                 (SELECT account_id FROM {table} WHERE community_id = $2)"
            );
            self.merge_step(&sql, b, a).await?;
        }
        // A pending request is moot for someone now in A, and one in each is one too many.
        let moot = format!(
            "DELETE FROM join_requests WHERE community_id = $1 AND status = 'pending' \
             AND (account_id IN ({both}) OR account_id IN (SELECT account_id FROM join_requests \
               WHERE community_id = $2 AND status = 'pending'))"
        );
        self.merge_step(&moot, b, a).await?;
        Ok(())
    }

    async fn count_where_both(&mut self, b: CommunityId, a: CommunityId) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM memberships bm WHERE bm.community_id = $1 AND EXISTS \
             (SELECT 1 FROM memberships am WHERE am.community_id = $2 AND am.account_id = bm.account_id)",
        )
        .bind(b)
        .bind(a)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(n)
    }

    /// B's newsletter issues follow A's numbers. B's unsent issue is dropped only when A has
    /// one of its own (a community has one issue in the works at a time).
    async fn merge_newsletters(
        &mut self,
        b: CommunityId,
        a: CommunityId,
        report: &mut MergeReport,
    ) -> Result<()> {
        let (offset,): (i64,) = sqlx::query_as(
            "SELECT COALESCE(MAX(number), 0) FROM newsletters WHERE community_id = $1",
        )
        .bind(a)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        report.newsletter_offset = offset;
        report.dropped_draft = self
            .merge_step(
                "DELETE FROM newsletters WHERE community_id = $1 AND status IN ('draft', 'scheduled') \
                 AND EXISTS (SELECT 1 FROM newsletters o WHERE o.community_id = $2 \
                   AND o.status IN ('draft', 'scheduled'))",
                b,
                a,
            )
            .await?
            > 0;
        sqlx::query(
            "UPDATE newsletters SET community_id = $2, number = number + $3 WHERE community_id = $1",
        )
        .bind(b)
        .bind(a)
        .bind(offset)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// A's settings stand; B's figures derived from its ledger (weekly activity, level
    /// snapshots) are dropped, as the ledger itself moves and A's are recomputed from it; a
    /// check-in round opened in the same millisecond as one of A's moves by one; B's jobs for
    /// itself (levels, rounds, drafts, welcomes) are dropped with it.
    async fn settle_the_rest(&mut self, b: CommunityId, a: CommunityId) -> Result<()> {
        for table in [
            "checkin_settings",
            "newsletter_settings",
            "participation_settings",
            "value_report_notes",
        ] {
            let sql = format!(
                "DELETE FROM {table} WHERE community_id = $1 \
                 AND EXISTS (SELECT 1 FROM {table} o WHERE o.community_id = $2)"
            );
            self.merge_step(&sql, b, a).await?;
        }
        for table in ["activity_weeks", "level_snapshots"] {
            let sql = format!("DELETE FROM {table} WHERE community_id = $1 AND $2 = $2");
            self.merge_step(&sql, b, a).await?;
        }
        // The same list imported into both: its messages are A's once.
        self.merge_step(
            "DELETE FROM imported_messages WHERE community_id = $1 AND message_id IN \
             (SELECT message_id FROM imported_messages WHERE community_id = $2)",
            b,
            a,
        )
        .await?;
        self.merge_step(
            "UPDATE checkins SET opened_at = opened_at + 1 WHERE community_id = $1 \
             AND opened_at IN (SELECT opened_at FROM checkins WHERE community_id = $2)",
            b,
            a,
        )
        .await?;
        for prefix in ["levels", "checkin", "newsletter-draft", "welcome"] {
            sqlx::query("DELETE FROM jobs WHERE status <> 'done' AND key LIKE $1")
                .bind(format!("{prefix}:{b}:%"))
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        Ok(())
    }

    /// B's domain history and stage log are kept in A's, each entry marked with B's name; A's
    /// stage log records the merge.
    async fn mark_history(
        &mut self,
        from: &Community,
        a: CommunityId,
        by: AccountId,
    ) -> Result<()> {
        for table in ["domain_revisions", "stage_changes"] {
            let sql = format!(
                "UPDATE {table} SET merged_from = $2 WHERE community_id = $1 AND merged_from IS NULL"
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(from.id)
                .bind(&from.name)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        let note = format!("{} ({})", from.name, from.slug.as_str());
        let now = self.now();
        crate::archive::log(
            self.conn(),
            a,
            StageChangeKind::Merged,
            Some(&note),
            by,
            now,
        )
        .await?;
        Ok(())
    }

    /// Every table that still has rows of B: they become A's.
    async fn move_every_table(&mut self, b: CommunityId, a: CommunityId) -> Result<()> {
        for table in self.tables_with_community().await? {
            let sql = format!("UPDATE {table} SET community_id = $2 WHERE community_id = $1");
            self.merge_step(&sql, b, a).await?;
        }
        Ok(())
    }

    /// The stored tables with a `community_id` column (not search's virtual tables, which
    /// follow their tables by trigger, nor the redirects, which have their own rule).
    async fn tables_with_community(&mut self) -> Result<Vec<String>> {
        let sql = match self.backend() {
            Backend::Sqlite => {
                "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                 WHERE m.type = 'table' AND p.name = 'community_id' \
                 AND m.sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY m.name"
            }
            Backend::Postgres => {
                "SELECT c.table_name::text FROM information_schema.columns c \
                 JOIN information_schema.tables t ON t.table_name = c.table_name \
                   AND t.table_schema = c.table_schema AND t.table_type = 'BASE TABLE' \
                 WHERE c.table_schema = current_schema() AND c.column_name = 'community_id' \
                 ORDER BY c.table_name"
            }
        };
        let names: Vec<(String,)> = sqlx::query_as(sql)
            .fetch_all(self.conn())
            .await
            .or_internal()?;
        Ok(names
            .into_iter()
            .map(|(n,)| n)
            .filter(|n| n != "community_redirects")
            .collect())
    }

    /// B's address, and every address that led to B, now lead to A.
    async fn leave_the_address(
        &mut self,
        from: &Community,
        a: CommunityId,
        offset: i64,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE community_redirects SET community_id = $2, \
             newsletter_offset = newsletter_offset + $3 WHERE community_id = $1",
        )
        .bind(from.id)
        .bind(a)
        .bind(offset)
        .execute(self.conn())
        .await
        .or_internal()?;
        sqlx::query(
            "INSERT INTO community_redirects (old_slug, community_id, newsletter_offset, created_at) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(from.slug.as_str())
        .bind(a)
        .bind(offset)
        .bind(self.now())
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}

/// One of B's topics, and A's topic of the same name or address, if A has one.
type TopicPair = (i64, String, Option<i64>);

impl Write {
    /// Topics of the same name (or address) become one, A's, and B's address for it leads
    /// there; B's other topics move as they are.
    async fn merge_topics_of(
        &mut self,
        b: CommunityId,
        a: CommunityId,
        report: &mut MergeReport,
    ) -> Result<()> {
        let pairs: Vec<TopicPair> = sqlx::query_as(
            "SELECT bt.id, bt.slug, (SELECT at.id FROM topics at WHERE at.community_id = $2 \
               AND (LOWER(at.name) = LOWER(bt.name) OR at.slug = bt.slug) ORDER BY at.id LIMIT 1) \
             FROM topics bt WHERE bt.community_id = $1 ORDER BY bt.id",
        )
        .bind(b)
        .bind(a)
        .fetch_all(self.conn())
        .await
        .or_internal()?;
        for (topic, slug, twin) in pairs {
            match twin {
                Some(twin) => {
                    self.join_topic(topic, &slug, twin, a).await?;
                    report.topics_joined += 1;
                }
                None => report.topics_moved += 1,
            }
        }
        // B's old topic addresses move along unless A uses the address itself.
        self.merge_step(
            "DELETE FROM topic_redirects WHERE community_id = $1 AND (old_slug IN \
               (SELECT old_slug FROM topic_redirects WHERE community_id = $2) \
             OR old_slug IN (SELECT slug FROM topics WHERE community_id = $2))",
            b,
            a,
        )
        .await?;
        Ok(())
    }

    /// B's `topic` becomes A's `twin`: its threads and followers go there (once each), and
    /// its address in A leads there.
    async fn join_topic(
        &mut self,
        topic: i64,
        slug: &str,
        twin: i64,
        a: CommunityId,
    ) -> Result<()> {
        for sql in [
            "DELETE FROM thread_topics WHERE topic_id = $1 AND thread_id IN \
               (SELECT thread_id FROM thread_topics WHERE topic_id = $2)",
            "UPDATE thread_topics SET topic_id = $2 WHERE topic_id = $1",
            "DELETE FROM topic_follows WHERE topic_id = $1 AND account_id IN \
               (SELECT account_id FROM topic_follows WHERE topic_id = $2)",
            "UPDATE topic_follows SET topic_id = $2 WHERE topic_id = $1",
            "UPDATE topic_redirects SET topic_id = $2 WHERE topic_id = $1",
            "DELETE FROM topics WHERE id = $1 AND $2 = $2",
        ] {
            sqlx::query(sql)
                .bind(topic)
                .bind(twin)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        sqlx::query(
            "INSERT INTO topic_redirects (community_id, old_slug, topic_id, created_at) \
             SELECT $1, $2, $3, $4 WHERE NOT EXISTS (SELECT 1 FROM topics WHERE community_id = $1 AND slug = $2) \
             ON CONFLICT (community_id, old_slug) DO NOTHING",
        )
        .bind(a)
        .bind(slug)
        .bind(twin)
        .bind(self.now())
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}

impl crate::Store {
    /// Where a merged community's old address leads: the community that took it in, and how
    /// far its newsletter issues were renumbered.
    pub async fn community_redirect(&self, old_slug: &str) -> Result<Option<(Community, i64)>> {
        let row: Option<(CommunityId, i64)> = sqlx::query_as(
            "SELECT community_id, newsletter_offset FROM community_redirects WHERE old_slug = $1",
        )
        .bind(old_slug)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        let Some((id, offset)) = row else {
            return Ok(None);
        };
        Ok(self.community_by_id(id).await?.map(|c| (c, offset)))
    }

    /// Every open community's address and name, by name (at most 500): what a site admin may merge.
    pub async fn community_names(&self) -> Result<Vec<(String, String)>> {
        sqlx::query_as(
            "SELECT slug, name FROM communities WHERE archived_at IS NULL \
             ORDER BY name, slug LIMIT 500",
        )
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }
}

impl Write {
    /// The people of a community (members and observers).
    pub async fn people_in(&mut self, community: CommunityId) -> Result<Vec<AccountId>> {
        let rows: Vec<(AccountId,)> =
            sqlx::query_as("SELECT account_id FROM memberships WHERE community_id = $1")
                .bind(community)
                .fetch_all(self.conn())
                .await
                .or_internal()?;
        Ok(rows.into_iter().map(|(a,)| a).collect())
    }
}
