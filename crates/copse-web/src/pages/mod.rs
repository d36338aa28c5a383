//! Server-rendered pages. Usable without JavaScript: every action is a form post answered with a
//! redirect (303) to a page that says what happened, or the same form again with the problem
//! named. Templates live in `templates/`, checked at compile time by askama.

mod accounts;
mod admin;
pub(crate) mod attachments;
mod avatars;
mod calendar;
mod checkins;
mod circles;
mod common;
mod communities;
mod community_archive;
mod community_export;
mod community_history;
mod community_leave;
mod community_merge;
mod community_nav;
mod community_split;
mod connections;
mod conversations;
mod error_page;
mod events;
mod feeds;
mod flags;
mod leaving;
mod members;
mod moderation;
mod newsletter_confirm;
mod newsletters;
mod notifications;
mod participation;
mod password_reset;
mod rhythm;
mod search;
mod setup;
mod sso;
mod threads;
mod value;
mod verification;
mod zones;

use axum::Router;
use axum::routing::get;

pub use common::{
    FormError, Nav, Notice, PageResult, done, form_problem, form_status, guarded, link_problem,
    nav, refused, render, render_with_status, safe_next, site,
};
pub use error_page::with_menus as error_pages_with_menus;

use crate::state::WebState;

/// Every page and form post, area by area.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/static/copse.css", get(common::stylesheet))
        .merge(communities::routes(state))
        .merge(community_archive::routes(state))
        .merge(community_leave::routes(state))
        .merge(community_merge::routes(state))
        .merge(community_split::routes(state))
        .merge(community_export::routes(state))
        .merge(community_history::routes())
        .merge(search::routes())
        .merge(accounts::routes(state))
        .merge(avatars::routes(state))
        .merge(members::routes(state))
        .merge(threads::routes(state))
        .merge(moderation::routes(state))
        .merge(flags::routes(state))
        .merge(feeds::routes())
        .merge(events::routes(state))
        .merge(rhythm::routes(state))
        .merge(calendar::routes(state))
        .merge(circles::routes(state))
        .merge(conversations::routes(state))
        .merge(connections::routes(state))
        .merge(value::routes(state))
        .merge(verification::routes(state))
        .merge(password_reset::routes(state))
        .merge(newsletters::routes(state))
        .merge(checkins::routes(state))
        .merge(participation::routes(state))
        .merge(notifications::routes(state))
        .merge(admin::routes(state))
        .merge(setup::routes(state))
        .merge(leaving::routes(state))
        .merge(sso::routes(state))
}
