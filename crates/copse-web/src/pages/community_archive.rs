//! Archiving a community from its pages, and reopening it from the archived banner.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::policy::CommunityAction as A;
use serde::Deserialize;

use super::common::guarded;
use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status};
use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath};
use crate::state::WebState;
use copse_app::communities as app;

#[derive(Template)]
#[template(path = "community_archive.html")]
struct ArchivePage {
    nav: Nav,
    c: CommunityHead,
    error: Option<String>,
    reason: String,
}

#[derive(Deserialize)]
pub struct ArchiveForm {
    #[serde(default)]
    reason: String,
}

async fn form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(&state, &actor, &slug, A::Archive).await?;
    if gated.community.archived.is_some() {
        // Archived already: its page says so and offers to reopen it.
        return done(&format!("/c/{slug}"), "archived");
    }
    render(&ArchivePage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "settings").await?,
        error: None,
        reason: String::new(),
    })
}

async fn archive(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<ArchiveForm>,
) -> PageResult {
    let actor = viewer.actor();
    match app::archive(&state, &actor, &slug, &form.reason).await {
        Ok(_) => done(&format!("/c/{slug}"), "archived"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let gated = copse_app::access::gate(&state, &actor, &slug, A::Archive).await?;
            render_with_status(
                status,
                &ArchivePage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    c: head(&state, &actor, &gated, "settings").await?,
                    error: Some(message),
                    reason: form.reason,
                },
            )
        }
    }
}

async fn reopen(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    app::reopen(&state, &viewer.actor(), &slug).await?;
    done(&format!("/c/{slug}"), "reopened")
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route(
            "/c/{slug}/archive",
            get(form).merge(guarded(state, archive)),
        )
        .route("/c/{slug}/reopen", guarded(state, reopen))
}
