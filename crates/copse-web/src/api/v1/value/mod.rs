//! Value-creation stories over the API: tell, read, endorse, comment, and the value report.

mod comments;
mod report;
mod stories;

use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::WebState;
pub(super) use stories::{StoryView, view};

/// This area's operations, routed and documented together.
pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(stories::list, stories::tell))
        .routes(routes!(stories::get, stories::edit, stories::delete))
        .routes(routes!(comments::comments, comments::add_comment))
        .routes(routes!(comments::delete_comment))
        .routes(routes!(stories::credits))
        .routes(routes!(stories::endorse, stories::unendorse))
        .routes(routes!(report::report))
        .routes(routes!(report::pin))
        .routes(routes!(report::set_introduction))
}
