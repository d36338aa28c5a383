//! Settings → Export: a coordinator asks for the community's archive, watches the worker
//! prepare it and downloads it. The page shows how far it has come and offers a link to check
//! again; it does not reload by itself, which would be in the way of people who read slowly or
//! with a screen reader (axe's `meta-refresh`).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use copse_app::community_export::CommunityExport;
use copse_core::clock::human_date;
use copse_core::domain::uploads::human_size;

use super::common::guarded;
use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, nav, render};
use crate::api::v1::community_export::archive_response;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::PagePath;
use crate::state::WebState;
use copse_app::community_export as app;

#[derive(Template)]
#[template(path = "community_export.html")]
struct ExportPage {
    nav: Nav,
    c: CommunityHead,
    /// A site admin's archive holds everything; a coordinator's what they may read.
    site_admin: bool,
    archives: Vec<ArchiveLine>,
    /// Whether one is being prepared (the page then offers to check again).
    preparing: bool,
}

/// An archive as the page lists it.
struct ArchiveLine {
    asked: String,
    asked_by: String,
    /// (rows read, rows in all) while it is being prepared.
    progress: Option<(i64, i64)>,
    /// (download address, size, until, what went in) once ready.
    ready: Option<(String, String, String, String)>,
}

fn line(slug: &str, e: &CommunityExport) -> ArchiveLine {
    let went_in = e
        .summary
        .as_deref()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok())
        .map(|s| {
            let n = |k: &str| s[k].as_i64().unwrap_or(0);
            let counted = |count: i64, one: &str, many: &str| {
                format!("{count} {}", if count == 1 { one } else { many })
            };
            format!(
                "{}, {}, {}",
                counted(n("rows"), "row", "rows"),
                counted(n("people"), "person", "people"),
                counted(n("files"), "file", "files")
            )
        })
        .unwrap_or_default();
    ArchiveLine {
        asked: human_date(e.requested_at),
        asked_by: e.asked_by.clone(),
        progress: e
            .ready_at
            .is_none()
            .then(|| (e.rows_done, e.rows_total.unwrap_or(0))),
        ready: e.ready_at.map(|_| {
            (
                format!("/c/{slug}/export/{}/download", e.id),
                human_size(e.size_bytes.unwrap_or(0).max(0) as u64),
                human_date(e.expires_at.unwrap_or(0)),
                went_in,
            )
        }),
    }
}

async fn page(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    notice: Notice,
) -> PageResult {
    let actor = viewer.actor();
    let (_, exports) = app::list(&state, &actor, &slug).await?;
    let gated = copse_app::access::gate(
        &state,
        &actor,
        &slug,
        copse_core::policy::CommunityAction::Export,
    )
    .await?;
    let archives: Vec<ArchiveLine> = exports.iter().map(|e| line(&slug, e)).collect();
    render(&ExportPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "settings").await?,
        site_admin: matches!(
            actor,
            copse_core::policy::Actor::Account { is_admin: true, .. }
        ),
        preparing: archives.iter().any(|a| a.progress.is_some()),
        archives,
    })
}

async fn ask(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    app::ask(&state, &viewer.actor(), &slug).await?;
    done(&format!("/c/{slug}/export"), "archive-asked")
}

async fn download(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, id)): PagePath<(String, i64)>,
) -> Result<Response, PageError> {
    let (fetched, name) = app::download(&state, &viewer.actor(), &slug, id).await?;
    Ok(archive_response(fetched, &name))
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/export", get(page).merge(guarded(state, ask)))
        .route("/c/{slug}/export/{id}/download", get(download))
}
