//! Sign-up, API tokens and the caller's own account.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::domain::ProfileInput;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::*;
use crate::auth::ApiSignedIn;
use crate::auth::ClientIp;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;
use copse_app::accounts::{self, SignupInput};

type ApiResult<T> = Result<T, ApiError>;

/// Create an account.
#[utoipa::path(post, path = "/api/v1/auth/signup", tag = "auth", request_body = SignupRequest,
    responses(
        (status = 201, description = "Account created", body = MeView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Sign-up is closed", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field, or handle/e-mail taken", body = ErrorBody),
        (status = 429, description = "Too many new accounts from this address", body = ErrorBody),
    ))]
pub async fn signup(
    State(state): State<WebState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<SignupRequest>,
) -> ApiResult<(StatusCode, Json<MeView>)> {
    let account = accounts::sign_up(
        &state,
        SignupInput {
            handle: body.handle,
            email: body.email,
            password: body.password,
            display_name: body.display_name.unwrap_or_default(),
        },
        ip,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(MeView::from(&account))))
}

/// Exchange e-mail and password for a bearer token.
#[utoipa::path(post, path = "/api/v1/auth/tokens", tag = "auth", request_body = TokenRequest,
    responses(
        (status = 201, description = "Token created; `token` is shown only now", body = TokenCreated),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Wrong e-mail or password", body = ErrorBody),
        (status = 409, description = "Too many tokens", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
        (status = 429, description = "Too many failed attempts", body = ErrorBody),
    ))]
pub async fn create_token(
    State(state): State<WebState>,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<TokenRequest>,
) -> ApiResult<(StatusCode, Json<TokenCreated>)> {
    let account = accounts::sign_in(&state, &body.email, &body.password, ip).await?;
    let input = accounts::TokenInput {
        name: body.name,
        scopes: body.scopes,
        expires_in_days: body.expires_in_days,
    };
    let (info, token) = accounts::create_api_token(&state, &account, &input).await?;
    let view = TokenView::from(&info);
    Ok((
        StatusCode::CREATED,
        Json(TokenCreated {
            id: view.id,
            name: view.name,
            token,
            scopes: view.scopes,
            created_at: view.created_at,
            expires_at: view.expires_at,
        }),
    ))
}

/// Your live API tokens (without their secrets).
#[utoipa::path(get, path = "/api/v1/auth/tokens", tag = "auth", security(("bearer" = [])),
    responses(
        (status = 200, body = TokenList),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn list_tokens(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
) -> ApiResult<Json<TokenList>> {
    let tokens = copse_app::sessions::api_tokens(&state, &account).await?;
    Ok(Json(TokenList {
        items: tokens.iter().map(TokenView::from).collect(),
    }))
}

/// Revoke one of your tokens.
#[utoipa::path(delete, path = "/api/v1/auth/tokens/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path, description = "Token id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such token of yours", body = ErrorBody),
    ))]
pub async fn revoke_token(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    copse_app::sessions::revoke_api_token(&state, &account, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Your account, with your e-mail address.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", security(("bearer" = [])),
    responses(
        (status = 200, body = MeView),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn me(ApiSignedIn(_, account): ApiSignedIn) -> ApiResult<Json<MeView>> {
    Ok(Json(MeView::from(&account)))
}

/// Change your profile.
#[utoipa::path(patch, path = "/api/v1/me", tag = "me", security(("bearer" = [])), request_body = ProfilePatch,
    responses(
        (status = 200, body = MeView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody),
    ))]
pub async fn update_me(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
    ApiJson(body): ApiJson<ProfilePatch>,
) -> ApiResult<Json<MeView>> {
    let updated = accounts::update_profile(
        &state,
        &account,
        ProfileInput {
            display_name: body.display_name,
            bio: body.bio,
            organisation: body.organisation,
            department: body.department,
            country: body.country,
            time_zone: body.time_zone,
            expertise: body.expertise,
        },
    )
    .await?;
    Ok(Json(MeView::from(&updated)))
}

/// Change your password. Every browser session of yours ends; API tokens stay valid.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "me", security(("bearer" = [])), request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Wrong current password or weak new one", body = ErrorBody),
    ))]
pub async fn change_password(
    State(state): State<WebState>,
    ApiSignedIn(_, account): ApiSignedIn,
    ApiJson(body): ApiJson<PasswordChange>,
) -> ApiResult<StatusCode> {
    accounts::change_password(&state, &account, &body.current_password, &body.new_password).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Someone's public profile. Needs an account; never shows e-mail addresses.
#[utoipa::path(get, path = "/api/v1/users/{handle}", operation_id = "get_user", tag = "me", security(("bearer" = [])),
    params(("handle" = String, Path, description = "Handle")),
    responses(
        (status = 200, body = ProfileView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    ))]
pub async fn user(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<Json<ProfileView>> {
    let account = accounts::profile_of(&state, &viewer.actor(), &handle).await?;
    Ok(Json(ProfileView::from(&account)))
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(signup))
        .routes(routes!(create_token, list_tokens))
        .routes(routes!(revoke_token))
        .routes(routes!(me, update_me, super::leaving::delete_me))
        .routes(routes!(super::leaving::export))
        .routes(routes!(super::leaving::exports))
        .routes(routes!(super::leaving::download))
        .routes(routes!(change_password))
        .routes(routes!(user))
}
