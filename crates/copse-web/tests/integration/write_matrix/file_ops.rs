//! The writes with files: attaching one's upload to a reply, and adding a new version of a
//! library resource's document. The actor uploads first (a visitor or a suspended account is
//! stopped there, 401); the post's own rule decides the rest.

use serde_json::json;

use super::actors::{People, W};
use super::ops::Op;
use crate::common::*;

pub(super) fn handles(op: Op) -> bool {
    matches!(op, Op::AttachFile | Op::AddVersion)
}

/// The author's library resource with its document, for `AddVersion` (0 otherwise).
pub(super) async fn resource(p: &People, op: Op) -> i64 {
    if op != Op::AddVersion {
        return 0;
    }
    let author = &p.api[&W::Author];
    let document = upload(author).await;
    assert_eq!(document.status, 201, "{}", document.text);
    author
        .thread(
            "ipc",
            json!({"title": "The audit tool", "body": "Version one.", "kind": "resource", "files": [document.body["id"]]}),
        )
        .await
}

async fn upload(api: &Api) -> Reply {
    let pdf = b"%PDF-1.4\n%%EOF\n".to_vec();
    api.raw_post(
        "/api/v1/files?name=tool.pdf",
        "application/octet-stream",
        pdf,
    )
    .await
}

/// The write; answers its status (the upload's, when the upload is refused).
pub(super) async fn act(api: &Api, op: Op, thread: i64, resource: i64) -> u16 {
    let uploaded = upload(api).await;
    if uploaded.status != 201 {
        return uploaded.status;
    }
    let file = &uploaded.body["id"];
    let r = match op {
        Op::AttachFile => {
            let reply = json!({"body": "Our version, attached.", "files": [file]});
            api.post(&format!("/api/v1/threads/{thread}/replies"), reply)
                .await
        }
        Op::AddVersion => {
            api.post(
                &format!("/api/v1/threads/{resource}/versions"),
                json!({"file": file}),
            )
            .await
        }
        other => unreachable!("{other:?} is not a file write"),
    };
    r.status
}

/// The files a site admin reads on the thread the write is made on.
pub(super) async fn probe(p: &People, op: Op, thread: i64, resource: i64) -> String {
    let on = if op == Op::AddVersion {
        resource
    } else {
        thread
    };
    p.admin()
        .get(&format!("/api/v1/threads/{on}/files"))
        .await
        .text
}
