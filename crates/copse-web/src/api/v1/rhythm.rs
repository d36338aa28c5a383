//! Keeping the rhythm over the API: edit and delete events (whole series or "this and
//! following"), change one occurrence, attendance, recaps, and the rhythm view.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::events::{EventView, OccurrenceView, instant};
use super::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::rhythm::{self as app, EventPatch, Kept, OccurrenceEdit};

type ApiResult<T> = Result<T, ApiError>;

/// `null` and a value both count as given (`Some`), unlike a missing field.
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Option<i64>>, D::Error> {
    Option::<i64>::deserialize(d).map(Some)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEvent {
    /// Edit this occurrence of a series and all after it: they become a new series (returned).
    /// Leave out to edit the whole event.
    #[schema(max_length = 40)]
    pub from_occurrence: Option<String>,
    #[schema(min_length = 3, max_length = 200)]
    pub title: Option<String>,
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    pub space: Option<copse_core::domain::Space>,
    #[schema(max_length = 64)]
    pub time_zone: Option<String>,
    #[schema(max_length = 25)]
    pub start: Option<String>,
    #[schema(max_length = 25)]
    pub end: Option<String>,
    /// An RRULE from the documented subset; `""` makes it a one-off.
    #[schema(max_length = 300)]
    pub rule: Option<String>,
    #[schema(max_length = 2000)]
    pub online_url: Option<String>,
    #[schema(max_length = 300)]
    pub place: Option<String>,
    /// `null` removes the limit.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>, minimum = 1, maximum = 100000)]
    pub capacity: Option<Option<i64>>,
    /// Replaces the hosts (handles of members).
    #[schema(max_items = 10)]
    pub hosts: Option<Vec<String>>,
}

/// Edit an event. Hosts, coordinators and leaders. Every change raises the event's SEQUENCE in
/// calendar feeds; answers and check-ins follow their occurrences when the schedule changes.
#[utoipa::path(patch, path = "/api/v1/events/{id}", operation_id = "update_event", tag = "rhythm", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = UpdateEvent,
    responses(
        (status = 200, description = "The edited event (the new series after a split)", body = EventView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host, coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (named)", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<UpdateEvent>,
) -> ApiResult<Json<EventView>> {
    let from = body
        .from_occurrence
        .as_deref()
        .map(|f| instant("from_occurrence", f))
        .transpose()?;
    let patch = EventPatch {
        space: body.space.map(|s| s.as_str().to_string()),
        title: body.title,
        description: body.description,
        time_zone: body.time_zone,
        start: body.start,
        end: body.end,
        rule: body.rule,
        online_url: body.online_url,
        place: body.place,
        capacity: body.capacity,
        hosts: body.hosts,
    };
    let actor = viewer.actor();
    let event = app::update(&state, &actor, id, &patch, from).await?;
    let (gated, _) = copse_app::access::gate_event(&state, &actor, event.id).await?;
    Ok(Json(EventView::new(&event, &gated.community.slug)))
}

/// Delete an event with all its occurrences. Hosts, coordinators and leaders.
#[utoipa::path(delete, path = "/api/v1/events/{id}", operation_id = "delete_event", tag = "rhythm", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not a host, coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    app::delete(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OccurrenceAction {
    Cancel,
    Restore,
    Move,
    Reschedule,
    Notes,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangeOccurrence {
    /// The occurrence (its `occurrence` value).
    #[schema(max_length = 40)]
    pub occurrence: String,
    /// `cancel`, `restore` (undo a cancel), `move` (to `start`–`end`), `reschedule` (back to the
    /// series' time) or `notes`.
    pub action: OccurrenceAction,
    /// For `move`: local start and end in the event's zone, `2026-03-10T18:00`.
    #[schema(max_length = 25)]
    pub start: Option<String>,
    #[schema(max_length = 25)]
    pub end: Option<String>,
    /// For `notes`: Markdown, or empty to remove.
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
}

/// Move, cancel or annotate one occurrence of a series; the others stay as they are.
#[utoipa::path(post, path = "/api/v1/events/{id}/occurrence", tag = "rhythm", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ChangeOccurrence,
    responses(
        (status = 200, body = OccurrenceView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host, coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not an occurrence, or an invalid field", body = ErrorBody),
    ))]
pub async fn change_occurrence(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ChangeOccurrence>,
) -> ApiResult<Json<OccurrenceView>> {
    let key = instant("occurrence", &body.occurrence)?;
    let edit = match body.action {
        OccurrenceAction::Cancel => OccurrenceEdit::Cancel,
        OccurrenceAction::Restore => OccurrenceEdit::Restore,
        OccurrenceAction::Reschedule => OccurrenceEdit::Move(None),
        OccurrenceAction::Notes => OccurrenceEdit::Notes(body.notes),
        OccurrenceAction::Move => match (body.start, body.end) {
            (Some(s), Some(e)) => OccurrenceEdit::Move(Some((s, e))),
            _ => {
                return Err(
                    copse_core::Error::invalid("start", "a move needs start and end").into(),
                );
            }
        },
    };
    let o = app::edit_occurrence(&state, &viewer.actor(), id, key, &edit).await?;
    Ok(Json(OccurrenceView::from(&o)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckIn {
    /// The occurrence (its `occurrence` value).
    #[schema(max_length = 40)]
    pub occurrence: String,
    /// A member's or observer's handle…
    #[schema(max_length = 40)]
    pub handle: Option<String>,
    /// …or the name of a walk-in.
    #[schema(max_length = 100)]
    pub walk_in: Option<String>,
    /// `false` takes a check-in back. Default `true`.
    pub present: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceLine {
    /// The member, or null for a walk-in.
    pub person: Option<PersonView>,
    pub walk_in: Option<String>,
    pub checked_in_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceList {
    pub occurrence: String,
    pub count: usize,
    pub items: Vec<AttendanceLine>,
}

fn attendance_list(key: i64, list: &[copse_core::domain::AttendanceEntry]) -> AttendanceList {
    AttendanceList {
        occurrence: rfc3339(key),
        count: list.len(),
        items: list
            .iter()
            .map(|a| AttendanceLine {
                person: a.person.as_ref().map(PersonView::from),
                walk_in: a.walk_in_name.clone(),
                checked_in_at: rfc3339(a.checked_in_at),
            })
            .collect(),
    }
}

/// Check someone in (or out) of an occurrence: from an hour before it starts. Hosts,
/// coordinators and leaders.
#[utoipa::path(post, path = "/api/v1/events/{id}/attendance", tag = "rhythm", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CheckIn,
    responses(
        (status = 200, description = "Who is checked in now", body = AttendanceList),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host, coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 409, description = "Too early, or the occurrence was cancelled", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown person or occurrence", body = ErrorBody),
    ))]
pub async fn check_in(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<CheckIn>,
) -> ApiResult<Json<AttendanceList>> {
    let key = instant("occurrence", &body.occurrence)?;
    let list = app::check_in(
        &state,
        &viewer.actor(),
        id,
        key,
        body.handle.as_deref(),
        body.walk_in.as_deref(),
        body.present.unwrap_or(true),
    )
    .await?;
    Ok(Json(attendance_list(key, &list)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OccurrenceParam {
    /// The occurrence (its `occurrence` value).
    occurrence: String,
}

/// Who was checked in to an occurrence. Hosts, coordinators and leaders.
#[utoipa::path(get, path = "/api/v1/events/{id}/attendance", tag = "rhythm", security(("bearer" = [])),
    params(("id" = i64, Path), OccurrenceParam),
    responses(
        (status = 200, body = AttendanceList),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a host, coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 422, description = "Not an occurrence", body = ErrorBody),
    ))]
pub async fn attendance(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<OccurrenceParam>,
) -> ApiResult<Json<AttendanceList>> {
    let key = instant("occurrence", &p.occurrence)?;
    let (_, _, list) = app::attendance(&state, &viewer.actor(), id, key).await?;
    Ok(Json(attendance_list(key, &list)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecapBody {
    #[schema(max_length = 40)]
    pub occurrence: String,
    /// Markdown notes.
    #[schema(max_length = 20000)]
    pub notes: Option<String>,
    /// A thread of the community to link as the recap.
    pub thread: Option<i64>,
    /// Your uploads (`POST /api/v1/files`) to attach; files the notes link to are attached too.
    #[schema(max_items = 10)]
    pub files: Option<Vec<String>>,
}

/// Write the recap of an occurrence that has started: notes, a linked thread and/or files
/// (listed at `/api/v1/events/{id}/recap/files`).
#[utoipa::path(post, path = "/api/v1/events/{id}/recap", tag = "rhythm", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = RecapBody,
    responses(
        (status = 200, body = OccurrenceView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host, coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 409, description = "The occurrence has not started", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (named)", body = ErrorBody),
    ))]
pub async fn recap(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RecapBody>,
) -> ApiResult<Json<OccurrenceView>> {
    let key = instant("occurrence", &body.occurrence)?;
    let o = app::recap(
        &state,
        &viewer.actor(),
        id,
        key,
        body.notes.as_deref(),
        body.thread,
        &body.files.unwrap_or_default(),
    )
    .await?;
    Ok(Json(OccurrenceView::from(&o)))
}

#[derive(Serialize, ToSchema)]
pub struct SeriesView {
    pub event: i64,
    pub title: String,
    /// The rule in words, e.g. "monthly on the 2nd Tuesday".
    pub cadence: String,
}

#[derive(Serialize, ToSchema)]
pub struct RhythmOccurrence {
    pub event: i64,
    pub title: String,
    #[serde(flatten)]
    pub occurrence: OccurrenceView,
    pub attended: i64,
    /// For past occurrences: `held`, `cancelled` or `not_recorded`.
    pub kept: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MonthView {
    pub month: String,
    pub planned: usize,
    pub held: usize,
    pub cancelled: usize,
    pub not_recorded: usize,
    pub attended: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RhythmView {
    pub series: Vec<SeriesView>,
    pub upcoming: Vec<RhythmOccurrence>,
    /// The last six months, newest first.
    pub past: Vec<RhythmOccurrence>,
    pub months: Vec<MonthView>,
}

fn rhythm_occurrence(r: &app::RhythmEntry) -> RhythmOccurrence {
    RhythmOccurrence {
        event: r.event,
        title: r.title.clone(),
        occurrence: OccurrenceView::from(&r.occurrence),
        attended: r.attended,
        kept: r.kept.map(|k| {
            match k {
                Kept::Held => "held",
                Kept::Cancelled => "cancelled",
                Kept::NotRecorded => "not_recorded",
            }
            .to_string()
        }),
    }
}

/// The community's rhythm: series and their cadence, what is coming, and how the last six
/// months were kept (held, cancelled, not recorded) with attendance.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/rhythm", tag = "rhythm", params(("slug" = String, Path)),
    responses(
        (status = 200, body = RhythmView),
        (status = 403, description = "Private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn rhythm(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<RhythmView>> {
    let r = app::rhythm(&state, &viewer.actor(), &slug).await?;
    Ok(Json(RhythmView {
        series: r
            .series
            .iter()
            .map(|(e, cadence)| SeriesView {
                event: e.id,
                title: e.title.clone(),
                cadence: cadence.clone(),
            })
            .collect(),
        upcoming: r.upcoming.iter().map(rhythm_occurrence).collect(),
        past: r.past.iter().map(rhythm_occurrence).collect(),
        months: r
            .months
            .iter()
            .map(|m| MonthView {
                month: m.month.clone(),
                planned: m.planned,
                held: m.held,
                cancelled: m.cancelled,
                not_recorded: m.not_recorded,
                attended: m.attended,
            })
            .collect(),
    }))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(change_occurrence))
        .routes(routes!(check_in, attendance))
        .routes(routes!(recap))
        .routes(routes!(rhythm))
}
