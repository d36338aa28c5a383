//! Wire types of practice: people, topics, threads and replies.

use copse_core::clock::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PersonView {
    pub handle: String,
    pub display_name: String,
}

impl From<&copse_core::domain::Person> for PersonView {
    fn from(p: &copse_core::domain::Person) -> Self {
        PersonView {
            handle: p.handle.clone(),
            display_name: p.display_name.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TopicView {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TopicList {
    pub items: Vec<TopicView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTopic {
    #[schema(
        pattern = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: String,
    #[schema(min_length = 2, max_length = 60)]
    pub name: String,
    #[schema(max_length = 300)]
    pub description: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TopicTag {
    pub slug: String,
    pub name: String,
}

/// A thread. `body` is the Markdown source.
#[derive(Serialize, ToSchema)]
pub struct ThreadView {
    pub id: i64,
    pub community: String,
    pub space: copse_core::domain::Space,
    pub kind: copse_core::domain::ThreadKind,
    pub title: String,
    pub body: String,
    pub link: Option<String>,
    pub author: PersonView,
    pub topics: Vec<TopicTag>,
    pub accepted_reply_id: Option<i64>,
    pub canonical: bool,
    pub reply_count: i64,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub last_activity_at: String,
    /// Pinned to the top of the community's list.
    pub pinned: bool,
    /// Locked: it takes no new replies.
    pub locked: bool,
    /// A question a moderator closed: it takes no new answers and is not "unanswered".
    pub closed: bool,
    /// Set when the thread is hidden (only its author and the moderators see it): why.
    pub hidden: Option<String>,
}

impl ThreadView {
    pub fn new(t: &copse_core::domain::Thread, community: &str) -> Self {
        ThreadView {
            id: t.id,
            community: community.to_string(),
            space: t.space,
            kind: t.kind,
            title: t.title.clone(),
            body: t.body.clone(),
            link: t.link.clone(),
            author: PersonView::from(&t.author),
            topics: t
                .topics
                .iter()
                .map(|tp| TopicTag {
                    slug: tp.slug.clone(),
                    name: tp.name.clone(),
                })
                .collect(),
            accepted_reply_id: t.accepted_reply_id,
            canonical: t.canonical,
            reply_count: t.reply_count,
            created_at: rfc3339(t.created_at),
            edited_at: t.edited_at.map(rfc3339),
            last_activity_at: rfc3339(t.last_activity_at),
            pinned: t.pinned,
            locked: t.locked,
            closed: t.closed,
            hidden: t.hidden.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThreadPage {
    pub items: Vec<ThreadView>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct QuotedView {
    pub id: i64,
    pub author: String,
    /// Empty when the quoted reply was deleted.
    pub body: String,
}

/// A reply. Deleted replies keep their place with `deleted: true` and no text.
#[derive(Serialize, ToSchema)]
pub struct ReplyView {
    pub id: i64,
    pub author: PersonView,
    pub body: String,
    pub body_html: String,
    pub quoted: Option<QuotedView>,
    pub helpful: i64,
    pub marked_helpful_by_you: bool,
    pub accepted: bool,
    pub deleted: bool,
    /// Set when the reply is hidden: why. Its text is empty for all but its author and the
    /// moderators.
    pub hidden: Option<String>,
    pub created_at: String,
    pub edited_at: Option<String>,
}

impl ReplyView {
    pub fn new(r: &copse_core::domain::Reply, accepted: Option<i64>) -> Self {
        ReplyView {
            id: r.id,
            author: PersonView::from(&r.author),
            body: r.body.clone(),
            body_html: if r.deleted || r.body.is_empty() {
                String::new()
            } else {
                copse_app::markdown::to_html(&r.body)
            },
            quoted: r.quoted.as_ref().map(|q| QuotedView {
                id: q.id,
                author: q.author_handle.clone(),
                body: q.body.clone(),
            }),
            helpful: r.helpful,
            marked_helpful_by_you: r.marked_by_viewer,
            accepted: accepted == Some(r.id),
            deleted: r.deleted,
            hidden: r.hidden.clone(),
            created_at: rfc3339(r.created_at),
            edited_at: r.edited_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ThreadWithReplies {
    #[serde(flatten)]
    pub thread: ThreadView,
    /// The body rendered to sanitized HTML.
    pub body_html: String,
    pub replies: Vec<ReplyView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateThread {
    /// Default `discussion`; `announcement` needs a coordinator or leader.
    pub kind: Option<copse_core::domain::ThreadKind>,
    /// Default `public`.
    pub space: Option<copse_core::domain::Space>,
    #[schema(min_length = 3, max_length = 200)]
    pub title: String,
    /// Markdown, at most 64 KiB.
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
    /// For resources: an http(s) address.
    #[schema(max_length = 2000)]
    pub link: Option<String>,
    /// Slugs of the community's topics.
    #[schema(max_items = 5)]
    pub topics: Option<Vec<String>>,
    /// With `space: circle`: the circle (you must be in it).
    pub circle: Option<i64>,
    /// Your uploads (`POST /api/v1/files`) to attach; files the body links to are attached too.
    #[schema(max_items = 10)]
    pub files: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateThread {
    #[schema(min_length = 3, max_length = 200)]
    pub title: Option<String>,
    #[schema(min_length = 1, max_length = 65536)]
    pub body: Option<String>,
    #[schema(max_length = 2000)]
    pub link: Option<String>,
    #[schema(max_items = 5)]
    pub topics: Option<Vec<String>>,
    /// Library: mark canonical (coordinators and leaders).
    pub canonical: Option<bool>,
    /// Move the thread into this circle of its community (its author or a coordinator, who is
    /// in the circle): from then on only the circle reads it.
    pub move_to_circle: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateReply {
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
    /// A reply of the same thread to quote.
    pub quote: Option<i64>,
    /// Your uploads to attach; files the body links to are attached too.
    #[schema(max_items = 10)]
    pub files: Option<Vec<String>>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateReply {
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptBody {
    /// The reply to accept; null clears the accepted answer.
    pub reply_id: Option<i64>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTopic {
    #[schema(min_length = 2, max_length = 60)]
    pub name: Option<String>,
    /// A new address; the old one keeps redirecting.
    #[schema(
        pattern = "^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$",
        min_length = 2,
        max_length = 64
    )]
    pub slug: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeTopic {
    /// The topic to merge into.
    #[schema(min_length = 2, max_length = 64)]
    pub into: String,
}
