//! Keyset pagination: a clamped `limit` and an opaque cursor that names the last row seen.
//!
//! A cursor is URL-safe text `<sort key>~<id>` in base-16, so that any sort key (a name, a time)
//! round-trips without escaping; anything else is refused with a 400-class error naming `cursor`.

use crate::error::{Error, Result};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 200;

/// Clamps a requested page size into `1..=MAX_LIMIT`; a missing one is `DEFAULT_LIMIT`.
pub fn clamp_limit(requested: Option<i64>) -> i64 {
    requested.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

/// The position after which the next page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub key: String,
    pub id: i64,
}

impl Cursor {
    pub fn new(key: impl Into<String>, id: i64) -> Self {
        Cursor {
            key: key.into(),
            id,
        }
    }

    pub fn encode(&self) -> String {
        let hex: String = self.key.bytes().map(|b| format!("{b:02x}")).collect();
        format!("{hex}~{}", self.id)
    }

    pub fn decode(raw: &str) -> Result<Self> {
        let bad = || Error::invalid("cursor", "is not a cursor returned by this API");
        let (hex, id) = raw.split_once('~').ok_or_else(bad)?;
        let id: i64 = id.parse().map_err(|_| bad())?;
        if id < 0 || hex.len() % 2 != 0 || hex.len() > 1024 {
            return Err(bad());
        }
        let bytes = (0..hex.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&hex[i..i + 2], 16))
            .collect::<std::result::Result<Vec<u8>, _>>()
            .map_err(|_| bad())?;
        let key = String::from_utf8(bytes).map_err(|_| bad())?;
        Ok(Cursor { key, id })
    }

    pub fn decode_opt(raw: Option<&str>) -> Result<Option<Self>> {
        match raw {
            None | Some("") => Ok(None),
            Some(r) => Cursor::decode(r).map(Some),
        }
    }
}

/// One page of results and the cursor for the next, if there is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next: Option<Cursor>,
}

impl<T> Page<T> {
    /// Builds a page from `limit + 1` fetched rows: the extra row only says that more exist.
    pub fn from_rows(mut rows: Vec<T>, limit: i64, cursor_of: impl Fn(&T) -> Cursor) -> Self {
        let has_more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next = if has_more {
            rows.last().map(&cursor_of)
        } else {
            None
        };
        Page { items: rows, next }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_is_clamped() {
        assert_eq!(clamp_limit(None), DEFAULT_LIMIT);
        assert_eq!(clamp_limit(Some(1_000_000_000)), MAX_LIMIT);
        assert_eq!(clamp_limit(Some(-5)), 1);
    }

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let c = Cursor::new("Infection control ~ ünïcode", 42);
        assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
        for bad in ["", "abc", "zz~1", "61~-1", "61~x", "6~1", "ff~1"] {
            assert!(Cursor::decode(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pages_know_whether_more_follow() {
        let p = Page::from_rows(vec![1, 2, 3], 2, |n| Cursor::new("", *n));
        assert_eq!(p.items, vec![1, 2]);
        assert_eq!(p.next, Some(Cursor::new("", 2)));
        let last = Page::from_rows(vec![1], 2, |n| Cursor::new("", *n));
        assert_eq!(last.next, None);
    }
}
