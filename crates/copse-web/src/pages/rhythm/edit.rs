//! Editing an event (this occurrence, this and later ones, or the whole series), deleting it,
//! and answering for a whole series.

use askama::Template;

use crate::pages::zones::filters;
use axum::extract::State;
use copse_core::clock::Millis;
use serde::Deserialize;

use crate::auth::PageViewer;
use crate::error::PageError;
use crate::extract::{PageForm, PagePath, PageQuery};
use crate::pages::communities::{CommunityHead, head};
use crate::pages::events::when;
use crate::pages::{Nav, Notice, PageResult, done, form_problem, nav, render_with_status};
use crate::state::WebState;
use copse_app::rhythm::{self as app, EventPatch};

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
    let capacity = crate::pages::events::parse_capacity(&form.capacity);
    let hosts = crate::pages::events::handles(&form.hosts);
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
            let (status, message) = form_problem(e)?;
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
