//! A community's topics: the list, one topic, following, renaming and merging.

use askama::Template;
use axum::extract::State;
use copse_core::policy::CommunityAction as A;
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status};
use crate::state::WebState;
use copse_app::threads::{self as app, ListInput};

#[derive(Template)]
#[template(path = "community_topics.html")]
struct TopicsPage {
    nav: Nav,
    c: CommunityHead,
    topics: Vec<(String, String, String)>,
    may_manage: bool,
    error: Option<String>,
}

async fn topics_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    slug: &str,
    error: Option<String>,
) -> Result<TopicsPage, PageError> {
    let actor = viewer.actor();
    let (gated, topics) = app::topics(state, &actor, slug).await?;
    Ok(TopicsPage {
        nav: nav(state, viewer, notice).await?,
        may_manage: gated.may(&actor, A::ManageTopics),
        c: head(state, &actor, &gated, "topics").await?,
        topics: topics
            .into_iter()
            .map(|t| (t.slug, t.name, t.description.unwrap_or_default()))
            .collect(),
        error,
    })
}

pub async fn topics(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    render(&topics_page(&state, &viewer, notice, &slug, None).await?)
}

#[derive(Deserialize)]
pub struct TopicForm {
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
}

pub async fn create_topic(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<TopicForm>,
) -> PageResult {
    match app::create_topic(
        &state,
        &viewer.actor(),
        &slug,
        &form.slug,
        &form.name,
        Some(&form.description),
    )
    .await
    {
        Ok(_) => done(&format!("/c/{slug}/topics"), "topic-created"),
        Err(e @ (copse_core::Error::Invalid { .. } | copse_core::Error::Conflict { .. })) => {
            let (status, message) = form_problem(e)?;
            let page = topics_page(&state, &viewer, Notice(None), &slug, Some(message)).await?;
            render_with_status(status, &page)
        }
        Err(e) => Err(e.into()),
    }
}

use axum::response::IntoResponse;

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    nav: Nav,
    c: CommunityHead,
    topic_slug: String,
    topic_name: String,
    topic_description: String,
    threads: Vec<(i64, String, &'static str)>,
    may_follow: bool,
    following: bool,
    may_manage: bool,
    others: Vec<(String, String)>,
    error: Option<String>,
}

async fn topic_view(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    slug: &str,
    topic_slug: &str,
    error: Option<String>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, topic, redirected) = app::topic(state, &actor, slug, topic_slug).await?;
    if redirected {
        // An old address of a renamed or merged topic: send browsers (and search engines) on.
        return Ok(axum::response::Redirect::permanent(&format!(
            "/c/{slug}/topics/{}",
            topic.slug
        ))
        .into_response());
    }
    let input = ListInput {
        topic: Some(topic.slug.clone()),
        limit: Some(100),
        ..ListInput::default()
    };
    let (_, page) = app::list(state, &actor, slug, &input).await?;
    let others = copse_app::communities::topics(state, &gated)
        .await?
        .into_iter()
        .filter(|t| t.id != topic.id)
        .map(|t| (t.slug, t.name))
        .collect();
    let page_view = TopicPage {
        nav: nav(state, viewer, notice).await?,
        may_follow: gated.standing.role.is_some(),
        following: app::follows_topic(state, &actor, &gated, &topic).await?,
        may_manage: gated.may(&actor, A::ManageTopics),
        c: head(state, &actor, &gated, "topics").await?,
        topic_slug: topic.slug,
        topic_name: topic.name,
        topic_description: topic.description.unwrap_or_default(),
        threads: page
            .items
            .iter()
            .map(|t| (t.id, t.title.clone(), t.kind.as_str()))
            .collect(),
        others,
        error: error.clone(),
    };
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    render_with_status(status, &page_view)
}

pub async fn topic_page(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath((slug, topic)): PagePath<(String, String)>,
) -> PageResult {
    topic_view(&state, &viewer, notice, &slug, &topic, None).await
}

#[derive(Deserialize)]
pub struct FollowForm {
    follow: String,
}

pub async fn follow_topic(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, topic)): PagePath<(String, String)>,
    PageForm(form): PageForm<FollowForm>,
) -> PageResult {
    let follow = form.follow == "true";
    let t = app::follow_topic(&state, &viewer.actor(), &slug, &topic, follow).await?;
    done(
        &format!("/c/{slug}/topics/{}", t.slug),
        if follow {
            "topic-followed"
        } else {
            "topic-unfollowed"
        },
    )
}

#[derive(Deserialize)]
pub struct RenameForm {
    name: String,
    slug: String,
}

pub async fn rename_topic(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, topic)): PagePath<(String, String)>,
    PageForm(form): PageForm<RenameForm>,
) -> PageResult {
    match app::rename_topic(
        &state,
        &viewer.actor(),
        &slug,
        &topic,
        Some(&form.name),
        Some(&form.slug),
    )
    .await
    {
        Ok(t) => done(&format!("/c/{slug}/topics/{}", t.slug), "topic-renamed"),
        Err(e @ (copse_core::Error::Invalid { .. } | copse_core::Error::Conflict { .. })) => {
            topic_view(
                &state,
                &viewer,
                Notice(None),
                &slug,
                &topic,
                Some(form_problem(e)?.1),
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct MergeForm {
    into: String,
}

pub async fn merge_topic(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, topic)): PagePath<(String, String)>,
    PageForm(form): PageForm<MergeForm>,
) -> PageResult {
    let into = app::merge_topic(&state, &viewer.actor(), &slug, &topic, &form.into).await?;
    done(&format!("/c/{slug}/topics/{}", into.slug), "topic-merged")
}
