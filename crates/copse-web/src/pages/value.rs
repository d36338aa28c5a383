//! Pages of value: a community's stories with the form to tell one (credits prefilled from the
//! thread or event it came from), and the print-friendly value report.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::domain::value::{Cycle, StoryInput};
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_error, form_status, nav, render_with_status};
use crate::app::value::{self as app, ReadStory};
use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::AppState;

struct StoryShown {
    id: i64,
    teller: String,
    cycles: String,
    happened: String,
    took: String,
    did: String,
    difference: String,
    effect: String,
    endorsements: i64,
    credits: Vec<(String, String)>,
    pinned: bool,
}

fn shown(r: &ReadStory) -> StoryShown {
    let s = &r.story;
    StoryShown {
        id: s.id,
        teller: if r.teller_shown {
            s.author.display_name.clone()
        } else {
            "A member (anonymous)".into()
        },
        cycles: s
            .cycles
            .iter()
            .map(|c| c.as_str())
            .collect::<Vec<_>>()
            .join(", "),
        happened: s.happened.clone(),
        took: s.took.clone(),
        did: s.did.clone(),
        difference: s.difference.clone(),
        effect: s
            .effect
            .as_ref()
            .map(|e| {
                format!(
                    "{} {}{}",
                    e.value,
                    e.unit,
                    e.period
                        .as_ref()
                        .map(|p| format!(" {p}"))
                        .unwrap_or_default()
                )
            })
            .unwrap_or_default(),
        endorsements: s.endorsements,
        pinned: s.pinned,
        credits: s
            .credits
            .iter()
            .map(|(k, id)| {
                let href = match k.as_str() {
                    "thread" => format!("/t/{id}"),
                    "event" => format!("/e/{id}"),
                    _ => format!("/circles/{id}"),
                };
                (href, format!("{k} #{id}"))
            })
            .collect(),
    }
}

#[derive(Template)]
#[template(path = "stories.html")]
struct StoriesPage {
    nav: Nav,
    c: CommunityHead,
    stories: Vec<StoryShown>,
    credit: String,
    cycles: Vec<&'static str>,
    error: Option<String>,
    may_pin: bool,
}

#[derive(Deserialize, Default)]
pub struct StoriesQuery {
    #[serde(default)]
    credit: String,
}

async fn stories_page(
    state: &AppState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    slug: &str,
    credit: String,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let now = state.store.now();
    let (gated, list) = app::list(state, &actor, slug, now - 3 * 366 * 86_400_000, now + 1).await?;
    let list: Vec<StoryShown> = list
        .iter()
        .filter(|r| {
            credit.is_empty()
                || r.story
                    .credits
                    .iter()
                    .any(|(k, id)| format!("{k}:{id}") == credit)
        })
        .map(shown)
        .collect();
    render_with_status(
        error.as_ref().map_or(StatusCode::OK, |(s, _)| *s),
        &StoriesPage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "stories").await?,
            stories: list,
            credit,
            may_pin: gated.may(&actor, copse_core::policy::CommunityAction::ManageTopics),
            cycles: Cycle::ALL.iter().map(|c| c.as_str()).collect(),
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn stories(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<StoriesQuery>,
) -> PageResult {
    stories_page(&state, &viewer, notice, &slug, q.credit, None).await
}

#[derive(Deserialize, Default)]
pub struct TellForm {
    #[serde(default)]
    happened: String,
    #[serde(default)]
    took: String,
    #[serde(default)]
    did: String,
    #[serde(default)]
    difference: String,
    #[serde(default)]
    immediate: Option<String>,
    #[serde(default)]
    potential: Option<String>,
    #[serde(default)]
    applied: Option<String>,
    #[serde(default)]
    realized: Option<String>,
    #[serde(default)]
    reframing: Option<String>,
    #[serde(default)]
    effect_value: String,
    #[serde(default)]
    effect_unit: String,
    #[serde(default)]
    effect_period: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    anonymous: Option<String>,
    #[serde(default)]
    credit: String,
}

pub async fn tell(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(f): PageForm<TellForm>,
) -> PageResult {
    let cycles: Vec<String> = [
        ("immediate", &f.immediate),
        ("potential", &f.potential),
        ("applied", &f.applied),
        ("realized", &f.realized),
        ("reframing", &f.reframing),
    ]
    .iter()
    .filter(|(_, v)| v.is_some())
    .map(|(c, _)| c.to_string())
    .collect();
    let effect_value = match f.effect_value.trim() {
        "" => Ok(None),
        v => v
            .parse::<f64>()
            .map(Some)
            .map_err(|_| copse_core::Error::invalid("effect_value", "must be a number")),
    };
    let result = match effect_value {
        Ok(effect_value) => {
            let input = StoryInput {
                happened: f.happened.clone(),
                took: f.took.clone(),
                did: f.did.clone(),
                difference: f.difference.clone(),
                cycles,
                effect_value,
                effect_unit: Some(f.effect_unit.clone()).filter(|u| !u.trim().is_empty()),
                effect_period: Some(f.effect_period.clone()),
                visibility: Some(f.visibility.clone()).filter(|v| !v.is_empty()),
                anonymous: f.anonymous.is_some(),
            };
            let credits: Vec<String> = Some(f.credit.clone())
                .filter(|c| !c.is_empty())
                .into_iter()
                .collect();
            app::tell(&state, &viewer.actor(), &slug, &input, None, &credits).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => done(&format!("/c/{slug}/stories"), "story-told"),
        Err(e) => {
            let status = form_status(&e);
            let message = form_error(e)?;
            stories_page(
                &state,
                &viewer,
                Notice(None),
                &slug,
                f.credit,
                Some((status, message)),
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "value_report.html")]
struct ReportPage {
    nav: Nav,
    c: CommunityHead,
    from: String,
    to: String,
    stories: usize,
    endorsements: i64,
    per_cycle: Vec<(&'static str, usize)>,
    effects: Vec<(String, String, usize)>,
    credited: Vec<(String, String, usize)>,
    strongest: Vec<StoryShown>,
    per_month: Vec<(String, usize)>,
    introduction_html: String,
    introduction: String,
    may_edit: bool,
}

#[derive(Deserialize, Default)]
pub struct ReportQuery {
    from: Option<String>,
    to: Option<String>,
}

pub async fn report(
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<ReportQuery>,
) -> PageResult {
    let actor = viewer.actor();
    let (from, to) =
        crate::app::participation::period(q.from.as_deref(), q.to.as_deref(), state.store.now())?;
    let r = app::report(&state, &actor, &slug, from, to).await?;
    let date = |ms: i64| copse_core::clock::human_date(ms);
    render_with_status(
        StatusCode::OK,
        &ReportPage {
            nav: nav(&state, &viewer, notice).await?,
            c: head(&state, &actor, &r.gated, "stories").await?,
            from: date(from),
            to: date(to - 1),
            stories: r.stories,
            endorsements: r.endorsements,
            per_cycle: r.per_cycle.iter().map(|(c, n)| (c.as_str(), *n)).collect(),
            effects: r
                .effects
                .iter()
                .map(|(u, v, n)| (u.clone(), format!("{v}"), *n))
                .collect(),
            credited: r
                .credited
                .iter()
                .map(|(k, id, n)| {
                    let href = if k == "thread" {
                        format!("/t/{id}")
                    } else if k == "event" {
                        format!("/e/{id}")
                    } else {
                        format!("/circles/{id}")
                    };
                    (href, format!("{k} #{id}"), *n)
                })
                .collect(),
            strongest: r.strongest.iter().map(shown).collect(),
            per_month: r.per_month.clone(),
            introduction_html: r
                .introduction
                .as_deref()
                .map(crate::markdown::to_html)
                .unwrap_or_default(),
            introduction: r.introduction.clone().unwrap_or_default(),
            may_edit: r
                .gated
                .may(&actor, copse_core::policy::CommunityAction::ManageTopics),
        },
    )
}

#[derive(Deserialize)]
pub struct IntroForm {
    #[serde(default)]
    introduction: String,
}

pub async fn set_introduction(
    State(state): State<AppState>,
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
    State(state): State<AppState>,
    PageViewer(viewer): PageViewer,
    PagePath((slug, id)): PagePath<(String, i64)>,
    PageForm(f): PageForm<PinForm>,
) -> PageResult {
    app::pin(&state, &viewer.actor(), id, f.unpin.is_empty()).await?;
    done(&format!("/c/{slug}/stories#story-{id}"), "story-pinned")
}
