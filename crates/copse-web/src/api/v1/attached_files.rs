//! The files of a story, of a conversation's messages and of an occurrence's recap, each
//! listed for whoever may read what they are attached to.

use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::events::instant;
use super::files::FileView;
use crate::auth::{ApiSignedIn, ApiViewer};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::WebState;

type ApiResult<T> = Result<T, ApiError>;

fn views(files: &[copse_core::domain::uploads::StoredFile]) -> Json<Vec<FileView>> {
    Json(files.iter().map(FileView::from).collect())
}

/// The files attached to a value story, oldest first.
#[utoipa::path(get, path = "/api/v1/stories/{id}/files", tag = "files",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Vec<FileView>),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn story_files(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<FileView>>> {
    let files = copse_app::files::readable_story_files(&state, &viewer.actor(), id).await?;
    Ok(views(&files))
}

/// The files of a conversation's messages, oldest first; each names its message in
/// `attached_to`. Its people only; a hidden message's files stay with its author.
#[utoipa::path(get, path = "/api/v1/conversations/{id}/files", tag = "files", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Vec<FileView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such conversation, or not yours", body = ErrorBody),
    ))]
pub async fn conversation_files(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<FileView>>> {
    let actor = viewer.actor();
    let files = copse_app::files::readable_conversation_files(&state, &actor, id).await?;
    Ok(views(&files))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RecapOf {
    /// The occurrence (its `occurrence` value, RFC 3339).
    #[param(max_length = 40)]
    occurrence: String,
}

/// The files of an occurrence's recap, for whoever may see the event.
#[utoipa::path(get, path = "/api/v1/events/{id}/recap/files", tag = "files",
    params(("id" = i64, Path), RecapOf),
    responses(
        (status = 200, body = Vec<FileView>),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 422, description = "The occurrence is not a time", body = ErrorBody),
    ))]
pub async fn recap_files(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<RecapOf>,
) -> ApiResult<Json<Vec<FileView>>> {
    let key = instant("occurrence", &p.occurrence)?;
    let actor = viewer.actor();
    let files = copse_app::files::readable_recap_files(&state, &actor, id, key).await?;
    Ok(views(&files))
}

pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(story_files))
        .routes(routes!(conversation_files))
        .routes(routes!(recap_files))
}
