//! One occurrence of an event: who is going, the check-in, notes and recap, and the
//! organisers' actions on it (move, cancel, notes, check someone in, recap).

use askama::Template;
use axum::extract::State;
use copse_core::clock::Millis;
use copse_core::domain::{AccountId, AttendanceEntry, Person, RsvpSummary};
use copse_core::policy::CommunityAction as A;
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath};
use crate::pages::attachments::{Attachment, attached_to};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::events::{reader_zone, when_for};
use crate::pages::{
    FormError, Nav, Notice, PageResult, done, form_problem, form_status, nav, render_with_status,
};
use crate::state::WebState;
use crate::uploads::FormWithFiles;
use copse_app::markdown;
use copse_app::rhythm::{self as app, OccurrenceEdit};
use copse_core::domain::uploads::AttachedTo;

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
    recap_files: Vec<Attachment>,
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

/// How the reader answered for this occurrence, in words ("" when they have not).
fn my_answer(summary: &RsvpSummary, me: Option<AccountId>) -> &'static str {
    let among = |people: &[Person]| people.iter().any(|p| Some(p.id) == me);
    if among(&summary.going) {
        "going"
    } else if among(&summary.waitlisted) {
        "on the waitlist"
    } else if among(&summary.maybe) {
        "maybe"
    } else {
        ""
    }
}

/// Who is going, each with whether they checked in.
fn going_lines(summary: &RsvpSummary, attendance: &[AttendanceEntry]) -> Vec<Line> {
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
}

/// Who checked in, members and walk-ins.
fn attended(attendance: &[AttendanceEntry]) -> Vec<Attended> {
    attendance
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
        .collect()
}

/// A time as a `datetime-local` field shows it, in the event's zone.
fn local_field(ms: Millis, zone: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M")
        .to_string()
}

/// Markdown as HTML, or nothing.
fn html_of(text: &Option<String>) -> String {
    text.as_deref().map(markdown::to_html).unwrap_or_default()
}

async fn occurrence_page(
    state: &WebState,
    viewer: &crate::auth::Viewer,
    notice: Notice,
    id: i64,
    key: Millis,
    error: FormError,
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
    let names = gated.may(&actor, A::SeeMembers) || may_manage;
    let now = state.now();
    let local = |ms: Millis| local_field(ms, event.time_zone);
    let recap_files = copse_app::files::recap_files(state, &event, key).await?;
    let page = OccurrencePage {
        nav: nav(state, viewer, notice).await?,
        c: head(state, &actor, &gated, "events").await?,
        id,
        key,
        title: event.title.clone(),
        when: when_for(o.start, event.time_zone, reader_zone(viewer)),
        scheduled_when: (o.start != o.key)
            .then(|| when_for(o.key, event.time_zone, reader_zone(viewer))),
        local_start: local(o.start),
        local_end: local(o.end),
        time_zone: event.time_zone.name().to_string(),
        cancelled: o.cancelled,
        started: o.start <= now,
        check_in_open: o.start - 3600 * 1000 <= now && !o.cancelled,
        notes_html: html_of(&o.notes),
        notes: o.notes.clone().unwrap_or_default(),
        recap_html: html_of(&o.recap),
        recap: o.recap.clone().unwrap_or_default(),
        recap_thread: o.recap_thread,
        recap_files: attached_to(&recap_files, AttachedTo::Recap { event: id, key }),
        may_manage,
        may_answer: gated.standing.role.is_some() && !o.cancelled && o.start > now,
        may_tell: gated.may(&actor, copse_core::policy::CommunityAction::Post),
        going: if names {
            going_lines(&summary, &attendance)
        } else {
            Vec::new()
        },
        waitlist: if names {
            summary
                .waitlisted
                .iter()
                .map(|p| (p.handle.clone(), p.display_name.clone()))
                .collect()
        } else {
            Vec::new()
        },
        maybe: summary.maybe.len(),
        attended: attended(&attendance),
        mine: my_answer(&summary, actor.account_id()),
        error: error.as_ref().map(|(_, m)| m.clone()),
    };
    render_with_status(form_status(&error), &page)
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
            let (status, message) = form_problem(e)?;
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
    sent: FormWithFiles,
) -> PageResult {
    let form: RecapForm = sent.decode()?;
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
    let r = match sent.or_problem(thread) {
        Ok(thread) => {
            let notes = Some(form.recap.as_str());
            app::recap(&state, &viewer.actor(), id, key, notes, thread, &sent.files)
                .await
                .map(|_| ())
        }
        Err(e) => Err(e),
    };
    after(&state, &viewer, id, key, r, "recap-saved").await
}
