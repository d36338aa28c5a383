//! Conversations: the list, one conversation with its messages, starting one, leaving it, and
//! blocking a person.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;

use super::attachments::{Attachment, attached_to};
use super::{
    FormError, Nav, Notice, PageResult, done, form_status, nav, refused, render_with_status,
};
use crate::auth::{PageSignedIn, PageViewer};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use crate::uploads::{FormWithFiles, guarded_upload};
use copse_app::conversations::{self, MessageInput};
use copse_app::markdown;
use copse_core::domain::uploads::{AttachedTo, StoredFile};

struct ConversationLine {
    id: i64,
    subject: String,
    people: String,
    unread: i64,
    when: String,
}

#[derive(Template)]
#[template(path = "conversations.html")]
struct ConversationsPage {
    nav: Nav,
    items: Vec<ConversationLine>,
    to: String,
    subject: String,
    body: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct ConversationsQuery {
    #[serde(default)]
    pub to: String,
}

async fn conversations_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    account: &copse_core::domain::Account,
    notice: Notice,
    form: (String, String, String),
    error: FormError,
) -> PageResult {
    let me = account.id;
    let list = conversations::list(state, &viewer.actor(), 200).await?;
    render_with_status(
        form_status(&error),
        &ConversationsPage {
            nav: nav(state, viewer, notice).await?,
            items: list
                .iter()
                .map(|c| ConversationLine {
                    id: c.id,
                    subject: c.subject.clone(),
                    people: c
                        .people
                        .iter()
                        .filter(|p| p.id != me)
                        .map(|p| p.display_name.clone())
                        .collect::<Vec<_>>()
                        .join(", "),
                    unread: c.unread,
                    when: copse_core::clock::human_date(c.last_message_at),
                })
                .collect(),
            to: form.0,
            subject: form.1,
            body: form.2,
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn conversations_list(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
    PageQuery(q): PageQuery<ConversationsQuery>,
) -> PageResult {
    conversations_page(
        &state,
        &viewer,
        &account,
        notice,
        (q.to, String::new(), String::new()),
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct StartForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

pub async fn start_conversation(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    sent: FormWithFiles,
) -> PageResult {
    let form: StartForm = sent.decode()?;
    let handles = super::events::handles(&form.to);
    let message = MessageInput {
        body: form.body.clone(),
        files: sent.files.clone(),
    };
    let actor = viewer.actor();
    let started = match &sent.problem {
        Some(problem) => Err(problem.clone()),
        None => conversations::start(&state, &actor, &handles, &form.subject, &message).await,
    };
    match started {
        Ok(c) => done(&format!("/conversations/{}", c.id), "conversation-started"),
        Err(e) => {
            let error = refused(e)?;
            conversations_page(
                &state,
                &viewer,
                &account,
                Notice(None),
                (form.to, form.subject, form.body),
                error,
            )
            .await
        }
    }
}

struct MessageLine {
    id: i64,
    author: String,
    handle: String,
    html: String,
    when: String,
    /// Why it is hidden: its words are then shown to its author only.
    hidden: Option<String>,
    may_flag: bool,
    files: Vec<Attachment>,
}

/// The messages as the page shows them, each with the files its reader may open.
fn message_lines(
    messages: &[copse_core::domain::Message],
    files: &[StoredFile],
    me: copse_core::domain::AccountId,
) -> Vec<MessageLine> {
    messages
        .iter()
        .map(|m| MessageLine {
            id: m.id,
            hidden: m.hidden.clone(),
            may_flag: m.author.id != me && m.hidden.is_none(),
            author: m.author.display_name.clone(),
            handle: m.author.handle.clone(),
            html: markdown::to_html(&m.body),
            when: copse_core::clock::human_date(m.created_at),
            files: attached_to(files, AttachedTo::Message(m.id)),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "conversation.html")]
struct ConversationPage {
    nav: Nav,
    id: i64,
    subject: String,
    people: Vec<(String, String)>,
    messages: Vec<MessageLine>,
    error: Option<String>,
    /// Where to tell a value story that came from this conversation (in its community), if
    /// the reader may.
    tell_href: Option<String>,
}

async fn conversation_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    account: &copse_core::domain::Account,
    notice: Notice,
    id: i64,
    error: FormError,
) -> PageResult {
    let me = account.id;
    let (c, messages) = conversations::open(state, &viewer.actor(), id).await?;
    let files = copse_app::files::message_files(state, &viewer.actor(), &c, &messages).await?;
    let tell_href = conversations::community_to_tell(state, &viewer.actor(), &c)
        .await?
        .map(|community| {
            let others: Vec<&str> = c
                .people
                .iter()
                .filter(|p| p.id != me)
                .map(|p| p.display_name.as_str())
                .collect();
            format!(
                "/c/{}/stories?happened={}#story-form-h",
                community.slug,
                super::communities::urlencode(&format!(
                    "A conversation with {} about “{}”.",
                    others.join(", "),
                    c.subject
                ))
            )
        });
    render_with_status(
        form_status(&error),
        &ConversationPage {
            nav: nav(state, viewer, notice).await?,
            id,
            subject: c.subject.clone(),
            people: c
                .people
                .iter()
                .filter(|p| p.id != me)
                .map(|p| (p.handle.clone(), p.display_name.clone()))
                .collect(),
            messages: message_lines(&messages, &files, me),
            error: error.map(|(_, m)| m),
            tell_href,
        },
    )
}

pub async fn conversation(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    conversation_page(&state, &viewer, &account, notice, id, None).await
}

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    body: String,
}

pub async fn send_message(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    PagePath(id): PagePath<i64>,
    sent: FormWithFiles,
) -> PageResult {
    let form: MessageForm = sent.decode()?;
    let message = MessageInput {
        body: form.body,
        files: sent.files.clone(),
    };
    let result = match &sent.problem {
        Some(problem) => Err(problem.clone()),
        None => conversations::send(&state, &viewer.actor(), id, &message).await,
    };
    match result {
        Ok(_) => done(&format!("/conversations/{id}#end"), "message-sent"),
        Err(e @ copse_core::Error::NotFound) => Err(e.into()),
        Err(e) => conversation_page(&state, &viewer, &account, Notice(None), id, refused(e)?).await,
    }
}

pub async fn leave_conversation(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    conversations::leave(&state, &viewer.actor(), id).await?;
    done("/conversations", "conversation-left")
}

#[derive(Deserialize)]
pub struct BlockForm {
    handle: String,
    #[serde(default)]
    undo: String,
}

pub async fn block(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageForm(form): PageForm<BlockForm>,
) -> PageResult {
    conversations::set_block(&state, &viewer.actor(), &form.handle, form.undo.is_empty()).await?;
    done(
        "/connections",
        if form.undo.is_empty() {
            "blocked"
        } else {
            "unblocked"
        },
    )
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route(
            "/conversations",
            get(conversations_list).merge(guarded_upload(state, start_conversation)),
        )
        .route("/conversations/{id}", get(conversation))
        .route(
            "/conversations/{id}/messages",
            guarded_upload(state, send_message),
        )
        .route(
            "/conversations/{id}/leave",
            guarded(state, leave_conversation),
        )
        .route("/blocks", guarded(state, block))
}
