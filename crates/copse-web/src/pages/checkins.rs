//! Pages of check-ins: a community's rounds with the coordinators' schedule, and one round to
//! answer, turn into a value story, or (for coordinators) read everyone's answers.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use chrono::{NaiveDate, NaiveTime, TimeZone};
use chrono_tz::Tz;
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status};
use crate::auth::{PageViewer, Viewer};
use crate::extract::{PageForm, PagePath};
use crate::state::WebState;
use copse_app::checkins as app;

/// The viewer's time zone (from their profile), UTC when they have not said.
pub(super) fn viewer_zone(viewer: &Viewer) -> Tz {
    viewer
        .account
        .as_ref()
        .and_then(|a| a.profile.time_zone.as_deref())
        .and_then(|z| z.parse::<Tz>().ok())
        .unwrap_or(Tz::UTC)
}

pub(super) fn local(ms: i64, tz: Tz) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%A %-d %B %Y, %H:%M")
        .to_string()
}

/// A date and time typed in the viewer's zone (09:00 when no time is given); `None` when the
/// date is empty. `field` names the input in the error.
pub(super) fn parse_local(
    field: &str,
    date: &str,
    time: &str,
    tz: Tz,
) -> copse_core::Result<Option<i64>> {
    let date = date.trim();
    if date.is_empty() {
        return Ok(None);
    }
    let time = match time.trim() {
        "" => "09:00",
        t => t,
    };
    NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .ok()
        .zip(NaiveTime::parse_from_str(time, "%H:%M").ok())
        .and_then(|(d, t)| tz.from_local_datetime(&d.and_time(t)).earliest())
        .map(|t| Some(t.timestamp_millis()))
        .ok_or_else(|| copse_core::Error::invalid(field, "give a date and a time"))
}

struct RoundLine {
    id: i64,
    prompt: String,
    opened: String,
    closes: String,
    open: bool,
    answers: i64,
    answered: bool,
}

#[derive(Template)]
#[template(path = "checkins.html")]
struct CheckinsPage {
    nav: Nav,
    c: CommunityHead,
    rounds: Vec<RoundLine>,
    may_manage: bool,
    prompt: String,
    cadence: String,
    next_date: String,
    next_time: String,
    next_text: String,
    zone: String,
    error: Option<String>,
}

async fn checkins_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    slug: &str,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, rounds) = app::rounds(state, &actor, slug).await?;
    let tz = viewer_zone(viewer);
    let now = state.now();
    let schedule = app::schedule(state, &actor, slug)
        .await
        .ok()
        .map(|(_, s)| s);
    let next = schedule.as_ref().and_then(|s| s.next_at).map(|ms| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&tz)
    });
    render_with_status(
        error.as_ref().map_or(StatusCode::OK, |(s, _)| *s),
        &CheckinsPage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "stories").await?,
            rounds: rounds
                .iter()
                .map(|(k, mine)| RoundLine {
                    id: k.id,
                    prompt: k.prompt.clone(),
                    opened: local(k.opened_at, tz),
                    closes: local(k.closes_at, tz),
                    open: k.opened_at <= now && now < k.closes_at,
                    answers: k.answers,
                    answered: mine.is_some(),
                })
                .collect(),
            may_manage: schedule.is_some(),
            prompt: schedule
                .as_ref()
                .map(|s| s.prompt.clone())
                .unwrap_or_default(),
            cadence: schedule
                .as_ref()
                .map_or("monthly", |s| s.cadence.as_str())
                .to_string(),
            next_date: next
                .map(|n| n.format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            next_time: next.map_or("09:00".into(), |n| n.format("%H:%M").to_string()),
            next_text: schedule
                .as_ref()
                .and_then(|s| s.next_at)
                .map(|ms| local(ms, tz))
                .unwrap_or_default(),
            zone: tz.name().to_string(),
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn checkins(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    checkins_page(&state, &viewer, notice, &slug, None).await
}

#[derive(Deserialize)]
pub struct ScheduleForm {
    #[serde(default)]
    prompt: String,
    #[serde(default)]
    cadence: String,
    /// Empty: paused.
    #[serde(default)]
    next_date: String,
    #[serde(default)]
    next_time: String,
}

pub async fn set_schedule(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(f): PageForm<ScheduleForm>,
) -> PageResult {
    let tz = viewer_zone(&viewer);
    let next_at = parse_local("next_at", &f.next_date, &f.next_time, tz);
    let result = match next_at {
        Ok(next_at) => {
            app::set_schedule(
                &state,
                &viewer.actor(),
                &slug,
                &f.prompt,
                &f.cadence,
                next_at,
            )
            .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => done(&format!("/c/{slug}/checkins"), "checkin-saved"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            checkins_page(
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

pub async fn open_now(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let k = app::open_now(&state, &viewer.actor(), &slug).await?;
    done(&format!("/checkins/{}", k.id), "checkin-opened")
}

struct AnswerLine {
    name: String,
    handle: String,
    learned: String,
    applied: String,
    story: Option<i64>,
}

#[derive(Template)]
#[template(path = "checkin.html")]
struct CheckinPage {
    nav: Nav,
    c: CommunityHead,
    id: i64,
    prompt: String,
    opened: String,
    closes: String,
    open: bool,
    learned: String,
    applied: String,
    answered: bool,
    story: Option<i64>,
    may_answer: bool,
    answers: Option<Vec<AnswerLine>>,
    error: Option<String>,
}

async fn checkin_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    id: i64,
    sent: Option<(String, String, StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let r = app::round(state, &actor, id).await?;
    let tz = viewer_zone(viewer);
    let (learned, applied) = match (&sent, &r.mine) {
        (Some((l, a, _, _)), _) => (l.clone(), a.clone()),
        (None, Some(m)) => (m.learned.clone(), m.applied.clone()),
        (None, None) => (String::new(), String::new()),
    };
    render_with_status(
        sent.as_ref().map_or(StatusCode::OK, |s| s.2),
        &CheckinPage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &r.gated, "stories").await?,
            id,
            prompt: r.checkin.prompt.clone(),
            opened: local(r.checkin.opened_at, tz),
            closes: local(r.checkin.closes_at, tz),
            open: r.open,
            learned,
            applied,
            answered: r.mine.is_some(),
            story: r.mine.as_ref().and_then(|m| m.story_id),
            may_answer: r
                .gated
                .may(&actor, copse_core::policy::CommunityAction::Post),
            answers: r.answers.as_ref().map(|list| {
                list.iter()
                    .map(|a| AnswerLine {
                        name: a.member.display_name.clone(),
                        handle: a.member.handle.clone(),
                        learned: a.learned.clone(),
                        applied: a.applied.clone(),
                        story: a.story_id,
                    })
                    .collect()
            }),
            error: sent.map(|s| s.3),
        },
    )
}

pub async fn checkin(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    checkin_page(&state, &viewer, notice, id, None).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    learned: String,
    #[serde(default)]
    applied: String,
}

pub async fn answer(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<AnswerForm>,
) -> PageResult {
    match app::answer(&state, &viewer.actor(), id, &f.learned, &f.applied).await {
        Ok(_) => done(&format!("/checkins/{id}"), "answer-saved"),
        Err(e) => {
            let (status, message) = form_problem(e)?;
            checkin_page(
                &state,
                &viewer,
                Notice(None),
                id,
                Some((f.learned, f.applied, status, message)),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct ToStoryForm {
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    anonymous: Option<String>,
}

pub async fn to_story(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<ToStoryForm>,
) -> PageResult {
    let visibility = Some(f.visibility.as_str()).filter(|v| !v.is_empty());
    let r = app::to_story(
        &state,
        &viewer.actor(),
        id,
        visibility,
        f.anonymous.is_some(),
    )
    .await?;
    done(&format!("/stories/{}", r.story.id), "story-told")
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/checkins", get(checkins))
        .route("/c/{slug}/checkins/schedule", guarded(state, set_schedule))
        .route("/c/{slug}/checkins/open", guarded(state, open_now))
        .route("/checkins/{id}", get(checkin))
        .route("/checkins/{id}/answer", guarded(state, answer))
        .route("/checkins/{id}/story", guarded(state, to_story))
}
