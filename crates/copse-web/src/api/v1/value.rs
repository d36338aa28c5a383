//! Value-creation stories over the API: tell, read, endorse, and the value report.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::domain::value::{Cycle, StoryInput, StoryVisibility};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::views::PersonView;
use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::value::{self as app, ReadStory, StoryDraft};
use copse_core::domain::value::StoryComment;

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
}

pub(super) fn view(r: &ReadStory) -> StoryView {
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<TellStory>,
) -> ApiResult<(StatusCode, Json<StoryView>)> {
    viewer.require()?;
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
        }
    }
}

/// Edit your story: the whole story as when telling it; credits and topics are checked again,
/// and people newly credited are told. The teller only.
#[utoipa::path(put, path = "/api/v1/stories/{id}", tag = "value", security(("bearer" = [])),
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<TellStory>,
) -> ApiResult<Json<StoryView>> {
    viewer.require()?;
    let r = app::edit(&state, &viewer.actor(), id, &body.into_draft()).await?;
    Ok(Json(view(&r)))
}

/// Delete a story, with its endorsements and comments. The teller, or a coordinator.
#[utoipa::path(delete, path = "/api/v1/stories/{id}", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Neither the teller nor a coordinator", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    app::delete(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CommentView {
    pub id: i64,
    pub story: i64,
    pub author: PersonView,
    /// Markdown.
    pub body: String,
    pub created_at: String,
}

impl From<&StoryComment> for CommentView {
    fn from(c: &StoryComment) -> CommentView {
        CommentView {
            id: c.id,
            story: c.story_id,
            author: PersonView::from(&c.author),
            body: c.body.clone(),
            created_at: rfc3339(c.created_at),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CommentList {
    pub items: Vec<CommentView>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewComment {
    /// Markdown.
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
}

/// A story's comments, oldest first. Whoever may read the story.
#[utoipa::path(get, path = "/api/v1/stories/{id}/comments", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = CommentList),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn comments(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CommentList>> {
    viewer.require()?;
    let list = app::comments(&state, &viewer.actor(), id).await?;
    Ok(Json(CommentList {
        items: list.iter().map(CommentView::from).collect(),
    }))
}

/// Comment on a story you may read; its teller is told. Members.
#[utoipa::path(post, path = "/api/v1/stories/{id}/comments", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewComment,
    responses(
        (status = 201, body = CommentView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Empty or too long, or the story has 500 comments", body = ErrorBody),
    ))]
pub async fn add_comment(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewComment>,
) -> ApiResult<(StatusCode, Json<CommentView>)> {
    viewer.require()?;
    let c = app::comment(&state, &viewer.actor(), id, &body.body).await?;
    Ok((StatusCode::CREATED, Json(CommentView::from(&c))))
}

/// Delete a comment. Its author, or a coordinator.
#[utoipa::path(delete, path = "/api/v1/story-comments/{id}", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Neither its author nor a coordinator", body = ErrorBody),
        (status = 404, description = "No such comment, or hidden from you", body = ErrorBody),
    ))]
pub async fn delete_comment(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    app::delete_comment(&state, &viewer.actor(), id).await?;
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<Json<StoryList>> {
    viewer.require()?;
    let person = copse_app::accounts::profile_of(&state, &viewer.actor(), &handle).await?;
    let list = app::credited_to(&state, &viewer.actor(), person.id).await?;
    Ok(Json(StoryList {
        items: list.iter().map(view).collect(),
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportParams {
    /// First day, `2026-10-01`; default a year before `to`.
    from: Option<String>,
    /// Last day; default today. At most three years.
    to: Option<String>,
    /// `json` (default) or `csv` (one row per story you may read).
    format: Option<String>,
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
#[utoipa::path(get, path = "/api/v1/communities/{slug}/stories", tag = "value", security(("bearer" = [])),
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<PeriodParams>,
) -> ApiResult<Json<StoryList>> {
    viewer.require()?;
    let (from, to) =
        copse_app::participation::period(p.from.as_deref(), p.to.as_deref(), state.now())?;
    let (_, list) = app::list(&state, &viewer.actor(), &slug, from, to).await?;
    Ok(Json(StoryList {
        items: list.iter().map(view).collect(),
    }))
}

/// One story you may read.
#[utoipa::path(get, path = "/api/v1/stories/{id}", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = StoryView),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StoryView>> {
    viewer.require()?;
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StoryView>> {
    viewer.require()?;
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<StoryView>> {
    viewer.require()?;
    Ok(Json(view(
        &app::endorse(&state, &viewer.actor(), id, false).await?,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct CycleCount {
    pub cycle: Cycle,
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct EffectSum {
    pub unit: String,
    pub total: f64,
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct CreditedView {
    pub kind: String,
    pub id: i64,
    pub title: String,
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct TopicCount {
    pub topic: String,
    pub name: String,
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct PersonCredited {
    pub person: PersonView,
    /// Stories crediting their threads and events.
    pub stories: usize,
}

#[derive(Serialize, ToSchema)]
pub struct ValueReport {
    pub from: String,
    pub to: String,
    pub stories: usize,
    pub endorsements: i64,
    pub per_cycle: Vec<CycleCount>,
    /// Measured effects summed by unit.
    pub effects: Vec<EffectSum>,
    /// Stories per topic, most first.
    pub per_topic: Vec<TopicCount>,
    /// What the stories credit most (what you may read).
    pub credited: Vec<CreditedView>,
    /// Whose threads and events the stories credit most.
    pub people: Vec<PersonCredited>,
    /// Pinned first, then the most endorsed.
    pub strongest: Vec<StoryView>,
    /// Stories per month, oldest first.
    pub per_month: Vec<(String, usize)>,
    /// The coordinators' introduction (Markdown).
    pub introduction: Option<String>,
}

/// The value report for a period, from the stories you may read; as CSV, one row per story.
/// Members.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/value-report", tag = "value", security(("bearer" = [])),
    params(("slug" = String, Path), ReportParams),
    responses(
        (status = 200, body = ValueReport, description = "The report (JSON), or its stories as CSV"),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 422, description = "Invalid period", body = ErrorBody),
    ))]
pub async fn report(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<ReportParams>,
) -> ApiResult<axum::response::Response> {
    use axum::response::IntoResponse;
    viewer.require()?;
    let (from, to) =
        copse_app::participation::period(p.from.as_deref(), p.to.as_deref(), state.now())?;
    match p.format.as_deref().unwrap_or("json") {
        "json" => {}
        "csv" => {
            let (_, list) = app::list(&state, &viewer.actor(), &slug, from, to).await?;
            return Ok((
                StatusCode::OK,
                [
                    (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        "attachment; filename=\"value-report.csv\"",
                    ),
                ],
                app::report_csv(&list),
            )
                .into_response());
        }
        _ => return Err(copse_core::Error::invalid("format", "must be json or csv").into()),
    }
    let r = app::report(&state, &viewer.actor(), &slug, from, to).await?;
    Ok(Json(ValueReport {
        from: rfc3339(from),
        to: rfc3339(to),
        stories: r.stories,
        endorsements: r.endorsements,
        per_cycle: r
            .per_cycle
            .iter()
            .map(|(c, n)| CycleCount {
                cycle: *c,
                stories: *n,
            })
            .collect(),
        effects: r
            .effects
            .iter()
            .map(|(u, v, n)| EffectSum {
                unit: u.clone(),
                total: *v,
                stories: *n,
            })
            .collect(),
        credited: r
            .credited
            .iter()
            .map(|c| CreditedView {
                kind: c.kind.clone(),
                id: c.id,
                title: c.title.clone(),
                stories: c.stories,
            })
            .collect(),
        per_topic: r
            .per_topic
            .iter()
            .map(|(slug, name, n)| TopicCount {
                topic: slug.clone(),
                name: name.clone(),
                stories: *n,
            })
            .collect(),
        people: r
            .people
            .iter()
            .map(|(p, n)| PersonCredited {
                person: PersonView::from(p),
                stories: *n,
            })
            .collect(),
        strongest: r.strongest.iter().map(view).collect(),
        per_month: r.per_month,
        introduction: r.introduction,
    })
    .into_response())
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PinBody {
    pub pinned: bool,
}

/// Pin a story for the value report (or unpin it). Coordinators.
#[utoipa::path(put, path = "/api/v1/stories/{id}/pin", tag = "value", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PinBody,
    responses(
        (status = 200, body = StoryView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such story, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid body", body = ErrorBody),
    ))]
pub async fn pin(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PinBody>,
) -> ApiResult<Json<StoryView>> {
    viewer.require()?;
    Ok(Json(view(
        &app::pin(&state, &viewer.actor(), id, body.pinned).await?,
    )))
}

#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Introduction {
    /// Markdown, at most 10,000 characters; empty removes it.
    #[schema(max_length = 10000)]
    pub text: String,
}

/// Write the value report's introduction. Coordinators.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/value-report/introduction", tag = "value",
    security(("bearer" = [])), params(("slug" = String, Path)), request_body = Introduction,
    responses(
        (status = 200, body = Introduction),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Too long", body = ErrorBody),
    ))]
pub async fn set_introduction(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<Introduction>,
) -> ApiResult<Json<Introduction>> {
    viewer.require()?;
    let text = app::set_introduction(&state, &viewer.actor(), &slug, &body.text).await?;
    Ok(Json(Introduction { text }))
}
