//! Circles: small invitation-only groups inside a community, with hosts and members, requests
//! to join (listed circles) and invitations.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::{AccountId, CommunityId, Person};
use copse_core::{Error, Result};

use crate::{Store, abort, db_err, flag};
use copse_core::domain::{Circle, CircleId, CircleRequest, CircleRole};

#[derive(sqlx::FromRow)]
struct CircleRow {
    id: i64,
    community_id: CommunityId,
    name: String,
    purpose: String,
    listed: i64,
    ends_at: Option<i64>,
    created_by: AccountId,
    created_at: i64,
    member_count: i64,
}

const CIRCLE_SELECT: &str = "SELECT c.id, c.community_id, c.name, c.purpose, c.listed, c.ends_at, c.created_by, c.created_at, \
    (SELECT COUNT(*) FROM circle_members m WHERE m.circle_id = c.id) AS member_count FROM circles c";

impl Store {
    /// Creates a circle; its creator is its first host.
    pub async fn create_circle(
        &self,
        community: CommunityId,
        creator: AccountId,
        name: &str,
        purpose: &str,
        listed: bool,
        ends_at: Option<Millis>,
    ) -> Result<CircleId> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let (id,): (i64,) = match sqlx::query_as(
            "INSERT INTO circles (community_id, name, purpose, listed, ends_at, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(community)
        .bind(name)
        .bind(purpose)
        .bind(flag(listed))
        .bind(ends_at)
        .bind(creator)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        {
            Ok(r) => r,
            Err(e) => return abort(tx, db_err(e)).await,
        };
        if let Err(e) = sqlx::query(
            "INSERT INTO circle_members (circle_id, account_id, community_id, role, joined_at) VALUES ($1, $2, $3, 'host', $4)",
        )
        .bind(id)
        .bind(creator)
        .bind(community)
        .bind(now)
        .execute(&mut *tx)
        .await
        {
            return abort(tx, db_err(e)).await;
        }
        tx.commit().await.or_internal()?;
        Ok(id)
    }

    pub async fn circle(&self, id: CircleId) -> Result<Option<Circle>> {
        let sql = format!("{CIRCLE_SELECT} WHERE c.id = $1");
        let row: Option<CircleRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        Ok(row.map(Circle::from))
    }

    /// The circles of a community that `reader` may know of: listed ones when `listed_too`
    /// (the reader is a member of the community), and every circle the reader belongs to.
    /// `all` lists every circle (site admins).
    pub async fn circles_of(
        &self,
        community: CommunityId,
        reader: Option<AccountId>,
        listed_too: bool,
        all: bool,
    ) -> Result<Vec<Circle>> {
        let sql = format!(
            "{CIRCLE_SELECT} WHERE c.community_id = $1 AND ($3 = 1 OR ($2 = 1 AND c.listed = 1) OR EXISTS \
             (SELECT 1 FROM circle_members m WHERE m.circle_id = c.id AND m.account_id = $4)) ORDER BY c.name, c.id LIMIT 500"
        );
        let rows: Vec<CircleRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(community)
            .bind(flag(listed_too))
            .bind(flag(all))
            .bind(reader.unwrap_or(AccountId(-1)))
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        Ok(rows.into_iter().map(Circle::from).collect())
    }

    /// The account's role in a circle, if they are in it.
    pub async fn circle_role(
        &self,
        circle: CircleId,
        account: Option<AccountId>,
    ) -> Result<Option<CircleRole>> {
        let Some(account) = account else {
            return Ok(None);
        };
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT role FROM circle_members WHERE circle_id = $1 AND account_id = $2",
        )
        .bind(circle)
        .bind(account)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.map(|(r,)| {
            if r == "host" {
                CircleRole::Host
            } else {
                CircleRole::Member
            }
        }))
    }

    /// Members of a circle, hosts first (at most 500).
    pub async fn circle_members(&self, circle: CircleId) -> Result<Vec<(Person, CircleRole)>> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT a.id, a.handle, a.display_name, m.role FROM circle_members m JOIN accounts a ON a.id = m.account_id \
             WHERE m.circle_id = $1 ORDER BY CASE m.role WHEN 'host' THEN 0 ELSE 1 END, a.display_name LIMIT 500",
        )
        .bind(circle)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(|(id, handle, display_name, role)| {
                (
                    Person {
                        id: AccountId(id),
                        handle,
                        display_name,
                    },
                    if role == "host" {
                        CircleRole::Host
                    } else {
                        CircleRole::Member
                    },
                )
            })
            .collect())
    }

    /// Adds (or changes the role of) a circle member, and clears their pending request or
    /// invitation.
    pub async fn add_circle_member(
        &self,
        circle: &Circle,
        account: AccountId,
        role: CircleRole,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let result = async {
            sqlx::query(
                "INSERT INTO circle_members (circle_id, account_id, community_id, role, joined_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (circle_id, account_id) DO UPDATE SET role = excluded.role",
            )
            .bind(circle.id)
            .bind(account)
            .bind(circle.community_id)
            .bind(role.as_str())
            .bind(self.now())
            .execute(&mut *tx)
            .await
            .or_internal()?;
            sqlx::query("DELETE FROM circle_requests WHERE circle_id = $1 AND account_id = $2")
                .bind(circle.id)
                .bind(account)
                .execute(&mut *tx)
                .await
                .or_internal()?;
            Ok::<_, Error>(())
        }
        .await;
        match result {
            Ok(()) => tx.commit().await.or_internal(),
            Err(e) => abort(tx, e).await,
        }
    }

    /// Takes someone out of a circle (they leave, or a host removes them).
    pub async fn remove_circle_member(&self, circle: CircleId, account: AccountId) -> Result<()> {
        sqlx::query("DELETE FROM circle_members WHERE circle_id = $1 AND account_id = $2")
            .bind(circle)
            .bind(account)
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }

    /// Records a request to join or an invitation; one pending per person and circle.
    pub async fn add_circle_request(
        &self,
        circle: CircleId,
        account: AccountId,
        kind: &str,
        message: Option<&str>,
        by: AccountId,
    ) -> Result<()> {
        let done = sqlx::query(
            "INSERT INTO circle_requests (circle_id, account_id, kind, message, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (circle_id, account_id) DO NOTHING",
        )
        .bind(circle)
        .bind(account)
        .bind(kind)
        .bind(message)
        .bind(by)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::conflict(
                "There is already a request or invitation waiting.",
            ));
        }
        Ok(())
    }

    /// The pending request or invitation of one person, as its kind.
    pub async fn circle_request_of(
        &self,
        circle: CircleId,
        account: AccountId,
    ) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT kind FROM circle_requests WHERE circle_id = $1 AND account_id = $2",
        )
        .bind(circle)
        .bind(account)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.map(|(k,)| k))
    }

    pub async fn drop_circle_request(&self, circle: CircleId, account: AccountId) -> Result<()> {
        sqlx::query("DELETE FROM circle_requests WHERE circle_id = $1 AND account_id = $2")
            .bind(circle)
            .bind(account)
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }

    /// Pending requests and invitations of a circle.
    pub async fn circle_requests(&self, circle: CircleId) -> Result<Vec<CircleRequest>> {
        let rows: Vec<(i64, String, String, String, Option<String>, i64)> = sqlx::query_as(
            "SELECT a.id, a.handle, a.display_name, r.kind, r.message, r.created_at FROM circle_requests r \
             JOIN accounts a ON a.id = r.account_id WHERE r.circle_id = $1 ORDER BY r.created_at LIMIT 500",
        )
        .bind(circle)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(
                |(id, handle, display_name, kind, message, created_at)| CircleRequest {
                    person: Person {
                        id: AccountId(id),
                        handle,
                        display_name,
                    },
                    kind,
                    message,
                    created_at,
                },
            )
            .collect())
    }

    /// Moves a thread into a circle (or, with `None`, back to the given space).
    pub async fn move_thread(
        &self,
        thread: i64,
        space: &str,
        circle: Option<CircleId>,
    ) -> Result<()> {
        sqlx::query("UPDATE threads SET space = $2, circle_id = $3 WHERE id = $1")
            .bind(thread)
            .bind(space)
            .bind(circle)
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }
}

impl From<CircleRow> for Circle {
    fn from(r: CircleRow) -> Self {
        Circle {
            id: r.id,
            community_id: r.community_id,
            name: r.name,
            purpose: r.purpose,
            listed: r.listed != 0,
            ends_at: r.ends_at,
            created_by: r.created_by,
            created_at: r.created_at,
            member_count: r.member_count,
        }
    }
}
