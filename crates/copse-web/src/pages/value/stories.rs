//! A community's stories, filtered, with the form to tell one.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::policy::CommunityAction;
use serde::Deserialize;

use super::form::FormChoices;
use super::form::StoryForm;
use super::form::StoryFormValues;
use super::form::form_choices;
use super::shown::StoryShown;
use super::shown::credit_titles;
use super::shown::shown;
use crate::auth::{PageViewer, Viewer};
use crate::extract::{PagePath, PageQuery};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status};
use crate::state::WebState;
use copse_app::value::{self as app, ReadStory};

#[derive(Template)]
#[template(path = "stories.html")]
struct StoriesPage {
    nav: Nav,
    c: CommunityHead,
    stories: Vec<StoryShown>,
    form: StoryFormValues,
    choices: FormChoices,
    action: String,
    submit: &'static str,
    filter: String,
    error: Option<String>,
    may_pin: bool,
}

#[derive(Deserialize, Default)]
pub struct StoriesQuery {
    /// Prefill: what the story came from (`thread:42`), which also filters the list.
    #[serde(default)]
    credit: String,
    /// Only stories about this topic.
    #[serde(default)]
    topic: String,
    /// Prefill of "what happened" (from a conversation).
    #[serde(default)]
    happened: String,
    /// Prefill: a circle story of this circle.
    #[serde(default)]
    circle: String,
}

async fn stories_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    slug: &str,
    q: &StoriesQuery,
    form: StoryFormValues,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let now = state.now();
    let (gated, list) = app::list(state, &actor, slug, now - 3 * 366 * 86_400_000, now + 1).await?;
    let list: Vec<ReadStory> = list
        .into_iter()
        .filter(|r| {
            (q.credit.is_empty()
                || r.story
                    .credits
                    .iter()
                    .any(|(k, id)| format!("{k}:{id}") == q.credit))
                && (q.topic.is_empty() || r.story.topics.iter().any(|(s, _)| *s == q.topic))
        })
        .collect();
    let titles = credit_titles(state, &actor, &list).await?;
    let choices = form_choices(state, &actor, &gated, &form).await?;
    let filter = if !q.topic.is_empty() {
        choices
            .topics
            .iter()
            .find(|(s, _)| *s == q.topic)
            .map(|(_, n)| format!("about {n}"))
            .unwrap_or_default()
    } else if !q.credit.is_empty() {
        choices
            .credit_titles
            .first()
            .map(|(_, t)| format!("crediting {t}"))
            .unwrap_or_default()
    } else {
        String::new()
    };
    render_with_status(
        error.as_ref().map_or(StatusCode::OK, |(s, _)| *s),
        &StoriesPage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "stories").await?,
            stories: list.iter().map(|r| shown(r, &titles)).collect(),
            action: format!("/c/{slug}/stories"),
            submit: "Tell the story",
            form,
            choices,
            filter,
            may_pin: gated.may(&actor, CommunityAction::ManageTopics),
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn stories(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<StoriesQuery>,
) -> PageResult {
    let form = StoryFormValues {
        credits: q.credit.clone(),
        happened: q.happened.chars().take(5_000).collect(),
        visibility: if q.circle.is_empty() {
            String::new()
        } else {
            "circle".into()
        },
        circle: q.circle.clone(),
        ..StoryFormValues::default()
    };
    stories_page(&state, &viewer, notice, &slug, &q, form, None).await
}

pub async fn tell(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    StoryForm(f): StoryForm,
) -> PageResult {
    let result = match f.draft() {
        Ok(draft) => app::tell(&state, &viewer.actor(), &slug, &draft).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => done(&format!("/stories/{}", r.story.id), "story-told"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let q = StoriesQuery::default();
            stories_page(
                &state,
                &viewer,
                Notice(None),
                &slug,
                &q,
                f,
                Some((status, message)),
            )
            .await
        }
    }
}
