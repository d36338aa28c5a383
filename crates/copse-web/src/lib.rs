//! copse-web: every HTTP surface of copse — server-rendered pages and the JSON API with its
//! OpenAPI document — on one axum router.
//!
//! A request flows: middleware (body limit, security headers, the pages' Origin check) →
//! handler, which extracts its input and viewer, calls a use case in [`copse_app`] (policy, then
//! store), and renders a page or JSON. Errors follow the policy written in [`error`].

pub mod api;
pub mod auth;
pub mod charts;
mod compress;
pub mod error;
pub mod extract;
pub mod layout;
pub mod moved;
pub mod pages;
pub mod state;
pub mod uploads;

use std::time::Duration;

use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Json, Response};
use axum::routing::get;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use state::{WebConfig, WebState};

use crate::error::{ApiError, PageError};

/// Unknown addresses: JSON under `/api`, a page elsewhere.
async fn fallback(request: Request) -> Response {
    if request.uri().path().starts_with("/api/") {
        ApiError::not_found().into_response()
    } else {
        PageError::not_found().into_response()
    }
}

/// The pages' content security policy. Forms post to this site alone — and to the single
/// sign-on providers' sites, where a sign-in button's post is redirected.
fn content_security_policy(state: &WebState) -> HeaderValue {
    let mut form_action = String::from("'self'");
    for p in copse_app::sso::providers(state) {
        if let Some(origin) = origin_of(&p.issuer) {
            form_action.push(' ');
            form_action.push_str(&origin);
        }
    }
    let csp = format!(
        "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; \
         script-src 'none'; frame-ancestors 'none'; form-action {form_action}; base-uri 'none'"
    );
    HeaderValue::from_str(&csp).unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// `https://id.example.org/realms/x` → `https://id.example.org`, if it is an http(s) URL
/// made of characters a header may carry.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let host = rest.split('/').next()?;
    let fine = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c));
    fine.then(|| format!("{scheme}://{host}"))
}

/// The complete application router.
pub fn router(state: WebState) -> Router {
    let (api, doc) = api::v1::routes();
    let doc = std::sync::Arc::new(doc);
    let openapi = get(move || {
        let doc = doc.clone();
        async move { Json((*doc).clone()) }
    });
    let max_body = state.web.max_body_bytes;
    let csp = content_security_policy(&state);
    let security_headers = [
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ),
        (header::CONTENT_SECURITY_POLICY, csp),
    ];
    let mut router = Router::new()
        .merge(pages::routes(&state))
        .merge(uploads::serve::routes())
        .merge(api)
        .route("/api/v1/openapi.json", openapi)
        .fallback(fallback)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            moved::follow_merged,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::error_pages_with_menus,
        ))
        .layer(DefaultBodyLimit::max(max_body))
        .with_state(state);
    for (name, value) in security_headers {
        router = router.layer(SetResponseHeaderLayer::if_not_present(name, value));
    }
    router
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(compress::layer())
        .layer(TraceLayer::new_for_http())
}
