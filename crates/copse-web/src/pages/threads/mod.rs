//! Pages of practice: the discussions of a community, a thread with its replies, the forms to
//! post, reply and edit, edit history, topics, the library and the experts.

mod compose;
mod library;
mod list;
mod moderate;
mod replies;
mod thread;
mod topics;
mod versions;

use axum::Router;
use axum::routing::get;

use crate::pages::common::guarded;
use crate::state::WebState;
use crate::uploads::guarded_upload;

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .merge(community_routes(state))
        .merge(thread_routes(state))
}

/// Pages under a community: its threads, topics, library and experts.
fn community_routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/c/{slug}/threads", get(list::list))
        .route(
            "/c/{slug}/threads/new",
            get(compose::new_form).merge(guarded_upload(state, compose::create)),
        )
        .route(
            "/c/{slug}/topics",
            get(topics::topics).merge(guarded(state, topics::create_topic)),
        )
        .route("/c/{slug}/topics/{topic}", get(topics::topic_page))
        .route("/c/{slug}/library", get(library::library))
        .route("/c/{slug}/experts", get(library::experts))
        .route(
            "/c/{slug}/topics/{topic}/follow",
            guarded(state, topics::follow_topic),
        )
        .route(
            "/c/{slug}/topics/{topic}/rename",
            guarded(state, topics::rename_topic),
        )
        .route(
            "/c/{slug}/topics/{topic}/merge",
            guarded(state, topics::merge_topic),
        )
}

/// Pages of one thread and its replies.
fn thread_routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route("/t/{id}", get(thread::show))
        .route("/t/{id}/replies", guarded_upload(state, thread::reply))
        .route(
            "/t/{id}/files",
            guarded_upload(state, versions::add_version),
        )
        .route(
            "/t/{id}/edit",
            get(compose::edit_form).merge(guarded(state, compose::edit)),
        )
        .route("/t/{id}/delete", guarded(state, compose::delete))
        .route("/t/{id}/accept", guarded(state, thread::accept))
        .route("/t/{id}/canonical", guarded(state, thread::canonical))
        .route("/t/{id}/history", get(replies::thread_history))
        .route("/t/{id}/flag", guarded(state, moderate::flag_thread))
        .route("/t/{id}/split", guarded(state, moderate::split))
        .route(
            "/t/{id}/moderate",
            guarded(state, moderate::moderate_thread),
        )
        .route("/r/{id}/flag", guarded(state, moderate::flag_reply))
        .route("/r/{id}/moderate", guarded(state, moderate::moderate_reply))
        .route(
            "/r/{id}/edit",
            get(replies::edit_reply_form).merge(guarded(state, replies::edit_reply)),
        )
        .route("/r/{id}/delete", guarded(state, replies::delete_reply))
        .route("/r/{id}/helpful", guarded(state, thread::helpful))
        .route("/r/{id}/history", get(replies::reply_history))
}
