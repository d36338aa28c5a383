//! The participation dashboard: your own level and why, the distribution of levels against the
//! literature's reference, its history, movement between levels and weekly activity as
//! server-drawn SVG charts with tables; names and suggestions for coordinators and leaders.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use copse_core::domain::participation::Level;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, nav, render_with_status};
use crate::auth::PageViewer;
use crate::charts;
use crate::error::PageError;
use crate::extract::PagePath;
use crate::state::WebState;
use copse_app::participation as app;

/// The reader's own participation, as the page shows it.
struct MineShown {
    level: String,
    reasons: String,
    counts: Vec<(String, i64)>,
    path: Vec<String>,
    gains: String,
}

struct Row {
    handle: String,
    name: String,
    level: &'static str,
    points: i64,
}

#[derive(Template)]
#[template(path = "participation.html")]
struct Dashboard {
    nav: Nav,
    c: CommunityHead,
    mine: Option<MineShown>,
    distribution_svg: String,
    distribution: Vec<(&'static str, usize, String)>,
    reading: String,
    history_svg: String,
    moves: Vec<(String, usize, usize)>,
    moves_svg: String,
    weekly_svg: String,
    weekly_total: i64,
    leads_view: bool,
    may_recompute: bool,
    members: Vec<Row>,
    newcomers: Vec<(String, String)>,
    quiet_core: Vec<(String, String)>,
    suggestions: Vec<(String, String, String)>,
    window_days: i64,
    core_points: i64,
    active_points: i64,
    computed: String,
    health: app::Health,
    health_svg: String,
    orgs_svg: String,
    response: String,
    rhythm_text: String,
}

pub async fn dashboard(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let o = app::overview(&state, &actor, &slug).await?;
    let d = &o.distribution;
    let total = d.total().max(1) as f64;
    let share = |n: usize| n as f64 / total * 100.0;
    let distribution_svg = charts::stacked(
        "Levels of participation",
        &format!(
            "Now: core {:.0} %, active {:.0} %, peripheral {:.0} %, inactive {:.0} %. Reference: core 10–15 %, active 15–20 %, the rest peripheral.",
            share(d.core),
            share(d.active),
            share(d.peripheral),
            share(d.inactive)
        ),
        &[
            (
                "This community".into(),
                Level::ALL
                    .iter()
                    .map(|l| (l.as_str().to_string(), d.of(*l) as f64))
                    .collect(),
            ),
            (
                "Reference".into(),
                vec![
                    ("core".into(), 12.5),
                    ("active".into(), 17.5),
                    ("peripheral".into(), 70.0),
                    ("inactive".into(), 0.0),
                ],
            ),
        ],
    );
    let history: Vec<(String, f64)> = o
        .snapshots
        .iter()
        .map(|s| (s.day.clone(), (s.core + s.active) as f64))
        .collect();
    let history_svg = charts::bars(
        "Core and active members over time",
        &format!(
            "{} daily snapshots; the last shows {} core and active members.",
            history.len(),
            d.core + d.active
        ),
        &history,
        (history.len() / 6).max(1),
    );
    let moves_svg = charts::bars(
        "Moves inwards per month",
        "Members who moved to a more involved level each month (the table also shows moves outwards).",
        &o.moves
            .iter()
            .map(|m| (m.month.clone(), m.inwards as f64))
            .collect::<Vec<_>>(),
        1,
    );
    let weekly: Vec<(String, f64)> = o
        .weekly
        .iter()
        .map(|(w, n, _)| {
            (
                chrono::DateTime::from_timestamp_millis(*w)
                    .unwrap_or_default()
                    .format("%d %b")
                    .to_string(),
                *n as f64,
            )
        })
        .collect();
    let weekly_total: i64 = o.weekly.iter().map(|w| w.1).sum();
    let weekly_svg = charts::bars(
        "Weekly activity over a year",
        &format!(
            "{weekly_total} recorded acts over {} weeks with activity.",
            weekly.len()
        ),
        &weekly,
        (weekly.len() / 8).max(1),
    );
    let pairs = |list: &[copse_core::domain::participation::MemberLevel]| {
        list.iter()
            .map(|m| (m.handle.clone(), m.display_name.clone()))
            .collect::<Vec<_>>()
    };
    let h = &o.health;
    let health_svg = charts::bars(
        &format!("Community health: {} of 100", h.overall),
        &h.parts
            .iter()
            .map(|p| format!("{} {} ({})", p.0, p.1, p.2))
            .collect::<Vec<_>>()
            .join("; "),
        &h.parts
            .iter()
            .map(|p| (p.0.clone(), p.1 as f64))
            .collect::<Vec<_>>(),
        1,
    );
    let orgs_svg = charts::bars(
        "Members per organisation",
        &h.by_organisation
            .iter()
            .map(|(o, n)| format!("{o}: {n}"))
            .collect::<Vec<_>>()
            .join(", "),
        &h.by_organisation
            .iter()
            .map(|(o, n)| (o.clone(), *n as f64))
            .collect::<Vec<_>>(),
        1,
    );
    let response = if h.questions == 0 {
        "No questions in the last 180 days.".to_string()
    } else {
        format!(
            "{} questions in the last 180 days, {:.0} % answered; median time to a first reply {}, to an accepted answer {}.",
            h.questions,
            h.answered_share * 100.0,
            h.median_first_reply_hours
                .map_or("—".into(), |x| format!("{x:.1} h")),
            h.median_accepted_hours
                .map_or("—".into(), |x| format!("{x:.1} h"))
        )
    };
    let rhythm_text = if h.planned == 0 {
        "No meetings in the last six months.".to_string()
    } else {
        format!(
            "{} of {} planned occurrences held in the last six months; {:.1} people checked in on average.",
            h.held, h.planned, h.mean_attendance
        )
    };
    let may_recompute = o
        .gated
        .may(&actor, copse_core::policy::CommunityAction::ManageTopics);
    let page = Dashboard {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &o.gated, "participation").await?,
        mine: o.mine.as_ref().map(|m| MineShown {
            level: m.level.as_str().to_string(),
            reasons: m.explanation.clone(),
            counts: m.counts.clone(),
            path: m
                .history
                .iter()
                .map(|(from, to, at)| {
                    format!(
                        "{} → {} on {}",
                        from.map_or("new", |f| f.as_str()),
                        to.as_str(),
                        copse_core::clock::human_date(*at)
                    )
                })
                .collect(),
            gains: format!(
                "In the same days you received {} replies to your threads and attended {} events.",
                m.answers_received, m.events_attended
            ),
        }),
        distribution_svg,
        distribution: Level::ALL
            .iter()
            .map(|l| (l.as_str(), d.of(*l), format!("{:.0} %", share(d.of(*l)))))
            .collect(),
        reading: o.reading.clone(),
        history_svg,
        moves: o
            .moves
            .iter()
            .map(|m| (m.month.clone(), m.inwards, m.outwards))
            .collect(),
        moves_svg,
        weekly_svg,
        weekly_total,
        leads_view: o.leads_view,
        may_recompute,
        members: o
            .members
            .iter()
            .map(|m| Row {
                handle: m.handle.clone(),
                name: m.display_name.clone(),
                level: m.level.as_str(),
                points: m.points,
            })
            .collect(),
        newcomers: pairs(&o.newcomers),
        quiet_core: pairs(&o.quiet_core),
        suggestions: o
            .suggestions
            .iter()
            .map(|s| (s.handle.clone(), s.display_name.clone(), s.text.clone()))
            .collect(),
        window_days: o.thresholds.window_days,
        core_points: o.thresholds.core_points,
        active_points: o.thresholds.active_points,
        computed: o
            .computed_at
            .map(copse_core::clock::human_date)
            .unwrap_or_else(|| "not yet".into()),
        health: o.health.clone(),
        health_svg,
        orgs_svg,
        response,
        rhythm_text,
    };
    render_with_status(StatusCode::OK, &page)
}

pub async fn recompute(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    app::recompute_now(&state, &viewer.actor(), &slug).await?;
    done(&format!("/c/{slug}/participation"), "levels-recomputed")
}

#[derive(serde::Deserialize, Default)]
pub struct ExportQuery {
    table: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// `/c/{slug}/participation.csv`: one table of the export, for the signed-in reader.
pub async fn export_csv(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    crate::extract::PageQuery(q): crate::extract::PageQuery<ExportQuery>,
) -> Result<Response, PageError> {
    let me = viewer.require()?.id;
    let (from, to) = app::period(q.from.as_deref(), q.to.as_deref(), state.now())?;
    let e = app::export(&state, &viewer.actor(), &slug, me, from, to).await?;
    let csv = app::csv(&e, q.table.as_deref().unwrap_or("levels"))?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"participation.csv\"",
            ),
        ],
        csv,
    )
        .into_response())
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/participation", get(dashboard))
        .route(
            "/c/{slug}/participation/recompute",
            guarded(state, recompute),
        )
        .route("/c/{slug}/participation.csv", get(export_csv))
}
