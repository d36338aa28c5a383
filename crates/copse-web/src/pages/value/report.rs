//! The print-friendly value report, its introduction, and the stories pinned to it.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::policy::CommunityAction;
use copse_core::words::counted;
use serde::Deserialize;

use super::shown::StoryShown;
use super::shown::credit_href;
use super::shown::credit_titles;
use super::shown::shown;
use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, done, nav, render_with_status};
use crate::state::WebState;
use copse_app::value::{self as app};

#[derive(Template)]
#[template(path = "value_report.html")]
struct ReportPage {
    nav: Nav,
    c: CommunityHead,
    from: String,
    to: String,
    from_value: String,
    to_value: String,
    stories: usize,
    endorsements: i64,
    per_cycle: Vec<(&'static str, usize)>,
    per_topic: Vec<(String, String, usize)>,
    effects: Vec<(String, String, usize)>,
    credited: Vec<(String, String, &'static str, usize)>,
    people: Vec<(String, String, usize)>,
    strongest: Vec<StoryShown>,
    per_month: Vec<(String, usize)>,
    chart: String,
    introduction_html: String,
    introduction: String,
    may_edit: bool,
    export: String,
    export_json: String,
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
}

/// Every month of the period with its count of stories, months without stories included, so
/// that a chart shows the gaps too.
fn months_of(from: i64, to: i64, counted: &[(String, usize)]) -> Vec<(String, usize)> {
    use chrono::Datelike;
    let day = |ms: i64| chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
    let (mut y, mut m) = (day(from).year(), day(from).month());
    let (ey, em) = (day(to - 1).year(), day(to - 1).month());
    let mut out = Vec::new();
    while (y, m) <= (ey, em) && out.len() < 60 {
        let key = format!("{y:04}-{m:02}");
        let n = counted
            .iter()
            .find(|(k, _)| *k == key)
            .map_or(0, |(_, n)| *n);
        out.push((key, n));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// A day as the date fields and export links write it.
fn iso_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .format("%Y-%m-%d")
        .to_string()
}

/// The bar chart of stories per month, with the sentence a screen reader reads instead.
fn month_chart(stories: usize, from: i64, to: i64, per_month: &[(String, usize)]) -> String {
    let date = copse_core::clock::human_date;
    crate::charts::bars(
        "Stories per month",
        &format!(
            "{} told from {} to {}, by the month they were told.",
            counted(stories, "story", "stories"),
            date(from),
            date(to - 1)
        ),
        &per_month
            .iter()
            .map(|(m, n)| (m.clone(), *n as f64))
            .collect::<Vec<_>>(),
        if per_month.len() > 12 { 3 } else { 1 },
    )
}

/// The things stories credit, as (link, title, kind, stories) rows.
fn credited_rows(r: &app::Report) -> Vec<(String, String, &'static str, usize)> {
    r.credited
        .iter()
        .map(|c| {
            let kind = match c.kind.as_str() {
                "thread" => "thread",
                "event" => "event",
                _ => "circle",
            };
            (credit_href(&c.kind, c.id), c.title.clone(), kind, c.stories)
        })
        .collect()
}

pub async fn report(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<ReportQuery>,
) -> PageResult {
    let actor = viewer.actor();
    let (from, to) =
        copse_app::participation::period(q.from.as_deref(), q.to.as_deref(), state.now())?;
    let r = app::report(&state, &actor, &slug, from, to).await?;
    let titles = credit_titles(&state, &actor, &r.strongest).await?;
    let per_month = months_of(from, to, &r.per_month);
    let export_json = format!(
        "/api/v1/communities/{slug}/value-report?from={}&to={}",
        iso_date(from),
        iso_date(to - 1)
    );
    render_with_status(
        StatusCode::OK,
        &ReportPage {
            nav: nav(&state, &viewer, notice).await?,
            c: head(&state, &actor, &r.gated, "stories").await?,
            from: copse_core::clock::human_date(from),
            to: copse_core::clock::human_date(to - 1),
            export: format!("{export_json}&format=csv"),
            export_json,
            from_value: iso_date(from),
            to_value: iso_date(to - 1),
            stories: r.stories,
            endorsements: r.endorsements,
            per_cycle: r.per_cycle.iter().map(|(c, n)| (c.as_str(), *n)).collect(),
            per_topic: r.per_topic.clone(),
            effects: r
                .effects
                .iter()
                .map(|(u, v, n)| (u.clone(), format!("{v}"), *n))
                .collect(),
            credited: credited_rows(&r),
            people: r
                .people
                .iter()
                .map(|(p, n)| (p.handle.clone(), p.display_name.clone(), *n))
                .collect(),
            strongest: r.strongest.iter().map(|s| shown(s, &titles)).collect(),
            chart: month_chart(r.stories, from, to, &per_month),
            per_month,
            introduction_html: r
                .introduction
                .as_deref()
                .map(copse_app::markdown::to_html)
                .unwrap_or_default(),
            introduction: r.introduction.clone().unwrap_or_default(),
            may_edit: r.gated.may(&actor, CommunityAction::ManageTopics),
        },
    )
}

#[derive(Deserialize)]
pub struct IntroForm {
    #[serde(default)]
    introduction: String,
}

pub async fn set_introduction(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(f): PageForm<IntroForm>,
) -> PageResult {
    app::set_introduction(&state, &viewer.actor(), &slug, &f.introduction).await?;
    done(&format!("/c/{slug}/value-report"), "introduction-saved")
}

#[derive(Deserialize)]
pub struct PinForm {
    #[serde(default)]
    unpin: String,
}

pub async fn pin(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((_slug, id)): PagePath<(String, i64)>,
    PageForm(f): PageForm<PinForm>,
) -> PageResult {
    app::pin(&state, &viewer.actor(), id, f.unpin.is_empty()).await?;
    done(&format!("/stories/{id}"), "story-pinned")
}
