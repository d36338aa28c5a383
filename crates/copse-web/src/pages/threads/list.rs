//! A community's discussions: the list of threads, filtered by kind, topic and answer.

use askama::Template;
use axum::extract::State;
use copse_core::clock::human_date;
use copse_core::domain::{Space, Thread, ThreadKind};
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::extract::{PagePath, PageQuery};
use crate::pages::communities::{CommunityHead, head, urlencode};
use crate::pages::{Nav, Notice, PageResult, nav, render};
use crate::state::WebState;
use copse_app::threads::{self as app, ListInput};

struct ThreadRow {
    id: i64,
    title: String,
    kind: &'static str,
    members_only: bool,
    answered: bool,
    canonical: bool,
    topics: Vec<(String, String)>,
    author: String,
    author_handle: String,
    replies: i64,
    active: String,
}

impl From<&Thread> for ThreadRow {
    fn from(t: &Thread) -> Self {
        ThreadRow {
            id: t.id,
            title: t.title.clone(),
            kind: t.kind.as_str(),
            members_only: t.space == Space::Members,
            answered: t.accepted_reply_id.is_some(),
            canonical: t.canonical,
            topics: t
                .topics
                .iter()
                .map(|tp| (tp.slug.clone(), tp.name.clone()))
                .collect(),
            author: t.author.display_name.clone(),
            author_handle: t.author.handle.clone(),
            replies: t.reply_count,
            active: human_date(t.last_activity_at),
        }
    }
}

#[derive(Template)]
#[template(path = "community_threads.html")]
struct ThreadsPage {
    nav: Nav,
    c: CommunityHead,
    kinds: Vec<&'static str>,
    topics: Vec<(String, String)>,
    filter_kind: String,
    filter_status: String,
    filter_topic: String,
    threads: Vec<ThreadRow>,
    next_link: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ThreadsQuery {
    kind: Option<String>,
    status: Option<String>,
    topic: Option<String>,
    cursor: Option<String>,
}

pub async fn list(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<ThreadsQuery>,
) -> PageResult {
    let actor = viewer.actor();
    let input = ListInput {
        kind: q.kind.clone(),
        status: q.status.clone(),
        topic: q.topic.clone(),
        library: false,
        limit: Some(30),
        cursor: q.cursor.clone(),
    };
    let (gated, page) = app::list(&state, &actor, &slug, &input).await?;
    let topics = copse_app::communities::topics(&state, &gated).await?;
    let filters = format!(
        "kind={}&status={}&topic={}",
        urlencode(q.kind.as_deref().unwrap_or("")),
        urlencode(q.status.as_deref().unwrap_or("")),
        urlencode(q.topic.as_deref().unwrap_or(""))
    );
    render(&ThreadsPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "threads").await?,
        kinds: ThreadKind::ALL.iter().map(|k| k.as_str()).collect(),
        topics: topics.into_iter().map(|t| (t.slug, t.name)).collect(),
        filter_kind: q.kind.unwrap_or_default(),
        filter_status: q.status.unwrap_or_default(),
        filter_topic: q.topic.unwrap_or_default(),
        threads: page.items.iter().map(ThreadRow::from).collect(),
        next_link: page
            .next
            .map(|c| format!("/c/{slug}/threads?{filters}&cursor={}", c.encode())),
    })
}
