//! Membership: standing in a community, joining, following, leaving, roles, removal, join
//! requests and invitations. Each change is also written to `membership_log`.

use copse_core::clock::Millis;
use copse_core::domain::{
    AccountId, CommunityId, INVITATION_LIFETIME_MS, Invitation, JoinAnswer, JoinRequest,
    MemberEntry, RequestStatus, Role,
};
use copse_core::page::{Cursor, Page};
use copse_core::policy::Standing;
use copse_core::{Error, Result};

use sqlx::AssertSqlSafe;

use crate::rows::{INVITATION_SELECT, InvitationRow, JoinRequestRow, MemberRow};
use crate::{Store, abort, db_err, unique_or};

/// Whom an invitation is addressed to.
#[derive(Debug, Clone)]
pub enum Invitee {
    Account(AccountId),
    Email(String),
}

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
    .map_err(db_err)?;
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
    .map_err(db_err)?;
    Ok(())
}

async fn role_in(
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
            .map_err(db_err)?;
    row.map(|(r,)| Role::parse(&r)).transpose()
}

async fn coordinator_count(tx: &mut sqlx::AnyConnection, community: CommunityId) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM memberships WHERE community_id = $1 AND role = 'coordinator'",
    )
    .bind(community)
    .fetch_one(&mut *tx)
    .await
    .map_err(db_err)?;
    Ok(n)
}

/// Open invitations a community may have at once, so that nobody can fill the table.
pub const MAX_OPEN_INVITATIONS: i64 = 1000;

const LAST_COORDINATOR: &str =
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
        let (role, invited): (Option<String>, i64) = sqlx::query_as(
            "SELECT (SELECT role FROM memberships WHERE community_id = $1 AND account_id = $2), \
                    (SELECT COUNT(*) FROM invitations WHERE community_id = $1 AND account_id = $2 \
                       AND status = 'pending' AND expires_at > $3)",
        )
        .bind(community)
        .bind(account)
        .bind(self.now())
        .fetch_one(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(Standing {
            role: role.as_deref().map(Role::parse).transpose()?,
            invited: invited > 0,
        })
    }

    /// Joins as a member (an observer becomes a member). Already a member is a conflict.
    pub async fn join(&self, community: CommunityId, account: AccountId) -> Result<()> {
        self.admit(community, account, Role::Member, "joined", Some(account))
            .await
    }

    async fn admit(
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
        .map_err(db_err)?;
        log(&mut tx, community, account, action, Some(role), actor, now).await?;
        tx.commit().await.map_err(db_err)
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
        tx.commit().await.map_err(db_err)
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

    async fn end_membership(
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
            .map_err(db_err)?;
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
        tx.commit().await.map_err(db_err)
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
            .map_err(db_err)?;
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
        tx.commit().await.map_err(db_err)
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
        .map_err(db_err)?;
        let items = rows
            .into_iter()
            .map(MemberEntry::try_from)
            .collect::<Result<Vec<_>>>()?;
        Ok(Page::from_rows(items, limit, |m| {
            Cursor::new(m.joined_at.to_string(), m.account_id)
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
        .map_err(db_err)?;
        rows.into_iter().map(MemberEntry::try_from).collect()
    }

    /// Asks to join. One pending request per person and community.
    pub async fn request_to_join(
        &self,
        community: CommunityId,
        account: AccountId,
        answers: &[JoinAnswer],
    ) -> Result<JoinRequest> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        if role_in(&mut tx, community, account)
            .await?
            .is_some_and(Role::is_member)
        {
            return Err(Error::conflict("Already a member of this community."));
        }
        let inserted: std::result::Result<(i64,), sqlx::Error> = sqlx::query_as(
            "INSERT INTO join_requests (community_id, account_id, answers, status, created_at) \
             VALUES ($1, $2, $3, 'pending', $4) RETURNING id",
        )
        .bind(community)
        .bind(account)
        .bind(serde_json::to_string(answers).map_err(Error::internal)?)
        .bind(now)
        .fetch_one(&mut *tx)
        .await;
        let (id,) = match inserted {
            Ok(row) => row,
            Err(e) => {
                let waiting =
                    Error::conflict("Your request to join is already waiting for a coordinator.");
                return abort(tx, unique_or(e, waiting)).await;
            }
        };
        tx.commit().await.map_err(db_err)?;
        self.join_request(community, id)
            .await?
            .ok_or(Error::NotFound)
    }

    const JOIN_REQUEST_SELECT: &'static str = "SELECT r.id, r.community_id, r.account_id, a.handle, \
        a.display_name, a.organisation, r.answers, r.status, r.created_at \
        FROM join_requests r JOIN accounts a ON a.id = r.account_id";

    pub async fn join_request(
        &self,
        community: CommunityId,
        id: i64,
    ) -> Result<Option<JoinRequest>> {
        let sql = format!(
            "{} WHERE r.community_id = $1 AND r.id = $2",
            Self::JOIN_REQUEST_SELECT
        );
        let row: Option<JoinRequestRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(JoinRequest::try_from).transpose()
    }

    /// The account's own pending request, to show "waiting for approval".
    pub async fn pending_request_of(
        &self,
        community: CommunityId,
        account: AccountId,
    ) -> Result<Option<JoinRequest>> {
        let sql = format!(
            "{} WHERE r.community_id = $1 AND r.account_id = $2 AND r.status = 'pending'",
            Self::JOIN_REQUEST_SELECT
        );
        let row: Option<JoinRequestRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .bind(account)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(JoinRequest::try_from).transpose()
    }

    /// Pending requests, oldest first (at most 500; a coordinator works through them in order).
    pub async fn pending_requests(&self, community: CommunityId) -> Result<Vec<JoinRequest>> {
        let sql = format!(
            "{} WHERE r.community_id = $1 AND r.status = 'pending' ORDER BY r.created_at, r.id LIMIT 500",
            Self::JOIN_REQUEST_SELECT
        );
        let rows: Vec<JoinRequestRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(JoinRequest::try_from).collect()
    }

    /// Approves or declines a pending request; approval makes the person a member.
    pub async fn decide_request(
        &self,
        community: CommunityId,
        request: i64,
        approve: bool,
        by: AccountId,
    ) -> Result<()> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let status = if approve {
            RequestStatus::Approved
        } else {
            RequestStatus::Declined
        };
        let row: Option<(i64,)> = sqlx::query_as(
            "UPDATE join_requests SET status = $1, decided_by = $2, decided_at = $3 \
             WHERE id = $4 AND community_id = $5 AND status = 'pending' RETURNING account_id",
        )
        .bind(status.as_str())
        .bind(by)
        .bind(now)
        .bind(request)
        .bind(community)
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_err)?;
        let Some((account,)) = row else {
            return abort(tx, Error::NotFound).await;
        };
        if approve
            && !role_in(&mut tx, community, account)
                .await?
                .is_some_and(Role::is_member)
        {
            put_membership(&mut tx, community, account, Role::Member, now).await?;
            log(
                &mut tx,
                community,
                account,
                "approved",
                Some(Role::Member),
                Some(by),
                now,
            )
            .await?;
        }
        tx.commit().await.map_err(db_err)
    }

    /// Withdraws the account's own pending request.
    pub async fn withdraw_request(&self, community: CommunityId, account: AccountId) -> Result<()> {
        let done = sqlx::query(
            "UPDATE join_requests SET status = 'withdrawn', decided_at = $1 \
             WHERE community_id = $2 AND account_id = $3 AND status = 'pending'",
        )
        .bind(self.now())
        .bind(community)
        .bind(account)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(Error::conflict("There is no pending request to withdraw."));
        }
        Ok(())
    }

    /// Records an invitation whose link carries the secret behind `token_hash`. An account that is
    /// already a member, or already holds a pending invitation, is a conflict.
    pub async fn invite(
        &self,
        community: CommunityId,
        invitee: &Invitee,
        role: Role,
        token_hash: &str,
        by: AccountId,
    ) -> Result<Invitation> {
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let (account, email) = match invitee {
            Invitee::Account(a) => (Some(*a), None),
            Invitee::Email(e) => (None, Some(e.as_str())),
        };
        if let Some(a) = account
            && role_in(&mut tx, community, a)
                .await?
                .is_some_and(Role::is_member)
        {
            return Err(Error::conflict("This person is already a member."));
        }
        let (open,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM invitations WHERE community_id = $1 AND status = 'pending' \
             AND expires_at > $2 AND (account_id = $3 OR email = $4)",
        )
        .bind(community)
        .bind(now)
        .bind(account.unwrap_or(-1))
        .bind(email.unwrap_or(""))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        if open > 0 {
            return Err(Error::conflict(
                "An invitation to this person is already waiting.",
            ));
        }
        let (waiting,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM invitations WHERE community_id = $1 AND status = 'pending' AND expires_at > $2",
        )
        .bind(community)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        if waiting >= MAX_OPEN_INVITATIONS {
            return Err(Error::conflict(format!(
                "This community has {MAX_OPEN_INVITATIONS} open invitations; withdraw some first."
            )));
        }
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO invitations (community_id, invited_by, account_id, email, token_hash, role, \
             status, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, $8) RETURNING id",
        )
        .bind(community)
        .bind(by)
        .bind(account)
        .bind(email)
        .bind(token_hash)
        .bind(role.as_str())
        .bind(now)
        .bind(now + INVITATION_LIFETIME_MS)
        .fetch_one(&mut *tx)
        .await
        .map_err(db_err)?;
        tx.commit().await.map_err(db_err)?;
        self.invitation(id).await?.ok_or(Error::NotFound)
    }

    pub async fn invitation(&self, id: i64) -> Result<Option<Invitation>> {
        let sql = format!("{INVITATION_SELECT} WHERE i.id = $1");
        let row: Option<InvitationRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(Invitation::try_from).transpose()
    }

    /// The pending, unexpired invitation behind a link.
    pub async fn invitation_by_token(&self, token_hash: &str) -> Result<Option<Invitation>> {
        let sql = format!(
            "{INVITATION_SELECT} WHERE i.token_hash = $1 AND i.status = 'pending' AND i.expires_at > $2"
        );
        let row: Option<InvitationRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(self.now())
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(Invitation::try_from).transpose()
    }

    /// Pending invitations addressed to the account, by handle or by its e-mail address.
    pub async fn invitations_for(
        &self,
        account: AccountId,
        email: &str,
    ) -> Result<Vec<Invitation>> {
        let sql = format!(
            "{INVITATION_SELECT} WHERE (i.account_id = $1 OR i.email = $2) AND i.status = 'pending' \
             AND i.expires_at > $3 ORDER BY i.id DESC LIMIT 200"
        );
        let rows: Vec<InvitationRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(account)
            .bind(email)
            .bind(self.now())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Invitation::try_from).collect()
    }

    /// Pending invitations of a community, for its coordinators and leaders.
    pub async fn community_invitations(&self, community: CommunityId) -> Result<Vec<Invitation>> {
        let sql = format!(
            "{INVITATION_SELECT} WHERE i.community_id = $1 AND i.status = 'pending' AND i.expires_at > $2 \
             ORDER BY i.id DESC LIMIT 500"
        );
        let rows: Vec<InvitationRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .bind(self.now())
            .fetch_all(&self.pool)
            .await
            .map_err(db_err)?;
        rows.into_iter().map(Invitation::try_from).collect()
    }

    /// Accepts or declines an invitation as `account`. An invitation addressed to another
    /// account is "not found" to this one.
    pub async fn answer_invitation(
        &self,
        invitation: &Invitation,
        account: AccountId,
        accept: bool,
    ) -> Result<()> {
        if invitation.account_id.is_some_and(|a| a != account) {
            return Err(Error::NotFound);
        }
        let now = self.now();
        let mut tx = self.begin_write().await?;
        let status = if accept {
            RequestStatus::Approved
        } else {
            RequestStatus::Declined
        };
        let done = sqlx::query(
            "UPDATE invitations SET status = $1, decided_at = $2, account_id = $3 \
             WHERE id = $4 AND status = 'pending'",
        )
        .bind(status.as_str())
        .bind(now)
        .bind(account)
        .bind(invitation.id)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return abort(tx, Error::NotFound).await;
        }
        if accept {
            let current = role_in(&mut tx, invitation.community_id, account).await?;
            if !current.is_some_and(Role::is_member) {
                put_membership(
                    &mut tx,
                    invitation.community_id,
                    account,
                    invitation.role,
                    now,
                )
                .await?;
                log(
                    &mut tx,
                    invitation.community_id,
                    account,
                    "invited",
                    Some(invitation.role),
                    None,
                    now,
                )
                .await?;
            }
        }
        tx.commit().await.map_err(db_err)
    }

    /// Withdraws a pending invitation of the community.
    pub async fn revoke_invitation(&self, community: CommunityId, id: i64) -> Result<()> {
        let done = sqlx::query(
            "UPDATE invitations SET status = 'withdrawn', decided_at = $1 \
             WHERE id = $2 AND community_id = $3 AND status = 'pending'",
        )
        .bind(self.now())
        .bind(id)
        .bind(community)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
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
        .map_err(db_err)?;
        rows.into_iter()
            .map(|(slug, name, role)| Ok((slug, name, Role::parse(&role)?)))
            .collect()
    }
}
