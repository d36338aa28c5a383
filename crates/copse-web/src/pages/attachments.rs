//! Files as a post shows them: images in the page, everything else as a download line with
//! its type, size and date; a library document's earlier versions listed under it.

use copse_core::clock::human_date;
use copse_core::domain::files::FileKind;
use copse_core::domain::uploads::{AttachedTo, StoredFile, human_size};

/// One attached file, ready for a template.
pub struct Attachment {
    pub url: String,
    pub name: String,
    pub kind: &'static str,
    pub size: String,
    pub date: String,
    pub image: bool,
    /// A library document's earlier version (shown under the current one).
    pub earlier: bool,
}

/// What a person calls the kind.
fn kind_label(kind: FileKind) -> &'static str {
    match kind {
        FileKind::Png => "PNG image",
        FileKind::Jpeg => "JPEG image",
        FileKind::Gif => "GIF image",
        FileKind::Webp => "WebP image",
        FileKind::Pdf => "PDF",
        FileKind::Word => "Word document",
        FileKind::Excel => "Excel spreadsheet",
        FileKind::PowerPoint => "PowerPoint presentation",
        FileKind::OpenDocument => "OpenDocument file",
        FileKind::Zip => "ZIP archive",
        FileKind::Text => "Text file",
    }
}

/// One file as a template shows it.
pub fn attachment(file: &StoredFile, earlier: bool) -> Attachment {
    Attachment {
        url: file.url(),
        name: file.name.clone(),
        kind: kind_label(file.kind),
        size: human_size(file.size.max(0) as u64),
        date: human_date(file.created_at),
        image: file.kind.inline(),
        earlier,
    }
}

/// The files attached to `to`, in order; a file a newer one replaced is marked earlier and
/// listed after the current ones, newest first.
pub fn attached_to(files: &[StoredFile], to: AttachedTo) -> Vec<Attachment> {
    let mine: Vec<&StoredFile> = files.iter().filter(|f| f.attached == Some(to)).collect();
    let replaced = |f: &StoredFile| mine.iter().any(|n| n.supersedes.as_ref() == Some(&f.id));
    let mut out: Vec<Attachment> = mine
        .iter()
        .filter(|f| !replaced(f))
        .map(|f| attachment(f, false))
        .collect();
    out.extend(
        mine.iter()
            .rev()
            .filter(|f| replaced(f))
            .map(|f| attachment(f, true)),
    );
    out
}
