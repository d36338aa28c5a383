//! Pages of private life: a community's circles and one circle, conversations, connection
//! requests with meeting times, people to meet, and blocking.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::policy::CircleAction;
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_error, form_status, nav, render_with_status};
use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use axum::http::StatusCode;
use copse_app::markdown;
use copse_app::{circles, connections, conversations};

type FormError = Option<(StatusCode, String)>;

fn status(error: &FormError) -> StatusCode {
    error.as_ref().map_or(StatusCode::OK, |(s, _)| *s)
}

fn refused(e: copse_core::Error) -> Result<FormError, crate::error::PageError> {
    let s = form_status(&e);
    Ok(Some((s, form_error(e)?)))
}

#[derive(Template)]
#[template(path = "circles.html")]
struct CirclesPage {
    nav: Nav,
    c: CommunityHead,
    circles: Vec<copse_core::domain::Circle>,
    may_create: bool,
    error: Option<String>,
}

async fn circles_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    slug: &str,
    error: FormError,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, list) = circles::list(state, &actor, slug).await?;
    render_with_status(
        status(&error),
        &CirclesPage {
            nav: nav(state, viewer, notice).await?,
            may_create: gated.may(&actor, copse_core::policy::CommunityAction::Post),
            c: head(state, &actor, &gated, "circles").await?,
            circles: list,
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn circles_list(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    circles_page(&state, &viewer, notice, &slug, None).await
}

#[derive(Deserialize)]
pub struct CircleForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    purpose: String,
    #[serde(default)]
    hidden: String,
    #[serde(default)]
    ends: String,
}

pub async fn create_circle(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<CircleForm>,
) -> PageResult {
    let input = circles::CircleInput {
        name: form.name,
        purpose: form.purpose,
        listed: form.hidden.is_empty(),
        ends: Some(form.ends),
    };
    match circles::create(&state, &viewer.actor(), &slug, &input).await {
        Ok(c) => done(&format!("/circles/{}", c.id), "circle-created"),
        Err(e) => circles_page(&state, &viewer, Notice(None), &slug, refused(e)?).await,
    }
}

struct ThreadLine {
    id: i64,
    title: String,
}

#[derive(Template)]
#[template(path = "circle.html")]
struct CirclePage {
    nav: Nav,
    c: CommunityHead,
    circle: copse_core::domain::Circle,
    purpose_html: String,
    ended: bool,
    may_read: bool,
    may_post: bool,
    may_manage: bool,
    may_request: bool,
    in_circle: bool,
    invited: bool,
    requested: bool,
    members: Vec<(String, String, bool)>,
    requests: Vec<(String, String, String, String)>,
    threads: Vec<ThreadLine>,
    events: Vec<ThreadLine>,
    error: Option<String>,
}

async fn circle_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    id: i64,
    error: FormError,
) -> PageResult {
    let actor = viewer.actor();
    let (gc, pending) = circles::for_page(state, &actor, id).await?;
    let now = state.now();
    let may_read = gc.may(&actor, CircleAction::Read, now);
    let (mut members, mut requests, mut threads, mut events) = (vec![], vec![], vec![], vec![]);
    if may_read {
        let (_, people, reqs) = circles::people(state, &actor, id).await?;
        members = people
            .iter()
            .map(|(p, r)| {
                (
                    p.handle.clone(),
                    p.display_name.clone(),
                    *r == copse_core::domain::CircleRole::Host,
                )
            })
            .collect();
        requests = reqs
            .iter()
            .map(|r| {
                (
                    r.person.handle.clone(),
                    r.person.display_name.clone(),
                    r.kind.clone(),
                    r.message.clone().unwrap_or_default(),
                )
            })
            .collect();
        let (_, ts, es) = circles::contents(state, &actor, id).await?;
        threads = ts
            .iter()
            .map(|t| ThreadLine {
                id: t.id,
                title: t.title.clone(),
            })
            .collect();
        events = es
            .iter()
            .map(|e| ThreadLine {
                id: e.id,
                title: e.title.clone(),
            })
            .collect();
    }
    let head_c = head(state, &actor, &gc.gated, "circles").await?;
    render_with_status(
        status(&error),
        &CirclePage {
            nav: nav(state, viewer, notice).await?,
            c: head_c,
            purpose_html: markdown::to_html(&gc.circle.purpose),
            ended: gc.circle.ended(now),
            may_read,
            may_post: gc.may(&actor, CircleAction::Post, now),
            may_manage: gc.may(&actor, CircleAction::Manage, now),
            may_request: gc.may(&actor, CircleAction::RequestToJoin, now) && pending.is_none(),
            in_circle: gc.role.is_some(),
            invited: pending.as_deref() == Some("invitation"),
            requested: pending.as_deref() == Some("request"),
            circle: gc.circle,
            members,
            requests,
            threads,
            events,
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn circle(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    circle_page(&state, &viewer, notice, id, None).await
}

#[derive(Deserialize)]
pub struct CircleActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    handle: String,
    #[serde(default)]
    message: String,
}

/// One form endpoint for a circle's buttons: ask, invite, admit, decline, accept, leave, remove.
pub async fn circle_action(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CircleActionForm>,
) -> PageResult {
    let actor = viewer.actor();
    let mine = viewer.require()?.handle.clone();
    let (result, notice) = match form.action.as_str() {
        "ask" => (
            circles::request(&state, &actor, id, Some(&form.message)).await,
            "circle-asked",
        ),
        "invite" => (
            circles::invite(&state, &actor, id, &form.handle).await,
            "circle-invited",
        ),
        "admit" => (
            circles::answer_request(&state, &actor, id, &form.handle, true).await,
            "circle-admitted",
        ),
        "decline" => (
            circles::answer_request(&state, &actor, id, &form.handle, false).await,
            "circle-declined",
        ),
        "accept-invitation" => (
            circles::answer_invitation(&state, &actor, id, true).await,
            "circle-joined",
        ),
        "decline-invitation" => (
            circles::answer_invitation(&state, &actor, id, false).await,
            "circle-declined",
        ),
        "leave" => (
            circles::remove(&state, &actor, id, &mine).await,
            "circle-left",
        ),
        "remove" => (
            circles::remove(&state, &actor, id, &form.handle).await,
            "circle-removed",
        ),
        "host" => (
            circles::make_host(&state, &actor, id, &form.handle).await,
            "circle-host",
        ),
        _ => (
            Err(copse_core::Error::invalid(
                "action",
                "is not a circle action",
            )),
            "",
        ),
    };
    match result {
        Ok(())
            if notice == "circle-left"
                || notice == "circle-declined" && form.action == "decline-invitation" =>
        {
            done("/", notice)
        }
        Ok(()) => done(&format!("/circles/{id}"), notice),
        Err(e @ copse_core::Error::NotFound) => Err(e.into()),
        Err(e) => circle_page(&state, &viewer, Notice(None), id, refused(e)?).await,
    }
}

#[derive(Deserialize)]
pub struct CircleThreadForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
}

/// Starts a thread in the circle.
pub async fn circle_thread(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CircleThreadForm>,
) -> PageResult {
    let actor = viewer.actor();
    let gc = copse_app::access::gate_circle(&state, &actor, id, CircleAction::See).await?;
    let input = copse_app::threads::ThreadInput {
        kind: Some("discussion".into()),
        space: Some("circle".into()),
        title: Some(form.title),
        body: Some(form.body),
        circle: Some(id),
        ..Default::default()
    };
    match copse_app::threads::create(&state, &actor, &gc.gated.community.slug, &input).await {
        Ok(t) => done(&format!("/t/{}", t.id), "thread-created"),
        Err(e) => circle_page(&state, &viewer, Notice(None), id, refused(e)?).await,
    }
}

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
    to: String,
}

async fn conversations_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    form: (String, String, String),
    error: FormError,
) -> PageResult {
    let me = viewer.require()?.id;
    let list = conversations::list(state, &viewer.actor(), 200).await?;
    render_with_status(
        status(&error),
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
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PageQuery(q): PageQuery<ConversationsQuery>,
) -> PageResult {
    conversations_page(
        &state,
        &viewer,
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
    PageViewer(viewer): PageViewer,
    PageForm(form): PageForm<StartForm>,
) -> PageResult {
    let handles = super::events::handles(&form.to);
    match conversations::start(&state, &viewer.actor(), &handles, &form.subject, &form.body).await {
        Ok(c) => done(&format!("/conversations/{}", c.id), "conversation-started"),
        Err(e) => {
            let error = refused(e)?;
            conversations_page(
                &state,
                &viewer,
                Notice(None),
                (form.to, form.subject, form.body),
                error,
            )
            .await
        }
    }
}

struct MessageLine {
    author: String,
    handle: String,
    html: String,
    when: String,
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
    notice: Notice,
    id: i64,
    error: FormError,
) -> PageResult {
    let me = viewer.require()?.id;
    let (c, messages) = conversations::open(state, &viewer.actor(), id).await?;
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
        status(&error),
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
            messages: messages
                .iter()
                .map(|m| MessageLine {
                    author: m.author.display_name.clone(),
                    handle: m.author.handle.clone(),
                    html: markdown::to_html(&m.body),
                    when: copse_core::clock::human_date(m.created_at),
                })
                .collect(),
            error: error.map(|(_, m)| m),
            tell_href,
        },
    )
}

pub async fn conversation(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    conversation_page(&state, &viewer, notice, id, None).await
}

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    body: String,
}

pub async fn send_message(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<MessageForm>,
) -> PageResult {
    match conversations::send(&state, &viewer.actor(), id, &form.body).await {
        Ok(_) => done(&format!("/conversations/{id}#end"), "message-sent"),
        Err(e @ copse_core::Error::NotFound) => Err(e.into()),
        Err(e) => conversation_page(&state, &viewer, Notice(None), id, refused(e)?).await,
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

struct ConnectionLine {
    id: i64,
    incoming: bool,
    other: String,
    other_handle: String,
    topic: String,
    message: String,
    status: String,
    conversation: Option<i64>,
    event: Option<i64>,
    proposals: Vec<(i64, String, bool)>,
}

#[derive(Template)]
#[template(path = "connections.html")]
struct ConnectionsPage {
    nav: Nav,
    items: Vec<ConnectionLine>,
    blocked: Vec<(String, String)>,
    to: String,
    topic: String,
    message: String,
    error: Option<String>,
}

async fn connections_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    form: (String, String, String),
    error: FormError,
) -> PageResult {
    let me = viewer.require()?.id;
    let actor = viewer.actor();
    let mut items = Vec::new();
    for c in connections::list(state, &actor).await? {
        let proposals = connections::proposals(state, &actor, &c).await?;
        let incoming = c.to.id == me;
        let other = if incoming { &c.from } else { &c.to };
        items.push(ConnectionLine {
            id: c.id,
            incoming,
            other: other.display_name.clone(),
            other_handle: other.handle.clone(),
            topic: c.topic.clone(),
            message: c.message.clone(),
            status: c.status.clone(),
            conversation: c.conversation_id,
            event: c.event_id,
            proposals: proposals
                .iter()
                .map(|p| (p.id, connections::proposal_text(p), p.proposed_by != me))
                .collect(),
        });
    }
    render_with_status(
        status(&error),
        &ConnectionsPage {
            nav: nav(state, viewer, notice).await?,
            items,
            blocked: conversations::blocked(state, &actor)
                .await?
                .iter()
                .map(|p| (p.handle.clone(), p.display_name.clone()))
                .collect(),
            to: form.0,
            topic: form.1,
            message: form.2,
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn connections_list(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PageQuery(q): PageQuery<ConversationsQuery>,
) -> PageResult {
    connections_page(
        &state,
        &viewer,
        notice,
        (q.to, String::new(), String::new()),
        None,
    )
    .await
}

#[derive(Deserialize)]
pub struct RequestForm {
    #[serde(default)]
    to: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    message: String,
}

pub async fn request_connection(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PageForm(form): PageForm<RequestForm>,
) -> PageResult {
    match connections::request(
        &state,
        &viewer.actor(),
        &form.to,
        &form.topic,
        &form.message,
    )
    .await
    {
        Ok(_) => done("/connections", "connection-sent"),
        Err(e) => {
            let error = refused(e)?;
            connections_page(
                &state,
                &viewer,
                Notice(None),
                (form.to, form.topic, form.message),
                error,
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct ConnectionActionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    proposal: String,
}

pub async fn connection_action(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<ConnectionActionForm>,
) -> PageResult {
    let actor = viewer.actor();
    let result = match form.action.as_str() {
        "accept" | "decline" | "withdraw" => connections::answer(&state, &actor, id, &form.action)
            .await
            .map(|_| "connection-answered"),
        "propose" => {
            connections::propose(&state, &actor, id, &form.time_zone, &form.start, &form.end)
                .await
                .map(|_| "time-proposed")
        }
        "pick" => match form.proposal.parse::<i64>() {
            Ok(p) => connections::pick(&state, &actor, id, p)
                .await
                .map(|_| "time-picked"),
            Err(_) => Err(copse_core::Error::invalid(
                "proposal",
                "pick one of the times",
            )),
        },
        _ => Err(copse_core::Error::invalid(
            "action",
            "is not a connection action",
        )),
    };
    match result {
        Ok(notice) => done("/connections", notice),
        Err(e @ copse_core::Error::NotFound) => Err(e.into()),
        Err(e) => {
            let error = refused(e)?;
            connections_page(&state, &viewer, Notice(None), Default::default(), error).await
        }
    }
}

#[derive(Template)]
#[template(path = "people_to_meet.html")]
struct PeoplePage {
    nav: Nav,
    c: CommunityHead,
    people: Vec<connections::Suggestion>,
}

pub async fn people_to_meet(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let people = connections::people_to_meet(&state, &actor, &slug).await?;
    let gated = copse_app::access::gate(
        &state,
        &actor,
        &slug,
        copse_core::policy::CommunityAction::ReadMembersOnly,
    )
    .await?;
    render_with_status(
        StatusCode::OK,
        &PeoplePage {
            nav: nav(&state, &viewer, notice).await?,
            c: head(&state, &actor, &gated, "people").await?,
            people,
        },
    )
}

#[derive(Deserialize)]
pub struct CircleEventForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    time_zone: String,
}

/// Plans an event for the circle's members.
pub async fn circle_event(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CircleEventForm>,
) -> PageResult {
    let actor = viewer.actor();
    let gc = copse_app::access::gate_circle(&state, &actor, id, CircleAction::See).await?;
    let input = copse_core::domain::EventInput {
        space: Some("circle".into()),
        title: form.title,
        time_zone: form.time_zone,
        start: form.start,
        end: form.end,
        circle: Some(id),
        ..Default::default()
    };
    match copse_app::events::create(&state, &actor, &gc.gated.community.slug, &input, &[]).await {
        Ok(e) => done(&format!("/e/{}", e.id), "event-created"),
        Err(e) => circle_page(&state, &viewer, Notice(None), id, refused(e)?).await,
    }
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new().merge(routes_1(state)).merge(routes_2(state))
}

fn routes_1(state: &WebState) -> Router<WebState> {
    Router::new()
        .route(
            "/c/{slug}/circles",
            get(circles_list).merge(guarded(state, create_circle)),
        )
        .route("/c/{slug}/people", get(people_to_meet))
        .route("/circles/{id}", get(circle))
        .route("/circles/{id}/action", guarded(state, circle_action))
        .route("/circles/{id}/threads", guarded(state, circle_thread))
        .route("/circles/{id}/events", guarded(state, circle_event))
        .route(
            "/conversations",
            get(conversations_list).merge(guarded(state, start_conversation)),
        )
        .route("/conversations/{id}", get(conversation))
        .route("/conversations/{id}/messages", guarded(state, send_message))
        .route(
            "/conversations/{id}/leave",
            guarded(state, leave_conversation),
        )
        .route(
            "/connections",
            get(connections_list).merge(guarded(state, request_connection)),
        )
        .route("/connections/{id}", guarded(state, connection_action))
}

fn routes_2(state: &WebState) -> Router<WebState> {
    Router::new().route("/blocks", guarded(state, block))
}
