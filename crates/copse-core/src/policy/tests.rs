//! The policy's rule tables, checked case by case.

use super::*;
use crate::domain::{AccountId, JoinPolicy, Role, Space, ThreadKind, Visibility};
use CommunityAction::*;

const ADA: AccountId = AccountId(1);

fn facts(visibility: Visibility, listed: bool, join_policy: JoinPolicy) -> CommunityFacts {
    CommunityFacts {
        visibility,
        listed,
        join_policy,
        leaders_moderate: false,
        archived: false,
    }
}

fn account() -> Actor {
    Actor::Account {
        id: ADA,
        is_admin: false,
        must_verify: false,
    }
}

fn with_role(role: Role) -> Standing {
    Standing {
        role: Some(role),
        invited: false,
        silenced_until: None,
    }
}

fn allowed(actor: Actor, standing: Standing, c: CommunityFacts) -> Vec<CommunityAction> {
    CommunityAction::ALL
        .iter()
        .copied()
        .filter(|a| decide(&actor, &standing, &c, *a).allowed())
        .collect()
}

#[test]
fn anonymous_reads_public_communities_only() {
    let public = facts(Visibility::Public, true, JoinPolicy::Open);
    assert_eq!(
        allowed(Actor::Anonymous, Standing::default(), public),
        vec![SeeListing, ReadPublic, SeeHistory]
    );
    let listed = facts(Visibility::Private, true, JoinPolicy::Approval);
    assert_eq!(
        allowed(Actor::Anonymous, Standing::default(), listed),
        vec![SeeListing]
    );
    let unlisted = facts(Visibility::Private, false, JoinPolicy::Invitation);
    assert_eq!(
        allowed(Actor::Anonymous, Standing::default(), unlisted),
        vec![]
    );
    assert_eq!(
        decide(
            &Actor::Anonymous,
            &Standing::default(),
            &unlisted,
            SeeListing
        ),
        Decision::Deny(Refusal::Hidden)
    );
    assert_eq!(
        decide(&Actor::Anonymous, &Standing::default(), &public, Join),
        Decision::Deny(Refusal::SignIn)
    );
}

#[test]
fn signed_in_outsider_may_join_request_or_follow_per_policy() {
    let none = Standing::default();
    let open = facts(Visibility::Public, true, JoinPolicy::Open);
    assert_eq!(
        allowed(account(), none, open),
        vec![
            SeeListing, ReadPublic, SeeMembers, SeeHistory, Join, Follow, Leave
        ]
    );
    let approval = facts(Visibility::Public, true, JoinPolicy::Approval);
    assert!(decide(&account(), &none, &approval, RequestToJoin).allowed());
    assert!(!decide(&account(), &none, &approval, Join).allowed());
    let private = facts(Visibility::Private, true, JoinPolicy::Approval);
    assert_eq!(
        allowed(account(), none, private),
        vec![SeeListing, RequestToJoin, Leave]
    );
    let invitation = facts(Visibility::Private, false, JoinPolicy::Invitation);
    assert_eq!(
        decide(&account(), &none, &invitation, Join),
        Decision::Deny(Refusal::Hidden)
    );
    let invited = Standing {
        role: None,
        invited: true,
        silenced_until: None,
    };
    assert!(decide(&account(), &invited, &invitation, SeeListing).allowed());
    assert!(!decide(&account(), &invited, &invitation, ReadPublic).allowed());
}

#[test]
fn observers_are_not_members() {
    let private = facts(Visibility::Private, false, JoinPolicy::Approval);
    assert_eq!(
        decide(&account(), &with_role(Role::Observer), &private, SeeListing),
        Decision::Deny(Refusal::Hidden)
    );
    let public = facts(Visibility::Public, true, JoinPolicy::Open);
    assert!(
        !decide(
            &account(),
            &with_role(Role::Observer),
            &public,
            ReadMembersOnly
        )
        .allowed()
    );
}

#[test]
fn roles_unlock_management_in_order() {
    let c = facts(Visibility::Private, false, JoinPolicy::Invitation);
    let member = allowed(account(), with_role(Role::Member), c);
    assert!(member.contains(&ReadMembersOnly) && member.contains(&SeeMembers));
    assert!(!member.contains(&Invite) && !member.contains(&Edit));
    let leader = allowed(account(), with_role(Role::Leader), c);
    assert!(leader.contains(&Invite) && !leader.contains(&ManageMembers));
    let coordinator = allowed(account(), with_role(Role::Coordinator), c);
    for a in [Edit, Invite, ReviewRequests, ManageMembers] {
        assert!(coordinator.contains(&a), "{a:?}");
    }
    let admin = Actor::Account {
        id: AccountId(9),
        is_admin: true,
        must_verify: false,
    };
    // An admin outside the community may do everything but what needs a place in it.
    let refused: Vec<CommunityAction> = CommunityAction::ALL
        .iter()
        .copied()
        .filter(|a| !allowed(admin, Standing::default(), c).contains(a))
        .collect();
    assert_eq!(
        refused,
        vec![RequestToJoin, Follow, Answer, FollowTopics, SeePeopleToMeet]
    );
}

#[test]
fn members_threads_are_hidden_from_outsiders_and_observers() {
    let public = facts(Visibility::Public, true, JoinPolicy::Open);
    let thread = |space| ThreadFacts {
        space,
        kind: ThreadKind::Question,
        author: AccountId(7),
        private_member: false,
        hidden: false,
        locked: false,
    };
    let observer = with_role(Role::Observer);
    assert!(
        decide_thread(
            &account(),
            &observer,
            &public,
            &thread(Space::Public),
            ThreadAction::Read
        )
        .allowed()
    );
    assert_eq!(
        decide_thread(
            &account(),
            &observer,
            &public,
            &thread(Space::Public),
            ThreadAction::Reply
        ),
        Decision::Deny(Refusal::Forbidden("Join the community to post and reply."))
    );
    for actor_standing in [Standing::default(), observer] {
        assert_eq!(
            decide_thread(
                &account(),
                &actor_standing,
                &public,
                &thread(Space::Members),
                ThreadAction::Read
            ),
            Decision::Deny(Refusal::Hidden)
        );
    }
    assert_eq!(
        decide_thread(
            &Actor::Anonymous,
            &Standing::default(),
            &public,
            &thread(Space::Members),
            ThreadAction::Read
        ),
        Decision::Deny(Refusal::Hidden)
    );
}

#[test]
fn circles_are_for_their_members_and_hidden_ones_unknown_to_others() {
    let member = with_role(Role::Member);
    let coordinator = with_role(Role::Coordinator);
    let observer = with_role(Role::Observer);
    let admin = Actor::Account {
        id: AccountId(2),
        is_admin: true,
        must_verify: false,
    };
    let circle = |listed, role: Option<bool>| CircleFacts {
        listed,
        ended: false,
        actor_host: role,
        archived: false,
    };
    use CircleAction::*;
    // Hidden: only its members know it exists; a coordinator who is not in it does not.
    for (standing, c) in [
        (&coordinator, circle(false, None)),
        (&member, circle(false, None)),
        (&observer, circle(false, Some(false))),
    ] {
        for action in CircleAction::ALL {
            assert_eq!(
                decide_circle(&account(), standing, &c, *action),
                Decision::Deny(Refusal::Hidden)
            );
        }
    }
    // Listed: members see it and may ask; only its people read; hosts manage.
    assert!(decide_circle(&account(), &member, &circle(true, None), See).allowed());
    assert!(decide_circle(&account(), &member, &circle(true, None), RequestToJoin).allowed());
    assert!(!decide_circle(&account(), &member, &circle(true, None), Read).allowed());
    assert!(decide_circle(&account(), &member, &circle(true, Some(false)), Post).allowed());
    assert!(!decide_circle(&account(), &member, &circle(true, Some(false)), Manage).allowed());
    assert!(decide_circle(&account(), &member, &circle(false, Some(true)), Manage).allowed());
    let ended = CircleFacts {
        listed: true,
        ended: true,
        actor_host: Some(false),
        archived: false,
    };
    assert!(decide_circle(&account(), &member, &ended, Read).allowed());
    assert!(!decide_circle(&account(), &member, &ended, Post).allowed());
    // Leaving the community ends access to its circles.
    let gone = Standing {
        role: None,
        invited: false,
        silenced_until: None,
    };
    assert_eq!(
        decide_circle(&account(), &gone, &circle(false, Some(true)), Read),
        Decision::Deny(Refusal::Hidden)
    );
    // Site admins moderate: they read, but do not post where they do not belong.
    assert!(decide_circle(&admin, &gone, &circle(false, None), Read).allowed());
    assert!(!decide_circle(&admin, &gone, &circle(false, None), Post).allowed());
}

/// Threads in circles and direct spaces follow the circles' line; direct ones even for admins.
#[test]
fn threads_in_circles_and_direct_spaces_are_for_the_people_in_them() {
    let member = with_role(Role::Member);
    let coordinator = with_role(Role::Coordinator);
    let gone = Standing {
        role: None,
        invited: false,
        silenced_until: None,
    };
    let admin = Actor::Account {
        id: AccountId(2),
        is_admin: true,
        must_verify: false,
    };
    let c = facts(Visibility::Public, true, JoinPolicy::Open);
    let t = |space, private_member| ThreadFacts {
        space,
        kind: ThreadKind::Discussion,
        author: AccountId(9),
        private_member,
        hidden: false,
        locked: false,
    };
    use ThreadAction::{Read, Reply};
    // (who, standing, space, in its circle or conversation, action, allowed)
    let cases = [
        (account(), &member, Space::Circle, true, Read, true),
        (account(), &coordinator, Space::Circle, false, Read, false),
        (admin, &gone, Space::Circle, false, Read, true),
        (admin, &gone, Space::Circle, false, Reply, false),
        (admin, &gone, Space::Direct, false, Read, false),
        (account(), &gone, Space::Direct, true, Read, true),
        (Actor::Anonymous, &gone, Space::Direct, true, Read, false),
    ];
    for (actor, standing, space, inside, action, allowed) in cases {
        assert_eq!(
            decide_thread(&actor, standing, &c, &t(space, inside), action).allowed(),
            allowed,
            "{actor:?} in {space:?} ({inside}): {action:?}"
        );
    }
}

#[test]
fn authors_and_coordinators_change_threads_askers_accept() {
    let c = facts(Visibility::Public, true, JoinPolicy::Open);
    let question = ThreadFacts {
        space: Space::Members,
        kind: ThreadKind::Question,
        author: ADA,
        private_member: false,
        hidden: false,
        locked: false,
    };
    let member = with_role(Role::Member);
    for action in [
        ThreadAction::Edit,
        ThreadAction::Delete,
        ThreadAction::Accept,
    ] {
        assert!(
            decide_thread(&account(), &member, &c, &question, action).allowed(),
            "{action:?}"
        );
        let bob = Actor::Account {
            id: AccountId(2),
            is_admin: false,
            must_verify: false,
        };
        assert!(
            !decide_thread(&bob, &member, &c, &question, action).allowed(),
            "{action:?}"
        );
        assert!(
            decide_thread(&bob, &with_role(Role::Coordinator), &c, &question, action).allowed()
        );
    }
    let discussion = ThreadFacts {
        kind: ThreadKind::Discussion,
        ..question
    };
    assert!(!decide_thread(&account(), &member, &c, &discussion, ThreadAction::Accept).allowed());
    assert!(!decide_thread(&account(), &member, &c, &discussion, ThreadAction::Curate).allowed());
    assert!(
        decide_thread(
            &account(),
            &with_role(Role::Leader),
            &c,
            &discussion,
            ThreadAction::Curate
        )
        .allowed()
    );
    // A removed author is no longer an author here.
    assert!(
        !decide_thread(
            &account(),
            &Standing::default(),
            &c,
            &ThreadFacts {
                space: Space::Public,
                ..question
            },
            ThreadAction::Edit
        )
        .allowed()
    );
}

#[test]
fn thread_filter_agrees_with_single_decisions() {
    let actors = [
        Actor::Anonymous,
        account(),
        Actor::Account {
            id: AccountId(2),
            is_admin: true,
            must_verify: false,
        },
    ];
    let roles = [
        None,
        Some(Role::Observer),
        Some(Role::Member),
        Some(Role::Leader),
        Some(Role::Coordinator),
    ];
    for actor in actors {
        for role in roles {
            if actor == Actor::Anonymous && role.is_some() {
                continue;
            }
            for invited in [false, true] {
                let standing = Standing {
                    role,
                    invited,
                    silenced_until: None,
                };
                for visibility in Visibility::ALL {
                    for listed in [false, true] {
                        let c = facts(*visibility, listed, JoinPolicy::Open);
                        for space in Space::ALL {
                            for private_member in [false, true] {
                                let t = ThreadFacts {
                                    space: *space,
                                    kind: ThreadKind::Discussion,
                                    author: AccountId(99),
                                    private_member,
                                    hidden: false,
                                    locked: false,
                                };
                                assert_eq!(
                                    thread_filter(&actor).admits(
                                        &standing,
                                        &c,
                                        *space,
                                        private_member
                                    ),
                                    decide_thread(&actor, &standing, &c, &t, ThreadAction::Read)
                                        .allowed(),
                                    "{actor:?} {standing:?} {c:?} {space:?} {private_member}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn list_filter_agrees_with_single_decisions_on_every_combination() {
    let actors = [
        Actor::Anonymous,
        account(),
        Actor::Account {
            id: AccountId(2),
            is_admin: true,
            must_verify: false,
        },
    ];
    let roles = [
        None,
        Some(Role::Observer),
        Some(Role::Member),
        Some(Role::Leader),
        Some(Role::Coordinator),
    ];
    let mut checked = 0;
    for actor in actors {
        for role in roles {
            for invited in [false, true] {
                // The anonymous actor holds no role and no invitation.
                if actor == Actor::Anonymous && (role.is_some() || invited) {
                    continue;
                }
                let standing = Standing {
                    role,
                    invited,
                    silenced_until: None,
                };
                for visibility in Visibility::ALL {
                    for listed in [false, true] {
                        for join_policy in JoinPolicy::ALL {
                            let c = facts(*visibility, listed, *join_policy);
                            assert_eq!(
                                community_filter(&actor).admits(&standing, &c),
                                decide(&actor, &standing, &c, SeeListing).allowed(),
                                "{actor:?} {standing:?} {c:?}"
                            );
                            checked += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(checked > 100);
}

#[test]
fn only_tellers_edit_and_coordinators_pin_stories() {
    use crate::domain::value::StoryVisibility;
    let story = |is_author| StoryFacts {
        visibility: StoryVisibility::Community,
        in_circle: false,
        is_author,
        anonymous: false,
        hidden: false,
        leaders_moderate: false,
        archived: false,
    };
    let member = with_role(Role::Member);
    let coordinator = with_role(Role::Coordinator);
    let may = |standing: &Standing, is_author, action| {
        decide_story_action(&account(), standing, &story(is_author), action).allowed()
    };
    assert!(may(&member, true, StoryAction::Edit) && !may(&member, false, StoryAction::Edit));
    assert!(!may(&coordinator, false, StoryAction::Edit));
    assert!(
        may(&coordinator, false, StoryAction::Delete) && !may(&member, false, StoryAction::Delete)
    );
    assert!(may(&member, false, StoryAction::Endorse) && !may(&member, true, StoryAction::Endorse));
    assert!(may(&coordinator, false, StoryAction::Pin) && !may(&member, true, StoryAction::Pin));
    // A story the actor may not read is hidden whatever the action.
    let hidden = StoryFacts {
        visibility: StoryVisibility::Coordinators,
        ..story(false)
    };
    for action in StoryAction::ALL {
        assert_eq!(
            decide_story_action(&account(), &member, &hidden, action),
            Decision::Deny(Refusal::Hidden)
        );
    }
}

#[test]
fn a_hidden_story_is_read_by_its_teller_and_the_moderators_only() {
    use crate::domain::value::StoryVisibility;
    let story = |is_author, leaders_moderate| StoryFacts {
        visibility: StoryVisibility::Community,
        in_circle: false,
        is_author,
        anonymous: false,
        hidden: true,
        leaders_moderate,
        archived: false,
    };
    let reads = |standing: &Standing, is_author, leaders_moderate| {
        decide_story(&account(), standing, &story(is_author, leaders_moderate)).allowed()
    };
    let (member, leader) = (with_role(Role::Member), with_role(Role::Leader));
    assert!(reads(&member, true, false), "its teller reads it");
    assert!(!reads(&member, false, false), "another member does not");
    assert!(!reads(&leader, false, false) && reads(&leader, false, true));
    assert!(reads(&with_role(Role::Coordinator), false, false));
    let flag = |standing: &Standing, is_author| {
        let open = StoryFacts {
            hidden: false,
            ..story(is_author, false)
        };
        decide_story_action(&account(), standing, &open, StoryAction::Flag).allowed()
    };
    assert!(
        flag(&member, false) && !flag(&member, true),
        "never one's own story"
    );
    assert!(!flag(&Standing::default(), false), "nor as an outsider");
}
