//! Line folding as RFC 5545 3.1 asks: no line longer than 75 octets, its CRLF not counted and a
//! continuation line's leading space counted. (The `ics` crate folds its content at 75 octets
//! and then adds the space, so its continuation lines were 76.) Folds fall between
//! characters, never inside one.

const LINE_OCTETS: usize = 75;

/// `text` (CRLF-separated, folded or not) folded afresh.
pub(super) fn refold(text: &str) -> String {
    let unfolded = text.replace("\r\n ", "").replace("\r\n\t", "");
    let mut out = String::with_capacity(text.len() + text.len() / 64);
    for line in unfolded.split_terminator("\r\n") {
        let mut used = 0;
        for c in line.chars() {
            if used + c.len_utf8() > LINE_OCTETS {
                out.push_str("\r\n ");
                used = 1;
            }
            out.push(c);
            used += c.len_utf8();
        }
        out.push_str("\r\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::refold;

    #[test]
    fn no_line_is_longer_than_75_octets_and_unfolding_gives_the_text_back() {
        let long = format!("DESCRIPTION:{}", "Händehygiene – ".repeat(20));
        let folded = refold(&format!("BEGIN:VEVENT\r\n{long}\r\nEND:VEVENT\r\n"));
        for line in folded.split_terminator("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        assert!(
            folded.split_terminator("\r\n").any(|l| l.len() >= 73),
            "lines are filled"
        );
        assert_eq!(
            folded.replace("\r\n ", ""),
            format!("BEGIN:VEVENT\r\n{long}\r\nEND:VEVENT\r\n")
        );
        assert_eq!(refold(&folded), folded, "folding is stable");
    }
}
