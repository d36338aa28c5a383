//! What cannot be undone about an issue asks once more on a page of its own: "Send now" (a
//! copy that has gone out cannot be called back) and "Delete" (a draft's words are gone). The
//! issue's page links here; only this page's button acts, a form post to the issue's `send` or
//! `delete`.

use askama::Template;
use axum::extract::State;
use copse_app::access::Gated;
use copse_core::domain::newsletter::Newsletter;
use copse_core::policy::{Actor, CommunityAction};

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

/// The issue, for its community's editors only (a draft is theirs alone: others get 404 from
/// `app::issue`).
async fn editable_issue(
    state: &WebState,
    actor: &Actor,
    slug: &str,
    number: i64,
) -> Result<(Gated, Newsletter), PageError> {
    let (gated, issue) = app::issue(state, actor, slug, number).await?;
    if !gated.may(actor, CommunityAction::Edit) {
        return Err(PageError::forbidden(
            "Only the community's coordinators send or delete its newsletter.",
        ));
    }
    Ok((gated, issue))
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
    let actor = viewer.actor();
    let (gated, issue) = editable_issue(&state, &actor, &slug, number).await?;
    if !issue.status.editable() {
        // Sent or being sent: it stays in the archive, and its page says so.
        return done(
            &format!("/c/{slug}/newsletter/{number}"),
            "newsletter-sending",
        );
    }
    render(&DeletePage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "newsletter").await?,
        number,
        subject: issue.subject,
    })
}
