//! copse-files: where uploaded files' bytes live — one storage port, [`FileStore`], with two
//! adapters from `object_store`: a folder under the data dir (the embedded default) and
//! S3-compatible object storage, for many stateless nodes sharing one bucket.
//!
//! The port is narrow on purpose: put a stream (counted against a limit as it arrives, never
//! held whole), get all of an object or a range of it, delete. What a file is, who may read it
//! and its row in the database belong to the use cases (copse-app); this crate keeps bytes
//! under the names it is given.

mod location;
mod store;
#[cfg(feature = "testing")]
pub mod testing;

pub use location::{Location, S3Settings};
pub use store::{Body, Fetched, FileStore, is_object_name};
