//! The community newsletter: each community's cadence, its issues, opt-outs and what a draft is
//! made from.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::checkin::Cadence;
use copse_core::domain::newsletter::Status;
use copse_core::domain::{AccountId, CommunityId};
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::{Store, Write, abort};
use copse_core::domain::newsletter::{Newsletter, NewsletterSettings};

type NewsletterRow = (
    i64,
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    String,
    Option<i64>,
    Option<i64>,
    i64,
);

const NEWSLETTER_SELECT: &str = "SELECT id, community_id, number, subject, body, period_since, \
    period_until, status, send_at, sent_at, updated_at FROM newsletters";

fn newsletter(row: NewsletterRow) -> Result<Newsletter> {
    let (
        id,
        community_id,
        number,
        subject,
        body,
        period_since,
        period_until,
        status,
        send_at,
        sent_at,
        updated_at,
    ) = row;
    Ok(Newsletter {
        id,
        community_id: CommunityId(community_id),
        number,
        subject,
        body,
        period_since,
        period_until,
        status: Status::parse(&status)?,
        send_at,
        sent_at,
        updated_at,
    })
}

/// An issue to draft.
pub struct NewNewsletter<'a> {
    pub community: CommunityId,
    pub subject: &'a str,
    pub body: &'a str,
    pub since: Millis,
    pub until: Millis,
    pub by: Option<AccountId>,
    /// For the scheduled draft: its due time and where the schedule moves on to.
    pub schedule: Option<(Millis, Millis)>,
}

/// What a period brought to a community, for a draft: ids, best first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewsletterActivity {
    /// Discussions, questions and announcements with the most replies.
    pub highlights: Vec<i64>,
    /// Replies marked helpful or accepted.
    pub answers: Vec<i64>,
    /// New resources (the library).
    pub library: Vec<i64>,
    pub stories: Vec<i64>,
    /// People who joined as members.
    pub newcomers: Vec<AccountId>,
}

/// `$from, $from+1, …` for `n` values.
pub(crate) fn placeholders(from: usize, n: usize) -> String {
    (from..from + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
    pub async fn newsletter_settings(
        &self,
        community: CommunityId,
    ) -> Result<Option<NewsletterSettings>> {
        let row: Option<(String, Option<i64>)> = sqlx::query_as(
            "SELECT cadence, next_at FROM newsletter_settings WHERE community_id = $1",
        )
        .bind(community)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        row.map(|(cadence, next_at)| {
            Ok(NewsletterSettings {
                cadence: Cadence::parse(&cadence)?,
                next_at,
            })
        })
        .transpose()
    }

    pub async fn set_newsletter_settings(
        &self,
        community: CommunityId,
        settings: NewsletterSettings,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO newsletter_settings (community_id, cadence, next_at, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (community_id) DO UPDATE SET cadence = excluded.cadence, next_at = excluded.next_at, \
             updated_at = excluded.updated_at",
        )
        .bind(community)
        .bind(settings.cadence.as_str())
        .bind(settings.next_at)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Gives every community without newsletter settings the default: monthly, the first
    /// draft at `first_at`.
    pub async fn ensure_newsletter_settings(&self, first_at: Millis) -> Result<()> {
        sqlx::query(
            "INSERT INTO newsletter_settings (community_id, cadence, next_at, updated_at) \
             SELECT c.id, 'monthly', $1, $2 FROM communities c \
             WHERE NOT EXISTS (SELECT 1 FROM newsletter_settings s WHERE s.community_id = c.id) \
             ON CONFLICT (community_id) DO NOTHING",
        )
        .bind(first_at)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Communities whose next draft is due by `now`, with its due time.
    pub async fn due_newsletter_drafts(&self, now: Millis) -> Result<Vec<(CommunityId, Millis)>> {
        sqlx::query_as(
            "SELECT community_id, next_at FROM newsletter_settings \
             WHERE next_at IS NOT NULL AND next_at <= $1 \
             AND community_id IN (SELECT id FROM communities WHERE archived_at IS NULL) \
             ORDER BY next_at LIMIT 500",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Drafts an issue numbered after the community's last; for the scheduled draft also moves
    /// the schedule on, in the same transaction. `Ok(None)` when the community already has an
    /// issue being prepared (or the scheduled draft was made by someone else).
    pub async fn create_newsletter(&self, new: &NewNewsletter<'_>) -> Result<Option<Newsletter>> {
        let mut tx = self.begin_write().await?;
        let result = async {
            if let Some((due, next)) = new.schedule {
                let moved = sqlx::query(
                    "UPDATE newsletter_settings SET next_at = $3 WHERE community_id = $1 AND next_at = $2",
                )
                .bind(new.community)
                .bind(due)
                .bind(next)
                .execute(&mut *tx)
                .await
                .or_internal()?;
                if moved.rows_affected() == 0 {
                    return Ok(None);
                }
            }
            let now = self.now();
            let id: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO newsletters (community_id, number, subject, body, period_since, period_until, \
                 status, edited_by, created_at, updated_at) \
                 SELECT $1, COALESCE(MAX(number), 0) + 1, $2, $3, $4, $5, 'draft', $6, $7, $7 \
                 FROM newsletters WHERE community_id = $1 ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(new.community)
            .bind(new.subject)
            .bind(new.body)
            .bind(new.since)
            .bind(new.until)
            .bind(new.by)
            .bind(now)
            .fetch_optional(&mut *tx)
            .await
            .or_internal()?;
            Ok::<_, Error>(id.map(|(id,)| id))
        }
        .await;
        let id = match result {
            Ok(id) => {
                tx.commit().await.or_internal()?;
                id
            }
            Err(e) => return abort(tx, e).await,
        };
        match id {
            Some(id) => self.newsletter_by_id(id).await,
            None => Ok(None),
        }
    }

    pub async fn newsletter_by_id(&self, id: i64) -> Result<Option<Newsletter>> {
        let row: Option<NewsletterRow> =
            sqlx::query_as(AssertSqlSafe(format!("{NEWSLETTER_SELECT} WHERE id = $1")))
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        row.map(newsletter).transpose()
    }

    pub async fn newsletter(
        &self,
        community: CommunityId,
        number: i64,
    ) -> Result<Option<Newsletter>> {
        let row: Option<NewsletterRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{NEWSLETTER_SELECT} WHERE community_id = $1 AND number = $2"
        )))
        .bind(community)
        .bind(number)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        row.map(newsletter).transpose()
    }

    /// A community's issues, newest first (at most 500): only those sent, unless `all`.
    pub async fn newsletters(&self, community: CommunityId, all: bool) -> Result<Vec<Newsletter>> {
        let rows: Vec<NewsletterRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{NEWSLETTER_SELECT} WHERE community_id = $1 AND ($2 = 1 OR status IN ('sending', 'sent')) \
             ORDER BY number DESC LIMIT 500"
        )))
        .bind(community)
        .bind(i64::from(all))
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(newsletter).collect()
    }

    /// The community's issue being prepared, if any.
    pub async fn open_newsletter(&self, community: CommunityId) -> Result<Option<Newsletter>> {
        let row: Option<NewsletterRow> = sqlx::query_as(AssertSqlSafe(format!(
            "{NEWSLETTER_SELECT} WHERE community_id = $1 AND status IN ('draft', 'scheduled')"
        )))
        .bind(community)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        row.map(newsletter).transpose()
    }

    /// The end of the last issue's period (where a new draft starts), if there is one.
    pub async fn last_newsletter_until(&self, community: CommunityId) -> Result<Option<Millis>> {
        let row: (Option<i64>,) =
            sqlx::query_as("SELECT MAX(period_until) FROM newsletters WHERE community_id = $1")
                .bind(community)
                .fetch_one(&self.pool)
                .await
                .or_internal()?;
        Ok(row.0)
    }

    /// Changes an issue's text while it is a draft or scheduled. False when it is not.
    pub async fn update_newsletter(
        &self,
        id: i64,
        subject: &str,
        body: &str,
        by: AccountId,
    ) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE newsletters SET subject = $2, body = $3, edited_by = $4, updated_at = $5 \
             WHERE id = $1 AND status IN ('draft', 'scheduled')",
        )
        .bind(id)
        .bind(subject)
        .bind(body)
        .bind(by)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(done.rows_affected() == 1)
    }

    /// Schedules a draft (or moves a scheduled issue) to `send_at`, or with `None` makes it a
    /// draft again. False when it is already going out.
    pub async fn schedule_newsletter(&self, id: i64, send_at: Option<Millis>) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE newsletters SET status = $2, send_at = $3, updated_at = $4 \
             WHERE id = $1 AND status IN ('draft', 'scheduled')",
        )
        .bind(id)
        .bind(if send_at.is_some() {
            "scheduled"
        } else {
            "draft"
        })
        .bind(send_at)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(done.rows_affected() == 1)
    }

    /// The last batch went out.
    pub async fn finish_newsletter(&self, id: i64) -> Result<()> {
        sqlx::query(
            "UPDATE newsletters SET status = 'sent', updated_at = $2 WHERE id = $1 AND status = 'sending'",
        )
        .bind(id)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Deletes a draft or scheduled issue. False when it is going out or gone.
    pub async fn delete_newsletter(&self, id: i64) -> Result<bool> {
        let done = sqlx::query(
            "DELETE FROM newsletters WHERE id = $1 AND status IN ('draft', 'scheduled')",
        )
        .bind(id)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(done.rows_affected() == 1)
    }

    /// Scheduled issues whose time has come, and issues being sent (so a node that died
    /// between starting and queueing is made up for).
    pub async fn newsletters_to_send(&self, now: Millis) -> Result<Vec<(i64, Status)>> {
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, status FROM newsletters \
             WHERE ((status = 'scheduled' AND send_at <= $1) OR status = 'sending') \
             AND community_id IN (SELECT id FROM communities WHERE archived_at IS NULL) \
             ORDER BY id LIMIT 500",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter()
            .map(|(id, s)| Ok((id, Status::parse(&s)?)))
            .collect()
    }

    /// What `[since, until)` brought to a community, for a draft (shared spaces only).
    pub async fn newsletter_activity(
        &self,
        community: CommunityId,
        since: Millis,
        until: Millis,
    ) -> Result<NewsletterActivity> {
        let ids = |sql: String, limit: i64| async move {
            let rows: Vec<(i64,)> = sqlx::query_as(AssertSqlSafe(sql))
                .bind(community)
                .bind(since)
                .bind(until)
                .bind(limit)
                .fetch_all(&self.pool)
                .await
                .or_internal()?;
            Ok::<_, Error>(rows.into_iter().map(|(id,)| id).collect::<Vec<_>>())
        };
        // Only the shared spaces make news: circles and conversations are their people's.
        let news_spaces = crate::ledger::shared_spaces_sql();
        Ok(NewsletterActivity {
            highlights: ids(
                format!(
                    "SELECT id FROM threads WHERE community_id = $1 AND deleted_at IS NULL AND hidden_at IS NULL AND space IN {news_spaces} \
                     AND kind <> 'resource' AND created_at >= $2 AND created_at < $3 \
                     ORDER BY reply_count DESC, created_at DESC, id DESC LIMIT $4"
                ),
                5,
            )
            .await?,
            answers: ids(
                format!(
                    "SELECT id FROM (SELECT r.id, r.created_at, \
                     (SELECT COUNT(*) FROM helpful_marks h WHERE h.reply_id = r.id) \
                     + CASE WHEN t.accepted_reply_id = r.id THEN 2 ELSE 0 END AS score \
                     FROM replies r JOIN threads t ON t.id = r.thread_id \
                     WHERE r.community_id = $1 AND r.deleted_at IS NULL AND t.deleted_at IS NULL AND r.hidden_at IS NULL AND t.hidden_at IS NULL \
                     AND t.space IN {news_spaces} AND r.created_at >= $2 AND r.created_at < $3) s \
                     WHERE score > 0 ORDER BY score DESC, created_at DESC, id DESC LIMIT $4"
                ),
                5,
            )
            .await?,
            library: ids(
                format!(
                    "SELECT id FROM threads WHERE community_id = $1 AND deleted_at IS NULL AND hidden_at IS NULL AND space IN {news_spaces} \
                     AND kind = 'resource' AND created_at >= $2 AND created_at < $3 \
                     ORDER BY created_at DESC, id DESC LIMIT $4"
                ),
                8,
            )
            .await?,
            stories: ids(
                "SELECT id FROM value_stories WHERE community_id = $1 AND visibility = 'community' AND hidden_at IS NULL \
                 AND created_at >= $2 AND created_at < $3 ORDER BY created_at DESC, id DESC LIMIT $4"
                    .to_string(),
                5,
            )
            .await?,
            newcomers: ids(
                "SELECT a.id FROM memberships m JOIN accounts a ON a.id = m.account_id \
                 WHERE m.community_id = $1 AND m.role <> 'observer' AND a.suspended_at IS NULL \
                 AND m.joined_at >= $2 AND m.joined_at < $3 ORDER BY m.joined_at, a.id LIMIT $4"
                    .to_string(),
                20,
            )
            .await?
            .into_iter()
            .map(AccountId)
            .collect(),
        })
    }

    /// How a run's deliveries went: (sent, failed, being sent).
    pub async fn delivery_counts(&self, run: &str) -> Result<(i64, i64, i64)> {
        let row: (Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN status = 'sending' THEN 1 ELSE 0 END) FROM email_deliveries WHERE run = $1",
        )
        .bind(run)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok((row.0.unwrap_or(0), row.1.unwrap_or(0), row.2.unwrap_or(0)))
    }

    /// The communities this person is in or follows, by name, and whether they get each one's
    /// newsletter: (community, slug, name, subscribed).
    pub async fn newsletter_choices(
        &self,
        account: AccountId,
    ) -> Result<Vec<(CommunityId, String, String, bool)>> {
        let rows: Vec<(CommunityId, String, String, i64)> = sqlx::query_as(
            "SELECT c.id, c.slug, c.name, CASE WHEN o.account_id IS NULL THEN 1 ELSE 0 END \
             FROM memberships m JOIN communities c ON c.id = m.community_id \
             LEFT JOIN newsletter_optouts o ON o.account_id = m.account_id AND o.community_id = m.community_id \
             WHERE m.account_id = $1 ORDER BY c.name, c.id LIMIT 500",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(|(id, slug, name, on)| (id, slug, name, on == 1))
            .collect())
    }
}

impl Write {
    /// Starts sending: a draft or scheduled issue becomes `sending`, dated now. False when it
    /// was not (another node or click got there first).
    pub async fn start_newsletter(&mut self, id: i64) -> Result<bool> {
        let now = self.now();
        let done = sqlx::query(
            "UPDATE newsletters SET status = 'sending', sent_at = $2, send_at = COALESCE(send_at, $2), updated_at = $2 \
             WHERE id = $1 AND status IN ('draft', 'scheduled')",
        )
        .bind(id)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(done.rows_affected() == 1)
    }

    /// Opts in or out of a community's newsletter.
    pub async fn set_newsletter_optout(
        &mut self,
        account: AccountId,
        community: CommunityId,
        out: bool,
    ) -> Result<()> {
        let q = if out {
            sqlx::query(
                "INSERT INTO newsletter_optouts (account_id, community_id, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (account_id, community_id) DO NOTHING",
            )
            .bind(account)
            .bind(community)
            .bind(self.now())
        } else {
            sqlx::query(
                "DELETE FROM newsletter_optouts WHERE account_id = $1 AND community_id = $2",
            )
            .bind(account)
            .bind(community)
        };
        q.execute(self.conn()).await.or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Starts sending a draft or scheduled issue. False when it is going out already or gone.
    fn start_newsletter(&self, id: i64) -> bool;

    /// Opts in or out of a community's newsletter.
    fn set_newsletter_optout(&self, account: AccountId, community: CommunityId, out: bool) -> ();
}
