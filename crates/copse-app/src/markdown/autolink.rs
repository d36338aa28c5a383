//! Bare web addresses and `@mentions` in a post's text become links, as members expect from
//! any forum: `https://…` to itself, `@maya` to her profile. Only plain text is touched — not
//! what is already a link or an image, not code. A mention has the shape that decides who is
//! notified ([`copse_core::domain::mentioned_handles`]: 2–32 letters, digits or `_` after an
//! `@` that starts a word); it is linked only when nothing of an address (`/`, `.`, `-`, `@`)
//! comes just before it either, so `a.@b` notifies but stays text.

use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};

/// The events with bare addresses and mentions in plain text turned into links; `address`
/// makes a site path (`/u/maya`) the link's address (absolute, for e-mail).
pub fn linked<'a>(
    events: impl Iterator<Item = Event<'a>>,
    address: &dyn Fn(&str) -> String,
) -> Vec<Event<'a>> {
    let mut out = Vec::new();
    // Links, images and code blocks: their text stays as written.
    let mut inside = 0usize;
    for event in events {
        match &event {
            Event::Start(Tag::Link { .. } | Tag::Image { .. } | Tag::CodeBlock(_)) => inside += 1,
            Event::End(TagEnd::Link | TagEnd::Image | TagEnd::CodeBlock) => {
                inside = inside.saturating_sub(1)
            }
            Event::Text(text) if inside == 0 && (text.contains("http") || text.contains('@')) => {
                push_pieces(text, address, &mut out);
                continue;
            }
            _ => {}
        }
        out.push(event);
    }
    out
}

/// A piece of text that becomes a link: where it starts and ends, and where it leads.
struct Found {
    start: usize,
    end: usize,
    to: String,
}

fn push_pieces<'a>(text: &str, address: &dyn Fn(&str) -> String, out: &mut Vec<Event<'a>>) {
    let mut done = 0;
    let mut at = 0;
    while let Some(found) = next_link(text, at, address) {
        if found.start > done {
            out.push(Event::Text(CowStr::from(
                text[done..found.start].to_string(),
            )));
        }
        out.push(Event::Start(Tag::Link {
            link_type: LinkType::Autolink,
            dest_url: CowStr::from(found.to),
            title: CowStr::from(""),
            id: CowStr::from(""),
        }));
        out.push(Event::Text(CowStr::from(
            text[found.start..found.end].to_string(),
        )));
        out.push(Event::End(TagEnd::Link));
        done = found.end;
        at = found.end;
    }
    if done < text.len() {
        out.push(Event::Text(CowStr::from(text[done..].to_string())));
    }
}

/// Whether position `i` starts a word (nothing of a word or an address just before it).
fn starts_word(text: &str, i: usize) -> bool {
    text[..i]
        .chars()
        .next_back()
        .is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '_' | '/' | '.' | '@' | '-')))
}

/// The first address or mention at or after `from`.
fn next_link(text: &str, from: usize, address: &dyn Fn(&str) -> String) -> Option<Found> {
    let mut i = from;
    while i < text.len() {
        let rest = &text[i..];
        if (rest.starts_with("https://") || rest.starts_with("http://")) && starts_word(text, i) {
            if let Some(end) = address_end(text, i) {
                return Some(Found {
                    start: i,
                    end,
                    to: text[i..end].to_string(),
                });
            }
        } else if rest.starts_with('@') && starts_word(text, i) {
            let handle_len = rest[1..]
                .bytes()
                .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
                .count();
            if (2..=32).contains(&handle_len) {
                let end = i + 1 + handle_len;
                let handle = text[i + 1..end].to_ascii_lowercase();
                return Some(Found {
                    start: i,
                    end,
                    to: address(&format!("/u/{handle}")),
                });
            }
        }
        i += rest.chars().next().map_or(1, char::len_utf8);
    }
    None
}

/// Where the address starting at `start` ends: at a space or a character an address does not
/// carry, without the punctuation that ends a sentence, and without a closing parenthesis it
/// did not open (`(see https://example.org)`).
fn address_end(text: &str, start: usize) -> Option<usize> {
    let rest = &text[start..];
    let mut end = start
        + rest
            .find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`'))
            .unwrap_or(rest.len());
    // Counted once and kept as the end moves back: a run of `)))…` costs its length, not its
    // square.
    let (mut opened, mut closed) = (0usize, 0usize);
    for c in text[start..end].chars() {
        match c {
            '(' => opened += 1,
            ')' => closed += 1,
            _ => {}
        }
    }
    while let Some(last) = text[start..end].chars().next_back() {
        let unopened = last == ')' && closed > opened;
        if !(matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' | '_') || unopened) {
            break;
        }
        closed -= usize::from(last == ')');
        end -= last.len_utf8();
    }
    // An address is more than its scheme.
    let scheme = if rest.starts_with("https://") { 8 } else { 7 };
    (end - start > scheme).then_some(end)
}

#[cfg(test)]
mod tests {
    use super::super::to_html;

    #[test]
    fn bare_addresses_become_links_without_the_sentence_around_them() {
        let html = to_html(
            "See https://example.org/a_b?c=1. And (https://en.wikipedia.org/wiki/Copse_(wood)) too",
        );
        assert!(html.contains(r#"<a href="https://example.org/a_b?c=1" rel="nofollow ugc noopener">https://example.org/a_b?c=1</a>."#), "{html}");
        assert!(
            html.contains(r#"href="https://en.wikipedia.org/wiki/Copse_(wood)""#),
            "{html}"
        );
        assert!(html.contains("</a>) too"), "{html}");
        // Sentence ends trimmed one by one stay linear however many there are.
        let long = to_html(&format!("https://example.org/{}", ")".repeat(200_000)));
        assert!(
            long.contains(r#"href="https://example.org/""#),
            "{}",
            &long[..200]
        );
    }

    #[test]
    fn mentions_link_to_profiles_but_addresses_and_code_stay() {
        let html = to_html(
            "Thanks @Maya_O and write to ada@example.org; `@code` and [@tom](https://x.org)\n\n    @block https://example.org",
        );
        assert!(
            html.contains(r#"<a href="/u/maya_o" rel="nofollow ugc noopener">@Maya_O</a>"#),
            "{html}"
        );
        assert!(html.contains("ada@example.org;"), "{html}");
        assert!(!html.contains("/u/example"), "{html}");
        assert!(html.contains("<code>@code</code>"), "{html}");
        assert_eq!(html.matches("<a ").count(), 2, "{html}");
        assert!(
            html.contains("<pre><code>@block https://example.org</code></pre>"),
            "{html}"
        );
    }

    #[test]
    fn nothing_to_link_leaves_the_text_alone() {
        assert_eq!(
            to_html("http:// and @a and x@yy"),
            "<p>http:// and @a and x@yy</p>\n"
        );
    }
}

#[cfg(test)]
mod absolute_tests {
    #[test]
    fn mentions_made_absolute_for_mail() {
        let html = super::super::to_html_linking(
            "- [Coord](https://copse.example/u/coord) — @coord\n",
            &|p| format!("https://copse.example{p}"),
        );
        assert!(
            html.contains(
                r#"href="https://copse.example/u/coord" rel="nofollow ugc noopener">@coord"#
            ),
            "{html}"
        );
        assert!(!html.contains(r#"href="/u/"#), "{html}");
    }
}
