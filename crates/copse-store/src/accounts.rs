//! Accounts and profiles.

use copse_core::OrInternal;
use copse_core::domain::{Account, AccountId, NewAccount, Profile};
use copse_core::{Error, Result};

use sqlx::AssertSqlSafe;

use crate::rows::{ACCOUNT_COLUMNS, AccountRow};
use crate::{Store, Write, db_err, flag, is_unique_violation};

impl Store {
    /// Creates an account with its profile; a taken handle or e-mail is a conflict naming the field.
    pub async fn create_account(&self, new: &NewAccount) -> Result<Account> {
        let mut w = self.write().await?;
        let created = w.create_account(new).await;
        let id = w.finish(created).await?;
        self.account(id).await?.ok_or(Error::NotFound)
    }

    pub async fn account(&self, id: AccountId) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1");
        self.account_where(&sql, id.to_string(), true).await
    }

    pub async fn account_by_handle(&self, handle: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.handle = $1");
        self.account_where(&sql, handle.to_ascii_lowercase(), false)
            .await
    }

    pub async fn account_by_email(&self, email: &str) -> Result<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM accounts a WHERE a.email = $1");
        self.account_where(&sql, email.to_lowercase(), false).await
    }

    async fn account_where(
        &self,
        sql: &str,
        key: String,
        numeric: bool,
    ) -> Result<Option<Account>> {
        let query = sqlx::query_as::<_, AccountRow>(AssertSqlSafe(sql.to_string()));
        let query = if numeric {
            query.bind(key.parse::<i64>().unwrap_or(-1))
        } else {
            query.bind(key)
        };
        let Some(row) = query.fetch_optional(&self.pool).await.or_internal()? else {
            return Ok(None);
        };
        let expertise = self.expertise_of(AccountId(row.id)).await?;
        Ok(Some(row.into_account(expertise)))
    }

    pub(crate) async fn expertise_of(&self, id: AccountId) -> Result<Vec<String>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT label FROM account_expertise WHERE account_id = $1 ORDER BY position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows.into_iter().map(|(l,)| l).collect())
    }

    /// The stored password hash for sign-in, with the account it belongs to.
    pub async fn credentials(&self, email: &str) -> Result<Option<(Account, String)>> {
        let row: Option<(i64, String)> =
            sqlx::query_as("SELECT id, password_hash FROM accounts WHERE email = $1")
                .bind(email.to_lowercase())
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        match row {
            None => Ok(None),
            Some((id, hash)) => Ok(self.account(AccountId(id)).await?.map(|a| (a, hash))),
        }
    }

    pub async fn password_hash(&self, id: AccountId) -> Result<String> {
        let (hash,): (String,) = sqlx::query_as("SELECT password_hash FROM accounts WHERE id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await
            .or_internal()?;
        Ok(hash)
    }

    pub async fn update_profile(&self, id: AccountId, profile: &Profile) -> Result<Account> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE accounts SET display_name = $1, bio = $2, organisation = $3, department = $4, \
             country = $5, time_zone = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(&profile.display_name)
        .bind(&profile.bio)
        .bind(&profile.organisation)
        .bind(&profile.department)
        .bind(&profile.country)
        .bind(&profile.time_zone)
        .bind(self.now())
        .bind(id)
        .execute(&mut *tx)
        .await
        .or_internal()?;
        sqlx::query("DELETE FROM account_expertise WHERE account_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await
            .or_internal()?;
        write_expertise(&mut tx, id, &profile.expertise).await?;
        tx.commit().await.or_internal()?;
        self.account(id).await?.ok_or(Error::NotFound)
    }

    /// Whether any account exists (a new site has none), without counting them.
    pub async fn has_accounts(&self) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT id FROM accounts LIMIT 1")
            .fetch_optional(&self.pool)
            .await
            .or_internal()?;
        Ok(row.is_some())
    }

    pub async fn count_accounts(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts")
            .fetch_one(&self.pool)
            .await
            .or_internal()?;
        Ok(n)
    }
}

crate::write::write_alone! {
    /// Sets a new password hash and ends every session of the account in one transaction, so
    /// a stolen session dies with the old password.
    fn set_password(&self, id: AccountId, hash: &str) -> ();
}

impl Write {
    /// Sets a new password hash and ends every session of the account (a password reset also
    /// revokes its API tokens: [`Write::reset_password`]).
    pub async fn set_password(&mut self, id: AccountId, hash: &str) -> Result<()> {
        let now = self.now();
        sqlx::query("UPDATE accounts SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now)
            .bind(id)
            .execute(self.conn())
            .await
            .or_internal()?;
        self.end_sessions(id).await
    }

    /// Ends every browser session of the account.
    pub async fn end_sessions(&mut self, id: AccountId) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE account_id = $1")
            .bind(id)
            .execute(self.conn())
            .await
            .or_internal()?;
        Ok(())
    }

    /// Creates an account with its profile, in the transaction of the use case (a sign-up adds
    /// the job that sends its verification link in the same one). A taken handle or e-mail is a
    /// conflict naming the field.
    pub async fn create_account(&mut self, new: &NewAccount) -> Result<AccountId> {
        let now = self.now();
        let verified_at = new.email_verified.then_some(now);
        let inserted: std::result::Result<(AccountId,), sqlx::Error> = sqlx::query_as(
            "INSERT INTO accounts (handle, email, password_hash, display_name, bio, organisation, \
             department, country, time_zone, is_admin, email_verified_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(new.handle.as_str())
        .bind(new.email.as_str())
        .bind(&new.password_hash)
        .bind(&new.profile.display_name)
        .bind(&new.profile.bio)
        .bind(&new.profile.organisation)
        .bind(&new.profile.department)
        .bind(&new.profile.country)
        .bind(&new.profile.time_zone)
        .bind(flag(new.is_admin))
        .bind(verified_at)
        .bind(now)
        .fetch_one(self.conn())
        .await;
        let (id,) = match inserted {
            Ok(row) => row,
            Err(e) if is_unique_violation(&e) => {
                return Err(if e.to_string().contains("handle") {
                    Error::conflict_on("handle", "this handle is taken")
                } else {
                    Error::conflict_on("email", "an account with this e-mail already exists")
                });
            }
            Err(e) => return Err(db_err(e)),
        };
        write_expertise(self.conn(), id, &new.profile.expertise).await?;
        Ok(id)
    }
}

async fn write_expertise(
    tx: &mut sqlx::AnyConnection,
    id: AccountId,
    expertise: &[String],
) -> Result<()> {
    for (position, label) in expertise.iter().enumerate() {
        sqlx::query(
            "INSERT INTO account_expertise (account_id, position, label) VALUES ($1, $2, $3)",
        )
        .bind(id)
        .bind(position as i64)
        .bind(label)
        .execute(&mut *tx)
        .await
        .or_internal()?;
    }
    Ok(())
}
