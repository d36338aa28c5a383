//! Communities: the directory, one community, its settings and the history of its domain.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::policy::{self, CommunityAction, Standing};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::*;
use crate::auth::{ApiSignedIn, ApiViewer};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::access::Gated;
use copse_app::communities::{self as app, CommunityInput};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DirectoryParams {
    /// Words to find in names and domain statements.
    #[param(max_length = 200)]
    q: Option<String>,
    /// Only communities you belong to or follow (needs a token).
    mine: Option<bool>,
    /// Page size, clamped to 1–200 (default 50).
    limit: Option<i64>,
    /// `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The communities you may see, by name.
#[utoipa::path(get, path = "/api/v1/communities", operation_id = "list_communities", tag = "communities", params(DirectoryParams),
    responses(
        (status = 200, body = CommunityPage),
        (status = 400, description = "Malformed parameter or cursor", body = ErrorBody),
        (status = 401, description = "`mine` without a token", body = ErrorBody),
        (status = 422, description = "Invalid parameter", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiQuery(params): ApiQuery<DirectoryParams>,
) -> ApiResult<Json<CommunityPage>> {
    let actor = viewer.actor();
    let page = app::directory(
        &state,
        &actor,
        params.q,
        params.mine.unwrap_or(false),
        params.limit,
        params.cursor.as_deref(),
    )
    .await
    .map_err(bad_cursor)?;
    let mut items = Vec::with_capacity(page.items.len());
    for entry in &page.items {
        let standing = Standing {
            role: entry.viewer_role,
            invited: false,
            silenced_until: None,
        };
        let readable = policy::decide(
            &actor,
            &standing,
            &(&entry.community).into(),
            CommunityAction::ReadPublic,
        )
        .allowed();
        let c = &entry.community;
        items.push(CommunitySummary {
            slug: c.slug.clone(),
            name: c.name.clone(),
            domain_statement: c.domain_statement.clone(),
            visibility: c.visibility,
            join_policy: c.join_policy,
            stage: c.stage,
            members: readable.then_some(entry.members),
        });
    }
    Ok(Json(CommunityPage {
        items,
        next_cursor: page.next.map(|c| c.encode()),
    }))
}

/// A malformed cursor is a malformed request (400), not an invalid entity.
pub(crate) fn bad_cursor(e: copse_core::Error) -> ApiError {
    match e {
        copse_core::Error::Invalid { ref field, .. } if field == "cursor" => {
            ApiError::bad_request("cursor: is not a cursor returned by this API")
        }
        other => other.into(),
    }
}

/// Start a community; you become its first coordinator.
#[utoipa::path(post, path = "/api/v1/communities", operation_id = "create_community", tag = "communities", security(("bearer" = [])),
    request_body = CreateCommunity,
    responses(
        (status = 201, body = CommunityView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Your e-mail address is not verified yet", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or slug taken", body = ErrorBody),
        (status = 429, description = "Too many new communities today", body = ErrorBody),
    ))]
pub async fn create(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiJson(body): ApiJson<CreateCommunity>,
) -> ApiResult<(StatusCode, Json<CommunityView>)> {
    let input = CommunityInput {
        name: Some(body.name),
        slug: Some(body.slug),
        domain_statement: Some(body.domain_statement),
        reason: None,
        visibility: body.visibility.map(|v| v.as_str().to_string()),
        listed: body.listed,
        join_policy: body.join_policy.map(|v| v.as_str().to_string()),
        join_questions: body.join_questions,
        stage: body.stage.map(|v| v.as_str().to_string()),
    };
    let actor = viewer.actor();
    let community = app::create(&state, &actor, &input).await?;
    let gated =
        copse_app::access::gate(&state, &actor, &community.slug, CommunityAction::ReadPublic)
            .await?;
    let reach = app::reach(&state, &actor, &gated).await?;
    Ok((
        StatusCode::CREATED,
        Json(CommunityView::new(
            &community,
            reach,
            Some(copse_core::domain::Role::Coordinator),
        )),
    ))
}

pub(super) async fn view(
    state: &WebState,
    actor: &copse_core::policy::Actor,
    gated: &Gated,
) -> ApiResult<CommunityView> {
    let reach = app::reach(state, actor, gated).await?;
    Ok(CommunityView::new(
        &gated.community,
        reach,
        gated.standing.role,
    ))
}

/// One community, as you may see it.
#[utoipa::path(get, path = "/api/v1/communities/{slug}", operation_id = "get_community", tag = "communities",
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = CommunityView),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<CommunityView>> {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(&state, &actor, &slug, CommunityAction::SeeListing).await?;
    Ok(Json(view(&state, &actor, &gated).await?))
}

/// Change a community's settings, domain statement (kept in history) or stage. Coordinators.
#[utoipa::path(patch, path = "/api/v1/communities/{slug}", operation_id = "update_community", tag = "communities", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = UpdateCommunity,
    responses(
        (status = 200, body = CommunityView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn update(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<UpdateCommunity>,
) -> ApiResult<Json<CommunityView>> {
    let input = CommunityInput {
        name: body.name,
        slug: None,
        domain_statement: body.domain_statement,
        reason: body.reason,
        visibility: body.visibility.map(|v| v.as_str().to_string()),
        listed: body.listed,
        join_policy: body.join_policy.map(|v| v.as_str().to_string()),
        join_questions: body.join_questions,
        stage: body.stage.map(|v| v.as_str().to_string()),
    };
    let actor = viewer.actor();
    app::update(&state, &actor, &slug, &input).await?;
    let gated = copse_app::access::gate(&state, &actor, &slug, CommunityAction::SeeListing).await?;
    Ok(Json(view(&state, &actor, &gated).await?))
}

/// The history of the domain statement, newest first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/domain-revisions", tag = "communities",
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = RevisionList),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn revisions(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<RevisionList>> {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(&state, &actor, &slug, CommunityAction::SeeHistory).await?;
    let revisions = app::domain_revisions(&state, &actor, &gated).await?;
    Ok(Json(RevisionList {
        items: revisions.iter().map(RevisionView::from).collect(),
    }))
}

/// The log of the community's stages (potential, coalescing, maturing, stewardship,
/// transformation), newest first.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/stage-changes", tag = "communities",
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = StageChangeList),
        (status = 403, description = "Private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn stage_changes(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<StageChangeList>> {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(&state, &actor, &slug, CommunityAction::SeeHistory).await?;
    let changes = app::stage_changes(&state, &actor, &gated).await?;
    Ok(Json(StageChangeList {
        items: changes
            .iter()
            .map(|c| StageChangeView {
                from: c.from,
                to: c.to,
                kind: c.kind,
                note: c.note.clone(),
                author: c.author_handle.clone(),
                created_at: copse_core::clock::rfc3339(c.created_at),
                merged_from: c.merged_from.clone(),
            })
            .collect(),
    }))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(get, update))
        .routes(routes!(revisions))
        .routes(routes!(stage_changes))
}
