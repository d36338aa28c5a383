//! "Send now" asks once more before an issue goes to every member and observer: a copy that
//! has gone out cannot be called back. The issue's page links here; this page's button sends
//! (a form post to the issue's `send`, as scheduling is).

use askama::Template;
use axum::extract::State;
use copse_core::policy::CommunityAction;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, nav, render};
use crate::auth::PageViewer;
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
    let actor = viewer.actor();
    let (gated, issue) = app::issue(&state, &actor, &slug, number).await?;
    if !gated.may(&actor, CommunityAction::Edit) {
        return Err(PageError::forbidden(
            "Only the community's coordinators send its newsletter.",
        ));
    }
    if !issue.status.editable() {
        // Sent or being sent already: its page says so.
        return done(
            &format!("/c/{slug}/newsletter/{number}"),
            "newsletter-sending",
        );
    }
    render(&SendPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "newsletter").await?,
        number,
        subject: issue.subject,
    })
}
