//! Circles over the API: a community's circles, one circle, asking to join, invitations, roles
//! and removal.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::policy::CircleAction;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;
use copse_app::circles;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct CircleView {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    /// Listed to the community's members, or hidden (known to its members only).
    pub listed: bool,
    pub ends_at: Option<String>,
    pub member_count: i64,
    /// `host`, `member`, or null when you are not in it.
    pub your_role: Option<String>,
}

fn circle_view(
    c: &copse_core::domain::Circle,
    role: Option<copse_core::domain::CircleRole>,
) -> CircleView {
    CircleView {
        id: c.id,
        name: c.name.clone(),
        purpose: c.purpose.clone(),
        listed: c.listed,
        ends_at: c.ends_at.map(rfc3339),
        member_count: c.member_count,
        your_role: role.map(|r| match r {
            copse_core::domain::CircleRole::Host => "host".into(),
            copse_core::domain::CircleRole::Member => "member".into(),
        }),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CircleList {
    pub items: Vec<CircleView>,
}

/// The community's circles you may know of: listed ones (members), and your own.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/circles", tag = "private", params(("slug" = String, Path)),
    responses(
        (status = 200, body = CircleList),
        (status = 403, description = "Private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn list_circles(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<CircleList>> {
    let actor = viewer.actor();
    let (_, list) = circles::list(&state, &actor, &slug).await?;
    let roles = circles::roles_in(&state, &actor, &list).await?;
    let items = list
        .iter()
        .zip(roles)
        .map(|(c, role)| circle_view(c, role))
        .collect();
    Ok(Json(CircleList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCircle {
    #[schema(min_length = 3, max_length = 80)]
    pub name: String,
    #[schema(min_length = 3, max_length = 2000)]
    pub purpose: String,
    /// Listed to the community's members (default), or hidden.
    pub listed: Option<bool>,
    /// The day it ends (`2027-06-30`), if it does.
    #[schema(max_length = 40)]
    pub ends: Option<String>,
}

/// Start a circle; you become its host. Members of the community.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/circles", tag = "private", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = CreateCircle,
    responses(
        (status = 201, body = CircleView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (named)", body = ErrorBody),
    ))]
pub async fn create_circle(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CreateCircle>,
) -> ApiResult<(StatusCode, Json<CircleView>)> {
    let input = circles::CircleInput {
        name: body.name,
        purpose: body.purpose,
        listed: body.listed.unwrap_or(true),
        ends: body.ends,
    };
    let c = circles::create(&state, &viewer.actor(), &slug, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(circle_view(&c, Some(copse_core::domain::CircleRole::Host))),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CircleMember {
    pub person: PersonView,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct CircleRequestView {
    pub person: PersonView,
    /// `request` or `invitation`.
    pub kind: String,
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CircleItem {
    pub id: i64,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct CircleDetail {
    pub circle: CircleView,
    /// For its members (and site admins); empty for others who may only see it listed.
    pub members: Vec<CircleMember>,
    /// Pending requests and invitations, for hosts.
    pub requests: Vec<CircleRequestView>,
    pub threads: Vec<CircleItem>,
    pub events: Vec<CircleItem>,
}

/// One circle. Listed circles show name and purpose to the community's members; what is in it
/// only to its members.
#[utoipa::path(get, path = "/api/v1/circles/{id}", tag = "private", params(("id" = i64, Path)),
    responses(
        (status = 200, body = CircleDetail),
        (status = 404, description = "No such circle, or hidden from you", body = ErrorBody),
    ))]
pub async fn get_circle(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CircleDetail>> {
    let actor = viewer.actor();
    let gc = copse_app::access::gate_circle(&state, &actor, id, CircleAction::See).await?;
    let mut detail = CircleDetail {
        circle: circle_view(&gc.circle, gc.role),
        members: Vec::new(),
        requests: Vec::new(),
        threads: Vec::new(),
        events: Vec::new(),
    };
    if gc.may(&actor, CircleAction::Read, state.now()) {
        let (_, members, requests) = circles::people(&state, &actor, id).await?;
        let (_, threads, events) = circles::contents(&state, &actor, id).await?;
        detail.members = members
            .iter()
            .map(|(p, r)| CircleMember {
                person: PersonView::from(p),
                role: if *r == copse_core::domain::CircleRole::Host {
                    "host"
                } else {
                    "member"
                }
                .into(),
            })
            .collect();
        detail.requests = requests
            .iter()
            .map(|r| CircleRequestView {
                person: PersonView::from(&r.person),
                kind: r.kind.clone(),
                message: r.message.clone(),
            })
            .collect();
        detail.threads = threads
            .iter()
            .map(|t| CircleItem {
                id: t.id,
                title: t.title.clone(),
            })
            .collect();
        detail.events = events
            .iter()
            .map(|e| CircleItem {
                id: e.id,
                title: e.title.clone(),
            })
            .collect();
    }
    Ok(Json(detail))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinCircle {
    #[schema(max_length = 1000)]
    pub message: Option<String>,
}

/// Ask to join a listed circle.
#[utoipa::path(post, path = "/api/v1/circles/{id}/requests", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = JoinCircle,
    responses(
        (status = 204, description = "Asked"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not allowed to ask", body = ErrorBody),
        (status = 404, description = "No such circle, or hidden from you", body = ErrorBody),
        (status = 409, description = "Already asked or invited", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid message", body = ErrorBody),
    ))]
pub async fn request_circle(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<JoinCircle>,
) -> ApiResult<StatusCode> {
    circles::request(&state, &viewer.actor(), id, body.message.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleBody {
    #[schema(max_length = 40)]
    pub handle: String,
}

/// Invite a member of the community into the circle. Hosts.
#[utoipa::path(post, path = "/api/v1/circles/{id}/invitations", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = HandleBody,
    responses(
        (status = 204, description = "Invited"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host", body = ErrorBody),
        (status = 404, description = "No such circle, or hidden from you", body = ErrorBody),
        (status = 409, description = "Already in it, asked or invited", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown person, or not a member of the community", body = ErrorBody),
    ))]
pub async fn invite_circle(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HandleBody>,
) -> ApiResult<StatusCode> {
    circles::invite(&state, &viewer.actor(), id, &body.handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    pub accept: bool,
}

/// Accept or decline your invitation to a circle.
#[utoipa::path(post, path = "/api/v1/circles/{id}/invitation", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AnswerBody,
    responses(
        (status = 204, description = "Answered"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "No invitation for you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid body", body = ErrorBody),
    ))]
pub async fn answer_circle_invitation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> ApiResult<StatusCode> {
    circles::answer_invitation(&state, &viewer.actor(), id, body.accept).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Admit (or decline) someone who asked to join. Hosts.
#[utoipa::path(post, path = "/api/v1/circles/{id}/requests/{handle}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path), ("handle" = String, Path)), request_body = AnswerBody,
    responses(
        (status = 204, description = "Answered"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host", body = ErrorBody),
        (status = 404, description = "No such circle or request", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown person", body = ErrorBody),
    ))]
pub async fn answer_circle_request(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((id, handle)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> ApiResult<StatusCode> {
    circles::answer_request(&state, &viewer.actor(), id, &handle, body.accept).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CircleRoleBody {
    /// `host`.
    #[schema(max_length = 10)]
    pub role: String,
}

/// Make a circle member a host. Hosts.
#[utoipa::path(put, path = "/api/v1/circles/{id}/members/{handle}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path), ("handle" = String, Path)), request_body = CircleRoleBody,
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host", body = ErrorBody),
        (status = 404, description = "No such circle, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown person or role", body = ErrorBody),
    ))]
pub async fn set_circle_role(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((id, handle)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<CircleRoleBody>,
) -> ApiResult<StatusCode> {
    if body.role != "host" {
        return Err(copse_core::Error::invalid("role", "must be host").into());
    }
    circles::make_host(&state, &viewer.actor(), id, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove someone from a circle (hosts), or leave it (your own handle).
#[utoipa::path(delete, path = "/api/v1/circles/{id}/members/{handle}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path), ("handle" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not a host", body = ErrorBody),
        (status = 404, description = "No such circle or member", body = ErrorBody),
        (status = 409, description = "The only host cannot leave", body = ErrorBody),
    ))]
pub async fn remove_circle_member(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((id, handle)): ApiPath<(i64, String)>,
) -> ApiResult<StatusCode> {
    circles::remove(&state, &viewer.actor(), id, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list_circles, create_circle))
        .routes(routes!(get_circle))
        .routes(routes!(request_circle))
        .routes(routes!(invite_circle))
        .routes(routes!(answer_circle_invitation))
        .routes(routes!(answer_circle_request))
        .routes(routes!(set_circle_role, remove_circle_member))
}
