//! Events and their hosts. Occurrences are computed from the rule, not stored.

use chrono::NaiveDateTime;
use copse_core::OrInternal;
use copse_core::domain::recurrence::Recurrence;
use copse_core::domain::{AccountId, CommunityId, Event, EventId, NewEvent, Person, Space};
use copse_core::policy::ThreadFilter;
use copse_core::{Error, Result};
use sqlx::AssertSqlSafe;

use crate::rows::LOCAL;
use crate::{Store, Write, db_err};
use copse_core::domain::{RsvpOutcome, RsvpStatus, RsvpSummary};

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    community_id: CommunityId,
    space: String,
    circle_id: Option<i64>,
    conversation_id: Option<i64>,
    title: String,
    description: String,
    time_zone: String,
    start_local: String,
    end_local: String,
    first_start: i64,
    rule: Option<String>,
    online_url: Option<String>,
    place: Option<String>,
    capacity: Option<i64>,
    sequence: i64,
    archived_at: Option<i64>,
}

const EVENT_COLUMNS: &str = "t.id, t.community_id, t.space, t.circle_id, t.conversation_id, t.title, t.description, t.time_zone, \
    t.start_local, t.end_local, t.first_start, t.rule, t.online_url, t.place, t.capacity, t.sequence, \
    (SELECT ec.archived_at FROM communities ec WHERE ec.id = t.community_id) AS archived_at";

impl EventRow {
    fn into_event(self, hosts: Vec<Person>) -> Result<Event> {
        let corrupt =
            |what: &str| Error::internal(format!("stored event {} has an invalid {what}", self.id));
        let start_local = NaiveDateTime::parse_from_str(&self.start_local, LOCAL)
            .map_err(|_| corrupt("start"))?;
        Ok(Event {
            id: self.id,
            community_id: self.community_id,
            space: Space::parse(&self.space)?,
            circle_id: self.circle_id,
            conversation_id: self.conversation_id,
            time_zone: self.time_zone.parse().map_err(|_| corrupt("time zone"))?,
            start_local,
            end_local: NaiveDateTime::parse_from_str(&self.end_local, LOCAL)
                .map_err(|_| corrupt("end"))?,
            first_start: self.first_start,
            rule: self
                .rule
                .as_deref()
                .map(|r| Recurrence::parse(r, self.first_start))
                .transpose()?,
            title: self.title,
            description: self.description,
            online_url: self.online_url,
            place: self.place,
            capacity: self.capacity,
            hosts,
            sequence: self.sequence,
            overrides: Vec::new(),
            cancelled_from: self.archived_at,
        })
    }
}

impl Store {
    pub(crate) async fn hosts_of(
        &self,
        events: &[EventId],
    ) -> Result<std::collections::HashMap<EventId, Vec<Person>>> {
        let mut conn = self.pool.acquire().await.or_internal()?;
        hosts_of_on(&mut conn, events).await
    }

    pub async fn event(&self, id: EventId) -> Result<Option<Event>> {
        let mut conn = self.pool.acquire().await.or_internal()?;
        event_on(&mut conn, id).await
    }

    /// The community's events (series and one-offs) that `filter` admits, by first start.
    pub async fn list_events(
        &self,
        community: CommunityId,
        filter: ThreadFilter,
    ) -> Result<Vec<Event>> {
        let (all, account) = crate::visibility::binds(filter);
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events t {join} \
             WHERE t.community_id = $1 AND t.deleted_at IS NULL AND {visible} \
             ORDER BY t.first_start, t.id LIMIT 500",
            join = crate::visibility::reader_join("$2"),
            visible = crate::visibility::readable_event("$3", "$2"),
        );
        let rows: Vec<EventRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .bind(account)
            .bind(all)
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let mut hosts = self.hosts_of(&ids).await?;
        let mut overrides = self.overrides_of(&ids).await?;
        rows.into_iter()
            .map(|r| {
                let h = hosts.remove(&r.id).unwrap_or_default();
                let mut event = r.into_event(h)?;
                event.overrides = overrides.remove(&event.id).unwrap_or_default();
                Ok(event)
            })
            .collect()
    }
}

impl Store {
    /// Who answered what for one occurrence (waitlist in order).
    pub async fn rsvps(&self, event: EventId, occurrence: i64) -> Result<RsvpSummary> {
        let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
            "SELECT r.status, a.id, a.handle, a.display_name FROM rsvps r JOIN accounts a ON a.id = r.account_id \
             WHERE r.event_id = $1 AND r.occurrence_start = $2 ORDER BY r.updated_at, r.id LIMIT 5000",
        )
        .bind(event)
        .bind(occurrence)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let mut summary = RsvpSummary::default();
        for (status, id, handle, display_name) in rows {
            let person = Person {
                id: AccountId(id),
                handle,
                display_name,
            };
            match RsvpStatus::parse(&status)? {
                RsvpStatus::Going => summary.going.push(person),
                RsvpStatus::Maybe => summary.maybe.push(person),
                RsvpStatus::Waitlisted => summary.waitlisted.push(person),
                RsvpStatus::NotGoing => {}
            }
        }
        Ok(summary)
    }
}

/// Moves the longest-waiting people to "going" while the occurrence has free places (all of
/// them when the event has no capacity). Runs inside the caller's write transaction.
async fn promote(
    tx: &mut sqlx::AnyConnection,
    event: &Event,
    occurrence: i64,
    now: i64,
) -> Result<Vec<AccountId>> {
    let free = match event.capacity {
        Some(cap) => {
            let (going,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM rsvps WHERE event_id = $1 AND occurrence_start = $2 AND status = 'going'",
            )
            .bind(event.id)
            .bind(occurrence)
            .fetch_one(&mut *tx)
            .await
            .or_internal()?;
            cap - going
        }
        None => 5000,
    };
    if free <= 0 {
        return Ok(Vec::new());
    }
    let next: Vec<(AccountId,)> = sqlx::query_as(
        "SELECT account_id FROM rsvps WHERE event_id = $1 AND occurrence_start = $2 AND status = 'waitlisted' \
         ORDER BY updated_at, id LIMIT $3",
    )
    .bind(event.id)
    .bind(occurrence)
    .bind(free)
    .fetch_all(&mut *tx)
    .await
    .or_internal()?;
    let mut promoted = Vec::new();
    for (who,) in next {
        sqlx::query(
            "UPDATE rsvps SET status = 'going', updated_at = $1 \
             WHERE event_id = $2 AND occurrence_start = $3 AND account_id = $4",
        )
        .bind(now)
        .bind(event.id)
        .bind(occurrence)
        .bind(who)
        .execute(&mut *tx)
        .await
        .or_internal()?;
        promoted.push(who);
    }
    Ok(promoted)
}

impl Write {
    /// An event as this transaction sees it (its own writes included).
    pub async fn event(&mut self, id: EventId) -> Result<Option<Event>> {
        event_on(self.conn(), id).await
    }

    /// Records an answer for one occurrence. "Going" beyond the capacity joins the waitlist; an
    /// answer that frees a place promotes the longest-waiting person. Answers to one event are
    /// serialised (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL), so concurrent answers
    /// never overbook.
    pub async fn rsvp(
        &mut self,
        event: &Event,
        occurrence: i64,
        account: AccountId,
        wanted: RsvpStatus,
    ) -> Result<RsvpOutcome> {
        let now = self.now();
        if self.backend() == crate::Backend::Postgres {
            sqlx::query("SELECT id FROM events WHERE id = $1 FOR UPDATE")
                .bind(event.id)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        let status = if wanted == RsvpStatus::Going {
            let (going,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM rsvps WHERE event_id = $1 AND occurrence_start = $2 AND status = 'going' AND account_id <> $3",
            )
            .bind(event.id)
            .bind(occurrence)
            .bind(account)
            .fetch_one(self.conn())
            .await
            .or_internal()?;
            match event.capacity {
                Some(cap) if going >= cap => RsvpStatus::Waitlisted,
                _ => RsvpStatus::Going,
            }
        } else {
            wanted
        };
        // A waitlisted person who answers "going" again keeps their place in the queue.
        sqlx::query(
            "INSERT INTO rsvps (event_id, community_id, occurrence_start, account_id, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) \
             ON CONFLICT (event_id, occurrence_start, account_id) DO UPDATE SET status = excluded.status, \
               updated_at = CASE WHEN rsvps.status = excluded.status THEN rsvps.updated_at ELSE excluded.updated_at END",
        )
        .bind(event.id)
        .bind(event.community_id)
        .bind(occurrence)
        .bind(account)
        .bind(status.as_str())
        .bind(now)
        .execute(self.conn())
        .await
        .or_internal()?;
        let promoted = match promote(self.conn(), event, occurrence, now).await {
            Ok(p) => p,
            Err(e) => return Err(e),
        };
        Ok(RsvpOutcome { status, promoted })
    }

    /// Gives free places to waiting people on every coming occurrence (after the capacity was
    /// raised or lifted). Returns who moved up, by occurrence.
    pub async fn fill_from_waitlists(&mut self, event: &Event) -> Result<Vec<(i64, AccountId)>> {
        let now = self.now();
        if self.backend() == crate::Backend::Postgres
            && let Err(e) = sqlx::query("SELECT id FROM events WHERE id = $1 FOR UPDATE")
                .bind(event.id)
                .execute(self.conn())
                .await
        {
            return Err(db_err(e));
        }
        let keys: Vec<(i64,)> = match sqlx::query_as(
            "SELECT DISTINCT occurrence_start FROM rsvps WHERE event_id = $1 AND status = 'waitlisted' \
             AND occurrence_start > $2 ORDER BY occurrence_start LIMIT 1000",
        )
        .bind(event.id)
        .bind(now)
        .fetch_all(self.conn())
        .await
        {
            Ok(k) => k,
            Err(e) => return Err(db_err(e)),
        };
        let mut out = Vec::new();
        for (key,) in keys {
            match promote(self.conn(), event, key, now).await {
                Ok(who) => out.extend(who.into_iter().map(|w| (key, w))),
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Creates an event with its hosts (the creator is always one).
    pub async fn create_event(
        &mut self,
        community: CommunityId,
        author: AccountId,
        new: &NewEvent,
        hosts: &[AccountId],
    ) -> Result<EventId> {
        let now = self.now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO events (community_id, space, title, description, time_zone, start_local, end_local, \
             first_start, rule, online_url, place, capacity, created_by, created_at, updated_at, circle_id, conversation_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, $15, $16) RETURNING id",
        )
        .bind(community)
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
        .bind(author)
        .bind(now)
        .bind(new.circle_id)
        .bind(new.conversation_id)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        let mut all_hosts = vec![author];
        all_hosts.extend(hosts.iter().filter(|h| **h != author));
        for host in all_hosts {
            sqlx::query(
                "INSERT INTO event_hosts (event_id, account_id, community_id) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(host)
            .bind(community)
            .execute(self.conn())
            .await
            .or_internal()?;
        }
        Ok(id)
    }
}

crate::write::write_alone! {
    /// Records an answer for one occurrence. "Going" beyond the capacity joins the waitlist; an
    /// answer that frees a place promotes the longest-waiting person. Answers to one event are
    /// serialised (BEGIN IMMEDIATE on SQLite, a row lock on PostgreSQL), so concurrent answers
    /// never overbook.
    fn rsvp(&self, event: &Event, occurrence: i64, account: AccountId, wanted: RsvpStatus) -> RsvpOutcome;
    /// Gives free places to waiting people on every coming occurrence (after the capacity was
    /// raised or lifted). Returns who moved up, by occurrence.
    fn fill_from_waitlists(&self, event: &Event) -> Vec<(i64, AccountId)>;
    /// Creates an event with its hosts (the creator is always one).
    fn create_event(&self, community: CommunityId, author: AccountId, new: &NewEvent, hosts: &[AccountId]) -> EventId;
}

pub(crate) async fn hosts_of_on(
    conn: &mut sqlx::AnyConnection,
    events: &[EventId],
) -> Result<std::collections::HashMap<EventId, Vec<Person>>> {
    let mut out: std::collections::HashMap<EventId, Vec<Person>> = Default::default();
    if events.is_empty() {
        return Ok(out);
    }
    let placeholders: Vec<String> = (1..=events.len()).map(|i| format!("${i}")).collect();
    let sql = format!(
        "SELECT h.event_id, a.id, a.handle, a.display_name FROM event_hosts h JOIN accounts a ON a.id = h.account_id \
         WHERE h.event_id IN ({}) ORDER BY a.display_name",
        placeholders.join(", ")
    );
    let mut query = sqlx::query_as::<_, (i64, i64, String, String)>(AssertSqlSafe(sql));
    for id in events {
        query = query.bind(*id);
    }
    for (event, id, handle, display_name) in query.fetch_all(&mut *conn).await.or_internal()? {
        out.entry(event).or_default().push(Person {
            id: AccountId(id),
            handle,
            display_name,
        });
    }
    Ok(out)
}

pub(crate) async fn event_on(conn: &mut sqlx::AnyConnection, id: EventId) -> Result<Option<Event>> {
    let sql =
        format!("SELECT {EVENT_COLUMNS} FROM events t WHERE t.id = $1 AND t.deleted_at IS NULL");
    let row: Option<EventRow> = sqlx::query_as(AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .or_internal()?;
    let Some(row) = row else { return Ok(None) };
    let hosts = crate::events::hosts_of_on(&mut *conn, &[row.id])
        .await?
        .remove(&row.id)
        .unwrap_or_default();
    let mut overrides = crate::rhythm::overrides_of_on(&mut *conn, &[row.id]).await?;
    let mut event = row.into_event(hosts)?;
    event.overrides = overrides.remove(&event.id).unwrap_or_default();
    Ok(Some(event))
}
