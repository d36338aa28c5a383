//! The activity ledger's kinds of act — what each is called and how much it weighs — and which
//! acts are private: they count toward a level but are never named to others.

use crate::domain::Space;
use crate::domain::value::StoryVisibility;

/// A kind of act the ledger records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Act {
    ThreadStarted,
    ResourceShared,
    Reply,
    AnswerAccepted,
    HelpfulReceived,
    EventHosted,
    EventAttended,
    Rsvp,
    Message,
    ValueStory,
    Visit,
}

impl Act {
    pub const ALL: [Act; 11] = [
        Act::ThreadStarted,
        Act::ResourceShared,
        Act::Reply,
        Act::AnswerAccepted,
        Act::HelpfulReceived,
        Act::EventHosted,
        Act::EventAttended,
        Act::Rsvp,
        Act::Message,
        Act::ValueStory,
        Act::Visit,
    ];

    /// The name the ledger stores.
    pub fn key(self) -> &'static str {
        match self {
            Act::ThreadStarted => "thread_started",
            Act::ResourceShared => "resource_shared",
            Act::Reply => "reply",
            Act::AnswerAccepted => "answer_accepted",
            Act::HelpfulReceived => "helpful_received",
            Act::EventHosted => "event_hosted",
            Act::EventAttended => "event_attended",
            Act::Rsvp => "rsvp",
            Act::Message => "message",
            Act::ValueStory => "value_story",
            Act::Visit => "visit",
        }
    }

    /// How much one such act weighs.
    pub fn weight(self) -> i64 {
        kind(self.key()).map_or(0, |k| k.weight)
    }
}

/// The spaces whose acts are private (a circle, a direct conversation's meetings).
pub const PRIVATE_SPACES: [Space; 2] = [Space::Circle, Space::Direct];

/// Whether an act in this space is private.
pub fn private_in(space: Space) -> bool {
    PRIVATE_SPACES.contains(&space)
}

/// Whether telling a story of this visibility is private: only stories told to the whole
/// community are named.
pub fn private_story(visibility: StoryVisibility) -> bool {
    visibility != StoryVisibility::Community
}

/// What a kind of act is called and how much it weighs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActivityKind {
    pub key: &'static str,
    pub weight: i64,
    /// Singular and plural, for explanations ("1 reply", "6 replies").
    pub one: &'static str,
    pub many: &'static str,
}

pub const KINDS: [ActivityKind; 11] = [
    ActivityKind {
        key: "thread_started",
        weight: 3,
        one: "thread started",
        many: "threads started",
    },
    ActivityKind {
        key: "resource_shared",
        weight: 3,
        one: "resource shared",
        many: "resources shared",
    },
    ActivityKind {
        key: "reply",
        weight: 2,
        one: "reply",
        many: "replies",
    },
    ActivityKind {
        key: "answer_accepted",
        weight: 4,
        one: "accepted answer given",
        many: "accepted answers given",
    },
    ActivityKind {
        key: "helpful_received",
        weight: 1,
        one: "helpful mark received",
        many: "helpful marks received",
    },
    ActivityKind {
        key: "event_hosted",
        weight: 4,
        one: "event hosted",
        many: "events hosted",
    },
    ActivityKind {
        key: "event_attended",
        weight: 2,
        one: "event attended",
        many: "events attended",
    },
    ActivityKind {
        key: "rsvp",
        weight: 1,
        one: "RSVP",
        many: "RSVPs",
    },
    ActivityKind {
        key: "message",
        weight: 1,
        one: "private message",
        many: "private messages",
    },
    ActivityKind {
        key: "value_story",
        weight: 3,
        one: "value story told",
        many: "value stories told",
    },
    ActivityKind {
        key: "visit",
        weight: 1,
        one: "day visited",
        many: "days visited",
    },
];

/// The kind of act named `key`.
pub fn kind(key: &str) -> Option<&'static ActivityKind> {
    KINDS.iter().find(|k| k.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_act_has_a_weight_and_a_name() {
        for act in Act::ALL {
            let k = kind(act.key()).expect("a kind for every act");
            assert!(k.weight > 0, "{act:?}");
        }
        assert_eq!(KINDS.len(), Act::ALL.len());
    }

    #[test]
    fn circles_and_direct_meetings_are_private() {
        assert!(private_in(Space::Circle) && private_in(Space::Direct));
        assert!(!private_in(Space::Public) && !private_in(Space::Members));
    }
}
