//! Gzip for what is text — pages, JSON, CSS, feeds, calendars, CSV — when the client asks for
//! it. Uploaded files are sent as they are stored, text ones too: an answer that offers ranges
//! (`Accept-Ranges`) must keep the length it announced, and most uploads are compressed already
//! (images, PDFs, archives). Range answers are never compressed (tower-http's rule).
//!
//! Pages carry no secret a reflected input could be compared against by size (forms are checked
//! by their `Origin`, not a token in the page), which is what makes compressing them safe.

use axum::http::{Extensions, HeaderMap, StatusCode, Version, header};
use tower_http::compression::predicate::{DefaultPredicate, Predicate};
use tower_http::compression::{CompressionLayer, CompressionLevel};

/// The media types worth compressing.
const TEXT_TYPES: &[&str] = &[
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/calendar",
    "application/json",
    "application/atom+xml",
    "application/activity+json",
    "application/javascript",
    "image/svg+xml",
];

fn is_text(_: StatusCode, _: Version, headers: &HeaderMap, _: &Extensions) -> bool {
    if headers.contains_key(header::ACCEPT_RANGES) {
        return false;
    }
    let Some(kind) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = kind.split(';').next().unwrap_or_default().trim();
    TEXT_TYPES.iter().any(|t| essence.eq_ignore_ascii_case(t))
}

/// Gzip at a middling level: most of the saving for a fraction of the best level's time.
pub fn layer() -> CompressionLayer<impl Predicate> {
    CompressionLayer::new()
        .gzip(true)
        .quality(CompressionLevel::Default)
        .compress_when(DefaultPredicate::new().and(is_text))
}
