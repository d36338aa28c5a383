//! `GET /api/v1/search`: threads, replies and resources across the communities you may read.

use axum::Json;
use axum::extract::State;
use copse_core::clock::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiQuery;
use crate::state::WebState;
use copse_app::search::{self as app, SearchInput, snippet_html};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// Words (all must match), "quoted phrases", -excluded words.
    #[param(min_length = 1, max_length = 500)]
    q: String,
    /// A community slug.
    community: Option<String>,
    /// A topic slug.
    topic: Option<String>,
    /// discussion, question, resource or announcement.
    kind: Option<String>,
    /// `answered` or `unanswered` (questions).
    status: Option<String>,
    /// An author's handle.
    author: Option<String>,
    /// First day, YYYY-MM-DD (UTC).
    from: Option<String>,
    /// Last day, YYYY-MM-DD (UTC).
    to: Option<String>,
    /// Page number, 1–50.
    page: Option<i64>,
    /// Hits per page, clamped to 1–50 (default 20).
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct SearchHitView {
    pub thread_id: i64,
    /// Set when the match is in a reply.
    pub reply_id: Option<i64>,
    pub title: String,
    pub kind: copse_core::domain::ThreadKind,
    pub community: String,
    pub community_name: String,
    pub author: String,
    pub created_at: String,
    /// An excerpt around the match, HTML-escaped, matches in `<mark>`.
    pub snippet_html: String,
    /// Where to read it.
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct SearchResultsView {
    pub items: Vec<SearchHitView>,
    pub page: i64,
    /// The next page number, if there are more hits.
    pub next_page: Option<i64>,
    /// How many threads match (each is one hit, its best match), counted up to 1000: 1000
    /// means "1000 or more".
    pub threads_found: i64,
}

/// Search what you may read, best matches first, one hit per thread.
#[utoipa::path(get, path = "/api/v1/search", tag = "practice", params(SearchParams),
    responses(
        (status = 200, body = SearchResultsView),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 422, description = "Nothing to search for, or an invalid filter", body = ErrorBody),
    ))]
pub async fn search(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiQuery(p): ApiQuery<SearchParams>,
) -> Result<Json<SearchResultsView>, ApiError> {
    let input = SearchInput {
        q: p.q,
        community: p.community,
        topic: p.topic,
        kind: p.kind,
        status: p.status,
        author: p.author,
        from: p.from,
        to: p.to,
        page: p.page,
        limit: p.limit,
    };
    let results = app::search(&state, &viewer.actor(), &input).await?;
    Ok(Json(SearchResultsView {
        items: results
            .hits
            .iter()
            .map(|h| SearchHitView {
                thread_id: h.thread_id,
                reply_id: h.reply_id,
                title: h.title.clone(),
                kind: h.kind,
                community: h.community_slug.clone(),
                community_name: h.community_name.clone(),
                author: h.author_handle.clone(),
                created_at: rfc3339(h.created_at),
                snippet_html: snippet_html(&h.snippet),
                url: match h.reply_id {
                    Some(r) => format!("/t/{}#reply-{r}", h.thread_id),
                    None => format!("/t/{}", h.thread_id),
                },
            })
            .collect(),
        page: results.page,
        next_page: results.has_more.then_some(results.page + 1),
        threads_found: results.threads_found,
    }))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new().routes(routes!(search))
}
