//! Archiving a community and reopening it, merging it into another: coordinators and site
//! admins.

use axum::Json;
use axum::extract::State;
use copse_app::communities as app;
use copse_core::policy::CommunityAction;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::communities::view;
use super::views::{ArchiveCommunity, CommunityView, MergeCommunity, MergedView};
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;

type ApiResult<T> = Result<T, ApiError>;

/// Archive the community: it becomes read-only everywhere (every change answers 409), its
/// future events are cancelled and no mail goes out for it, until it is reopened. Its pages,
/// search and links keep working. Coordinators and site admins.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/archive", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = ArchiveCommunity,
    responses(
        (status = 200, body = CommunityView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "Archived already", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "No reason, or a reason too long", body = ErrorBody),
    ))]
pub async fn archive(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<ArchiveCommunity>,
) -> ApiResult<Json<CommunityView>> {
    let actor = viewer.actor();
    app::archive(&state, &actor, &slug, &body.reason).await?;
    let gated = copse_app::access::gate(&state, &actor, &slug, CommunityAction::SeeListing).await?;
    Ok(Json(view(&state, &actor, &gated).await?))
}

/// Reopen an archived community. Coordinators and site admins.
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/archive", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = CommunityView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "Not archived", body = ErrorBody),
    ))]
pub async fn reopen(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<CommunityView>> {
    let actor = viewer.actor();
    app::reopen(&state, &actor, &slug).await?;
    let gated = copse_app::access::gate(&state, &actor, &slug, CommunityAction::SeeListing).await?;
    Ok(Json(view(&state, &actor, &gated).await?))
}

/// Merge this community into another: its threads, replies, topics (joined by name), library,
/// events, circles, stories, check-ins, newsletter archive, members (the stronger role wins),
/// participation ledger and domain history become the other's, in one transaction; its people
/// are told, and every old address of it answers 308 with its new home. A site admin, or a
/// coordinator of both.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/merge", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The community merged away")), request_body = MergeCommunity,
    responses(
        (status = 200, body = MergedView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator of both", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "One of them is archived", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "No community named, or the same one", body = ErrorBody),
    ))]
pub async fn merge(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<MergeCommunity>,
) -> ApiResult<Json<MergedView>> {
    let actor = viewer.actor();
    let (community, r) =
        copse_app::community_merge::merge(&state, &actor, &slug, &body.into).await?;
    let slug = community.slug.as_str().to_owned();
    let gated = copse_app::access::gate(&state, &actor, &slug, CommunityAction::SeeListing).await?;
    Ok(Json(MergedView {
        community: view(&state, &actor, &gated).await?,
        threads: r.threads,
        events: r.events,
        new_people: r.new_people,
        people_in_both: r.people_in_both,
        topics_joined: r.topics_joined,
        topics_moved: r.topics_moved,
        newsletter_offset: r.newsletter_offset,
        dropped_draft: r.dropped_draft,
    }))
}

pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(archive, reopen))
        .routes(routes!(merge))
}
