//! Private life over the API: circles and their membership, direct conversations and messages,
//! blocks, connection requests with meeting times, and people to meet.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::clock::rfc3339;
use copse_core::policy::CircleAction;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::views::PersonView;
use crate::auth::ApiViewer;
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use crate::state::WebState;
use copse_app::{circles, connections, conversations};

type ApiResult<T> = Result<T, ApiError>;

#[derive(Serialize, ToSchema)]
pub struct CircleView {
    pub id: i64,
    pub name: String,
    pub purpose: String,
    /// Listed to the community's members, or hidden (known to its members only).
    pub listed: bool,
    pub ends_at: Option<String>,
    pub member_count: i64,
    /// `host`, `member`, or null when you are not in it.
    pub your_role: Option<String>,
}

fn circle_view(
    c: &copse_core::domain::Circle,
    role: Option<copse_core::domain::CircleRole>,
) -> CircleView {
    CircleView {
        id: c.id,
        name: c.name.clone(),
        purpose: c.purpose.clone(),
        listed: c.listed,
        ends_at: c.ends_at.map(rfc3339),
        member_count: c.member_count,
        your_role: role.map(|r| match r {
            copse_core::domain::CircleRole::Host => "host".into(),
            copse_core::domain::CircleRole::Member => "member".into(),
        }),
    }
}

#[derive(Serialize, ToSchema)]
pub struct CircleList {
    pub items: Vec<CircleView>,
}

/// The community's circles you may know of: listed ones (members), and your own.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/circles", tag = "private", params(("slug" = String, Path)),
    responses(
        (status = 200, body = CircleList),
        (status = 403, description = "Private community", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn list_circles(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<CircleList>> {
    let actor = viewer.actor();
    let (_, list) = circles::list(&state, &actor, &slug).await?;
    let roles = circles::roles_in(&state, &actor, &list).await?;
    let items = list
        .iter()
        .zip(roles)
        .map(|(c, role)| circle_view(c, role))
        .collect();
    Ok(Json(CircleList { items }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCircle {
    #[schema(min_length = 3, max_length = 80)]
    pub name: String,
    #[schema(min_length = 3, max_length = 2000)]
    pub purpose: String,
    /// Listed to the community's members (default), or hidden.
    pub listed: Option<bool>,
    /// The day it ends (`2027-06-30`), if it does.
    #[schema(max_length = 40)]
    pub ends: Option<String>,
}

/// Start a circle; you become its host. Members of the community.
#[utoipa::path(post, path = "/api/v1/communities/{slug}/circles", tag = "private", security(("bearer" = [])),
    params(("slug" = String, Path)), request_body = CreateCircle,
    responses(
        (status = 201, body = CircleView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid field (named)", body = ErrorBody),
    ))]
pub async fn create_circle(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CreateCircle>,
) -> ApiResult<(StatusCode, Json<CircleView>)> {
    viewer.require()?;
    let input = circles::CircleInput {
        name: body.name,
        purpose: body.purpose,
        listed: body.listed.unwrap_or(true),
        ends: body.ends,
    };
    let c = circles::create(&state, &viewer.actor(), &slug, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(circle_view(&c, Some(copse_core::domain::CircleRole::Host))),
    ))
}

#[derive(Serialize, ToSchema)]
pub struct CircleMember {
    pub person: PersonView,
    pub role: String,
}

#[derive(Serialize, ToSchema)]
pub struct CircleRequestView {
    pub person: PersonView,
    /// `request` or `invitation`.
    pub kind: String,
    pub message: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct CircleItem {
    pub id: i64,
    pub title: String,
}

#[derive(Serialize, ToSchema)]
pub struct CircleDetail {
    pub circle: CircleView,
    /// For its members (and site admins); empty for others who may only see it listed.
    pub members: Vec<CircleMember>,
    /// Pending requests and invitations, for hosts.
    pub requests: Vec<CircleRequestView>,
    pub threads: Vec<CircleItem>,
    pub events: Vec<CircleItem>,
}

/// One circle. Listed circles show name and purpose to the community's members; what is in it
/// only to its members.
#[utoipa::path(get, path = "/api/v1/circles/{id}", tag = "private", params(("id" = i64, Path)),
    responses(
        (status = 200, body = CircleDetail),
        (status = 404, description = "No such circle, or hidden from you", body = ErrorBody),
    ))]
pub async fn get_circle(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<CircleDetail>> {
    let actor = viewer.actor();
    let gc = copse_app::access::gate_circle(&state, &actor, id, CircleAction::See).await?;
    let mut detail = CircleDetail {
        circle: circle_view(&gc.circle, gc.role),
        members: Vec::new(),
        requests: Vec::new(),
        threads: Vec::new(),
        events: Vec::new(),
    };
    if gc.may(&actor, CircleAction::Read, state.now()) {
        let (_, members, requests) = circles::people(&state, &actor, id).await?;
        let (_, threads, events) = circles::contents(&state, &actor, id).await?;
        detail.members = members
            .iter()
            .map(|(p, r)| CircleMember {
                person: PersonView::from(p),
                role: if *r == copse_core::domain::CircleRole::Host {
                    "host"
                } else {
                    "member"
                }
                .into(),
            })
            .collect();
        detail.requests = requests
            .iter()
            .map(|r| CircleRequestView {
                person: PersonView::from(&r.person),
                kind: r.kind.clone(),
                message: r.message.clone(),
            })
            .collect();
        detail.threads = threads
            .iter()
            .map(|t| CircleItem {
                id: t.id,
                title: t.title.clone(),
            })
            .collect();
        detail.events = events
            .iter()
            .map(|e| CircleItem {
                id: e.id,
                title: e.title.clone(),
            })
            .collect();
    }
    Ok(Json(detail))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinCircle {
    #[schema(max_length = 1000)]
    pub message: Option<String>,
}

/// Ask to join a listed circle.
#[utoipa::path(post, path = "/api/v1/circles/{id}/requests", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = JoinCircle,
    responses(
        (status = 204, description = "Asked"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not allowed to ask", body = ErrorBody),
        (status = 404, description = "No such circle, or hidden from you", body = ErrorBody),
        (status = 409, description = "Already asked or invited", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid message", body = ErrorBody),
    ))]
pub async fn request_circle(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<JoinCircle>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    circles::request(&state, &viewer.actor(), id, body.message.as_deref()).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HandleBody {
    #[schema(max_length = 40)]
    pub handle: String,
}

/// Invite a member of the community into the circle. Hosts.
#[utoipa::path(post, path = "/api/v1/circles/{id}/invitations", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = HandleBody,
    responses(
        (status = 204, description = "Invited"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host", body = ErrorBody),
        (status = 404, description = "No such circle, or hidden from you", body = ErrorBody),
        (status = 409, description = "Already in it, asked or invited", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown person, or not a member of the community", body = ErrorBody),
    ))]
pub async fn invite_circle(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<HandleBody>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    circles::invite(&state, &viewer.actor(), id, &body.handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    pub accept: bool,
}

/// Accept or decline your invitation to a circle.
#[utoipa::path(post, path = "/api/v1/circles/{id}/invitation", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AnswerBody,
    responses(
        (status = 204, description = "Answered"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "No invitation for you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid body", body = ErrorBody),
    ))]
pub async fn answer_circle_invitation(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    circles::answer_invitation(&state, &viewer.actor(), id, body.accept).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Admit (or decline) someone who asked to join. Hosts.
#[utoipa::path(post, path = "/api/v1/circles/{id}/requests/{handle}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path), ("handle" = String, Path)), request_body = AnswerBody,
    responses(
        (status = 204, description = "Answered"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host", body = ErrorBody),
        (status = 404, description = "No such circle or request", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown person", body = ErrorBody),
    ))]
pub async fn answer_circle_request(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath((id, handle)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    circles::answer_request(&state, &viewer.actor(), id, &handle, body.accept).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CircleRoleBody {
    /// `host`.
    #[schema(max_length = 10)]
    pub role: String,
}

/// Make a circle member a host. Hosts.
#[utoipa::path(put, path = "/api/v1/circles/{id}/members/{handle}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path), ("handle" = String, Path)), request_body = CircleRoleBody,
    responses(
        (status = 204, description = "Done"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not a host", body = ErrorBody),
        (status = 404, description = "No such circle, or hidden from you", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown person or role", body = ErrorBody),
    ))]
pub async fn set_circle_role(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath((id, handle)): ApiPath<(i64, String)>,
    ApiJson(body): ApiJson<CircleRoleBody>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    if body.role != "host" {
        return Err(copse_core::Error::invalid("role", "must be host").into());
    }
    circles::make_host(&state, &viewer.actor(), id, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove someone from a circle (hosts), or leave it (your own handle).
#[utoipa::path(delete, path = "/api/v1/circles/{id}/members/{handle}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path), ("handle" = String, Path)),
    responses(
        (status = 204, description = "Removed"),
        (status = 403, description = "Not a host", body = ErrorBody),
        (status = 404, description = "No such circle or member", body = ErrorBody),
        (status = 409, description = "The only host cannot leave", body = ErrorBody),
    ))]
pub async fn remove_circle_member(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath((id, handle)): ApiPath<(i64, String)>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    circles::remove(&state, &viewer.actor(), id, &handle).await?;
    Ok(StatusCode::NO_CONTENT)
}

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
    ApiViewer(viewer): ApiViewer,
) -> ApiResult<Json<ConversationList>> {
    let me = viewer.require()?;
    let list = conversations::list(&state, &viewer.actor(), 200).await?;
    Ok(Json(ConversationList {
        items: list.iter().map(conversation_view).collect(),
        unread: conversations::unread_count(&state, me).await?,
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
}

/// Start a conversation.
#[utoipa::path(post, path = "/api/v1/conversations", tag = "private", security(("bearer" = [])),
    request_body = StartConversation,
    responses(
        (status = 201, body = ConversationView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Someone you cannot write to, too many people, or an invalid field", body = ErrorBody),
        (status = 429, description = "Too many new conversations today", body = ErrorBody),
    ))]
pub async fn start_conversation(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<StartConversation>,
) -> ApiResult<(StatusCode, Json<ConversationView>)> {
    viewer.require()?;
    let c = conversations::start(
        &state,
        &viewer.actor(),
        &body.people,
        &body.subject,
        &body.body,
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ConversationDetail>> {
    viewer.require()?;
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    conversations::leave(&state, &viewer.actor(), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    #[schema(min_length = 1, max_length = 65536)]
    pub body: String,
}

/// Write in one of your conversations.
#[utoipa::path(post, path = "/api/v1/conversations/{id}/messages", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewMessage,
    responses(
        (status = 201, body = MessageView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "A block stands between you and someone in it", body = ErrorBody),
        (status = 404, description = "No such conversation of yours", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Empty or too long", body = ErrorBody),
    ))]
pub async fn send_message(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewMessage>,
) -> ApiResult<(StatusCode, Json<MessageView>)> {
    viewer.require()?;
    let m = conversations::send(&state, &viewer.actor(), id, &body.body).await?;
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
    ApiViewer(viewer): ApiViewer,
) -> ApiResult<Json<BlockList>> {
    viewer.require()?;
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
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
    ApiViewer(viewer): ApiViewer,
    ApiPath(handle): ApiPath<String>,
) -> ApiResult<StatusCode> {
    viewer.require()?;
    conversations::set_block(&state, &viewer.actor(), &handle, false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct ProposalView {
    pub id: i64,
    pub proposed_by_you: bool,
    pub time_zone: String,
    pub start: String,
    pub end: String,
    /// RFC 3339, UTC.
    pub starts_at: String,
}

#[derive(Serialize, ToSchema)]
pub struct ConnectionView {
    pub id: i64,
    pub from: PersonView,
    pub to: PersonView,
    pub topic: String,
    pub message: String,
    /// `pending`, `accepted`, `declined` or `withdrawn`.
    pub status: String,
    /// The conversation an accepted request opened.
    pub conversation: Option<i64>,
    /// The meeting picked, an event in both people's calendars.
    pub event: Option<i64>,
    pub proposals: Vec<ProposalView>,
    pub created_at: String,
}

fn connection_view(
    c: &copse_core::domain::Connection,
    proposals: &[copse_core::domain::Proposal],
    me: i64,
) -> ConnectionView {
    ConnectionView {
        id: c.id,
        from: PersonView::from(&c.from),
        to: PersonView::from(&c.to),
        topic: c.topic.clone(),
        message: c.message.clone(),
        status: c.status.clone(),
        conversation: c.conversation_id,
        event: c.event_id,
        proposals: proposals
            .iter()
            .map(|p| ProposalView {
                id: p.id,
                proposed_by_you: p.proposed_by == me,
                time_zone: p.time_zone.clone(),
                start: p.start_local.format("%Y-%m-%dT%H:%M").to_string(),
                end: p.end_local.format("%Y-%m-%dT%H:%M").to_string(),
                starts_at: rfc3339(p.starts_at),
            })
            .collect(),
        created_at: rfc3339(c.created_at),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ConnectionList {
    pub items: Vec<ConnectionView>,
}

/// Connection requests you sent and received.
#[utoipa::path(get, path = "/api/v1/connections", tag = "private", security(("bearer" = [])),
    responses((status = 200, body = ConnectionList)))]
pub async fn list_connections(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
) -> ApiResult<Json<ConnectionList>> {
    let me = viewer.require()?;
    let list = connections::list(&state, &viewer.actor()).await?;
    Ok(Json(ConnectionList {
        items: list
            .iter()
            .map(|c| connection_view(c, &[], me.id))
            .collect(),
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestConnection {
    /// Someone who shares a community with you.
    #[schema(max_length = 40)]
    pub handle: String,
    /// What you would like to talk about.
    #[schema(min_length = 3, max_length = 200)]
    pub topic: String,
    #[schema(min_length = 1, max_length = 2000)]
    pub message: String,
}

/// Ask someone for a conversation about a topic.
#[utoipa::path(post, path = "/api/v1/connections", tag = "private", security(("bearer" = [])),
    request_body = RequestConnection,
    responses(
        (status = 201, body = ConnectionView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 409, description = "Already asked", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Someone you cannot ask, or an invalid field", body = ErrorBody),
        (status = 429, description = "Too many requests today", body = ErrorBody),
    ))]
pub async fn request_connection(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiJson(body): ApiJson<RequestConnection>,
) -> ApiResult<(StatusCode, Json<ConnectionView>)> {
    let me = viewer.require()?.id;
    let c = connections::request(
        &state,
        &viewer.actor(),
        &body.handle,
        &body.topic,
        &body.message,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(connection_view(&c, &[], me))))
}

/// One of your connection requests with its proposed meeting times.
#[utoipa::path(get, path = "/api/v1/connections/{id}", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = ConnectionView),
        (status = 404, description = "No such request of yours", body = ErrorBody),
    ))]
pub async fn get_connection(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<ConnectionView>> {
    let me = viewer.require()?.id;
    let (c, proposals) = connections::get(&state, &viewer.actor(), id).await?;
    Ok(Json(connection_view(&c, &proposals, me)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConnectionAnswer {
    /// `accept`, `decline` (the person asked) or `withdraw` (the person who asked).
    #[schema(max_length = 10)]
    pub answer: String,
}

/// Answer a connection request.
#[utoipa::path(post, path = "/api/v1/connections/{id}/answer", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ConnectionAnswer,
    responses(
        (status = 200, body = ConnectionView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not yours to answer", body = ErrorBody),
        (status = 404, description = "No such request of yours", body = ErrorBody),
        (status = 409, description = "Already answered", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Unknown answer", body = ErrorBody),
    ))]
pub async fn answer_connection(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ConnectionAnswer>,
) -> ApiResult<Json<ConnectionView>> {
    let me = viewer.require()?.id;
    let c = connections::answer(&state, &viewer.actor(), id, &body.answer).await?;
    Ok(Json(connection_view(&c, &[], me)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeTime {
    #[schema(max_length = 64)]
    pub time_zone: String,
    /// Local start, `2027-03-10T18:00`.
    #[schema(max_length = 25)]
    pub start: String,
    #[schema(max_length = 25)]
    pub end: String,
}

/// Propose a meeting time for an accepted request (at most five).
#[utoipa::path(post, path = "/api/v1/connections/{id}/proposals", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = ProposeTime,
    responses(
        (status = 200, body = ConnectionView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 404, description = "No such request of yours", body = ErrorBody),
        (status = 409, description = "Not accepted, or a time was picked", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Invalid time", body = ErrorBody),
    ))]
pub async fn propose(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<ProposeTime>,
) -> ApiResult<Json<ConnectionView>> {
    let me = viewer.require()?.id;
    let actor = viewer.actor();
    connections::propose(&state, &actor, id, &body.time_zone, &body.start, &body.end).await?;
    let (c, proposals) = connections::get(&state, &actor, id).await?;
    Ok(Json(connection_view(&c, &proposals, me)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickTime {
    pub proposal: i64,
}

/// Pick one of the other person's proposed times: it becomes a private event in both calendars.
#[utoipa::path(post, path = "/api/v1/connections/{id}/pick", tag = "private", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PickTime,
    responses(
        (status = 200, body = ConnectionView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Your own proposal", body = ErrorBody),
        (status = 404, description = "No such request of yours", body = ErrorBody),
        (status = 409, description = "Already picked, or the time has passed", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not a proposal of this request", body = ErrorBody),
    ))]
pub async fn pick(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<PickTime>,
) -> ApiResult<Json<ConnectionView>> {
    let me = viewer.require()?.id;
    let actor = viewer.actor();
    connections::pick(&state, &actor, id, body.proposal).await?;
    let (c, proposals) = connections::get(&state, &actor, id).await?;
    Ok(Json(connection_view(&c, &proposals, me)))
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionView {
    pub person: PersonView,
    pub organisation: Option<String>,
    /// Why: shared expertise, another organisation, newcomer and experienced member.
    pub reasons: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SuggestionList {
    pub items: Vec<SuggestionView>,
}

/// People to meet in a community. Members.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/people-to-meet", tag = "private", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = SuggestionList),
        (status = 403, description = "Not a member", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn people_to_meet(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<SuggestionList>> {
    viewer.require()?;
    let list = connections::people_to_meet(&state, &viewer.actor(), &slug).await?;
    Ok(Json(SuggestionList {
        items: list
            .into_iter()
            .map(|s| SuggestionView {
                person: PersonView {
                    handle: s.handle,
                    display_name: s.display_name,
                },
                organisation: s.organisation,
                reasons: s.reasons,
            })
            .collect(),
    }))
}
