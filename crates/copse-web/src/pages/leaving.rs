//! Settings → Your data: downloading everything one gave the site, and deleting one's account
//! (after the password; the session ends with it and the browser is signed out).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use copse_core::OrInternal;
use serde::Deserialize;

use super::common::guarded;
use super::{Nav, Notice, PageResult, form_problem, nav, render, render_with_status};
use crate::auth::{self, PageSignedIn};
use crate::extract::PageForm;
use crate::state::WebState;
use copse_app::leaving::{self, DeleteRequest};

#[derive(Template)]
#[template(path = "settings_account.html")]
struct AccountPage {
    nav: Nav,
    section: &'static str,
    error: Option<String>,
    remove_contributions: bool,
}

pub async fn page(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    notice: Notice,
) -> PageResult {
    render(&AccountPage {
        nav: nav(&state, &viewer, notice).await?,
        section: "account",
        error: None,
        remove_contributions: false,
    })
}

/// The JSON file, as a download named after the account and the day.
pub async fn export(
    State(state): State<WebState>,
    PageSignedIn(_, account): PageSignedIn,
) -> PageResult {
    let data = leaving::export(&state, &account).await?;
    Ok(
        crate::api::v1::leaving::export_download(&account.handle, state.now(), &data)
            .into_response(),
    )
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    contributions: String,
}

pub async fn delete(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    PageForm(form): PageForm<DeleteForm>,
) -> PageResult {
    let request = DeleteRequest {
        password: form.password,
        remove_contributions: form.contributions == "remove",
    };
    match leaving::delete_account(&state, &account, &request).await {
        Ok(()) => {
            let mut response = Redirect::to("/?notice=account-deleted").into_response();
            let value =
                HeaderValue::from_str(&auth::expired_session_cookie(&state)).or_internal()?;
            response.headers_mut().append(header::SET_COOKIE, value);
            Ok(response)
        }
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let page = AccountPage {
                nav: nav(&state, &viewer, Notice(None)).await?,
                section: "account",
                error: Some(message),
                remove_contributions: request.remove_contributions,
            };
            render_with_status(status, &page)
        }
    }
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/settings/account", get(page))
        .route("/settings/account/export", get(export))
        .route("/settings/account/delete", guarded(state, delete))
}
