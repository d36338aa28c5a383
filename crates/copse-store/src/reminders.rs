//! What reminders and personal calendars need: each member's reminder times, their one-click
//! unsubscribe token, their calendar feed secret, and who is going to what.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::{AccountId, EventId};
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::Store;
use copse_core::domain::RsvpStatus;

/// Reminder times when a member has not chosen: a day and an hour before.
pub const DEFAULT_REMINDER_MINUTES: [i64; 2] = [24 * 60, 60];

fn encode(minutes: &[i64]) -> String {
    minutes
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

fn decode(raw: &str) -> Vec<i64> {
    raw.split(',')
        .filter_map(|m| m.trim().parse().ok())
        .collect()
}

fn new_token() -> String {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).expect("operating system randomness");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Someone going to an occurrence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoingEntry {
    pub event: EventId,
    pub key: Millis,
    pub account: AccountId,
}

impl Store {
    /// Minutes before an occurrence a member wants reminders at; empty when off.
    pub async fn reminder_minutes(&self, account: AccountId) -> Result<Vec<i64>> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT offsets FROM reminder_settings WHERE account_id = $1")
                .bind(account)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(match row {
            Some((raw,)) => decode(&raw),
            None => DEFAULT_REMINDER_MINUTES.to_vec(),
        })
    }

    /// Sets a member's reminder times (empty: off).
    pub async fn set_reminder_minutes(&self, account: AccountId, minutes: &[i64]) -> Result<()> {
        sqlx::query(
            "INSERT INTO reminder_settings (account_id, offsets, unsubscribe_token, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id) DO UPDATE SET offsets = excluded.offsets, updated_at = excluded.updated_at",
        )
        .bind(account)
        .bind(encode(minutes))
        .bind(new_token())
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// The member's one-click unsubscribe token, made on first use.
    pub async fn unsubscribe_token(&self, account: AccountId) -> Result<String> {
        sqlx::query(
            "INSERT INTO reminder_settings (account_id, offsets, unsubscribe_token, updated_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account_id) DO NOTHING",
        )
        .bind(account)
        .bind(encode(&DEFAULT_REMINDER_MINUTES))
        .bind(new_token())
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        let (token,): (String,) =
            sqlx::query_as("SELECT unsubscribe_token FROM reminder_settings WHERE account_id = $1")
                .bind(account)
                .fetch_one(&self.pool)
                .await
                .or_internal()?;
        Ok(token)
    }

    /// The unsubscribe tokens of these accounts (made for those without one), in two queries
    /// whatever their number — for a batch of digests.
    pub async fn unsubscribe_tokens(
        &self,
        accounts: &[AccountId],
    ) -> Result<std::collections::HashMap<AccountId, String>> {
        if accounts.is_empty() {
            return Ok(Default::default());
        }
        let (lo, hi) = (
            *accounts.iter().min().unwrap_or(&AccountId(0)),
            *accounts.iter().max().unwrap_or(&AccountId(0)),
        );
        let read = || async {
            sqlx::query_as::<_, (AccountId, String)>(
                "SELECT account_id, unsubscribe_token FROM reminder_settings WHERE account_id BETWEEN $1 AND $2",
            )
            .bind(lo)
            .bind(hi)
            .fetch_all(&self.pool)
            .await
            .or_internal()
        };
        let mut tokens: std::collections::HashMap<AccountId, String> =
            read().await?.into_iter().collect();
        let missing: Vec<AccountId> = accounts
            .iter()
            .copied()
            .filter(|a| !tokens.contains_key(a))
            .collect();
        if !missing.is_empty() {
            let rows: Vec<String> = (0..missing.len())
                .map(|i| format!("(${}, $1, ${}, $2)", 3 + 2 * i, 4 + 2 * i))
                .collect();
            let sql = format!(
                "INSERT INTO reminder_settings (account_id, offsets, unsubscribe_token, updated_at) VALUES {} \
                 ON CONFLICT (account_id) DO NOTHING",
                rows.join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql))
                .bind(encode(&DEFAULT_REMINDER_MINUTES))
                .bind(self.now());
            for a in &missing {
                q = q.bind(*a).bind(new_token());
            }
            q.execute(&self.pool).await.or_internal()?;
            tokens = read().await?.into_iter().collect();
        }
        Ok(tokens)
    }

    /// Whose unsubscribe token this is.
    pub async fn account_of_unsubscribe_token(&self, token: &str) -> Result<AccountId> {
        let row: Option<(AccountId,)> =
            sqlx::query_as("SELECT account_id FROM reminder_settings WHERE unsubscribe_token = $1")
                .bind(token)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        row.map(|(a,)| a).ok_or(Error::NotFound)
    }

    /// Turns reminders off for the owner of an unsubscribe token.
    pub async fn unsubscribe(&self, token: &str) -> Result<AccountId> {
        let row: Option<(AccountId,)> = sqlx::query_as(
            "UPDATE reminder_settings SET offsets = '', updated_at = $2 WHERE unsubscribe_token = $1 RETURNING account_id",
        )
        .bind(token)
        .bind(self.now())
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        row.map(|(a,)| a).ok_or(Error::NotFound)
    }

    /// Stores (replacing any earlier) the hash of a member's calendar feed secret.
    pub async fn set_calendar_token(&self, account: AccountId, hash: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO calendar_tokens (account_id, token_hash, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (account_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at",
        )
        .bind(account)
        .bind(hash)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Revokes a member's calendar feed: its address stops working at once.
    pub async fn revoke_calendar_token(&self, account: AccountId) -> Result<()> {
        sqlx::query("DELETE FROM calendar_tokens WHERE account_id = $1")
            .bind(account)
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }

    /// When the member's current calendar secret was made, if there is one.
    pub async fn calendar_token_created(&self, account: AccountId) -> Result<Option<Millis>> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT created_at FROM calendar_tokens WHERE account_id = $1")
                .bind(account)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(row.map(|(t,)| t))
    }

    /// The owner of a calendar secret (by its hash).
    pub async fn calendar_token_owner(&self, hash: &str) -> Result<Option<AccountId>> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT account_id FROM calendar_tokens WHERE token_hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(row.map(|(a,)| a).map(AccountId))
    }

    /// Everyone going to occurrences with keys in `[from, to)` of events not deleted (at most
    /// 20,000): the candidates for reminders.
    pub async fn going_between(&self, from: Millis, to: Millis) -> Result<Vec<GoingEntry>> {
        let rows: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT r.event_id, r.occurrence_start, r.account_id FROM rsvps r JOIN events e ON e.id = r.event_id \
             JOIN communities c ON c.id = e.community_id \
             WHERE r.status = 'going' AND r.occurrence_start >= $1 AND r.occurrence_start < $2 AND e.deleted_at IS NULL \
             AND c.archived_at IS NULL \
             ORDER BY r.occurrence_start, r.id LIMIT 20000",
        )
        .bind(from)
        .bind(to)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(|(event, key, account)| GoingEntry {
                event,
                key,
                account: AccountId(account),
            })
            .collect())
    }

    /// One member's answer to one occurrence.
    pub async fn rsvp_of(
        &self,
        event: EventId,
        key: Millis,
        account: AccountId,
    ) -> Result<Option<RsvpStatus>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT status FROM rsvps WHERE event_id = $1 AND occurrence_start = $2 AND account_id = $3",
        )
        .bind(event)
        .bind(key)
        .bind(account)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        row.map(|(s,)| RsvpStatus::parse(&s)).transpose()
    }

    /// A member's answers to occurrences of the given events with keys at or after `from`
    /// (at most 5,000), as (event, key, status).
    pub async fn answers_of(
        &self,
        account: AccountId,
        events: &[EventId],
        from: Millis,
    ) -> Result<Vec<(EventId, Millis, RsvpStatus)>> {
        if events.is_empty() {
            return Ok(Vec::new());
        }
        let list = (3..events.len() + 3)
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT event_id, occurrence_start, status FROM rsvps WHERE account_id = $1 AND occurrence_start >= $2 \
             AND event_id IN ({list}) ORDER BY occurrence_start LIMIT 5000"
        );
        let mut query = sqlx::query_as::<_, (i64, i64, String)>(AssertSqlSafe(sql))
            .bind(account)
            .bind(from);
        for id in events {
            query = query.bind(*id);
        }
        query
            .fetch_all(&self.pool)
            .await
            .or_internal()?
            .into_iter()
            .map(|(e, k, s)| Ok((e, k, RsvpStatus::parse(&s)?)))
            .collect()
    }
}
