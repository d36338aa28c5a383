//! Pages for keeping the rhythm: one occurrence (answers, check-in, recap, notes, move, cancel),
//! editing and deleting events, answering for a whole series, and the community's rhythm view.

mod edit;
mod occurrence;
mod view;

use axum::Router;
use axum::routing::get;

use crate::pages::common::guarded;
use crate::state::WebState;
use crate::uploads::guarded_upload;

/// The pages of this area and their form posts.
pub fn routes(state: &WebState) -> Router<WebState> {
    use occurrence as o;
    Router::new()
        .route("/e/{id}/rsvp-series", guarded(state, edit::rsvp_series))
        .route("/e/{id}/delete", guarded(state, edit::delete))
        .route(
            "/e/{id}/edit",
            get(edit::edit_form).merge(guarded(state, edit::edit)),
        )
        .route("/e/{id}/o/{key}", get(o::occurrence))
        .route("/e/{id}/o/{key}/cancel", guarded(state, o::cancel))
        .route("/e/{id}/o/{key}/move", guarded(state, o::move_occurrence))
        .route("/e/{id}/o/{key}/notes", guarded(state, o::notes))
        .route("/e/{id}/o/{key}/checkin", guarded(state, o::check_in))
        .route("/e/{id}/o/{key}/recap", guarded_upload(state, o::recap))
        .route("/c/{slug}/rhythm", get(view::rhythm))
}
