//! Pages of the community newsletter: the archive (with the coordinators' cadence and "draft
//! now"), an issue as the viewer may read it (for coordinators, a preview as each kind of reader
//! with the buttons to send, schedule or delete), the editor, and the archive's Atom feed.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::routing::get;
use copse_core::clock::Millis;
use copse_core::domain::newsletter::Status;
use copse_core::policy::{Actor, CommunityAction};
use serde::Deserialize;

use super::checkins::{local, parse_local, viewer_zone};
use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status};
use crate::auth::{PageViewer, Viewer};
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::newsletters::{self as app, Audience};

fn day(ms: Millis) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%-d %B %Y")
        .to_string()
}

struct IssueLine {
    number: i64,
    subject: String,
    status: &'static str,
    date: String,
}

#[derive(Template)]
#[template(path = "newsletters.html")]
struct ArchivePage {
    nav: Nav,
    c: CommunityHead,
    issues: Vec<IssueLine>,
    may_edit: bool,
    /// The issue being prepared: (number, status).
    open: Option<(i64, &'static str)>,
    cadence: String,
    next_date: String,
    next_time: String,
    next_text: String,
    zone: String,
    feed: bool,
    error: Option<String>,
}

async fn archive_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    slug: &str,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, issues) = app::list(state, &actor, slug).await?;
    let settings = app::settings(state, &actor, slug)
        .await
        .ok()
        .map(|(_, s)| s);
    let tz = viewer_zone(viewer);
    let next = settings.and_then(|s| s.next_at).map(|ms| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&tz)
    });
    let open = issues
        .iter()
        .find(|i| i.status.editable())
        .map(|i| (i.number, i.status.as_str()));
    render_with_status(
        error.as_ref().map_or(StatusCode::OK, |(s, _)| *s),
        &ArchivePage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "newsletter").await?,
            issues: issues
                .iter()
                .map(|i| IssueLine {
                    number: i.number,
                    subject: i.subject.clone(),
                    status: i.status.as_str(),
                    date: match (i.status, i.sent_at, i.send_at) {
                        (Status::Sending | Status::Sent, Some(at), _) => day(at),
                        (Status::Scheduled, _, Some(at)) => format!("goes out {}", local(at, tz)),
                        _ => format!("drafted for {}", day(i.period_until)),
                    },
                })
                .collect(),
            may_edit: settings.is_some(),
            open,
            cadence: settings
                .map_or("monthly", |s| s.cadence.as_str())
                .to_string(),
            next_date: next
                .map(|n| n.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            next_time: next.map_or("09:00".into(), |n| n.format("%H:%M").to_string()),
            next_text: settings
                .and_then(|s| s.next_at)
                .map(|ms| local(ms, tz))
                .unwrap_or_default(),
            zone: tz.name().to_string(),
            feed: copse_core::policy::decide(
                &Actor::Anonymous,
                &Default::default(),
                &copse_core::policy::CommunityFacts::from(&gated.community),
                CommunityAction::ReadPublic,
            )
            .allowed(),
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn archive(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    archive_page(&state, &viewer, notice, &slug, None).await
}

#[derive(Deserialize)]
pub struct SettingsForm {
    #[serde(default)]
    cadence: String,
    /// Empty: copse drafts none.
    #[serde(default)]
    next_date: String,
    #[serde(default)]
    next_time: String,
}

pub async fn set_settings(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(f): PageForm<SettingsForm>,
) -> PageResult {
    let tz = viewer_zone(&viewer);
    let result = match parse_local("next_at", &f.next_date, &f.next_time, tz) {
        Ok(next_at) => app::set_settings(&state, &viewer.actor(), &slug, &f.cadence, next_at)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => done(
            &format!("/c/{slug}/newsletter"),
            "newsletter-settings-saved",
        ),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            archive_page(
                &state,
                &viewer,
                Notice(None),
                &slug,
                Some((status, message)),
            )
            .await
        }
    }
}

pub async fn draft_now(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    match app::draft_now(&state, &viewer.actor(), &slug).await {
        Ok(issue) => done(
            &format!("/c/{slug}/newsletter/{}/edit", issue.number),
            "newsletter-drafted",
        ),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            archive_page(
                &state,
                &viewer,
                Notice(None),
                &slug,
                Some((status, message)),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "newsletter.html")]
struct IssuePage {
    nav: Nav,
    c: CommunityHead,
    number: i64,
    subject: String,
    html: String,
    status: &'static str,
    /// "Sent 1 December 2026", "Goes out …", "Draft".
    when: String,
    may_edit: bool,
    editable: bool,
    scheduled: bool,
    audience: &'static str,
    audiences: [(&'static str, &'static str); 4],
    send_date: String,
    send_time: String,
    zone: String,
    /// (sent, failed, being sent), for coordinators once it went out.
    counts: Option<(i64, i64, i64)>,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct IssueQuery {
    /// A coordinator's preview: me, member, observer or visitor.
    #[serde(default, rename = "as")]
    audience: String,
}

async fn issue_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    slug: &str,
    number: i64,
    audience: &str,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, issue) = app::issue(state, &actor, slug, number).await?;
    let may_edit = gated.may(&actor, CommunityAction::Edit);
    let audience = if may_edit {
        Audience::parse(audience)?
    } else {
        Audience::Me // others only ever read it as themselves
    };
    let rendered = if may_edit {
        app::preview_issue(state, &actor, &gated, &issue, audience).await?
    } else {
        app::read_as_viewer(state, &actor, &gated, &issue).await?
    };
    let tz = viewer_zone(viewer);
    let counts = app::delivery_counts(state, &actor, &gated, &issue).await?;
    render_with_status(
        error.as_ref().map_or(StatusCode::OK, |(s, _)| *s),
        &IssuePage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "newsletter").await?,
            number: issue.number,
            subject: issue.subject.clone(),
            html: rendered.html,
            status: issue.status.as_str(),
            when: match (issue.status, issue.sent_at, issue.send_at) {
                (Status::Sending | Status::Sent, Some(at), _) => format!("Sent {}", day(at)),
                (Status::Scheduled, _, Some(at)) => {
                    format!("Scheduled: goes out {} ({})", local(at, tz), tz.name())
                }
                _ => "Draft: only coordinators see it".to_string(),
            },
            may_edit,
            editable: issue.status.editable(),
            scheduled: issue.status == Status::Scheduled,
            audience: audience.as_str(),
            audiences: [
                ("me", "you"),
                ("member", "a member"),
                ("observer", "an observer"),
                ("visitor", "a visitor"),
            ],
            send_date: issue
                .send_at
                .map(|ms| {
                    chrono::DateTime::from_timestamp_millis(ms)
                        .unwrap_or_default()
                        .with_timezone(&tz)
                        .format("%Y-%m-%d")
                        .to_string()
                })
                .unwrap_or_default(),
            send_time: "09:00".to_string(),
            zone: tz.name().to_string(),
            counts,
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn issue(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath((slug, number)): PagePath<(String, i64)>,
    PageQuery(q): PageQuery<IssueQuery>,
) -> PageResult {
    issue_page(&state, &viewer, notice, &slug, number, &q.audience, None).await
}

#[derive(Template)]
#[template(path = "newsletter_edit.html")]
struct EditPage {
    nav: Nav,
    c: CommunityHead,
    number: i64,
    subject: String,
    body: String,
    error: Option<String>,
}

async fn edit_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    slug: &str,
    number: i64,
    typed: Option<(String, String)>,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, issue) = app::issue(state, &actor, slug, number).await?;
    copse_core::policy::check(
        &actor,
        &gated.standing,
        &copse_core::policy::CommunityFacts::from(&gated.community),
        CommunityAction::Edit,
    )?;
    if !issue.status.editable() {
        return done(
            &format!("/c/{slug}/newsletter/{number}"),
            "newsletter-gone-out",
        );
    }
    let (subject, body) = typed.unwrap_or((issue.subject, issue.body));
    render_with_status(
        error.as_ref().map_or(StatusCode::OK, |(s, _)| *s),
        &EditPage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "newsletter").await?,
            number,
            subject,
            body,
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn edit_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath((slug, number)): PagePath<(String, i64)>,
) -> PageResult {
    edit_page(&state, &viewer, notice, &slug, number, None, None).await
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

pub async fn edit(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, number)): PagePath<(String, i64)>,
    PageForm(f): PageForm<EditForm>,
) -> PageResult {
    match app::update(&state, &viewer.actor(), &slug, number, &f.subject, &f.body).await {
        Ok(_) => done(
            &format!("/c/{slug}/newsletter/{number}"),
            "newsletter-saved",
        ),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            edit_page(
                &state,
                &viewer,
                Notice(None),
                &slug,
                number,
                Some((f.subject, f.body)),
                Some((status, message)),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct SendForm {
    /// `now`, or `later` with a date and time.
    #[serde(default)]
    when: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    time: String,
}

pub async fn send(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, number)): PagePath<(String, i64)>,
    PageForm(f): PageForm<SendForm>,
) -> PageResult {
    let tz = viewer_zone(&viewer);
    let at = match f.when.as_str() {
        "now" => Ok(None),
        _ => parse_local("at", &f.date, &f.time, tz).and_then(|at| {
            at.map(Some)
                .ok_or_else(|| copse_core::Error::invalid("at", "give a date and a time"))
        }),
    };
    let result = match at {
        Ok(at) => app::send(&state, &viewer.actor(), &slug, number, at).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(issue) => done(
            &format!("/c/{slug}/newsletter/{number}"),
            if issue.status == Status::Scheduled {
                "newsletter-scheduled"
            } else {
                "newsletter-sending"
            },
        ),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            issue_page(
                &state,
                &viewer,
                Notice(None),
                &slug,
                number,
                "",
                Some((status, message)),
            )
            .await
        }
    }
}

pub async fn unschedule(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, number)): PagePath<(String, i64)>,
) -> PageResult {
    app::unschedule(&state, &viewer.actor(), &slug, number).await?;
    done(
        &format!("/c/{slug}/newsletter/{number}"),
        "newsletter-unscheduled",
    )
}

pub async fn delete(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, number)): PagePath<(String, i64)>,
) -> PageResult {
    app::delete(&state, &viewer.actor(), &slug, number).await?;
    done(&format!("/c/{slug}/newsletter"), "newsletter-deleted")
}

/// The archive as an Atom feed: sent issues as an anonymous reader gets them (feeds carry no
/// identity), so only public communities have one.
pub async fn feed(
    State(state): State<WebState>,
    headers: HeaderMap,
    PagePath(slug): PagePath<String>,
) -> Result<Response, PageError> {
    let actor = Actor::Anonymous;
    let (gated, issues) = app::list(&state, &actor, &slug).await?;
    let sent: Vec<_> = issues
        .into_iter()
        .filter(|i| i.status.published())
        .take(50)
        .collect();
    // All entries' references are read at once, not issue by issue.
    let rendered = app::read_all_as_viewer(&state, &actor, &gated, &sent).await?;
    let items = sent
        .iter()
        .zip(rendered)
        .map(|(issue, rendered)| {
            let at = issue.sent_at.unwrap_or(issue.updated_at);
            super::feeds::FeedItem {
                path: format!("/c/{slug}/newsletter/{}", issue.number),
                title: issue.subject.clone(),
                published: at,
                updated: at,
                author: gated.community.name.clone(),
                html: rendered.html,
            }
        })
        .collect();
    super::feeds::simple_feed(
        &state,
        &headers,
        format!("{} — newsletter", gated.community.name),
        &format!("/c/{slug}/newsletter.atom"),
        &format!("/c/{slug}/newsletter"),
        items,
        gated.community.updated_at,
    )
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/newsletter", get(archive))
        .route("/c/{slug}/newsletter.atom", get(feed))
        .route(
            "/c/{slug}/newsletter/settings",
            guarded(state, set_settings),
        )
        .route("/c/{slug}/newsletter/draft", guarded(state, draft_now))
        .route("/c/{slug}/newsletter/{number}", get(issue))
        .route(
            "/c/{slug}/newsletter/{number}/edit",
            get(edit_form).merge(guarded(state, edit)),
        )
        .route(
            "/c/{slug}/newsletter/{number}/send",
            get(super::newsletter_confirm::confirm).merge(guarded(state, send)),
        )
        .route(
            "/c/{slug}/newsletter/{number}/unschedule",
            guarded(state, unschedule),
        )
        .route(
            "/c/{slug}/newsletter/{number}/delete",
            get(super::newsletter_confirm::confirm_delete).merge(guarded(state, delete)),
        )
}
