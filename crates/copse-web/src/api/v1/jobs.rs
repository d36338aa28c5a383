//! The job queue for site admins over the API: what is pending, running, done or failed, and
//! retrying a failed job.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use crate::state::WebState;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct JobParams {
    /// `failed` (default), `pending`, `running` or `done`.
    status: Option<String>,
    /// 1–200, default 50.
    limit: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct JobView {
    pub id: i64,
    pub kind: String,
    pub status: String,
    pub run_at: String,
    pub attempts: i64,
    pub max_attempts: i64,
    pub last_error: Option<String>,
    pub updated_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct JobList {
    /// How many jobs are in each status.
    pub counts: std::collections::BTreeMap<String, i64>,
    pub items: Vec<JobView>,
}

/// The background job queue (reminders, notices). Site admins.
#[utoipa::path(get, path = "/api/v1/admin/jobs", tag = "admin", security(("bearer" = [])), params(JobParams),
    responses(
        (status = 200, body = JobList),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 422, description = "Unknown status", body = ErrorBody),
    ))]
pub async fn jobs(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiQuery(p): ApiQuery<JobParams>,
) -> ApiResult<Json<JobList>> {
    let status = p.status.unwrap_or_else(|| "failed".into());
    let (counts, jobs) =
        copse_app::calendar::jobs(&state, &viewer.actor(), &status, p.limit.unwrap_or(50)).await?;
    Ok(Json(JobList {
        counts: counts.into_iter().collect(),
        items: jobs
            .into_iter()
            .map(|j| JobView {
                id: j.id,
                kind: j.kind,
                status: j.status,
                run_at: rfc3339(j.run_at),
                attempts: j.attempts,
                max_attempts: j.max_attempts,
                last_error: j.last_error,
                updated_at: rfc3339(j.updated_at),
            })
            .collect(),
    }))
}

/// Put a failed job back in the queue. Site admins.
#[utoipa::path(post, path = "/api/v1/admin/jobs/{id}/retry", tag = "admin", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Queued again"),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 404, description = "No failed job with this id", body = ErrorBody),
    ))]
pub async fn retry_job(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    copse_app::calendar::retry_job(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(jobs))
        .routes(routes!(retry_job))
}
