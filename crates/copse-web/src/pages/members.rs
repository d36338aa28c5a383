//! Pages of membership: the member list, joining and leaving, requests, invitations and roles.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::clock::human_date;
use copse_core::domain::JoinAnswer;
use copse_core::policy::CommunityAction as A;
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status};
use crate::auth::PageSignedIn;
use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::access::gate;
use copse_app::membership::{self as app, JoinOutcome};

struct MemberRow {
    handle: String,
    display_name: String,
    role: &'static str,
    organisation: String,
    department: String,
    country: String,
    joined: String,
}

#[derive(Template)]
#[template(path = "community_members.html")]
struct MembersPage {
    nav: Nav,
    c: CommunityHead,
    observers: bool,
    rows: Vec<MemberRow>,
    next_link: Option<String>,
}

#[derive(Deserialize)]
pub struct MembersQuery {
    observers: Option<bool>,
    cursor: Option<String>,
}

pub async fn list(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<MembersQuery>,
) -> PageResult {
    let actor = viewer.actor();
    let observers = q.observers.unwrap_or(false);
    let (gated, page) = app::members(
        &state,
        &actor,
        &slug,
        observers,
        Some(100),
        q.cursor.as_deref(),
    )
    .await?;
    let rows = page
        .items
        .iter()
        .map(|m| MemberRow {
            handle: m.handle.clone(),
            display_name: m.display_name.clone(),
            role: m.role.as_str(),
            organisation: m.organisation.clone().unwrap_or_default(),
            department: m.department.clone().unwrap_or_default(),
            country: m.country.clone().unwrap_or_default(),
            joined: human_date(m.joined_at),
        })
        .collect();
    let next_link = page.next.map(|c| {
        format!(
            "/c/{slug}/members?observers={observers}&cursor={}",
            c.encode()
        )
    });
    render(&MembersPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "members").await?,
        observers,
        rows,
        next_link,
    })
}

#[derive(Template)]
#[template(path = "community_join.html")]
struct JoinPage {
    nav: Nav,
    c: CommunityHead,
    questions: Vec<String>,
    error: Option<String>,
}

pub async fn join_form(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let gated = gate(&state, &actor, &slug, A::RequestToJoin).await?;
    render(&JoinPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "about").await?,
        questions: gated.community.join_questions.clone(),
        error: None,
    })
}

/// The join form sends one `answers` field per question; serde_urlencoded cannot gather
/// repeated keys into a list, so the pairs are read as they come.
pub struct JoinForm(Vec<String>);

impl<S: Send + Sync> axum::extract::FromRequest<S> for JoinForm {
    type Rejection = crate::error::PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let PageForm(pairs) = PageForm::<Vec<(String, String)>>::from_request(req, state).await?;
        Ok(JoinForm(
            pairs
                .into_iter()
                .filter(|(k, _)| k == "answers")
                .map(|(_, v)| v)
                .collect(),
        ))
    }
}

pub async fn join(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    JoinForm(answers): JoinForm,
) -> PageResult {
    let actor = viewer.actor();
    match app::join(&state, &actor, &slug, &answers).await {
        Ok(JoinOutcome::Joined) => done(&format!("/c/{slug}"), "joined"),
        Ok(JoinOutcome::Requested(_)) => done(&format!("/c/{slug}"), "requested"),
        Err(e @ copse_core::Error::Invalid { .. }) => {
            let (status, message) = form_problem(e)?;
            let gated = gate(&state, &actor, &slug, A::RequestToJoin).await?;
            render_with_status(
                status,
                &JoinPage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    c: head(&state, &actor, &gated, "about").await?,
                    questions: gated.community.join_questions.clone(),
                    error: Some(message),
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

pub async fn withdraw(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    app::withdraw_request(&state, &viewer.actor(), &slug).await?;
    done(&format!("/c/{slug}"), "withdrawn")
}

pub async fn follow(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    app::follow(&state, &viewer.actor(), &slug).await?;
    done(&format!("/c/{slug}"), "followed")
}

struct RequestRow {
    id: i64,
    handle: String,
    display_name: String,
    organisation: Option<String>,
    when: String,
    answers: Vec<JoinAnswer>,
}

#[derive(Template)]
#[template(path = "community_requests.html")]
struct RequestsPage {
    nav: Nav,
    c: CommunityHead,
    requests: Vec<RequestRow>,
}

pub async fn requests(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, requests) = app::pending_requests(&state, &actor, &slug).await?;
    render(&RequestsPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "requests").await?,
        requests: requests
            .into_iter()
            .map(|r| RequestRow {
                id: r.id,
                handle: r.handle,
                display_name: r.display_name,
                organisation: r.organisation,
                when: human_date(r.created_at),
                answers: r.answers,
            })
            .collect(),
    })
}

pub async fn approve(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, id)): PagePath<(String, i64)>,
) -> PageResult {
    app::decide_request(&state, &viewer.actor(), &slug, id, true).await?;
    done(&format!("/c/{slug}/requests"), "approved")
}

pub async fn decline(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, id)): PagePath<(String, i64)>,
) -> PageResult {
    app::decide_request(&state, &viewer.actor(), &slug, id, false).await?;
    done(&format!("/c/{slug}/requests"), "declined")
}

struct InvitationRow {
    id: i64,
    invitee: String,
    role: &'static str,
    by: String,
    expires: String,
}

#[derive(Template)]
#[template(path = "community_invite.html")]
struct InvitePage {
    nav: Nav,
    c: CommunityHead,
    error: Option<String>,
    new_link: Option<String>,
    invitations: Vec<InvitationRow>,
}

async fn invite_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    slug: &str,
    error: Option<String>,
    new_link: Option<String>,
) -> Result<InvitePage, crate::error::PageError> {
    let actor = viewer.actor();
    let gated = gate(state, &actor, slug, A::Invite).await?;
    let invitations = app::community_invitations(state, &actor, slug)
        .await?
        .into_iter()
        .map(|i| InvitationRow {
            id: i.id,
            invitee: i.invitee_label,
            role: i.role.as_str(),
            by: i.invited_by_handle,
            expires: human_date(i.expires_at),
        })
        .collect();
    Ok(InvitePage {
        nav: nav(state, viewer, notice).await?,
        c: head(state, &actor, &gated, "invite").await?,
        error,
        new_link,
        invitations,
    })
}

pub async fn invite_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    render(&invite_page(&state, &viewer, notice, &slug, None, None).await?)
}

#[derive(Deserialize)]
pub struct InviteForm {
    invitee: String,
    #[serde(default)]
    role: String,
}

pub async fn invite(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<InviteForm>,
) -> PageResult {
    match app::invite(
        &state,
        &viewer.actor(),
        &slug,
        &form.invitee,
        Some(&form.role),
    )
    .await
    {
        Ok((_, link)) => {
            render(&invite_page(&state, &viewer, Notice(None), &slug, None, Some(link)).await?)
        }
        Err(e) => {
            let (status, message) = form_problem(e)?;
            render_with_status(
                status,
                &invite_page(&state, &viewer, Notice(None), &slug, Some(message), None).await?,
            )
        }
    }
}

pub async fn resend_invitation(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, id)): PagePath<(String, i64)>,
) -> PageResult {
    app::resend_invitation(&state, &viewer.actor(), &slug, id).await?;
    done(&format!("/c/{slug}/invite"), "invitation-resent")
}

pub async fn revoke_invitation(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, id)): PagePath<(String, i64)>,
) -> PageResult {
    app::revoke_invitation(&state, &viewer.actor(), &slug, id).await?;
    done(&format!("/c/{slug}/invite"), "invitation-withdrawn")
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, handle)): PagePath<(String, String)>,
    PageForm(form): PageForm<RoleForm>,
) -> PageResult {
    app::set_role(&state, &viewer.actor(), &slug, &handle, &form.role).await?;
    done(&format!("/c/{slug}/members"), "role-changed")
}

pub async fn remove(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, handle)): PagePath<(String, String)>,
) -> PageResult {
    app::remove(&state, &viewer.actor(), &slug, &handle).await?;
    done(&format!("/c/{slug}/members"), "removed")
}

struct MyInvitation {
    id: i64,
    slug: String,
    name: String,
    by: String,
    role: &'static str,
}

#[derive(Template)]
#[template(path = "invitations.html")]
struct InvitationsPage {
    nav: Nav,
    items: Vec<MyInvitation>,
}

pub async fn my_invitations(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
) -> PageResult {
    let items = app::my_invitations(&state, &viewer.actor())
        .await?
        .into_iter()
        .map(|i| MyInvitation {
            id: i.id,
            slug: i.community_slug,
            name: i.community_name,
            by: i.invited_by_handle,
            role: i.role.as_str(),
        })
        .collect();
    render(&InvitationsPage {
        nav: nav(&state, &viewer, notice).await?,
        items,
    })
}

pub async fn accept_invitation(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let actor = viewer.actor();
    let invitation = app::invitation_for_me(&state, &actor, id).await?;
    app::answer_invitation(&state, &actor, &invitation, true).await?;
    done(
        &format!("/c/{}", invitation.community_slug),
        "invitation-accepted",
    )
}

pub async fn decline_invitation(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let actor = viewer.actor();
    let invitation = app::invitation_for_me(&state, &actor, id).await?;
    app::answer_invitation(&state, &actor, &invitation, false).await?;
    done("/invitations", "invitation-declined")
}

#[derive(Template)]
#[template(path = "invitation_link.html")]
struct InvitationLinkPage {
    nav: Nav,
    secret: String,
    name: String,
    by: String,
    role: &'static str,
}

pub async fn invitation_link(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(secret): PagePath<String>,
) -> PageResult {
    if viewer.account.is_none() {
        return Ok(axum::response::Redirect::to(&format!(
            "/signin?next=/invitations/link/{}",
            super::communities::urlencode(&secret)
        ))
        .into_response());
    }
    let invitation = app::invitation_by_secret(&state, &viewer.actor(), &secret).await?;
    render(&InvitationLinkPage {
        nav: nav(&state, &viewer, notice).await?,
        secret,
        name: invitation.community_name,
        by: invitation.invited_by_handle,
        role: invitation.role.as_str(),
    })
}

pub async fn accept_link(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(secret): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let invitation = app::invitation_by_secret(&state, &actor, &secret).await?;
    app::answer_invitation(&state, &actor, &invitation, true).await?;
    done(
        &format!("/c/{}", invitation.community_slug),
        "invitation-accepted",
    )
}

pub async fn decline_link(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(secret): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let invitation = app::invitation_by_secret(&state, &actor, &secret).await?;
    app::answer_invitation(&state, &actor, &invitation, false).await?;
    done("/invitations", "invitation-declined")
}

use axum::response::IntoResponse;

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new().merge(routes_1(state)).merge(routes_2(state))
}

fn routes_1(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/members", get(list))
        .route("/c/{slug}/join", get(join_form).merge(guarded(state, join)))
        .route("/c/{slug}/withdraw", guarded(state, withdraw))
        .route("/c/{slug}/follow", guarded(state, follow))
        .route("/c/{slug}/requests", get(requests))
        .route("/c/{slug}/requests/{id}/approve", guarded(state, approve))
        .route("/c/{slug}/requests/{id}/decline", guarded(state, decline))
        .route(
            "/c/{slug}/invite",
            get(invite_form).merge(guarded(state, invite)),
        )
        .route(
            "/c/{slug}/invitations/{id}/revoke",
            guarded(state, revoke_invitation),
        )
        .route(
            "/c/{slug}/invitations/{id}/resend",
            guarded(state, resend_invitation),
        )
        .route("/c/{slug}/members/{handle}/role", guarded(state, set_role))
        .route("/c/{slug}/members/{handle}/remove", guarded(state, remove))
}

fn routes_2(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/invitations", get(my_invitations))
        .route(
            "/invitations/{id}/accept",
            guarded(state, accept_invitation),
        )
        .route(
            "/invitations/{id}/decline",
            guarded(state, decline_invitation),
        )
        .route("/invitations/link/{secret}", get(invitation_link))
        .route(
            "/invitations/link/{secret}/accept",
            guarded(state, accept_link),
        )
        .route(
            "/invitations/link/{secret}/decline",
            guarded(state, decline_link),
        )
}
