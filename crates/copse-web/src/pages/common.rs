//! What every page handler shares: the layout's header (`Nav`), the one-line notices after an
//! action, rendering, redirects after a post, the form-error rule, and the Origin-guarded POST.

use askama::Template;
use axum::extract::FromRequestParts;
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::middleware;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{MethodRouter, post};
use copse_core::OrInternal;

use crate::auth::Viewer;
use crate::error::PageError;
pub use crate::layout::Nav;
use crate::state::WebState;

pub type PageResult = Result<Response, PageError>;

/// The one-line confirmations that follow an action, named by a code in `?notice=`. Only these
/// fixed texts can appear, so the parameter cannot inject anything.
const NOTICES: &[(&str, &str)] = &[
    (
        "welcome",
        "Welcome to copse! We sent you a link to confirm your e-mail address; meanwhile, \
         complete your profile so others know what you work on.",
    ),
    (
        "password-reset",
        "Your new password is set, and every other session is signed out. Sign in with it.",
    ),
    (
        "verification-sent",
        "We sent a new link to your e-mail address. It works once, for two days.",
    ),
    ("signed-in", "You are signed in."),
    ("signed-out", "You are signed out."),
    ("profile-saved", "Your profile is saved."),
    ("avatar-saved", "Your picture is saved."),
    (
        "avatar-removed",
        "Your picture is removed; your initials show instead.",
    ),
    ("version-added", "The document is uploaded."),
    (
        "password-changed",
        "Your password is changed. Other sessions have been signed out.",
    ),
    (
        "created",
        "Your community is ready. You are its coordinator.",
    ),
    ("saved", "Settings saved."),
    (
        "archived",
        "The community is archived: it is read-only until you reopen it.",
    ),
    (
        "split",
        "Your new community is ready, with its topics and threads. The members of the old one \
         are invited.",
    ),
    (
        "merged",
        "Merged: everything of the other community is here now, its people are told, and its \
         old addresses lead here.",
    ),
    (
        "reopened",
        "The community is open again: members can post, and its mail and events resume.",
    ),
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
    (
        "invitation-resent",
        "The invitation is on its way again by e-mail.",
    ),
    ("token-revoked", "Token revoked."),
    ("thread-deleted", "The thread is deleted."),
    (
        "flagged",
        "Thank you: the moderators will look at it. The author is not told who flagged.",
    ),
    ("moderated", "Done. The moderation log records it."),
    (
        "silenced",
        "Silenced: they can read here but not post until the silence ends.",
    ),
    ("unsilenced", "The silence is lifted."),
    (
        "warned",
        "Your message is sent; they read it at the top of every page.",
    ),
    ("acknowledged", "Thank you for reading it."),
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
    (
        "site-ready",
        "Your site is ready and you are its administrator. Invite people, or open sign-up.",
    ),
    (
        "user-suspended",
        "Suspended: they are signed out and cannot sign in until restored.",
    ),
    ("user-restored", "Restored: they can sign in again."),
    ("user-deleted", "The account is deleted."),
    ("sso-linked", "Linked: you can sign in with it from now on."),
    ("sso-unlinked", "Unlinked."),
    (
        "address-change-sent",
        "We sent a link to your new address. Your address changes when you follow it; until \
         then copse keeps writing to the one you have.",
    ),
    (
        "account-deleted",
        "Your account is deleted. Thank you for what you gave your communities.",
    ),
    (
        "archive-asked",
        "Your archive is being prepared: this page shows how far it has come, and it can be \
         downloaded here when it is ready (it stays for a week).",
    ),
    (
        "export-preparing",
        "You have a lot here: your export is being prepared. We e-mail you when it is ready \
         to download below (it stays for a week).",
    ),
    ("admin-made", "They are a site admin now."),
    ("admin-removed", "They are no longer a site admin."),
    (
        "reset-sent",
        "A link to choose a new password is on its way to their address.",
    ),
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
        is_admin: viewer.account.as_ref().is_some_and(|a| a.is_admin),
        invitations: waiting.invitations,
        unread: waiting.notifications,
        conversations: waiting.conversations,
        notice: notice.0,
        warnings: waiting
            .warnings
            .into_iter()
            .map(|w| (w.id, w.community_name, w.message))
            .collect(),
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
    let html = template.render().or_internal()?;
    Ok((status, Html(html)).into_response())
}

/// A 303 redirect after a form post, with a notice code.
pub fn done(path: &str, notice: &str) -> PageResult {
    let sep = if path.contains('?') { '&' } else { '?' };
    Ok(Redirect::to(&format!("{path}{sep}notice={notice}")).into_response())
}

/// Only local paths may follow a sign-in, so the parameter cannot send people elsewhere.
pub fn safe_next(next: &str) -> &str {
    // Browsers drop tabs and line breaks from an address, so `/\t/evil.example` would become
    // `//evil.example`, another site: no control character or space is let through.
    let local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    if local && next.len() < 512 { next } else { "/" }
}

/// An error that belongs next to the form that caused it, rather than on an error page: the
/// status the re-shown form answers with and the message shown beside it. Any other error (a
/// missing page, a database failure) is passed on to the error page.
pub fn form_problem(e: copse_core::Error) -> Result<(StatusCode, String), PageError> {
    use copse_core::Error as E;
    match e {
        E::Invalid { .. }
        | E::Conflict { .. }
        | E::InvalidCredentials
        | E::TooManyRequests { .. }
        | E::TooLarge { .. }
        | E::Forbidden(_) => {
            let status = crate::error::ApiError::from(e.clone()).status;
            Ok((status, PageError::from(e).message))
        }
        other => Err(other.into()),
    }
}

/// A form's problem as [`form_problem`] says it, but an invalid field as a sentence without the
/// field's name (pages behind an e-mailed link, whose one field the reader never typed).
pub fn link_problem(e: copse_core::Error) -> Result<(StatusCode, String), PageError> {
    match e {
        copse_core::Error::Invalid { message, .. } => {
            let mut chars = message.chars();
            let sentence = match chars.next() {
                Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
                None => message,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, sentence))
        }
        other => form_problem(other),
    }
}

/// The problem a re-shown form names, if any, with the status it answers with.
pub type FormError = Option<(StatusCode, String)>;

/// The status of a page that may show a form's problem: 200 when there is none.
pub fn form_status(error: &FormError) -> StatusCode {
    error.as_ref().map_or(StatusCode::OK, |(s, _)| *s)
}

/// The form's problem for an error that belongs next to the form; any other error goes on to the
/// error page.
pub fn refused(e: copse_core::Error) -> Result<FormError, PageError> {
    Ok(Some(form_problem(e)?))
}

pub async fn stylesheet() -> Response {
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
pub fn guarded<H, T>(state: &WebState, handler: H) -> MethodRouter<WebState>
where
    H: Handler<T, WebState>,
    T: 'static,
{
    post(handler).route_layer(middleware::from_fn_with_state(
        state.clone(),
        crate::auth::csrf::require_same_origin,
    ))
}
