//! A forgotten password through the API: ask for a link (the same answer for every address),
//! then set the new password with the secret from the link.

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ClientIp;
use crate::error::{ApiError, ErrorBody};
use crate::extract::ApiJson;
use crate::state::WebState;
use copse_app::password_reset;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetRequest {
    pub email: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResetConfirm {
    /// The secret of the link (its `token` parameter).
    pub token: String,
    pub new_password: String,
}

/// Ask for a link to choose a new password. The answer is 202 whether or not an account has
/// the address.
#[utoipa::path(post, path = "/api/v1/auth/password-reset", tag = "auth", request_body = ResetRequest,
    responses(
        (status = 202, description = "If an account has this address, a link is on its way"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not an e-mail address", body = ErrorBody),
        (status = 429, description = "Too many links asked for this address or from this client", body = ErrorBody),
    ))]
pub async fn request_reset(
    State(state): State<WebState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<ResetRequest>,
) -> Result<StatusCode, ApiError> {
    password_reset::request(&state, &body.email, ip).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with the secret of a reset link. Every session of the account ends and
/// every API token is revoked.
#[utoipa::path(post, path = "/api/v1/auth/password-reset/confirm", tag = "auth", request_body = ResetConfirm,
    responses(
        (status = 204, description = "The new password is set"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "A weak password, or a link unknown, used or expired", body = ErrorBody),
    ))]
pub async fn confirm_reset(
    State(state): State<WebState>,
    ApiJson(body): ApiJson<ResetConfirm>,
) -> Result<StatusCode, ApiError> {
    password_reset::reset(&state, &body.token, &body.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(request_reset))
        .routes(routes!(confirm_reset))
}
