//! Files through HTTP on every backend: who may read an attachment (the post's gate, a 404
//! like a missing file for everyone else), how files are served (headers, ranges, caching),
//! hostile uploads, the limits, avatars, the page forms without JavaScript, the worker's
//! clean-up, and the same on a real S3-compatible server.

mod access;
mod avatars;
mod elsewhere;
mod hostile;
mod limits;
mod pages;
mod s3;
mod serving;

use std::io::Cursor;

use crate::common::*;
use serde_json::json;

pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n";

/// A small PNG, drawn here.
pub fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 20) as u8, (y * 30) as u8, 90])
    });
    let mut out = Vec::new();
    img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

/// A JPEG carrying an EXIF segment with a location-like marker after its start.
pub fn jpeg_with_exif(marker: &str) -> Vec<u8> {
    let img = image::RgbImage::from_fn(16, 12, |x, _| image::Rgb([(x * 10) as u8, 120, 40]));
    let mut plain = Vec::new();
    img.write_to(&mut Cursor::new(&mut plain), image::ImageFormat::Jpeg)
        .unwrap();
    // Exif header, a big-endian TIFF header with an empty IFD, then the marker.
    let mut exif = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\0\0\0\0\0".to_vec();
    exif.extend_from_slice(marker.as_bytes());
    let len = (exif.len() + 2) as u16;
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

/// Uploads `bytes` as `name` through the API.
pub async fn upload(api: &Api, name: &str, bytes: &[u8]) -> Reply {
    let path = format!("/api/v1/files?name={}", urlencode(name));
    api.raw_post(&path, "application/octet-stream", bytes.to_vec())
        .await
}

/// Uploads and answers the new file's id; it must be accepted.
pub async fn uploaded(api: &Api, name: &str, bytes: &[u8]) -> String {
    let r = upload(api, name, bytes).await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].as_str().unwrap().to_string()
}

pub fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// A GET of `path` with the client's token, if any, and extra headers.
pub async fn fetch(api: &Api, path: &str, headers: &[(&str, &str)]) -> reqwest::Response {
    let mut rb = api.http.get(format!("{}{path}", api.base));
    if let Some(token) = &api.token {
        rb = rb.bearer_auth(token);
    }
    for (name, value) in headers {
        rb = rb.header(*name, *value);
    }
    rb.send().await.unwrap()
}

pub fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

/// A coordinator's public community `ipc` with a member and an outsider (who is signed in
/// but not a member).
pub async fn setup(app: &TestApp) -> (Api, Api, Api) {
    let coord = app.api().person("coord").await;
    let member = app.api().person("member").await;
    let outsider = app.api().person("outsider").await;
    coord.community("ipc", "public", true, "open").await;
    let joined = member.post_empty("/api/v1/communities/ipc/join").await;
    assert_eq!(joined.status, 200, "{}", joined.text);
    (coord, member, outsider)
}

/// A thread in `space` of `ipc` with `files` attached, by `author`.
pub async fn thread_with(author: &Api, space: &str, files: &[&str]) -> i64 {
    author
        .thread(
            "ipc",
            json!({"title": format!("Audit kit ({space})"), "body": "See attached.", "space": space, "files": files}),
        )
        .await
}
