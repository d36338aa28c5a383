//! Conversations over the API: direct conversations and their messages, and blocks.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::views::PersonView;
use crate::auth::ApiSignedIn;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;
use copse_app::conversations::{self, MessageInput};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct ConversationView {
    pub id: i64,
    pub subject: String,
    pub people: Vec<PersonView>,
    pub unread: i64,
    pub last_message_at: String,
}

fn conversation_view(c: &copse_core::domain::Conversation) -> ConversationView {
    ConversationView {
        id: c.id,
        subject: c.subject.clone(),
        people: c.people.iter().map(PersonView::from).collect(),
        unread: c.unread,
        last_message_at: rfc3339(c.last_message_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConversationList {
    pub items: Vec<ConversationView>,
    /// Conversations with unread messages.
    pub unread: i64,
}

/// Your conversations, newest first.
#[utoipa::path(get, path = "/api/v1/conversations", tag = "private", security(("bearer" = [])),
    responses((status = 200, body = ConversationList)))]
pub async fn list_conversations(
    State(state): State<WebState>,
    ApiSignedIn(viewer, me): ApiSignedIn,
) -> ApiResult<Json<ConversationList>> {
    let list = conversations::list(&state, &viewer.actor(), 200).await?;
    Ok(Json(ConversationList {
        items: list.iter().map(conversation_view).collect(),
        unread: conversations::unread_count(&state, &me).await?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StartConversation {
    /// Handles of the people to write to (who share a community with you), at most 19.
    #[schema(max_items = 19)]
    pub people: Vec<String>,
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    /// The first message, Markdown.
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
    /// Your uploads (`POST /api/v1/files`) to attach; files the body links to are attached too.
    #[schema(max_items = 10)]
    pub files: Option<Vec<String>>,
}

/// Start a conversation.
#[utoipa::path(post, path = "/api/v1/conversations", tag = "private", security(("bearer" = [])),
    request_body = StartConversation,
    responses(
        (status = 201, body = ConversationView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Your e-mail address is not verified yet", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Someone you cannot write to, too many people, or an invalid field", body = ErrorBody),
        (status = 429, description = "Too many new conversations today", body = ErrorBody),
    ))]
pub async fn start_conversation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiJson(body): ApiJson<StartConversation>,
) -> ApiResult<(StatusCode, Json<ConversationView>)> {
    let c = conversations::start(
        &state,
        &viewer.actor(),
        &body.people,
        &body.subject,
        &MessageInput {
            body: body.body.clone(),
            files: body.files.clone().unwrap_or_default(),
        },
    )
    .await?;
    Ok((StatusCode::CREATED, Json(conversation_view(&c))))
}

#[derive(Serialize, ToSchema)]
pub struct MessageView {
    pub id: i64,
    pub author: PersonView,
    /// Markdown.
    pub body: String,
    pub created_at: String,
    /// Why it is hidden (flagged, or by a moderator): its words are then empty for everyone
    /// but its author.
    pub hidden: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ConversationDetail {
    pub conversation: ConversationView,
    pub messages: Vec<MessageView>,
}

fn message_view(m: &copse_core::domain::Message) -> MessageView {
    MessageView {
        id: m.id,
        author: PersonView::from(&m.author),
        body: m.body.clone(),
        created_at: rfc3339(m.created_at),
        hidden: m.hidden.clone(),
    }
}

/// One of your conversations with its messages; reading it marks it read.
#[utoipa::path(get, path = "/api/v1/conversations/{id}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = ConversationDetail),
        (status = 404, description = "No such conversation of yours", body = ErrorBody),
    ))]
pub async fn get_conversation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ConversationDetail>> {
    let (c, messages) = conversations::open(&state, &viewer.actor(), id).await?;
    Ok(Json(ConversationDetail {
        conversation: conversation_view(&c),
        messages: messages.iter().map(message_view).collect(),
    }))
}

/// Leave a conversation.
#[utoipa::path(delete, path = "/api/v1/conversations/{id}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Left"),
        (status = 404, description = "No such conversation of yours", body = ErrorBody),
    ))]
pub async fn leave_conversation(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    conversations::leave(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
    /// Your uploads (`POST /api/v1/files`) to attach; files the body links to are attached too.
    #[schema(max_items = 10)]
    pub files: Option<Vec<String>>,
}

/// Write in one of your conversations.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewMessage,
    responses(
        (status = 201, body = MessageView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "A block stands between you and someone in it, or your e-mail address is not verified yet", body = ErrorBody),
        (status = 404, description = "No such conversation of yours", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    ))]
pub async fn send_message(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewMessage>,
) -> ApiResult<(StatusCode, Json<MessageView>)> {
    let message = MessageInput {
        body: body.body,
        files: body.files.unwrap_or_default(),
    };
    let m = conversations::send(&state, &viewer.actor(), id, &message).await?;
    Ok((StatusCode::CREATED, Json(message_view(&m))))
}

#[derive(Serialize, ToSchema)]
pub struct BlockList {
    pub items: Vec<PersonView>,
}

/// The people you blocked.
#[utoipa::path(get, path = "/api/v1/me/blocks", tag = "private", security(("bearer" = [])),
    responses((status = 200, body = BlockList)))]
pub async fn blocks(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
) -> ApiResult<Json<BlockList>> {
    Ok(Json(BlockList {
        items: conversations::blocked(&state, &viewer.actor())
            .await?
            .iter()
            .map(PersonView::from)
            .collect(),
    }))
}

/// Block someone: no new messages and no connection requests between you.
#[utoipa::path(put, path = "/api/v1/me/blocks/{handle}", tag = "private", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses(
        (status = 204, description = "Blocked"),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 422, description = "Yourself", body = ErrorBody),
    ))]
pub async fn block(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<StatusCode> {
    conversations::set_block(&state, &viewer.actor(), &handle, true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unblock someone.
#[utoipa::path(delete, path = "/api/v1/me/blocks/{handle}", tag = "private", security(("bearer" = [])),
    params(("handle" = String, Path)),
    responses(
        (status = 204, description = "Unblocked"),
        (status = 404, description = "No such person", body = ErrorBody),
        (status = 422, description = "Yourself", body = ErrorBody),
    ))]
pub async fn unblock(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<StatusCode> {
    conversations::set_block(&state, &viewer.actor(), &handle, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(list_conversations, start_conversation))
        .routes(routes!(get_conversation, leave_conversation))
        .routes(routes!(send_message))
        .routes(routes!(blocks))
        .routes(routes!(block, unblock))
}
