//! The people on the site, for site admins: the list with its search and filters, one person's
//! page, and what an admin does there — suspend (with a reason and an optional end), restore,
//! make or remove admin, send a password reset. Each deed answers with a redirect to the
//! person's page saying what happened, or the page again with the problem beside its form.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use serde::Deserialize;

use super::super::common::guarded;
use super::super::{FormError, Nav, Notice, PageResult, done, form_status, nav, refused};
use super::audit::{AuditLine, audit_lines, moment};
use crate::auth::{PageSignedIn, Viewer};
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::user_admin::{self, AccountKind};
use copse_core::clock::human_date;

struct Line {
    handle: String,
    display_name: String,
    email: String,
    joined: String,
    is_admin: bool,
    suspended: bool,
    unverified: bool,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct ListPage {
    nav: Nav,
    query: String,
    filter: &'static str,
    lines: Vec<Line>,
    total: i64,
    page: i64,
    pages: i64,
    /// The list's address without its page number, for the links to the pages around.
    base: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    filter: Option<String>,
    page: Option<i64>,
}

const FILTERS: [(&str, AccountKind); 4] = [
    ("all", AccountKind::All),
    ("suspended", AccountKind::Suspended),
    ("unverified", AccountKind::Unverified),
    ("admins", AccountKind::Admins),
];

pub async fn list(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    notice: Notice,
    PageQuery(q): PageQuery<ListQuery>,
) -> PageResult {
    let kind = user_admin::parse_kind(q.filter.as_deref())?;
    let filter = FILTERS
        .iter()
        .find(|(_, k)| *k == kind)
        .map_or("all", |f| f.0);
    let query = q.q.unwrap_or_default();
    let found =
        user_admin::accounts(&state, &viewer.actor(), kind, &query, q.page.unwrap_or(1)).await?;
    let base = format!(
        "/admin/users?filter={filter}&q={}",
        super::super::communities::urlencode(&query)
    );
    let lines = found
        .lines
        .into_iter()
        .map(|a| Line {
            handle: a.handle,
            display_name: a.display_name,
            email: a.email,
            joined: human_date(a.created_at),
            is_admin: a.is_admin,
            suspended: a.suspended,
            unverified: !a.email_verified,
        })
        .collect();
    super::super::render(&ListPage {
        nav: nav(&state, &viewer, notice).await?,
        query,
        filter,
        lines,
        total: found.total,
        page: found.page,
        pages: found.pages,
        base,
    })
}

struct Post {
    href: String,
    title: String,
    community: String,
    what: &'static str,
    when: String,
}

#[derive(Template)]
#[template(path = "admin_user.html")]
struct PersonPage {
    nav: Nav,
    /// The problem of the form just sent, if any.
    error: Option<String>,
    own: bool,
    handle: String,
    display_name: String,
    email: String,
    email_verified: bool,
    joined: String,
    is_admin: bool,
    suspended: Option<SuspensionLine>,
    memberships: Vec<(String, String, &'static str)>,
    recent: Vec<Post>,
    live_sessions: i64,
    sign_in: String,
    api_tokens: usize,
    audit: Vec<AuditLine>,
    /// What the suspend form was sent with, to show again beside its problem.
    reason: String,
    until: String,
}

struct SuspensionLine {
    since: String,
    reason: String,
    until: Option<String>,
}

/// One person's page.
pub async fn person(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    notice: Notice,
    PagePath(handle): PagePath<String>,
) -> PageResult {
    show(
        &state,
        &viewer,
        notice,
        &handle,
        None,
        SuspendForm::default(),
    )
    .await
}

async fn show(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    handle: &str,
    error: FormError,
    sent: SuspendForm,
) -> PageResult {
    let d = user_admin::account(state, &viewer.actor(), handle).await?;
    let a = &d.account;
    let page = PersonPage {
        nav: nav(state, viewer, notice).await?,
        error: error.as_ref().map(|(_, m)| m.clone()),
        own: viewer.account.as_ref().map(|v| v.id) == Some(a.id),
        handle: a.handle.clone(),
        display_name: a.profile.display_name.clone(),
        email: a.email.clone(),
        email_verified: a.email_verified,
        joined: human_date(a.created_at),
        is_admin: a.is_admin,
        suspended: a.suspension.as_ref().map(|s| SuspensionLine {
            since: human_date(s.since),
            reason: s.reason.clone().unwrap_or_default(),
            until: s.until.map(moment),
        }),
        memberships: d
            .memberships
            .iter()
            .map(|(slug, name, role)| (slug.clone(), name.clone(), role.as_str()))
            .collect(),
        recent: d
            .recent
            .iter()
            .map(|p| Post {
                href: format!("/t/{}", p.thread_id),
                title: p.title.clone(),
                community: p.community.clone(),
                what: if p.is_reply != 0 {
                    "replied to"
                } else {
                    "started"
                },
                when: human_date(p.created_at),
            })
            .collect(),
        live_sessions: d.live_sessions,
        sign_in: if d.sign_in_methods.is_empty() {
            "nothing (no password, no provider)".into()
        } else {
            d.sign_in_methods.join(", ")
        },
        api_tokens: d.api_tokens,
        audit: audit_lines(d.audit),
        reason: sent.reason,
        until: sent.until,
    };
    super::super::render_with_status(form_status(&error), &page)
}

#[derive(Deserialize, Default)]
pub struct SuspendForm {
    #[serde(default)]
    reason: String,
    #[serde(default)]
    until: String,
}

pub async fn suspend(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    PagePath(handle): PagePath<String>,
    PageForm(form): PageForm<SuspendForm>,
) -> PageResult {
    let until = Some(form.until.as_str());
    match user_admin::suspend(&state, &viewer.actor(), &handle, &form.reason, until).await {
        Ok(a) => done(&format!("/admin/users/{}", a.handle), "user-suspended"),
        Err(e) => show(&state, &viewer, Notice(None), &handle, refused(e)?, form).await,
    }
}

pub async fn restore(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    PagePath(handle): PagePath<String>,
) -> PageResult {
    let restored = user_admin::restore(&state, &viewer.actor(), &handle).await;
    answer(
        &state,
        &viewer,
        &handle,
        restored.map(|a| (a.handle, "user-restored")),
    )
    .await
}

#[derive(Deserialize)]
pub struct AdminForm {
    #[serde(default)]
    make: String,
}

pub async fn set_admin(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    PagePath(handle): PagePath<String>,
    PageForm(form): PageForm<AdminForm>,
) -> PageResult {
    let make = form.make == "true";
    let notice = if make { "admin-made" } else { "admin-removed" };
    let changed = user_admin::set_admin(&state, &viewer.actor(), &handle, make).await;
    answer(
        &state,
        &viewer,
        &handle,
        changed.map(|a| (a.handle, notice)),
    )
    .await
}

pub async fn send_reset(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    PagePath(handle): PagePath<String>,
) -> PageResult {
    let handle = handle.trim_start_matches('@').to_string();
    let sent = user_admin::send_password_reset(&state, &viewer.actor(), &handle).await;
    let to = handle.clone();
    answer(&state, &viewer, &handle, sent.map(|()| (to, "reset-sent"))).await
}

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    contributions: String,
}

/// Deletes the account once its handle is typed to confirm.
pub async fn delete(
    State(state): State<WebState>,
    PageSignedIn(viewer, _): PageSignedIn,
    PagePath(handle): PagePath<String>,
    PageForm(form): PageForm<DeleteForm>,
) -> PageResult {
    let handle = handle.trim_start_matches('@').to_string();
    let result = if form.confirm.trim().trim_start_matches('@') != handle {
        Err(copse_core::Error::invalid(
            "confirm",
            "type the handle of the account to delete it",
        ))
    } else {
        let remove = form.contributions == "remove";
        user_admin::delete(&state, &viewer.actor(), &handle, remove).await
    };
    match result {
        Ok(()) => done("/admin/users", "user-deleted"),
        Err(e) => {
            let problem = refused(e)?;
            show(
                &state,
                &viewer,
                Notice(None),
                &handle,
                problem,
                SuspendForm::default(),
            )
            .await
        }
    }
}

/// A deed's answer: the person's page saying what happened, or their page again with the
/// problem beside the forms.
async fn answer(
    state: &WebState,
    viewer: &Viewer,
    handle: &str,
    result: copse_core::Result<(String, &'static str)>,
) -> PageResult {
    match result {
        Ok((handle, notice)) => done(&format!("/admin/users/{handle}"), notice),
        Err(e) => {
            let problem = refused(e)?;
            show(
                state,
                viewer,
                Notice(None),
                handle,
                problem,
                SuspendForm::default(),
            )
            .await
        }
    }
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/admin/users", get(list))
        .route("/admin/users/{handle}", get(person))
        .route("/admin/users/{handle}/suspend", guarded(state, suspend))
        .route("/admin/users/{handle}/restore", guarded(state, restore))
        .route("/admin/users/{handle}/admin", guarded(state, set_admin))
        .route(
            "/admin/users/{handle}/password-reset",
            guarded(state, send_reset),
        )
        .route("/admin/users/{handle}/delete", guarded(state, delete))
}
