//! Pages for a forgotten password: ask for a link (the same answer for every address), then
//! choose the new password on the page the link opens.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;

use super::common::guarded;
use super::{
    Nav, Notice, PageResult, done, form_problem, link_problem, nav, render, render_with_status,
};
use crate::auth::{ClientIp, PageViewer};
use crate::extract::{PageForm, PageQuery};
use crate::state::WebState;
use copse_app::password_reset;

#[derive(Template)]
#[template(path = "forgot_password.html")]
struct ForgotPage {
    nav: Nav,
    error: Option<String>,
    email: String,
    sent: bool,
}

#[derive(Template)]
#[template(path = "reset_password.html")]
struct ResetPage {
    nav: Nav,
    error: Option<String>,
    token: String,
}

#[derive(Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    email: String,
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    new_password: String,
}

pub async fn forgot_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
) -> PageResult {
    render(&ForgotPage {
        nav: nav(&state, &viewer, Notice(None)).await?,
        error: None,
        email: String::new(),
        sent: false,
    })
}

/// Sends the link if an account has the address; says the same either way.
pub async fn forgot(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    ClientIp(ip): ClientIp,
    PageForm(form): PageForm<ForgotForm>,
) -> PageResult {
    let asked = password_reset::request(&state, &form.email, ip).await;
    let nav = nav(&state, &viewer, Notice(None)).await?;
    let email: String = form.email.trim().chars().take(254).collect();
    match asked {
        Ok(()) => render(&ForgotPage {
            nav,
            error: None,
            email,
            sent: true,
        }),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let page = ForgotPage {
                nav,
                error: Some(message),
                email,
                sent: false,
            };
            render_with_status(status, &page)
        }
    }
}

#[derive(Deserialize)]
pub struct TokenQuery {
    #[serde(default)]
    token: String,
}

/// The page the link opens: the new password's form.
pub async fn reset_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageQuery(query): PageQuery<TokenQuery>,
) -> PageResult {
    render(&ResetPage {
        nav: nav(&state, &viewer, Notice(None)).await?,
        error: None,
        token: query.token.chars().take(200).collect(),
    })
}

/// Sets the new password; then to the sign-in page (every session, this one included, ended).
pub async fn reset(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageForm(form): PageForm<ResetForm>,
) -> PageResult {
    match password_reset::reset(&state, &form.token, &form.new_password).await {
        Ok(_) => done("/signin", "password-reset"),
        Err(e) => {
            let (status, message) = link_problem(e)?;
            let page = ResetPage {
                nav: nav(&state, &viewer, Notice(None)).await?,
                error: Some(message),
                token: form.token.chars().take(200).collect(),
            };
            render_with_status(status, &page)
        }
    }
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route(
            "/forgot-password",
            get(forgot_form).merge(guarded(state, forgot)),
        )
        .route(
            "/reset-password",
            get(reset_form).merge(guarded(state, reset)),
        )
}
