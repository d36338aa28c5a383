//! The search page: one box across the threads, replies and resources the reader may read.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::clock::human_date;
use copse_core::domain::ThreadKind;
use copse_core::search::SearchHit;
use serde::Deserialize;

use super::communities::urlencode;
use super::{Nav, Notice, PageResult, form_problem, nav, render_with_status};
use crate::auth::PageViewer;
use crate::extract::PageQuery;
use crate::state::WebState;
use copse_app::search::{self as app, SearchInput, snippet_html};

#[derive(Deserialize, Default)]
pub struct SearchForm {
    #[serde(default)]
    q: String,
    #[serde(default)]
    community: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    author: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    page: Option<i64>,
}

impl SearchForm {
    fn any_filter(&self) -> bool {
        [
            &self.community,
            &self.topic,
            &self.kind,
            &self.status,
            &self.author,
            &self.from,
            &self.to,
        ]
        .iter()
        .any(|f| !f.is_empty())
    }

    fn link(&self, page: i64) -> String {
        let pairs = [
            ("q", &self.q),
            ("community", &self.community),
            ("topic", &self.topic),
            ("kind", &self.kind),
            ("status", &self.status),
            ("author", &self.author),
            ("from", &self.from),
            ("to", &self.to),
        ];
        let mut link = String::from("/search?");
        for (k, v) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
            link.push_str(&format!("{k}={}&", urlencode(v)));
        }
        format!("{link}page={page}")
    }
}

struct FormShown {
    q: String,
    community: String,
    topic: String,
    kind: String,
    status: String,
    author: String,
    from: String,
    to: String,
    any_filter: bool,
}

struct HitShown {
    url: String,
    title: String,
    kind: &'static str,
    in_reply: bool,
    author: String,
    community: String,
    when: String,
    snippet_html: String,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    nav: Nav,
    f: FormShown,
    communities: Vec<(String, String)>,
    kinds: Vec<&'static str>,
    searched: bool,
    error: Option<String>,
    hits: Vec<HitShown>,
    /// "3 threads", "more than 1,000 threads".
    found: String,
    prev_link: Option<String>,
    next_link: Option<String>,
}

impl SearchForm {
    /// The search as the use case takes it, twenty hits a page.
    fn input(&self) -> SearchInput {
        SearchInput {
            q: self.q.clone(),
            community: Some(self.community.clone()),
            topic: Some(self.topic.clone()),
            kind: Some(self.kind.clone()),
            status: Some(self.status.clone()),
            author: Some(self.author.clone()),
            from: Some(self.from.clone()),
            to: Some(self.to.clone()),
            page: self.page,
            limit: Some(20),
        }
    }
}

impl From<&SearchHit> for HitShown {
    fn from(h: &SearchHit) -> Self {
        HitShown {
            url: match h.reply_id {
                Some(r) => format!("/t/{}#reply-{r}", h.thread_id),
                None => format!("/t/{}", h.thread_id),
            },
            title: h.title.clone(),
            kind: h.kind.as_str(),
            in_reply: h.reply_id.is_some(),
            author: h.author_handle.clone(),
            community: h.community_name.clone(),
            when: human_date(h.created_at),
            snippet_html: snippet_html(&h.snippet),
        }
    }
}

/// The count above the results, in words (the cap is 1,000: `app::COUNT_CAP`).
fn threads_found(count: i64) -> String {
    if count >= app::COUNT_CAP {
        "more than 1,000 threads".to_string()
    } else {
        copse_core::words::counted(count, "thread", "threads")
    }
}

pub async fn search(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PageQuery(form): PageQuery<SearchForm>,
) -> PageResult {
    let actor = viewer.actor();
    let communities = match &viewer.account {
        Some(a) => copse_app::accounts::my_communities(&state, a)
            .await?
            .into_iter()
            .map(|(slug, name, _)| (slug, name))
            .collect(),
        None => Vec::new(),
    };
    let searched = !form.q.trim().is_empty();
    let (mut hits, mut error, mut status) = (Vec::new(), None, axum::http::StatusCode::OK);
    let mut found = String::new();
    let (mut prev_link, mut next_link) = (None, None);
    if searched {
        let input = form.input();
        match app::search(&state, &actor, &input).await {
            Ok(results) => {
                hits = results.hits.iter().map(HitShown::from).collect();
                found = threads_found(results.threads_found);
                prev_link = (results.page > 1).then(|| form.link(results.page - 1));
                next_link = results.has_more.then(|| form.link(results.page + 1));
            }
            Err(e) => {
                let (problem_status, message) = form_problem(e)?;
                status = problem_status;
                error = Some(message);
            }
        }
    }
    render_with_status(
        status,
        &SearchPage {
            nav: nav(&state, &viewer, notice).await?,
            f: FormShown {
                any_filter: form.any_filter(),
                q: form.q,
                community: form.community,
                topic: form.topic,
                kind: form.kind,
                status: form.status,
                author: form.author,
                from: form.from,
                to: form.to,
            },
            communities,
            kinds: ThreadKind::ALL.iter().map(|k| k.as_str()).collect(),
            searched,
            error,
            hits,
            found,
            prev_link,
            next_link,
        },
    )
}

/// The pages of this area and their form posts.
pub fn routes() -> Router<WebState> {
    Router::new().route("/search", get(search))
}
