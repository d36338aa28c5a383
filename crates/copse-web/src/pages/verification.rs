//! Pages for verifying an e-mail address: the link in the e-mail opens a page with one button
//! (a GET changes nothing, so a mail scanner that fetches the link verifies nobody); pressing it
//! verifies the address. A signed-in account asks for a new link from its settings.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;

use super::common::guarded;
use super::{Nav, Notice, PageResult, done, link_problem, nav, render, render_with_status};
use crate::auth::{PageSignedIn, PageViewer};
use crate::extract::{PageForm, PageQuery};
use crate::state::WebState;
use copse_app::verification;

#[derive(Template)]
#[template(path = "verify_email.html")]
struct VerifyPage {
    nav: Nav,
    token: String,
    error: Option<String>,
    verified: Option<String>,
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    token: String,
}

/// The page the link opens: a button that confirms.
pub async fn confirm_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageQuery(query): PageQuery<TokenForm>,
) -> PageResult {
    render(&VerifyPage {
        nav: nav(&state, &viewer, Notice(None)).await?,
        token: query.token.chars().take(200).collect(),
        error: None,
        verified: None,
    })
}

/// The button: verifies the address the link was sent to, or says what is wrong with the link.
pub async fn confirm(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageForm(form): PageForm<TokenForm>,
) -> PageResult {
    let result = verification::confirm(&state, &form.token).await;
    let nav = nav(&state, &viewer, Notice(None)).await?;
    match result {
        Ok(account) => render(&VerifyPage {
            nav,
            token: String::new(),
            error: None,
            verified: Some(account.email),
        }),
        Err(e) => {
            let (status, message) = link_problem(e)?;
            let page = VerifyPage {
                nav,
                token: String::new(),
                error: Some(message),
                verified: None,
            };
            render_with_status(status, &page)
        }
    }
}

/// Sends a new link to the signed-in account's address.
pub async fn resend(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
) -> PageResult {
    verification::resend(&state, &viewer.actor()).await?;
    done("/settings/profile", "verification-sent")
}

#[derive(Deserialize)]
pub struct AddressForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// Asks to change the address: a link goes to the new one, a word to the old one.
pub async fn change_address(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    PageForm(form): PageForm<AddressForm>,
) -> PageResult {
    match verification::request_change(&state, &account, &form.email, &form.password).await {
        Ok(()) => done("/settings/password", "address-change-sent"),
        Err(e) => super::accounts::settings_failure(&state, &viewer, &account, "password", e).await,
    }
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route(
            "/verify-email",
            get(confirm_form).merge(guarded(state, confirm)),
        )
        .route("/settings/verification", guarded(state, resend))
        .route("/settings/email-address", guarded(state, change_address))
}
