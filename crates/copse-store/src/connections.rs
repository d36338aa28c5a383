//! Connection requests ("I'd like to talk about X"), their answers, and the meeting times proposed
//! once one is accepted.

use chrono::NaiveDateTime;
use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::{AccountId, CommunityId, EventId, Person};
use copse_core::{Error, Result};

use crate::rows::LOCAL;
use crate::{Store, Write};
use copse_core::domain::{Connection, ConversationId, Proposal};

type ConnectionRow = (
    i64,
    i64,
    i64,
    String,
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<i64>,
    Option<i64>,
    i64,
);

const CONNECTION_SELECT: &str = "SELECT c.id, c.community_id, f.id, f.handle, f.display_name, t.id, t.handle, t.display_name, \
    c.topic, c.message, c.status, c.conversation_id, c.event_id, c.created_at \
    FROM connections c JOIN accounts f ON f.id = c.from_id JOIN accounts t ON t.id = c.to_id";

fn connection(r: ConnectionRow) -> Connection {
    Connection {
        id: r.0,
        community_id: CommunityId(r.1),
        from: Person {
            id: AccountId(r.2),
            handle: r.3,
            display_name: r.4,
        },
        to: Person {
            id: AccountId(r.5),
            handle: r.6,
            display_name: r.7,
        },
        topic: r.8,
        message: r.9,
        status: r.10,
        conversation_id: r.11,
        event_id: r.12,
        created_at: r.13,
    }
}

impl Store {
    pub async fn create_connection(
        &self,
        community: CommunityId,
        from: AccountId,
        to: AccountId,
        topic: &str,
        message: &str,
    ) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO connections (community_id, from_id, to_id, topic, message, status, created_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6) RETURNING id",
        )
        .bind(community)
        .bind(from)
        .bind(to)
        .bind(topic)
        .bind(message)
        .bind(self.now())
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(id)
    }

    pub async fn connection(&self, id: i64) -> Result<Option<Connection>> {
        let sql = format!("{CONNECTION_SELECT} WHERE c.id = $1");
        let row: Option<ConnectionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        Ok(row.map(connection))
    }

    /// Requests the account sent or received, newest first (at most 200).
    pub async fn connections_of(&self, account: AccountId) -> Result<Vec<Connection>> {
        let sql = format!(
            "{CONNECTION_SELECT} WHERE c.from_id = $1 OR c.to_id = $1 ORDER BY c.created_at DESC, c.id DESC LIMIT 200"
        );
        let rows: Vec<ConnectionRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(account)
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        Ok(rows.into_iter().map(connection).collect())
    }

    /// Whether a pending request from `from` to `to` exists.
    pub async fn pending_connection(&self, from: AccountId, to: AccountId) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT id FROM connections WHERE from_id = $1 AND to_id = $2 AND status = 'pending' LIMIT 1",
        )
        .bind(from)
        .bind(to)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.is_some())
    }

    /// How many requests the account sent since `since` (for the daily limit).
    pub async fn connections_sent_since(&self, account: AccountId, since: Millis) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM connections WHERE from_id = $1 AND created_at >= $2",
        )
        .bind(account)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(n)
    }

    pub async fn add_proposal(
        &self,
        connection: i64,
        by: AccountId,
        time_zone: &str,
        start: NaiveDateTime,
        end: NaiveDateTime,
        starts_at: Millis,
    ) -> Result<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO meeting_proposals (connection_id, proposed_by, time_zone, start_local, end_local, starts_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(connection)
        .bind(by)
        .bind(time_zone)
        .bind(start.format(LOCAL).to_string())
        .bind(end.format(LOCAL).to_string())
        .bind(starts_at)
        .bind(self.now())
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(id)
    }

    pub async fn proposals(&self, connection: i64) -> Result<Vec<Proposal>> {
        let rows: Vec<(i64, i64, String, String, String, i64)> = sqlx::query_as(
            "SELECT id, proposed_by, time_zone, start_local, end_local, starts_at FROM meeting_proposals \
             WHERE connection_id = $1 ORDER BY starts_at, id LIMIT 50",
        )
        .bind(connection)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter()
            .map(|(id, proposed_by, time_zone, s, e, starts_at)| {
                let parse = |t: &str| {
                    NaiveDateTime::parse_from_str(t, LOCAL)
                        .map_err(|_| Error::internal("stored proposal has an invalid time"))
                };
                Ok(Proposal {
                    id,
                    proposed_by: AccountId(proposed_by),
                    time_zone,
                    start_local: parse(&s)?,
                    end_local: parse(&e)?,
                    starts_at,
                })
            })
            .collect()
    }
}

impl Write {
    /// Sets the outcome of a pending request; fails with a conflict when it is no longer pending.
    pub async fn decide_connection(
        &mut self,
        id: i64,
        status: &str,
        conversation: Option<ConversationId>,
    ) -> Result<()> {
        let done = sqlx::query(
            "UPDATE connections SET status = $2, conversation_id = $3, decided_at = $4 WHERE id = $1 AND status = 'pending'",
        )
        .bind(id)
        .bind(status)
        .bind(conversation)
        .bind(self.now())
        .execute(self.conn())
        .await
        .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::conflict("This request was already answered."));
        }
        Ok(())
    }

    /// Records the meeting that came of a connection.
    pub async fn set_connection_event(&mut self, id: i64, event: EventId) -> Result<()> {
        let done =
            sqlx::query("UPDATE connections SET event_id = $2 WHERE id = $1 AND event_id IS NULL")
                .bind(id)
                .bind(event)
                .execute(self.conn())
                .await
                .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::conflict("A meeting time was already picked."));
        }
        Ok(())
    }
}

crate::write::write_alone! {
    /// Sets the outcome of a pending request; fails with a conflict when it is no longer pending.
    fn decide_connection(&self, id: i64, status: &str, conversation: Option<ConversationId>) -> ();
    /// Records the meeting that came of a connection.
    fn set_connection_event(&self, id: i64, event: EventId) -> ();
}
