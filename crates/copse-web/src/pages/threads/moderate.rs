//! The forms a thread page offers about moderation: flagging a thread or reply, and the
//! moderators' tools (pin, lock, hide; hide a reply).

use axum::extract::State;
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath};
use crate::pages::{PageResult, done};
use crate::state::WebState;
use copse_app::moderation::{self as app, FlagInput, ReplyTool, ThreadTool};

#[derive(Deserialize)]
pub struct FlagForm {
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

pub async fn flag_thread(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<FlagForm>,
) -> PageResult {
    app::flag_thread(&state, &viewer.actor(), id, &form.into()).await?;
    done(&format!("/t/{id}"), "flagged")
}

pub async fn flag_reply(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<FlagForm>,
) -> PageResult {
    let (_, thread) = app::flag_reply(&state, &viewer.actor(), id, &form.into()).await?;
    done(&format!("/t/{thread}"), "flagged")
}

#[derive(Deserialize)]
pub struct ToolForm {
    action: String,
    reason: Option<String>,
    /// For `merge`: the number of the thread to merge into.
    into: Option<String>,
}

pub async fn moderate_thread(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ToolForm>,
) -> PageResult {
    let (actor, reason) = (viewer.actor(), form.reason.as_deref());
    if form.action == "merge" {
        let into = form
            .into
            .as_deref()
            .and_then(|i| i.trim().trim_start_matches('#').parse().ok())
            .ok_or_else(|| copse_core::Error::invalid("into", "give the number of a thread"))?;
        let thread = app::merge(&state, &actor, id, into, reason).await?;
        return done(&format!("/t/{}", thread.id), "moderated");
    }
    let tool = ThreadTool::parse(&form.action)?;
    app::thread_tool(&state, &actor, id, tool, reason).await?;
    done(&format!("/t/{id}"), "moderated")
}

pub async fn moderate_reply(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ToolForm>,
) -> PageResult {
    let tool = match form.action.as_str() {
        "unhide" => ReplyTool::Unhide,
        _ => ReplyTool::Hide,
    };
    let thread = app::reply_tool(&state, &viewer.actor(), id, tool, form.reason.as_deref()).await?;
    done(&format!("/t/{thread}"), "moderated")
}
