//! An uploaded file as copse keeps it: a random id that cannot be guessed, whose upload it
//! is, what it is attached to (which decides who may read it), and the limits on uploads.

use std::fmt;

use serde::Serialize;

use crate::clock::Millis;
use crate::domain::event::EventId;
use crate::domain::files::{FileGroup, FileKind};
use crate::domain::ids::{AccountId, CommunityId};
use crate::error::{Error, Result};

/// A file's id: 128 random bits as 32 lowercase hex digits, made by the use case that stores
/// the upload. Its address is `/files/<id>/<name>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct FileId(String);

impl FileId {
    /// An id from an address or a form; anything but 32 lowercase hex digits is not one (and
    /// reads as a missing file).
    pub fn parse(raw: &str) -> Result<FileId> {
        let fine = raw.len() == 32 && raw.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'));
        if fine {
            Ok(FileId(raw.to_string()))
        } else {
            Err(Error::NotFound)
        }
    }

    /// From 16 random bytes.
    pub fn from_random(bytes: [u8; 16]) -> FileId {
        FileId(bytes.iter().map(|b| format!("{b:02x}")).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The name its bytes are kept under; an avatar's smaller sizes are `<id>.<px>`.
    pub fn object(&self, variant: Option<u32>) -> String {
        match variant {
            Some(px) => format!("{}.{px}", self.0),
            None => self.0.clone(),
        }
    }
}

impl fmt::Display for FileId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a file belongs to; whoever may read that may read the file, and no one else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AttachedTo {
    Thread(i64),
    Reply(i64),
    /// A value story.
    Story(i64),
    /// A message in a conversation: its people alone read it.
    Message(i64),
    /// The recap of one occurrence of an event, by the event and the occurrence's key.
    Recap {
        event: EventId,
        key: Millis,
    },
    /// A person's picture: shown wherever their name is.
    Avatar(AccountId),
}

impl AttachedTo {
    /// The stored triple (kind, id, occurrence key): the key is a recap's alone.
    pub fn parts(self) -> (&'static str, i64, Option<Millis>) {
        match self {
            AttachedTo::Thread(id) => ("thread", id, None),
            AttachedTo::Reply(id) => ("reply", id, None),
            AttachedTo::Story(id) => ("story", id, None),
            AttachedTo::Message(id) => ("message", id, None),
            AttachedTo::Recap { event, key } => ("recap", event, Some(key)),
            AttachedTo::Avatar(account) => ("avatar", account.get(), None),
        }
    }

    pub fn from_parts(kind: &str, id: i64, key: Option<Millis>) -> Option<AttachedTo> {
        match (kind, key) {
            ("thread", _) => Some(AttachedTo::Thread(id)),
            ("reply", _) => Some(AttachedTo::Reply(id)),
            ("story", _) => Some(AttachedTo::Story(id)),
            ("message", _) => Some(AttachedTo::Message(id)),
            ("recap", Some(key)) => Some(AttachedTo::Recap { event: id, key }),
            ("avatar", _) => Some(AttachedTo::Avatar(AccountId(id))),
            _ => None,
        }
    }
}

/// An uploaded file's record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub id: FileId,
    pub owner: AccountId,
    pub kind: FileKind,
    pub size: i64,
    /// As its owner named it, cleaned ([`crate::domain::files::clean_name`]).
    pub name: String,
    /// None until the post it was uploaded for is saved; such a file is its owner's alone and
    /// is removed after a day.
    pub attached: Option<AttachedTo>,
    /// The community whose total it counts in.
    pub community: Option<CommunityId>,
    /// The file this one is a new version of (a library document).
    pub supersedes: Option<FileId>,
    pub created_at: Millis,
}

impl StoredFile {
    /// Its address, the name at the end so a download is saved under it.
    pub fn url(&self) -> String {
        format!("/files/{}/{}", self.id, url_name(&self.name))
    }
}

/// A name as the last part of an address: letters, digits, `.`, `-` and `_` kept, the rest `-`.
fn url_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '-'
            }
        })
        .collect();
    if cleaned.trim_matches(['-', '.']).is_empty() {
        "file".into()
    } else {
        cleaned
    }
}

/// What one upload, one account's day and one community may hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLimits {
    pub max_file_bytes: u64,
    pub daily_bytes_per_account: u64,
    pub bytes_per_community: u64,
    /// Images are decoded to be re-encoded: at most this many pixels.
    pub max_image_pixels: u64,
    pub allowed: Vec<FileGroup>,
}

impl Default for FileLimits {
    fn default() -> Self {
        FileLimits {
            max_file_bytes: 20 * 1024 * 1024,
            daily_bytes_per_account: 200 * 1024 * 1024,
            bytes_per_community: 5 * 1024 * 1024 * 1024,
            max_image_pixels: 40_000_000,
            allowed: vec![
                FileGroup::Images,
                FileGroup::Pdf,
                FileGroup::Office,
                FileGroup::Text,
                FileGroup::Archives,
            ],
        }
    }
}

/// `20 MiB`, `1.5 MiB`, `512 KiB`, `900 bytes` — how sizes and limits are named to people.
pub fn human_size(bytes: u64) -> String {
    const KIB: u64 = 1024;
    const MIB: u64 = 1024 * KIB;
    const GIB: u64 = 1024 * MIB;
    match bytes {
        b if b >= GIB => trim_point(b as f64 / GIB as f64, "GiB"),
        b if b >= MIB => trim_point(b as f64 / MIB as f64, "MiB"),
        b if b >= KIB => format!("{} KiB", (b + KIB / 2) / KIB),
        1 => "1 byte".into(),
        b => format!("{b} bytes"),
    }
}

/// One decimal below ten, none above, and none when it is whole: `1.5 MiB`, `20 MiB`.
fn trim_point(value: f64, unit: &str) -> String {
    if value >= 10.0 || value.fract() < 0.05 {
        format!("{} {unit}", value.round())
    } else {
        format!("{value:.1} {unit}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_a_file_is_attached_to_reads_back_as_stored() {
        for to in [
            AttachedTo::Thread(3),
            AttachedTo::Reply(4),
            AttachedTo::Story(5),
            AttachedTo::Message(6),
            AttachedTo::Recap {
                event: 7,
                key: 1_700_000_000_000,
            },
            AttachedTo::Avatar(AccountId(8)),
        ] {
            let (kind, id, key) = to.parts();
            assert_eq!(AttachedTo::from_parts(kind, id, key), Some(to));
        }
        // A recap without its occurrence is not one.
        assert_eq!(AttachedTo::from_parts("recap", 7, None), None);
        assert_eq!(AttachedTo::from_parts("poll", 7, None), None);
    }

    #[test]
    fn ids_are_32_hex_digits_and_anything_else_is_missing() {
        let id = FileId::from_random([0xab; 16]);
        assert_eq!(id.as_str(), "ab".repeat(16));
        assert_eq!(FileId::parse(id.as_str()).unwrap(), id);
        for bad in [
            "",
            "AB".repeat(16).as_str(),
            "../etc/passwd",
            &"a".repeat(33),
        ] {
            assert_eq!(FileId::parse(bad), Err(Error::NotFound), "{bad}");
        }
        assert_eq!(id.object(Some(48)), format!("{}.48", "ab".repeat(16)));
    }

    #[test]
    fn sizes_read_as_people_say_them() {
        assert_eq!(human_size(20 * 1024 * 1024), "20 MiB");
        assert_eq!(human_size(1536 * 1024), "1.5 MiB");
        assert_eq!(human_size(2000), "2 KiB");
        assert_eq!(human_size(900), "900 bytes");
        assert_eq!(human_size(5 * 1024 * 1024 * 1024), "5 GiB");
    }

    #[test]
    fn addresses_end_with_a_harmless_name() {
        let file = StoredFile {
            id: FileId::from_random([1; 16]),
            owner: AccountId(1),
            kind: FileKind::Pdf,
            size: 3,
            name: "Audit checklist (ward 4).pdf".into(),
            attached: None,
            community: None,
            supersedes: None,
            created_at: 0,
        };
        assert_eq!(
            file.url(),
            format!("/files/{}/Audit-checklist--ward-4-.pdf", "01".repeat(16))
        );
    }
}
