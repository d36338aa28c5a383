//! `/api/v1`: routes and the OpenAPI 3.1 document, built together by utoipa-axum so that every
//! route is documented and every documented path is routed.

pub mod auth;
pub mod checkins;
pub mod communities;
pub mod email;
pub mod events;
pub mod members;
pub mod newsletters;
pub mod notifications;
pub mod participation;
pub mod private;
pub mod rhythm;
pub mod search;
pub mod threads;
pub mod value;
pub mod views;

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::state::WebState;
use views::Health;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "copse API",
        description = "The JSON API of copse, a platform for communities of practice. \
            Authenticate with `Authorization: Bearer <token>` from `POST /api/v1/auth/tokens`. \
            Errors are `{\"error\": {\"code\", \"message\", \"field\"?}}`. Lists are paginated with \
            `limit` (clamped to 1–200) and the opaque `next_cursor`.",
        license(name = "AGPL-3.0-or-later", identifier = "AGPL-3.0-or-later")
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "auth", description = "Accounts and API tokens"),
        (name = "me", description = "Your account, profiles and invitations"),
        (name = "communities", description = "The directory and community settings"),
        (name = "members", description = "Membership, requests, invitations and roles"),
        (name = "practice", description = "Threads, replies, answers and topics"),
        (name = "rhythm", description = "Events and recurring series"),
        (name = "system", description = "Health and this document"),
        (name = "newsletter", description = "The community newsletter: cadence, drafts, sending, the archive"),
    )
)]
struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// Answers when the database does.
#[utoipa::path(get, path = "/healthz", tag = "system",
    responses(
        (status = 200, body = Health),
        (status = 503, description = "Database unreachable", body = Health),
    ))]
async fn healthz(State(state): State<WebState>) -> impl IntoResponse {
    if state.healthy().await {
        (
            StatusCode::OK,
            Json(Health {
                status: "ok".into(),
            }),
        )
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                status: "database unreachable".into(),
            }),
        )
    }
}

/// The API routes and their OpenAPI document.
pub fn routes() -> (axum::Router<WebState>, utoipa::openapi::OpenApi) {
    let (router, doc) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(healthz))
        .routes(routes!(auth::signup))
        .routes(routes!(auth::create_token, auth::list_tokens))
        .routes(routes!(auth::revoke_token))
        .routes(routes!(auth::me, auth::update_me))
        .routes(routes!(auth::change_password))
        .routes(routes!(auth::user))
        .routes(routes!(members::my_invitations))
        .routes(routes!(members::accept_invitation))
        .routes(routes!(members::decline_invitation))
        .routes(routes!(communities::list, communities::create))
        .routes(routes!(communities::get, communities::update))
        .routes(routes!(communities::revisions))
        .routes(routes!(communities::stage_changes))
        .routes(routes!(members::list))
        .routes(routes!(members::join))
        .routes(routes!(members::leave))
        .routes(routes!(members::follow))
        .routes(routes!(members::join_requests))
        .routes(routes!(members::approve))
        .routes(routes!(members::decline))
        .routes(routes!(members::invite, members::invitations))
        .routes(routes!(members::revoke_invitation))
        .routes(routes!(members::set_role, members::remove))
        .routes(routes!(threads::list, threads::create))
        .routes(routes!(threads::get, threads::update, threads::delete))
        .routes(routes!(threads::reply))
        .routes(routes!(threads::accept))
        .routes(routes!(threads::update_reply, threads::delete_reply))
        .routes(routes!(threads::mark_helpful, threads::unmark_helpful))
        .routes(routes!(threads::topics, threads::create_topic))
        .routes(routes!(search::search))
        .routes(routes!(threads::update_topic))
        .routes(routes!(threads::merge_topic))
        .routes(routes!(threads::follow_topic, threads::unfollow_topic))
        .routes(routes!(threads::experts))
        .routes(routes!(events::list, events::create))
        .routes(routes!(events::get, rhythm::update, rhythm::delete))
        .routes(routes!(rhythm::change_occurrence))
        .routes(routes!(rhythm::check_in, rhythm::attendance))
        .routes(routes!(rhythm::recap))
        .routes(routes!(rhythm::rhythm))
        .routes(routes!(rhythm::reminders, rhythm::set_reminders))
        .routes(routes!(email::get, email::set))
        .routes(routes!(email::overview))
        .routes(routes!(email::retry))
        .routes(routes!(
            rhythm::calendar_feed,
            rhythm::new_calendar_feed,
            rhythm::revoke_calendar_feed
        ))
        .routes(routes!(private::list_circles, private::create_circle))
        .routes(routes!(private::get_circle))
        .routes(routes!(private::request_circle))
        .routes(routes!(private::invite_circle))
        .routes(routes!(private::answer_circle_invitation))
        .routes(routes!(private::answer_circle_request))
        .routes(routes!(
            private::set_circle_role,
            private::remove_circle_member
        ))
        .routes(routes!(
            private::list_conversations,
            private::start_conversation
        ))
        .routes(routes!(
            private::get_conversation,
            private::leave_conversation
        ))
        .routes(routes!(private::send_message))
        .routes(routes!(private::blocks))
        .routes(routes!(private::block, private::unblock))
        .routes(routes!(
            private::list_connections,
            private::request_connection
        ))
        .routes(routes!(private::get_connection))
        .routes(routes!(private::answer_connection))
        .routes(routes!(private::propose))
        .routes(routes!(private::pick))
        .routes(routes!(private::people_to_meet))
        .routes(routes!(participation::participation))
        .routes(routes!(participation::recompute))
        .routes(routes!(participation::set_thresholds))
        .routes(routes!(participation::export))
        .routes(routes!(value::list, value::tell))
        .routes(routes!(value::get, value::edit, value::delete))
        .routes(routes!(value::comments, value::add_comment))
        .routes(routes!(value::delete_comment))
        .routes(routes!(value::credits))
        .routes(routes!(
            newsletters::get_settings,
            newsletters::set_settings
        ))
        .routes(routes!(newsletters::list, newsletters::draft))
        .routes(routes!(
            newsletters::get,
            newsletters::edit,
            newsletters::delete
        ))
        .routes(routes!(newsletters::send))
        .routes(routes!(newsletters::unschedule))
        .routes(routes!(checkins::get_schedule, checkins::set_schedule))
        .routes(routes!(checkins::list, checkins::open))
        .routes(routes!(checkins::get))
        .routes(routes!(checkins::answer))
        .routes(routes!(checkins::to_story))
        .routes(routes!(value::endorse, value::unendorse))
        .routes(routes!(value::report))
        .routes(routes!(value::pin))
        .routes(routes!(value::set_introduction))
        .routes(routes!(rhythm::jobs))
        .routes(routes!(rhythm::retry_job))
        .routes(routes!(events::occurrences))
        .routes(routes!(events::rsvp))
        .routes(routes!(events::rsvps))
        .routes(routes!(notifications::list))
        .routes(routes!(notifications::mark_read))
        .split_for_parts();
    let mut doc = doc;
    document_bad_tokens(&mut doc);
    (router, doc)
}

/// Any API request that carries an unknown or revoked bearer token is answered 401, whatever the
/// operation (see `auth::ApiViewer`), so every operation documents that answer.
fn document_bad_tokens(doc: &mut utoipa::openapi::OpenApi) {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    let response = ResponseBuilder::new()
        .description("Missing sign-in, or an unknown or revoked API token")
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build();
    for (path, item) in doc.paths.paths.iter_mut() {
        if !path.starts_with("/api/") {
            continue;
        }
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            operation
                .responses
                .responses
                .entry("401".into())
                .or_insert_with(|| response.clone().into());
        }
    }
}
