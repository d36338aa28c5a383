//! Who is asking: the signed-in account behind a session cookie (pages) or a bearer token (API),
//! turned into the policy's [`Actor`]. Suspended accounts are never found here.

pub mod csrf;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, header};
use copse_app::sessions;
use copse_core::domain::{Account, Scope};
use copse_core::policy::Actor;
use copse_core::{Error, Result};

use crate::state::WebState;

pub const SESSION_COOKIE: &str = "copse_session";

/// The account a request acts for, if any.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub account: Option<Account>,
    /// The hash of the session this request came with, to end it at sign-out.
    pub session_hash: Option<String>,
    /// The site's rule: an unverified address may not post yet.
    pub require_verified: bool,
}

impl Viewer {
    pub fn actor(&self) -> Actor {
        match &self.account {
            None => Actor::Anonymous,
            Some(a) => Actor::of(a, self.require_verified),
        }
    }

    /// The account, or `Unauthenticated`.
    pub fn require(&self) -> Result<&Account> {
        self.account.as_ref().ok_or(Error::Unauthenticated)
    }
}

fn session_cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim_matches('"').to_string())
        .filter(|value| !value.is_empty())
}

/// The browser viewer: from the session cookie only. Pages never read bearer tokens.
pub struct PageViewer(pub Viewer);

impl FromRequestParts<WebState> for PageViewer {
    type Rejection = crate::error::PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let Some(secret) = session_cookie_value(&parts.headers) else {
            return Ok(PageViewer(Viewer {
                account: None,
                session_hash: None,
                require_verified: state.config.require_verified_email,
            }));
        };
        let (account, hash) = sessions::session_account(state, &secret).await?;
        Ok(PageViewer(Viewer {
            account,
            session_hash: Some(hash),
            require_verified: state.config.require_verified_email,
        }))
    }
}

/// A page that needs an account: the viewer and their account. Anyone else gets the "please sign
/// in" page before the handler runs.
pub struct PageSignedIn(pub Viewer, pub Account);

impl FromRequestParts<WebState> for PageSignedIn {
    type Rejection = crate::error::PageError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let PageViewer(viewer) = PageViewer::from_request_parts(parts, state).await?;
        let account = viewer.require()?.clone();
        Ok(PageSignedIn(viewer, account))
    }
}

/// The API viewer: from `Authorization: Bearer …` only. The API takes no cookies, which is why
/// it needs no CSRF defence. A token that is present but unknown or revoked is refused (401)
/// rather than treated as anonymous, so a client learns at once that its token is dead.
pub struct ApiViewer(pub Viewer);

impl FromRequestParts<WebState> for ApiViewer {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
            return Ok(ApiViewer(Viewer {
                account: None,
                session_hash: None,
                require_verified: state.config.require_verified_email,
            }));
        };
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() <= 200)
            .ok_or_else(|| {
                crate::error::ApiError::bad_token("use Authorization: Bearer <token>")
            })?;
        let (account, scopes) = sessions::token_account(state, token)
            .await?
            .ok_or_else(|| {
                crate::error::ApiError::bad_token("the token is unknown, revoked or expired")
            })?;
        copse_core::policy::check_token_scope(&scopes, scope_needed(parts))?;
        Ok(ApiViewer(Viewer {
            account: Some(account),
            session_hash: None,
            require_verified: state.config.require_verified_email,
        }))
    }
}

/// The scope a request needs: the site administration API needs `admin`, reading needs
/// `read`, anything that changes something needs `write`.
fn scope_needed(parts: &Parts) -> Scope {
    if parts.uri.path().starts_with("/api/v1/admin") {
        Scope::Admin
    } else if matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS) {
        Scope::Read
    } else {
        Scope::Write
    }
}

/// Starts a new session for the account and returns the `Set-Cookie` value that carries it. A
/// fresh id at every sign-in defeats session fixation.
pub async fn start_session(state: &WebState, account: &Account) -> Result<String> {
    let session = sessions::start_session(state, account).await?;
    Ok(session_cookie(
        state,
        &session.secret,
        session.ttl_ms / 1000,
    ))
}

/// A `Set-Cookie` value that ends the session in the browser.
pub fn expired_session_cookie(state: &WebState) -> String {
    session_cookie(state, "", 0)
}

/// HttpOnly (no script reads it), SameSite=Lax (not sent on cross-site posts), Secure when
/// served over HTTPS.
fn session_cookie(state: &WebState, value: &str, max_age_secs: i64) -> String {
    let secure = if state.web.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}"
    )
}

/// The client's address, for per-address throttles. Taken from the TCP peer: behind a reverse
/// proxy every client shares the proxy's address, so the per-account throttle still protects
/// accounts while the per-address one becomes a global brake.
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|c| c.0.ip()),
        ))
    }
}

/// An API call that needs an account: the viewer and their account. Anyone else gets 401 before
/// the handler runs.
pub struct ApiSignedIn(pub Viewer, pub Account);

impl FromRequestParts<WebState> for ApiSignedIn {
    type Rejection = crate::error::ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let ApiViewer(viewer) = ApiViewer::from_request_parts(parts, state).await?;
        let account = viewer.require()?.clone();
        Ok(ApiSignedIn(viewer, account))
    }
}
