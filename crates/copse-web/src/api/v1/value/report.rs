//! The value report over the API (JSON or CSV), its introduction and the stories pinned to it.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::{Millis, rfc3339};
use copse_core::domain::value::Cycle;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::stories::StoryView;
use super::stories::view;
use crate::api::v1::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::value::{self as app};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// First day, `2026-10-01`; default a year before `to`.
    from: Option<String>,
    /// Last day; default today. At most three years.
    to: Option<String>,
    /// `json` (default) or `csv` (one row per story you may read).
    format: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CycleCount {
    pub cycle: Cycle,
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct EffectSum {
    pub unit: String,
    pub total: f64,
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct CreditedView {
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct TopicCount {
    pub topic: String,
    pub name: String,
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct PersonCredited {
    pub person: PersonView,
    /// Stories crediting their threads and events.
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ValueReport {
    pub from: String,
    pub to: String,
    pub stories: usize,
    pub endorsements: i64,
    pub per_cycle: Vec<CycleCount>,
    /// Measured effects summed by unit.
    pub effects: Vec<EffectSum>,
    /// Stories per topic, most first.
    pub per_topic: Vec<TopicCount>,
    /// What the stories credit most (what you may read).
    pub credited: Vec<CreditedView>,
    /// Whose threads and events the stories credit most.
    pub people: Vec<PersonCredited>,
    /// Pinned first, then the most endorsed.
    pub strongest: Vec<StoryView>,
    /// Stories per month, oldest first.
    pub per_month: Vec<(String, usize)>,
    /// The coordinators' introduction (Markdown).
    pub introduction: Option<String>,
}

/// The value report for a period, from the stories you may read; as CSV, one row per story.
/// Members.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/value-report", tag = "value", security(("bearer" = [])),
    params(("slug" = String, Path), ReportParams),
    responses(
        (status = 200, body = ValueReport, description = "The report (JSON), or its stories as CSV"),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 422, description = "Invalid period", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    let (from, to) =
        copse_app::participation::period(p.from.as_deref(), p.to.as_deref(), state.now())?;
    match p.format.as_deref().unwrap_or("json") {
        "json" => {}
        "csv" => {
            let (_, list) = app::list(&state, &viewer.actor(), &slug, from, to).await?;
            return Ok((
                StatusCode::OK,
                [
                    (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        "attachment; filename=\"value-report.csv\"",
                    ),
                ],
                app::report_csv(&list),
            )
                .into_response());
        }
        _ => return Err(copse_core::Error::invalid("format", "must be json or csv").into()),
    }
    let r = app::report(&state, &viewer.actor(), &slug, from, to).await?;
    Ok(Json(report_view(&r, from, to)).into_response())
}

/// The report as the API answers it.
fn report_view(r: &app::Report, from: Millis, to: Millis) -> ValueReport {
    ValueReport {
        from: rfc3339(from),
        to: rfc3339(to),
        stories: r.stories,
        endorsements: r.endorsements,
        per_cycle: r
            .per_cycle
            .iter()
            .map(|(c, n)| CycleCount {
                cycle: *c,
                stories: *n,
            })
            .collect(),
        effects: r
            .effects
            .iter()
            .map(|(u, v, n)| EffectSum {
                unit: u.clone(),
                total: *v,
                stories: *n,
            })
            .collect(),
        credited: r
            .credited
            .iter()
            .map(|c| CreditedView {
                kind: c.kind.clone(),
                id: c.id,
                title: c.title.clone(),
                stories: c.stories,
            })
            .collect(),
        per_topic: r
            .per_topic
            .iter()
            .map(|(slug, name, n)| TopicCount {
                topic: slug.clone(),
                name: name.clone(),
                stories: *n,
            })
            .collect(),
        people: r
            .people
            .iter()
            .map(|(p, n)| PersonCredited {
                person: PersonView::from(p),
                stories: *n,
            })
            .collect(),
        strongest: r.strongest.iter().map(view).collect(),
        per_month: r.per_month.clone(),
        introduction: r.introduction.clone(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinBody {
    pub pinned: bool,
}

/// Pin a story for the value report (or unpin it). Coordinators.
#[utoipa::path(put, path = "/api/v1/stories/{id}/pin", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PinBody,
    responses(
        (status = 200, body = StoryView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid body", body = ErrorBody),
    ))]
pub async fn pin(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PinBody>,
) -> ApiResult<Json<StoryView>> {
    Ok(Json(view(
        &app::pin(&state, &viewer.actor(), id, body.pinned).await?,
    )))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Introduction {
    /// Markdown, at most 10,000 characters; empty removes it.
    #[schema(max_length = 10000)]
    pub text: String,
}

/// Write the value report's introduction. Coordinators.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/value-report/introduction", tag = "value",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = Introduction,
    responses(
        (status = 200, body = Introduction),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Too long", body = ErrorBody),
    ))]
pub async fn set_introduction(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<Introduction>,
) -> ApiResult<Json<Introduction>> {
    let text = app::set_introduction(&state, &viewer.actor(), &slug, &body.text).await?;
    Ok(Json(Introduction { text }))
}
