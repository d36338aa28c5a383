//! Membership: standing in a community, joining, following, leaving, roles and removal. Each
//! change is also written to `membership_log`.

use copse_core::OrInternal;
use copse_core::clock::Millis;
use copse_core::domain::{AccountId, CommunityId, MemberEntry, Role};
use copse_core::page::{Cursor, Page};
use copse_core::policy::Standing;
use copse_core::{Error, Result};

use crate::Store;
use crate::rows::MemberRow;

pub(crate) async fn put_membership(
    tx: &mut sqlx::AnyConnection,
    community: CommunityId,
    account: AccountId,
    role: Role,
    now: Millis,
) -> Result<()> {
    // An observer who joins keeps no observer row: the membership replaces it, and the join date
    // is the day they became a member.
    sqlx::query(
        "INSERT INTO memberships (community_id, account_id, role, joined_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (community_id, account_id) DO UPDATE SET role = excluded.role, joined_at = excluded.joined_at",
    )
    .bind(community)
    .bind(account)
    .bind(role.as_str())
    .bind(now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    Ok(())
}

pub(crate) async fn log(
    tx: &mut sqlx::AnyConnection,
    community: CommunityId,
    account: AccountId,
    action: &str,
    role: Option<Role>,
    actor: Option<AccountId>,
    now: Millis,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO membership_log (community_id, account_id, action, role, actor_id, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(community)
    .bind(account)
    .bind(action)
    .bind(role.map(Role::as_str))
    .bind(actor)
    .bind(now)
    .execute(&mut *tx)
    .await
    .or_internal()?;
    Ok(())
}

pub(crate) async fn role_in(
    tx: &mut sqlx::AnyConnection,
    community: CommunityId,
    account: AccountId,
) -> Result<Option<Role>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT role FROM memberships WHERE community_id = $1 AND account_id = $2")
            .bind(community)
            .bind(account)
            .fetch_optional(&mut *tx)
            .await
            .or_internal()?;
    row.map(|(r,)| Role::parse(&r)).transpose()
}

pub(crate) async fn coordinator_count(
    tx: &mut sqlx::AnyConnection,
    community: CommunityId,
) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM memberships WHERE community_id = $1 AND role = 'coordinator'",
    )
    .bind(community)
    .fetch_one(&mut *tx)
    .await
    .or_internal()?;
    Ok(n)
}

pub(crate) const LAST_COORDINATOR: &str =
    "A community needs at least one coordinator: make someone else coordinator first.";

impl Store {
    /// The account's standing in a community, as the access policy reads it.
    pub async fn standing(
        &self,
        community: CommunityId,
        account: Option<AccountId>,
    ) -> Result<Standing> {
        let Some(account) = account else {
            return Ok(Standing::default());
        };
        let (role, invited, silenced_until): (Option<String>, i64, Option<i64>) = sqlx::query_as(
            "SELECT (SELECT role FROM memberships WHERE community_id = $1 AND account_id = $2), \
                    (SELECT COUNT(*) FROM invitations WHERE community_id = $1 AND account_id = $2 \
                       AND status = 'pending' AND expires_at > $3), \
                    (SELECT until_at FROM silences WHERE community_id = $1 AND account_id = $2 \
                       AND until_at > $3)",
        )
        .bind(community)
        .bind(account)
        .bind(self.now())
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(Standing {
            role: role.as_deref().map(Role::parse).transpose()?,
            invited: invited > 0,
            silenced_until,
        })
    }

    /// When `account` joined `community` (none when not a member or observer) and the acts
    /// they have in its ledger since, counted per kind: what a newcomer's first steps ask about.
    pub async fn newcomer(
        &self,
        community: CommunityId,
        account: AccountId,
    ) -> Result<Option<(Millis, std::collections::BTreeMap<String, i64>)>> {
        let joined: Option<(i64,)> = sqlx::query_as(
            "SELECT joined_at FROM memberships WHERE community_id = $1 AND account_id = $2",
        )
        .bind(community)
        .bind(account)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        let Some((joined_at,)) = joined else {
            return Ok(None);
        };
        let acts: Vec<(String, i64)> = sqlx::query_as(
            "SELECT kind, COUNT(*) FROM activity WHERE community_id = $1 AND account_id = $2 \
             GROUP BY kind",
        )
        .bind(community)
        .bind(account)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(Some((joined_at, acts.into_iter().collect())))
    }

    /// Joins as a member (an observer becomes a member). Already a member is a conflict.
    pub async fn join(&self, community: CommunityId, account: AccountId) -> Result<()> {
        self.admit(community, account, Role::Member, "joined", Some(account))
            .await
    }

    pub(crate) async fn admit(
        &self,
        community: CommunityId,
        account: AccountId,
        role: Role,
        action: &str,
        actor: Option<AccountId>,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        if role_in(&mut tx, community, account)
            .await?
            .is_some_and(Role::is_member)
        {
            return Err(Error::conflict("Already a member of this community."));
        }
        put_membership(&mut tx, community, account, role, now).await?;
        // Joining settles any open request of the same person.
        sqlx::query(
            "UPDATE join_requests SET status = 'approved', decided_at = $1 \
             WHERE community_id = $2 AND account_id = $3 AND status = 'pending'",
        )
        .bind(now)
        .bind(community)
        .bind(account)
        .execute(&mut *tx)
        .await
        .or_internal()?;
        log(&mut tx, community, account, action, Some(role), actor, now).await?;
        tx.commit().await.or_internal()
    }

    /// Follows as an observer. Members do not need to follow; following twice is a conflict.
    pub async fn follow(&self, community: CommunityId, account: AccountId) -> Result<()> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        match role_in(&mut tx, community, account).await? {
            Some(Role::Observer) => {
                return Err(Error::conflict("Already following this community."));
            }
            Some(_) => return Err(Error::conflict("Members already follow their community.")),
            None => {}
        }
        put_membership(&mut tx, community, account, Role::Observer, now).await?;
        log(
            &mut tx,
            community,
            account,
            "followed",
            Some(Role::Observer),
            Some(account),
            now,
        )
        .await?;
        tx.commit().await.or_internal()
    }

    /// Leaves (a member) or unfollows (an observer). The last coordinator cannot leave.
    pub async fn leave(&self, community: CommunityId, account: AccountId) -> Result<()> {
        self.end_membership(community, account, "left", account)
            .await
    }

    /// Removes a member or observer at a coordinator's hand.
    pub async fn remove_member(
        &self,
        community: CommunityId,
        account: AccountId,
        by: AccountId,
    ) -> Result<()> {
        self.end_membership(community, account, "removed", by).await
    }

    pub(crate) async fn end_membership(
        &self,
        community: CommunityId,
        account: AccountId,
        action: &str,
        actor: AccountId,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let role = role_in(&mut tx, community, account)
            .await?
            .ok_or_else(|| Error::conflict("Not a member or observer of this community."))?;
        if role == Role::Coordinator && coordinator_count(&mut tx, community).await? <= 1 {
            return Err(Error::conflict(LAST_COORDINATOR));
        }
        sqlx::query("DELETE FROM memberships WHERE community_id = $1 AND account_id = $2")
            .bind(community)
            .bind(account)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        log(
            &mut tx,
            community,
            account,
            action,
            Some(role),
            Some(actor),
            now,
        )
        .await?;
        tx.commit().await.or_internal()
    }

    /// Gives a member another role. Observers are not members; the last coordinator stays.
    pub async fn set_role(
        &self,
        community: CommunityId,
        account: AccountId,
        role: Role,
        by: AccountId,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let current = role_in(&mut tx, community, account).await?;
        match current {
            None | Some(Role::Observer) => return Err(Error::NotFound),
            Some(Role::Coordinator)
                if role != Role::Coordinator
                    && coordinator_count(&mut tx, community).await? <= 1 =>
            {
                return Err(Error::conflict(LAST_COORDINATOR));
            }
            _ => {}
        }
        sqlx::query("UPDATE memberships SET role = $1 WHERE community_id = $2 AND account_id = $3")
            .bind(role.as_str())
            .bind(community)
            .bind(account)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        log(
            &mut tx,
            community,
            account,
            "role_changed",
            Some(role),
            Some(by),
            now,
        )
        .await?;
        tx.commit().await.or_internal()
    }

    /// A page of members (or, with `Role::Observer`, of observers) in order of joining.
    pub async fn members(
        &self,
        community: CommunityId,
        observers: bool,
        limit: i64,
        after: Option<&Cursor>,
    ) -> Result<Page<MemberEntry>> {
        let after_key: i64 = match after {
            Some(c) => c
                .key
                .parse()
                .map_err(|_| Error::invalid("cursor", "is not a cursor returned by this API"))?,
            None => i64::MIN,
        };
        let rows: Vec<MemberRow> = sqlx::query_as(
            "SELECT m.account_id, a.handle, a.display_name, a.organisation, a.department, a.country, \
                    m.role, m.joined_at \
             FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.community_id = $1 AND (($2 = 1 AND m.role = 'observer') OR ($2 = 0 AND m.role <> 'observer')) \
               AND (m.joined_at > $3 OR (m.joined_at = $3 AND m.account_id > $4)) \
             ORDER BY m.joined_at, m.account_id LIMIT $5",
        )
        .bind(community)
        .bind(i64::from(observers))
        .bind(after_key)
        .bind(after.map_or(i64::MIN, |c| c.id))
        .bind(limit + 1)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let items = rows
            .into_iter()
            .map(MemberEntry::try_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |m| {
            Cursor::new(m.joined_at.to_string(), m.account_id.get())
        }))
    }

    /// The coordinators and leaders: the core group, shown first on member pages.
    pub async fn core_group(&self, community: CommunityId) -> Result<Vec<MemberEntry>> {
        let rows: Vec<MemberRow> = sqlx::query_as(
            "SELECT m.account_id, a.handle, a.display_name, a.organisation, a.department, a.country, \
                    m.role, m.joined_at \
             FROM memberships m JOIN accounts a ON a.id = m.account_id \
             WHERE m.community_id = $1 AND m.role IN ('coordinator', 'leader') \
             ORDER BY CASE m.role WHEN 'coordinator' THEN 0 ELSE 1 END, m.joined_at, m.account_id LIMIT 200",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter().map(MemberEntry::try_from).collect()
    }

    /// The communities an account belongs to or follows, with its role in each.
    pub async fn memberships_of(&self, account: AccountId) -> Result<Vec<(String, String, Role)>> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT c.slug, c.name, m.role FROM memberships m JOIN communities c ON c.id = m.community_id \
             WHERE m.account_id = $1 ORDER BY c.name LIMIT 500",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        rows.into_iter()
            .map(|(slug, name, role)| Ok((slug, name, Role::parse(&role)?)))
            .collect()
    }
}
