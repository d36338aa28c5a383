//! `Range: bytes=…` (RFC 9110 §14): one range of a file of known size, or none (the whole
//! file). Several ranges are answered with the whole file, which the RFC allows.

use std::ops::Range;

/// What a `Range` header asks of a file of `size` bytes.
#[derive(Debug, PartialEq, Eq)]
pub enum Wanted {
    Whole,
    Part(Range<u64>),
    /// No byte of it is in the file: 416.
    Unsatisfiable,
}

pub fn wanted(header: Option<&str>, size: u64) -> Wanted {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else {
        return Wanted::Whole;
    };
    if spec.contains(',') {
        return Wanted::Whole;
    }
    let Some((start, end)) = spec.trim().split_once('-') else {
        return Wanted::Whole;
    };
    let (start, end) = (start.trim(), end.trim());
    let range = match (start.parse::<u64>(), end.parse::<u64>()) {
        // bytes=-500: the last 500.
        (Err(_), Ok(last)) if start.is_empty() => {
            if last == 0 {
                return Wanted::Unsatisfiable;
            }
            size.saturating_sub(last)..size
        }
        // bytes=100-: from 100 to the end.
        (Ok(from), Err(_)) if end.is_empty() => from..size,
        (Ok(from), Ok(to)) if to >= from => from..to.saturating_add(1).min(size),
        _ => return Wanted::Whole,
    };
    if range.start >= size || range.is_empty() {
        Wanted::Unsatisfiable
    } else {
        Wanted::Part(range)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_forms_of_a_byte_range() {
        assert_eq!(wanted(None, 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-3"), 10), Wanted::Part(0..4));
        assert_eq!(wanted(Some("bytes=4-"), 10), Wanted::Part(4..10));
        assert_eq!(wanted(Some("bytes=-3"), 10), Wanted::Part(7..10));
        assert_eq!(wanted(Some("bytes=5-999"), 10), Wanted::Part(5..10));
        assert_eq!(wanted(Some("bytes=-20"), 10), Wanted::Part(0..10));
        assert_eq!(wanted(Some("bytes=10-"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=-0"), 10), Wanted::Unsatisfiable);
        assert_eq!(wanted(Some("bytes=0-1,5-6"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=7-3"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("items=0-3"), 10), Wanted::Whole);
        assert_eq!(wanted(Some("bytes=0-0"), 0), Wanted::Unsatisfiable);
    }
}
