//! E-mail: digest cadences, the data a batch of digests is made from — read with a fixed number
//! of queries per batch, whatever its size — and deliveries, one row per message that must go
//! out once.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::email::DigestCadence;
use copse_core::domain::{AccountId, CommunityId, Role};

use crate::write::write_alone;
use crate::{Store, Write};

/// Someone a digest may go to.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Recipient {
    pub id: AccountId,
    pub email: String,
    pub display_name: String,
    pub is_admin: i64,
}

/// What a batch of recipients (accounts `lo..=hi`) brings with it.
#[derive(Debug, Clone, Default)]
pub struct RecipientFacts {
    /// (account, community, role, joined at)
    pub memberships: Vec<(AccountId, CommunityId, Role, Millis)>,
    /// (account, circle)
    pub circles: Vec<(AccountId, i64)>,
    /// (account, label)
    pub expertise: Vec<(AccountId, String)>,
    /// (account, topic)
    pub followed_topics: Vec<(AccountId, i64)>,
    /// (account, community, last visit)
    pub last_visits: Vec<(AccountId, CommunityId, Millis)>,
}

/// A thread started in a digest's period.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NewThreadRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub space: String,
    pub circle_id: Option<i64>,
    pub kind: String,
    pub author_id: AccountId,
    pub title: String,
    pub accepted_reply_id: Option<i64>,
    pub created_at: Millis,
}

/// A value story told in a digest's period (what a digest line needs).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NewStoryRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub author_id: AccountId,
    pub visibility: String,
    pub circle_id: Option<i64>,
    pub took: String,
    pub created_at: Millis,
}

/// A question whose answer was accepted in a digest's period.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AnsweredRow {
    pub id: i64,
    pub community_id: CommunityId,
    pub space: String,
    pub circle_id: Option<i64>,
    pub author_id: AccountId,
    pub title: String,
    pub accepted_reply_id: i64,
    /// Who wrote the accepted answer (they are told by a notification of their own).
    pub answerer_id: AccountId,
    pub accepted_at: Millis,
}

/// The questions answered in a period, and who of a batch follows them.
#[derive(Debug, Clone, Default)]
pub struct Answered {
    pub questions: Vec<AnsweredRow>,
    /// (account, question): the batch's people who replied to it.
    pub repliers: Vec<(AccountId, i64)>,
    /// (question, topic)
    pub topics: Vec<(i64, i64)>,
}

/// A run of deliveries and how it went.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct DeliveryRun {
    pub run: String,
    pub kind: String,
    pub sent: i64,
    pub failed: i64,
    pub sending: i64,
    pub last: Millis,
}

/// A message that could not be delivered.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct FailedDelivery {
    pub key: String,
    pub run: String,
    pub account_id: AccountId,
    pub handle: String,
    pub error: String,
    pub updated_at: Millis,
}

/// Limits on what one period's digests read: the newest first beyond them.
const MAX_PERIOD_ROWS: i64 = 5_000;

impl Store {
    /// A person's digest cadence (weekly unless they chose).
    pub async fn digest_cadence(&self, account: AccountId) -> Result<DigestCadence> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT digest FROM email_settings WHERE account_id = $1")
                .bind(account)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        row.map_or(Ok(DigestCadence::Weekly), |(d,)| DigestCadence::parse(&d))
    }

    /// The next batch of people on this cadence after `after`, by id: not suspended, and in
    /// (or following) at least one community.
    pub async fn digest_recipients(
        &self,
        cadence: DigestCadence,
        after: AccountId,
        limit: i64,
    ) -> Result<Vec<Recipient>> {
        sqlx::query_as(
            "SELECT a.id, a.email, a.display_name, a.is_admin FROM accounts a \
             LEFT JOIN email_settings es ON es.account_id = a.id \
             WHERE a.id > $1 AND a.suspended_at IS NULL AND a.email_verified_at IS NOT NULL \
             AND COALESCE(es.digest, 'weekly') = $2 \
             AND EXISTS (SELECT 1 FROM memberships m WHERE m.account_id = a.id) \
             ORDER BY a.id LIMIT $3",
        )
        .bind(after)
        .bind(cadence.as_str())
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Memberships, circles, expertise, followed topics and last visits of the accounts with
    /// ids in `lo..=hi`: five queries for the whole batch.
    pub async fn recipient_facts(&self, lo: AccountId, hi: AccountId) -> Result<RecipientFacts> {
        let memberships: Vec<(AccountId, CommunityId, String, i64)> = sqlx::query_as(
            "SELECT account_id, community_id, role, joined_at FROM memberships WHERE account_id BETWEEN $1 AND $2",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let pairs = |sql: &'static str| async move {
            sqlx::query_as::<_, (AccountId, i64)>(sql)
                .bind(lo)
                .bind(hi)
                .fetch_all(&self.pool)
                .await
                .or_internal()
        };
        let circles = pairs(
            "SELECT account_id, circle_id FROM circle_members WHERE account_id BETWEEN $1 AND $2",
        )
        .await?;
        let followed_topics = pairs(
            "SELECT account_id, topic_id FROM topic_follows WHERE account_id BETWEEN $1 AND $2",
        )
        .await?;
        let expertise: Vec<(AccountId, String)> = sqlx::query_as(
            "SELECT account_id, label FROM account_expertise WHERE account_id BETWEEN $1 AND $2",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let last_visits: Vec<(AccountId, CommunityId, i64)> = sqlx::query_as(
            "SELECT account_id, community_id, MAX(at) FROM activity \
             WHERE kind = 'visit' AND account_id BETWEEN $1 AND $2 GROUP BY account_id, community_id",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(RecipientFacts {
            memberships: memberships
                .into_iter()
                .map(|(a, c, role, at)| Ok((a, c, Role::parse(&role)?, at)))
                .collect::<Result<_>>()?,
            circles,
            expertise,
            followed_topics,
            last_visits,
        })
    }

    /// Threads started in `[since, until)` in any community, newest first, with their topics
    /// as (thread, topic id, topic name): two queries.
    pub async fn threads_started_between(
        &self,
        since: Millis,
        until: Millis,
    ) -> Result<(Vec<NewThreadRow>, Vec<(i64, i64, String)>)> {
        let threads: Vec<NewThreadRow> = sqlx::query_as(
            "SELECT id, community_id, space, circle_id, kind, author_id, title, accepted_reply_id, created_at \
             FROM threads WHERE deleted_at IS NULL AND hidden_at IS NULL AND created_at >= $1 AND created_at < $2 \
             ORDER BY created_at DESC, id DESC LIMIT $3",
        )
        .bind(since)
        .bind(until)
        .bind(MAX_PERIOD_ROWS)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let topics: Vec<(i64, i64, String)> = sqlx::query_as(
            "SELECT tt.thread_id, tp.id, tp.name FROM thread_topics tt JOIN topics tp ON tp.id = tt.topic_id \
             JOIN threads t ON t.id = tt.thread_id \
             WHERE t.deleted_at IS NULL AND t.hidden_at IS NULL AND t.created_at >= $1 AND t.created_at < $2",
        )
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok((threads, topics))
    }

    /// Questions whose answer was accepted in `[since, until)`, newest first, with the
    /// accounts `lo..=hi` who replied to them and their topics: three queries.
    pub async fn questions_answered_between(
        &self,
        since: Millis,
        until: Millis,
        lo: AccountId,
        hi: AccountId,
    ) -> Result<Answered> {
        let questions: Vec<AnsweredRow> = sqlx::query_as(
            "SELECT t.id, t.community_id, t.space, t.circle_id, t.author_id, t.title, t.accepted_reply_id, \
             r.author_id AS answerer_id, t.accepted_at FROM threads t JOIN replies r ON r.id = t.accepted_reply_id \
             WHERE t.deleted_at IS NULL AND t.hidden_at IS NULL AND t.accepted_at >= $1 AND t.accepted_at < $2 \
             ORDER BY t.accepted_at DESC, t.id DESC LIMIT $3",
        )
        .bind(since)
        .bind(until)
        .bind(MAX_PERIOD_ROWS)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let repliers: Vec<(AccountId, i64)> = sqlx::query_as(
            "SELECT DISTINCT r.author_id, r.thread_id FROM replies r JOIN threads t ON t.id = r.thread_id \
             WHERE t.deleted_at IS NULL AND r.deleted_at IS NULL AND t.hidden_at IS NULL AND r.hidden_at IS NULL AND t.accepted_at >= $1 AND t.accepted_at < $2 \
             AND r.author_id BETWEEN $3 AND $4",
        )
        .bind(since)
        .bind(until)
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let topics: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT tt.thread_id, tt.topic_id FROM thread_topics tt JOIN threads t ON t.id = tt.thread_id \
             WHERE t.deleted_at IS NULL AND t.hidden_at IS NULL AND t.accepted_at >= $1 AND t.accepted_at < $2",
        )
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(Answered {
            questions,
            repliers,
            topics,
        })
    }

    /// Value stories told in `[since, until)` in any community, newest first.
    pub async fn stories_told_between(
        &self,
        since: Millis,
        until: Millis,
    ) -> Result<Vec<NewStoryRow>> {
        sqlx::query_as(
            "SELECT id, community_id, author_id, visibility, circle_id, took, created_at FROM value_stories \
             WHERE created_at >= $1 AND created_at < $2 AND hidden_at IS NULL ORDER BY created_at DESC, id DESC LIMIT $3",
        )
        .bind(since)
        .bind(until)
        .bind(MAX_PERIOD_ROWS)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// People who joined a community (as members, not observers) in `[since, until)`:
    /// (community, account, display name).
    pub async fn newcomers_between(
        &self,
        since: Millis,
        until: Millis,
    ) -> Result<Vec<(CommunityId, AccountId, String)>> {
        sqlx::query_as(
            "SELECT m.community_id, a.id, a.display_name FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.joined_at >= $1 AND m.joined_at < $2 AND m.role <> 'observer' AND a.suspended_at IS NULL \
             ORDER BY m.joined_at LIMIT $3",
        )
        .bind(since)
        .bind(until)
        .bind(MAX_PERIOD_ROWS)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Claims the message with this key for sending: true when it is new, or when an earlier
    /// attempt failed or was left `sending` longer than `stale_ms` ago (its node died).
    pub async fn claim_delivery(
        &self,
        key: &str,
        run: &str,
        account: AccountId,
        kind: &str,
        items: i64,
        stale_ms: i64,
    ) -> Result<bool> {
        let now = self.now();
        let inserted = sqlx::query(
            "INSERT INTO email_deliveries (key, run, account_id, kind, status, items, created_at, updated_at) \
             VALUES ($1, $6, $2, $3, 'sending', $4, $5, $5) ON CONFLICT (key) DO NOTHING",
        )
        .bind(key)
        .bind(account)
        .bind(kind)
        .bind(items)
        .bind(now)
        .bind(run)
        .execute(&self.pool)
        .await
        .or_internal()?;
        if inserted.rows_affected() == 1 {
            return Ok(true);
        }
        let retaken = sqlx::query(
            "UPDATE email_deliveries SET status = 'sending', error = NULL, items = $3, updated_at = $2 \
             WHERE key = $1 AND (status = 'failed' OR (status = 'sending' AND updated_at < $4))",
        )
        .bind(key)
        .bind(now)
        .bind(items)
        .bind(now - stale_ms)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(retaken.rows_affected() == 1)
    }

    /// Records how a claimed message went: `sent`, or `failed` with the reason.
    pub async fn finish_delivery(&self, key: &str, error: Option<&str>) -> Result<()> {
        sqlx::query(
            "UPDATE email_deliveries SET status = $2, error = $3, updated_at = $4 WHERE key = $1",
        )
        .bind(key)
        .bind(if error.is_some() { "failed" } else { "sent" })
        .bind(error.map(|e| e.chars().take(500).collect::<String>()))
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// The latest runs (digest periods, notifications) with how many deliveries were sent,
    /// failed or are being sent.
    pub async fn delivery_runs(&self, limit: i64) -> Result<Vec<DeliveryRun>> {
        sqlx::query_as(
            "SELECT run, kind, SUM(CASE WHEN status = 'sent' THEN 1 ELSE 0 END) AS sent, \
             SUM(CASE WHEN status = 'failed' THEN 1 ELSE 0 END) AS failed, \
             SUM(CASE WHEN status = 'sending' THEN 1 ELSE 0 END) AS sending, MAX(updated_at) AS last \
             FROM email_deliveries GROUP BY run, kind ORDER BY MAX(updated_at) DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// Failed deliveries, newest first, with their reasons.
    pub async fn failed_deliveries(&self, limit: i64) -> Result<Vec<FailedDelivery>> {
        sqlx::query_as(
            "SELECT d.key, d.run, d.account_id, a.handle, COALESCE(d.error, '') AS error, d.updated_at \
             FROM email_deliveries d JOIN accounts a ON a.id = d.account_id \
             WHERE d.status = 'failed' ORDER BY d.updated_at DESC, d.id DESC LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// The community ids and visibility facts of every community (for a batch's policy checks).
    pub async fn community_ids_in_use(
        &self,
        lo: AccountId,
        hi: AccountId,
    ) -> Result<Vec<CommunityId>> {
        let rows: Vec<(CommunityId,)> = sqlx::query_as(
            "SELECT DISTINCT community_id FROM memberships WHERE account_id BETWEEN $1 AND $2 ORDER BY community_id",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(|(c,)| c).collect())
    }
}

impl Store {
    /// How each kind of notification reaches this person (the stored choices; see
    /// `copse_core::domain::email::modes_from`).
    pub async fn email_kinds(&self, account: AccountId) -> Result<String> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT kinds FROM email_settings WHERE account_id = $1")
                .bind(account)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(row.map(|(k,)| k).unwrap_or_default())
    }

    /// Where the named pass through notifications has got to.
    pub async fn email_cursor(&self, name: &str) -> Result<i64> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT last_id FROM email_cursors WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(row.map_or(0, |(n,)| n))
    }

    /// Moves the cursor forward (never back: nodes racing each other only ever advance it).
    pub async fn advance_email_cursor(&self, name: &str, to: i64) -> Result<()> {
        sqlx::query(
            "INSERT INTO email_cursors (name, last_id) VALUES ($1, $2) \
             ON CONFLICT (name) DO UPDATE SET last_id = excluded.last_id WHERE email_cursors.last_id < excluded.last_id",
        )
        .bind(name)
        .bind(to)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Notifications after `after` made by `made_before`, oldest first, with how their account
    /// wants each kind e-mailed: (id, account, kind, stored modes).
    pub async fn notifications_to_mail(
        &self,
        after: i64,
        made_before: Millis,
        limit: i64,
    ) -> Result<Vec<(i64, AccountId, String, String)>> {
        sqlx::query_as(
            "SELECT n.id, n.account_id, n.kind, COALESCE(es.kinds, '') FROM notifications n \
             LEFT JOIN email_settings es ON es.account_id = n.account_id \
             WHERE n.id > $1 AND n.created_at <= $2 ORDER BY n.id LIMIT $3",
        )
        .bind(after)
        .bind(made_before)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// The stored e-mail modes of the accounts `lo..=hi` that chose any.
    pub async fn email_kinds_between(
        &self,
        lo: AccountId,
        hi: AccountId,
    ) -> Result<std::collections::HashMap<AccountId, String>> {
        let rows: Vec<(AccountId, String)> = sqlx::query_as(
            "SELECT account_id, kinds FROM email_settings WHERE account_id BETWEEN $1 AND $2 AND kinds <> ''",
        )
        .bind(lo)
        .bind(hi)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().collect())
    }
}

impl Write {
    pub async fn set_digest_cadence(
        &mut self,
        account: AccountId,
        cadence: DigestCadence,
    ) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO email_settings (account_id, digest, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at",
        )
        .bind(account)
        .bind(cadence.as_str())
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// Stores how each kind of notification reaches this person (see
    /// `copse_core::domain::email::modes_to`).
    pub async fn set_email_kinds(&mut self, account: AccountId, kinds: &str) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO email_settings (account_id, digest, kinds, updated_at) VALUES ($1, 'weekly', $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET kinds = excluded.kinds, updated_at = excluded.updated_at",
        )
        .bind(account)
        .bind(kinds)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}

write_alone! {
    fn set_digest_cadence(&self, account: AccountId, cadence: DigestCadence) -> ();
    fn set_email_kinds(&self, account: AccountId, kinds: &str) -> ();
}
