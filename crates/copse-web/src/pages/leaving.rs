//! Settings → Your data: downloading everything one gave the site (at once, or prepared in the
//! background and listed here), and deleting one's account (after the password; the session
//! ends with it and the browser is signed out).

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
use crate::error::PageError;
use crate::extract::{PageForm, PagePath};
use crate::state::WebState;
use copse_app::leaving::{self, DeleteRequest};
use copse_app::personal_export::{self, Export};
use copse_core::clock::human_date;
use copse_core::domain::Account;

#[derive(Template)]
#[template(path = "settings_account.html")]
struct AccountPage {
    nav: Nav,
    section: &'static str,
    error: Option<String>,
    remove_contributions: bool,
    exports: Vec<ExportLine>,
}

/// An export prepared in the background, as the page lists it.
struct ExportLine {
    asked: String,
    /// (download address, size, until) once ready.
    ready: Option<(String, String, String)>,
}

async fn export_lines(state: &WebState, account: &Account) -> Result<Vec<ExportLine>, PageError> {
    let exports = personal_export::exports(state, account).await?;
    Ok(exports
        .into_iter()
        .map(|e| ExportLine {
            asked: human_date(e.requested_at),
            ready: e.ready_at.map(|_| {
                (
                    format!("/settings/account/exports/{}", e.id),
                    megabytes(e.size_bytes.unwrap_or(0)),
                    human_date(e.expires_at.unwrap_or(0)),
                )
            }),
        })
        .collect())
}

fn megabytes(bytes: i64) -> String {
    // Display only: a size in tenths of a megabyte.
    #[allow(clippy::cast_precision_loss)]
    let mb = bytes as f64 / 1_000_000.0;
    format!("{mb:.1} MB")
}

pub async fn page(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
) -> PageResult {
    render(&AccountPage {
        nav: nav(&state, &viewer, notice).await?,
        section: "account",
        error: None,
        remove_contributions: false,
        exports: export_lines(&state, &account).await?,
    })
}

/// The JSON file, as a download named after the account and the day; when there is too much
/// to answer at once, back to the page, which lists the export being prepared.
pub async fn export(
    State(state): State<WebState>,
    PageSignedIn(_, account): PageSignedIn,
) -> PageResult {
    match personal_export::export(&state, &account).await? {
        Export::Ready(data) => Ok(crate::api::v1::leaving::export_download(
            &account.handle,
            state.now(),
            data,
        )),
        Export::Preparing => {
            Ok(Redirect::to("/settings/account?notice=export-preparing#exports").into_response())
        }
    }
}

/// A prepared export, for its owner alone (anyone else's is not found).
pub async fn download(
    State(state): State<WebState>,
    PageSignedIn(_, account): PageSignedIn,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let body = personal_export::download(&state, &account, id).await?;
    Ok(crate::api::v1::leaving::export_download(
        &account.handle,
        state.now(),
        body,
    ))
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
                exports: export_lines(&state, &account).await?,
            };
            render_with_status(status, &page)
        }
    }
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/settings/account", get(page))
        .route("/settings/account/export", get(export))
        .route("/settings/account/exports/{export}", get(download))
        .route("/settings/account/delete", guarded(state, delete))
}
