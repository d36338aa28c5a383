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
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddressChange {
    /// The new address.
    pub email: String,
    /// Your password, to be sure it is you.
    pub password: String,
}

/// Change your address: the new one gets a link and counts once it is followed (until then
/// copse writes to the old one, which is told of the change).
#[utoipa::path(post, path = "/api/v1/me/email-address", tag = "me", security(("bearer" = [])), request_body = AddressChange,
    responses(
        (status = 202, description = "A link is on its way to the new address"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
        (status = 422, description = "Not an address, a wrong password, your address already or another account's", body = ErrorBody),
        (status = 429, description = "Asked too often", body = ErrorBody),
    ))]
pub async fn change_address(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
    ApiJson(body): ApiJson<AddressChange>,
) -> Result<StatusCode, ApiError> {
    copse_app::verification::request_change(&state, &account, &body.email, &body.password).await?;
    Ok(StatusCode::ACCEPTED)
}

pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(verify_email))
        .routes(routes!(resend))
        .routes(routes!(change_address))
}
