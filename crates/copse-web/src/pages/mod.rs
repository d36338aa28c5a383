//! Server-rendered pages. Usable without JavaScript: every action is a form post answered with a
//! redirect (303) to a page that says what happened, or the same form again with the problem
//! named. Templates live in `templates/`, checked at compile time by askama.

mod accounts;
mod calendar;
mod checkins;
mod communities;
mod events;
mod feeds;
mod members;
mod newsletters;
mod notifications;
mod participation;
mod private;
mod rhythm;
mod search;
mod threads;
mod value;

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, get, post};

use crate::auth::Viewer;
use crate::error::PageError;
use crate::state::WebState;

pub type PageResult = Result<Response, PageError>;

/// What the layout needs on every page.
pub struct Nav {
    pub handle: Option<String>,
    pub invitations: usize,
    pub unread: i64,
    /// Conversations with unread messages.
    pub conversations: i64,
    pub notice: Option<&'static str>,
}

/// The one-line confirmations that follow an action, named by a code in `?notice=`. Only these
/// fixed texts can appear, so the parameter cannot inject anything.
const NOTICES: &[(&str, &str)] = &[
    (
        "welcome",
        "Welcome to copse! Complete your profile so others know what you work on.",
    ),
    ("signed-in", "You are signed in."),
    ("signed-out", "You are signed out."),
    ("profile-saved", "Your profile is saved."),
    (
        "password-changed",
        "Your password is changed. Other sessions have been signed out.",
    ),
    (
        "created",
        "Your community is ready. You are its coordinator.",
    ),
    ("saved", "Settings saved."),
    ("joined", "You are now a member. Welcome!"),
    (
        "requested",
        "Your request has been sent to the coordinators.",
    ),
    ("withdrawn", "Your request is withdrawn."),
    ("followed", "You follow this community as an observer."),
    ("left", "You have left the community."),
    ("approved", "Request approved: they are now a member."),
    ("declined", "Request declined."),
    ("role-changed", "Role changed."),
    ("removed", "Removed from the community."),
    ("invitation-accepted", "Invitation accepted. Welcome!"),
    ("invitation-declined", "Invitation declined."),
    ("invitation-withdrawn", "Invitation withdrawn."),
    ("token-revoked", "Token revoked."),
    ("thread-deleted", "The thread is deleted."),
    ("reply-deleted", "The reply is deleted."),
    (
        "accepted",
        "Answer accepted. Thank you for closing the loop!",
    ),
    ("topic-created", "Topic added."),
    (
        "topic-followed",
        "You follow this topic: new threads in it will be in your notifications.",
    ),
    ("topic-unfollowed", "You no longer follow this topic."),
    (
        "topic-renamed",
        "Topic renamed. Its old address keeps working.",
    ),
    ("topic-merged", "Topics merged. The old address leads here."),
    ("notifications-read", "All caught up."),
    ("event-created", "Your event is planned."),
    ("rsvp-going", "You're going. See you there!"),
    (
        "rsvp-waitlisted",
        "It's full: you are on the waitlist and will get a place in order if one frees up.",
    ),
    ("rsvp-saved", "Your answer is saved."),
    (
        "series-saved",
        "Your answer is saved for every occurrence in the next year.",
    ),
    (
        "series-waitlisted",
        "Saved. Some occurrences are full: you are on their waitlists.",
    ),
    ("event-saved", "The event is saved."),
    ("event-deleted", "The event is deleted."),
    ("occurrence-saved", "This occurrence is updated."),
    ("checked-in", "Attendance updated."),
    ("recap-saved", "The recap is saved."),
    ("reminders-saved", "Your reminder times are saved."),
    ("job-retried", "The job is queued again."),
    ("levels-recomputed", "Levels recomputed."),
    ("story-told", "Thank you: your story is told."),
    ("story-pinned", "Saved for the report."),
    ("story-saved", "Your story is saved."),
    ("story-deleted", "The story is deleted."),
    ("story-endorsed", "Saved."),
    ("comment-added", "Your comment is added."),
    ("comment-deleted", "The comment is deleted."),
    ("checkin-saved", "The check-in is saved."),
    (
        "newsletter-settings-saved",
        "The newsletter's cadence is saved.",
    ),
    (
        "newsletter-drafted",
        "copse drafted this issue from what happened: edit it, then preview and send.",
    ),
    ("newsletter-saved", "Saved. This is the preview."),
    (
        "newsletter-sending",
        "The newsletter is going out now; it is in the archive.",
    ),
    ("newsletter-scheduled", "The newsletter is scheduled."),
    ("newsletter-unscheduled", "The newsletter is a draft again."),
    ("newsletter-deleted", "The issue is deleted."),
    (
        "newsletter-gone-out",
        "This issue has gone out and can no longer be changed.",
    ),
    (
        "checkin-opened",
        "The check-in is open: members have been asked.",
    ),
    ("answer-saved", "Thank you: your answer is saved."),
    ("introduction-saved", "The introduction is saved."),
    (
        "circle-created",
        "Your circle is started. Invite people from its page.",
    ),
    ("circle-asked", "You asked to join; a host will answer."),
    ("circle-invited", "Invitation sent."),
    ("circle-admitted", "They are in the circle now."),
    ("circle-declined", "Declined."),
    ("circle-joined", "Welcome to the circle."),
    ("circle-left", "You left the circle."),
    ("circle-removed", "Removed from the circle."),
    ("circle-host", "They host the circle too now."),
    ("thread-created", "Posted."),
    ("conversation-started", "Conversation started."),
    ("message-sent", "Sent."),
    ("conversation-left", "You left the conversation."),
    (
        "blocked",
        "Blocked: no messages or requests between you from now on.",
    ),
    ("unblocked", "Unblocked."),
    ("connection-sent", "Request sent."),
    ("connection-answered", "Answered."),
    ("time-proposed", "Time proposed."),
    (
        "time-picked",
        "Meeting agreed: it is in both your calendars.",
    ),
    ("calendar-revoked", "Your calendar address no longer works."),
];

/// The `notice` code of the query string, if it is a known one.
pub struct Notice(pub Option<&'static str>);

impl<S: Send + Sync> FromRequestParts<S> for Notice {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let code = parts
            .uri
            .query()
            .unwrap_or("")
            .split('&')
            .find_map(|pair| pair.strip_prefix("notice="));
        Ok(Notice(code.and_then(|c| {
            NOTICES.iter().find(|(k, _)| *k == c).map(|(_, text)| *text)
        })))
    }
}

pub async fn nav(state: &WebState, viewer: &Viewer, notice: Notice) -> Result<Nav, PageError> {
    let waiting = match &viewer.account {
        Some(a) => copse_app::notifications::waiting(state, a).await?,
        None => copse_app::notifications::Waiting::default(),
    };
    Ok(Nav {
        handle: viewer.account.as_ref().map(|a| a.handle.clone()),
        invitations: waiting.invitations,
        unread: waiting.notifications,
        conversations: waiting.conversations,
        notice: notice.0,
    })
}

/// The site's public address: the configured base URL, or the Host the request came to.
pub fn site(state: &WebState, headers: &axum::http::HeaderMap) -> String {
    if let Some(base) = &state.config.base_url {
        return base.trim_end_matches('/').to_string();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

pub fn render(template: &impl Template) -> PageResult {
    render_with_status(StatusCode::OK, template)
}

pub fn render_with_status(status: StatusCode, template: &impl Template) -> PageResult {
    let html = template
        .render()
        .map_err(|e| PageError::from(copse_core::Error::internal(e)))?;
    Ok((status, Html(html)).into_response())
}

/// A 303 redirect after a form post, with a notice code.
pub fn done(path: &str, notice: &str) -> PageResult {
    let sep = if path.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{path}{sep}notice={notice}")).into_response())
}

/// Only local paths may follow a sign-in, so the parameter cannot send people elsewhere.
pub fn safe_next(next: &str) -> &str {
    let local = next.starts_with('/') && !next.starts_with("//") && !next.contains('\\');
    if local && next.len() < 512 { next } else { "/" }
}

/// Errors that belong next to the form that caused them, rather than on an error page.
pub fn form_error(e: copse_core::Error) -> Result<String, PageError> {
    use copse_core::Error as E;
    match e {
        E::Invalid { .. }
        | E::Conflict { .. }
        | E::InvalidCredentials
        | E::TooManyRequests(_)
        | E::Forbidden(_) => Ok(PageError::from(e).message),
        other => Err(other.into()),
    }
}

/// The status a re-shown form answers with.
pub fn form_status(message_of: &copse_core::Error) -> StatusCode {
    crate::error::ApiError::from(message_of.clone()).status
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        include_str!("../../static/copse.css"),
    )
        .into_response()
}

/// A form post, guarded by the Origin check. As a route layer of the POST route alone, it leaves
/// other methods to the router's 405.
fn guarded<H, T>(state: &WebState, handler: H) -> MethodRouter<WebState>
where
    H: Handler<T, WebState>,
    T: 'static,
{
    post(handler).route_layer(middleware::from_fn_with_state(
        state.clone(),
        crate::auth::csrf::require_same_origin,
    ))
}

pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/static/copse.css", get(stylesheet))
        .route("/", get(communities::home))
        .route("/search", get(search::search))
        .route(
            "/signup",
            get(accounts::signup_form).merge(guarded(state, accounts::signup)),
        )
        .route(
            "/signin",
            get(accounts::signin_form).merge(guarded(state, accounts::signin)),
        )
        .route("/signout", guarded(state, accounts::signout))
        .route(
            "/settings/profile",
            get(accounts::profile_form).merge(guarded(state, accounts::save_profile)),
        )
        .route(
            "/settings/password",
            get(accounts::password_form).merge(guarded(state, accounts::change_password)),
        )
        .route(
            "/settings/tokens",
            get(accounts::tokens).merge(guarded(state, accounts::create_token)),
        )
        .route(
            "/settings/tokens/{id}/revoke",
            guarded(state, accounts::revoke_token),
        )
        .route("/u/{handle}", get(accounts::person))
        .route(
            "/communities/new",
            get(communities::new_form).merge(guarded(state, communities::create)),
        )
        .route("/c/{slug}", get(communities::show))
        .route("/c/{slug}/history", get(communities::history))
        .route(
            "/c/{slug}/settings",
            get(communities::settings_form).merge(guarded(state, communities::save_settings)),
        )
        .route("/c/{slug}/members", get(members::list))
        .route(
            "/c/{slug}/join",
            get(members::join_form).merge(guarded(state, members::join)),
        )
        .route("/c/{slug}/withdraw", guarded(state, members::withdraw))
        .route("/c/{slug}/follow", guarded(state, members::follow))
        .route("/c/{slug}/leave", guarded(state, members::leave))
        .route("/c/{slug}/requests", get(members::requests))
        .route(
            "/c/{slug}/requests/{id}/approve",
            guarded(state, members::approve),
        )
        .route(
            "/c/{slug}/requests/{id}/decline",
            guarded(state, members::decline),
        )
        .route(
            "/c/{slug}/invite",
            get(members::invite_form).merge(guarded(state, members::invite)),
        )
        .route(
            "/c/{slug}/invitations/{id}/revoke",
            guarded(state, members::revoke_invitation),
        )
        .route(
            "/c/{slug}/members/{handle}/role",
            guarded(state, members::set_role),
        )
        .route(
            "/c/{slug}/members/{handle}/remove",
            guarded(state, members::remove),
        )
        .route("/c/{slug}/threads", get(threads::list))
        .route(
            "/c/{slug}/threads/new",
            get(threads::new_form).merge(guarded(state, threads::create)),
        )
        .route(
            "/c/{slug}/topics",
            get(threads::topics).merge(guarded(state, threads::create_topic)),
        )
        .route("/c/{slug}/topics/{topic}", get(threads::topic_page))
        .route("/c/{slug}/feed.atom", get(feeds::community))
        .route("/c/{slug}/library", get(threads::library))
        .route("/c/{slug}/events", get(events::list))
        .route(
            "/c/{slug}/events/new",
            get(events::new_form).merge(guarded(state, events::create)),
        )
        .route("/e/{id}", get(events::show))
        .route("/e/{id}/rsvp", guarded(state, events::rsvp))
        .route("/e/{id}/rsvp-series", guarded(state, rhythm::rsvp_series))
        .route("/e/{id}/delete", guarded(state, rhythm::delete))
        .route(
            "/e/{id}/edit",
            get(rhythm::edit_form).merge(guarded(state, rhythm::edit)),
        )
        .route("/e/{id}/calendar.ics", get(calendar::event))
        .route("/e/{id}/o/{key}", get(rhythm::occurrence))
        .route("/e/{id}/o/{key}/cancel", guarded(state, rhythm::cancel))
        .route(
            "/e/{id}/o/{key}/move",
            guarded(state, rhythm::move_occurrence),
        )
        .route("/e/{id}/o/{key}/notes", guarded(state, rhythm::notes))
        .route("/e/{id}/o/{key}/checkin", guarded(state, rhythm::check_in))
        .route("/e/{id}/o/{key}/recap", guarded(state, rhythm::recap))
        .route("/c/{slug}/rhythm", get(rhythm::rhythm))
        .route(
            "/c/{slug}/circles",
            get(private::circles_list).merge(guarded(state, private::create_circle)),
        )
        .route("/c/{slug}/people", get(private::people_to_meet))
        .route(
            "/c/{slug}/stories",
            get(value::stories).merge(guarded(state, value::tell)),
        )
        .route("/c/{slug}/value-report", get(value::report))
        .route(
            "/c/{slug}/value-report/introduction",
            guarded(state, value::set_introduction),
        )
        .route("/c/{slug}/stories/{id}/pin", guarded(state, value::pin))
        .route("/c/{slug}/newsletter", get(newsletters::archive))
        .route("/c/{slug}/newsletter.atom", get(newsletters::feed))
        .route(
            "/c/{slug}/newsletter/settings",
            guarded(state, newsletters::set_settings),
        )
        .route(
            "/c/{slug}/newsletter/draft",
            guarded(state, newsletters::draft_now),
        )
        .route("/c/{slug}/newsletter/{number}", get(newsletters::issue))
        .route(
            "/c/{slug}/newsletter/{number}/edit",
            get(newsletters::edit_form).merge(guarded(state, newsletters::edit)),
        )
        .route(
            "/c/{slug}/newsletter/{number}/send",
            guarded(state, newsletters::send),
        )
        .route(
            "/c/{slug}/newsletter/{number}/unschedule",
            guarded(state, newsletters::unschedule),
        )
        .route(
            "/c/{slug}/newsletter/{number}/delete",
            guarded(state, newsletters::delete),
        )
        .route("/c/{slug}/checkins", get(checkins::checkins))
        .route(
            "/c/{slug}/checkins/schedule",
            guarded(state, checkins::set_schedule),
        )
        .route(
            "/c/{slug}/checkins/open",
            guarded(state, checkins::open_now),
        )
        .route("/checkins/{id}", get(checkins::checkin))
        .route("/checkins/{id}/answer", guarded(state, checkins::answer))
        .route("/checkins/{id}/story", guarded(state, checkins::to_story))
        .route("/stories/{id}", get(value::story))
        .route(
            "/stories/{id}/edit",
            get(value::edit_form).merge(guarded(state, value::edit)),
        )
        .route("/stories/{id}/delete", guarded(state, value::delete))
        .route("/stories/{id}/endorse", guarded(state, value::endorse))
        .route("/stories/{id}/comments", guarded(state, value::comment))
        .route(
            "/story-comments/{id}/delete",
            guarded(state, value::delete_comment),
        )
        .route("/c/{slug}/participation", get(participation::dashboard))
        .route(
            "/c/{slug}/participation/recompute",
            guarded(state, participation::recompute),
        )
        .route(
            "/c/{slug}/participation.csv",
            get(participation::export_csv),
        )
        .route("/circles/{id}", get(private::circle))
        .route(
            "/circles/{id}/action",
            guarded(state, private::circle_action),
        )
        .route(
            "/circles/{id}/threads",
            guarded(state, private::circle_thread),
        )
        .route(
            "/circles/{id}/events",
            guarded(state, private::circle_event),
        )
        .route(
            "/conversations",
            get(private::conversations_list).merge(guarded(state, private::start_conversation)),
        )
        .route("/conversations/{id}", get(private::conversation))
        .route(
            "/conversations/{id}/messages",
            guarded(state, private::send_message),
        )
        .route(
            "/conversations/{id}/leave",
            guarded(state, private::leave_conversation),
        )
        .route(
            "/connections",
            get(private::connections_list).merge(guarded(state, private::request_connection)),
        )
        .route(
            "/connections/{id}",
            guarded(state, private::connection_action),
        )
        .route("/blocks", guarded(state, private::block))
        .route("/c/{slug}/calendar.ics", get(calendar::community))
        .route("/calendar/{file}", get(calendar::personal))
        .route(
            "/settings/reminders",
            get(calendar::reminders).merge(guarded(state, calendar::save_reminders)),
        )
        .route("/settings/calendar", get(calendar::calendar))
        .route(
            "/settings/email",
            get(calendar::email).merge(guarded(state, calendar::save_email)),
        )
        .route("/admin/jobs", get(calendar::jobs))
        .route("/admin/email", get(calendar::email_admin))
        .route("/admin/email/retry", guarded(state, calendar::retry_email))
        .route(
            "/admin/jobs/{id}/retry",
            guarded(state, calendar::retry_job),
        )
        .route(
            "/settings/calendar/new",
            guarded(state, calendar::new_calendar),
        )
        .route(
            "/settings/calendar/revoke",
            guarded(state, calendar::revoke_calendar),
        )
        // Mail clients post here for one-click unsubscribe (RFC 8058) with no Origin or
        // session: the token alone authorises this one harmless change.
        .route(
            "/unsubscribe/{token}",
            get(calendar::unsubscribe_form).post(calendar::unsubscribe),
        )
        .route("/c/{slug}/experts", get(threads::experts))
        .route("/c/{slug}/topics/{topic}/feed.atom", get(feeds::topic))
        .route(
            "/c/{slug}/topics/{topic}/follow",
            guarded(state, threads::follow_topic),
        )
        .route(
            "/c/{slug}/topics/{topic}/rename",
            guarded(state, threads::rename_topic),
        )
        .route(
            "/c/{slug}/topics/{topic}/merge",
            guarded(state, threads::merge_topic),
        )
        .route("/notifications", get(notifications::list))
        .route(
            "/notifications/read",
            guarded(state, notifications::mark_read),
        )
        .route("/t/{id}", get(threads::show))
        .route("/t/{id}/replies", guarded(state, threads::reply))
        .route(
            "/t/{id}/edit",
            get(threads::edit_form).merge(guarded(state, threads::edit)),
        )
        .route("/t/{id}/delete", guarded(state, threads::delete))
        .route("/t/{id}/accept", guarded(state, threads::accept))
        .route("/t/{id}/canonical", guarded(state, threads::canonical))
        .route("/t/{id}/history", get(threads::thread_history))
        .route(
            "/r/{id}/edit",
            get(threads::edit_reply_form).merge(guarded(state, threads::edit_reply)),
        )
        .route("/r/{id}/delete", guarded(state, threads::delete_reply))
        .route("/r/{id}/helpful", guarded(state, threads::helpful))
        .route("/r/{id}/history", get(threads::reply_history))
        .route("/invitations", get(members::my_invitations))
        .route(
            "/invitations/{id}/accept",
            guarded(state, members::accept_invitation),
        )
        .route(
            "/invitations/{id}/decline",
            guarded(state, members::decline_invitation),
        )
        .route("/invitations/link/{secret}", get(members::invitation_link))
        .route(
            "/invitations/link/{secret}/accept",
            guarded(state, members::accept_link),
        )
        .route(
            "/invitations/link/{secret}/decline",
            guarded(state, members::decline_link),
        )
}
