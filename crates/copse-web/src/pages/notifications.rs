//! The notifications page.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::clock::human_date;
use serde::Deserialize;

use super::{Nav, Notice, PageResult, done, nav, render};
use crate::auth::PageViewer;
use crate::extract::PageQuery;
use crate::state::WebState;
use copse_app::notifications as app;

struct Shown {
    actor: String,
    what: &'static str,
    url: String,
    title: String,
    when: String,
    read: bool,
}

#[derive(Template)]
#[template(path = "notifications.html")]
struct NotificationsPage {
    nav: Nav,
    items: Vec<Shown>,
    next_link: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    cursor: Option<String>,
}

pub async fn list(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    let (page, _) = app::list(&state, &viewer.actor(), Some(50), q.cursor.as_deref()).await?;
    let items = page
        .items
        .iter()
        .map(|n| Shown {
            // An anonymous teller's notifications name no one.
            actor: if n.actor_handle.is_empty() {
                n.actor_name.clone()
            } else {
                format!("@{}", n.actor_handle)
            },
            what: n.verb(),
            url: n.url(),
            title: n.title.clone(),
            when: human_date(n.created_at),
            read: n.read,
        })
        .collect();
    render(&NotificationsPage {
        nav: nav(&state, &viewer, notice).await?,
        items,
        next_link: page
            .next
            .map(|c| format!("/notifications?cursor={}", c.encode())),
    })
}

pub async fn mark_read(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
) -> PageResult {
    app::mark_read(&state, &viewer.actor(), None).await?;
    done("/notifications", "notifications-read")
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/notifications", get(list))
        .route("/notifications/read", guarded(state, mark_read))
}
