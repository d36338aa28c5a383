//! The site's machinery, for site admins: the background job queue (failed jobs first, and
//! retrying them) and the e-mail runs (what went out, what failed, sending failures again).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use serde::Deserialize;

use super::super::common::guarded;
use super::super::{Nav, Notice, PageResult, done, nav, render_with_status};
use crate::auth::PageSignedIn;
use crate::extract::{PageForm, PagePath};
use crate::state::WebState;
use copse_app::calendar as app;

#[derive(Template)]
#[template(path = "admin_jobs.html")]
struct JobsPage {
    nav: Nav,
    status: String,
    counts: Vec<(String, i64)>,
    jobs: Vec<copse_app::jobs::QueuedJob>,
}

#[derive(Deserialize, Default)]
pub struct JobsQuery {
    status: Option<String>,
}

/// `/admin/jobs`: the background job queue, failed jobs first. Site admins.
pub async fn jobs(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    notice: Notice,
    crate::extract::PageQuery(q): crate::extract::PageQuery<JobsQuery>,
) -> PageResult {
    let status = q.status.unwrap_or_else(|| "failed".into());
    let (counts, jobs) = app::jobs(&state, &viewer.actor(), &status, 100).await?;
    render_with_status(
        StatusCode::OK,
        &JobsPage {
            nav: nav(&state, &viewer, notice).await?,
            status,
            counts,
            jobs,
        },
    )
}

pub async fn retry_job(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    app::retry_job(&state, &viewer.actor(), id).await?;
    done("/admin/jobs", "job-retried")
}

struct RunLine {
    run: String,
    kind: String,
    sent: i64,
    failed: i64,
    sending: i64,
    last: String,
}

#[derive(Template)]
#[template(path = "admin_email.html")]
struct EmailAdminPage {
    nav: Nav,
    runs: Vec<RunLine>,
    /// (run, to, reason, when)
    failures: Vec<(String, String, String, String)>,
}

/// What e-mail went out and what failed. Site admins.
pub async fn email_admin(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    notice: Notice,
) -> PageResult {
    let (runs, failures) = copse_app::email_admin::overview(&state, &viewer.actor()).await?;
    let when = copse_core::clock::human_date;
    render_with_status(
        StatusCode::OK,
        &EmailAdminPage {
            nav: nav(&state, &viewer, notice).await?,
            runs: runs
                .into_iter()
                .map(|r| RunLine {
                    run: r.run,
                    kind: r.kind,
                    sent: r.sent,
                    failed: r.failed,
                    sending: r.sending,
                    last: when(r.last),
                })
                .collect(),
            failures: failures
                .into_iter()
                .map(|f| (f.run, f.handle, f.error, when(f.updated_at)))
                .collect(),
        },
    )
}

#[derive(Deserialize)]
pub struct RetryRunForm {
    #[serde(default)]
    run: String,
}

pub async fn retry_email(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    PageForm(f): PageForm<RetryRunForm>,
) -> PageResult {
    copse_app::email_admin::retry(&state, &viewer.actor(), &f.run).await?;
    done("/admin/email", "job-retried")
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/admin/jobs", get(jobs))
        .route("/admin/email", get(email_admin))
        .route("/admin/email/retry", guarded(state, retry_email))
        .route("/admin/jobs/{id}/retry", guarded(state, retry_job))
}
