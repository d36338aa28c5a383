//! A community's archive: asked for, watched while the worker prepares it, downloaded.
//! Coordinators and site admins; each person sees and downloads only the archives they asked
//! for, and only while they may still export the community.

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use copse_app::community_export as app;
use copse_app::community_export::CommunityExport;
use copse_core::clock::rfc3339;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiPath;
use crate::state::WebState;

/// A community archive, being prepared or ready.
#[derive(Serialize, ToSchema)]
pub struct CommunityExportView {
    pub id: i64,
    /// `preparing` or `ready`.
    pub status: &'static str,
    /// The handle of the one who asked (site admins see everyone's archives).
    pub asked_by: String,
    pub requested_at: String,
    /// Rows read so far, and how many there are (once counted).
    pub rows_done: i64,
    pub rows_total: Option<i64>,
    pub ready_at: Option<String>,
    /// When it is removed.
    pub expires_at: Option<String>,
    pub size_bytes: Option<i64>,
    /// What went in (tables, rows, people, files, rows left out), once ready.
    pub summary: Option<serde_json::Value>,
    /// Where to download it, once ready.
    pub download: Option<String>,
}

pub fn view(slug: &str, e: &CommunityExport) -> CommunityExportView {
    let ready = e.ready_at.is_some();
    CommunityExportView {
        id: e.id,
        status: if ready { "ready" } else { "preparing" },
        asked_by: e.asked_by.clone(),
        requested_at: rfc3339(e.requested_at),
        rows_done: e.rows_done,
        rows_total: e.rows_total,
        ready_at: e.ready_at.map(rfc3339),
        expires_at: e.expires_at.map(rfc3339),
        size_bytes: e.size_bytes,
        summary: e
            .summary
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok()),
        download: ready.then(|| format!("/api/v1/communities/{slug}/exports/{}/download", e.id)),
    }
}

/// Ask for an archive of the community: its rows as JSON Lines per table, its people and its
/// files, as much as you may read (circles you are not in and conversations stay out unless
/// you are a site admin; people's e-mail addresses go in only for a site admin). The worker
/// prepares it (watch its progress here); it is kept for a week. Asking while one is being
/// prepared answers that one. Coordinators and site admins.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/exports", operation_id = "ask_community_export", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The community")),
    responses(
        (status = 202, description = "Being prepared", body = CommunityExportView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 429, description = "Asked too often in the last hour", body = ErrorBody),
    ))]
pub async fn ask(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> Result<(StatusCode, Json<CommunityExportView>), ApiError> {
    let export = app::ask(&state, &viewer.actor(), &slug).await?;
    Ok((StatusCode::ACCEPTED, Json(view(&slug, &export))))
}

/// The archives of the community you asked for (a site admin: everyone's), being prepared or
/// still kept, newest first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/exports", operation_id = "list_community_exports", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The community")),
    responses(
        (status = 200, body = Vec<CommunityExportView>),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> Result<Json<Vec<CommunityExportView>>, ApiError> {
    let (_, exports) = app::list(&state, &viewer.actor(), &slug).await?;
    Ok(Json(exports.iter().map(|e| view(&slug, e)).collect()))
}

/// One archive you asked for: its progress, or where to download it.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/exports/{id}", operation_id = "community_export", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The community"), ("id" = i64, Path, description = "The archive")),
    responses(
        (status = 200, body = CommunityExportView),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such archive of yours, or expired", body = ErrorBody),
    ))]
pub async fn one(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<Json<CommunityExportView>, ApiError> {
    let export = app::one(&state, &viewer.actor(), &slug, id).await?;
    Ok(Json(view(&slug, &export)))
}

/// Download a ready archive you asked for: a `.tar.gz` (its layout is in its manifest,
/// `copse-export.json`, and documented in the README).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/exports/{id}/download", operation_id = "download_community_export", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The community"), ("id" = i64, Path, description = "The archive")),
    responses(
        (status = 200, description = "The archive", content_type = "application/gzip", body = Vec<u8>),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such archive of yours, or expired", body = ErrorBody),
        (status = 409, description = "Still being prepared", body = ErrorBody),
    ))]
pub async fn download(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> Result<Response, ApiError> {
    let (fetched, name) = app::download(&state, &viewer.actor(), &slug, id).await?;
    Ok(archive_response(fetched, &name))
}

/// The archive's bytes as a download.
pub fn archive_response(fetched: copse_app::community_export::Fetched, name: &str) -> Response {
    let mut response = Body::from_stream(fetched.body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/gzip"),
    );
    if let Ok(v) = HeaderValue::from_str(&fetched.size.to_string()) {
        headers.insert(header::CONTENT_LENGTH, v);
    }
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, v);
    }
    response
}

pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(ask, list))
        .routes(routes!(one))
        .routes(routes!(download))
}
