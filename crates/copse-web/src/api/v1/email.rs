//! `/api/v1/me/email`: how often your digest comes.

use axum::Json;
use axum::extract::State;
use copse_core::domain::NotificationKind;
use copse_core::domain::email::{DigestCadence, EmailMode, modes_from, modes_to};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::AppState;

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
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct KindMode {
    pub kind: NotificationKind,
    pub mode: EmailMode,
}

async fn current(state: &AppState, account: i64) -> Result<EmailSettings, ApiError> {
    Ok(EmailSettings {
        digest: state.store.digest_cadence(account).await?,
        notifications: modes_from(&state.store.email_kinds(account).await?)
            .into_iter()
            .map(|(kind, mode)| KindMode { kind, mode })
            .collect(),
    })
}

/// Your e-mail settings.
#[utoipa::path(get, path = "/api/v1/me/email", tag = "me", security(("bearer" = [])),
    responses((status = 200, body = EmailSettings)))]
pub async fn get(
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
) -> Result<Json<EmailSettings>, ApiError> {
    let me = viewer.require()?;
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
    State(state): State<AppState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<EmailSettings>,
) -> Result<Json<EmailSettings>, ApiError> {
    let me = viewer.require()?;
    let mut modes = modes_from("");
    for (k, m) in &mut modes {
        if let Some(chosen) = body.notifications.iter().find(|c| c.kind == *k) {
            *m = chosen.mode;
        }
    }
    state.store.set_digest_cadence(me.id, body.digest).await?;
    state
        .store
        .set_email_kinds(me.id, &modes_to(&modes))
        .await?;
    Ok(Json(current(&state, me.id).await?))
}
