//! The authorization matrix: one fixture with every kind of actor and every kind of private or
//! public object, each carrying a unique marker word. For every actor × object × surface it
//! asserts that the marker is where the actor may see it (on the object's own page and API
//! object) and absent everywhere else — pages, JSON objects, lists and counts, search, Atom and
//! iCalendar feeds, personal calendars, notifications, reminder e-mails caught by a real SMTP
//! server, member directories and "people to meet" — and that a hidden object's 404 reads like a
//! missing one's. Then it changes the world (a member removed, an account suspended, a thread
//! moved into a hidden circle, the community switched to private) and checks every cell again.
//!
//! A second test checks that every GET route of the router is a surface of the matrix or sits
//! in an explicit allowlist with a reason, so a new surface cannot be added unchecked.

mod check;
mod files;
mod fixture;
mod imported;
mod routes;
mod surfaces;
mod world;

use std::collections::BTreeMap;

use crate::common::*;
use serde_json::json;

use check::{caught, check};
use fixture::build;
use world::{A, DAY, Fixture, NOW, World};

#[tokio::test]
async fn nothing_private_leaks_on_any_surface() {
    for (app, clock) in apps_at(NOW).await {
        let f = build(&app).await;
        let mut world = World::default();
        let mut total = check(&app, &f, world, &BTreeMap::new()).await;

        let emails = remove_and_suspend(&app, &f, &clock).await;
        world.removed = true;
        total += check(&app, &f, world, &emails).await;

        move_the_public_thread_into_the_hidden_circle(&f).await;
        world.moved = true;
        total += check(&app, &f, world, &BTreeMap::new()).await;

        // The community turns private.
        let coord = &f.api[&A::Coordinator];
        let r = coord
            .patch("/api/v1/communities/ipc", json!({"visibility": "private"}))
            .await;
        assert_eq!(r.status, 200, "{}", r.text);
        world.private = true;
        total += check(&app, &f, world, &BTreeMap::new()).await;

        // The member's calendar secret is only theirs: never shown again, and it stops on revoke.
        assert_eq!(
            reqwest::get(&f.member_feed).await.unwrap().status(),
            404,
            "it was replaced in check()"
        );
        println!(
            "authorization matrix ({:?}): {total} cells checked, 0 leaks",
            app.db.backend()
        );
        assert!(total > 5000, "the matrix is as large as it says: {total}");
        app.finish().await;
    }
}

/// A member removed and an account suspended: the next request reflects it everywhere,
/// including the reminders that go out tomorrow. Returns the e-mails the SMTP server caught.
async fn remove_and_suspend(
    app: &TestApp,
    f: &Fixture,
    clock: &copse_core::clock::FixedClock,
) -> BTreeMap<A, String> {
    let coord = &f.api[&A::Coordinator];
    assert_eq!(
        coord
            .delete("/api/v1/communities/ipc/members/removed")
            .await
            .status,
        204
    );
    let suspended = app
        .db
        .store
        .account_by_handle("suspended")
        .await
        .unwrap()
        .unwrap();
    app.db
        .store
        .set_suspended(suspended.id, true)
        .await
        .unwrap();
    let Some((smtp, port)) = &smtp().await else {
        return BTreeMap::new();
    };
    let worker = worker(&app.state, *port, "copse", None);
    clock.advance(DAY + 10 * 3600 * 1000 + 60_000);
    worker.tick().await.unwrap();
    let emails = caught(smtp);
    // Everyone still going got their reminder; the removed and the suspended did not.
    for a in [
        A::Member,
        A::CircleMember,
        A::Participant,
        A::Leader,
        A::Coordinator,
    ] {
        assert!(emails.contains_key(&a), "{a:?} gets a reminder");
    }
    assert!(!emails.contains_key(&A::Removed) && !emails.contains_key(&A::Suspended));
    // The newsletter sent before the removal went out with this tick: to the observer
    // and the members still here, each copy checked below like every other surface.
    for a in [A::Observer, A::Member, A::CircleMember] {
        assert!(
            emails[&a].contains("Subject: Issue 1"),
            "{a:?} gets the newsletter"
        );
    }
    emails
}

/// The public thread moves into the hidden circle (by its author, who is in that circle).
async fn move_the_public_thread_into_the_hidden_circle(f: &Fixture) {
    let (public, hidden) = (f.ids.public, f.ids.hidden);
    let r = f.api[&A::Member]
        .patch(
            &format!("/api/v1/threads/{public}"),
            json!({"move_to_circle": hidden}),
        )
        .await;
    assert_eq!(
        r.status, 403,
        "only its author or a coordinator moves a thread: {}",
        r.text
    );
    let r = f.api[&A::CircleMember]
        .patch(
            &format!("/api/v1/threads/{public}"),
            json!({"move_to_circle": hidden}),
        )
        .await;
    assert_eq!(r.status, 200, "{}", r.text);
}
