//! Files people share: what kind a file is — decided from its first bytes, never from its name
//! or the type the client claims —, whether a kind may be shown in the page, and the
//! `Content-Disposition` that names a file safely whatever its owner called it.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};

use crate::error::{Error, Result};

/// How many first bytes decide a file's kind.
pub const SNIFF_BYTES: usize = 8192;

/// The kinds of file copse accepts. HTML, SVG, scripts and programs are none of them: they are
/// refused, whatever they are called.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    Png,
    Jpeg,
    Gif,
    Webp,
    Pdf,
    /// Word, Excel and PowerPoint documents (Office Open XML), and the older binary ones.
    Word,
    Excel,
    PowerPoint,
    /// OpenDocument text, spreadsheet or presentation.
    OpenDocument,
    Zip,
    /// Plain UTF-8 text that is not markup.
    Text,
}

crate::domain::community::text_enum!(FileKind, "kind", {
    Png => "png", Jpeg => "jpeg", Gif => "gif", Webp => "webp", Pdf => "pdf", Word => "word",
    Excel => "excel", PowerPoint => "powerpoint", OpenDocument => "opendocument", Zip => "zip",
    Text => "text",
});

/// The groups a site may allow (the allowed-types setting names these).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileGroup {
    Images,
    Pdf,
    Office,
    Text,
    Archives,
}

crate::domain::community::text_enum!(FileGroup, "allowed_types", {
    Images => "images", Pdf => "pdf", Office => "office", Text => "text", Archives => "archives",
});

impl FileKind {
    /// The type it is served as.
    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
            FileKind::Webp => "image/webp",
            FileKind::Pdf => "application/pdf",
            FileKind::Word => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Excel => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::PowerPoint => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            FileKind::OpenDocument => "application/vnd.oasis.opendocument",
            FileKind::Zip => "application/zip",
            FileKind::Text => "text/plain; charset=utf-8",
        }
    }

    pub fn group(self) -> FileGroup {
        match self {
            FileKind::Png | FileKind::Jpeg | FileKind::Gif | FileKind::Webp => FileGroup::Images,
            FileKind::Pdf => FileGroup::Pdf,
            FileKind::Word | FileKind::Excel | FileKind::PowerPoint | FileKind::OpenDocument => {
                FileGroup::Office
            }
            FileKind::Zip => FileGroup::Archives,
            FileKind::Text => FileGroup::Text,
        }
    }

    /// Whether it may be shown in a page (raster images); everything else is downloaded.
    pub fn inline(self) -> bool {
        self.group() == FileGroup::Images
    }
}

/// What a file is, from its first bytes (up to [`SNIFF_BYTES`]); a kind the site does not allow,
/// or anything not on the list, is refused with what was found.
pub fn sniff(head: &[u8], allowed: &[FileGroup]) -> Result<FileKind> {
    let head = &head[..head.len().min(SNIFF_BYTES)];
    let kind = match infer::get(head).map(|t| t.mime_type()) {
        Some(mime) => known(mime)?,
        None => text(head)?,
    };
    if allowed.contains(&kind.group()) {
        Ok(kind)
    } else {
        Err(Error::invalid(
            "file",
            format!("files of this kind ({}) are not accepted here", kind.mime()),
        ))
    }
}

fn known(mime: &str) -> Result<FileKind> {
    Ok(match mime {
        "image/png" => FileKind::Png,
        "image/jpeg" => FileKind::Jpeg,
        "image/gif" => FileKind::Gif,
        "image/webp" => FileKind::Webp,
        "application/pdf" => FileKind::Pdf,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        | "application/msword" => FileKind::Word,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        | "application/vnd.ms-excel" => FileKind::Excel,
        "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        | "application/vnd.ms-powerpoint" => FileKind::PowerPoint,
        "application/vnd.oasis.opendocument.text"
        | "application/vnd.oasis.opendocument.spreadsheet"
        | "application/vnd.oasis.opendocument.presentation" => FileKind::OpenDocument,
        "application/zip" => FileKind::Zip,
        other => {
            return Err(Error::invalid(
                "file",
                format!("this kind of file ({other}) is not accepted"),
            ));
        }
    })
}

/// Plain text: UTF-8 (a character cut by the sniffing window is fine), no NUL, and not markup
/// — HTML and SVG are refused even when named `.txt` or `.png`.
fn text(head: &[u8]) -> Result<FileKind> {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return Err(unknown()),
    };
    if head.is_empty() || valid.contains('\0') {
        return Err(unknown());
    }
    let start = valid.trim_start_matches('\u{feff}').trim_start();
    if start.starts_with('<') || start.to_ascii_lowercase().contains("<script") {
        return Err(Error::invalid(
            "file",
            "HTML and SVG files are not accepted (they could run in a reader's browser)",
        ));
    }
    Ok(FileKind::Text)
}

fn unknown() -> Error {
    Error::invalid(
        "file",
        "this kind of file is not accepted: images, PDF, office documents, text and zip archives are",
    )
}

/// The characters RFC 5987 lets stand unencoded in `filename*`.
const ATTR_CHAR: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'!')
    .remove(b'#')
    .remove(b'$')
    .remove(b'&')
    .remove(b'+')
    .remove(b'-')
    .remove(b'.')
    .remove(b'^')
    .remove(b'_')
    .remove(b'`')
    .remove(b'|')
    .remove(b'~');

/// A file's name as it may be shown and sent: its last path part, without control characters,
/// at most 150 characters; "file" when nothing is left.
pub fn clean_name(raw: &str) -> String {
    let last = raw.rsplit(['/', '\\']).next().unwrap_or_default();
    let name: String = last.chars().filter(|c| !c.is_control()).take(150).collect();
    let name = name.trim().trim_matches('.').trim();
    if name.is_empty() {
        "file".to_string()
    } else {
        name.to_string()
    }
}

/// `Content-Disposition` for a file (RFC 6266): `inline` or `attachment`, an ASCII `filename`
/// for old clients and the exact name, percent-encoded, in `filename*`. No byte of the name can
/// end the header or start another.
pub fn content_disposition(raw_name: &str, inline: bool) -> String {
    let name = clean_name(raw_name);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | ';' | '%') || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = if inline { "inline" } else { "attachment" };
    let exact = utf8_percent_encode(&name, ATTR_CHAR);
    format!("{disposition}; filename=\"{ascii}\"; filename*=UTF-8''{exact}")
}

#[cfg(test)]
#[path = "files_tests.rs"]
mod tests;
