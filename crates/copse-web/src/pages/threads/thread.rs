//! One thread with its replies: replying, accepting an answer, marking the canonical answer
//! and helpful replies.

use askama::Template;
use axum::extract::State;
use axum::response::IntoResponse;
use copse_app::access::{GatedThread, Post};
use copse_core::clock::human_date;
use copse_core::domain::{Reply, Space, Thread};
use copse_core::policy::Actor;
use copse_core::policy::ThreadAction as T;
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::pages::attachments::{Attachment, attached_to};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status};
use crate::state::WebState;
use crate::uploads::FormWithFiles;
use copse_app::markdown;
use copse_app::threads::{self as app};
use copse_core::domain::uploads::{AttachedTo, StoredFile};

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
    pinned: bool,
    locked: bool,
    closed: bool,
    question: bool,
    hidden: Option<String>,
    files: Vec<Attachment>,
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
    may_flag: bool,
    may_moderate: bool,
    /// Why it is hidden, when it is; its text is shown only to its author and moderators.
    hidden: Option<String>,
    files: Vec<Attachment>,
}

struct AcceptedShown {
    id: i64,
    author_handle: String,
    author_name: String,
    html: String,
}

#[derive(Template)]
#[template(path = "thread.html")]
pub(super) struct ThreadPage {
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
    may_flag: bool,
    may_moderate: bool,
    /// Other communities the moderator may move this thread to: (address, name).
    move_to: Vec<(String, String)>,
    /// Why the reader may not reply, when they are signed in and may not.
    reply_refusal: Option<String>,
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

/// One reply as the thread page shows it, with what the reader may do to it.
fn reply_shown(r: &Reply, gt: &GatedThread, actor: &Actor, files: &[StoredFile]) -> ReplyShown {
    ReplyShown {
        files: attached_to(files, AttachedTo::Reply(r.id)),
        id: r.id,
        author_handle: r.author.handle.clone(),
        author_name: r.author.display_name.clone(),
        created: human_date(r.created_at),
        edited: r.edited_at.is_some(),
        deleted: r.deleted,
        accepted: gt.thread.accepted_reply_id == Some(r.id),
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
            && gt.may_on(actor, T::MarkHelpful, Post::Reply(r)),
        may_edit: gt.may_on(actor, T::Edit, Post::Reply(r)),
        may_delete: gt.may_on(actor, T::Delete, Post::Reply(r)),
        may_flag: !r.deleted && gt.may_on(actor, T::Flag, Post::Reply(r)),
        may_moderate: !r.deleted && gt.may_on(actor, T::Moderate, Post::Reply(r)),
        hidden: r.hidden.clone(),
    }
}

impl From<&Thread> for ThreadShown {
    fn from(t: &Thread) -> Self {
        ThreadShown {
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
            pinned: t.pinned,
            locked: t.locked,
            closed: t.closed,
            question: matches!(t.kind, copse_core::domain::ThreadKind::Question),
            hidden: t.hidden.clone(),
            files: Vec::new(),
        }
    }
}

/// Why a signed-in reader may not reply (locked, silenced, not a member), in the policy's words.
fn reply_refusal(gt: &GatedThread, actor: &Actor) -> Option<String> {
    actor.account_id()?;
    let refused = gt.check_on(actor, T::Reply, Post::Thread).err()?;
    Some(PageError::from(refused).message)
}

pub(super) async fn thread_page(
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
    let files = copse_app::files::thread_files(state, &gt).await?;
    let shown = replies
        .iter()
        .map(|r| reply_shown(r, &gt, &actor, &files))
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
        may_flag: gt.may(&actor, T::Flag),
        may_moderate: gt.may(&actor, T::Moderate),
        move_to: match t.space {
            copse_core::domain::Space::Public | copse_core::domain::Space::Members
                if gt.may(&actor, T::Moderate) =>
            {
                copse_app::moderation::move_destinations(state, &actor, t.community_id).await?
            }
            _ => Vec::new(),
        },
        reply_refusal: match copse_app::moderation::my_silence(state, &actor, &gt.gated).await? {
            Some(s) => reply_refusal(&gt, &actor).map(|why| {
                format!(
                    "{why} Reason: {}",
                    s.reason.as_deref().unwrap_or("none given.")
                )
            }),
            None => reply_refusal(&gt, &actor),
        },
        signed_in: actor.account_id().is_some(),
        quoting,
        draft,
        error,
        t: ThreadShown {
            files: attached_to(&files, AttachedTo::Thread(t.id)),
            ..ThreadShown::from(t)
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
    match thread_page(&state, &viewer, notice, id, q.quote, String::new(), None).await {
        Ok(page) => render(&page),
        // A merged duplicate's old address leads to the thread it became.
        Err(e) => match app::merged_home(&state, &viewer.actor(), id).await? {
            Some(into) => {
                Ok(axum::response::Redirect::permanent(&format!("/t/{into}")).into_response())
            }
            None => Err(e),
        },
    }
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
    sent: FormWithFiles,
) -> PageResult {
    let form: ReplyForm = sent.decode()?;
    let input = app::ReplyInput {
        body: form.body.clone(),
        quote: form.quote,
        files: sent.files.clone(),
    };
    let posted = match sent.problem {
        Some(problem) => Err(problem),
        None => app::reply(&state, &viewer.actor(), id, &input).await,
    };
    match posted {
        Ok(reply) => {
            Ok(axum::response::Redirect::to(&format!("/t/{id}#reply-{reply}")).into_response())
        }
        Err(e) => {
            let (status, message) = form_problem(e)?;
            let page = thread_page(
                &state,
                &viewer,
                Notice(None),
                id,
                form.quote,
                form.body,
                Some(message),
            )
            .await?;
            render_with_status(status, &page)
        }
    }
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
