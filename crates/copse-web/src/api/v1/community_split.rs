//! Splitting a new community off this one: coordinators and site admins.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_app::community_split::{self as app, SplitInput};
use copse_core::policy::CommunityAction;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::communities::view;
use super::views::{SplitCommunity, SplitView};
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;

/// Split chosen topics off into a new community: every thread in them (library items too,
/// outside circles) and the chosen events move there with their replies, answers and files;
/// the new community keeps this one's visibility and joining rules and gets its own name,
/// address, domain statement and coordinators (you, and members you name); this community's
/// members are invited; the topics' old addresses answer 308 with their new home. Both stage
/// logs record it. Coordinators and site admins.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/split", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path, description = "The community split")), request_body = SplitCommunity,
    responses(
        (status = 201, body = SplitView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator, or may not start communities", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "The community is archived", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "A field is wrong: no topic, an unknown topic or event, a taken address, a coordinator who is not a member", body = ErrorBody),
        (status = 429, description = "Too many new communities today", body = ErrorBody),
    ))]
pub async fn split(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<SplitCommunity>,
) -> Result<(StatusCode, Json<SplitView>), ApiError> {
    let actor = viewer.actor();
    let input = SplitInput {
        name: body.name,
        slug: body.slug,
        domain_statement: body.domain_statement,
        topics: body.topics,
        events: body.events,
        coordinators: body.coordinators,
    };
    let (community, r) = app::split(&state, &actor, &slug, &input).await?;
    let gated = copse_app::access::gate(
        &state,
        &actor,
        community.slug.as_str(),
        CommunityAction::SeeListing,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(SplitView {
            community: view(&state, &actor, &gated).await?,
            topics: r.topics,
            threads: r.threads,
            events: r.events,
            invited: r.invitations.len() as i64,
        }),
    ))
}

pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new().routes(routes!(split))
}
