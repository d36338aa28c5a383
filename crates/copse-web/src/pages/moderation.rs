//! Pages of moderation: a community's review queue with its decisions, silences and settings;
//! its moderation log, which every member reads; and every community's queue and log for site
//! admins.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::clock::{human_date, rfc3339};
use copse_core::domain::{LogEntry, ModerationSettings, QueueItem, Target};
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::pages::common::guarded;
use crate::pages::communities::{CommunityHead, head};
use crate::pages::{Nav, Notice, PageResult, done, nav, render};
use crate::state::WebState;
use copse_app::markdown;
use copse_app::moderation::{self as app, QueueAction};

struct QueueRow {
    /// The community's address; none for a profile (decided from the site's queue).
    community: Option<String>,
    target: &'static str,
    id: i64,
    /// What it is, in words: "A reply in", "A value story:", …
    kind: &'static str,
    about: String,
    /// Where the moderator reads it in place (none for a message of a private conversation).
    link: Option<String>,
    excerpt: String,
    author_handle: String,
    author_name: String,
    flags: i64,
    reasons: String,
    notes: Vec<String>,
    hidden: bool,
    awaiting: bool,
    since: String,
    author_posts: i64,
    author_actions: i64,
}

impl From<&QueueItem> for QueueRow {
    fn from(q: &QueueItem) -> Self {
        QueueRow {
            community: q.community.clone(),
            target: q.target.as_str(),
            id: q.target_id,
            kind: kind_words(q.target),
            about: q.about.clone(),
            link: link_of(q),
            excerpt: markdown::excerpt(&q.body, 400),
            author_handle: q.author.handle.clone(),
            author_name: q.author.display_name.clone(),
            flags: q.flags,
            reasons: q
                .reasons
                .iter()
                .map(|r| r.label())
                .collect::<Vec<_>>()
                .join(", "),
            notes: q.notes.clone(),
            hidden: q.hidden,
            awaiting: q.awaiting,
            since: human_date(q.first_flagged_at),
            author_posts: q.author_posts,
            author_actions: q.author_actions,
        }
    }
}

/// How a queue item says what it is, before what it is about.
fn kind_words(target: Target) -> &'static str {
    match target {
        Target::Thread => "",
        Target::Reply => "A reply in",
        Target::Story => "A value story:",
        Target::StoryComment => "A comment on the story",
        Target::Message => "A message in the private conversation",
        Target::Profile => "The profile of",
        Target::Account => "",
    }
}

/// Where a moderator reads a queue item in place.
fn link_of(q: &QueueItem) -> Option<String> {
    let parent = q.parent_id.unwrap_or_default();
    match q.target {
        Target::Thread => Some(format!("/t/{parent}")),
        Target::Reply => Some(format!("/t/{parent}#reply-{}", q.target_id)),
        Target::Story => Some(format!("/stories/{}", q.target_id)),
        Target::StoryComment => Some(format!("/stories/{parent}#comment-{}", q.target_id)),
        Target::Profile => Some(format!("/u/{}", q.author.handle)),
        Target::Message | Target::Account => None,
    }
}

struct LogRow {
    moderator: String,
    did: &'static str,
    summary: String,
    link: Option<String>,
    reason: Option<String>,
    when: String,
    when_iso: String,
}

impl From<&LogEntry> for LogRow {
    fn from(e: &LogEntry) -> Self {
        LogRow {
            moderator: e
                .moderator
                .as_ref()
                .map_or_else(|| "Members' flags".to_string(), |p| p.display_name.clone()),
            did: e.action.past(),
            summary: e.summary.clone(),
            link: match e.target {
                Target::Thread => Some(format!("/t/{}", e.target_id)),
                Target::Story => Some(format!("/stories/{}", e.target_id)),
                _ => None,
            },
            reason: e.reason.clone(),
            when: human_date(e.created_at),
            when_iso: rfc3339(e.created_at),
        }
    }
}

#[derive(Template)]
#[template(path = "moderation_queue.html")]
struct QueuePage {
    nav: Nav,
    c: CommunityHead,
    items: Vec<QueueRow>,
    settings: ModerationSettings,
}

pub async fn queue(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, items) = app::community_queue(&state, &actor, &slug).await?;
    render(&QueuePage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "moderation").await?,
        items: items.iter().map(QueueRow::from).collect(),
        settings: gated.community.moderation,
    })
}

#[derive(Deserialize)]
pub struct DecisionForm {
    pub(super) target: String,
    pub(super) id: i64,
    pub(super) action: String,
    pub(super) reason: Option<String>,
}

pub async fn decide(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<DecisionForm>,
) -> PageResult {
    let target = Target::parse(&form.target)?;
    let action = QueueAction::parse(&form.action)?;
    app::resolve(
        &state,
        &viewer.actor(),
        &slug,
        target,
        form.id,
        action,
        form.reason.as_deref(),
    )
    .await?;
    done(&format!("/c/{slug}/moderation"), "moderated")
}

#[derive(Deserialize)]
pub struct SilenceForm {
    handle: String,
    days: Option<String>,
    reason: Option<String>,
}

pub async fn silence(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<SilenceForm>,
) -> PageResult {
    app::silence(
        &state,
        &viewer.actor(),
        &slug,
        &form.handle,
        form.days.as_deref(),
        form.reason.as_deref(),
    )
    .await?;
    done(&format!("/c/{slug}/moderation"), "silenced")
}

#[derive(Deserialize)]
pub struct UnsilenceForm {
    handle: String,
}

pub async fn unsilence(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<UnsilenceForm>,
) -> PageResult {
    app::unsilence(&state, &viewer.actor(), &slug, &form.handle).await?;
    done(&format!("/c/{slug}/moderation"), "unsilenced")
}

#[derive(Deserialize)]
pub struct WarnForm {
    handle: String,
    message: String,
}

pub async fn warn(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<WarnForm>,
) -> PageResult {
    app::warn(&state, &viewer.actor(), &slug, &form.handle, &form.message).await?;
    done(&format!("/c/{slug}/moderation"), "warned")
}

pub async fn acknowledge(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    app::acknowledge(&state, &viewer.actor(), id).await?;
    done("/", "acknowledged")
}

#[derive(Deserialize)]
pub struct SettingsForm {
    leaders_moderate: Option<String>,
    flags_to_hide: Option<String>,
    approve_first_posts: Option<String>,
}

pub async fn settings(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<SettingsForm>,
) -> PageResult {
    let settings = ModerationSettings::parse(
        form.leaders_moderate.is_some(),
        form.flags_to_hide.as_deref(),
        form.approve_first_posts.as_deref(),
    )?;
    app::set_settings(&state, &viewer.actor(), &slug, settings).await?;
    done(&format!("/c/{slug}/moderation"), "saved")
}

#[derive(Deserialize, Default)]
pub struct LogQuery {
    before: Option<i64>,
}

#[derive(Template)]
#[template(path = "moderation_log.html")]
struct LogPage {
    nav: Nav,
    c: Option<CommunityHead>,
    entries: Vec<LogRow>,
    older: Option<String>,
}

/// The address of the next (older) page of a log, when this one is full.
fn older_page(base: &str, entries: &[LogEntry]) -> Option<String> {
    (entries.len() >= 100)
        .then(|| entries.last().map(|e| format!("{base}?before={}", e.id)))
        .flatten()
}

pub async fn log(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
    PageQuery(q): PageQuery<LogQuery>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, entries) = app::community_log(&state, &actor, &slug, q.before).await?;
    render(&LogPage {
        nav: nav(&state, &viewer, notice).await?,
        c: Some(head(&state, &actor, &gated, "moderation").await?),
        older: older_page(&format!("/c/{slug}/moderation/log"), &entries),
        entries: entries.iter().map(LogRow::from).collect(),
    })
}

#[derive(Template)]
#[template(path = "admin_moderation.html")]
struct SitePage {
    nav: Nav,
    items: Vec<QueueRow>,
    entries: Vec<LogRow>,
}

/// Every community's queue and the latest of every community's log, for site admins.
pub async fn site(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
) -> PageResult {
    let actor = viewer.actor();
    let items = app::site_queue(&state, &actor).await?;
    let entries = app::site_log(&state, &actor, None).await?;
    render(&SitePage {
        nav: nav(&state, &viewer, notice).await?,
        items: items.iter().map(QueueRow::from).collect(),
        entries: entries.iter().map(LogRow::from).collect(),
    })
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/moderation", get(queue))
        .route("/c/{slug}/moderation/decide", guarded(state, decide))
        .route("/c/{slug}/moderation/silence", guarded(state, silence))
        .route("/c/{slug}/moderation/unsilence", guarded(state, unsilence))
        .route("/c/{slug}/moderation/settings", guarded(state, settings))
        .route("/c/{slug}/moderation/log", get(log))
        .route("/c/{slug}/moderation/warn", guarded(state, warn))
        .route("/warnings/{id}/acknowledge", guarded(state, acknowledge))
        .route("/admin/moderation", get(site))
}
