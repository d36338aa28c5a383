//! The site admins' pages: `/admin` (their home, linked from the menu), the people on the site
//! (`users`), the audit log of what admins did (`audit`), and the job queue and e-mail runs
//! (`operations`).

mod audit;
mod operations;
mod users;

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;

use super::{Nav, Notice, PageResult, nav, render};
use crate::auth::PageSignedIn;
use crate::state::WebState;
use copse_app::user_admin;

#[derive(Template)]
#[template(path = "admin_home.html")]
struct HomePage {
    nav: Nav,
    counts: user_admin::AccountCounts,
}

/// The admin's home: how many people, how many need a look, and the way to each tool.
pub async fn home(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    notice: Notice,
) -> PageResult {
    let counts = user_admin::overview(&state, &viewer.actor()).await?;
    render(&HomePage {
        nav: nav(&state, &viewer, notice).await?,
        counts,
    })
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/admin", get(home))
        .route("/admin/audit", get(audit::page))
        .merge(users::routes(state))
        .merge(operations::routes(state))
}
