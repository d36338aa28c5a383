//! Comments on a story over the API.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::api::v1::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;
use copse_app::value::{self as app};
use copse_core::domain::value::StoryComment;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub story: i64,
    pub author: PersonView,
    /// Markdown.
    pub body: String,
    pub created_at: String,
    /// Why it is hidden: only its author and the community's moderators read it then.
    pub hidden: Option<String>,
}

impl From<&StoryComment> for CommentView {
    fn from(c: &StoryComment) -> CommentView {
        CommentView {
            id: c.id,
            story: c.story_id,
            author: PersonView::from(&c.author),
            body: c.body.clone(),
            created_at: rfc3339(c.created_at),
            hidden: c.hidden.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<CommentView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// Markdown.
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
}

/// A story's comments, oldest first. Whoever may read the story.
#[utoipa::path(get, path = "/api/v1/stories/{id}/comments", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = CommentList),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn comments(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CommentList>> {
    let list = app::comments(&state, &viewer.actor(), id).await?;
    Ok(Json(CommentList {
        items: list.iter().map(CommentView::from).collect(),
    }))
}

/// Comment on a story you may read; its teller is told. Members.
#[utoipa::path(post, path = "/api/v1/stories/{id}/comments", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewComment,
    responses(
        (status = 201, body = CommentView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Empty or too long, or the story has 500 comments", body = ErrorBody),
    ))]
pub async fn add_comment(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewComment>,
) -> ApiResult<(StatusCode, Json<CommentView>)> {
    let c = app::comment(&state, &viewer.actor(), id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(CommentView::from(&c))))
}

/// Delete a comment. Its author, or a coordinator.
#[utoipa::path(delete, path = "/api/v1/story-comments/{id}", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Neither its author nor a coordinator", body = ErrorBody),
        (status = 404, description = "No such comment, or hidden from you", body = ErrorBody),
    ))]
pub async fn delete_comment(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    app::delete_comment(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
