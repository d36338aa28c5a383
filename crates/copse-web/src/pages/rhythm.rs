//! Pages for keeping the rhythm: one occurrence (answers, check-in, recap, notes, move, cancel),
//! editing and deleting events, answering for a whole series, and the community's rhythm view.

use super::common::guarded;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use copse_core::clock::Millis;
use copse_core::policy::CommunityAction as A;
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::events::when;
use super::{Nav, Notice, PageResult, done, form_error, form_status, nav, render_with_status};
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::state::WebState;
use copse_app::markdown;
use copse_app::rhythm::{self as app, EventPatch, Kept, OccurrenceEdit};

struct Line {
    handle: String,
    name: String,
    checked_in: bool,
}

struct Attended {
    label: String,
    handle: Option<String>,
    walk_in: Option<String>,
}

#[derive(Template)]
#[template(path = "occurrence.html")]
struct OccurrencePage {
    nav: Nav,
    c: CommunityHead,
    id: i64,
    key: Millis,
    title: String,
    when: String,
    scheduled_when: Option<String>,
    local_start: String,
    local_end: String,
    time_zone: String,
    cancelled: bool,
    started: bool,
    check_in_open: bool,
    notes: String,
    notes_html: String,
    recap: String,
    recap_html: String,
    recap_thread: Option<i64>,
    may_manage: bool,
    may_answer: bool,
    /// A member may tell a value story crediting the event.
    may_tell: bool,
    going: Vec<Line>,
    waitlist: Vec<(String, String)>,
    maybe: usize,
    attended: Vec<Attended>,
    mine: &'static str,
    error: Option<String>,
}

async fn occurrence_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    id: i64,
    key: Millis,
    error: Option<(axum::http::StatusCode, String)>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, event) = copse_app::access::gate_event(state, &actor, id).await?;
    let o = event.occurrence(key)?.ok_or_else(PageError::not_found)?;
    let may_manage = app::manage(state, &actor, id).await.is_ok();
    let summary = copse_app::events::summary(state, &gated, &event, key).await?;
    let attendance = if may_manage {
        app::attendance(state, &actor, id, key).await?.2
    } else {
        Vec::new()
    };
    let names = gated.may(&actor, A::SeeMembers);
    let me = actor.account_id();
    let mine = if summary.going.iter().any(|p| Some(p.id) == me) {
        "going"
    } else if summary.waitlisted.iter().any(|p| Some(p.id) == me) {
        "on the waitlist"
    } else if summary.maybe.iter().any(|p| Some(p.id) == me) {
        "maybe"
    } else {
        ""
    };
    let now = state.now();
    let local = |ms: Millis| {
        chrono::DateTime::from_timestamp_millis(ms)
            .unwrap_or_default()
            .with_timezone(&event.time_zone)
            .format("%Y-%m-%dT%H:%M")
            .to_string()
    };
    let page = OccurrencePage {
        nav: nav(state, viewer, notice).await?,
        c: head(state, &actor, &gated, "events").await?,
        id,
        key,
        title: event.title.clone(),
        when: when(o.start, event.time_zone),
        scheduled_when: (o.start != o.key).then(|| when(o.key, event.time_zone)),
        local_start: local(o.start),
        local_end: local(o.end),
        time_zone: event.time_zone.name().to_string(),
        cancelled: o.cancelled,
        started: o.start <= now,
        check_in_open: o.start - 3600 * 1000 <= now && !o.cancelled,
        notes_html: o
            .notes
            .as_deref()
            .map(markdown::to_html)
            .unwrap_or_default(),
        notes: o.notes.clone().unwrap_or_default(),
        recap_html: o
            .recap
            .as_deref()
            .map(markdown::to_html)
            .unwrap_or_default(),
        recap: o.recap.clone().unwrap_or_default(),
        recap_thread: o.recap_thread,
        may_manage,
        may_answer: gated.standing.role.is_some() && !o.cancelled && o.start > now,
        may_tell: gated.may(&actor, copse_core::policy::CommunityAction::Post),
        going: if names || may_manage {
            summary
                .going
                .iter()
                .map(|p| Line {
                    handle: p.handle.clone(),
                    name: p.display_name.clone(),
                    checked_in: attendance
                        .iter()
                        .any(|a| a.person.as_ref().is_some_and(|x| x.id == p.id)),
                })
                .collect()
        } else {
            Vec::new()
        },
        waitlist: if names || may_manage {
            summary
                .waitlisted
                .iter()
                .map(|p| (p.handle.clone(), p.display_name.clone()))
                .collect()
        } else {
            Vec::new()
        },
        maybe: summary.maybe.len(),
        attended: attendance
            .iter()
            .map(|a| Attended {
                label: match (&a.person, &a.walk_in_name) {
                    (Some(p), _) => p.display_name.clone(),
                    (None, Some(w)) => format!("{w} (walk-in)"),
                    _ => "?".into(),
                },
                handle: a.person.as_ref().map(|p| p.handle.clone()),
                walk_in: a.walk_in_name.clone(),
            })
            .collect(),
        mine,
        error: error.as_ref().map(|(_, m)| m.clone()),
    };
    let status = error.map_or(axum::http::StatusCode::OK, |(s, _)| s);
    render_with_status(status, &page)
}

pub async fn occurrence(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath((id, key)): PagePath<(i64, i64)>,
) -> PageResult {
    occurrence_page(&state, &viewer, notice, id, key, None).await
}

/// Runs an occurrence action; a refused one shows the occurrence page with the reason.
async fn after(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    id: i64,
    key: Millis,
    result: copse_core::Result<()>,
    notice: &str,
) -> PageResult {
    match result {
        Ok(()) => done(&format!("/e/{id}/o/{key}"), notice),
        Err(e) => {
            let status = form_status(&e);
            let message = form_error(e)?;
            occurrence_page(
                state,
                viewer,
                Notice(None),
                id,
                key,
                Some((status, message)),
            )
            .await
        }
    }
}

#[derive(Deserialize)]
pub struct CancelForm {
    #[serde(default)]
    undo: String,
}

pub async fn cancel(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((id, key)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<CancelForm>,
) -> PageResult {
    let edit = if form.undo.is_empty() {
        OccurrenceEdit::Cancel
    } else {
        OccurrenceEdit::Restore
    };
    let r = app::edit_occurrence(&state, &viewer.actor(), id, key, &edit).await;
    after(&state, &viewer, id, key, r.map(|_| ()), "occurrence-saved").await
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    reset: String,
}

pub async fn move_occurrence(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((id, key)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<MoveForm>,
) -> PageResult {
    let edit = if form.reset.is_empty() {
        OccurrenceEdit::Move(Some((form.start, form.end)))
    } else {
        OccurrenceEdit::Move(None)
    };
    let r = app::edit_occurrence(&state, &viewer.actor(), id, key, &edit).await;
    after(&state, &viewer, id, key, r.map(|_| ()), "occurrence-saved").await
}

#[derive(Deserialize)]
pub struct NotesForm {
    #[serde(default)]
    notes: String,
}

pub async fn notes(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((id, key)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<NotesForm>,
) -> PageResult {
    let edit = OccurrenceEdit::Notes(Some(form.notes));
    let r = app::edit_occurrence(&state, &viewer.actor(), id, key, &edit).await;
    after(&state, &viewer, id, key, r.map(|_| ()), "occurrence-saved").await
}

#[derive(Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    handle: String,
    #[serde(default)]
    walk_in: String,
    #[serde(default)]
    undo: String,
}

pub async fn check_in(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((id, key)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<CheckInForm>,
) -> PageResult {
    let r = app::check_in(
        &state,
        &viewer.actor(),
        id,
        key,
        Some(form.handle.as_str()),
        Some(form.walk_in.as_str()),
        form.undo.is_empty(),
    )
    .await;
    after(&state, &viewer, id, key, r.map(|_| ()), "checked-in").await
}

#[derive(Deserialize)]
pub struct RecapForm {
    #[serde(default)]
    recap: String,
    #[serde(default)]
    thread: String,
}

pub async fn recap(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath((id, key)): PagePath<(i64, i64)>,
    PageForm(form): PageForm<RecapForm>,
) -> PageResult {
    let thread = match form
        .thread
        .trim()
        .trim_start_matches("/t/")
        .trim_start_matches('#')
    {
        "" => Ok(None),
        t => t.parse::<i64>().map(Some).map_err(|_| {
            copse_core::Error::invalid("thread", "give the number of a thread, e.g. 42")
        }),
    };
    let r = match thread {
        Ok(thread) => app::recap(&state, &viewer.actor(), id, key, Some(&form.recap), thread)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    after(&state, &viewer, id, key, r, "recap-saved").await
}

#[derive(Deserialize)]
pub struct SeriesForm {
    status: String,
}

pub async fn rsvp_series(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<SeriesForm>,
) -> PageResult {
    let answers = app::rsvp_series(&state, &viewer.actor(), id, &form.status).await?;
    let waiting = answers
        .iter()
        .any(|(_, o)| o.status == copse_core::domain::RsvpStatus::Waitlisted);
    done(
        &format!("/e/{id}"),
        if waiting {
            "series-waitlisted"
        } else {
            "series-saved"
        },
    )
}

pub async fn delete(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, _) = copse_app::access::gate_event(&state, &actor, id).await?;
    app::delete(&state, &actor, id).await?;
    done(
        &format!("/c/{}/events", gated.community.slug),
        "event-deleted",
    )
}

#[derive(Deserialize, Default)]
pub struct EditQuery {
    from: Option<i64>,
}

#[derive(Deserialize, Default)]
pub struct EditForm {
    #[serde(default)]
    title: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    start: String,
    #[serde(default)]
    end: String,
    #[serde(default)]
    time_zone: String,
    #[serde(default)]
    rule: String,
    #[serde(default)]
    space: String,
    #[serde(default)]
    online_url: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    hosts: String,
    #[serde(default)]
    from: String,
}

#[derive(Template)]
#[template(path = "event_edit.html")]
struct EditPage {
    nav: Nav,
    c: CommunityHead,
    id: i64,
    from_when: Option<String>,
    f: EditForm,
    error: Option<String>,
}

pub async fn edit_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(id): PagePath<i64>,
    PageQuery(q): PageQuery<EditQuery>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, event) = app::manage(&state, &actor, id).await?;
    let (start, end, from_when) = match q.from.filter(|_| event.rule.is_some()) {
        Some(key) => {
            let o = event.occurrence(key)?.ok_or_else(PageError::not_found)?;
            let local = |ms: Millis| {
                chrono::DateTime::from_timestamp_millis(ms)
                    .unwrap_or_default()
                    .with_timezone(&event.time_zone)
                    .naive_local()
            };
            let duration = event.end_local - event.start_local;
            (
                local(key),
                local(key) + duration,
                Some(when(o.key, event.time_zone)),
            )
        }
        None => (event.start_local, event.end_local, None),
    };
    let f = EditForm {
        title: event.title.clone(),
        description: event.description.clone(),
        start: start.format("%Y-%m-%dT%H:%M").to_string(),
        end: end.format("%Y-%m-%dT%H:%M").to_string(),
        time_zone: event.time_zone.name().to_string(),
        rule: event
            .rule
            .as_ref()
            .map(|r| r.to_rrule())
            .unwrap_or_default(),
        space: event.space.as_str().to_string(),
        online_url: event.online_url.clone().unwrap_or_default(),
        place: event.place.clone().unwrap_or_default(),
        capacity: event.capacity.map(|c| c.to_string()).unwrap_or_default(),
        hosts: event
            .hosts
            .iter()
            .map(|h| h.handle.clone())
            .collect::<Vec<_>>()
            .join(", "),
        from: q.from.map(|f| f.to_string()).unwrap_or_default(),
    };
    render_with_status(
        axum::http::StatusCode::OK,
        &EditPage {
            nav: nav(&state, &viewer, notice).await?,
            c: head(&state, &actor, &gated, "events").await?,
            id,
            from_when,
            f,
            error: None,
        },
    )
}

pub async fn edit(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<EditForm>,
) -> PageResult {
    let actor = viewer.actor();
    let from = form.from.trim().parse::<i64>().ok();
    let capacity = super::events::parse_capacity(&form.capacity);
    let hosts = super::events::handles(&form.hosts);
    let result = match capacity {
        Ok(capacity) => {
            let patch = EventPatch {
                space: Some(form.space.clone()).filter(|s| !s.is_empty()),
                title: Some(form.title.clone()),
                description: Some(form.description.clone()),
                time_zone: Some(form.time_zone.clone()),
                start: Some(form.start.clone()),
                end: Some(form.end.clone()),
                rule: Some(form.rule.clone()),
                online_url: Some(form.online_url.clone()),
                place: Some(form.place.clone()),
                capacity: Some(capacity),
                hosts: if from.is_some() { None } else { Some(hosts) },
            };
            app::update(&state, &actor, id, &patch, from).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(event) => done(&format!("/e/{}", event.id), "event-saved"),
        Err(e) => {
            let status = form_status(&e);
            let message = form_error(e)?;
            let (gated, _) = app::manage(&state, &actor, id).await?;
            render_with_status(
                status,
                &EditPage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    c: head(&state, &actor, &gated, "events").await?,
                    id,
                    from_when: from
                        .map(|k| format!("the occurrence of {}", copse_core::clock::human_date(k))),
                    f: form,
                    error: Some(message),
                },
            )
        }
    }
}

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

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/e/{id}/rsvp-series", guarded(state, rsvp_series))
        .route("/e/{id}/delete", guarded(state, delete))
        .route("/e/{id}/edit", get(edit_form).merge(guarded(state, edit)))
        .route("/e/{id}/o/{key}", get(occurrence))
        .route("/e/{id}/o/{key}/cancel", guarded(state, cancel))
        .route("/e/{id}/o/{key}/move", guarded(state, move_occurrence))
        .route("/e/{id}/o/{key}/notes", guarded(state, notes))
        .route("/e/{id}/o/{key}/checkin", guarded(state, check_in))
        .route("/e/{id}/o/{key}/recap", guarded(state, recap))
        .route("/c/{slug}/rhythm", get(rhythm))
}
