//! A community's circles and one circle: who is in it, its threads and events, asking to join,
//! invitations and roles.

use super::common::guarded;
use super::zones::filters;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::policy::CircleAction;
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::{
    FormError, Nav, Notice, PageResult, done, form_status, nav, refused, render_with_status,
};
use crate::auth::{PageSignedIn, PageViewer};
use crate::extract::{PageForm, PagePath};
use crate::state::WebState;
use copse_app::circles;
use copse_app::markdown;

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
        form_status(&error),
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
    /// The zone a planned event starts in: the viewer's.
    my_zone: String,
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
        form_status(&error),
        &CirclePage {
            nav: nav(state, viewer, notice).await?,
            my_zone: super::zones::of_viewer(viewer),
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
    PageSignedIn(viewer, account): PageSignedIn,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<CircleActionForm>,
) -> PageResult {
    let actor = viewer.actor();
    let mine = account.handle.clone();
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
    Router::new()
        .route(
            "/c/{slug}/circles",
            get(circles_list).merge(guarded(state, create_circle)),
        )
        .route("/circles/{id}", get(circle))
        .route("/circles/{id}/action", guarded(state, circle_action))
        .route("/circles/{id}/threads", guarded(state, circle_thread))
        .route("/circles/{id}/events", guarded(state, circle_event))
}
