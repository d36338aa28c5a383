//! The activity ledger, participation levels with their history, thresholds, and daily
//! snapshots of the distribution.

use copse_core::OrInternal;
use std::collections::BTreeMap;

use copse_core::clock::Millis;
use copse_core::domain::participation::{Level, Tally, Thresholds};
use copse_core::domain::{AccountId, CommunityId, Role};
use copse_core::{Error, Result};

use crate::{Store, Write, abort};
use copse_core::domain::participation::{LevelChange, MemberLevel, Snapshot};

/// account, handle, name, role, level, points, counts, computed at, since, joined at.
type LevelRow = (
    i64,
    String,
    String,
    String,
    String,
    i64,
    String,
    i64,
    i64,
    i64,
);

impl Store {
    /// Every member's (not observers') acts in `[since, until]`, counted per kind.
    pub async fn tallies(
        &self,
        community: CommunityId,
        since: Millis,
        until: Millis,
    ) -> Result<BTreeMap<AccountId, Tally>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT a.account_id, a.kind, COUNT(*) FROM activity a \
             WHERE a.community_id = $1 AND a.at >= $2 AND a.at <= $3 AND a.withheld = 0 \
             GROUP BY a.account_id, a.kind",
        )
        .bind(community)
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let mut out: BTreeMap<AccountId, Tally> = BTreeMap::new();
        for (account, kind, n) in rows {
            out.entry(AccountId(account)).or_default().add(&kind, n);
        }
        Ok(out)
    }

    /// The community's thresholds (defaults when never set).
    pub async fn thresholds(&self, community: CommunityId) -> Result<Thresholds> {
        let row: Option<(i64, i64, i64)> = sqlx::query_as(
            "SELECT window_days, core_points, active_points FROM participation_settings WHERE community_id = $1",
        )
        .bind(community)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(
            row.map_or_else(Thresholds::default, |(w, c, a)| Thresholds {
                window_days: w,
                core_points: c,
                active_points: a,
            }),
        )
    }

    pub async fn set_thresholds(&self, community: CommunityId, t: Thresholds) -> Result<()> {
        sqlx::query(
            "INSERT INTO participation_settings (community_id, window_days, core_points, active_points, updated_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (community_id) DO UPDATE SET window_days = excluded.window_days, \
             core_points = excluded.core_points, active_points = excluded.active_points, updated_at = excluded.updated_at",
        )
        .bind(community)
        .bind(t.window_days)
        .bind(t.core_points)
        .bind(t.active_points)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// The stored levels of a community's members, most points first.
    pub async fn levels(&self, community: CommunityId) -> Result<Vec<MemberLevel>> {
        self.levels_where(community, None).await
    }

    /// One member's stored level.
    pub async fn level_of(
        &self,
        community: CommunityId,
        account: AccountId,
    ) -> Result<Option<MemberLevel>> {
        Ok(self
            .levels_where(community, Some(account))
            .await?
            .into_iter()
            .next())
    }

    async fn levels_where(
        &self,
        community: CommunityId,
        account: Option<AccountId>,
    ) -> Result<Vec<MemberLevel>> {
        let rows: Vec<LevelRow> = sqlx::query_as(
            "SELECT a.id, a.handle, a.display_name, m.role, p.level, p.points, p.counts, p.computed_at, p.since, m.joined_at \
             FROM participation_levels p JOIN accounts a ON a.id = p.account_id \
             JOIN memberships m ON m.community_id = p.community_id AND m.account_id = p.account_id \
             WHERE p.community_id = $1 AND m.role <> 'observer' AND ($2 = -1 OR p.account_id = $2) \
             ORDER BY p.points DESC, a.display_name LIMIT 20000",
        )
        .bind(community)
        .bind(account.unwrap_or(AccountId(-1)))
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter()
            .map(
                |(
                    account,
                    handle,
                    display_name,
                    role,
                    level,
                    points,
                    counts,
                    computed_at,
                    since,
                    joined_at,
                )| {
                    Ok(MemberLevel {
                        account: AccountId(account),
                        handle,
                        display_name,
                        role: Role::parse(&role)?,
                        level: Level::parse(&level)?,
                        points,
                        counts: serde_json::from_str(&counts).unwrap_or_default(),
                        computed_at,
                        since,
                        joined_at,
                    })
                },
            )
            .collect()
    }

    /// Level changes of a community since `since` (newest first, at most 5,000).
    pub async fn level_changes(
        &self,
        community: CommunityId,
        since: Millis,
    ) -> Result<Vec<LevelChange>> {
        let rows: Vec<(i64, Option<String>, String, i64)> = sqlx::query_as(
            "SELECT account_id, from_level, to_level, at FROM level_changes WHERE community_id = $1 AND at >= $2 \
             ORDER BY at DESC, id DESC LIMIT 5000",
        )
        .bind(community)
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter()
            .map(|(account, from, to, at)| {
                Ok(LevelChange {
                    account: AccountId(account),
                    from: from.as_deref().map(Level::parse).transpose()?,
                    to: Level::parse(&to)?,
                    at,
                })
            })
            .collect()
    }

    /// Daily snapshots of the distribution, oldest first (at most 400).
    pub async fn snapshots(&self, community: CommunityId) -> Result<Vec<Snapshot>> {
        let rows: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT day, core, active, peripheral, inactive FROM level_snapshots WHERE community_id = $1 \
             ORDER BY day DESC LIMIT 400",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let mut out: Vec<Snapshot> = rows
            .into_iter()
            .map(|(day, core, active, peripheral, inactive)| Snapshot {
                day,
                core,
                active,
                peripheral,
                inactive,
            })
            .collect();
        out.reverse();
        Ok(out)
    }

    /// Questions asked since `since` in the public and members spaces (at most 5,000): when each
    /// was asked, first answered by someone else, and when its accepted answer was written.
    pub async fn question_times(
        &self,
        community: CommunityId,
        since: Millis,
    ) -> Result<Vec<(Millis, Option<Millis>, Option<Millis>)>> {
        sqlx::query_as(
            "SELECT t.created_at, \
               (SELECT MIN(r.created_at) FROM replies r WHERE r.thread_id = t.id AND r.author_id <> t.author_id AND r.deleted_at IS NULL), \
               (SELECT r.created_at FROM replies r WHERE r.id = t.accepted_reply_id AND r.deleted_at IS NULL) \
             FROM threads t WHERE t.community_id = $1 AND t.kind = 'question' AND t.deleted_at IS NULL \
             AND t.space IN ('public', 'members') AND t.created_at >= $2 ORDER BY t.created_at DESC LIMIT 5000",
        )
        .bind(community)
        .bind(since)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Members (not observers) per organisation, largest first (at most 12).
    pub async fn organisations(&self, community: CommunityId) -> Result<Vec<(String, i64)>> {
        sqlx::query_as(
            "SELECT COALESCE(NULLIF(TRIM(a.organisation), ''), '(not given)'), COUNT(*) FROM memberships m \
             JOIN accounts a ON a.id = m.account_id WHERE m.community_id = $1 AND m.role <> 'observer' \
             GROUP BY COALESCE(NULLIF(TRIM(a.organisation), ''), '(not given)') ORDER BY 2 DESC, 1 LIMIT 12",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Replies others wrote to the account's threads since `since`: what they gained.
    pub async fn answers_received(
        &self,
        community: CommunityId,
        account: AccountId,
        since: Millis,
    ) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM replies r JOIN threads t ON t.id = r.thread_id WHERE t.community_id = $1 \
             AND t.author_id = $2 AND r.author_id <> $2 AND r.deleted_at IS NULL AND r.created_at >= $3",
        )
        .bind(community)
        .bind(account)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(n)
    }

    /// Replaces the stored weekly activity of a community.
    pub async fn save_weeks(
        &self,
        community: CommunityId,
        weeks: &[(Millis, i64, i64)],
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let result = async {
            sqlx::query("DELETE FROM activity_weeks WHERE community_id = $1")
                .bind(community)
                .execute(&mut *tx)
                .await
                .or_internal()?;
            for (week, acts, points) in weeks {
                sqlx::query(
                    "INSERT INTO activity_weeks (community_id, week_start, acts, points) VALUES ($1, $2, $3, $4)",
                )
                .bind(community)
                .bind(*week)
                .bind(*acts)
                .bind(*points)
                .execute(&mut *tx)
                .await
                .or_internal()?;
            }
            Ok::<_, Error>(())
        }
        .await;
        match result {
            Ok(()) => tx.commit().await.or_internal(),
            Err(e) => abort(tx, e).await,
        }
    }

    /// The stored weekly activity (week start, acts, points), oldest first.
    pub async fn weeks(&self, community: CommunityId) -> Result<Vec<(Millis, i64, i64)>> {
        sqlx::query_as(
            "SELECT week_start, acts, points FROM activity_weeks WHERE community_id = $1 ORDER BY week_start LIMIT 60",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Members per level (members only, observers left out).
    pub async fn level_counts(&self, community: CommunityId) -> Result<BTreeMap<String, i64>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT p.level, COUNT(*) FROM participation_levels p JOIN memberships m \
             ON m.community_id = p.community_id AND m.account_id = p.account_id AND m.role <> 'observer' \
             WHERE p.community_id = $1 GROUP BY p.level",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().collect())
    }

    /// Every open community's id, for the daily recomputation of levels (an archived community
    /// keeps the levels it had when it was archived).
    pub async fn community_ids(&self) -> Result<Vec<CommunityId>> {
        let rows: Vec<(CommunityId,)> = sqlx::query_as(
            "SELECT id FROM communities WHERE archived_at IS NULL ORDER BY id LIMIT 100000",
        )
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    /// The community's members (not observers) with their roles, at most 20,000.
    pub async fn member_roles(&self, community: CommunityId) -> Result<Vec<(AccountId, Role)>> {
        let rows: Vec<(AccountId, String)> = sqlx::query_as(
            "SELECT m.account_id, m.role FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.community_id = $1 AND m.role <> 'observer' AND a.suspended_at IS NULL LIMIT 20000",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter()
            .map(|(a, r)| Ok((a, Role::parse(&r)?)))
            .collect()
    }

    /// Acts per ISO week in `[since, until)` for a community: (week start, entries, points).
    pub async fn weekly_activity(
        &self,
        community: CommunityId,
        since: Millis,
        until: Millis,
    ) -> Result<Vec<(Millis, i64, i64)>> {
        const WEEK: i64 = 7 * 24 * 3600 * 1000;
        // 1970-01-05 was a Monday: weeks counted from there start on Mondays (UTC).
        const MONDAY: i64 = 4 * 24 * 3600 * 1000;
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT (at - $4) / $5, COUNT(*), CAST(SUM(weight) AS BIGINT) FROM activity WHERE community_id = $1 AND at >= $2 AND at < $3 \
               AND withheld = 0 GROUP BY (at - $4) / $5 ORDER BY 1",
        )
        .bind(community)
        .bind(since)
        .bind(until)
        .bind(MONDAY)
        .bind(WEEK)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(|(w, n, p)| (MONDAY + w * WEEK, n, p))
            .collect())
    }
}

impl Write {
    /// Stores freshly computed levels: changed ones are written with a history entry, members
    /// who left are dropped, and today's snapshot of the distribution is replaced.
    pub async fn save_levels(
        &mut self,
        community: CommunityId,
        levels: &[(AccountId, Level, i64, String)],
        day: &str,
    ) -> Result<usize> {
        let previous: BTreeMap<AccountId, String> = sqlx::query_as::<_, (AccountId, String)>(
            "SELECT account_id, level FROM participation_levels WHERE community_id = $1",
        )
        .bind(community)
        .fetch_all(self.conn())
        .await
        .or_internal()?
        .into_iter()
        .collect();
        let mut changed = 0;
        let mut counts = [0i64; 4];
        for (account, level, points, tally) in levels {
            counts[Level::ALL.iter().position(|l| l == level).unwrap_or(3)] += 1;
            let before = previous.get(account).cloned();
            self.put_level(community, *account, *level, *points, tally)
                .await?;
            if before.as_deref() != Some(level.as_str()) {
                changed += 1;
                self.log_level_change(community, *account, before, *level)
                    .await?;
            }
        }
        let current: std::collections::BTreeSet<AccountId> = levels.iter().map(|l| l.0).collect();
        for gone in previous.keys().filter(|a| !current.contains(a)) {
            sqlx::query(
                "DELETE FROM participation_levels WHERE community_id = $1 AND account_id = $2",
            )
            .bind(community)
            .bind(gone)
            .execute(self.conn())
            .await
            .or_internal()?;
        }
        self.snapshot_levels(community, day, counts).await?;
        Ok(changed)
    }

    async fn put_level(
        &mut self,
        community: CommunityId,
        account: AccountId,
        level: Level,
        points: i64,
        tally: &str,
    ) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO participation_levels (community_id, account_id, level, points, counts, computed_at, since) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (community_id, account_id) DO UPDATE SET \
             level = excluded.level, points = excluded.points, counts = excluded.counts, computed_at = excluded.computed_at, \
             since = CASE WHEN participation_levels.level = excluded.level THEN participation_levels.since ELSE excluded.since END",
        )
        .bind(community)
        .bind(account)
        .bind(level.as_str())
        .bind(points)
        .bind(tally)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    async fn log_level_change(
        &mut self,
        community: CommunityId,
        account: AccountId,
        from: Option<String>,
        to: Level,
    ) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO level_changes (community_id, account_id, from_level, to_level, at) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(community)
        .bind(account)
        .bind(from)
        .bind(to.as_str())
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// Members per level on `day`: core, active, peripheral, inactive.
    async fn snapshot_levels(
        &mut self,
        community: CommunityId,
        day: &str,
        counts: [i64; 4],
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO level_snapshots (community_id, day, core, active, peripheral, inactive) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (community_id, day) DO UPDATE SET core = excluded.core, active = excluded.active, \
             peripheral = excluded.peripheral, inactive = excluded.inactive",
        )
        .bind(community)
        .bind(day)
        .bind(counts[0])
        .bind(counts[1])
        .bind(counts[2])
        .bind(counts[3])
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Stores freshly computed levels: changed ones are written with a history entry, members
    /// who left are dropped, and today's snapshot of the distribution is replaced.
    fn save_levels(&self, community: CommunityId, levels: &[(AccountId, Level, i64, String)], day: &str) -> usize;
}
