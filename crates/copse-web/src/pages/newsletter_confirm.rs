//! What cannot be undone about an issue asks once more on a page of its own: "Send now" (a
//! copy that has gone out cannot be called back) and "Delete" (a draft's words are gone). The
//! issue's page links here; only this page's button acts, a form post to the issue's `send` or
//! `delete`.

use askama::Template;
use axum::extract::State;
use copse_core::policy::CommunityAction;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, nav, render};
use crate::auth::{PageViewer, Viewer};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::state::WebState;
use copse_app::newsletters as app;

#[derive(Template)]
#[template(path = "newsletter_send.html")]
struct SendPage {
    nav: Nav,
    c: CommunityHead,
    number: i64,
    subject: String,
}

pub async fn confirm(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath((slug, number)): PagePath<(String, i64)>,
) -> PageResult {
    match still_a_draft(&state, &viewer, notice, &slug, number).await? {
        Asked::Draft(nav, c, subject) => render(&SendPage {
            nav: *nav,
            c: *c,
            number,
            subject,
        }),
        Asked::NoLonger(back) => back,
    }
}

#[derive(Template)]
#[template(path = "newsletter_delete.html")]
struct DeletePage {
    nav: Nav,
    c: CommunityHead,
    number: i64,
    subject: String,
}

pub async fn confirm_delete(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath((slug, number)): PagePath<(String, i64)>,
) -> PageResult {
    match still_a_draft(&state, &viewer, notice, &slug, number).await? {
        Asked::Draft(nav, c, subject) => render(&DeletePage {
            nav: *nav,
            c: *c,
            number,
            subject,
        }),
        Asked::NoLonger(back) => back,
    }
}

/// What a page that asks about an issue shows, or where it leads instead.
enum Asked {
    /// The navigation, the community's head and the draft's subject.
    Draft(Box<Nav>, Box<CommunityHead>, String),
    /// Sent or being sent: its own page says so.
    NoLonger(PageResult),
}

/// The issue, for its community's editors only (a draft is theirs alone: others get 404 from
/// `app::issue`), while it is still a draft.
async fn still_a_draft(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    slug: &str,
    number: i64,
) -> Result<Asked, PageError> {
    let actor = viewer.actor();
    let (gated, issue) = app::issue(state, &actor, slug, number).await?;
    if !gated.may(&actor, CommunityAction::Edit) {
        return Err(PageError::forbidden(
            "Only the community's coordinators send or delete its newsletter.",
        ));
    }
    if !issue.status.editable() {
        let back = done(
            &format!("/c/{slug}/newsletter/{number}"),
            "newsletter-sending",
        );
        return Ok(Asked::NoLonger(back));
    }
    Ok(Asked::Draft(
        Box::new(nav(state, viewer, notice).await?),
        Box::new(head(state, &actor, &gated, "newsletter").await?),
        issue.subject,
    ))
}
