//! Files in the matrix: a text file carrying its post's marker is attached to each thread, to
//! the hidden reply and to the reply later deleted. The file's address and its thread's file
//! list are more homes of that marker, so the file's readers are exactly its post's readers.

use serde_json::Value;

use super::world::Kind::Json;
use super::world::{O, Surface, marker};
use crate::common::*;

/// One attached file: the post's object, the file's id and the list that shows it with its
/// post (its route and address), if there is one.
pub(super) struct MarkedFile {
    pub(super) object: O,
    pub(super) id: String,
    pub(super) list: Option<(&'static str, String)>,
}

/// Uploads `who`'s text file carrying `o`'s marker; answers its id for the post's `files`.
pub(super) async fn upload_marked(who: &Api, o: O) -> Value {
    let body = format!("notes for the matrix: {}", marker(o));
    let path = format!("/api/v1/files?name={}-notes.txt", marker(o));
    let r = who
        .raw_post(&path, "application/octet-stream", body.into_bytes())
        .await;
    assert_eq!(r.status, 201, "{}", r.text);
    r.body["id"].clone()
}

/// A file of a thread or of one of its replies, listed with the thread's files.
pub(super) fn marked(object: O, id: &Value, thread: i64) -> MarkedFile {
    let list = format!("/api/v1/threads/{thread}/files");
    marked_in(object, id, "/api/v1/threads/{id}/files", list)
}

/// A file listed at `url` (of `route`).
pub(super) fn marked_in(object: O, id: &Value, route: &'static str, url: String) -> MarkedFile {
    MarkedFile {
        object,
        id: id.as_str().unwrap().to_string(),
        list: Some((route, url)),
    }
}

/// The file's own address and its list, each a home of the post's marker (a deleted reply's
/// file is in no list).
pub(super) fn surfaces(files: &[MarkedFile]) -> Vec<Surface> {
    let mut out = Vec::new();
    for f in files {
        out.push(Surface {
            route: "/files/{id}/{name}",
            url: format!("/files/{}/notes.txt", f.id),
            kind: Json,
            home: Some(f.object),
        });
        if let Some((route, url)) = &f.list {
            out.push(Surface {
                route,
                url: url.clone(),
                kind: Json,
                home: (f.object != O::DeletedReply).then_some(f.object),
            });
        }
    }
    out
}
