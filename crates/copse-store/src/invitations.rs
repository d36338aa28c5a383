//! Invitations by handle or e-mail address (a secret link for the latter), answered by the
//! invited, withdrawn by the community.

use copse_core::OrInternal;
use copse_core::domain::{
    AccountId, CommunityId, INVITATION_LIFETIME_MS, Invitation, RequestStatus, Role,
};
use copse_core::{Error, Result};

use sqlx::AssertSqlSafe;

use crate::membership::{log, put_membership, role_in};
use crate::rows::{INVITATION_SELECT, InvitationRow};
use crate::{Store, Write, abort};

/// Whom an invitation is addressed to.
#[derive(Debug, Clone)]
pub enum Invitee {
    Account(AccountId),
    Email(String),
}

/// Open invitations a community may have at once, so that nobody can fill the table.
pub const MAX_OPEN_INVITATIONS: i64 = 1000;

impl Store {
    /// Records an invitation whose link carries the secret behind `token_hash`, on its own.
    pub async fn invite(
        &self,
        community: CommunityId,
        invitee: &Invitee,
        role: Role,
        token_hash: &str,
        by: AccountId,
    ) -> Result<Invitation> {
        let mut w = self.write().await?;
        let invited = w.invite(community, invitee, role, token_hash, by).await;
        let id = w.finish(invited).await?;
        self.invitation(id).await?.ok_or(Error::NotFound)
    }

    pub async fn invitation(&self, id: i64) -> Result<Option<Invitation>> {
        let sql = format!("{INVITATION_SELECT} WHERE i.id = $1");
        let row: Option<InvitationRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
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
            .or_internal()?;
        row.map(Invitation::try_from).transpose()
    }

    /// Pending invitations addressed to the account, by handle or by its e-mail address (`None`
    /// while the address is unverified: then only invitations by handle).
    pub async fn invitations_for(
        &self,
        account: AccountId,
        email: Option<&str>,
    ) -> Result<Vec<Invitation>> {
        let sql = format!(
            "{INVITATION_SELECT} WHERE (i.account_id = $1 OR i.email = $2) AND i.status = 'pending' \
             AND i.expires_at > $3 ORDER BY i.id DESC LIMIT 200"
        );
        let rows: Vec<InvitationRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(account)
            .bind(email.map(str::to_lowercase))
            .bind(self.now())
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
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
            .or_internal()?;
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
        .or_internal()?;
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
        tx.commit().await.or_internal()
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
        .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}

impl Write {
    /// Records an invitation whose link carries the secret behind `token_hash`, in the
    /// transaction that also queues its e-mail. An account that is already a member, or already
    /// holds a pending invitation, is a conflict.
    pub async fn invite(
        &mut self,
        community: CommunityId,
        invitee: &Invitee,
        role: Role,
        token_hash: &str,
        by: AccountId,
    ) -> Result<i64> {
        let now = self.now();
        let (account, email) = match invitee {
            Invitee::Account(a) => (Some(*a), None),
            Invitee::Email(e) => (None, Some(e.as_str())),
        };
        if let Some(a) = account
            && role_in(self.conn(), community, a)
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
        .bind(account.unwrap_or(AccountId(-1)))
        .bind(email.unwrap_or(""))
        .fetch_one(self.conn())
        .await
        .or_internal()?;
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
        .fetch_one(self.conn())
        .await
        .or_internal()?;
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
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        Ok(id)
    }
}
