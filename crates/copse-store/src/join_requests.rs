//! Join requests of approval communities: asking (with answers to the join questions), the
//! requests waiting, deciding them, withdrawing.

use copse_core::OrInternal;
use copse_core::domain::{AccountId, CommunityId, JoinAnswer, JoinRequest, RequestStatus, Role};
use copse_core::{Error, Result};

use sqlx::AssertSqlSafe;

use crate::membership::{log, put_membership, role_in};
use crate::rows::JoinRequestRow;
use crate::{Store, Write, unique_or};

const JOIN_REQUEST_SELECT: &str = "SELECT r.id, r.community_id, r.account_id, a.handle, \
    a.display_name, a.organisation, r.answers, r.status, r.created_at \
    FROM join_requests r JOIN accounts a ON a.id = r.account_id";

impl Store {
    /// Asks to join. One pending request per person and community.
    pub async fn request_to_join(
        &self,
        community: CommunityId,
        account: AccountId,
        answers: &[JoinAnswer],
    ) -> Result<JoinRequest> {
        let mut w = self.write().await?;
        let asked = w.request_to_join(community, account, answers).await;
        let id = w.finish(asked).await?;
        self.join_request(community, id)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The coordinators of a community, who answer its join requests.
    pub async fn coordinator_ids(&self, community: CommunityId) -> Result<Vec<AccountId>> {
        let rows: Vec<(AccountId,)> = sqlx::query_as(
            "SELECT account_id FROM memberships WHERE community_id = $1 AND role = 'coordinator' \
             ORDER BY account_id LIMIT 100",
        )
        .bind(community)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn join_request(
        &self,
        community: CommunityId,
        id: i64,
    ) -> Result<Option<JoinRequest>> {
        let sql = format!(
            "{} WHERE r.community_id = $1 AND r.id = $2",
            JOIN_REQUEST_SELECT
        );
        let row: Option<JoinRequestRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
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
            JOIN_REQUEST_SELECT
        );
        let row: Option<JoinRequestRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .bind(account)
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        row.map(JoinRequest::try_from).transpose()
    }

    /// Pending requests, oldest first (at most 500; a coordinator works through them in order).
    pub async fn pending_requests(&self, community: CommunityId) -> Result<Vec<JoinRequest>> {
        let sql = format!(
            "{} WHERE r.community_id = $1 AND r.status = 'pending' ORDER BY r.created_at, r.id LIMIT 500",
            JOIN_REQUEST_SELECT
        );
        let rows: Vec<JoinRequestRow> = sqlx::query_as(AssertSqlSafe(sql))
            .bind(community)
            .fetch_all(&self.pool)
            .await
            .or_internal()?;
        rows.into_iter().map(JoinRequest::try_from).collect()
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
        .or_internal()?;
        if done.rows_affected() == 0 {
            return Err(Error::conflict("There is no pending request to withdraw."));
        }
        Ok(())
    }
}

crate::write::write_alone! {
    /// Approves or declines a pending request; approval makes the person a member. Returns
    /// whose request it was.
    fn decide_request(
        &self,
        community: CommunityId,
        request: i64,
        approve: bool,
        by: AccountId,
    ) -> AccountId;
}

impl Write {
    /// Asks to join, in the use case's transaction (which tells the coordinators). One pending
    /// request per person and community. Returns the request's id.
    pub async fn request_to_join(
        &mut self,
        community: CommunityId,
        account: AccountId,
        answers: &[JoinAnswer],
    ) -> Result<i64> {
        let now = self.now();
        if role_in(self.conn(), community, account)
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
        .bind(serde_json::to_string(answers).or_internal()?)
        .bind(now)
        .fetch_one(self.conn())
        .await;
        match inserted {
            Ok((id,)) => Ok(id),
            Err(e) => Err(unique_or(
                e,
                Error::conflict("Your request to join is already waiting for a coordinator."),
            )),
        }
    }

    /// Approves or declines a pending request; approval makes the person a member. Returns
    /// whose request it was.
    pub async fn decide_request(
        &mut self,
        community: CommunityId,
        request: i64,
        approve: bool,
        by: AccountId,
    ) -> Result<AccountId> {
        let now = self.now();
        let status = if approve {
            RequestStatus::Approved
        } else {
            RequestStatus::Declined
        };
        let row: Option<(AccountId,)> = sqlx::query_as(
            "UPDATE join_requests SET status = $1, decided_by = $2, decided_at = $3 \
             WHERE id = $4 AND community_id = $5 AND status = 'pending' RETURNING account_id",
        )
        .bind(status.as_str())
        .bind(by)
        .bind(now)
        .bind(request)
        .bind(community)
        .fetch_optional(self.conn())
        .await
        .or_internal()?;
        let Some((account,)) = row else {
            return Err(Error::NotFound);
        };
        if approve
            && !role_in(self.conn(), community, account)
                .await?
                .is_some_and(Role::is_member)
        {
            put_membership(self.conn(), community, account, Role::Member, now).await?;
            let member = Some(Role::Member);
            log(
                self.conn(),
                community,
                account,
                "approved",
                member,
                Some(by),
                now,
            )
            .await?;
        }
        Ok(account)
    }
}
