//! `/api/v1/notifications`: what happened that concerns you, as far as you may still read it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::communities::bad_cursor;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiQuery, OptionalApiJson};
use crate::state::WebState;
use copse_app::notifications as app;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NotificationParams {
    /// Page size, clamped to 1–200 (default 50).
    limit: Option<i64>,
    cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationView {
    pub id: i64,
    pub kind: copse_core::domain::NotificationKind,
    /// What it is about: a thread (and maybe a reply in it), a value story or a check-in.
    pub thread_id: Option<i64>,
    pub story_id: Option<i64>,
    pub checkin_id: Option<i64>,
    /// The thread's title, the start of the story, or the check-in's prompt.
    pub title: String,
    pub reply_id: Option<i64>,
    pub community: String,
    /// Who did it.
    pub actor: String,
    pub created_at: String,
    pub read: bool,
    pub url: String,
}

#[derive(Serialize, ToSchema)]
pub struct NotificationPage {
    pub items: Vec<NotificationView>,
    pub unread: i64,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct MarkRead {
    /// One notification; all when absent.
    pub id: Option<i64>,
}

/// Your notifications, newest first.
#[utoipa::path(get, path = "/api/v1/notifications", operation_id = "list_notifications", tag = "me", security(("bearer" = [])), params(NotificationParams),
    responses(
        (status = 200, body = NotificationPage),
        (status = 400, description = "Malformed parameter or cursor", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiQuery(p): ApiQuery<NotificationParams>,
) -> Result<Json<NotificationPage>, ApiError> {
    let (page, unread) = app::list(&state, &viewer.actor(), p.limit, p.cursor.as_deref())
        .await
        .map_err(bad_cursor)?;
    Ok(Json(NotificationPage {
        items: page
            .items
            .iter()
            .map(|n| NotificationView {
                id: n.id,
                kind: n.kind,
                thread_id: n.thread_id,
                story_id: n.story_id,
                checkin_id: n.checkin_id,
                title: n.title.clone(),
                reply_id: n.reply_id,
                community: n.community_slug.clone(),
                actor: n.actor_handle.clone(),
                created_at: rfc3339(n.created_at),
                read: n.read,
                url: n.url(),
            })
            .collect(),
        unread,
        next_cursor: page.next.map(|c| c.encode()),
    }))
}

/// Mark your notifications (or one of them) read.
#[utoipa::path(post, path = "/api/v1/notifications/read", tag = "me", security(("bearer" = [])),
    request_body(content = Option<MarkRead>, description = "Which one; all when empty"),
    responses(
        (status = 204, description = "Marked"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn mark_read(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    OptionalApiJson(body): OptionalApiJson<MarkRead>,
) -> Result<StatusCode, ApiError> {
    app::mark_read(&state, &viewer.actor(), body.and_then(|b| b.id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(mark_read))
}
