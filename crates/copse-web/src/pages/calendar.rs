//! Calendar files and the settings behind reminders: the community feed, the personal feed at its
//! secret address, single-event downloads, the reminder and calendar settings pages, and the
//! one-click unsubscribe link of reminder e-mails.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;

use super::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status, site};
use crate::auth::PageSignedIn;
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::calendar as app;

fn ics(body: String, download: Option<&str>) -> Response {
    let mut response = (
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/calendar; charset=utf-8"),
            ),
            (
                header::CACHE_CONTROL,
                HeaderValue::from_static("private, max-age=300"),
            ),
        ],
        body,
    )
        .into_response();
    if let Some(name) = download {
        // Only a safe file name goes into the header.
        let safe: String = name
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .take(60)
            .collect();
        if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{safe}.ics\"")) {
            response
                .headers_mut()
                .insert(header::CONTENT_DISPOSITION, v);
        }
    }
    response
}

/// `/c/{slug}/calendar.ics`: public events, as an anonymous reader sees them.
pub async fn community(
    State(state): State<WebState>,
    headers: HeaderMap,
    PagePath(slug): PagePath<String>,
) -> Result<Response, PageError> {
    let body = app::community_feed(&state, &slug, &site(&state, &headers)).await?;
    Ok(ics(body, None))
}

/// `/calendar/{token}.ics`: a member's personal feed.
pub async fn personal(
    State(state): State<WebState>,
    headers: HeaderMap,
    PagePath(file): PagePath<String>,
) -> Result<Response, PageError> {
    let token = file.strip_suffix(".ics").ok_or_else(PageError::not_found)?;
    if token.len() > 100 {
        return Err(PageError::not_found());
    }
    let body = app::personal_feed(&state, token, &site(&state, &headers)).await?;
    Ok(ics(body, None))
}

/// `/e/{id}/calendar.ics`: one event to download.
pub async fn event(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    headers: HeaderMap,
    PagePath(id): PagePath<i64>,
) -> Result<Response, PageError> {
    let (title, body) =
        app::event_file(&state, &viewer.actor(), id, &site(&state, &headers)).await?;
    Ok(ics(body, Some(&title)))
}

/// The reminder choices offered on the settings page, in minutes.
const CHOICES: [(i64, &str); 6] = [
    (7 * 24 * 60, "A week before"),
    (2 * 24 * 60, "Two days before"),
    (24 * 60, "A day before"),
    (3 * 60, "Three hours before"),
    (60, "An hour before"),
    (15, "15 minutes before"),
];

#[derive(Template)]
#[template(path = "settings_rhythm.html")]
struct RhythmSettingsPage {
    nav: Nav,
    section: &'static str,
    choices: Vec<(i64, &'static str, bool)>,
    feed_active: bool,
    feed_created: Option<String>,
    feed_url: Option<String>,
    error: Option<String>,
    digest: &'static str,
    /// (community slug, name, subscribed)
    newsletters: Vec<(String, String, bool)>,
    digest_choices: [(&'static str, &'static str); 3],
    /// (kind, what it is, chosen mode)
    kinds: Vec<(&'static str, &'static str, &'static str)>,
    modes: [(&'static str, &'static str); 3],
}

/// Each kind of notification, as the e-mail settings name it.
fn kind_label(k: copse_core::domain::NotificationKind) -> &'static str {
    use copse_core::domain::NotificationKind as K;
    match k {
        K::Mention => "Someone mentions you",
        K::Accepted => "Your answer is accepted",
        K::Reply => "Replies to your threads",
        K::Topic => "New threads in topics you follow",
        K::Credited => "A value story credits your work",
        K::StoryComment => "Comments on your value stories",
        K::CheckIn => "Your community's check-ins",
        K::Message => "Messages in your conversations",
        K::Circle => "New threads in your circles",
        K::JoinRequest => "Someone asks to join a community you coordinate",
        K::JoinApproved => "Your request to join is approved",
        K::JoinDeclined => "Your request to join is declined",
        K::Merged => "A community you belong to is merged into another",
    }
}

async fn settings_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    me: &copse_core::domain::Account,
    notice: Notice,
    section: &'static str,
    feed_url: Option<String>,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let minutes = app::reminder_minutes(state, me.id).await?;
    let created = app::feed_created(state, me.id).await?;
    let email = copse_app::email_settings::settings(state, me.id).await?;
    render_with_status(
        error.as_ref().map_or(StatusCode::OK, |(s, _)| *s),
        &RhythmSettingsPage {
            nav: nav(state, viewer, notice).await?,
            section,
            choices: CHOICES
                .iter()
                .map(|(m, label)| (*m, *label, minutes.contains(m)))
                .collect(),
            feed_active: created.is_some(),
            feed_created: created.map(copse_core::clock::human_date),
            feed_url,
            error: error.map(|(_, m)| m),
            digest: email.digest.as_str(),
            newsletters: email
                .newsletters
                .into_iter()
                .map(|s| (s.slug, s.name, s.subscribed))
                .collect(),
            kinds: email
                .modes
                .into_iter()
                .map(|(k, m)| (k.as_str(), kind_label(k), m.as_str()))
                .collect(),
            modes: [
                ("immediate", "at once"),
                ("digest", "in the digest"),
                ("off", "not by e-mail"),
            ],
            digest_choices: [
                ("daily", "Daily, at 07:00 UTC"),
                ("weekly", "Weekly, on Mondays (the default)"),
                ("off", "No digest"),
            ],
        },
    )
}

pub async fn email(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
) -> PageResult {
    settings_page(&state, &viewer, &account, notice, "email", None, None).await
}

#[derive(Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    digest: String,
    /// One field per kind of notification, named by the kind.
    #[serde(flatten)]
    kinds: std::collections::HashMap<String, String>,
}

pub async fn save_email(
    State(state): State<WebState>,
    PageSignedIn(viewer, me): PageSignedIn,
    PageForm(form): PageForm<EmailForm>,
) -> PageResult {
    use copse_core::domain::email::{DigestCadence, EmailMode, modes_from};
    let parsed = DigestCadence::parse(&form.digest).and_then(|cadence| {
        let mut modes = modes_from("");
        for (k, m) in &mut modes {
            if let Some(raw) = form.kinds.get(k.as_str()) {
                *m = EmailMode::parse(raw)?;
            }
        }
        Ok((cadence, modes))
    });
    match parsed {
        Ok((digest, modes)) => {
            // A newsletter is kept when its box is ticked (unticked boxes send nothing).
            let newsletters = copse_app::email_settings::settings(&state, me.id)
                .await?
                .newsletters
                .into_iter()
                .map(|s| {
                    let on = form.kinds.contains_key(&format!("newsletter:{}", s.slug));
                    (s.slug, on)
                })
                .collect();
            let choice = copse_app::email_settings::EmailChoice {
                digest,
                modes,
                newsletters,
            };
            copse_app::email_settings::save(&state, me.id, &choice).await?;
            done("/settings/email", "saved")
        }
        Err(e) => {
            let (status, message) = form_problem(e)?;
            settings_page(
                &state,
                &viewer,
                &me,
                Notice(None),
                "email",
                None,
                Some((status, message)),
            )
            .await
        }
    }
}

pub async fn reminders(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
) -> PageResult {
    settings_page(&state, &viewer, &account, notice, "reminders", None, None).await
}

#[derive(Deserialize)]
pub struct RemindersForm {
    /// Each choice is its own checkbox, named by its minutes.
    #[serde(default)]
    m10080: Option<String>,
    #[serde(default)]
    m2880: Option<String>,
    #[serde(default)]
    m1440: Option<String>,
    #[serde(default)]
    m180: Option<String>,
    #[serde(default)]
    m60: Option<String>,
    #[serde(default)]
    m15: Option<String>,
}

pub async fn save_reminders(
    State(state): State<WebState>,
    PageSignedIn(viewer, me): PageSignedIn,
    PageForm(form): PageForm<RemindersForm>,
) -> PageResult {
    let chosen: Vec<i64> = [
        (10080, &form.m10080),
        (2880, &form.m2880),
        (1440, &form.m1440),
        (180, &form.m180),
        (60, &form.m60),
        (15, &form.m15),
    ]
    .iter()
    .filter(|(_, v)| v.is_some())
    .map(|(m, _)| *m)
    .collect();
    match app::set_reminder_minutes(&state, me.id, &chosen).await {
        Ok(_) => done("/settings/reminders", "reminders-saved"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            settings_page(
                &state,
                &viewer,
                &me,
                Notice(None),
                "reminders",
                None,
                Some((status, message)),
            )
            .await
        }
    }
}

pub async fn calendar(
    State(state): State<WebState>,
    PageSignedIn(viewer, account): PageSignedIn,
    notice: Notice,
) -> PageResult {
    settings_page(&state, &viewer, &account, notice, "calendar", None, None).await
}

/// Makes a new secret address and shows it once.
pub async fn new_calendar(
    State(state): State<WebState>,
    PageSignedIn(viewer, me): PageSignedIn,
    headers: HeaderMap,
) -> PageResult {
    let path = app::new_feed(&state, me.id).await?;
    let url = format!("{}{path}", site(&state, &headers));
    settings_page(
        &state,
        &viewer,
        &me,
        Notice(None),
        "calendar",
        Some(url),
        None,
    )
    .await
}

pub async fn revoke_calendar(
    State(state): State<WebState>,
    PageSignedIn(_viewer, me): PageSignedIn,
) -> PageResult {
    app::revoke_feed(&state, me.id).await?;
    done("/settings/calendar", "calendar-revoked")
}

#[derive(Template)]
#[template(path = "unsubscribe.html")]
struct UnsubscribePage {
    nav: Nav,
    token: String,
    /// `reminders`, `digest`, `newsletter:<community slug>` or a kind of notification
    /// e-mailed at once.
    list: String,
    /// What the list is, in words.
    what: &'static str,
    done: bool,
}

#[derive(Deserialize, Default)]
pub struct UnsubscribeQuery {
    #[serde(default)]
    list: String,
}

/// Which mailing an unsubscribe link stops: event reminders (the default), digests, one
/// community's newsletter, or the e-mails of one kind of notification; and its name. (The
/// newsletter is not named by its community: the page must not tell a stranger with a made-up
/// slug which communities exist.)
fn list_of(q: &UnsubscribeQuery) -> (String, &'static str) {
    if q.list == "digest" {
        return ("digest".into(), "the e-mail digests of your communities");
    }
    if let Some(slug) = q.list.strip_prefix("newsletter:")
        && copse_core::domain::Slug::parse(slug).is_ok()
    {
        return (q.list.clone(), "this community's newsletter");
    }
    match copse_core::domain::NotificationKind::parse(&q.list) {
        Ok(kind) => (
            kind.as_str().to_string(),
            "e-mails of this kind of notification",
        ),
        Err(_) => (
            "reminders".into(),
            "the e-mail reminders before events you said you are going to",
        ),
    }
}

/// The link in e-mails: a page with one button (mail scanners that follow links change
/// nothing).
pub async fn unsubscribe_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(token): PagePath<String>,
    PageQuery(q): PageQuery<UnsubscribeQuery>,
) -> PageResult {
    render_with_status(
        StatusCode::OK,
        &UnsubscribePage {
            nav: nav(&state, &viewer, notice).await?,
            token: token.chars().take(100).collect(),
            list: list_of(&q).0,
            what: list_of(&q).1,
            done: false,
        },
    )
}

/// Stops reminders or digests: from the page's button or a mail client's one-click POST
/// (RFC 8058), which carries the token but no session or Origin.
pub async fn unsubscribe(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(token): PagePath<String>,
    PageQuery(q): PageQuery<UnsubscribeQuery>,
) -> PageResult {
    if token.len() > 100 {
        return Err(PageError::not_found());
    }
    let (list, what) = list_of(&q);
    copse_app::email_settings::unsubscribe(&state, &token, &list).await?;
    render_with_status(
        StatusCode::OK,
        &UnsubscribePage {
            nav: nav(&state, &viewer, Notice(None)).await?,
            token: String::new(),
            list,
            what,
            done: true,
        },
    )
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new().merge(routes_1(state)).merge(routes_2())
}

fn routes_1(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/e/{id}/calendar.ics", get(event))
        .route("/c/{slug}/calendar.ics", get(community))
        .route("/calendar/{file}", get(personal))
        .route(
            "/settings/reminders",
            get(reminders).merge(guarded(state, save_reminders)),
        )
        .route("/settings/calendar", get(calendar))
        .route(
            "/settings/email",
            get(email).merge(guarded(state, save_email)),
        )
        .route("/settings/calendar/new", guarded(state, new_calendar))
        .route("/settings/calendar/revoke", guarded(state, revoke_calendar))
}

fn routes_2() -> Router<WebState> {
    Router::new().route(
        "/unsubscribe/{token}",
        get(unsubscribe_form).post(unsubscribe),
    )
}
