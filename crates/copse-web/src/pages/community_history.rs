//! A community's history: the versions of its domain statement and its stage log (changes of
//! stage, archiving and reopening, communities merged in — whose own history is kept here,
//! marked with their names).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::clock::human_date;
use copse_core::domain::{Stage, StageChangeKind};
use copse_core::policy::CommunityAction as A;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, nav, render};
use crate::auth::PageViewer;
use crate::extract::PagePath;
use crate::state::WebState;
use copse_app::communities as app;
use copse_app::markdown;

struct RevisionRow {
    when: String,
    author_handle: String,
    author_name: String,
    reason: Option<String>,
    html: String,
    merged_from: Option<String>,
}

struct StageRow {
    when: String,
    from: Option<&'static str>,
    to: &'static str,
    /// "Archived", "Reopened" or "Merged in" for those entries of the log.
    archive: Option<&'static str>,
    note: Option<String>,
    by: String,
    merged_from: Option<String>,
}

#[derive(Template)]
#[template(path = "community_history.html")]
struct HistoryPage {
    nav: Nav,
    c: CommunityHead,
    revisions: Vec<RevisionRow>,
    stages: Vec<StageRow>,
}

async fn history(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(&state, &actor, &slug, A::SeeHistory).await?;
    let revisions = app::domain_revisions(&state, &actor, &gated)
        .await?
        .into_iter()
        .map(|r| RevisionRow {
            when: human_date(r.created_at),
            author_handle: r.author_handle,
            author_name: r.author_name,
            reason: r.reason,
            html: markdown::to_html(&r.body),
            merged_from: r.merged_from,
        })
        .collect();
    let stages = app::stage_changes(&state, &actor, &gated)
        .await?
        .into_iter()
        .map(|s| StageRow {
            when: human_date(s.created_at),
            from: s.from.map(Stage::as_str),
            to: s.to.as_str(),
            archive: match s.kind {
                StageChangeKind::Stage => None,
                StageChangeKind::Archived => Some("Archived"),
                StageChangeKind::Reopened => Some("Reopened"),
                StageChangeKind::Merged => Some("Merged in"),
                StageChangeKind::SplitOff => Some("Split off"),
                StageChangeKind::SplitFrom => Some("Split from"),
            },
            note: s.note,
            by: s.author_handle,
            merged_from: s.merged_from,
        })
        .collect();
    render(&HistoryPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "history").await?,
        revisions,
        stages,
    })
}

pub fn routes() -> Router<WebState> {
    Router::new().route("/c/{slug}/history", get(history))
}
