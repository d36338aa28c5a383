//! Files on the web: page forms that carry uploads (multipart, without JavaScript), and the
//! addresses files and pictures are served from — with the headers that keep a hostile file
//! harmless and let a large one resume.

pub mod form;
mod range;
pub mod serve;

pub use form::{FormWithFiles, guarded_upload};
