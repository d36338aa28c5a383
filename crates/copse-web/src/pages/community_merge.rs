//! Merging a community into another from its settings: the page says what will happen, lists
//! the communities the viewer may merge it into, and asks for the community's address typed
//! out, as the merge cannot be undone.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::Error;
use copse_core::policy::CommunityAction as A;
use serde::Deserialize;

use super::common::guarded;
use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status};
use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath};
use crate::state::WebState;
use copse_app::community_merge as app;

#[derive(Template)]
#[template(path = "community_merge.html")]
struct MergePage {
    nav: Nav,
    c: CommunityHead,
    error: Option<String>,
    /// (address, name) of each community it may go into.
    targets: Vec<(String, String)>,
    chosen: String,
}

#[derive(Deserialize, Default)]
pub struct MergeForm {
    #[serde(default)]
    into: String,
    #[serde(default)]
    confirm: String,
}

async fn page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    slug: &str,
    error: Option<(axum::http::StatusCode, String)>,
    chosen: String,
) -> PageResult {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(state, &actor, slug, A::Merge).await?;
    let (status, error) = match error {
        Some((status, message)) => (status, Some(message)),
        None => (axum::http::StatusCode::OK, None),
    };
    render_with_status(
        status,
        &MergePage {
            nav: nav(state, viewer, Notice(None)).await?,
            c: head(state, &actor, &gated, "settings").await?,
            targets: app::targets(state, &actor, &gated).await?,
            error,
            chosen,
        },
    )
}

async fn form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    page(&state, &viewer, &slug, None, String::new()).await
}

async fn merge(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<MergeForm>,
) -> PageResult {
    let actor = viewer.actor();
    let outcome = if form.confirm.trim() != slug {
        Err(Error::invalid(
            "confirm",
            format!("type “{slug}” to confirm: the merge cannot be undone"),
        ))
    } else {
        app::merge(&state, &actor, &slug, &form.into).await
    };
    match outcome {
        Ok((into, _)) => done(&format!("/c/{}", into.slug.as_str()), "merged"),
        Err(e) => {
            let problem = form_problem(e)?;
            page(&state, &viewer, &slug, Some(problem), form.into).await
        }
    }
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new().route("/c/{slug}/merge", get(form).merge(guarded(state, merge)))
}
