//! Pages of value: a community's stories with the form to tell one (prefilled from the thread,
//! event, circle or conversation it came from), one story with its endorsements and comments,
//! editing and deleting it, and the print-friendly value report.

use std::collections::HashMap;

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use copse_core::domain::value::{Cycle, StoryInput, StoryVisibility};
use copse_core::policy::{Actor, CommunityAction};
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_error, form_status, nav, render_with_status};
use crate::auth::{PageViewer, Viewer};
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::access::Gated;
use copse_app::value::{self as app, ReadStory, StoryDraft};

/// A story as a page shows it.
pub struct StoryShown {
    id: i64,
    teller: String,
    cycles: String,
    happened: String,
    took: String,
    did: String,
    difference: String,
    effect: String,
    endorsements: i64,
    comments: i64,
    /// (address, title) of what it credits that the reader may read.
    credits: Vec<(String, String)>,
    topics: Vec<(String, String)>,
    pinned: bool,
    edited: bool,
    visibility: &'static str,
}

fn credit_href(kind: &str, id: i64) -> String {
    match kind {
        "thread" => format!("/t/{id}"),
        "event" => format!("/e/{id}"),
        _ => format!("/circles/{id}"),
    }
}

/// The titles of the things stories credit, for one reader; what the reader may not read is
/// left out. Each distinct credit is resolved once per page.
async fn credit_titles(
    state: &WebState,
    actor: &Actor,
    stories: &[ReadStory],
) -> Result<HashMap<(String, i64), String>, PageError> {
    let mut titles = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for (kind, id) in stories.iter().flat_map(|r| r.story.credits.iter()) {
        if seen.insert((kind.clone(), *id))
            && let Some((_, title)) = app::resolve_credit(state, actor, kind, *id).await?
        {
            titles.insert((kind.clone(), *id), title);
        }
    }
    Ok(titles)
}

fn shown(r: &ReadStory, titles: &HashMap<(String, i64), String>) -> StoryShown {
    let s = &r.story;
    StoryShown {
        id: s.id,
        teller: if r.teller_shown {
            format!(
                "{}{}",
                s.author.display_name,
                if s.anonymous {
                    " (anonymous to members)"
                } else {
                    ""
                }
            )
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
        comments: s.comments,
        pinned: s.pinned,
        edited: s.updated_at.is_some(),
        visibility: match s.visibility {
            StoryVisibility::Community => "the community",
            StoryVisibility::Circle => "a circle",
            StoryVisibility::Coordinators => "the coordinators",
        },
        topics: s.topics.clone(),
        credits: s
            .credits
            .iter()
            .filter_map(|(k, id)| {
                titles
                    .get(&(k.clone(), *id))
                    .map(|t| (credit_href(k, *id), t.clone()))
            })
            .collect(),
    }
}

/// The values of the story form, as sent or as prefilled.
#[derive(Default, Clone)]
pub struct StoryFormValues {
    happened: String,
    took: String,
    did: String,
    difference: String,
    cycles: Vec<String>,
    effect_value: String,
    effect_unit: String,
    effect_period: String,
    visibility: String,
    circle: String,
    anonymous: bool,
    /// `thread:42 event:7`, space- or comma-separated.
    credits: String,
    topics: Vec<String>,
}

/// The story form sends one `cycles` and one `topics` field per ticked box; serde_urlencoded
/// cannot gather repeated keys, so the pairs are read as they come.
pub struct StoryForm(StoryFormValues);

impl<S: Send + Sync> axum::extract::FromRequest<S> for StoryForm {
    type Rejection = PageError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        let PageForm(pairs) = PageForm::<Vec<(String, String)>>::from_request(req, state).await?;
        let mut f = StoryFormValues::default();
        for (key, value) in pairs {
            match key.as_str() {
                "happened" => f.happened = value,
                "took" => f.took = value,
                "did" => f.did = value,
                "difference" => f.difference = value,
                "cycles" => f.cycles.push(value),
                "effect_value" => f.effect_value = value,
                "effect_unit" => f.effect_unit = value,
                "effect_period" => f.effect_period = value,
                "visibility" => f.visibility = value,
                "circle" => f.circle = value,
                "anonymous" => f.anonymous = true,
                "credits" => f.credits = value,
                "topics" => f.topics.push(value),
                _ => {}
            }
        }
        Ok(StoryForm(f))
    }
}

impl StoryFormValues {
    fn has_cycle(&self, cycle: &str) -> bool {
        self.cycles.iter().any(|c| c == cycle)
    }

    fn draft(&self) -> copse_core::Result<StoryDraft> {
        let effect_value = match self.effect_value.trim() {
            "" => None,
            v => Some(
                v.parse::<f64>()
                    .map_err(|_| copse_core::Error::invalid("effect_value", "must be a number"))?,
            ),
        };
        let circle =
            match self.circle.trim() {
                "" => None,
                c => Some(c.parse::<i64>().map_err(|_| {
                    copse_core::Error::invalid("circle", "choose one of your circles")
                })?),
            };
        let visibility = Some(self.visibility.clone()).filter(|v| !v.is_empty());
        Ok(StoryDraft {
            input: StoryInput {
                happened: self.happened.clone(),
                took: self.took.clone(),
                did: self.did.clone(),
                difference: self.difference.clone(),
                cycles: self.cycles.clone(),
                effect_value,
                effect_unit: Some(self.effect_unit.clone()).filter(|u| !u.trim().is_empty()),
                effect_period: Some(self.effect_period.clone()),
                anonymous: self.anonymous,
                visibility: visibility.clone(),
            },
            // A circle chosen for a story that is not a circle story is ignored, not an error.
            circle: circle.filter(|_| visibility.as_deref() == Some("circle")),
            credits: self
                .credits
                .split([' ', ','])
                .filter(|c| !c.trim().is_empty())
                .map(str::to_string)
                .collect(),
            topics: self.topics.clone(),
        })
    }

    fn of(r: &ReadStory) -> StoryFormValues {
        let s = &r.story;
        StoryFormValues {
            happened: s.happened.clone(),
            took: s.took.clone(),
            did: s.did.clone(),
            difference: s.difference.clone(),
            cycles: s.cycles.iter().map(|c| c.as_str().to_string()).collect(),
            effect_value: s
                .effect
                .as_ref()
                .map(|e| e.value.to_string())
                .unwrap_or_default(),
            effect_unit: s
                .effect
                .as_ref()
                .map(|e| e.unit.clone())
                .unwrap_or_default(),
            effect_period: s
                .effect
                .as_ref()
                .and_then(|e| e.period.clone())
                .unwrap_or_default(),
            visibility: s.visibility.as_str().to_string(),
            circle: s.circle_id.map(|c| c.to_string()).unwrap_or_default(),
            anonymous: s.anonymous,
            credits: s
                .credits
                .iter()
                .map(|(k, id)| format!("{k}:{id}"))
                .collect::<Vec<_>>()
                .join(" "),
            topics: s.topics.iter().map(|(slug, _)| slug.clone()).collect(),
        }
    }
}

/// What the story form offers: the community's topics and the reader's circles in it.
struct FormChoices {
    cycles: Vec<&'static str>,
    topics: Vec<(String, String)>,
    circles: Vec<(String, String)>,
    /// Titles of the prefilled credits the reader may read.
    credit_titles: Vec<(String, String)>,
}

async fn form_choices(
    state: &WebState,
    actor: &Actor,
    gated: &Gated,
    form: &StoryFormValues,
) -> Result<FormChoices, PageError> {
    let topics = copse_app::communities::topics(state, gated).await?;
    let circles = copse_app::circles::mine_in(state, actor, gated)
        .await?
        .into_iter()
        .map(|c| (c.id.to_string(), c.name))
        .collect();
    let mut credit_titles = Vec::new();
    for raw in form.credits.split([' ', ',']).filter(|c| !c.is_empty()) {
        if let Some((kind, id)) = raw.split_once(':')
            && let Ok(id) = id.parse::<i64>()
            && let Some((c, title)) = app::resolve_credit(state, actor, kind, id).await?
            && c == gated.community.id
        {
            credit_titles.push((credit_href(kind, id), title));
        }
    }
    Ok(FormChoices {
        cycles: Cycle::ALL.iter().map(|c| c.as_str()).collect(),
        topics: topics.into_iter().map(|t| (t.slug, t.name)).collect(),
        circles,
        credit_titles,
    })
}

#[derive(Template)]
#[template(path = "stories.html")]
struct StoriesPage {
    nav: Nav,
    c: CommunityHead,
    stories: Vec<StoryShown>,
    form: StoryFormValues,
    choices: FormChoices,
    action: String,
    submit: &'static str,
    filter: String,
    error: Option<String>,
    may_pin: bool,
}

#[derive(Deserialize, Default)]
pub struct StoriesQuery {
    /// Prefill: what the story came from (`thread:42`), which also filters the list.
    #[serde(default)]
    credit: String,
    /// Only stories about this topic.
    #[serde(default)]
    topic: String,
    /// Prefill of "what happened" (from a conversation).
    #[serde(default)]
    happened: String,
    /// Prefill: a circle story of this circle.
    #[serde(default)]
    circle: String,
}

async fn stories_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    slug: &str,
    q: &StoriesQuery,
    form: StoryFormValues,
    error: Option<(StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let now = state.now();
    let (gated, list) = app::list(state, &actor, slug, now - 3 * 366 * 86_400_000, now + 1).await?;
    let list: Vec<ReadStory> = list
        .into_iter()
        .filter(|r| {
            (q.credit.is_empty()
                || r.story
                    .credits
                    .iter()
                    .any(|(k, id)| format!("{k}:{id}") == q.credit))
                && (q.topic.is_empty() || r.story.topics.iter().any(|(s, _)| *s == q.topic))
        })
        .collect();
    let titles = credit_titles(state, &actor, &list).await?;
    let choices = form_choices(state, &actor, &gated, &form).await?;
    let filter = if !q.topic.is_empty() {
        choices
            .topics
            .iter()
            .find(|(s, _)| *s == q.topic)
            .map(|(_, n)| format!("about {n}"))
            .unwrap_or_default()
    } else if !q.credit.is_empty() {
        choices
            .credit_titles
            .first()
            .map(|(_, t)| format!("crediting {t}"))
            .unwrap_or_default()
    } else {
        String::new()
    };
    render_with_status(
        error.as_ref().map_or(StatusCode::OK, |(s, _)| *s),
        &StoriesPage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "stories").await?,
            stories: list.iter().map(|r| shown(r, &titles)).collect(),
            action: format!("/c/{slug}/stories"),
            submit: "Tell the story",
            form,
            choices,
            filter,
            may_pin: gated.may(&actor, CommunityAction::ManageTopics),
            error: error.map(|(_, m)| m),
        },
    )
}

pub async fn stories(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<StoriesQuery>,
) -> PageResult {
    let form = StoryFormValues {
        credits: q.credit.clone(),
        happened: q.happened.chars().take(5_000).collect(),
        visibility: if q.circle.is_empty() {
            String::new()
        } else {
            "circle".into()
        },
        circle: q.circle.clone(),
        ..StoryFormValues::default()
    };
    stories_page(&state, &viewer, notice, &slug, &q, form, None).await
}

pub async fn tell(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    StoryForm(f): StoryForm,
) -> PageResult {
    let result = match f.draft() {
        Ok(draft) => app::tell(&state, &viewer.actor(), &slug, &draft).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(r) => done(&format!("/stories/{}", r.story.id), "story-told"),
        Err(e) => {
            let status = form_status(&e);
            let message = form_error(e)?;
            let q = StoriesQuery::default();
            stories_page(
                &state,
                &viewer,
                Notice(None),
                &slug,
                &q,
                f,
                Some((status, message)),
            )
            .await
        }
    }
}

struct CommentShown {
    id: i64,
    author: String,
    handle: String,
    body_html: String,
    when: String,
    may_delete: bool,
}

#[derive(Template)]
#[template(path = "story.html")]
struct StoryPage {
    nav: Nav,
    c: CommunityHead,
    s: StoryShown,
    comments: Vec<CommentShown>,
    mine: bool,
    endorsed: bool,
    may_comment: bool,
    may_moderate: bool,
    may_pin: bool,
    editing: bool,
    form: StoryFormValues,
    choices: FormChoices,
    action: String,
    submit: &'static str,
    error: Option<String>,
    comment_body: String,
    comment_error: Option<String>,
}

/// A comment sent back with its problem named.
#[derive(Default)]
struct CommentDraft {
    body: String,
    error: Option<(StatusCode, String)>,
}

async fn story_page(
    state: &WebState,
    viewer: &Viewer,
    notice: Notice,
    id: i64,
    editing: Option<(StoryFormValues, Option<(StatusCode, String)>)>,
    comment: CommentDraft,
) -> PageResult {
    let actor = viewer.actor();
    let read = app::get(state, &actor, id).await?;
    let gated = app::story_community(state, &actor, &read.story).await?;
    let me = actor.account_id();
    let mine = me == Some(read.story.author.id);
    let may_moderate = gated.may(&actor, CommunityAction::ManageTopics);
    let comments = app::comments(state, &actor, id).await?;
    let endorsed = app::endorsed_by(state, &actor, id).await?;
    let titles = credit_titles(state, &actor, std::slice::from_ref(&read)).await?;
    let comment_error = comment.error.as_ref().map(|(_, m)| m.clone());
    let (form, error) = match editing.clone() {
        Some((form, error)) => (form, error),
        None => (StoryFormValues::of(&read), None),
    };
    let choices = form_choices(state, &actor, &gated, &form).await?;
    render_with_status(
        error
            .as_ref()
            .or(comment.error.as_ref())
            .map_or(StatusCode::OK, |(s, _)| *s),
        &StoryPage {
            nav: nav(state, viewer, notice).await?,
            c: head(state, &actor, &gated, "stories").await?,
            s: shown(&read, &titles),
            comments: comments
                .iter()
                .map(|c| CommentShown {
                    id: c.id,
                    author: c.author.display_name.clone(),
                    handle: c.author.handle.clone(),
                    body_html: copse_app::markdown::to_html(&c.body),
                    when: copse_core::clock::human_date(c.created_at),
                    may_delete: may_moderate || me == Some(c.author.id),
                })
                .collect(),
            mine,
            endorsed,
            may_comment: gated.may(&actor, CommunityAction::Post),
            may_moderate,
            may_pin: may_moderate,
            editing: editing.is_some(),
            form,
            choices,
            action: format!("/stories/{id}/edit"),
            submit: "Save the story",
            error: error.map(|(_, m)| m),
            comment_body: comment.body,
            comment_error,
        },
    )
}

pub async fn story(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    story_page(&state, &viewer, notice, id, None, CommentDraft::default()).await
}

pub async fn edit_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let read = app::get(&state, &viewer.actor(), id).await?;
    if viewer.actor().account_id() != Some(read.story.author.id) {
        return Err(copse_core::Error::forbidden("Only the teller may edit a story.").into());
    }
    let form = StoryFormValues::of(&read);
    story_page(
        &state,
        &viewer,
        Notice(None),
        id,
        Some((form, None)),
        CommentDraft::default(),
    )
    .await
}

pub async fn edit(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    StoryForm(f): StoryForm,
) -> PageResult {
    let result = match f.draft() {
        Ok(draft) => app::edit(&state, &viewer.actor(), id, &draft).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => done(&format!("/stories/{id}"), "story-saved"),
        Err(e) => {
            let status = form_status(&e);
            let message = form_error(e)?;
            story_page(
                &state,
                &viewer,
                Notice(None),
                id,
                Some((f, Some((status, message)))),
                CommentDraft::default(),
            )
            .await
        }
    }
}

pub async fn delete(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let slug = app::delete(&state, &viewer.actor(), id).await?;
    done(&format!("/c/{slug}/stories"), "story-deleted")
}

#[derive(Deserialize)]
pub struct EndorseForm {
    #[serde(default)]
    undo: String,
}

pub async fn endorse(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<EndorseForm>,
) -> PageResult {
    app::endorse(&state, &viewer.actor(), id, f.undo.is_empty()).await?;
    done(&format!("/stories/{id}"), "story-endorsed")
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    body: String,
}

pub async fn comment(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(f): PageForm<CommentForm>,
) -> PageResult {
    match app::comment(&state, &viewer.actor(), id, &f.body).await {
        Ok(c) => done(&format!("/stories/{id}#comment-{}", c.id), "comment-added"),
        Err(e) => {
            let status = form_status(&e);
            let message = form_error(e)?;
            let comment = CommentDraft {
                body: f.body,
                error: Some((status, message)),
            };
            story_page(&state, &viewer, Notice(None), id, None, comment).await
        }
    }
}

pub async fn delete_comment(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let story = app::delete_comment(&state, &viewer.actor(), id).await?;
    done(&format!("/stories/{story}"), "comment-deleted")
}

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
    let date = |ms: i64| copse_core::clock::human_date(ms);
    let iso = |ms: i64| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .format("%Y-%m-%d")
            .to_string()
    };
    let titles = credit_titles(&state, &actor, &r.strongest).await?;
    let per_month = months_of(from, to, &r.per_month);
    let chart = crate::charts::bars(
        "Stories per month",
        &format!(
            "{} stories told from {} to {}, by the month they were told.",
            r.stories,
            date(from),
            date(to - 1)
        ),
        &per_month
            .iter()
            .map(|(m, n)| (m.clone(), *n as f64))
            .collect::<Vec<_>>(),
        if per_month.len() > 12 { 3 } else { 1 },
    );
    render_with_status(
        StatusCode::OK,
        &ReportPage {
            nav: nav(&state, &viewer, notice).await?,
            c: head(&state, &actor, &r.gated, "stories").await?,
            from: date(from),
            to: date(to - 1),
            export: format!(
                "/api/v1/communities/{slug}/value-report?from={}&to={}&format=csv",
                iso(from),
                iso(to - 1)
            ),
            export_json: format!(
                "/api/v1/communities/{slug}/value-report?from={}&to={}",
                iso(from),
                iso(to - 1)
            ),
            from_value: iso(from),
            to_value: iso(to - 1),
            stories: r.stories,
            endorsements: r.endorsements,
            per_cycle: r.per_cycle.iter().map(|(c, n)| (c.as_str(), *n)).collect(),
            per_topic: r.per_topic.clone(),
            effects: r
                .effects
                .iter()
                .map(|(u, v, n)| (u.clone(), format!("{v}"), *n))
                .collect(),
            credited: r
                .credited
                .iter()
                .map(|c| {
                    let kind = match c.kind.as_str() {
                        "thread" => "thread",
                        "event" => "event",
                        _ => "circle",
                    };
                    (credit_href(&c.kind, c.id), c.title.clone(), kind, c.stories)
                })
                .collect(),
            people: r
                .people
                .iter()
                .map(|(p, n)| (p.handle.clone(), p.display_name.clone(), *n))
                .collect(),
            strongest: r.strongest.iter().map(|s| shown(s, &titles)).collect(),
            per_month,
            chart,
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

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route(
            "/c/{slug}/stories",
            get(stories).merge(guarded(state, tell)),
        )
        .route("/c/{slug}/value-report", get(report))
        .route(
            "/c/{slug}/value-report/introduction",
            guarded(state, set_introduction),
        )
        .route("/c/{slug}/stories/{id}/pin", guarded(state, pin))
        .route("/stories/{id}", get(story))
        .route(
            "/stories/{id}/edit",
            get(edit_form).merge(guarded(state, edit)),
        )
        .route("/stories/{id}/delete", guarded(state, delete))
        .route("/stories/{id}/endorse", guarded(state, endorse))
        .route("/stories/{id}/comments", guarded(state, comment))
        .route(
            "/story-comments/{id}/delete",
            guarded(state, delete_comment),
        )
}
