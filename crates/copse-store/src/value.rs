//! Value-creation stories, what they credit, and endorsements.

use copse_core::clock::Millis;
use copse_core::domain::value::{Cycle, Effect, NewStory, StoryVisibility};
use copse_core::domain::{AccountId, CommunityId, Person};
use copse_core::{Error, Result};

use crate::{Store, abort, db_err, flag};

/// A story as stored, with its credits and endorsement count.
#[derive(Debug, Clone, PartialEq)]
pub struct Story {
    pub id: i64,
    pub community_id: CommunityId,
    pub author: Person,
    pub anonymous: bool,
    pub visibility: StoryVisibility,
    pub circle_id: Option<i64>,
    pub happened: String,
    pub took: String,
    pub did: String,
    pub difference: String,
    pub cycles: Vec<Cycle>,
    pub effect: Option<Effect>,
    pub pinned: bool,
    pub created_at: Millis,
    /// (kind, id): `thread`, `event` or `circle`.
    pub credits: Vec<(String, i64)>,
    pub endorsements: i64,
}

#[derive(sqlx::FromRow)]
struct StoryRow {
    id: i64,
    community_id: i64,
    author_id: i64,
    handle: String,
    display_name: String,
    anonymous: i64,
    visibility: String,
    circle_id: Option<i64>,
    happened: String,
    took: String,
    did: String,
    difference: String,
    cycles: String,
    effect_value: Option<f64>,
    effect_unit: Option<String>,
    effect_period: Option<String>,
    pinned: i64,
    created_at: i64,
    endorsements: i64,
}

const STORY_SELECT: &str = "SELECT s.id, s.community_id, a.id AS author_id, a.handle, a.display_name, s.anonymous, s.visibility, \
    s.circle_id, s.happened, s.took, s.did, s.difference, s.cycles, s.effect_value, s.effect_unit, s.effect_period, s.pinned, \
    s.created_at, (SELECT COUNT(*) FROM story_endorsements e WHERE e.story_id = s.id) AS endorsements \
    FROM value_stories s JOIN accounts a ON a.id = s.author_id";

impl Store {
    /// Stores a story with its credits (already checked against the access policy).
    pub async fn create_story(
        &self,
        community: CommunityId,
        author: AccountId,
        story: &NewStory,
        circle: Option<i64>,
        credits: &[(&str, i64)],
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let result = async {
            let cycles: Vec<&str> = story.cycles.iter().map(|c| c.as_str()).collect();
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO value_stories (community_id, author_id, anonymous, visibility, circle_id, happened, took, did, \
                 difference, cycles, effect_value, effect_unit, effect_period, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
            )
            .bind(community)
            .bind(author)
            .bind(flag(story.anonymous))
            .bind(story.visibility.as_str())
            .bind(circle)
            .bind(&story.happened)
            .bind(&story.took)
            .bind(&story.did)
            .bind(&story.difference)
            .bind(cycles.join(","))
            .bind(story.effect.as_ref().map(|e| e.value))
            .bind(story.effect.as_ref().map(|e| e.unit.clone()))
            .bind(story.effect.as_ref().and_then(|e| e.period.clone()))
            .bind(self.now())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_err)?;
            for (kind, target) in credits {
                sqlx::query(
                    "INSERT INTO story_credits (story_id, kind, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(id)
                .bind(*kind)
                .bind(*target)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
            }
            Ok::<_, Error>(id)
        }
        .await;
        match result {
            Ok(id) => {
                tx.commit().await.map_err(db_err)?;
                Ok(id)
            }
            Err(e) => abort(tx, e).await,
        }
    }

    async fn stories_where(
        &self,
        clause: &str,
        key: i64,
        since: Millis,
        until: Millis,
    ) -> Result<Vec<Story>> {
        let sql = format!(
            "{STORY_SELECT} WHERE {clause} AND s.created_at >= $2 AND s.created_at < $3 ORDER BY s.created_at DESC, s.id DESC LIMIT 2000"
        );
        let rows: Vec<StoryRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(key)
            .bind(since)
            .bind(until)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let credits: Vec<(String, i64)> = sqlx::query_as(
                "SELECT kind, target_id FROM story_credits WHERE story_id = $1 ORDER BY kind, target_id",
            )
            .bind(r.id)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
            out.push(Story {
                id: r.id,
                community_id: r.community_id,
                author: Person {
                    id: r.author_id,
                    handle: r.handle,
                    display_name: r.display_name,
                },
                anonymous: r.anonymous != 0,
                visibility: StoryVisibility::parse(&r.visibility)?,
                circle_id: r.circle_id,
                happened: r.happened,
                took: r.took,
                did: r.did,
                difference: r.difference,
                cycles: r
                    .cycles
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(Cycle::parse)
                    .collect::<Result<_>>()?,
                effect: match (r.effect_value, r.effect_unit) {
                    (Some(value), Some(unit)) => Some(Effect {
                        value,
                        unit,
                        period: r.effect_period,
                    }),
                    _ => None,
                },
                pinned: r.pinned != 0,
                created_at: r.created_at,
                credits,
                endorsements: r.endorsements,
            });
        }
        Ok(out)
    }

    /// A community's stories created in `[since, until)`, newest first (at most 2,000). The
    /// caller filters them through the policy.
    pub async fn stories(
        &self,
        community: CommunityId,
        since: Millis,
        until: Millis,
    ) -> Result<Vec<Story>> {
        self.stories_where("s.community_id = $1", community, since, until)
            .await
    }

    pub async fn story(&self, id: i64) -> Result<Option<Story>> {
        Ok(self
            .stories_where("s.id = $1", id, i64::MIN, i64::MAX)
            .await?
            .into_iter()
            .next())
    }

    /// Endorses ("this also happened for me"); twice counts once.
    pub async fn endorse(&self, story: i64, account: AccountId, on: bool) -> Result<()> {
        let q = if on {
            sqlx::query(
                "INSERT INTO story_endorsements (story_id, account_id, created_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            )
            .bind(story)
            .bind(account)
            .bind(self.now())
        } else {
            sqlx::query("DELETE FROM story_endorsements WHERE story_id = $1 AND account_id = $2")
                .bind(story)
                .bind(account)
        };
        q.execute(&self.pool).await.map_err(db_err)?;
        Ok(())
    }

    /// Stories crediting a thread or an event (their ids; the caller filters by policy).
    pub async fn stories_crediting(&self, kind: &str, target: i64) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT story_id FROM story_credits WHERE kind = $1 AND target_id = $2 LIMIT 1000",
        )
        .bind(kind)
        .bind(target)
        .fetch_all(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }
}

impl Store {
    /// Pins a story for the report (or unpins it).
    pub async fn pin_story(&self, story: i64, pinned: bool) -> Result<()> {
        sqlx::query("UPDATE value_stories SET pinned = $2 WHERE id = $1")
            .bind(story)
            .bind(flag(pinned))
            .execute(&self.pool)
            .await
            .map_err(db_err)?;
        Ok(())
    }

    /// The coordinators' introduction to the value report.
    pub async fn report_introduction(&self, community: CommunityId) -> Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT introduction FROM value_report_notes WHERE community_id = $1")
                .bind(community)
                .fetch_optional(&self.pool)
                .await
                .map_err(db_err)?;
        Ok(row.map(|(t,)| t))
    }

    pub async fn set_report_introduction(
        &self,
        community: CommunityId,
        text: &str,
        by: AccountId,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO value_report_notes (community_id, introduction, updated_by, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (community_id) DO UPDATE SET introduction = excluded.introduction, \
             updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        )
        .bind(community)
        .bind(text)
        .bind(by)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(())
    }
}
