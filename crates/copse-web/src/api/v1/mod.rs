//! `/api/v1`: routes and the OpenAPI 3.1 document, built together by utoipa-axum so that every
//! route is documented and every documented path is routed.

pub mod admin_users;
pub mod attached_files;
pub mod auth;
pub mod calendar;
pub mod checkins;
pub mod circles;
pub mod communities;
pub mod community_archive;
pub mod community_export;
pub mod community_split;
pub mod connections;
pub mod conversations;
pub mod email;
pub mod events;
pub mod files;
pub mod flags;
pub mod jobs;
pub mod leaving;
pub mod members;
pub mod moderation;
pub mod newsletters;
pub mod notifications;
pub mod participation;
pub mod password_reset;
pub mod rhythm;
pub mod search;
pub mod threads;
pub mod value;
pub mod verification;
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
        (name = "files", description = "Uploads, attachments, library document versions"),
        (name = "moderation", description = "Flags, the review queue, thread tools, silences and the moderation log"),
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
        .merge(auth::routes())
        .merge(verification::routes())
        .merge(password_reset::routes())
        .merge(members::routes())
        .merge(communities::routes())
        .merge(community_archive::routes())
        .merge(community_split::routes())
        .merge(community_export::routes())
        .merge(threads::routes())
        .merge(files::routes())
        .merge(attached_files::routes())
        .merge(moderation::routes())
        .merge(flags::routes())
        .merge(search::routes())
        .merge(events::routes())
        // One path, two areas: an event is read with the events and edited with the rhythm.
        .routes(routes!(events::get, rhythm::update, rhythm::delete))
        .merge(rhythm::routes())
        .merge(calendar::routes())
        .merge(jobs::routes())
        .merge(admin_users::routes())
        .merge(email::routes())
        .merge(circles::routes())
        .merge(conversations::routes())
        .merge(connections::routes())
        .merge(participation::routes())
        .merge(value::routes())
        .merge(newsletters::routes())
        .merge(checkins::routes())
        .merge(notifications::routes())
        .split_for_parts();
    let mut doc = doc;
    document_bad_tokens(&mut doc);
    document_archived(&mut doc);
    (router, doc)
}

/// Any API request that carries an unknown or revoked bearer token is answered 401, whatever the
/// operation (see `auth::ApiViewer`), so every operation documents that answer.
fn document_bad_tokens(doc: &mut utoipa::openapi::OpenApi) {
    let response = error_response("Missing sign-in, or an unknown or revoked API token");
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

/// Paths of things that live outside any one community: their writes are never refused for an
/// archived community (a conversation stays open while its community is archived).
const OUTSIDE_COMMUNITIES: &[&str] = &[
    "/api/v1/auth",
    "/api/v1/me",
    "/api/v1/admin",
    "/api/v1/users",
    "/api/v1/connections",
    "/api/v1/conversations",
    "/api/v1/messages",
    "/api/v1/notifications",
    "/api/v1/files",
    "/api/v1/invitations",
    "/api/v1/communities/{slug}/archive",
];

/// Every change to what lives in a community is answered 409 while the community is archived
/// (see `policy::Refusal::Archived`), so every such operation documents that answer.
fn document_archived(doc: &mut utoipa::openapi::OpenApi) {
    let response =
        error_response("The community is archived: read-only until a coordinator reopens it");
    for (path, item) in doc.paths.paths.iter_mut() {
        if OUTSIDE_COMMUNITIES.iter().any(|p| path.starts_with(p)) || path == "/api/v1/communities"
        {
            continue;
        }
        let writes = [
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in writes.into_iter().flatten() {
            operation
                .responses
                .responses
                .entry("409".into())
                .or_insert_with(|| response.clone().into());
        }
    }
}

/// A documented answer whose body is the API's error body.
fn error_response(description: &str) -> utoipa::openapi::Response {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
}
