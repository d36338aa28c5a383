//! Files: upload (the body is the file), attach by listing the id on a post, list a thread's
//! files, a library document's new version, and your picture. Files themselves are read at
//! `/files/<id>/<name>` with the same bearer token (or a browser's session).

use axum::Json;
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use copse_core::domain::uploads::StoredFile;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::auth::{ApiSignedIn, ApiViewer};
use crate::error::{ApiError, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::state::WebState;

type ApiResult<T> = Result<T, ApiError>;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct UploadParams {
    /// The file's name as it is shown and downloaded (path parts and control characters are
    /// dropped); its kind is decided from its bytes, never from the name.
    #[param(max_length = 500)]
    name: String,
}

/// An uploaded file.
#[derive(Serialize, ToSchema)]
pub struct FileView {
    /// 32 hex digits; list it in a post's `files` to attach it.
    pub id: String,
    /// Where it is read, e.g. `/files/<id>/checklist.pdf`.
    pub url: String,
    pub name: String,
    /// The type it is served as, decided from its bytes.
    pub mime: String,
    pub size: i64,
    /// Markdown that shows it in a post: an image, or a link to download.
    pub markdown: String,
    /// What it is attached to, e.g. `thread:3`, `reply:12`, `story:4`, `message:9`, `recap:2`
    /// (an event's); null while it is an upload not attached yet.
    pub attached_to: Option<String>,
}

impl From<&StoredFile> for FileView {
    fn from(f: &StoredFile) -> Self {
        let url = f.url();
        let label = f.name.replace(['[', ']'], "");
        FileView {
            id: f.id.to_string(),
            markdown: if f.kind.inline() {
                format!("![{label}]({url})")
            } else {
                format!("[{label}]({url})")
            },
            url,
            name: f.name.clone(),
            mime: f.kind.mime().to_string(),
            size: f.size,
            attached_to: f.attached.map(|to| {
                let (kind, id, _) = to.parts();
                format!("{kind}:{id}")
            }),
        }
    }
}

/// Upload a file: the request body is its bytes, streamed (at most the site's file size,
/// 20 MiB unless configured). It is yours alone until a post lists it in `files`; an upload
/// never attached is removed after a day. Images are re-encoded (metadata such as EXIF
/// location removed); HTML, SVG and programs are refused whatever their name.
#[utoipa::path(post, path = "/api/v1/files", tag = "files", security(("bearer" = [])),
    params(UploadParams),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's bytes"),
    responses(
        (status = 201, body = FileView),
        (status = 400, description = "Malformed parameter", body = ErrorBody),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Your address is not verified yet", body = ErrorBody),
        (status = 413, description = "Larger than the file size limit (named)", body = ErrorBody),
        (status = 422, description = "Empty, or a kind of file not accepted", body = ErrorBody),
        (status = 429, description = "Today's upload allowance is used", body = ErrorBody),
    ))]
pub async fn upload(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiQuery(p): ApiQuery<UploadParams>,
    body: Body,
) -> ApiResult<(StatusCode, Json<FileView>)> {
    let stream = body.into_data_stream();
    let file = copse_app::files::upload(&state, &viewer.actor(), &p.name, stream).await?;
    Ok((StatusCode::CREATED, Json(FileView::from(&file))))
}

/// The files of a thread and of its replies that you may read, oldest first.
#[utoipa::path(get, path = "/api/v1/threads/{id}/files", tag = "files",
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = Vec<FileView>),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
    ))]
pub async fn thread_files(
    State(state): State<WebState>,
    ApiViewer(viewer): ApiViewer,
    ApiPath(id): ApiPath<i64>,
) -> ApiResult<Json<Vec<FileView>>> {
    let files = copse_app::files::readable_thread_files(&state, &viewer.actor(), id).await?;
    Ok(Json(files.iter().map(FileView::from).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVersion {
    /// Your upload: the document's new version.
    pub file: String,
}

/// Add a new version of a library resource's document (whoever may edit the thread); the
/// earlier versions stay listed.
#[utoipa::path(post, path = "/api/v1/threads/{id}/versions", tag = "files", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewVersion,
    responses(
        (status = 204, description = "Added"),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 403, description = "Not yours to edit", body = ErrorBody),
        (status = 404, description = "No such thread, or hidden from you", body = ErrorBody),
        (status = 413, description = "The community's files are at their limit", body = ErrorBody),
        (status = 415, description = "Not JSON", body = ErrorBody),
        (status = 422, description = "Not a resource, or not your unattached upload", body = ErrorBody),
    ))]
pub async fn add_version(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(id): ApiPath<i64>,
    ApiJson(body): ApiJson<NewVersion>,
) -> ApiResult<StatusCode> {
    copse_app::files::new_version(&state, &viewer.actor(), id, &body.file).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Set your picture: the body is an image (PNG, JPEG, GIF or WebP), cropped to a square and
/// kept at 256, 96 and 48 pixels. It is shown at `/u/<handle>/avatar/<size>`.
#[utoipa::path(put, path = "/api/v1/me/avatar", tag = "me", security(("bearer" = [])),
    request_body(content = String, content_type = "application/octet-stream", description = "The image's bytes"),
    responses(
        (status = 204, description = "Saved"),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Your address is not verified yet", body = ErrorBody),
        (status = 413, description = "Larger than the file size limit", body = ErrorBody),
        (status = 422, description = "Not an image, or one that cannot be read", body = ErrorBody),
    ))]
pub async fn set_avatar(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    body: Body,
) -> ApiResult<StatusCode> {
    copse_app::files::set_avatar(&state, &viewer.actor(), body.into_data_stream()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove your picture: your initials show instead.
#[utoipa::path(delete, path = "/api/v1/me/avatar", tag = "me", security(("bearer" = [])),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not signed in", body = ErrorBody),
    ))]
pub async fn remove_avatar(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
) -> ApiResult<StatusCode> {
    copse_app::files::remove_avatar(&state, &viewer.actor()).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A community's files against its limit.
#[derive(Serialize, ToSchema)]
pub struct FileUsage {
    pub files: i64,
    pub bytes: u64,
    /// The most the community's files may hold; uploads past it are refused (413).
    pub limit_bytes: u64,
}

/// How much of its file allowance a community uses. Those who may change its settings.
#[utoipa::path(get, path = "/api/v1/communities/{slug}/files/usage", tag = "files", security(("bearer" = [])),
    params(("slug" = String, Path)),
    responses(
        (status = 200, body = FileUsage),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 403, description = "Not a coordinator", body = ErrorBody),
        (status = 404, description = "No such community, or hidden from you", body = ErrorBody),
    ))]
pub async fn usage(
    State(state): State<WebState>,
    ApiSignedIn(viewer, _): ApiSignedIn,
    ApiPath(slug): ApiPath<String>,
) -> ApiResult<Json<FileUsage>> {
    let u = copse_app::files::community_usage(&state, &viewer.actor(), &slug).await?;
    Ok(Json(FileUsage {
        files: u.files,
        bytes: u.bytes,
        limit_bytes: u.limit,
    }))
}

pub(super) fn routes() -> OpenApiRouter<WebState> {
    OpenApiRouter::new()
        .routes(routes!(upload))
        .routes(routes!(thread_files))
        .routes(routes!(add_version))
        .routes(routes!(usage))
        .routes(routes!(set_avatar, remove_avatar))
}
