//! What a digest is made of: lines, grouped per community, per person.

use copse_store::Recipient;

/// One line of a digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line {
    pub text: String,
    /// Absolute when the site's base URL is configured.
    pub url: String,
    pub note: String,
}

/// What one community brings to a person's digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommunityDigest {
    pub name: String,
    pub url: String,
    pub threads: Vec<Line>,
    pub questions: Vec<Line>,
    /// Questions they follow (a topic of theirs, or they replied) whose answer was accepted.
    pub answered: Vec<Line>,
    pub upcoming: Vec<Line>,
    pub stories: Vec<Line>,
    pub newcomers: Vec<String>,
}

impl CommunityDigest {
    pub fn items(&self) -> usize {
        self.threads.len()
            + self.questions.len()
            + self.answered.len()
            + self.upcoming.len()
            + self.stories.len()
            + self.newcomers.len()
    }
}

/// A person's digest: empty ones are not sent.
#[derive(Debug, Clone)]
pub struct Digest {
    pub recipient: Recipient,
    /// Their unread notifications of the kinds they want in the digest.
    pub for_you: Vec<Line>,
    pub communities: Vec<CommunityDigest>,
}

impl Digest {
    pub fn items(&self) -> usize {
        self.for_you.len()
            + self
                .communities
                .iter()
                .map(CommunityDigest::items)
                .sum::<usize>()
    }
}
