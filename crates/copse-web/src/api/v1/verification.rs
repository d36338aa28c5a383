//! Verifying an e-mail address through the API: confirm with the secret from the link, or ask
//! for a new link.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::MeView;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::WebState;
use copse_app::verification;

/// The secret of a verification link (its `token` parameter).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    pub token: String,
}

/// Confirm an e-mail address with the secret sent to it. Needs no sign-in: the secret is the proof.
#[utoipa::path(post, path = "/api/v1/auth/verify-email", tag = "auth", request_body = VerifyRequest,
    responses(
        (status = 200, description = "The address is verified", body = MeView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "Another account uses this address now", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "The link is unknown, used or expired", body = ErrorBody),
    ))]
pub async fn verify_email(
    State(state): State<WebState>,
    ApiJson(body): ApiJson<VerifyRequest>,
) -> Result<Json<MeView>, ApiError> {
    let account = verification::confirm(&state, &body.token).await?;
    Ok(Json(MeView::from(&account)))
}

/// Send a new verification link to your address (five an hour).
#[utoipa::path(post, path = "/api/v1/me/verification", tag = "me", security(("bearer" = [])),
    responses(
        (status = 202, description = "A new link is on its way"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 409, description = "The address is verified already", body = ErrorBody),
        (status = 429, description = "Too many links asked for", body = ErrorBody),
    ))]
pub async fn resend(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
) -> Result<StatusCode, ApiError> {
    verification::resend(&state, &viewer.actor()).await?;
    Ok(StatusCode::ACCEPTED)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(verify_email))
        .routes(routes!(resend))
}
