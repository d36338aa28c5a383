//! Stories over the API: tell, edit, delete, list and read them, endorse them, and the stories
//! that credit a person.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::domain::value::{Cycle, StoryInput, StoryVisibility};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::api::v1::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::value::{self as app, ReadStory, StoryDraft};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct EffectView {
    pub value: f64,
    pub unit: String,
    pub period: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CreditView {
    /// `thread`, `event` or `circle`.
    pub kind: String,
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct StoryView {
    pub id: i64,
    /// Who told it; null when they stay anonymous to you.
    pub teller: Option<PersonView>,
    pub anonymous: bool,
    pub visibility: StoryVisibility,
    pub circle: Option<i64>,
    pub happened: String,
    pub took: String,
    pub did: String,
    pub difference: String,
    pub cycles: Vec<Cycle>,
    pub effect: Option<EffectView>,
    pub credits: Vec<CreditView>,
    /// Slugs of the community's topics it is about.
    pub topics: Vec<String>,
    pub endorsements: i64,
    pub comments: i64,
    pub pinned: bool,
    pub created_at: String,
    /// When the teller last edited it.
    pub updated_at: Option<String>,
    /// Why it is hidden (flagged, or by a moderator): only its teller and the community's
    /// moderators read it then.
    pub hidden: Option<String>,
}

pub(crate) fn view(r: &ReadStory) -> StoryView {
    let s = &r.story;
    StoryView {
        id: s.id,
        teller: r.teller_shown.then(|| PersonView::from(&s.author)),
        anonymous: s.anonymous,
        visibility: s.visibility,
        circle: s.circle_id,
        happened: s.happened.clone(),
        took: s.took.clone(),
        did: s.did.clone(),
        difference: s.difference.clone(),
        cycles: s.cycles.clone(),
        effect: s.effect.as_ref().map(|e| EffectView {
            value: e.value,
            unit: e.unit.clone(),
            period: e.period.clone(),
        }),
        credits: s
            .credits
            .iter()
            .map(|(kind, id)| CreditView {
                kind: kind.clone(),
                id: *id,
            })
            .collect(),
        topics: s.topics.iter().map(|(slug, _)| slug.clone()).collect(),
        endorsements: s.endorsements,
        comments: s.comments,
        pinned: s.pinned,
        created_at: rfc3339(s.created_at),
        updated_at: s.updated_at.map(rfc3339),
        hidden: s.hidden.clone(),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TellStory {
    /// What happened in the community.
    #[schema(min_length = 1, max_length = 5000)]
    pub happened: String,
    /// What you took from it.
    #[schema(min_length = 1, max_length = 5000)]
    pub took: String,
    /// What you did with it.
    #[schema(max_length = 5000)]
    pub did: Option<String>,
    /// What difference it made.
    #[schema(max_length = 5000)]
    pub difference: Option<String>,
    /// At least one.
    #[schema(min_items = 1, max_items = 5)]
    pub cycles: Vec<Cycle>,
    /// A measured effect: a finite number within ±1,000,000,000…
    pub effect_value: Option<f64>,
    /// …with a unit: hours, days, euros, dollars, pounds, incidents, patients, people, percent,
    /// or text of at most 30 characters…
    #[schema(max_length = 30)]
    pub effect_unit: Option<String>,
    /// …over a period ("per month").
    #[schema(max_length = 50)]
    pub effect_period: Option<String>,
    /// Default `community`.
    pub visibility: Option<StoryVisibility>,
    /// With `visibility: circle`.
    pub circle: Option<i64>,
    /// Stay anonymous to the community (coordinators still see who told it).
    pub anonymous: Option<bool>,
    /// What it came from: `thread:42`, `event:7`, `circle:3` (things you can see here).
    #[schema(max_items = 10)]
    pub credits: Option<Vec<String>>,
    /// Slugs of the community's topics it is about.
    #[schema(max_items = 5)]
    pub topics: Option<Vec<String>>,
    /// Your uploads (`POST /api/v1/files`) to attach; files its words link to are attached too.
    #[schema(max_items = 10)]
    pub files: Option<Vec<String>>,
}

/// Tell a value-creation story. Members.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/stories", tag = "value", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = TellStory,
    responses(
        (status = 201, body = StoryView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or a credit you cannot see (named)", body = ErrorBody),
    ))]
pub async fn tell(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<TellStory>,
) -> ApiResult<(StatusCode, Json<StoryView>)> {
    let r = app::tell(&state, &viewer.actor(), &slug, &body.into_draft()).await?;
    Ok((StatusCode::CREATED, Json(view(&r))))
}

impl TellStory {
    fn into_draft(self) -> StoryDraft {
        StoryDraft {
            input: StoryInput {
                happened: self.happened,
                took: self.took,
                did: self.did.unwrap_or_default(),
                difference: self.difference.unwrap_or_default(),
                cycles: self.cycles.iter().map(|c| c.as_str().to_string()).collect(),
                effect_value: self.effect_value,
                effect_unit: self.effect_unit,
                effect_period: self.effect_period,
                visibility: self.visibility.map(|v| v.as_str().to_string()),
                anonymous: self.anonymous.unwrap_or(false),
            },
            circle: self.circle,
            credits: self.credits.unwrap_or_default(),
            topics: self.topics.unwrap_or_default(),
            files: self.files.unwrap_or_default(),
        }
    }
}

/// Edit your story: the whole story as when telling it; credits and topics are checked again,
/// and people newly credited are told. The teller only.
#[utoipa::path(put, path = "/api/v1/stories/{id}", operation_id = "edit_story", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = TellStory,
    responses(
        (status = 200, body = StoryView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not the teller", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or a credit you cannot see (named)", body = ErrorBody),
    ))]
pub async fn edit(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TellStory>,
) -> ApiResult<Json<StoryView>> {
    let r = app::edit(&state, &viewer.actor(), id, &body.into_draft()).await?;
    Ok(Json(view(&r)))
}

/// Delete a story, with its endorsements and comments. The teller, or a coordinator.
#[utoipa::path(delete, path = "/api/v1/stories/{id}", operation_id = "delete_story", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Neither the teller nor a coordinator", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    app::delete(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Stories you may read that credit a person's threads or the events they host, newest first.
/// Signed-in people.
#[utoipa::path(get, path = "/api/v1/users/{handle}/credits", tag = "value", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses(
        (status = 200, body = StoryList),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
pub async fn credits(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<Json<StoryList>> {
    let person = copse_app::accounts::profile_of(&state, &viewer.actor(), &handle).await?;
    let list = app::credited_to(&state, &viewer.actor(), person.id).await?;
    Ok(Json(StoryList {
        items: list.iter().map(view).collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PeriodParams {
    /// First day, `2026-10-01`; default a year before `to`.
    from: Option<String>,
    /// Last day; default today. At most three years.
    to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StoryList {
    pub items: Vec<StoryView>,
}

/// The community's stories you may read. Members.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/stories", operation_id = "list_stories", tag = "value", security(("bearer" = [])),
    params(("slug" = String, Path), PeriodParams),
    responses(
        (status = 200, body = StoryList),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 422, description = "Invalid period", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<PeriodParams>,
) -> ApiResult<Json<StoryList>> {
    let (from, to) =
        copse_app::participation::period(p.from.as_deref(), p.to.as_deref(), state.now())?;
    let (_, list) = app::list(&state, &viewer.actor(), &slug, from, to).await?;
    Ok(Json(StoryList {
        items: list.iter().map(view).collect(),
    }))
}

/// One story you may read.
#[utoipa::path(get, path = "/api/v1/stories/{id}", operation_id = "get_story", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = StoryView),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StoryView>> {
    Ok(Json(view(&app::get(&state, &viewer.actor(), id).await?)))
}

/// Endorse a story: "this also happened for me". Twice counts once.
#[utoipa::path(put, path = "/api/v1/stories/{id}/endorsement", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = StoryView),
        (status = 403, description = "Your own story", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn endorse(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StoryView>> {
    Ok(Json(view(
        &app::endorse(&state, &viewer.actor(), id, true).await?,
    )))
}

/// Take an endorsement back.
#[utoipa::path(delete, path = "/api/v1/stories/{id}/endorsement", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = StoryView),
        (status = 403, description = "Your own story", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn unendorse(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StoryView>> {
    Ok(Json(view(
        &app::endorse(&state, &viewer.actor(), id, false).await?,
    )))
}
