//! Markdown to safe HTML: CommonMark (with tables, strikethrough and task lists) rendered by
//! pulldown-cmark, then always sanitized by ammonia — scripts, event handlers and `javascript:`
//! URLs never survive — with `rel="nofollow ugc noopener"` on every link, since links are
//! written by members, not by the site. Bare addresses and `@mentions` are linked
//! ([`autolink`]).

mod autolink;

use std::sync::OnceLock;

use pulldown_cmark::{Options, Parser, TextMergeStream, html};

fn sanitizer() -> &'static ammonia::Builder<'static> {
    static SANITIZER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        b.link_rel(Some("nofollow ugc noopener"));
        b.add_tags(["input"]);
        b.add_tag_attributes("input", ["type", "checked", "disabled"]);
        b
    })
}

pub fn to_html(source: &str) -> String {
    to_html_linking(source, &|path| path.to_string())
}

/// As [`to_html`], with the links copse adds (mentions) made absolute by `address`: for what
/// is read outside the site, as e-mail is.
pub fn to_html_linking(source: &str, address: &dyn Fn(&str) -> String) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw = String::with_capacity(source.len() * 3 / 2);
    // Merged, so that an address is one piece of text however the parser cut it.
    let events = TextMergeStream::new(Parser::new_ext(source, options));
    html::push_html(&mut raw, autolink::linked(events, address).into_iter());
    sanitizer().clean(&raw).to_string()
}

/// Plain text of the first paragraph, cut at `max` characters — for directory cards.
pub fn excerpt(source: &str, max: usize) -> String {
    let first = source
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#'))
        .unwrap_or("");
    let plain: String = first
        .chars()
        .filter(|c| !matches!(c, '*' | '_' | '`' | '#' | '>'))
        .map(|c| if c == '\n' { ' ' } else { c })
        .collect();
    if plain.chars().count() <= max {
        plain
    } else {
        let cut: String = plain.chars().take(max).collect();
        format!("{}…", cut.trim_end())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_javascript_urls_never_survive() {
        let html = to_html(
            "<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
    }

    #[test]
    fn links_are_marked_as_user_content_and_tables_render() {
        let html =
            to_html("[site](https://example.org)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done");
        assert!(html.contains(r#"rel="nofollow ugc noopener""#), "{html}");
        assert!(html.contains("<table>"), "{html}");
        assert!(html.contains("checkbox"), "{html}");
    }

    #[test]
    fn excerpts_are_plain_and_short() {
        assert_eq!(
            excerpt("# Title\n\nWe **share** hand\nhygiene.", 100),
            "We share hand hygiene."
        );
        assert_eq!(excerpt("abcdef", 3), "abc…");
    }
}

#[cfg(test)]
mod depth_tests {
    use super::*;

    /// Run on a thread with a 2 MiB stack, like tokio's workers.
    fn on_small_stack(source: String) -> String {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn(move || to_html(&source))
            .unwrap()
            .join()
            .expect("rendering must not overflow the stack")
    }

    #[test]
    fn deeply_nested_markdown_renders_without_overflow() {
        let quotes = on_small_stack(format!("{} deep", ">".repeat(10_000)));
        assert!(quotes.contains("deep"));
        let lists: String = (0..10_000)
            .map(|i| format!("{}- x\n", "  ".repeat(i)))
            .collect();
        let _ = on_small_stack(lists);
        let html = on_small_stack(format!("{}<script>x</script>", "<div>".repeat(10_000)));
        assert!(!html.contains("<script"));
    }
}
