//! One story with its endorsements and comments; editing, deleting, endorsing and commenting.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::policy::{self, CommunityAction, StoryAction};
use serde::Deserialize;

use super::form::FormChoices;
use super::form::StoryForm;
use super::form::StoryFormValues;
use super::form::form_choices;
use super::shown::StoryShown;
use super::shown::credit_titles;
use super::shown::shown;
use crate::auth::{PageViewer, Viewer};
use crate::extract::{PageForm, PagePath};
use crate::pages::attachments::{Attachment, attached_to};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status};
use crate::state::WebState;
use copse_app::value::{self as app};
use copse_core::domain::uploads::AttachedTo;

struct CommentShown {
    id: i64,
    author: String,
    handle: String,
    body_html: String,
    when: String,
    may_delete: bool,
    may_flag: bool,
    /// Why it is hidden (its author and the moderators still read it).
    hidden: Option<String>,
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    nav: Nav,
    c: CommunityHead,
    s: StoryShown,
    comments: Vec<CommentShown>,
    mine: bool,
    endorsed: bool,
    may_comment: bool,
    may_moderate: bool,
    may_pin: bool,
    may_flag: bool,
    /// Why the story is hidden (its teller and the moderators still read it).
    hidden: Option<String>,
    editing: bool,
    form: StoryFormValues,
    choices: FormChoices,
    action: String,
    submit: &'static str,
    error: Option<String>,
    comment_body: String,
    comment_error: Option<String>,
    files: Vec<Attachment>,
}

/// The comments as the page shows them, with what the reader may do to each.
fn comment_lines(
    comments: &[copse_core::domain::value::StoryComment],
    actor: &policy::Actor,
    gated: &copse_app::access::Gated,
    may_moderate: bool,
) -> Vec<CommentShown> {
    let me = actor.account_id();
    comments
        .iter()
        .map(|c| CommentShown {
            id: c.id,
            author: c.author.display_name.clone(),
            handle: c.author.handle.clone(),
            body_html: copse_app::markdown::to_html(&c.body),
            when: copse_core::clock::human_date(c.created_at),
            may_delete: may_moderate || me == Some(c.author.id),
            may_flag: c.hidden.is_none()
                && policy::check_flag_comment(actor, &gated.standing, me == Some(c.author.id))
                    .is_ok(),
            hidden: c.hidden.clone(),
        })
        .collect()
}

/// A comment sent back with its problem named.
#[derive(Default)]
struct CommentDraft {
    body: String,
    error: Option<(StatusCode, String)>,
}

async fn story_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    id: i64,
    editing: Option<(StoryFormValues, Option<(StatusCode, String)>)>,
    comment: CommentDraft,
) -> PageResult {
    let actor = viewer.actor();
    let read = app::get(state, &actor, id).await?;
    let gated = app::story_community(state, &actor, &read.story).await?;
    let me = actor.account_id();
    let mine = me == Some(read.story.author.id);
    let may_moderate = gated.may(&actor, CommunityAction::ManageTopics);
    let may_flag = app::story_to(state, &actor, id, StoryAction::Flag)
        .await
        .is_ok();
    let comments = app::comments(state, &actor, id).await?;
    let files = copse_app::files::story_files(state, &read).await?;
    let endorsed = app::endorsed_by(state, &actor, id).await?;
    let titles = credit_titles(state, &actor, std::slice::from_ref(&read)).await?;
    let comment_error = comment.error.as_ref().map(|(_, m)| m.clone());
    let (form, error) = match editing.clone() {
        Some((form, error)) => (form, error),
        None => (StoryFormValues::of(&read), None),
    };
    let choices = form_choices(state, &actor, &gated, &form).await?;
    render_with_status(
        error
            .as_ref()
            .or(comment.error.as_ref())
            .map_or(StatusCode::OK, |(s, _)| *s),
        &StoryPage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "stories").await?,
            s: shown(&read, &titles),
            comments: comment_lines(&comments, &actor, &gated, may_moderate),
            files: attached_to(&files, AttachedTo::Story(id)),
            mine,
            endorsed,
            may_comment: gated.may(&actor, CommunityAction::Post),
            may_moderate,
            may_pin: may_moderate,
            may_flag,
            hidden: read.story.hidden.clone(),
            editing: editing.is_some(),
            form,
            choices,
            action: format!("/stories/{id}/edit"),
            submit: "Save the story",
            error: error.map(|(_, m)| m),
            comment_body: comment.body,
            comment_error,
        },
    )
}

pub async fn story(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    story_page(&state, &viewer, notice, id, None, CommentDraft::default()).await
}

pub async fn edit_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let (_, read) = app::story_to(&state, &viewer.actor(), id, StoryAction::Edit).await?;
    let form = StoryFormValues::of(&read);
    story_page(
        &state,
        &viewer,
        Notice(None),
        id,
        Some((form, None)),
        CommentDraft::default(),
    )
    .await
}

pub async fn edit(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    StoryForm(f): StoryForm,
) -> PageResult {
    let result = match f.draft() {
        Ok(draft) => app::edit(&state, &viewer.actor(), id, &draft).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => done(&format!("/stories/{id}"), "story-saved"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            story_page(
                &state,
                &viewer,
                Notice(None),
                id,
                Some((f, Some((status, message)))),
                CommentDraft::default(),
            )
            .await
        }
    }
}

pub async fn delete(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let slug = app::delete(&state, &viewer.actor(), id).await?;
    done(&format!("/c/{slug}/stories"), "story-deleted")
}

#[derive(Deserialize)]
pub struct EndorseForm {
    #[serde(default)]
    undo: String,
}

pub async fn endorse(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<EndorseForm>,
) -> PageResult {
    app::endorse(&state, &viewer.actor(), id, f.undo.is_empty()).await?;
    done(&format!("/stories/{id}"), "story-endorsed")
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

pub async fn comment(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<CommentForm>,
) -> PageResult {
    match app::comment(&state, &viewer.actor(), id, &f.body).await {
        Ok(c) => done(&format!("/stories/{id}#comment-{}", c.id), "comment-added"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let comment = CommentDraft {
                body: f.body,
                error: Some((status, message)),
            };
            story_page(&state, &viewer, Notice(None), id, None, comment).await
        }
    }
}

pub async fn delete_comment(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let story = app::delete_comment(&state, &viewer.actor(), id).await?;
    done(&format!("/stories/{story}"), "comment-deleted")
}
