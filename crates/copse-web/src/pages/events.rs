//! Pages of the rhythm: a community's coming events, an event with its next occurrences and
//! RSVP buttons, and the form to plan one with the common recurrences offered as choices.

use super::common::guarded;
use super::zones::filters;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::routing::get;
use chrono::{Datelike, NaiveDateTime, Weekday};
use copse_core::domain::EventInput;
use copse_core::policy::CommunityAction as A;
use serde::Deserialize;

use super::communities::{CommunityHead, head};
use super::{Nav, Notice, PageResult, done, form_problem, nav, render, render_with_status};
use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath};
use crate::state::WebState;
use copse_app::access::gate;
use copse_app::events as app;
use copse_app::markdown;
use copse_core::clock::DAY;

const HORIZON: i64 = 90 * DAY;

pub(super) fn when(ms: i64, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .with_timezone(&tz)
        .format("%a %-d %b %Y, %H:%M")
        .to_string()
}

/// A start as its reader reads it: in their own zone when their profile has one that is not
/// the event's ("Tue 15 Jan 2030, 19:00 your time · 18:00 in Europe/London"), else in the
/// event's zone, named ("Tue 15 Jan 2030, 18:00 Europe/London"). A list of events from
/// several zones then never mixes them unnamed.
pub(super) fn when_for(ms: i64, event: chrono_tz::Tz, reader: Option<chrono_tz::Tz>) -> String {
    match reader {
        Some(mine) if mine != event => {
            let at = chrono::DateTime::from_timestamp_millis(ms).unwrap_or_default();
            let (theirs, ours) = (at.with_timezone(&event), at.with_timezone(&mine));
            let day = if theirs.date_naive() == ours.date_naive() {
                String::new()
            } else {
                theirs.format("%a ").to_string()
            };
            let at = theirs.format("%H:%M");
            format!(
                "{} your time · {day}{at} in {}",
                when(ms, mine),
                event.name()
            )
        }
        _ => format!("{} {}", when(ms, event), event.name()),
    }
}

/// The reader's own zone, from their profile.
pub(super) fn reader_zone(viewer: &crate::auth::Viewer) -> Option<chrono_tz::Tz> {
    viewer
        .account
        .as_ref()
        .and_then(|a| a.profile.time_zone.as_deref())
        .and_then(|z| z.parse().ok())
}

#[derive(Template)]
#[template(path = "events.html")]
struct EventsPage {
    nav: Nav,
    c: CommunityHead,
    may_create: bool,
    /// The coming occurrences by month ("January 2030").
    months: Vec<(String, Vec<Line>)>,
}

/// A coming occurrence in the list: (event, title, when, repeats, cancelled).
type Line = (i64, String, String, bool, bool);
/// The same with its start and the event's zone first, to sort and group by.
type Coming = (i64, chrono_tz::Tz, i64, String, String, bool, bool);

/// Occurrences (by start) grouped under the month they start in, in the reader's zone (or
/// the event's when the reader has none).
fn by_month(upcoming: Vec<Coming>, reader: Option<chrono_tz::Tz>) -> Vec<(String, Vec<Line>)> {
    let mut months: Vec<(String, Vec<Line>)> = Vec::new();
    for (start, tz, id, title, when, repeats, cancelled) in upcoming {
        let month = chrono::DateTime::from_timestamp_millis(start)
            .unwrap_or_default()
            .with_timezone(&reader.unwrap_or(tz))
            .format("%B %Y")
            .to_string();
        let line = (id, title, when, repeats, cancelled);
        match months.last_mut() {
            Some((m, lines)) if *m == month => lines.push(line),
            _ => months.push((month, vec![line])),
        }
    }
    months
}

pub async fn list(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, events) = app::list(&state, &actor, &slug).await?;
    let now = state.now();
    let reader = reader_zone(&viewer);
    let mut upcoming = Vec::new();
    for e in &events {
        for o in e.occurrences(now, now + HORIZON, 20)? {
            upcoming.push((
                o.start,
                e.time_zone,
                e.id,
                e.title.clone(),
                when_for(o.start, e.time_zone, reader),
                e.rule.is_some(),
                o.cancelled,
            ));
        }
    }
    upcoming.sort_by_key(|o| (o.0, o.2));
    upcoming.truncate(100);
    render(&EventsPage {
        nav: nav(&state, &viewer, notice).await?,
        may_create: gated.may(&actor, A::Announce),
        c: head(&state, &actor, &gated, "events").await?,
        months: by_month(upcoming, reader),
    })
}

struct OccurrenceShown {
    key: i64,
    when: String,
    cancelled: bool,
    moved: bool,
    has_notes: bool,
    going: usize,
    waitlisted: usize,
    mine: &'static str,
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    nav: Nav,
    c: CommunityHead,
    id: i64,
    title: String,
    members_only: bool,
    rule: Option<String>,
    rule_text: Option<String>,
    capacity: Option<i64>,
    time_zone: String,
    hosts: Vec<(String, String)>,
    online_url: Option<String>,
    place: Option<String>,
    description_html: String,
    occurrences: Vec<OccurrenceShown>,
    past: Vec<(i64, String, bool, bool)>,
    may_answer: bool,
    may_manage: bool,
    is_series: bool,
    /// Stories the reader may read that credit this event.
    helped: usize,
    may_tell: bool,
}

/// Occurrences shown on an event page (each with its answers), and past ones.
const SHOWN: usize = 8;
const PAST_SHOWN: usize = 5;

pub async fn show(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(id): PagePath<i64>,
) -> PageResult {
    let actor = viewer.actor();
    let (gated, event) = copse_app::access::gate_event(&state, &actor, id).await?;
    let now = state.now();
    let reader = reader_zone(&viewer);
    let mut occurrences = Vec::new();
    for o in event.occurrences(now, now + HORIZON, SHOWN)? {
        let summary = app::summary(&state, &gated, &event, o.key).await?;
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
        occurrences.push(OccurrenceShown {
            key: o.key,
            when: when_for(o.start, event.time_zone, reader),
            cancelled: o.cancelled,
            moved: o.start != o.key,
            has_notes: o.notes.is_some(),
            going: summary.going.len(),
            waitlisted: summary.waitlisted.len(),
            mine,
        });
    }
    // The last few occurrences, for check-ins and recaps.
    let mut past: Vec<(i64, String, bool, bool)> = event
        .occurrences(now - 120 * DAY, now, 1000)?
        .iter()
        .rev()
        .take(PAST_SHOWN)
        .map(|o| {
            (
                o.key,
                when_for(o.start, event.time_zone, reader),
                o.cancelled,
                o.recap.is_some() || o.recap_thread.is_some(),
            )
        })
        .collect();
    past.reverse();
    let may_manage = copse_app::rhythm::manage(&state, &actor, id).await.is_ok();
    render(&EventPage {
        nav: nav(&state, &viewer, notice).await?,
        may_answer: gated.standing.role.is_some(),
        may_manage,
        is_series: event.rule.is_some(),
        helped: copse_app::value::helped(&state, &actor, "event", id).await?,
        may_tell: gated.may(&actor, copse_core::policy::CommunityAction::Post),
        past,
        rule_text: event.rule.as_ref().map(|r| r.describe()),
        c: head(&state, &actor, &gated, "events").await?,
        id,
        title: event.title.clone(),
        members_only: event.space == copse_core::domain::Space::Members,
        rule: event.rule.as_ref().map(|r| r.to_rrule()),
        capacity: event.capacity,
        time_zone: event.time_zone.name().to_string(),
        hosts: event
            .hosts
            .iter()
            .map(|h| (h.handle.clone(), h.display_name.clone()))
            .collect(),
        online_url: event.online_url.clone(),
        place: event.place.clone(),
        description_html: markdown::to_html(&event.description),
        occurrences,
    })
}

#[derive(Deserialize)]
pub struct RsvpForm {
    occurrence: i64,
    status: String,
    /// `occurrence` to come back to the occurrence's page.
    #[serde(default)]
    back: String,
}

pub async fn rsvp(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(id): PagePath<i64>,
    PageForm(form): PageForm<RsvpForm>,
) -> PageResult {
    let outcome = app::rsvp(&state, &viewer.actor(), id, form.occurrence, &form.status).await?;
    let notice = match outcome.status {
        copse_core::domain::RsvpStatus::Going => "rsvp-going",
        copse_core::domain::RsvpStatus::Waitlisted => "rsvp-waitlisted",
        _ => "rsvp-saved",
    };
    if form.back == "occurrence" {
        return done(&format!("/e/{id}/o/{}", form.occurrence), notice);
    }
    done(&format!("/e/{id}"), notice)
}

#[derive(Deserialize, Default)]
pub struct EventForm {
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
    repeat: String,
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
}

/// A form's "places" field: empty for no limit.
pub(super) fn parse_capacity(raw: &str) -> copse_core::Result<Option<i64>> {
    match raw.trim() {
        "" => Ok(None),
        c => c
            .parse::<i64>()
            .map(Some)
            .map_err(|_| copse_core::Error::invalid("capacity", "must be a whole number")),
    }
}

/// Handles typed into one field, separated by commas or spaces, `@` optional.
pub(super) fn handles(raw: &str) -> Vec<String> {
    raw.split([',', ' '])
        .map(|h| h.trim().trim_start_matches('@'))
        .filter(|h| !h.is_empty())
        .map(str::to_string)
        .collect()
}

fn weekday_code(d: Weekday) -> &'static str {
    ["MO", "TU", "WE", "TH", "FR", "SA", "SU"][d.num_days_from_monday() as usize]
}

/// The RRULE behind one of the form's common choices, from the first start.
fn rule_for(choice: &str, custom: &str, start: Option<NaiveDateTime>) -> Option<String> {
    let start = start?;
    let wd = weekday_code(start.weekday());
    match choice {
        "weekly" => Some(format!("FREQ=WEEKLY;BYDAY={wd}")),
        "fortnightly" => Some(format!("FREQ=WEEKLY;INTERVAL=2;BYDAY={wd}")),
        "monthly-nth" => Some(format!(
            "FREQ=MONTHLY;BYDAY={}{wd}",
            (start.day() - 1) / 7 + 1
        )),
        "monthly-last" => Some(format!("FREQ=MONTHLY;BYDAY=-1{wd}")),
        "monthly-day" => Some(format!("FREQ=MONTHLY;BYMONTHDAY={}", start.day())),
        "custom" => Some(custom.to_string()),
        _ => None,
    }
}

#[derive(Template)]
#[template(path = "event_form.html")]
struct EventFormPage {
    nav: Nav,
    c: CommunityHead,
    f: EventForm,
    error: Option<String>,
}

pub async fn new_form(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    notice: Notice,
    PagePath(slug): PagePath<String>,
) -> PageResult {
    let actor = viewer.actor();
    let gated = gate(&state, &actor, &slug, A::Announce).await?;
    let time_zone = super::zones::of_viewer(&viewer);
    render(&EventFormPage {
        nav: nav(&state, &viewer, notice).await?,
        c: head(&state, &actor, &gated, "events").await?,
        f: EventForm {
            time_zone,
            ..EventForm::default()
        },
        error: None,
    })
}

pub async fn create(
    State(state): State<WebState>,
    PageViewer(viewer): PageViewer,
    PagePath(slug): PagePath<String>,
    PageForm(form): PageForm<EventForm>,
) -> PageResult {
    let actor = viewer.actor();
    let start = copse_core::domain::parse_local("start", &form.start).ok();
    let capacity = parse_capacity(&form.capacity).map_err(PageError::from)?;
    let input = EventInput {
        space: Some(form.space.clone()).filter(|s| !s.is_empty()),
        title: form.title.clone(),
        description: form.description.clone(),
        time_zone: form.time_zone.clone(),
        start: form.start.clone(),
        end: form.end.clone(),
        rule: rule_for(&form.repeat, &form.rule, start),
        online_url: Some(form.online_url.clone()),
        place: Some(form.place.clone()),
        capacity,
        circle: None,
    };
    match app::create(&state, &actor, &slug, &input, &handles(&form.hosts)).await {
        Ok(event) => done(&format!("/e/{}", event.id), "event-created"),
        Err(e @ copse_core::Error::Invalid { .. }) => {
            let (status, message) = form_problem(e)?;
            let gated = gate(&state, &actor, &slug, A::Announce).await?;
            render_with_status(
                status,
                &EventFormPage {
                    nav: nav(&state, &viewer, Notice(None)).await?,
                    c: head(&state, &actor, &gated, "events").await?,
                    f: form,
                    error: Some(message),
                },
            )
        }
        Err(e) => Err(e.into()),
    }
}

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/events", get(list))
        .route(
            "/c/{slug}/events/new",
            get(new_form).merge(guarded(state, create)),
        )
        .route("/e/{id}", get(show))
        .route("/e/{id}/rsvp", guarded(state, rsvp))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_choices_become_rules() {
        let start = copse_core::domain::parse_local("start", "2026-03-10T18:00").ok();
        assert_eq!(
            rule_for("monthly-nth", "", start).unwrap(),
            "FREQ=MONTHLY;BYDAY=2TU"
        );
        assert_eq!(
            rule_for("monthly-last", "", start).unwrap(),
            "FREQ=MONTHLY;BYDAY=-1TU"
        );
        assert_eq!(
            rule_for("fortnightly", "", start).unwrap(),
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
        );
        assert_eq!(
            rule_for("monthly-day", "", start).unwrap(),
            "FREQ=MONTHLY;BYMONTHDAY=10"
        );
        assert_eq!(rule_for("", "", start), None);
    }
}
