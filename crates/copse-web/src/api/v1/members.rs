//! Membership: the member list, joining, following, leaving, requests, invitations and roles.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::communities::bad_cursor;
use super::views::*;
use crate::auth::{ApiSignedIn, ApiViewer};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, OptionalApiJson};
use crate::state::WebState;
use copse_app::membership::{self as app, JoinOutcome};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct MemberParams {
    /// List observers instead of members.
    observers: Option<bool>,
    /// Page size, clamped to 1–200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// Members in order of joining, with roles and organisations.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/members", operation_id = "list_members", tag = "members",
    params(("slug" = String, Path), MemberParams),
    responses(
        (status = 200, body = MemberPage),
        (status = 400, description = "Malformed parameter or cursor", body = ErrorBody),
        (status = 401, description = "Sign in to see people", body = ErrorBody),
        (status = 403, description = "Members only", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(params): ApiQuery<MemberParams>,
) -> ApiResult<Json<MemberPage>> {
    let (_, page) = app::members(
        &state,
        &viewer.actor(),
        &slug,
        params.observers.unwrap_or(false),
        params.limit,
        params.cursor.as_deref(),
    )
    .await
    .map_err(bad_cursor)?;
    Ok(Json(MemberPage {
        items: page.items.iter().map(MemberView::from).collect(),
        next_cursor: page.next.map(|c| c.encode()),
    }))
}

/// Join an open community, or ask to join one that admits on approval (with answers).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/join", tag = "members", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body(content = Option<JoinBody>, description = "Answers, for approval communities"),
    responses(
        (status = 200, description = "Joined, or request filed", body = JoinResult),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "By invitation only", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "Already a member, or a request is waiting", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Missing answers", body = ErrorBody),
    ))]
pub async fn join(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    OptionalApiJson(body): OptionalApiJson<JoinBody>,
) -> ApiResult<Json<JoinResult>> {
    let answers = body.and_then(|b| b.answers).unwrap_or_default();
    let outcome = app::join(&state, &viewer.actor(), &slug, &answers).await?;
    Ok(Json(match outcome {
        JoinOutcome::Joined => JoinResult {
            status: JoinStatus::Joined,
            request: None,
        },
        JoinOutcome::Requested(r) => JoinResult {
            status: JoinStatus::Requested,
            request: Some(JoinRequestView::from(&r)),
        },
    }))
}

/// Leave a community (or stop following it).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/leave", tag = "members", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 204, description = "Left"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "Not a member, or the last coordinator", body = ErrorBody),
    ))]
pub async fn leave(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<StatusCode> {
    app::leave(&state, &viewer.actor(), &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Follow a public community as an observer, without joining.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/follow", tag = "members", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 204, description = "Following"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Private communities cannot be followed", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "Already following or a member", body = ErrorBody),
    ))]
pub async fn follow(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<StatusCode> {
    app::follow(&state, &viewer.actor(), &slug).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Pending requests to join, oldest first. Coordinators.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/join-requests", tag = "members", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = JoinRequestList),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn join_requests(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<JoinRequestList>> {
    let (_, requests) = app::pending_requests(&state, &viewer.actor(), &slug).await?;
    Ok(Json(JoinRequestList {
        items: requests.iter().map(JoinRequestView::from).collect(),
    }))
}

/// Approve a request: the person becomes a member. Coordinators.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/join-requests/{id}/approve", tag = "members",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Approved"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such pending request", body = ErrorBody),
    ))]
pub async fn approve(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> ApiResult<StatusCode> {
    // This operation needs an account: refuse before looking anything up.
    app::decide_request(&state, &viewer.actor(), &slug, id, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decline a request. Coordinators.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/join-requests/{id}/decline", tag = "members",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Declined"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such pending request", body = ErrorBody),
    ))]
pub async fn decline(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> ApiResult<StatusCode> {
    // This operation needs an account: refuse before looking anything up.
    app::decide_request(&state, &viewer.actor(), &slug, id, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Invite someone by @handle or e-mail. Coordinators and leaders.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/invitations", tag = "members", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = InviteBody,
    responses(
        (status = 201, body = InvitationCreated),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "Already a member or already invited", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown handle or bad address", body = ErrorBody),
    ))]
pub async fn invite(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<InviteBody>,
) -> ApiResult<(StatusCode, Json<InvitationCreated>)> {
    let role = body.role.map(|r| r.as_str());
    let (invitation, link) =
        app::invite(&state, &viewer.actor(), &slug, &body.invitee, role).await?;
    Ok((
        StatusCode::CREATED,
        Json(InvitationCreated {
            invitation: InvitationView::from(&invitation),
            link,
        }),
    ))
}

/// Open invitations of a community. Coordinators and leaders.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/invitations", tag = "members", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = InvitationList),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn invitations(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<InvitationList>> {
    let items = app::community_invitations(&state, &viewer.actor(), &slug).await?;
    Ok(Json(InvitationList {
        items: items.iter().map(InvitationView::from).collect(),
    }))
}

/// Withdraw an open invitation. Coordinators and leaders.
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/invitations/{id}", tag = "members",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 204, description = "Withdrawn"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such open invitation", body = ErrorBody),
    ))]
pub async fn revoke_invitation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> ApiResult<StatusCode> {
    // This operation needs an account: refuse before looking anything up.
    app::revoke_invitation(&state, &viewer.actor(), &slug, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Send an open invitation's e-mail again. Coordinators and leaders.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/invitations/{id}/resend", tag = "members",
    security(("bearer" = [])), params(("slug" = String, Path), ("id" = i64, Path)),
    responses(
        (status = 202, description = "The e-mail is on its way again"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator or leader", body = ErrorBody),
        (status = 404, description = "No such open invitation", body = ErrorBody),
    ))]
pub async fn resend_invitation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, id)): ApiPath<(String, i64)>,
) -> ApiResult<StatusCode> {
    app::resend_invitation(&state, &viewer.actor(), &slug, id).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Give a member another role. Coordinators.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/members/{handle}", tag = "members",
    security(("bearer" = [])), params(("slug" = String, Path), ("handle" = String, Path)), request_body = RoleBody,
    responses(
        (status = 204, description = "Role changed"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
        (status = 409, description = "Would leave no coordinator", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid role", body = ErrorBody),
    ))]
pub async fn set_role(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, handle)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<RoleBody>,
) -> ApiResult<StatusCode> {
    // This operation needs an account: refuse before looking anything up.
    app::set_role(&state, &viewer.actor(), &slug, &handle, body.role.as_str()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove a member or observer. Coordinators.
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/members/{handle}", tag = "members",
    security(("bearer" = [])), params(("slug" = String, Path), ("handle" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such member", body = ErrorBody),
        (status = 409, description = "Would leave no coordinator", body = ErrorBody),
    ))]
pub async fn remove(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, handle)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    // This operation needs an account: refuse before looking anything up.
    app::remove(&state, &viewer.actor(), &slug, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your open invitations.
#[utoipa::path(get, path = "/api/v1/me/invitations", tag = "me", security(("bearer" = [])),
    responses(
        (status = 200, body = InvitationList),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn my_invitations(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
) -> ApiResult<Json<InvitationList>> {
    let items = app::my_invitations(&state, &viewer.actor()).await?;
    Ok(Json(InvitationList {
        items: items.iter().map(InvitationView::from).collect(),
    }))
}

/// Accept an invitation addressed to you.
#[utoipa::path(post, path = "/api/v1/me/invitations/{id}/accept", tag = "me", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "You are a member"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such open invitation for you", body = ErrorBody),
    ))]
pub async fn accept_invitation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let actor = viewer.actor();
    let invitation = app::invitation_for_me(&state, &actor, id).await?;
    app::answer_invitation(&state, &actor, &invitation, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Decline an invitation addressed to you.
#[utoipa::path(post, path = "/api/v1/me/invitations/{id}/decline", tag = "me", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Declined"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such open invitation for you", body = ErrorBody),
    ))]
pub async fn decline_invitation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    let actor = viewer.actor();
    let invitation = app::invitation_for_me(&state, &actor, id).await?;
    app::answer_invitation(&state, &actor, &invitation, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(my_invitations))
        .routes(routes!(accept_invitation))
        .routes(routes!(decline_invitation))
        .routes(routes!(list))
        .routes(routes!(join))
        .routes(routes!(leave))
        .routes(routes!(follow))
        .routes(routes!(join_requests))
        .routes(routes!(approve))
        .routes(routes!(decline))
        .routes(routes!(invite, invitations))
        .routes(routes!(revoke_invitation))
        .routes(routes!(resend_invitation))
        .routes(routes!(set_role, remove))
}
