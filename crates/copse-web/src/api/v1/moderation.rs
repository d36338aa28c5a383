//! Moderation: flags, the thread tools, the review queue, silences, the moderation log and the
//! community's moderation settings.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::domain::{FlagReason, LogEntry, ModAction, ModerationSettings, QueueItem, Target};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::{Created, PersonView, ThreadView};
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;
use copse_app::moderation::{self as app, QueueAction, ReplyTool, ThreadTool};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ToolBody {
    /// For a thread: pin, unpin, lock, unlock, hide, unhide, merge (with `into`), move (with
    /// `to`), split (with `replies` and `title`), and for a question close, reopen. For a
    /// reply: hide, unhide.
    pub action: String,
    /// Why, for the log (and shown on a hidden post).
    pub reason: Option<String>,
    /// For `merge`: the thread of the same community that this duplicate is merged into.
    pub into: Option<i64>,
    /// For `move`: the address of another community you moderate (public and members-only
    /// threads only).
    pub to: Option<String>,
    /// For `split`: the replies of this thread that become a new thread (the oldest is its
    /// opening post).
    pub replies: Option<Vec<i64>>,
    /// For `split`: the new thread's title.
    pub title: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub target: Target,
    pub id: i64,
    /// dismiss, hide, delete, approve (a post waiting for approval), or unhide (show again
    /// what was hidden).
    pub action: String,
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SilenceBody {
    pub handle: String,
    /// Whole days, 1–365.
    pub days: i64,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Silenced {
    pub until: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsBody {
    pub leaders_moderate: bool,
    /// Flags from established members that hide a post pending review (1–50).
    pub flags_to_hide: i64,
    /// A member's first posts (this many, 0–20) wait for a moderator's approval; 0 (the
    /// default) for none.
    #[serde(default)]
    pub approve_first_posts: i64,
}

#[derive(Serialize, ToSchema)]
pub struct QueueItemView {
    /// The community whose queue it is in; none for a profile (the site's queue).
    pub community: Option<String>,
    pub target: Target,
    pub id: i64,
    /// The thread of a thread or reply.
    pub thread_id: Option<i64>,
    /// The story of a story or a comment on one.
    pub story_id: Option<i64>,
    /// What it is in or about: a thread's title, a story's gist, a conversation's subject
    /// (to the moderators only), a person's name.
    pub about: String,
    pub body: String,
    pub author: PersonView,
    pub flags: i64,
    pub reasons: Vec<FlagReason>,
    /// What flaggers wrote, without their names.
    pub notes: Vec<String>,
    pub hidden: bool,
    /// A new member's post waiting for approval (`approve` lets it through).
    pub awaiting_approval: bool,
    /// When it was first flagged, or written (awaiting approval).
    pub first_flagged_at: String,
    pub author_posts_here: i64,
    pub author_moderation_entries: i64,
}

impl From<&QueueItem> for QueueItemView {
    fn from(q: &QueueItem) -> Self {
        QueueItemView {
            community: q.community.clone(),
            target: q.target,
            id: q.target_id,
            thread_id: q.parent_id.filter(|_| q.target.is_post()),
            story_id: q
                .parent_id
                .filter(|_| matches!(q.target, Target::Story | Target::StoryComment)),
            about: q.about.clone(),
            body: q.body.clone(),
            author: PersonView::from(&q.author),
            flags: q.flags,
            reasons: q.reasons.clone(),
            notes: q.notes.clone(),
            hidden: q.hidden,
            awaiting_approval: q.awaiting,
            first_flagged_at: rfc3339(q.first_flagged_at),
            author_posts_here: q.author_posts,
            author_moderation_entries: q.author_actions,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LogEntryView {
    pub id: i64,
    /// The moderator's handle; none for what members' flags did.
    pub moderator: Option<String>,
    pub action: ModAction,
    pub target: Target,
    pub target_id: i64,
    pub summary: String,
    pub reason: Option<String>,
    pub created_at: String,
}

impl From<&LogEntry> for LogEntryView {
    fn from(e: &LogEntry) -> Self {
        LogEntryView {
            id: e.id,
            moderator: e.moderator.as_ref().map(|p| p.handle.clone()),
            action: e.action,
            target: e.target,
            target_id: e.target_id,
            summary: e.summary.clone(),
            reason: e.reason.clone(),
            created_at: rfc3339(e.created_at),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LogParams {
    /// Only entries older than this one (for the next page).
    before: Option<i64>,
}

/// Pin, lock or hide a thread, close a question, or undo it; merge a duplicate into another
/// thread (the answer is then that thread); move it to another community you moderate; or split
/// replies off into a new thread (the answer is the new thread). The community's moderators.
#[utoipa::path(post, path = "/api/v1/threads/{id}/moderation", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ToolBody,
    responses(
        (status = 200, body = ThreadView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown action or invalid reason", body = ErrorBody),
    ))]
pub async fn moderate_thread(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ToolBody>,
) -> ApiResult<Json<ThreadView>> {
    let actor = viewer.actor();
    let thread = use_tool(&state, &actor, id, &body).await?;
    let (gt, _) = copse_app::threads::read(&state, &actor, thread.id).await?;
    Ok(Json(ThreadView::new(&thread, &gt.gated.community.slug)))
}

/// A thread tool as the body names it, with what it needs (`into`, `to`, `replies` and
/// `title`); answers the thread to show (merged into, or split off).
async fn use_tool(
    state: &WebState,
    actor: &copse_core::policy::Actor,
    id: i64,
    body: &ToolBody,
) -> copse_core::Result<copse_core::domain::Thread> {
    use copse_core::Error;
    let reason = body.reason.as_deref();
    match body.action.as_str() {
        "merge" => {
            let into = body
                .into
                .ok_or_else(|| Error::invalid("into", "merge needs the thread to merge into"))?;
            app::merge(state, actor, id, into, reason).await
        }
        "move" => {
            let to = body.to.as_deref().ok_or_else(|| {
                Error::invalid("to", "move needs the community to move the thread to")
            })?;
            app::move_to_community(state, actor, id, to, reason).await
        }
        "split" => {
            let title = body.title.as_deref().unwrap_or_default();
            let replies = body.replies.as_deref().unwrap_or_default();
            app::split(state, actor, id, replies, title, reason).await
        }
        action => {
            let tool = ThreadTool::parse(action)?;
            app::thread_tool(state, actor, id, tool, reason).await
        }
    }
}

/// Hide a reply, or show it again (the community's moderators).
#[utoipa::path(post, path = "/api/v1/replies/{id}/moderation", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ToolBody,
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 404, description = "No such reply, or hidden from you", body = ErrorBody),
        (status = 409, description = "The reply was deleted", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown action or invalid reason", body = ErrorBody),
    ))]
pub async fn moderate_reply(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ToolBody>,
) -> ApiResult<StatusCode> {
    let tool = match body.action.as_str() {
        "hide" => ReplyTool::Hide,
        "unhide" => ReplyTool::Unhide,
        _ => {
            return Err(
                copse_core::Error::invalid("action", "must be one of: hide, unhide").into(),
            );
        }
    };
    app::reply_tool(&state, &viewer.actor(), id, tool, body.reason.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The community's review queue: flagged posts, most flagged first (its moderators).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/moderation/queue", tag = "moderation", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = [QueueItemView]),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn queue(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<Vec<QueueItemView>>> {
    let (_, items) = app::community_queue(&state, &viewer.actor(), &slug).await?;
    Ok(Json(items.iter().map(QueueItemView::from).collect()))
}

/// Decide about a post in the queue: dismiss its flags, hide it, delete it, or approve a new
/// member's post that waits.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/moderation/queue", tag = "moderation", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = DecisionBody,
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 404, description = "No such post, or hidden from you", body = ErrorBody),
        (status = 409, description = "Nothing to dismiss, or nothing waiting for approval", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn decide(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult<StatusCode> {
    let actor = viewer.actor();
    let action = QueueAction::parse(&body.action)?;
    app::resolve(
        &state,
        &actor,
        &slug,
        body.target,
        body.id,
        action,
        body.reason.as_deref(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Silence a member here for some days: they read but do not post (the moderators).
#[utoipa::path(post, path = "/api/v1/communities/{slug}/silences", tag = "moderation", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SilenceBody,
    responses(
        (status = 201, body = Silenced),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a moderator, or they coordinate", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown handle or invalid days", body = ErrorBody),
    ))]
pub async fn silence(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<SilenceBody>,
) -> ApiResult<(StatusCode, Json<Silenced>)> {
    let days = body.days.to_string();
    let until = app::silence(
        &state,
        &viewer.actor(),
        &slug,
        &body.handle,
        Some(&days),
        body.reason.as_deref(),
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Silenced {
            until: rfc3339(until),
        }),
    ))
}

/// Lift a silence.
#[utoipa::path(delete, path = "/api/v1/communities/{slug}/silences/{handle}", tag = "moderation", security(("bearer" = [])),
    params(("slug" = String, Path), ("handle" = String, Path)),
    responses(
        (status = 204, description = "Lifted"),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 409, description = "Not silenced", body = ErrorBody),
        (status = 422, description = "Unknown handle", body = ErrorBody),
    ))]
pub async fn unsilence(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath((slug, handle)): ApiPath<(String, String)>,
) -> ApiResult<StatusCode> {
    app::unsilence(&state, &viewer.actor(), &slug, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The community's moderation log, newest first (members; flaggers are never named).
#[utoipa::path(get, path = "/api/v1/communities/{slug}/moderation/log", tag = "moderation", security(("bearer" = [])),
    params(("slug" = String, Path), LogParams),
    responses(
        (status = 200, body = [LogEntryView]),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn log(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiQuery(p): ApiQuery<LogParams>,
) -> ApiResult<Json<Vec<LogEntryView>>> {
    let (_, entries) = app::community_log(&state, &viewer.actor(), &slug, p.before).await?;
    Ok(Json(entries.iter().map(LogEntryView::from).collect()))
}

/// Change how the community moderates (its coordinators).
#[utoipa::path(put, path = "/api/v1/communities/{slug}/moderation/settings", tag = "moderation", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = SettingsBody,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn settings(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<SettingsBody>,
) -> ApiResult<StatusCode> {
    let (flags, approve) = (
        body.flags_to_hide.to_string(),
        body.approve_first_posts.to_string(),
    );
    let settings = ModerationSettings::parse(body.leaders_moderate, Some(&flags), Some(&approve))?;
    app::set_settings(&state, &viewer.actor(), &slug, settings).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every community's review queue (site admins).
#[utoipa::path(get, path = "/api/v1/admin/moderation/queue", tag = "moderation", security(("bearer" = [])),
    responses(
        (status = 200, body = [QueueItemView]),
        (status = 403, description = "Not a site admin", body = ErrorBody),
    ))]
pub async fn site_queue(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
) -> ApiResult<Json<Vec<QueueItemView>>> {
    let items = app::site_queue(&state, &viewer.actor()).await?;
    Ok(Json(items.iter().map(QueueItemView::from).collect()))
}

/// Every community's moderation log (site admins).
#[utoipa::path(get, path = "/api/v1/admin/moderation/log", tag = "moderation", security(("bearer" = [])),
    params(LogParams),
    responses(
        (status = 200, body = [LogEntryView]),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
    ))]
pub async fn site_log(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiQuery(p): ApiQuery<LogParams>,
) -> ApiResult<Json<Vec<LogEntryView>>> {
    let entries = app::site_log(&state, &viewer.actor(), p.before).await?;
    Ok(Json(entries.iter().map(LogEntryView::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WarnBody {
    pub handle: String,
    /// What you say to them (1–2,000 characters); only they see it.
    pub message: String,
}

#[derive(Serialize, ToSchema)]
pub struct WarningView {
    pub id: i64,
    pub community: String,
    pub community_name: String,
    pub message: String,
    pub created_at: String,
}

/// Write to a member: they read it on every page and acknowledge it before they post here
/// again (the moderators). The log records that you did, not what you wrote.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/warnings", tag = "moderation", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = WarnBody,
    responses(
        (status = 201, body = Created),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a moderator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown handle or invalid message", body = ErrorBody),
    ))]
pub async fn warn(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<WarnBody>,
) -> ApiResult<(StatusCode, Json<Created>)> {
    let id = app::warn(&state, &viewer.actor(), &slug, &body.handle, &body.message).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Your moderators' warnings that you have not acknowledged.
#[utoipa::path(get, path = "/api/v1/me/warnings", tag = "moderation", security(("bearer" = [])),
    responses((status = 200, body = [WarningView])))]
pub async fn my_warnings(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
) -> ApiResult<Json<Vec<WarningView>>> {
    let warnings = app::my_warnings(&state, &viewer.actor()).await?;
    Ok(Json(
        warnings
            .into_iter()
            .map(|w| WarningView {
                id: w.id,
                community: w.community_slug,
                community_name: w.community_name,
                message: w.message,
                created_at: rfc3339(w.created_at),
            })
            .collect(),
    ))
}

/// Acknowledge one of your warnings.
#[utoipa::path(post, path = "/api/v1/me/warnings/{id}/acknowledge", tag = "moderation", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Acknowledged"),
        (status = 404, description = "Not one of your open warnings", body = ErrorBody),
    ))]
pub async fn acknowledge(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    app::acknowledge(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(moderate_thread))
        .routes(routes!(moderate_reply))
        .routes(routes!(queue, decide))
        .routes(routes!(silence))
        .routes(routes!(unsilence))
        .routes(routes!(log))
        .routes(routes!(settings))
        .routes(routes!(site_queue, super::flags::site_decide))
        .routes(routes!(site_log))
        .routes(routes!(warn))
        .routes(routes!(my_warnings))
        .routes(routes!(acknowledge))
}
