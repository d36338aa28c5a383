//! The newsletter's rules, case by case.

use crate::domain::AccountId;
use std::collections::HashSet;

use super::*;
use crate::domain::value::StoryVisibility;
use crate::domain::{JoinPolicy, Role, Visibility};
use crate::domain::{Space, ThreadKind};
use crate::policy::{Actor, CommunityFacts, Standing};
use chrono::{TimeZone, Utc};

fn community() -> CommunityFacts {
    CommunityFacts {
        visibility: Visibility::Public,
        listed: true,
        join_policy: JoinPolicy::Open,
        leaders_moderate: false,
        archived: false,
    }
}

fn referenced() -> Referenced {
    let thread = |id, space, circle_id| ThreadRef {
        id,
        space,
        kind: ThreadKind::Question,
        author: AccountId(99),
        circle_id,
        title: format!("Thread *{id}*"),
        answered: true,
        replies: 2,
    };
    let mut r = Referenced::default();
    r.threads.insert(1, thread(1, Space::Public, None));
    r.threads.insert(2, thread(2, Space::Members, None));
    r.threads.insert(3, thread(3, Space::Circle, Some(7)));
    r.stories.insert(
        4,
        StoryRef {
            id: 4,
            visibility: StoryVisibility::Community,
            circle_id: None,
            author: AccountId(99),
            took: "We tried the checklist".into(),
        },
    );
    r.members.insert(
        5,
        MemberRef {
            id: AccountId(5),
            name: "Ada".into(),
            handle: "ada".into(),
        },
    );
    r
}

const BODY: &str = "<!-- drafted by copse\n[[thread:2]] -->\n## Word\n\nHello all.\n\n## Highlights\n\n[[thread:1]]\n[[thread:2]]\n\n## Circles\n\n[[thread:3]]\n\n## Stories\n\n[[story:4]]\n\n## Welcome\n\n[[member:5]]\n";

fn paths(blocks: &[Block]) -> Vec<String> {
    blocks
        .iter()
        .filter_map(|b| match b {
            Block::Item { path, .. } => Some(path.clone()),
            Block::Line(l) if l.starts_with('#') => Some(l.clone()),
            Block::Line(_) => None,
        })
        .collect()
}

#[test]
fn each_reader_gets_what_the_policy_lets_them_read() {
    let none = HashSet::new();
    let in_circle: HashSet<i64> = [7].into();
    let read = |actor, role, circles| {
        paths(&expand(
            BODY,
            &referenced(),
            &Reader {
                actor,
                standing: Standing {
                    role,
                    invited: false,
                    silenced_until: None,
                },
                community: community(),
                circles,
            },
        ))
    };
    let member = Actor::Account {
        id: AccountId(10),
        is_admin: false,
        must_verify: false,
    };
    assert_eq!(
        read(member, Some(Role::Member), &in_circle),
        [
            "## Word",
            "## Highlights",
            "/t/1",
            "/t/2",
            "## Circles",
            "/t/3",
            "## Stories",
            "/stories/4",
            "## Welcome",
            "/u/ada"
        ]
    );
    assert_eq!(
        read(member, Some(Role::Member), &none),
        [
            "## Word",
            "## Highlights",
            "/t/1",
            "/t/2",
            "## Stories",
            "/stories/4",
            "## Welcome",
            "/u/ada"
        ]
    );
    // An observer: public threads only, no stories; a public community's members are
    // visible to the signed in.
    assert_eq!(
        read(member, Some(Role::Observer), &none),
        ["## Word", "## Highlights", "/t/1", "## Welcome", "/u/ada"]
    );
    // Removed from the community: what anyone may read of a public community.
    assert_eq!(
        read(member, None, &in_circle),
        ["## Word", "## Highlights", "/t/1", "## Welcome", "/u/ada"]
    );
    assert_eq!(
        read(Actor::Anonymous, None, &none),
        ["## Word", "## Highlights", "/t/1"]
    );
}

#[test]
fn comments_are_never_sent_and_titles_are_escaped() {
    let blocks = expand(
        BODY,
        &referenced(),
        &Reader {
            actor: Actor::Anonymous,
            standing: Standing::default(),
            community: community(),
            circles: &HashSet::new(),
        },
    );
    let md = to_markdown(&blocks, |p| format!("https://x.org{p}"));
    assert!(!md.contains("drafted by copse"), "{md}");
    assert!(
        md.contains("- [Thread \\*1\\*](https://x.org/t/1) — question, answered, 2 replies"),
        "{md}"
    );
    let text = to_text(&blocks, |p| format!("https://x.org{p}"));
    assert!(
        text.contains("- Thread *1* (question, answered, 2 replies)\n  https://x.org/t/1"),
        "{text}"
    );
}

#[test]
fn bad_reference_lines_are_refused_with_their_line() {
    let err = parse_body("Hello\n\n[[thread:x]]").unwrap_err();
    assert!(err.to_string().contains("line 3"), "{err}");
    assert!(parse_body("[[poll:1]]").is_err());
    assert!(parse_body("[[thread:0]]").is_err());
    // Inside a comment, anything goes; inline brackets are just text.
    assert!(parse_body("<!-- [[poll:1]] -->\nSee [[thread:1]] inline").is_ok());
    let many = "[[thread:1]]\n".repeat(MAX_REFERENCES + 1);
    assert!(parse_body(&many).is_err());
    assert_eq!(
        references("a\n<!-- x\ny -->\n[[event:3]]").unwrap(),
        [(4, Reference::Event(3))]
    );
}

#[test]
fn periods_have_readable_labels() {
    let at = |y, m, d| {
        Utc.with_ymd_and_hms(y, m, d, 7, 0, 0)
            .unwrap()
            .timestamp_millis()
    };
    assert_eq!(
        period_label(at(2026, 10, 1), at(2026, 11, 1)),
        "October 2026"
    );
    assert_eq!(
        period_label(at(2026, 10, 19), at(2026, 10, 26)),
        "19 October – 25 October 2026"
    );
    assert_eq!(first_draft_after(at(2026, 11, 28)), at(2026, 12, 1));
    assert_eq!(first_draft_after(at(2026, 12, 1)), at(2027, 1, 1));
}
