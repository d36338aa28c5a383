//! Single sign-on pages: a provider's button starts a sign-in (a form post, so that no link
//! can start one on someone's behalf), the provider sends the browser back to the callback,
//! and a signed-in person links or unlinks a provider from Settings → Sign-in.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use serde::Deserialize;

use super::accounts::signed_in_redirect;
use super::common::guarded;
use super::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status, site};
use crate::auth::{self, PageSignedIn, PageViewer};
use crate::extract::{PagePath, PageQuery};
use crate::state::WebState;
use copse_app::sso::{self, Finished};

#[derive(Template)]
#[template(path = "sso_refused.html")]
struct RefusedPage {
    nav: Nav,
    message: String,
}

async fn refused_page(state: &WebState, viewer: &auth::Viewer, e: copse_core::Error) -> PageResult {
    let (status, message) = form_problem(e)?;
    let page = RefusedPage {
        nav: nav(state, viewer, Notice(None)).await?,
        message,
    };
    render_with_status(status, &page)
}

/// The button: off to the provider.
pub async fn start(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    headers: HeaderMap,
    PagePath(id): PagePath<String>,
) -> PageResult {
    match sso::start(&state, &id, &site(&state, &headers), None).await {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(e) => refused_page(&state, &viewer, e).await,
    }
}

#[derive(Deserialize, Default)]
pub struct CallbackQuery {
    #[serde(default)]
    state: String,
    #[serde(default)]
    code: String,
    error: Option<String>,
}

/// Back from the provider: signed in (a new session), or the provider linked.
pub async fn callback(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    headers: HeaderMap,
    PagePath(id): PagePath<String>,
    PageQuery(q): PageQuery<CallbackQuery>,
) -> PageResult {
    if let Some(error) = q.error {
        let why: String = error.chars().take(100).collect();
        let e = copse_core::Error::invalid("sso", format!("the provider said: {why}"));
        return refused_page(&state, &viewer, e).await;
    }
    let site = site(&state, &headers);
    match sso::finish(&state, &id, &site, &q.state, &q.code).await {
        Ok(Finished::SignedIn(account)) => {
            if let Some(old) = &viewer.session_hash {
                copse_app::sessions::end_session(&state, old).await?;
            }
            let cookie = auth::start_session(&state, &account).await?;
            signed_in_redirect(cookie, "/?notice=signed-in")
        }
        Ok(Finished::Linked(_)) => done("/settings/password", "sso-linked"),
        Err(e) => refused_page(&state, &viewer, e).await,
    }
}

/// Settings → Sign-in: link this provider to the signed-in account.
pub async fn link(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    headers: HeaderMap,
    PagePath(id): PagePath<String>,
) -> PageResult {
    match sso::start(&state, &id, &site(&state, &headers), Some(account.id)).await {
        Ok(url) => Ok(Redirect::to(&url).into_response()),
        Err(e) => refused_page(&state, &viewer, e).await,
    }
}

pub async fn unlink(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    PagePath(id): PagePath<String>,
) -> PageResult {
    match sso::unlink(&state, &account, &id).await {
        Ok(()) => done("/settings/password", "sso-unlinked"),
        Err(e) => refused_page(&state, &viewer, e).await,
    }
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/auth/sso/{id}", guarded(state, start))
        .route("/auth/sso/{id}/callback", get(callback))
        .route("/settings/sso/{id}/link", guarded(state, link))
        .route("/settings/sso/{id}/unlink", guarded(state, unlink))
}
