//! Connections: requests to meet with proposed times, answering and picking a time, and the
//! people a member might like to meet.

use super::common::guarded;
use super::zones::filters;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::{
    FormError, Nav, Notice, PageResult, done, form_status, nav, refused, render_with_status,
};
use crate::auth::{PageSignedIn, PageViewer};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use axum::http::StatusCode;
use copse_app::{connections, conversations};

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
    /// The zone a proposed time starts in: the viewer's.
    my_zone: String,
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
    account: &copse_core::domain::Account,
    notice: Notice,
    form: (String, String, String),
    error: FormError,
) -> PageResult {
    let me = account.id;
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
        form_status(&error),
        &ConnectionsPage {
            nav: nav(state, viewer, notice).await?,
            my_zone: super::zones::of_viewer(viewer),
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
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
    PageQuery(q): PageQuery<super::conversations::ConversationsQuery>,
) -> PageResult {
    connections_page(
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
    PageSignedIn(viewer, account): PageSignedIn,
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
                &account,
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
    PageSignedIn(viewer, account): PageSignedIn,
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
            connections_page(
                &state,
                &viewer,
                &account,
                Notice(None),
                Default::default(),
                error,
            )
            .await
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

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/people", get(people_to_meet))
        .route(
            "/connections",
            get(connections_list).merge(guarded(state, request_connection)),
        )
        .route("/connections/{id}", guarded(state, connection_action))
}
