//! Pages of value: a community's stories with the form to tell one (prefilled from the thread,
//! event, circle or conversation it came from), one story with its endorsements and comments,
//! editing and deleting it, and the print-friendly value report.

mod form;
mod report;
mod shown;
mod stories;
mod story;

use axum::Router;
use axum::routing::get;

use crate::pages::common::guarded;
use crate::state::WebState;
use crate::uploads::guarded_upload;

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    Router::new()
        .route(
            "/c/{slug}/stories",
            get(stories::stories).merge(guarded_upload(state, stories::tell)),
        )
        .route("/c/{slug}/value-report", get(report::report))
        .route(
            "/c/{slug}/value-report/introduction",
            guarded(state, report::set_introduction),
        )
        .route("/c/{slug}/stories/{id}/pin", guarded(state, report::pin))
        .route("/stories/{id}", get(story::story))
        .route(
            "/stories/{id}/edit",
            get(story::edit_form).merge(guarded_upload(state, story::edit)),
        )
        .route("/stories/{id}/delete", guarded(state, story::delete))
        .route("/stories/{id}/endorse", guarded(state, story::endorse))
        .route("/stories/{id}/comments", guarded(state, story::comment))
        .route(
            "/story-comments/{id}/delete",
            guarded(state, story::delete_comment),
        )
}
