//! Practice: threads, replies, answers, helpful marks and topics.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::communities::bad_cursor;
use super::views::*;
use crate::auth::ApiSignedIn;
use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::threads::{self as app, ListInput, ThreadInput};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ThreadParams {
    /// discussion, question, resource or announcement.
    kind: Option<String>,
    /// `answered` or `unanswered` (questions).
    status: Option<String>,
    /// A topic slug.
    topic: Option<String>,
    /// Only library (canonical) threads.
    library: Option<bool>,
    /// Page size, clamped to 1–200 (default 50).
    limit: Option<i64>,
    cursor: Option<String>,
}

/// The community's threads you may read, most recently active first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/threads", operation_id = "list_threads", tag = "practice",
    params(("slug" = String, Path), ThreadParams),
    responses(
        (status = 200, body = ThreadPage),
        (status = 400, description = "Malformed parameter or cursor", body = ErrorBody),
        (status = 403, description = "Private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 422, description = "Invalid filter", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<ThreadParams>,
) -> ApiResult<Json<ThreadPage>> {
    let input = ListInput {
        kind: p.kind,
        status: p.status,
        topic: p.topic,
        library: p.library.unwrap_or(false),
        limit: p.limit,
        cursor: p.cursor,
    };
    let (gated, page) = app::list(&state, &viewer.actor(), &slug, &input)
        .await
        .map_err(bad_cursor)?;
    Ok(Json(ThreadPage {
        items: page
            .items
            .iter()
            .map(|t| ThreadView::new(t, &gated.community.slug))
            .collect(),
        next_cursor: page.next.map(|c| c.encode()),
    }))
}

/// Start a thread. Members only; announcements need a coordinator or leader.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/threads", operation_id = "create_thread", tag = "practice", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = CreateThread,
    responses(
        (status = 201, body = ThreadView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member, silenced, or not allowed to announce", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or too many links for a new account", body = ErrorBody),
        (status = 429, description = "Posting limit reached; Retry-After says when to try again", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CreateThread>,
) -> ApiResult<(StatusCode, Json<ThreadView>)> {
    let input = ThreadInput {
        kind: body.kind.map(|k| k.as_str().to_string()),
        space: body.space.map(|s| s.as_str().to_string()),
        title: Some(body.title),
        body: Some(body.body),
        link: body.link,
        topics: body.topics,
        circle: body.circle,
        files: body.files.unwrap_or_default(),
    };
    let thread = app::create(&state, &viewer.actor(), &slug, &input).await?;
    Ok((StatusCode::CREATED, Json(ThreadView::new(&thread, &slug))))
}

async fn full(
    state: &WebState,
    actor: &copse_core::policy::Actor,
    id: i64,
) -> ApiResult<ThreadWithReplies> {
    let (gt, replies) = app::read(state, actor, id).await?;
    let accepted = gt.thread.accepted_reply_id;
    Ok(ThreadWithReplies {
        body_html: copse_app::markdown::to_html(&gt.thread.body),
        thread: ThreadView::new(&gt.thread, &gt.gated.community.slug),
        replies: replies
            .iter()
            .map(|r| ReplyView::new(r, accepted))
            .collect(),
    })
}

/// A thread with all its replies.
#[utoipa::path(get, path = "/api/v1/threads/{id}", operation_id = "get_thread", tag = "practice", params(("id" = i64, Path)),
    responses(
        (status = 200, body = ThreadWithReplies),
        (status = 308, description = "A duplicate merged into another thread: Location names it"),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let actor = viewer.actor();
    match full(&state, &actor, id).await {
        Ok(thread) => Ok(Json(thread).into_response()),
        Err(e) => match app::merged_home(&state, &actor, id).await? {
            Some(into) => Ok(axum::response::Redirect::permanent(&format!(
                "/api/v1/threads/{into}"
            ))
            .into_response()),
            None => Err(e),
        },
    }
}

/// Edit a thread (its author or a coordinator; the earlier version is kept), or mark it
/// canonical for the library (coordinators and leaders).
#[utoipa::path(patch, path = "/api/v1/threads/{id}", operation_id = "update_thread", tag = "practice", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = UpdateThread,
    responses(
        (status = 200, body = ThreadWithReplies),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not yours to change", body = ErrorBody),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateThread>,
) -> ApiResult<Json<ThreadWithReplies>> {
    let actor = viewer.actor();
    if let Some(canonical) = body.canonical {
        app::set_canonical(&state, &actor, id, canonical).await?;
    }
    if let Some(circle) = body.move_to_circle {
        copse_app::circles::move_thread(&state, &actor, id, circle).await?;
    }
    if body.title.is_some() || body.body.is_some() || body.link.is_some() || body.topics.is_some() {
        let input = ThreadInput {
            title: body.title,
            body: body.body,
            link: body.link,
            topics: body.topics,
            ..ThreadInput::default()
        };
        app::edit(&state, &actor, id, &input).await?;
    }
    Ok(Json(full(&state, &actor, id).await?))
}

/// Delete a thread (its author or a coordinator). Its text is gone from every surface.
#[utoipa::path(delete, path = "/api/v1/threads/{id}", operation_id = "delete_thread", tag = "practice", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not yours to delete", body = ErrorBody),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    app::delete(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Reply to a thread, optionally quoting one of its replies. Members only.
#[utoipa::path(post, path = "/api/v1/threads/{id}/replies", tag = "practice", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CreateReply,
    responses(
        (status = 201, body = Created),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
        (status = 409, description = "The thread is full", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or too many links for a new account", body = ErrorBody),
        (status = 429, description = "Posting limit reached; Retry-After says when to try again", body = ErrorBody),
    ))]
pub async fn reply(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CreateReply>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let input = app::ReplyInput {
        body: body.body,
        quote: body.quote,
        files: body.files.unwrap_or_default(),
    };
    let reply = app::reply(&state, &viewer.actor(), id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id: reply })))
}

/// Accept a reply as the answer to a question (the asker or a coordinator); null clears it.
#[utoipa::path(post, path = "/api/v1/threads/{id}/accept", tag = "practice", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AcceptBody,
    responses(
        (status = 204, description = "Accepted"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not the asker, or not a question", body = ErrorBody),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not a reply of this question", body = ErrorBody),
    ))]
pub async fn accept(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AcceptBody>,
) -> ApiResult<StatusCode> {
    app::accept(&state, &viewer.actor(), id, body.reply_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Edit a reply (its author or a coordinator; the earlier version is kept).
#[utoipa::path(patch, path = "/api/v1/replies/{id}", tag = "practice", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = UpdateReply,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not yours to change", body = ErrorBody),
        (status = 404, description = "No such reply, or hidden from you", body = ErrorBody),
        (status = 409, description = "The reply was deleted", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn update_reply(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateReply>,
) -> ApiResult<StatusCode> {
    app::edit_reply(&state, &viewer.actor(), id, &body.body).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Delete a reply (its author or a coordinator): a placeholder keeps its place.
#[utoipa::path(delete, path = "/api/v1/replies/{id}", tag = "practice", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not yours to delete", body = ErrorBody),
        (status = 404, description = "No such reply, or hidden from you", body = ErrorBody),
        (status = 409, description = "Already deleted", body = ErrorBody),
    ))]
pub async fn delete_reply(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    app::delete_reply(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Mark a reply helpful (members; once per person; not your own).
#[utoipa::path(post, path = "/api/v1/replies/{id}/helpful", tag = "practice", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Marked"),
        (status = 403, description = "Not a member, or your own reply", body = ErrorBody),
        (status = 404, description = "No such reply, or hidden from you", body = ErrorBody),
        (status = 409, description = "The reply was deleted", body = ErrorBody),
    ))]
pub async fn mark_helpful(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    app::helpful(&state, &viewer.actor(), id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Take back a helpful mark.
#[utoipa::path(delete, path = "/api/v1/replies/{id}/helpful", tag = "practice", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Unmarked"),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such reply, or hidden from you", body = ErrorBody),
        (status = 409, description = "The reply was deleted", body = ErrorBody),
    ))]
pub async fn unmark_helpful(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    app::helpful(&state, &viewer.actor(), id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The community's topics.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/topics", tag = "practice", params(("slug" = String, Path)),
    responses(
        (status = 200, body = TopicList),
        (status = 403, description = "Private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn topics(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<TopicList>> {
    let (_, topics) = app::topics(&state, &viewer.actor(), &slug).await?;
    Ok(Json(TopicList {
        items: topics
            .into_iter()
            .map(|t| TopicView {
                slug: t.slug,
                name: t.name,
                description: t.description,
            })
            .collect(),
    }))
}

/// Add a topic to the community's taxonomy. Coordinators.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/topics", tag = "practice", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = CreateTopic,
    responses(
        (status = 201, body = TopicView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or slug taken", body = ErrorBody),
    ))]
pub async fn create_topic(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CreateTopic>,
) -> ApiResult<(StatusCode, Json<TopicView>)> {
    let t = app::create_topic(
        &state,
        &viewer.actor(),
        &slug,
        &body.slug,
        &body.name,
        body.description.as_deref(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(TopicView {
            slug: t.slug,
            name: t.name,
            description: t.description,
        }),
    ))
}

/// Rename a topic or give it a new address (the old one redirects). Coordinators.
#[utoipa::path(patch, path = "/api/v1/communities/{slug}/topics/{topic}", tag = "practice", security(("bearer" = [])),
    params(("slug" = String, Path), ("topic" = String, Path)), request_body = UpdateTopic,
    responses(
        (status = 200, body = TopicView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such topic or community", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or address taken", body = ErrorBody),
    ))]
pub async fn update_topic(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, topic)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<UpdateTopic>,
) -> ApiResult<Json<TopicView>> {
    let t = app::rename_topic(
        &state,
        &viewer.actor(),
        &slug,
        &topic,
        body.name.as_deref(),
        body.slug.as_deref(),
    )
    .await?;
    Ok(Json(TopicView {
        slug: t.slug,
        name: t.name,
        description: t.description,
    }))
}

/// Merge a topic into another: threads and followers move, the old address redirects.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/topics/{topic}/merge", tag = "practice", security(("bearer" = [])),
    params(("slug" = String, Path), ("topic" = String, Path)), request_body = MergeTopic,
    responses(
        (status = 200, description = "The topic merged into", body = TopicView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such topic or community", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown target, or the same topic", body = ErrorBody),
    ))]
pub async fn merge_topic(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, topic)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<MergeTopic>,
) -> ApiResult<Json<TopicView>> {
    let t = app::merge_topic(&state, &viewer.actor(), &slug, &topic, &body.into).await?;
    Ok(Json(TopicView {
        slug: t.slug,
        name: t.name,
        description: t.description,
    }))
}

/// Follow a topic: you are told about new threads in it.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/topics/{topic}/follow", tag = "practice", security(("bearer" = [])),
    params(("slug" = String, Path), ("topic" = String, Path)),
    responses(
        (status = 204, description = "Following"),
        (status = 403, description = "Not a member or observer", body = ErrorBody),
        (status = 404, description = "No such topic or community", body = ErrorBody),
    ))]
pub async fn follow_topic(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, topic)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    app::follow_topic(&state, &viewer.actor(), &slug, &topic, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stop following a topic.
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/topics/{topic}/follow", tag = "practice", security(("bearer" = [])),
    params(("slug" = String, Path), ("topic" = String, Path)),
    responses(
        (status = 204, description = "Not following"),
        (status = 403, description = "Not a member or observer", body = ErrorBody),
        (status = 404, description = "No such topic or community", body = ErrorBody),
    ))]
pub async fn unfollow_topic(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, topic)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    app::follow_topic(&state, &viewer.actor(), &slug, &topic, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ExpertView {
    pub topic: String,
    pub topic_name: String,
    pub handle: String,
    pub display_name: String,
    /// Accepted answers in the topic.
    pub accepted: i64,
    /// Helpful marks received on replies in the topic.
    pub helpful: i64,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct DeclaredView {
    pub label: String,
    pub handle: String,
    pub display_name: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ExpertDirectory {
    /// From accepted answers and helpful marks, counted over what you may read.
    pub earned: Vec<ExpertView>,
    /// Expertise members declare on their profiles.
    pub declared: Vec<DeclaredView>,
}

/// Who knows what: people to ask, per topic.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/experts", tag = "practice", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = ExpertDirectory),
        (status = 403, description = "Members only", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn experts(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<ExpertDirectory>> {
    let (_, earned, declared) = app::experts(&state, &viewer.actor(), &slug).await?;
    Ok(Json(ExpertDirectory {
        earned: earned
            .into_iter()
            .map(|e| ExpertView {
                topic: e.topic_slug,
                topic_name: e.topic_name,
                handle: e.handle,
                display_name: e.display_name,
                accepted: e.accepted,
                helpful: e.helpful,
            })
            .collect(),
        declared: declared
            .into_iter()
            .map(|(label, handle, display_name)| DeclaredView {
                label,
                handle,
                display_name,
            })
            .collect(),
    }))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update, delete))
        .routes(routes!(reply))
        .routes(routes!(accept))
        .routes(routes!(update_reply, delete_reply))
        .routes(routes!(mark_helpful, unmark_helpful))
        .routes(routes!(topics, create_topic))
        .routes(routes!(update_topic))
        .routes(routes!(merge_topic))
        .routes(routes!(follow_topic, unfollow_topic))
        .routes(routes!(experts))
}
