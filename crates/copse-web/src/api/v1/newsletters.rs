//! The community newsletter over the API: the cadence (coordinators), the archive, an issue as
//! you may read it (or, for coordinators, as a kind of reader), and drafting, editing, sending,
//! scheduling and deleting issues (coordinators).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::domain::checkin::Cadence;
use copse_core::domain::newsletter::Newsletter;
use copse_core::domain::newsletter::NewsletterSettings;
use copse_core::domain::newsletter::Status;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiSignedIn;
use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery, OptionalApiJson};
use crate::state::WebState;
use copse_app::newsletters::{self as app, Audience, Rendered};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct NewsletterSettingsView {
    pub cadence: Cadence,
    /// When copse drafts the next issue; null when it drafts none.
    pub next_at: Option<String>,
}

impl From<NewsletterSettings> for NewsletterSettingsView {
    fn from(s: NewsletterSettings) -> Self {
        NewsletterSettingsView {
            cadence: s.cadence,
            next_at: s.next_at.map(rfc3339),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetNewsletterSettings {
    pub cadence: Cadence,
    /// When copse drafts the next issue (RFC 3339), from now to a year ahead; null: copse
    /// drafts none.
    pub next_at: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct NewsletterSummary {
    pub number: i64,
    pub subject: String,
    pub status: Status,
    /// The period it covers.
    pub period_since: String,
    pub period_until: String,
    /// When it is to go out (scheduled) or went out.
    pub send_at: Option<String>,
    pub sent_at: Option<String>,
}

impl From<&Newsletter> for NewsletterSummary {
    fn from(n: &Newsletter) -> Self {
        NewsletterSummary {
            number: n.number,
            subject: n.subject.clone(),
            status: n.status,
            period_since: rfc3339(n.period_since),
            period_until: rfc3339(n.period_until),
            send_at: n.send_at.map(rfc3339),
            sent_at: n.sent_at.map(rfc3339),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct NewsletterList {
    /// Newest first: the issues that went out, and for coordinators the one being prepared.
    pub items: Vec<NewsletterSummary>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryCounts {
    pub sent: i64,
    pub failed: i64,
    pub sending: i64,
}

#[derive(Serialize, ToSchema)]
pub struct NewsletterView {
    pub issue: NewsletterSummary,
    /// The issue as you (or the reader you preview as) get it: sanitized HTML.
    pub html: String,
    /// The same as plain text.
    pub text: String,
    /// The Markdown as written, with its reference lines: coordinators only.
    pub body: Option<String>,
    /// How sending went: coordinators only, once it went out.
    pub delivery: Option<DeliveryCounts>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PreviewParams {
    /// Coordinators: read it as `me` (the default), a `member` in no circle, an `observer` or
    /// a `visitor` who is not signed in.
    #[serde(default, rename = "as")]
    #[param(max_length = 20)]
    pub audience: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EditNewsletter {
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    /// Markdown (at most 50,000 characters). A line holding only `[[thread:N]]`,
    /// `[[answer:N]]`, `[[event:N]]`, `[[story:N]]` or `[[member:N]]` (at most 200) is expanded
    /// for each reader who may read it and left out for the others.
    #[schema(min_length = 1, max_length = 50000)]
    pub body: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendNewsletter {
    /// When to send it (RFC 3339, within a year); absent or null: now.
    #[serde(default)]
    pub at: Option<String>,
}

/// An optional RFC 3339 time, as milliseconds.
fn parse_time(field: &str, raw: Option<&str>) -> ApiResult<Option<i64>> {
    raw.map(|t| super::events::instant(field, t)).transpose()
}

/// The issue as the actor reads it; editors also get its source and delivery counts.
async fn view(
    state: &WebState,
    actor: &copse_core::policy::Actor,
    gated: &copse_app::access::Gated,
    issue: &Newsletter,
    rendered: Rendered,
) -> ApiResult<NewsletterView> {
    let editor = gated.may(actor, copse_core::policy::CommunityAction::Edit);
    let delivery =
        app::delivery_counts(state, actor, gated, issue)
            .await?
            .map(|(sent, failed, sending)| DeliveryCounts {
                sent,
                failed,
                sending,
            });
    Ok(NewsletterView {
        issue: NewsletterSummary::from(issue),
        html: rendered.html,
        text: rendered.text,
        body: editor.then(|| issue.body.clone()),
        delivery,
    })
}

/// The newsletter's cadence and next draft. Coordinators.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/newsletter-settings", tag = "newsletter", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = NewsletterSettingsView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn get_settings(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<NewsletterSettingsView>> {
    let (_, s) = app::settings(&state, &viewer.actor(), &slug).await?;
    Ok(Json(s.into()))
}

/// Set how often copse drafts an issue and when the next draft is made. Coordinators.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/newsletter-settings", tag = "newsletter", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SetNewsletterSettings,
    responses(
        (status = 200, body = NewsletterSettingsView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn set_settings(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<SetNewsletterSettings>,
) -> ApiResult<Json<NewsletterSettingsView>> {
    let next_at = parse_time("next_at", body.next_at.as_deref())?;
    let s = app::set_settings(
        &state,
        &viewer.actor(),
        &slug,
        body.cadence.as_str(),
        next_at,
    )
    .await?;
    Ok(Json(s.into()))
}

/// The newsletter's issues, newest first: those that went out (whoever may read the
/// community), and the one being prepared (coordinators).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/newsletters", operation_id = "list_newsletters", tag = "newsletter",
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = NewsletterList),
        (status = 403, description = "A private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn list(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<NewsletterList>> {
    let (_, issues) = app::list(&state, &viewer.actor(), &slug).await?;
    Ok(Json(NewsletterList {
        items: issues.iter().map(NewsletterSummary::from).collect(),
    }))
}

/// Draft an issue now from what happened since the last one. Coordinators; one issue is
/// prepared at a time.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/newsletters", tag = "newsletter", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 201, body = NewsletterView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "An issue is being prepared already", body = ErrorBody),
    ))]
pub async fn draft(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<(StatusCode, Json<NewsletterView>)> {
    let actor = viewer.actor();
    let issue = app::draft_now(&state, &actor, &slug).await?;
    let (gated, issue, rendered) =
        app::preview(&state, &actor, &slug, issue.number, Audience::Me).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, &actor, &gated, &issue, rendered).await?),
    ))
}

/// One issue as you may read it; coordinators may read one being prepared, and any as
/// another kind of reader (`as`).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/newsletters/{number}", operation_id = "get_newsletter", tag = "newsletter",
    params(("slug" = String, Path), ("number" = i64, Path), PreviewParams),
    responses(
        (status = 200, body = NewsletterView),
        (status = 400, description = "Malformed query", body = ErrorBody),
        (status = 403, description = "A private community, or a preview by someone not a coordinator", body = ErrorBody),
        (status = 404, description = "No such issue, or hidden from you", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn get(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath((slug, number)): ApiPath<(String, i64)>,
    ApiQuery(params): ApiQuery<PreviewParams>,
) -> ApiResult<Json<NewsletterView>> {
    let actor = viewer.actor();
    let audience = Audience::parse(params.audience.as_deref().unwrap_or(""))?;
    let (gated, issue) = app::issue(&state, &actor, &slug, number).await?;
    let editor = gated.may(&actor, copse_core::policy::CommunityAction::Edit);
    let rendered = if editor || audience != Audience::Me {
        // Previews are the coordinators' (the policy answers everyone else).
        app::preview_issue(&state, &actor, &gated, &issue, audience).await?
    } else {
        app::read_as_viewer(&state, &actor, &gated, &issue).await?
    };
    Ok(Json(view(&state, &actor, &gated, &issue, rendered).await?))
}

/// Change an issue's subject and text while it is a draft or scheduled. Coordinators.
#[utoipa::path(put, path = "/api/v1/communities/{slug}/newsletters/{number}", operation_id = "edit_newsletter", tag = "newsletter", security(("bearer" = [])),
    params(("slug" = String, Path), ("number" = i64, Path)), request_body = EditNewsletter,
    responses(
        (status = 200, body = NewsletterView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such issue, or hidden from you", body = ErrorBody),
        (status = 409, description = "It has gone out", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or a reference to nothing you may read", body = ErrorBody),
    ))]
pub async fn edit(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, number)): ApiPath<(String, i64)>,
    ApiJson(body): ApiJson<EditNewsletter>,
) -> ApiResult<Json<NewsletterView>> {
    let actor = viewer.actor();
    app::update(&state, &actor, &slug, number, &body.subject, &body.body).await?;
    let (gated, issue, rendered) =
        app::preview(&state, &actor, &slug, number, Audience::Me).await?;
    Ok(Json(view(&state, &actor, &gated, &issue, rendered).await?))
}

/// Send an issue now, or schedule it (`at`). Coordinators. It goes to the community's members
/// and observers who have not opted out, each getting what they may read.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/newsletters/{number}/send", tag = "newsletter", security(("bearer" = [])),
    params(("slug" = String, Path), ("number" = i64, Path)), request_body(content = Option<SendNewsletter>),
    responses(
        (status = 200, body = NewsletterView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such issue, or hidden from you", body = ErrorBody),
        (status = 409, description = "It has gone out", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn send(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, number)): ApiPath<(String, i64)>,
    OptionalApiJson(body): OptionalApiJson<SendNewsletter>,
) -> ApiResult<Json<NewsletterView>> {
    let actor = viewer.actor();
    let at = parse_time("at", body.and_then(|b| b.at).as_deref())?;
    app::send(&state, &actor, &slug, number, at).await?;
    let (gated, issue, rendered) =
        app::preview(&state, &actor, &slug, number, Audience::Me).await?;
    Ok(Json(view(&state, &actor, &gated, &issue, rendered).await?))
}

/// Take a scheduled issue back to a draft. Coordinators.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/newsletters/{number}/unschedule", tag = "newsletter", security(("bearer" = [])),
    params(("slug" = String, Path), ("number" = i64, Path)),
    responses(
        (status = 200, body = NewsletterView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such issue, or hidden from you", body = ErrorBody),
        (status = 409, description = "It is not scheduled", body = ErrorBody),
    ))]
pub async fn unschedule(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, number)): ApiPath<(String, i64)>,
) -> ApiResult<Json<NewsletterView>> {
    let actor = viewer.actor();
    app::unschedule(&state, &actor, &slug, number).await?;
    let (gated, issue, rendered) =
        app::preview(&state, &actor, &slug, number, Audience::Me).await?;
    Ok(Json(view(&state, &actor, &gated, &issue, rendered).await?))
}

/// Delete an issue that has not gone out. Coordinators.
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/newsletters/{number}", operation_id = "delete_newsletter", tag = "newsletter", security(("bearer" = [])),
    params(("slug" = String, Path), ("number" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such issue, or hidden from you", body = ErrorBody),
        (status = 409, description = "It has gone out", body = ErrorBody),
    ))]
pub async fn delete(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, number)): ApiPath<(String, i64)>,
) -> ApiResult<StatusCode> {
    app::delete(&state, &viewer.actor(), &slug, number).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(get_settings, set_settings))
        .routes(routes!(list, draft))
        .routes(routes!(get, edit, delete))
        .routes(routes!(send))
        .routes(routes!(unschedule))
}
