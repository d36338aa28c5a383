//! Deleting an account for good. The row stays, scrubbed, so that what its owner wrote in public
//! can stay under "a former member"; everything personal goes: address, password, profile,
//! sessions, tokens, memberships, private messages, connections, answers and choices, the
//! picture (its bytes are removed by the worker's file clean-up, which finds no one has it, as it
//! does an unattached upload's). On request their public contributions go too, and with them the
//! files attached to them.

use copse_core::OrInternal;
use copse_core::Result;
use copse_core::domain::AccountId;

use crate::Write;

/// The name a deleted account shows under.
pub const FORMER_MEMBER: &str = "a former member";

/// What is removed of every deleted account: rows that are about the person alone.
const PERSONAL: &[&str] = &[
    "DELETE FROM sessions WHERE account_id = $1",
    "DELETE FROM account_identities WHERE account_id = $1",
    "DELETE FROM sso_logins WHERE link_account = $1",
    "DELETE FROM api_tokens WHERE account_id = $1",
    "DELETE FROM data_exports WHERE account_id = $1",
    "DELETE FROM email_tokens WHERE account_id = $1",
    "DELETE FROM account_expertise WHERE account_id = $1",
    "DELETE FROM memberships WHERE account_id = $1",
    "DELETE FROM join_requests WHERE account_id = $1",
    "DELETE FROM invitations WHERE account_id = $1",
    "DELETE FROM topic_follows WHERE account_id = $1",
    "DELETE FROM notifications WHERE account_id = $1 OR actor_id = $1",
    "DELETE FROM event_hosts WHERE account_id = $1",
    "DELETE FROM rsvps WHERE account_id = $1",
    "DELETE FROM reminder_settings WHERE account_id = $1",
    "DELETE FROM calendar_tokens WHERE account_id = $1",
    "DELETE FROM circle_members WHERE account_id = $1",
    "DELETE FROM circle_requests WHERE account_id = $1",
    "DELETE FROM messages WHERE author_id = $1",
    "DELETE FROM conversation_members WHERE account_id = $1",
    "DELETE FROM blocks WHERE blocker_id = $1 OR blocked_id = $1",
    "DELETE FROM meeting_proposals WHERE proposed_by = $1",
    "DELETE FROM connections WHERE from_id = $1 OR to_id = $1",
    "DELETE FROM checkin_answers WHERE account_id = $1",
    "DELETE FROM participation_levels WHERE account_id = $1",
    "DELETE FROM level_changes WHERE account_id = $1",
    "DELETE FROM email_settings WHERE account_id = $1",
    "DELETE FROM email_deliveries WHERE account_id = $1",
    "DELETE FROM newsletter_optouts WHERE account_id = $1",
    "DELETE FROM story_endorsements WHERE account_id = $1",
    // Who flagged what is never shown; it goes with the flagger (flags on their own posts stay
    // for the moderators until those posts go).
    "DELETE FROM flags WHERE flagger_id = $1",
    "DELETE FROM silences WHERE account_id = $1",
    "DELETE FROM warnings WHERE account_id = $1",
];

/// What "remove what I wrote too" removes, in order: replies first (so that the threads they
/// leave behind are counted right), the threads nobody else answered, the opening text of those
/// others did, value stories and comments.
const CONTRIBUTIONS: &[&str] = &[
    "DELETE FROM edits WHERE reply_id IN (SELECT id FROM replies WHERE author_id = $1)",
    "DELETE FROM helpful_marks WHERE reply_id IN (SELECT id FROM replies WHERE author_id = $1)",
    "UPDATE threads SET accepted_reply_id = NULL, accepted_at = NULL \
     WHERE accepted_reply_id IN (SELECT id FROM replies WHERE author_id = $1)",
    "UPDATE replies SET deleted_at = $2, body = '' WHERE author_id = $1 AND deleted_at IS NULL",
    "UPDATE threads SET reply_count = (SELECT COUNT(*) FROM replies r \
     WHERE r.thread_id = threads.id AND r.deleted_at IS NULL) \
     WHERE id IN (SELECT thread_id FROM replies WHERE author_id = $1)",
    "DELETE FROM edits WHERE thread_id IN (SELECT id FROM threads WHERE author_id = $1)",
    "UPDATE threads SET deleted_at = $2, title = '', body = '', link = NULL \
     WHERE author_id = $1 AND deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM replies r \
     WHERE r.thread_id = threads.id AND r.deleted_at IS NULL)",
    "UPDATE threads SET body = '*(Removed at its author''s request.)*', link = NULL \
     WHERE author_id = $1 AND deleted_at IS NULL",
    "DELETE FROM value_stories WHERE author_id = $1",
    "UPDATE story_comments SET deleted_at = $2, body = '' WHERE author_id = $1 AND deleted_at IS NULL",
];

impl Write {
    /// The communities (slug, name) where the account is the only coordinator while others
    /// are members: someone must take over before it may go.
    pub async fn sole_coordinations(&mut self, id: AccountId) -> Result<Vec<(String, String)>> {
        sqlx::query_as(
            "SELECT c.slug, c.name FROM memberships m JOIN communities c ON c.id = m.community_id \
             WHERE m.account_id = $1 AND m.role = 'coordinator' \
             AND NOT EXISTS (SELECT 1 FROM memberships o WHERE o.community_id = m.community_id \
                 AND o.account_id <> $1 AND o.role = 'coordinator') \
             AND EXISTS (SELECT 1 FROM memberships o WHERE o.community_id = m.community_id \
                 AND o.account_id <> $1 AND o.role <> 'observer') \
             ORDER BY c.name",
        )
        .bind(id)
        .fetch_all(self.conn())
        .await
        .or_internal()
    }

    /// Deletes the account for good (see the module's comment); with `contributions`, what it
    /// wrote in communities goes too. Returns the handle it is known by from now on.
    pub async fn erase_account(&mut self, id: AccountId, contributions: bool) -> Result<String> {
        let now = self.now();
        if contributions {
            for sql in CONTRIBUTIONS {
                let query = sqlx::query(*sql).bind(id);
                let query = if sql.contains("$2") {
                    query.bind(now)
                } else {
                    query
                };
                query.execute(self.conn()).await.or_internal()?;
            }
        }
        for sql in PERSONAL {
            sqlx::query(*sql)
                .bind(id)
                .execute(self.conn())
                .await
                .or_internal()?;
        }
        let handle = format!("former-member-{}", id.0);
        sqlx::query(
            "UPDATE accounts SET handle = $1, email = $2, password_hash = '!', display_name = $3, \
             bio = NULL, organisation = NULL, department = NULL, country = NULL, time_zone = NULL, \
             is_admin = 0, email_verified_at = NULL, suspended_at = NULL, suspended_reason = NULL, \
             suspended_until = NULL, avatar_file = NULL, deleted_at = $4, updated_at = $4 \
             WHERE id = $5",
        )
        .bind(&handle)
        .bind(format!("deleted-{}@invalid", id.0))
        .bind(FORMER_MEMBER)
        .bind(now)
        .bind(id)
        .execute(self.conn())
        .await
        .or_internal()?;
        Ok(handle)
    }
}
