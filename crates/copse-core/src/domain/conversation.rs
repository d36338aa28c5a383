//! Direct conversations between a few members, and connection requests that lead to a meeting.

use chrono::NaiveDateTime;

use crate::clock::Millis;
use crate::domain::{AccountId, CommunityId, EventId, Person};

pub type ConversationId = i64;

/// A conversation as one participant sees it in their list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversation {
    pub id: ConversationId,
    pub community_id: CommunityId,
    pub subject: String,
    pub created_at: Millis,
    pub last_message_at: Millis,
    pub people: Vec<Person>,
    /// Messages newer than what the participant read.
    pub unread: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    pub id: i64,
    pub author: Person,
    pub body: String,
    pub created_at: Millis,
    /// Why it is hidden (flagged, or by a moderator): the others in the conversation see
    /// that it is, not what it says.
    pub hidden: Option<String>,
}

/// A connection request as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Connection {
    pub id: i64,
    pub community_id: CommunityId,
    pub from: Person,
    pub to: Person,
    pub topic: String,
    pub message: String,
    /// `pending`, `accepted`, `declined` or `withdrawn`.
    pub status: String,
    pub conversation_id: Option<ConversationId>,
    pub event_id: Option<EventId>,
    pub created_at: Millis,
}

/// A meeting time proposed for an accepted connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Proposal {
    pub id: i64,
    pub proposed_by: AccountId,
    pub time_zone: String,
    pub start_local: NaiveDateTime,
    pub end_local: NaiveDateTime,
    pub starts_at: Millis,
}
