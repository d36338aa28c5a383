//! The search box's language, the same on both backends: words (all must match), "quoted
//! phrases", and -excluded words. Anything else a person types — `*`, `NEAR(`, `%`, quotes that
//! do not close — is treated as plain text, never as syntax of the database's own query
//! language, so no input can make a search fail with a server error.

use crate::clock::Millis;
use crate::domain::{AccountId, CommunityId, ThreadKind};
use crate::error::{Error, Result};

/// A parsed search query.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchQuery {
    /// Single words that must all occur.
    pub words: Vec<String>,
    /// Phrases whose words must occur together, in order.
    pub phrases: Vec<Vec<String>>,
    /// Words that must not occur.
    pub excluded: Vec<String>,
}

/// Narrowing of a search, beyond what the policy allows.
#[derive(Debug, Clone, Default)]
pub struct SearchFilters {
    pub community: Option<CommunityId>,
    /// A topic slug (within `community` when given).
    pub topic: Option<String>,
    pub kind: Option<ThreadKind>,
    pub answered: Option<bool>,
    pub author: Option<AccountId>,
    pub from: Option<Millis>,
    pub to: Option<Millis>,
}

/// One hit: a thread, or a reply in a thread. The snippet marks matches with U+0001 … U+0002.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub thread_id: i64,
    pub reply_id: Option<i64>,
    pub score: f64,
    pub snippet: String,
    pub title: String,
    pub kind: ThreadKind,
    pub community_slug: String,
    pub community_name: String,
    pub author_handle: String,
    pub created_at: Millis,
}

pub const MAX_QUERY_CHARS: usize = 500;
const MAX_TERMS: usize = 32;

/// The words of a piece of text: runs of letters and digits, lower-cased.
fn words_of(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

impl SearchQuery {
    pub fn parse(raw: &str) -> Result<SearchQuery> {
        if raw.chars().count() > MAX_QUERY_CHARS {
            return Err(Error::invalid(
                "q",
                format!("must be at most {MAX_QUERY_CHARS} characters"),
            ));
        }
        let mut q = SearchQuery::default();
        let mut rest = raw;
        while let Some(start) = rest.find('"') {
            let (before, after) = rest.split_at(start);
            q.add_loose(before);
            let after = &after[1..];
            match after.find('"') {
                Some(end) => {
                    let phrase = words_of(&after[..end]);
                    match phrase.len() {
                        0 => {}
                        1 => q.words.extend(phrase),
                        _ => q.phrases.push(phrase),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    // An unclosed quote: the rest is plain words.
                    rest = after;
                    break;
                }
            }
        }
        q.add_loose(rest);
        let terms = q.words.len() + q.phrases.len() + q.excluded.len();
        if terms > MAX_TERMS {
            return Err(Error::invalid(
                "q",
                format!("use at most {MAX_TERMS} words"),
            ));
        }
        if q.words.is_empty() && q.phrases.is_empty() {
            return Err(Error::invalid(
                "q",
                "give at least one word to look for (letters or digits)",
            ));
        }
        q.words.dedup();
        Ok(q)
    }

    fn add_loose(&mut self, text: &str) {
        for token in text.split_whitespace() {
            let (negated, body) = match token.strip_prefix('-') {
                Some(b) if !b.is_empty() => (true, b),
                _ => (false, token),
            };
            let words = words_of(body);
            if negated {
                self.excluded.extend(words);
            } else {
                self.words.extend(words);
            }
        }
    }

    /// The query in SQLite FTS5 syntax: every word and phrase quoted, so that nothing typed is
    /// read as an operator.
    pub fn to_fts5(&self) -> String {
        let quote = |w: &str| format!("\"{}\"", w.replace('"', "\"\""));
        let mut parts: Vec<String> = self.words.iter().map(|w| quote(w)).collect();
        parts.extend(self.phrases.iter().map(|p| quote(&p.join(" "))));
        let mut query = parts.join(" AND ");
        for w in &self.excluded {
            query = format!("({query}) NOT {}", quote(w));
        }
        query
    }

    /// The query for PostgreSQL's `websearch_to_tsquery`, rebuilt from the parsed parts.
    pub fn to_websearch(&self) -> String {
        let mut parts: Vec<String> = self.words.clone();
        parts.extend(self.phrases.iter().map(|p| format!("\"{}\"", p.join(" "))));
        parts.extend(self.excluded.iter().map(|w| format!("-{w}")));
        parts.join(" ")
    }

    /// Every word looked for, to highlight them.
    pub fn positive_words(&self) -> Vec<String> {
        let mut all = self.words.clone();
        all.extend(self.phrases.iter().flatten().cloned());
        all
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_and_exclusions() {
        let q = SearchQuery::parse(r#"Hand "hygiene audit" -gloves"#).unwrap();
        assert_eq!(q.words, vec!["hand"]);
        assert_eq!(
            q.phrases,
            vec![vec!["hygiene".to_string(), "audit".to_string()]]
        );
        assert_eq!(q.excluded, vec!["gloves"]);
        assert_eq!(q.to_fts5(), r#"("hand" AND "hygiene audit") NOT "gloves""#);
        assert_eq!(q.to_websearch(), r#"hand "hygiene audit" -gloves"#);
    }

    #[test]
    fn syntax_of_the_databases_is_plain_text() {
        for raw in [
            r#"NEAR(a b)"#,
            "sepsis*",
            "100%",
            "o'brien",
            r#"unclosed "quote"#,
            "a:b",
            "(x OR y)",
        ] {
            let q = SearchQuery::parse(raw).unwrap();
            let fts = q.to_fts5();
            assert!(
                !fts.contains('*') && !fts.contains('('.to_string().repeat(2).as_str()),
                "{raw} -> {fts}"
            );
        }
        assert_eq!(
            SearchQuery::parse("NEAR(a b)").unwrap().words,
            vec!["near", "a", "b"]
        );
        assert_eq!(
            SearchQuery::parse("o'brien").unwrap().words,
            vec!["o", "brien"]
        );
    }

    #[test]
    fn a_query_needs_something_to_find() {
        for raw in ["", "   ", "-gloves", "%%%", "\"\"", "* * *"] {
            assert!(SearchQuery::parse(raw).is_err(), "{raw:?}");
        }
        assert!(SearchQuery::parse(&"a ".repeat(40)).is_err());
        assert!(SearchQuery::parse(&"a".repeat(501)).is_err());
    }
}
