//! The storage port: put a stream under a limit, get all or a range, delete.

use std::ops::Range;
use std::sync::Arc;

use bytes::{Bytes, BytesMut};
use copse_core::domain::uploads::human_size;
use copse_core::{Error, OrInternal, Result};
use futures_util::stream::{BoxStream, Stream, StreamExt, TryStreamExt};
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::path::Path;
use object_store::{GetOptions, GetRange, ObjectStore, ObjectStoreExt, WriteMultipart};

use crate::location::Location;

/// Bytes gathered before a put decides between one request and a multipart upload: a file
/// smaller than this is one request; a larger one goes in parts of this size (S3's smallest
/// part but the last is 5 MiB), so at most a few parts are in memory at once, whatever its size.
const PART: usize = 5 * 1024 * 1024;
/// Parts of one upload in flight at once.
const PARTS_IN_FLIGHT: usize = 2;

/// A body read from the port, chunk by chunk.
pub type Body = BoxStream<'static, std::io::Result<Bytes>>;

/// An object read from the port: its whole size, the range sent, and the bytes of that range.
pub struct Fetched {
    pub size: u64,
    pub range: Range<u64>,
    pub body: Body,
}

/// Where uploaded files' bytes are kept: a folder or an S3-compatible bucket, behind one API.
#[derive(Clone)]
pub struct FileStore {
    objects: Arc<dyn ObjectStore>,
    prefix: String,
}

impl std::fmt::Debug for FileStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileStore({}, prefix {:?})", self.objects, self.prefix)
    }
}

/// True for a name the store keeps bytes under: letters, digits, `-` and `.`, not starting
/// with `.`, at most 120 characters. A folder's other entries (the adapter's half-written
/// staging files among them) are not objects, which is how a backup tells them apart.
pub fn is_object_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 120
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.')
}

impl FileStore {
    /// The adapter for `location`; a folder is created when missing. Nothing is sent to an
    /// S3 service until the first put or get.
    pub fn open(location: &Location) -> Result<FileStore> {
        let (objects, prefix): (Arc<dyn ObjectStore>, String) = match location {
            Location::Folder(dir) => {
                std::fs::create_dir_all(dir).or_internal_while("creating the files folder")?;
                let folder = LocalFileSystem::new_with_prefix(dir)
                    .or_internal_while("opening the files folder")?
                    .with_automatic_cleanup(true);
                (Arc::new(folder), String::new())
            }
            Location::S3 {
                bucket,
                prefix,
                settings,
            } => {
                let mut builder = AmazonS3Builder::new()
                    .with_bucket_name(bucket)
                    .with_region(&settings.region)
                    .with_access_key_id(&settings.access_key_id)
                    .with_secret_access_key(&settings.secret_access_key);
                if let Some(endpoint) = &settings.endpoint {
                    builder = builder
                        .with_endpoint(endpoint)
                        .with_allow_http(endpoint.starts_with("http://"));
                }
                let s3 = builder
                    .build()
                    .or_internal_while("configuring S3 storage")?;
                (Arc::new(s3), prefix.clone())
            }
        };
        Ok(FileStore { objects, prefix })
    }

    /// The object's path for a name the use cases chose (letters, digits, `-`, `.`).
    fn path(&self, name: &str) -> Result<Path> {
        if !is_object_name(name) {
            return Err(Error::internal(format!("not a file name: {name:?}")));
        }
        Path::parse(if self.prefix.is_empty() {
            name.to_string()
        } else {
            format!("{}/{name}", self.prefix)
        })
        .or_internal()
    }

    /// Keeps `head` and then `rest` under `name`, as they arrive, and answers how many bytes
    /// were kept. More than `limit` bytes in all stop the upload at once: nothing is kept and
    /// the answer is `TooLarge`, naming the limit. A body that breaks off keeps nothing.
    pub async fn put<S, E>(&self, name: &str, head: Bytes, rest: S, limit: u64) -> Result<u64>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin,
        E: std::fmt::Display,
    {
        let path = self.path(name)?;
        let mut rest = rest;
        let mut size = head.len() as u64;
        let mut buffer = BytesMut::from(&head[..]);
        let mut upload: Option<WriteMultipart> = None;
        let outcome: Result<()> = async {
            loop {
                check_limit(size, limit)?;
                if buffer.len() >= PART {
                    let writer = match &mut upload {
                        Some(writer) => writer,
                        None => upload.insert(self.start_multipart(&path).await?),
                    };
                    writer
                        .wait_for_capacity(PARTS_IN_FLIGHT)
                        .await
                        .or_internal_while("storing an upload")?;
                    writer.put(buffer.split().freeze());
                }
                match rest.next().await {
                    Some(Ok(chunk)) => {
                        size += chunk.len() as u64;
                        buffer.extend_from_slice(&chunk);
                    }
                    Some(Err(e)) => return Err(broke_off(e)),
                    None => return Ok(()),
                }
            }
        }
        .await;
        match (outcome, upload) {
            (Ok(()), Some(mut writer)) => {
                writer.put(buffer.freeze());
                writer
                    .finish()
                    .await
                    .or_internal_while("storing an upload")?;
            }
            (Ok(()), None) => {
                self.objects
                    .put(&path, buffer.freeze().into())
                    .await
                    .or_internal_while("storing a file")?;
            }
            (Err(e), Some(writer)) => {
                // The refusal is the answer; a failed clean-up leaves parts the service's
                // own expiry removes, and is only logged by the caller's error.
                let _ = writer.abort().await;
                return Err(e);
            }
            (Err(e), None) => return Err(e),
        }
        Ok(size)
    }

    async fn start_multipart(&self, path: &Path) -> Result<WriteMultipart> {
        let upload = self
            .objects
            .put_multipart(path)
            .await
            .or_internal_while("starting an upload")?;
        Ok(WriteMultipart::new_with_chunk_size(upload, PART))
    }

    /// Keeps `bytes` under `name` in one request (a re-encoded image, a thumbnail).
    pub async fn put_bytes(&self, name: &str, bytes: Bytes) -> Result<()> {
        let path = self.path(name)?;
        self.objects
            .put(&path, bytes.into())
            .await
            .or_internal_while("storing a file")?;
        Ok(())
    }

    /// The object under `name` — all of it, or `range` of it (the caller checked the range
    /// against the size it recorded) — or None when there is none.
    pub async fn get(&self, name: &str, range: Option<Range<u64>>) -> Result<Option<Fetched>> {
        let path = self.path(name)?;
        let options = GetOptions {
            range: range.map(GetRange::Bounded),
            ..GetOptions::default()
        };
        let got = match self.objects.get_opts(&path, options).await {
            Ok(got) => got,
            Err(object_store::Error::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(Error::internal_from("reading a file", e)),
        };
        Ok(Some(Fetched {
            size: got.meta.size,
            range: got.range.clone(),
            body: got.into_stream().map_err(std::io::Error::other).boxed(),
        }))
    }

    /// Removes the object under `name`; one that is already gone is not an error.
    pub async fn delete(&self, name: &str) -> Result<()> {
        let path = self.path(name)?;
        match self.objects.delete(&path).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(Error::internal_from("removing a file", e)),
        }
    }
}

fn check_limit(size: u64, limit: u64) -> Result<()> {
    if size > limit {
        return Err(Error::TooLarge {
            message: format!("a file may be at most {}", human_size(limit)),
        });
    }
    Ok(())
}

fn broke_off(e: impl std::fmt::Display) -> Error {
    Error::Invalid {
        field: "file".into(),
        message: format!("the upload broke off before its end ({e})"),
    }
}
