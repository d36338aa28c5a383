//! Check-ins over the API: the schedule (coordinators), rounds, answers, and turning an answer
//! into a value story.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::domain::checkin::Cadence;
use copse_core::domain::checkin::Checkin;
use copse_core::domain::checkin::CheckinAnswer;
use copse_core::domain::checkin::CheckinSchedule;
use copse_core::domain::value::StoryVisibility;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::value::StoryView;
use super::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, OptionalApiJson};
use crate::state::WebState;
use copse_app::checkins as app;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct ScheduleView {
    pub prompt: String,
    pub cadence: Cadence,
    /// When the next round opens; null when paused.
    pub next_at: Option<String>,
}

impl From<&CheckinSchedule> for ScheduleView {
    fn from(s: &CheckinSchedule) -> ScheduleView {
        ScheduleView {
            prompt: s.prompt.clone(),
            cadence: s.cadence,
            next_at: s.next_at.map(rfc3339),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetSchedule {
    #[schema(min_length = 1, max_length = 500)]
    pub prompt: String,
    pub cadence: Cadence,
    /// When the next round opens (RFC 3339), from now to a year ahead; null pauses the
    /// check-in.
    pub next_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CheckinView {
    pub id: i64,
    pub prompt: String,
    pub opened_at: String,
    pub closes_at: String,
    /// How many members answered.
    pub answers: i64,
}

impl From<&Checkin> for CheckinView {
    fn from(k: &Checkin) -> CheckinView {
        CheckinView {
            id: k.id,
            prompt: k.prompt.clone(),
            opened_at: rfc3339(k.opened_at),
            closes_at: rfc3339(k.closes_at),
            answers: k.answers,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AnswerView {
    pub member: PersonView,
    pub learned: String,
    pub applied: String,
    /// The story it became.
    pub story: Option<i64>,
    pub updated_at: String,
}

impl From<&CheckinAnswer> for AnswerView {
    fn from(a: &CheckinAnswer) -> AnswerView {
        AnswerView {
            member: PersonView::from(&a.member),
            learned: a.learned.clone(),
            applied: a.applied.clone(),
            story: a.story_id,
            updated_at: rfc3339(a.updated_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoundView {
    pub checkin: CheckinView,
    pub open: bool,
    /// Your answer.
    pub mine: Option<AnswerView>,
    /// Everyone's answers: for coordinators only (absent for others).
    pub answers: Option<Vec<AnswerView>>,
}

#[derive(Serialize, ToSchema)]
pub struct RoundList {
    pub items: Vec<RoundView>,
}

/// The community's check-in schedule (a suggestion when none is set). Coordinators.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/checkin-schedule", tag = "value", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = ScheduleView),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn get_schedule(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<ScheduleView>> {
    let (_, s) = app::schedule(&state, &viewer.actor(), &slug).await?;
    Ok(Json(ScheduleView::from(&s)))
}

/// Set the check-in's prompt, cadence and next opening (null pauses it). Coordinators.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/checkin-schedule", tag = "value", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SetSchedule,
    responses(
        (status = 200, body = ScheduleView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn set_schedule(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<SetSchedule>,
) -> ApiResult<Json<ScheduleView>> {
    let next_at = body
        .next_at
        .as_deref()
        .map(|t| super::events::instant("next_at", t))
        .transpose()?;
    let s = app::set_schedule(
        &state,
        &viewer.actor(),
        &slug,
        &body.prompt,
        body.cadence.as_str(),
        next_at,
    )
    .await?;
    Ok(Json(ScheduleView::from(&s)))
}

/// Open a check-in round now and ask the members. Coordinators.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/checkins", tag = "value", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 201, body = CheckinView),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "A round opened at this very moment already", body = ErrorBody),
    ))]
pub async fn open(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<CheckinView>)> {
    let k = app::open_now(&state, &viewer.actor(), &slug).await?;
    Ok((StatusCode::CREATED, Json(CheckinView::from(&k))))
}

/// The community's check-in rounds, newest first, with your answers. Members.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/checkins", operation_id = "list_checkins", tag = "value", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = RoundList),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<RoundList>> {
    let (_, rounds) = app::rounds(&state, &viewer.actor(), &slug).await?;
    let now = state.now();
    Ok(Json(RoundList {
        items: rounds
            .iter()
            .map(|(k, mine)| RoundView {
                checkin: CheckinView::from(k),
                open: k.opened_at <= now && now < k.closes_at,
                mine: mine.as_ref().map(AnswerView::from),
                answers: None,
            })
            .collect(),
    }))
}

/// One round: your answer, and everyone's for coordinators. Members.
#[utoipa::path(get, path = "/api/v1/checkins/{id}", operation_id = "get_checkin", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = RoundView),
        (status = 404, description = "No such round, or not for you", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<RoundView>> {
    let r = app::round(&state, &viewer.actor(), id).await?;
    Ok(Json(RoundView {
        checkin: CheckinView::from(&r.checkin),
        open: r.open,
        mine: r.mine.as_ref().map(AnswerView::from),
        answers: r
            .answers
            .as_ref()
            .map(|a| a.iter().map(AnswerView::from).collect()),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckinAnswerBody {
    /// What you learned here.
    #[schema(min_length = 1, max_length = 5000)]
    pub learned: String,
    /// What you applied in your work, if anything.
    #[schema(max_length = 5000)]
    pub applied: Option<String>,
}

/// Answer an open round (again, to change your answer). Seen by you and the coordinators.
/// Members.
#[utoipa::path(put, path = "/api/v1/checkins/{id}/answer", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CheckinAnswerBody,
    responses(
        (status = 200, body = AnswerView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such round, or not for you", body = ErrorBody),
        (status = 409, description = "The round is closed", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn answer(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CheckinAnswerBody>,
) -> ApiResult<Json<AnswerView>> {
    let a = app::answer(
        &state,
        &viewer.actor(),
        id,
        &body.learned,
        body.applied.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(Json(AnswerView::from(&a)))
}

#[derive(Deserialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct ToStory {
    /// Default `community`.
    pub visibility: Option<StoryVisibility>,
    pub anonymous: Option<bool>,
}

/// Turn your answer into a value story (what you learned → what you took, what you applied →
/// what you did; cycles potential, and applied when you applied something). Once per answer.
#[utoipa::path(post, path = "/api/v1/checkins/{id}/answer/story", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body(content = Option<ToStory>, description = "Who may read the story; the community when empty"),
    responses(
        (status = 201, body = StoryView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such round, or not for you", body = ErrorBody),
        (status = 409, description = "The answer is already a story", body = ErrorBody),
        (status = 422, description = "No answer yet, or invalid visibility (a circle story is told on the stories page)", body = ErrorBody),
    ))]
pub async fn to_story(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    OptionalApiJson(body): OptionalApiJson<ToStory>,
) -> ApiResult<(StatusCode, Json<StoryView>)> {
    let body = body.unwrap_or_default();
    let r = app::to_story(
        &state,
        &viewer.actor(),
        id,
        body.visibility.map(|v| v.as_str()),
        body.anonymous.unwrap_or(false),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(super::value::view(&r))))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(get_schedule, set_schedule))
        .routes(routes!(list, open))
        .routes(routes!(get))
        .routes(routes!(answer))
        .routes(routes!(to_story))
}
