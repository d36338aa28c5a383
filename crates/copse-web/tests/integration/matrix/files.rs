//! Files in the matrix: a text file carrying its post's marker is attached to each thread, to
//! the hidden reply and to the reply later deleted. The file's address and its thread's file
//! list are more homes of that marker, so the file's readers are exactly its post's readers.

use serde_json::Value;

use super::world::Kind::Json;
use super::world::{O, Surface, marker};
use crate::common::*;

/// One attached file: the post's object, the file's id and its thread.
pub(super) struct MarkedFile {
    pub(super) object: O,
    pub(super) id: String,
    pub(super) thread: i64,
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

pub(super) fn marked(object: O, id: &Value, thread: i64) -> MarkedFile {
    MarkedFile {
        object,
        id: id.as_str().unwrap().to_string(),
        thread,
    }
}

/// The file's own address and its thread's file list, each a home of the post's marker.
pub(super) fn surfaces(files: &[MarkedFile]) -> Vec<Surface> {
    let mut out = Vec::new();
    for f in files {
        out.push(Surface {
            route: "/files/{id}/{name}",
            url: format!("/files/{}/notes.txt", f.id),
            kind: Json,
            home: Some(f.object),
        });
        out.push(Surface {
            route: "/api/v1/threads/{id}/files",
            url: format!("/api/v1/threads/{}/files", f.thread),
            kind: Json,
            home: (f.object != O::DeletedReply).then_some(f.object),
        });
    }
    out
}
