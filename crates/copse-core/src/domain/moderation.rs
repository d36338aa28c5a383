//! Moderation: flags on posts, the review queue they fill, the thread tools (pin, lock, hide),
//! silences in a community, and the log every moderation deed writes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::community::text_enum;
use super::text::{multi_line, single_line};
use crate::clock::{DAY, Millis};
use crate::domain::{AccountId, CommunityId, Person};
use crate::error::{Error, Result};

/// Why someone flagged a post.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FlagReason {
    Spam,
    OffTopic,
    Inappropriate,
    /// Something else, said in the flag's note.
    Other,
}

text_enum!(FlagReason, "reason", {
    Spam => "spam", OffTopic => "off_topic", Inappropriate => "inappropriate", Other => "other",
});

impl FlagReason {
    pub fn label(self) -> &'static str {
        match self {
            FlagReason::Spam => "Spam",
            FlagReason::OffTopic => "Off-topic",
            FlagReason::Inappropriate => "Inappropriate",
            FlagReason::Other => "Something else",
        }
    }
}

/// What can be flagged and moderated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    Thread,
    Reply,
    /// A person (silences and removals are about someone, not a post).
    Account,
    /// A value story.
    Story,
    /// A comment on a value story.
    StoryComment,
    /// A message in a conversation.
    Message,
    /// What a person says about themselves on their profile (a site-wide thing: site admins
    /// review it).
    Profile,
}

text_enum!(Target, "target", {
    Thread => "thread", Reply => "reply", Account => "account", Story => "story",
    StoryComment => "story_comment", Message => "message", Profile => "profile",
});

impl Target {
    /// Whether this is a thread or a reply (which live in threads and their spaces).
    pub fn is_post(self) -> bool {
        matches!(self, Target::Thread | Target::Reply)
    }
}

/// A validated flag: its reason, and a note (required for "something else").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFlag {
    pub reason: FlagReason,
    pub note: Option<String>,
}

impl NewFlag {
    pub fn parse(reason: Option<&str>, note: Option<&str>) -> Result<NewFlag> {
        let reason = FlagReason::parse(reason.unwrap_or("").trim())?;
        let note = match note.map(str::trim).filter(|n| !n.is_empty()) {
            Some(n) => Some(multi_line("note", n, 1, 1000)?),
            None => None,
        };
        if reason == FlagReason::Other && note.is_none() {
            return Err(Error::invalid(
                "note",
                "say what is wrong (required for \"something else\")",
            ));
        }
        Ok(NewFlag { reason, note })
    }
}

/// The reason a moderator gives for a deed: optional, one line, at most 500 characters.
pub fn parse_reason(raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        Some(r) => single_line("reason", r, 1, 500).map(Some),
        None => Ok(None),
    }
}

/// The words shown on a post that flags hid until a moderator looks at it.
pub const HIDDEN_BY_FLAGS: &str = "Hidden while a moderator looks at it (flagged by members).";

/// The words shown on a new member's post that waits for a moderator's approval.
pub const AWAITING_APPROVAL: &str =
    "Waiting for a moderator's approval: a new member's first posts are looked at first.";

/// The longest silence a moderator may give in one go.
pub const MAX_SILENCE_DAYS: i64 = 365;

/// How long a silence lasts, in whole days (1 to 365).
pub fn parse_silence_days(raw: Option<&str>) -> Result<Millis> {
    let days: i64 = raw
        .unwrap_or("")
        .trim()
        .parse()
        .map_err(|_| Error::invalid("days", "must be a whole number of days"))?;
    if !(1..=MAX_SILENCE_DAYS).contains(&days) {
        return Err(Error::invalid(
            "days",
            format!("must be between 1 and {MAX_SILENCE_DAYS}"),
        ));
    }
    Ok(days * DAY)
}

/// Every kind of deed the moderation log records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModAction {
    Pin,
    Unpin,
    Lock,
    Unlock,
    Hide,
    Unhide,
    /// Hidden by enough flags, pending review (no moderator did it).
    HiddenByFlags,
    Delete,
    /// The flags on a post were looked at and nothing was done.
    Dismiss,
    Silence,
    Unsilence,
    /// A new member's post that waited was let through.
    Approve,
    /// A question closed to new answers, or opened again.
    Close,
    Reopen,
    /// A message to a member that they must acknowledge (its words are theirs alone).
    Warn,
    /// A duplicate thread merged into another.
    Merge,
    /// A thread moved to another community (logged in both).
    Move,
    /// Replies split off into a new thread.
    Split,
}

text_enum!(ModAction, "action", {
    Pin => "pin", Unpin => "unpin", Lock => "lock", Unlock => "unlock", Hide => "hide",
    Unhide => "unhide", HiddenByFlags => "hidden_by_flags", Delete => "delete",
    Dismiss => "dismiss", Silence => "silence", Unsilence => "unsilence", Approve => "approve",
    Close => "close", Reopen => "reopen", Warn => "warn", Merge => "merge", Move => "move",
    Split => "split",
});

impl ModAction {
    /// The deed in a sentence's words ("pinned", "hid"), for the log page.
    pub fn past(self) -> &'static str {
        match self {
            ModAction::Pin => "pinned",
            ModAction::Unpin => "unpinned",
            ModAction::Lock => "locked",
            ModAction::Unlock => "unlocked",
            ModAction::Hide => "hid",
            ModAction::Unhide => "made visible again",
            ModAction::HiddenByFlags => "hid after members' flags",
            ModAction::Delete => "deleted",
            ModAction::Dismiss => "dismissed the flags on",
            ModAction::Silence => "silenced",
            ModAction::Unsilence => "lifted the silence of",
            ModAction::Approve => "approved",
            ModAction::Close => "closed the question",
            ModAction::Reopen => "reopened the question",
            ModAction::Warn => "wrote a warning to",
            ModAction::Merge => "merged a duplicate into",
            ModAction::Move => "moved",
            ModAction::Split => "split replies off into",
        }
    }
}

/// One entry of a community's moderation log. Who flagged is never part of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogEntry {
    pub id: i64,
    pub community_id: Option<CommunityId>,
    /// The moderator; none for what flags did on their own.
    pub moderator: Option<Person>,
    pub action: ModAction,
    pub target: Target,
    pub target_id: i64,
    /// What it was about, in words: a thread's title, "a reply in …", a person's name.
    pub summary: String,
    pub reason: Option<String>,
    pub created_at: Millis,
}

/// A deed to write into the log, in the transaction of the deed.
#[derive(Debug, Clone)]
pub struct NewLogEntry {
    /// The community; none for a deed about a profile (the site-wide log's).
    pub community: Option<CommunityId>,
    pub moderator: Option<AccountId>,
    pub action: ModAction,
    pub target: Target,
    pub target_id: i64,
    /// Whose post or who: kept so the review queue can show an author's history.
    pub subject: Option<AccountId>,
    pub summary: String,
    pub reason: Option<String>,
}

/// A flagged post in the review queue, with what the flags say (never who made them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueItem {
    /// The community the post is in (its address); none for a profile (the site's).
    pub community: Option<String>,
    pub target: Target,
    pub target_id: i64,
    /// The thread of a thread or reply; the story of a story or a comment on one.
    pub parent_id: Option<i64>,
    /// What it is in or about, in words: a thread's title, a story's gist, a conversation's
    /// subject, a person's name.
    pub about: String,
    /// The text of the post, as it is now.
    pub body: String,
    pub author: Person,
    pub flags: i64,
    pub reasons: Vec<FlagReason>,
    pub notes: Vec<String>,
    /// Hidden now (by flags or a moderator).
    pub hidden: bool,
    /// A new member's post waiting for approval (it has no flags then).
    pub awaiting: bool,
    /// When it was first flagged, or written (awaiting approval).
    pub first_flagged_at: Millis,
    /// The author's record in this community: posts, and earlier moderation deeds about them.
    pub author_posts: i64,
    pub author_actions: i64,
}

/// Someone's silence in a community: they read but do not post until it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    pub until: Millis,
    pub reason: Option<String>,
}

/// A moderator's message to a member that they have not acknowledged yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    pub id: i64,
    pub community_slug: String,
    pub community_name: String,
    pub message: String,
    pub created_at: Millis,
}

/// A warning's words: 1 to 2,000 characters.
pub fn parse_warning(raw: &str) -> Result<String> {
    multi_line("message", raw.trim(), 1, 2000)
}
