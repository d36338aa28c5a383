//! Hostile and ordinary files against the sniffer and the file-name header.

use super::*;

const ALL: [FileGroup; 5] = [
    FileGroup::Images,
    FileGroup::Pdf,
    FileGroup::Office,
    FileGroup::Text,
    FileGroup::Archives,
];

fn kind(bytes: &[u8]) -> Result<FileKind> {
    sniff(bytes, &ALL)
}

#[test]
fn ordinary_files_are_known_by_their_first_bytes() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    assert_eq!(kind(png).unwrap(), FileKind::Png);
    assert!(FileKind::Png.inline());
    assert_eq!(
        kind(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n").unwrap(),
        FileKind::Pdf
    );
    assert!(!FileKind::Pdf.inline(), "a PDF is downloaded, not shown");
    assert_eq!(
        kind(b"\xff\xd8\xff\xe0\0\x10JFIF\0").unwrap(),
        FileKind::Jpeg
    );
    assert_eq!(kind(b"PK\x03\x04\x14\0\0\0\x08\0").unwrap(), FileKind::Zip);
    assert_eq!(
        kind("Audit checklist — ward 3B\n".as_bytes()).unwrap(),
        FileKind::Text
    );
}

#[test]
fn markup_is_refused_whatever_it_is_called() {
    for hostile in [
        &b"<!DOCTYPE html><html><script>alert(1)</script>"[..],
        b"  <html><body onload=alert(1)>",
        b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
        b"<svg onload=alert(1)>",
        b"\xef\xbb\xbf<script>alert(1)</script>",
        b"notes, then <SCRIPT>alert(1)</SCRIPT>",
    ] {
        let refused = kind(hostile).unwrap_err();
        assert!(
            matches!(refused, Error::Invalid { .. }),
            "{:?}",
            String::from_utf8_lossy(hostile)
        );
    }
}

#[test]
fn programs_and_binary_noise_are_refused() {
    assert!(kind(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0").is_err());
    assert!(kind(b"MZ\x90\0\x03\0\0\0\x04\0\0\0\xff\xff").is_err());
    assert!(kind(&[0u8, 159, 146, 150, 0, 1, 2]).is_err());
    assert!(kind(b"").is_err(), "an empty file is nothing");
}

#[test]
fn a_gif_that_is_also_a_script_is_served_as_the_image_it_starts_as() {
    // GIF89a/*...*/=alert(1)// parses as JavaScript too; served as image/gif with nosniff and
    // a sandbox, no browser runs it.
    let polyglot = b"GIF89a/*\x01\x00\x01\x00\x00\xff\x00,*/=alert(1)//;";
    assert_eq!(kind(polyglot).unwrap(), FileKind::Gif);
    assert_eq!(FileKind::Gif.mime(), "image/gif");
}

#[test]
fn the_sites_allowed_groups_decide() {
    let refused = sniff(b"%PDF-1.4\n", &[FileGroup::Images]).unwrap_err();
    assert!(refused.to_string().contains("application/pdf"), "{refused}");
    assert!(sniff(b"%PDF-1.4\n", &[FileGroup::Pdf]).is_ok());
}

#[test]
fn a_text_cut_in_the_middle_of_a_character_is_still_text() {
    let mut text = "é".repeat(SNIFF_BYTES / 2).into_bytes();
    text.insert(0, b'a'); // now the window ends inside an "é"
    assert_eq!(kind(&text).unwrap(), FileKind::Text);
}

#[test]
fn hostile_names_cannot_leave_the_header_or_the_folder() {
    assert_eq!(clean_name("../../etc/passwd"), "passwd");
    assert_eq!(clean_name("..\\..\\boot.ini"), "boot.ini");
    assert_eq!(clean_name("a\r\nSet-Cookie: x=1"), "aSet-Cookie: x=1");
    assert_eq!(clean_name(".."), "file");
    assert_eq!(clean_name(""), "file");
    let header = content_disposition("report\r\n\"; filename=evil.html", false);
    assert!(!header.contains('\r') && !header.contains('\n'), "{header}");
    assert_eq!(
        header.matches('"').count(),
        2,
        "one quoted name only: {header}"
    );
    assert!(header.starts_with("attachment; "), "{header}");
}

#[test]
fn a_name_in_any_script_is_sent_exactly_and_readably() {
    let header = content_disposition("Händehygiene – Plan.pdf", false);
    assert_eq!(
        header,
        "attachment; filename=\"H_ndehygiene _ Plan.pdf\"; \
         filename*=UTF-8''H%C3%A4ndehygiene%20%E2%80%93%20Plan.pdf"
    );
    assert!(content_disposition("photo.png", true).starts_with("inline; "));
}
