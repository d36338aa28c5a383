//! `/api/v1/me/email`: how often your digest comes, how notifications reach you and which
//! community newsletters you get; and the admins' view of what went out.

use axum::Json;
use axum::extract::State;
use copse_app::email_settings::{self, EmailChoice};
use copse_core::domain::AccountId;
use copse_core::domain::NotificationKind;
use copse_core::domain::email::{DigestCadence, EmailMode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::WebState;

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailSettings {
    /// `daily` (07:00 UTC), `weekly` (Mondays; the default) or `off`.
    pub digest: DigestCadence,
    /// How each kind of notification reaches you: at once (`immediate`, a few minutes later
    /// unless you saw it on the site), in the digest, or `off`. On PUT, kinds left out keep
    /// their default.
    #[serde(default)]
    #[schema(max_items = 20)]
    pub notifications: Vec<KindMode>,
    /// The newsletters of the communities you are in or follow. On PUT, communities left out
    /// keep their choice.
    #[serde(default)]
    #[schema(max_items = 500)]
    pub newsletters: Vec<NewsletterChoice>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewsletterChoice {
    /// The community's slug.
    #[schema(max_length = 64)]
    pub community: String,
    /// Its name (ignored on PUT).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub name: String,
    pub subscribed: bool,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KindMode {
    pub kind: NotificationKind,
    pub mode: EmailMode,
}

async fn current(state: &WebState, account: AccountId) -> Result<EmailSettings, ApiError> {
    let settings = email_settings::settings(state, account).await?;
    Ok(EmailSettings {
        digest: settings.digest,
        notifications: settings
            .modes
            .into_iter()
            .map(|(kind, mode)| KindMode { kind, mode })
            .collect(),
        newsletters: settings
            .newsletters
            .into_iter()
            .map(|s| NewsletterChoice {
                community: s.slug,
                name: s.name,
                subscribed: s.subscribed,
            })
            .collect(),
    })
}

/// Your e-mail settings.
#[utoipa::path(get, path = "/api/v1/me/email", operation_id = "get_my_email", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = EmailSettings)))]
pub async fn get(
    State(state): State<WebState>,
    ApiSignedIn(_viewer, me): ApiSignedIn,
) -> Result<Json<EmailSettings>, ApiError> {
    Ok(Json(current(&state, me.id).await?))
}

/// Set how often your digest comes.
#[utoipa::path(put, path = "/api/v1/me/email", tag = "me", security(("bearer" = [])),
    request_body = EmailSettings,
    responses(
        (status = 200, body = EmailSettings),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn set(
    State(state): State<WebState>,
    ApiSignedIn(_viewer, me): ApiSignedIn,
    ApiJson(body): ApiJson<EmailSettings>,
) -> Result<Json<EmailSettings>, ApiError> {
    let choice = EmailChoice {
        digest: body.digest,
        modes: body
            .notifications
            .iter()
            .map(|c| (c.kind, c.mode))
            .collect(),
        newsletters: body
            .newsletters
            .iter()
            .map(|n| (n.community.clone(), n.subscribed))
            .collect(),
    };
    email_settings::save(&state, me.id, &choice).await?;
    Ok(Json(current(&state, me.id).await?))
}

#[derive(Serialize, ToSchema)]
pub struct RunView {
    /// A digest period (`weekly-2026-11-23`), `notifications` or `messages`.
    pub run: String,
    /// `digest` or `notification`.
    pub kind: String,
    pub sent: i64,
    pub failed: i64,
    /// Claimed and not yet finished (a node may be sending, or died sending).
    pub sending: i64,
    pub last: String,
}

#[derive(Serialize, ToSchema)]
pub struct FailureView {
    pub run: String,
    pub to: String,
    pub error: String,
    pub at: String,
}

#[derive(Serialize, ToSchema)]
pub struct EmailOverview {
    pub runs: Vec<RunView>,
    pub failures: Vec<FailureView>,
}

/// What e-mail went out, run by run, and what failed and why. Site admins.
#[utoipa::path(get, path = "/api/v1/admin/email", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, body = EmailOverview),
        (status = 403, description = "Not a site admin", body = ErrorBody),
    ))]
pub async fn overview(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
) -> Result<Json<EmailOverview>, ApiError> {
    let (runs, failures) = copse_app::email_admin::overview(&state, &viewer.actor()).await?;
    Ok(Json(EmailOverview {
        runs: runs
            .into_iter()
            .map(|r| RunView {
                run: r.run,
                kind: r.kind,
                sent: r.sent,
                failed: r.failed,
                sending: r.sending,
                last: copse_core::clock::rfc3339(r.last),
            })
            .collect(),
        failures: failures
            .into_iter()
            .map(|f| FailureView {
                run: f.run,
                to: f.handle,
                error: f.error,
                at: copse_core::clock::rfc3339(f.updated_at),
            })
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RetryRun {
    /// A digest period (`weekly-2026-11-23`), `notifications` or `messages`.
    #[schema(max_length = 40)]
    pub run: String,
}

#[derive(Serialize, ToSchema)]
pub struct Retried {
    /// Jobs queued.
    pub queued: usize,
}

/// Send a run's failed messages again (whoever has theirs is skipped). Site admins.
#[utoipa::path(post, path = "/api/v1/admin/email/retry", tag = "admin", security(("bearer" = [])),
    request_body = RetryRun,
    responses(
        (status = 200, body = Retried),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "No such run", body = ErrorBody),
    ))]
pub async fn retry(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiJson(body): ApiJson<RetryRun>,
) -> Result<Json<Retried>, ApiError> {
    let queued = copse_app::email_admin::retry(&state, &viewer.actor(), &body.run).await?;
    Ok(Json(Retried { queued }))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(get, set))
        .routes(routes!(overview))
        .routes(routes!(retry))
}
