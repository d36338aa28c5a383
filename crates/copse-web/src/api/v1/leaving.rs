//! Leaving over the API: one's data as one JSON document (at once, or prepared in the
//! background and listed), and deleting one's own account.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use copse_app::leaving::{self, DeleteRequest};
use copse_app::personal_export::{self, Export};
use copse_core::clock::{Millis, rfc3339};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;

/// A JSON document (a value, or one prepared as text) served as a download named after the
/// account and the day.
pub fn export_download(handle: &str, now: Millis, data: impl Into<ExportBody>) -> Response {
    let day = chrono::DateTime::from_timestamp_millis(now)
        .unwrap_or_default()
        .format("%Y-%m-%d");
    let name = format!("attachment; filename=\"copse-{handle}-{day}.json\"");
    let mut response = match data.into() {
        ExportBody::Value(value) => Json(value).into_response(),
        ExportBody::Text(text) => {
            ([(header::CONTENT_TYPE, "application/json")], text).into_response()
        }
    };
    if let Ok(value) = HeaderValue::from_str(&name) {
        response
            .headers_mut()
            .insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

pub enum ExportBody {
    Value(serde_json::Value),
    Text(String),
}

impl From<serde_json::Value> for ExportBody {
    fn from(value: serde_json::Value) -> Self {
        ExportBody::Value(value)
    }
}

impl From<String> for ExportBody {
    fn from(text: String) -> Self {
        ExportBody::Text(text)
    }
}

/// The answer while an export is being prepared.
#[derive(Serialize, ToSchema)]
pub struct Preparing {
    /// Always `preparing`.
    pub status: &'static str,
    pub message: &'static str,
    /// Where it is listed, and downloaded from once ready.
    pub exports: &'static str,
}

/// Everything the site keeps that you gave it: account, profile, memberships, what you wrote,
/// your answers to events, the messages you sent, your e-mail choices. With many thousands of
/// things it is prepared in the background (202): you are e-mailed when it is ready to
/// download from `/api/v1/me/exports`.
#[utoipa::path(get, path = "/api/v1/me/export", operation_id = "export_my_data", tag = "me", security(("bearer" = [])),
    responses(
        (status = 200, description = "The export, as a JSON download", body = serde_json::Value),
        (status = 202, description = "Being prepared in the background", body = Preparing),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 429, description = "Asked too often in the last hour", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
) -> Result<Response, ApiError> {
    Ok(match personal_export::export(&state, &account).await? {
        Export::Ready(data) => export_download(&account.handle, state.now(), data),
        Export::Preparing => (
            StatusCode::ACCEPTED,
            Json(Preparing {
                status: "preparing",
                message: "You have a lot here: your export is being prepared. You are e-mailed \
                          when it is ready; it stays for a week.",
                exports: "/api/v1/me/exports",
            }),
        )
            .into_response(),
    })
}

/// An export prepared in the background.
#[derive(Serialize, ToSchema)]
pub struct ExportLine {
    pub id: i64,
    /// `preparing` or `ready`.
    pub state: &'static str,
    pub requested_at: String,
    pub ready_at: Option<String>,
    /// When it is removed.
    pub expires_at: Option<String>,
    pub size_bytes: Option<i64>,
    /// Where to download it, once ready.
    pub download: Option<String>,
}

/// Your exports prepared in the background: being prepared, or ready until they expire.
#[utoipa::path(get, path = "/api/v1/me/exports", tag = "me", security(("bearer" = [])),
    responses(
        (status = 200, description = "Newest first", body = Vec<ExportLine>),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn exports(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
) -> Result<Json<Vec<ExportLine>>, ApiError> {
    let exports = personal_export::exports(&state, &account).await?;
    Ok(Json(
        exports
            .into_iter()
            .map(|e| ExportLine {
                id: e.id,
                state: if e.ready_at.is_some() {
                    "ready"
                } else {
                    "preparing"
                },
                requested_at: rfc3339(e.requested_at),
                ready_at: e.ready_at.map(rfc3339),
                expires_at: e.expires_at.map(rfc3339),
                size_bytes: e.size_bytes,
                download: e.ready_at.map(|_| format!("/api/v1/me/exports/{}", e.id)),
            })
            .collect(),
    ))
}

/// Download an export prepared in the background (yours alone; anyone else's is not found).
#[utoipa::path(get, path = "/api/v1/me/exports/{export}", tag = "me", security(("bearer" = [])),
    params(("export" = i64, Path, description = "The export's id")),
    responses(
        (status = 200, description = "The export, as a JSON download", body = serde_json::Value),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such export of yours, still being prepared, or expired", body = ErrorBody),
    ))]
pub async fn download(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let body = personal_export::download(&state, &account, id).await?;
    Ok(export_download(&account.handle, state.now(), body))
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
