//! Participation: the dashboard, recomputing levels now, and the CSV export.

mod charts;
mod dashboard;

use axum::Router;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use copse_app::participation as app;

use crate::auth::{PageSignedIn, PageViewer};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::pages::common::guarded;
use crate::pages::{PageResult, done};
use crate::state::WebState;

pub async fn recompute(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    app::recompute_now(&state, &viewer.actor(), &slug).await?;
    done(&format!("/c/{slug}/participation"), "levels-recomputed")
}

#[derive(serde::Deserialize, Default)]
pub struct ExportQuery {
    table: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// `/c/{slug}/participation.csv`: one table of the export, for the signed-in reader.
pub async fn export_csv(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    PagePath(slug): PagePath<String>,
    crate::extract::PageQuery(q): crate::extract::PageQuery<ExportQuery>,
) -> Result<Response, PageError> {
    let me = account.id;
    let (from, to) = app::period(q.from.as_deref(), q.to.as_deref(), state.now())?;
    let e = app::export(&state, &viewer.actor(), &slug, me, from, to).await?;
    let csv = app::csv(&e, q.table.as_deref().unwrap_or("levels"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"participation.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/participation", get(dashboard::dashboard))
        .route(
            "/c/{slug}/participation/recompute",
            guarded(state, recompute),
        )
        .route("/c/{slug}/participation.csv", get(export_csv))
}
