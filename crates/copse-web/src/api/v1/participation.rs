//! Participation over the API: levels, distribution, movement and health; recomputation and
//! thresholds for coordinators; an export through the same access rules.

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use copse_core::clock::rfc3339;
use copse_core::domain::participation::Snapshot;
use copse_core::domain::participation::reference::reference_text;
use copse_core::domain::participation::{Level, Thresholds};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::participation as app;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct DistributionView {
    pub core: usize,
    pub active: usize,
    pub peripheral: usize,
    pub inactive: usize,
}

#[derive(Serialize, ToSchema)]
pub struct SnapshotView {
    pub day: String,
    pub core: i64,
    pub active: i64,
    pub peripheral: i64,
    pub inactive: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MoveView {
    pub month: String,
    pub inwards: usize,
    pub outwards: usize,
}

#[derive(Serialize, ToSchema)]
pub struct WeekView {
    /// Monday of the week (RFC 3339).
    pub week: String,
    pub acts: i64,
    pub points: i64,
}

#[derive(Serialize, ToSchema)]
pub struct LevelChangeView {
    pub from: Option<Level>,
    pub to: Level,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct MineView {
    pub level: Level,
    /// Why, in words: what counted in the window and what the next level needs.
    pub explanation: String,
    /// Acts in the window per kind.
    pub counts: Vec<(String, i64)>,
    /// At this level since.
    pub since: String,
    pub history: Vec<LevelChangeView>,
    /// What you gained in the window.
    pub answers_received: i64,
    pub events_attended: i64,
}

#[derive(Serialize, ToSchema)]
pub struct MemberLevelView {
    pub person: PersonView,
    pub level: Level,
    pub points: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ParticipationSuggestion {
    pub person: PersonView,
    pub text: String,
}

#[derive(Serialize, ToSchema)]
pub struct HealthPart {
    pub name: String,
    /// 0–100.
    pub score: i64,
    pub detail: String,
}

#[derive(Serialize, ToSchema)]
pub struct HealthView {
    /// Questions of the last 180 days (public and members spaces).
    pub questions: usize,
    pub answered_share: f64,
    pub median_first_reply_hours: Option<f64>,
    pub median_accepted_hours: Option<f64>,
    /// Occurrences of the last six months.
    pub planned: usize,
    pub held: usize,
    pub mean_attendance: f64,
    pub organisations: i64,
    pub departments: i64,
    pub countries: i64,
    pub by_organisation: Vec<(String, i64)>,
    /// The composite's parts, each shown.
    pub parts: Vec<HealthPart>,
    /// The mean of the parts.
    pub overall: i64,
}

#[derive(Serialize, ToSchema)]
pub struct ParticipationView {
    pub thresholds: Thresholds,
    pub distribution: DistributionView,
    /// The literature's reference: core 10–15 %, active 15–20 %, the rest peripheral.
    pub reference: String,
    /// What the difference means, in plain words.
    pub reading: String,
    pub history: Vec<SnapshotView>,
    pub movement: Vec<MoveView>,
    pub weekly_activity: Vec<WeekView>,
    /// Your own level, if you are a member.
    pub you: Option<MineView>,
    /// Coordinators and leaders only; empty for others.
    pub members: Vec<MemberLevelView>,
    pub newcomers: Vec<PersonView>,
    pub quiet_former_core: Vec<PersonView>,
    pub suggestions: Vec<ParticipationSuggestion>,
    pub computed_at: Option<String>,
    pub health: HealthView,
}

fn person(m: &copse_core::domain::participation::MemberLevel) -> PersonView {
    PersonView {
        handle: m.handle.clone(),
        display_name: m.display_name.clone(),
    }
}

/// Participation in a community: the distribution of levels against the reference, its history,
/// movement between levels, weekly activity, and your own level with its reasons. Coordinators
/// and leaders also see who is where. Members only.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/participation", tag = "participation", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = ParticipationView),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn participation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<ParticipationView>> {
    let o = app::overview(&state, &viewer.actor(), &slug).await?;
    Ok(Json(ParticipationView::from(o)))
}

impl From<app::Overview> for ParticipationView {
    fn from(o: app::Overview) -> Self {
        ParticipationView {
            thresholds: o.thresholds,
            distribution: DistributionView {
                core: o.distribution.core,
                active: o.distribution.active,
                peripheral: o.distribution.peripheral,
                inactive: o.distribution.inactive,
            },
            reference: format!("{} (Wenger, McDermott & Snyder 2002)", reference_text()),
            reading: o.reading,
            history: o.snapshots.iter().map(SnapshotView::from).collect(),
            movement: o
                .moves
                .iter()
                .map(|m| MoveView {
                    month: m.month.clone(),
                    inwards: m.inwards,
                    outwards: m.outwards,
                })
                .collect(),
            weekly_activity: o
                .weekly
                .iter()
                .map(|(w, n, p)| WeekView {
                    week: rfc3339(*w),
                    acts: *n,
                    points: *p,
                })
                .collect(),
            you: o.mine.as_ref().map(MineView::from),
            members: o
                .members
                .iter()
                .map(|m| MemberLevelView {
                    person: person(m),
                    level: m.level,
                    points: m.points,
                })
                .collect(),
            newcomers: o.newcomers.iter().map(person).collect(),
            quiet_former_core: o.quiet_core.iter().map(person).collect(),
            suggestions: o
                .suggestions
                .iter()
                .map(|s| ParticipationSuggestion {
                    person: PersonView {
                        handle: s.handle.clone(),
                        display_name: s.display_name.clone(),
                    },
                    text: s.text.clone(),
                })
                .collect(),
            computed_at: o.computed_at.map(rfc3339),
            health: HealthView::from(&o.health),
        }
    }
}

impl From<&Snapshot> for SnapshotView {
    fn from(s: &Snapshot) -> Self {
        SnapshotView {
            day: s.day.clone(),
            core: s.core,
            active: s.active,
            peripheral: s.peripheral,
            inactive: s.inactive,
        }
    }
}

impl From<&app::Mine> for MineView {
    fn from(m: &app::Mine) -> Self {
        MineView {
            level: m.level,
            explanation: m.explanation.clone(),
            counts: m.counts.clone(),
            since: rfc3339(m.since),
            history: m
                .history
                .iter()
                .map(|(from, to, at)| LevelChangeView {
                    from: *from,
                    to: *to,
                    at: rfc3339(*at),
                })
                .collect(),
            answers_received: m.answers_received,
            events_attended: m.events_attended,
        }
    }
}

impl From<&app::Health> for HealthView {
    fn from(h: &app::Health) -> Self {
        HealthView {
            questions: h.questions,
            answered_share: h.answered_share,
            median_first_reply_hours: h.median_first_reply_hours,
            median_accepted_hours: h.median_accepted_hours,
            planned: h.planned,
            held: h.held,
            mean_attendance: h.mean_attendance,
            organisations: h.organisations,
            departments: h.departments,
            countries: h.countries,
            by_organisation: h.by_organisation.clone(),
            parts: h
                .parts
                .iter()
                .map(|(name, score, detail)| HealthPart {
                    name: name.clone(),
                    score: *score,
                    detail: detail.clone(),
                })
                .collect(),
            overall: h.overall,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Recomputed {
    /// Members whose level changed.
    pub changed: usize,
}

/// Recompute the levels now (they are also recomputed daily). Coordinators.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/participation/recompute", tag = "participation",
    security(("bearer" = [])), params(("slug" = String, Path)),
    responses(
        (status = 200, body = Recomputed),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn recompute(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Recomputed>> {
    let changed = app::recompute_now(&state, &viewer.actor(), &slug).await?;
    Ok(Json(Recomputed { changed }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ThresholdsBody {
    /// 7–365.
    pub window_days: i64,
    /// More than `active_points`.
    pub core_points: i64,
    pub active_points: i64,
}

/// Tune the thresholds (levels are recomputed at once). Coordinators.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/participation/thresholds", tag = "participation",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = ThresholdsBody,
    responses(
        (status = 200, body = Thresholds),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid thresholds (named)", body = ErrorBody),
    ))]
pub async fn set_thresholds(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<ThresholdsBody>,
) -> ApiResult<Json<Thresholds>> {
    let t = Thresholds {
        window_days: body.window_days,
        core_points: body.core_points,
        active_points: body.active_points,
    };
    Ok(Json(
        app::set_thresholds(&state, &viewer.actor(), &slug, t).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportParams {
    /// `json` (default: every table) or `csv` (one table).
    format: Option<String>,
    /// For CSV: `levels` (default), `activity` (per week) or `changes`.
    table: Option<String>,
    /// First day of the period, `2026-01-01`; default a year before `to`.
    from: Option<String>,
    /// Last day of the period; default today. At most three years.
    to: Option<String>,
}

/// Export the dashboard's data for a period: levels (everyone for coordinators and leaders, your
/// own for members), activity per week, and level changes (yours for members).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/participation/export", operation_id = "export_participation", tag = "participation",
    security(("bearer" = [])), params(("slug" = String, Path), ExportParams),
    responses(
        (status = 200, description = "JSON with levels, weekly_activity and level_changes; or one table as CSV"),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 422, description = "Unknown format or table, or an invalid period", body = ErrorBody),
    ))]
pub async fn export(
    State(state): State<WebState>,
    ApiSignedIn(viewer, account): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<ExportParams>,
) -> ApiResult<Response> {
    let me = account.id;
    let format = p.format.unwrap_or_else(|| "json".into());
    if format != "json" && format != "csv" {
        return Err(copse_core::Error::invalid("format", "must be json or csv").into());
    }
    let (from, to) = app::period(p.from.as_deref(), p.to.as_deref(), state.now())?;
    let e = app::export(&state, &viewer.actor(), &slug, me, from, to).await?;
    if format == "csv" {
        let csv = app::csv(&e, p.table.as_deref().unwrap_or("levels"))?;
        return Ok((
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"participation.csv\"",
                ),
            ],
            csv,
        )
            .into_response());
    }
    Ok(Json(serde_json::json!({
        "from": rfc3339(e.from),
        "to": rfc3339(e.to),
        "levels": e.levels.iter().map(|r| serde_json::json!({"handle": r.handle, "name": r.display_name,
            "level": r.level.as_str(), "points": r.points, "since": rfc3339(r.since)})).collect::<Vec<_>>(),
        "weekly_activity": e.weeks.iter().map(|(w, n, pts)| serde_json::json!({"week": rfc3339(*w), "acts": n, "points": pts})).collect::<Vec<_>>(),
        "level_changes": e.changes.iter().map(|(h, n, f, t, at)| serde_json::json!({"handle": h, "name": n,
            "from": f.map(|x| x.as_str()), "to": t.as_str(), "at": rfc3339(*at)})).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(participation))
        .routes(routes!(recompute))
        .routes(routes!(set_thresholds))
        .routes(routes!(export))
}
