//! Posting and editing a thread: the form (shown again with the problem named), creating,
//! editing and deleting.

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;
use copse_core::policy::{CommunityAction as A, ThreadAction as T};
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PagePath, PageQuery};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status};
use crate::state::WebState;
use crate::uploads::FormWithFiles;
use copse_app::access::gate;
use copse_app::threads::{self as app, ThreadInput};

struct ThreadFormValues {
    kind: String,
    space: String,
    title: String,
    body: String,
    link: String,
    topics: Vec<String>,
    /// Uploads the form carried (ids), and the problem that stopped one.
    files: Vec<String>,
    upload_problem: Option<copse_core::Error>,
}

#[derive(Template)]
#[template(path = "thread_form.html")]
struct ThreadFormPage {
    nav: Nav,
    c: CommunityHead,
    editing: bool,
    action: String,
    may_announce: bool,
    error: Option<String>,
    form: ThreadFormValues,
    topics: Vec<(String, String)>,
}

/// The thread form sends one `topics` field per ticked box; serde_urlencoded cannot gather
/// repeated keys, so the pairs are read as they come. It may carry files (multipart).
pub struct ThreadForm(ThreadFormValues);

impl axum::extract::FromRequest<WebState> for ThreadForm {
    type Rejection = PageError;

    async fn from_request(
        req: axum::extract::Request,
        state: &WebState,
    ) -> Result<Self, Self::Rejection> {
        let sent = FormWithFiles::from_request(req, state).await?;
        let mut form = ThreadFormValues::empty();
        form.files = sent.files;
        form.upload_problem = sent.problem;
        for (key, value) in sent.pairs {
            match key.as_str() {
                "kind" => form.kind = value,
                "space" => form.space = value,
                "title" => form.title = value,
                "body" => form.body = value,
                "link" => form.link = value,
                "topics" => form.topics.push(value),
                _ => {}
            }
        }
        Ok(ThreadForm(form))
    }
}

impl ThreadFormValues {
    fn empty() -> ThreadFormValues {
        ThreadFormValues {
            kind: String::new(),
            space: String::new(),
            title: String::new(),
            body: String::new(),
            link: String::new(),
            topics: Vec::new(),
            files: Vec::new(),
            upload_problem: None,
        }
    }

    fn input(&self, creating: bool) -> ThreadInput {
        ThreadInput {
            kind: creating
                .then(|| self.kind.clone())
                .filter(|k| !k.is_empty()),
            space: creating
                .then(|| self.space.clone())
                .filter(|s| !s.is_empty()),
            title: Some(self.title.clone()),
            body: Some(self.body.clone()),
            link: Some(self.link.clone()),
            topics: Some(self.topics.clone()),
            circle: None,
            files: self.files.clone(),
        }
    }
}

async fn thread_form_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    slug: &str,
    editing: Option<i64>,
    error: Option<String>,
    form: ThreadFormValues,
) -> Result<ThreadFormPage, PageError> {
    let actor = viewer.actor();
    let gated = gate(state, &actor, slug, A::ReadPublic).await?;
    let topics = copse_app::communities::topics(state, &gated).await?;
    Ok(ThreadFormPage {
        nav: nav(state, viewer, Notice(None)).await?,
        may_announce: gated.may(&actor, A::Announce),
        c: head(state, &actor, &gated, "threads").await?,
        editing: editing.is_some(),
        action: match editing {
            Some(id) => format!("/t/{id}/edit"),
            None => format!("/c/{slug}/threads/new"),
        },
        error,
        form,
        topics: topics.into_iter().map(|t| (t.slug, t.name)).collect(),
    })
}

#[derive(Deserialize, Default)]
pub struct NewThreadQuery {
    kind: Option<String>,
}

pub async fn new_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<NewThreadQuery>,
) -> PageResult {
    gate(&state, &viewer.actor(), &slug, A::Post).await?;
    let form = ThreadFormValues {
        kind: q.kind.unwrap_or_else(|| "discussion".into()),
        space: "public".into(),
        ..ThreadFormValues::empty()
    };
    render(&thread_form_page(&state, &viewer, &slug, None, None, form).await?)
}

pub async fn create(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    ThreadForm(form): ThreadForm,
) -> PageResult {
    let created = match form.upload_problem.clone() {
        Some(problem) => Err(problem),
        None => app::create(&state, &viewer.actor(), &slug, &form.input(true)).await,
    };
    match created {
        Ok(thread) => {
            Ok(axum::response::Redirect::to(&format!("/t/{}", thread.id)).into_response())
        }
        // A limit reached keeps the draft on the form, with when to try again.
        Err(
            e @ (copse_core::Error::Invalid { .. }
            | copse_core::Error::Conflict { .. }
            | copse_core::Error::TooManyRequests { .. }
            | copse_core::Error::TooLarge { .. }),
        ) => {
            let (status, message) = form_problem(e)?;
            let page = thread_form_page(&state, &viewer, &slug, None, Some(message), form).await?;
            render_with_status(status, &page)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn edit_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let gt = copse_app::access::gate_thread(&state, &viewer.actor(), id, T::Edit).await?;
    let t = &gt.thread;
    let form = ThreadFormValues {
        kind: t.kind.as_str().into(),
        space: t.space.as_str().into(),
        title: t.title.clone(),
        body: t.body.clone(),
        link: t.link.clone().unwrap_or_default(),
        topics: t.topics.iter().map(|tp| tp.slug.clone()).collect(),
        ..ThreadFormValues::empty()
    };
    render(
        &thread_form_page(
            &state,
            &viewer,
            &gt.gated.community.slug,
            Some(id),
            None,
            form,
        )
        .await?,
    )
}

pub async fn edit(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    ThreadForm(form): ThreadForm,
) -> PageResult {
    let actor = viewer.actor();
    match app::edit(&state, &actor, id, &form.input(false)).await {
        Ok(_) => Ok(axum::response::Redirect::to(&format!("/t/{id}")).into_response()),
        Err(e @ copse_core::Error::Invalid { .. }) => {
            let (status, message) = form_problem(e)?;
            let gt = copse_app::access::gate_thread(&state, &actor, id, T::Edit).await?;
            let page = thread_form_page(
                &state,
                &viewer,
                &gt.gated.community.slug,
                Some(id),
                Some(message),
                form,
            )
            .await?;
            render_with_status(status, &page)
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn delete(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let gated = app::delete(&state, &viewer.actor(), id).await?;
    done(
        &format!("/c/{}/threads", gated.community.slug),
        "thread-deleted",
    )
}
