//! Direct conversations between a few members, their messages and read state, and blocks.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::clock::Millis;
use copse_core::domain::{AccountId, CommunityId, Person};
use sqlx::AssertSqlSafe;

use crate::{Store, Write};
use copse_core::domain::{Conversation, ConversationId, Message};

/// Where a message was written: its conversation and that conversation's community.
#[derive(Debug, Clone)]
pub struct MessageHome {
    pub conversation: ConversationId,
    pub community: CommunityId,
    pub author: AccountId,
    /// Why it is hidden, if it is.
    pub hidden: Option<String>,
}

impl Store {
    /// A message's conversation, community and author (for flags and the moderators).
    pub async fn message_home(&self, message: i64) -> Result<Option<MessageHome>> {
        let row: Option<(ConversationId, CommunityId, AccountId, Option<String>)> = sqlx::query_as(
            "SELECT c.id, c.community_id, x.author_id, x.hidden_reason \
                 FROM messages x JOIN conversations c ON c.id = x.conversation_id WHERE x.id = $1",
        )
        .bind(message)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(
            row.map(|(conversation, community, author, hidden)| MessageHome {
                conversation,
                community,
                author,
                hidden,
            }),
        )
    }

    /// Whether the account takes part in the conversation.
    pub async fn in_conversation(
        &self,
        conversation: ConversationId,
        account: Option<AccountId>,
    ) -> Result<bool> {
        let Some(account) = account else {
            return Ok(false);
        };
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM conversation_members WHERE conversation_id = $1 AND account_id = $2",
        )
        .bind(conversation)
        .bind(account)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.is_some())
    }

    async fn people_of(&self, conversations: &[ConversationId]) -> Result<Vec<(i64, Person)>> {
        if conversations.is_empty() {
            return Ok(Vec::new());
        }
        let list = (1..=conversations.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT m.conversation_id, a.id, a.handle, a.display_name FROM conversation_members m \
             JOIN accounts a ON a.id = m.account_id WHERE m.conversation_id IN ({list}) ORDER BY a.display_name"
        );
        let mut q = sqlx::query_as::<_, (i64, i64, String, String)>(AssertSqlSafe(sql));
        for c in conversations {
            q = q.bind(*c);
        }
        Ok(q.fetch_all(&self.pool)
            .await
            .or_internal()?
            .into_iter()
            .map(|(c, id, handle, display_name)| {
                (
                    c,
                    Person {
                        id: AccountId(id),
                        handle,
                        display_name,
                    },
                )
            })
            .collect())
    }

    /// The account's conversations, newest activity first (at most `limit`), with unread counts.
    pub async fn conversations_of(
        &self,
        account: AccountId,
        limit: i64,
    ) -> Result<Vec<Conversation>> {
        let rows: Vec<(i64, i64, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.community_id, c.subject, c.created_at, c.last_message_at, \
             (SELECT COUNT(*) FROM messages x WHERE x.conversation_id = c.id AND x.id > m.last_read_id) \
             FROM conversations c JOIN conversation_members m ON m.conversation_id = c.id AND m.account_id = $1 \
             ORDER BY c.last_message_at DESC, c.id DESC LIMIT $2",
        )
        .bind(account)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        let people = self.people_of(&ids).await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, community_id, subject, created_at, last_message_at, unread)| Conversation {
                    id,
                    community_id: CommunityId(community_id),
                    subject,
                    created_at,
                    last_message_at,
                    people: people
                        .iter()
                        .filter(|(c, _)| *c == id)
                        .map(|(_, p)| p.clone())
                        .collect(),
                    unread,
                },
            )
            .collect())
    }

    /// One conversation as `account` sees it (None when they are not in it).
    pub async fn conversation_for(
        &self,
        id: ConversationId,
        account: AccountId,
    ) -> Result<Option<Conversation>> {
        let row: Option<(i64, i64, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT c.id, c.community_id, c.subject, c.created_at, c.last_message_at, \
             (SELECT COUNT(*) FROM messages x WHERE x.conversation_id = c.id AND x.id > m.last_read_id) \
             FROM conversations c JOIN conversation_members m ON m.conversation_id = c.id AND m.account_id = $2 \
             WHERE c.id = $1",
        )
        .bind(id)
        .bind(account)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        let Some((id, community_id, subject, created_at, last_message_at, unread)) = row else {
            return Ok(None);
        };
        let people = self.people_of(&[id]).await?;
        Ok(Some(Conversation {
            id,
            community_id: CommunityId(community_id),
            subject,
            created_at,
            last_message_at,
            people: people.into_iter().map(|(_, p)| p).collect(),
            unread,
        }))
    }

    /// The conversation a message is in.
    pub async fn conversation_of_message(&self, message: i64) -> Result<Option<ConversationId>> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT conversation_id FROM messages WHERE id = $1")
                .bind(message)
                .fetch_optional(&self.pool)
                .await
                .or_internal()?;
        Ok(row.map(|(c,)| c))
    }

    /// A message's author and whether `reader` has read it (None when the reader is not in the
    /// conversation, the message is not in it, or it is hidden — no e-mail tells of it then).
    pub async fn message_for(
        &self,
        conversation: ConversationId,
        message: i64,
        reader: AccountId,
    ) -> Result<Option<(Person, bool)>> {
        let row: Option<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT a.id, a.handle, a.display_name, CASE WHEN m.last_read_id >= x.id THEN 1 ELSE 0 END \
             FROM messages x JOIN accounts a ON a.id = x.author_id \
             JOIN conversation_members m ON m.conversation_id = x.conversation_id AND m.account_id = $3 \
             WHERE x.id = $2 AND x.conversation_id = $1 AND x.hidden_at IS NULL",
        )
        .bind(conversation)
        .bind(message)
        .bind(reader)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.map(|(id, handle, display_name, read)| {
            (
                Person {
                    id: AccountId(id),
                    handle,
                    display_name,
                },
                read == 1,
            )
        }))
    }

    /// For the accounts `lo..=hi`: their conversations with messages made in `[since, until)`
    /// that they have not read — (account, conversation, subject, unread messages); one query
    /// for a batch of digests.
    pub async fn unread_conversations_between(
        &self,
        lo: AccountId,
        hi: AccountId,
        since: Millis,
        until: Millis,
    ) -> Result<Vec<(AccountId, i64, String, i64)>> {
        sqlx::query_as(
            "SELECT m.account_id, c.id, c.subject, \
             (SELECT COUNT(*) FROM messages x WHERE x.conversation_id = c.id AND x.id > m.last_read_id \
              AND x.created_at >= $3 AND x.created_at < $4) AS unread \
             FROM conversation_members m JOIN conversations c ON c.id = m.conversation_id \
             WHERE m.account_id BETWEEN $1 AND $2 AND c.last_message_at >= $3 AND EXISTS \
             (SELECT 1 FROM messages x WHERE x.conversation_id = c.id AND x.id > m.last_read_id \
              AND x.created_at >= $3 AND x.created_at < $4) \
             ORDER BY m.account_id, c.last_message_at DESC",
        )
        .bind(lo)
        .bind(hi)
        .bind(since)
        .bind(until)
        .fetch_all(&self.pool)
        .await
        .or_internal()
    }

    /// How many conversations have unread messages for the account (for the header).
    pub async fn unread_conversations(&self, account: AccountId) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM conversation_members m WHERE m.account_id = $1 AND EXISTS \
             (SELECT 1 FROM messages x WHERE x.conversation_id = m.conversation_id AND x.id > m.last_read_id)",
        )
        .bind(account)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(n)
    }

    /// Messages of a conversation, oldest first, the newest `limit`.
    pub async fn messages(&self, conversation: ConversationId, limit: i64) -> Result<Vec<Message>> {
        type Row = (i64, i64, String, String, String, i64, Option<String>);
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT x.id, a.id, a.handle, a.display_name, x.body, x.created_at, x.hidden_reason \
             FROM messages x \
             JOIN accounts a ON a.id = x.author_id WHERE x.conversation_id = $1 ORDER BY x.id DESC LIMIT $2",
        )
        .bind(conversation)
        .bind(limit)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        let mut out: Vec<Message> = rows
            .into_iter()
            .map(
                |(id, aid, handle, display_name, body, created_at, hidden)| Message {
                    id,
                    author: Person {
                        id: AccountId(aid),
                        handle,
                        display_name,
                    },
                    body,
                    created_at,
                    hidden,
                },
            )
            .collect();
        out.reverse();
        Ok(out)
    }

    /// Marks everything in the conversation read for the account.
    pub async fn mark_conversation_read(
        &self,
        conversation: ConversationId,
        account: AccountId,
    ) -> Result<()> {
        sqlx::query(
            "UPDATE conversation_members SET last_read_id = COALESCE((SELECT MAX(id) FROM messages WHERE conversation_id = $1), 0) \
             WHERE conversation_id = $1 AND account_id = $2",
        )
        .bind(conversation)
        .bind(account)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// Leaves a conversation: it disappears from the account's list and they read no more.
    pub async fn leave_conversation(
        &self,
        conversation: ConversationId,
        account: AccountId,
    ) -> Result<()> {
        sqlx::query(
            "DELETE FROM conversation_members WHERE conversation_id = $1 AND account_id = $2",
        )
        .bind(conversation)
        .bind(account)
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    /// How many conversations the account started since `since` (for the daily limit).
    pub async fn conversations_started_since(
        &self,
        account: AccountId,
        since: Millis,
    ) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM conversations WHERE created_by = $1 AND created_at >= $2",
        )
        .bind(account)
        .bind(since)
        .fetch_one(&self.pool)
        .await
        .or_internal()?;
        Ok(n)
    }

    pub async fn block(&self, blocker: AccountId, blocked: AccountId) -> Result<()> {
        sqlx::query(
            "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
        )
        .bind(blocker)
        .bind(blocked)
        .bind(self.now())
        .execute(&self.pool)
        .await
        .or_internal()?;
        Ok(())
    }

    pub async fn unblock(&self, blocker: AccountId, blocked: AccountId) -> Result<()> {
        sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
            .bind(blocker)
            .bind(blocked)
            .execute(&self.pool)
            .await
            .or_internal()?;
        Ok(())
    }

    /// Whether either of the two has blocked the other.
    pub async fn blocked_between(&self, a: AccountId, b: AccountId) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM blocks WHERE (blocker_id = $1 AND blocked_id = $2) OR (blocker_id = $2 AND blocked_id = $1)",
        )
        .bind(a)
        .bind(b)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.is_some())
    }

    /// The people an account has blocked.
    pub async fn blocked_by(&self, account: AccountId) -> Result<Vec<Person>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT a.id, a.handle, a.display_name FROM blocks b JOIN accounts a ON a.id = b.blocked_id \
             WHERE b.blocker_id = $1 ORDER BY a.display_name LIMIT 1000",
        )
        .bind(account)
        .fetch_all(&self.pool)
        .await
        .or_internal()?;
        Ok(rows
            .into_iter()
            .map(|(id, handle, display_name)| Person {
                id: AccountId(id),
                handle,
                display_name,
            })
            .collect())
    }

    /// A community both accounts are members of (not observers), if any — the one they share
    /// longest first.
    pub async fn shared_community(
        &self,
        a: AccountId,
        b: AccountId,
    ) -> Result<Option<CommunityId>> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT x.community_id FROM memberships x JOIN memberships y ON y.community_id = x.community_id \
             WHERE x.account_id = $1 AND y.account_id = $2 AND x.role IN ('member', 'leader', 'coordinator') \
             AND y.role IN ('member', 'leader', 'coordinator') ORDER BY x.community_id LIMIT 1",
        )
        .bind(a)
        .bind(b)
        .fetch_optional(&self.pool)
        .await
        .or_internal()?;
        Ok(row.map(|(c,)| c).map(CommunityId))
    }
}

impl Write {
    /// Starts a conversation among `people` (the creator included) with a first message.
    /// Returns the conversation and the message.
    pub async fn create_conversation(
        &mut self,
        community: CommunityId,
        creator: AccountId,
        people: &[AccountId],
        subject: &str,
        first_message: &str,
    ) -> Result<(ConversationId, i64)> {
        let now = self.now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO conversations (community_id, subject, created_by, created_at, last_message_at) \
             VALUES ($1, $2, $3, $4, $4) RETURNING id",
        )
        .bind(community)
        .bind(subject)
        .bind(creator)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        for person in people {
            sqlx::query(
                "INSERT INTO conversation_members (conversation_id, account_id, joined_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (conversation_id, account_id) DO NOTHING",
            )
            .bind(id)
            .bind(*person)
            .bind(now)
            .execute(self.conn())
            .await
            .or_internal()?;
        }
        let (message,): (i64,) = sqlx::query_as(
            "INSERT INTO messages (conversation_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(id)
        .bind(creator)
        .bind(first_message)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        sqlx::query(
            "UPDATE conversation_members SET last_read_id = $3 WHERE conversation_id = $1 AND account_id = $2",
        )
        .bind(id)
        .bind(creator)
        .bind(message)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok((id, message))
    }

    /// Adds a message; the author has read up to it.
    pub async fn add_message(
        &mut self,
        conversation: ConversationId,
        author: AccountId,
        body: &str,
    ) -> Result<i64> {
        let now = self.now();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO messages (conversation_id, author_id, body, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
        )
        .bind(conversation)
        .bind(author)
        .bind(body)
        .bind(now)
        .fetch_one(self.conn())
        .await
        .or_internal()?;
        sqlx::query("UPDATE conversations SET last_message_at = $2 WHERE id = $1")
            .bind(conversation)
            .bind(now)
            .execute(self.conn())
            .await
            .or_internal()?;
        sqlx::query(
            "UPDATE conversation_members SET last_read_id = $3 WHERE conversation_id = $1 AND account_id = $2",
        )
        .bind(conversation)
        .bind(author)
        .bind(id)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(id)
    }
}

crate::write::write_alone! {
    /// Starts a conversation among `people` (the creator included) with a first message.
    fn create_conversation(&self, community: CommunityId, creator: AccountId, people: &[AccountId], subject: &str, first_message: &str) -> (ConversationId, i64);
    /// Adds a message; the author has read up to it.
    fn add_message(&self, conversation: ConversationId, author: AccountId, body: &str) -> i64;
}
