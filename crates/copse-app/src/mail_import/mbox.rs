//! Splitting an mbox file into its messages. A message starts at a line beginning with "From "
//! (at the start of the file or after a newline); inside a message, a line that the writer
//! escaped as ">From " (mboxrd and mboxo alike) reads "From " again.

/// The messages of an mbox, each without its "From " separator line, unescaped.
pub fn messages(mbox: &[u8]) -> Vec<Vec<u8>> {
    let mut messages = Vec::new();
    let mut current: Option<Vec<u8>> = None;
    for line in mbox.split_inclusive(|b| *b == b'\n') {
        if line.starts_with(b"From ") {
            messages.extend(current.take());
            current = Some(Vec::new());
            continue;
        }
        // Text before the first separator is not a message.
        let Some(message) = current.as_mut() else {
            continue;
        };
        message.extend_from_slice(unescaped(line));
    }
    messages.extend(current);
    messages
}

/// `>From ` → `From `, `>>From ` → `>From `: one level of quoting undone.
fn unescaped(line: &[u8]) -> &[u8] {
    let quotes = line.iter().take_while(|b| **b == b'>').count();
    if quotes > 0 && line[quotes..].starts_with(b"From ") {
        &line[1..]
    } else {
        line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_split_at_from_lines_and_unescaped() {
        let mbox =
            b"junk\nFrom a@x Mon Jan  1 00:00:00 2024\nSubject: one\n\nhello\n>From the ward\n\
                     From b@x Mon Jan  1 00:00:00 2024\nSubject: two\n\n>>From here\n";
        let m = messages(mbox);
        assert_eq!(m.len(), 2);
        assert_eq!(m[0], b"Subject: one\n\nhello\nFrom the ward\n");
        assert_eq!(m[1], b"Subject: two\n\n>From here\n");
        assert!(messages(b"").is_empty());
    }
}
