//! Splitting a new community off this one from its settings: the new community's name,
//! address and statement, the topics and events it takes along, and who else coordinates it.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use copse_app::community_split::{self as app, SplitInput};
use copse_core::policy::CommunityAction as A;

use super::common::guarded;
use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status};
use crate::auth::{PageViewer, Viewer};
use crate::extract::{PageForm, PagePath};
use crate::state::WebState;

#[derive(Template)]
#[template(path = "community_split.html")]
struct SplitPage {
    nav: Nav,
    c: CommunityHead,
    error: Option<String>,
    /// (address, name, chosen) of each topic.
    topics: Vec<(String, String, bool)>,
    /// (id, title, chosen) of each event it may take.
    events: Vec<(i64, String, bool)>,
    form: SplitInput,
}

/// The form's fields; a ticked box sends one `topics` or `events` pair each.
fn input_from(pairs: Vec<(String, String)>) -> SplitInput {
    let mut input = SplitInput::default();
    for (key, value) in pairs {
        match key.as_str() {
            "name" => input.name = value,
            "slug" => input.slug = value,
            "domain_statement" => input.domain_statement = value,
            "topics" => input.topics.push(value),
            "events" => input.events.extend(value.parse::<i64>().ok()),
            "coordinators" => input.coordinators.extend(
                value
                    .split([',', ' '])
                    .filter(|h| !h.trim().is_empty())
                    .map(str::to_owned),
            ),
            _ => {}
        }
    }
    input
}

async fn page(
    state: &WebState,
    viewer: &Viewer,
    slug: &str,
    problem: Option<(StatusCode, String)>,
    form: SplitInput,
) -> PageResult {
    let actor = viewer.actor();
    let gated = copse_app::access::gate(state, &actor, slug, A::Split).await?;
    let topics = app::topics_to_take(state, &actor, &gated).await?;
    let topics = topics
        .into_iter()
        .map(|t| {
            let chosen = form.topics.contains(&t.slug);
            (t.slug, t.name, chosen)
        })
        .collect();
    let events = app::events_to_take(state, &actor, &gated)
        .await?
        .into_iter()
        .map(|(id, title)| (id, title, form.events.contains(&id)))
        .collect();
    let (status, error) = match problem {
        Some((status, message)) => (status, Some(message)),
        None => (StatusCode::OK, None),
    };
    render_with_status(
        status,
        &SplitPage {
            nav: nav(state, viewer, Notice(None)).await?,
            c: head(state, &actor, &gated, "settings").await?,
            error,
            topics,
            events,
            form,
        },
    )
}

async fn form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    page(&state, &viewer, &slug, None, SplitInput::default()).await
}

async fn split(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(pairs): PageForm<Vec<(String, String)>>,
) -> PageResult {
    let input = input_from(pairs);
    match app::split(&state, &viewer.actor(), &slug, &input).await {
        Ok((community, _)) => done(&format!("/c/{}", community.slug.as_str()), "split"),
        Err(e) => {
            let problem = form_problem(e)?;
            page(&state, &viewer, &slug, Some(problem), input).await
        }
    }
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new().route("/c/{slug}/split", get(form).merge(guarded(state, split)))
}
