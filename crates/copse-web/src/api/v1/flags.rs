//! Flags: members tell the moderators about a thread, reply, value story, comment on a story,
//! conversation message or profile — and site admins decide about what the site's queue holds.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::domain::FlagReason;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::moderation::DecisionBody;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;
use copse_app::moderation::{self as app, FlagInput, QueueAction};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FlagBody {
    pub reason: FlagReason,
    /// Required when the reason is `other`.
    pub note: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Flagged {
    /// The flag was the one that hid it until a moderator looks at it.
    pub hidden: bool,
}

fn flag_input(body: FlagBody) -> FlagInput {
    FlagInput {
        reason: Some(body.reason.as_str().to_string()),
        note: body.note,
    }
}

fn created(hidden: bool) -> (StatusCode, Json<Flagged>) {
    (StatusCode::CREATED, Json(Flagged { hidden }))
}

/// Flag a thread for the moderators (members; once per person; never your own).
#[utoipa::path(post, path = "/api/v1/threads/{id}/flags", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = FlagBody,
    responses(
        (status = 201, body = Flagged),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member, or your own post", body = ErrorBody),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
        (status = 409, description = "You flagged it already", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn flag_thread(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FlagBody>,
) -> ApiResult<(StatusCode, Json<Flagged>)> {
    let hidden = app::flag_thread(&state, &viewer.actor(), id, &flag_input(body)).await?;
    Ok(created(hidden))
}

/// Flag a reply for the moderators.
#[utoipa::path(post, path = "/api/v1/replies/{id}/flags", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = FlagBody,
    responses(
        (status = 201, body = Flagged),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member, or your own post", body = ErrorBody),
        (status = 404, description = "No such reply, or hidden from you", body = ErrorBody),
        (status = 409, description = "You flagged it already, or it was deleted", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn flag_reply(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FlagBody>,
) -> ApiResult<(StatusCode, Json<Flagged>)> {
    let (hidden, _) = app::flag_reply(&state, &viewer.actor(), id, &flag_input(body)).await?;
    Ok(created(hidden))
}

/// Flag a value story for the community's moderators (members who read it; never your own).
#[utoipa::path(post, path = "/api/v1/stories/{id}/flags", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = FlagBody,
    responses(
        (status = 201, body = Flagged),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member, or your own story", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
        (status = 409, description = "You flagged it already", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn flag_story(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FlagBody>,
) -> ApiResult<(StatusCode, Json<Flagged>)> {
    let hidden = app::flag_story(&state, &viewer.actor(), id, &flag_input(body)).await?;
    Ok(created(hidden))
}

/// Flag a comment on a value story.
#[utoipa::path(post, path = "/api/v1/story-comments/{id}/flags", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = FlagBody,
    responses(
        (status = 201, body = Flagged),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member, or your own comment", body = ErrorBody),
        (status = 404, description = "No such comment, or hidden from you", body = ErrorBody),
        (status = 409, description = "You flagged it already", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn flag_story_comment(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FlagBody>,
) -> ApiResult<(StatusCode, Json<Flagged>)> {
    let input = flag_input(body);
    let (hidden, _) = app::flag_story_comment(&state, &viewer.actor(), id, &input).await?;
    Ok(created(hidden))
}

/// Flag a message of a conversation you are in: the community's moderators see that message
/// (and only it) in their queue.
#[utoipa::path(post, path = "/api/v1/messages/{id}/flags", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = FlagBody,
    responses(
        (status = 201, body = Flagged),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Your own message, or e-mail not verified", body = ErrorBody),
        (status = 404, description = "No such message in a conversation of yours", body = ErrorBody),
        (status = 409, description = "You flagged it already", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn flag_message(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<FlagBody>,
) -> ApiResult<(StatusCode, Json<Flagged>)> {
    let (hidden, _) = app::flag_message(&state, &viewer.actor(), id, &flag_input(body)).await?;
    Ok(created(hidden))
}

/// Flag what someone says on their profile: the site's admins review it.
#[utoipa::path(post, path = "/api/v1/users/{handle}/flags", tag = "moderation", security(("bearer" = [])),
    params(("handle" = String, Path)), request_body = FlagBody,
    responses(
        (status = 201, body = Flagged),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Your own profile, or e-mail not verified", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 409, description = "You flagged it already", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn flag_profile(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
    ApiJson(body): ApiJson<FlagBody>,
) -> ApiResult<(StatusCode, Json<Flagged>)> {
    let hidden = app::flag_profile(&state, &viewer.actor(), &handle, &flag_input(body)).await?;
    Ok(created(hidden))
}

/// Decide about anything in the site's queue (its path is the site queue's: the moderation
/// router adds it beside that GET) — profiles, and every community's flags (site
/// admins).
#[utoipa::path(post, path = "/api/v1/admin/moderation/queue", tag = "moderation", security(("bearer" = [])),
    request_body = DecisionBody,
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 404, description = "No such thing", body = ErrorBody),
        (status = 409, description = "Nothing to dismiss, or nothing waiting for approval", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn site_decide(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult<StatusCode> {
    let action = QueueAction::parse(&body.action)?;
    let actor = viewer.actor();
    app::resolve_on_site(
        &state,
        &actor,
        body.target,
        body.id,
        action,
        body.reason.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(flag_thread))
        .routes(routes!(flag_reply))
        .routes(routes!(flag_story))
        .routes(routes!(flag_story_comment))
        .routes(routes!(flag_message))
        .routes(routes!(flag_profile))
}
