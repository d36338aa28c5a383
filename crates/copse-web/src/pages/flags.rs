//! The flag forms of pages other than a thread's — a value story, a comment on one, a message
//! of a conversation, a profile — and the site admins' decisions from the site's queue.

use axum::Router;
use axum::extract::State;
use copse_core::domain::Target;
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath};
use crate::pages::common::guarded;
use crate::pages::moderation::DecisionForm;
use crate::pages::{PageResult, done};
use crate::state::WebState;
use copse_app::moderation::{self as app, FlagInput, QueueAction};

/// A flag as a page's form sends it.
#[derive(Deserialize)]
pub(crate) struct FlagForm {
    reason: Option<String>,
    note: Option<String>,
}

impl From<FlagForm> for FlagInput {
    fn from(f: FlagForm) -> Self {
        FlagInput {
            reason: f.reason,
            note: f.note,
        }
    }
}

async fn flag_story(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<FlagForm>,
) -> PageResult {
    app::flag_story(&state, &viewer.actor(), id, &form.into()).await?;
    done(&format!("/stories/{id}"), "flagged")
}

async fn flag_story_comment(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<FlagForm>,
) -> PageResult {
    let (_, story) = app::flag_story_comment(&state, &viewer.actor(), id, &form.into()).await?;
    done(&format!("/stories/{story}"), "flagged")
}

async fn flag_message(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<FlagForm>,
) -> PageResult {
    let (_, conversation) = app::flag_message(&state, &viewer.actor(), id, &form.into()).await?;
    done(&format!("/conversations/{conversation}"), "flagged")
}

async fn flag_profile(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(handle): PagePath<String>,
    PageForm(form): PageForm<FlagForm>,
) -> PageResult {
    app::flag_profile(&state, &viewer.actor(), &handle, &form.into()).await?;
    done(&format!("/u/{handle}"), "flagged")
}

/// A site admin's decision from the site's queue (profiles, and any community's flags).
async fn site_decide(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageForm(form): PageForm<DecisionForm>,
) -> PageResult {
    let target = Target::parse(&form.target)?;
    let action = QueueAction::parse(&form.action)?;
    let reason = form.reason.as_deref();
    app::resolve_on_site(&state, &viewer.actor(), target, form.id, action, reason).await?;
    done("/admin/moderation", "moderated")
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/stories/{id}/flag", guarded(state, flag_story))
        .route(
            "/story-comments/{id}/flag",
            guarded(state, flag_story_comment),
        )
        .route("/messages/{id}/flag", guarded(state, flag_message))
        .route("/u/{handle}/flag", guarded(state, flag_profile))
        .route("/admin/moderation/decide", guarded(state, site_decide))
}
