//! User administration over the API, for site admins (tokens with the `admin` scope): the
//! account list with search and filters, one account, suspending and restoring, the admin
//! role, a password reset sent on someone's behalf, and the audit log.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_app::user_admin::{self, AccountDetail, AuditEntry};
use copse_core::clock::rfc3339;
use copse_core::domain::Account;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UserParams {
    /// Part of a handle, name or e-mail address (at most 100 characters).
    q: Option<String>,
    /// `all` (default), `suspended`, `unverified` or `admins`.
    filter: Option<String>,
    /// 1-based page of 50, default 1.
    page: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct UserLine {
    pub handle: String,
    pub display_name: String,
    pub email: String,
    pub is_admin: bool,
    pub suspended: bool,
    pub email_verified: bool,
    /// RFC 3339 time.
    pub created_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub items: Vec<UserLine>,
    /// How many accounts match in all.
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// Accounts, newest first, 50 a page. Site admins.
#[utoipa::path(get, path = "/api/v1/admin/users", tag = "admin", security(("bearer" = [])), params(UserParams),
    responses(
        (status = 200, body = UserList),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 422, description = "Unknown filter, query too long or page out of range", body = ErrorBody),
    ))]
pub async fn users(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiQuery(p): ApiQuery<UserParams>,
) -> ApiResult<Json<UserList>> {
    let actor = viewer.actor();
    copse_core::policy::check_site_admin(&actor)?;
    let kind = user_admin::parse_kind(p.filter.as_deref())?;
    let q = p.q.unwrap_or_default();
    let found = user_admin::accounts(&state, &actor, kind, &q, p.page.unwrap_or(1)).await?;
    Ok(Json(UserList {
        items: found
            .lines
            .into_iter()
            .map(|a| UserLine {
                handle: a.handle,
                display_name: a.display_name,
                email: a.email,
                is_admin: a.is_admin,
                suspended: a.suspended,
                email_verified: a.email_verified,
                created_at: rfc3339(a.created_at),
            })
            .collect(),
        total: found.total,
        page: found.page,
        pages: found.pages,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct SuspensionView {
    /// RFC 3339 time.
    pub since: String,
    pub reason: Option<String>,
    /// RFC 3339 time the account is restored by itself, if any.
    pub until: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct MembershipLine {
    pub community: String,
    pub name: String,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserDetail {
    pub handle: String,
    pub display_name: String,
    pub email: String,
    pub email_verified: bool,
    pub is_admin: bool,
    pub suspension: Option<SuspensionView>,
    /// RFC 3339 time.
    pub created_at: String,
    pub memberships: Vec<MembershipLine>,
    /// Ways to sign in: `password` when it has one, and the label of each linked single
    /// sign-on provider (API tokens are counted below).
    pub sign_in_methods: Vec<String>,
    pub api_tokens: usize,
    pub live_sessions: i64,
    pub audit: Vec<AuditView>,
}

#[derive(Serialize, ToSchema)]
pub struct AuditView {
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: Option<String>,
    /// RFC 3339 time.
    pub at: String,
}

fn audit_view(e: AuditEntry) -> AuditView {
    AuditView {
        actor: e.actor_label,
        action: e.action,
        target: e.target_label,
        detail: e.detail,
        at: rfc3339(e.created_at),
    }
}

fn detail_view(d: AccountDetail) -> UserDetail {
    let a = d.account;
    UserDetail {
        suspension: suspension_view(&a),
        handle: a.handle,
        display_name: a.profile.display_name,
        email: a.email,
        email_verified: a.email_verified,
        is_admin: a.is_admin,
        created_at: rfc3339(a.created_at),
        memberships: d
            .memberships
            .into_iter()
            .map(|(community, name, role)| MembershipLine {
                community,
                name,
                role: role.as_str().into(),
            })
            .collect(),
        sign_in_methods: d.sign_in_methods,
        api_tokens: d.api_tokens,
        live_sessions: d.live_sessions,
        audit: d.audit.into_iter().map(audit_view).collect(),
    }
}

fn suspension_view(a: &Account) -> Option<SuspensionView> {
    a.suspension.as_ref().map(|s| SuspensionView {
        since: rfc3339(s.since),
        reason: s.reason.clone(),
        until: s.until.map(rfc3339),
    })
}

/// One account: memberships, sign-in methods, suspension and what admins did to it.
#[utoipa::path(get, path = "/api/v1/admin/users/{handle}", operation_id = "admin_get_user", tag = "admin", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses(
        (status = 200, body = UserDetail),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
    ))]
pub async fn user(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<Json<UserDetail>> {
    let d = user_admin::account(&state, &viewer.actor(), &handle).await?;
    Ok(Json(detail_view(d)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspendBody {
    /// Why (3–500 characters); kept in the audit log.
    pub reason: String,
    /// Optional end: a date (`2026-12-24`, restored at the start of that day, UTC) or an RFC
    /// 3339 time, ahead and within ten years.
    pub until: Option<String>,
}

/// Suspend an account: its sessions end, its tokens stop working, it cannot sign in.
/// Suspending a suspended account changes its reason and end.
#[utoipa::path(post, path = "/api/v1/admin/users/{handle}/suspend", tag = "admin", security(("bearer" = [])),
    params(("handle" = String, Path)), request_body = SuspendBody,
    responses(
        (status = 200, body = UserDetail),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 409, description = "Yourself, or another site admin", body = ErrorBody),
        (status = 422, description = "Reason missing or too long; end in the past or unreadable", body = ErrorBody),
    ))]
pub async fn suspend(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
    ApiJson(body): ApiJson<SuspendBody>,
) -> ApiResult<Json<UserDetail>> {
    let actor = viewer.actor();
    let until = body.until.as_deref();
    let a = user_admin::suspend(&state, &actor, &handle, &body.reason, until).await?;
    let d = user_admin::account(&state, &actor, &a.handle).await?;
    Ok(Json(detail_view(d)))
}

/// Restore a suspended account (restoring one that is not suspended changes nothing).
#[utoipa::path(post, path = "/api/v1/admin/users/{handle}/restore", tag = "admin", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses(
        (status = 200, body = UserDetail),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
    ))]
pub async fn restore(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<Json<UserDetail>> {
    let actor = viewer.actor();
    let a = user_admin::restore(&state, &actor, &handle).await?;
    let d = user_admin::account(&state, &actor, &a.handle).await?;
    Ok(Json(detail_view(d)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminBody {
    /// true to make the account a site admin, false to take the role away.
    pub admin: bool,
}

/// Make an account a site admin, or take the role away (the last admin keeps it).
#[utoipa::path(post, path = "/api/v1/admin/users/{handle}/admin", tag = "admin", security(("bearer" = [])),
    params(("handle" = String, Path)), request_body = AdminBody,
    responses(
        (status = 200, body = UserDetail),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 409, description = "The last admin, or a suspended account", body = ErrorBody),
    ))]
pub async fn set_admin(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
    ApiJson(body): ApiJson<AdminBody>,
) -> ApiResult<Json<UserDetail>> {
    let actor = viewer.actor();
    let a = user_admin::set_admin(&state, &actor, &handle, body.admin).await?;
    let d = user_admin::account(&state, &actor, &a.handle).await?;
    Ok(Json(detail_view(d)))
}

/// Send the account a link to choose a new password.
#[utoipa::path(post, path = "/api/v1/admin/users/{handle}/password-reset", tag = "admin", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses(
        (status = 202, description = "The link is on its way"),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 409, description = "The account is suspended", body = ErrorBody),
    ))]
pub async fn password_reset(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<StatusCode> {
    user_admin::send_password_reset(&state, &viewer.actor(), &handle).await?;
    Ok(StatusCode::ACCEPTED)
}

#[derive(Serialize, ToSchema)]
pub struct AuditList {
    pub items: Vec<AuditView>,
}

/// What site admins did to accounts, newest first (the latest 200).
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", security(("bearer" = [])),
    responses(
        (status = 200, body = AuditList),
        (status = 403, description = "Not a site admin", body = ErrorBody),
    ))]
pub async fn audit(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
) -> ApiResult<Json<AuditList>> {
    let entries = user_admin::audit_log(&state, &viewer.actor()).await?;
    Ok(Json(AuditList {
        items: entries.into_iter().map(audit_view).collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdminDeleteBody {
    /// Remove what they wrote too (default: it stays under "a former member").
    #[serde(default)]
    pub remove_contributions: bool,
}

/// Delete an account as its owner could; the audit log names the admin.
#[utoipa::path(delete, path = "/api/v1/admin/users/{handle}", tag = "admin", security(("bearer" = [])),
    params(("handle" = String, Path)), request_body = AdminDeleteBody,
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 403, description = "Not a site admin", body = ErrorBody),
        (status = 404, description = "No such account", body = ErrorBody),
        (status = 409, description = "Yourself, an admin, or a community's only coordinator", body = ErrorBody),
        (status = 415, description = "The body is not JSON", body = ErrorBody),
    ))]
pub async fn delete_user(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
    ApiJson(body): ApiJson<AdminDeleteBody>,
) -> ApiResult<StatusCode> {
    user_admin::delete(&state, &viewer.actor(), &handle, body.remove_contributions).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(users))
        .routes(routes!(user, delete_user))
        .routes(routes!(suspend))
        .routes(routes!(restore))
        .routes(routes!(set_admin))
        .routes(routes!(password_reset))
        .routes(routes!(audit))
}
