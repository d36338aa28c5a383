//! Check-ins: each community's schedule, its rounds and the members' answers. Opening a round,
//! notifying the members and moving the schedule on happen in one transaction keyed by the
//! round's opening time, so a round opens once however many nodes or retries try.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::checkin::{Answer, Cadence};
use copse_core::domain::{AccountId, CommunityId, NotificationKind, Person};
use copse_core::{Error, Result};

use crate::{Store, Write, abort};
use copse_core::domain::checkin::{Checkin, CheckinAnswer, CheckinSchedule};

/// A round to open.
pub struct NewRound<'a> {
    pub community: CommunityId,
    pub prompt: &'a str,
    pub opened_at: Millis,
    pub closes_at: Millis,
    pub opened_by: AccountId,
    /// Where the schedule moves on to, when this round is the scheduled one.
    pub next_at: Option<Millis>,
}

#[derive(sqlx::FromRow)]
struct CheckinRow {
    id: i64,
    community_id: CommunityId,
    prompt: String,
    opened_at: i64,
    closes_at: i64,
    answers: i64,
}

impl From<CheckinRow> for Checkin {
    fn from(r: CheckinRow) -> Self {
        Checkin {
            id: r.id,
            community_id: r.community_id,
            prompt: r.prompt,
            opened_at: r.opened_at,
            closes_at: r.closes_at,
            answers: r.answers,
        }
    }
}

const CHECKIN_SELECT: &str = "SELECT k.id, k.community_id, k.prompt, k.opened_at, k.closes_at, \
    (SELECT COUNT(*) FROM checkin_answers x WHERE x.checkin_id = k.id) AS answers FROM checkins k";

type AnswerRow = (i64, i64, String, String, String, String, Option<i64>, i64);

impl Store {
    pub async fn checkin_schedule(
        &self,
        community: CommunityId,
    ) -> Result<Option<CheckinSchedule>> {
        let row: Option<(String, String, Option<i64>)> = sqlx::query_as(
            "SELECT prompt, cadence, next_at FROM checkin_settings WHERE community_id = $1",
        )
        .bind(community)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        row.map(|(prompt, cadence, next_at)| {
            Ok(CheckinSchedule {
                prompt,
                cadence: Cadence::parse(&cadence)?,
                next_at,
            })
        })
        .transpose()
    }

    pub async fn set_checkin_schedule(
        &self,
        community: CommunityId,
        schedule: &CheckinSchedule,
        by: AccountId,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO checkin_settings (community_id, prompt, cadence, next_at, updated_by, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (community_id) DO UPDATE SET prompt = excluded.prompt, \
             cadence = excluded.cadence, next_at = excluded.next_at, updated_by = excluded.updated_by, \
             updated_at = excluded.updated_at",
        )
        .bind(community)
        .bind(&schedule.prompt)
        .bind(schedule.cadence.as_str())
        .bind(schedule.next_at)
        .bind(by)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Who set up a community's check-in (the notifications name them).
    pub async fn checkin_owner(&self, community: CommunityId) -> Result<Option<AccountId>> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT updated_by FROM checkin_settings WHERE community_id = $1")
                .bind(community)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(row.map(|(a,)| a).map(AccountId))
    }

    /// Communities whose next round is due by `now`, with its opening time.
    pub async fn due_checkins(&self, now: Millis) -> Result<Vec<(CommunityId, Millis)>> {
        sqlx::query_as(
            "SELECT community_id, next_at FROM checkin_settings \
             WHERE next_at IS NOT NULL AND next_at <= $1 \
             AND community_id IN (SELECT id FROM communities WHERE archived_at IS NULL) \
             ORDER BY next_at LIMIT 500",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Opens a round and tells every member (not observers) in the same transaction. Returns
    /// the round's id, or `None` when a round with this opening time already exists.
    pub async fn open_checkin(&self, round: &NewRound<'_>) -> Result<Option<i64>> {
        let mut tx = self.begin_write().await?;
        let result = async {
            let id: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO checkins (community_id, prompt, opened_at, closes_at, opened_by) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (community_id, opened_at) DO NOTHING RETURNING id",
            )
            .bind(round.community)
            .bind(round.prompt)
            .bind(round.opened_at)
            .bind(round.closes_at)
            .bind(round.opened_by)
            .fetch_optional(&mut *tx)
            .await
            .or_internal()?;
            let Some((id,)) = id else {
                return Ok(None);
            };
            sqlx::query(
                "INSERT INTO notifications (account_id, community_id, kind, checkin_id, actor_id, created_at) \
                 SELECT account_id, community_id, $2, $3, $4, $5 FROM memberships \
                 WHERE community_id = $1 AND role IN ('member', 'leader', 'coordinator')",
            )
            .bind(round.community)
            .bind(NotificationKind::CheckIn.as_str())
            .bind(id)
            .bind(round.opened_by)
            // Dated when the round opened (never later than now): a round opened late, or
            // entered afterwards, is not news of today.
            .bind(round.opened_at.min(self.now()))
            .execute(&mut *tx)
            .await
            .or_internal()?;
            if let Some(next) = round.next_at {
                sqlx::query(
                    "UPDATE checkin_settings SET next_at = $3 WHERE community_id = $1 AND next_at = $2",
                )
                .bind(round.community)
                .bind(round.opened_at)
                .bind(next)
                .execute(&mut *tx)
                .await
                .or_internal()?;
            }
            Ok::<_, Error>(Some(id))
        }
        .await;
        match result {
            Ok(id) => {
                tx.commit().await.or_internal()?;
                Ok(id)
            }
            Err(e) => abort(tx, e).await,
        }
    }

    /// A community's rounds, newest first (at most 100).
    pub async fn checkins(&self, community: CommunityId) -> Result<Vec<Checkin>> {
        let rows: Vec<CheckinRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CHECKIN_SELECT} WHERE k.community_id = $1 ORDER BY k.opened_at DESC, k.id DESC LIMIT 100"
        )))
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(Checkin::from).collect())
    }

    pub async fn checkin(&self, id: i64) -> Result<Option<Checkin>> {
        let row: Option<CheckinRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "{CHECKIN_SELECT} WHERE k.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.map(Checkin::from))
    }

    /// Saves (or replaces) a member's answer; an answer already turned into a story keeps its
    /// link.
    pub async fn answer_checkin(
        &self,
        checkin: i64,
        member: AccountId,
        answer: &Answer,
    ) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO checkin_answers (checkin_id, account_id, learned, applied, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT (checkin_id, account_id) DO UPDATE SET \
             learned = excluded.learned, applied = excluded.applied, updated_at = excluded.updated_at",
        )
        .bind(checkin)
        .bind(member)
        .bind(&answer.learned)
        .bind(&answer.applied)
        .bind(now)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// A round's answers: everyone's, or one member's.
    pub async fn checkin_answers(
        &self,
        checkin: i64,
        only: Option<AccountId>,
    ) -> Result<Vec<CheckinAnswer>> {
        self.answers_where(
            "x.checkin_id = $1 AND ($2 = -1 OR x.account_id = $2)",
            checkin,
            only.map_or(-1, AccountId::get),
        )
        .await
    }

    /// One member's answers to a community's rounds.
    pub async fn checkin_answers_of(
        &self,
        community: CommunityId,
        member: AccountId,
    ) -> Result<Vec<CheckinAnswer>> {
        self.answers_where(
            "x.checkin_id IN (SELECT id FROM checkins WHERE community_id = $1) AND x.account_id = $2",
            community.get(),
            member.get(),
        )
        .await
    }

    async fn answers_where(&self, clause: &str, a: i64, b: i64) -> Result<Vec<CheckinAnswer>> {
        let rows: Vec<AnswerRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT x.checkin_id, a.id, a.handle, a.display_name, x.learned, x.applied, x.story_id, x.updated_at \
             FROM checkin_answers x JOIN accounts a ON a.id = x.account_id \
             WHERE {clause} ORDER BY x.created_at, a.id LIMIT 5000"
        )))
        .bind(a)
        .bind(b)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(
                |(checkin_id, id, handle, display_name, learned, applied, story_id, updated_at)| {
                    CheckinAnswer {
                        checkin_id,
                        member: Person {
                            id: AccountId(id),
                            handle,
                            display_name,
                        },
                        learned,
                        applied,
                        story_id,
                        updated_at,
                    }
                },
            )
            .collect())
    }
}

impl Write {
    /// Links an answer to the story it became, unless it already became one. Returns whether
    /// it was linked now.
    pub async fn link_answer_story(
        &mut self,
        checkin: i64,
        member: AccountId,
        story: i64,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE checkin_answers SET story_id = $3 WHERE checkin_id = $1 AND account_id = $2 AND story_id IS NULL",
        )
        .bind(checkin)
        .bind(member)
        .bind(story)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(done.rows_affected() == 1)
    }
}

crate::write::write_alone! {
    /// Links an answer to the story it became, unless it already became one. Returns whether
    /// it was linked now.
    fn link_answer_story(&self, checkin: i64, member: AccountId, story: i64) -> bool;
}
