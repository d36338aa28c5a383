//! Editing and deleting a reply, and the edit history of threads and replies.

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;
use copse_core::clock::human_date;
use copse_core::policy::ThreadAction as T;
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath};
use crate::pages::{Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status};
use crate::state::WebState;
use copse_app::markdown;
use copse_app::threads::{self as app};

#[derive(Template)]
#[template(path = "reply_edit.html")]
struct ReplyEditPage {
    nav: Nav,
    thread_id: i64,
    reply_id: i64,
    body: String,
    error: Option<String>,
}

pub async fn edit_reply_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let (gt, reply) = copse_app::access::gate_reply(&state, &viewer.actor(), id, T::Edit).await?;
    render(&ReplyEditPage {
        nav: nav(&state, &viewer, Notice(None)).await?,
        thread_id: gt.thread.id,
        reply_id: id,
        body: reply.body,
        error: None,
    })
}

#[derive(Deserialize)]
pub struct BodyForm {
    body: String,
}

pub async fn edit_reply(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<BodyForm>,
) -> PageResult {
    match app::edit_reply(&state, &viewer.actor(), id, &form.body).await {
        Ok(thread) => {
            Ok(axum::response::Redirect::to(&format!("/t/{thread}#reply-{id}")).into_response())
        }
        Err(e @ copse_core::Error::Invalid { .. }) => {
            let (status, message) = form_problem(e)?;
            let (gt, _) =
                copse_app::access::gate_reply(&state, &viewer.actor(), id, T::Edit).await?;
            render_with_status(
                status,
                &ReplyEditPage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    thread_id: gt.thread.id,
                    reply_id: id,
                    body: form.body,
                    error: Some(message),
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete_reply(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let thread = app::delete_reply(&state, &viewer.actor(), id).await?;
    done(&format!("/t/{thread}"), "reply-deleted")
}

struct VersionShown {
    when: String,
    editor: String,
    title: Option<String>,
    html: String,
}

#[derive(Template)]
#[template(path = "history.html")]
struct HistoryPage {
    nav: Nav,
    thread_id: i64,
    versions: Vec<VersionShown>,
}

async fn history_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    thread: i64,
    reply: Option<i64>,
) -> PageResult {
    let (thread, edits) = app::history(state, &viewer.actor(), thread, reply).await?;
    render(&HistoryPage {
        nav: nav(state, viewer, Notice(None)).await?,
        thread_id: thread,
        versions: edits
            .into_iter()
            .map(|e| VersionShown {
                when: human_date(e.created_at),
                editor: e.editor_handle,
                title: e.title,
                html: markdown::to_html(&e.body),
            })
            .collect(),
    })
}

pub async fn thread_history(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    history_page(&state, &viewer, id, None).await
}

pub async fn reply_history(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    history_page(&state, &viewer, 0, Some(id)).await
}
