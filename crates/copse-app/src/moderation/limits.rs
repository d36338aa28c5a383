//! Posting limits: how many threads, replies, conversation messages and value stories an
//! account may write in a while, stricter in its first day, and how many links a new account
//! may put in one post. Counted inside the
//! write that would add one more, so a burst of requests cannot slip past together.

use copse_core::clock::{DAY, HOUR, Millis};
use copse_core::domain::Account;
use copse_core::{Error, Result};
use copse_store::Write;

/// At most `max` posts in any `per_ms`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    pub max: i64,
    pub per_ms: Millis,
}

/// The site's posting limits (the `[posting_limits]` section of the config file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostingLimits {
    /// An account is new for this long after it was made: stricter limits, and its flags do
    /// not hide posts.
    pub new_account_ms: Millis,
    pub new_threads: Rate,
    pub new_replies: Rate,
    pub threads: Rate,
    pub replies: Rate,
    pub new_messages: Rate,
    pub messages: Rate,
    pub new_stories: Rate,
    pub stories: Rate,
    /// Links a new account may put in one post.
    pub new_links_per_post: usize,
}

impl Default for PostingLimits {
    fn default() -> Self {
        PostingLimits {
            new_account_ms: DAY,
            new_threads: Rate {
                max: 3,
                per_ms: HOUR,
            },
            new_replies: Rate {
                max: 10,
                per_ms: HOUR,
            },
            threads: Rate {
                max: 20,
                per_ms: HOUR,
            },
            replies: Rate {
                max: 60,
                per_ms: HOUR,
            },
            new_messages: Rate {
                max: 10,
                per_ms: HOUR,
            },
            messages: Rate {
                max: 120,
                per_ms: HOUR,
            },
            new_stories: Rate {
                max: 2,
                per_ms: HOUR,
            },
            stories: Rate {
                max: 10,
                per_ms: HOUR,
            },
            new_links_per_post: 2,
        }
    }
}

/// What is about to be written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PostKind {
    Thread,
    Reply,
    Message,
    Story,
}

impl PostKind {
    /// Its rate for a new account or another, and its name in a refusal.
    fn rate(self, limits: &PostingLimits, new: bool) -> (Rate, &'static str) {
        let l = limits;
        match self {
            PostKind::Thread => (if new { l.new_threads } else { l.threads }, "threads"),
            PostKind::Reply => (if new { l.new_replies } else { l.replies }, "replies"),
            PostKind::Message => (if new { l.new_messages } else { l.messages }, "messages"),
            PostKind::Story => (if new { l.new_stories } else { l.stories }, "stories"),
        }
    }

    /// The table its kind is written to.
    fn table(self) -> &'static str {
        match self {
            PostKind::Thread => "threads",
            PostKind::Reply => "replies",
            PostKind::Message => "messages",
            PostKind::Story => "value_stories",
        }
    }
}

/// Refuses a post the limits do not allow: too many links from a new account (422), or one
/// post too many in the window (429, with when the oldest post in it leaves the window).
/// Site admins are not limited.
pub(crate) async fn check_posting(
    w: &mut Write,
    limits: &PostingLimits,
    author: &Account,
    post: PostKind,
    text: &str,
) -> Result<()> {
    if author.is_admin {
        return Ok(());
    }
    let now = w.now();
    let new = now - author.created_at < limits.new_account_ms;
    if new && links_in(text) > limits.new_links_per_post {
        return Err(Error::invalid(
            "body",
            format!(
                "a new account may put at most {} links in a post during its first day",
                limits.new_links_per_post
            ),
        ));
    }
    let (rate, what) = post.rate(limits, new);
    let (count, oldest) = w
        .posts_since(author.id, post.table(), now - rate.per_ms)
        .await?;
    if count < rate.max {
        return Ok(());
    }
    let wait = oldest
        .map_or(rate.per_ms, |t| t + rate.per_ms - now)
        .max(1000);
    let minutes = (wait + 59_999) / 60_000;
    let newness = if new {
        " (new accounts are limited more)"
    } else {
        ""
    };
    Err(Error::too_many(
        format!(
            "You have written {count} {what} in the last {} minutes, the most allowed{newness}. \
             Try again in {minutes} minute{}.",
            rate.per_ms / 60_000,
            if minutes == 1 { "" } else { "s" }
        ),
        Some(wait),
    ))
}

/// The web addresses in a text (each `http://` or `https://`).
fn links_in(text: &str) -> usize {
    let lower = text.to_ascii_lowercase();
    lower.matches("http://").count() + lower.matches("https://").count()
}

#[cfg(test)]
mod tests {
    use super::links_in;

    #[test]
    fn links_are_counted_by_scheme() {
        assert_eq!(links_in("see https://a.example and HTTP://b.example/x"), 2);
        assert_eq!(links_in("no links, just http: talk"), 0);
    }
}
