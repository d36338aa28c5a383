//! A community's rhythm: its recurring events and how well each was kept against its plan.

use askama::Template;
use axum::extract::State;
use copse_core::clock::Millis;

use crate::auth::PageViewer;
use crate::extract::PagePath;
use crate::pages::communities::{CommunityHead, head};
use crate::pages::events::when;
use crate::pages::{Nav, Notice, PageResult, nav, render_with_status};
use crate::state::WebState;
use copse_app::rhythm::{self as app, Kept};

struct RhythmLine {
    event: i64,
    key: Millis,
    title: String,
    when: String,
    attended: i64,
    kept: &'static str,
    cancelled: bool,
}

#[derive(Template)]
#[template(path = "rhythm.html")]
struct RhythmPage {
    nav: Nav,
    c: CommunityHead,
    series: Vec<(i64, String, String)>,
    upcoming: Vec<RhythmLine>,
    past: Vec<RhythmLine>,
    months: Vec<app::MonthKept>,
}

fn line(r: &app::RhythmEntry) -> RhythmLine {
    RhythmLine {
        event: r.event,
        key: r.occurrence.key,
        title: r.title.clone(),
        when: when(r.occurrence.start, r.time_zone),
        attended: r.attended,
        kept: match r.kept {
            Some(Kept::Held) => "held",
            Some(Kept::Cancelled) => "cancelled",
            Some(Kept::NotRecorded) => "not recorded",
            None => "",
        },
        cancelled: r.occurrence.cancelled,
    }
}

pub async fn rhythm(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let r = app::rhythm(&state, &actor, &slug).await?;
    render_with_status(
        axum::http::StatusCode::OK,
        &RhythmPage {
            nav: nav(&state, &viewer, notice).await?,
            c: head(&state, &actor, &r.gated, "rhythm").await?,
            series: r
                .series
                .iter()
                .map(|(e, cadence)| (e.id, e.title.clone(), cadence.clone()))
                .collect(),
            upcoming: r.upcoming.iter().map(line).collect(),
            past: r.past.iter().map(line).collect(),
            months: r.months,
        },
    )
}
