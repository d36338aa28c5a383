//! Error pages inside the site's layout. A `PageError` answers with its page drawn for a
//! visitor and leaves itself in the response's extensions; this layer, which can ask who is
//! looking, draws it again with their menus (search, account menu, notifications) and a
//! sign-in link that comes back to the page. Only error answers pay for the second look-up.

use askama::Template;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;

use super::common::{Notice, nav, safe_next};
use crate::auth::PageViewer;
use crate::error::{ErrorPage, PageError, ShownError};
use crate::state::WebState;

pub async fn with_menus(State(state): State<WebState>, request: Request, next: Next) -> Response {
    let cookie = request.headers().get(header::COOKIE).cloned();
    // A Uri clone shares its bytes: no copy for the answers that are not errors.
    let uri = request.uri().clone();
    let mut response = next.run(request).await;
    let Some(ShownError(error)) = response.extensions_mut().remove::<ShownError>() else {
        return response;
    };
    let back = uri.path_and_query().map_or("/", |p| p.as_str());
    match drawn(&state, cookie, &error, back).await {
        Some(html) => {
            let (mut parts, _) = response.into_parts();
            parts.headers.remove(header::CONTENT_LENGTH);
            Response::from_parts(parts, Body::from(html))
        }
        // Without the viewer (the database is away), the visitor's page stands.
        None => response,
    }
}

async fn drawn(
    state: &WebState,
    cookie: Option<header::HeaderValue>,
    error: &PageError,
    back: &str,
) -> Option<String> {
    let mut request = Request::builder();
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let (mut parts, ()) = request.body(()).ok()?.into_parts();
    let PageViewer(viewer) = PageViewer::from_request_parts(&mut parts, state)
        .await
        .ok()?;
    let nav = nav(state, &viewer, Notice(None)).await.ok()?;
    ErrorPage {
        nav,
        error,
        back: safe_next(back).to_string(),
    }
    .render()
    .ok()
}
