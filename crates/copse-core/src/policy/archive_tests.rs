//! An archived community is read-only on every rule: reading, leaving and reopening stay open,
//! every change is refused as archived — for members, coordinators and site admins alike.

use super::*;
use crate::domain::{AccountId, JoinPolicy, Role, Space, ThreadKind, Visibility};

const ADA: AccountId = AccountId(1);

fn archived() -> CommunityFacts {
    CommunityFacts {
        visibility: Visibility::Public,
        listed: true,
        join_policy: JoinPolicy::Open,
        leaders_moderate: true,
        archived: true,
    }
}

fn coordinator() -> Standing {
    Standing {
        role: Some(Role::Coordinator),
        invited: false,
        silenced_until: None,
    }
}

fn actors() -> [Actor; 2] {
    [
        Actor::Account {
            id: ADA,
            is_admin: false,
            must_verify: false,
        },
        Actor::Account {
            id: AccountId(2),
            is_admin: true,
            must_verify: false,
        },
    ]
}

#[test]
fn an_archived_community_refuses_every_change_and_keeps_reading_open() {
    for actor in actors() {
        for &action in CommunityAction::ALL {
            let decision = decide(&actor, &coordinator(), &archived(), action);
            if action.writes() {
                assert_eq!(decision, Decision::Deny(Refusal::Archived), "{action:?}");
            } else {
                assert_eq!(decision, Decision::Allow, "{action:?}");
            }
        }
    }
    let open = CommunityFacts {
        archived: false,
        ..archived()
    };
    let member = Standing {
        role: Some(Role::Member),
        ..coordinator()
    };
    assert!(
        !decide(&actors()[0], &member, &open, CommunityAction::Archive).allowed(),
        "members do not archive"
    );
    assert!(
        decide(
            &actors()[0],
            &coordinator(),
            &open,
            CommunityAction::Archive
        )
        .allowed()
    );
}

#[test]
fn threads_stories_circles_and_events_of_an_archived_community_are_read_only() {
    let own = ThreadFacts {
        space: Space::Public,
        kind: ThreadKind::Question,
        author: ADA,
        private_member: false,
        hidden: false,
        locked: false,
    };
    let actor = &actors()[0];
    for &action in ThreadAction::ALL {
        let decision = decide_thread(actor, &coordinator(), &archived(), &own, action);
        let expected = if action == ThreadAction::Read {
            Decision::Allow
        } else {
            Decision::Deny(Refusal::Archived)
        };
        assert_eq!(decision, expected, "{action:?}");
    }
    let story = StoryFacts {
        visibility: crate::domain::value::StoryVisibility::Community,
        in_circle: false,
        is_author: true,
        anonymous: false,
        hidden: false,
        leaders_moderate: false,
        archived: true,
    };
    for action in StoryAction::ALL {
        let allowed = decide_story_action(actor, &coordinator(), &story, action).allowed();
        assert_eq!(allowed, action == StoryAction::Read, "{action:?}");
    }
    let circle = CircleFacts {
        listed: true,
        ended: false,
        actor_host: Some(true),
        archived: true,
    };
    for &action in CircleAction::ALL {
        let allowed = decide_circle(actor, &coordinator(), &circle, action).allowed();
        let reads = matches!(action, CircleAction::See | CircleAction::Read);
        assert_eq!(allowed, reads, "{action:?}");
    }
    let refused = check_manage_event(actor, &coordinator(), &archived(), true);
    assert!(
        matches!(refused, Err(crate::Error::Conflict { .. })),
        "{refused:?}"
    );
}
