//! One archived e-mail read for import: who wrote it and when, what it answers, its subject,
//! and its text — the plain part (or the HTML part's text), with the quoted message it
//! answered folded away. Whatever a message lacks or garbles gets a safe stand-in, never an
//! error: a message without an id gets one from its bytes, one without a date the import's.

use copse_core::clock::Millis;
use copse_core::domain::MAX_BODY_BYTES;
use mailparse::{MailHeaderMap, ParsedMail};

/// A message larger than this is not read (an archive's messages are text).
pub const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;
/// MIME parts nested deeper than a hostile message needs are not parsed.
const MAX_BOUNDARIES: usize = 64;
const MAX_PARTS: usize = 256;
const MAX_PARENTS: usize = 64;
/// Attachments kept of one message.
pub const MAX_ATTACHMENTS: usize = 10;
const CUT: &str = "\n\n*(The rest of this message was cut: it was longer than copse keeps.)*";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub message_id: String,
    /// What it answers, nearest first: In-Reply-To, then References from the last.
    pub parents: Vec<String>,
    /// The subject as written (empty when there is none).
    pub subject: String,
    /// The sender's name (if given) and address.
    pub from: Option<(Option<String>, String)>,
    pub date: Option<Millis>,
    pub body: String,
    /// Its attached files: (name, bytes).
    pub attachments: Vec<(String, Vec<u8>)>,
}

/// Reads a message; `None` when it is too large or not a message at all.
pub fn read(raw: &[u8]) -> Option<Archived> {
    if raw.len() > MAX_MESSAGE_BYTES || boundaries(raw) > MAX_BOUNDARIES {
        return None;
    }
    let mail = mailparse::parse_mail(raw).ok()?;
    let headers = &mail.headers;
    let mut parents = ids(&headers.get_first_value("In-Reply-To").unwrap_or_default());
    let mut references = ids(&headers.get_first_value("References").unwrap_or_default());
    references.reverse();
    parents.extend(references);
    parents.dedup();
    parents.truncate(MAX_PARENTS);
    let message_id = ids(&headers.get_first_value("Message-ID").unwrap_or_default())
        .into_iter()
        .next()
        .unwrap_or_else(|| {
            format!(
                "copse-{}",
                crate::secrets::hash_secret(&String::from_utf8_lossy(raw))
            )
        });
    let (text, attachments) = contents(&mail);
    let body = text.map(|t| folded(&t)).unwrap_or_default();
    Some(Archived {
        message_id,
        parents,
        subject: headers
            .get_first_value("Subject")
            .unwrap_or_default()
            .trim()
            .to_string(),
        from: sender(&headers.get_first_value("From").unwrap_or_default()),
        date: headers
            .get_first_value("Date")
            .and_then(|d| mailparse::dateparse(&d).ok())
            .map(|seconds| seconds.saturating_mul(1000)),
        body: within_limit(body),
        attachments,
    })
}

fn boundaries(raw: &[u8]) -> usize {
    raw.windows(9)
        .filter(|w| w.eq_ignore_ascii_case(b"boundary="))
        .count()
}

/// The `<id>`s of a header, at most a few hundred characters each.
fn ids(value: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = value;
    while let Some(start) = rest.find('<') {
        let Some(len) = rest[start..].find('>') else {
            break;
        };
        let id = rest[start + 1..start + len].trim();
        if !id.is_empty() && id.len() <= 500 {
            found.push(id.to_string());
        }
        rest = &rest[start + len + 1..];
    }
    if found.is_empty()
        && !value.trim().is_empty()
        && value.trim().len() <= 500
        && !value.contains(char::is_whitespace)
    {
        found.push(value.trim().to_string());
    }
    found
}

fn sender(from: &str) -> Option<(Option<String>, String)> {
    let list = mailparse::addrparse(from).ok()?;
    let single = list.extract_single_info()?;
    let name = single
        .display_name
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    Some((name, single.addr.trim().to_lowercase()))
}

/// The plain text part, else the first HTML part's text; and the attached files (a part
/// marked as an attachment, or one with a file name that is not text), at most
/// [`MAX_ATTACHMENTS`].
fn contents(mail: &ParsedMail) -> (Option<String>, Vec<(String, Vec<u8>)>) {
    let mut stack = vec![mail];
    let (mut plain, mut html, mut files, mut seen) = (None, None, Vec::new(), 0);
    while let Some(part) = stack.pop() {
        seen += 1;
        if seen > MAX_PARTS {
            break;
        }
        if !part.subparts.is_empty() {
            stack.extend(part.subparts.iter().rev());
            continue;
        }
        let disposition = part.get_content_disposition();
        let name = disposition
            .params
            .get("filename")
            .or_else(|| part.ctype.params.get("name"))
            .cloned();
        let text = part.ctype.mimetype.starts_with("text/");
        if disposition.disposition == mailparse::DispositionType::Attachment
            || (name.is_some() && !text)
        {
            if files.len() < MAX_ATTACHMENTS
                && let Ok(bytes) = part.get_body_raw()
                && !bytes.is_empty()
            {
                files.push((name.unwrap_or_else(|| "attachment".into()), bytes));
            }
            continue;
        }
        match part.ctype.mimetype.as_str() {
            "text/plain" if plain.is_none() => plain = part.get_body().ok(),
            "text/html" if html.is_none() => html = part.get_body().ok().map(|h| text_of_html(&h)),
            _ => {}
        }
    }
    (plain.or(html), files)
}

/// HTML's text: tags (and what scripts and styles hold) dropped, the common entities read.
fn text_of_html(html: &str) -> String {
    let mut text = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        text.push_str(&rest[..open]);
        let tag = &rest[open..];
        let close = tag.find('>').map_or(tag.len(), |i| i + 1);
        let name: String = tag[1..]
            .trim_start_matches('/')
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if name.starts_with("br") || name.starts_with("p") || name.starts_with("div") {
            text.push('\n');
        }
        rest = &tag[close..];
        for hidden in ["script", "style"] {
            if name.starts_with(hidden) && !tag.starts_with("</") {
                let end = format!("</{hidden}");
                rest = rest
                    .to_ascii_lowercase()
                    .find(&end)
                    .map_or("", |i| &rest[i..]);
            }
        }
    }
    text.push_str(rest);
    [
        ("&nbsp;", " "),
        ("&lt;", "<"),
        ("&gt;", ">"),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text, |t, (entity, c)| t.replace(entity, c))
}

/// The text without the quoted message it answers at its end (and the "… wrote:" line that
/// introduces it); quotes between the writer's own lines stay, as Markdown quotes.
pub fn folded(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let mut lines: Vec<&str> = text.lines().collect();
    let all = lines.clone();
    while lines
        .last()
        .is_some_and(|l| l.trim().is_empty() || l.trim_start().starts_with('>'))
    {
        lines.pop();
    }
    let quoted = lines.len() < all.len();
    if quoted && lines.last().is_some_and(|l| l.trim_end().ends_with(':')) {
        lines.pop();
    }
    let kept = lines.join("\n").trim().to_string();
    if kept.is_empty() {
        all.join("\n").trim().to_string()
    } else {
        kept
    }
}

fn within_limit(mut body: String) -> String {
    if body.len() <= MAX_BODY_BYTES {
        return body;
    }
    let mut end = MAX_BODY_BYTES - CUT.len();
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body.truncate(end);
    body.push_str(CUT);
    body
}

const REPLY_PREFIXES: [&str; 3] = ["re:", "aw:", "sv:"];
const FORWARD_PREFIXES: [&str; 4] = ["fwd:", "fw:", "wg:", "tr:"];

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| s[prefix.len()..].trim_start())
}

/// The subject without "[list]" tags and "Re:"/"Fwd:" prefixes (in a few languages), as
/// written otherwise.
pub fn bare_subject(subject: &str) -> &str {
    let mut s = subject.trim();
    loop {
        let before = s;
        if let Some(rest) = s.strip_prefix('[').and_then(|r| r.split_once(']')) {
            s = rest.1.trim_start();
        }
        for prefix in REPLY_PREFIXES.iter().chain(FORWARD_PREFIXES.iter()) {
            if let Some(rest) = strip_prefix_ci(s, prefix) {
                s = rest;
            }
        }
        if s == before {
            return s;
        }
    }
}

/// Whether the subject says the message answers another ("Re: …", after any "[list]" tag).
pub fn says_reply(subject: &str) -> bool {
    let mut s = subject.trim();
    while let Some(rest) = s.strip_prefix('[').and_then(|r| r.split_once(']')) {
        s = rest.1.trim_start();
    }
    REPLY_PREFIXES
        .iter()
        .any(|p| strip_prefix_ci(s, p).is_some())
}

/// The subject a thread is found by: bare, spaces collapsed, lower case.
pub fn reduced_subject(subject: &str) -> String {
    bare_subject(subject)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_reads_with_what_it_answers_and_without_the_quote() {
        let raw =
            b"Message-ID: <b@list>\nIn-Reply-To: <a@list>\nReferences: <root@list> <a@list>\n\
                    From: Ana Silva <Ana@Example.org>\nSubject: Re: [ipc] Hand rub\n\
                    Date: Mon, 01 Jan 2024 10:00:00 +0000\n\nWe use 30 seconds.\n\n\
                    On Monday, Tom wrote:\n> How long?\n> Really?\n";
        let m = read(raw).unwrap();
        assert_eq!(m.message_id, "b@list");
        assert_eq!(m.parents, ["a@list", "root@list"]);
        assert_eq!(
            m.from,
            Some((Some("Ana Silva".into()), "ana@example.org".into()))
        );
        assert_eq!(m.date, Some(1_704_103_200_000));
        assert_eq!(m.body, "We use 30 seconds.");
        assert_eq!(reduced_subject(&m.subject), "hand rub");
    }

    #[test]
    fn a_message_without_headers_still_reads() {
        let m = read(b"\nJust text.\n").unwrap();
        assert!(m.message_id.starts_with("copse-"));
        assert_eq!((m.from, m.date), (None, None));
        assert_eq!(m.body, "Just text.");
        assert_eq!(
            m.message_id,
            read(b"\nJust text.\n").unwrap().message_id,
            "the same id again"
        );
    }

    #[test]
    fn html_only_mail_reads_as_its_text() {
        let raw =
            b"Content-Type: text/html\n\n<p>Hello &amp; welcome</p><script>x()</script><b>bold</b>";
        assert_eq!(read(raw).unwrap().body, "Hello & welcome\nbold");
    }

    #[test]
    fn attachments_are_kept_apart_from_the_text() {
        let raw = b"Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nSee the PDF.\n\
                    --b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"audit.pdf\"\n\
                    Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--b--\n";
        let m = read(raw).unwrap();
        assert_eq!(m.body, "See the PDF.");
        assert_eq!(
            m.attachments,
            [("audit.pdf".to_string(), b"%PDF-1.4\n".to_vec())]
        );
    }

    #[test]
    fn a_quote_between_own_lines_stays() {
        assert_eq!(folded("> asked\nanswered\n> again\n"), "> asked\nanswered");
        assert_eq!(folded("> only a quote\n"), "> only a quote");
    }

    #[test]
    fn subjects_reduce_to_what_finds_the_thread() {
        assert_eq!(
            reduced_subject("Re: AW: [IPC-list]  Hand   Rub"),
            "hand rub"
        );
        assert_eq!(reduced_subject("[a] [b] Fwd: x"), "x");
        assert!(says_reply("[ipc] RE: audits") && !says_reply("Fwd: audits"));
        assert_eq!(bare_subject("[ipc] Re: Hand Rub"), "Hand Rub");
    }
}
