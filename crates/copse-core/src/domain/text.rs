//! Rules shared by every piece of free text a stranger can send: trimmed, bounded in length,
//! free of control characters where a single line is expected.

use crate::error::{Error, Result};

/// A single-line text field: trimmed, `min..=max` characters, no control characters.
pub fn single_line(field: &str, raw: &str, min: usize, max: usize) -> Result<String> {
    let value = raw.trim();
    let len = value.chars().count();
    if len < min {
        return Err(if min == 1 {
            Error::invalid(field, "must not be empty")
        } else {
            Error::invalid(field, format!("must be at least {min} characters"))
        });
    }
    if len > max {
        return Err(Error::invalid(
            field,
            format!("must be at most {max} characters (got {len})"),
        ));
    }
    if value.chars().any(char::is_control) {
        return Err(Error::invalid(field, "must be a single line of text"));
    }
    Ok(value.to_string())
}

/// An optional single-line field: empty input means "not given".
pub fn optional_line(field: &str, raw: &str, max: usize) -> Result<Option<String>> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    single_line(field, raw, 1, max).map(Some)
}

/// A multi-line text (Markdown source): newlines and tabs allowed, other control characters not.
pub fn multi_line(field: &str, raw: &str, min: usize, max: usize) -> Result<String> {
    let value = raw.trim().replace("\r\n", "\n");
    let len = value.chars().count();
    if len < min {
        return Err(Error::invalid(field, "must not be empty"));
    }
    if len > max {
        return Err(Error::invalid(
            field,
            format!("must be at most {max} characters (got {len})"),
        ));
    }
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Error::invalid(field, "contains control characters"));
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_line_trims_and_bounds() {
        assert_eq!(single_line("name", "  Nurses ", 1, 10).unwrap(), "Nurses");
        assert!(single_line("name", "   ", 1, 10).is_err());
        assert!(single_line("name", "a\nb", 1, 10).is_err());
        let err = single_line("name", &"x".repeat(11), 1, 10).unwrap_err();
        assert_eq!(
            err,
            Error::invalid("name", "must be at most 10 characters (got 11)")
        );
    }

    #[test]
    fn multi_line_keeps_newlines_refuses_other_controls() {
        assert_eq!(multi_line("b", "a\r\nb", 1, 10).unwrap(), "a\nb");
        assert!(multi_line("b", "a\u{0}b", 1, 10).is_err());
    }
}
