//! The participation dashboard: your own level and why, the distribution of levels against the
//! literature's reference, its history, movement between levels and weekly activity as
//! server-drawn SVG charts with tables; names and suggestions for coordinators and leaders.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use copse_app::participation::{self as app, Health, Mine, Overview};
use copse_core::domain::participation::{Level, MemberLevel};
use copse_core::words::counted;

use super::charts;
use crate::auth::PageViewer;
use crate::extract::PagePath;
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, nav, render_with_status};
use crate::state::WebState;

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

/// How quickly questions are answered, in a sentence.
fn response_text(h: &Health) -> String {
    if h.questions == 0 {
        return "No questions in the last 180 days.".to_string();
    }
    format!(
        "{} in the last 180 days, {:.0} % answered; median time to a first reply {}, to an accepted answer {}.",
        counted(h.questions, "question", "questions"),
        h.answered_share * 100.0,
        h.median_first_reply_hours
            .map_or("—".into(), |x| format!("{x:.1} h")),
        h.median_accepted_hours
            .map_or("—".into(), |x| format!("{x:.1} h"))
    )
}

/// How well the rhythm was kept, in a sentence.
fn rhythm_text(h: &Health) -> String {
    if h.planned == 0 {
        return "No meetings in the last six months.".to_string();
    }
    format!(
        "{} of {} planned occurrences held in the last six months; {:.1} people checked in on average.",
        h.held, h.planned, h.mean_attendance
    )
}

impl From<&Mine> for MineShown {
    fn from(m: &Mine) -> Self {
        MineShown {
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
                "In the same days you received {} to your threads and attended {}.",
                counted(m.answers_received, "reply", "replies"),
                counted(m.events_attended, "event", "events")
            ),
        }
    }
}

/// The names coordinators and leaders see: everyone's level, newcomers, a quiet core and
/// suggestions for whom to invite.
struct Names {
    members: Vec<Row>,
    newcomers: Vec<(String, String)>,
    quiet_core: Vec<(String, String)>,
    suggestions: Vec<(String, String, String)>,
}

impl From<&Overview> for Names {
    fn from(o: &Overview) -> Self {
        let pairs = |list: &[MemberLevel]| {
            list.iter()
                .map(|m| (m.handle.clone(), m.display_name.clone()))
                .collect::<Vec<_>>()
        };
        Names {
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
        }
    }
}

pub async fn dashboard(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let o = app::overview(&state, &actor, &slug).await?;
    let (weekly_svg, weekly_total) = charts::weekly(&o);
    let names = Names::from(&o);
    let page = Dashboard {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &o.gated, "participation").await?,
        mine: o.mine.as_ref().map(MineShown::from),
        distribution_svg: charts::distribution(&o),
        distribution: Level::ALL
            .iter()
            .map(|l| {
                let n = o.distribution.of(*l);
                (l.as_str(), n, format!("{:.0} %", charts::share(&o, *l)))
            })
            .collect(),
        reading: o.reading.clone(),
        history_svg: charts::history(&o),
        moves: o
            .moves
            .iter()
            .map(|m| (m.month.clone(), m.inwards, m.outwards))
            .collect(),
        moves_svg: charts::moves(&o),
        weekly_svg,
        weekly_total,
        leads_view: o.leads_view,
        may_recompute: o
            .gated
            .may(&actor, copse_core::policy::CommunityAction::ManageTopics),
        members: names.members,
        newcomers: names.newcomers,
        quiet_core: names.quiet_core,
        suggestions: names.suggestions,
        window_days: o.thresholds.window_days,
        core_points: o.thresholds.core_points,
        active_points: o.thresholds.active_points,
        computed: o
            .computed_at
            .map(copse_core::clock::human_date)
            .unwrap_or_else(|| "not yet".into()),
        health_svg: charts::health(&o.health),
        orgs_svg: charts::organisations(&o.health),
        response: response_text(&o.health),
        rhythm_text: rhythm_text(&o.health),
        health: o.health.clone(),
    };
    render_with_status(StatusCode::OK, &page)
}
