//! Pages of practice: the discussions of a community, a thread with its replies, the forms to
//! post, reply and edit, edit history, and topics.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::clock::human_date;
use copse_core::domain::{Space, Thread, ThreadKind};
use copse_core::policy::{CommunityAction as A, ThreadAction as T};
use serde::Deserialize;

use super::communities::{CommunityHead, head, urlencode};
use super::{
    Nav, Notice, PageResult, done, form_error, form_status, nav, render, render_with_status,
};
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::access::gate;
use copse_app::markdown;
use copse_app::threads::{self as app, ListInput, ThreadInput};

struct ThreadRow {
    id: i64,
    title: String,
    kind: &'static str,
    members_only: bool,
    answered: bool,
    canonical: bool,
    topics: Vec<(String, String)>,
    author: String,
    replies: i64,
    active: String,
}

impl From<&Thread> for ThreadRow {
    fn from(t: &Thread) -> Self {
        ThreadRow {
            id: t.id,
            title: t.title.clone(),
            kind: t.kind.as_str(),
            members_only: t.space == Space::Members,
            answered: t.accepted_reply_id.is_some(),
            canonical: t.canonical,
            topics: t
                .topics
                .iter()
                .map(|tp| (tp.slug.clone(), tp.name.clone()))
                .collect(),
            author: t.author.display_name.clone(),
            replies: t.reply_count,
            active: human_date(t.last_activity_at),
        }
    }
}

#[derive(Template)]
#[template(path = "community_threads.html")]
struct ThreadsPage {
    nav: Nav,
    c: CommunityHead,
    kinds: Vec<&'static str>,
    topics: Vec<(String, String)>,
    filter_kind: String,
    filter_status: String,
    filter_topic: String,
    threads: Vec<ThreadRow>,
    next_link: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ThreadsQuery {
    kind: Option<String>,
    status: Option<String>,
    topic: Option<String>,
    cursor: Option<String>,
}

pub async fn list(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<ThreadsQuery>,
) -> PageResult {
    let actor = viewer.actor();
    let input = ListInput {
        kind: q.kind.clone(),
        status: q.status.clone(),
        topic: q.topic.clone(),
        library: false,
        limit: Some(30),
        cursor: q.cursor.clone(),
    };
    let (gated, page) = app::list(&state, &actor, &slug, &input).await?;
    let topics = copse_app::communities::topics(&state, &gated).await?;
    let filters = format!(
        "kind={}&status={}&topic={}",
        urlencode(q.kind.as_deref().unwrap_or("")),
        urlencode(q.status.as_deref().unwrap_or("")),
        urlencode(q.topic.as_deref().unwrap_or(""))
    );
    render(&ThreadsPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "threads").await?,
        kinds: ThreadKind::ALL.iter().map(|k| k.as_str()).collect(),
        topics: topics.into_iter().map(|t| (t.slug, t.name)).collect(),
        filter_kind: q.kind.unwrap_or_default(),
        filter_status: q.status.unwrap_or_default(),
        filter_topic: q.topic.unwrap_or_default(),
        threads: page.items.iter().map(ThreadRow::from).collect(),
        next_link: page
            .next
            .map(|c| format!("/c/{slug}/threads?{filters}&cursor={}", c.encode())),
    })
}

struct ThreadFormValues {
    kind: String,
    space: String,
    title: String,
    body: String,
    link: String,
    topics: Vec<String>,
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
/// repeated keys, so the pairs are read as they come.
pub struct ThreadForm(ThreadFormValues);

impl<S: Send + Sync> axum::extract::FromRequest<S> for ThreadForm {
    type Rejection = PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let PageForm(pairs) = PageForm::<Vec<(String, String)>>::from_request(req, state).await?;
        let mut form = ThreadFormValues {
            kind: String::new(),
            space: String::new(),
            title: String::new(),
            body: String::new(),
            link: String::new(),
            topics: Vec::new(),
        };
        for (key, value) in pairs {
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
        title: String::new(),
        body: String::new(),
        link: String::new(),
        topics: Vec::new(),
    };
    render(&thread_form_page(&state, &viewer, &slug, None, None, form).await?)
}

pub async fn create(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    ThreadForm(form): ThreadForm,
) -> PageResult {
    match app::create(&state, &viewer.actor(), &slug, &form.input(true)).await {
        Ok(thread) => {
            Ok(axum::response::Redirect::to(&format!("/t/{}", thread.id)).into_response())
        }
        Err(e @ (copse_core::Error::Invalid { .. } | copse_core::Error::Conflict { .. })) => {
            let status = form_status(&e);
            let page =
                thread_form_page(&state, &viewer, &slug, None, Some(form_error(e)?), form).await?;
            render_with_status(status, &page)
        }
        Err(e) => Err(e.into()),
    }
}

struct ThreadShown {
    id: i64,
    title: String,
    kind: &'static str,
    members_only: bool,
    canonical: bool,
    topics: Vec<(String, String)>,
    author_handle: String,
    author_name: String,
    created: String,
    edited: bool,
    link: Option<String>,
    body_html: String,
}

struct ReplyShown {
    id: i64,
    author_handle: String,
    author_name: String,
    created: String,
    edited: bool,
    deleted: bool,
    accepted: bool,
    quote: Option<(String, String)>,
    html: String,
    helpful: i64,
    marked: bool,
    may_mark: bool,
    may_edit: bool,
    may_delete: bool,
}

struct AcceptedShown {
    id: i64,
    author_handle: String,
    author_name: String,
    html: String,
}

#[derive(Template)]
#[template(path = "thread.html")]
struct ThreadPage {
    nav: Nav,
    c: CommunityHead,
    t: ThreadShown,
    accepted: Option<AcceptedShown>,
    replies: Vec<ReplyShown>,
    may_edit: bool,
    may_delete: bool,
    may_curate: bool,
    may_accept: bool,
    may_reply: bool,
    signed_in: bool,
    quoting: Option<(i64, String, String)>,
    draft: String,
    error: Option<String>,
    /// Stories the reader may read that credit this thread.
    helped: usize,
    may_tell: bool,
}

#[derive(Deserialize, Default)]
pub struct ThreadQuery {
    quote: Option<i64>,
}

fn excerpt(text: &str, max: usize) -> String {
    markdown::excerpt(text, max)
}

async fn thread_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    id: i64,
    quote: Option<i64>,
    draft: String,
    error: Option<String>,
) -> Result<ThreadPage, PageError> {
    let actor = viewer.actor();
    let (gt, replies) = app::read(state, &actor, id).await?;
    let t = &gt.thread;
    let accepted = t
        .accepted_reply_id
        .and_then(|a| replies.iter().find(|r| r.id == a))
        .map(|r| AcceptedShown {
            id: r.id,
            author_handle: r.author.handle.clone(),
            author_name: r.author.display_name.clone(),
            html: markdown::to_html(&r.body),
        });
    let quoting = quote
        .and_then(|q| replies.iter().find(|r| r.id == q && !r.deleted))
        .map(|r| (r.id, r.author.handle.clone(), excerpt(&r.body, 200)));
    let shown = replies
        .iter()
        .map(|r| ReplyShown {
            id: r.id,
            author_handle: r.author.handle.clone(),
            author_name: r.author.display_name.clone(),
            created: human_date(r.created_at),
            edited: r.edited_at.is_some(),
            deleted: r.deleted,
            accepted: t.accepted_reply_id == Some(r.id),
            quote: r
                .quoted
                .as_ref()
                .map(|q| (q.author_handle.clone(), excerpt(&q.body, 300))),
            html: if r.deleted {
                String::new()
            } else {
                markdown::to_html(&r.body)
            },
            helpful: r.helpful,
            marked: r.marked_by_viewer,
            may_mark: actor.account_id() != Some(r.author.id)
                && gt.may_on(&actor, T::MarkHelpful, r.author.id),
            may_edit: gt.may_on(&actor, T::Edit, r.author.id),
            may_delete: gt.may_on(&actor, T::Delete, r.author.id),
        })
        .collect();
    let helped = copse_app::value::helped(state, &actor, "thread", t.id).await?;
    let may_tell = gt
        .gated
        .standing
        .role
        .is_some_and(copse_core::domain::Role::is_member);
    Ok(ThreadPage {
        helped,
        may_tell,
        nav: nav(state, viewer, notice).await?,
        c: head(state, &actor, &gt.gated, "threads").await?,
        accepted,
        replies: shown,
        may_edit: gt.may(&actor, T::Edit),
        may_delete: gt.may(&actor, T::Delete),
        may_curate: gt.may(&actor, T::Curate),
        may_accept: gt.may(&actor, T::Accept),
        may_reply: gt.may(&actor, T::Reply),
        signed_in: actor.account_id().is_some(),
        quoting,
        draft,
        error,
        t: ThreadShown {
            id: t.id,
            title: t.title.clone(),
            kind: t.kind.as_str(),
            members_only: t.space == Space::Members,
            canonical: t.canonical,
            topics: t
                .topics
                .iter()
                .map(|tp| (tp.slug.clone(), tp.name.clone()))
                .collect(),
            author_handle: t.author.handle.clone(),
            author_name: t.author.display_name.clone(),
            created: human_date(t.created_at),
            edited: t.edited_at.is_some(),
            link: t.link.clone(),
            body_html: markdown::to_html(&t.body),
        },
    })
}

pub async fn show(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<ThreadQuery>,
) -> PageResult {
    render(&thread_page(&state, &viewer, notice, id, q.quote, String::new(), None).await?)
}

#[derive(Deserialize)]
pub struct ReplyForm {
    body: String,
    quote: Option<i64>,
}

pub async fn reply(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ReplyForm>,
) -> PageResult {
    match app::reply(&state, &viewer.actor(), id, &form.body, form.quote).await {
        Ok(reply) => {
            Ok(axum::response::Redirect::to(&format!("/t/{id}#reply-{reply}")).into_response())
        }
        Err(e @ copse_core::Error::Invalid { .. }) => {
            let status = form_status(&e);
            let page = thread_page(
                &state,
                &viewer,
                Notice(None),
                id,
                form.quote,
                form.body,
                Some(form_error(e)?),
            )
            .await?;
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
            let status = form_status(&e);
            let gt = copse_app::access::gate_thread(&state, &actor, id, T::Edit).await?;
            let page = thread_form_page(
                &state,
                &viewer,
                &gt.gated.community.slug,
                Some(id),
                Some(form_error(e)?),
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

#[derive(Deserialize)]
pub struct AcceptForm {
    reply_id: i64,
}

pub async fn accept(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<AcceptForm>,
) -> PageResult {
    app::accept(&state, &viewer.actor(), id, Some(form.reply_id)).await?;
    done(&format!("/t/{id}"), "accepted")
}

/// A yes/no form: `canonical=true` or `helpful=false`.
#[derive(Deserialize)]
pub struct FlagForm {
    #[serde(alias = "canonical", alias = "helpful")]
    flag: String,
}

pub async fn canonical(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<FlagForm>,
) -> PageResult {
    app::set_canonical(&state, &viewer.actor(), id, form.flag == "true").await?;
    done(&format!("/t/{id}"), "saved")
}

pub async fn helpful(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<FlagForm>,
) -> PageResult {
    let thread = app::helpful(&state, &viewer.actor(), id, form.flag == "true").await?;
    Ok(axum::response::Redirect::to(&format!("/t/{thread}#reply-{id}")).into_response())
}

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
            let status = form_status(&e);
            let (gt, _) =
                copse_app::access::gate_reply(&state, &viewer.actor(), id, T::Edit).await?;
            render_with_status(
                status,
                &ReplyEditPage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    thread_id: gt.thread.id,
                    reply_id: id,
                    body: form.body,
                    error: Some(form_error(e)?),
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
            let status = form_status(&e);
            let page =
                topics_page(&state, &viewer, Notice(None), &slug, Some(form_error(e)?)).await?;
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
                Some(form_error(e)?),
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

/// A library shelf: a topic name and its (id, title, kind) items.
type Shelf = (String, Vec<(i64, String, &'static str)>);
/// People who answered in a topic: (handle, name, accepted, helpful).
type ExpertGroup = (String, Vec<(String, String, i64, i64)>);

#[derive(Template)]
#[template(path = "library.html")]
struct LibraryPage {
    nav: Nav,
    c: CommunityHead,
    groups: Vec<Shelf>,
}

/// The library, grouped by topic (a thread with several topics is on each shelf).
pub async fn library(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let input = ListInput {
        library: true,
        limit: Some(200),
        ..ListInput::default()
    };
    let (gated, page) = app::list(&state, &actor, &slug, &input).await?;
    let mut groups: Vec<Shelf> = Vec::new();
    for t in &page.items {
        let shelves: Vec<String> = if t.topics.is_empty() {
            vec!["Other".to_string()]
        } else {
            t.topics.iter().map(|tp| tp.name.clone()).collect()
        };
        for shelf in shelves {
            let item = (t.id, t.title.clone(), t.kind.as_str());
            match groups.iter_mut().find(|g| g.0 == shelf) {
                Some(g) => g.1.push(item),
                None => groups.push((shelf, vec![item])),
            }
        }
    }
    groups.sort_by(|a, b| (a.0 == "Other").cmp(&(b.0 == "Other")).then(a.0.cmp(&b.0)));
    render(&LibraryPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "library").await?,
        groups,
    })
}

#[derive(Template)]
#[template(path = "experts.html")]
struct ExpertsPage {
    nav: Nav,
    c: CommunityHead,
    earned: Vec<ExpertGroup>,
    declared: Vec<(String, Vec<(String, String)>)>,
}

pub async fn experts(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, earned, declared) = app::experts(&state, &actor, &slug).await?;
    let mut by_topic: Vec<ExpertGroup> = Vec::new();
    for e in earned {
        let person = (e.handle, e.display_name, e.accepted, e.helpful);
        match by_topic.iter_mut().find(|g| g.0 == e.topic_name) {
            Some(g) => g.1.push(person),
            None => by_topic.push((e.topic_name, vec![person])),
        }
    }
    let mut by_label: Vec<(String, Vec<(String, String)>)> = Vec::new();
    for (label, handle, name) in declared {
        match by_label
            .iter_mut()
            .find(|g| g.0.eq_ignore_ascii_case(&label))
        {
            Some(g) => g.1.push((handle, name)),
            None => by_label.push((label, vec![(handle, name)])),
        }
    }
    render(&ExpertsPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "experts").await?,
        earned: by_topic,
        declared: by_label,
    })
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new().merge(routes_1(state)).merge(routes_2(state))
}

fn routes_1(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/threads", get(list))
        .route(
            "/c/{slug}/threads/new",
            get(new_form).merge(guarded(state, create)),
        )
        .route(
            "/c/{slug}/topics",
            get(topics).merge(guarded(state, create_topic)),
        )
        .route("/c/{slug}/topics/{topic}", get(topic_page))
        .route("/c/{slug}/library", get(library))
        .route("/c/{slug}/experts", get(experts))
        .route(
            "/c/{slug}/topics/{topic}/follow",
            guarded(state, follow_topic),
        )
        .route(
            "/c/{slug}/topics/{topic}/rename",
            guarded(state, rename_topic),
        )
        .route(
            "/c/{slug}/topics/{topic}/merge",
            guarded(state, merge_topic),
        )
        .route("/t/{id}", get(show))
        .route("/t/{id}/replies", guarded(state, reply))
        .route("/t/{id}/edit", get(edit_form).merge(guarded(state, edit)))
}

fn routes_2(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/t/{id}/delete", guarded(state, delete))
        .route("/t/{id}/accept", guarded(state, accept))
        .route("/t/{id}/canonical", guarded(state, canonical))
        .route("/t/{id}/history", get(thread_history))
        .route(
            "/r/{id}/edit",
            get(edit_reply_form).merge(guarded(state, edit_reply)),
        )
        .route("/r/{id}/delete", guarded(state, delete_reply))
        .route("/r/{id}/helpful", guarded(state, helpful))
        .route("/r/{id}/history", get(reply_history))
}
