//! Leaving a community, or no longer following it, asked once more on a page of its own: the
//! button in the community's header leads here, and only the button on this page acts (no
//! script needed, and a stray click changes nothing).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use axum::routing::get;
use copse_core::policy::CommunityAction as A;

use super::common::guarded;
use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, nav, render};
use crate::auth::PageViewer;
use crate::extract::PagePath;
use crate::state::WebState;

#[derive(Template)]
#[template(path = "community_leave.html")]
struct LeavePage {
    nav: Nav,
    c: CommunityHead,
}

async fn confirm(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    // The same question the leaving itself asks: someone who may not leave is told why here.
    let gated = copse_app::access::gate(&state, &actor, &slug, A::Leave).await?;
    let c = head(&state, &actor, &gated, "").await?;
    if !c.may_leave {
        // Not a member or observer (any more): the community's page shows what they may do.
        return Ok(Redirect::to(&format!("/c/{slug}")).into_response());
    }
    render(&LeavePage {
        nav: nav(&state, &viewer, notice).await?,
        c,
    })
}

async fn leave(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    copse_app::membership::leave(&state, &viewer.actor(), &slug).await?;
    done(&format!("/c/{slug}"), "left")
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new().route("/c/{slug}/leave", get(confirm).merge(guarded(state, leave)))
}
