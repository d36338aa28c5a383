//! Leaving over the API: one's data as one JSON document, and deleting one's own account.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use copse_app::leaving::{self, DeleteRequest};
use copse_core::clock::Millis;
use serde::Deserialize;
use utoipa::ToSchema;

use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::WebState;

/// A JSON document served as a download named after the account and the day.
pub fn export_download(handle: &str, now: Millis, data: &serde_json::Value) -> Response {
    let day = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .format("%Y-%m-%d");
    let name = format!("attachment; filename=\"copse-{handle}-{day}.json\"");
    let mut response = Json(data).into_response();
    if let Ok(value) = HeaderValue::from_str(&name) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// Everything the site keeps that you gave it: account, profile, memberships, what you wrote,
/// your answers to events, the messages you sent, your e-mail choices.
#[utoipa::path(get, path = "/api/v1/me/export", tag = "me", security(("bearer" = [])),
    responses(
        (status = 200, description = "The export, as a JSON download", body = serde_json::Value),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
) -> Result<Response, ApiError> {
    let data = leaving::export(&state, &account).await?;
    Ok(export_download(&account.handle, state.now(), &data))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteBody {
    /// Your password, to be sure it is you.
    pub password: String,
    /// Remove your threads, replies, value stories and comments too (default: they stay,
    /// under "a former member").
    #[serde(default)]
    pub remove_contributions: bool,
}

/// Delete your account for good: sign-in, address, profile, memberships, private messages and
/// connections go at once; every token (this one too) stops working.
#[utoipa::path(delete, path = "/api/v1/me", tag = "me", security(("bearer" = [])), request_body = DeleteBody,
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "The site's last admin, or a community's only coordinator", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Wrong password", body = ErrorBody),
    ))]
pub async fn delete_me(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
    ApiJson(body): ApiJson<DeleteBody>,
) -> Result<StatusCode, ApiError> {
    let request = DeleteRequest {
        password: body.password,
        remove_contributions: body.remove_contributions,
    };
    leaving::delete_account(&state, &account, &request).await?;
    Ok(StatusCode::NO_CONTENT)
}
