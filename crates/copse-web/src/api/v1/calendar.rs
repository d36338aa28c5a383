//! Your reminders and your personal calendar feed over the API.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::WebState;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReminderSettings {
    /// Minutes before an occurrence to send a reminder (each 5–10080, at most 5); empty turns
    /// reminders off. Default `[1440, 60]`.
    #[schema(max_items = 5)]
    pub minutes: Vec<i64>,
}

/// Your reminder times.
#[utoipa::path(get, path = "/api/v1/me/reminders", tag = "rhythm", security(("bearer" = [])),
    responses((status = 200, body = ReminderSettings)))]
pub async fn reminders(
    State(state): State<WebState>,
    ApiSignedIn(_viewer, me): ApiSignedIn,
) -> ApiResult<Json<ReminderSettings>> {
    let minutes = copse_app::calendar::reminder_minutes(&state, me.id).await?;
    Ok(Json(ReminderSettings { minutes }))
}

/// Set your reminder times.
#[utoipa::path(put, path = "/api/v1/me/reminders", tag = "rhythm", security(("bearer" = [])),
    request_body = ReminderSettings,
    responses(
        (status = 200, body = ReminderSettings),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid minutes", body = ErrorBody),
    ))]
pub async fn set_reminders(
    State(state): State<WebState>,
    ApiSignedIn(_viewer, me): ApiSignedIn,
    ApiJson(body): ApiJson<ReminderSettings>,
) -> ApiResult<Json<ReminderSettings>> {
    let minutes = copse_app::calendar::set_reminder_minutes(&state, me.id, &body.minutes).await?;
    Ok(Json(ReminderSettings { minutes }))
}

#[derive(Serialize, ToSchema)]
pub struct CalendarFeed {
    /// Whether a personal feed address exists.
    pub active: bool,
    pub created_at: Option<String>,
    /// The secret address; shown only when it is made. Anyone with it can read your calendar.
    pub url: Option<String>,
}

/// Whether you have a personal calendar feed.
#[utoipa::path(get, path = "/api/v1/me/calendar-feed", tag = "rhythm", security(("bearer" = [])),
    responses((status = 200, body = CalendarFeed)))]
pub async fn calendar_feed(
    State(state): State<WebState>,
    ApiSignedIn(_viewer, me): ApiSignedIn,
) -> ApiResult<Json<CalendarFeed>> {
    let created = copse_app::calendar::feed_created(&state, me.id).await?;
    Ok(Json(CalendarFeed {
        active: created.is_some(),
        created_at: created.map(rfc3339),
        url: None,
    }))
}

/// Make a new secret address for your personal calendar feed; any earlier one stops working.
#[utoipa::path(post, path = "/api/v1/me/calendar-feed", tag = "rhythm", security(("bearer" = [])),
    responses((status = 201, body = CalendarFeed)))]
pub async fn new_calendar_feed(
    State(state): State<WebState>,
    ApiSignedIn(_viewer, me): ApiSignedIn,
    headers: axum::http::HeaderMap,
) -> ApiResult<(StatusCode, Json<CalendarFeed>)> {
    let path = copse_app::calendar::new_feed(&state, me.id).await?;
    let url = format!("{}{path}", crate::pages::site(&state, &headers));
    Ok((
        StatusCode::CREATED,
        Json(CalendarFeed {
            active: true,
            created_at: Some(rfc3339(state.now())),
            url: Some(url),
        }),
    ))
}

/// Revoke your personal calendar feed: its address stops working at once.
#[utoipa::path(delete, path = "/api/v1/me/calendar-feed", tag = "rhythm", security(("bearer" = [])),
    responses((status = 204, description = "Revoked")))]
pub async fn revoke_calendar_feed(
    State(state): State<WebState>,
    ApiSignedIn(_viewer, me): ApiSignedIn,
) -> ApiResult<StatusCode> {
    copse_app::calendar::revoke_feed(&state, me.id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(reminders, set_reminders))
        .routes(routes!(
            calendar_feed,
            new_calendar_feed,
            revoke_calendar_feed
        ))
}
