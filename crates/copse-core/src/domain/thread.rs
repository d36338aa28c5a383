//! Practice: threads of four kinds in a space of a community, replies with one level of quoting,
//! accepted answers, helpful marks and the edit history that keeps changes visible.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::community::text_enum;
use super::text::{multi_line, single_line};
use crate::clock::Millis;
use crate::domain::account::AccountId;
use crate::domain::community::CommunityId;
use crate::error::{Error, Result};

pub type ThreadId = i64;
pub type ReplyId = i64;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ThreadKind {
    Discussion,
    Question,
    /// A link or document worth keeping, with a description.
    Resource,
    /// News from the core group; only coordinators and leaders post them.
    Announcement,
}

text_enum!(ThreadKind, "kind", {
    Discussion => "discussion", Question => "question", Resource => "resource", Announcement => "announcement",
});

/// Where a thread or event lives inside its community: public, members-only, a private circle,
/// or (events only) a direct conversation between a few members.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Space {
    /// Readable by whoever may read the community's public spaces.
    Public,
    /// Readable by members only.
    Members,
    /// Readable by the members of one circle only.
    Circle,
    /// Readable by the people of one direct conversation only (meetings they agreed on).
    Direct,
}

text_enum!(Space, "space", { Public => "public", Members => "members", Circle => "circle", Direct => "direct" });

/// The documented limit of a Markdown body, in bytes.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
pub const MAX_TOPICS_PER_THREAD: usize = 5;

pub fn parse_title(raw: &str) -> Result<String> {
    single_line("title", raw, 3, 200)
}

/// A Markdown body: not empty, at most 64 KiB.
pub fn parse_body(raw: &str) -> Result<String> {
    if raw.len() > MAX_BODY_BYTES {
        return Err(Error::invalid(
            "body",
            format!(
                "must be at most {} KiB (got {} bytes)",
                MAX_BODY_BYTES / 1024,
                raw.len()
            ),
        ));
    }
    multi_line("body", raw, 1, MAX_BODY_BYTES)
}

/// An optional web link for resources: http or https, at most 2,000 characters.
pub fn parse_link(raw: Option<&str>) -> Result<Option<String>> {
    let Some(raw) = raw.map(str::trim).filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let lower = raw.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("https://") || lower.starts_with("http://");
    if !scheme_ok || raw.len() > 2000 || raw.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(Error::invalid(
            "link",
            "must be an http:// or https:// address",
        ));
    }
    Ok(Some(raw.to_string()))
}

/// A validated new thread. Topics are slugs of the community's topics.
#[derive(Debug, Clone)]
pub struct NewThread {
    pub kind: ThreadKind,
    pub space: Space,
    /// Set exactly when `space` is `Circle`.
    pub circle_id: Option<i64>,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub topics: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: AccountId,
    pub handle: String,
    pub display_name: String,
}

/// A thread as stored, with its author.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Thread {
    pub id: ThreadId,
    pub community_id: CommunityId,
    pub space: Space,
    /// The circle, for a thread in the circle space.
    pub circle_id: Option<i64>,
    pub kind: ThreadKind,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub author: Person,
    pub accepted_reply_id: Option<ReplyId>,
    pub canonical: bool,
    pub reply_count: i64,
    pub topics: Vec<TopicRef>,
    pub created_at: Millis,
    pub edited_at: Option<Millis>,
    pub last_activity_at: Millis,
    /// Pinned to the top of its community's list.
    pub pinned: bool,
    /// Locked: no new replies.
    pub locked: bool,
    /// A question a moderator closed: no new answers, and not "unanswered".
    pub closed: bool,
    /// Hidden from all but its author and the moderators, and why.
    pub hidden: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicRef {
    pub slug: String,
    pub name: String,
}

/// A reply. A deleted reply keeps its place with no text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    pub id: ReplyId,
    pub thread_id: ThreadId,
    pub author: Person,
    pub body: String,
    pub quoted: Option<Quoted>,
    pub helpful: i64,
    /// Whether the viewer marked it helpful.
    pub marked_by_viewer: bool,
    pub created_at: Millis,
    pub edited_at: Option<Millis>,
    pub deleted: bool,
    /// Hidden from all but its author and the moderators, and why.
    pub hidden: Option<String>,
}

/// The reply a reply quotes (one level only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    pub id: ReplyId,
    pub author_handle: String,
    /// Empty when the quoted reply was deleted.
    pub body: String,
}

/// An earlier version of a thread or reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub title: Option<String>,
    pub body: String,
    pub editor_handle: String,
    pub created_at: Millis,
}

/// A topic of a community's own taxonomy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
}

/// Which threads a list shows.
#[derive(Debug, Clone, Default)]
pub struct ThreadQuery {
    pub kind: Option<ThreadKind>,
    /// For questions: `Some(true)` answered, `Some(false)` unanswered.
    pub answered: Option<bool>,
    pub topic: Option<String>,
    /// Only the library: canonical threads and resources.
    pub library: bool,
}

/// A list or search filter on answered questions: `answered`, `unanswered`, or all (`all`,
/// empty or absent).
pub fn parse_answered(raw: Option<&str>) -> Result<Option<bool>> {
    match raw.map(str::trim) {
        None | Some("") | Some("all") => Ok(None),
        Some("answered") => Ok(Some(true)),
        Some("unanswered") => Ok(Some(false)),
        Some(_) => Err(Error::invalid(
            "status",
            "must be one of: all, answered, unanswered",
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_bounded_in_bytes() {
        assert!(parse_body(&"a".repeat(MAX_BODY_BYTES)).is_ok());
        let err = parse_body(&"a".repeat(MAX_BODY_BYTES + 1)).unwrap_err();
        assert!(matches!(err, Error::Invalid { ref field, .. } if field == "body"));
        assert!(parse_body("   ").is_err());
    }

    #[test]
    fn links_must_be_web_addresses() {
        assert_eq!(
            parse_link(Some(" https://who.int/x ")).unwrap().as_deref(),
            Some("https://who.int/x")
        );
        assert_eq!(parse_link(Some("")).unwrap(), None);
        for bad in [
            "javascript:alert(1)",
            "ftp://x",
            "https://a b",
            "data:text/html,x",
        ] {
            assert!(parse_link(Some(bad)).is_err(), "{bad}");
        }
    }
}

/// Why someone is told about something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    /// Someone replied to your thread.
    Reply,
    /// Someone mentioned you with @handle.
    Mention,
    /// Your reply was accepted as the answer.
    Accepted,
    /// A new thread in a topic you follow.
    Topic,
    /// A value story credits your thread or event.
    Credited,
    /// Someone commented on your value story.
    StoryComment,
    /// The community's check-in asks what you learned and applied.
    CheckIn,
    /// A message in one of your conversations (e-mailed only; the site shows unread
    /// conversations in the header).
    Message,
    /// A new thread in one of your circles.
    Circle,
    /// Someone asks to join a community you coordinate.
    JoinRequest,
    /// A coordinator approved your request to join (the welcome e-mail follows).
    JoinApproved,
    /// A coordinator declined your request to join.
    JoinDeclined,
    /// A community you belong to was merged into another (this one).
    Merged,
}

text_enum!(NotificationKind, "kind", {
    Reply => "reply", Mention => "mention", Accepted => "accepted", Topic => "topic",
    Credited => "credited", StoryComment => "story_comment", CheckIn => "check_in",
    Message => "message", Circle => "circle", JoinRequest => "join_request",
    JoinApproved => "join_approved", JoinDeclined => "join_declined",
    Merged => "merged",
});

impl NotificationKind {
    /// What happened, as words between the actor and the title.
    pub fn verb(self) -> &'static str {
        match self {
            NotificationKind::Reply => "replied to",
            NotificationKind::Mention => "mentioned you in",
            NotificationKind::Accepted => "accepted your answer in",
            NotificationKind::Topic => "started a thread in a topic you follow:",
            NotificationKind::Credited => "credited your contribution in a value story:",
            NotificationKind::StoryComment => "commented on your value story:",
            NotificationKind::CheckIn => "asks in this check-in:",
            NotificationKind::Message => "wrote to you in",
            NotificationKind::Circle => "posted in your circle:",
            NotificationKind::JoinRequest => "asks to join",
            NotificationKind::JoinApproved => "let you into",
            NotificationKind::JoinDeclined => "declined your request to join",
            NotificationKind::Merged => "merged a community you belong to into",
        }
    }
}

/// A notification about a thread (and maybe one reply), a value story or a check-in round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    pub id: i64,
    pub kind: NotificationKind,
    pub thread_id: Option<ThreadId>,
    pub story_id: Option<i64>,
    pub checkin_id: Option<i64>,
    /// The thread's title, the start of the story, or the check-in's prompt.
    pub title: String,
    pub reply_id: Option<ReplyId>,
    pub community_slug: String,
    pub actor_handle: String,
    pub actor_name: String,
    pub created_at: Millis,
    pub read: bool,
}

impl Notification {
    /// Where the notification leads.
    pub fn url(&self) -> String {
        match self.kind {
            NotificationKind::JoinRequest => return format!("/c/{}/requests", self.community_slug),
            NotificationKind::JoinApproved
            | NotificationKind::JoinDeclined
            | NotificationKind::Merged => {
                return format!("/c/{}", self.community_slug);
            }
            _ => {}
        }
        match (
            self.thread_id,
            self.reply_id,
            self.story_id,
            self.checkin_id,
        ) {
            (Some(t), Some(r), _, _) => format!("/t/{t}#reply-{r}"),
            (Some(t), None, _, _) => format!("/t/{t}"),
            (None, _, Some(s), _) => format!("/stories/{s}"),
            (None, _, None, Some(k)) => format!("/checkins/{k}"),
            _ => format!("/c/{}", self.community_slug),
        }
    }

    /// What happened, as words between the actor and the title.
    pub fn verb(&self) -> &'static str {
        self.kind.verb()
    }
}

/// The handles mentioned in a text (`@handle`), at most `max`, without duplicates.
pub fn mentioned_handles(text: &str, max: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let bytes = text.as_bytes();
    for (i, _) in text.match_indices('@') {
        // A mention starts a word: not the middle of an e-mail address.
        if i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_') {
            continue;
        }
        let handle: String = text[i + 1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect::<String>()
            .to_ascii_lowercase();
        if (2..=32).contains(&handle.len()) && !out.contains(&handle) {
            out.push(handle);
            if out.len() == max {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod mention_tests {
    use super::mentioned_handles;

    #[test]
    fn mentions_are_words_starting_with_at() {
        assert_eq!(
            mentioned_handles("Thanks @Maya and @tom_becker! cc @maya", 10),
            vec!["maya", "tom_becker"]
        );
        assert!(mentioned_handles("write to ada@example.org", 10).is_empty());
        assert_eq!(mentioned_handles("@a @bb @cc @dd", 2), vec!["bb", "cc"]);
    }
}
