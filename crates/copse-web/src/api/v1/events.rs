//! Events: `/api/v1/communities/{slug}/events`, `/api/v1/events/{id}` and its occurrences.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::domain::{Event, EventInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::events as app;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEvent {
    #[schema(min_length = 3, max_length = 200)]
    pub title: String,
    /// Markdown.
    #[schema(max_length = 20000)]
    pub description: Option<String>,
    /// Default `public`.
    pub space: Option<copse_core::domain::Space>,
    /// An IANA time zone, e.g. `Europe/Berlin`.
    #[schema(max_length = 64)]
    pub time_zone: String,
    /// Local start of the (first) occurrence, `2026-03-10T18:00`.
    #[schema(max_length = 25)]
    pub start: String,
    /// Local end of the (first) occurrence.
    #[schema(max_length = 25)]
    pub end: String,
    /// An RRULE from the documented subset, e.g. `FREQ=MONTHLY;BYDAY=2TU`.
    #[schema(max_length = 300)]
    pub rule: Option<String>,
    #[schema(max_length = 2000)]
    pub online_url: Option<String>,
    #[schema(max_length = 300)]
    pub place: Option<String>,
    #[schema(minimum = 1, maximum = 100000)]
    pub capacity: Option<i64>,
    /// Handles of members who host it with you.
    #[schema(max_items = 10)]
    pub hosts: Option<Vec<String>>,
    /// With `space: circle`: the circle (its members plan its events).
    pub circle: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct EventView {
    pub id: i64,
    pub community: String,
    pub space: copse_core::domain::Space,
    pub title: String,
    pub description: String,
    pub time_zone: String,
    pub start: String,
    pub end: String,
    /// RFC 3339 UTC start of the first occurrence.
    pub first_start: String,
    pub rule: Option<String>,
    pub online_url: Option<String>,
    pub place: Option<String>,
    pub capacity: Option<i64>,
    pub hosts: Vec<PersonView>,
}

impl EventView {
    pub(super) fn new(e: &Event, community: &str) -> Self {
        EventView {
            id: e.id,
            community: community.to_string(),
            space: e.space,
            title: e.title.clone(),
            description: e.description.clone(),
            time_zone: e.time_zone.name().to_string(),
            start: e.start_local.format("%Y-%m-%dT%H:%M").to_string(),
            end: e.end_local.format("%Y-%m-%dT%H:%M").to_string(),
            first_start: rfc3339(e.first_start),
            rule: e.rule.as_ref().map(|r| r.to_rrule()),
            online_url: e.online_url.clone(),
            place: e.place.clone(),
            capacity: e.capacity,
            hosts: e.hosts.iter().map(PersonView::from).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EventList {
    pub items: Vec<EventView>,
}

/// The community's events and series you may see.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/events", operation_id = "list_events", tag = "rhythm", params(("slug" = String, Path)),
    responses(
        (status = 200, body = EventList),
        (status = 403, description = "Private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<EventList>> {
    let (gated, events) = app::list(&state, &viewer.actor(), &slug).await?;
    Ok(Json(EventList {
        items: events
            .iter()
            .map(|e| EventView::new(e, &gated.community.slug))
            .collect(),
    }))
}

/// Create an event or a recurring series. Coordinators and leaders.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/events", operation_id = "create_event", tag = "rhythm", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = CreateEvent,
    responses(
        (status = 201, body = EventView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (named)", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CreateEvent>,
) -> ApiResult<(StatusCode, Json<EventView>)> {
    let input = EventInput {
        space: body.space.map(|s| s.as_str().to_string()),
        title: body.title,
        description: body.description.unwrap_or_default(),
        time_zone: body.time_zone,
        start: body.start,
        end: body.end,
        rule: body.rule,
        online_url: body.online_url,
        place: body.place,
        capacity: body.capacity,
        circle: body.circle,
    };
    let event = app::create(
        &state,
        &viewer.actor(),
        &slug,
        &input,
        body.hosts.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(EventView::new(&event, &slug))))
}

/// One event or series.
#[utoipa::path(get, path = "/api/v1/events/{id}", operation_id = "get_event", tag = "rhythm", params(("id" = i64, Path)),
    responses(
        (status = 200, body = EventView),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<EventView>> {
    let (gated, event) = copse_app::access::gate_event(&state, &viewer.actor(), id).await?;
    Ok(Json(EventView::new(&event, &gated.community.slug)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct OccurrenceParams {
    /// RFC 3339 time; default now.
    from: Option<String>,
    /// RFC 3339 time; default 90 days after `from`. At most 3 years after `from`.
    to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OccurrenceView {
    /// The occurrence's identity: the start its series' rule gives it (RFC 3339). Use it to
    /// answer, check in and write recaps; it stays the same when the occurrence is moved.
    pub occurrence: String,
    /// When it really starts and ends (RFC 3339, UTC).
    pub start: String,
    pub end: String,
    pub cancelled: bool,
    /// Notes for this occurrence alone (Markdown).
    pub notes: Option<String>,
    /// The recap written after it (Markdown), and the thread linked as its recap.
    pub recap: Option<String>,
    pub recap_thread: Option<i64>,
}

impl From<&copse_core::domain::Occurrence> for OccurrenceView {
    fn from(o: &copse_core::domain::Occurrence) -> Self {
        OccurrenceView {
            occurrence: rfc3339(o.key),
            start: rfc3339(o.start),
            end: rfc3339(o.end),
            cancelled: o.cancelled,
            notes: o.notes.clone(),
            recap: o.recap.clone(),
            recap_thread: o.recap_thread,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OccurrenceList {
    pub time_zone: String,
    pub items: Vec<OccurrenceView>,
}

pub(super) fn instant(field: &str, raw: &str) -> Result<i64, ApiError> {
    chrono::DateTime::parse_from_rfc3339(raw.trim())
        .map(|t| t.timestamp_millis())
        .map_err(|_| {
            copse_core::Error::invalid(field, "must be an RFC 3339 time like 2026-03-01T00:00:00Z")
                .into()
        })
}

/// Occurrences of an event starting in a window (at most 1,000).
#[utoipa::path(get, path = "/api/v1/events/{id}/occurrences", tag = "rhythm", params(("id" = i64, Path), OccurrenceParams),
    responses(
        (status = 200, body = OccurrenceList),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 422, description = "Invalid window", body = ErrorBody),
    ))]
pub async fn occurrences(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<OccurrenceParams>,
) -> ApiResult<Json<OccurrenceList>> {
    let from = match p.from.as_deref() {
        Some(f) => instant("from", f)?,
        None => state.now(),
    };
    let to = match p.to.as_deref() {
        Some(t) => instant("to", t)?,
        None => from + 90 * 24 * 3600 * 1000,
    };
    let (event, items) = app::occurrences(&state, &viewer.actor(), id, from, to).await?;
    Ok(Json(OccurrenceList {
        time_zone: event.time_zone.name().to_string(),
        items: items.iter().map(OccurrenceView::from).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RsvpBody {
    /// The occurrence (its `occurrence` value from the occurrences list). Leave it out with
    /// `series: true` to answer for the whole series.
    #[schema(max_length = 40)]
    pub occurrence: Option<String>,
    /// Answer for every upcoming occurrence of the series in the next year (at most 100).
    pub series: Option<bool>,
    /// `going`, `maybe` or `not_going`.
    #[schema(max_length = 20)]
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct RsvpAnswer {
    pub occurrence: String,
    /// `going`, `maybe`, `not_going`, or `waitlisted` when the occurrence is full.
    pub status: String,
}

#[derive(Serialize, ToSchema)]
pub struct RsvpResult {
    /// The answer to the one occurrence, or to the first of a series answer.
    pub status: String,
    /// Each occurrence answered, in order.
    pub answers: Vec<RsvpAnswer>,
}

/// Answer for one occurrence, or for the whole series. Beyond the capacity, "going" joins the waitlist; people move up
/// in order when places free.
#[utoipa::path(post, path = "/api/v1/events/{id}/rsvp", tag = "rhythm", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = RsvpBody,
    responses(
        (status = 200, body = RsvpResult),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member or observer", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 409, description = "The occurrence has started or was cancelled", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not an occurrence, or an invalid status", body = ErrorBody),
    ))]
pub async fn rsvp(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<RsvpBody>,
) -> ApiResult<Json<RsvpResult>> {
    let actor = viewer.actor();
    let answers = match (body.occurrence.as_deref(), body.series.unwrap_or(false)) {
        (None, true) => copse_app::rhythm::rsvp_series(&state, &actor, id, &body.status).await?,
        (Some(raw), false) => {
            let occurrence = instant("occurrence", raw)?;
            vec![(
                occurrence,
                app::rsvp(&state, &actor, id, occurrence, &body.status).await?,
            )]
        }
        _ => {
            return Err(copse_core::Error::invalid(
                "occurrence",
                "give an occurrence, or series: true without one",
            )
            .into());
        }
    };
    Ok(Json(RsvpResult {
        status: answers[0].1.status.as_str().to_string(),
        answers: answers
            .iter()
            .map(|(k, o)| RsvpAnswer {
                occurrence: rfc3339(*k),
                status: o.status.as_str().to_string(),
            })
            .collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RsvpParams {
    /// The RFC 3339 start of the occurrence.
    occurrence: String,
}

#[derive(Serialize, ToSchema)]
pub struct RsvpSummaryView {
    pub going: usize,
    pub maybe: usize,
    pub waitlisted: usize,
    /// Names, for those who may see the community's people; empty otherwise.
    pub going_people: Vec<PersonView>,
    pub waitlist_people: Vec<PersonView>,
}

/// Who is coming to one occurrence.
#[utoipa::path(get, path = "/api/v1/events/{id}/rsvps", tag = "rhythm", params(("id" = i64, Path), RsvpParams),
    responses(
        (status = 200, body = RsvpSummaryView),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 404, description = "No such event, or hidden from you", body = ErrorBody),
        (status = 422, description = "Invalid occurrence", body = ErrorBody),
    ))]
pub async fn rsvps(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(p): ApiQuery<RsvpParams>,
) -> ApiResult<Json<RsvpSummaryView>> {
    let occurrence = instant("occurrence", &p.occurrence)?;
    let (summary, names) = app::rsvps(&state, &viewer.actor(), id, occurrence).await?;
    let people = |list: &Vec<copse_core::domain::Person>| {
        if names {
            list.iter().map(PersonView::from).collect()
        } else {
            Vec::new()
        }
    };
    Ok(Json(RsvpSummaryView {
        going: summary.going.len(),
        maybe: summary.maybe.len(),
        waitlisted: summary.waitlisted.len(),
        going_people: people(&summary.going),
        waitlist_people: people(&summary.waitlisted),
    }))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(occurrences))
        .routes(routes!(rsvp))
        .routes(routes!(rsvps))
}
