//! Atom feeds of a community's new threads and of one topic. Feed readers fetch without signing
//! in, so a feed shows exactly what an anonymous reader may see: public-space threads of public
//! communities. Anything else answers as if it did not exist.

use atom_syndication::{Content, Entry, Feed, Link, Person, Text};
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use copse_core::OrInternal;
use copse_core::domain::Thread;
use copse_core::policy::Actor;

use super::site;
use crate::error::PageError;
use crate::extract::PagePath;
use crate::state::WebState;
use copse_app::markdown;
use copse_app::threads::{self as app, ListInput};

/// Entries per feed.
const ENTRIES: i64 = 50;

fn time(millis: i64) -> atom_syndication::FixedDateTime {
    chrono::DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .fixed_offset()
}

fn link(href: String, rel: &str) -> Link {
    Link {
        href,
        rel: rel.to_string(),
        ..Link::default()
    }
}

fn entry(site: &str, t: &Thread) -> Entry {
    let url = format!("{site}/t/{}", t.id);
    Entry {
        id: url.clone(),
        title: Text::plain(t.title.clone()),
        updated: time(t.edited_at.unwrap_or(t.created_at)),
        published: Some(time(t.created_at)),
        authors: vec![Person {
            name: t.author.display_name.clone(),
            uri: Some(format!("{site}/u/{}", t.author.handle)),
            ..Person::default()
        }],
        links: vec![link(url, "alternate")],
        content: Some(Content {
            // A reader reads the entry away from the site: mentions link to it in full.
            value: Some(markdown::to_html_linking(&t.body, &|path| {
                format!("{site}{path}")
            })),
            content_type: Some("html".into()),
            ..Content::default()
        }),
        ..Entry::default()
    }
}

fn atom(feed: Feed) -> Result<Response, PageError> {
    let xml = feed.write_to(Vec::new()).or_internal()?;
    Ok((
        [(header::CONTENT_TYPE, "application/atom+xml; charset=utf-8")],
        xml,
    )
        .into_response())
}

async fn threads_feed(
    state: &WebState,
    headers: &HeaderMap,
    slug: &str,
    topic: Option<String>,
) -> Result<Response, PageError> {
    // Always as an anonymous reader: feeds carry no identity.
    let actor = Actor::Anonymous;
    let (title, self_path, topic_slug) = match &topic {
        None => (None, format!("/c/{slug}/feed.atom"), None),
        Some(t) => {
            let (_, topic, _) = app::topic(state, &actor, slug, t).await?;
            (
                Some(topic.name.clone()),
                format!("/c/{slug}/topics/{}/feed.atom", topic.slug),
                Some(topic.slug),
            )
        }
    };
    let input = ListInput {
        topic: topic_slug.clone(),
        limit: Some(ENTRIES),
        ..ListInput::default()
    };
    let (gated, page) = app::list(state, &actor, slug, &input).await?;
    let c = &gated.community;
    let site = site(state, headers);
    let page_url = match &topic_slug {
        None => format!("{site}/c/{slug}/threads"),
        Some(t) => format!("{site}/c/{slug}/topics/{t}"),
    };
    let updated = page
        .items
        .iter()
        .map(|t| t.edited_at.unwrap_or(t.created_at))
        .max()
        .unwrap_or(c.updated_at);
    atom(Feed {
        title: Text::plain(match title {
            None => format!("{} — new threads", c.name),
            Some(topic) => format!("{} — {topic}", c.name),
        }),
        id: format!("{site}{self_path}"),
        updated: time(updated),
        subtitle: Some(Text::plain(markdown::excerpt(&c.domain_statement, 200))),
        links: vec![
            link(format!("{site}{self_path}"), "self"),
            link(page_url, "alternate"),
        ],
        entries: page.items.iter().map(|t| entry(&site, t)).collect(),
        ..Feed::default()
    })
}

/// An entry of a feed whose items are not threads (the newsletter archive).
pub struct FeedItem {
    pub path: String,
    pub title: String,
    pub published: i64,
    pub updated: i64,
    pub author: String,
    /// Sanitized HTML.
    pub html: String,
}

/// A feed of `items` titled `title`, served at `self_path`, whose page is `page_path`.
pub fn simple_feed(
    state: &WebState,
    headers: &HeaderMap,
    title: String,
    self_path: &str,
    page_path: &str,
    items: Vec<FeedItem>,
    updated_when_empty: i64,
) -> Result<Response, PageError> {
    let site = site(state, headers);
    let updated = items
        .iter()
        .map(|i| i.updated)
        .max()
        .unwrap_or(updated_when_empty);
    atom(Feed {
        title: Text::plain(title),
        id: format!("{site}{self_path}"),
        updated: time(updated),
        links: vec![
            link(format!("{site}{self_path}"), "self"),
            link(format!("{site}{page_path}"), "alternate"),
        ],
        entries: items
            .into_iter()
            .map(|i| {
                let url = format!("{site}{}", i.path);
                Entry {
                    id: url.clone(),
                    title: Text::plain(i.title),
                    updated: time(i.updated),
                    published: Some(time(i.published)),
                    authors: vec![Person {
                        name: i.author,
                        ..Person::default()
                    }],
                    links: vec![link(url, "alternate")],
                    content: Some(Content {
                        value: Some(i.html),
                        content_type: Some("html".into()),
                        ..Content::default()
                    }),
                    ..Entry::default()
                }
            })
            .collect(),
        ..Feed::default()
    })
}

pub async fn community(
    State(state): State<WebState>,
    headers: HeaderMap,
    PagePath(slug): PagePath<String>,
) -> Result<Response, PageError> {
    threads_feed(&state, &headers, &slug, None).await
}

pub async fn topic(
    State(state): State<WebState>,
    headers: HeaderMap,
    PagePath((slug, topic)): PagePath<(String, String)>,
) -> Result<Response, PageError> {
    threads_feed(&state, &headers, &slug, Some(topic)).await
}

/// The pages of this area and their form posts.
pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/feed.atom", get(community))
        .route("/c/{slug}/topics/{topic}/feed.atom", get(topic))
}
