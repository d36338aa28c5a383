//! The forms a thread page offers about moderation: flagging a thread or reply, and the
//! moderators' tools (pin, lock, hide; hide a reply).

use axum::extract::State;
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath};
use crate::pages::flags::FlagForm;
use crate::pages::{PageResult, done};
use crate::state::WebState;
use copse_app::moderation::{self as app, ReplyTool, ThreadTool};

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
    /// For `move`: the address of the community to move it to.
    to: Option<String>,
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
    if form.action == "move" {
        let to = form.to.as_deref().unwrap_or_default();
        app::move_to_community(&state, &actor, id, to, reason).await?;
        return done(&format!("/t/{id}"), "moderated");
    }
    let tool = ThreadTool::parse(&form.action)?;
    app::thread_tool(&state, &actor, id, tool, reason).await?;
    done(&format!("/t/{id}"), "moderated")
}

/// The split form: a title, and the replies ticked on the page (`reply-<id>`).
#[derive(Deserialize)]
pub struct SplitForm {
    title: Option<String>,
    reason: Option<String>,
    #[serde(flatten)]
    ticked: std::collections::HashMap<String, String>,
}

pub async fn split(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<SplitForm>,
) -> PageResult {
    let replies: Vec<i64> = form
        .ticked
        .keys()
        .filter_map(|k| k.strip_prefix("reply-")?.parse().ok())
        .collect();
    let title = form.title.as_deref().unwrap_or_default();
    let reason = form.reason.as_deref();
    let new = app::split(&state, &viewer.actor(), id, &replies, title, reason).await?;
    done(&format!("/t/{}", new.id), "moderated")
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
