//! Connections over the API: requests to meet with proposed times, answers, picking a time, and
//! people to meet.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::domain::AccountId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;
use copse_app::connections;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct ProposalView {
    pub id: i64,
    pub proposed_by_you: bool,
    pub time_zone: String,
    pub start: String,
    pub end: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConnectionView {
    pub id: i64,
    pub from: PersonView,
    pub to: PersonView,
    pub topic: String,
    pub message: String,
    /// `pending`, `accepted`, `declined` or `withdrawn`.
    pub status: String,
    /// The conversation an accepted request opened.
    pub conversation: Option<i64>,
    /// The meeting picked, an event in both people's calendars.
    pub event: Option<i64>,
    pub proposals: Vec<ProposalView>,
    pub created_at: String,
}

fn connection_view(
    c: &copse_core::domain::Connection,
    proposals: &[copse_core::domain::Proposal],
    me: AccountId,
) -> ConnectionView {
    ConnectionView {
        id: c.id,
        from: PersonView::from(&c.from),
        to: PersonView::from(&c.to),
        topic: c.topic.clone(),
        message: c.message.clone(),
        status: c.status.clone(),
        conversation: c.conversation_id,
        event: c.event_id,
        proposals: proposals
            .iter()
            .map(|p| ProposalView {
                id: p.id,
                proposed_by_you: p.proposed_by == me,
                time_zone: p.time_zone.clone(),
                start: p.start_local.format("%Y-%m-%dT%H:%M").to_string(),
                end: p.end_local.format("%Y-%m-%dT%H:%M").to_string(),
                starts_at: rfc3339(p.starts_at),
            })
            .collect(),
        created_at: rfc3339(c.created_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConnectionList {
    pub items: Vec<ConnectionView>,
}

/// Connection requests you sent and received.
#[utoipa::path(get, path = "/api/v1/connections", tag = "private", security(("bearer" = [])),
    responses((status = 200, body = ConnectionList)))]
pub async fn list_connections(
    State(state): State<WebState>,
    ApiSignedIn(viewer, me): ApiSignedIn,
) -> ApiResult<Json<ConnectionList>> {
    let list = connections::list(&state, &viewer.actor()).await?;
    Ok(Json(ConnectionList {
        items: list
            .iter()
            .map(|c| connection_view(c, &[], me.id))
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestConnection {
    /// Someone who shares a community with you.
    #[schema(max_length = 40)]
    pub handle: String,
    /// What you would like to talk about.
    #[schema(min_length = 3, max_length = 200)]
    pub topic: String,
    #[schema(min_length = 1, max_length = 2000)]
    pub message: String,
}

/// Ask someone for a conversation about a topic.
#[utoipa::path(post, path = "/api/v1/connections", tag = "private", security(("bearer" = [])),
    request_body = RequestConnection,
    responses(
        (status = 201, body = ConnectionView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Your e-mail address is not verified yet", body = ErrorBody),
        (status = 409, description = "Already asked", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Someone you cannot ask, or an invalid field", body = ErrorBody),
        (status = 429, description = "Too many requests today", body = ErrorBody),
    ))]
pub async fn request_connection(
    State(state): State<WebState>,
    ApiSignedIn(viewer, account): ApiSignedIn,
    ApiJson(body): ApiJson<RequestConnection>,
) -> ApiResult<(StatusCode, Json<ConnectionView>)> {
    let me = account.id;
    let c = connections::request(
        &state,
        &viewer.actor(),
        &body.handle,
        &body.topic,
        &body.message,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(connection_view(&c, &[], me))))
}

/// One of your connection requests with its proposed meeting times.
#[utoipa::path(get, path = "/api/v1/connections/{id}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = ConnectionView),
        (status = 404, description = "No such request of yours", body = ErrorBody),
    ))]
pub async fn get_connection(
    State(state): State<WebState>,
    ApiSignedIn(viewer, account): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ConnectionView>> {
    let me = account.id;
    let (c, proposals) = connections::get(&state, &viewer.actor(), id).await?;
    Ok(Json(connection_view(&c, &proposals, me)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectionAnswer {
    /// `accept`, `decline` (the person asked) or `withdraw` (the person who asked).
    #[schema(max_length = 10)]
    pub answer: String,
}

/// Answer a connection request.
#[utoipa::path(post, path = "/api/v1/connections/{id}/answer", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ConnectionAnswer,
    responses(
        (status = 200, body = ConnectionView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not yours to answer", body = ErrorBody),
        (status = 404, description = "No such request of yours", body = ErrorBody),
        (status = 409, description = "Already answered", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown answer", body = ErrorBody),
    ))]
pub async fn answer_connection(
    State(state): State<WebState>,
    ApiSignedIn(viewer, account): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ConnectionAnswer>,
) -> ApiResult<Json<ConnectionView>> {
    let me = account.id;
    let c = connections::answer(&state, &viewer.actor(), id, &body.answer).await?;
    Ok(Json(connection_view(&c, &[], me)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeTime {
    #[schema(max_length = 64)]
    pub time_zone: String,
    /// Local start, `2027-03-10T18:00`.
    #[schema(max_length = 25)]
    pub start: String,
    #[schema(max_length = 25)]
    pub end: String,
}

/// Propose a meeting time for an accepted request (at most five).
#[utoipa::path(post, path = "/api/v1/connections/{id}/proposals", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ProposeTime,
    responses(
        (status = 200, body = ConnectionView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "No such request of yours", body = ErrorBody),
        (status = 409, description = "Not accepted, or a time was picked", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid time", body = ErrorBody),
    ))]
pub async fn propose(
    State(state): State<WebState>,
    ApiSignedIn(viewer, account): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProposeTime>,
) -> ApiResult<Json<ConnectionView>> {
    let me = account.id;
    let actor = viewer.actor();
    connections::propose(&state, &actor, id, &body.time_zone, &body.start, &body.end).await?;
    let (c, proposals) = connections::get(&state, &actor, id).await?;
    Ok(Json(connection_view(&c, &proposals, me)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickTime {
    pub proposal: i64,
}

/// Pick one of the other person's proposed times: it becomes a private event in both calendars.
#[utoipa::path(post, path = "/api/v1/connections/{id}/pick", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PickTime,
    responses(
        (status = 200, body = ConnectionView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Your own proposal", body = ErrorBody),
        (status = 404, description = "No such request of yours", body = ErrorBody),
        (status = 409, description = "Already picked, or the time has passed", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not a proposal of this request", body = ErrorBody),
    ))]
pub async fn pick(
    State(state): State<WebState>,
    ApiSignedIn(viewer, account): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PickTime>,
) -> ApiResult<Json<ConnectionView>> {
    let me = account.id;
    let actor = viewer.actor();
    connections::pick(&state, &actor, id, body.proposal).await?;
    let (c, proposals) = connections::get(&state, &actor, id).await?;
    Ok(Json(connection_view(&c, &proposals, me)))
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionView {
    pub person: PersonView,
    pub organisation: Option<String>,
    /// Why: shared expertise, another organisation, newcomer and experienced member.
    pub reasons: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionList {
    pub items: Vec<SuggestionView>,
}

/// People to meet in a community. Members.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/people-to-meet", tag = "private", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = SuggestionList),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn people_to_meet(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<SuggestionList>> {
    let list = connections::people_to_meet(&state, &viewer.actor(), &slug).await?;
    Ok(Json(SuggestionList {
        items: list
            .into_iter()
            .map(|s| SuggestionView {
                person: PersonView {
                    handle: s.handle,
                    display_name: s.display_name,
                },
                organisation: s.organisation,
                reasons: s.reasons,
            })
            .collect(),
    }))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list_connections, request_connection))
        .routes(routes!(get_connection))
        .routes(routes!(answer_connection))
        .routes(routes!(propose))
        .routes(routes!(pick))
        .routes(routes!(people_to_meet))
}
