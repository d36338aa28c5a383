//! Changing events after they are planned: editing and deleting a series, splitting it at an
//! occurrence ("this and following"), changing one occurrence on its own (moved, cancelled,
//! notes, recap), and attendance.
//!
//! Occurrences are identified by the start the rule gives them (their key). When a series'
//! schedule changes, the answers, overrides and attendance of its occurrences follow them by
//! position: the n-th occurrence of the old schedule becomes the n-th of the new one.

use copse_core::OrInternal;
use std::collections::HashMap;

use chrono::NaiveDateTime;
use copse_core::clock::Millis;
use copse_core::domain::recurrence::Recurrence;
use copse_core::domain::{AccountId, Event, EventId, NewEvent, OccurrenceOverride, Person};
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::rows::LOCAL;
use crate::{Store, Write, db_err, flag};
use copse_core::domain::{AttendanceEntry, Attendee};

/// Rows are moved through this offset while being re-keyed, so that no two ever share a key.
const REKEY_OFFSET: i64 = 4_000_000_000_000_000;

/// Tables whose rows belong to one occurrence of an event.
const OCCURRENCE_TABLES: [&str; 3] = ["rsvps", "occurrence_overrides", "attendance"];

/// One change to one occurrence.
#[derive(Debug, Clone)]
pub enum OccurrenceChange {
    Cancel(bool),
    /// New local start and end, or back to the schedule.
    Move(Option<(NaiveDateTime, NaiveDateTime)>),
    Notes(Option<String>),
    Recap {
        text: Option<String>,
        thread: Option<i64>,
        by: AccountId,
    },
}

/// id, account id, handle, display name, walk-in name, checked in at.
type AttendanceRow = (
    i64,
    Option<i64>,
    Option<String>,
    Option<String>,
    Option<String>,
    i64,
);

#[derive(sqlx::FromRow)]
struct OverrideRow {
    event_id: i64,
    occurrence_start: i64,
    cancelled: i64,
    moved_start_local: Option<String>,
    moved_end_local: Option<String>,
    notes: Option<String>,
    recap: Option<String>,
    recap_thread_id: Option<i64>,
    sequence: i64,
}

fn local(raw: &str) -> Result<NaiveDateTime> {
    NaiveDateTime::parse_from_str(raw, LOCAL)
        .map_err(|_| Error::internal("stored occurrence has an invalid time"))
}

fn in_list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Write {
    /// Changes one occurrence on its own.
    pub async fn change_occurrence(
        &mut self,
        event: EventId,
        key: Millis,
        change: &OccurrenceChange,
    ) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "INSERT INTO occurrence_overrides (event_id, occurrence_start, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (event_id, occurrence_start) DO NOTHING",
        )
        .bind(event)
        .bind(key)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        let set = match change {
            OccurrenceChange::Cancel(c) => sqlx::query(
                "UPDATE occurrence_overrides SET cancelled = $3, sequence = sequence + 1, updated_at = $4 \
                 WHERE event_id = $1 AND occurrence_start = $2",
            )
            .bind(event)
            .bind(key)
            .bind(flag(*c))
            .bind(now),
            OccurrenceChange::Move(to) => sqlx::query(
                "UPDATE occurrence_overrides SET moved_start_local = $3, moved_end_local = $4, \
                 sequence = sequence + 1, updated_at = $5 WHERE event_id = $1 AND occurrence_start = $2",
            )
            .bind(event)
            .bind(key)
            .bind(to.map(|(s, _)| s.format(LOCAL).to_string()))
            .bind(to.map(|(_, e)| e.format(LOCAL).to_string()))
            .bind(now),
            OccurrenceChange::Notes(notes) => sqlx::query(
                "UPDATE occurrence_overrides SET notes = $3, sequence = sequence + 1, updated_at = $4 \
                 WHERE event_id = $1 AND occurrence_start = $2",
            )
            .bind(event)
            .bind(key)
            .bind(notes.clone())
            .bind(now),
            OccurrenceChange::Recap { text, thread, by } => sqlx::query(
                "UPDATE occurrence_overrides SET recap = $3, recap_thread_id = $4, recap_by = $5, updated_at = $6 \
                 WHERE event_id = $1 AND occurrence_start = $2",
            )
            .bind(event)
            .bind(key)
            .bind(text.clone())
            .bind(*thread)
            .bind(*by)
            .bind(now),
        };
        set.execute(self.conn()).await.map_err(db_err)?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Changes one occurrence on its own.
    fn change_occurrence(&self, event: EventId, key: Millis, change: &OccurrenceChange) -> ();
}

impl Store {
    pub(crate) async fn overrides_of(
        &self,
        events: &[EventId],
    ) -> Result<HashMap<EventId, Vec<OccurrenceOverride>>> {
        let mut conn = self.pool.acquire().await.or_internal()?;
        overrides_of_on(&mut conn, events).await
    }

    /// Who was at one occurrence, in the order they were checked in (at most 5,000).
    pub async fn attendance(&self, event: EventId, key: Millis) -> Result<Vec<AttendanceEntry>> {
        let rows: Vec<AttendanceRow> =
            sqlx::query_as(
                "SELECT t.id, a.id, a.handle, a.display_name, t.walk_in_name, t.checked_in_at \
                 FROM attendance t LEFT JOIN accounts a ON a.id = t.account_id \
                 WHERE t.event_id = $1 AND t.occurrence_start = $2 ORDER BY t.checked_in_at, t.id LIMIT 5000",
            )
            .bind(event)
            .bind(key)
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        Ok(rows
            .into_iter()
            .map(|(id, account, handle, name, walk_in, at)| AttendanceEntry {
                id,
                person: match (account, handle, name) {
                    (Some(id), Some(handle), Some(display_name)) => Some(Person {
                        id: AccountId(id),
                        handle,
                        display_name,
                    }),
                    _ => None,
                },
                walk_in_name: walk_in,
                checked_in_at: at,
            })
            .collect())
    }

    /// How many were checked in, per (event, occurrence key), for keys in `[from, to)`.
    pub async fn attendance_counts(
        &self,
        events: &[EventId],
        from: Millis,
        to: Millis,
    ) -> Result<HashMap<(EventId, Millis), i64>> {
        if events.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!(
            "SELECT event_id, occurrence_start, COUNT(*) FROM attendance \
             WHERE occurrence_start >= $1 AND occurrence_start < $2 AND event_id IN ({}) \
             GROUP BY event_id, occurrence_start",
            in_list(3, events.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64, i64)>(AssertSqlSafe(sql))
            .bind(from)
            .bind(to);
        for id in events {
            query = query.bind(*id);
        }
        Ok(query
            .fetch_all(&self.pool)
            .await
            .or_internal()?
            .into_iter()
            .map(|(e, k, n)| ((e, k), n))
            .collect())
    }

    /// The occurrence keys at or after `from` that have answers, overrides or attendance.
    pub async fn occurrence_keys_in_use(
        &self,
        event: EventId,
        from: Millis,
    ) -> Result<Vec<Millis>> {
        let rows: Vec<(i64,)> = sqlx::query_as(
            "SELECT occurrence_start FROM rsvps WHERE event_id = $1 AND occurrence_start >= $2 \
             UNION SELECT occurrence_start FROM occurrence_overrides WHERE event_id = $1 AND occurrence_start >= $2 \
             UNION SELECT occurrence_start FROM attendance WHERE event_id = $1 AND occurrence_start >= $2 \
             ORDER BY 1 LIMIT 5000",
        )
        .bind(event)
        .bind(from)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(|(k,)| k).collect())
    }
}

async fn write_fields(
    tx: &mut sqlx::AnyConnection,
    id: EventId,
    new: &NewEvent,
    now: Millis,
) -> Result<()> {
    sqlx::query(
        "UPDATE events SET space = $2, title = $3, description = $4, time_zone = $5, start_local = $6, \
         end_local = $7, first_start = $8, rule = $9, online_url = $10, place = $11, capacity = $12, \
         sequence = sequence + 1, updated_at = $13 WHERE id = $1",
    )
    .bind(id)
    .bind(new.space.as_str())
    .bind(&new.title)
    .bind(&new.description)
    .bind(new.time_zone.name())
    .bind(new.start_local.format(LOCAL).to_string())
    .bind(new.end_local.format(LOCAL).to_string())
    .bind(new.first_start)
    .bind(new.rule.as_ref().map(Recurrence::to_rrule))
    .bind(&new.online_url)
    .bind(&new.place)
    .bind(new.capacity)
    .bind(now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    Ok(())
}

async fn replace_hosts(
    tx: &mut sqlx::AnyConnection,
    event: &Event,
    hosts: &[AccountId],
) -> Result<()> {
    sqlx::query("DELETE FROM event_hosts WHERE event_id = $1")
        .bind(event.id)
        .execute(&mut *tx)
        .await
        .or_internal()?;
    for host in hosts {
        sqlx::query(
            "INSERT INTO event_hosts (event_id, account_id, community_id) VALUES ($1, $2, $3) \
             ON CONFLICT (event_id, account_id) DO NOTHING",
        )
        .bind(event.id)
        .bind(*host)
        .bind(event.community_id)
        .execute(&mut *tx)
        .await
        .or_internal()?;
    }
    Ok(())
}

/// Moves the occurrence rows of `from_event` with keys at or after `since` to `to_event` under
/// their new keys; rows whose key has no new one are dropped.
async fn rekey(
    tx: &mut sqlx::AnyConnection,
    from_event: EventId,
    to_event: EventId,
    since: Millis,
    mapping: &[(Millis, Millis)],
) -> Result<()> {
    for table in OCCURRENCE_TABLES {
        for (old, new) in mapping {
            let sql = format!(
                "UPDATE {table} SET event_id = $1, occurrence_start = $2 WHERE event_id = $3 AND occurrence_start = $4"
            );
            sqlx::query(AssertSqlSafe(sql))
                .bind(to_event)
                .bind(new + REKEY_OFFSET)
                .bind(from_event)
                .bind(*old)
                .execute(&mut *tx)
                .await
                .or_internal()?;
        }
        let sql = format!(
            "DELETE FROM {table} WHERE event_id = $1 AND occurrence_start >= $2 AND occurrence_start < $3"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(from_event)
            .bind(since)
            .bind(REKEY_OFFSET / 2)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        let sql = format!(
            "UPDATE {table} SET occurrence_start = occurrence_start - $2 WHERE event_id = $1 AND occurrence_start >= $3"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(to_event)
            .bind(REKEY_OFFSET)
            .bind(REKEY_OFFSET / 2)
            .execute(&mut *tx)
            .await
            .or_internal()?;
    }
    Ok(())
}

impl Write {
    /// Checks someone in; checking in twice is harmless.
    pub async fn check_in(
        &mut self,
        event: &Event,
        key: Millis,
        who: &Attendee,
        by: AccountId,
    ) -> Result<()> {
        let (account, name) = match who {
            Attendee::Member(id) => (Some(*id), None),
            Attendee::WalkIn(name) => (None, Some(name.clone())),
        };
        sqlx::query(
            "INSERT INTO attendance (event_id, community_id, occurrence_start, attendee_key, account_id, walk_in_name, \
             checked_in_by, checked_in_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (event_id, occurrence_start, attendee_key) DO NOTHING",
        )
        .bind(event.id)
        .bind(event.community_id)
        .bind(key)
        .bind(who.key())
        .bind(account)
        .bind(name)
        .bind(by)
        .bind(self.now())
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }

    /// Deletes an event for everyone: it leaves lists, feeds and reminders at once.
    pub async fn delete_event(&mut self, event: EventId) -> Result<()> {
        let now = self.now();
        sqlx::query(
            "UPDATE events SET deleted_at = $2, sequence = sequence + 1, updated_at = $2 WHERE id = $1",
        )
        .bind(event)
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Checks someone in; checking in twice is harmless.
    fn check_in(&self, event: &Event, key: Millis, who: &Attendee, by: AccountId) -> ();
    /// Deletes an event for everyone: it leaves lists, feeds and reminders at once.
    fn delete_event(&self, event: EventId) -> ();
}

impl Write {
    /// Replaces an event's fields (and hosts, when given) and re-keys the rows of its
    /// occurrences by `mapping` (old key → new key); rows of keys not in the mapping go.
    pub async fn update_event(
        &mut self,
        event: &Event,
        new: &NewEvent,
        hosts: Option<&[AccountId]>,
        mapping: &[(Millis, Millis)],
    ) -> Result<()> {
        let now = self.now();
        write_fields(self.conn(), event.id, new, now).await?;
        if let Some(hosts) = hosts {
            replace_hosts(self.conn(), event, hosts).await?;
        }
        if new.schedule_differs(event) {
            rekey(self.conn(), event.id, event.id, i64::MIN, mapping).await?;
        }
        Ok(())
    }

    /// Ends `event` before the occurrence `split` (the old series keeps a rule that stops there,
    /// with `old_rule`) and creates a new event from `new` for that occurrence and those after
    /// it, moving their rows by `mapping`. Returns the new event's id.
    pub async fn split_event(
        &mut self,
        event: &Event,
        split: Millis,
        old_rule: &Recurrence,
        new: &NewEvent,
        mapping: &[(Millis, Millis)],
    ) -> Result<EventId> {
        let now = self.now();
        sqlx::query(
            "UPDATE events SET rule = $2, sequence = sequence + 1, updated_at = $3 WHERE id = $1",
        )
        .bind(event.id)
        .bind(old_rule.to_rrule())
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO events (community_id, space, title, description, time_zone, start_local, end_local, \
             first_start, rule, online_url, place, capacity, created_by, created_at, updated_at, circle_id, conversation_id) \
             SELECT community_id, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, created_by, $13, $13, circle_id, conversation_id \
             FROM events WHERE id = $1 RETURNING id",
        )
        .bind(event.id)
        .bind(new.space.as_str())
        .bind(&new.title)
        .bind(&new.description)
        .bind(new.time_zone.name())
        .bind(new.start_local.format(LOCAL).to_string())
        .bind(new.end_local.format(LOCAL).to_string())
        .bind(new.first_start)
        .bind(new.rule.as_ref().map(Recurrence::to_rrule))
        .bind(&new.online_url)
        .bind(&new.place)
        .bind(new.capacity)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        sqlx::query(
            "INSERT INTO event_hosts (event_id, account_id, community_id) \
             SELECT $2, account_id, community_id FROM event_hosts WHERE event_id = $1",
        )
        .bind(event.id)
        .bind(id)
        .execute(self.conn())
        .await
        .or_internal()?;
        rekey(self.conn(), event.id, id, split, mapping).await?;
        Ok(id)
    }

    /// Takes a check-in back.
    pub async fn undo_check_in(
        &mut self,
        event: EventId,
        key: Millis,
        who: &Attendee,
    ) -> Result<()> {
        sqlx::query(
            "DELETE FROM attendance WHERE event_id = $1 AND occurrence_start = $2 AND attendee_key = $3",
        )
        .bind(event)
        .bind(key)
        .bind(who.key())
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(())
    }
}

crate::write::write_alone! {
    /// Replaces an event's fields (and hosts, when given) and re-keys the rows of its
    /// occurrences by `mapping` (old key → new key); rows of keys not in the mapping go.
    fn update_event(&self, event: &Event, new: &NewEvent, hosts: Option<&[AccountId]>, mapping: &[(Millis, Millis)]) -> ();
    /// Ends `event` before the occurrence `split` (the old series keeps a rule that stops there,
    /// with `old_rule`) and creates a new event from `new` for that occurrence and those after
    /// it, moving their rows by `mapping`. Returns the new event's id.
    fn split_event(&self, event: &Event, split: Millis, old_rule: &Recurrence, new: &NewEvent, mapping: &[(Millis, Millis)]) -> EventId;
    /// Takes a check-in back.
    fn undo_check_in(&self, event: EventId, key: Millis, who: &Attendee) -> ();
}

pub(crate) async fn overrides_of_on(
    conn: &mut sqlx::AnyConnection,
    events: &[EventId],
) -> Result<HashMap<EventId, Vec<OccurrenceOverride>>> {
    let mut out: HashMap<EventId, Vec<OccurrenceOverride>> = HashMap::new();
    if events.is_empty() {
        return Ok(out);
    }
    let sql = format!(
        "SELECT event_id, occurrence_start, cancelled, moved_start_local, moved_end_local, notes, recap, \
         recap_thread_id, sequence FROM occurrence_overrides WHERE event_id IN ({}) ORDER BY occurrence_start",
        in_list(1, events.len())
    );
    let mut query = sqlx::query_as::<_, OverrideRow>(AssertSqlSafe(sql));
    for id in events {
        query = query.bind(*id);
    }
    for row in query.fetch_all(&mut *conn).await.or_internal()? {
        let moved = match (&row.moved_start_local, &row.moved_end_local) {
            (Some(s), Some(e)) => Some((local(s)?, local(e)?)),
            _ => None,
        };
        out.entry(row.event_id)
            .or_default()
            .push(OccurrenceOverride {
                key: row.occurrence_start,
                cancelled: row.cancelled != 0,
                moved,
                notes: row.notes,
                recap: row.recap,
                recap_thread: row.recap_thread_id,
                sequence: row.sequence,
            });
    }
    Ok(out)
}
