//! Where files are read: `/files/<id>/<name>` (any name: the id decides) and a person's
//! picture at `/u/<handle>/avatar/<size>`. The attached post's gate decides who may read a
//! file; everyone else gets the same 404 as for a file that never was. Every answer carries
//! `nosniff` and a sandboxing CSP, and anything but a raster image is a download.

use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use copse_app::files::{self, Audience, AvatarImage};
use copse_core::domain::files::content_disposition;

use super::range::{Wanted, wanted};
use crate::auth::{ApiViewer, PageViewer, Viewer};
use crate::error::PageError;
use crate::extract::PagePath;
use crate::state::WebState;

/// A served file may not run anything, load anything or be framed into a page.
const FILE_CSP: &str = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";
/// How long a shared cache may keep a public file: a deleted post's files stop being served
/// by copse at once, and by caches on the way within this.
const PUBLIC_MAX_AGE: &str = "public, max-age=300";
/// A private file is the reader's browser's alone, and asked again each time (a 304 is cheap).
const PRIVATE: &str = "private, no-cache";

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/files/{id}", get(file))
        .route("/files/{id}/{name}", get(file_named))
        .route("/u/{handle}/avatar/{size}", get(avatar))
}

/// Files are read by browsers (the session cookie) and by API clients (a bearer token).
struct FileViewer(Viewer);

impl FromRequestParts<WebState> for FileViewer {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Response> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let ApiViewer(viewer) = ApiViewer::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
            Ok(FileViewer(viewer))
        } else {
            let PageViewer(viewer) = PageViewer::from_request_parts(parts, state)
                .await
                .map_err(IntoResponse::into_response)?;
            Ok(FileViewer(viewer))
        }
    }
}

async fn file(
    State(state): State<WebState>,
    FileViewer(viewer): FileViewer,
    PagePath(id): PagePath<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    serve_file(&state, &viewer, &id, &headers).await
}

async fn file_named(
    State(state): State<WebState>,
    FileViewer(viewer): FileViewer,
    PagePath((id, _name)): PagePath<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    serve_file(&state, &viewer, &id, &headers).await
}

async fn serve_file(
    state: &WebState,
    viewer: &Viewer,
    id: &str,
    headers: &HeaderMap,
) -> Result<Response, PageError> {
    let readable = files::open(state, &viewer.actor(), id).await?;
    let file = &readable.file;
    let etag = format!("\"{}\"", file.id);
    let cache = match readable.audience {
        Audience::Public => PUBLIC_MAX_AGE,
        Audience::Private => PRIVATE,
    };
    let mut head = vec![
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, cache.to_string()),
        (header::LAST_MODIFIED, http_date(file.created_at)),
    ];
    if matches_etag(headers.get(header::IF_NONE_MATCH), &etag) {
        return Ok(with_headers(StatusCode::NOT_MODIFIED, head, Body::empty()));
    }
    let size = file.size.max(0) as u64;
    let if_range_ok = headers
        .get(header::IF_RANGE)
        .is_none_or(|v| v.to_str().is_ok_and(|v| v == etag));
    let range_header = headers.get(header::RANGE).and_then(|v| v.to_str().ok());
    let asked = if if_range_ok {
        wanted(range_header, size)
    } else {
        Wanted::Whole
    };
    let (status, range) = match asked {
        Wanted::Whole => (StatusCode::OK, None),
        Wanted::Part(range) => (StatusCode::PARTIAL_CONTENT, Some(range)),
        Wanted::Unsatisfiable => {
            head.push((header::CONTENT_RANGE, format!("bytes */{size}")));
            return Ok(with_headers(
                StatusCode::RANGE_NOT_SATISFIABLE,
                head,
                Body::empty(),
            ));
        }
    };
    let fetched = files::fetch(state, &readable, range.clone()).await?;
    let sent = fetched.range.clone();
    if range.is_some() {
        head.push((
            header::CONTENT_RANGE,
            format!(
                "bytes {}-{}/{}",
                sent.start,
                sent.end.saturating_sub(1),
                fetched.size
            ),
        ));
    }
    head.extend([
        (header::CONTENT_TYPE, file.kind.mime().to_string()),
        (header::CONTENT_LENGTH, (sent.end - sent.start).to_string()),
        (header::ACCEPT_RANGES, "bytes".to_string()),
        (
            header::CONTENT_DISPOSITION,
            content_disposition(&file.name, file.kind.inline()),
        ),
    ]);
    Ok(with_headers(status, head, Body::from_stream(fetched.body)))
}

async fn avatar(
    State(state): State<WebState>,
    PagePath((handle, size)): PagePath<(String, u32)>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let avatar = files::avatar(&state, &handle, size).await?;
    let mut head = vec![
        (header::ETAG, avatar.etag.clone()),
        (header::CACHE_CONTROL, PUBLIC_MAX_AGE.to_string()),
    ];
    if matches_etag(headers.get(header::IF_NONE_MATCH), &avatar.etag) {
        return Ok(with_headers(StatusCode::NOT_MODIFIED, head, Body::empty()));
    }
    let (mime, body) = match avatar.image {
        AvatarImage::Picture(fetched) => ("image/jpeg", Body::from_stream(fetched.body)),
        AvatarImage::Initials(svg) => ("image/svg+xml", Body::from(svg)),
    };
    head.push((header::CONTENT_TYPE, mime.to_string()));
    head.push((header::CONTENT_DISPOSITION, "inline".to_string()));
    Ok(with_headers(StatusCode::OK, head, body))
}

fn matches_etag(if_none_match: Option<&HeaderValue>, etag: &str) -> bool {
    if_none_match
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|tag| tag.trim() == etag || tag.trim() == "*")
        })
}

fn with_headers(
    status: StatusCode,
    head: Vec<(header::HeaderName, String)>,
    body: Body,
) -> Response {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    for (name, value) in head {
        if let Ok(value) = HeaderValue::from_str(&value) {
            headers.insert(name, value);
        }
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(FILE_CSP),
    );
    response
}

/// An HTTP date (RFC 9110 §5.6.7): `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(at_ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(at_ms)
        .unwrap_or_default()
        .format("%a, %d %b %Y %H:%M:%S GMT")
        .to_string()
}
