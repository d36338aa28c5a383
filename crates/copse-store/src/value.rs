//! Value-creation stories, what they credit, and endorsements.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::value::{Cycle, Effect, NewStory, StoryVisibility};
use copse_core::domain::{AccountId, CommunityId, Person};
use copse_core::{Error, Result};

use std::collections::HashMap;

use crate::{Store, Write, flag};
use copse_core::domain::value::{Story, StoryComment};

/// What a story may change to: its content, circle, credits and topic ids (already checked).
pub struct StoryChange<'a> {
    pub story: &'a NewStory,
    pub circle: Option<i64>,
    pub credits: &'a [(&'a str, i64)],
    pub topics: &'a [i64],
}

#[derive(sqlx::FromRow)]
struct StoryRow {
    id: i64,
    community_id: CommunityId,
    author_id: AccountId,
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
    comments: i64,
    updated_at: Option<i64>,
    hidden_reason: Option<String>,
}

impl StoryRow {
    fn into_story(
        self,
        credits: Vec<(String, i64)>,
        topics: Vec<(String, String)>,
    ) -> Result<Story> {
        let r = self;
        Ok(Story {
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
            topics,
            endorsements: r.endorsements,
            comments: r.comments,
            updated_at: r.updated_at,
            hidden: r.hidden_reason,
        })
    }
}

const STORY_SELECT: &str = "SELECT s.id, s.community_id, a.id AS author_id, a.handle, a.display_name, s.anonymous, s.visibility, \
    s.circle_id, s.happened, s.took, s.did, s.difference, s.cycles, s.effect_value, s.effect_unit, s.effect_period, s.pinned, \
    s.created_at, (SELECT COUNT(*) FROM story_endorsements e WHERE e.story_id = s.id) AS endorsements, \
    (SELECT COUNT(*) FROM story_comments m WHERE m.story_id = s.id AND m.deleted_at IS NULL) AS comments, s.updated_at, \
    s.hidden_reason FROM value_stories s JOIN accounts a ON a.id = s.author_id";

/// Writes a story's content, circle, credits and topics (its old credits and topics already
/// removed, for an edit); `updated_at` is set for an edit.
async fn write_story(
    tx: &mut sqlx::AnyConnection,
    id: i64,
    change: &StoryChange<'_>,
    updated_at: Option<Millis>,
) -> Result<()> {
    let story = change.story;
    let cycles: Vec<&str> = story.cycles.iter().map(|c| c.as_str()).collect();
    sqlx::query(
        "UPDATE value_stories SET anonymous = $2, visibility = $3, circle_id = $4, happened = $5, took = $6, \
         did = $7, difference = $8, cycles = $9, effect_value = CASE WHEN $14 = 1 THEN $10 END, \
         effect_unit = $11, effect_period = $12, updated_at = $13 WHERE id = $1",
    )
    .bind(id)
    .bind(flag(story.anonymous))
    .bind(story.visibility.as_str())
    .bind(change.circle)
    .bind(&story.happened)
    .bind(&story.took)
    .bind(&story.did)
    .bind(&story.difference)
    .bind(cycles.join(","))
    // Never a NULL float: sqlx-postgres 0.9.0 declares an `Option::<f64>::None` sent through
    // `Any` as a FLOAT4 parameter, and a statement prepared so then refuses a FLOAT8 on its next
    // use on that connection ("incorrect binary data format"). A flag says whether there is one.
    .bind(story.effect.as_ref().map_or(0.0, |e| e.value))
    .bind(story.effect.as_ref().map(|e| e.unit.clone()))
    .bind(story.effect.as_ref().and_then(|e| e.period.clone()))
    .bind(updated_at)
    .bind(flag(story.effect.is_some()))
    .execute(&mut *tx)
    .await
    .or_internal()?;
    for (kind, target) in change.credits {
        sqlx::query(
            "INSERT INTO story_credits (story_id, kind, target_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(*kind)
        .bind(*target)
        .execute(&mut *tx)
        .await
        .or_internal()?;
    }
    for topic in change.topics {
        sqlx::query(
            "INSERT INTO story_topics (story_id, topic_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(id)
        .bind(*topic)
        .execute(&mut *tx)
        .await
        .or_internal()?;
    }
    Ok(())
}

impl Store {
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
            .or_internal()?;
        // Credits and topics of all these stories in one query each, not one per story.
        let scope = format!(
            "JOIN value_stories s ON s.id = x.story_id WHERE {clause} AND s.created_at >= $2 AND s.created_at < $3"
        );
        let credit_rows: Vec<(i64, String, i64)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT x.story_id, x.kind, x.target_id FROM story_credits x {scope} ORDER BY x.story_id, x.kind, x.target_id"
        )))
        .bind(key)
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let topic_rows: Vec<(i64, String, String)> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT x.story_id, tp.slug, tp.name FROM story_topics x JOIN topics tp ON tp.id = x.topic_id {scope} \
             ORDER BY x.story_id, tp.name"
        )))
        .bind(key)
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let mut credits_of: HashMap<i64, Vec<(String, i64)>> = HashMap::new();
        for (story, kind, target) in credit_rows {
            credits_of.entry(story).or_default().push((kind, target));
        }
        let mut topics_of: HashMap<i64, Vec<(String, String)>> = HashMap::new();
        for (story, slug, name) in topic_rows {
            topics_of.entry(story).or_default().push((slug, name));
        }
        rows.into_iter()
            .map(|r| {
                let credits = credits_of.remove(&r.id).unwrap_or_default();
                let topics = topics_of.remove(&r.id).unwrap_or_default();
                r.into_story(credits, topics)
            })
            .collect()
    }

    /// A community's stories created in `[since, until)`, newest first (at most 2,000). The
    /// caller filters them through the policy.
    pub async fn stories(
        &self,
        community: CommunityId,
        since: Millis,
        until: Millis,
    ) -> Result<Vec<Story>> {
        self.stories_where("s.community_id = $1", community.get(), since, until)
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
        q.execute(&self.pool).await.or_internal()?;
        Ok(())
    }

    /// Whether the account endorsed the story.
    pub async fn endorsed(&self, story: i64, account: AccountId) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM story_endorsements WHERE story_id = $1 AND account_id = $2",
        )
        .bind(story)
        .bind(account)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.is_some())
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
        .or_internal()?;
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
            .or_internal()?;
        Ok(())
    }

    /// The coordinators' introduction to the value report.
    pub async fn report_introduction(&self, community: CommunityId) -> Result<Option<String>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT introduction FROM value_report_notes WHERE community_id = $1")
                .bind(community)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
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
        .or_internal()?;
        Ok(())
    }
}

impl Store {
    /// A story's comments that are not deleted, oldest first.
    pub async fn story_comments(&self, story: i64) -> Result<Vec<StoryComment>> {
        self.comments_where("m.story_id = $1", story).await
    }

    pub async fn story_comment(&self, id: i64) -> Result<Option<StoryComment>> {
        Ok(self.comments_where("m.id = $1", id).await?.pop())
    }

    async fn comments_where(&self, clause: &str, key: i64) -> Result<Vec<StoryComment>> {
        type Row = (i64, i64, i64, String, String, String, i64, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT m.id, m.story_id, a.id, a.handle, a.display_name, m.body, m.created_at, \
                   m.hidden_reason \
                 FROM story_comments m JOIN accounts a ON a.id = m.author_id \
                 WHERE {clause} AND m.deleted_at IS NULL ORDER BY m.id LIMIT 1000"
        )))
        .bind(key)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(
                |(id, story_id, author, handle, display_name, body, created_at, hidden)| {
                    StoryComment {
                        id,
                        story_id,
                        author: Person {
                            id: AccountId(author),
                            handle,
                            display_name,
                        },
                        body,
                        created_at,
                        hidden,
                    }
                },
            )
            .collect())
    }

    /// Who a credit is to: a thread's author, an event's hosts (a circle credits no one).
    pub async fn credit_owners(&self, kind: &str, target: i64) -> Result<Vec<Person>> {
        let sql = match kind {
            "thread" => {
                "SELECT a.id, a.handle, a.display_name FROM threads t JOIN accounts a ON a.id = t.author_id WHERE t.id = $1"
            }
            "event" => {
                "SELECT a.id, a.handle, a.display_name FROM event_hosts h JOIN accounts a ON a.id = h.account_id \
                 WHERE h.event_id = $1 ORDER BY a.id"
            }
            _ => return Ok(Vec::new()),
        };
        let rows: Vec<(i64, String, String)> = sqlx::query_as(sql)
            .bind(target)
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        Ok(rows
            .into_iter()
            .map(|(id, handle, display_name)| Person {
                id: AccountId(id),
                handle,
                display_name,
            })
            .collect())
    }

    /// Stories crediting a person's threads or the events they host (ids, newest first, at
    /// most 500; the caller filters them through the policy).
    pub async fn stories_crediting_person(&self, account: AccountId) -> Result<Vec<i64>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT DISTINCT x.story_id FROM story_credits x \
             LEFT JOIN threads t ON x.kind = 'thread' AND t.id = x.target_id \
             LEFT JOIN event_hosts h ON x.kind = 'event' AND h.event_id = x.target_id \
             WHERE t.author_id = $1 OR h.account_id = $1 ORDER BY x.story_id DESC LIMIT 500",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }
}

impl Write {
    /// Stores a story with its credits (already checked against the access policy).
    pub async fn create_story(
        &mut self,
        community: CommunityId,
        author: AccountId,
        change: &StoryChange<'_>,
    ) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO value_stories (community_id, author_id, anonymous, visibility, happened, took, did, \
             difference, cycles, created_at) VALUES ($1, $2, 0, 'community', '', '', '', '', '', $3) RETURNING id",
        )
        .bind(community)
        .bind(author)
        .bind(self.now())
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        write_story(self.conn(), id, change, None).await?;
        Ok(id)
    }

    /// Deletes a story with its credits, topics, endorsements and comments.
    pub async fn delete_story(&mut self, id: i64) -> Result<()> {
        sqlx::query("DELETE FROM value_stories WHERE id = $1")
            .bind(id)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// Adds a comment; refused once a story has `max` comments.
    pub async fn add_story_comment(
        &mut self,
        story: i64,
        author: AccountId,
        body: &str,
        max: i64,
    ) -> Result<i64> {
        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM story_comments WHERE story_id = $1")
                .bind(story)
                .fetch_one(self.conn())
                .await
                .or_internal()?;
        if count >= max {
            return Err(Error::invalid(
                "body",
                "this story has as many comments as it can take",
            ));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO story_comments (story_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(story)
        .bind(author)
        .bind(body)
        .bind(self.now())
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(id)
    }
}

crate::write::write_alone! {
    /// Stores a story with its credits (already checked against the access policy).
    fn create_story(&self, community: CommunityId, author: AccountId, change: &StoryChange<'_>) -> i64;
    /// Deletes a story with its credits, topics, endorsements and comments.
    fn delete_story(&self, id: i64) -> ();
    /// Adds a comment; refused once a story has `max` comments.
    fn add_story_comment(&self, story: i64, author: AccountId, body: &str, max: i64) -> i64;
    /// Deletes a comment softly.
    fn delete_story_comment(&self, id: i64) -> ();
}

impl Write {
    pub async fn delete_story_comment(&mut self, id: i64) -> Result<()> {
        let now = self.now();
        sqlx::query("UPDATE story_comments SET deleted_at = $2 WHERE id = $1")
            .bind(id)
            .bind(now)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// Replaces a story's content, circle, credits and topics (already checked).
    pub async fn update_story(&mut self, id: i64, change: &StoryChange<'_>) -> Result<()> {
        for table in ["story_credits", "story_topics"] {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "DELETE FROM {table} WHERE story_id = $1"
            )))
            .bind(id)
            .execute(self.conn())
            .await
            .or_internal()?;
        }
        let now = self.now();
        write_story(self.conn(), id, change, Some(now)).await
    }
}

crate::write::write_alone! {
    /// Replaces a story's content, circle, credits and topics (already checked).
    fn update_story(&self, id: i64, change: &StoryChange<'_>) -> ();
}
