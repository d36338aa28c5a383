//! What every adapter must do, written once and run on each.

use bytes::Bytes;
use copse_core::Error;
use copse_files::{FileStore, Location};
use futures_util::{StreamExt, TryStreamExt, stream};

use copse_files::testing as s3_server;

const MIB: usize = 1024 * 1024;

/// `len` bytes of a pattern that shows a misplaced or missing chunk.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i % 251) as u8).collect()
}

/// `bytes` as an upload stream in chunks of `chunk` bytes, the first chunk as the head.
fn chunks(bytes: &[u8], chunk: usize) -> (Bytes, Vec<Result<Bytes, std::io::Error>>) {
    let mut parts = bytes.chunks(chunk).map(Bytes::copy_from_slice);
    let head = parts.next().unwrap_or_default();
    (head, parts.map(Ok).collect())
}

async fn read_all(
    files: &FileStore,
    name: &str,
    range: Option<std::ops::Range<u64>>,
) -> Option<Vec<u8>> {
    let fetched = files.get(name, range).await.unwrap()?;
    let parts: Vec<Bytes> = fetched.body.try_collect().await.unwrap();
    Some(parts.concat())
}

async fn put(files: &FileStore, name: &str, bytes: &[u8], limit: u64) -> copse_core::Result<u64> {
    let (head, rest) = chunks(bytes, 64 * 1024);
    files.put(name, head, stream::iter(rest), limit).await
}

async fn contract(files: FileStore) {
    whole_files_and_ranges(&files).await;
    refusals_keep_nothing(&files).await;
    one_request_and_delete(&files).await;
}

async fn whole_files_and_ranges(files: &FileStore) {
    let files = files.clone();
    // Small and large (several parts) files come back whole, with their size.
    let small = pattern(70_000);
    assert_eq!(
        put(&files, "small", &small, 20 * MIB as u64).await.unwrap(),
        70_000
    );
    assert_eq!(read_all(&files, "small", None).await.unwrap(), small);
    let large = pattern(12 * MIB + 123);
    assert_eq!(
        put(&files, "large", &large, 20 * MIB as u64).await.unwrap(),
        large.len() as u64
    );
    let fetched = files.get("large", None).await.unwrap().unwrap();
    assert_eq!(fetched.size, large.len() as u64);
    assert_eq!(read_all(&files, "large", None).await.unwrap(), large);

    // A range is exactly those bytes, and says which ones they are.
    let fetched = files
        .get("large", Some(6 * MIB as u64..6 * MIB as u64 + 10))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(fetched.range, 6 * MIB as u64..6 * MIB as u64 + 10);
    assert_eq!(
        read_all(&files, "large", Some(6 * MIB as u64..6 * MIB as u64 + 10))
            .await
            .unwrap(),
        large[6 * MIB..6 * MIB + 10]
    );
}

async fn refusals_keep_nothing(files: &FileStore) {
    let files = files.clone();
    let large = pattern(12 * MIB + 123);
    // Over the limit — in the first part or after several — nothing is kept.
    let refused = put(&files, "too-big-small", &pattern(2_000), 1_999)
        .await
        .unwrap_err();
    assert!(
        matches!(&refused, Error::TooLarge { message } if message.contains("1.9 KiB") || message.contains("KiB")),
        "{refused:?}"
    );
    assert!(files.get("too-big-small", None).await.unwrap().is_none());
    let refused = put(&files, "too-big-large", &large, 11 * MIB as u64)
        .await
        .unwrap_err();
    assert_eq!(
        refused,
        Error::TooLarge {
            message: "a file may be at most 11 MiB".into()
        }
    );
    assert!(files.get("too-big-large", None).await.unwrap().is_none());

    // A body that breaks off keeps nothing either.
    let broken = stream::iter(vec![
        Ok(Bytes::from(pattern(6 * MIB))),
        Err(std::io::Error::other("reset")),
    ]);
    let err = files
        .put(
            "broken",
            Bytes::from_static(b"%PDF-"),
            broken,
            20 * MIB as u64,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Invalid { field, .. } if field == "file"),
        "{err:?}"
    );
    assert!(files.get("broken", None).await.unwrap().is_none());
}

async fn one_request_and_delete(files: &FileStore) {
    let files = files.clone();
    // One request for bytes already made (a thumbnail), delete, and a delete of nothing.
    files
        .put_bytes("thumb.48", Bytes::from_static(b"\x89PNG"))
        .await
        .unwrap();
    assert_eq!(
        read_all(&files, "thumb.48", None).await.unwrap(),
        b"\x89PNG"
    );
    files.delete("small").await.unwrap();
    assert!(files.get("small", None).await.unwrap().is_none());
    files.delete("small").await.unwrap();
    files.delete("never-there").await.unwrap();

    // Names are the use cases' ids, never paths.
    for name in ["../etc/passwd", "a/b", ".hidden", ""] {
        assert!(
            matches!(files.get(name, None).await, Err(Error::Internal(_))),
            "{name}"
        );
    }
    // An empty file is a file.
    assert_eq!(
        files
            .put(
                "empty",
                Bytes::new(),
                stream::empty::<Result<Bytes, std::io::Error>>().boxed(),
                10
            )
            .await
            .unwrap(),
        0
    );
    assert_eq!(read_all(&files, "empty", None).await.unwrap(), b"");
}

#[tokio::test]
async fn the_folder_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    let files = FileStore::open(&Location::Folder(dir.path().join("files"))).unwrap();
    contract(files).await;
    // Nothing is left half-written beside the files (staging parts of refused uploads).
    let mut left: Vec<String> = std::fs::read_dir(dir.path().join("files"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["empty", "large", "thumb.48"]);
}

#[tokio::test]
async fn s3_compatible_storage_keeps_the_contract() {
    let Some((_server, location)) = s3_server::start("copse-contract").await else {
        return;
    };
    contract(FileStore::open(&location).unwrap()).await;
}
