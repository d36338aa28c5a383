//! Counts in sentences: "1 story", "2 stories", never "1 stories".

/// `count` followed by the noun in the number it takes.
pub fn counted(count: impl TryInto<i64>, one: &str, many: &str) -> String {
    let count: i64 = count.try_into().unwrap_or(i64::MAX);
    format!("{count} {}", if count == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::counted;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(counted(1, "story", "stories"), "1 story");
        assert_eq!(counted(0, "story", "stories"), "0 stories");
        assert_eq!(counted(2, "question", "questions"), "2 questions");
        assert_eq!(counted(-1, "point", "points"), "-1 points");
        assert_eq!(counted(1usize, "reply", "replies"), "1 reply");
    }
}
