//! A new site's first run: `/setup` creates the first site admin with the one-time code the
//! server printed when it started (the printed link fills it in), then signs them in and
//! opens the admin's home. The home page of a site without accounts says how to get there.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;

use super::accounts::signed_in_redirect;
use super::common::guarded;
use super::{Nav, Notice, PageResult, form_problem, nav, render, render_with_status};
use crate::auth::{self, PageViewer};
use crate::extract::{PageForm, PageQuery};
use crate::state::WebState;
use copse_app::accounts::SignupInput;
use copse_app::setup;

#[derive(Template)]
#[template(path = "setup.html")]
pub(super) struct SetupPage {
    pub nav: Nav,
    pub error: Option<String>,
    pub code: String,
    pub handle: String,
    pub email: String,
    pub display_name: String,
}

#[derive(Deserialize, Default)]
pub struct CodeQuery {
    #[serde(default)]
    code: String,
}

/// The first-run form; once the site has accounts it is gone (404).
pub async fn form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageQuery(q): PageQuery<CodeQuery>,
) -> PageResult {
    if !setup::is_first_run(&state).await? {
        return Err(copse_core::Error::NotFound.into());
    }
    render(&SetupPage {
        nav: nav(&state, &viewer, Notice(None)).await?,
        error: None,
        code: q.code.chars().take(200).collect(),
        handle: String::new(),
        email: String::new(),
        display_name: String::new(),
    })
}

/// The home page of a site without accounts: the first-run form, waiting for its code.
pub(super) async fn first_run_page(state: &WebState, viewer: &crate::auth::Viewer) -> PageResult {
    render(&SetupPage {
        nav: nav(state, viewer, Notice(None)).await?,
        error: None,
        code: String::new(),
        handle: String::new(),
        email: String::new(),
        display_name: String::new(),
    })
}

#[derive(Deserialize)]
pub struct SetupForm {
    #[serde(default)]
    code: String,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    display_name: String,
}

pub async fn create(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageForm(f): PageForm<SetupForm>,
) -> PageResult {
    let input = SignupInput {
        handle: f.handle.clone(),
        email: f.email.clone(),
        password: f.password,
        display_name: f.display_name.clone(),
    };
    match setup::create_first_admin(&state, &f.code, input).await {
        Ok(account) => {
            let cookie = auth::start_session(&state, &account).await?;
            signed_in_redirect(cookie, "/admin?notice=site-ready")
        }
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let page = SetupPage {
                nav: nav(&state, &viewer, Notice(None)).await?,
                error: Some(message),
                code: f.code.chars().take(200).collect(),
                handle: f.handle,
                email: f.email,
                display_name: f.display_name,
            };
            render_with_status(status, &page)
        }
    }
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new().route("/setup", get(form).merge(guarded(state, create)))
}
